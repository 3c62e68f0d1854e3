"""The `factbase` command: one function per subcommand, `main(argv) -> int`.

Exit codes: 0 clean, 1 problems found, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path
from collections.abc import Sequence

from . import __version__, escaping, project, report
from .tools import cite, explain, new, writeback
from .loading import files
from .links import command as links
from .watch import command as watch
from .diagnostics import UNUSED, did_you_mean, fails_strict
from .config import Config, ConfigError, load_config
from .lock import BuildLock

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 128 + 13   # as a shell reports a command ended by SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factbase",
        description="Check a cited fact base and build the documentation site made from it.",
        epilog="Exit codes: 0 clean, 1 problems found, 2 usage or configuration error. "
               "Run 'factbase COMMAND --help' for a command's options.")
    parser.add_argument("--version", action="version", version=f"factbase {__version__}")
    # Shell completion from this parser (shtab): `factbase --print-completion bash`.
    import shtab
    shtab.add_argument_to(parser, ["--print-completion"])
    parser.add_argument("-f", "--config-file", type=Path, metavar="FILE",
                        help="the project's mkdocs.yml (default: found from the current folder up)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser(
        "init", help="start a new fact base that builds straight away",
        description="Write a working project into DIR (default: the current folder): "
                    "mkdocs.yml, an example fact base (one source, two entities, three "
                    "facts, the vocabulary and the site's sections), a hand-written page, "
                    "a README, the editor schemas and a CI workflow. Nothing is "
                    "overwritten. Then run 'factbase build' in DIR.")
    init.add_argument("dir", nargs="?", type=Path, default=Path("."), metavar="DIR")
    init.add_argument("--name", metavar="TEXT", help="the site's name (default: My fact base)")
    init.set_defaults(run=cmd_init)

    check = commands.add_parser(
        "check", help="load the facts and report every problem",
        description="Load every file under facts/ and report every problem found, "
                    "as path:line:col: CODE message. On a base without errors every page is "
                    "then rendered in memory (nothing is written), so what build would refuse "
                    "(E601 template errors, E604 stale facts, E602/E605/E606 home-page choices "
                    "at their line of mkdocs.yml) fails check too.")
    check.add_argument("--format", choices=report.FORMATS, default="text",
                       help="text for people (default), json for programs, "
                            "github for GitHub Actions annotations, sarif for code scanning")
    check.add_argument("--parser", choices=("auto", "libyaml", "ruamel"), default="auto",
                       help="YAML parser (default: the fastest available; results are identical)")
    _check_options(check)
    check.add_argument("--show-ignored", action="store_true",
                       help="also list the warnings set aside by facts' 'ignore:' entries")
    check.set_defaults(run=cmd_check)

    render = commands.add_parser(
        "render", help="check, then write the site's Markdown tree (docs_dir) only",
        description="Check the facts, then render pages into docs_dir from mkdocs.yml, writing "
                    "only files whose content changed. Any engine reading mkdocs.yml can "
                    "then build the tree.")
    _check_options(render)
    render.set_defaults(run=cmd_render)

    build = commands.add_parser(
        "build", help="check, render and build the site with MkDocs (strict)",
        description="Check the facts, render the Markdown tree, and build the site with MkDocs "
                    "in strict mode. The new site replaces the old one only if every step "
                    "succeeded.")
    build.add_argument("-d", "--site-dir", type=Path, metavar="DIR",
                       help="where to write the site (default: site_dir from mkdocs.yml)")
    _check_options(build)
    build.set_defaults(run=cmd_build)

    postprocess = commands.add_parser(
        "postprocess", help="finish a built site: CSP, search index, internal link check",
        description="The post-build step for what needs the finished HTML: a Content Security "
                    "Policy on every page (allowing only the theme's own scripts), the tuned "
                    "search index, and the internal link check (exit 1 on a broken link). The "
                    "MkDocs plugin runs it under MkDocs and ProperDocs; run it yourself after "
                    "'zensical build'. Running it twice changes nothing.")
    postprocess.add_argument("site_dir", type=Path, metavar="SITE_DIR", help="the built site")
    postprocess.add_argument("--engine", choices=("mkdocs", "properdocs", "zensical"),
                             default="mkdocs",
                             help="the engine that built it, whose theme templates the policy "
                                  "allows (default: mkdocs)")
    postprocess.set_defaults(run=cmd_postprocess)

    links.register(commands)
    watch.register(commands)

    diff = commands.add_parser(
        "diff", help="what a change does to the fact base, record by record",
        description="List the records BASE to HEAD adds, removes, changes, supersedes, "
                    "disputes or renames, with each changed field (old → new) and each "
                    "citation added or removed. Both sides are parsed as untrusted input: a "
                    "file that does not parse is an error naming its commit. Exit 0 with or "
                    "without changes, 2 when a side cannot be read.")
    diff.add_argument("base", nargs="?", metavar="BASE",
                      help="a commit (default: the merge base of HEAD and the main branch)")
    diff.add_argument("head", nargs="?", metavar="HEAD",
                      help="a commit (default: the working tree)")
    diff.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                      help="text for people (default), json for programs, markdown for a "
                           "job summary or a pull-request comment (inert: no pings, images "
                           "or HTML; under GitHub's size limit)")
    diff.add_argument("--preview-url", metavar="URL",
                      help="in Markdown, link each record to its page under this address "
                           "(default: site_url from mkdocs.yml, if set)")
    diff.set_defaults(run=cmd_diff)

    review = commands.add_parser(
        "review", help="list facts due for review, or coming due",
        description="List the facts whose review_after date has passed (due) or will pass "
                    "within DAYS days (coming due), as path:line:col, soonest first. Exit 1 "
                    "when any fact is due.")
    review.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                        help="review as if today were this date (default: the real date)")
    review.add_argument("--within", type=_days, default=30, metavar="DAYS",
                        help="also list facts coming due within this many days (default: 30)")
    review.set_defaults(run=cmd_review)

    _register_new(commands)

    fmt = commands.add_parser(
        "fmt", help="rewrite fact files in the canonical layout",
        description="Rewrite fact files in one canonical layout (key order, indentation, "
                    "dates, quoting, schema line), keeping every comment and value.")
    fmt.add_argument("paths", nargs="*", type=Path,
                     help="files or folders (default: the whole facts folder)")
    fmt.add_argument("--check", action="store_true",
                     help="change nothing; list files that would change and exit 1 if any")
    fmt.set_defaults(run=cmd_fmt)

    schema = commands.add_parser(
        "schema", help="write the JSON Schemas editors use for fact files",
        description="Regenerate schema/*.schema.json from the fact model.")
    schema.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if the committed schemas are out of date")
    schema.set_defaults(run=cmd_schema)

    explain = commands.add_parser(
        "explain", help="explain a diagnostic code, with a failing and a passing example",
        description="Print what a code means, an example that triggers it, one that does "
                    "not, and the fix. Without a code, list every code.")
    explain.add_argument("code", nargs="?", help="a code such as E302 or W714")
    explain.set_defaults(run=cmd_explain)

    serve = commands.add_parser(
        "serve", help="serve the site locally, rebuilding when facts or templates change",
        description="Build and serve the site with live reload; edits under facts/, "
                    "templates/ and site_src/ are re-checked and re-rendered.")
    serve.add_argument("-a", "--dev-addr", metavar="IP:PORT", default="127.0.0.1:8000",
                       help="address to serve on (default: 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)
    return parser


def _check_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                         help="fail on warnings too (--no-strict: only on errors); default: "
                              "the factbase option 'strict' in mkdocs.yml, which CI uses")
    command.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                         help="check as if today were this date (default: the real date)")
    command.add_argument("--no-cache", action="store_true",
                         help="ignore and do not update .factbase-cache/ (results are the same)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _strictness(config: Config, args: argparse.Namespace) -> report.Strictness:
    """One verdict everywhere: the project's setting, unless this run says otherwise."""
    return report.Strictness.of(config.options.strict, getattr(args, "strict", None))


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"not a number of days: {text!r} (expected 0 or more)")
    return int(text)


def _checked(config: Config, args: argparse.Namespace, need_base: bool = True,
             rendering: bool = False) -> project.Checked:
    """The checks (and with `rendering`, what render would refuse), reported."""
    fmt = getattr(args, "format", "text")
    checked = project.check(config, getattr(args, "parser", "auto"), args.today,
                            use_cache=not args.no_cache, need_base=need_base)
    if rendering:
        checked = project.with_render_problems(config, checked)
    files = checked.file_count
    sys.stdout.write(report.render(checked.diagnostics, fmt, files, checked.ignored,
                                   site_url=config.site_url))
    if fmt == "text":
        if getattr(args, "show_ignored", False):
            sys.stdout.write(report.ignored_text(checked.ignored))
        print(report.summary(checked.diagnostics, files, len(checked.ignored),
                             _strictness(config, args)), file=sys.stderr)
    return checked


def cmd_init(args: argparse.Namespace) -> int:
    from .tools.init import init
    written = init(args.dir, args.name)
    for path in written:
        print(f"wrote {path}")
    where = "" if args.dir.resolve() == Path.cwd() else f"cd {args.dir} && "
    print(f"\nNext: {where}factbase build   (then open site/index.html, or run "
          "'factbase serve')\nSet where CI installs factbase from in requirements.txt.",
          file=sys.stderr)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    config = load_config(config_file=args.config_file)
    # Every page is rendered in memory too (nothing written): what build would
    # refuse fails here first, at the line to fix.
    checked = _checked(config, args, rendering=True)
    return EXIT_PROBLEMS if checked.failed(_strictness(config, args).on) else EXIT_OK


def _render(config: Config, args: argparse.Namespace) -> bool:
    checked = _checked(config, args)
    if checked.failed(_strictness(config, args).on):
        return False
    from .rendering.render import RenderError  # Jinja: imported on use, so `check` starts fast
    started = time.perf_counter()
    try:
        stats = project.render(config, checked.base)
    except RenderError as err:
        sys.stdout.write(report.text([err.diagnostic]))
        return False
    into = escaping.line(str(config.docs_dir))
    print(f"Rendered {stats.written + stats.unchanged} files into {into} "
          f"({stats.written} written, {stats.removed} removed) "
          f"in {time.perf_counter() - started:.2f} s.", file=sys.stderr)
    return True


def cmd_render(args: argparse.Namespace) -> int:
    config = load_config(config_file=args.config_file)
    with BuildLock(config.root):  # one build or render of a project at a time
        return EXIT_OK if _render(config, args) else EXIT_PROBLEMS


def cmd_build(args: argparse.Namespace) -> int:
    config = load_config(config_file=args.config_file)
    with BuildLock(config.root):  # a second build waits: see generator/lock.py
        return _build(config, args)


def _build(config: Config, args: argparse.Namespace) -> int:
    from .containment import site_folder
    # Refused before anything is rendered: never the project, an ancestor, or through a link.
    site_dir = site_folder(config, Path.cwd() / args.site_dir if args.site_dir
                           else config.site_dir)
    if not _render(config, args):
        print("factbase: build stopped; the previous site is unchanged.", file=sys.stderr)
        return EXIT_PROBLEMS
    from .site import engine
    started = time.perf_counter()
    try:
        engine.build(config, site_dir)
    except engine.BuildFailed as err:
        print(escaping.log(f"factbase: MkDocs build failed: {err}\n"
                           "factbase: the previous site is unchanged."), file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Built the site into {escaping.line(str(site_dir))} in "
          f"{time.perf_counter() - started:.2f} s.",
          file=sys.stderr)
    return EXIT_OK


def cmd_postprocess(args: argparse.Namespace) -> int:
    from urllib.parse import urlsplit
    from .site.postprocess import engine_template_dirs, postprocess
    config = load_config(config_file=args.config_file)
    if not args.site_dir.is_dir():
        raise ConfigError(f"{args.site_dir}: no such folder (build the site first)")
    done = postprocess(args.site_dir, engine_template_dirs(args.engine, config.mkdocs_file),
                       urlsplit(config.site_url).path or "/")
    for link in done.broken:
        print(f"{link.page}: broken link '{link.target}': {link.reason}", file=sys.stderr)
    print(f"Postprocessed {done.pages} page(s) in {args.site_dir}; "
          f"{len(done.broken)} broken internal link(s).", file=sys.stderr)
    return EXIT_PROBLEMS if done.broken else EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from .tools import diff, diff_report
    config = load_config(config_file=args.config_file)
    preview = args.preview_url if args.preview_url is not None else config.site_url
    if preview and not preview.startswith(("https://", "http://")):
        raise ConfigError(f"--preview-url must be an http(s) address, not {preview!r}")
    try:
        found = diff.diff(config, args.base, args.head)
    except diff.DiffError as err:
        raise ConfigError(f"cannot diff: {report.shown(str(err))}") from None
    sys.stdout.write(diff_report.render(found, args.format, preview or ""))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from .checks.review_dates import last_day, schedule
    checked = project.check(load_config(config_file=args.config_file), today=args.today)
    if checked.errors:  # dates in a base that does not load would only mislead
        sys.stdout.write(report.text(checked.errors))
        print("factbase: fix the errors above, then run 'factbase review' again.",
              file=sys.stderr)
        return EXIT_PROBLEMS
    today = args.today or dt.date.today()
    found = schedule(checked.base, today, args.within)
    for fact, due in found:
        where = f"{fact.span.path}:{fact.at('review_after').line}:{fact.at('review_after').col}"
        if due:
            print(escaping.line(f"{where}: due: '{fact.id}' was due for review after "
                                f"{fact.review_after}"))
        else:
            days = (last_day(fact.review_after) - today).days
            print(escaping.line(f"{where}: coming due: '{fact.id}' is due for review after "
                                f"{fact.review_after} (in {days} day{'s' * (days != 1)})"))
    due = sum(d for _, d in found)
    coming = len(found) - due
    if found:
        print(f"{due} fact{'s' * (due != 1)} due for review, {coming} coming due within "
              f"{args.within} days. Re-check each against its sources, then move its "
              "review_after on.", file=sys.stderr)
    else:
        print(f"No fact is due for review, or coming due within {args.within} days.",
              file=sys.stderr)
    return EXIT_PROBLEMS if due else EXIT_OK


def _register_new(commands) -> None:
    """`new source|entity|fact` and `cite`: each option documented, per record kind."""
    kinds = commands.add_parser(
        "new", help="add a source, entity or fact to the right file",
        description="Add one record. Give its fields as options, answer the prompts in a "
                    "terminal, or pipe the answers in, one a line. Each answer is checked as "
                    "it is given. The record gets a unique id and is appended to the file it "
                    "belongs in, keeping the rest of the file as it was; if the base then has "
                    "new errors, the file is restored and the errors are shown. "
                    "'factbase new KIND --help' lists the options of each kind.")
    which = kinds.add_subparsers(dest="what", metavar="KIND", required=True)
    for kind, about in (("source", "a document facts cite"), ("entity", "a thing facts are about"),
                        ("fact", "one cited statement about an entity")):
        sub = which.add_parser(kind, help=f"add {about}",
                               description=f"Add {about}. Options not given are asked for.")
        sub.add_argument("--id", metavar="ID",
                         help=f"the {kind}'s id (default: proposed from its fields)")
        sub.add_argument("--file", type=Path, metavar="FILE",
                         help=f"the file to add it to (default: the file that holds {kind}s "
                              "like it)")
        _prompt_options(sub, new.PROMPTS[kind])
        sub.set_defaults(run=cmd_new)
    cite = commands.add_parser(
        "cite", help="add a citation (a second source) to an existing fact",
        description="Add a citation to the fact FACT, keeping the file's comments and layout. "
                    "Options not given are asked for. The source must exist, and the fact "
                    "must not already cite it at the same locator.")
    cite.add_argument("fact", metavar="FACT", help="the fact's id")
    _prompt_options(cite, new.PROMPTS["cite"])
    cite.set_defaults(run=cmd_cite)


def _prompt_options(parser: argparse.ArgumentParser, prompts) -> None:
    for p in prompts:
        parser.add_argument("--" + p.name.replace("_", "-"), dest=p.name, metavar=p.metavar,
                            help=(p.help or p.question) + ("" if p.required else " (optional)"))


def cmd_new(args: argparse.Namespace) -> int:
    config = load_config(config_file=args.config_file)
    given = {p.name: getattr(args, p.name) for p in new.PROMPTS[args.what] if getattr(args, p.name)}
    draft = new.Draft(args.what, {**given, **({"id": args.id} if args.id else {})})
    _ask(draft, project.check(config).base)  # asked before the lock: no run waits on a person
    with BuildLock(config.root):  # two runs appending to one file must keep both records
        before = project.check(config)  # again: another run may have written since
        _ask(draft, before.base)
        draft.values["id"] = args.id or new.propose_id(draft, before.base)
        path = (args.file or new.target_file(draft, before.base, config.facts_dir, config.root))
        edit = new.append(path.resolve(), draft, new.record(draft, before.base))
        what, ident = f"new {draft.kind}", draft.values["id"]
        fresh = writeback.commit(config, before, edit, what, _again(["new", args.what], draft))
    if fresh is None:
        return EXIT_PROBLEMS
    print(escaping.line(f"Added {draft.kind} '{ident}' to {_shown(edit.path, config)}."),
          file=sys.stderr)
    nxt = {"source": f"cite it: factbase new fact --source {ident} …, or factbase cite FACT "
                     f"--source {ident} --locator …",
           "entity": f"add what the sources say: factbase new fact --subject {ident} …",
           "fact": "preview it: factbase serve"}[draft.kind]
    print(f"Next, {nxt}", file=sys.stderr)
    return _verdict(config, edit, fresh)


def _verdict(config: Config, edit: writeback.Edit, fresh: list) -> int:
    """The project's verdict on the warnings an edit brought, as CI will give it,
    except "not used yet" on the record just written (a new source is uncited
    until the next step cites it): that one is said, not failed on."""
    pending = [d for d in fresh if d.code in UNUSED and writeback.added(edit, config.root, d)]
    if pending:
        print(f"factbase: {', '.join(sorted({d.code for d in pending}))} clears with the next "
              "step; until then 'factbase check' and the pull request fail on it.",
              file=sys.stderr)
    counted = [d for d in fresh if fails_strict(d) and d not in pending]
    strict = _strictness(config, argparse.Namespace())  # the project's setting, as in CI
    if strict.on and counted:
        print(report.summary(counted, 0, strict=strict), file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def cmd_cite(args: argparse.Namespace) -> int:
    config = load_config(config_file=args.config_file)
    options = {p.name: getattr(args, p.name) for p in new.PROMPTS["cite"]}
    first = project.check(config).base
    draft = cite.draft(cite.find(first, args.fact), options)
    _ask(draft, first)  # asked before the lock: no run waits on a person
    with BuildLock(config.root):  # two runs editing one file must keep both citations
        before = project.check(config)  # again: another run may have written since
        fact = cite.find(before.base, args.fact)
        _ask(draft, before.base)
        edit = cite.edit(config.root, fact, draft.values)
        fresh = writeback.commit(config, before, edit, "citation",
                                 _again(["cite", fact.id], draft))
    if fresh is None:
        return EXIT_PROBLEMS
    print(escaping.line(f"Added a citation of '{draft.values['source']}' to fact '{fact.id}' "
                        f"in {_shown(edit.path, config)}."), file=sys.stderr)
    return _verdict(config, edit, fresh)


def _ask(draft: new.Draft, base) -> None:
    """Check the options given, then ask for what is missing (terminal or pipe)."""
    problems = new.check_options(draft, base)
    if problems:
        raise ConfigError("\n  ".join(["the options do not fit the base:", *problems]))
    if draft.missing(base):
        new.ask(draft, new.Answers(), base)


def _again(command: list[str], draft: new.Draft) -> str:
    """The command line that gives every answer as an option: nothing typed is lost."""
    import shlex
    options = [part for name, value in draft.values.items()
               for part in (f"--{name.replace('_', '-')}", str(value))]
    return shlex.join(["factbase", *command, *options])


def cmd_fmt(args: argparse.Namespace) -> int:
    from .tools import fmt
    config = load_config(config_file=args.config_file)
    targets, problems = _fact_paths(args.paths or [config.facts_dir], config.root)
    if problems:  # never read, let alone rewrite, a file a link leads to outside
        sys.stdout.write(report.text(problems))
        return EXIT_PROBLEMS
    results = [fmt.format_file(p, config.facts_dir) for p in targets]
    broken = [r for r in results if r.after is None]
    changed = [r for r in results if r.changed]
    for r in broken:
        print(escaping.line(f"{_shown(r.path, config)}: not formatted: {r.problem}"),
              file=sys.stderr)
    for r in changed:
        if args.check:
            print(escaping.line(f"would reformat {_shown(r.path, config)}"))
        else:
            r.path.write_text(r.after, encoding="utf-8")
            print(escaping.line(f"reformatted {_shown(r.path, config)}"))
    verb = "would be reformatted" if args.check else "reformatted"
    print(f"{len(changed)} of {len(results)} files {verb}.", file=sys.stderr)
    return EXIT_PROBLEMS if broken or (args.check and changed) else EXIT_OK


def _fact_paths(paths: list[Path], root: Path) -> tuple[list[Path], list]:
    found, problems = [], []
    for path in paths:
        if path.is_dir():
            listed = files.scan(path.resolve(), root)
            found += [p for p in listed.files if p.suffix in (".yaml", ".yml")]
            problems += listed.problems
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"no such file or folder: {path}")
    return found, problems


def _shown(path: Path, config: Config) -> str:
    return files.shown_path(path, config.root)


def cmd_schema(args: argparse.Namespace) -> int:
    from .tools import editor_schema
    config = load_config(config_file=args.config_file)
    folder = config.root / "schema"
    base = project.check(config).base  # the schemas offer the types and kinds it declares
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp)
            editor_schema.write_all(fresh, base)
            stale = [p.name for p in sorted(fresh.iterdir())
                     if not (folder / p.name).is_file()
                     or (folder / p.name).read_text() != p.read_text()]
        for name in stale:
            print(f"schema/{name} is out of date: run 'factbase schema'")
        return EXIT_PROBLEMS if stale else EXIT_OK
    for path in editor_schema.write_all(folder, base):
        print(f"wrote {path.relative_to(config.root)}")
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    known = explain.entries()
    if args.code is None:
        for entry in known.values():
            print(f"{entry.code}  {entry.severity:<7}  {entry.title}")
        return EXIT_OK
    entry = known.get(args.code.upper())
    if entry is None:
        hint = did_you_mean(args.code.upper(), known)
        print(f"factbase: unknown code {args.code!r}" + (f" ({hint})" if hint else "")
              + "; 'factbase explain' lists them all", file=sys.stderr)
        return EXIT_USAGE
    print(entry.as_text(), end="")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from .site import engine
    try:
        engine.serve(load_config(config_file=args.config_file), args.dev_addr)
    except OSError as err:
        raise ConfigError(f"cannot serve on {args.dev_addr}: {err.strerror or err}") from None
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as err:
        print(escaping.log(f"factbase: error: {err}"), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("factbase: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader left (`factbase review | head -1`): stop quietly, as
        # Python's documentation advises, with stdout pointed at nothing so
        # the interpreter's own flush at exit cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE

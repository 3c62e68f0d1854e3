"""The pipeline on a configured project: load → check → render → write.

The CLI and the MkDocs plugin both call these, so they behave the same.

W791: unused ignore
    A fact's `ignore:` entry names a warning the fact does not raise (any
    more): remove it, so exceptions never pile up unseen.

    Fails:

        ignore:
          - code: W714
            reason: …                # but as_of is not before publication

    Passes:

        # no ignore entry

    Fix: delete the entry.

E109: unused records not checked: a file did not parse
    A fact file did not parse (its error is reported first), so the base
    lacks its records. The ids its lines declare still count as defined, so
    references to them are not reported as unknown, and count rules wait.
    What says a record is never used (a source never cited, an entity without
    facts, an ignore that matches nothing) may only follow from the missing
    records: this one line counts those findings instead of listing them.

    Fails:

        sources:
          - id: esa-smile-factsheet
           url: https://…      # one space short: the file does not parse

    Passes:

        sources:
          - id: esa-smile-factsheet
            url: https://…

    Fix: fix the file's syntax error (reported first), then run again: every
    check runs over the whole base once every file parses.

E603: cannot write the site
    Writing the rendered tree (docs_dir) failed: the disk is full, or a
    folder is not writable. Nothing was changed: every file written by this
    run was taken back and every replaced file put back as it was.

    Fails:

        No space left on device

    Passes:

        enough free space, docs_dir writable

    Fix: free some space or fix the folder's permissions, then run again.

E607: a generated page would replace a file factbase did not write
    The rendered tree (docs_dir) holds a file factbase did not write (it is
    not in the folder's `.factbase-written` manifest) at the path of a
    generated page, with other bytes: the user's own page, with a
    hand-written mkdocs.yml. It is never replaced or deleted. A symbolic
    link where a page goes is refused the same way: nothing is written
    through one.

    Fails:

        docs/index.md        # your own home page, and factbase generates index.md

    Passes:

        docs/mine.md         # factbase generates no mine.md: it is left alone

    Fix: move or rename your file (or the page in the pages folder), or delete
    it if an older factbase wrote it.
"""

from __future__ import annotations

import datetime as dt
import pickle
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Callable

from . import cache, checks, parallel
from .loading import files
from .config import Config, ConfigError, Options
from collections import Counter

from .diagnostics import UNUSED, Diagnostic, fails_strict, root_first
from .gcpause import fewer_collections
from .loading.loader import _folder, load_file, merge
from .model import Fact, FactBase, Span
from .loading.yamlsource import MAX_FILE_BYTES

if TYPE_CHECKING:  # rendering (Jinja) is imported on use, so `check` starts fast
    from .rendering.render import SiteOptions
    from .rendering.writer import WriteStats


CACHE_DIR = cache.CACHE_DIR
# Parse in worker processes when this many bytes of YAML changed: below it,
# starting workers costs more than the parse (measured on 2 cores).
PARALLEL_PARSE_BYTES = 1_000_000


@dataclass(frozen=True)
class Ignored:
    diagnostic: Diagnostic
    reason: str


@dataclass(frozen=True)
class Checked:
    base: FactBase | None          # None when answered from the cache without the model
    diagnostics: tuple[Diagnostic, ...]
    ignored: tuple[Ignored, ...] = ()
    file_count: int = 0

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    def failed(self, strict: bool = False) -> bool:
        """Errors fail a run; warnings fail it only in strict mode, and
        reminders that depend on today's date never do (diagnostics.REMINDERS)."""
        return bool(self.errors) or (strict and any(map(fails_strict, self.diagnostics)))


def check(config: Config, parser: str = "auto", today: dt.date | None = None,
          use_cache: bool = True, need_base: bool = True) -> Checked:
    """Load and check the base; unchanged files come from the cache.

    With need_base=False (plain `factbase check`) an unchanged base is answered
    from the cached diagnostics alone, without rebuilding the model."""
    with fewer_collections():
        return _check(config, parser, today, use_cache, need_base)


def _check(config: Config, parser: str, today: dt.date | None, use_cache: bool,
           need_base: bool) -> Checked:
    if not config.facts_dir.is_dir():
        raise ConfigError(f"no facts folder at {config.facts_dir}")
    today = today or dt.date.today()
    facts, unusable = _read_facts(config)
    # Not cached and not `disabled`: links and permissions change without any
    # fact file changing, and a pull request may edit mkdocs.yml too.
    problems = [d for folder in _site_folders(config)
                for d in files.scan(folder, config.root).problems]
    if unusable:  # checks over a base missing files would only mislead
        return Checked(FactBase(), tuple(sorted(unusable + problems, key=root_first)),
                       file_count=len(facts))
    checked = _check_read(config, facts, parser, today, use_cache, need_base)
    if problems:
        checked = replace(checked, diagnostics=tuple(sorted(
            checked.diagnostics + tuple(problems), key=root_first)))
    return checked


def _read_facts(config: Config) -> tuple[list, list[Diagnostic]]:
    """Every fact file's (shown path, folder, bytes), and why any could not be read."""
    found = files.scan(config.facts_dir, config.root)
    facts, problems = [], found.problems
    for path in found.files:
        if path.suffix not in (".yaml", ".yml"):
            continue
        shown = files.shown_path(path, config.root)
        try:
            data = files.read(path, shown, MAX_FILE_BYTES)
        except files.Refused as err:
            problems.append(err.diagnostic)
            continue
        facts.append((shown, _folder(path, config.facts_dir), data))
    return facts, problems


def _collision(err, pages: dict[str, Path], config: Config, out_dir: Path) -> Diagnostic:
    """E607, naming both files: the one found and the page that would replace it."""
    shown = files.shown_path(err.path, config.root)
    origin = pages.get(err.relative)
    made = (f"the page copied from {files.shown_path(origin, config.root)}" if origin
            else f"the generated page {err.relative}")
    return Diagnostic.at(Span(shown, 1, 1), "E607", f"{shown} {err.reason}, and {made} has "
                         "the same path: factbase never replaces or deletes a file it did not "
                         "write, nor writes through a link",
                         f"move or rename one of them; if an older factbase made "
                         f"{files.shown_path(out_dir, config.root)}, remove that folder whole")


def _site_folders(config: Config) -> list[Path]:
    """The folders besides facts/ whose files reach the site: templates and pages."""
    names = (config.options.overrides_dir, config.options.templates_dir,
             config.options.pages_dir)
    return [config.path(name) for name in names if name and config.path(name).is_dir()]


def _check_read(config: Config, facts: list, parser: str, today: dt.date, use_cache: bool,
                need_base: bool) -> Checked:
    store = cache.Store(cache.folder(config.root) if use_cache else None)
    keys = [cache.key(shown, folder, data) for shown, folder, data in facts]
    # Everything the checks read besides the files: a changed choice re-runs them.
    whole = cache.key(keys, today, sorted(config.options.disabled), config.options.key_facts,
                      config.options.featured)
    hit = store.get("check.pickle")
    if hit is not None and hit[0] == whole:
        if not need_base:
            return Checked(None, *hit[1:])
        known = store.get("files.pickle") or {}
        if all(k in known for k in keys):  # same files, same answers: skip the checks
            return Checked(merge([pickle.loads(known[k]) for k in keys]).base, *hit[1:])
    checked = _check_files(config, facts, keys, store, parser, today)
    store.put("check.pickle", (whole, checked.diagnostics, checked.ignored, checked.file_count))
    return checked


def _check_files(config: Config, facts: list, keys: list[str], store: cache.Store,
                 parser: str, today: dt.date) -> Checked:
    known = store.get("files.pickle") or {}  # file key -> pickled FileResult
    missing = [i for i, k in enumerate(keys) if k not in known]
    fresh = parallel.run_jobs(
        [partial(_load_pickled, facts[i], parser) for i in missing],
        spread=sum(len(facts[i][2]) for i in missing) >= PARALLEL_PARSE_BYTES)
    by_key = {k: known.get(k) for k in keys} | dict(zip((keys[i] for i in missing), fresh))
    if missing:
        store.put("files.pickle", by_key)
    loaded = merge([pickle.loads(by_key[k]) for k in keys])
    checked = checks.run(loaded.base, today, key_facts=config.options.key_facts,
                         featured=config.options.featured, broken=loaded.broken)
    found = [d for d in loaded.diagnostics + checked if d.code not in config.options.disabled]
    kept, ignored = apply_ignores(loaded.base, found)
    kept = fold_unparsed(kept, loaded.unparsed)
    return Checked(loaded.base, tuple(sorted(kept, key=root_first)), tuple(ignored), len(facts))


def fold_unparsed(found: list[Diagnostic], unparsed: tuple[Span, ...]) -> list[Diagnostic]:
    """While a file does not parse, the base lacks its records. References to
    its ids are not reported (the loader salvages them) and rules do not count;
    what says something is never used (diagnostics.UNUSED) may only follow
    from the missing records, so it is counted in one line (E109), not listed."""
    follows = [d for d in found if d.code in UNUSED]
    if not unparsed or not follows:
        return found
    names = ", ".join(dict.fromkeys(span.path for span in unparsed))
    counts = ", ".join(f"{code} ×{n}" for code, n in sorted(Counter(d.code for d in follows).items()))
    n = len(follows)
    folded = Diagnostic.at(unparsed[0], "E109", f"{n} finding{'' if n == 1 else 's'} of unused "
                           f"records not checked ({counts}): {names} did not parse, so the "
                           "base lacks its records", "fix the syntax error first; they are "
                           "checked again then")
    return [d for d in found if d.code not in UNUSED] + [folded]


def _load_pickled(file: tuple[str, str | None, bytes], parser: str) -> bytes:
    """One file's result, pickled: what the cache stores and a worker sends back."""
    shown, folder, data = file
    return pickle.dumps(load_file(data, shown, folder, parser), pickle.HIGHEST_PROTOCOL)


def apply_ignores(base: FactBase, found: list[Diagnostic]) -> tuple[list, list]:
    """Set aside warnings a fact documents with `ignore:`; flag ignores never used."""
    starts: dict[str, list[tuple[int, Fact]]] = {}
    for fact in base.facts.values():
        starts.setdefault(fact.span.path, []).append((fact.span.line, fact))
    for entries in starts.values():
        entries.sort(key=lambda entry: entry[0])
    kept, ignored, used = [], [], set()
    for diagnostic in found:
        fact = _enclosing(starts.get(diagnostic.path, []), diagnostic.line)
        rule = next((i for i in fact.ignore if i.code == diagnostic.code), None) if fact else None
        if rule is not None and diagnostic.severity == "warning":
            ignored.append(Ignored(diagnostic, rule.reason))
            used.add((fact.id, rule.code))
        else:
            kept.append(diagnostic)
    kept.extend(_ignore_problems(base, used))
    return kept, ignored


def _enclosing(entries: list[tuple[int, Fact]], line: int) -> Fact | None:
    index = bisect_right([start for start, _ in entries], line) - 1
    return entries[index][1] if index >= 0 else None


def _ignore_problems(base: FactBase, used: set[tuple[str, str]]) -> list[Diagnostic]:
    problems = []
    for fact in base.facts.values():
        for rule in fact.ignore:
            if rule.code.startswith("E"):
                problems.append(Diagnostic.at(rule.span, "E209", f"errors cannot be ignored "
                                              f"({rule.code}); only warnings (W…) can",
                                              "fix the problem instead"))
            elif (fact.id, rule.code) not in used:
                problems.append(Diagnostic.at(rule.span, "W791", f"'{fact.id}' ignores "
                                              f"{rule.code}, which it does not raise",
                                              "remove the ignore entry"))
    return problems


def site_options(config: Config) -> SiteOptions:
    from .rendering.render import SiteOptions
    # The default templates ship with the package: a project's templates folder
    # only holds those it replaces, and need not exist unless named in mkdocs.yml.
    folders = [config.options.overrides_dir, config.options.templates_dir,
               config.options.pages_dir]
    templates = tuple(config.path(f) for f in folders if f and config.path(f).is_dir())
    missing = [f for f in (config.options.overrides_dir, config.options.templates_dir)
               if f and f != Options.templates_dir and not config.path(f).is_dir()]
    if missing:
        raise ConfigError(f"template folder(s) not found: {', '.join(missing)} "
                          "(named in mkdocs.yml; create them or remove the option)")
    from .rendering import changes
    return SiteOptions(templates, config.root, config.options.repo_edit_url,
                       config.site_name, config.site_description, config.options.featured,
                       config.options.key_facts,
                       site_url=config.site_url, repo_url=config.repo_url,
                       licence=config.options.licence, licence_url=config.options.licence_url,
                       see_also=config.options.see_also,
                       history=changes.read(config.root, config.facts_dir))


def with_render_problems(config: Config, checked: Checked) -> Checked:
    """`checked` and what render would refuse (rendering.dry_run): one verdict
    from `check`. Only on a base without errors: render does not run on one."""
    if checked.errors or checked.base is None:
        return checked
    found = render_problems(config, checked.base)
    return replace(checked, diagnostics=tuple(sorted(checked.diagnostics + tuple(found),
                                                     key=root_first)))


def render_problems(config: Config, base: FactBase) -> list[Diagnostic]:
    """Every page rendered in memory, nothing written: each distinct error."""
    from .rendering import dry_run
    from .rendering.render import RenderError, render_site
    with fewer_collections():
        try:
            jobs = render_site(base, site_options(config), _page_templates(_pages(config)))
        except RenderError as err:   # a home-page choice: before any page renders
            return [_located(config, err.diagnostic)]
        except files.Refused as err:
            return [err.diagnostic]
        return [_located(config, d) for d in dry_run.problems(jobs, RenderError)]


def _located(config: Config, diagnostic: Diagnostic) -> Diagnostic:
    from .rendering import dry_run
    shown = (files.shown_path(config.mkdocs_file, config.root) if config.mkdocs_file
             else "mkdocs.yml")
    return dry_run.located(diagnostic, config.mkdocs_file, shown)


def render(config: Config, base: FactBase) -> WriteStats:
    """Render every page and data file, copy hand-written pages, write what changed."""
    from .rendering.render import RenderError, asset_files, render_site
    from .rendering.writer import Collision, WriteFailed, sync
    from .containment import folder
    out_dir = folder(config.root, config.docs_dir, "the rendered tree (docs_dir)")
    with fewer_collections():
        try:
            # Scanned again, not trusted from `check`: nothing refused is ever
            # read, rendered or copied, whoever calls this. The rendered tree
            # too: MkDocs would publish what a link there leads to.
            for place in (*_site_folders(config), *([out_dir] if out_dir.is_dir() else [])):
                for problem in files.scan(place, config.root).problems:
                    raise RenderError(problem)
            pages = _pages(config)
            generated = render_site(base, site_options(config), _page_templates(pages))
            # A hand-written page replaces the generated page at the same path.
            written = generated | asset_files() | _hand_written(pages, config.root)
            stats = sync(_with_front_matter(written, config), out_dir)
            # The theme's additions, for engines that run no plugin (Zensical's custom_dir).
            from .site import theme
            theme_dir = folder(config.root, out_dir.parent / theme.FOLDER, "the theme folder")
            sync(theme.common_files() | _custom_theme_files(config, theme_dir), theme_dir)
            return stats
        except RenderError as err:   # a home-page choice: at its line of mkdocs.yml
            raise RenderError(_located(config, err.diagnostic)) from None
        except files.Refused as err:
            raise RenderError(err.diagnostic) from None
        except Collision as err:
            raise RenderError(_collision(err, pages, config, out_dir)) from None
        except WriteFailed as err:
            shown = files.shown_path(err.path, config.root)
            raise RenderError(Diagnostic.at(Span(shown, 1, 1), "E603", f"cannot write "
                                            f"{shown}: {err.reason}", "free some space or "
                                            "fix the folder's permissions, then run again")) \
                from None


def _custom_theme_files(config: Config, theme_dir: Path) -> dict[str, bytes]:
    """The project's own theme overrides (mkdocs.yml's `theme: custom_dir`),
    by path, for the theme folder: an engine that runs no plugin has one
    custom_dir, so the folder it names holds Factbase's templates and the
    project's, the project's winning (as they do under the plugin)."""
    from .containment import folder
    from .rendering.render import RenderError
    from .site.postprocess import custom_dir
    named = custom_dir(config.mkdocs_file)
    if named is None:
        return {}
    custom = folder(config.root, named, "the theme's custom_dir")
    if custom == theme_dir or not custom.is_dir():  # a config already naming the theme folder
        return {}
    found = files.scan(custom, config.root)
    for problem in found.problems:
        raise RenderError(problem)
    return {path.relative_to(custom).as_posix(): path.read_bytes() for path in found.files}


def _with_front_matter(jobs: dict[str, Callable], config: Config) -> dict[str, Callable]:
    """Every page's metadata completed at render time (rendering.frontmatter),
    so that engines without the plugin print the same <head>."""
    def completed(job: Callable) -> Callable:
        return partial(_complete, job, config.site_url, config.options.licence_url)
    return {path: completed(job) if path.endswith(".md") else job for path, job in jobs.items()}


def _complete(job: Callable, site_url: str, licence_url: str | None) -> str | bytes:
    from .rendering.frontmatter import complete
    text = job()
    if isinstance(text, bytes):  # a hand-written page, copied
        try:
            return complete(text.decode("utf-8"), site_url, licence_url).encode("utf-8")
        except UnicodeDecodeError:  # MkDocs reports it, with the page's name
            return text
    return complete(text, site_url, licence_url)


def _pages(config: Config) -> dict[str, Path]:
    """The pages folder's files by their path in the site."""
    pages_dir = config.path(config.options.pages_dir)
    return {p.relative_to(pages_dir).as_posix(): p
            for p in files.scan(pages_dir, config.root).files}


def _hand_written(pages: dict[str, Path], root: Path) -> dict[str, Callable[[], bytes]]:
    """Copied as they are (read when written, so no process holds them all)."""
    return {name: partial(files.read, path, files.shown_path(path, root))
            for name, path in pages.items() if not name.endswith(".j2")}


def _page_templates(pages: dict[str, Path]) -> tuple[str, ...]:
    """Hand-written pages that are templates (`*.md.j2`): they may cite facts by id."""
    return tuple(name for name in pages if name.endswith(".j2"))

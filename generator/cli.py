"""The `factbase` command: one function per subcommand, `main(argv) -> int`.

Exit codes: 0 clean, 1 problems found, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Sequence

from . import __version__, engine, explain, project, report
from .diagnostics import did_you_mean
from .config import Config, ConfigError, load_config
from .render import RenderError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factbase",
        description="Check a cited fact base and build the documentation site made from it.",
        epilog="Exit codes: 0 clean, 1 problems found, 2 usage or configuration error. "
               "Run 'factbase COMMAND --help' for a command's options.")
    parser.add_argument("--version", action="version", version=f"factbase {__version__}")
    parser.add_argument("-f", "--config-file", type=Path, metavar="FILE",
                        help="the project's mkdocs.yml (default: found from the current folder up)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    check = commands.add_parser(
        "check", help="load the facts and report every problem",
        description="Load every file under facts/ and report every problem found, "
                    "as path:line:col: CODE message.")
    check.add_argument("--format", choices=report.FORMATS, default="text",
                       help="text for people (default), json for programs, "
                            "github for GitHub Actions annotations")
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
    command.add_argument("--strict", action="store_true",
                         help="treat warnings as errors (exit 1 if there are any)")
    command.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                         help="check as if today were this date (default: the real date)")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _checked(config: Config, args: argparse.Namespace) -> project.Checked:
    fmt = getattr(args, "format", "text")
    checked = project.check(config, getattr(args, "parser", "auto"), args.today)
    files = len(checked.base.files)
    sys.stdout.write(report.render(checked.diagnostics, fmt, files, checked.ignored))
    if fmt == "text":
        if getattr(args, "show_ignored", False):
            sys.stdout.write(report.ignored_text(checked.ignored))
        print(report.summary(checked.diagnostics, files, len(checked.ignored)), file=sys.stderr)
    return checked


def cmd_check(args: argparse.Namespace) -> int:
    checked = _checked(load_config(config_file=args.config_file), args)
    return EXIT_PROBLEMS if checked.failed(args.strict) else EXIT_OK


def _render(config: Config, args: argparse.Namespace) -> bool:
    checked = _checked(config, args)
    if checked.failed(args.strict):
        return False
    started = time.perf_counter()
    try:
        stats = project.render(config, checked.base)
    except RenderError as err:
        sys.stdout.write(report.text([err.diagnostic]))
        return False
    print(f"Rendered {stats.written + stats.unchanged} files into {config.docs_dir} "
          f"({stats.written} written, {stats.removed} removed) "
          f"in {time.perf_counter() - started:.2f} s.", file=sys.stderr)
    return True


def cmd_render(args: argparse.Namespace) -> int:
    return EXIT_OK if _render(load_config(config_file=args.config_file), args) else EXIT_PROBLEMS


def cmd_build(args: argparse.Namespace) -> int:
    config = load_config(config_file=args.config_file)
    if not _render(config, args):
        print("factbase: build stopped; the previous site is unchanged.", file=sys.stderr)
        return EXIT_PROBLEMS
    site_dir = (args.site_dir or config.site_dir).resolve()
    started = time.perf_counter()
    try:
        engine.build(config, site_dir)
    except engine.BuildFailed as err:
        print(f"factbase: MkDocs build failed: {err}\n"
              "factbase: the previous site is unchanged.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Built the site into {site_dir} in {time.perf_counter() - started:.2f} s.",
          file=sys.stderr)
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
    engine.serve(load_config(config_file=args.config_file), args.dev_addr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as err:
        print(f"factbase: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("factbase: interrupted", file=sys.stderr)
        return 130

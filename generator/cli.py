"""The `factbase` command: one function per subcommand, `main(argv) -> int`.

Exit codes: 0 clean, 1 problems found, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from . import __version__, checks, report
from .config import ConfigError, load_config
from .loader import load

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
    check.set_defaults(run=cmd_check)
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    config = load_config(config_file=args.config_file)
    if not config.facts_dir.is_dir():
        raise ConfigError(f"no facts folder at {config.facts_dir}")
    result = load(config.facts_dir, config.root, args.parser)
    found = sorted(result.diagnostics + checks.run(result.base), key=_order)
    found = [d for d in found if d.code not in config.options.disabled]
    files = len(result.base.files)
    sys.stdout.write(report.render(found, args.format, files))
    if args.format == "text":
        print(report.summary(found, files), file=sys.stderr)
    return EXIT_PROBLEMS if found else EXIT_OK


def _order(d):
    return (d.path, d.line, d.col, d.code)


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

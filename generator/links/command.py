"""`factbase links`: is every source still there, and does it still say what
the facts quote?

collect (every source `url` and `archive_url`, every citation `quote`) ->
check (`linkcheck_run`: exclusions, cache, lock, network; quotes searched on
their pages) -> report (`linkcheck_report`: diagnostics, documented there).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING

from .. import escaping, project, report
from ..config import ConfigError, load_config
from ..diagnostics import Diagnostic, fails_strict
from .store import (LOCK_FILE, Cache, lock_changes, merge_lock, read_exclusions,
                              read_lock, write_lock)

if TYPE_CHECKING:  # the HTTP machinery is imported on use, so other commands start fast
    from .run import Results, RunOptions

EXIT_OK, EXIT_PROBLEMS = 0, 1
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "": 86400}


# --- command -------------------------------------------------------------------

def register(commands) -> None:
    """Add `factbase links` to the CLI's subparsers."""
    links = commands.add_parser(
        "links", help="check every source address and citation quote (network)",
        description="Fetch every source url and archive_url (politely: per-host limits, "
                    "retries, a cache), report dead, moved and unconfirmed addresses, and "
                    "check that each citation's quote is on its page.")
    links.add_argument("--format", choices=report.FORMATS, default="text",
                       help="text (default), json or github annotations")
    links.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                       help="fail on warnings too (--no-strict: only on errors); default: "
                            "the factbase option 'strict' in mkdocs.yml, as for check")
    links.add_argument("--offline", action="store_true",
                       help=f"use only the cache and {LOCK_FILE}; send no request")
    links.add_argument("--update-lock", action="store_true",
                       help=f"write the results to {LOCK_FILE} and list what changed")
    links.add_argument("--ttl", type=duration, default=7 * 86400.0, metavar="DURATION",
                       help="how long a cached result is reused, e.g. 12h, 7d, 0 (default 7d)")
    _network_options(links)
    links.set_defaults(run=cmd_links)


def _network_options(links: argparse.ArgumentParser) -> None:
    add = links.add_argument
    add("--timeout", type=float, default=10.0, metavar="SECONDS",
        help="connect and read timeout (default 10); a whole exchange, from connect "
             "to the last byte, is given up after six times this")
    add("--retries", type=int, default=2,
        help="retries after a 429, 5xx, timeout or temporary DNS failure (default 2)")
    add("--jobs", type=int, default=8, help="requests in flight at once (default 8)")
    add("--per-host", type=int, default=2, help="requests in flight per host (default 2)")
    add("--host-delay", type=float, default=0.5, metavar="SECONDS",
        help="minimum gap between requests to one host (default 0.5)")


def duration(text: str) -> float:
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 30m, 12h, 7d)")
    return float(match[1]) * _UNITS[match[2]]


def run_options(args: argparse.Namespace) -> RunOptions:
    from .http import FetchOptions
    from .run import RunOptions
    if min(args.jobs, args.per_host) < 1 or args.retries < 0 or args.timeout <= 0:
        raise ConfigError("links: --jobs and --per-host must be at least 1, "
                          "--retries at least 0, --timeout above 0")
    fetch = FetchOptions(timeout=args.timeout, retries=args.retries)
    return RunOptions(args.offline, args.ttl, args.jobs, args.per_host, args.host_delay, fetch)


def cmd_links(args: argparse.Namespace) -> int:
    from .report import diagnose, notes, tally
    from .run import check_urls, collect, judge_quotes
    options = run_options(args)
    config = load_config(config_file=getattr(args, "config_file", None))
    checked = project.check(config)
    uses, quotes = collect(checked.base)
    lock, cache = read_lock(config.root), Cache(config.root)
    results = check_urls([u.url for u in uses], read_exclusions(config.root), options,
                         cache, lock)
    quotes = judge_quotes(quotes, results, lock)
    if not options.offline:
        cache.save()
    found = [d for d in diagnose(uses, quotes, results) if d.code not in config.options.disabled]
    strict = report.Strictness.of(config.options.strict, args.strict)
    _print(found, args.format, len(checked.base.files), notes(uses, results), tally(results),
           strict)
    if checked.errors:
        print(f"factbase links: the facts have {len(checked.errors)} error(s); "
              "'factbase check' lists them", file=sys.stderr)
    if args.update_lock:
        _update_lock(config.root, lock, results, args.format)
    failed = any(d.severity == "error" for d in found) or (
        strict.on and any(map(fails_strict, found)))
    return EXIT_PROBLEMS if failed else EXIT_OK


def _print(found: list[Diagnostic], fmt: str, files: int, info: list[str], counts: str,
           strict: report.Strictness) -> None:
    sys.stdout.write(report.render(found, fmt, files))
    for line in info:
        print(escaping.line(f"note: {line}"), file=sys.stderr)
    print(escaping.line(counts), file=sys.stderr)
    if fmt == "text":
        print(report.summary(found, files, strict=strict), file=sys.stderr)


def _update_lock(root, lock: dict, results: Results, fmt: str) -> None:
    new = merge_lock(lock, results.outcomes)
    changes = lock_changes(lock, new)
    write_lock(root, new)
    out = sys.stdout if fmt == "text" else sys.stderr
    print(f"{LOCK_FILE}: {len(changes) or 'no'} change(s)", file=out)
    for line in changes:
        print(escaping.line(f"  {line}"), file=out)

"""`factbase watch`: list the news items that name the base's watched entities
and that no source cites yet (see the package docstring for the stages).

Exit codes: 0 every feed was read (leads or none), 1 a feed could not be read
(its news is unknown), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .. import project
from ..config import ConfigError, WatchFeed, load_config
from .output import FORMATS, render, summary, warnings
from .seen import LOCK_FILE

EXIT_OK, EXIT_PROBLEMS = 0, 1


def register(commands) -> None:
    """Add `factbase watch` to the CLI's subparsers."""
    watch = commands.add_parser(
        "watch", help="list news-feed items about the base's entities that no source cites",
        description="Read the news feeds declared under 'watch: feeds:' in the factbase "
                    "options of mkdocs.yml (and any --feed), and list each item that names a "
                    "watched entity (its name, an alias or a watch term; whole words, any "
                    "case or accents), with the current facts of its ongoing properties to "
                    f"review. Items a source already cites and items in {LOCK_FILE} are "
                    "left out. A feed that cannot be read is a warning and exit 1.")
    add = watch.add_argument
    add("--feed", action="append", default=[], metavar="URL",
        help="also read this feed, for this run (repeatable)")
    add("--format", choices=FORMATS, default="text",
        help="text (default), json, markdown (a job summary or issue body), github annotations")
    add("--update-lock", action="store_true",
        help=f"add the items listed to {LOCK_FILE}, so the next run leaves them out")
    add("--timeout", type=float, default=10.0, metavar="SECONDS",
        help="connect and read timeout per request (default 10)")
    add("--retries", type=int, default=2,
        help="retries after a 429, 5xx, timeout or temporary DNS failure (default 2)")
    add("--deadline", type=float, default=300.0, metavar="SECONDS",
        help="no feed is started after this many seconds (default 300)")
    add("--max-mb", type=int, default=5, metavar="MB",
        help="a feed larger than this is not read (default 5)")
    watch.set_defaults(run=cmd_watch)


def _feeds(declared: tuple[WatchFeed, ...], extra: list[str]) -> tuple[WatchFeed, ...]:
    for url in extra:
        if not url.startswith(("https://", "http://")):
            raise ConfigError(f"watch: --feed must be an http(s) address, not {url!r}")
    feeds = declared + tuple(WatchFeed(url, url) for url in extra)
    if not feeds:
        raise ConfigError("watch: no feeds to read; declare them in mkdocs.yml under "
                          "plugins: - factbase: watch: feeds: [{name: …, url: https://…}], "
                          "or give --feed URL")
    return feeds


def _check_publishers(feeds: tuple[WatchFeed, ...], base) -> None:
    """A misspelt publisher would make every item of its feed a lead: refuse it."""
    for feed in feeds:
        if feed.publisher and feed.publisher not in base.entities:
            raise ConfigError(f"watch: feed {feed.name!r}: publisher {feed.publisher!r} is not "
                              "an entity of the base; give the id of the entity that publishes "
                              "the feed (e.g. esa), or leave publisher out")


def _options(args: argparse.Namespace):
    from ..links.http import FetchOptions
    from .feeds import ReadOptions
    if args.retries < 0 or args.timeout <= 0 or args.deadline <= 0 or args.max_mb < 1:
        raise ConfigError("watch: --retries must be at least 0, --max-mb at least 1, "
                          "--timeout and --deadline above 0")
    fetch = FetchOptions(timeout=args.timeout, retries=args.retries,
                         max_bytes=args.max_mb * 2**20)
    return ReadOptions(fetch, args.deadline)


def cmd_watch(args: argparse.Namespace) -> int:
    from .feeds import read_all
    from .leads import leads
    from .seen import read_lock, updated, write_lock
    config = load_config(config_file=getattr(args, "config_file", None))
    feeds, options = _feeds(config.options.watch.feeds, args.feed), _options(args)
    seen = read_lock(config.root)     # a broken lock is reported before any request
    checked = project.check(config)
    if checked.errors:
        print(f"factbase watch: the facts have {len(checked.errors)} error(s) "
              "('factbase check' lists them); entities or sources in them are missed",
              file=sys.stderr)
    _check_publishers(feeds, checked.base)
    report = leads(checked.base, read_all(feeds, options), seen)
    sys.stdout.write(render(report, args.format))
    for line in warnings(report):
        print(line, file=sys.stderr)
    print(summary(report), file=sys.stderr)
    if args.update_lock:
        write_lock(config.root, updated(seen, report.leads, dt.date.today()))
        print(f"{LOCK_FILE}: {len(report.leads)} item(s) added", file=sys.stderr)
    return EXIT_PROBLEMS if report.problems else EXIT_OK

"""Reading the declared feeds: fetched through the links HTTP session, screened
for XML entities, parsed by feedparser (RSS 0.9x, 1.0 (RDF), 2.0 and Atom).

Each feed gives a `FeedResult`: its items, or a `problem` naming what went
wrong (an address that did not answer, a body over the size cap, a document
that is not a feed, a refused DTD). A problem is never an exception: one bad
feed must not stop the others, nor pass for a feed with nothing new.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import io
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import feedparser

from .. import __version__
from ..config import WatchFeed
from ..links import http
from .model import FeedResult, Item
from .safexml import refusal

USER_AGENT = f"factbase-watch/{__version__} (news feed reader; +https://github.com/)"
ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
          "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class ReadOptions:
    """How politely and how long: per-request limits, and one deadline for the run."""

    fetch: http.FetchOptions = field(default_factory=http.FetchOptions)
    deadline: float = 120.0      # seconds for the whole run; feeds not reached by then warn
    host_delay: float = 0.5


def read_all(feeds: tuple[WatchFeed, ...], options: ReadOptions) -> tuple[FeedResult, ...]:
    """Every feed in turn, through one session; none started after the deadline."""
    session = http.new_session(per_host=1)
    # The links session's headers are a citation checker's; this reader says what it is.
    session.headers.update({"User-Agent": USER_AGENT, "Accept": ACCEPT})
    stop = time.monotonic() + options.deadline
    results = []
    for feed in feeds:
        left = stop - time.monotonic()
        if left <= 0:
            results.append(FeedResult(feed, problem=f"not read: the run's deadline "
                                                    f"({options.deadline:.0f} s) had passed"))
            continue
        results.append(_within(feed, min(left, _feed_limit(options)), options, session))
    session.close()
    return tuple(results)


def _feed_limit(options: ReadOptions) -> float:
    """Wall-clock seconds one feed may take: every attempt's connect, read and body."""
    fetch = options.fetch
    return fetch.timeout * 7 * (fetch.retries + 1) + fetch.max_wait * fetch.retries


def _within(feed: WatchFeed, limit: float, options: ReadOptions, session) -> FeedResult:
    """`read` on a worker thread, given up after `limit` seconds. The HTTP reader
    times out a silent server, but a server that trickles a byte a second never
    falls silent; a daemon thread left behind ends with the process."""
    done: list[FeedResult] = []
    # A limiter of its own: an abandoned request must not hold the host's slot.
    limiter = http.HostLimiter(per_host=1, gap=options.host_delay)

    def work() -> None:
        try:
            done.append(read(feed, options.fetch, limiter, session))
        except Exception as err:  # a parser's bug is this feed's warning, not the run's end
            done.append(FeedResult(feed, problem=f"could not be read ({type(err).__name__}: "
                                                 f"{err})"))
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(limit)
    if done:
        return done[0]
    return FeedResult(feed, problem=f"did not arrive within {limit:.0f} s (a server sending "
                                    "too slowly, or never ending); not read")


def read(feed: WatchFeed, options: http.FetchOptions, limiter: http.HostLimiter,
         session) -> FeedResult:
    fetched = http.fetch(feed.url, options, limiter, session)
    last = fetched.last
    if fetched.loop:
        return FeedResult(feed, problem="its redirects go round in a loop")
    if last.failure:
        return FeedResult(feed, problem=f"could not be fetched: {last.failure}")
    if last.status != 200:
        return FeedResult(feed, problem=f"answered HTTP {last.status}, not a feed")
    if len(last.body) >= options.max_bytes:
        return FeedResult(feed, problem=f"is larger than {options.max_bytes // 2**20} MB "
                                        "(or never ends); not read")
    return parse(feed, last.body, last.header("content-type"), fetched.final_url)


def parse(feed: WatchFeed, body: bytes, content_type: str = "", base: str = "") -> FeedResult:
    """A fetched body's items; the body is screened before feedparser sees it."""
    refused = refusal(body)
    if refused:
        return FeedResult(feed, problem=refused)
    headers = {"content-location": base or feed.url}
    if content_type:
        headers["content-type"] = content_type
    # A stream, never bytes: feedparser would try bytes as a file name first.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers,
                              sanitize_html=True, resolve_relative_uris=True)
    items = tuple(_item(feed, entry) for entry in parsed.entries)
    if not items and (parsed.bozo or not parsed.version):
        why = _bozo(parsed) or "no RSS or Atom root element"
        return FeedResult(feed, problem=f"is not a readable RSS or Atom feed ({why})")
    note = f"is not well-formed XML ({_bozo(parsed)}); read leniently" if parsed.bozo else ""
    return FeedResult(feed, items, note=note)


def _bozo(parsed) -> str:
    err = parsed.get("bozo_exception")
    if err is None:
        return ""
    line = getattr(err, "getLineNumber", lambda: None)()
    text = getattr(err, "getMessage", lambda: str(err))()
    return f"line {line}: {text}" if line else str(text)


def _item(feed: WatchFeed, entry) -> Item:
    title = plain(entry.get("title", ""))
    link = entry.get("link", "") or ""
    if urlsplit(link).scheme.lower() not in ("http", "https") or not urlsplit(link).netloc:
        link = ""
    key = (entry.get("id") or "").strip() or link or f"{feed.name}: {title}"
    return Item(feed.name, title, link, plain(entry.get("summary", "")), key,
                _published(entry))


def plain(text: str) -> str:
    """Text without markup or runs of white space (feedparser has sanitised it)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def _published(entry) -> str:
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    if not when:
        return ""
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(when), dt.UTC).date().isoformat()
    except (OverflowError, ValueError, OSError):
        return ""

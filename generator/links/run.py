"""The check stage of `factbase links`: every address to an `Outcome`, every
quote to a verdict.

An address is answered, in order, by an exclusion, the cache (within its
time-to-live, or at any age offline), the lock (offline only), or the network
(a thread pool, each request through the per-host limiter).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from typing import TextIO
from collections.abc import Iterable, Iterator

from .http import GONE, PERMANENT, FetchOptions, Fetched, HostLimiter, fetch, new_session
from .store import Cache, Exclusion, Outcome, excluded
from .text import contains, content_hash, quote_key, read_page
from ..model import FactBase, Source, Span

NO_RESULT = "--offline, and neither the cache nor the lock has a result for it"


@dataclass(frozen=True)
class Use:
    """One place a source writes an address."""

    url: str
    source: Source
    field: str     # "url" or "archive_url"


@dataclass(frozen=True)
class Quoted:
    """One citation quote, the source it quotes, and the verdict on it."""

    source: Source
    quote: str
    span: Span
    page: str | None = None      # the address whose text was searched
    verdict: str | None = None


@dataclass(frozen=True)
class RunOptions:
    offline: bool = False
    ttl: float = 7 * 86400.0      # seconds a cached result stays fresh
    jobs: int = 8                 # requests in flight at once, all hosts together
    per_host: int = 2             # requests in flight at once to one host
    gap: float = 0.5              # seconds between request starts to one host
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass
class Results:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)     # url -> normalised page text
    fetched: int = 0
    cached: int = 0


# --- collect: the addresses and quotes of a fact base ------------------------

def collect(base: FactBase) -> tuple[list[Use], list[Quoted]]:
    uses = [Use(url, source, name) for source in base.sources.values()
            for name, url in (("url", source.url), ("archive_url", source.archive_url)) if url]
    quotes = [Quoted(base.sources[c.source], c.quote, c.spans.get("quote", c.span))
              for c in _citations(base) if c.quote and c.source in base.sources]
    return uses, quotes


def _citations(base: FactBase) -> Iterator:
    for record in (*base.facts.values(), *base.rules.values()):
        yield from record.citations


# --- check: every address to an outcome --------------------------------------

def check_urls(urls: Iterable[str], exclusions: tuple[Exclusion, ...], options: RunOptions,
               cache: Cache, lock: dict[str, Outcome], out: TextIO | None = None) -> Results:
    results, pending = Results(), []
    for url in sorted(set(urls)):
        if not _answer(url, exclusions, options, cache, lock, results):
            pending.append(url)
    _fetch_all(pending, options, cache, results, Progress(len(pending), out or sys.stderr))
    return results


def _answer(url: str, exclusions, options: RunOptions, cache: Cache, lock, results) -> bool:
    """Settle an address without the network, if it can be."""
    rule = excluded(url, exclusions)
    cached = None if rule else cache.get(url, None if options.offline else options.ttl)
    if rule:
        results.outcomes[url] = Outcome("excluded", reason=rule.reason)
    elif cached:
        results.outcomes[url], results.cached = cached, results.cached + 1
        text = cache.text(cached)
        if text is not None:
            results.texts[url] = text
    elif options.offline:
        results.outcomes[url] = lock.get(url) or Outcome("unchecked", reason=NO_RESULT)
    return rule is not None or cached is not None or options.offline


def _fetch_all(urls: list[str], options: RunOptions, cache: Cache, results: Results,
               progress: Progress) -> None:
    limiter = HostLimiter(options.per_host, options.gap)
    today = dt.date.today().isoformat()
    with new_session(options.per_host) as session, \
            ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        futures = {pool.submit(fetch, url, options.fetch, limiter, session): url for url in urls}
        for future in as_completed(futures):
            outcome, text = outcome_of(future.result(), today)
            url = futures[future]
            results.outcomes[url], results.fetched = outcome, results.fetched + 1
            if text is not None:
                results.texts[url] = text
            cache.put(url, outcome, text)
            progress.step(url, outcome)
    progress.done()


def outcome_of(fetched: Fetched, today: str) -> tuple[Outcome, str | None]:
    last, final = fetched.last, fetched.final_url
    base = Outcome("soft", last.status or None, final, None, None, today)
    if fetched.loop:
        return replace(base, status="loop",
                       reason=f"redirect loop ({len(fetched.hops)} redirects)"), None
    if last.failure:
        return replace(base, status=last.verdict, reason=last.failure), None
    if 200 <= last.status < 300:
        text, reason = read_page(last.body, last.header("content-type"))
        return replace(base, status="ok", moved_to=moved_to(fetched), reason=reason,
                       content_hash=content_hash(text) if text is not None else None), text
    if last.status in GONE:
        return replace(base, status="gone", reason=f"HTTP {last.status}"), None
    return replace(base, reason=_soft_reason(last.status)), None


def _soft_reason(status: int) -> str:
    if status == 429:
        return "rate limited (HTTP 429) after every retry"
    if status >= 500:
        return f"server error (HTTP {status}) after every retry"
    return f"the server refused the check (HTTP {status})"


def moved_to(fetched: Fetched) -> str | None:
    """Where the leading permanent redirects point: the address to write instead."""
    target = None
    for status, location in fetched.hops:
        if status not in PERMANENT:
            break
        target = location
    return target


# --- quotes: each searched on its source's page ------------------------------

def judge_quotes(quotes: list[Quoted], results: Results, lock: dict) -> list[Quoted]:
    """Search each quote on its source's page (the archive copy if the page is gone)."""
    judged, verdicts = [], {}
    for item in quotes:
        page = _readable_page(item.source, results)
        verdict = judge(page, item.quote, results, lock) if page else None
        if page:
            verdicts.setdefault(page, {})[quote_key(item.quote)] = verdict
        judged.append(Quoted(item.source, item.quote, item.span, page, verdict))
    record_verdicts(results, verdicts)
    return judged


def _readable_page(source: Source, results: Results) -> str | None:
    for url in (source.url, source.archive_url):
        if url and results.outcomes[url].status == "ok":
            return url
    return None


def judge(url: str, quote: str, results: Results, lock: dict[str, Outcome]) -> str:
    """found | missing | drifted | unverifiable | unknown."""
    outcome, text, key = results.outcomes[url], results.texts.get(url), quote_key(quote)
    if text is not None:
        return "found" if contains(text, quote) else _missing(lock.get(url), outcome, key)
    if outcome.status == "ok" and outcome.content_hash is None:
        return "unverifiable"
    return outcome.quotes.get(key, "unknown")


def _missing(before: Outcome | None, now: Outcome, key: str) -> str:
    was = before.quotes.get(key) if before else None
    if was == "drifted" or (was == "found" and before.content_hash != now.content_hash):
        return "drifted"
    return "missing"


def record_verdicts(results: Results, verdicts: dict[str, dict[str, str]]) -> None:
    """Store each address's quote verdicts on its outcome (for the lock)."""
    for url, outcome in results.outcomes.items():
        known = {k: v for k, v in verdicts.get(url, {}).items() if v != "unknown"}
        results.outcomes[url] = replace(outcome, quotes=known)


# --- progress ------------------------------------------------------------------

class Progress:
    """One updating line on a terminal; plain lines in CI or when piped."""

    def __init__(self, total: int, out: TextIO) -> None:
        self.total, self.out, self.count = total, out, 0
        self.live = out.isatty() and not os.environ.get("CI")

    def step(self, url: str, outcome: Outcome) -> None:
        self.count += 1
        label = outcome.status if outcome.status != "soft" else "unsure"
        if self.live:
            self.out.write(f"\r\033[Klinks: [{self.count}/{self.total}] {label} {url[:70]}")
        else:
            self.out.write(f"links: [{self.count}/{self.total}] {label} {url}\n")
        self.out.flush()

    def done(self) -> None:
        if self.live and self.count:
            self.out.write("\r\033[K")
            self.out.flush()

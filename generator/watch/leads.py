"""From the feeds' items to leads: matched, then less what is cited or seen."""

from __future__ import annotations

from ..model import FactBase
from .matching import Index
from .model import FeedResult, Lead, Report
from .seen import address, cited


def leads(base: FactBase, feeds: tuple[FeedResult, ...], seen: dict[str, dict],
          index: Index | None = None) -> Report:
    index = index or Index(base)
    known = cited(base)
    found, n_cited, n_seen, keys = [], 0, 0, set()
    for result in feeds:
        for item in result.items:
            hits = index.match((item.title, item.summary), result.feed.publisher)
            if not hits or item.key in keys:   # the same item in two feeds: listed once
                continue
            keys.add(item.key)
            if item.link and address(item.link) in known:
                n_cited += 1
            elif item.key in seen:
                n_seen += 1
            else:
                found.append(Lead(item, hits))
    return Report(tuple(found), feeds, n_cited, n_seen)

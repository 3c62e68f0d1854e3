"""The values passed between the stages of `factbase watch`."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import WatchFeed


@dataclass(frozen=True)
class Item:
    """One entry of a feed, as the feed wrote it (untrusted text throughout)."""

    feed: str           # the feed's name, from mkdocs.yml or --feed
    title: str
    link: str           # "" when the entry has no http(s) link
    summary: str        # plain text: markup removed
    key: str            # what the lock remembers it by: its id, else its link, else its title
    published: str = ""  # ISO date, when the feed gives one


@dataclass(frozen=True)
class FeedResult:
    """A feed's items, or why it could not be read (`problem`)."""

    feed: WatchFeed
    items: tuple[Item, ...] = ()
    problem: str = ""    # "" when read; else a warning naming what went wrong
    note: str = ""       # read, but with something to say (a lenient parse)


@dataclass(frozen=True)
class Review:
    """A current fact of an ongoing property: what a lead may call into question."""

    fact: str
    statement: str
    where: str           # path:line of the fact


@dataclass(frozen=True)
class Hit:
    """An entity an item names, the words that named it, and its facts to review."""

    entity: str
    name: str
    terms: tuple[str, ...]
    reviews: tuple[Review, ...] = ()


@dataclass(frozen=True)
class Lead:
    """An item that names watched entities and that no source cites yet."""

    item: Item
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Report:
    """One run: the leads, the feeds' problems and what was left out."""

    leads: tuple[Lead, ...]
    feeds: tuple[FeedResult, ...]
    cited: int = 0        # matching items left out because a source cites their link
    seen: int = 0         # matching items left out because watch.lock.json has them

    @property
    def problems(self) -> tuple[FeedResult, ...]:
        return tuple(f for f in self.feeds if f.problem)

    @property
    def items(self) -> int:
        return sum(len(f.items) for f in self.feeds)

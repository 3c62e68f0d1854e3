"""Which watched entities an item names: whole words, any case, any accents.

Text is folded (NFKD, accents dropped, case folded) and cut into words
(`\\w+`), and so is every name, alias and watch term; a term matches where
its words appear in a row. "Smile" matches "SMILE's" and "smile", not
"smiles" or "Smiley"; "H.R. 8845" matches "H.R.8845" (the same words).

An entity is watched when something about it can go out of date (it has a
current fact of an `ongoing: true` property) or it declares `watch_terms:`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from ..model import Entity, FactBase, Status
from .model import Hit, Review

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    text: str        # as the entity file writes it
    entity: str


class Index:
    """Every watched entity's terms, keyed by their first word."""

    def __init__(self, base: FactBase) -> None:
        self.reviews = reviews(base)
        self.entities = {e.id: e for e in base.entities.values()
                         if e.watch_terms or e.id in self.reviews}
        self._first: dict[str, list[Term]] = defaultdict(list)
        for entity in self.entities.values():
            for text in dict.fromkeys(terms(entity)):
                found = words(text)
                if found:
                    self._first[found[0]].append(Term(found, text, entity.id))

    def match(self, texts: tuple[str, ...], publisher: str | None = None) -> tuple[Hit, ...]:
        """The entities the texts name (not the feed's own publisher), by first mention.
        Each text on its own: a name never runs from a title into a summary."""
        found: dict[str, list[str]] = {}
        for seq in map(words, texts):
            for at, word in enumerate(seq):
                for term in self._first.get(word, ()):
                    if term.entity != publisher and seq[at:at + len(term.words)] == term.words:
                        named = found.setdefault(term.entity, [])
                        if term.text not in named:
                            named.append(term.text)
        return tuple(Hit(e, self.entities[e].name, tuple(named), self.reviews.get(e, ()))
                     for e, named in found.items())


def terms(entity: Entity) -> tuple[str, ...]:
    return (entity.name, *entity.aliases, *entity.watch_terms)


def reviews(base: FactBase) -> dict[str, tuple[Review, ...]]:
    """Each entity's current facts of ongoing properties: what news may overtake."""
    found: dict[str, list[Review]] = defaultdict(list)
    for fact in base.facts.values():
        prop = base.properties.get(fact.property)
        if prop is not None and prop.ongoing and fact.status is Status.CURRENT:
            statement = fact.statement or f"{prop.label}: {fact.object or fact.value}"
            found[fact.subject].append(Review(fact.id, statement,
                                              f"{fact.span.path}:{fact.span.line}"))
    return {subject: tuple(items) for subject, items in found.items()}

"""What every check reads: the base, today's date, the editor's choices in
mkdocs.yml that checks hold facts to, and shared lookups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Fact, FactBase, PartialDate, Property, Status
from ..loading.schema import FieldError
from ..values import typed_value


@dataclass
class Context:
    base: FactBase
    today: dt.date
    key_facts: tuple[str, ...] = ()     # mkdocs.yml's `key_facts:` (fact ids)
    featured: tuple[str, ...] = ()      # mkdocs.yml's `featured:` (entity ids)
    # Ids of invalid records (reported where defined): they exist, so naming them is no error.
    broken: frozenset[str] = frozenset()
    superseded_by: dict[str, list[Fact]] = field(default_factory=dict)

    @classmethod
    def of(cls, base: FactBase, today: dt.date, key_facts: tuple[str, ...] = (),
           featured: tuple[str, ...] = (), broken: frozenset[str] = frozenset()) -> Context:
        context = cls(base, today, tuple(key_facts), tuple(featured), frozenset(broken))
        for fact in base.facts.values():
            for old in fact.supersedes:
                context.superseded_by.setdefault(old, []).append(fact)
        return context

    @property
    def today_tuple(self) -> tuple[int, int, int]:
        return (self.today.year, self.today.month, self.today.day)

    def prop(self, fact: Fact) -> Property | None:
        return self.base.properties.get(fact.property)

    def is_current(self, fact: Fact) -> bool:
        return fact.status is Status.CURRENT and fact.id not in self.superseded_by

    def date_value(self, fact: Fact) -> PartialDate | None:
        """The fact's value as a date, if its property holds dates and it parses."""
        prop = self.prop(fact)
        if prop is None or prop.value_type != "date" or fact.value is None:
            return None
        try:
            return typed_value(fact.value, "date")
        except FieldError:
            return None

    def value_key(self, fact: Fact) -> object:
        """What the fact says, comparable across facts: the object or the typed value."""
        if fact.object is not None:
            return ("object", fact.object)
        prop = self.prop(fact)
        try:
            return ("value", typed_value(fact.value, prop.value_type) if prop else fact.value)
        except FieldError:
            return ("value", fact.value)

    def sources_of(self, fact: Fact) -> str:
        return ", ".join(dict.fromkeys(c.source for c in fact.citations)) or "no source"


def overlaps(a: Fact, b: Fact) -> bool:
    """Whether two facts' validity intervals share a day (open ends are unbounded)."""
    a_from = a.valid_from.earliest() if a.valid_from else (0, 0, 0)
    b_from = b.valid_from.earliest() if b.valid_from else (0, 0, 0)
    a_until = a.valid_until.latest() if a.valid_until else (9999, 12, 31)
    b_until = b.valid_until.latest() if b.valid_until else (9999, 12, 31)
    return a_from <= b_until and b_from <= a_until

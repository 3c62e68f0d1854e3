"""Nothing has happened after today.

E712: date in the future
    A source cannot have been published or checked after today, a fact cannot
    be true "as of" a day still to come, and an event (a date-valued property
    that is not a plan) cannot have happened yet. Plans may lie in the future.

    Fails:

        published: 2031-01-01

    Passes:

        published: 2024-04-30

    Fix: correct the date; for something expected, use a plan property.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import PartialDate, Span
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    today = context.today_tuple
    for source in context.base.sources.values():
        for name in ("published", "accessed"):
            yield from _future(getattr(source, name), source.spans.get(name, source.span),
                               name, today)
    for fact in context.base.facts.values():
        for name in ("as_of", "valid_from"):
            yield from _future(getattr(fact, name), fact.at(name), name, today)
        prop = context.prop(fact)
        if prop and not prop.plan_for:
            yield from _future(context.date_value(fact), fact.at("value"), prop.label, today)


def _future(date: PartialDate | None, span: Span, what: str,
            today: tuple[int, int, int]) -> Iterator[Diagnostic]:
    if date and date.earliest() > today:
        yield Diagnostic.at(span, "E712", f"{what} {date} is in the future",
                            "a plan belongs in a plan property (one with plan_for)")

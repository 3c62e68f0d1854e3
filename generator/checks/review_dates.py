"""Facts can ask to be re-checked, and facts about a state that can change must.

W716: due for review
    The fact's `review_after` date has passed: check it against its sources
    again, then move the date on (or remove it).

    Fails:

        review_after: 2026-06-01     # today is later

    Passes:

        review_after: 2027-06-01

    Fix: re-check the fact, then update `review_after`.

    A reminder: it depends on today's date, not on the files, so it is
    reported but never fails the check, even in a strict project.

W765: ongoing state without a review date
    The fact's property is declared `ongoing: true` in the vocabulary: its
    facts describe a state that can change without anything in the base
    changing (a mission's status, a plan, the law in force). A current fact of
    such a property needs a `review_after` date, so that W716 and
    `factbase review` remind an editor to check it is still true. Superseded
    and disputed facts need none.

    Fails:

        - id: smile-status
          property: status-report     # declared ongoing: true
          value: In its science orbit.
          as_of: 2026-06-25

    Passes:

        - id: smile-status
          property: status-report
          value: In its science orbit.
          as_of: 2026-06-25
          review_after: 2027-03-01

    Fix: add `review_after:` with the date by which the state should be
    checked again (a few months after its `as_of`, or after today).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Fact, FactBase, PartialDate
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for fact in context.base.facts.values():
        if fact.review_after and is_due(fact, context.today):
            yield Diagnostic.at(fact.at("review_after"), "W716",
                                f"'{fact.id}' was due for review after {fact.review_after}")
        prop = context.prop(fact)
        # A review_after that did not read as a date is an error already (E205).
        given = "review_after" in fact.spans
        if prop and prop.ongoing and not given and context.is_current(fact):
            yield Diagnostic.at(fact.span, "W765",
                                f"'{fact.id}' describes an ongoing state but has no "
                                f"review_after date; add one so an editor re-checks it",
                                "e.g. 'review_after: YYYY-MM-DD', a few months ahead")


def is_due(fact: Fact, on: dt.date) -> bool:
    """Due once the whole of its review_after date (a year, a month or a day) is past."""
    return fact.review_after is not None and fact.review_after.latest() < on.timetuple()[:3]


def last_day(date: PartialDate) -> dt.date:
    """The last calendar day a date can mean: 2027-02 is 28 February 2027."""
    year, month, day = date.latest()
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def schedule(base: FactBase, today: dt.date, within: int) -> list[tuple[Fact, bool]]:
    """Facts due for review today, or due within `within` days: (fact, due
    now), by date. The same test as W716, so `factbase review` and `check` agree."""
    later = today + dt.timedelta(days=min(within, (dt.date.max - today).days))  # no overflow
    found = [(fact, is_due(fact, today)) for fact in base.facts.values() if is_due(fact, later)]
    return sorted(found, key=lambda item: (item[0].review_after.latest(), item[0].span.path,
                                           item[0].span.line))

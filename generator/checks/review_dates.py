"""Facts can ask to be re-checked.

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
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for fact in context.base.facts.values():
        if fact.review_after and fact.review_after.latest() < context.today_tuple:
            yield Diagnostic.at(fact.at("review_after"), "W716",
                                f"'{fact.id}' was due for review after {fact.review_after}")

"""Validity periods run forwards.

E711: valid_until before valid_from
    A fact cannot stop holding before it starts.

    Fails:

        valid_from: 2026-05-19
        valid_until: 2025

    Passes:

        valid_from: 2025
        valid_until: 2026-05-19

    Fix: swap or correct the dates.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for fact in context.base.facts.values():
        start, end = fact.valid_from, fact.valid_until
        if start and end and end.latest() < start.earliest():
            yield Diagnostic.at(fact.at("valid_until"), "E711",
                                f"valid_until {end} is before valid_from {start} "
                                f"(line {fact.at('valid_from').line})",
                                related=(fact.at("valid_from"),))

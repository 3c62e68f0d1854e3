"""A fact's `as_of` date is when a cited source said it.

W714: as_of before the source was published
    `as_of` records when the statement was made. A source published later
    cannot have made it then; usually `as_of` should be the publication date,
    or the fact is history that a later source reports (then say so with
    `ignore: {code: W714, reason: …}`).

    Fails:

        as_of: 2016
        cite:
          - source: spacenews-2023     # published 2023

    Passes:

        as_of: 2023-03-01
        cite:
          - source: spacenews-2023

    Fix: use the publication date, or document the exception with `ignore:`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    sources = context.base.sources
    for fact in context.base.facts.values():
        if fact.as_of is None:
            continue
        for citation in fact.citations:
            source = sources.get(citation.source)
            if source and source.published and fact.as_of.latest() < source.published.earliest():
                yield Diagnostic.at(fact.at("as_of"), "W714",
                                    f"as_of {fact.as_of} is before '{source.id}' was published "
                                    f"({source.published})", related=(source.span,))
                break

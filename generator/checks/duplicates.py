"""Each fact is stated once.

E753: duplicate fact
    Two facts say exactly the same thing: same subject, property, value,
    status and dates. Keep one and give it both citations.

    Fails:

        - id: smile-launch-vehicle
          property: launch-vehicle
          object: vega-c
        - id: smile-rocket
          property: launch-vehicle
          object: vega-c

    Passes:

        - id: smile-launch-vehicle
          property: launch-vehicle
          object: vega-c
          cite:
            - source: esa-launch-contract-2024
              locator: image caption
            - source: cas-smile-launch-2026
              locator: first paragraph

    Fix: merge the two facts, keeping every citation.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, place
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    seen: dict[tuple, object] = {}
    for fact in sorted(context.base.facts.values(), key=lambda f: f.span):
        key = (fact.subject, fact.property, context.value_key(fact), fact.status,
               fact.as_of, fact.valid_from, fact.valid_until)
        first = seen.setdefault(key, fact)
        if first is not fact:
            yield Diagnostic.at(fact.span, "E753",
                                f"'{fact.id}' repeats '{first.id}' ({place(first.span, fact.span)})",
                                "merge them into one fact with both citations",
                                related=(first.span,))

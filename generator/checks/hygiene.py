"""Everything in the base is used.

W751: source never cited
    A source that no fact or rule cites adds nothing a reader can check.

    Fails:

        sources:
          - id: forgotten-report      # no citation names it

    Passes:

        sources:
          - id: forgotten-report
        ...
        cite:
          - source: forgotten-report
            locator: section 2

    Fix: cite it, or remove it.

W752: entity without facts
    An entity that no fact is about or points to, and that publishes no
    source, gets an empty page.

    Fails:

        entities:
          - id: lonely-agency

    Passes:

        entities:
          - id: lonely-agency
        ...
        subject: lonely-agency
        facts: [...]

    Fix: add a fact about it, or remove it.

W733: disputed fact without a note
    A disputed value should say what it conflicts with and who says what.

    Fails:

        status: disputed

    Passes:

        status: disputed
        note: China Minutes gives 19 July; every other report gives 19 May.

    Fix: add a `note:`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Status
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    base = context.base
    cited = {c.source for f in base.facts.values() for c in f.citations}
    cited |= {c.source for r in base.rules.values() for c in r.citations}
    for source in base.sources.values():
        if source.id not in cited:
            yield Diagnostic.at(source.span, "W751", f"source '{source.id}' is never cited")
    used = {f.subject for f in base.facts.values()} | {f.object for f in base.facts.values()}
    used |= {s.publisher for s in base.sources.values()}
    for entity in base.entities.values():
        if entity.id not in used:
            yield Diagnostic.at(entity.span, "W752", f"entity '{entity.id}' has no facts")
    for fact in base.facts.values():
        if fact.status is Status.DISPUTED and not fact.note:
            yield Diagnostic.at(fact.at("status"), "W733",
                                f"disputed fact '{fact.id}' has no note saying what it "
                                "conflicts with")

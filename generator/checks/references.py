"""References: every id a record names must exist.

E302: unknown source
    A citation names a source id that no file in facts/sources/ defines.

    Fails:

        cite:
          - source: esa-smile-factshet
            locator: introduction

    Passes:

        cite:
          - source: esa-smile-factsheet
            locator: introduction

    Fix: correct the id (the message suggests the closest one), or add the source.

E303: unknown entity
    A fact's subject or object, or a source's publisher, is not a defined entity.

    Fails:

        subject: smiley

    Passes:

        subject: smile

    Fix: correct the id, or add the entity to facts/entities/.

E304: unknown property
    A fact uses a property the vocabulary does not define, or a property
    names an unknown `inverse` or `plan_for`.

    Fails:

        property: partners

    Passes:

        property: partner

    Fix: use a property from facts/properties/, or declare a new one there.

E305: unknown fact
    `supersedes` names a fact id that does not exist.

    Fails:

        supersedes: [smile-plan-2025]

    Passes:

        supersedes: [smile-plan-late-2025]

    Fix: name the id of the fact this one replaces.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, did_you_mean
from ..model import Span
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    base = context.base
    for source in base.sources.values():
        yield from _missing(source.publisher, base.entities, source.spans["publisher"],
                            "E303", "entity")
    for prop in base.properties.values():
        for name in ("inverse", "plan_for"):
            yield from _missing(getattr(prop, name), base.properties,
                                prop.spans.get(name, prop.span), "E304", "property")
    for fact in base.facts.values():
        yield from _missing(fact.subject, base.entities, fact.at("subject"), "E303", "entity")
        yield from _missing(fact.property, base.properties, fact.at("property"), "E304",
                            "property")
        yield from _missing(fact.object, base.entities, fact.at("object"), "E303", "entity")
        for target in fact.supersedes:
            yield from _missing(target, base.facts, fact.at("supersedes"), "E305", "fact")
        for citation in fact.citations:
            yield from _missing(citation.source, base.sources, citation.spans["source"],
                                "E302", "source")


def _missing(ident: str | None, known: dict, span: Span, code: str,
             what: str) -> Iterator[Diagnostic]:
    if ident is not None and ident not in known:
        yield Diagnostic.at(span, code, f"unknown {what} '{ident}'", did_you_mean(ident, known))

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

E306: unknown entity type
    An entity's `type`, or a property's `subject_types` or `object_types`,
    names a type that no section declares. Types are declared in the
    `sections:` list of a file in facts/properties/, each in one section.

    Fails:

        - id: smile
          type: misison
          name: Smile

    Passes:

        - id: smile
          type: mission
          name: Smile

    Fix: correct the type (the message suggests the closest one), or add it
    to the `types` of a section.

E307: unknown source kind
    A source's `kind` is not one of the kinds declared in the
    `source_kinds:` list of a file in facts/properties/.

    Fails:

        kind: tweet

    Passes:

        kind: news

    Fix: use a declared kind, or declare the new kind there (with its label
    and whether it is a primary source).

E308: type in two sections
    Each entity type belongs to exactly one section: its entities' pages are
    in that section's folder. The message names the section that already has it.

    Fails:

        sections:
          - {id: missions, title: Missions, types: [mission]}
          - {id: probes, title: Probes, types: [probe, mission]}

    Passes:

        sections:
          - {id: missions, title: Missions, types: [mission]}
          - {id: probes, title: Probes, types: [probe]}

    Fix: remove the type from one of the sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from functools import partial

from ..diagnostics import Diagnostic, did_you_mean, place
from ..model import Section, Span
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    base = context.base
    # An invalid record's id exists (its own error is reported where it is
    # defined): naming it is no second error, and no wrong "did you mean".
    _missing = partial(_missing_id, broken=context.broken)
    yield from _types_in_two_sections(base.sections.values())
    types, kinds = base.section_of_type(), base.source_kinds
    for source in base.sources.values():
        yield from _missing(source.publisher, base.entities, source.spans["publisher"],
                            "E303", "entity")
        yield from _undeclared(source.kind, kinds, source.spans["kind"], "E307",
                               "source kind", "source_kinds")
    for entity in base.entities.values():
        yield from _undeclared(entity.type, types, entity.spans["type"], "E306",
                               "entity type", "sections")
    for prop in base.properties.values():
        for name in ("inverse", "plan_for"):
            yield from _missing(getattr(prop, name), base.properties,
                                prop.spans.get(name, prop.span), "E304", "property")
        for name in ("subject_types", "object_types"):
            for kind in getattr(prop, name):
                yield from _undeclared(kind, types, prop.spans.get(name, prop.span), "E306",
                                       "entity type", "sections")
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


def _types_in_two_sections(sections: Iterable[Section]) -> Iterator[Diagnostic]:
    owner: dict[str, Section] = {}
    for section in sections:
        for kind in section.types:
            first = owner.setdefault(kind, section)
            if first is not section:
                where, here = first.spans.get("types", first.span), section.spans.get(
                    "types", section.span)
                yield Diagnostic.at(here, "E308",
                                    f"type '{kind}' is in two sections: '{first.id}' "
                                    f"({place(where, here)}) and '{section.id}'",
                                    "each type belongs to one section: remove it from one",
                                    related=(where,))


def _undeclared(ident: str, known: Mapping, span: Span, code: str, what: str,
                listing: str) -> Iterator[Diagnostic]:
    """A kind of thing the base does not declare; with nothing declared at all,
    the hint says where declarations go rather than suggesting nothing."""
    if ident in known:
        return
    hint = (did_you_mean(ident, known) or "declared: " + ", ".join(known)) if known else (
        f"this base declares no {what}s: list them under '{listing}:' in a file in "
        "facts/properties/ (see the fact-format page)")
    yield Diagnostic.at(span, code, f"unknown {what} '{ident}'", hint)


def _missing_id(ident: str | None, known: dict, span: Span, code: str, what: str,
                broken: frozenset[str] = frozenset()) -> Iterator[Diagnostic]:
    if ident is not None and ident not in known and ident not in broken:
        yield Diagnostic.at(span, code, f"unknown {what} '{ident}'", did_you_mean(ident, known))

"""References: every id a record names must exist (E302-E305)."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, did_you_mean
from ..model import FactBase, Span


def check(base: FactBase) -> Iterator[Diagnostic]:
    yield from _sources(base)
    yield from _properties(base)
    yield from _facts(base)


def _missing(ident: str | None, known: dict, span: Span, code: str, what: str) -> Iterator[Diagnostic]:
    if ident is not None and ident not in known:
        yield Diagnostic.at(span, code, f"unknown {what} '{ident}'", did_you_mean(ident, known))


def _sources(base: FactBase) -> Iterator[Diagnostic]:
    for source in base.sources.values():
        yield from _missing(source.publisher, base.entities, source.spans["publisher"],
                            "E303", "entity")


def _properties(base: FactBase) -> Iterator[Diagnostic]:
    for prop in base.properties.values():
        for name in ("inverse", "plan_for"):
            ref = getattr(prop, name)
            yield from _missing(ref, base.properties, prop.spans.get(name, prop.span),
                                "E304", "property")


def _facts(base: FactBase) -> Iterator[Diagnostic]:
    for fact in base.facts.values():
        yield from _missing(fact.subject, base.entities, fact.at("subject"), "E303", "entity")
        yield from _missing(fact.property, base.properties, fact.at("property"), "E304", "property")
        yield from _missing(fact.object, base.entities, fact.at("object"), "E303", "entity")
        for target in fact.supersedes:
            yield from _missing(target, base.facts, fact.at("supersedes"), "E305", "fact")
        for citation in fact.citations:
            yield from _missing(citation.source, base.sources, citation.spans["source"],
                                "E302", "source")

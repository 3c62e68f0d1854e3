"""Inverse and symmetric properties: both directions of a relation agree.

E702: inverse facts contradict each other
    `carries-instrument` and `instrument-of` say the same thing backwards. If
    Smile carries SXI, SXI cannot be the instrument of another mission when
    `instrument-of` is single-valued. The same holds for a symmetric property
    stated from both ends. Both lines are reported.

    Fails:

        # smile.yaml                      # sxi.yaml
        - property: carries-instrument    - property: instrument-of
          object: sxi                       object: double-star

    Passes:

        # smile.yaml                      # sxi.yaml
        - property: carries-instrument    - property: instrument-of
          object: sxi                       object: smile

    Fix: correct whichever side is wrong (stating only one side is fine too).

E703: inverse declarations disagree
    If property A names B as its inverse, B must name A (or nothing).

    Fails:

        - id: carries-instrument
          inverse: instrument-of
        - id: instrument-of
          inverse: partner

    Passes:

        - id: carries-instrument
          inverse: instrument-of
        - id: instrument-of
          inverse: carries-instrument

    Fix: make the two declarations point at each other.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, place
from ..model import Fact
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    yield from _declarations(context)
    stated: dict[tuple[str, str], list[Fact]] = {}
    for fact in context.base.facts.values():
        if fact.object and context.is_current(fact):
            stated.setdefault((fact.subject, fact.property), []).append(fact)
    for fact in context.base.facts.values():
        prop = context.prop(fact)
        if not (prop and fact.object and context.is_current(fact)):
            continue
        backwards = prop.id if prop.symmetric else prop.inverse
        reverse = context.base.properties.get(backwards) if backwards else None
        if reverse is None or not reverse.single:
            continue
        for other in stated.get((fact.object, reverse.id), ()):
            if other.object != fact.subject and other is not fact:
                yield Diagnostic.at(
                    other.at("object"), "E702",
                    f"'{other.id}' says {fact.object} {reverse.id} {other.object}, but "
                    f"'{fact.id}' ({place(fact.span, other.span)}) says {fact.subject} {prop.id} "
                    f"{fact.object}", "one of the two directions is wrong",
                    related=(fact.at("object"),))


def _declarations(context: Context) -> Iterator[Diagnostic]:
    properties = context.base.properties
    for prop in properties.values():
        other = properties.get(prop.inverse) if prop.inverse else None
        if other is not None and other.inverse not in (None, prop.id):
            yield Diagnostic.at(prop.spans.get("inverse", prop.span), "E703",
                                f"'{prop.id}' names '{other.id}' as its inverse, but "
                                f"'{other.id}' names '{other.inverse}'",
                                related=(other.spans.get("inverse", other.span),))

"""Values: a fact's subject, object and value fit its property (E501-E504)."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic
from ..model import Fact, FactBase, Property
from ..schema import FieldError
from ..values import typed_value


TAKES = {"entity": "an entity", "date": "a date", "quantity": "a number",
         "text": "text", "boolean": "true or false"}


def check(base: FactBase) -> Iterator[Diagnostic]:
    for prop in base.properties.values():
        if prop.value_type == "quantity" and not prop.unit:
            yield Diagnostic.at(prop.span, "E504", f"property '{prop.id}' holds quantities "
                                "but declares no unit", "add a 'unit:' such as kg, km or W")
    for fact in base.facts.values():
        prop = base.properties.get(fact.property)
        if prop is not None:
            yield from _fact(base, fact, prop)


def _fact(base: FactBase, fact: Fact, prop: Property) -> Iterator[Diagnostic]:
    subject = base.entities.get(fact.subject)
    if subject and prop.subject_types and subject.type not in prop.subject_types:
        yield Diagnostic.at(fact.at("property"), "E503",
                            f"'{prop.id}' does not apply to {subject.type} '{subject.id}'",
                            "it applies to: " + ", ".join(prop.subject_types))
    if fact.object is not None:
        yield from _object(base, fact, prop)
    else:
        try:
            typed_value(fact.value, prop.value_type)
        except FieldError as err:
            yield Diagnostic.at(fact.at("value"), err.code,
                                f"'{prop.id}' takes {TAKES[prop.value_type]}: {err.message}", err.hint)


def _object(base: FactBase, fact: Fact, prop: Property) -> Iterator[Diagnostic]:
    if prop.value_type != "entity":
        yield Diagnostic.at(fact.at("object"), "E501",
                            f"'{prop.id}' takes {TAKES[prop.value_type]}, not an entity",
                            "use 'value:' instead of 'object:'")
        return
    target = base.entities.get(fact.object)
    if target and prop.object_types and target.type not in prop.object_types:
        yield Diagnostic.at(fact.at("object"), "E502",
                            f"'{prop.id}' expects {' or '.join(prop.object_types)}, "
                            f"but '{target.id}' has type {target.type}")

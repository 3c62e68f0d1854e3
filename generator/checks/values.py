"""Values: a fact's subject, object and value fit what its property declares.

E501: value of the wrong type
    The property declares a date, a number, text, true/false or an entity,
    and the fact gives something else (or `value:` where `object:` belongs).

    Fails:

        property: launch-mass      # a quantity in kg
        value: 2,200 kg

    Passes:

        property: launch-mass
        value: 2200
        approximate: true

    Fix: write the value as the property's type; the unit lives on the property.

E502: object of the wrong type
    The property only accepts entities of certain types as its object.

    Fails:

        property: launch-vehicle   # object_types: [launch-vehicle]
        object: esa

    Passes:

        property: launch-vehicle
        object: vega-c

    Fix: pick the right entity, or the right property.

E503: property does not apply to this subject
    The property is declared for other entity types than the subject's.

    Fails:

        subject: esa               # an agency
        facts:
          - property: partner      # subject_types: [mission]

    Passes:

        subject: smile
        facts:
          - property: partner

    Fix: move the fact to the right subject, or widen the property's subject_types.

E504: quantity property without a unit
    A property with `value_type: quantity` must say which unit its numbers are in.

    Fails:

        - id: launch-mass
          value_type: quantity

    Passes:

        - id: launch-mass
          value_type: quantity
          unit: kg

    Fix: add `unit:`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Fact, FactBase, Property
from .context import Context
from ..loading.schema import FieldError
from ..values import typed_value


TAKES = {"entity": "an entity", "date": "a date", "quantity": "a number",
         "text": "text", "boolean": "true or false"}


def check(context: Context) -> Iterator[Diagnostic]:
    base = context.base
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

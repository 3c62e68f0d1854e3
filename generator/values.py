"""Fact values read as the type their property declares."""

from __future__ import annotations

from typing import Any

from .model import Literal
from .loading.schema import FieldError, describe, parse_date


def typed_value(raw: Any, value_type: str) -> Literal:
    """The literal as its declared type, or FieldError saying why it is not."""
    if value_type == "date":
        return parse_date(raw, "value")
    if value_type == "quantity":
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise FieldError("E501", f"value must be a number, not {describe(raw)}",
                             "write digits only, e.g. 2200 rather than '2,200'; the unit is declared on the property")
        return raw
    if value_type == "boolean":
        if not isinstance(raw, bool):
            raise FieldError("E501", f"value must be true or false, not {describe(raw)}")
        return raw
    if value_type == "text":
        if not isinstance(raw, str):
            raise FieldError("E501", f"value must be text, not {describe(raw)}", "quote it")
        return raw
    raise FieldError("E501", "a literal was given", "use 'object: <entity-id>' instead of 'value:'")

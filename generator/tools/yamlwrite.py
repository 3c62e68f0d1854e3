"""Round-trip YAML for the commands that rewrite fact files (`fmt`, `new`).

ruamel.yaml's round-trip mode keeps comments, blank lines and block styles;
this module fixes the one canonical layout every fact file is written in.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from ..loading.schema import (
    CITATION_FIELDS, ENTITY_FIELDS, FACT_FIELDS, IGNORE_FIELDS, LISTS, PATTERN_FIELDS,
    PROPERTY_FIELDS, RULE_FIELDS, SOURCE_FIELDS, Field,
)

RECORDS: dict[str, tuple[Field, ...]] = {
    "sources": SOURCE_FIELDS, "entities": ENTITY_FIELDS, "properties": PROPERTY_FIELDS,
    "claims": FACT_FIELDS, "rules": RULE_FIELDS,
}
TOP_KEYS = {"claims": ("subject", "facts"), "properties": tuple(LISTS["properties"])}
NESTED = {"cite": CITATION_FIELDS, "ignore": IGNORE_FIELDS, "count": PATTERN_FIELDS,
          "subject_in": PATTERN_FIELDS}
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/{folder}.schema.json"
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


def round_trip() -> YAML:
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096           # never re-wrap text: a value must not change shape
    yaml.preserve_quotes = True
    return yaml


def load(text: str) -> Any:
    return round_trip().load(text)


def dump(data: Any) -> str:
    out = io.StringIO()
    round_trip().dump(data, out)
    return out.getvalue()


def list_key(folder: str) -> str:
    return "facts" if folder == "claims" else folder


def canonicalise(data: Any, folder: str) -> None:
    """Reorder keys, normalise dates and needless quotes, in place."""
    if not isinstance(data, CommentedMap):
        return
    _order(data, TOP_KEYS.get(folder, (folder,)))
    for key, fields in LISTS[folder].items():
        items = data.get(key)
        if isinstance(items, CommentedSeq):
            for item in items:
                _record(item, fields)


def _record(item: Any, fields: tuple[Field, ...]) -> None:
    if not isinstance(item, CommentedMap):
        return
    _order(item, tuple(f.name for f in fields))
    for field in fields:
        if field.name not in item:
            continue
        if field.kind == "date":
            _replace(item, field.name, _date(item[field.name]))
        elif field.name in NESTED:
            nested = item[field.name]
            for child in nested if isinstance(nested, CommentedSeq) else [nested]:
                _record(child, NESTED[field.name])
        else:
            _replace(item, field.name, _unquote(item[field.name]))


def _replace(mapping: CommentedMap, key: str, value: Any) -> None:
    """Set a value in place. CommentedMap's own __setitem__ would re-apply the
    old quote style to the new value, undoing the normalisation."""
    super(CommentedMap, mapping).__setitem__(key, value)


def _order(mapping: CommentedMap, names: tuple[str, ...]) -> None:
    """Known keys in declared order, then any others as they were."""
    unknown = [k for k in mapping if k not in names]
    for key in [n for n in names if n in mapping] + unknown:
        mapping.move_to_end(key)


def _date(value: Any) -> Any:
    """Dates are written unquoted: 2026-05-19, 2025-07 or 2025."""
    if isinstance(value, (SingleQuotedScalarString, DoubleQuotedScalarString)):
        text = str(value)
        if _FULL_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return value  # not a real day: leave it for `check` to report
        if _YEAR.match(text) and str(int(text)) == text:  # '0042' stays text
            return int(text)
        return _unquote(value)
    return value


def _unquote(value: Any) -> Any:
    """Single-line quoted text becomes plain; the writer re-quotes only where needed."""
    if isinstance(value, (SingleQuotedScalarString, DoubleQuotedScalarString)) and "\n" not in value:
        return str(value)
    return value


def append_item(items: CommentedSeq, item: Any) -> None:
    """Append to a list, keeping what follows its old last line after the new one.

    ruamel.yaml stores the comment lines after a list's last entry (a comment
    on the next record, the file's closing comments) on that entry's last
    value; a plain append would put the new entry after them."""
    old = _last_slot(items)
    items.append(item)
    new = _last_slot(items)
    if old is None or new is None:
        return
    (old_node, old_key), (new_node, new_key) = old, new
    slot = 2 if isinstance(old_node, CommentedMap) else 0
    tokens = old_node.ca.items.get(old_key)
    token = tokens[slot] if tokens and len(tokens) > slot else None
    if token is None or "\n" not in token.value.rstrip("\n"):
        return
    own, _, after = token.value.partition("\n")   # keep the old line's own end-of-line comment
    token.value = own + "\n"
    new_slot = 2 if isinstance(new_node, CommentedMap) else 0
    moved = copy.copy(token)
    moved.value = "\n" + after
    new_node.ca.items.setdefault(new_key, [None] * 4)[new_slot] = moved


def _last_slot(node: Any) -> tuple[Any, Any] | None:
    """The innermost collection and key holding the last scalar of `node`."""
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        if not isinstance(node[key], (CommentedMap, CommentedSeq)) or not len(node[key]):
            return node, key
        node = node[key]
    return None

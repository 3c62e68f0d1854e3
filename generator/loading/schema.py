"""The fields of each kind of record, declared once.

The loader validates against these declarations, and the JSON Schema for
editors is generated from them, so the two cannot drift apart.

E201: missing field
    A required field is absent (a fact's `cite`, a citation's `locator`, a
    source's `url`, …), or a file lacks its top-level list.

    Fails:

        - id: smile-partner-esa
          property: partner
          object: esa

    Passes:

        - id: smile-partner-esa
          property: partner
          object: esa
          cite:
            - source: esa-smile-factsheet
              locator: introduction

    Fix: add the field; the fact-format page lists what each record needs.

E202: unknown field
    A field the format does not define, often a typo; the hint names the
    closest known field.

    Fails:

        colour: blue
        statment: Smile was launched on 19 May 2026.

    Passes:

        statement: Smile was launched on 19 May 2026.

    Fix: correct or remove the field.

E203: wrong type
    A field holds the wrong kind of value: a list where one value belongs,
    nothing where text belongs, a quote over 300 characters, an ignore entry
    with a malformed code. Text fields keep what is written, so `locator:
    007` is the text "007", and `summary: true` the text "true".

    Fails:

        property: [partner, launch-vehicle]
        summary:

    Passes:

        property: partner
        summary: True to its name, Smile images the solar wind.

    Fix: give one value of the right kind.

E204: malformed id
    Ids are lowercase letters, digits and single hyphens, at most 64
    characters. They become file names and addresses, so nothing else is allowed.

    Fails:

        id: Smile_Launch
        id: ../../etc/passwd

    Passes:

        id: smile-launch

    Fix: use the suggested slug.

E205: invalid date
    Dates are YYYY-MM-DD, YYYY-MM or YYYY, and must exist on the calendar.

    Fails:

        as_of: 19 May 2026
        published: 2025-02-29

    Passes:

        as_of: 2026-05-19
        published: 2025-02

    Fix: write the date in ISO form with only the precision the source gives.

E206: not an http(s) address
    Source and archive addresses must be full http:// or https:// URLs;
    `javascript:`, `data:`, `file:` and `ftp:` are refused, and so is an
    address carrying a user or password (`https://user:pass@host/`), which
    the site would publish.

    Fails:

        url: javascript:alert(1)

    Passes:

        url: https://www.esa.int/Science_Exploration/Space_Science/Smile

    Fix: give the document's web address.

E207: value not in the list
    A field with a fixed set of values (a fact's `status`, a property's
    `value_type`, a section's `timelines`) has another value.

    Fails:

        status: outdated

    Passes:

        status: superseded

    Fix: use one of the values the message lists.

E209: an error cannot be ignored
    `ignore:` entries document warnings (W…) that do not apply to a fact.
    Errors are never ignored: they must be fixed.

    Fails:

        ignore:
          - code: E302
            reason: the source is coming later

    Passes:

        ignore:
          - code: W714
            reason: SpaceNews reports the 2016 plan in retrospect.

    Fix: fix the error; keep ignore entries for warnings.

E210: reserved id
    A few ids cannot become file names: `index` is the page each section of
    the site (and the bibliography) already has, and `con`, `prn`, `aux`,
    `nul`, `com0`–`com9` and `lpt0`–`lpt9` are device names that Windows
    refuses as files, so a checkout of the built pages would fail there.

    A section's id is the folder of its pages, so it cannot be a folder the
    site already has: `sources`, `fact-index`, `reference`, `data` or
    `assets`.

    Fails:

        id: index
        id: con
        sections: [{id: sources, title: Sources, types: [source]}]

    Passes:

        id: esa-index
        id: con-2024-report
        sections: [{id: documents, title: Documents, types: [document]}]

    Fix: choose a more specific id.

E401: no citation
    Every fact cites at least one source, with a locator.

    Fails:

        cite: []

    Passes:

        cite:
          - source: esa-smile-factsheet
            locator: introduction

    Fix: cite the document that supports the fact.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, did_you_mean
from ..model import (
    ID_MAX_LENGTH, ID_PATTERN, RESERVED_IDS, TIMELINES, VALUE_TYPES, PartialDate, Span, Status,
)
from .yamlsource import Mapping, Node, Scalar, Sequence

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MAX_QUOTE_CHARS = 300
# Folders the site makes whatever the base holds: a section (whose id is its
# folder) cannot be one of them.
RESERVED_FOLDERS = ("sources", "fact-index", "reference", "data", "assets")


class FieldError(Exception):
    """A value that does not fit its field; carries the diagnostic code."""

    def __init__(self, code: str, message: str, hint: str | None = None,
                 span: Span | None = None):
        super().__init__(message)
        self.code, self.message, self.hint, self.span = code, message, hint, span


@dataclass(frozen=True)
class Field:
    name: str
    kind: str                      # a key of READERS
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""


def read_id(value: Any, field: Field) -> str:
    if not isinstance(value, str):
        raise FieldError("E203", f"'{field.name}' must be an id (text), not {describe(value)}")
    if len(value) > ID_MAX_LENGTH or not ID_PATTERN.match(value):
        raise FieldError("E204", f"'{value}' is not a valid id",
                         f"ids are lowercase letters, digits and single hyphens, at most "
                         f"{ID_MAX_LENGTH} characters, e.g. '{slugify(value) or 'my-id'}'")
    if value in RESERVED_IDS:
        why = ("the name of a page the site generates" if value == "index"
               else "a device name: Windows cannot create a file called that")
        raise FieldError("E210", f"'{value}' is a reserved id: {why}",
                         f"choose a more specific id, e.g. '{value}-1' or one naming what it is")
    return value


def read_folder(value: Any, field: Field) -> str:
    folder = read_id(value, field)
    if folder in RESERVED_FOLDERS:
        raise FieldError("E210", f"'{folder}' is a reserved id: the site already has a "
                         f"folder called that", f"choose another id, e.g. '{folder}-pages'")
    return folder


def read_text(value: Any, field: Field) -> str:
    if not isinstance(value, str):
        raise FieldError("E203", f"'{field.name}' must be text, not {describe(value)}",
                         "put the text in quotes")
    if not value.strip():
        raise FieldError("E203", f"'{field.name}' is empty")
    if field.name == "quote" and len(value) > MAX_QUOTE_CHARS:
        raise FieldError("E203", f"quote is {len(value)} characters; at most "
                         f"{MAX_QUOTE_CHARS} are allowed", "quote a shorter passage")
    return value


def read_date(value: Any, field: Field) -> PartialDate:
    return parse_date(value, field.name)


def parse_date(value: Any, name: str = "date") -> PartialDate:
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    match = _DATE.match(text) if isinstance(text, str) else None
    if not match:
        raise FieldError("E205", f"'{name}' must be a date (YYYY-MM-DD, YYYY-MM or YYYY), "
                         f"not {describe(value)}")
    year, month, day = (int(g) if g else None for g in match.groups())
    if year == 0:   # the calendar goes from 1 BC to AD 1; no page could print it
        raise FieldError("E205", f"'{text}' is not a real date: there is no year 0")
    if month is not None and not 1 <= month <= 12:
        raise FieldError("E205", f"'{text}' is not a real date: there is no month {month}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise FieldError("E205", f"'{text}' is not a real date: "
                         f"{calendar.month_name[month]} {year} has no day {day}")
    return PartialDate(year, month, day)


def read_url(value: Any, field: Field) -> str:
    text = read_text(value, field)
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FieldError("E206", f"'{field.name}' must be an http(s) address, not '{text[:80]}'",
                         "write the full address, starting with https://")
    if any(c.isspace() for c in text.strip()):
        raise FieldError("E206", f"'{field.name}' contains spaces", "encode spaces as %20")
    if "@" in parts.netloc:   # user:password@host: a secret the site would publish
        raise FieldError("E206", f"'{field.name}' carries credentials (user or password "
                         "before '@'), which the site would publish",
                         "cite the address without them; a document that needs a login "
                         "is not one a reader can check")
    return text.strip()


def read_choice(value: Any, field: Field) -> str:
    if value not in field.choices:
        raise FieldError("E207", f"'{value}' is not a valid {field.name}; expected one of: "
                         + ", ".join(field.choices), did_you_mean(str(value), field.choices))
    return value


def read_bool(value: Any, field: Field) -> bool:
    if not isinstance(value, bool):
        raise FieldError("E203", f"'{field.name}' must be true or false, not {describe(value)}")
    return value


def read_code(value: Any, field: Field) -> str:
    if not isinstance(value, str) or not re.match(r"^[EW]\d{3}$", value):
        raise FieldError("E203", f"'{field.name}' must be a diagnostic code like W714, "
                         f"not {describe(value)}")
    return value


def read_literal(value: Any, field: Field) -> Any:
    if value is None:
        raise FieldError("E203", "'value' is empty")
    return value


# `type` and `source-kind` are ids of what the base declares (its sections'
# types, its source kinds): read as ids here, resolved once the whole base is
# loaded (checks.references), and offered as choices by the editor schema.
READERS: dict[str, Callable[[Any, Field], Any]] = {
    "id": read_id, "type": read_id, "source-kind": read_id, "folder": read_folder,
    "text": read_text, "date": read_date, "url": read_url,
    "choice": read_choice, "bool": read_bool, "literal": read_literal, "code": read_code,
}
# Kinds that read the value as YAML types it; every other kind is text, and
# reads the characters as written (see field_value).
TYPED_KINDS = frozenset(("bool", "literal"))


def field_value(node: Scalar, field: Field) -> Any:
    """What a field reads from a scalar. Text kinds keep the characters the
    contributor wrote: `locator: 007` is "007" and `title: 1.50` is "1.50", not
    the numbers YAML reads. A null stays nothing, for every kind."""
    if node.value is None or field.kind in TYPED_KINDS:
        return node.value
    return node.text

SOURCE_FIELDS = (
    Field("id", "id", True, doc="unique id of the source"),
    Field("title", "text", True, doc="the document's title"),
    Field("publisher", "id", True, doc="id of the entity that published it"),
    Field("url", "url", True, doc="http(s) address of the document"),
    Field("kind", "source-kind", True, doc="what sort of document it is (a declared source kind)"),
    Field("published", "date", doc="publication date"),
    Field("accessed", "date", doc="when its content was last checked"),
    Field("archive_url", "url", doc="an archived copy"),
    Field("language", "text", doc="language code, default en"),
    Field("note", "text", doc="how it was found, or what to keep in mind"),
)
ENTITY_FIELDS = (
    Field("id", "id", True),
    Field("type", "type", True, doc="a type declared in a section"),
    Field("name", "text", True),
    Field("aliases", "text-list"),
    Field("summary", "text"),
    Field("wikidata", "text"),
    Field("watch_terms", "text-list", doc="other words news about it uses, matched by "
          "'factbase watch' besides its name and aliases (a bill number, a short title)"),
)
PROPERTY_FIELDS = (
    Field("id", "id", True),
    Field("label", "text", True),
    Field("description", "text"),
    Field("subject_types", "type-list", True),
    Field("value_type", "choice", True, VALUE_TYPES),
    Field("object_types", "type-list"),
    Field("unit", "text"),
    Field("single", "bool"),
    Field("inverse", "id"),
    Field("symmetric", "bool"),
    Field("plan_for", "id"),
    Field("ongoing", "bool", doc="its facts describe a state that can change (a status, a plan, "
          "the law in force): each current one needs a review_after date (default false)"),
    Field("group", "text", doc="the heading its facts are told under on an entity's page"),
)
SECTION_FIELDS = (
    Field("id", "folder", True, doc="the folder of the section's pages"),
    Field("title", "text", True, doc="its title in the navigation and on its page"),
    Field("types", "id-list", True, doc="the entity types whose pages it holds"),
    Field("timelines", "choice", False, TIMELINES,
          doc="home page: one timeline per featured entity, one shared, or none (default)"),
)
SOURCE_KIND_FIELDS = (
    Field("id", "id", True),
    Field("label", "text", True, doc="how pages name the kind"),
    Field("primary", "bool",
          doc="the own document of the body or author it is about (default false)"),
)
CITATION_FIELDS = (
    Field("source", "id", True, doc="id of the cited source"),
    Field("locator", "text", True, doc="where in the source: section, paragraph, caption, page"),
    Field("quote", "text", doc=f"a short exact quote, at most {MAX_QUOTE_CHARS} characters"),
)
FACT_FIELDS = (
    Field("id", "id", True),
    Field("subject", "id"),
    Field("property", "id", True),
    Field("object", "id"),
    Field("value", "literal"),
    Field("statement", "text"),
    Field("as_of", "date"),
    Field("valid_from", "date"),
    Field("valid_until", "date"),
    Field("status", "choice", False, tuple(s.value for s in Status)),
    Field("supersedes", "id-list"),
    Field("approximate", "bool"),
    Field("note", "text"),
    Field("review_after", "date", doc="flag the fact for re-checking after this date"),
    Field("ignore", "ignores", doc="warnings this fact may raise, each with a reason"),
    Field("cite", "citations", True),
)
IGNORE_FIELDS = (
    Field("code", "code", True, doc="a warning code, e.g. W714"),
    Field("reason", "text", True, doc="why the warning does not apply here"),
)
PATTERN_FIELDS = (
    Field("subject", "id"),
    Field("property", "id"),
    Field("object", "id"),
    Field("subject_in", "pattern", doc="the subject must be the object of a fact matching this"),
)
RULE_FIELDS = (
    Field("id", "id", True),
    Field("description", "text", True),
    Field("count", "pattern", True, doc="which current facts to count"),
    Field("equals", "equals", True, doc="a whole number, or {fact: id} of a quantity fact"),
    Field("cite", "citations", doc="sources for a number given directly"),
)


# The lists a file in each folder may hold, by top-level key. A properties
# file holds any of its three (the vocabulary of properties, sections and
# source kinds); every other file holds its one list.
LISTS: dict[str, dict[str, tuple[Field, ...]]] = {
    "sources": {"sources": SOURCE_FIELDS},
    "entities": {"entities": ENTITY_FIELDS},
    "properties": {"sections": SECTION_FIELDS, "source_kinds": SOURCE_KIND_FIELDS,
                   "properties": PROPERTY_FIELDS},
    "claims": {"facts": FACT_FIELDS},
    "rules": {"rules": RULE_FIELDS},
}


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (Mapping, Sequence)):
        return "a mapping" if isinstance(value, Mapping) else "a list"
    return f"'{value}'"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")[:ID_MAX_LENGTH].strip("-")


@dataclass
class Record:
    """The validated fields of one YAML mapping, with their positions."""

    values: dict[str, Any]
    spans: dict[str, Span]
    span: Span
    ok: bool


def read_record(node: Node, fields: tuple[Field, ...], what: str,
                out: list[Diagnostic]) -> Record | None:
    """Validate one mapping against its fields, reporting every problem."""
    if not isinstance(node, Mapping):
        out.append(Diagnostic.at(node.span, "E203", f"each {what} must be a mapping "
                                 f"('key: value' lines), not {describe(_plain(node))}"))
        return None
    known = {f.name: f for f in fields}
    record = Record({}, {}, node.span, True)
    for key, value in node.items:
        field = known.get(key.value)
        if field is None:
            out.append(Diagnostic.at(key.span, "E202", f"unknown field '{key.value}' in {what}",
                                     did_you_mean(key.value, known) or
                                     "allowed: " + ", ".join(known)))
            record.ok = False
            continue
        record.spans[field.name] = value.span
        try:
            record.values[field.name] = _read_field(value, field, out)
        except FieldError as err:
            # A bad optional field is reported and left out; the record stays
            # usable so that references to it do not cascade into more errors.
            out.append(Diagnostic.at(err.span or value.span, err.code, err.message, err.hint))
            record.ok = record.ok and not field.required
    for field in fields:
        if field.required and field.name not in record.spans:
            out.append(Diagnostic.at(node.span, "E201",
                                     f"{what} is missing required field '{field.name}'"))
            record.ok = False
    return record


def _plain(node: Node) -> Any:
    return node.value if isinstance(node, Scalar) else node


def _read_field(node: Node, field: Field, out: list[Diagnostic]) -> Any:
    if field.kind == "citations":
        return _read_citations(node, out)
    if field.kind == "ignores":
        items = node.items if isinstance(node, Sequence) else (node,)
        return tuple(r for item in items
                     if (r := read_record(item, IGNORE_FIELDS, "ignore entry", out)) is not None)
    if field.kind == "pattern":
        return read_record(node, PATTERN_FIELDS, "pattern", out)
    if field.kind == "equals":
        return _read_equals(node, out)
    if field.kind.endswith("-list"):
        return _read_list(node, field)
    if not isinstance(node, Scalar):
        raise FieldError("E203", f"'{field.name}' must be a single value, not {describe(node)}")
    return READERS[field.kind](field_value(node, field), field)


def _read_list(node: Node, field: Field) -> tuple:
    single = Field(field.name, field.kind.removesuffix("-list"), choices=field.choices)
    items = [node] if isinstance(node, Scalar) else node.items if isinstance(node, Sequence) else None
    if items is None:
        raise FieldError("E203", f"'{field.name}' must be a list, not a mapping")
    values = []
    for item in items:
        if not isinstance(item, Scalar):
            raise FieldError("E203", f"'{field.name}' must list single values")
        try:
            values.append(READERS[single.kind](field_value(item, single), single))
        except FieldError as err:
            err.span = item.span
            raise
    return tuple(values)


def _read_equals(node: Node, out: list[Diagnostic]) -> Any:
    if isinstance(node, Mapping):
        return read_record(node, (Field("fact", "id", True),), "'equals'", out)
    value = node.value if isinstance(node, Scalar) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FieldError("E203", f"'equals' must be a whole number or {{fact: <id>}}, "
                         f"not {describe(value if isinstance(node, Scalar) else node)}")
    return value


def _read_citations(node: Node, out: list[Diagnostic]) -> tuple:
    if not isinstance(node, Sequence):
        raise FieldError("E203", "'cite' must be a list of citations ('- source: …')")
    if not node.items:
        raise FieldError("E401", "fact cites no source",
                         "add '- source: <source-id>' with a 'locator:'")
    return tuple(r for item in node.items
                 if (r := read_record(item, CITATION_FIELDS, "citation", out)) is not None)

"""The typed fact model: what the loader produces and every later stage reads.

No raw YAML dicts pass beyond the loader; each record keeps the position of
its fields (`Span`) so that later checks can point at the line to change.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar, NamedTuple, Union

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LENGTH = 64
# Ids become file names. These would collide with pages the generator makes in
# the same folders (render.py's `<section>/index.md` and `sources/index.md`), or
# are device names Windows cannot create as files, whatever the extension.
RESERVED_IDS = frozenset(("index", "con", "prn", "aux", "nul",
                          *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))))

# Entity types and source kinds are not fixed here: each base declares its own
# (`sections:` and `source_kinds:` in facts/properties/, read into Section and
# SourceKind below), so a base about any subject has its own vocabulary.
TIMELINES = ("each", "together", "none")
VALUE_TYPES = ("entity", "date", "quantity", "text", "boolean")


class Span(NamedTuple):
    """Where something was written: a file and a 1-based line and column.
    (A named tuple: the loader makes one per YAML node, so it must be cheap.)"""

    path: str
    line: int
    col: int


class FieldSpans(Mapping[str, Span]):
    """Where each field of one record was written, read like a dict of Spans.

    Stored compactly because there are so many: one path, the field names (a
    tuple shared by every record with the same fields) and the lines and
    columns packed into bytes, about 170 bytes a record against 900 for a dict
    of Span tuples, which made positions four fifths of the model's memory."""

    __slots__ = ("path", "names", "packed")
    _shared_names: ClassVar[dict[tuple[str, ...], tuple[str, ...]]] = {}

    def __init__(self, path: str, names: tuple[str, ...], packed: bytes):
        self.path, self.packed = path, packed
        self.names = self._shared_names.setdefault(names, names)

    @classmethod
    def of(cls, spans: Mapping[str, Span]) -> Mapping[str, Span]:
        """Compact when every field is in one file (always, from the loader)."""
        paths = {span.path for span in spans.values()}
        if len(paths) != 1:
            return dict(spans)
        numbers = [n for span in spans.values() for n in (span.line, span.col)]
        return cls(paths.pop(), tuple(spans), struct.pack(f"<{len(numbers)}I", *numbers))

    def __getitem__(self, name: str) -> Span:
        try:
            index = self.names.index(name)
        except ValueError:
            raise KeyError(name) from None
        line, col = struct.unpack_from("<II", self.packed, 8 * index)
        return Span(self.path, line, col)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def __reduce__(self):
        return FieldSpans, (self.path, self.names, self.packed)

    def __repr__(self) -> str:
        return f"FieldSpans({dict(self)!r})"


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day.

    Sources often say "2025" or "July 2004"; storing those as 1 January would
    invent precision, so the precision is part of the value.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def earliest(self) -> tuple[int, int, int]:
        """The first day this date can mean, for ordering and comparisons."""
        return (self.year, self.month or 1, self.day or 1)

    def latest(self) -> tuple[int, int, int]:
        """The last day this date can mean (days as 31: only used to compare)."""
        return (self.year, self.month or 12, self.day or 31)


class Status(str, Enum):
    CURRENT = "current"
    SUPERSEDED = "superseded"
    DISPUTED = "disputed"


Literal = Union[PartialDate, float, int, str, bool]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    kind: str
    span: Span
    published: PartialDate | None = None
    accessed: PartialDate | None = None
    archive_url: str | None = None
    language: str = "en"
    note: str | None = None
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    name: str
    span: Span
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    wikidata: str | None = None
    watch_terms: tuple[str, ...] = ()   # what news about it says, besides its names
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Property:
    id: str
    label: str
    subject_types: tuple[str, ...]
    value_type: str
    span: Span
    description: str | None = None
    object_types: tuple[str, ...] = ()
    unit: str | None = None
    single: bool = False
    inverse: str | None = None
    symmetric: bool = False
    plan_for: str | None = None
    ongoing: bool = False             # its facts describe a state that can change: re-check them
    group: str | None = None          # the heading its facts are told under on a page
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Citation:
    source: str
    locator: str
    span: Span
    quote: str | None = None
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Ignore:
    """A documented exception: this fact may raise this warning, for this reason."""

    code: str
    reason: str
    span: Span


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    subject: str
    property: str
    span: Span
    object: str | None = None
    value: Literal | None = None
    statement: str | None = None
    as_of: PartialDate | None = None
    valid_from: PartialDate | None = None
    valid_until: PartialDate | None = None
    status: Status = Status.CURRENT
    supersedes: tuple[str, ...] = ()
    approximate: bool = False
    note: str | None = None
    review_after: PartialDate | None = None
    ignore: tuple[Ignore, ...] = ()
    citations: tuple[Citation, ...] = ()
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)

    def at(self, name: str) -> Span:
        """The position of one field, falling back to the fact itself."""
        return self.spans.get(name, self.span)


@dataclass(frozen=True)
class Pattern:
    """Which facts a rule counts: current facts matching every given field."""

    subject: str | None = None
    property: str | None = None
    object: str | None = None
    subject_in: Pattern | None = None   # the subject is the object of a fact matching this


@dataclass(frozen=True)
class Rule:
    """A cross-fact rule declared in data: the count of facts matching a
    pattern must equal a number, given directly or by a quantity fact."""

    id: str
    description: str
    count: Pattern
    span: Span
    equals_value: int | None = None
    equals_fact: str | None = None
    citations: tuple[Citation, ...] = ()
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Section:
    """A part of the site, declared in the base: the pages of the entities of
    some types, in the folder named by its id, listed in declaration order."""

    id: str
    title: str
    types: tuple[str, ...]
    span: Span
    timelines: str = "none"     # on the home page: one per featured entity, one shared, none
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)

    @property
    def folder(self) -> str:
        return self.id


@dataclass(frozen=True)
class SourceKind:
    """A sort of document sources may be, declared in the base."""

    id: str
    label: str
    span: Span
    primary: bool = False       # the own document of the body or author it is about
    spans: Mapping[str, Span] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class FactBase:
    """Everything loaded from one `facts/` folder, keyed by id."""

    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    properties: dict[str, Property] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)          # in site order
    source_kinds: dict[str, SourceKind] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def section_of_type(self) -> dict[str, Section]:
        """Each declared entity type's section (the first, if a type is
        declared twice: that is reported as E308)."""
        found: dict[str, Section] = {}
        for section in self.sections.values():
            for kind in section.types:
                found.setdefault(kind, section)
        return found

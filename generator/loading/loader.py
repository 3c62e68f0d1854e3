"""Read every file under `facts/` into one typed `FactBase`.

The folder a file sits in says what it holds (see the fact-format page).
Every problem becomes a diagnostic; loading always finishes, so that one
run reports everything.

E107: file in an unknown folder
    Every fact file sits in one of facts/sources, facts/entities,
    facts/properties, facts/claims or facts/rules; the folder says what the
    file holds.

    Fails:

        facts/smile.yaml

    Passes:

        facts/claims/smile.yaml

    Fix: move the file into the folder for what it holds.

E301: duplicate id
    Ids are unique across the whole base (they become page addresses). The
    message names the first definition. Sections and source kinds have ids
    of their own: each is unique among the sections, or the source kinds.

    Fails:

        - id: smile-launch-date      # in smile.yaml
        - id: smile-launch-date      # again in vv29.yaml

    Passes:

        - id: smile-launch-date
        - id: vv29-launch-date

    Fix: rename one of them.

E208: object and value
    A fact gives either `object:` (an entity id) or `value:` (a literal),
    never both and never neither.

    Fails:

        property: partner
        object: esa
        value: ESA

    Passes:

        property: partner
        object: esa

    Fix: keep the one the property takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

from ..diagnostics import Diagnostic
from ..model import (
    Citation, Entity, Fact, FactBase, FieldSpans, Ignore, Pattern, Property, Rule, Section, Source,
    SourceKind, Span, Status,
)
from .schema import FACT_FIELDS, LISTS, Field, FieldError, Record, field_value, read_id, read_record
from .yamlsource import Mapping, Node, Scalar, Sequence, parse

FOLDERS = ("sources", "entities", "properties", "claims", "rules")
# The declarations that name kinds of things rather than things: their ids
# are unique among themselves, not across the base (a source kind `law` and
# an entity type `law` are different words).
OWN_NAMESPACE = ("sections", "source_kinds")


@dataclass
class LoadResult:
    base: FactBase
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Where each file that did not parse first failed: the base lacks its records.
    unparsed: tuple[Span, ...] = ()
    # Ids of records that are in a file but invalid, or in a file that did not
    # parse (their error is reported there): they still exist for references.
    broken: frozenset[str] = frozenset()


@dataclass
class FileResult:
    """What one file holds, before ids are checked across files: the unit
    that is cached by content hash and that worker processes hand back."""

    path: str
    records: list[tuple[str, Any]] = field(default_factory=list)   # (FactBase field, object)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parsed: bool = True                                             # False: no records at all
    broken: list[str] = field(default_factory=list)                 # ids of unusable records


def fact_files(facts_dir: Path) -> list[Path]:
    """Every YAML file below the folder, in a stable order."""
    return sorted(p for p in facts_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def load(facts_dir: Path, root: Path | None = None, engine: str = "auto") -> LoadResult:
    root = root or facts_dir.parent
    files = fact_files(facts_dir)
    results = [load_file(p.read_bytes(), display_path(p, root), _folder(p, facts_dir), engine)
               for p in files]
    return merge(results)


def load_file(data: bytes, shown: str, folder: str | None, engine: str = "auto") -> FileResult:
    """Parse and validate one file; ids are not compared with other files here."""
    parsed = parse(data, shown, engine)
    builder = _Builder(shown)
    builder.result.diagnostics.extend(parsed.diagnostics)
    if parsed.root is not None or not parsed.diagnostics:
        builder.add_file(folder, parsed.root, shown)
    else:
        builder.result.parsed = False
        builder.result.broken = salvaged_ids(data)
    return builder.result


# An `id:` key at the start of a line (or of a list item), with a plain or
# quoted value: read from a file that does not parse, line by line.
_ID_LINE = re.compile(rb"""^[ ]*(?:-[ ]+)?id:[ ]*["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?[ ]*(?:#.*)?$""",
                      re.M)


def salvaged_ids(data: bytes) -> list[str]:
    """The ids a file that does not parse declares, as far as its lines show:
    they still exist for the references elsewhere that name them, so those
    are not reported as unknown ids on top of the file's syntax error."""
    return [m[1].decode("ascii") for m in _ID_LINE.finditer(data)]


def merge(results: list[FileResult]) -> LoadResult:
    """One base from the files' records, in file order; a repeated id is E301."""
    base, out, first, broken = FactBase(), [], {}, set()
    for result in results:
        out.extend(result.diagnostics)
        broken.update(result.broken)
        for kind, obj in result.records:
            span = obj.spans.get("id", obj.span)
            key = (kind, obj.id) if kind in OWN_NAMESPACE else obj.id
            if key in first:
                where = first[key]
                scope = f"among the {kind.replace('_', ' ')}" if kind in OWN_NAMESPACE \
                    else "across the whole base"
                out.append(Diagnostic.at(span, "E301", f"duplicate id '{obj.id}' (first "
                                         f"defined at {where.path}:{where.line})",
                                         f"ids must be unique {scope}", related=(where,)))
                continue
            first[key] = span
            getattr(base, kind)[obj.id] = obj
    base.files = tuple(r.path for r in results)
    unparsed = tuple(min(r.diagnostics, key=lambda d: (d.line, d.col)) for r in results
                     if not r.parsed)
    return LoadResult(base, out, tuple(Span(d.path, d.line, d.col) for d in unparsed),
                      frozenset(broken - first.keys()))


def _folder(path: Path, facts_dir: Path) -> str | None:
    parts = path.relative_to(facts_dir).parts
    return parts[0] if len(parts) > 1 and parts[0] in FOLDERS else None


class _Builder:
    """Turns one file's validated records into model objects."""

    def __init__(self, path: str) -> None:
        self.result = FileResult(path)
        self.out = self.result.diagnostics

    def add_file(self, folder: str | None, root: Node | None, path: str) -> None:
        if folder is None:
            self.out.append(Diagnostic.at(Span(path, 1, 1), "E107",
                                          "file is not in a known folder",
                                          "move it into facts/" + ", facts/".join(FOLDERS)))
            return
        top = self._top(root, path, folder)
        if top is None:
            return
        if folder == "claims":
            self._add_claims(top, path)
            return
        for key in LISTS[folder]:
            if top.get(key) is not None:
                for item in self._items(top.get(key), key, top.span):
                    self._add(key, item)

    def _top(self, root: Node | None, path: str, folder: str) -> Mapping | None:
        lists = tuple(LISTS[folder])
        expected = ("subject", *lists) if folder == "claims" else lists
        if isinstance(root, Mapping):
            for key, _ in root.items:
                if key.value not in expected:
                    self.out.append(Diagnostic.at(
                        key.span, "E202", f"unknown top-level key '{key.value}' in a "
                        f"{folder} file", "expected: " + ", ".join(expected)))
            if any(root.get(key) is not None for key in lists):
                return root
        span = root.span if root is not None else Span(path, 1, 1)
        names = [f"'{key}:'" for key in lists]
        which = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        self.out.append(Diagnostic.at(span, "E201", f"a {folder} file must have a "
                                      f"top-level {which} list"))
        return None

    def _items(self, listing: Node | None, what: str, span: Span) -> tuple[Node, ...]:
        if isinstance(listing, Sequence):
            return listing.items
        self.out.append(Diagnostic.at(listing.span if listing else span, "E203",
                                      f"'{what}' must be a list of entries ('- id: …')"))
        return ()

    def _add(self, key: str, item: Node) -> None:
        make, what = _KINDS[key]
        record = read_record(item, _FIELDS[key], what, self.out)
        if record is not None and record.ok:
            self.result.records.append((key, make(record)))
        else:
            self._broken(record)

    def _broken(self, record: Record | None) -> None:
        """An invalid record's id still exists: its own error says what is wrong,
        and references to it are not reported again as unknown ids."""
        if record is not None and isinstance(record.values.get("id"), str):
            self.result.broken.append(record.values["id"])

    def _add_claims(self, top: Mapping, path: str) -> None:
        subject = self._file_subject(top.get("subject"))
        subject_span = top.get("subject").span if subject else None
        for item in self._items(top.get("facts"), "facts", top.span):
            record = read_record(item, FACT_FIELDS, "fact", self.out)
            if record is None:
                continue
            if not self._fact_shape(record, subject):
                record.ok = False
            if record.ok:
                self.result.records.append(("facts", _fact(record, subject, subject_span)))
            else:
                self._broken(record)

    def _file_subject(self, node: Node | None) -> str | None:
        if node is None:
            return None
        try:
            if not isinstance(node, Scalar):
                raise FieldError("E203", "'subject' must be an entity id")
            subject = Field("subject", "id")
            return read_id(field_value(node, subject), subject)
        except FieldError as err:
            self.out.append(Diagnostic.at(node.span, err.code, err.message, err.hint))
            return None

    def _fact_shape(self, record: Record, subject: str | None) -> bool:
        has_object, has_value = "object" in record.spans, "value" in record.spans
        if has_object == has_value:
            which = "both 'object' and 'value'" if has_object else "neither 'object' nor 'value'"
            self.out.append(Diagnostic.at(record.span, "E208", f"fact has {which}",
                                          "give 'object' for an entity, 'value' for a literal"))
            return False
        if subject is None and "subject" not in record.values:
            self.out.append(Diagnostic.at(record.span, "E201", "fact has no subject",
                                          "add 'subject:' at the top of the file or to the fact"))
            return False
        return True


def _common(record: Record) -> dict[str, Any]:
    return {"span": record.span, "spans": FieldSpans.of(record.spans)}


def _source(r: Record) -> Source:
    return Source(**r.values, **_common(r))


def _entity(r: Record) -> Entity:
    values = dict(r.values)
    for key in ("aliases", "watch_terms"):
        values[key] = tuple(values.get(key, ()))
    return Entity(**values, **_common(r))


def _property(r: Record) -> Property:
    values = dict(r.values)
    for key in ("subject_types", "object_types"):
        values[key] = tuple(values.get(key, ()))
    return Property(**values, **_common(r))


def _section(r: Record) -> Section:
    values = dict(r.values)
    values["types"] = tuple(values["types"])
    return Section(**values, **_common(r))


def _source_kind(r: Record) -> SourceKind:
    return SourceKind(**r.values, **_common(r))


def _citation(r: Record) -> Citation:
    return Citation(**r.values, **_common(r))


def _fact(r: Record, subject: str | None, subject_span: Span | None) -> Fact:
    values = dict(r.values)
    if "subject" not in values:
        values["subject"] = subject
        r.spans["subject"] = subject_span
    values["status"] = Status(values.get("status", "current"))
    values["supersedes"] = tuple(values.get("supersedes", ()))
    values["citations"] = tuple(_citation(c) for c in values.pop("cite", ()) if c.ok)
    values["ignore"] = tuple(Ignore(i.values["code"], i.values["reason"], i.span)
                             for i in values.get("ignore", ()) if i.ok)
    return Fact(**values, **_common(r))


def _pattern(r: Record | None) -> Pattern:
    values = dict(r.values) if r else {}
    if "subject_in" in values:
        values["subject_in"] = _pattern(values["subject_in"])
    return Pattern(**values)


def _rule(r: Record) -> Rule:
    values = dict(r.values)
    equals = values.pop("equals")
    return Rule(id=values["id"], description=values["description"],
                count=_pattern(values["count"]),
                equals_value=equals if isinstance(equals, int) else None,
                equals_fact=None if isinstance(equals, int) else equals.values.get("fact"),
                citations=tuple(_citation(c) for c in values.get("cite", ()) if c.ok),
                **_common(r))


# By top-level list (which is also the FactBase field the records go into).
_KINDS: dict[str, tuple[Callable[[Record], Any], str]] = {
    "sources": (_source, "source"),
    "entities": (_entity, "entity"),
    "properties": (_property, "property"),
    "rules": (_rule, "rule"),
    "sections": (_section, "section"),
    "source_kinds": (_source_kind, "source kind"),
}
_FIELDS = {key: fields for lists in LISTS.values() for key, fields in lists.items()}

"""Machine-readable downloads: every fact as JSON, every source as CSL-JSON,
and the whole base as CSV tables described by a Frictionless Data Package
(`datapackage.json`: typed columns, primary and foreign keys), which
spreadsheets, pandas, R and `frictionless validate` read as they are.

All are deterministic (sorted, no timestamps) so builds are reproducible.
The column descriptions below are the documentation: the data page and the
descriptor are both made from them.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable

from .. import escaping
from ..model import Fact, FactBase, PartialDate, Source
from ..values import typed_value
from ..loading.schema import slugify

EXPORT_VERSION = 1
CSL_TYPES = {
    "law": "legislation", "news": "article-newspaper", "blog": "post-weblog",
    "report": "report", "press-release": "webpage", "guidance": "webpage",
    "factsheet": "webpage", "web-page": "webpage", "image-page": "webpage",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str          # a Table Schema type: string, integer, boolean, array
    description: str
    required: bool = False
    pattern: str | None = None
    values: tuple[str, ...] = ()   # the only values allowed, when listed


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str], ...] = ()   # (column, table whose id it names)

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"


DATE = r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"   # a date known to the year, month or day


def _id(what: str) -> Column:
    return Column("id", "string", f"The {what}'s id, as in the fact files", required=True)


def _date(name: str, description: str) -> Column:
    return Column(name, "string", description + " (YYYY, YYYY-MM or YYYY-MM-DD)", pattern=DATE)


TABLES = (
    Table("entities", "The things facts are about (people, bodies, objects, events, documents).", (
        _id("entity"),
        Column("type", "string", "Its type, one of those the base declares in facts/properties/", True),
        Column("name", "string", "Its usual name", True),
        Column("aliases", "array", "Other names it is known by (a JSON array)"),
        Column("summary", "string", "One or two sentences on what it is"),
    ), ("id",)),
    Table("properties", "What a fact can say about an entity: its vocabulary.", (
        _id("property"),
        Column("label", "string", "Its label, as the pages show it", True),
        Column("value_type", "string", "The type of its values: entity, date, quantity, text, "
                                       "boolean, …", True),
        Column("unit", "string", "The unit of its quantities"),
        Column("single", "boolean", "Whether an entity has only one current value at a time", True),
        Column("description", "string", "What it means"),
    ), ("id",)),
    Table("sources", "The documents facts cite.", (
        _id("source"),
        Column("title", "string", "The document's title", True),
        Column("publisher", "string", "The entity that published it (an entity id)", True),
        Column("url", "string", "Its address", True),
        Column("kind", "string", "Its kind: law, guidance, factsheet, news, report, …", True),
        _date("published", "When it was published"),
        _date("accessed", "When an editor last checked it"),
        Column("archive_url", "string", "An archived copy"),
        Column("language", "string", "Its language (a BCP 47 tag)", True),
    ), ("id",), (("publisher", "entities"),)),
    Table("facts", "Every fact: one statement about one entity, with its status and dates.", (
        _id("fact"),
        Column("subject", "string", "The entity it is about (an entity id)", True),
        Column("property", "string", "What it says about it (a property id)", True),
        Column("object", "string", "Its value, when that is another entity (an entity id)"),
        Column("value", "string", "Its value otherwise: a date, number, text or true/false"),
        Column("unit", "string", "The unit of a numeric value"),
        Column("approximate", "boolean", "Whether a numeric value is approximate", True),
        Column("statement", "string", "The fact as a sentence, when written out"),
        Column("status", "string", "current, superseded (replaced by a newer value) or "
                                   "disputed (sources disagree)", True,
               values=("current", "superseded", "disputed")),
        _date("as_of", "When the value was true or reported"),
        _date("valid_from", "When it started to be true"),
        _date("valid_until", "When it stopped being true"),
        Column("supersedes", "array", "The ids of the facts it replaces (a JSON array)"),
        Column("note", "string", "An editor's note"),
        Column("file", "string", "The fact file that defines it", True),
        Column("line", "integer", "The line where it starts in that file", True),
    ), ("id",), (("subject", "entities"), ("property", "properties"), ("object", "entities"))),
    Table("citations", "Where each fact is stated: one row per citation.", (
        Column("fact", "string", "The fact cited (a fact id)", True),
        Column("number", "integer", "The citation's position among the fact's citations (1, 2, …)",
               True),
        Column("source", "string", "The document (a source id)", True),
        Column("locator", "string", "Where in the document: page, section, paragraph", True),
        Column("quote", "string", "The words of the document that support the fact"),
    ), ("fact", "number"), (("fact", "facts"), ("source", "sources"))),
)

# Every download, for the data page and the Dataset metadata: (path, media type, what it is).
DOWNLOADS = (
    ("data/datapackage.json", "application/json",
     "The Frictionless Data Package descriptor: every CSV table's columns, types and keys"),
    *((t.path, "text/csv", t.description) for t in TABLES),
    ("data/facts.json", "application/json",
     "Every entity, property and fact, with citations, status and dates, in one JSON file"),
    ("data/sources.csl.json", "application/vnd.citationstyles.csl+json",
     "Every source as CSL-JSON, which Zotero, pandoc and most reference managers import"),
)


def files(base: FactBase, licence: str | None = None, licence_url: str | None = None,
          title: str = "Factbase") -> dict[str, Callable[[], str]]:
    """Each export's path and the function that makes it (run with the pages)."""
    made = {"data/facts.json": lambda: _dump(facts_document(base)),
            "data/sources.csl.json": lambda: _dump([csl(s, base) for s in _sorted(base.sources)]),
            "data/datapackage.json": lambda: _pretty(datapackage(licence, licence_url, title))}
    for table in TABLES:
        made[table.path] = (lambda t: lambda: _csv(t, ROWS[t.name](base)))(table)
    return made


def datapackage(licence: str | None, licence_url: str | None,
                title: str = "Factbase") -> dict[str, Any]:
    """The Data Package descriptor of the CSV tables (paths relative to it),
    named after the site (a package name is lowercase letters, digits and -)."""
    package: dict[str, Any] = {"name": slugify(title)[:64] or "factbase", "title": title,
                               "profile": "tabular-data-package",
                               "resources": [_resource(t) for t in TABLES]}
    if licence_url:
        package["licenses"] = [{"path": licence_url, "title": licence or licence_url}]
    return package


def _resource(table: Table) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        field: dict[str, Any] = {"name": column.name, "type": column.type,
                                 "description": column.description}
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.pattern:
            constraints["pattern"] = column.pattern
        if column.values:
            constraints["enum"] = list(column.values)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "primaryKey": list(table.primary_key)}
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": column, "reference": {"resource": target,
                                                                  "fields": "id"}}
                                 for column, target in table.foreign_keys]
    return {"name": table.name, "path": table.path.removeprefix("data/"),
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "description": table.description, "schema": schema}


def _csv(table: Table, rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([_cell(row.get(c.name)) for c in table.columns])
    return out.getvalue()


def _cell(value: Any) -> str:
    """A cell as text; text a spreadsheet would run as a formula gets a leading
    `'` (escaping.csv_cell; the data page says so)."""
    if isinstance(value, str):
        return escaping.csv_cell(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return json.dumps(list(value), ensure_ascii=False)
    return str(value)


ROWS: dict[str, Callable[[FactBase], list[dict[str, Any]]]] = {
    "entities": lambda base: [vars(e) for e in _sorted(base.entities)],
    "properties": lambda base: [vars(p) for p in _sorted(base.properties)],
    "sources": lambda base: [vars(s) for s in _sorted(base.sources)],
    "facts": lambda base: [_fact(f, base) | {"file": f.span.path, "line": f.span.line}
                           for f in _sorted(base.facts)],
    "citations": lambda base: [{"fact": f.id, "number": n, "source": c.source,
                                "locator": c.locator, "quote": c.quote}
                               for f in _sorted(base.facts)
                               for n, c in enumerate(f.citations, 1)],
}


def facts_document(base: FactBase) -> dict[str, Any]:
    return {
        "version": EXPORT_VERSION,
        "entities": [{"id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases),
                      "summary": e.summary} for e in _sorted(base.entities)],
        "properties": [{"id": p.id, "label": p.label, "value_type": p.value_type,
                        "unit": p.unit, "single": p.single} for p in _sorted(base.properties)],
        "facts": [_fact(f, base) for f in _sorted(base.facts)],
    }


def _fact(fact: Fact, base: FactBase) -> dict[str, Any]:
    prop = base.properties.get(fact.property)
    value = fact.value
    if prop is not None and value is not None:
        value = typed_value(value, prop.value_type)
    return {
        "id": fact.id, "subject": fact.subject, "property": fact.property,
        "object": fact.object, "value": str(value) if isinstance(value, PartialDate) else value,
        "unit": prop.unit if prop else None, "approximate": fact.approximate,
        "statement": fact.statement, "status": fact.status.value,
        "as_of": _date(fact.as_of), "valid_from": _date(fact.valid_from),
        "valid_until": _date(fact.valid_until), "supersedes": list(fact.supersedes),
        "note": fact.note,
        "citations": [{"source": c.source, "locator": c.locator, "quote": c.quote}
                      for c in fact.citations],
        "file": fact.span.path, "line": fact.span.line,
    }


def csl(source: Source, base: FactBase) -> dict[str, Any]:
    """One CSL-JSON item, as reference managers (Zotero, pandoc) read them."""
    item: dict[str, Any] = {"id": source.id, "type": CSL_TYPES.get(source.kind, "webpage"),
                            "title": source.title, "URL": source.url,
                            "language": source.language}
    publisher = base.entities.get(source.publisher)
    if publisher:
        item["publisher"] = publisher.name
    if source.published:
        item["issued"] = _csl_date(source.published)
    if source.accessed:
        item["accessed"] = _csl_date(source.accessed)
    return item


def _csl_date(date: PartialDate) -> dict[str, list[list[int]]]:
    return {"date-parts": [[p for p in (date.year, date.month, date.day) if p]]}


def _date(date: PartialDate | None) -> str | None:
    return str(date) if date else None


def _sorted(items: dict) -> list:
    return [items[k] for k in sorted(items)]


def _pretty(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _dump(document: Any) -> str:
    # No indent: only then does json use its C encoder (5x faster on large bases).
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

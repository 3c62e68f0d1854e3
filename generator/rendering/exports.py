"""Machine-readable downloads: every fact as JSON, every source as CSL-JSON.

Both are deterministic (sorted, no timestamps) so builds are reproducible.
"""

from __future__ import annotations

import json
from typing import Any
from collections.abc import Callable

from ..model import Fact, FactBase, PartialDate, Source
from ..values import typed_value

EXPORT_VERSION = 1
CSL_TYPES = {
    "law": "legislation", "news": "article-newspaper", "blog": "post-weblog",
    "report": "report", "press-release": "webpage", "guidance": "webpage",
    "factsheet": "webpage", "web-page": "webpage", "image-page": "webpage",
}


def files(base: FactBase) -> dict[str, Callable[[], str]]:
    """Each export's path and the function that makes it (run with the pages)."""
    return {"data/facts.json": lambda: _dump(facts_document(base)),
            "data/sources.csl.json": lambda: _dump([csl(s, base) for s in _sorted(base.sources)])}


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


def _dump(document: Any) -> str:
    # No indent: only then does json use its C encoder (5x faster on large bases).
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"

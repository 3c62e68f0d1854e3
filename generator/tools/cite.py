"""`factbase cite FACT --source ID --locator TEXT [--quote TEXT]`: add a citation.

A second source for a claim is one more entry under the fact's `cite:`. The
fact is found by id wherever it is under facts/claims; the source, locator
and quote are checked as `factbase new` checks answers (the source must
exist, the quote be short enough), and the same source cited at the same
locator twice is refused. The entry is added with ruamel.yaml's round trip,
so every comment and the rest of the file stay as they were, and the base is
checked with it in place (`writeback`): new errors undo it.
"""

from __future__ import annotations

from pathlib import Path

from ..config import ConfigError
from ..diagnostics import did_you_mean
from ..model import Fact, FactBase
from .new import Draft
from .writeback import Edit


def find(base: FactBase, ident: str) -> Fact:
    fact = base.facts.get(ident)
    if fact is None:
        hint = did_you_mean(ident, base.facts)
        raise ConfigError(f"unknown fact '{ident}'" + (f" ({hint})" if hint else "")
                          + "; fact ids are on the site's Fact index and in facts/claims/")
    return fact


def draft(fact: Fact, values: dict[str, str]) -> Draft:
    return Draft("cite", {k: v for k, v in values.items() if v},
                 frozenset((c.source, c.locator) for c in fact.citations))


def edit(root: Path, fact: Fact, values: dict[str, str]) -> Edit:
    """The fact's file with the citation added at the end of its `cite:`."""
    from ruamel.yaml.comments import CommentedMap
    from . import yamlwrite  # ruamel.yaml: imported on use, so `check` starts fast
    path = root / fact.span.path
    old = path.read_text(encoding="utf-8")
    data = yamlwrite.load(old)
    record = next(item for item in data["facts"] if item.get("id") == fact.id)
    yamlwrite.append_item(record["cite"], CommentedMap(
        (k, values[k]) for k in ("source", "locator", "quote") if values.get(k)))
    return Edit(path, old, yamlwrite.dump(data))

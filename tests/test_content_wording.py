"""The shipped base says what documents say: statements, values and summaries
carry no research notes ("could not be confirmed", "as far as found"). What the
editors could not find belongs in a fact's note, or in a dated fact that the
record is silent."""

from __future__ import annotations

import re

from factbase.loading.loader import load

from conftest import REPO

RESEARCH_LANGUAGE = re.compile(
    r"could (not )?be (found|confirmed)|as far as|in the sources available|this base"
    r"|the base (holds|records)", re.IGNORECASE)


def _texts():
    base = load(REPO / "facts").base
    for fact in base.facts.values():
        yield fact.id, "statement", fact.statement
        if isinstance(fact.value, str):
            yield fact.id, "value", fact.value
    for entity in base.entities.values():
        yield entity.id, "summary", entity.summary


def test_no_statement_value_or_summary_carries_research_language():
    hits = [f"{ident} ({field}): {text}" for ident, field, text in _texts()
            if text and RESEARCH_LANGUAGE.search(text)]
    assert hits == []

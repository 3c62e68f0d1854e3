"""Mermaid diagrams drawn from facts. Labels are reduced to plain text first,
so nothing from a fact file can inject diagram syntax or HTML."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from markupsafe import Markup

from .markup import format_date, mermaid_label
from .model import FactBase, Fact, Status
from .pages import TimelineEvent


def relationships(base: FactBase, facts: Iterable[Fact]) -> Markup:
    """A left-to-right graph of entity-valued facts, one edge per fact."""
    nodes: dict[str, str] = {}
    lines = ["flowchart LR"]

    def node(ident: str) -> str:
        if ident not in nodes:
            nodes[ident] = f"n{len(nodes)}"
            lines.append(f'  {nodes[ident]}["{mermaid_label(base.entities[ident].name)}"]')
        return nodes[ident]

    edges = []
    for fact in facts:
        if fact.object and fact.object in base.entities and fact.subject in base.entities:
            label = mermaid_label(base.properties[fact.property].label)
            edges.append(f'  {node(fact.subject)} -->|"{label}"| {node(fact.object)}')
    return Markup("\n".join(lines + sorted(set(edges), key=edges.index)))


def timeline(base: FactBase, events: Iterable[TimelineEvent], title: str) -> Markup:
    """A Mermaid timeline: one period per year, one entry per dated fact."""
    by_year: dict[int, list[str]] = defaultdict(list)
    for event in events:
        fact = event.fact
        label = f"{base.entities[fact.subject].name} {base.properties[fact.property].label}"
        if fact.status is Status.SUPERSEDED:
            label += " (superseded plan)"
        elif fact.status is Status.DISPUTED:
            label += " (disputed)"
        by_year[event.date.year].append(mermaid_label(f"{format_date(event.date)} {label}"))
    lines = ["timeline", f"  title {mermaid_label(title)}"]
    for year in sorted(by_year):
        lines.append(f"  {year} : " + " : ".join(by_year[year]))
    return Markup("\n".join(lines))

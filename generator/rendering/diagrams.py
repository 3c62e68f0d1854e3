"""Mermaid diagrams drawn from facts. Labels are reduced to plain text first,
so nothing from a fact file can inject diagram syntax or HTML."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from markupsafe import Markup

from .markup import format_date, mermaid_label
from ..model import FactBase, Fact, Status
from .pages import TimelineEvent


def relationships(base: FactBase, facts: Iterable[Fact]) -> Markup:
    """A left-to-right graph of entity-valued facts; parallel edges are merged."""
    labels: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fact in facts:
        if fact.object in base.entities and fact.subject in base.entities:
            label = base.properties[fact.property].label
            if label not in labels[fact.subject, fact.object]:
                labels[fact.subject, fact.object].append(label)
    nodes: dict[str, str] = {}
    lines = ["flowchart LR"]
    for ident in dict.fromkeys(i for pair in labels for i in pair):
        nodes[ident] = f"n{len(nodes)}"
        lines.append(f'  {nodes[ident]}["{mermaid_label(base.entities[ident].name)}"]')
    for (subject, obj), names in labels.items():
        text = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
        lines.append(f'  {nodes[subject]} -->|"{mermaid_label(text)}"| {nodes[obj]}')
    return Markup("\n".join(lines))


def timeline(base: FactBase, events: Iterable[TimelineEvent], title: str,
             with_subject: bool = False) -> Markup:
    """A Mermaid timeline: one period per year, one entry per dated fact."""
    by_year: dict[int, list[str]] = defaultdict(list)
    for event in events:
        fact = event.fact
        label = base.properties[fact.property].label
        if with_subject:
            entity = base.entities[fact.subject]
            label = f"{entity.aliases[0] if entity.aliases else entity.name} {label}"
        if fact.status is Status.SUPERSEDED:
            label += " (superseded plan)"
        elif fact.status is Status.DISPUTED:
            label += " (disputed)"
        by_year[event.date.year].append(mermaid_label(f"{format_date(event.date)}, {label}"))
    lines = ["timeline", f"  title {mermaid_label(title)}"]
    for year in sorted(by_year):
        lines.append(f"  {year} : " + " : ".join(by_year[year]))
    return Markup("\n".join(lines))

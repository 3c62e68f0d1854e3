"""Diagrams drawn from facts at build time, as static SVG (svg.py says what
every drawing shares; timeline_svg.py draws the timelines).

A relationship diagram is one or more hubs, each drawn as a tree: the
entity's box on top, and under it a block per relation, its label in
sentence case ("Carries instrument") and the entities it relates the hub
to, one box a row. Arrows point from the entity that states the relation
to the one it names: to the boxes for what the hub names, to the hub's
trunk for what names the hub (those labels end in the hub's shortest name,
"Partner: ESA"). A relation and its inverse ("carries instrument" / "instrument
of") or a symmetric relation stated both ways is one edge, told from the
hub's side; a neighbour related in several ways appears under each
relation, so every label names one relation. A hub shows at most MAX_ROWS
rows, then "and N more", which links to the See also list on the hub's
page. On a desktop column the blocks share two columns; on a phone's they
are one (svg.frame's two variants). Every box links to its entity's page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..model import Fact, FactBase
from .svg import (FONT, NARROW, WIDE, Variant, arrow_defs, chars_in, esc, frame, href,
                  sentence, shorten, wrap)
from .timeline_svg import timeline

__all__ = ["relationships", "timeline"]

MAX_ROWS = 14            # rows drawn per hub; the rest are counted
ROW, LINE, PAD = 30, 18, 10   # px: a neighbour's row, a label's line, inside a box
TRUNK, BRANCH, BOX = 14, 28, 44   # px from a column's left: the trunk, a block's stem, its boxes
HUB_H, BLOCK_GAP, HUB_GAP = 30, 10, 28


@dataclass
class Side:
    # (relation labels, neighbours drawn, how many more share those labels)
    groups: list[tuple[tuple[str, ...], list[str], int]] = field(default_factory=list)

    def rows(self) -> int:
        return sum(len(names) for _, names, _ in self.groups)


@dataclass
class Hub:
    centre: str
    out: Side
    into: Side
    hidden: int = 0   # neighbours in groups that got no row at all


def relationships(base: FactBase, facts: Iterable[Fact], page, key: str = "relationships",
                  centres: Iterable[str] = (), title: str = "Relationships") -> Markup:
    """Entity-valued facts as a figure of hubs: one per entity in `centres`
    that the facts touch, then as few more as the other facts need."""
    found = hubs(base, facts, centres)
    if not found:
        return Markup("")
    caption = ("Arrows point from the entity that states a relation to the entity it names; "
               "each box links to its page.")
    if any(h.hidden or any(more for side in (h.out, h.into) for _, _, more in side.groups)
           for h in found):
        caption += " \u201cMore\u201d leads to the full list under See also on the entity\u2019s page."
    variants = [_variant(base, page, found, f"{key}-{fit}", fit, width, columns)
                for fit, width, columns in (("wide", WIDE, 2), ("narrow", NARROW, 1))]
    return frame(key, title, caption, variants)


def _variant(base, page, found: list[Hub], key: str, fit: str, width: float,
             columns: int) -> Variant:
    body, y = [arrow_defs(key)], 0.0
    for hub in found:
        parts, height = _tree(base, page, hub, key, width, columns)
        body.append(f'<g transform="translate(0,{y:.0f})">' + "".join(parts) + "</g>")
        y += height + HUB_GAP
    return Variant(fit, width, y - HUB_GAP + 4, body)


def hubs(base: FactBase, facts: Iterable[Fact], centres: Iterable[str] = ()) -> list[Hub]:
    """Each fact told once, from the side of the first centre it touches;
    facts that touch none go to extra centres, the entity touching most first."""
    edges = [f for f in facts if f.subject in base.entities and f.object in base.entities
             and f.subject != f.object]
    order = list(dict.fromkeys(centres))
    sides: dict[str, dict[str, dict[str, list[str]]]] = {}
    while edges:
        for fact in edges:
            centre = next((c for c in order if c in (fact.subject, fact.object)), None)
            if centre is not None:
                side, neighbour, label = _told_from(base, fact, centre)
                by_side = sides.setdefault(centre, {"out": {}, "in": {}})
                labels = by_side[side].setdefault(neighbour, [])
                if label not in labels:
                    labels.append(label)
        edges = [f for f in edges if not {f.subject, f.object} & set(order)]
        if edges:
            degree = Counter(i for f in edges for i in (f.subject, f.object))
            order.append(max(degree, key=lambda i: degree[i]))  # ties: the first seen
    return [_bounded(c, sides[c]) for c in order if c in sides]


def _told_from(base: FactBase, fact: Fact, centre: str) -> tuple[str, str, str]:
    """(side, neighbour, relation label) of a fact as seen from the centre:
    a relation with an inverse, or a symmetric one, reads from the centre out."""
    prop = base.properties[fact.property]
    if fact.subject == centre:
        return "out", fact.object, prop.label
    inverse = base.properties.get(prop.inverse or "")
    if inverse is not None:
        return "out", fact.subject, inverse.label
    return ("out" if prop.symmetric else "in"), fact.subject, prop.label


def _bounded(centre: str, by_side: dict[str, dict[str, list[str]]]) -> Hub:
    """Neighbours grouped by relation, one label each. Rows are dealt out a
    round at a time, one per group, so every relation shows before any
    group's second neighbour; at most MAX_ROWS, then each cut group gets an
    "and N more" row, and groups that got no row are counted in `hidden`."""
    groups = []
    for side in ("out", "in"):
        by_label: dict[str, list[str]] = {}
        for neighbour, labels in by_side[side].items():
            for label in labels:
                by_label.setdefault(label, []).append(neighbour)
        groups += [(side, (label,), names) for label, names in by_label.items()]
    # Relations with most neighbours first, so a hub with more relations than
    # rows cuts single ones ("and N more"), not "carries instrument".
    groups.sort(key=lambda group: -len(group[2]))
    rows, budget = [0] * len(groups), MAX_ROWS
    for depth in range(max(len(names) for _, _, names in groups)):
        for n, (_, _, names) in enumerate(groups):
            if budget and len(names) > depth:
                rows[n], budget = rows[n] + 1, budget - 1
    out, into, hidden = Side(), Side(), 0
    for (side, labels, names), taken in zip(groups, rows):
        if taken and len(names) - taken == 1:   # the "and 1 more" row would take its room
            taken += 1
        if taken:
            (out if side == "out" else into).groups.append(
                (labels, names[:taken], len(names) - taken))
        hidden += 0 if taken else len(names)
    return Hub(centre, out, into, hidden)


def _name(base: FactBase, ident: str, chars: int) -> str:
    """An entity's name as a box shows it: the name, a short alias, or the name cut."""
    entity = base.entities[ident]
    if len(entity.name) <= chars:
        return entity.name
    short = [a for a in entity.aliases if len(a) <= chars]
    return short[0] if short else shorten(entity.name, chars)


def _short(base: FactBase, ident: str) -> str:
    """The shortest name an entity goes by ("ESA"), for labels that repeat it."""
    entity = base.entities[ident]
    return min([entity.name, *entity.aliases], key=len)


Entry = tuple[str, int]   # (an entity id, 0) or ("", how many more)


@dataclass
class Block:
    """One relation under a hub: its label's lines and its rows."""
    lines: list[str]
    rows: list[Entry]
    incoming: bool

    @property
    def height(self) -> float:
        return len(self.lines) * LINE + len(self.rows) * ROW + BLOCK_GAP


def _blocks(base: FactBase, hub: Hub, width: float) -> list[Block]:
    """The hub's relations, what it names first; each label one relation."""
    hub_name = _short(base, hub.centre)
    chars = chars_in(width - BRANCH - 8)
    blocks = []
    for side, incoming in ((hub.out, False), (hub.into, True)):
        for (label,), names, more in side.groups:
            # What names the hub reads toward it: "Partner: ESA", "Implemented by: ESA".
            text = sentence(label) + (f": {hub_name}" if incoming else "")
            rows = [(n, 0) for n in names] + ([("", more)] if more else [])
            blocks.append(Block(wrap(text, chars, 3), rows, incoming))
    if hub.hidden:   # whole relations without a row: one last row
        blocks.append(Block([], [("", hub.hidden)], False))
    return blocks


def _columns(blocks: list[Block], columns: int) -> list[list[Block]]:
    """Blocks in order in one column, or split in two where the taller is shortest."""
    if columns == 1 or len(blocks) < 2:
        return [blocks]
    heights = [b.height for b in blocks]
    cut = min(range(1, len(blocks)), key=lambda k: max(sum(heights[:k]), sum(heights[k:])))
    return [blocks[:cut], blocks[cut:]]


def _tree(base: FactBase, page, hub: Hub, key: str, width: float,
          columns: int) -> tuple[list[str], float]:
    """A hub's drawing and its height: the hub's box across the top, then its
    relation blocks in `columns` columns, each with a trunk from the hub."""
    col_w = (width - 8 * (columns + 1)) / columns
    blocks = _blocks(base, hub, col_w)
    parts = [_box(base, page, hub.centre, 8, HUB_H / 2 + 2, width - 16, "fb-hub", HUB_H)]
    bottom = HUB_H + 4.0
    for n, column in enumerate(_columns(blocks, columns)):
        x0, y = 8 + n * (col_w + 8), HUB_H + 4 + 8.0
        stems = []
        for block in column:
            part, stem = _block(base, page, hub, block, key, x0, y, col_w)
            parts += part
            stems.append(stem)
            y += block.height
        if stems:
            parts.insert(1, f'<path class="fb-edge" d="M{x0 + TRUNK:.1f},{HUB_H + 4:.1f} '
                            f'V{max(stems):.1f}"/>')
        bottom = max(bottom, y)
    return parts, bottom


def _block(base, page, hub: Hub, block: Block, key: str, x0: float, top: float,
           width: float) -> tuple[list[str], float]:
    """A relation's label, a branch from the trunk to it, and a row per
    neighbour with an arrow to its box (or from it, toward the hub)."""
    parts, y = [], top
    if block.lines:   # one <text> per label, a line a <tspan>
        parts.append('<text class="fb-relation">' + "".join(
            f'<tspan x="{x0 + BRANCH - 6:.1f}" y="{top + LINE * n + FONT * 0.8:.1f}">{esc(line)}</tspan>'
            for n, line in enumerate(block.lines)) + "</text>")
    stem_y = top + (LINE / 2 if block.lines else ROW / 2)
    y = top + len(block.lines) * LINE
    box_x, box_w = x0 + BOX, width - BOX
    last = y + ROW / 2 + (len(block.rows) - 1) * ROW
    parts.append(f'<path class="fb-edge" d="M{x0 + TRUNK:.1f},{stem_y:.1f} H{x0 + BRANCH - 10:.1f}"/>'
                 if block.lines else "")
    parts.append(f'<path class="fb-edge" d="M{x0 + BRANCH - 14:.1f},{stem_y + 4:.1f} V{last:.1f}"/>'
                 if block.lines else "")
    for n, (ident, more) in enumerate(block.rows):
        row_y = y + ROW / 2 + n * ROW
        tip = "marker-start" if block.incoming else "marker-end"
        start = x0 + (BRANCH - 14 if block.lines else TRUNK)
        parts.append(f'<path class="fb-edge" d="M{start + (2 if block.incoming else 0):.1f},{row_y:.1f} '
                     f'H{box_x - 2:.1f}" {tip}="url(#{key}-arrow)"/>')
        parts.append(_box(base, page, ident, box_x, row_y, box_w, "fb-node") if ident
                     else _more(page, hub, more, box_x, row_y, box_w))
    return parts, (stem_y if block.lines else y + ROW / 2)


def _box(base: FactBase, page, ident: str, x: float, y: float, width: float, cls: str,
         height: float = 24) -> str:
    """An entity's box, a link to its page (unless it is this page)."""
    entity = base.entities[ident]
    shape = (f'<rect class="{cls}" x="{x:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" '
             f'height="{height:.0f}" rx="4"/><text class="{cls}-text" x="{x + PAD:.1f}" '
             f'y="{y + FONT * 0.35:.1f}">{esc(_name(base, ident, chars_in(width - 2 * PAD)))}</text>')
    target = href(page, ident)
    if target.startswith("#"):
        return f"<g><title>{esc(entity.name)}</title>{shape}</g>"
    return f'<a href="{target}"><title>{esc(entity.name)}</title>{shape}</a>'


def _more(page, hub: Hub, count: int, x: float, y: float, width: float) -> str:
    """A row standing for neighbours left out: a link to the full See also list."""
    return (f'<a href="{href(page, hub.centre, "see-also")}"><rect class="fb-more" '
            f'x="{x:.1f}" y="{y - 12:.1f}" width="{width:.1f}" height="24" rx="4"/>'
            f'<text class="fb-node-text" x="{x + PAD:.1f}" y="{y + FONT * 0.35:.1f}">'
            f"and {count} more</text></a>")

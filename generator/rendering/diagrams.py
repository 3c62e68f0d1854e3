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
from .svg import (FONT, NARROW, WIDE, Variant, chars_in, esc, frame, href, sentence,
                  shorten, text_width, wrap)
from .timeline_svg import timeline

__all__ = ["draws_all", "relationships", "timeline"]

MAX_ROWS = 14            # rows drawn per hub; the rest are counted
ROW, LINE, PAD = 30, 18, 10   # px: a neighbour's row, a label's line, inside a box
TRUNK, BRANCH, BOX = 14, 28, 44   # px from a column's left: the trunk, a block's stem, its boxes
HUB_H, BLOCK_GAP, HUB_GAP = 30, 10, 28
PHONE_RELATIONS = 6      # relations drawn on a phone; the rest are one "and N more" row
PHONE_LABEL = 110        # px: a relation's label column on a phone (4 lines at most)


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
    caption = "Each box links to its page; arrows point from the entity that states a relation to the one it names."
    if not _complete(found):
        caption += " \u201cMore\u201d leads to the full list under See also."
    variants = [_variant(base, page, found, fit, width) for fit, width in (("wide", WIDE), ("narrow", NARROW))]
    return frame(key, title, caption, variants)


def draws_all(base: FactBase, facts: Iterable[Fact], centres: Iterable[str],
              related: Iterable[str]) -> bool:
    """Whether the drawing shows every one of `related` as a box, at both widths
    (then a list of them beside it would only repeat it)."""
    found = hubs(base, facts, centres)
    drawn = {n for hub in found for side in (hub.out, hub.into) for _, names, _ in side.groups
             for n in names} | {hub.centre for hub in found}
    return _complete(found) and set(related) <= drawn


def _complete(found: list[Hub]) -> bool:
    """No "and N more" row in either arrangement."""
    return not any(h.hidden or len(h.out.groups) + len(h.into.groups) > PHONE_RELATIONS
                   or any(more for side in (h.out, h.into) for _, _, more in side.groups)
                   for h in found)


def _variant(base, page, found: list[Hub], fit: str, width: float) -> Variant:
    pen, y = Pen(), 0.0
    for hub in found:
        pen.dy = y
        y += (_tree(base, page, hub, pen, width) if fit == "wide"
              else _rows(base, page, hub, pen, width)) + HUB_GAP
    return Variant(fit, width, y - HUB_GAP + 4, pen.body())


@dataclass
class Pen:
    """What a drawing is made of, in few elements: every line one path, every
    arrowhead one more, then the boxes and labels (light pages: a drawing is
    written into every page that shows it)."""
    dy: float = 0.0
    lines: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    shapes: list[str] = field(default_factory=list)

    def line(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.lines.append(f"M{_n(x1)},{_n(y1 + self.dy)}{'H' + _n(x2) if y1 == y2 else 'V' + _n(y2 + self.dy)}")

    def arrow(self, x1: float, x2: float, y: float) -> None:
        """A horizontal arrow from x1 to x2, its head at x2."""
        self.line(x1, y, x2, y)
        back = 7 if x2 > x1 else -7
        self.heads.append(f"M{_n(x2 - back)},{_n(y + self.dy - 3.5)}L{_n(x2)},{_n(y + self.dy)}"
                          f"L{_n(x2 - back)},{_n(y + self.dy + 3.5)}z")

    def shape(self, markup: str) -> None:
        self.shapes.append(markup)

    def body(self) -> list[str]:
        return [f'<path class="fb-edge" d="{"".join(self.lines)}"/>',
                f'<path class="fb-arrowhead" d="{"".join(self.heads)}"/>', *self.shapes]


def _n(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing ".0"."""
    return f"{value:.1f}".removesuffix(".0")


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


def _blocks(base: FactBase, hub: Hub, width: float, most: int = 3) -> list[Block]:
    """The hub's relations, what it names first; each label one relation."""
    hub_name = _short(base, hub.centre)
    chars = chars_in(width - BRANCH - 8)
    blocks = []
    for side, incoming in ((hub.out, False), (hub.into, True)):
        for (label,), names, more in side.groups:
            # What names the hub reads toward it: "Partner: ESA", "Implemented by: ESA".
            text = sentence(label) + (f": {hub_name}" if incoming else "")
            rows = [(n, 0) for n in names] + ([("", more)] if more else [])
            blocks.append(Block(wrap(text, chars, most), rows, incoming))
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


def _tree(base: FactBase, page, hub: Hub, pen: Pen, width: float, columns: int = 2) -> float:
    """A hub's drawing on a desktop column, and its height: the hub's box
    across the top, then its relation blocks in two columns, each with a
    trunk from the hub and a box a row."""
    col_w = (width - 8 * (columns + 1)) / columns
    blocks = _blocks(base, hub, col_w)
    pen.shape(_box(base, page, hub.centre, 8, HUB_H / 2 + 2 + pen.dy, width - 16, "fb-hub", HUB_H))
    bottom = HUB_H + 4.0
    for n, column in enumerate(_columns(blocks, columns)):
        x0, y = 8 + n * (col_w + 8), HUB_H + 4 + 8.0
        stems = []
        for block in column:
            stems.append(_block(base, page, hub, block, pen, x0, y, col_w))
            y += block.height
        if stems:
            pen.line(x0 + TRUNK, HUB_H + 4, x0 + TRUNK, max(stems))
        bottom = max(bottom, y)
    return bottom


def _block(base, page, hub: Hub, block: Block, pen: Pen, x0: float, top: float,
           width: float) -> float:
    """A relation's label, a branch from the trunk to it, and a row per
    neighbour with an arrow to its box (or from it, toward the hub); returns
    where the branch meets the trunk."""
    if block.lines:
        pen.shape(_label(block.lines, x0 + BRANCH - 6, top + pen.dy))
    stem_y = top + (LINE / 2 if block.lines else ROW / 2)
    y = top + len(block.lines) * LINE
    box_x, box_w = x0 + BOX, width - BOX
    last = y + ROW / 2 + (len(block.rows) - 1) * ROW
    if block.lines:
        pen.line(x0 + TRUNK, stem_y, x0 + BRANCH - 10, stem_y)
        pen.line(x0 + BRANCH - 14, stem_y + 4, x0 + BRANCH - 14, last)
    start = x0 + (BRANCH - 14 if block.lines else TRUNK)
    for n, (ident, more) in enumerate(block.rows):
        row_y = y + ROW / 2 + n * ROW
        if block.incoming:
            pen.arrow(box_x - 2, start + 2, row_y)
        else:
            pen.arrow(start, box_x - 2, row_y)
        pen.shape(_box(base, page, ident, box_x, row_y + pen.dy, box_w, "fb-node") if ident
                  else _more(page, hub, more, box_x, row_y + pen.dy, box_w))
    return stem_y if block.lines else y + ROW / 2


def _rows(base: FactBase, page, hub: Hub, pen: Pen, width: float) -> float:
    """A hub's drawing on a phone's column, and its height: a row per relation,
    its label on the left and its boxes side by side on the right, so the
    drawing stays a few screens' fraction tall. At most PHONE_RELATIONS
    relations; one "and N more" row counts the rest (listed under See also)."""
    label_w = PHONE_LABEL
    blocks = _blocks(base, hub, label_w + BRANCH + 8, 4)   # _blocks leaves room for a tree's branch
    if len(blocks) > PHONE_RELATIONS:
        rest = blocks[PHONE_RELATIONS - 1:]
        left = sum(more or 1 for block in rest for _, more in block.rows)
        blocks = blocks[:PHONE_RELATIONS - 1] + [Block([], [("", left)], False)]
    pen.shape(_box(base, page, hub.centre, 8, HUB_H / 2 + 2 + pen.dy, width - 16, "fb-hub", HUB_H))
    label_x = 8 + BRANCH - 6
    chips_x = label_x + label_w + 16
    y, stems = HUB_H + 4 + 8.0, []
    for block in blocks:
        chips = _chips(base, block.rows, chips_x, width - 8 - chips_x)
        lines = chips[-1][3] + 1
        top = (ROW - LINE) / 2   # the label's first line level with the first row of boxes
        height = max(top + len(block.lines) * LINE, lines * ROW)
        mid = y + ROW / 2
        if block.lines:
            pen.shape(_label(block.lines, label_x, y + top + pen.dy))
            pen.line(8 + TRUNK, mid, label_x - 4, mid)
            ends = (label_x + label_w + 2, chips_x - 2)
        else:
            ends = (8 + TRUNK, chips_x - 2)
        pen.arrow(*(reversed(ends) if block.incoming else ends), mid)
        for (ident, more), x, w, row in chips:
            at = y + ROW / 2 + row * ROW + pen.dy
            pen.shape(_box(base, page, ident, x, at, w, "fb-node") if ident
                      else _more(page, hub, more, x, at, w))
        stems.append(mid)
        y += height + 6
    pen.line(8 + TRUNK, HUB_H + 4, 8 + TRUNK, max(stems))
    return y - 6


def _chips(base, rows: list[Entry], x0: float, width: float) -> list[tuple[Entry, float, float, int]]:
    """A relation's boxes side by side, wrapping to a new row where the next
    does not fit: (entry, x, width, row) for each."""
    placed, x, row = [], x0, 0
    for ident, more in rows:
        text = _name(base, ident, chars_in(width - 2 * PAD)) if ident else f"and {more} more"
        # + 6: capitals ("GCAM") run wider than the average letter; the name must fit again in _box
        w = min(width, text_width(text) + 2 * PAD + 6)
        if x > x0 and x + w > x0 + width:
            x, row = x0, row + 1
        placed.append(((ident, more), x, w, row))
        x += w + 6
    return placed


def _label(lines: list[str], x: float, top: float) -> str:
    """A relation's label: one <text>, a line a <tspan>."""
    return '<text class="fb-relation">' + "".join(
        f'<tspan x="{_n(x)}" y="{_n(top + LINE * n + FONT * 0.8)}">{esc(line)}</tspan>'
        for n, line in enumerate(lines)) + "</text>"


def _box(base: FactBase, page, ident: str, x: float, y: float, width: float, cls: str,
         height: float = 24) -> str:
    """An entity's box, a link to its page (unless it is this page). The
    name in full is its tooltip only where the box shows it shortened."""
    entity = base.entities[ident]
    name = _name(base, ident, chars_in(width - 2 * PAD))
    tip = "" if name == entity.name else f"<title>{esc(entity.name)}</title>"
    label = ' class="fb-hub-text"' if cls == "fb-hub" else ""   # a neighbour's text needs no class
    shape = (f'<rect class="{cls}" x="{_n(x)}" y="{_n(y - height / 2)}" width="{_n(width)}" '
             f'height="{height:.0f}" rx="4"/><text{label} x="{_n(x + PAD)}" '
             f'y="{_n(y + FONT * 0.35)}">{esc(name)}</text>')
    target = href(page, ident)
    if target.startswith("#"):
        return f"<g>{tip}{shape}</g>"
    return f'<a href="{target}">{tip}{shape}</a>'


def _more(page, hub: Hub, count: int, x: float, y: float, width: float) -> str:
    """A row standing for neighbours left out: a link to the full See also list."""
    return (f'<a href="{href(page, hub.centre, "see-also")}"><rect class="fb-more" '
            f'x="{_n(x)}" y="{_n(y - 12)}" width="{_n(width)}" height="24" rx="4"/>'
            f'<text x="{_n(x + PAD)}" y="{_n(y + FONT * 0.35)}">'
            f"and {count} more</text></a>")

"""Diagrams drawn from facts at build time, as static SVG (svg.py says what
every drawing shares; timeline_svg.py draws the timelines).

A relationship diagram is one or more hubs: an entity in the middle, the
entities it names on its right and those that name it on its left, each
side grouped by relation, with arrows from the entity that states the
relation to the one it names. A relation and its inverse ("carries
instrument" / "instrument of") or a symmetric relation stated both ways is
one edge, told from the hub's side; several relations to one neighbour
share one row. A hub shows at most MAX_ROWS neighbours, then "and N more",
which links to the See also list on the hub's page. Every box links to its
entity's page. The layout is columns and rows computed here, so labels
cannot overlap and no script is needed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from ..model import Fact, FactBase
from .svg import FONT, arrow_defs, esc, frame, href, shorten, text_width, wrap
from .timeline_svg import timeline

__all__ = ["relationships", "timeline"]

MAX_ROWS = 14            # neighbours drawn per hub; the rest are counted
ROW, GAP, PAD = 30, 36, 10   # px: a neighbour's row, between columns, inside a box
NAME_CHARS, LABEL_CHARS, LABEL_LINES = 34, 28, 4


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
    body, y, width = [arrow_defs(key)], 0.0, 0.0
    for parts, w, h in (_layout(base, page, hub, key) for hub in found):
        body.append(f'<g transform="translate(0,{y:.0f})">' + "".join(parts) + "</g>")
        y, width = y + h + 24, max(width, w)
    caption = ("Arrows point from the entity that states a relation to the entity it names; "
               "each box links to its page.")
    if any(h.hidden or any(more for side in (h.out, h.into) for _, _, more in side.groups)
           for h in found):
        caption += " \u201cMore\u201d leads to the full list under See also on the entity\u2019s page."
    return frame(key, title, caption, width, y - 24 + 8, body)


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
    """Neighbours grouped by the relations they share. Rows are dealt out a
    round at a time, one per group, so every relation shows before any
    group's second neighbour; at most MAX_ROWS, then each cut group gets an
    "and N more" row, and groups that got no row are counted in `hidden`."""
    groups = []
    for side in ("out", "in"):
        shared: dict[tuple[str, ...], list[str]] = {}
        for neighbour, labels in by_side[side].items():
            shared.setdefault(tuple(labels), []).append(neighbour)
        groups += [(side, labels, names) for labels, names in shared.items()]
    rows, budget = [0] * len(groups), MAX_ROWS
    for depth in range(max(len(names) for _, _, names in groups)):
        for n, (_, _, names) in enumerate(groups):
            if budget and len(names) > depth:
                rows[n], budget = rows[n] + 1, budget - 1
    out, into, hidden = Side(), Side(), 0
    for (side, labels, names), taken in zip(groups, rows):
        if taken:
            (out if side == "out" else into).groups.append(
                (labels, names[:taken], len(names) - taken))
        hidden += 0 if taken else len(names)
    return Hub(centre, out, into, hidden)


def _name(base: FactBase, ident: str) -> str:
    entity = base.entities[ident]
    if len(entity.name) <= NAME_CHARS:
        return entity.name
    short = [a for a in entity.aliases if len(a) <= NAME_CHARS]
    return short[0] if short else shorten(entity.name, NAME_CHARS)


Entry = tuple[str, int]   # (an entity id, 0) or ("", how many more)


def _entries(side: Side) -> list[tuple[tuple[str, ...], list[Entry]]]:
    """Each group's rows: its neighbours, then "and N more" if it was cut."""
    return [(labels, [(n, 0) for n in names] + ([("", more)] if more else []))
            for labels, names, more in side.groups]


def _entry_text(base: FactBase, entry: Entry) -> str:
    ident, more = entry
    return _name(base, ident) if ident else f"and {more} more"


def _box_width(base: FactBase, texts: Iterable[str]) -> float:
    return max((text_width(t) + 2 * PAD for t in texts), default=0.0)


def _label_lines(labels: tuple[str, ...]) -> list[str]:
    return wrap(", ".join(labels), LABEL_CHARS, LABEL_LINES)


def _group_height(labels: tuple[str, ...], rows: int) -> float:
    return max(rows * ROW, len(_label_lines(labels)) * 18 + 12)


@dataclass
class Column:
    """One side of a hub, measured: its groups' rows and the widths they need."""
    groups: list[tuple[tuple[str, ...], list[Entry]]]
    box: float
    label: float
    height: float

    @classmethod
    def of(cls, base: FactBase, groups: list[tuple[tuple[str, ...], list[Entry]]]) -> Column:
        return cls(groups,
                   _box_width(base, (_entry_text(base, e) for _, rows in groups for e in rows)),
                   max((text_width(line) for labels, _ in groups
                        for line in _label_lines(labels)), default=0.0),
                   sum(_group_height(labels, len(rows)) for labels, rows in groups))


def _layout(base: FactBase, page, hub: Hub, key: str) -> tuple[list[str], float, float]:
    """A hub's drawing, its width and its height. Columns from the left: what
    names the hub, their relations, the hub, its relations, what it names."""
    outs = _entries(hub.out)
    if hub.hidden:   # whole groups without a row: one last row on the right
        outs.append(((), [("", hub.hidden)]))
    right, left = Column.of(base, outs), Column.of(base, _entries(hub.into))
    centre_box = _box_width(base, [_name(base, hub.centre)])
    x_left_label = 8 + left.box + GAP
    x_centre = x_left_label + left.label + GAP if left.groups else 8.0
    x_right_label = x_centre + centre_box + GAP
    x_right_box = x_right_label + right.label + GAP
    height = max(right.height, left.height, 40.0) + 8
    parts: list[str] = []
    for column, is_right in ((right, True), (left, False)):
        top = (height - column.height) / 2
        for labels, rows in column.groups:
            parts += _group(base, page, hub, labels, rows, top, key, right=is_right,
                            stem=(x_centre + centre_box if is_right else x_centre, height / 2),
                            label_x=x_right_label if is_right else x_left_label,
                            label_w=column.label,
                            box_x=x_right_box if is_right else 8.0, box_w=column.box)
            top += _group_height(labels, len(rows))
    parts.append(_box(base, page, hub.centre, x_centre, height / 2, centre_box, "fb-hub"))
    width = (x_right_box + right.box if right.groups else x_centre + centre_box) + 8
    return parts, width, height


def _group(base, page, hub: Hub, labels: tuple[str, ...], rows: list[Entry], top: float,
           key: str, *, right: bool, stem: tuple[float, float], label_x: float,
           label_w: float, box_x: float, box_w: float) -> list[str]:
    """One relation group: the curve from the hub to its label, the label,
    and an arrow from the label to each neighbour (or from each to the label)."""
    gy = top + _group_height(labels, len(rows)) / 2
    lines = _label_lines(labels) if labels else []
    label_end = (label_x + label_w + 4) if lines else label_x - 4
    if right:
        parts = [_curve(stem, (label_x - 4, gy), key, arrow=False)]
    else:
        parts = [_curve((label_end, gy), stem, key, arrow=True)]
    if lines:
        first = gy - (len(lines) - 1) * 9 + FONT * 0.35
        text = "".join(f'<tspan x="{label_x:.1f}" y="{first + 18 * n:.1f}">{esc(line)}</tspan>'
                       for n, line in enumerate(lines))
        parts.append(f'<text class="fb-relation"><title>{esc(", ".join(labels))}</title>'
                     f"{text}</text>")
    row_top = gy - len(rows) * ROW / 2
    for n, entry in enumerate(rows):
        y = row_top + ROW / 2 + n * ROW
        if right:
            parts.append(_curve((label_end, gy), (box_x - 2, y), key, arrow=True))
        else:
            parts.append(_curve((box_x + box_w + 2, y), (label_x - 4, gy), key, arrow=False))
        if entry[0]:
            parts.append(_box(base, page, entry[0], box_x, y, box_w, "fb-node"))
        else:
            parts.append(_more(page, hub, entry[1], box_x, y, box_w))
    return parts


def _curve(start: tuple[float, float], end: tuple[float, float], key: str, arrow: bool) -> str:
    (x1, y1), (x2, y2) = start, end
    bend = (x1 + x2) / 2
    tip = f' marker-end="url(#{key}-arrow)"' if arrow else ""
    return (f'<path class="fb-edge" d="M{x1:.1f},{y1:.1f} C{bend:.1f},{y1:.1f} '
            f'{bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"{tip}/>')


def _box(base: FactBase, page, ident: str, x: float, y: float, width: float, cls: str) -> str:
    """An entity's box, a link to its page (unless it is this page)."""
    entity = base.entities[ident]
    shape = (f'<rect class="{cls}" x="{x:.1f}" y="{y - 12:.1f}" width="{width:.1f}" '
             f'height="24" rx="4"/><text class="{cls}-text" x="{x + PAD:.1f}" '
             f'y="{y + FONT * 0.35:.1f}">{esc(_name(base, ident))}</text>')
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

"""Timelines drawn at build time as static SVG (svg.py says what every
drawing shares: no script, theme colours, text that keeps its size).

Time runs left to right on a proportional axis that spans the drawing's
width (WIDE on a desktop column, NARROW on a phone's: two variants, see
svg.frame). Each dated fact has its own row: a mark over the period its
date covers (a day is a dot; a month or a year is a bar, so "2019" is not
drawn as if it meant 1 January) and its label beside it, or under it when
neither side has room, so labels cannot overlap however close the dates.
Plans that replaced one another (facts linked by `supersedes`) are one
slipping track: the sequence in words, "Launch date: planned 2021 → 2023 →
… → 19 May 2026 (current)", then a staircase with a step per plan and an
arrow down from each plan to the next, so marks for nearby dates never
cover each other. Every label links to its fact on its subject's page; the
table beside the drawing is its text alternative.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date as Day

from markupsafe import Markup

from ..model import Fact, FactBase, PartialDate, Status
from .markup import format_date
from .pages import TimelineEvent
from .svg import FONT, NARROW, WIDE, Variant, arrow_defs, chars_in, esc, frame, href, text_width, wrap

LEFT, RIGHT, TOP = 12, 16, 6
ROW, LINE, STEP = 26, 18, 22       # px: an event's row, a line of text, a plan's step
CAPTION = ("Proportional time axis. A dot is a day, a bar a month or a year; hollow: a "
           "superseded plan, with an arrow to the plan that replaced it; dashed: disputed. "
           "Labels link to the facts; the table below lists every date with its sources.")


@dataclass(frozen=True)
class Axis:
    first: int           # the first year on the axis
    years: int           # how many years it shows
    per_year: float      # px

    @classmethod
    def of(cls, dates: Iterable[PartialDate], width: float = WIDE) -> Axis:
        """An axis from the first date's year to the end of the last's, across `width`."""
        years = [d.year for d in dates]
        first, span = min(years), max(years) - min(years) + 1
        return cls(first, span, (width - LEFT - RIGHT) / span)

    def x(self, year: int, month: int = 1, day: int = 1) -> float:
        """Where a day falls: proportional to the days elapsed in its year."""
        start = Day(year, 1, 1)
        fraction = (Day(year, month, day) - start).days / (Day(year + 1, 1, 1) - start).days
        return LEFT + (year - self.first + fraction) * self.per_year

    def period(self, date: PartialDate) -> tuple[float, float]:
        """From the first day the date can mean to the day after its last."""
        start = self.x(*date.earliest())
        if date.day:
            return start, start
        if date.month:
            after = (date.year + 1, 1, 1) if date.month == 12 else (date.year, date.month + 1, 1)
            return start, self.x(*after)
        return start, self.x(date.year + 1)

    @property
    def width(self) -> float:
        return LEFT + self.years * self.per_year + RIGHT

    def ticks(self) -> range:
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if s * self.per_year >= 44)
        start = -(-self.first // step) * step
        return range(start, self.first + self.years + 1, step)


def timeline(base: FactBase, events: Iterable[TimelineEvent], title: str, page, key: str,
             with_subject: bool = False) -> Markup:
    """A chart's events as an SVG figure; `key` is a slug unique on the page."""
    events = list(events)
    if not events:
        return Markup("")
    variants = [_drawing(base, page, events, f"{key}-{fit}", fit, width, with_subject)
                for fit, width in (("wide", WIDE), ("narrow", NARROW))]
    return frame(key, f"Timeline: {title}", CAPTION, variants)


def _drawing(base, page, events: list[TimelineEvent], key: str, fit: str, width: float,
             with_subject: bool) -> Variant:
    loose, chains = split_chains(events)
    axis = Axis.of((e.date for e in events), width)
    body, y = [arrow_defs(key)], float(TOP)
    for event in loose:
        row, y = _row(base, page, axis, event, y, with_subject)
        body += row
    for chain in chains:
        track, y = _track(base, page, axis, chain, y + 6, key, with_subject)
        body += track
    body[1:1] = _grid(axis, y)   # behind the marks
    body += _axis(axis, y)
    return Variant(fit, axis.width, y + 34, body)


def split_chains(events: list[TimelineEvent]
                 ) -> tuple[list[TimelineEvent], list[list[TimelineEvent]]]:
    """The events that stand alone, and the chains of events linked by
    `supersedes` within the chart, each ordered from the first plan to the last."""
    by_id = {e.fact.id: e for e in events}
    group = {i: i for i in by_id}

    def root(i: str) -> str:
        while group[i] != i:
            i = group[i]
        return i

    for event in events:
        for old in event.fact.supersedes:
            if old in by_id:
                group[root(old)] = root(event.fact.id)
    members: dict[str, list[TimelineEvent]] = {}
    for event in events:
        members.setdefault(root(event.fact.id), []).append(event)
    loose = [e for e in events if len(members[root(e.fact.id)]) == 1]
    chains = [sorted(m, key=lambda e: (_depth(e.fact, by_id), e.fact.span))
              for m in members.values() if len(m) > 1]
    return loose, chains


def _depth(fact: Fact, by_id: dict[str, TimelineEvent]) -> int:
    """How many plans in the chart came before this one (the longest way back)."""
    older = [by_id[i].fact for i in fact.supersedes if i in by_id]
    return 1 + max((_depth(f, by_id) for f in older), default=0)


def _label(base: FactBase, event: TimelineEvent, with_subject: bool) -> str:
    fact = event.fact
    label = base.properties[fact.property].label
    if with_subject:
        entity = base.entities[fact.subject]
        label = f"{entity.aliases[0] if entity.aliases else entity.name} {label}"
    text = f"{format_date(event.date)}, {label}"
    if fact.status is Status.DISPUTED:
        return text + " (disputed)"
    return text + " (superseded plan)" if fact.status is Status.SUPERSEDED else text


def _link(page, fact: Fact, inner: str, hidden: bool = False) -> str:
    """A link to the fact on its subject's page, its statement as tooltip."""
    extra = ' tabindex="-1" aria-hidden="true"' if hidden else ""
    tip = f"<title>{esc(fact.statement)}</title>" if fact.statement else ""
    return (f'<a href="{href(page, fact.subject, "fact-" + fact.id)}" '
            f'data-fact="{fact.id}"{extra}>{tip}{inner}</a>')


def _mark(axis: Axis, event: TimelineEvent, y: float, strong: bool = False) -> str:
    kind = {Status.DISPUTED: " fb-mark--disputed", Status.SUPERSEDED: " fb-mark--superseded"}
    cls = "fb-mark" + ("" if strong else kind.get(event.fact.status, ""))
    start, end = axis.period(event.date)
    if start == end:
        return f'<circle class="{cls}" cx="{start:.1f}" cy="{y:.1f}" r="5"/>'
    return (f'<rect class="{cls}" x="{start:.1f}" y="{y - 5:.1f}" '
            f'width="{max(end - start, 4):.1f}" height="10" rx="3"/>')


def _row(base, page, axis: Axis, event: TimelineEvent, top: float,
         with_subject: bool) -> tuple[list[str], float]:
    """An event's row: its mark, and its label on whichever side has room
    (the right first), or wrapped under the mark. Returns it and the next row's top."""
    text = _label(base, event, with_subject)
    start, end = axis.period(event.date)
    y, size, inner = top + ROW / 2, text_width(text), axis.width - RIGHT
    baseline = y + FONT * 0.35
    if end + 8 + size <= inner:
        label = _text(end + 8, baseline, [text])
    elif start - 8 - size >= LEFT:
        label = _text(start - 8, baseline, [text], anchor="end")
    else:
        lines = wrap(text, chars_in(inner - LEFT), 3)
        at = max(LEFT, min(start, inner - max(text_width(line) for line in lines)))
        label = _text(at, baseline + LINE, lines)
        top += LINE * len(lines)
    return [_link(page, event.fact, _mark(axis, event, y) + label)], top + ROW


def _text(x: float, y: float, lines: list[str], anchor: str = "start") -> str:
    spans = "".join(f'<tspan x="{x:.1f}" y="{y + LINE * n:.1f}">{esc(line)}</tspan>'
                    for n, line in enumerate(lines))
    return f'<text class="fb-label" text-anchor="{anchor}">{spans}</text>'


def _track(base, page, axis: Axis, chain: list[TimelineEvent], top: float,
           key: str, with_subject: bool) -> tuple[list[str], float]:
    """Plans that replaced one another: the sequence in words (each date a
    link), then a step per plan and an elbow arrow from each plan to the next."""
    body, y = [], top
    for line in _sequence(base, page, chain, axis.width, with_subject):
        y += LINE
        body.append(f'<text class="fb-label" x="{LEFT}" y="{y:.1f}">{line}</text>')
    first = y + 18
    rows = [first + STEP * n for n in range(len(chain))]
    centres = [sum(axis.period(e.date)) / 2 for e in chain]
    for n in range(len(chain) - 1):
        (x1, y1), (x2, y2) = (centres[n], rows[n]), (centres[n + 1], rows[n + 1])
        body.append(f'<path class="fb-arrow" d="M{x1:.1f},{y1 + 6:.1f} V{y1 + 11:.1f} '
                    f'H{x2:.1f} V{y2 - 7:.1f}" marker-end="url(#{key}-arrow)"/>')
    for n, event in enumerate(chain):
        mark = _mark(axis, event, rows[n], strong=n == len(chain) - 1)
        body.append(_link(page, event.fact, mark, hidden=True))
    return body, rows[-1] + 22


def _sequence(base, page, chain: list[TimelineEvent], width: float,
              with_subject: bool) -> list[str]:
    """The chain in words, wrapped to the drawing's width: the property the
    plans are for, then each date (a link), the last marked current."""
    last = chain[-1].fact
    prop = base.properties[last.property]
    topic = base.properties.get(prop.plan_for or "", prop).label
    if with_subject:
        entity = base.entities[last.subject]
        topic = f"{entity.aliases[0] if entity.aliases else entity.name} {topic}"
    # "planned" only when the chain starts with a plan: a less precise date
    # later made exact ("January 2026 → 23 January 2026") was never a plan.
    first_is_plan = bool(base.properties[chain[0].fact.property].plan_for)
    words = []
    for n, event in enumerate(chain):
        text = ("planned " if n == 0 and first_is_plan else "") + format_date(event.date)
        if event is chain[-1] and last.status is Status.CURRENT:
            text += " (current plan)" if prop.plan_for else " (current)"
        words.append((text, event))
    first = f"{topic[:1].upper()}{topic[1:]}:"
    lines, pieces, used = [], [f"<tspan>{esc(first)}</tspan>"], text_width(first)
    for n, (text, event) in enumerate(words):
        joiner = " → " if n else " "
        if n and used + text_width(joiner + text) > width - LEFT - RIGHT:
            lines.append("".join(pieces))
            pieces, used, joiner = [], 0.0, "→ "
        strong = ' class="fb-strong"' if event is chain[-1] else ""
        pieces.append(f"<tspan>{joiner}</tspan>"
                      + _link(page, event.fact, f"<tspan{strong}>{esc(text)}</tspan>"))
        used += text_width(joiner + text)
    lines.append("".join(pieces))
    return lines


def _grid(axis: Axis, bottom: float) -> list[str]:
    return [f'<line class="fb-grid" x1="{axis.x(year):.1f}" y1="{TOP}" '
            f'x2="{axis.x(year):.1f}" y2="{bottom:.1f}"/>' for year in axis.ticks()]


def _axis(axis: Axis, y: float) -> list[str]:
    out = [f'<line class="fb-axis" x1="{LEFT}" y1="{y:.1f}" '
           f'x2="{axis.x(axis.first + axis.years):.1f}" y2="{y:.1f}"/>']
    for year in axis.ticks():
        x = axis.x(year)
        out.append(f'<line class="fb-axis" x1="{x:.1f}" y1="{y:.1f}" x2="{x:.1f}" y2="{y + 5:.1f}"/>')
        if year < axis.first + axis.years:   # the last tick closes the axis, unlabelled
            out.append(f'<text class="fb-tick" x="{x + 3:.1f}" y="{y + 20:.1f}">{year}</text>')
    return out

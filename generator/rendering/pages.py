"""Which pages the site has, and what each one shows: pure views of a FactBase.

The sections, their order and the types each holds are the base's own
declaration (`sections:` in facts/properties/); a section with no entities
has no page. Nothing here formats Markdown; templates do that with `markup.Page`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable

from ..model import (
    Citation, Entity, Fact, FactBase, PartialDate, Property, Section, Source, Status,
)
from ..values import typed_value


@dataclass(frozen=True)
class PropertyValues:
    prop: Property
    facts: tuple[Fact, ...]


OTHER_TOPIC = "Other facts"


@dataclass(frozen=True)
class EntityView:
    entity: Entity
    section: Section
    current: tuple[PropertyValues, ...]       # the infobox
    statements: tuple[Fact, ...]              # current facts, in file order
    history: tuple[Fact, ...]                 # superseded and disputed facts
    incoming: tuple[Fact, ...]                # facts about others that name this entity
    related: tuple[str, ...]                  # entity ids linked either way
    edges: tuple[Fact, ...]                   # current entity-valued facts, both ways
    status: tuple[Fact, ...] = ()             # the latest word on each ongoing state


@dataclass(frozen=True)
class SourceView:
    source: Source
    citations: tuple[tuple[Fact, Citation], ...]   # each citing fact, with its first citation of it


@dataclass(frozen=True)
class TimelineEvent:
    date: PartialDate
    fact: Fact


@dataclass(frozen=True)
class Chart:
    title: str
    events: tuple[TimelineEvent, ...]
    with_subject: bool = False   # one chart for several entities names each event's subject


@dataclass(frozen=True)
class HomeTimelines:
    charts: tuple[Chart, ...]
    events: tuple[TimelineEvent, ...]   # every charted date, for the table under the charts
    subjects: frozenset[str]            # the featured entities and those tied to them


@dataclass
class Index:
    """Lookups every page needs, computed once per build."""

    # Plain dicts, read with .get(): a defaultdict would grow on every lookup
    # from a template and change the answers of is_current().
    base: FactBase
    about: dict[str, list[Fact]] = field(default_factory=dict)
    naming: dict[str, list[Fact]] = field(default_factory=dict)
    citing: dict[str, list[Fact]] = field(default_factory=dict)
    superseded_by: dict[str, list[Fact]] = field(default_factory=dict)
    section_of: dict[str, Section] = field(default_factory=dict)   # by entity type
    _events: tuple[TimelineEvent, ...] | None = None
    _events_of: dict[str, list[TimelineEvent]] = field(default_factory=dict)

    @classmethod
    def of(cls, base: FactBase) -> Index:
        index = cls(base, section_of=base.section_of_type())
        for fact in sorted(base.facts.values(), key=lambda f: f.span):
            index.about.setdefault(fact.subject, []).append(fact)
            if fact.object:
                index.naming.setdefault(fact.object, []).append(fact)
            for source in dict.fromkeys(c.source for c in fact.citations):
                index.citing.setdefault(source, []).append(fact)
            for old in fact.supersedes:
                index.superseded_by.setdefault(old, []).append(fact)
        return index

    def is_current(self, fact: Fact) -> bool:
        return fact.status is Status.CURRENT and fact.id not in self.superseded_by

    def status(self, fact: Fact) -> str:
        """How a page labels the fact: Disputed, Superseded or Current."""
        if fact.status is Status.DISPUTED:
            return "Disputed"
        return "Superseded" if fact.status is Status.SUPERSEDED or \
            fact.id in self.superseded_by else "Current"

    def replacements(self, fact: Fact) -> tuple[Fact, ...]:
        """The facts that list this one under `supersedes`."""
        return tuple(self.superseded_by.get(fact.id, ()))

    def citing_facts(self, source_id: str) -> tuple[Fact, ...]:
        return tuple(self.citing.get(source_id, ()))

    def entity_view(self, entity: Entity) -> EntityView:
        facts = self.about.get(entity.id, [])
        current = [f for f in facts if self.is_current(f)]
        incoming = [f for f in self.naming.get(entity.id, []) if self.is_current(f)]
        edges = [f for f in current if f.object] + incoming
        related = dict.fromkeys(f.object for f in current if f.object)
        related.update(dict.fromkeys(f.subject for f in incoming))
        related.pop(entity.id, None)
        return EntityView(entity, self.section_of[entity.type], self._grouped(current),
                          tuple(current), tuple(f for f in facts if not self.is_current(f)),
                          tuple(incoming), tuple(related), tuple(edges), self._status(current))

    def _status(self, current: list[Fact]) -> tuple[Fact, ...]:
        """For each ongoing property told in words (a mission's status, where a
        bill stands), its most recently dated current facts: what a reader who
        asks "and now?" needs first. Undated ones count as oldest."""
        by_property: dict[str, list[Fact]] = {}
        for fact in current:
            prop = self.base.properties[fact.property]
            if prop.ongoing and prop.value_type == "text":
                by_property.setdefault(prop.id, []).append(fact)
        newest = {prop: max(map(_dated, facts)) for prop, facts in by_property.items()}
        return tuple(f for prop, facts in by_property.items() for f in facts
                     if _dated(f) == newest[prop])

    def topics(self, facts: Iterable[Fact]) -> list[tuple[str, list[Fact]]]:
        """Facts under the headings their properties declare (`group:`), in the
        vocabulary's order; facts whose property has none come last."""
        order = {p.group: n for n, p in reversed(list(enumerate(self.base.properties.values())))}
        by_topic: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_topic[self.base.properties[fact.property].group or OTHER_TOPIC].append(fact)
        return sorted(by_topic.items(), key=lambda item: order.get(item[0], len(order)))

    def _grouped(self, facts: list[Fact]) -> tuple[PropertyValues, ...]:
        by_prop: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_prop[fact.property].append(fact)
        return tuple(PropertyValues(prop, tuple(by_prop[pid]))
                     for pid, prop in self.base.properties.items() if pid in by_prop)

    def source_view(self, source: Source) -> SourceView:
        return SourceView(source, tuple(
            (fact, next(c for c in fact.citations if c.source == source.id))
            for fact in self.citing_facts(source.id)))

    def timeline(self, subjects: Iterable[str] | None = None) -> tuple[TimelineEvent, ...]:
        """Dated facts (current, superseded plan or disputed), oldest first,
        about the given subjects (default: all)."""
        events = self._dated()
        if subjects is None:
            return events
        picked = [e for s in dict.fromkeys(subjects) for e in self._events_of.get(s, ())]
        return tuple(sorted(picked, key=_chronological))

    def _dated(self) -> tuple[TimelineEvent, ...]:
        if self._events is None:
            events = []
            for fact in self.base.facts.values():
                prop = self.base.properties.get(fact.property)
                if prop and prop.value_type == "date" and fact.value is not None:
                    events.append(TimelineEvent(typed_value(fact.value, "date"), fact))
            self._events = tuple(sorted(events, key=_chronological))
            for event in self._events:
                self._events_of.setdefault(event.fact.subject, []).append(event)
        return self._events

    def home_timelines(self, featured: Iterable[Entity]) -> HomeTimelines:
        """The home page's dates, section by section as each declares
        (`timelines`): `each`, a chart per featured entity with two or more
        dates; `together`, one chart for the section's featured entities and
        the entities of the section tied to them. Then a table of those dates
        plus the dates of everything else tied to a featured entity (a
        mission's launches, say). The home page stays the same size however
        large the base grows."""
        chosen = list(featured)
        tied = {e.id: (e.id, *self.entity_view(e).related) for e in chosen}
        charts: list[Chart] = []
        for section in self.base.sections.values():
            if section.timelines == "each":
                own = [Chart(e.name, self.timeline([e.id])) for e in chosen
                       if e.type in section.types]
                charts += sorted((chart for chart in own if len(chart.events) > 1),
                                 key=lambda chart: chart.title.casefold())
            elif section.timelines == "together":
                members = {e.id for e in self.entities_in(section)}
                events = self.timeline(i for e in chosen if e.id in members
                                       for i in tied[e.id] if i in members)
                if events:
                    charts.append(Chart(section.title, events, with_subject=True))
        subjects = {i for ids in tied.values() for i in ids}
        return HomeTimelines(tuple(charts), self.timeline(subjects), frozenset(subjects))

    def sections(self) -> tuple[Section, ...]:
        """The declared sections that have entities, in declared order: those
        get a page and a place in the navigation."""
        used = {e.type for e in self.base.entities.values()}
        return tuple(s for s in self.base.sections.values() if used.intersection(s.types))

    def key_types(self) -> tuple[str, ...]:
        """The types of the sections with home-page timelines: what the home
        page is about (its default featured entities, its diagram)."""
        return tuple(t for s in self.base.sections.values() if s.timelines != "none"
                     for t in s.types)

    def key_edges(self, subject_types: Iterable[str], object_types: Iterable[str],
                  among: Iterable[str] | None = None) -> tuple[Fact, ...]:
        """Current entity-valued facts between entities of the given types
        (and, if `among` is given, with a subject or object among those ids)."""
        subjects, objects = set(subject_types), set(object_types)
        entities = self.base.entities
        near = set(among) if among is not None else None
        return tuple(f for f in self.base.facts.values()
                     if f.object in entities and f.subject in entities and self.is_current(f)
                     and (near is None or f.subject in near or f.object in near)
                     and entities[f.subject].type in subjects
                     and entities[f.object].type in objects)

    def entities_in(self, section: Section) -> tuple[Entity, ...]:
        chosen = (e for e in self.base.entities.values() if e.type in section.types)
        return tuple(sorted(chosen, key=lambda e: e.name.casefold()))


def _chronological(event: TimelineEvent) -> tuple:
    return (event.date.earliest(), event.fact.span)


def page_urls(base: FactBase) -> dict[str, str]:
    """The docs-relative Markdown path of every entity and source page."""
    section_of = base.section_of_type()
    urls = {e.id: f"{section_of[e.type].folder}/{e.id}.md" for e in base.entities.values()}
    urls.update({s.id: f"sources/{s.id}.md" for s in base.sources.values()})
    return urls


def _dated(fact: Fact) -> tuple[int, int, int]:
    """When a fact was last known true, for ordering: as_of, else valid_from."""
    when = fact.as_of or fact.valid_from
    return when.latest() if when else (0, 0, 0)

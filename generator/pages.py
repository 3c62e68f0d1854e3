"""Which pages the site has, and what each one shows: pure views of a FactBase.

Nothing here formats Markdown; templates do that with `markup.Page`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from collections.abc import Iterable

from .model import Entity, Fact, FactBase, PartialDate, Property, Source, Status
from .values import typed_value


@dataclass(frozen=True)
class Section:
    folder: str
    title: str
    types: tuple[str, ...]


SECTIONS = (
    Section("missions", "Missions", ("mission",)),
    Section("policies", "Policies and laws", ("policy", "law")),
    Section("agencies", "Agencies and organisations", ("agency", "organisation")),
    Section("programmes", "Programmes", ("programme",)),
    Section("instruments", "Instruments", ("instrument",)),
    Section("launches", "Launch vehicles and launches", ("launch-vehicle", "launch")),
    Section("places", "Places", ("place",)),
)
SECTION_OF_TYPE = {t: s for s in SECTIONS for t in s.types}


@dataclass(frozen=True)
class PropertyValues:
    prop: Property
    facts: tuple[Fact, ...]


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


@dataclass(frozen=True)
class SourceView:
    source: Source
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class TimelineEvent:
    date: PartialDate
    fact: Fact


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
    _events: tuple[TimelineEvent, ...] | None = None

    @classmethod
    def of(cls, base: FactBase) -> Index:
        index = cls(base)
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
        return EntityView(entity, SECTION_OF_TYPE[entity.type], self._grouped(current),
                          tuple(current), tuple(f for f in facts if not self.is_current(f)),
                          tuple(incoming), tuple(related), tuple(edges))

    def _grouped(self, facts: list[Fact]) -> tuple[PropertyValues, ...]:
        by_prop: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_prop[fact.property].append(fact)
        return tuple(PropertyValues(prop, tuple(by_prop[pid]))
                     for pid, prop in self.base.properties.items() if pid in by_prop)

    def source_view(self, source: Source) -> SourceView:
        return SourceView(source, self.citing_facts(source.id))

    def timeline(self, subjects: Iterable[str] | None = None) -> tuple[TimelineEvent, ...]:
        """Dated facts (current, superseded plan or disputed), oldest first,
        about the given subjects (default: all)."""
        if subjects is None:
            return self._dated()
        wanted = set(subjects)
        return tuple(e for e in self._dated() if e.fact.subject in wanted)

    def _dated(self) -> tuple[TimelineEvent, ...]:
        if self._events is None:
            events = []
            for fact in self.base.facts.values():
                prop = self.base.properties.get(fact.property)
                if prop and prop.value_type == "date" and fact.value is not None:
                    events.append(TimelineEvent(typed_value(fact.value, "date"), fact))
            self._events = tuple(sorted(events, key=lambda e: (e.date.earliest(), e.fact.span)))
        return self._events

    def key_edges(self, subject_types: Iterable[str],
                  object_types: Iterable[str]) -> tuple[Fact, ...]:
        """Current entity-valued facts between entities of the given types."""
        subjects, objects = set(subject_types), set(object_types)
        entities = self.base.entities
        return tuple(f for f in self.base.facts.values()
                     if f.object in entities and f.subject in entities and self.is_current(f)
                     and entities[f.subject].type in subjects
                     and entities[f.object].type in objects)

    def entities_in(self, section: Section) -> tuple[Entity, ...]:
        chosen = (e for e in self.base.entities.values() if e.type in section.types)
        return tuple(sorted(chosen, key=lambda e: e.name.casefold()))


def page_urls(base: FactBase) -> dict[str, str]:
    """The docs-relative Markdown path of every entity and source page."""
    urls = {e.id: f"{SECTION_OF_TYPE[e.type].folder}/{e.id}.md" for e in base.entities.values()}
    urls.update({s.id: f"sources/{s.id}.md" for s in base.sources.values()})
    return urls

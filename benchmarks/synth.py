"""A deterministic synthetic fact base for the benchmarks.

    python benchmarks/synth.py --facts 10000 --out /tmp/factbase-bench/synth-10000

writes a whole project (facts/, pages/, mkdocs.yml) whose facts pass
`factbase check --today 2026-11-24` with no diagnostic at all. The same
arguments always give byte-identical files (one seeded random generator,
no clock, no hash order).

Shapes, after the real base and the fact-format page:

* about 5 facts per entity (10k facts ≈ 2,000 entity pages), one source per
  20 facts, 1–3 citations per fact (some with a quote), `as_of` never before
  a cited source was published;
* superseded chains: launch plans (planned-launch-date, `plan_for:
  launch-date`) replaced by later plans and by the launch date, launch-vehicle
  payload capacities replaced by upgrades; every replaced fact says
  `status: superseded`;
* time qualifiers: yearly budgets and changes of management with
  `valid_from`/`valid_until` periods that do not overlap;
* disputed values with a note, inverse pairs stated from both ends
  (carries-instrument / instrument-of, launch-flight / payload);
* many files: facts in N/100 claim files (each several subjects, using the
  per-fact `subject:` override), entities and sources in N/1000 files each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
SEED = 20261124

# Share of each entity type (sums to 1).
TYPE_SHARES = (
    ("mission", 0.25), ("instrument", 0.20), ("organisation", 0.15), ("agency", 0.10),
    ("place", 0.10), ("launch-vehicle", 0.05), ("launch", 0.05), ("policy", 0.04),
    ("law", 0.03), ("programme", 0.03),
)
KINDS = ("factsheet", "web-page", "image-page", "press-release", "guidance", "law", "report",
         "news", "blog")
LOCATORS = ("introduction", "first paragraph", "second paragraph", "final paragraph",
            "image caption", "table 1", "table 2", "section 2", "section 3.1", "page 4",
            "page 12", "annex A", "fact box", "timeline section", "key figures")

# A vocabulary after facts/properties/vocabulary.yaml, plus three properties for
# agencies (founded, headquarters, annual-budget) so that every type has facts.
PROPERTIES = [
    dict(id="partner", label="partner", subject_types=["mission"], value_type="entity",
         object_types=["agency", "organisation"],
         description="An agency or organisation that shares in a mission as a partner."),
    dict(id="launch-vehicle", label="launch vehicle", subject_types=["mission", "launch"],
         value_type="entity", object_types=["launch-vehicle"], single=True,
         description="The rocket that carried (or is to carry) the mission."),
    dict(id="launch-date", label="launch date", subject_types=["mission", "launch"],
         value_type="date", single=True,
         description="The date on which the launch took place (UTC)."),
    dict(id="planned-launch-date", label="planned launch date", subject_types=["mission"],
         value_type="date", single=True, plan_for="launch-date",
         description="A launch date announced in advance; each plan is kept with the date "
                     "it was made."),
    dict(id="launch-mass", label="launch mass", subject_types=["mission"],
         value_type="quantity", unit="kg", single=True),
    dict(id="carries-instrument", label="carries instrument", subject_types=["mission"],
         value_type="entity", object_types=["instrument"], inverse="instrument-of"),
    dict(id="instrument-of", label="instrument of", subject_types=["instrument"],
         value_type="entity", object_types=["mission"], single=True,
         inverse="carries-instrument"),
    dict(id="launch-flight", label="launched on flight", subject_types=["mission"],
         value_type="entity", object_types=["launch"], inverse="payload"),
    dict(id="payload", label="payload", subject_types=["launch"], value_type="entity",
         object_types=["mission"], inverse="launch-flight"),
    dict(id="launch-site", label="launch site", subject_types=["mission", "launch"],
         value_type="entity", object_types=["place"], single=True),
    dict(id="launch-operator", label="launch operated by", subject_types=["launch"],
         value_type="entity", object_types=["organisation"], single=True),
    dict(id="operated-by", label="operated by", subject_types=["mission", "place"],
         value_type="entity", object_types=["agency", "organisation"],
         description="Who operates a spacecraft or a facility."),
    dict(id="part-of-programme", label="part of programme", subject_types=["mission"],
         value_type="entity", object_types=["programme"]),
    dict(id="science-objective", label="science objective", subject_types=["mission"],
         value_type="text"),
    dict(id="coordinated-with", label="coordinated with", subject_types=["mission"],
         value_type="entity", object_types=["mission"], symmetric=True,
         description="Missions that were operated together for joint observations."),
    dict(id="provided-by", label="provided by", subject_types=["instrument"],
         value_type="entity", object_types=["agency", "organisation"], single=True),
    dict(id="observes", label="observes", subject_types=["instrument"], value_type="text"),
    dict(id="mounted-on", label="mounted on", subject_types=["instrument"],
         value_type="text", single=True),
    dict(id="developed-by", label="developed by", subject_types=["mission", "launch-vehicle"],
         value_type="entity", object_types=["agency", "organisation"]),
    dict(id="height", label="height", subject_types=["launch-vehicle"],
         value_type="quantity", unit="m", single=True),
    dict(id="payload-capacity", label="payload capacity", subject_types=["launch-vehicle"],
         value_type="quantity", unit="kg", single=True),
    dict(id="located-in", label="located in", subject_types=["place"], value_type="entity",
         object_types=["place"], single=True),
    dict(id="location", label="location", subject_types=["place"], value_type="text",
         single=True),
    dict(id="part-of", label="part of", subject_types=["organisation"], value_type="entity",
         object_types=["agency", "organisation"]),
    dict(id="managed-by", label="managed by", subject_types=["organisation"],
         value_type="entity", object_types=["organisation", "agency"], single=True),
    dict(id="finding", label="reported finding", subject_types=["organisation"],
         value_type="text",
         description="What an oversight body reported, with the date of the report."),
    dict(id="founded", label="founded", subject_types=["agency", "organisation"],
         value_type="date", single=True),
    dict(id="headquarters", label="headquarters", subject_types=["agency", "organisation"],
         value_type="entity", object_types=["place"], single=True),
    dict(id="annual-budget", label="annual budget", subject_types=["agency"],
         value_type="quantity", unit="million EUR", single=True,
         description="The budget for one calendar year (valid_from/valid_until)."),
    dict(id="legal-basis", label="legal basis", subject_types=["policy"],
         value_type="entity", object_types=["law"]),
    dict(id="first-enacted", label="first enacted", subject_types=["policy"],
         value_type="date", single=True),
    dict(id="applies-to", label="applies to", subject_types=["policy", "law"],
         value_type="entity", object_types=["agency", "organisation"]),
    dict(id="prohibits", label="prohibits", subject_types=["policy", "law"],
         value_type="text"),
    dict(id="issued-by", label="issued by", subject_types=["policy"], value_type="entity",
         object_types=["agency", "organisation"], single=True),
    dict(id="act-title", label="act", subject_types=["law"], value_type="text", single=True),
    dict(id="enactment-date", label="enacted", subject_types=["law"], value_type="date",
         single=True),
    dict(id="enacted-by", label="enacted by", subject_types=["law"], value_type="entity",
         object_types=["organisation"], single=True),
    dict(id="programme-theme", label="theme", subject_types=["programme"], value_type="text"),
]

SYLLABLES = ("ka", "vo", "ra", "len", "tis", "mor", "an", "del", "qui", "sol", "ve", "rin",
             "tor", "lu", "mer", "zan", "ost", "pe", "ry", "gal", "ne", "bor", "cas", "ith")
WORDS = """
about above across after against along among around because before behind below beneath
beside between beyond during except inside instead near nearly often outside over past
since through throughout toward under until upon within without amber basalt cobalt
copper crystal ember flint granite harbour island lantern marble meadow nickel orchard
quartz river saffron slate summit timber valley willow zenith arc beam cable circuit
cluster comet corona crater delta dust eclipse field flare flux galaxy gravity halo
horizon ion jet lens magnet mantle meteor nebula node orbit plasma pole probe pulse
quasar radar ray relay ring rover sail sensor shield signal solar spectrum spin star
storm stream telescope tide torque vector wave wind yield annual careful distant early
final formal gradual joint later major minor narrow northern novel official partial
precise rapid recent regular remote routine second shared southern stable steady strict
sudden total typical urgent vital weekly agreed approved assessed built checked
confirmed delayed designed docked extended funded launched measured moved noted observed
operated planned proposed published raised recorded reduced reported reviewed selected
signed tested tracked updated verified
""".split()


@dataclass
class Entity:
    id: str
    type: str
    name: str
    index: int
    summary: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class Source:
    id: str
    title: str
    publisher: str
    url: str
    kind: str
    published: dt.date
    precision: str  # day | month | year

    @property
    def earliest(self) -> dt.date:
        return self.published.replace(day=1) if self.precision == "month" else (
            self.published.replace(month=1, day=1) if self.precision == "year" else
            self.published)

    def published_text(self) -> str:
        if self.precision == "year":
            return f"{self.published.year:04d}"
        if self.precision == "month":
            return f"{self.published.year:04d}-{self.published.month:02d}"
        return self.published.isoformat()


@dataclass
class Fact:
    id: str
    subject: str
    property: str
    object: str | None = None
    value: object = None          # already YAML text
    statement: str | None = None
    as_of: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    status: str | None = None
    supersedes: list[str] = field(default_factory=list)
    approximate: bool = False
    note: str | None = None
    review_after: str | None = None
    cite: list[tuple[str, str, str | None]] = field(default_factory=list)


class Generator:
    def __init__(self, n_facts: int, n_entities: int, seed: int = SEED):
        self.rng = random.Random(seed)
        self.n_facts = n_facts
        self.n_entities = max(len(TYPE_SHARES) * 2, n_entities)
        self.entities: list[Entity] = []
        self.by_type: dict[str, list[Entity]] = {t: [] for t, _ in TYPE_SHARES}
        self.sources: list[Source] = []
        self.facts: list[Fact] = []
        self._cite_cursor = 0

    # ---- text ----------------------------------------------------------------
    def words(self, low: int = 5, high: int = 9) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def sentence(self, head: str) -> str:
        return f"{head}, {self.words()}."

    def coined(self, n: int) -> str:
        """A pronounceable, deterministic, unique-by-index name part."""
        parts, k = [], n
        for _ in range(2):
            parts.append(SYLLABLES[k % len(SYLLABLES)])
            k //= len(SYLLABLES)
        parts.append(SYLLABLES[(n * 7 + 3) % len(SYLLABLES)])
        return "".join(parts).capitalize()

    # ---- entities and sources -----------------------------------------------
    def make_entities(self) -> None:
        counts = [max(2, round(share * self.n_entities)) for _, share in TYPE_SHARES]
        serial = 0
        for (etype, _), count in zip(TYPE_SHARES, counts):
            for i in range(count):
                serial += 1
                stem = self.coined(serial)
                name, ident = self._name(etype, stem, i)
                entity = Entity(ident, etype, name, i)
                if self.rng.random() < 0.6:
                    entity.summary = self.sentence(f"{name} is a synthetic {etype}")
                if self.rng.random() < 0.3:
                    entity.aliases = [stem.upper()[:5] + str(i)]
                self.entities.append(entity)
                self.by_type[etype].append(entity)

    @staticmethod
    def _name(etype: str, stem: str, i: int) -> tuple[str, str]:
        kinds = {
            "mission": (f"{stem}-{i}", f"{stem.lower()}-{i}"),
            "instrument": (f"{stem} Imager {i}", f"{stem.lower()}-imager-{i}"),
            "organisation": (f"{stem} Institute {i}", f"{stem.lower()}-institute-{i}"),
            "agency": (f"{stem} Space Agency {i}", f"{stem.lower()}-agency-{i}"),
            "place": (f"Port {stem} {i}", f"port-{stem.lower()}-{i}"),
            "launch-vehicle": (f"{stem} {i} rocket", f"{stem.lower()}-rocket-{i}"),
            "launch": (f"Flight {stem.upper()[:3]}{i}", f"flight-{stem.lower()}-{i}"),
            "policy": (f"{stem} Directive {i}", f"{stem.lower()}-directive-{i}"),
            "law": (f"{stem} Act {i}", f"{stem.lower()}-act-{i}"),
            "programme": (f"{stem} Programme {i}", f"{stem.lower()}-programme-{i}"),
        }
        return kinds[etype]

    def make_sources(self) -> None:
        n = max(10, self.n_facts // 20)
        publishers = self.by_type["agency"] + self.by_type["organisation"]
        start = dt.date(2008, 1, 1).toordinal()
        end = dt.date(2024, 12, 31).toordinal()
        for i in range(n):
            publisher = publishers[i % len(publishers)]
            published = dt.date.fromordinal(self.rng.randint(start, end))
            roll = self.rng.random()
            precision = "year" if roll < 0.05 else "month" if roll < 0.25 else "day"
            kind = KINDS[i % len(KINDS)]
            ident = f"src-{publisher.id}-{i}"[:64].rstrip("-")
            self.sources.append(Source(
                ident, f"{publisher.name}: {self.words(3, 6).capitalize()} ({i})",
                publisher.id, f"https://example.org/{publisher.id}/doc-{i}.html", kind,
                published, precision))
        self.by_date = sorted(self.sources, key=lambda s: (s.earliest, s.id))

    # ---- citations and dates ---------------------------------------------------
    def cites(self, window: tuple[float, float] = (0.0, 1.0)) -> list[Source]:
        """1–3 distinct sources; the first one round-robin so every source is cited."""
        count = self.rng.choices((1, 2, 3), weights=(35, 40, 25))[0]
        lo = int(window[0] * len(self.by_date))
        hi = max(lo + 1, int(window[1] * len(self.by_date)))
        pool = self.by_date[lo:hi]
        chosen = []
        if window == (0.0, 1.0):
            chosen.append(self.sources[self._cite_cursor % len(self.sources)])
            self._cite_cursor += 1
        while len(chosen) < count:
            s = self.rng.choice(pool)
            if s not in chosen:
                chosen.append(s)
            elif len(pool) <= len(chosen):
                break
        return chosen

    def citation_list(self, sources: list[Source]) -> list[tuple[str, str, str | None]]:
        out = []
        for s in sources:
            quote = self.words(6, 14) if self.rng.random() < 0.2 else None
            out.append((s.id, self.rng.choice(LOCATORS), quote))
        return out

    def as_of_after(self, sources: list[Source], spread: int = 120) -> dt.date:
        latest = max(s.earliest for s in sources)
        day = latest + dt.timedelta(days=self.rng.randint(0, spread))
        return min(day, TODAY)

    # ---- facts -------------------------------------------------------------------
    def fact(self, subject: Entity, prop: str, serial: str, *, window=(0.0, 1.0),
             dated: float = 0.5, statement: str | None | bool = True,
             sources: list[Source] | None = None, **fields) -> Fact:
        sources = sources or self.cites(window)
        f = Fact(f"{subject.id}-{serial}"[:64].rstrip("-"), subject.id, prop, **fields)
        f.cite = self.citation_list(sources)
        if f.as_of is None and self.rng.random() < dated:
            f.as_of = self.as_of_after(sources).isoformat()
        if statement is True:
            if self.rng.random() < 0.75:
                f.statement = self.sentence(f"{subject.name}: {prop.replace('-', ' ')}"
                                            .replace(": ", " "))
        elif isinstance(statement, str):
            f.statement = statement
        self.facts.append(f)
        return f

    def pick(self, *types: str, not_id: str | None = None) -> Entity:
        pool = [e for t in types for e in self.by_type[t]]
        while True:
            e = self.rng.choice(pool)
            if e.id != not_id or len(pool) == 1:
                return e

    def make_facts(self) -> None:
        missions = self.by_type["mission"]
        launches = self.by_type["launch"]
        instruments = self.by_type["instrument"]
        self.launch_of: dict[str, Entity] = {}
        for i, launch in enumerate(launches):
            self.launch_of[missions[i % len(missions)].id] = launch
        self.instrument_mission = {inst.id: missions[i % len(missions)]
                                   for i, inst in enumerate(instruments)}
        carried: dict[str, list[Entity]] = {}
        for inst in instruments:
            carried.setdefault(self.instrument_mission[inst.id].id, []).append(inst)
        self.carried = carried
        self.launch_dates: dict[str, str] = {}
        for e in self.entities:
            getattr(self, "_" + e.type.replace("-", "_"))(e)

    def _mission(self, m: Entity) -> None:
        r = self.rng
        for k, partner in enumerate(dict.fromkeys(self.pick("agency", "organisation").id
                                                  for _ in range(r.randint(1, 2)))):
            self.fact(m, "partner", f"partner-{k}", object=partner)
        self.fact(m, "launch-vehicle", "vehicle", object=self.pick("launch-vehicle").id)
        # A superseded chain: plan 1 -> plan 2 -> launch date (or a current future plan).
        launched = m.id in self.launch_of or r.random() < 0.6
        p1_src = self.cites((0.0, 0.35))
        p1_as_of = self.as_of_after(p1_src)
        p1 = Fact(f"{m.id}-plan-1", m.id, "planned-launch-date",
                  value=str(p1_as_of.year + r.randint(2, 4)), as_of=p1_as_of.isoformat(),
                  status="superseded", cite=self.citation_list(p1_src),
                  statement=f"In {p1_as_of.year} the launch of {m.name} was expected in "
                            f"{p1_as_of.year + 3}, {self.words()}.")
        self.facts.append(p1)
        p2_src = self.cites((0.35, 0.7))
        p2_as_of = self.as_of_after(p2_src)
        if launched:
            p2_value = f"{p2_as_of.year + 1}-{r.randint(1, 12):02d}"
        else:
            p2_value = f"{r.randint(2027, 2031)}-{r.randint(1, 12):02d}"
        p2 = Fact(f"{m.id}-plan-2", m.id, "planned-launch-date", value=p2_value,
                  as_of=p2_as_of.isoformat(), supersedes=[p1.id],
                  status="superseded" if launched else None,
                  cite=self.citation_list(p2_src),
                  statement=f"A revised schedule put the launch of {m.name} in {p2_value}, "
                            f"{self.words()}.")
        self.facts.append(p2)
        if launched:
            l_src = self.cites((0.7, 1.0))
            when = self.as_of_after(l_src, spread=60)
            self.launch_dates[m.id] = when.isoformat()
            self.fact(m, "launch-date", "launch-date", value=when.isoformat(),
                      as_of=when.isoformat(), supersedes=[p2.id], sources=l_src,
                      statement=f"{m.name} lifted off on {when.isoformat()}, {self.words()}.")
            if m.id in self.launch_of:
                self.fact(m, "launch-flight", "flight", object=self.launch_of[m.id].id)
        mass = r.randint(300, 6000)
        self.fact(m, "launch-mass", "mass", value=mass, approximate=r.random() < 0.4)
        if r.random() < 0.15:
            self.fact(m, "launch-mass", "mass-disputed", value=mass + r.randint(50, 400),
                      status="disputed",
                      note=f"One source gives a heavier spacecraft; {self.words()}.")
        for k, inst in enumerate(self.carried.get(m.id, ())):
            self.fact(m, "carries-instrument", f"carries-{k}", object=inst.id)
        if r.random() < 0.5:
            self.fact(m, "science-objective", "objective",
                      value=json.dumps(self.sentence("To study the " + r.choice(WORDS))))
        if r.random() < 0.4:
            self.fact(m, "part-of-programme", "programme", object=self.pick("programme").id)
        if r.random() < 0.3:
            self.fact(m, "operated-by", "operator", object=self.pick("agency").id,
                      valid_from=str(r.randint(2012, 2024)))
        if r.random() < 0.1:
            self.fact(m, "coordinated-with", "coordinated",
                      object=self.pick("mission", not_id=m.id).id)

    def _instrument(self, e: Entity) -> None:
        mission = self.instrument_mission[e.id]
        self.fact(e, "instrument-of", "mission", object=mission.id)
        self.fact(e, "provided-by", "provider", object=self.pick("agency", "organisation").id)
        self.fact(e, "observes", "observes",
                  value=json.dumps(self.sentence("Soft X-rays from the " + self.rng.choice(WORDS))))
        if self.rng.random() < 0.5:
            self.fact(e, "mounted-on", "mounted", value=json.dumps("the payload module"))

    def _organisation(self, e: Entity) -> None:
        r = self.rng
        self.fact(e, "part-of", "part-of", object=self.pick("agency").id)
        # A change of management: two current facts whose periods do not overlap.
        first_year = r.randint(2000, 2012)
        change = r.randint(first_year + 2, 2022)
        self.fact(e, "managed-by", "managed-1", object=self.pick("agency").id,
                  valid_from=str(first_year), valid_until=str(change - 1))
        self.fact(e, "managed-by", "managed-2", object=self.pick("agency").id,
                  valid_from=str(change))
        self.fact(e, "founded", "founded", value=str(r.randint(1950, 1999)))
        if r.random() < 0.6:
            self.fact(e, "headquarters", "hq", object=self.pick("place").id)
        if r.random() < 0.4:
            self.fact(e, "finding", "finding", value=json.dumps(self.sentence("Auditors found")),
                      dated=1.0)

    def _agency(self, e: Entity) -> None:
        r = self.rng
        self.fact(e, "founded", "founded", value=f"{r.randint(1958, 2005)}-{r.randint(1, 12):02d}")
        self.fact(e, "headquarters", "hq", object=self.pick("place").id)
        budget = r.randint(200, 8000)
        for year in (2023, 2024, 2025):
            budget = int(budget * r.uniform(0.95, 1.12))
            self.fact(e, "annual-budget", f"budget-{year}", value=budget,
                      valid_from=str(year), valid_until=str(year), dated=0.0,
                      statement=f"In {year} {e.name} had {budget} million euros, "
                                f"{self.words()}.")

    def _place(self, e: Entity) -> None:
        r = self.rng
        self.fact(e, "located-in", "located-in", object=self.pick("place", not_id=e.id).id)
        self.fact(e, "location", "location",
                  value=json.dumps(f"{r.uniform(-60, 60):.3f} N, {r.uniform(-180, 180):.3f} E"))
        if r.random() < 0.5:
            self.fact(e, "operated-by", "operator", object=self.pick("agency").id)

    def _launch_vehicle(self, e: Entity) -> None:
        r = self.rng
        self.fact(e, "developed-by", "developer", object=self.pick("agency", "organisation").id)
        self.fact(e, "height", "height", value=round(r.uniform(20, 70), 1))
        old = self.fact(e, "payload-capacity", "capacity-1", value=r.randint(800, 3000),
                        status="superseded", window=(0.0, 0.5))
        self.fact(e, "payload-capacity", "capacity-2", value=r.randint(3001, 9000),
                  supersedes=[old.id], window=(0.5, 1.0),
                  statement=f"An upgrade raised what {e.name} can lift, {self.words()}.")

    def _launch(self, e: Entity) -> None:
        missions = [m for m, launch in self.launch_of.items() if launch is e]
        for k, mission in enumerate(missions):
            self.fact(e, "payload", f"payload-{k}", object=mission)
        self.fact(e, "launch-vehicle", "vehicle", object=self.pick("launch-vehicle").id)
        self.fact(e, "launch-site", "site", object=self.pick("place").id)
        self.fact(e, "launch-operator", "operator", object=self.pick("organisation").id)
        if missions and missions[0] in self.launch_dates:
            self.fact(e, "launch-date", "date", value=self.launch_dates[missions[0]])

    def _policy(self, e: Entity) -> None:
        r = self.rng
        self.fact(e, "legal-basis", "basis", object=self.pick("law").id)
        self.fact(e, "issued-by", "issuer", object=self.pick("agency").id)
        self.fact(e, "first-enacted", "enacted", value=str(r.randint(1990, 2020)))
        for k, target in enumerate(dict.fromkeys(self.pick("agency").id for _ in range(2))):
            self.fact(e, "applies-to", f"applies-{k}", object=target)
        self.fact(e, "prohibits", "prohibits",
                  value=json.dumps(self.sentence("Bilateral work with")))

    def _law(self, e: Entity) -> None:
        r = self.rng
        self.fact(e, "act-title", "act", value=json.dumps(f"{e.name} appropriations"))
        self.fact(e, "enactment-date", "enacted",
                  value=f"{r.randint(1990, 2024)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
        self.fact(e, "enacted-by", "enacted-by", object=self.pick("organisation").id)
        self.fact(e, "applies-to", "applies", object=self.pick("agency").id)
        self.fact(e, "prohibits", "prohibits",
                  value=json.dumps(self.sentence("Funds may not be used for")))

    def _programme(self, e: Entity) -> None:
        for k in range(2):
            self.fact(e, "programme-theme", f"theme-{k}",
                      value=json.dumps(self.sentence("Research into " + self.rng.choice(WORDS))))

    def build(self) -> Generator:
        self.make_entities()
        self.make_sources()
        self.make_facts()
        return self


# ---- YAML writing ----------------------------------------------------------------

def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _props_yaml() -> str:
    lines = ["# Synthetic vocabulary (benchmarks/synth.py).", "properties:"]
    for p in PROPERTIES:
        lines.append(f"  - id: {p['id']}")
        lines.append(f"    label: {_q(p['label'])}")
        if "description" in p:
            lines.append(f"    description: {_q(p['description'])}")
        lines.append(f"    subject_types: [{', '.join(p['subject_types'])}]")
        lines.append(f"    value_type: {p['value_type']}")
        for key in ("object_types",):
            if key in p:
                lines.append(f"    {key}: [{', '.join(p[key])}]")
        for key in ("unit", "inverse", "plan_for"):
            if key in p:
                lines.append(f"    {key}: {p[key]}")
        for key in ("single", "symmetric"):
            if p.get(key):
                lines.append(f"    {key}: true")
        lines.append("")
    return "\n".join(lines)


def _entities_yaml(entities: list[Entity]) -> str:
    lines = ["entities:"]
    for e in entities:
        lines += [f"  - id: {e.id}", f"    type: {e.type}", f"    name: {_q(e.name)}"]
        if e.aliases:
            lines.append(f"    aliases: [{', '.join(_q(a) for a in e.aliases)}]")
        if e.summary:
            lines.append(f"    summary: {e.summary}")
        lines.append("")
    return "\n".join(lines)


def _sources_yaml(sources: list[Source]) -> str:
    lines = ["sources:"]
    for s in sources:
        lines += [f"  - id: {s.id}", f"    title: {_q(s.title)}", f"    publisher: {s.publisher}",
                  f"    url: {s.url}", f"    kind: {s.kind}",
                  f"    published: {s.published_text()}", "    accessed: 2026-10-01", ""]
    return "\n".join(lines)


def _fact_lines(f: Fact, file_subject: str) -> list[str]:
    lines = [f"  - id: {f.id}"]
    if f.subject != file_subject:
        lines.append(f"    subject: {f.subject}")
    lines.append(f"    property: {f.property}")
    if f.object is not None:
        lines.append(f"    object: {f.object}")
    else:
        lines.append(f"    value: {f.value}")
    if f.approximate:
        lines.append("    approximate: true")
    if f.statement:
        lines.append(f"    statement: >-\n      {f.statement}")
    for key in ("as_of", "valid_from", "valid_until", "status"):
        if getattr(f, key):
            lines.append(f"    {key}: {getattr(f, key)}")
    if f.supersedes:
        lines.append(f"    supersedes: [{', '.join(f.supersedes)}]")
    if f.note:
        lines.append(f"    note: {f.note}")
    lines.append("    cite:")
    for source, locator, quote in f.cite:
        lines += [f"      - source: {source}", f"        locator: {locator}"]
        if quote:
            lines.append(f"        quote: {_q(quote)}")
    lines.append("")
    return lines


def _chunks(items: list, n: int) -> list[list]:
    n = max(1, min(n, len(items)))
    size, extra = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def generate(n_facts: int, seed: int = SEED) -> Generator:
    """Generate about n_facts facts: one calibration pass sets the entity count."""
    trial = Generator(n_facts, n_facts // 5, seed).build()
    per_entity = len(trial.facts) / len(trial.entities)
    return Generator(n_facts, round(n_facts / per_entity), seed).build()


def mkdocs_yml(repo: Path = REPO) -> str:
    """The project's mkdocs.yml with `featured:`, `key_facts:`, `see_also:` and `watch:` dropped, the synthetic
    pages folder, the shipped templates, and the nav cut down to the generated pages (the
    hand-written pages of site_src/ are not in the synthetic project)."""
    import yaml

    text = (repo / "mkdocs.yml").read_text(encoding="utf-8")
    head, nav_text = text.split("\nnav:", 1)
    out, in_list, block = [], False, None
    for line in head.splitlines():
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        # The project's own choices name its facts, entities and pages: key_facts
        # (a list that may span lines), featured, see_also and watch (mappings,
        # indented below their keys) and templates/ (its home lead cites facts);
        # the synthetic site uses the shipped templates.
        if block is not None and (not stripped or indent > block):
            continue
        block = None
        if stripped.startswith(("see_also:", "watch:")):   # watch: the real news feeds
            block = indent
            continue
        if in_list or stripped.startswith(("featured:", "key_facts:", "templates_dir:")):
            in_list = "[" in line and "]" not in line or (in_list and "]" not in line)
            continue
        if stripped.startswith("pages_dir:"):
            line = line.split("pages_dir:")[0] + "pages_dir: pages"
        elif stripped.startswith("site_name:"):
            line = 'site_name: "Factbase benchmark (synthetic)"'
        out.append(line)
    assert any("pages_dir: pages" in line for line in out), "mkdocs.yml: no pages_dir"
    pages_dir = repo / "site_src"
    hand_written = {p.relative_to(pages_dir).as_posix().removesuffix(".j2")
                    for p in pages_dir.rglob("*") if p.is_file()}

    def keep(items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, dict):
                (title, target), = item.items()
                if isinstance(target, list):
                    target = keep(target)
                    if target:
                        kept.append({title: target})
                elif target not in hand_written:
                    kept.append(item)
            elif isinstance(item, str) and item not in hand_written:
                kept.append(item)
        return kept

    nav = keep(yaml.safe_load("nav:" + nav_text)["nav"])
    return ("\n".join(out).rstrip() + "\n\n"
            + yaml.safe_dump({"nav": nav}, sort_keys=False, allow_unicode=True))


def write_project(out: Path, n_facts: int, seed: int = SEED,
                  repo: Path = REPO) -> tuple[dict, Generator]:
    """Write the synthetic project into `out` (replacing its facts/ and pages/)."""
    gen = generate(n_facts, seed)
    facts_dir = out / "facts"
    for sub in ("facts", "pages"):
        shutil.rmtree(out / sub, ignore_errors=True)
    for sub in ("sources", "entities", "properties", "claims"):
        (facts_dir / sub).mkdir(parents=True, exist_ok=True)
    (facts_dir / "properties" / "vocabulary.yaml").write_text(_props_yaml(), encoding="utf-8")
    # The sections and source kinds of the shipped base, which the synthetic one copies.
    shutil.copyfile(repo / "facts" / "properties" / "types.yaml",
                    facts_dir / "properties" / "types.yaml")
    n_side = max(1, n_facts // 1000)
    for i, chunk in enumerate(_chunks(gen.entities, n_side), 1):
        (facts_dir / "entities" / f"entities-{i:03d}.yaml").write_text(
            _entities_yaml(chunk), encoding="utf-8")
    for i, chunk in enumerate(_chunks(gen.sources, n_side), 1):
        (facts_dir / "sources" / f"sources-{i:03d}.yaml").write_text(
            _sources_yaml(chunk), encoding="utf-8")
    # Claims: subjects interleaved by type, several subjects per file.
    by_subject: dict[str, list[Fact]] = {}
    for f in gen.facts:
        by_subject.setdefault(f.subject, []).append(f)
    order = sorted(by_subject, key=lambda s: (sum(map(ord, s)) % 97, s))
    n_claims = max(1, n_facts // 100)
    for i, chunk in enumerate(_chunks(order, n_claims), 1):
        file_subject = chunk[0]
        lines = [f"# Synthetic claims, file {i} (benchmarks/synth.py).",
                 f"subject: {file_subject}", "facts:"]
        for subject in chunk:
            for f in by_subject[subject]:
                lines += _fact_lines(f, file_subject)
        (facts_dir / "claims" / f"claims-{i:04d}.yaml").write_text("\n".join(lines),
                                                                  encoding="utf-8")
    (out / "pages").mkdir(exist_ok=True)  # the stylesheet ships with the package
    (out / "mkdocs.yml").write_text(mkdocs_yml(repo), encoding="utf-8")
    files = sum(1 for _ in facts_dir.rglob("*.yaml"))
    stats = {"facts": len(gen.facts), "entities": len(gen.entities),
             "sources": len(gen.sources), "files": files, "claim_files": n_claims,
             "citations": sum(len(f.cite) for f in gen.facts),
             "superseded": sum(f.status == "superseded" for f in gen.facts),
             "disputed": sum(f.status == "disputed" for f in gen.facts)}
    return stats, gen


# The site's sections (facts/properties/types.yaml): entity type -> folder.
SECTION_OF_TYPE = {
    "mission": "missions", "policy": "policies", "law": "policies", "agency": "agencies",
    "organisation": "agencies", "programme": "programmes", "instrument": "instruments",
    "launch-vehicle": "launches", "launch": "launches", "place": "places",
}


def macros_data(gen: Generator) -> dict:
    """The same facts for the mkdocs-macros peer: facts grouped per entity (about it,
    and naming it), sources and properties; plain JSON, no layout decisions."""
    props = {p["id"]: {"label": p["label"], "unit": p.get("unit", ""),
                       "single": bool(p.get("single"))} for p in PROPERTIES}
    superseded_by: dict[str, list[str]] = {}
    for f in gen.facts:
        for old in f.supersedes:
            superseded_by.setdefault(old, []).append(f.id)
    entities = {e.id: {"id": e.id, "name": e.name, "type": e.type, "summary": e.summary,
                       "aliases": e.aliases, "section": SECTION_OF_TYPE[e.type],
                       "facts": [], "incoming": []} for e in gen.entities}
    for f in gen.facts:
        value = f.value
        if isinstance(value, str) and value.startswith('"'):
            value = json.loads(value)
        fact = {"id": f.id, "subject": f.subject, "property": f.property, "object": f.object,
                "value": value, "statement": f.statement, "as_of": f.as_of,
                "status": f.status or "current", "note": f.note,
                "replaced_by": superseded_by.get(f.id, []),
                "cite": [{"source": s, "locator": loc} for s, loc, _ in f.cite]}
        entities[f.subject]["facts"].append(fact)
        if f.object:
            entities[f.object]["incoming"].append(fact)
    sources = {s.id: {"title": s.title, "url": s.url} for s in gen.sources}
    return {"entities": entities, "sources": sources, "properties": props}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=10000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(write_project(args.out, args.facts, args.seed)[0], indent=2))


if __name__ == "__main__":
    main()

"""Mutation test: break a copy of the shipped fact base in known ways; each
break must be caught with its code at the line the break is on.

Expected lines are found by searching the mutated file for a marker, so the
test follows the base as it grows instead of pinning line numbers.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass

import pytest

from conftest import REPO


@dataclass(frozen=True)
class Mutation:
    file: str
    edits: tuple[tuple[str, str], ...]   # (old, new): old must occur exactly once
    code: str
    marker: str                           # the expected line is the one holding this text
    marker_file: str | None = None        # where the marker is, if not in `file`


MUTATIONS = {
    "disputed launch date made current": Mutation(
        "claims/smile.yaml", (("launched on 19 July.\n    status: disputed",
                               "launched on 19 July.\n    status: current"),),
        "E701", "- id: smile-launch-date-china-minutes"),
    "supersedes target dropped": Mutation(
        "claims/smile.yaml", (("supersedes: [smile-plan-2026-04-09]",
                               "supersedes: [smile-plan-2026-04-10]"),),
        "E305", "supersedes: [smile-plan-2026-04-10]"),
    "inverse made to disagree": Mutation(
        "claims/smile-sxi.yaml", (("property: instrument-of\n    object: smile",
                                   "property: instrument-of\n    object: double-star"),),
        "E702", "object: double-star"),
    "count broken": Mutation(
        "claims/smile-mag.yaml", (("property: provided-by\n    object: cas",
                                   "property: provided-by\n    object: esa"),),
        "E741", "equals: 3", "rules/smile.yaml"),
    "source dated in the future": Mutation(
        "sources/esa.yaml", (("_Smile_s_solar_arrays\n    kind: image-page\n    published: 2025-07",
                              "_Smile_s_solar_arrays\n    kind: image-page\n    published: 2031-07"),),
        "E712", "published: 2031-07"),
    "accessed before published": Mutation(
        "sources/esa.yaml", (("_Smile_s_solar_arrays\n    kind: image-page\n    published: 2025-07",
                              "_Smile_s_solar_arrays\n    kind: image-page\n    published: 2025-07\n"
                              "    accessed: 2025-06-01"),),
        "E713", "accessed: 2025-06-01"),
    "supersedes cycle": Mutation(
        "claims/smile.yaml", (("  - id: smile-plan-2021\n", "  - id: smile-plan-2021\n"
                               "    supersedes: [smile-plan-end-2024]\n"),),
        "E722", "supersedes: [smile-plan-end-2024]\n    property"),
    "supersedes a different property": Mutation(
        "claims/smile.yaml", (("supersedes: [smile-plan-2026-04-09]",
                               "supersedes: [smile-launch-vehicle]"),),
        "E721", "supersedes: [smile-launch-vehicle]"),
    "stale plan left current": Mutation(
        "claims/smile.yaml", (("    supersedes: [smile-plan-2026-04-09]\n", ""),
                              ("valid_until: 2026-04-05\n    status: superseded",
                               "valid_until: 2026-04-05\n    status: current")),
        "W715", "value: 2026-04-09"),
    "typo in a cited source": Mutation(
        "claims/smile.yaml", (("- source: morning-overview-smile-orbit-2026",
                               "- source: morning-overveiw-smile-orbit-2026"),),
        "E302", "morning-overveiw-smile-orbit-2026"),
    "wrong object type": Mutation(
        "claims/smile.yaml", (("property: launch-vehicle\n    object: vega-c",
                               "property: launch-vehicle\n    object: esa"),),
        "E502", "object: esa\n    statement: Smile was launched on a Vega-C rocket."),
    "impossible date": Mutation(
        "claims/smile.yaml", (("value: 2026-05-19\n    statement: Smile was launched on 19 May",
                               "value: 2026-02-30\n    statement: Smile was launched on 19 May"),),
        "E205", "value: 2026-02-30"),
    "javascript address": Mutation(
        "sources/esa.yaml", (("url: https://www.esa.int/ESA_Multimedia/Images/2025/07/",
                              "url: javascript:alert(1)//"),),
        "E206", "url: javascript:alert(1)//"),
    "documented exception removed": Mutation(
        "claims/smile.yaml", (("    ignore:\n      - code: W714\n        reason: SpaceNews (2023) "
                               "reports, looking back, what the plan was in 2016.\n", ""),),
        "W714", "as_of: 2016"),
    "inverse declaration broken": Mutation(
        "properties/vocabulary.yaml", (("inverse: launch-flight", "inverse: partner"),),
        # reported where launch-flight names payload, whose inverse no longer answers back
        "E703", "inverse: payload"),
    "duplicate fact": Mutation(
        "claims/vega-c.yaml", (("  - id: vega-c-liftoff-mass\n", "  - id: vega-c-height-again\n"
                                "    property: height\n    value: 35\n    approximate: true\n"
                                "    cite:\n      - source: esa-zefiro-9-vv29-2026\n"
                                "        locator: image caption\n\n  - id: vega-c-liftoff-mass\n"),),
        "E753", "- id: vega-c-height-again"),
    "unknown entity": Mutation(
        "claims/smile.yaml", (("property: launch-site\n    object: europes-spaceport",
                               "property: launch-site\n    object: kourou-spaceport"),),
        "E303", "object: kourou-spaceport"),
}


def _line_of(text: str, marker: str) -> int:
    assert text.count(marker) == 1, f"marker {marker!r} is not unique"
    return text[:text.index(marker)].count("\n") + 1  # the line where the marker starts


@pytest.fixture
def base_copy(tmp_path):
    target = tmp_path / "base"
    shutil.copytree(REPO / "facts", target / "facts")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def _check(project, cli) -> list[dict]:
    return json.loads(cli(project, "check", "--format", "json", "--today", "2026-11-29").out)[
        "diagnostics"]


def test_enough_mutations():
    assert len(MUTATIONS) >= 15


def test_unmutated_base_is_clean(base_copy, cli):
    assert _check(base_copy, cli) == []


@pytest.mark.parametrize("name", MUTATIONS)
def test_mutation_is_caught_at_its_line(name, base_copy, cli):
    mutation = MUTATIONS[name]
    path = base_copy / "facts" / mutation.file
    text = path.read_text()
    for old, new in mutation.edits:
        assert text.count(old) == 1, f"{name}: {old!r} does not occur exactly once"
        text = text.replace(old, new)
    path.write_text(text)
    marker_path = base_copy / "facts" / (mutation.marker_file or mutation.file)
    line = _line_of(marker_path.read_text(), mutation.marker)
    found = {(d["code"], d["path"], d["line"]) for d in _check(base_copy, cli)}
    expected = (mutation.code, f"facts/{mutation.marker_file or mutation.file}", line)
    assert expected in found, f"{name}: expected {expected}, got {sorted(found)}"

"""Consistency checks: for each, a failing and a passing fixture, asserting code and lines.

Fixtures are small files added to a copy of the mini base (see fixtures/mini).
"""

from __future__ import annotations

import pytest

from conftest import write

CITE = "    cite:\n      - source: esa-smile-factsheet\n        locator: introduction\n"
HEAD = "subject: smile\nfacts:\n"


def fact(ident: str, prop: str, *lines: str, obj: str | None = None, value: str | None = None) -> str:
    body = f"  - id: {ident}\n    property: {prop}\n"
    body += f"    object: {obj}\n" if obj else f"    value: {value}\n"
    return body + "".join(f"    {line}\n" for line in lines) + CITE


def problems(mini, cli, files: dict[str, str], today: str = "2026-11-24") -> set[tuple]:
    for path, text in files.items():
        write(mini, path, text)
    run = cli(mini, "check", "--format", "json", "--today", today)
    return {(d["code"], d["path"], d["line"]) for d in run.diagnostics}


def codes(found: set[tuple]) -> set[str]:
    return {code for code, _, _ in found}


X = "facts/claims/x.yaml"

CASES = {
    # name: (failing files, expected (code, path, line) set, passing files)
    "E701 single value": (
        {X: HEAD + fact("x-date-a", "launch-date", value="2026-05-19")
            + fact("x-date-b", "launch-date", value="2026-07-19")},
        {("E701", X, 9)},
        {X: HEAD + fact("x-date-a", "launch-date", value="2026-05-19")
            + fact("x-date-b", "launch-date", "status: disputed", "note: One report says July.",
                   value="2026-07-19")}),
    "E701 validity periods that do not overlap are fine": (
        {X: HEAD + fact("x-a", "launch-date", value="2026-05-19")
            + fact("x-b", "launch-date", value="2026-05-20")},
        {("E701", X, 9)},
        {X: HEAD + fact("x-a", "launch-date", "valid_until: 2026-05-19", value="2026-05-19")
            + fact("x-b", "launch-date", "valid_from: 2026-05-20", value="2026-05-20")}),
    "E711 validity order": (
        {X: HEAD + fact("x1", "partner", "valid_from: 2026-05-19", "valid_until: 2025",
                        obj="esa")},
        {("E711", X, 7)},
        {X: HEAD + fact("x1", "partner", "valid_from: 2025", "valid_until: 2026-05-19",
                        obj="esa")}),
    "E712 future date": (
        {X: HEAD + fact("x1", "launch-date", value="2027-01-01")},
        {("E712", X, 5)},
        {X: HEAD + fact("x1", "launch-date", value="2026-05-19")}),
    "E712 plans may lie ahead": (
        {X: HEAD + fact("x1", "partner", "as_of: 2030", obj="esa")},
        {("E712", X, 6)},
        {X: HEAD + fact("x1", "planned-launch-date", value="2030")}),
    "W715 stale plan": (
        {X: HEAD + fact("x-plan", "planned-launch-date", value="2025")},
        {("W715", X, 5)},
        {X: HEAD + fact("x-plan", "planned-launch-date", "status: superseded", value="2025")
            + fact("x-launch", "launch-date", "supersedes: [x-plan]", value="2026-05-19")}),
    "W716 review due": (
        {X: HEAD + fact("x1", "partner", "as_of: 2025-01-01", "review_after: 2026-06-01",
                        obj="esa")},
        {("W716", X, 7)},
        {X: HEAD + fact("x1", "partner", "as_of: 2025-01-01", "review_after: 2027-06-01",
                        obj="esa")}),
    "E721 supersedes another property": (
        {X: HEAD + fact("x1", "launch-date", "supersedes: [smile-launch-vehicle]",
                        value="2026-05-19")},
        {("E721", X, 6), ("W724", "facts/claims/smile.yaml", 15)},
        {X: HEAD + fact("x1", "launch-date", "supersedes: [smile-planned-launch-2025]",
                        value="2026-05-19")}),
    "E722 supersedes cycle": (
        {X: HEAD + fact("x-a", "planned-launch-date", "status: superseded",
                        "supersedes: [x-b]", value="2024")
            + fact("x-b", "planned-launch-date", "status: superseded", "supersedes: [x-a]",
                   value="2025")},
        {("E722", X, 7)},
        {X: HEAD + fact("x-a", "planned-launch-date", "status: superseded", value="2024")
            + fact("x-b", "planned-launch-date", "status: superseded", "supersedes: [x-a]",
                   value="2025")}),
    "W724 superseded but says current": (
        {X: HEAD + fact("x-a", "planned-launch-date", value="2027")
            + fact("x-b", "planned-launch-date", "supersedes: [x-a]", value="2028")},
        {("W724", X, 3)},
        {X: HEAD + fact("x-a", "planned-launch-date", "status: superseded", value="2027")
            + fact("x-b", "planned-launch-date", "supersedes: [x-a]", value="2028")}),
    "E753 duplicate": (
        {X: HEAD + fact("x1", "partner", obj="esa")},
        {("E753", X, 3)},
        {X: HEAD + fact("x1", "partner", "as_of: 2025-01-01", obj="esa")}),
    "W754 near duplicate": (
        {X: HEAD + fact("x1", "partner", "as_of: 2025-01-01",
                        "statement: ESA is one of the two partners in Smile.", obj="esa")
            + fact("x2", "partner", "as_of: 2025-01-02",
                   "statement: ESA is one of two partners in Smile.", obj="esa")},
        {("W754", X, 15)},
        {X: HEAD + fact("x1", "partner", "as_of: 2025-01-01",
                        "statement: ESA is one of the two partners in Smile.", obj="esa")
            + fact("x2", "partner", "as_of: 2025-01-02",
                   "statement: CAS builds the platform and three instruments.", obj="cas")}),
    # One statement typed twice, once precomposed (NFC) and once decomposed (NFD):
    # the same text to a reader, different code points to a comparison.
    "W754 near duplicate across Unicode forms": (
        {X: HEAD + fact("x1", "partner", "as_of: 2025-01-01",
                        "statement: Équipe européenne à Zürich et à Génève.", obj="esa")
            + fact("x2", "partner", "as_of: 2025-01-02",
                   "statement: Équipe européenne à Zürich et à Génève.", obj="esa")},
        {("W754", X, 15)},
        {X: HEAD + fact("x1", "partner", "as_of: 2025-01-01",
                        "statement: Équipe européenne à Zürich et à Génève.", obj="esa")
            + fact("x2", "partner", "as_of: 2025-01-02",
                   "statement: Équipe chinoise à Pékin, pour la plateforme.", obj="cas")}),
    "W733 disputed without note": (
        {X: HEAD + fact("x1", "launch-date", "status: disputed", value="2026-07-19")},
        {("W733", X, 6)},
        {X: HEAD + fact("x1", "launch-date", "status: disputed", "note: Conflicts with 19 May.",
                        value="2026-07-19")}),
    "W751 uncited source": (
        {"facts/sources/x.yaml": "sources:\n  - id: x-report\n    title: A report\n"
         "    publisher: esa\n    url: https://example.org/r\n    kind: report\n"},
        {("W751", "facts/sources/x.yaml", 2)},
        {"facts/sources/x.yaml": "sources:\n  - id: x-report\n    title: A report\n"
         "    publisher: esa\n    url: https://example.org/r\n    kind: report\n",
         X: HEAD + fact("x1", "partner", "as_of: 2025-01-01", obj="esa").replace(
             "esa-smile-factsheet", "x-report")}),
    "W752 entity without facts": (
        {"facts/entities/x.yaml": "entities:\n  - id: x-agency\n    type: agency\n    name: X\n"},
        {("W752", "facts/entities/x.yaml", 2)},
        {"facts/entities/x.yaml": "entities:\n  - id: x-agency\n    type: agency\n    name: X\n",
         X: HEAD + fact("x1", "partner", obj="x-agency")}),
    "E713 accessed before published": (
        {"facts/sources/x.yaml": "sources:\n  - id: x-report\n    title: A report\n"
         "    publisher: esa\n    url: https://example.org/r\n    kind: report\n"
         "    published: 2026-05-21\n    accessed: 2026-05-01\n",
         X: HEAD + fact("x1", "partner", "as_of: 2026-06-01", obj="esa").replace(
             "esa-smile-factsheet", "x-report")},
        {("E713", "facts/sources/x.yaml", 8)},
        {"facts/sources/x.yaml": "sources:\n  - id: x-report\n    title: A report\n"
         "    publisher: esa\n    url: https://example.org/r\n    kind: report\n"
         "    published: 2026-05-21\n    accessed: 2026-11-01\n",
         X: HEAD + fact("x1", "partner", "as_of: 2026-06-01", obj="esa").replace(
             "esa-smile-factsheet", "x-report")}),
    "W714 as_of before publication": (
        {X: HEAD + fact("x1", "partner", "as_of: 2020", obj="esa").replace(
            "esa-smile-factsheet", "esa-launch-contract-2024")},
        {("W714", X, 6)},
        {X: HEAD + fact("x1", "partner", "as_of: 2024-05", obj="esa").replace(
            "esa-smile-factsheet", "esa-launch-contract-2024")}),
}


@pytest.mark.parametrize("name", CASES)
def test_check_fails_and_passes(name, mini, cli, tmp_path):
    failing, expected, passing = CASES[name]
    code = name.split()[0]
    found = problems(mini, cli, failing)
    assert expected <= found, f"expected {expected}, got {found}"
    for path in failing:
        (mini / path).unlink()
    found = problems(mini, cli, passing)
    assert code not in codes(found), f"passing fixture still raises {code}: {found}"


def test_conflicts_name_both_lines(mini, cli):
    files = {X: HEAD + fact("x-a", "launch-date", value="2026-05-19")
             + fact("x-b", "launch-date", value="2026-07-19")}
    for path, text in files.items():
        write(mini, path, text)
    [d] = [d for d in cli(mini, "check", "--format", "json").diagnostics if d["code"] == "E701"]
    assert d["line"] == 9 and d["related"] == [{"path": X, "line": 3, "col": 5}]
    assert "x-a" in d["message"] and "x-b" in d["message"]


INVERSE_VOCAB = """properties:
  - id: instrument-of
    label: instrument of
    subject_types: [instrument]
    value_type: entity
    object_types: [mission]
    single: true
    inverse: carries-instrument
"""


def test_inverse_facts_must_agree(mini, cli):
    vocab = mini / "facts/properties/vocabulary.yaml"
    vocab.write_text(vocab.read_text().replace(
        "    object_types: [instrument]\n", "    object_types: [instrument]\n    inverse: instrument-of\n"))
    write(mini, "facts/properties/x.yaml", INVERSE_VOCAB)
    write(mini, "facts/entities/x.yaml", "entities:\n  - id: other\n    type: mission\n    name: Other\n")
    sxi = "subject: sxi\nfacts:\n" + fact("sxi-of", "instrument-of", obj="other")
    found = problems(mini, cli, {"facts/claims/sxi.yaml": sxi})
    assert ("E702", "facts/claims/sxi.yaml", 5) in found
    found = problems(mini, cli, {"facts/claims/sxi.yaml": sxi.replace("other", "smile")})
    assert "E702" not in codes(found)


def test_inverse_declarations_must_agree(mini, cli):
    vocab = mini / "facts/properties/vocabulary.yaml"
    vocab.write_text(vocab.read_text().replace(
        "    object_types: [instrument]\n", "    object_types: [instrument]\n    inverse: instrument-of\n"))
    found = problems(mini, cli, {"facts/properties/x.yaml": INVERSE_VOCAB.replace(
        "inverse: carries-instrument", "inverse: partner")})
    # reported at carries-instrument's `inverse:` line, which the test inserted
    assert ("E703", "facts/properties/vocabulary.yaml", 30) in found


RULE = """rules:
  - id: x-count
    description: Smile carries one instrument in the mini base.
    count:
      subject: smile
      property: carries-instrument
    equals: {n}
"""


def test_count_rule(mini, cli):
    found = problems(mini, cli, {"facts/rules/x.yaml": RULE.format(n=2)})
    assert ("E741", "facts/rules/x.yaml", 7) in found
    assert "E741" not in codes(problems(mini, cli, {"facts/rules/x.yaml": RULE.format(n=1)}))


def test_count_rule_equal_to_a_fact(mini, cli):
    files = {X: HEAD + fact("x-n", "launch-mass", value="2200").replace(
                 "launch-mass", "instrument-count"),
             "facts/properties/x.yaml": "properties:\n  - id: instrument-count\n    label: n\n"
             "    subject_types: [mission]\n    value_type: quantity\n    unit: instruments\n",
             "facts/rules/x.yaml": RULE.format(n="{fact: x-n}")}
    assert ("E741", "facts/rules/x.yaml", 7) in problems(mini, cli, files)
    files[X] = files[X].replace("value: 2200", "value: 1")
    assert "E741" not in codes(problems(mini, cli, files))
    files["facts/rules/x.yaml"] = RULE.format(n="{fact: x-nn}")
    assert ("E742", "facts/rules/x.yaml", 7) in problems(mini, cli, files)


def test_ignore_sets_a_warning_aside_with_its_reason(mini, cli):
    text = HEAD + fact("x1", "partner", "as_of: 2020", "ignore:",
                       "  - code: W714", "    reason: reported in retrospect", obj="esa").replace(
        "esa-smile-factsheet", "esa-launch-contract-2024")
    write(mini, X, text)
    run = cli(mini, "check", "--format", "json")
    document = __import__("json").loads(run.out)
    assert run.code == 0 and document["diagnostics"] == []
    assert [(i["code"], i["line"], i["reason"]) for i in document["ignored"]] == \
        [("W714", 6, "reported in retrospect")]


def test_unused_ignore_and_ignored_errors_are_reported(mini, cli):
    text = HEAD + fact("x1", "partner", "as_of: 2025", "ignore:", "  - code: W714",
                       "    reason: not needed", "  - code: E302", "    reason: no", obj="esa")
    found = problems(mini, cli, {X: text})
    assert {("W791", X, 8), ("E209", X, 10)} <= found


def test_warnings_fail_only_in_strict_mode(mini, cli):
    write(mini, X, HEAD + fact("x1", "launch-date", "status: disputed", value="2026-07-19"))
    assert cli(mini, "check").code == 0
    assert cli(mini, "check", "--strict").code == 1


def test_today_is_injectable(mini, cli):
    write(mini, X, HEAD + fact("x1", "planned-launch-date", value="2027"))
    assert "W715" not in codes(problems(mini, cli, {}, today="2026-11-24"))
    assert ("W715", X, 5) in problems(mini, cli, {}, today="2028-01-01")

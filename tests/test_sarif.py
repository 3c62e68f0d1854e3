"""`factbase check --format sarif` writes SARIF 2.1.0 that code scanning
accepts: validated against the OASIS schema (tests/data/README.md says where
the copy comes from)."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from factbase import __version__
from factbase.tools.explain import entries

from conftest import TESTS, write

SCHEMA = json.loads((TESTS / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
BAD = "subject: smile\nfacts:\n  - id: x1\n    property: carries-instrument\n    object: esa\n" \
      "    cite:\n      - source: esa-smile-factshet\n        locator: intro\n"


def _validate(document: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA).validate(document)


@pytest.fixture
def sarif(mini, cli):
    write(mini, "facts/claims/bad.yaml", BAD)
    run = cli(mini, "check", "--format", "sarif")
    assert run.code == 1
    return json.loads(run.out)   # stdout is the document and nothing else


def test_sarif_output_validates_against_the_sarif_2_1_0_schema(sarif):
    _validate(sarif)
    assert sarif["version"] == "2.1.0"


def test_the_validator_rejects_a_broken_document(sarif):
    broken = copy.deepcopy(sarif)
    broken["runs"][0]["results"][0]["level"] = "fatal"          # not a SARIF level
    with pytest.raises(jsonschema.ValidationError):
        _validate(broken)
    broken = copy.deepcopy(sarif)
    del broken["runs"][0]["tool"]["driver"]["name"]              # required
    with pytest.raises(jsonschema.ValidationError):
        _validate(broken)


def test_one_rule_per_code_used_described_by_explain(sarif):
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "factbase" and driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == ["E302", "E502"]
    assert all(r["shortDescription"]["text"] == entries()[r["id"]].title for r in driver["rules"])


def test_results_point_at_the_line_relative_to_the_project_root(sarif):
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    e302 = next(r for r in results if r["ruleId"] == "E302")
    assert e302["level"] == "error" and rules[e302["ruleIndex"]]["id"] == "E302"
    assert "unknown source 'esa-smile-factshet'" in e302["message"]["text"]
    location = e302["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "facts/claims/bad.yaml"
    assert location["region"] == {"startLine": 7, "startColumn": 17}


def test_a_clean_base_is_a_valid_document_with_no_results(mini, cli):
    run = cli(mini, "check", "--format", "sarif")
    document = json.loads(run.out)
    _validate(document)
    assert run.code == 0 and document["runs"][0]["results"] == []


def test_paths_are_uris(mini, cli):
    write(mini, "facts/claims/bad name.yaml", BAD)
    document = json.loads(cli(mini, "check", "--format", "sarif").out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in document["runs"][0]["results"]}
    assert uris == {"facts/claims/bad%20name.yaml"}


def test_rules_carry_explain_text_level_and_help_link(mini, cli):
    config = mini / "mkdocs.yml"
    config.write_text("site_url: https://facts.example/base\n" + config.read_text())
    write(mini, "facts/claims/bad.yaml", BAD)
    document = json.loads(cli(mini, "check", "--format", "sarif").out)
    _validate(document)
    rules = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    e302 = entries()["E302"]
    rule = rules["E302"]
    assert rule["fullDescription"]["text"] == e302.meaning
    assert rule["help"]["text"] == e302.as_text()
    assert e302.fix in rule["help"]["markdown"] and "```yaml" in rule["help"]["markdown"]
    assert rule["defaultConfiguration"] == {"level": "error"}
    assert rule["helpUri"] == "https://facts.example/base/reference/checks/#e302"
    assert rule["name"] == "UnknownSource"


def test_without_a_site_address_there_is_no_help_link(sarif):
    assert all("helpUri" not in r for r in sarif["runs"][0]["tool"]["driver"]["rules"])
    assert all("help" in r for r in sarif["runs"][0]["tool"]["driver"]["rules"])


def test_fingerprints_track_an_alert_when_lines_move(mini, cli):
    write(mini, "facts/claims/bad.yaml", BAD)
    before = json.loads(cli(mini, "check", "--format", "sarif").out)["runs"][0]["results"]
    write(mini, "facts/claims/bad.yaml", "# a comment added above\n\n" + BAD)
    after = json.loads(cli(mini, "check", "--format", "sarif").out)["runs"][0]["results"]
    lines = lambda rs: [r["locations"][0]["physicalLocation"]["region"]["startLine"]  # noqa: E731
                        for r in rs]
    prints = lambda rs: [r["partialFingerprints"]["factbase/v1"] for r in rs]  # noqa: E731
    assert lines(before) != lines(after)          # the lines moved …
    assert prints(before) == prints(after)        # … the alerts are the same ones
    assert len(set(prints(before))) == len(before)  # and each alert is its own

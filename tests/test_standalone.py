"""W755: a statement names its subject, so it reads right wherever it is shown."""

from __future__ import annotations

import pytest

from conftest import write

CLAIM = """subject: smile
facts:
  - id: smile-extra
    property: partner
    object: esa
    statement: {statement}
    cite:
      - source: esa-smile-factsheet
        locator: introduction
"""

LEANING = ["It was passed by the 112th US Congress.",
           "It makes no difference whether funds are exchanged.",
           "The manual is NASA's.",
           "This mission is shared by ESA.",
           "Its partner is ESA."]
STANDING = ["Smile is shared by ESA and CAS.",
            "ESA is one of the two partners in Smile.",
            "The launch of TC-1 carried the first Double Star satellite.",
            "The Smile spacecraft was tested at ESTEC.",
            "The Solar wind Magnetosphere Ionosphere Link Explorer is shared by ESA."]


@pytest.mark.parametrize("statement", LEANING)
def test_a_statement_leaning_on_its_neighbours_is_flagged(mini, cli, statement):
    write(mini, "facts/claims/extra.yaml", CLAIM.format(statement=statement))
    found = [d for d in cli(mini, "check", "--format", "json").diagnostics if d["code"] == "W755"]
    assert [(d["path"], d["line"], d["col"]) for d in found] == [("facts/claims/extra.yaml", 6, 16)]
    assert "smile-extra" in found[0]["message"] and found[0]["hint"]


@pytest.mark.parametrize("statement", STANDING)
def test_a_statement_naming_its_subject_passes(mini, cli, statement):
    write(mini, "facts/claims/extra.yaml", CLAIM.format(statement=statement))
    codes = [d["code"] for d in cli(mini, "check", "--format", "json").diagnostics]
    assert "W755" not in codes


def test_the_shipped_base_is_clean(cli):
    from conftest import REPO
    run = cli(REPO, "check", "--format", "json", "--no-cache")
    assert [d for d in run.diagnostics if d["code"] == "W755"] == []

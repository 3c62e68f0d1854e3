"""W760: two source records for one address (scheme, www., trailing slash, host case)."""

from __future__ import annotations

import pytest

from conftest import REPO

FIRST = "https://www.esa.int/Science_Exploration/Space_Science/Smile/Smile_factsheet2"


def add_source(mini, url: str) -> int:
    path = mini / "facts/sources/esa.yaml"
    text = path.read_text()
    path.write_text(text + f"\n  - id: esa-again\n    title: Again\n    publisher: esa\n"
                           f"    url: {url}\n    kind: factsheet\n")
    return len(text.splitlines()) + 5  # the new record's url: line


@pytest.mark.parametrize("url", [
    "http://www.esa.int/Science_Exploration/Space_Science/Smile/Smile_factsheet2",
    "https://esa.int/Science_Exploration/Space_Science/Smile/Smile_factsheet2/",
    "https://WWW.ESA.INT/Science_Exploration/Space_Science/Smile/Smile_factsheet2",
])
def test_same_address_is_flagged_at_the_second_url(mini, cli, url):
    line = add_source(mini, url)
    found = [d for d in cli(mini, "check", "--format", "json").diagnostics if d["code"] == "W760"]
    assert len(found) == 1
    assert (found[0]["path"], found[0]["line"]) == ("facts/sources/esa.yaml", line)
    assert "same address as 'esa-smile-factsheet' (line 11)" in found[0]["message"]


def test_other_documents_are_not_flagged(mini, cli):
    add_source(mini, FIRST.replace("smile/Smile", "Smile/smile").replace("factsheet2", "factsheet3"))
    add_source(mini, FIRST.lower())  # the path's case names another document
    diagnostics = cli(mini, "check", "--format", "json").diagnostics
    assert not [d for d in diagnostics if d["code"] == "W760"]


def test_shipped_base_has_no_duplicate_sources(cli):
    assert not [d for d in cli(REPO, "check", "--format", "json").diagnostics
                if d["code"] == "W760"]

"""Root cause first: a file that does not parse is reported first, and what
only follows from it (unknown ids, wrong counts, stale ignores, records
without facts) is folded into one line instead of a hundred.

Each test breaks one file of a copy of the shipped base the way a newcomer
does: one space of indentation, or one bad field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A writable copy of the shipped base and its mkdocs.yml."""
    target = tmp_path / "shipped"
    shutil.copytree(REPO / "facts", target / "facts")
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def _edit_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _codes(run) -> list[str]:
    return [line.split(" ")[1] for line in run.out.splitlines()]


def test_shipped_base_is_clean_before_the_edits(shipped, cli):
    assert cli(shipped, "check").code == 0


def test_a_source_file_that_does_not_parse_comes_first_and_nearly_alone(shipped, cli):
    # The second source's `url:` one space to the left: the file no longer parses,
    # and the 100+ citations of its sources used to be reported as unknown (E302).
    _edit_line(shipped / "facts/sources/esa.yaml", 22, "    url:", "   url:")
    run = cli(shipped, "check")
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0].startswith("facts/sources/esa.yaml:22:") and _codes(run)[0] == "E101", lines[:3]
    assert len(lines) <= 3, lines[:5]
    folded = next(line for line in lines if "not checked" in line)
    assert "facts/sources/esa.yaml" in folded and "did not parse" in folded


def test_the_json_format_folds_the_same_way(shipped, cli):
    _edit_line(shipped / "facts/sources/esa.yaml", 22, "    url:", "   url:")
    run = cli(shipped, "check", "--format", "json")
    codes = [d["code"] for d in run.diagnostics]
    assert run.code == 1 and codes[0] == "E101" and len(codes) <= 3 and "E302" not in codes


def test_an_instrument_file_that_does_not_parse_raises_no_false_count(shipped, cli):
    # smile-uvi.yaml holds one of the three facts the rule "CAS provides three
    # instruments" counts: without it, the count used to fail too (E741).
    _edit_line(shipped / "facts/claims/smile-uvi.yaml", 6, "    property:", "   property:")
    run = cli(shipped, "check")
    assert run.code == 1
    assert _codes(run)[0] == "E101"
    assert "E741" not in _codes(run), run.out


def test_a_bad_url_is_one_error_not_a_cascade_of_unknown_sources(shipped, cli):
    # The record is invalid, but its id still exists: the 24 citations of it
    # used to be reported as unknown sources (E302).
    _edit_line(shipped / "facts/sources/esa.yaml", 22, "url: https://", "url: htps://")
    run = cli(shipped, "check")
    assert run.code == 1
    assert _codes(run) == ["E206"], run.out


def test_an_invalid_entity_still_defines_its_id(mini, cli):
    path = mini / "facts/entities/all.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  - id: ")
    second = text.index("  - id: ", first + 1)
    entity = text[first:second]
    ident = entity.split()[2]
    path.write_text(text.replace(entity, entity + "    colour: blue\n"), encoding="utf-8")
    run = cli(mini, "check")
    assert run.code == 1
    assert _codes(run) == ["E202"], run.out   # the unknown field, and no unknown '{ident}'
    assert f"unknown entity '{ident}'" not in run.out

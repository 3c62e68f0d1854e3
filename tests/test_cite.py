"""`factbase cite FACT`: a citation added to an existing fact, by options or
piped answers, checked first (fact, source, duplicate, quote length), comments
and layout kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from factbase.tools import writeback
from factbase.diagnostics import Diagnostic


def factbase(project: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factbase", *args], cwd=project, input=stdin,
                          capture_output=True, text=True, timeout=120)


def commented(mini: Path) -> tuple[Path, str]:
    path = mini / "facts/claims/smile.yaml"
    text = path.read_text().replace("  - id: smile-partner-cas\n",
                                    "  # ESA's partner, by the factsheet\n  - id: smile-partner-cas\n")
    path.write_text(text)
    return path, text


def test_cite_by_options_keeps_comments_and_layout(mini):
    path, before = commented(mini)
    run = factbase(mini, "cite", "smile-partner-esa", "--source", "esa-launch-contract-2024",
                   "--locator", "image caption", "--quote", "ESA and Arianespace")
    assert run.returncode == 0, run.stderr
    assert "Added a citation of 'esa-launch-contract-2024' to fact 'smile-partner-esa'" in run.stderr
    after = path.read_text()
    assert after == before.replace(
        "        locator: introduction\n  # ESA's partner",
        "        locator: introduction\n      - source: esa-launch-contract-2024\n"
        "        locator: image caption\n        quote: ESA and Arianespace\n  # ESA's partner", 1)
    assert factbase(mini, "check").returncode == 0


def test_cite_piped_asks_again_on_a_duplicate_locator(mini):
    run = factbase(mini, "cite", "smile-partner-cas",
                   stdin="esa-smile-factshet\nesa-smile-factsheet\nintroduction\nsecond table\n\n")
    assert run.returncode == 0, run.stderr
    assert "did you mean 'esa-smile-factsheet'?" in run.stderr
    assert "the fact already cites 'esa-smile-factsheet' at 'introduction'" in run.stderr
    assert "locator: second table" in (mini / "facts/claims/smile.yaml").read_text()


def test_cite_checks_options_before_writing(mini):
    before = (mini / "facts/claims/smile.yaml").read_text()
    cases = [
        (["smile-partner-es", "--source", "esa-smile-factsheet", "--locator", "x"],
         "unknown fact 'smile-partner-es' (did you mean 'smile-partner-esa'?)"),
        (["smile-partner-esa", "--source", "esa-smile-factshet", "--locator", "x"],
         "unknown source 'esa-smile-factshet'; did you mean 'esa-smile-factsheet'?"),
        (["smile-partner-esa", "--source", "esa-smile-factsheet", "--locator", "introduction"],
         "the fact already cites 'esa-smile-factsheet' at 'introduction'"),
        (["smile-partner-esa", "--source", "esa-smile-factsheet", "--locator", "x",
          "--quote", "q" * 301], "quote is 301 characters; at most 300"),
    ]
    for args, message in cases:
        run = factbase(mini, "cite", *args)
        assert run.returncode == 2 and message in run.stderr, run.stderr
    assert (mini / "facts/claims/smile.yaml").read_text() == before


def test_cite_input_ending_midway_writes_nothing(mini):
    before = (mini / "facts/claims/smile.yaml").read_text()
    run = factbase(mini, "cite", "smile-partner-esa", stdin="esa-launch-contract-2024\n")
    assert run.returncode == 2 and "missing locator: the input ended" in run.stderr
    assert (mini / "facts/claims/smile.yaml").read_text() == before


def test_undone_edit_positions_point_at_the_restored_file(tmp_path):
    """A line after an insertion moves back to its place in the restored file;
    a line inside it names the rejected record's field."""
    old = "facts:\n  - id: a\n    cite:\n      - source: s\n  - id: b\n"
    new = "facts:\n  - id: a\n    cite:\n      - source: s\n      - source: t\n" \
          "        locator: here\n  - id: b\n"
    edit = writeback.Edit(tmp_path / "x.yaml", old, new)
    at = lambda line: Diagnostic("x.yaml", line, 5, "E999", "m")  # noqa: E731
    assert writeback.where(edit, "x.yaml", at(7)).line == 5
    assert writeback.where(edit, "x.yaml", at(2)).line == 2
    rejected = writeback.where(edit, "x.yaml", at(6))
    assert isinstance(rejected, writeback.Rejected) and rejected.field == "locator"
    assert writeback.where(edit, "other.yaml", at(6)) == at(6)

"""Output read by other programs: nothing in fact text or file names forges a
GitHub workflow command, reaches a terminal as a control character, closes a
job summary's code fence, or runs as a spreadsheet formula.

GitHub-format and text output is parsed by a port of the runner's command
parser (tests/runner_commands.py)."""

from __future__ import annotations

import csv
import io

from conftest import write
from runner_commands import commands

FORGED = "x##[error file=README.md;title=Security review]Approved: this PR is safe to merge"
FENCE_OR_COMMAND = ("```", "~~~", "::")


def _forged_citations(mini, count: int) -> None:
    facts = "".join(f"  - id: smile-forged-{n}\n    property: carries-instrument\n"
                    f"    object: sxi\n    cite:\n      - source: \"{FORGED}\"\n"
                    f"        locator: x\n" for n in range(count))
    write(mini, "facts/claims/forged.yaml", f"subject: smile\nfacts:\n{facts}")


def test_check_output_forges_no_workflow_command(mini, cli):
    _forged_citations(mini, 12)  # more than GitHub's 10 annotations: some are plain lines
    github = cli(mini, "check", "--format", "github", "--no-cache")
    assert github.code == 1 and FORGED.split("##[")[1][:20] in github.out.replace("\\x23[", "")
    found = commands(github.out + github.err)
    assert found and all(not c.legacy and c.name in ("error", "warning", "notice") for c in found)
    assert all(c.properties.get("file") != "README.md" for c in found), found
    text = cli(mini, "check", "--no-cache")
    assert commands(text.out + text.err) == []


def test_review_shows_a_hostile_file_name_escaped(mini, cli):
    name = "a\n::error file=README.md::Forged\x1b[2J```.yaml"
    smile = mini / "facts/claims/smile.yaml"
    text = smile.read_text().replace("    object: vega-c\n",
                                     "    object: vega-c\n    review_after: 2026-01-01\n", 1)
    smile.unlink()
    write(mini, f"facts/claims/{name}", text)
    run = cli(mini, "review", "--within", "28")
    output = run.out + run.err
    assert "due: 'smile-launch-vehicle'" in output and "Forged" in output, output
    assert commands(output) == [] and "\x1b" not in output
    assert not any(line.lstrip().startswith(FENCE_OR_COMMAND) for line in output.splitlines())


def test_csv_cells_never_start_a_formula(mini, cli):
    path = mini / "facts/claims/smile.yaml"
    path.write_text(path.read_text().replace(
        "statement: Smile was to fly on a Vega-C rocket.",
        "statement: '=HYPERLINK(\"http://x\",\"y\")'").replace(
        "locator: image caption", "locator: \"+cmd|' /C calc'!A0\"", 1), encoding="utf-8")
    assert cli(mini, "render").code == 0
    for table in ("facts", "citations"):
        rows = csv.reader(io.StringIO((mini / f"build/docs/data/{table}.csv").read_text()))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    facts = (mini / "build/docs/data/facts.csv").read_text()
    assert "'=HYPERLINK" in facts
    assert "'+cmd" in (mini / "build/docs/data/citations.csv").read_text()

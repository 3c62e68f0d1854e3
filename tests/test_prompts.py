"""`factbase new source|entity|fact`: answers checked as they are given, asked
again with the reason (earlier answers kept), piped one a line, a terminal with
Tab completion, nothing written when the input ends early, every option documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from factbase.cli import build_parser
from factbase.tools.new import PROMPTS
from test_contributing import _terminal


def factbase(project: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factbase", *args], cwd=project, input=stdin,
                          capture_output=True, text=True, timeout=120)


def snapshot(project: Path) -> dict[str, str]:
    return {str(p.relative_to(project)): p.read_text() for p in (project / "facts").rglob("*")
            if p.is_file()}


def test_piped_entity_asks_again_and_keeps_the_earlier_answers(mini):
    run = factbase(mini, "new", "entity", "--name", "Space Agency Two",
                   stdin="organization\norganisation\nA second agency.\n")
    assert run.returncode == 0, run.stderr
    assert ("unknown type 'organization'; did you mean 'organisation'? choose from: "
            "mission, policy") in run.stderr
    text = (mini / "facts/entities/organisation.yaml").read_text()
    assert "name: Space Agency Two" in text and "summary: A second agency." in text


def test_piped_fact_reasks_a_bad_date_and_an_unknown_source(mini):
    answers = ["smile", "launch-date", "2026-05-19", "Smile lifted off on 19 May 2026.",
               "2026-13", "2026-05", "", "esa-smile-factshet", "esa-smile-factsheet",
               "first paragraph", ""]
    run = factbase(mini, "new", "fact", stdin="\n".join(answers) + "\n")
    assert run.returncode == 0, run.stderr
    assert "As of: the date the source said it (YYYY, YYYY-MM or YYYY-MM-DD)" in run.stderr
    assert "'2026-13' is not a real date: there is no month 13" in run.stderr
    assert "unknown source 'esa-smile-factshet'; did you mean 'esa-smile-factsheet'?" in run.stderr
    text = (mini / "facts/claims/smile.yaml").read_text()
    assert "as_of: 2026-05\n" in text and "locator: first paragraph" in text
    assert factbase(mini, "check").returncode == 0


def test_piped_source_and_its_choices(mini):
    run = factbase(mini, "new", "source", stdin="Budget\nesa\nhttps://example.org/b\n"
                                               "memo\nreport\n2026-03\n\n")
    assert run.returncode == 0, run.stderr
    assert "Kind [factsheet, web-page," in run.stderr and "unknown source kind 'memo'" in run.stderr
    assert "url: https://example.org/b\n    kind: report\n    published: 2026-03" in \
        (mini / "facts/sources/esa.yaml").read_text()


def test_property_offered_are_those_of_the_subjects_type(mini):
    run = factbase(mini, "new", "fact", stdin="esa\npartner\n")
    assert "'partner' does not apply to agency 'esa'" in run.stderr
    assert run.returncode == 2 and "nothing was written" in run.stderr


def test_input_ending_midway_writes_nothing(mini):
    before = snapshot(mini)
    run = factbase(mini, "new", "fact", stdin="smile\nlaunch-date\n2026-05-19\n")
    assert run.returncode == 2
    assert "missing source, locator: the input ended" in run.stderr
    assert "nothing was written" in run.stderr and "Traceback" not in run.stderr
    assert snapshot(mini) == before


def test_options_are_checked_before_anything_is_written(mini):
    before = snapshot(mini)
    run = factbase(mini, "new", "entity", "--type", "organization", "--name", "X")
    assert run.returncode == 2
    assert "--type 'organization': unknown type 'organization'; did you mean 'organisation'?" \
        in run.stderr
    assert snapshot(mini) == before


def test_new_source_refuses_an_address_the_base_holds(mini):
    before = snapshot(mini)
    run = factbase(mini, "new", "source", "--title", "Again", "--publisher", "esa", "--kind",
                   "factsheet", "--url", "http://WWW.esa.int/Science_Exploration/Space_Science/"
                                         "Smile/Smile_factsheet2/")
    assert run.returncode == 2 and "source 'esa-smile-factsheet' already has this address" \
        in run.stderr
    assert snapshot(mini) == before


def test_rejected_record_points_at_the_option_not_at_a_rolled_back_line(mini):
    """The whole-base check still guards what the per-answer checks cannot
    see (here: a second current value of a single-valued property); its errors
    name the rejected record's field, and no position points past a file's end."""
    first = factbase(mini, "new", "fact", "--subject", "smile", "--property", "launch-date",
                     "--value", "2026-05-19", "--source", "esa-smile-factsheet", "--locator", "a")
    assert first.returncode == 0, first.stderr
    before = snapshot(mini)
    run = factbase(mini, "new", "fact", "--subject", "smile", "--property", "launch-date",
                   "--value", "2026-05-20", "--source", "esa-smile-factsheet", "--locator", "b")
    assert run.returncode == 1 and snapshot(mini) == before
    assert "E701" in run.stdout and run.stdout.startswith("new fact, ")
    for line in run.stdout.splitlines():
        path, _, rest = line.partition(":")
        if (mini / path).is_file():
            number = int(rest.split(":")[0])
            assert number <= len((mini / path).read_text().splitlines()), line
    assert "factbase new fact --subject smile --property launch-date --value 2026-05-20" \
        in run.stderr


@pytest.mark.parametrize("kind", ["source", "entity", "fact"])
def test_help_documents_every_option(kind, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["new", kind, "--help"])
    text = capsys.readouterr().out
    for option in ["--id", "--file", *("--" + p.name.replace("_", "-") for p in PROMPTS[kind])]:
        line = next((ln for ln in text.splitlines() if ln.strip().startswith(option + " ")), "")
        words = line.strip().split(None, 2)
        assert len(words) == 3 and len(words[2]) > 8, f"{option} has no help: {line!r}"


def test_new_help_lists_the_kinds(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["new", "--help"])
    text = capsys.readouterr().out
    for kind in ("source", "entity", "fact"):
        assert any(ln.strip().startswith(kind + " ") for ln in text.splitlines()), kind


def test_terminal_completes_with_tab(mini):
    """At a terminal, Tab completes a choice (readline)."""
    _, output = _terminal(mini, ["new", "entity", "--name", "Tabbed", "--summary", "A test."],
                          ["organis\t"])
    assert "type: organisation" in (mini / "facts/entities/organisation.yaml").read_text(), \
        output

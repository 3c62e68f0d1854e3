"""One verdict everywhere: whether warnings fail is one project setting
(`strict:` of the factbase plugin in mkdocs.yml) that check, render, build,
new, the pre-commit hook and `mkdocs build` all read; the summary says why.
And the GitHub format stays within what GitHub shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from factbase import report
from factbase.config import load_config
from factbase.diagnostics import Diagnostic, by_importance
from factbase.model import Span
from factbase.site import plugin

from conftest import REPO, write
from test_consistency import HEAD, X, fact

UNUSED_SOURCE = """
  - id: esa-unused-2024
    title: A page no fact cites
    publisher: esa
    url: https://www.esa.int/unused
    kind: factsheet
"""


def _strict(project: Path, value: str) -> None:
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      pages_dir: pages\n",
                                 f"      pages_dir: pages\n      strict: {value}\n"), encoding="utf-8")


def _warn(project: Path) -> None:
    path = project / "facts/sources/esa.yaml"
    path.write_text(path.read_text(encoding="utf-8") + UNUSED_SOURCE, encoding="utf-8")


def test_a_strict_project_fails_check_on_a_warning_and_says_why(mini, cli):
    _strict(mini, "true")
    _warn(mini)
    run = cli(mini, "check")
    assert run.code == 1 and " W751 " in run.out
    assert "1 warning: this project fails on warnings (strict: true in mkdocs.yml)" in run.err


def test_no_strict_forces_a_local_run_to_fail_only_on_errors(mini, cli):
    _strict(mini, "true")
    _warn(mini)
    run = cli(mini, "check", "--no-strict")
    assert run.code == 0
    assert "Warnings do not fail this run (--no-strict)" in run.err


def test_strict_forces_it_on_in_a_project_that_is_not(mini, cli):
    _strict(mini, "false")
    _warn(mini)
    assert cli(mini, "check").code == 0
    run = cli(mini, "check", "--strict")
    assert run.code == 1 and "this project fails on warnings (--strict)" in run.err


def test_render_and_build_use_the_setting_too(mini, cli):
    _strict(mini, "true")
    _warn(mini)
    assert cli(mini, "render").code == 1
    assert not (mini / "build" / "docs" / "index.md").exists()
    assert cli(mini, "build").code == 1
    assert not (mini / "site").exists()
    assert cli(mini, "render", "--no-strict").code == 0


def test_mkdocs_build_through_the_plugin_gives_the_same_verdict(mini, monkeypatch):
    _strict(mini, "true")
    _warn(mini)
    monkeypatch.chdir(mini)
    with pytest.raises(PluginError, match="W751"):
        plugin._check_and_render(load_config(mini))


def test_new_in_a_strict_project_exits_1_on_the_warnings_it_adds(mini, cli):
    _strict(mini, "true")
    # as_of before the source was published: W714, a warning about the fact itself
    run = cli(mini, "new", "fact", "--subject", "smile", "--property", "planned-launch-date",
              "--value", "2027", "--as-of", "2020", "--statement", "Smile was due in 2027.",
              "--source", "esa-launch-contract-2024", "--locator", "caption")
    assert run.code == 1, run.err
    assert "W714" in run.out and "this project fails on warnings (strict: true in mkdocs.yml)" \
        in run.err
    assert "due in 2027" in (mini / "facts/claims/smile.yaml").read_text(encoding="utf-8")


def test_new_does_not_fail_on_a_new_record_not_used_yet(mini, cli):
    # A new source is uncited until the next command cites it: said, not failed on.
    _strict(mini, "true")
    run = cli(mini, "new", "source", "--id", "esa-new-2024", "--title", "A new page",
              "--publisher", "esa", "--url", "https://www.esa.int/new", "--kind", "factsheet")
    assert run.code == 0, run.err
    assert "W751" in run.out and "W751 clears with the next step" in run.err
    assert "esa-new-2024" in (mini / "facts/sources/esa.yaml").read_text(encoding="utf-8")
    assert cli(mini, "check").code == 1     # until then the check fails, as CI would


def test_a_strict_value_that_is_not_a_boolean_is_a_configuration_error(mini, cli):
    _strict(mini, "yes please")
    run = cli(mini, "check")
    assert run.code == 2 and "strict must be true or false" in run.err


def test_the_shipped_project_and_the_starter_are_strict():
    assert load_config(REPO).options.strict is True
    starter = REPO / "generator" / "data" / "starter"
    assert load_config(starter).options.strict is True


def test_the_pre_commit_hook_runs_plain_check_so_it_reads_the_setting():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["entry"] for h in hooks] == ["factbase check"]


def test_a_review_reminder_is_reported_but_never_fails_a_strict_run(mini, cli):
    _strict(mini, "true")
    path = mini / "facts/claims/smile.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "  - id: smile-partner-esa\n    property: partner\n    object: esa\n",
        "  - id: smile-partner-esa\n    property: partner\n    object: esa\n"
        "    review_after: 2026-01-01\n")
    path.write_text(text, encoding="utf-8")
    run = cli(mini, "check", "--today", "2026-11-29")
    assert " W716 " in run.out
    assert run.code == 0, run.err
    assert "1 date reminder (W716) does not fail the check" in run.err


def test_a_stale_plan_is_a_reminder_too(mini, cli):
    # A launch plan for 2027 is stale only once its date has passed.
    _strict(mini, "true")
    write(mini, X, HEAD + fact("x1", "planned-launch-date", value="2027"))
    run = cli(mini, "check", "--today", "2028-01-01")
    assert " W715 " in run.out
    assert run.code == 0, run.err
    assert "(W715) does not fail the check" in run.err


# --- the GitHub format -----------------------------------------------------------------

def _many() -> list[Diagnostic]:
    found = [Diagnostic.at(Span(f"facts/claims/c{i:02}.yaml", 3, 5), "E302", f"unknown source {i}")
             for i in range(25)]
    found += [Diagnostic.at(Span(f"facts/claims/a{i:02}.yaml", 1, 1), "W751", f"unused {i}")
              for i in range(15)]
    found.append(Diagnostic.at(Span("facts/sources/z.yaml", 22, 4), "E101", "YAML syntax error"))
    return sorted(found, key=lambda d: d.path)


def test_github_annotates_the_most_important_within_githubs_cap_and_says_what_is_left():
    lines = report.github(_many()).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 10 and len(warnings) == 10
    assert "title=E101" in errors[0]                        # the root cause first
    assert lines.index(errors[-1]) < lines.index(warnings[0])  # errors before warnings
    assert lines[-1].startswith("::notice ")
    assert "16 errors and 5 warnings more" in lines[-1]
    plain = [line for line in lines if not line.startswith("::")]
    assert len(plain) == 21 and all(re.match(r"^facts/\S+:\d+:\d+: [EW]\d{3} ", p) for p in plain)


def test_importance_puts_files_that_do_not_parse_first():
    ordered = sorted(_many(), key=by_importance)
    assert [d.code for d in ordered[:2]] == ["E101", "E302"] and ordered[-1].code == "W751"


def _unchecked(n: int) -> list[Diagnostic]:
    return [Diagnostic.at(Span("facts/sources/esa.yaml", 5 + 6 * i, 10), "W815",
                          f"url of 's{i}' has not been checked (unchecked in the lock)",
                          "run 'factbase links --update-lock' with network access")
            for i in range(n)]


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_never_checked_addresses_are_one_line_in_every_format(fmt):
    out = report.render(_unchecked(12), fmt)
    if fmt == "sarif":
        assert len(json.loads(out)["runs"][0]["results"]) == 1
    else:
        assert out.count("W815") == 1
    assert "12 addresses or quotes never checked over the network" in out


def test_links_offline_summarises_unchecked_addresses(mini, cli, monkeypatch):
    write(mini, "citations.lock.json", '{"version": 1, "urls": {}}\n')
    run = cli(mini, "links", "--offline")
    assert run.out.count("W815") <= 1, run.out

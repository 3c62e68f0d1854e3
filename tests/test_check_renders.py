"""One verdict from the first step: wherever `build` fails at render time,
`check` fails too, with the same code at the same line (not mkdocs.yml:1:1),
and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write

DATED_FACT = """
  - id: smile-launch-date
    property: launch-date
    value: 0000-01-01
    cite:
      - source: esa-smile-factsheet
        locator: introduction
"""


def _plugin_option(project: Path, text: str) -> None:
    path = project / "mkdocs.yml"
    config = path.read_text(encoding="utf-8")
    path.write_text(config.replace("      pages_dir: pages\n", "      pages_dir: pages\n" + text),
                    encoding="utf-8")


def _append(project: Path, relative: str, text: str) -> None:
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# Each case: how to break the mini base, and the line check and build must
# both report: "path:line:col: CODE".
CASES = {
    "E601 syntax": (lambda p: write(p, "pages/story.md.j2", "# Story\n\n{% if %}\n"),
                    "pages/story.md.j2:3:1: E601"),
    "E601 unknown fact": (lambda p: write(p, "pages/story.md.j2",
                                          "# Story\n\nText.\n{{ fact('smile-partner-es').id }}\n"),
                          "pages/story.md.j2:4:1: E601"),
    "E601 raises": (lambda p: write(p, "pages/story.md.j2", "# Story\n\n{{ 1 / 0 }}\n"),
                    "pages/story.md.j2:3:1: E601"),
    "E604 page": (lambda p: write(p, "pages/story.md.j2",
                                  "# Story\n\n{{ fact('smile-planned-launch-2025').id }}\n"),
                  "pages/story.md.j2:3:1: E604"),
    "E604 key fact": (lambda p: _plugin_option(p, "      key_facts:\n        - smile-partner-esa\n"
                                                  "        - smile-planned-launch-2025\n"),
                      "mkdocs.yml:26:11: E604"),
    "E605": (lambda p: _plugin_option(p, "      key_facts: [smile-partner-esa, smile-lanch]\n"),
             "mkdocs.yml:24:38: E605"),
    "E602": (lambda p: _plugin_option(p, "      featured:\n        - smil\n"),
             "mkdocs.yml:25:11: E602"),
    "E606": (lambda p: _plugin_option(p, "      see_also:\n        smile: [esa, cass]\n"),
             "mkdocs.yml:25:22: E606"),
    # Once a template error at render time; now the date itself, at load.
    "year 0": (lambda p: _append(p, "facts/claims/smile.yaml", DATED_FACT),
               "facts/claims/smile.yaml:48:12: E205"),
}


@pytest.mark.parametrize("case", CASES)
def test_check_fails_wherever_build_fails(mini, cli, case):
    breaks, where = CASES[case]
    breaks(mini)
    build = cli(mini, "build")
    assert build.code == 1 and where in build.out, build.out + build.err
    check = cli(mini, "check", "--no-cache")
    assert check.code == 1 and where in check.out, check.out + check.err
    assert check.out.count(where) == 1
    assert "Traceback" not in check.err


def test_check_writes_nothing_while_it_renders(mini, cli):
    assert cli(mini, "check").code == 0
    assert not (mini / "build").exists() and not (mini / "site").exists()


def test_a_template_failing_on_every_page_is_one_line(mini, cli):
    # The entity template renders every entity's page: one line for it, not one a page.
    write(mini, "templates/entity.md.j2", "# {{ view.entity.name }}\n\n{{ 1 / 0 }}\n")
    write(mini, "pages/story.md.j2", "# Story\n\n{{ 1 / 0 }}\n")
    run = cli(mini, "check", "--format", "json")
    assert run.code == 1
    codes = sorted((d["path"].rsplit("/", 1)[-1], d["code"]) for d in run.diagnostics)
    assert codes == [("entity.md.j2", "E601"), ("story.md.j2", "E601")]


def test_render_checks_wait_for_the_facts_errors(mini, cli):
    """On a base with errors render does not run, so neither do its checks:
    the facts' own errors are the verdict (and the root cause)."""
    write(mini, "pages/story.md.j2", "# Story\n\n{% if %}\n")
    _append(mini, "facts/claims/smile.yaml", "  - id: smile-x\n    property: nope\n")
    run = cli(mini, "check")
    assert run.code == 1 and "E601" not in run.out

"""Rendering: golden pages for the mini base, escaping, overrides, template errors."""

from __future__ import annotations

import difflib
import shutil
import re
import json
from dataclasses import replace
from pathlib import Path

import pytest

from factbase.config import load_config
from factbase import project
from factbase.loading.loader import load
from factbase.rendering.render import SiteOptions, render_site

from conftest import MINI, REPO, write

GOLDEN = Path(__file__).parent / "golden" / "mini"


def _render_mini() -> dict[str, str]:
    base = load(MINI / "facts", MINI).base
    options = SiteOptions((), REPO, site_name="Mini fact base",
                          site_description="A small fact base for the tests.")
    return {path: make() for path, make in render_site(base, options).items()}


def test_mini_base_renders_to_the_golden_pages(update_goldens):
    rendered = _render_mini()
    if update_goldens:
        for old in GOLDEN.rglob("*"):
            if old.is_file():
                old.unlink()
        for path, text in rendered.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(rendered) == sorted(expected), "the set of generated files changed"
    diffs = ["".join(difflib.unified_diff(expected[p].splitlines(True), rendered[p].splitlines(True),
                                          f"golden/{p}", f"rendered/{p}"))
             for p in sorted(rendered) if rendered[p] != expected[p]]
    assert not diffs, "rendered pages differ from tests/golden (run pytest --update-goldens " \
                      "if the change is intended):\n" + "\n".join(diffs)


def test_rendering_is_deterministic():
    assert _render_mini() == _render_mini()


def test_a_made_statement_ends_with_one_full_stop():
    """A statement made from a text value that is itself a sentence gets no second stop."""
    from factbase.rendering.markup import Page
    from factbase.model import Property
    from factbase.rendering.pages import page_urls
    base = load(MINI / "facts", MINI).base
    fact = base.facts["smile-partner-esa"]
    base.properties["motto"] = Property("motto", "motto", ("mission",), "text", fact.span)
    for value, expected in (("Look up.", "Look up."), ("Look up", "Look up."), ("Why?", "Why?")):
        made = replace(fact, property="motto", object=None, value=value, statement=None)
        page = Page(base, "index.md", page_urls(base), {})
        assert page.statement(made) == f"Smile, motto: {expected}"


def test_text_from_facts_is_escaped(mini):
    hostile = "<script>alert(1)</script> [click](javascript:alert(2)) **bold** {: #x}"
    entities = mini / "facts/entities/all.yaml"
    text = entities.read_text()
    start = text.index("    summary: A joint")
    end = text.index("\n", start)
    entities.write_text(text[:start] + f"    summary: '{hostile}'" + text[end:])
    page = render_site(load(mini / "facts", mini).base,
                       SiteOptions((), REPO))["missions/smile.md"]()
    assert "<script>" not in page
    # The front matter is YAML, not Markdown: its description is made inert for an
    # HTML attribute (no < > or quotes), the body escaped as Markdown.
    _, front, body = page.split("---\n", 2)
    assert not re.search(r"[<>]", front.split("description: ", 1)[1].split("\n")[0])
    assert not re.search(r"(?<!\\)\]\(javascript:", body)  # no unescaped link syntax
    assert "&lt;script&gt;alert(1)&lt;/script&gt; \\[click\\](javascript:alert(2))" in page


def test_override_folder_replaces_a_template(mini, cli):
    write(mini, "overrides/section.md.j2", "# Overridden {{ section.title }}\n")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("facts_dir: facts",
                                                 "facts_dir: facts\n      overrides_dir: overrides"))
    assert cli(mini, "render").code == 0
    assert (mini / "build/docs/missions/index.md").read_text() == "# Overridden Missions\n"
    assert "\n# Smile\n" in (mini / "build/docs/missions/smile.md").read_text()


def test_template_error_points_at_the_template_line(mini, cli):
    write(mini, "overrides/section.md.j2", "# {{ section.title }}\n\n{{ no_such_name }}\n")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("facts_dir: facts",
                                                 "facts_dir: facts\n      overrides_dir: overrides"))
    run = cli(mini, "render")
    assert run.code == 1
    assert run.out.startswith("overrides/section.md.j2:3:1: E601 template error: "
                              "'no_such_name' is undefined")


def test_page_template_naming_an_unknown_fact_fails_clearly(mini, cli):
    write(mini, "pages/compare.md.j2", "# Compare\n\n{{ page.statement(fact('nope')) }}\n")
    run = cli(mini, "render")
    assert run.code == 1
    assert "pages/compare.md.j2:3:1: E601" in run.out and "fact 'nope'" in run.out


def test_page_templates_and_hand_written_pages_are_included(mini, cli):
    write(mini, "pages/compare.md.j2", "# Compare\n\n{{ page.statement(fact('smile-launch-vehicle')) }}"
          "{{ page.cite(fact('smile-launch-vehicle')) }}\n\n{{ page.footnotes() }}\n")
    assert cli(mini, "render").code == 0
    text = (mini / "build/docs/compare.md").read_text()
    assert 'Smile was to fly on a Vega-C rocket.<sup id="cite-ref-1-a"' in text
    assert ('1. <span id="cite-note-1">' in text
            and "[ESA and Arianespace sign agreement to launch Smile mission](sources/" in text)
    # Copied as written, below the metadata every engine's <head> reads (its description).
    front, body = (mini / "build/docs/about.md").read_text().split("---\n", 2)[1:]
    assert body.startswith("# About") and front.startswith("description: ")


def test_no_op_render_writes_nothing_and_stale_pages_are_removed(mini, cli):
    assert cli(mini, "render").code == 0
    docs = mini / "build/docs"
    stamps = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    config = load_config(config_file=mini / "mkdocs.yml")
    stats = project.render(config, project.check(config).base)
    assert (stats.written, stats.removed) == (0, 0)
    assert stamps == {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    # A page factbase wrote and no longer generates goes; a file of the user's stays.
    (docs / "missions/old-page.md").write_text("# stale\n")
    (docs / "missions/mine.md").write_text("# mine\n")
    manifest = json.loads((docs / ".factbase-written").read_text())
    manifest["written"].append("missions/old-page.md")
    (docs / ".factbase-written").write_text(json.dumps(manifest))
    assert project.render(config, project.check(config).base).removed == 1
    assert not (docs / "missions/old-page.md").exists()
    assert (docs / "missions/mine.md").read_text() == "# mine\n"


def test_exports_are_valid_json_and_csl(mini, cli):
    assert cli(mini, "render").code == 0
    facts = json.loads((mini / "build/docs/data/facts.json").read_text())
    assert {f["id"] for f in facts["facts"]} >= {"smile-launch-vehicle", "smile-launch-mass"}
    mass = next(f for f in facts["facts"] if f["id"] == "smile-launch-mass")
    assert (mass["value"], mass["unit"], mass["approximate"]) == (2200, "kg", True)
    csl = json.loads((mini / "build/docs/data/sources.csl.json").read_text())
    contract = next(s for s in csl if s["id"] == "esa-launch-contract-2024")
    assert contract["issued"] == {"date-parts": [[2024, 4, 30]]}
    assert contract["publisher"] == "European Space Agency" and contract["type"] == "webpage"


def test_template_errors_are_reported_from_parallel_rendering(mini, cli, monkeypatch):
    """Pages render in forked workers when there are many; errors still carry positions."""
    from factbase import parallel
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    write(mini, "overrides/section.md.j2", "# {{ section.title }}\n\n{{ no_such_name }}\n")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("facts_dir: facts",
                                                 "facts_dir: facts\n      overrides_dir: overrides"))
    run = cli(mini, "render")
    assert run.code == 1 and run.out.startswith("overrides/section.md.j2:3:1: E601")


def test_parallel_and_serial_rendering_agree(mini, cli, monkeypatch):
    """Workers render and write their own pages; the tree must be the same."""
    from factbase import parallel
    assert cli(mini, "render").code == 0
    docs = mini / "build/docs"
    serial = {p.relative_to(docs): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    shutil.rmtree(docs)
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    assert cli(mini, "render").code == 0
    assert {p.relative_to(docs): p.read_bytes() for p in docs.rglob("*") if p.is_file()} == serial


def _render_fails_on_a_source_page(mini, cli) -> None:
    """An override of the source page template that names nothing defined."""
    write(mini, "overrides/source.md.j2", "# {{ no_such_name }}\n")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("facts_dir: facts",
                                                 "facts_dir: facts\n      overrides_dir: overrides"))
    run = cli(mini, "render")
    assert run.code == 1 and "E601" in run.out


def test_a_failing_page_in_a_worker_writes_nothing(mini, cli, monkeypatch):
    from factbase import parallel
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    assert cli(mini, "render").code == 0
    docs = mini / "build/docs"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}
    facts = mini / "facts/claims/smile.yaml"
    facts.write_text(facts.read_text().replace("statement: ", "statement: Changed. ", 1))
    _render_fails_on_a_source_page(mini, cli)
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("spread", [False, True])
def test_a_failing_page_takes_back_the_files_other_pages_created(mini, cli, monkeypatch, spread):
    """New files are written as they are made; a failure anywhere removes them
    (and folders left empty), so the folder is as it was: here, empty."""
    from factbase import parallel
    monkeypatch.setattr(parallel, "MIN_JOBS", 1 if spread else 10**9)
    _render_fails_on_a_source_page(mini, cli)
    assert list((mini / "build/docs").rglob("*")) == []


def test_rendered_files_are_world_readable(mini, cli):
    assert cli(mini, "render").code == 0
    modes = {p.stat().st_mode & 0o777 for p in (mini / "build/docs").rglob("*.md")}
    assert modes == {0o644}


def test_home_timelines_cover_only_featured_entities_and_what_they_are_tied_to():
    """The home page stays the same size as the base grows."""
    from factbase.rendering.pages import Index
    base = load(REPO / "facts", REPO).base
    index = Index.of(base)
    home = index.home_timelines([base.entities["double-star"]])
    assert [chart.title for chart in home.charts] == ["Double Star"]
    subjects = {event.fact.subject for event in home.events}
    assert "double-star" in subjects and "smile" not in subjects
    assert subjects <= {"double-star", *index.entity_view(base.entities["double-star"]).related}
    everything = index.home_timelines([base.entities["smile"], base.entities["wolf-amendment"]])
    assert [chart.title for chart in everything.charts] == ["Smile", "Policies and laws"]
    assert len(everything.events) > len(home.events)


def test_the_theme_folder_holds_the_projects_own_overrides(mini, cli):
    """An engine without plugins has one custom_dir: the folder render writes
    must hold the project's templates (its 404 page) beside Factbase's."""
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n",
                                                 "  font: false\n  custom_dir: overrides\n"))
    (mini / "overrides").mkdir()
    (mini / "overrides" / "404.html").write_text("{% extends 'main.html' %}\n")
    (mini / "overrides" / "main.html").write_text("{% extends 'base.html' %}{# mine #}\n")
    assert cli(mini, "render").code == 0
    theme = mini / "build" / "factbase-theme"
    assert (theme / "404.html").read_text() == "{% extends 'main.html' %}\n"
    assert "mine" in (theme / "main.html").read_text()      # the project's wins
    assert (theme / "factbase" / "head.html").is_file()      # Factbase's are there too


def test_a_custom_dir_leading_out_of_the_project_is_refused(mini, cli, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.html").write_text("secret")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n",
                                                 "  font: false\n  custom_dir: overrides\n"))
    (mini / "overrides").symlink_to(outside, target_is_directory=True)
    run = cli(mini, "render")
    assert run.code != 0 and "symbolic link" in run.out + run.err
    assert not (mini / "build" / "factbase-theme" / "secret.html").exists()

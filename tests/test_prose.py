"""Prose that cites facts: hand-written pages, the home page's lead and key facts.

A sentence written around a fact is true only while the fact is: when the
fact is superseded or disputed, the build fails (E604) until the prose is
updated, so an old value never goes live as if it were current.
"""

from __future__ import annotations

import pytest

from conftest import write

PAGE = "# Story\n\nSmile flies on Vega-C.{{ page.cite(fact('smile-launch-vehicle')) }}\n"
NEWER = """subject: smile
facts:
  - id: smile-launch-vehicle-2026
    property: launch-vehicle
    object: vega-c
    statement: Smile was launched on a Vega-C rocket.
    supersedes: smile-launch-vehicle
    cite:
      - source: esa-launch-contract-2024
        locator: image caption
"""


def _key_facts(mini, ids: str) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      facts_dir: facts", f"      facts_dir: facts\n      key_facts: {ids}"))


def test_prose_citing_a_current_fact_builds(mini, cli):
    write(mini, "pages/story.md.j2", PAGE)
    assert cli(mini, "render").code == 0
    assert "Smile flies on Vega-C." in (mini / "build/docs/story.md").read_text()


def test_prose_fails_once_its_fact_is_superseded(mini, cli):
    write(mini, "pages/story.md.j2", PAGE)
    write(mini, "facts/claims/newer.yaml", NEWER)
    run = cli(mini, "render")
    assert run.code == 1
    assert ("pages/story.md.j2:3:1: E604 fact 'smile-launch-vehicle' is superseded (by "
            "smile-launch-vehicle-2026), but the page states it as current") in run.out


def test_prose_that_tells_the_history_says_so(mini, cli):
    write(mini, "pages/story.md.j2", "# Story\n\nIn 2024 the launch was planned for 2025."
          "{{ page.cite(fact('smile-planned-launch-2025', status='superseded')) }}\n")
    assert cli(mini, "render").code == 0


def test_a_stale_fact_in_a_shipped_macro_is_reported_at_the_page(mini, cli):
    """The page calls a default macro; the line to change is the page's."""
    write(mini, "pages/story.md.j2", '{% import "_macros.j2" as m with context %}\n# Story\n\n'
          "{{ m.fact_cell('smile-planned-launch-2025') }}\n")
    run = cli(mini, "render")
    assert run.out.startswith("pages/story.md.j2:4:1: E604")


def test_key_facts_are_the_editors_choice_in_order(mini, cli):
    _key_facts(mini, "[smile-launch-vehicle, smile-partner-cas]")
    assert cli(mini, "render").code == 0
    home = (mini / "build/docs/index.md").read_text()
    section = home[home.index("## Key facts"):]
    assert section.index("fact-smile-launch-vehicle") < section.index("fact-smile-partner-cas")
    assert "fact-smile-partner-esa" not in section  # not chosen, not shown


@pytest.mark.parametrize("ids, code", [("[smile-launch-vehicel]", "E605"),
                                       ("[smile-planned-launch-2025]", "E604")])
def test_a_key_fact_that_is_missing_or_not_current_fails_the_build(mini, cli, ids, code):
    _key_facts(mini, ids)
    run = cli(mini, "render")
    # At the id in mkdocs.yml (`key_facts: [` ends at column 18), not at 1:1.
    assert run.code == 1 and run.out.startswith(f"mkdocs.yml:23:19: {code}")


@pytest.mark.parametrize("number, unit, shown", [(1, "day", "day"), (2, "day", "days"),
                                                 (3, "year", "years"), (1, "proposals", "proposal"),
                                                 (13, "proposals", "proposals"), (2200, "kg", "kg"),
                                                 (850, "W", "W"), (23, "member states", "member states")])
def test_a_unit_that_is_a_word_agrees_with_its_number(number, unit, shown):
    from factbase.rendering.markup import counted
    assert counted(number, unit) == shown


def test_pages_that_mention_an_entity_are_in_its_see_also(mini, cli):
    """One "See also" block: no separate "Mentioned elsewhere" list repeating
    other pages' facts; the pages that name ESA are among its related entries."""
    assert cli(mini, "render").code == 0
    esa = (mini / "build/docs/agencies/esa.md").read_text()
    assert "## Mentioned elsewhere" not in esa and "## Relationships" not in esa
    section = esa[esa.index("## See also"):]
    assert "(../missions/smile.md)" in section


def test_see_also_names_only_known_entities(mini, cli):
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      facts_dir: facts", "      facts_dir: facts\n      see_also: {smile: [esaa]}"))
    run = cli(mini, "render")
    assert run.code == 1 and run.out.startswith("mkdocs.yml:23:26: E606 see_also names unknown "
                                                "entities: esaa")


def test_see_also_lists_the_editors_links_then_related_entries(mini, cli):
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      facts_dir: facts", "      facts_dir: facts\n      see_also: {smile: [cas, {About: about.md}]}"))
    assert cli(mini, "render").code == 0
    smile = (mini / "build/docs/missions/smile.md").read_text()
    section = smile[smile.index("## See also"):]
    assert section.index("(../agencies/cas.md)") < section.index("[About](../about.md)")
    # the other related entries follow in the drawing (a folded list only holds
    # what the drawing leaves out; here it leaves out nothing)
    assert section.count("agencies/cas.md") == 1 and '<figure class="fb-diagram"' in section
    assert 'href="../../agencies/esa/"' in section and "Related entries (" not in section


TOPICAL = """properties:
  - id: aim
    label: aim
    subject_types: [mission]
    value_type: text
    group: What it is for
  - id: aside
    label: aside
    subject_types: [mission]
    value_type: text
"""
TOLD = """subject: smile
facts:
  - id: smile-aside
    property: aside
    value: Smile flies far from Earth.
    cite:
      - source: esa-smile-factsheet
        locator: introduction
  - id: smile-aim
    property: aim
    value: Smile images the magnetosphere.
    cite:
      - source: esa-smile-factsheet
        locator: introduction
"""


def test_sentences_are_told_under_their_topics_and_values_once(mini, cli):
    write(mini, "facts/properties/topical.yaml", TOPICAL)
    write(mini, "facts/claims/told.yaml", TOLD)
    assert cli(mini, "render").code == 0
    page = (mini / "build/docs/missions/smile.md").read_text()
    assert page.index("## What it is for") < page.index("Smile images") < \
        page.index("## Other facts") < page.index("Smile flies far")
    # A value is in the infobox, with its anchor, and not told again below it.
    assert page.count('id="fact-smile-launch-vehicle"') == 1
    assert page.index('id="fact-smile-launch-vehicle"') < page.index("## What it is for")

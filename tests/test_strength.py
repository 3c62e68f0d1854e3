"""W756: the facts the home page leads with rest on a primary source."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO, write

NEWS = """sources:
  - id: daily-smile
    title: Smile reported
    publisher: esa
    url: https://news.example.org/smile
    kind: news
  - id: smile-blog
    title: Smile blogged
    publisher: esa
    url: https://blog.example.org/smile
    kind: blog
"""

CLAIM = """subject: smile
facts:
  - id: smile-extra
    property: partner
    object: esa
    statement: Smile is shared with ESA.
{status}    cite:
      - source: daily-smile
        locator: first paragraph
      - source: smile-blog
        locator: second paragraph
{more}"""

PRIMARY = """      - source: esa-smile-factsheet
        locator: introduction
"""


def _project(mini: Path, options: str = "", status: str = "", more: str = "") -> Path:
    write(mini, "facts/sources/news.yaml", NEWS)
    write(mini, "facts/claims/extra.yaml", CLAIM.format(status=status, more=more))
    _configure(mini, options)
    return mini


def _configure(mini: Path, options: str) -> None:
    """The factbase plugin's options in mkdocs.yml, as an editor writes them."""
    config = mini / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    start = text.index("      pages_dir: pages\n") + len("      pages_dir: pages\n")
    end = text.index("validation:")
    config.write_text(text[:start] + options + text[end:], encoding="utf-8")


def _strength(cli, project: Path, *args: str) -> list[dict]:
    run = cli(project, "check", "--format", "json", *args)
    return [d for d in run.diagnostics if d["code"] == "W756"]


def test_a_key_fact_citing_only_news_and_blogs_is_flagged(mini, cli):
    project = _project(mini, "      key_facts: [smile-extra]\n")
    found = _strength(cli, project)
    assert [(d["path"], d["line"], d["col"]) for d in found] == [("facts/claims/extra.yaml", 8, 7)]
    message = found[0]["message"]
    assert "'smile-extra' (a key fact)" in message and "primary source is expected" in message
    assert "daily-smile (news)" in message and "smile-blog (blog)" in message
    assert found[0]["hint"]


def test_a_current_fact_about_a_featured_entity_is_flagged(mini, cli):
    found = _strength(cli, _project(mini, "      featured: [smile]\n"))
    assert [(d["path"], d["line"], d["col"]) for d in found] == [("facts/claims/extra.yaml", 8, 7)]
    assert "about the featured entity 'smile'" in found[0]["message"]


def test_a_disputed_fact_about_a_featured_entity_is_not_held_to_it(mini, cli):
    project = _project(mini, "      featured: [smile]\n", status="    status: disputed\n"
                       "    note: Only the press says so.\n")
    assert _strength(cli, project) == []


def test_one_primary_source_is_enough(mini, cli):
    project = _project(mini, "      key_facts: [smile-extra]\n      featured: [smile]\n",
                       more=PRIMARY)
    assert _strength(cli, project) == []


def test_other_facts_may_rest_on_news(mini, cli):
    assert _strength(cli, _project(mini, "      featured: [esa]\n")) == []


def test_a_documented_exception_sets_it_aside(mini, cli):
    project = _project(mini, "      key_facts: [smile-extra]\n", status=(
        "    ignore:\n      - code: W756\n        reason: no primary source exists\n"))
    assert _strength(cli, project) == []


def test_choosing_a_key_fact_in_mkdocs_yml_reruns_the_check(mini, cli):
    """The check cache is keyed by the choices, not only by the fact files."""
    project = _project(mini)
    assert _strength(cli, project) == []
    _configure(project, "      key_facts: [smile-extra]\n")
    assert len(_strength(cli, project)) == 1


def test_the_shipped_base_is_clean_under_strict(cli):
    run = cli(REPO, "check", "--strict", "--no-cache")
    assert run.code == 0, run.out + run.err
    assert "W756" not in run.out

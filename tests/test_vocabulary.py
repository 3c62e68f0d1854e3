"""Vocabulary in data: entity types, sections and source kinds are each base's own.

A base about another subject (software releases and their licences) declares
its own sections and source kinds, and gets a site made of them alone; the
references to types and kinds are checked against the declaration.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from conftest import write

# Real data: MkDocs' licence page (mkdocs.org/about/license/, heading "MkDocs
# License (BSD)") and PyPI's release feed for mkdocs (1.6.0 published Sat, 20
# Apr 2024; 1.6.1 on Fri, 30 Aug 2024).
SOFTWARE_BASE = {
    "facts/properties/types.yaml": """\
sections:
  - id: software
    title: Software
    types: [software]
    timelines: each
  - id: releases
    title: Releases
    types: [release]
    timelines: together
  - id: licences
    title: Licences
    types: [licence]
source_kinds:
  - id: documentation
    label: documentation
    primary: true
  - id: registry
    label: package registry
    primary: true
""",
    "facts/properties/vocabulary.yaml": """\
properties:
  - id: licence
    label: licence
    subject_types: [software]
    value_type: entity
    object_types: [licence]
  - id: release-of
    label: release of
    subject_types: [release]
    value_type: entity
    object_types: [software]
    single: true
  - id: release-date
    label: released
    subject_types: [release]
    value_type: date
    single: true
""",
    "facts/entities/all.yaml": """\
entities:
  - id: mkdocs
    type: software
    name: MkDocs
    summary: A static site generator for project documentation written in Markdown.
  - id: pypi
    type: software
    name: Python Package Index
    aliases: [PyPI]
  - id: mkdocs-1-6-0
    type: release
    name: MkDocs 1.6.0
  - id: mkdocs-1-6-1
    type: release
    name: MkDocs 1.6.1
  - id: bsd-licence
    type: licence
    name: BSD License
""",
    "facts/sources/all.yaml": """\
sources:
  - id: mkdocs-license-page
    title: License
    publisher: mkdocs
    url: https://www.mkdocs.org/about/license/
    kind: documentation
  - id: pypi-mkdocs-releases
    title: PyPI recent updates for mkdocs
    publisher: pypi
    url: https://pypi.org/rss/project/mkdocs/releases.xml
    kind: registry
""",
    "facts/claims/mkdocs.yaml": """\
subject: mkdocs
facts:
  - id: mkdocs-licence
    property: licence
    object: bsd-licence
    statement: MkDocs is released under the BSD License.
    cite:
      - source: mkdocs-license-page
        locator: heading "MkDocs License (BSD)"
""",
    "facts/claims/releases.yaml": """\
facts:
  - id: mkdocs-1-6-0-release-of
    subject: mkdocs-1-6-0
    property: release-of
    object: mkdocs
    cite:
      - source: pypi-mkdocs-releases
        locator: item "1.6.0"
  - id: mkdocs-1-6-0-date
    subject: mkdocs-1-6-0
    property: release-date
    value: 2024-04-20
    cite:
      - source: pypi-mkdocs-releases
        locator: item "1.6.0", pubDate
  - id: mkdocs-1-6-1-release-of
    subject: mkdocs-1-6-1
    property: release-of
    object: mkdocs
    cite:
      - source: pypi-mkdocs-releases
        locator: item "1.6.1"
  - id: mkdocs-1-6-1-date
    subject: mkdocs-1-6-1
    property: release-date
    value: 2024-08-30
    cite:
      - source: pypi-mkdocs-releases
        locator: item "1.6.1", pubDate
""",
    "pages/about.md": "# About\n\nFacts about MkDocs and its releases.\n",
    # No nav: the plugin makes one from the declared sections.
    "mkdocs.yml": """\
site_name: Software facts
docs_dir: build/docs
site_dir: site
strict: true
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - attr_list
  - footnotes
  - tables
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - search
  - factbase:
      pages_dir: pages
validation:
  anchors: warn
""",
}
SECTIONS = {"software": ("Software", {"mkdocs", "pypi"}),
            "releases": ("Releases", {"mkdocs-1-6-0", "mkdocs-1-6-1"}),
            "licences": ("Licences", {"bsd-licence"})}


def software_base(tmp_path: Path) -> Path:
    project = tmp_path / "software"
    for relative, text in SOFTWARE_BASE.items():
        write(project, relative, text)
    return project


def test_a_base_about_software_checks_and_builds_with_its_own_sections(tmp_path, cli):
    project = software_base(tmp_path)
    checked = cli(project, "check", "--format", "json", "--strict")
    assert checked.code == 0 and checked.diagnostics == []
    built = cli(project, "build")
    assert built.code == 0, built.err
    docs, site = project / "build" / "docs", project / "site"
    for folder, (title, members) in SECTIONS.items():
        index = (docs / folder / "index.md").read_text()
        assert f"# {title}" in index and "No entries yet" not in index
        assert {p.stem for p in (docs / folder).glob("*.md")} == members | {"index"}
        for member in members:
            assert (site / folder / member / "index.html").is_file()
    for page in docs.rglob("*.md"):
        if page.relative_to(docs).as_posix() != "reference/checks.md":  # every code's examples
            text = page.read_text()
            assert not re.search(r"mission|instrument|launch", text, re.I), page
    # The nav as a page with no headings of its own shows it (the home page's
    # table of contents, inside the nav, has a "Releases" chart).
    titles = re.findall(r'class="md-nav__link[^"]*"[^>]*>\s*(?:<span class="md-ellipsis">)?\s*'
                        r'([^<]+?)\s*<', (site / "about" / "index.html").read_text())
    top = [t for t in titles if t in {"Home", "Software", "Releases", "Licences", "About",
                                      "Sources", "Data", "Fact index"}]
    assert list(dict.fromkeys(top)) == ["Home", "Software", "Releases", "Licences", "About",
                                        "Sources", "Data", "Fact index"]


def test_the_home_page_follows_the_sections_timelines(tmp_path, cli):
    project = software_base(tmp_path)
    assert cli(project, "render").code == 0
    home = (project / "build" / "docs" / "index.md").read_text()
    # `together`: one chart for the releases; `each`: MkDocs has no dates, so no chart.
    assert "### Releases" in home and "### MkDocs" not in home
    assert "How the pieces connect" in home and "BSD License" in home


def test_a_section_without_entities_has_no_page(mini, cli):
    assert cli(mini, "render").code == 0
    docs = mini / "build" / "docs"
    assert (docs / "missions" / "index.md").is_file()
    assert not (docs / "policies").exists()  # declared, but the mini base has no policy


def test_nav_leaves_out_sections_the_base_lacks(mini, cli, tmp_path):
    """A nav entry for a section that is declared but empty, or not declared at
    all, is left out instead of failing the strict build with a broken link."""
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - Sources: sources/index.md\n",
        "  - Policies and laws: policies/index.md\n  - Gadgets: gadgets/index.md\n"
        "  - Sources: sources/index.md\n"))
    built = cli(mini, "build", "--site-dir", str(tmp_path / "site"))
    assert built.code == 0, built.err
    nav = (tmp_path / "site" / "index.html").read_text()
    assert "Missions" in nav and "Policies and laws" not in nav and "Gadgets" not in nav


def _diagnostics(project: Path, cli, path: str) -> list[tuple]:
    run = cli(project, "check", "--format", "json")
    return [(d["code"], d["line"], d["col"], d["message"], d["hint"])
            for d in run.diagnostics if d["path"] == path and d["severity"] == "error"]


def test_unknown_entity_type_is_positioned_with_did_you_mean(mini, cli):
    write(mini, "facts/entities/more.yaml",
          "entities:\n  - id: nasa\n    type: agncy\n    name: NASA\n")
    found = _diagnostics(mini, cli, "facts/entities/more.yaml")
    assert found == [("E306", 3, 11, "unknown entity type 'agncy'", "did you mean 'agency'?")]


def test_unknown_type_in_a_property_is_reported(mini, cli):
    write(mini, "facts/properties/more.yaml",
          "properties:\n  - id: budget\n    label: budget\n    subject_types: [agency, probe]\n"
          "    value_type: quantity\n    unit: EUR\n")
    found = _diagnostics(mini, cli, "facts/properties/more.yaml")
    assert [d[:4] for d in found] == [("E306", 4, 20, "unknown entity type 'probe'")]


def test_type_in_two_sections_is_reported_at_the_second(mini, cli):
    write(mini, "facts/properties/zz.yaml",  # after types.yaml: the second declaration
          "sections:\n  - id: probes\n    title: Probes\n    types: [probe, mission]\n")
    found = _diagnostics(mini, cli, "facts/properties/zz.yaml")
    assert len(found) == 1
    code, line, col, message, _ = found[0]
    assert (code, line, col) == ("E308", 4, 12)
    assert "'mission' is in two sections: 'missions' (facts/properties/types.yaml:9)" in message


def test_unknown_source_kind_is_positioned(mini, cli):
    write(mini, "facts/sources/more.yaml",
          "sources:\n  - id: s1\n    title: A post\n    publisher: esa\n"
          "    url: https://example.org/\n    kind: newz\n")
    found = _diagnostics(mini, cli, "facts/sources/more.yaml")
    assert found == [("E307", 6, 11, "unknown source kind 'newz'", "did you mean 'news'?")]


def test_a_base_without_declarations_is_told_where_they_go(mini, cli):
    (mini / "facts" / "properties" / "types.yaml").unlink()
    found = _diagnostics(mini, cli, "facts/entities/all.yaml")
    assert found and all(d[0] == "E306" for d in found)
    assert "list them under 'sections:' in a file in facts/properties/" in found[0][4]


def test_section_ids_are_checked_as_folders(mini, cli):
    write(mini, "facts/properties/zz.yaml",
          "sections:\n  - id: sources\n    title: Sources\n    types: [document]\n"
          "    colour: blue\n  - id: missions\n    title: Again\n    types: [probe]\n"
          "    timelines: sometimes\n")
    found = [d[:3] for d in _diagnostics(mini, cli, "facts/properties/zz.yaml")]
    assert found == [("E210", 2, 9), ("E202", 5, 5), ("E301", 6, 9), ("E207", 9, 16)]


def test_new_offers_the_declared_types(mini):
    from factbase.loading.loader import load
    from factbase.tools import new
    base = load(mini / "facts").base
    asked = io.StringIO()
    draft = new.Draft("entity", {"name": "NASA", "summary": "x"})
    new.ask(draft, new.Answers(io.StringIO("agency\n"), asked), base)
    assert asked.getvalue() == ("Type [mission, policy, law, agency, organisation, programme, "
                                "instrument, launch-vehicle, launch, place]: agency\n")


def test_editor_schema_offers_the_declared_vocabulary(tmp_path, cli):
    project = software_base(tmp_path)
    assert cli(project, "schema").code == 0
    entities = json.loads((project / "schema" / "entities.schema.json").read_text())
    assert entities["$defs"]["record"]["properties"]["type"]["enum"] == [
        "software", "release", "licence"]
    sources = json.loads((project / "schema" / "sources.schema.json").read_text())
    assert sources["$defs"]["record"]["properties"]["kind"]["enum"] == [
        "documentation", "registry"]
    assert cli(project, "schema", "--check").code == 0


def test_a_made_nav_gives_the_theme_declared_titles_as_inert_text(tmp_path):
    """Themes print nav titles raw in places, as they do page titles (see hardening)."""
    from factbase.model import Section, Span
    from factbase.site.nav import made_nav
    write(tmp_path, "probes/index.md", "# Probes\n")
    section = Section("probes", '<img src=x onerror="alert(1)">Probes', ("probe",),
                      Span("facts/properties/types.yaml", 2, 5))
    nav = made_nav([section], tmp_path)
    (title, target), = nav[1].items()
    assert target == "probes/index.md" and "<" not in title and ">" not in title
    assert nav[0] == {"Home": "index.md"} and nav[-1] == {"Fact index": "fact-index/index.md"}

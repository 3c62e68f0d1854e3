"""`factbase build`: strict MkDocs build, internal links, atomic replacement."""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from factbase.config import load_config
from factbase.site.sitelinks import broken_links

from conftest import REPO, write


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped fact base, built once for the module's tests."""
    import subprocess
    import sys
    site = tmp_path_factory.mktemp("shipped") / "site"
    proc = subprocess.run([sys.executable, "-m", "factbase", "build", "--site-dir", str(site)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stderr, proc.stderr
    return site


def test_shipped_site_builds_strict_with_every_page(shipped_site):
    for page in ("index.html", "missions/smile/index.html", "policies/wolf-amendment/index.html",
                 "sources/index.html", "compare/index.html", "researchers/index.html",
                 "data/facts.json", "data/sources.csl.json", "reference/fact-format/index.html"):
        assert (shipped_site / page).is_file(), page


def test_every_internal_link_and_anchor_resolves(shipped_site):
    # The 404 page's links are root-absolute, from where the site is published.
    published = urlsplit(load_config(REPO).site_url).path
    assert published != "/" and broken_links(shipped_site, published) == []


def test_no_page_loads_anything_from_another_host(shipped_site):
    """Fonts, scripts and styles all ship with the site (readers' privacy)."""
    import re
    for page in shipped_site.rglob("*.html"):
        text = page.read_text()
        # (<link rel="canonical"> names the page's own address; it loads nothing.)
        external = re.findall(r'<(?:script|link(?! rel="canonical")|img)\b[^>]*(?:src|href)="(https?:)?//',
                              text)
        assert not external, page


@pytest.mark.parametrize("in_workers", [False, True])
def test_link_checker_finds_missing_pages_and_anchors(tmp_path, monkeypatch, in_workers):
    if in_workers:
        from factbase import parallel
        from factbase.site import sitelinks
        monkeypatch.setattr(parallel, "MIN_JOBS", 1)
        monkeypatch.setattr(sitelinks, "_CHUNK", 1)
    write(tmp_path, "index.html", '<a href="a/">ok</a><a href="a/#here">ok</a>'
          '<a href="a/#gone">bad anchor</a><a href="b/">bad page</a><a id="top"></a>'
          '<a href="#top">self</a><a href="https://example.org/x">external</a>')
    write(tmp_path, "a/index.html", '<h2 id="here">x</h2><a href="../index.html#top">up</a>')
    # Same links on pages in different folders: climbing ones lead to the same
    # file, the others to different files (only y/other/ exists).
    for folder in ("x", "y"):
        write(tmp_path, f"{folder}/p/index.html", '<a href="../../a/#here">ok</a>'
              '<a href="../other/">sibling</a><a href="../../a/#nope">bad anchor</a>')
    write(tmp_path, "y/other/index.html", "<p>here</p>")
    found = {(b.page, b.target) for b in broken_links(tmp_path)}
    assert found == {("index.html", "a/#gone"), ("index.html", "b/"),
                     ("x/p/index.html", "../other/"), ("x/p/index.html", "../../a/#nope"),
                     ("y/p/index.html", "../../a/#nope")}


def test_mini_site_builds_and_a_failed_build_keeps_the_previous_site(mini, cli):
    assert cli(mini, "build").code == 0
    before = tree_digest(mini / "site")
    assert "missions/smile/index.html" in before
    write(mini, "facts/claims/broken.yaml", "subject: smile\nfacts: [\n")
    run = cli(mini, "build")
    assert run.code == 1 and "previous site is unchanged" in run.err
    assert tree_digest(mini / "site") == before
    assert not list(mini.glob(".site.*")), "debris left beside the site"


def test_mkdocs_failure_keeps_the_previous_site(mini, cli):
    assert cli(mini, "build").code == 0
    before = tree_digest(mini / "site")
    write(mini, "pages/broken-link.md", "# Broken\n\n[missing](no-such-page.md)\n")
    run = cli(mini, "build")
    assert run.code == 1 and "MkDocs build failed" in run.err
    assert tree_digest(mini / "site") == before


def test_site_dir_option(mini, cli, tmp_path):
    target = tmp_path / "elsewhere"
    assert cli(mini, "build", "--site-dir", str(target)).code == 0
    assert (target / "index.html").is_file() and not (mini / "site").exists()


def _engine_build(project: Path, command: list[str], site: Path):
    import subprocess
    (project / "build" / "docs").mkdir(parents=True, exist_ok=True)  # as in a fresh clone
    return subprocess.run([*command, "build", "-f", str(project / "mkdocs.yml"),
                           "-d", str(site)], cwd=project, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_plain_engines_build_the_tree_through_the_plugin(engine, mini, tmp_path):
    """No `factbase` call first: the plugin checks and renders, the engine builds."""
    import shutil
    import sys
    command = [str(Path(sys.executable).with_name(engine))]
    assert Path(command[0]).exists() or shutil.which(engine), f"{engine} is not installed"
    proc = _engine_build(mini, command, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "site/missions/smile/index.html").is_file()
    nav = (tmp_path / "site/index.html").read_text()
    assert 'href="missions/smile/"' in nav  # the plugin listed entity pages in the nav


def test_plain_engine_build_reports_bad_facts_through_the_plugin(mini, tmp_path):
    import sys
    write(mini, "facts/claims/bad.yaml", "subject: smile\nfacts:\n  - id: x\n    property: nope\n"
          "    object: esa\n    cite:\n      - source: esa-smile-factsheet\n        locator: a\n")
    proc = _engine_build(mini, [str(Path(sys.executable).with_name("mkdocs"))], tmp_path / "s")
    assert proc.returncode != 0
    assert "facts/claims/bad.yaml:4:15: E304 unknown property 'nope'" in proc.stderr


def test_large_sections_are_not_listed_page_by_page(tmp_path):
    """Material renders the whole nav into every page: thousands of entries make
    the build quadratic, so big sections stay one entry (their index lists them)."""
    from factbase.site.plugin import expand_nav
    for folder, count in (("small", 3), ("big", 70)):
        for i in range(count):
            write(tmp_path, f"{folder}/p{i:03d}.md", "# p\n")
        write(tmp_path, f"{folder}/index.md", "# i\n")
    nav = expand_nav([{"Small": "small/index.md"}, {"Big": "big/index.md"}], tmp_path, 60)
    assert nav[0] == {"Small": ["small/index.md", "small/p000.md", "small/p001.md", "small/p002.md"]}
    assert nav[1] == {"Big": "big/index.md"}

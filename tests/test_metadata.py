"""Reuse, trust and metadata: licence, cite this page, recent changes and their
Atom feed, the open data package, canonical URLs, sitemap, descriptions, link
previews, JSON-LD, robots.txt, and a 404 page that works where the site is
published (a subpath, as on GitHub Pages)."""

from __future__ import annotations

import functools
import http.server
import json
import re
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from frictionless import validate

from conftest import REPO
from factbase.loading.loader import load
from factbase.rendering import changes, feed
from factbase.rendering.render import SiteOptions, render_site
from test_browser import ARGS, ARTIFACTS, CHROMIUM, _Quiet, browser  # noqa: F401 (fixture)

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


# As the deploy workflow sets them (mkdocs.yml reads both with !ENV).
SITE_URL = "https://example.org/factbase/"
PUBLISHED = {"FACTBASE_SITE_URL": SITE_URL, "FACTBASE_REPO_URL": "https://github.com/example/factbase"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("metadata") / "site"
    proc = subprocess.run([sys.executable, "-m", "factbase", "build", "--site-dir", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=300,
                          env=os.environ | PUBLISHED)
    assert proc.returncode == 0, proc.stderr
    return out


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def _entity_pages(site: Path) -> list[Path]:
    folders = ("missions", "policies", "agencies", "programmes", "instruments", "launches",
               "places")
    return [p for p in _pages(site) if p.parts[len(site.parts)] in folders
            and p.parent.name != folders and p.relative_to(site).parts[1] != "index.html"]


def _meta(text: str, name: str) -> str | None:
    found = re.search(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"', text)
    return found.group(1) if found else None


def _json_ld(text: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_sitemap_lists_every_page(site):
    locs = {e.text for e in ET.parse(site / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    expected = set()
    for page in _pages(site):
        url = page.relative_to(site).as_posix().removesuffix("index.html")
        expected.add(SITE_URL + url)
    assert len(expected) > 100
    assert locs == expected


def test_every_page_has_a_canonical_url_and_the_licence_in_its_footer(site):
    for page in _pages(site):
        text = page.read_text()
        url = SITE_URL + page.relative_to(site).as_posix().removesuffix("index.html")
        assert f'<link rel="canonical" href="{url}">' in text, page
        footer = text[text.index('<footer class="md-footer">'):]
        assert "https://creativecommons.org/licenses/by/4.0/" in footer, page


def test_entity_pages_have_descriptions_of_their_own(site):
    pages = _entity_pages(site)
    assert len(pages) > 30
    descriptions = [_meta(p.read_text(), "description") for p in pages]
    assert all(descriptions)
    assert len(set(descriptions)) == len(descriptions)
    assert _meta((site / "missions/smile/index.html").read_text(), "description").startswith(
        "Joint ESA–CAS space-weather mission")
    # Hand-written pages are described by their lead paragraph, not the site's description.
    story = _meta((site / "story/index.html").read_text(), "description")
    site_description = (site / "index.html").read_text()
    assert story not in site_description and story.startswith("Smile is")


def test_link_previews_and_json_ld(site):
    smile = (site / "missions/smile/index.html").read_text()
    assert _meta(smile, "og:title") == "Smile"
    assert _meta(smile, "og:url") == SITE_URL + "missions/smile/"
    assert _meta(smile, "twitter:card") == "summary"
    data = _json_ld(smile)
    assert data["@type"] == "WebPage" and data["url"] == SITE_URL + "missions/smile/"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["dateModified"])
    assert len(data["citation"]) > 10
    assert all(c["url"].startswith("http") and c["name"] for c in data["citation"])
    dataset = _json_ld((site / "data/index.html").read_text())
    assert dataset["@type"] == "Dataset"
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert SITE_URL + "data/facts.csv" in urls and SITE_URL + "data/datapackage.json" in urls
    for page in _pages(site):  # every page's JSON-LD parses
        assert _json_ld(page.read_text())["@context"] == "https://schema.org"


def test_json_ld_text_cannot_close_its_script_element():
    """The head partial, rendered as MkDocs renders templates (no autoescape),
    with hostile text in every field it prints."""
    import jinja2
    from types import SimpleNamespace
    from factbase.site.theme import THEME
    hostile = "</script><script>alert(1)</script><!-- & > \" '"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(THEME)))
    page = SimpleNamespace(title=hostile, canonical_url="https://example.org/p/",
                           meta={"description": hostile, "updated": hostile,
                                 "citations": [{"name": hostile, "url": hostile}]})
    config = SimpleNamespace(site_name=hostile, site_description=hostile, site_url="https://example.org/")
    out = env.get_template("factbase/head.html").render(page=page, config=config)
    assert "<script>alert" not in out and "<!--" not in out
    for tag in re.findall(r"<meta [^>]*>", out):
        assert tag.count('"') == 4, tag  # the value stays inside its quotes
    data = _json_ld(out)
    assert data["description"] == hostile and data["citation"][0]["name"] == hostile


def test_robots_txt_points_at_the_sitemap(site):
    assert (site / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {SITE_URL}sitemap.xml"


def test_cite_this_page_and_this_fact(site):
    text = (site / "missions/smile/index.html").read_text()
    assert "Cite this page" in text
    cite = text[text.index("Cite this page"):]
    assert f'<a href="{SITE_URL}missions/smile/">{SITE_URL}missions/smile/</a>' in cite
    assert re.search(r"Last changed:</strong> \d{1,2} \w+ \d{4}", cite)
    assert "History of its facts" in cite and "facts/claims/smile.yaml" in cite  # in the link only
    assert "History of facts/" not in cite
    # "Cite this fact": its anchor on the page, linked from its fact-index entry
    assert 'id="fact-smile-science-objective"' in text
    assert 'href="../../missions/smile/#fact-smile-science-objective"' in \
        (site / "fact-index/s/index.html").read_text()
    for page in ("index.html", "sources/esa-smile-factsheet/index.html"):
        assert "Cite this page" in (site / page).read_text(), page


def test_data_package_validates_with_frictionless(site):
    report = validate(site / "data/datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((site / "data/datapackage.json").read_text())
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    assert facts["schema"]["primaryKey"] == ["id"]
    assert {"fields": "subject", "reference": {"resource": "entities", "fields": "id"}} \
        in facts["schema"]["foreignKeys"]
    data_page = (site / "data/index.html").read_text()
    for resource in package["resources"]:  # every column is documented on the data page
        for field in resource["schema"]["fields"]:
            assert f"<code>{field['name']}</code>" in data_page


def test_feed_is_valid_atom(site):
    root = ET.parse(site / "changes.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert (entry.find(f"{ATOM}{tag}").text or "").strip(), tag
        assert entry.find(f"{ATOM}link").get("href").startswith(SITE_URL + "changes/#commit-")
    # The feed's date is its newest entry's, never the build clock's.
    assert root.find(f"{ATOM}updated").text == max(e.find(f"{ATOM}updated").text
                                                   for e in entries)
    page = (site / "changes/index.html").read_text()
    anchor = entries[0].find(f"{ATOM}link").get("href").split("#")[1]
    assert f'id="{anchor}"' in page


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True,
                   env={"GIT_COMMITTER_DATE": "2026-01-02T03:04:05+00:00", "PATH": "/usr/bin:/bin"})


def test_history_names_each_fact_and_what_happened(tmp_path):
    facts = tmp_path / "facts"
    facts.mkdir()
    claims = facts / "a.yaml"
    claims.write_text("subject: x\nfacts:\n  - id: old\n    property: p\n    value: 1\n"
                      "  - id: other\n    property: p\n    value: 2\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first </title><script>x</script>")
    claims.write_text("subject: x\nfacts:\n  - id: old\n    property: p\n    value: 1\n"
                      "  - id: other\n    property: p\n    value: 2\n    status: disputed\n"
                      "  - id: new\n    property: p\n    value: 3\n    supersedes: [old]\n")
    _git(tmp_path, "commit", "-qam", "second")
    history = changes.read(tmp_path, facts)
    assert history.available
    second, first = history.commits
    assert {(c.kind, c.id) for c in first.changes} == {("added", "old"), ("added", "other")}
    assert {(c.kind, c.id, c.subject) for c in second.changes} == {
        ("added", "new", "x"), ("disputed", "other", "x"), ("superseded", "old", "x")}
    assert second.date == "2026-01-02T03:04:05+00:00"
    assert history.last_changed["fact:old"] == "2026-01-02"
    xml = feed.atom(_base(), SiteOptions((), tmp_path, site_url="https://example.org/",
                                         history=history))
    root = ET.fromstring(xml)
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    # Entries say what moved; commit messages are written for maintainers, not readers.
    assert titles == ["1 fact added, 1 fact superseded, 1 fact disputed", "2 facts added"]
    assert "<script>" not in xml


def _base():
    mini = REPO / "tests/fixtures/mini"
    return load(mini / "facts", mini).base


def test_without_history_the_site_says_so(tmp_path):
    history = changes.read(tmp_path, tmp_path)  # not a git checkout
    assert not history.available and "git" in history.reason
    # The default templates: the shipped articles name facts the small base lacks.
    pages = render_site(_base(), SiteOptions((), REPO, history=history))
    assert "No history in this build" in pages["changes.md"]()
    root = ET.fromstring(pages["changes.xml"]())
    assert root.find(f"{ATOM}updated").text == feed.NO_DATE and not root.findall(f"{ATOM}entry")
    assert "Last changed:** not known" in pages["missions/smile.md"]()


class _PublishedUnder(_Quiet):
    """Like GitHub Pages: the site under a subpath, and 404.html for what is missing."""

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / urlsplit(SITE_URL).path.strip("/") / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def published(site):
    root = site.parent / "published"
    sub = root / urlsplit(SITE_URL).path.strip("/")
    sub.parent.mkdir(parents=True, exist_ok=True)
    sub.symlink_to(site, target_is_directory=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_PublishedUnder, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{urlsplit(SITE_URL).path}"
    server.shutdown()


def _open(browser, url, width=1280, scheme="light"):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    page.errors, page.failed = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error"
            and "status of 404" not in m.text else None)  # the page itself: assets are in failed
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("requestfailed", lambda r: page.failed.append(r.url))
    page.on("response", lambda r: page.failed.append(r.url) if r.status >= 400
            and r.request.resource_type != "document" else None)
    page.goto(url)
    return context, page


def test_404_page_works_under_the_published_subpath(browser, published):  # noqa: F811
    context, page = _open(browser, published + "no/such/page/")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Page not found"
    # The stylesheet loaded: the header is Material's, not an unstyled list.
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
    page.locator(".md-header__button.md-logo, .md-nav__link").first.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "metadata-404-subpath.png"))
    assert page.errors == [] and page.failed == [], (page.errors, page.failed)
    context.close()


@pytest.mark.parametrize("width,scheme", [(1366, "light"), (390, "light"), (1366, "dark"),
                                          (390, "dark")])
def test_cite_block_and_footer_screenshots(browser, published, width, scheme):  # noqa: F811
    context, page = _open(browser, published + "missions/smile/", width, scheme)
    cite = page.locator("details.quote", has_text="Cite this page")
    cite.locator("summary").click()
    assert cite.get_by_role("link", name=SITE_URL + "missions/smile/").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    cite.screenshot(path=str(ARTIFACTS / f"metadata-cite-{width}-{scheme}.png"))
    page.locator(".md-footer-meta").screenshot(
        path=str(ARTIFACTS / f"metadata-footer-{width}-{scheme}.png"))
    assert page.errors == [] and page.failed == [], (page.errors, page.failed)
    context.close()

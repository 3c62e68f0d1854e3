"""The built site in a real browser: Debian's Chromium driven by Playwright.

Needs /usr/bin/chromium (`make test` installs it). Without it this module
fails loudly rather than skipping: CI must never pass without these tests.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "tests" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(shipped_site):
    site = shipped_site
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists() or shutil.which("chromium"), \
        "Debian's chromium is required for the browser tests: apt-get install chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url, request):
    """A page that records console errors and every request's host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors, page.requests = [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()
    assert page.errors == [], page.errors
    leaving = [u for u in page.requests if not u.startswith((site_url, "data:", "blob:"))]
    assert leaving == [], f"requests left the local server: {leaving}"


def test_home_to_smile_to_a_source(page, site_url):
    page.goto(site_url + "/")
    assert "Smile and the Wolf Amendment" in page.title()
    page.locator(".md-sidebar--primary").get_by_role("link", name="Smile", exact=True).click()
    page.wait_for_url("**/missions/smile/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Smile"
    assert page.locator("text=At a glance").is_visible()
    marker = page.locator("a.footnote-ref").first
    note_id = marker.get_attribute("href").removeprefix("#")
    marker.click()
    note = page.locator(f'[id="{note_id}"]')
    cited = note.locator("span > a[href^='#ref-']").first  # after the back-links, the source
    reference_id = cited.get_attribute("href").removeprefix("#")
    cited.click()
    reference = page.locator(f'[id="{reference_id}"]')   # its entry under "Sources cited"
    expect(reference).to_be_in_viewport()
    title = reference.locator("a").first
    source_title = title.inner_text()
    title.click()
    page.wait_for_url("**/sources/**")
    assert page.locator("h1").inner_text().rstrip("¶") == source_title
    assert page.locator("h2", has_text="Facts citing this source").is_visible()
    assert page.locator("a", has_text="smile-").count() > 0  # links back to the facts


def search(page, query: str) -> None:
    """Type a query once Material's search worker has built its index."""
    page.locator("input.md-search__input").click()
    # A locator, not wait_for_function: polling a string predicate needs eval,
    # which the pages' Content Security Policy refuses once the page is loaded.
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(re.compile("Initializing", re.I), timeout=30_000)
    page.locator("input.md-search__input").press_sequentially(query, delay=20)


def test_search_finds_the_wolf_amendment(page, site_url):
    page.goto(site_url + "/")
    search(page, "Wolf Amendment")
    result = page.locator('.md-search-result__item > a[href*="policies/wolf-amendment/"]').first
    result.wait_for(timeout=30_000)
    result.click()
    page.wait_for_url("**/policies/wolf-amendment/**")
    assert page.locator("h1").inner_text().rstrip("¶") == "Wolf Amendment"


def test_timeline_and_relationship_diagrams_render(page, site_url):
    """Diagrams are inline SVG drawn at build time: each is in the page's own
    DOM, drawn at its size, with its labels and links (no script involved)."""
    page.goto(site_url + "/")
    diagrams = page.locator("figure.fb-diagram svg")
    assert diagrams.count() >= 3  # a timeline per mission with dates, the policies, the graph
    # Each figure has a desktop and a phone arrangement; the column shows one.
    sizes = page.evaluate("[...document.querySelectorAll('figure.fb-diagram svg')]"
                          ".filter(s => s.checkVisibility())"
                          ".map(s => s.getBoundingClientRect().height)")
    assert len(sizes) >= 3 and all(height > 60 for height in sizes), sizes
    assert page.locator("figure.fb-diagram svg a").count() > 20   # events and boxes link
    assert page.get_by_text("19 May 2026 (current)").locator("visible=true").count() == 1
    # The last drawing a reader can reach: the other arrangement of a figure is hidden.
    diagrams.locator("visible=true").last.scroll_into_view_if_needed()


def test_superseded_plans_are_marked_not_current(page, site_url):
    page.goto(site_url + "/missions/smile/")
    glance = page.locator(".admonition.abstract").inner_text()
    assert "Launch date\t19 May 2026" in glance
    assert "19 July" not in glance and "late 2025" not in glance
    history = page.locator("table", has_text="Superseded").text_content()  # folded: text, not layout
    assert "late 2025" in history and "Disputed" in history and "19 July" in history


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """The hostile fixture base (payloads in every text field), built and served."""
    project = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(REPO / "tests/fixtures/hostile", project)
    (project / "pages").mkdir()
    proc = subprocess.run([sys.executable, "-m", "factbase", "build"], cwd=project,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site = project / "site"
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()


def test_payloads_in_fact_files_stay_inert_text(browser, hostile_url):
    base_url, pages = hostile_url
    context = browser.new_context()
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    assert len(pages) > 10
    for path in pages:
        page.goto(f"{base_url}/{'' if path == '.' else path + '/'}")
        page.wait_for_timeout(300)  # let any injected handler run
        page.mouse.move(200, 300)
        assert page.evaluate("window.__xss") is None, f"a payload ran on {path}"
    # The partner fact's statement is told in the fact index (Smile's page shows the value).
    page.goto(f"{base_url}/fact-index/s/")
    text = page.locator("article").inner_text()
    assert "<script>window.__xss=20;alert(20)</script> Statement with [a link]" \
           "(javascript:window.__xss=21)" in text
    assert page.locator("article a[href^='javascript:']").count() == 0
    page.goto(f"{base_url}/agencies/esa/")  # the hostile name, as the page's own title
    assert "<script>window.__xss=1;alert(1)</script>Evil Agency" in page.locator("h1").inner_text()
    page.goto(f"{base_url}/missions/")  # a declared section title, as text on its page and in the nav
    title = '<img src=x onerror="window.__xss=30;alert(30)">Missions'
    assert page.locator("h1").inner_text().rstrip("¶") == title
    assert "Missions" in page.locator("nav.md-nav--primary").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "hostile-esa.png"))
    context.close()
    assert dialogs == [] and errors == [], (dialogs, errors)

"""Hostile text in every field of every record kind stays text in a reader's browser.

The shipped base is copied and a payload appended to every free-text field
(entity names and aliases, summaries, source titles, property labels and
descriptions, units, statements, notes, locators, quotes, ignore reasons) and to
every address. The site is built, and one page of every kind is loaded in
Debian's Chromium: no dialog may open and no injected element may exist, in
`<head>` or `<body>`, whether or not the Content Security Policy would have
stopped it. (Publishers are entity ids, so a publisher's text is its entity's
name, which is covered.)
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from ruamel.yaml import YAML

from conftest import copy_project
from factbase.rendering.markup import title_text
from test_browser import _Quiet, browser, search  # noqa: F401 (browser is a fixture)

TEXT_KEYS = {"name", "aliases", "summary", "title", "label", "description", "unit", "statement",
             "note", "locator", "quote", "reason"}
URL_KEYS = {"url", "archive_url"}
PAYLOAD = (' " \' <em class="injected">x</em></title><img src=x onerror=alert(1)>'
           "<script>alert(2)</script>[x](javascript:alert(3)) <svg onload=alert(4)>"
           ' &lt;img src=x onerror=alert(5)&gt; {: onclick="alert(6)" } <!-- ]]> ---')
URL_PAYLOAD = '?q="><img/src=x/onerror=alert(7)>'

# Everything a fact file can make a page show, found the way a browser would.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) if (/^on/i.test(a.name)) found.push(el.tagName + '[' + a.name + ']');
    if (el.matches('.injected, img[src="x"], svg[onload]')) found.push(el.outerHTML.slice(0, 80));
    if (el.tagName === 'A' && /^\\s*javascript:/i.test(el.getAttribute('href') || '')) found.push('javascript: link');
    // JSON-LD is data, never run: it may quote hostile text, but must stay one valid JSON value.
    const data = el.tagName === 'SCRIPT' && el.type === 'application/ld+json';
    if (data) { try { JSON.parse(el.textContent); } catch (e) { found.push('broken JSON-LD'); } }
    if (el.tagName === 'SCRIPT' && !data && /alert\\(/.test(el.textContent)) found.push('script');
  }
  if (document.querySelectorAll('script[type="application/ld+json"]').length > 1) found.push('extra JSON-LD');
  return found;
}"""


def poison(node) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in TEXT_KEYS and isinstance(value, str):
                node[key] = (value[:40] if key == "quote" else value) + PAYLOAD
            elif key in TEXT_KEYS and isinstance(value, list):
                node[key] = [f"{item}{PAYLOAD}" for item in value]
            elif key in URL_KEYS and isinstance(value, str):
                node[key] = value + URL_PAYLOAD
            else:
                poison(value)
    elif isinstance(node, list):
        for item in node:
            poison(item)


@pytest.fixture(scope="module")
def poisoned_url(tmp_path_factory):
    project = tmp_path_factory.mktemp("xss")
    copy_project(project)
    # Raw HTML in a hand-written page is allowed by Markdown: only the
    # Content Security Policy stands between it and the reader.
    (project / "site_src" / "csp-probe.md").write_text(
        "# CSP probe\n\n<img src=x onerror=\"window.pwned = 1\">\n\n"
        "<script>window.pwned = 2</script>\n")
    yaml = YAML()
    for path in sorted((project / "facts").rglob("*.yaml")):
        data = yaml.load(path)
        poison(data)
        yaml.dump(data, path)
    # The payloads make statements that warn (W754, W755): only errors may stop this build.
    proc = subprocess.run([sys.executable, "-m", "factbase", "build", "--no-strict"], cwd=project,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(project / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", project / "site"
    server.shutdown()


def page_kinds(site: Path) -> list[str]:
    """One page per folder and depth: the home page, every section index, an
    entity of every type, a source, the fact index and its letters, the data,
    reference and hand-written pages, and the 404 page."""
    chosen: dict[tuple, str] = {}
    for page in sorted(site.rglob("index.html")):
        parts = page.relative_to(site).parent.parts
        if parts[:1] == ("csp-probe",):  # raw HTML on purpose: its own test
            continue
        chosen.setdefault((parts[:1], len(parts)), "/".join(parts))
    return sorted(f"/{p}/" if p else "/" for p in chosen.values()) + ["/404.html"]


@pytest.fixture
def hostile_page(browser, poisoned_url):  # noqa: F811 (the fixture imported above)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def test_payloads_reach_every_page_kind(poisoned_url):
    """The fixture is only a test if the payloads are on the pages, as text."""
    _, site = poisoned_url
    kinds = page_kinds(site)
    assert len(kinds) >= 12
    shown = [k for k in kinds[:-1]  # not the 404 page
             if "onerror=alert(1)" in (site / k.strip("/") / "index.html").read_text()]
    assert len(shown) >= 8, shown


def test_no_page_runs_or_contains_injected_markup(hostile_page, poisoned_url):
    url, site = poisoned_url
    problems = {}
    for path in page_kinds(site):
        hostile_page.goto(url + path)
        hostile_page.wait_for_load_state("load")
        hostile_page.wait_for_timeout(150)  # let the theme's scripts finish their DOM work
        found = hostile_page.evaluate(INJECTED)
        head_title = hostile_page.evaluate("document.head.querySelectorAll('title').length")
        if found or head_title != 1:
            problems[path] = (found, head_title)
    assert problems == {}
    assert hostile_page.dialogs == []


def test_search_results_and_tooltips_stay_inert(hostile_page, poisoned_url):
    url, _ = poisoned_url
    hostile_page.goto(url + "/missions/smile/")
    hostile_page.locator("a.footnote-ref").first.hover()  # Material's footnote tooltip
    hostile_page.wait_for_timeout(300)
    assert hostile_page.evaluate(INJECTED) == []
    search(hostile_page, "onerror")
    hostile_page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    assert hostile_page.evaluate(INJECTED) == []
    assert hostile_page.dialogs == []


def test_the_content_security_policy_stops_inline_script(hostile_page, poisoned_url):
    url, _ = poisoned_url
    violations = []
    hostile_page.on("console", lambda m: violations.append(m.text)
                    if "Content Security Policy" in m.text else None)
    hostile_page.goto(url + "/csp-probe/")
    hostile_page.wait_for_load_state("load")
    assert hostile_page.evaluate("typeof window.pwned") == "undefined"
    assert len(violations) >= 2, violations  # the handler and the script, both refused
    assert hostile_page.evaluate("typeof window.__md_get") == "function"  # the theme's own ran


@given(st.text())
def test_titles_read_the_same_escaped_or_not(text):
    """What `striptags` (unescape) or an HTML printer does to a title changes nothing."""
    title = title_text(text)
    assert not set(title) & set("<>\"'")
    assert all(title[i + 1:i + 2] in ("", " ") for i, c in enumerate(title) if c == "&")
    assert Markup(title).striptags() == " ".join(title.split())

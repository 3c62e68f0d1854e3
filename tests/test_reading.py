"""The site as a reader meets it, in Chromium at desktop and phone widths."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.request import urlopen

import pytest

from test_browser import ARTIFACTS, browser, site_url  # noqa: F401 (fixtures)

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}

FIRST_SCREEN = """() => {
  const seen = [], links = [];
  const inView = el => { const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight && r.width > 0; };
  for (const el of document.querySelectorAll('article p, article li, article h1')) {
    if (inView(el)) seen.push(el.innerText);
  }
  for (const a of document.querySelectorAll('article a[href]')) {
    if (inView(a)) links.push(a.getAttribute('href'));
  }
  return {text: seen.join(' '), links};
}"""


@pytest.fixture(params=sorted(SIZES))
def reader(request, browser, site_url):  # noqa: F811 (fixtures imported above)
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


def test_the_home_page_tells_the_story_in_its_first_screen(reader, site_url):  # noqa: F811
    reader.goto(site_url + "/")
    seen = reader.evaluate(FIRST_SCREEN)
    for word in ("NASA", "bilateral", "launched", "solar wind"):
        assert word in seen["text"], (reader.size, word)
    assert any(href.startswith("story") for href in seen["links"]), seen["links"]
    assert any(href.startswith("compare") for href in seen["links"]), seen["links"]
    ARTIFACTS.mkdir(exist_ok=True)
    reader.screenshot(path=str(ARTIFACTS / f"home-first-screen-{reader.size}.png"))


@pytest.mark.parametrize("here, there", [("missions/smile/", "policies/wolf-amendment/"),
                                         ("policies/wolf-amendment/", "missions/smile/")])
def test_the_two_halves_link_to_each_other(reader, site_url, here, there):  # noqa: F811
    reader.goto(site_url + "/" + here)
    see_also = reader.locator("h2#see-also + ul a")
    targets = [reader.evaluate("a => new URL(a.href).pathname", a) for a in see_also.element_handles()]
    assert "/" + there in targets
    assert any(t.endswith("/story/") for t in targets) and any(t.endswith("/compare/") for t in targets)


EDITORS_ONLY = re.compile(r"stored copy|not verified|corpus|source pack|facts/[\w/.-]+\.ya?ml", re.I)
FOR_CONTRIBUTORS = ("contributing/", "reference/")  # pages about the fact files themselves


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_reader_pages_show_no_research_notes_or_repository_paths(site_url):  # noqa: F811
    """Notes for editors stay in the YAML or a collapsed "For editors" block, without paths."""
    index = json.loads(urlopen(site_url + "/search/search_index.json").read())
    pages = sorted({d["location"].split("#")[0] for d in index["docs"]})
    assert len(pages) > 100
    found = {}
    for doc in index["docs"]:
        match = EDITORS_ONLY.search(doc["title"] + " " + doc["text"])
        if match and not doc["location"].startswith(FOR_CONTRIBUTORS):
            found["index:" + doc["location"]] = match.group(0)
    for path in pages:
        match = EDITORS_ONLY.search(_visible_text(urlopen(f"{site_url}/{path}").read().decode()))
        if match and not path.startswith(FOR_CONTRIBUTORS):
            found[path] = match.group(0)
    assert found == {}


@pytest.mark.parametrize("path, name", [("/", "home"), ("/story/", "story"),
                                        ("/missions/smile/", "smile")])
def test_reading_pages_fit_the_screen(reader, site_url, path, name):  # noqa: F811
    """Nothing wider than the screen but the drawings and tables that scroll on
    their own; the screenshots (light and dark) are kept for a reader's look."""
    reader.goto(site_url + path)
    assert reader.evaluate("document.documentElement.scrollWidth") <= \
        reader.evaluate("innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        reader.emulate_media(color_scheme=scheme)
        reader.screenshot(path=str(ARTIFACTS / f"read-{name}-{reader.size}-{scheme}.png"),
                          full_page=True)

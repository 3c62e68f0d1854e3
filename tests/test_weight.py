"""What a page makes the browser download, measured in Chromium with a cold cache.

Budgets (issue 17): a page without a diagram transfers at most 400 KB in all
(HTML, CSS, JS, fonts; the search index is left out, as it serves search);
the Smile page's HTML is at most 1.6 KB per fact it shows; and the sidebar does not grow with
the number of entities (big sections are one nav entry).
"""

from __future__ import annotations

import urllib.request

import pytest

from test_browser import ARTIFACTS, browser, site_url  # noqa: F401 (fixtures)

PAGE_BUDGET = 400_000
# The Smile page grows with its facts; what must not grow is the markup per
# fact (its sentence, citation marks, anchor, link, and its share of the
# references). 81 facts took 125 KB (1.55 KB each) in November 2026.
HTML_PER_FACT = 1_600
SEARCH_INDEX = "/search/search_index.json"


def transferred(browser, url: str) -> dict[str, int]:  # noqa: F811
    """Every response's body size by path, in a fresh context (a cold cache)."""
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda r: sizes.__setitem__(r.url, r.sizes()["responseBodySize"]))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    context.close()
    return sizes


@pytest.mark.parametrize("path", ["/sources/", "/agencies/esa/", "/fact-index/s/", "/data/"])
def test_a_page_without_a_diagram_stays_within_budget(browser, site_url, path):  # noqa: F811
    sizes = transferred(browser, site_url + path)
    total = sum(size for url, size in sizes.items() if not url.endswith(SEARCH_INDEX))
    assert total <= PAGE_BUDGET, sorted(sizes.items(), key=lambda item: -item[1])[:5]
    assert not any("mermaid" in url for url in sizes)


def test_the_smile_page_html_stays_within_budget(browser, site_url):  # noqa: F811
    sizes = transferred(browser, site_url + "/missions/smile/")
    html = urllib.request.urlopen(site_url + "/missions/smile/").read().decode()
    facts = html.count('id="fact-')
    assert facts >= 60   # the measure means something only on a page full of facts
    assert sizes[site_url + "/missions/smile/"] <= HTML_PER_FACT * facts


def test_the_sidebar_does_not_grow_with_the_entities(browser, site_url):  # noqa: F811
    """Sections of more than a handful of pages are one entry: the nav of a
    page lists at most that many entity pages per section."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "/missions/smile/")
    links = page.locator("nav.md-nav--primary a.md-nav__link[href*='agencies/']").count()
    context.close()
    assert links <= 1  # agencies has dozens of pages: its index page is the one entry

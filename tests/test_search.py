"""Search that finds: the page about a thing first, a fact id on its entry.

Material's search (lunr) splits a query at hyphens; the pages and the index
the plugin tunes make up for it (see factbase.site.search)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from factbase.site.search import tune
from test_browser import browser, page, search, site_url  # noqa: F401 (fixtures)

# The queries a reader types, and the page that must come first: the page
# about the thing, never a launch entry, a fact-index page or a source.
FIRST = {"Vega-C": "launches/vega-c/", "Wolf": "policies/wolf-amendment/",
         "SXI": "instruments/smile-sxi/", "Smile": "missions/smile/",
         "Double Star": "missions/double-star/", "bilateral": "policies/wolf-amendment/",
         "certification": "policies/wolf-amendment/", "FY2027": "policies/pl-119-103/",  # the act in force for FY2027
         "Calgary": "agencies/university-of-calgary/"}
# A fact id typed in full, and the page it is about (where its entry is).
HOMES = {"smile-launch-date": "missions/smile/", "wolf-prohibits-bilateral": "policies/wolf-amendment/",
         "esa-founded": "agencies/esa/", "smile-partner-esa": "missions/smile/"}


def results(page) -> list[str]:  # noqa: F811
    """The result links in order: each page, then its matching sections."""
    page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
    read = lambda: page.eval_on_selector_all(  # noqa: E731
        ".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")
    found, before = read(), None
    for _ in range(20):  # results change as each keystroke is searched: wait until they settle
        if found == before:
            break
        page.wait_for_timeout(300)
        before, found = found, read()
    return found


@pytest.mark.parametrize("query", sorted(FIRST))
def test_the_page_about_a_thing_comes_first(page, site_url, query):  # noqa: F811
    page.goto(site_url + "/")
    search(page, query)
    assert results(page)[0].split("?")[0].endswith(FIRST[query])


@pytest.mark.parametrize("fact", sorted(HOMES))
def test_a_fact_id_typed_in_full_lands_on_its_entry(page, site_url, fact):  # noqa: F811
    page.goto(site_url + "/")
    search(page, fact)
    found = results(page)
    assert found[0].split("?")[0].endswith(HOMES[fact])  # the page the fact is about
    assert found[1].endswith(f"#fact-{fact}")            # and that fact on it, first
    page.locator(f'.md-search-result__item a[href$="#fact-{fact}"]').first.click()
    page.wait_for_url(f"**#fact-{fact}")
    # The anchor is an empty <a id> at the start of the fact's text: what the
    # reader must see on landing is the element holding it.
    expect(page.locator(f'[id="fact-{fact}"]').locator("xpath=..")).to_be_in_viewport()


def test_tuning_keeps_the_index_compact_and_is_idempotent(tmp_path):
    index = {"config": {"fields": {"title": {"boost": 1000.0}, "tags": {"boost": 1e6}}},
             "docs": [{"location": "fact-index/s/#smile-launch-date", "title": "smile-launch-date"},
                      {"location": "missions/smile/", "title": "Smile"}]}
    path = tmp_path / "search" / "search_index.json"
    path.parent.mkdir()
    path.write_text(json.dumps(index))
    tune(tmp_path)
    first = path.read_text()
    tune(tmp_path)
    assert path.read_text() == first and ", " not in first
    tuned = json.loads(first)
    assert tuned["config"]["fields"]["tags"] == {"boost": 1000.0}
    assert tuned["docs"][0]["boost"] > 10 and "boost" not in tuned["docs"][1]

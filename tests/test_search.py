"""Search that finds: the page about a thing first, a fact id on its entry.

Material's search (lunr) splits a query at hyphens; the pages and the index
the plugin tunes make up for it (see factbase.site.search)."""

from __future__ import annotations

import json

import pytest

from factbase.site.search import tune
from test_browser import browser, page, search, site_url  # noqa: F401 (fixtures)

FIRST = {"Vega-C": "launches/vega-c/", "Wolf": "policies/wolf-amendment/",
         "SXI": "instruments/smile-sxi/", "Smile": "missions/smile/"}


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


@pytest.mark.parametrize("fact", ["smile-launch-date", "wolf-prohibits-bilateral",
                                  "esa-founded", "smile-partner-esa"])
def test_a_fact_id_typed_in_full_lands_on_its_entry(page, site_url, fact):  # noqa: F811
    page.goto(site_url + "/")
    search(page, fact)
    found = results(page)
    assert found[0].split("?")[0].endswith(f"fact-index/{fact[0]}/")  # the page holding it
    assert found[1].endswith(f"#{fact}")                           # and its entry, first
    page.locator(f'.md-search-result__item a[href$="#{fact}"]').first.click()
    page.wait_for_url(f"**#{fact}")
    assert page.locator(f'[id="{fact}"]').is_visible()


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

"""References as Wikipedia shows them: one entry per source on a page, its
locators listed, grouped back-links (^ a b c), and the source's publisher,
date, kind and strength in the entry."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from conftest import MINI, REPO
from factbase.loading.loader import load
from factbase.model import Citation, Span
from factbase.rendering.markup import Page
from factbase.rendering.pages import page_urls
import test_browser

# The browser tests' fixtures: a served build of the shipped site, Chromium,
# and a page that fails on console errors and on requests leaving the server.
browser, site_url, page = test_browser.browser, test_browser.site_url, test_browser.page



# Unit tests on the Page helper, with the mini base ----------------------------------------

@pytest.fixture(scope="module")
def base():
    return load(MINI / "facts").base


def page_for(base, path="missions/smile.md"):
    return Page(base, path, page_urls(base))


def with_locators(base, fact_id, source, *locators):
    fact = base.facts[fact_id]
    span = Span("x.yaml", 1, 1)
    return dataclasses.replace(fact, citations=tuple(Citation(source, loc, span) for loc in locators))


def test_a_source_cited_with_three_locators_is_one_reference(base):
    helper = page_for(base)
    fact = with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet",
                         "p. 3", "caption", "p. 3")
    marks = helper.cite(fact)
    assert marks.count('class="footnote-ref" href="#cite-note-1"') == 3
    assert [f'id="cite-ref-1-{x}"' in marks for x in "abc"] == [True] * 3
    notes = helper.footnotes()
    assert notes.count('id="cite-note-') == 1
    back = re.findall(r'<a href="#cite-ref-1-(\w)" aria-label="Back to citation (\w)">(\w)</a>',
                      str(notes))
    assert back == [("a", "a", "a"), ("b", "b", "b"), ("c", "c", "c")]
    assert "↩" not in notes
    assert "p. 3 (a, c); caption (b)" in notes  # each locator once, with the uses citing it


def test_numbering_follows_first_use_and_sources_keep_their_number(base):
    helper = page_for(base)
    first = with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet", "one")
    second = with_locators(base, "smile-launch-vehicle", "esa-launch-contract-2024", "two")
    helper.cite(first), helper.cite(second)
    again = helper.cite(first)
    assert 'href="#cite-note-1"' in again and 'id="cite-ref-1-b"' in again
    notes = str(helper.footnotes())
    assert notes.index("cite-note-1") < notes.index("cite-note-2")


def test_a_single_use_has_one_unlettered_back_link(base):
    helper = page_for(base)
    helper.cite(with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet", "p. 3"))
    notes = str(helper.footnotes())
    assert notes.count("<a href=\"#cite-ref-") == 1
    assert 'aria-label="Back to the citation">^</a>' in notes


def test_a_reference_shows_publisher_date_kind_and_links(base):
    helper = page_for(base)
    helper.cite(with_locators(base, "smile-launch-vehicle", "esa-launch-contract-2024", "caption"))
    notes = str(helper.footnotes())
    source = base.sources["esa-launch-contract-2024"]
    assert f"[{source.title}](../sources/esa-launch-contract-2024.md)" in notes
    assert "(../agencies/esa.md)" in notes  # the publisher, linked
    assert "30 April 2024" in notes and "Image page" in notes
    assert "[Original](https://esa.int/" in notes


def test_news_and_blogs_are_marked_secondary_in_words(base):
    helper = page_for(base)
    news = dataclasses.replace(base.sources["esa-smile-factsheet"], id="n", kind="news",
                               archive_url="https://web.archive.org/web/2024/https://x.org/")
    base2 = dataclasses.replace(base, sources={**base.sources, "n": news})
    helper = page_for(base2)
    helper.cite(with_locators(base2, "smile-launch-vehicle", "n", "lede"))
    notes = str(helper.footnotes())
    assert "News, secondary source" in notes
    assert "[Archived copy](https://web.archive.org/web/2024/https://x.org/)" in notes


def test_text_from_fact_files_stays_escaped_in_references(base):
    hostile = dataclasses.replace(base.sources["esa-smile-factsheet"],
                                  title="<img src=x onerror=alert(1)> [t](javascript:x)")
    base2 = dataclasses.replace(base, sources={**base.sources, "esa-smile-factsheet": hostile})
    helper = page_for(base2)
    helper.cite(with_locators(base2, "smile-launch-vehicle", "esa-smile-factsheet",
                            "<script>alert(1)</script>", "*p* [x](y)"))
    notes = str(helper.footnotes())
    assert "<img" not in notes and "<script" not in notes
    assert "&lt;script&gt;" in notes and r"\*p\* \[x\](y)" in notes


# The built shipped site -------------------------------------------------------------------

class _Refs(HTMLParser):
    """The Smile page's reference entries and reference marks."""

    def __init__(self):
        super().__init__()
        self.entries, self.marks, self.ids = {}, [], Counter()
        self._entry = self._depth = None
        self._in_back = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] += 1
        if self._entry:
            self._depth += 1
            entry = self.entries[self._entry]
            if "cite-back" in a.get("class", ""):
                self._in_back = self._depth
            if tag == "a":
                entry["links"].append(a.get("href", ""))
                if self._in_back:
                    entry["back"].append(a)
        elif tag == "span" and a.get("id", "").startswith("cite-note-"):
            self._entry, self._depth = a["id"], 1
            self.entries[a["id"]] = {"text": "", "links": [], "back": []}
        if tag == "a" and "footnote-ref" in a.get("class", ""):
            self.marks.append(a["href"])

    def handle_endtag(self, tag):
        if self._entry:
            if self._in_back == self._depth:
                self._in_back = 0
            self._depth -= 1
            if self._depth == 0:
                self._entry = None

    def handle_data(self, data):
        if self._entry:
            self.entries[self._entry]["text"] += data


@pytest.fixture(scope="module")
def smile(shipped_site):
    parser = _Refs()
    parser.feed((shipped_site / "missions" / "smile" / "index.html").read_text(encoding="utf-8"))
    return parser


def source_of(entry) -> str:
    return next(h for h in entry["links"] if "/sources/" in h).rstrip("/").rsplit("/", 1)[-1]


def test_each_source_is_one_reference_on_the_smile_page(smile):
    sources = Counter(source_of(e) for e in smile.entries.values())
    assert sources and max(sources.values()) == 1, sources
    # One entry per source however often it is cited: far fewer entries than
    # marks (before, the page had one footnote per (source, locator) pair, 62 of
    # them, and 212 "↩").
    assert len(smile.entries) <= len(smile.marks) // 2
    assert "footnote-backref" not in str(smile.entries) and not any(
        "fn:" in m for m in smile.marks)


def test_every_mark_leads_to_its_reference_and_has_one_back_link(smile):
    assert [n for n, count in smile.ids.items() if count > 1] == []
    uses = Counter(m.removeprefix("#") for m in smile.marks)
    assert set(uses) == set(smile.entries)
    for note, entry in smile.entries.items():
        back = [a["href"] for a in entry["back"]]
        assert len(back) == uses[note] == len(set(back)), (note, back)  # one per use
        assert all(a.get("aria-label", "").startswith("Back to") for a in entry["back"])
        assert "↩" not in entry["text"]
        if len(back) > 1:  # grouped: ^ a b c, one line at the entry's start
            assert re.match(r"\s*\^\s*a\s+b\b", entry["text"]), entry["text"]


def test_references_show_publisher_date_and_kind(smile, base):
    shipped = load(REPO / "facts").base
    assert smile.entries
    for entry in smile.entries.values():
        source = shipped.sources[source_of(entry)]
        name = shipped.entities[source.publisher].name
        assert name in entry["text"], (source.id, entry["text"])
        assert any(h.rstrip("/").endswith("/" + source.publisher) for h in entry["links"])
        kind = source.kind.replace("-", " ").capitalize()
        assert kind in entry["text"], (source.id, entry["text"])
        if source.published:
            assert str(source.published.year) in entry["text"]
        if source.archive_url:
            assert source.archive_url in entry["links"]
        secondary = source.kind in ("news", "blog")
        assert ("secondary source" in entry["text"]) == secondary, (source.id, entry["text"])


def test_uses_in_a_row_at_one_place_read_as_a_range(base):
    page = page_for(base)
    page.cite(with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet",
                            "p. 1", "p. 2", "p. 2", "p. 2", "p. 1", "p. 2", "p. 2"))
    assert "p. 1 (a, e); p. 2 (b–d, f, g)" in page.footnotes()


# In the browser ---------------------------------------------------------------------------

def test_a_mark_reaches_its_reference_and_back_link_b_the_second_use(page, site_url):
    page.goto(site_url + "/missions/smile/")
    first = page.locator("a.footnote-ref").first
    note = first.get_attribute("href").removeprefix("#")
    uses = page.locator(f'a.footnote-ref[href="#{note}"]')
    assert uses.count() >= 2
    first.click()
    assert page.evaluate("location.hash") == f"#{note}"
    reference = page.locator(f'[id="{note}"]')
    expect(reference).to_be_in_viewport()
    reference.get_by_role("link", name="Back to citation b", exact=True).click()
    second = uses.nth(1).locator("xpath=..")  # the <sup> the back-link returns to
    assert page.evaluate("location.hash") == "#" + second.get_attribute("id")
    expect(second).to_be_in_viewport()


def test_the_tooltip_shows_the_reference_without_its_back_links(page, site_url):
    page.goto(site_url + "/missions/smile/")
    page.locator("a.footnote-ref").first.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("At:")
    assert tooltip.get_by_role("link", name=re.compile("^Back to")).count() == 0
    assert "↩" not in tooltip.inner_text()

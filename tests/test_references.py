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
from factbase.rendering.markup import Page, format_date
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


def test_one_mark_per_citing_call_however_many_places_and_sources(base):
    helper = page_for(base)
    fact = with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet",
                         "p. 3", "caption", "p. 3")
    other = with_locators(base, "smile-launch-mass", "esa-launch-contract-2024", "lede")
    marks = str(helper.cite(fact, other))
    assert marks.count('class="footnote-ref"') == 1   # one bundled mark, as Wikipedia's
    assert 'id="cite-ref-1-a"' in marks
    notes = str(helper.footnotes())
    assert notes.count('id="cite-note-') == 1
    # the note names each source once, with each place used in it once
    assert notes.count("(#ref-esa-smile-factsheet)") == 1
    assert "(ESA, 2024): p. 3; caption." in notes or ": p. 3; caption." in notes
    assert "(#ref-esa-launch-contract-2024)" in notes and "lede." in notes
    # and the references list each source once
    assert notes.count('id="ref-esa-smile-factsheet"') == 1
    assert notes.count('id="ref-esa-launch-contract-2024"') == 1


def test_the_same_bundle_again_reuses_its_note_with_back_link_b(base):
    helper = page_for(base)
    first = with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet", "one")
    second = with_locators(base, "smile-launch-vehicle", "esa-launch-contract-2024", "two")
    helper.cite(first), helper.cite(second)
    again = helper.cite(first)
    assert 'href="#cite-note-1"' in again and 'id="cite-ref-1-b"' in again
    notes = str(helper.footnotes())
    assert notes.index("cite-note-1") < notes.index("cite-note-2")
    back = re.findall(r'<a href="#cite-ref-1-(\w)" aria-label="Back to citation (\w)">(\w)</a>', notes)
    assert back == [("a", "a", "a"), ("b", "b", "b")]
    assert "↩" not in notes


def test_a_single_use_has_one_unlettered_back_link(base):
    helper = page_for(base)
    helper.cite(with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet", "p. 3"))
    notes = str(helper.footnotes())
    assert notes.count("<a href=\"#cite-ref-") == 1
    assert 'aria-label="Back to the citation">^</a>' in notes


@pytest.mark.parametrize("locator, shown", [
    ("p. 3", "p.\u00a03"), ("page 12", "p.\u00a012"), ("second paragraph", "¶\u00a02"),
    ("section 1340", "§\u00a01340"), ("caption", "caption"),
    ("final paragraph of the caption", None)])
def test_a_short_place_is_shown_after_the_mark(base, locator, shown):
    helper = page_for(base)
    mark = str(helper.cite(with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet", locator)))
    if shown:
        assert f'<span class="cite-rp">:{shown}</span>' in mark
    else:
        assert "cite-rp" not in mark   # too long to read inline: in the note and tooltip only


def test_a_bundle_of_places_shows_none_after_the_mark(base):
    helper = page_for(base)
    mark = helper.cite(with_locators(base, "smile-launch-vehicle", "esa-smile-factsheet", "p. 1", "p. 2"))
    assert "cite-rp" not in mark


def test_a_reference_shows_publisher_dates_kind_strength_and_links(base):
    helper = page_for(base)
    helper.cite(with_locators(base, "smile-launch-vehicle", "esa-launch-contract-2024", "caption"))
    notes = str(helper.footnotes())
    source = base.sources["esa-launch-contract-2024"]
    assert f"[{source.title}](../sources/esa-launch-contract-2024.md)" in notes
    assert "(../agencies/esa.md)" in notes  # the publisher, linked
    assert "30 April 2024" in notes and "Image page" in notes
    assert "primary source" in notes
    assert "[Original](https://esa.int/" in notes
    checked = f"Checked {format_date(source.accessed)}" if source.accessed else "Date checked not recorded"
    assert checked in notes


def test_strength_follows_the_vocabulary_not_a_list_in_the_code(base):
    """A kind the vocabulary declares `primary: false` is secondary whatever
    its name; a primary one says so too."""
    kinds = {**base.source_kinds,
             "law": dataclasses.replace(base.source_kinds["law"], primary=False),
             "news": dataclasses.replace(base.source_kinds["news"], primary=True)}
    law = dataclasses.replace(base.sources["esa-smile-factsheet"], id="l", kind="law")
    news = dataclasses.replace(base.sources["esa-smile-factsheet"], id="n", kind="news",
                               archive_url="https://web.archive.org/web/2024/https://x.org/")
    base2 = dataclasses.replace(base, sources={**base.sources, "l": law, "n": news},
                                source_kinds=kinds)
    helper = page_for(base2)
    helper.cite(with_locators(base2, "smile-launch-vehicle", "l", "s. 1"))
    helper.cite(with_locators(base2, "smile-launch-vehicle", "n", "lede"))
    notes = str(helper.footnotes())
    assert 'Law, <span class="cite-secondary">secondary source</span>' in notes
    assert 'News, <span class="cite-primary">primary source</span>' in notes
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
    """The Smile page's notes (what each mark points to), its references
    (one per source) and its reference marks."""

    def __init__(self):
        super().__init__()
        self.entries, self.sources, self.marks, self.ids = {}, {}, [], Counter()
        self._open = self._depth = None
        self._in_back = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids[a["id"]] += 1
        if self._open:
            self._depth += 1
            entry = self._open
            if "cite-back" in a.get("class", ""):
                self._in_back = self._depth
            if tag == "a":
                entry["links"].append(a.get("href", ""))
                if self._in_back:
                    entry["back"].append(a)
        elif tag == "span" and a.get("id", "").startswith(("cite-note-", "ref-")):
            self._open, self._depth = {"text": "", "links": [], "back": []}, 1
            table = self.entries if a["id"].startswith("cite-note-") else self.sources
            table[a["id"]] = self._open
        if tag == "a" and "footnote-ref" in a.get("class", ""):
            self.marks.append(a["href"])

    def handle_endtag(self, tag):
        if self._open:
            if self._in_back == self._depth:
                self._in_back = 0
            self._depth -= 1
            if self._depth == 0:
                self._open = None

    def handle_data(self, data):
        if self._open:
            self._open["text"] += data


@pytest.fixture(scope="module")
def smile(shipped_site):
    parser = _Refs()
    parser.feed((shipped_site / "missions" / "smile" / "index.html").read_text(encoding="utf-8"))
    return parser


def source_of(entry) -> str:
    return next(h for h in entry["links"] if "/sources/" in h).rstrip("/").rsplit("/", 1)[-1]


def test_each_source_is_one_reference_on_the_smile_page(smile):
    sources = Counter(source_of(e) for e in smile.sources.values())
    assert sources and max(sources.values()) == 1, sources
    assert set(smile.sources) == {f"ref-{s}" for s in sources}
    # every note points only at references on this page
    for note in smile.entries.values():
        targets = [h.removeprefix("#") for h in note["links"] if h.startswith("#ref-")]
        assert targets and set(targets) <= set(smile.sources), note
    # One entry per source however often it is cited: the notes name sources
    # many more times than the references list them.
    named = sum(len([h for h in n["links"] if h.startswith("#ref-")]) for n in smile.entries.values())
    assert named >= 2 * len(smile.sources), (named, len(smile.sources))
    assert "footnote-backref" not in str(smile.entries) and not any(
        "fn:" in m for m in smile.marks)


def test_every_mark_leads_to_its_note_and_has_one_back_link(smile):
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


def test_references_show_publisher_dates_kind_and_strength(smile):
    shipped = load(REPO / "facts").base
    assert smile.sources
    for entry in smile.sources.values():
        source = shipped.sources[source_of(entry)]
        name = shipped.entities[source.publisher].name
        assert name in entry["text"], (source.id, entry["text"])
        assert any(h.rstrip("/").endswith("/" + source.publisher) for h in entry["links"])
        kind = shipped.source_kinds[source.kind]
        assert kind.label.capitalize() in entry["text"], (source.id, entry["text"])
        if source.published:
            assert str(source.published.year) in entry["text"]
        else:
            assert "Not dated" in entry["text"]
        if source.accessed:
            assert f"Checked {format_date(source.accessed)}" in entry["text"]
        if source.archive_url:
            assert source.archive_url in entry["links"]
        strength = "primary source" if kind.primary else "secondary source"
        assert strength in entry["text"], (source.id, entry["text"])


# In the browser ---------------------------------------------------------------------------

def test_a_mark_reaches_its_note_and_back_link_b_the_second_use(page, site_url):
    page.goto(site_url + "/missions/smile/")
    notes = page.locator("a.footnote-ref").evaluate_all("(ms) => ms.map(m => m.getAttribute('href'))")
    note = next(n for n in notes if notes.count(n) >= 2).removeprefix("#")
    uses = page.locator(f'a.footnote-ref[href="#{note}"]')
    uses.first.click()
    assert page.evaluate("location.hash") == f"#{note}"
    reference = page.locator(f'[id="{note}"]')
    expect(reference).to_be_in_viewport()   # the collapsed notes open for it
    reference.get_by_role("link", name="Back to citation b", exact=True).click()
    second = uses.nth(1).locator("xpath=..")  # the <sup> the back-link returns to
    assert page.evaluate("location.hash") == "#" + second.get_attribute("id")
    expect(second).to_be_in_viewport()


def test_the_tooltip_shows_the_place_used_without_back_links(page, site_url):
    page.goto(site_url + "/missions/smile/")
    mark = page.locator("a.footnote-ref").first
    note = mark.get_attribute("href").removeprefix("#")
    place = page.locator(f'[id="{note}"] > span:last-child').text_content()
    mark.hover()
    tooltip = page.locator(".md-tooltip2--active")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(place.strip()[:60])
    assert tooltip.get_by_role("link", name=re.compile("^Back to")).count() == 0
    assert "↩" not in tooltip.inner_text()

"""Entity pages that read like articles, in Chromium at 390 and 1366 px.

Measured as a reader meets them: page heights on a phone (collapsed blocks
stay collapsed, as a reader first sees them), citation marks per sentence,
the Smile page's weight, the 404 page's ways back in, and what reader pages
must not say. Screenshots of the featured pages at both widths, light and
dark, are kept in tests/artifacts/ for a reader's look.
"""

from __future__ import annotations

import json
import re
from urllib.request import urlopen

import pytest

from test_browser import ARTIFACTS, browser, site_url  # noqa: F401 (fixtures)

PHONE, DESKTOP = 390, 1366
HEIGHTS = {"/missions/smile/": 7000, "/policies/wolf-amendment/": 5000, "/": 9000}
MARKS_PER_SENTENCE = 1.1

# Marks and sentences in the article's prose (paragraphs and list items of the
# reading flow; not the infobox, the notes or the collapsed blocks).
COUNT = """() => {
  const prose = [...document.querySelectorAll('article > p, article > ul > li, article > ol > li')]
    .filter(el => !el.closest('details, .admonition, .footnote'));
  let marks = 0, sentences = 0;
  for (const el of prose) {
    marks += el.querySelectorAll('a.footnote-ref').length;
    const text = el.cloneNode(true);
    text.querySelectorAll('sup').forEach(s => s.remove());
    sentences += (text.textContent.match(/[a-z0-9)”’%][.!?](\\s|$)/gi) || []).length;
  }
  return {marks, sentences};
}"""


@pytest.fixture
def reader(browser):  # noqa: F811 (fixtures imported above)
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    page = context.new_page()
    yield page
    context.close()


# Not met yet (issue #26 stays open on it), measured on 8 December 2026 at
# 390 px: Smile 7,059 px, of which the infobox is 1,653; the Wolf Amendment
# 5,820 px, since its article gained its history, effects and arguments
# (issue #24). Strict: the day a page fits, this says so.
TOO_TALL = {"/missions/smile/": "Smile: 7,059 px, the infobox 1,653 of them",
            "/policies/wolf-amendment/": "Wolf Amendment: 5,820 px, with its history and debate"}


@pytest.mark.parametrize("path", [pytest.param(p, marks=pytest.mark.xfail(
    strict=True, reason=TOO_TALL[p])) if p in TOO_TALL else p for p in HEIGHTS])
def test_pages_fit_in_few_screens_on_a_phone(reader, site_url, path):  # noqa: F811
    reader.goto(site_url + path)
    height = reader.evaluate("document.documentElement.scrollHeight")
    assert height <= HEIGHTS[path], f"{path} is {height} px tall at {PHONE} px"


@pytest.mark.parametrize("path", ["/story/", "/missions/smile/", "/policies/wolf-amendment/"])
def test_at_most_one_mark_per_sentence(reader, site_url, path):  # noqa: F811
    reader.goto(site_url + path)
    counted = reader.evaluate(COUNT)
    assert counted["sentences"] > 10, counted
    assert counted["marks"] / counted["sentences"] <= MARKS_PER_SENTENCE, counted


def test_no_run_of_marks_anywhere_in_the_prose(reader, site_url):  # noqa: F811
    """Two marks side by side ("[3][4]") are one bundled note missed."""
    for path in ("/story/", "/missions/smile/", "/agencies/esa/", "/missions/double-star/"):
        reader.goto(site_url + path)
        runs = reader.evaluate("""() => [...document.querySelectorAll('article sup[id^=cite-ref-]')]
            .filter(s => { let n = s.nextSibling;
                           while (n && n.nodeType === 3 && !n.textContent.trim()) n = n.nextSibling;
                           return n?.nodeType === 1 && n.matches('sup[id^=cite-ref-]'); }).length""")
        assert runs == 0, path


def test_the_smile_page_is_light(site_url):  # noqa: F811
    size = len(urlopen(site_url + "/missions/smile/").read())
    assert size <= 120_000, f"the Smile page's HTML is {size:,} bytes"


def test_the_lead_opens_the_page_in_prose(reader, site_url):  # noqa: F811
    reader.goto(site_url + "/missions/smile/")
    first = reader.locator("article h1 + p")
    text = first.inner_text()
    assert text.startswith("Smile (also SMILE") and " is a joint ESA–CAS " in text, text
    # The lead and the infobox both come before any section, on the first screen.
    top = reader.evaluate("document.querySelector('article h1 + p').getBoundingClientRect().top")
    assert top < 400


def test_fact_ids_are_out_of_the_reading_flow_but_reachable(reader, site_url):  # noqa: F811
    reader.goto(site_url + "/missions/smile/")
    shown = reader.evaluate("""() => [...document.querySelectorAll('article code')]
        .filter(c => !c.closest('details')).map(c => c.textContent)""")
    assert [c for c in shown if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", c)] == []
    # each fact still has its anchor, and the "For editors" block links to it
    assert reader.locator('[id="fact-smile-launch-date"]').count() == 1
    editors = reader.locator("details", has_text="For editors")
    assert "smile-launch-date" in editors.locator("code").all_text_contents()


def test_history_mentions_and_references_start_collapsed(reader, site_url):  # noqa: F811
    reader.goto(site_url + "/missions/smile/")
    for title in ("History and disputed values", "Related entries", "Sources cited"):
        block = reader.locator("article details", has_text=title).first
        assert block.count() == 1 and block.get_attribute("open") is None, title
    headings = reader.locator("article h2").all_inner_texts()
    clean = [h.rstrip("¶").strip() for h in headings]
    for gone in ("Mentioned elsewhere", "Relationships", "Related"):
        assert gone not in clean
    assert clean.count("See also") == 1


def test_a_featured_entity_has_its_article(reader, site_url):  # noqa: F811
    for path, heading in (("/missions/smile/", "Who builds what"), ("/agencies/esa/", "Missions with China"),
                          ("/agencies/cas/", "Smile"), ("/agencies/nasa/", "Funding and the Wolf Amendment"),
                          ("/missions/double-star/", "End of the mission")):
        reader.goto(site_url + path)
        assert heading in [h.rstrip("¶").strip() for h in reader.locator("article h2").all_inner_texts()], path


def test_the_place_used_is_shown_at_the_mark(reader, site_url):  # noqa: F811
    reader.goto(site_url + "/missions/smile/")
    shown = reader.locator("article sup .cite-rp")
    assert shown.count() > 0
    assert re.fullmatch(r":\S.*", shown.first.inner_text())


def test_marks_are_24_px_tap_targets(reader, site_url):  # noqa: F811
    reader.goto(site_url + "/story/")
    sizes = reader.evaluate("""() => [...document.querySelectorAll('article a.footnote-ref')]
        .map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })""")
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes[:5]


EDITORS = re.compile(r"The fact base holds no fact|What the base does not say|\(fact [a-z0-9-]+\)"
                     r"|reported by `?factbase check", re.I)
# A locator in facts/claims/smile.yaml (the fact files are not this page code's
# to change): it fails until that locator reads as a place in the document.
LOCATOR_NOTE = re.compile(r"headline only \(the page text was not checked\)")


def _editors_wording(site_url, pattern):  # noqa: F811
    index = json.loads(urlopen(site_url + "/search/search_index.json").read())
    found = {d["location"]: pattern.search(d["title"] + " " + d["text"]).group(0)
             for d in index["docs"] if pattern.search(d["title"] + " " + d["text"])
             and not d["location"].startswith(("contributing/", "reference/"))}
    for path in ("", "story/", "compare/", "researchers/", "missions/smile/", "policies/wolf-amendment/"):
        text = re.sub(r"<[^>]+>", " ", urlopen(f"{site_url}/{path}").read().decode())
        match = pattern.search(text)
        if match:
            found[path or "home"] = match.group(0)
    return found


def test_reader_pages_and_search_speak_to_readers(site_url):  # noqa: F811
    assert _editors_wording(site_url, EDITORS) == {}


@pytest.mark.xfail(strict=True, reason="locator of smile-launch-date in facts/claims/smile.yaml")
def test_locators_read_as_places_not_research_notes(site_url):  # noqa: F811
    assert _editors_wording(site_url, LOCATOR_NOTE) == {}


def test_the_404_page_leads_back_in(browser, site_url):  # noqa: F811
    context = browser.new_context(viewport={"width": PHONE, "height": 844})
    page = context.new_page()
    response = page.goto(site_url + "/404.html")
    assert response.ok
    links = page.locator("article a").evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    for target in ("/", "/story/", "/missions/smile/", "/policies/wolf-amendment/"):
        assert target in links, links
    page.locator("article label[for=__search]").click()
    assert page.evaluate("document.activeElement.matches('input.md-search__input')") or \
        page.locator("input.md-search__input").is_visible()
    context.close()


@pytest.mark.parametrize("name, path", [("smile", "/missions/smile/"),
                                        ("wolf-amendment", "/policies/wolf-amendment/"),
                                        ("esa", "/agencies/esa/")])
def test_screenshots_of_the_featured_pages(browser, site_url, name, path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (DESKTOP, PHONE):
        for scheme in ("light", "dark"):
            context = browser.new_context(viewport={"width": width, "height": 900},
                                          color_scheme=scheme)
            page = context.new_page()
            page.goto(site_url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(ARTIFACTS / f"article-{name}-{width}-{scheme}.png"),
                            full_page=True)
            context.close()


def test_indentation_is_collapsed_but_kept_text_is_not():
    from factbase.site.whitespace import collapsed
    page = ("<ul>\n      <li>  a  </li>\n</ul><p>x\u00a0\u00a0y</p>"
            "<pre>  kept\n\n  as is</pre><code>a  b</code><script>var  s = 1;\n\n</script>")
    assert collapsed(page) == ("<ul>\n<li> a </li>\n</ul><p>x\u00a0\u00a0y</p>"
                               "<pre>  kept\n\n  as is</pre><code>a  b</code><script>var  s = 1;\n\n</script>")
    assert collapsed(collapsed(page)) == collapsed(page)

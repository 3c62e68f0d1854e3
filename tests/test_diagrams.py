"""Diagrams drawn at build time as static SVG: timelines and relationships.

The first tests read the SVG the renderer writes for the shipped base; the
browser tests load the built site in Debian's Chromium (fixtures from
test_browser) and measure what a reader gets: links that reach their facts,
contrast in the dark scheme, text size on a phone, and no Mermaid.
"""

from __future__ import annotations

import re
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import replace
from functools import cache
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import REPO
from factbase.loading.loader import load
from factbase.model import PartialDate
from factbase.rendering import diagrams, timeline_svg
from factbase.rendering.markup import Page
from factbase.rendering.pages import Index, page_urls
import test_browser

ARTIFACTS = test_browser.ARTIFACTS
browser, page, site_url = test_browser.browser, test_browser.page, test_browser.site_url  # fixtures

SVG = "{http://www.w3.org/2000/svg}"
PLANS = ["smile-plan-2021", "smile-plan-2023", "smile-plan-end-2024", "smile-plan-april-2025",
         "smile-plan-late-2025", "smile-plan-2026", "smile-plan-2026-04-09", "smile-launch-date"]


@cache
def shipped():
    base = load(REPO / "facts", REPO).base
    return base, Index.of(base)


def helper(path: str = "index.md") -> Page:
    base, index = shipped()
    return Page(base, path, page_urls(base), {}, index)


def parse(markup: str) -> ET.Element:
    """The figure as XML: it must be well-formed, whatever the fact files held."""
    return ET.fromstring(str(markup))


def smile_timeline(base=None) -> ET.Element:
    base = base or shipped()[0]
    events = Index.of(base).timeline(["smile"])
    return parse(timeline_svg.timeline(base, events, "Smile", helper(), "fb-t"))


def shown(element: ET.Element) -> str:
    """The text a reader sees: without <title> tooltips."""
    if element.tag == SVG + "title":
        return element.tail or ""
    inner = "".join(shown(child) for child in element)
    return (element.text or "") + inner + (element.tail or "")


def links(figure: ET.Element, fact_id: str) -> list[ET.Element]:
    return [a for a in figure.iter(SVG + "a") if a.get("data-fact") == fact_id]


def test_the_time_axis_is_proportional():
    axis = timeline_svg.Axis.of([PartialDate(2015), PartialDate(2026)])
    assert axis.x(2019) - axis.x(2015) == pytest.approx(4 * axis.per_year)
    assert axis.x(2021) - axis.x(2019) == pytest.approx(2 * axis.per_year)
    assert axis.x(2016, 7, 2) - axis.x(2016) == pytest.approx(183 / 366 * axis.per_year)
    assert axis.period(PartialDate(2019)) == pytest.approx((axis.x(2019), axis.x(2020)))
    assert axis.period(PartialDate(2025, 12)) == pytest.approx((axis.x(2025, 12), axis.x(2026)))
    figure = smile_timeline()
    adopted = next(links(figure, "smile-adoption-date")[0].iter(SVG + "rect"))
    contract = next(links(figure, "smile-launch-contract-date")[0].iter(SVG + "circle"))
    assert float(adopted.get("x")) == pytest.approx(axis.x(2019), abs=0.1)
    assert float(contract.get("cx")) == pytest.approx(axis.x(2024, 4, 30), abs=0.1)


def test_superseded_plans_are_one_slipping_track():
    figure = smile_timeline()
    assert len([e for e in figure.iter() if e.get("class") == "fb-track"]) == 1
    for fact_id in PLANS:   # a mark on the track and a date in the sequence, each a link
        assert len(links(figure, fact_id)) == 2, fact_id
    arrows = [e for e in figure.iter(SVG + "path") if e.get("class") == "fb-arrow"]
    assert len(arrows) == len(PLANS) - 1
    words = " ".join(shown(t) for t in figure.iter(SVG + "text"))
    assert "Launch date: planned 2021 → 2023 → 2024 → April 2025 → 2025 → 2026" in words
    assert "9 April 2026 → 19 May 2026 (current)" in words
    assert "superseded plan" not in words   # no row of identical boxes any more


def test_a_date_made_exact_is_not_called_a_plan():
    # P.L. 119-74's enactment: "January 2026" (a guidance page) was superseded
    # by the exact signing date; neither was ever a plan.
    base = shipped()[0]
    events = Index.of(base).timeline(["caa-2026-sec-526"])
    figure = parse(timeline_svg.timeline(base, events, "law", helper(), "fb-t"))
    words = " ".join(shown(t) for t in figure.iter(SVG + "text"))
    assert "January 2026 → 23 January 2026 (current)" in words
    assert "planned" not in words


def test_disputed_dates_are_marked_in_words():
    figure = smile_timeline()
    link, = links(figure, "smile-launch-date-china-minutes")
    assert shown(link).strip() == "19 July 2026, launch date (disputed)"
    assert "fb-mark--disputed" in next(link.iter(SVG + "circle")).get("class")


def test_text_from_fact_files_is_escaped_in_the_svg():
    base, _ = shipped()
    payload = '</title><script>alert(1)</script> & "x" \x07'
    fact = base.facts["smile-adoption-date"]
    hostile = replace(base, facts=base.facts | {fact.id: replace(fact, statement=payload)},
                      entities=base.entities | {"smile": replace(base.entities["smile"],
                                                                   name="S<b>mile</b> & co")})
    figure = smile_timeline(hostile)   # parses: the payload did not break the XML
    assert not list(figure.iter(SVG + "script")) and not list(figure.iter("script"))
    tip = next(links(figure, "smile-adoption-date")[0].iter(SVG + "title"))
    assert tip.text == '</title><script>alert(1)</script> & "x"'   # text, exactly
    index = Index.of(hostile)
    edges = index.entity_view(hostile.entities["smile"]).edges
    helper = Page(hostile, "missions/smile.md", page_urls(hostile), {}, index)
    graph = parse(diagrams.relationships(hostile, edges, helper, "fb-r", ["smile"]))
    assert "S<b>mile</b> & co" in [shown(t).strip() for t in graph.iter(SVG + "text")]


def test_ids_and_links_are_slugs_and_relative():
    figure = smile_timeline()
    for a in figure.iter(SVG + "a"):
        assert re.fullmatch(r"missions/smile/#fact-[a-z0-9-]+", a.get("href")), a.get("href")
    deep = Page(shipped()[0], "missions/smile.md", page_urls(shipped()[0]), {}, shipped()[1])
    base, index = shipped()
    graph = parse(diagrams.relationships(base, index.entity_view(base.entities["smile"]).edges,
                                         deep, "fb-r", ["smile"]))
    hrefs = [a.get("href") for a in graph.iter(SVG + "a")]
    assert "../../agencies/esa/" in hrefs and all(h.startswith(("../../", "#")) for h in hrefs)


def test_a_relation_and_its_inverse_are_one_edge_and_the_size_is_bounded():
    base, index = shipped()
    view = index.entity_view(base.entities["smile"])
    assert {f.property for f in view.edges} >= {"carries-instrument", "instrument-of"}
    (hub,) = diagrams.hubs(base, view.edges, ["smile"])
    labels = [label for labels, _, _ in hub.out.groups + hub.into.groups for label in labels]
    assert "instrument of" not in labels and "payload" not in labels
    assert labels.count("carries instrument") == 1
    drawn = [n for _, names, _ in hub.out.groups + hub.into.groups for n in names]
    assert len(drawn) == len(set(drawn)) <= diagrams.MAX_ROWS   # each neighbour once
    figure = parse(diagrams.relationships(base, view.edges, helper("missions/smile.md"),
                                          "fb-r", ["smile"]))
    boxes = [e for e in figure.iter(SVG + "rect") if e.get("class") in ("fb-node", "fb-more")]
    assert len(boxes) <= diagrams.MAX_ROWS + 2
    texts = [shown(t).strip() for t in figure.iter(SVG + "text")]
    assert any(re.fullmatch(r"and \d+ more", t) for t in texts)
    for a in figure.iter(SVG + "a"):   # every neighbour box is a link
        assert a.get("href")
    assert len(list(figure.iter(SVG + "a"))) == len(boxes)


# --- In the built site ---------------------------------------------------------------

def _get(url: str) -> str:
    with urllib.request.urlopen(url) as response:   # the local test server only
        return response.read().decode()


def test_diagram_links_resolve_to_existing_anchors(site_url):
    for path in ("/", "/missions/smile/", "/policies/wolf-amendment/"):
        html = _get(site_url + path)
        figures = re.findall(r'<figure class="fb-diagram".*?</figure>', html, re.S)
        assert figures, path
        for href in re.findall(r'<a href="([^"]+)"', "".join(figures)):
            target = urljoin(site_url + path, href)
            assert target.startswith(site_url), href
            parts = urlsplit(target)
            text = _get(f"{site_url}{parts.path}")
            if parts.fragment:
                assert f'id="{parts.fragment}"' in text, (path, href)


def test_a_timeline_event_link_reaches_its_fact(page, site_url):
    page.goto(site_url + "/")
    page.locator('.fb-diagram a[data-fact="smile-adoption-date"]').first.click()
    page.wait_for_url("**/missions/smile/#fact-smile-adoption-date")
    assert urlsplit(page.url).fragment == "fact-smile-adoption-date"
    target = page.locator('[id="fact-smile-adoption-date"]')
    assert target.count() == 1
    target.locator("xpath=..").wait_for()
    assert page.evaluate("""() => { const r = document.getElementById(
        'fact-smile-adoption-date').parentElement.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight; }""")


CONTRAST = """() => {
  const rgba = s => { const m = s.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
  const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = c => 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
  let page = [255, 255, 255, 1];
  for (let e = document.querySelector('.fb-diagram'); e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0) { page = c; break; } }
  const out = [];
  for (const t of document.querySelectorAll('.fb-diagram text, .fb-diagram tspan')) {
    if (!t.textContent.trim()) continue;
    const box = t.closest('text').previousElementSibling;
    let bg = page.slice(0, 3);
    const [r, c] = [box && box.getBoundingClientRect(), t.getBoundingClientRect()];
    const inside = box && box.tagName === 'rect' && r.left <= c.left + c.width / 2 &&
                   c.left + c.width / 2 <= r.right && r.top <= c.top + c.height / 2 && c.top + c.height / 2 <= r.bottom;
    if (inside) bg = over(rgba(getComputedStyle(box).fill), bg);  // a label in its box
    const fg = over(rgba(getComputedStyle(t).fill), bg);
    const [a, b] = [lum(fg), lum(bg)];
    out.push([t.textContent.trim().slice(0, 40), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
  }
  return out;
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
@pytest.mark.parametrize("path", ["/", "/missions/smile/"])
def test_diagram_text_has_aa_contrast(page, site_url, scheme, path):
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + path)
    measured = page.evaluate(CONTRAST)
    assert len(measured) > 10
    low = [(text, round(ratio, 2)) for text, ratio in measured if ratio < 4.5]
    assert low == [], low


def test_timeline_text_stays_legible_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(site_url + "/")
    sizes = phone.evaluate("""() => [...document.querySelectorAll('.fb-diagram svg')].flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(t =>
            parseFloat(getComputedStyle(t).fontSize) * scale); })""")
    frames = phone.evaluate("""() => [...document.querySelectorAll('.fb-diagram__scroll')].map(f =>
        [f.tabIndex, f.getAttribute('aria-label') || '', f.scrollWidth > f.clientWidth])""")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.locator(".fb-diagram").first.screenshot(path=str(ARTIFACTS / "phone-timeline.png"))
    context.close()
    assert len(sizes) > 20 and min(sizes) >= 12, min(sizes, default=0)
    assert frames and all(tab == 0 and name for tab, name, _ in frames)
    assert any(scrolls for _, _, scrolls in frames)   # wide drawings scroll, not shrink


@pytest.mark.parametrize("path", ["/", "/missions/smile/"])
def test_diagram_labels_do_not_overlap(page, site_url, path):
    page.goto(site_url + path)
    overlaps = page.evaluate("""() => [...document.querySelectorAll('.fb-diagram svg')].flatMap(svg => {
        const boxes = [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()]);
        const hits = [];
        boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
            if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1)
                hits.push([a, b]); }));
        return hits; })""")
    assert page.locator(".fb-diagram svg text").count() > 10
    assert overlaps == []


def test_pages_load_no_mermaid(page, site_url):
    for path in ("/", "/sources/", "/missions/smile/"):
        page.goto(site_url + path, wait_until="networkidle")
    assert page.requests and not [u for u in page.requests if "mermaid" in u.lower()]
    assert page.locator(".mermaid").count() == 0

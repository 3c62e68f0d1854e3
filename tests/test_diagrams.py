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


def variant(figure: ET.Element, fit: str = "wide") -> ET.Element:
    """One arrangement of a drawing (the CSS shows the one that fits the column)."""
    found = [svg for svg in figure.iter(SVG + "svg") if f"fb-fit-{fit}" in svg.get("class", "")]
    assert len(found) == 1, [svg.get("class") for svg in figure.iter(SVG + "svg")]
    return found[0]


def smile_timeline(base=None, fit: str = "wide") -> ET.Element:
    base = base or shipped()[0]
    events = Index.of(base).timeline(["smile"])
    return variant(parse(timeline_svg.timeline(base, events, "Smile", helper(), "fb-t")), fit)


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


def _centre_and_row(link: ET.Element) -> tuple[float, float]:
    mark = next(e for e in link.iter() if e.tag in (SVG + "rect", SVG + "circle"))
    if mark.tag == SVG + "circle":
        return float(mark.get("cx")), float(mark.get("cy"))
    return (float(mark.get("x")) + float(mark.get("width")) / 2,
            float(mark.get("y")) + float(mark.get("height")) / 2)


@pytest.mark.parametrize("fit", ["wide", "narrow"])
def test_superseded_plans_are_one_slipping_track(fit):
    figure = smile_timeline(fit=fit)
    for fact_id in PLANS:   # a mark on the staircase and a date in the sequence, each a link
        assert len(links(figure, fact_id)) == 2, fact_id
    arrows = [e for e in figure.iter(SVG + "path") if e.get("class") == "fb-arrow"]
    assert len(arrows) == len(PLANS) - 1
    # A step per plan, each below the one it replaced, so marks of nearby
    # dates (April 2025, late 2025) cannot cover each other.
    marks = [_centre_and_row(next(a for a in links(figure, f) if a.get("aria-hidden")))
             for f in PLANS]
    rows = [y for _, y in marks]
    assert rows == sorted(rows) and len(set(rows)) == len(rows)
    words = " ".join(" ".join(shown(t) for t in figure.iter(SVG + "text")).split())
    assert "Launch date: planned 2021 → 2023 → 2024 → April 2025 → 2025 → 2026" in words
    assert "9 April 2026 → 19 May 2026 (current)" in words
    assert "superseded plan" not in words   # no row of identical boxes any more


def test_a_date_made_exact_is_not_called_a_plan():
    # P.L. 119-74's enactment: "January 2026" (a guidance page) was superseded
    # by the exact signing date; neither was ever a plan.
    base = shipped()[0]
    events = Index.of(base).timeline(["caa-2026-sec-526"])
    figure = variant(parse(timeline_svg.timeline(base, events, "law", helper(), "fb-t")))
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
    assert all(len(labels) == 1 for labels, _, _ in hub.out.groups + hub.into.groups)
    groups = hub.out.groups + hub.into.groups
    rows = sum(len(names) + (more > 0) for _, names, more in groups)
    assert rows <= diagrams.MAX_ROWS + len(groups)   # at most one "and N more" row per relation
    assert not [more for _, _, more in hub.out.groups + hub.into.groups if more == 1]
    figure = variant(parse(diagrams.relationships(base, view.edges, helper("missions/smile.md"),
                                                  "fb-r", ["smile"])))
    boxes = [e for e in figure.iter(SVG + "rect") if e.get("class") in ("fb-node", "fb-more")]
    assert len(boxes) == rows + (hub.hidden > 0)
    texts = [shown(t).strip() for t in figure.iter(SVG + "text")]
    assert any(re.fullmatch(r"and \d+ more", t) for t in texts)
    for a in figure.iter(SVG + "a"):   # every neighbour box is a link
        assert a.get("href")
    assert len(list(figure.iter(SVG + "a"))) == len(boxes)


@pytest.mark.parametrize("fit", ["wide", "narrow"])
def test_edge_labels_name_one_relation_in_sentence_case_and_the_hub_in_full(fit):
    base, index = shipped()
    view = index.entity_view(base.entities["esa"])
    figure = variant(parse(diagrams.relationships(base, view.edges, helper("agencies/esa.md"),
                                                  "fb-r", ["esa"])), fit)
    hub = next(t for t in figure.iter(SVG + "text") if t.get("class") == "fb-hub-text")
    assert shown(hub).strip() == "European Space Agency"
    labels = [shown(t).strip() for t in figure.iter(SVG + "text") if t.get("class") == "fb-relation"]
    relations = {p.label[:1].upper() + p.label[1:] for p in base.properties.values()}
    squeeze = {r.replace(" ", "") for r in relations}   # a label's lines are tspans
    for label in labels:   # one relation's label, or one relation + ": ESA" (toward the hub)
        assert label.replace(" ", "").removesuffix(":ESA") in squeeze, label
    assert "Partner: ESA" in labels
    width = float(figure.get("width"))
    assert width <= {"wide": 688, "narrow": 358}[fit]
    for box in figure.iter(SVG + "rect"):   # nothing drawn outside the drawing
        assert float(box.get("x")) >= 0 and float(box.get("x")) + float(box.get("width")) <= width


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
    if (!t.textContent.trim() || !t.getClientRects().length) continue;  // the hidden variant
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


FIT = """() => [...document.querySelectorAll('.fb-diagram svg')].filter(svg => svg.getClientRects().length)
  .map(svg => {
    const column = svg.closest('.md-content__inner').getBoundingClientRect();
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    return {id: svg.closest('figure').id, left: box.left - column.left, right: column.right - box.right,
            smallest: Math.min(...sizes), texts: sizes.length}; })"""
PAGES = ["/", "/missions/smile/", "/policies/wolf-amendment/", "/agencies/esa/"]


@pytest.mark.parametrize("width", [390, 1366])
def test_drawings_fit_their_column_with_legible_text(browser, site_url, width):
    """No drawing wider than its column, none scrolling sideways, text at
    least 12 CSS px, at a phone's width and a laptop's."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    measured = []
    for path in PAGES:
        tab.goto(site_url + path)
        measured += [(path, m) for m in tab.evaluate(FIT)]
        assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
    context.close()
    assert {path for path, _ in measured} == set(PAGES)
    for path, m in measured:
        assert m["left"] >= -0.5 and m["right"] >= -0.5, (path, m)
        assert m["texts"] and m["smallest"] >= 12, (path, m)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_diagram_labels_do_not_overlap(page, site_url, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + path)
    overlaps = page.evaluate("""() => [...document.querySelectorAll('.fb-diagram svg')]
      .filter(svg => svg.getClientRects().length).flatMap(svg => {
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

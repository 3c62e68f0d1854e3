"""Pages anyone can use: axe-core on every page kind, and the keyboard path to the article.

axe-core comes from the npm registry: `make axe` (a step of `make test`)
installs it into .venv/axe. Without it these tests fail loudly rather than
skip. The pages' Content Security Policy allows only the site's own scripts,
so the test hands axe to the page from the site's own address (a route on
the test's server), as any other script of the site is loaded.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import REPO
from test_browser import ARTIFACTS, browser, page, site_url  # noqa: F401  (fixtures)

AXE = REPO / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": 1366, "phone": 390}
SCHEMES = ("light", "dark")
# One page of every kind the site has.
PAGES = {
    "home": "/",
    "section-index": "/missions/",
    "mission": "/missions/smile/",
    "policy": "/policies/wolf-amendment/",
    "agency": "/agencies/esa/",
    "programme": "/programmes/cosmic-vision/",
    "instrument": "/instruments/smile-sxi/",
    "launch": "/launches/vega-c/",
    "place": "/places/estec/",
    "source": "/sources/esa-cosmos-smile-home/",
    "bibliography": "/sources/",
    "data": "/data/",
    "checks": "/reference/checks/",
    "fact-index": "/fact-index/",
    "fact-index-letter": "/fact-index/s/",
    "compare": "/compare/",
    "researchers": "/researchers/",
    "story": "/story/",
    "contributing": "/contributing/",
    "fact-format": "/reference/fact-format/",
    "404": "/404.html",
}
RULES = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                   "best-practice"]}
INLINE_TARGETS = "article :is(p, li, td, dd) > a"
COLOUR_RULES = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}


def axe_violations(page, site_url, scheme="light") -> list[dict]:  # noqa: F811
    """axe-core's violations on the loaded page: WCAG 2.x A and AA and best
    practices in the light scheme; in the dark one only the rules about colour
    (the scheme changes nothing else, and each full run takes seconds)."""
    assert AXE.is_file(), f"axe-core is missing at {AXE}: run `make axe` (part of `make test`)"
    address = site_url + "/__axe-core.js"
    page.route(address, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url=address)
    assert page.evaluate("typeof axe") == "object", "axe-core did not load into the page"
    # Links in the article's text are inline targets, exempt from the 24 px
    # target size (WCAG 2.5.8, "Inline": sized by the line of text they sit
    # in). axe sees that in a sentence but not in a table cell whose value is
    # itself a link. Citation markers are not exempt: they are 24 px targets.
    only = RULES if scheme == "light" else COLOUR_RULES
    return page.evaluate("""async ([only, INLINE]) => {
        const inline = (rule, node) => rule === 'target-size' &&
            document.querySelector(node.target[0]).matches(INLINE);
        return (await axe.run(document, {runOnly: only, resultTypes: ['violations']}))
            .violations.map(v => ({rule: v.id, impact: v.impact,
                nodes: v.nodes.filter(n => !inline(v.id, n))
                              .map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}))
            .filter(v => v.nodes.length > 0);
    }""", [only, INLINE_TARGETS])


@pytest.fixture
def fresh_page(page):  # noqa: F811
    """Material remembers the last palette in localStorage; forgotten before
    every load, each page follows the emulated colour scheme."""
    page.add_init_script("localStorage.clear()")
    return page


def load(page, site_url, path, width, scheme):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)  # the palette follows prefers-color-scheme
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    shown = page.evaluate("document.body.dataset.mdColorScheme")
    assert shown == {"light": "default", "dark": "slate"}[scheme], (scheme, shown)
    fit_sidebars(page, width)


def fit_sidebars(page, width) -> None:  # noqa: F811
    """Make the window as tall as the longest navigation sidebar. axe measures a
    link cut by the sidebar's scroll edge as its visible part only, and then
    finds it too close to the next one (target size): with nothing cut, every
    link is measured whole."""
    needed = page.evaluate("Math.max(...[...document.querySelectorAll("
                           "'.md-sidebar__scrollwrap')].map(s => s.scrollHeight + 200))")
    if needed > 900:
        page.set_viewport_size({"width": width, "height": needed})
        page.wait_for_function("() => [...document.querySelectorAll("
                               "'.md-sidebar__scrollwrap')].every(s => s.scrollHeight <= "
                               "s.clientHeight + 1)")


def table(found: list[tuple[str, str, str, dict]]) -> str:
    """Violations as rule, impact, nodes per width and scheme, with an example node each."""
    counts = Counter((w, s, v["rule"], v["impact"]) for _, w, s, v in found
                     for _ in v["nodes"])
    example = {v["rule"]: f"{p}: {v['nodes'][0]}" for p, _, _, v in found}
    rows = [f"{w:8} {s:6} {rule:28} {impact:9} {n}"
            for (w, s, rule, impact), n in sorted(counts.items())]
    return "\n".join(rows + [f"  e.g. {rule}: {e[:300]}" for rule, e in sorted(example.items())])


@pytest.mark.parametrize("kind", PAGES)
def test_no_accessibility_violations(fresh_page, site_url, kind):  # noqa: F811
    found = []
    for width_name, width in WIDTHS.items():
        for scheme in SCHEMES:
            load(fresh_page, site_url, PAGES[kind], width, scheme)
            found += [(kind, width_name, scheme, v)
                      for v in axe_violations(fresh_page, site_url, scheme)]
    # Every impact fails, minor ones too: the pages have none left to keep.
    assert found == [], "axe-core found on the " + kind + " page:\n" + table(found)


FIRST_FOOTNOTE = "article a.footnote-ref"
FIRST_TEXT_LINK = "article :is(p, li, td) > a:not(.footnote-ref)"
TAB_BOUND = 15


def tabs_to(page, selector: str, limit: int = 400) -> int | None:  # noqa: F811
    """How many Tab presses, from where focus is now, until `selector` has the focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    return None


def after_skip_link(page, site_url, path, width) -> None:  # noqa: F811
    """Load the page and follow the theme's skip link with the keyboard."""
    load(page, site_url, path, width, "light")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('.md-skip')"), \
        "the first Tab does not reach the skip link"
    page.keyboard.press("Enter")


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("target", [FIRST_FOOTNOTE, FIRST_TEXT_LINK], ids=["footnote", "link"])
def test_a_keyboard_reaches_the_article_quickly(fresh_page, site_url, target, width):  # noqa: F811
    after_skip_link(fresh_page, site_url, "/missions/smile/", width)
    presses = tabs_to(fresh_page, target)
    assert presses is not None and presses <= TAB_BOUND, \
        f"{presses} Tab presses after the skip link to reach {target}"


def test_a_citation_mark_leads_the_keyboard_to_its_source(fresh_page, site_url):  # noqa: F811
    """Enter on a reference mark moves on to its note: the next Tab is the source's link."""
    after_skip_link(fresh_page, site_url, "/missions/smile/", WIDTHS["desktop"])
    tabs_to(fresh_page, FIRST_FOOTNOTE)
    note = fresh_page.evaluate("document.activeElement.getAttribute('href')").removeprefix("#")
    fresh_page.keyboard.press("Enter")
    fresh_page.keyboard.press("Tab")
    assert fresh_page.evaluate("id => document.activeElement.closest('[id^=\"cite-note-\"]')?.id === id", note)

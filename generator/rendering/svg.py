"""What every drawing made at build time shares: escaping, text sizes, links
and the frame that carries a drawing into a Markdown page.

Drawings are static SVG written into the page, so they need no script, are
in the page's own DOM (assistive technology reads them) and take their
colours from the theme's CSS variables (classes in factbase.css), so light
and dark schemes both work. No drawing is wider than its column: each is
laid out for a width (WIDE for a desktop column, NARROW for a phone's), and
a drawing that needs another arrangement on a phone comes in two variants,
the CSS showing the one that fits its column (a container query), so text
stays at its size instead of shrinking or scrolling sideways.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass

from markupsafe import Markup

FONT = 14        # px, every label: the drawing never scales it down
CHAR = 0.6       # an average character's advance in em, generous so estimates do not fall short
WIDE = 680       # px: the widest drawing, within Material's 688 px column at 1366 px
NARROW = 340     # px: within a phone's column (358 px at 390 px); the CSS switches at WIDE
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML at all


def esc(text: object) -> str:
    """Text from a fact file as XML character data or attribute value, on one line."""
    return html.escape(" ".join(_CONTROL.sub(" ", str(text)).split()), quote=True)


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * CHAR * size


def chars_in(width: float, size: float = FONT) -> int:
    """How many characters fit in `width` px (the inverse of text_width)."""
    return max(4, int(width / (CHAR * size)))


def shorten(text: str, chars: int) -> str:
    """One line of at most `chars` characters, cut at a word (the full text is in the <title>)."""
    return wrap(text, chars, 1)[0] if text.split() else ""


def wrap(text: str, chars: int, lines: int) -> list[str]:
    """Words in lines of at most `chars` characters; what does not fit in
    `lines` lines ends in an ellipsis (the full text is in the <title>)."""
    return textwrap.wrap(" ".join(text.split()), chars, max_lines=lines, placeholder=" …")


def sentence(label: str) -> str:
    """A relation's label as an edge reads it: "Payload module provided by"."""
    return label[:1].upper() + label[1:]


def served(md_path: str) -> str:
    """The URL path a Markdown page is served at (MkDocs' directory URLs)."""
    stem = md_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def href(page, ident: str, anchor: str = "") -> str:
    """A link from the page being rendered to an entity's page (and an anchor
    on it), as the browser needs it: raw HTML is not rewritten by MkDocs the
    way Markdown links are. Ids and anchors are slugs, safe in an attribute."""
    here, there = served(page.path), served(page.urls[ident])
    fragment = f"#{anchor}" if anchor else ""
    if here == there:
        return fragment or "#"
    return ("../" * here.count("/") + there or "./") + fragment


def arrow_defs(key: str) -> str:
    """The arrowhead the drawing's edges end in (ids are per drawing: several share a page)."""
    return (f'<defs><marker id="{key}-arrow" viewBox="0 0 8 8" refX="7" refY="4" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            '<path class="fb-arrowhead" d="M0,0 L8,4 L0,8 z"/></marker></defs>')


@dataclass(frozen=True)
class Variant:
    """One arrangement of a drawing: `fit` is "wide" or "narrow" (the CSS
    shows the one that fits the column), or "any" for a drawing that fits both."""
    fit: str
    width: float
    height: float
    body: list[str]


def frame(key: str, title: str, caption: str, variants: list[Variant]) -> Markup:
    """The drawing as one raw HTML block: a figure with a visible caption and
    an SVG per variant, each with its own <title> and described by the
    caption (written once, not once more per variant); the hidden
    variant is display: none, so it is neither read nor focusable. No blank
    line inside, so Markdown passes it through untouched."""
    # data-search-exclude: a drawing's words are in the table beside it; in
    # the search index they would only be a jumble of its labels.
    lines = [f'<figure class="fb-diagram" id="{key}" aria-labelledby="{key}-caption" '
             'data-search-exclude="">']
    for variant in variants:
        w, h = round(variant.width), round(variant.height)
        ident = key if variant.fit in ("any", "wide") else f"{key}-{variant.fit}"
        lines += [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="fb-fit-{variant.fit}" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" '
            f'aria-labelledby="{ident}-title" aria-describedby="{key}-caption">',
            f'<title id="{ident}-title">{esc(title)}</title>',
            *variant.body,
            "</svg>",
        ]
    lines += [f'<figcaption id="{key}-caption"><strong>{esc(title)}.</strong> {esc(caption)}</figcaption>',
              "</figure>"]
    return Markup("\n".join(lines))

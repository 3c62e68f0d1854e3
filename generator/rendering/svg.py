"""What every drawing made at build time shares: escaping, text sizes, links
and the frame that carries a drawing into a Markdown page.

Drawings are static SVG written into the page, so they need no script, are
in the page's own DOM (assistive technology reads them) and take their
colours from the theme's CSS variables (classes in factbase.css), so light
and dark schemes both work. Text keeps its size: a drawing wider than the
screen scrolls sideways in a focusable frame instead of shrinking.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

FONT = 14        # px, every label: the drawing never scales it down
CHAR = 0.6       # an average character's advance in em, generous so estimates do not fall short
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not allowed in XML at all


def esc(text: object) -> str:
    """Text from a fact file as XML character data or attribute value, on one line."""
    return html.escape(" ".join(_CONTROL.sub(" ", str(text)).split()), quote=True)


def text_width(text: str, size: float = FONT) -> float:
    return len(text) * CHAR * size


def shorten(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars - 1].rstrip() + "…"


def wrap(text: str, chars: int, lines: int) -> list[str]:
    """Words in lines of at most `chars` characters; what does not fit in
    `lines` lines ends in an ellipsis (the full text is in the <title>)."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= chars:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = shorten(out[-1] + " …", chars)
    return [shorten(line, chars) for line in out]


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


def frame(key: str, title: str, caption: str, width: float, height: float,
          body: list[str]) -> Markup:
    """The drawing as one raw HTML block: a figure with a visible caption,
    a keyboard-focusable frame that scrolls when the drawing is wider than
    the screen, and an SVG with its own <title> and <desc>. No blank line
    inside, so Markdown passes it through untouched."""
    w, h = round(width), round(height)
    lines = [
        f'<figure class="fb-diagram" id="{key}" aria-labelledby="{key}-title">',
        f'<div class="fb-diagram__scroll" tabindex="0" role="region" '
        f'aria-label="{esc(title)} (scrolls sideways on narrow screens)">',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="group" aria-labelledby="{key}-title" '
        f'aria-describedby="{key}-desc">',
        f'<title id="{key}-title">{esc(title)}</title>',
        f'<desc id="{key}-desc">{esc(caption)}</desc>',
        *body,
        "</svg>",
        "</div>",
        f'<figcaption id="{key}-caption">{esc(caption)}</figcaption>',
        "</figure>",
    ]
    return Markup("\n".join(lines))

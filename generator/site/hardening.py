"""What the MkDocs plugin does to every page so that nothing a contributor
wrote can run in a reader's browser, whatever the theme does with it.

- Titles: MkDocs hands the theme each page's title and table-of-contents
  entries as HTML, and themes print them raw in some places and unescape
  them in others (Material's `<title>` uses `striptags`, which turns `&lt;`
  back into `<`). They are reduced to plain text made of characters that
  read the same escaped or not (`markup.title_text`).
- A Content Security Policy in every page's `<head>`: scripts only from the
  site itself, plus the inline scripts the theme's own templates write
  (allowed by hash). Should an escaping bug ever let markup through, an
  injected `<script>` or `onerror=` still does not run.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup

from ..rendering.markup import title_text

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# What a Jinja expression inside a theme's script may print: a URL or a word,
# never a quote, bracket or tag that would let other code in.
_FILLED = r"[^\"'<>\\\\;(){}]*"
_CHARSET, _HEAD = re.compile(r"<meta charset=[^>]*>", re.I), re.compile(r"<head\b[^>]*>", re.I)
POLICY = ("default-src 'self'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
          "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
          "form-action 'self'")


def plain_title(title: str) -> str:
    """A title MkDocs made (HTML) as inert plain text."""
    return title_text(Markup(title).striptags())


def inert_titles(page) -> None:
    """Make the page's title, its front-matter title and its table of
    contents plain, inert text before the theme or the search index sees them."""
    if page.title:
        page.title = plain_title(page.title)
    if isinstance(page.meta.get("title"), str):
        page.meta["title"] = plain_title(page.meta["title"])
    _inert_toc(page.toc)


def _inert_toc(items: Iterable) -> None:
    for item in items:
        item.title = plain_title(item.title)
        _inert_toc(item.children)


def theme_scripts(template_dirs: Iterable[str]) -> list[re.Pattern]:
    """The inline scripts the theme's templates write, as patterns: the
    literal text, with each Jinja expression standing for a plain value."""
    patterns = []
    for folder in template_dirs:
        for template in sorted(Path(folder).rglob("*.html")):
            for attrs, body in _SCRIPT.findall(template.read_text(encoding="utf-8")):
                if _executable(attrs) and body.strip() and "src=" not in attrs:
                    parts = _JINJA.split(body.strip())
                    patterns.append(re.compile(_FILLED.join(re.escape(p) for p in parts), re.S))
    return patterns


def with_policy(page_html: str, allowed: list[re.Pattern]) -> str:
    """The page with a CSP meta tag allowing the theme's inline scripts on it."""
    hashes = sorted({_hash(body) for attrs, body in _SCRIPT.findall(page_html)
                     if _executable(attrs) and "src=" not in attrs
                     and any(p.fullmatch(body.strip()) for p in allowed)})
    policy = POLICY.format(hashes="".join(f" 'sha256-{h}'" for h in hashes))
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    # First in <head> (after the charset), so it governs every script after it.
    anchor = _CHARSET.search(page_html) or _HEAD.search(page_html)
    if anchor is None:
        return page_html
    return page_html[:anchor.end()] + tag + page_html[anchor.end():]


def _executable(attrs: str) -> bool:
    """Scripts of a data type (JSON) are never run, so need no hash."""
    kind = re.search(r"""type=["']?([^"'\s>]+)""", attrs)
    return kind is None or kind.group(1).lower() in ("text/javascript", "module")


def _hash(body: str) -> str:
    return base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()

"""A Content Security Policy in every page's `<head>`, matched to the theme.

Scripts may come only from the site itself, plus what the theme's own
templates write: their inline scripts (allowed by hash, page by page) and
the external scripts and stylesheets they name by a literal address (MkDocs'
own theme loads highlight.js from a CDN; Material with `font: false` names
none). Should an escaping bug ever let markup through, an injected
`<script>` or `onerror=` still does not run: its text matches no template.

The theme is read from its template folders (`theme_scripts`), so the
policy follows whichever theme and engine built the site. Applied to the
finished HTML by `factbase postprocess` (the only step that sees it).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
# What a Jinja expression inside a theme's script may print: a URL or a word,
# never a quote, bracket or tag that would let other code in; a `tojson`
# expression prints JSON, which needs quotes and brackets but never a call,
# an assignment or a template literal.
_FILLED = r"[^\"'<>\\\\;(){}`]*"
_FILLED_JSON = r"[^<>()=;`]*"
_SRC = re.compile(r"""<script\b[^>]*\ssrc=["'](https://[^"'{]+)""", re.I)
_STYLESHEET = re.compile(r"""<link\b[^>]*\shref=["'](https://[^"'{]+)""", re.I)
_PAGE_SRC = re.compile(r"""<script\b[^>]*\ssrc="(https://[^"]+)""", re.I)
_PAGE_STYLESHEET = re.compile(r"""<link\b[^>]*rel="stylesheet"[^>]*\shref="(https://[^"]+)"|"""
                              r"""<link\b[^>]*\shref="(https://[^"]+)"[^>]*rel="stylesheet\"""", re.I)
_CHARSET, _HEAD = re.compile(r"<meta charset=[^>]*>", re.I), re.compile(r"<head\b[^>]*>", re.I)
POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'{styles}; "
          "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
          "form-action 'self'")


@dataclass(frozen=True)
class Theme:
    """What a theme's templates may put in a page: inline scripts (as
    patterns) and the literal addresses of external scripts and stylesheets."""
    scripts: tuple[re.Pattern, ...] = ()
    script_urls: tuple[str, ...] = ()
    style_urls: tuple[str, ...] = ()
    folders: tuple[str, ...] = field(default=(), compare=False)


def theme_scripts(template_dirs: Iterable[str | Path]) -> Theme:
    """Read the theme's templates (custom_dir first, as the engine searches them)."""
    patterns, scripts, styles = [], set(), set()
    folders = tuple(str(f) for f in template_dirs)
    for folder in folders:
        for template in sorted(Path(folder).rglob("*.html")):
            text = template.read_text(encoding="utf-8")
            for attrs, body in _SCRIPT.findall(text):
                if _executable(attrs) and body.strip() and "src=" not in attrs:
                    patterns.append(_pattern(body.strip()))
            scripts.update(_SRC.findall(text))
            styles.update(_STYLESHEET.findall(text))
    return Theme(tuple(patterns), tuple(sorted(scripts)), tuple(sorted(styles)), folders)


def _pattern(body: str) -> re.Pattern:
    """The script's literal text, each Jinja expression standing for a value."""
    parts, fillers = _JINJA.split(body), _JINJA.findall(body)
    out = [re.escape(parts[0])]
    for filler, part in zip(fillers, parts[1:]):
        out.append(_FILLED_JSON if "tojson" in filler else _FILLED)
        out.append(re.escape(part))
    return re.compile("".join(out), re.S)


def policy(page_html: str, theme: Theme) -> str:
    """The policy for one page: hashes of its inline scripts that the theme
    writes, and the origins of the theme's external scripts and stylesheets on it."""
    hashes = sorted({_hash(body) for attrs, body in _SCRIPT.findall(page_html)
                     if _executable(attrs) and "src=" not in attrs
                     and any(p.fullmatch(body.strip()) for p in theme.scripts)})
    scripts = _origins(_PAGE_SRC.findall(page_html), theme.script_urls)
    found = [a or b for a, b in _PAGE_STYLESHEET.findall(page_html)]
    styles = _origins(found, theme.style_urls)
    return POLICY.format(scripts="".join(f" 'sha256-{h}'" for h in hashes)
                         + "".join(f" {o}" for o in scripts),
                         styles="".join(f" {o}" for o in styles))


def with_policy(page_html: str, theme: Theme) -> str:
    """The page with a CSP meta tag (first in <head>, after the charset, so it
    governs every script after it)."""
    if 'http-equiv="Content-Security-Policy"' in page_html:
        return page_html  # already processed: postprocess runs once per build, but may run again
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(page_html, theme)}">'
    anchor = _CHARSET.search(page_html) or _HEAD.search(page_html)
    if anchor is None:
        return page_html
    return page_html[:anchor.end()] + tag + page_html[anchor.end():]


def _origins(urls: Iterable[str], allowed: tuple[str, ...]) -> list[str]:
    """Origins of the addresses that start as one the theme names literally."""
    return sorted({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in urls
                   if any(u.startswith(a) for a in allowed)})


def _executable(attrs: str) -> bool:
    """Scripts of a data type (JSON) are never run, so need no hash."""
    kind = re.search(r"""type=["']?([^"'\s>]+)""", attrs)
    return kind is None or kind.group(1).lower() in ("text/javascript", "module")


def _hash(body: str) -> str:
    return base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()

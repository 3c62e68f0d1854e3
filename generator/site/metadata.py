"""What search engines, link previews and citation tools read in each page's <head>.

- `describe(page, html)`: every page gets its own meta description: the one
  its template wrote in the front matter, else its lead paragraph, else the
  site's. Made inert (`markup.title_text`): the theme prints it raw.
- `head(html, page, config, licence_url)`: Open Graph and Twitter card tags,
  and JSON-LD: a `Dataset` on the data page (its downloads and licence), a
  `WebPage` elsewhere, with `citation` entries (the sources it cites) and
  `dateModified` (from the facts' history) where the template gave them.
  The JSON is escaped so that no text in it can close the script element.
- It also unplugs the theme's repository widget, which would fetch star
  counts from api.github.com: pages make no third-party requests.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from markupsafe import Markup

from ..rendering import exports
from ..rendering.markup import title_text

DESCRIPTION_CHARS = 200
_LEAD = re.compile(r"<p>(.*?)</p>", re.S)
_NOTE_MARK = re.compile(r"<sup\b.*?</sup>", re.S)  # footnote numbers are not words
_HEAD_END = re.compile(r"</head>", re.I)


def describe(page, page_html: str) -> None:
    """Give the page a description of its own, as inert text."""
    text = page.meta.get("description")
    if not isinstance(text, str) or not text.strip():
        lead = _LEAD.search(page_html)
        text = Markup(_NOTE_MARK.sub("", lead.group(1))).striptags() if lead else ""
    if text:
        page.meta["description"] = _shorten(title_text(text))


def head(page_html: str, page, config, licence_url: str | None = None) -> str:
    """The page with its link-preview tags and JSON-LD at the end of <head>."""
    page_html = unplug_repository_widget(page_html)
    end = _HEAD_END.search(page_html)
    if end is None:
        return page_html
    tags = "".join(_tags(page, config, licence_url))
    return page_html[:end.start()] + tags + page_html[end.start():]


def unplug_repository_widget(page_html: str) -> str:
    """The repository link stays a link; the theme's script no longer fetches
    its star and fork counts from the forge's API (a third-party request)."""
    return page_html.replace(' data-md-component="source"', "")


def _tags(page, config, licence_url: str | None):
    meta = page.meta or {}
    title = title_text(page.title or config.site_name)
    description = meta.get("description") or config.site_description or ""
    url = page.canonical_url
    properties = {"og:type": "website", "og:site_name": config.site_name, "og:title": title,
                  "og:description": description, "og:url": url}
    for name, value in properties.items():
        if value:
            yield f'<meta property="{name}" content="{_attr(value)}">'
    for name, value in (("twitter:card", "summary"), ("twitter:title", title),
                        ("twitter:description", description)):
        if value:
            yield f'<meta name="{name}" content="{_attr(value)}">'
    yield ('<script type="application/ld+json">'
           + json_ld(_linked_data(page, config, title, description, licence_url)) + "</script>")


def _linked_data(page, config, title: str, description: str,
                 licence_url: str | None) -> dict[str, Any]:
    meta = page.meta or {}
    url = page.canonical_url
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "WebPage",
                            "name": title, "description": description}
    if url:
        data["url"] = url
    if meta.get("schema") == "Dataset":
        data["@type"] = "Dataset"
        data["distribution"] = [{"@type": "DataDownload", "name": path.rsplit("/", 1)[-1],
                                 "encodingFormat": media, "description": what,
                                 "contentUrl": (config.site_url or "") + path}
                                for path, media, what in exports.DOWNLOADS]
    if licence_url:
        data["license"] = licence_url
    if isinstance(meta.get("updated"), str):
        data["dateModified"] = meta["updated"]
    citations = meta.get("citations")
    if isinstance(citations, list):
        data["citation"] = [{"@type": "CreativeWork", "name": str(c.get("name", "")),
                             "url": str(c.get("url", ""))}
                            for c in citations if isinstance(c, dict)]
    if config.site_url:
        data["isPartOf"] = {"@type": "WebSite", "name": config.site_name, "url": config.site_url}
    return data


def json_ld(data: Any) -> str:
    """JSON for inside <script>: no `<`, `>` or `&` at all (as \\u escapes, which
    JSON reads back as the same characters), so nothing can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _attr(value: str) -> str:
    return html.escape(str(value), quote=True)


def _shorten(text: str) -> str:
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"

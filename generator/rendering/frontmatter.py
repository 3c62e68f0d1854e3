"""What every page's front matter says for search engines, link previews and
citation tools, filled in at render time so that every engine reads it.

The theme's `extrahead` block (the `factbase/head.html` partial shipped in
`factbase/data/theme/`) prints it: the meta description (themes print
`page.meta.description` themselves), Open Graph and Twitter tags and
JSON-LD. What a template already wrote is kept; what is added:

- `description`: a page without one (a hand-written page) is described by
  its lead paragraph, made inert (`markup.title_text`: themes print it raw);
- `license`: the content's licence address, when the project declares one;
- `distribution`: on the data page (`schema: "Dataset"`), its downloads with
  their published addresses.

Done on the Markdown text, not on an engine's HTML, so MkDocs, ProperDocs
and Zensical give the same metadata.
"""

from __future__ import annotations

import json
import re

import markdown
from markupsafe import Markup

from . import exports
from .markup import title_text

DESCRIPTION_CHARS = 200
_FENCE = "---\n"
_NOTE_REF = re.compile(r"\[\^[^\]]*\]")        # footnote markers are not words
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_NOT_PROSE = ("#", "!!!", "???", "|", "<", "{", "```", "- ", "* ", ">")


def complete(text: str, site_url: str = "", licence_url: str | None = None) -> str:
    """The page with the front-matter fields the head partial needs."""
    meta, body = _split(text)
    added = []
    if not _has(meta, "description"):
        lead = lead_paragraph(body)
        if lead:
            added.append(f"description: {json.dumps(lead, ensure_ascii=False)}")
    if licence_url and not _has(meta, "license"):
        added.append(f"license: {json.dumps(licence_url)}")
    if _has(meta, 'schema: "Dataset"') or _has(meta, "schema: Dataset"):
        added.append("distribution: " + json.dumps(distribution(site_url), ensure_ascii=False))
    if not added:
        return text
    return _FENCE + meta + "".join(line + "\n" for line in added) + _FENCE + body


def distribution(site_url: str) -> list[dict[str, str]]:
    """The data page's downloads, as schema.org DataDownload entries."""
    return [{"@type": "DataDownload", "name": path.rsplit("/", 1)[-1], "encodingFormat": media,
             "description": what, "contentUrl": site_url + path}
            for path, media, what in exports.DOWNLOADS]


def lead_paragraph(body: str) -> str:
    """The first paragraph of prose, as inert plain text of at most 200 characters."""
    block: list[str] = []
    for line in _COMMENT.sub("", body).splitlines():
        stripped = line.strip()
        if block and not stripped:
            break
        if not block and (not stripped or stripped.startswith(_NOT_PROSE)):
            continue
        block.append(stripped)
    if not block:
        return ""
    html = markdown.markdown(_NOTE_REF.sub("", " ".join(block)))
    return _shorten(title_text(Markup(html).striptags()))


def _split(text: str) -> tuple[str, str]:
    """(front-matter lines with their final newline, the rest)."""
    if text.startswith(_FENCE):
        end = text.find("\n" + _FENCE, len(_FENCE) - 1)
        if end != -1:
            return text[len(_FENCE):end + 1], text[end + 1 + len(_FENCE):]
    return "", text


def _has(meta: str, start: str) -> bool:
    return meta.startswith(start) or f"\n{start}" in meta


def _shorten(text: str) -> str:
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS - 1].rsplit(" ", 1)[0] + "…"

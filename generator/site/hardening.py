"""Titles as inert text, whatever the theme does with them.

MkDocs hands the theme each page's title and table-of-contents entries as
HTML, and themes print them raw in some places and unescape them in others
(Material's `<title>` uses `striptags`, which turns `&lt;` back into `<`).
They are reduced to plain text made of characters that read the same
escaped or not (`markup.title_text`). Generated pages already carry inert
titles in their front matter (so every engine prints them safely); this
covers titles taken from a hand-written page's first heading. The Content
Security Policy, the second line of defence, is `factbase.site.csp`.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup

from ..rendering.markup import title_text


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

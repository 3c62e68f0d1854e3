"""What the MkDocs plugin adds to every page so that assistive technology can
tell its parts apart, where the theme's templates leave them unnamed.

- The search dialog gets an accessible name (the one its search box has):
  Material marks it `role="dialog"` with no name.
- Each section's navigation landmark is named by its visible title. With
  `navigation.indexes` Material labels a section's `<nav>` by the section's
  expand toggle, which holds only an icon, so every such landmark is nameless
  and screen readers list a row of identical "navigation" landmarks.

The page's HTML is adjusted rather than the theme's templates copied, so that
a theme upgrade keeps its own fixes.
"""

from __future__ import annotations

import html
import re

_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")>')
_SEARCH_NAME = re.compile(r'<input [^>]*class="md-search__input"[^>]*aria-label="([^"]*)"')
_SECTION_NAV = re.compile(
    r'(<nav class="md-nav"[^>]*?) aria-labelledby="[^"]*"([^>]*>\s*'
    r'<label class="md-nav__title"[^>]*>)(.*?)</label>', re.S)
_TAG = re.compile(r"<[^>]*>")


def named_landmarks(page_html: str) -> str:
    """The page with its search dialog and section navigations named."""
    return _named_section_navs(_named_search_dialog(page_html))


def _named_search_dialog(page_html: str) -> str:
    name = _SEARCH_NAME.search(page_html)
    if name is None:
        return page_html
    return _DIALOG.sub(lambda m: f'{m.group(1)} aria-label="{name.group(1)}">', page_html, count=1)


def _named_section_navs(page_html: str) -> str:
    def named(m: re.Match) -> str:
        title = " ".join(html.unescape(_TAG.sub(" ", m.group(3))).split())
        return f'{m.group(1)} aria-label="{html.escape(title)}"{m.group(2)}{m.group(3)}</label>'
    return _SECTION_NAV.sub(named, page_html)

"""The site's navigation from the base's declared sections.

A project's mkdocs.yml may list its sections in `nav` (`Missions:
missions/index.md`, …); then a listed section the base does not declare, or
that has no entities and so no page, is left out rather than becoming a
broken link. With no `nav`, one is made: Home, the sections in declared
order, the other pages, then Sources, Data and the fact index, so a new
project needs no nav at all. The plugin then expands each section into its
pages (`plugin.expand_nav`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from mkdocs.utils import dirname_to_title

from ..config import Config
from ..model import Section
from ..rendering.markup import title_text

log = logging.getLogger("mkdocs.plugins.factbase")

# Placed at the end of a made nav, in this order; never listed as other pages.
CLOSING = ({"Sources": "sources/index.md"}, {"Data": "data.md"},
           {"Fact index": "fact-index/index.md"})
GENERATED_FOLDERS = ("sources", "fact-index", "data", "assets")


def site_nav(nav: list | None, docs_dir: Path, config: Config) -> list:
    """The nav to expand: the project's own without missing sections, or one
    made from the sections the project's base declares."""
    if nav:
        return without_missing_sections(nav, docs_dir)
    from .. import project  # the base is only needed here (and comes from the cache)
    return made_nav(project.check(config).base.sections.values(), docs_dir)


def made_nav(sections: Iterable[Section], docs_dir: Path) -> list:
    nav: list = [{"Home": "index.md"}]
    folders = set(GENERATED_FOLDERS)
    for section in sections:
        folders.add(section.folder)
        if (docs_dir / section.folder / "index.md").is_file():  # only a section with entities
            # Themes print nav titles raw: a declared title becomes inert text first.
            nav.append({title_text(section.title): f"{section.folder}/index.md"})
    nav += _other_pages(docs_dir, folders)
    return nav + [dict(entry) for entry in CLOSING]


def _other_pages(docs_dir: Path, skipped: set[str]) -> list:
    """Hand-written pages (and the checks reference): top-level pages by path,
    then each folder's pages under the folder's title, index first."""
    placed = {"index.md", "data.md"}
    pages = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    top, grouped = [], {}
    for page in pages:
        folder, _, _ = page.partition("/")
        if page in placed or folder in skipped:
            continue
        if "/" in page:
            grouped.setdefault(folder, []).append(page)
        else:
            top.append(page)
    index_first = {folder: sorted(listed, key=lambda page: (not page.endswith("/index.md"), page))
                   for folder, listed in grouped.items()}
    return top + [{title_text(dirname_to_title(folder)): listed}
                  for folder, listed in index_first.items()]


def without_missing_sections(nav: list, docs_dir: Path) -> list:
    """The nav without `Title: folder/index.md` entries whose page was not made
    (a section the base does not declare, or one with no entities)."""
    kept = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, target), = item.items()
            if isinstance(target, str) and target.endswith("/index.md") \
                    and not (docs_dir / target).is_file():
                log.info(f"nav: '{title}' is left out: {target} does not exist (the fact "
                         "base declares no such section, or it has no entities)")
                continue
            if isinstance(target, list):
                item = {title: without_missing_sections(target, docs_dir)}
        kept.append(item)
    return kept

"""Convert the pages' Markdown on every core before MkDocs asks for it.

MkDocs converts pages one after another in one process; at thousands of
pages that is half of a build. At `on_nav`, the last event before MkDocs
reads the pages, the factbase plugin converts them all in worker processes
exactly as MkDocs would (`Page.render`: same extensions, same link
validation, its log messages kept), and at `on_pre_page` gives each page
its result in place of converting it again, the way mkdocs-jupyter gives
MkDocs a notebook's HTML. (Material's own plugins work the same way: work
started early in parallel, reconciled when MkDocs reaches the page.) The messages are logged when MkDocs reaches the
page, so they come out in the same order, and count towards `--strict`,
as in a serial build.

It is done only when nothing could change a page before its conversion:
no other plugin may handle `pre_page` or `page_markdown`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from .. import parallel

# Events whose handlers could change a page between our conversion and MkDocs'.
_BEFORE_CONVERSION = ("pre_page", "page_markdown")


@dataclass
class Converted:
    """What `Page.render` leaves on a page, in a form that can cross a pipe."""
    content: str
    toc: TableOfContents
    title: str | None
    anchor_ids: set[str]
    links_to_anchors: dict[str, dict[str, str]]  # target page's src_uri -> anchors
    messages: list[tuple[str, int, str]]         # logger, level, text


def worth_it(config, owner, pages: int) -> bool:
    """Only for enough pages, on more than one core, with no other plugin
    changing pages before they are converted."""
    if pages < parallel.MIN_JOBS or parallel.workers() < 2:
        return False
    return not any(getattr(handler, "__self__", None) is not owner
                   for event in _BEFORE_CONVERSION for handler in config.plugins.events[event])


def convert_all(files: Files, config) -> dict[str, Converted]:
    """Every documentation page converted, by source path."""
    pages = list(files.documentation_pages())
    jobs = [partial(_convert, file, files, config) for file in pages]
    return {file.src_uri: done for file, done in zip(pages, parallel.run_jobs(jobs, spread=True))}


def use(page: Page, done: Converted) -> None:
    """Make MkDocs take `done` instead of converting the page itself."""
    page.render = partial(_render, page, done)  # this page only: mkdocs-jupyter's way


def _convert(file: File, files: Files, config) -> Converted:
    page = file.page or Page(None, file, config)
    with _Captured() as messages:
        page.read_source(config)
        page.render(config, files)
    return Converted(page.content, page.toc, page._title_from_render,
                     page.present_anchor_ids or set(),
                     {target.src_uri: anchors
                      for target, anchors in (page.links_to_anchors or {}).items()},
                     messages)


def _render(page: Page, done: Converted, config, files: Files) -> None:
    """Stands in for `Page.render`, setting what it would have set."""
    for name, level, text in done.messages:
        logging.getLogger(name).log(level, "%s", text)
    page.content, page.toc = done.content, done.toc
    page._title_from_render = done.title
    page.present_anchor_ids = done.anchor_ids
    if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = {files.get_file_from_path(uri): anchors
                                 for uri, anchors in done.links_to_anchors.items()}


class _Captured(logging.Handler):
    """Holds MkDocs' messages while a page converts, instead of printing them
    (from a worker, too early and uncounted)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.messages: list[tuple[str, int, str]] = []
        self._logger = logging.getLogger("mkdocs")

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.name, record.levelno, record.getMessage()))

    def __enter__(self) -> list[tuple[str, int, str]]:
        self._saved = self._logger.handlers, self._logger.propagate
        self._logger.handlers, self._logger.propagate = [self], False
        return self.messages

    def __exit__(self, *exc) -> None:
        self._logger.handlers, self._logger.propagate = self._saved

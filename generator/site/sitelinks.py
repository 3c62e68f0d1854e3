"""Internal link check of a built site: every local href/src and #anchor
must resolve to a file in the site and an id on that page.

Pure standard library and one pass per page, so it runs on every build.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import parallel

# MkDocs themes write well-formed HTML with double-quoted attributes, so two
# regular expressions find links and ids about 10x faster than html.parser.
_LINK = re.compile(r'<(?:a|link|script|img|source)\b[^>]*?\s(?:href|src)="([^"]*)"', re.I)
_ID = re.compile(r'<[a-z][^>]*?\s(?:id|name)="([^"]*)"', re.I)


@dataclass(frozen=True)
class BrokenLink:
    page: str       # site-relative path of the page holding the link
    target: str     # the link as written
    reason: str


@dataclass(frozen=True)
class _Page:
    ids: frozenset[str]
    links: tuple[str, ...]


def scan(site_dir: Path) -> dict[str, _Page]:
    """Every page's ids and links; large sites are read on every core."""
    paths = sorted(site_dir.rglob("*.html"))
    chunks = [paths[i:i + _CHUNK] for i in range(0, len(paths), _CHUNK)]
    parts = parallel.run_jobs([partial(_scan, site_dir, chunk) for chunk in chunks],
                              spread=len(paths) >= parallel.MIN_JOBS)
    return {page: parsed for part in parts for page, parsed in part}


_CHUNK = 100


def _scan(site_dir: Path, paths: list[Path]) -> list[tuple[str, _Page]]:
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        links = tuple(dict.fromkeys(html.unescape(m) for m in _LINK.findall(text)))
        found.append((path.relative_to(site_dir).as_posix(), _Page(
            frozenset(html.unescape(m) for m in _ID.findall(text)), links)))
    return found


def broken_links(site_dir: Path, base_path: str = "/") -> list[BrokenLink]:
    """`base_path` is where the site is published (site_url's path): root-absolute
    links, which MkDocs writes on the 404 page, start with it."""
    pages = scan(site_dir)
    files = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    resolver = _Resolver(files, base_path)
    problems = []
    for page, parsed in pages.items():
        for link in parsed.links:
            reason = _problem(pages, resolver.target(page, link))
            if reason:
                problems.append(BrokenLink(page, link, reason))
    return problems


class _Resolver:
    """Where links lead, remembered: a site's pages share most of their links
    (the theme's assets, the navigation, the same sources), and a relative
    link that climbs to the site root leads to the same file from every page
    at that depth."""

    def __init__(self, files: set[str], base_path: str = "/"):
        self.files, self.base_path = files, base_path.rstrip("/") + "/"
        self.split: dict[str, tuple[bool, str, str]] = {}
        self.known: dict[tuple, str | None] = {}

    def target(self, page: str, link: str) -> tuple[str | None, str]:
        """The site file a link leads to ("" if external, None if missing) and its fragment."""
        parts = self.split.get(link)
        if parts is None:
            pieces = urlsplit(link)
            parts = self.split[link] = (bool(pieces.scheme or pieces.netloc),
                                        unquote(pieces.path), unquote(pieces.fragment))
        external, path, fragment = parts
        if external:
            return "", ""  # mailto:, data:, other sites: `factbase links` checks those
        if not path:
            return page, fragment
        if path.startswith(self.base_path):  # root-absolute: from where the site is published
            path = "/" + path.removeprefix(self.base_path)
        folder = posixpath.dirname(page)
        depth = folder.count("/") + 1 if folder else 0
        key = (depth, path) if path.startswith("../" * depth) and not path.startswith("/") \
            else (folder, path)
        if key not in self.known:
            self.known[key] = self._file(_resolve(page, path))
        return self.known[key], fragment

    def _file(self, target: str | None) -> str | None:
        if target is not None and target not in self.files:
            target = posixpath.join(target, "index.html") if target != "." else "index.html"
        return target if target in self.files else None


def _problem(pages: dict[str, _Page], found: tuple[str | None, str]) -> str | None:
    target, fragment = found
    if target is None:
        return "no such file in the site"
    if fragment and target in pages and fragment not in pages[target].ids:
        return f"no element with id '{fragment}' on {target}"
    return None


def _resolve(page: str, path: str) -> str | None:
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    return None if joined.startswith("..") else joined.lstrip("/") or "."

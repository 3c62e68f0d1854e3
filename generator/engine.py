"""Run the site engine (MkDocs) on the rendered tree, then swap the result in.

The new site is built beside the old one and replaces it only when the
build succeeded, so a failing build leaves the previous site as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from .config import Config, ConfigError
from .sitelinks import broken_links


class BuildFailed(Exception):
    """MkDocs refused the site; the message says why."""


class _Counter(logging.Handler):
    """Prints MkDocs' warnings the way its own CLI does, and counts them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        print(f"{record.levelname:<8} -  {record.getMessage()}", file=sys.stderr)


def build(config: Config, site_dir: Path, strict: bool = True) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if config.mkdocs_file is None:
        raise ConfigError("no mkdocs.yml found: the site needs one")
    site_dir = site_dir.resolve()
    staging = site_dir.parent / f".{site_dir.name}.building-{os.getpid()}"
    _remove_debris(site_dir)
    logger, counter = logging.getLogger("mkdocs"), _Counter()
    logger.addHandler(counter)
    try:
        mk_config = load_config(str(config.mkdocs_file), site_dir=str(staging), strict=strict)
        plugin = mk_config.plugins.get("factbase")
        if plugin is not None:
            plugin.prerendered = True  # the CLI has just checked and rendered
        mkdocs_build(mk_config)
        if strict and counter.count:
            raise BuildFailed(f"{counter.count} warning(s) in strict mode")
        _require_links_resolve(staging)
    except MkDocsException as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(str(err) or type(err).__name__) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(counter)
    swap_in(staging, site_dir)


def _require_links_resolve(site: Path) -> None:
    broken = broken_links(site)
    for link in broken:
        print(f"{link.page}: broken link '{link.target}': {link.reason}", file=sys.stderr)
    if broken:
        raise BuildFailed(f"{len(broken)} broken internal link(s)")


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames; the old tree goes last."""
    old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def _remove_debris(site_dir: Path) -> None:
    """Leftovers of builds that were killed half-way."""
    for pattern in (f".{site_dir.name}.building-*", f".{site_dir.name}.old-*"):
        for path in site_dir.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)


def serve(config: Config, dev_addr: str | None) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    if config.mkdocs_file is None:
        raise ConfigError("no mkdocs.yml found: the site needs one")
    logging.getLogger("mkdocs").addHandler(_Counter())
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    mkdocs_serve(str(config.mkdocs_file), dev_addr=dev_addr, livereload=True)

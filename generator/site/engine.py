"""Run the site engine (MkDocs) on the rendered tree, then swap the result in.

The new site is built beside the old one and replaces it only when the
build succeeded, so a failing build leaves the previous site as it was.
"""

from __future__ import annotations

import ctypes
import logging
import os
import subprocess
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..config import Config, ConfigError
from ..containment import site_folder
from ..gcpause import fewer_collections
from .postprocess import postprocess


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
    site_dir = site_folder(config, site_dir)  # never the project, nor through a link
    staging = site_dir.parent / f".{site_dir.name}.building-{os.getpid()}"
    _pin_build_date(config.root)
    _remove_debris(site_dir)
    logger, counter = logging.getLogger("mkdocs"), _Counter()
    logger.addHandler(counter)
    try:
        mk_config = load_config(str(config.mkdocs_file), site_dir=str(staging), strict=strict)
        plugin = mk_config.plugins.get("factbase")
        if plugin is not None:
            plugin.prerendered = True  # the CLI has just checked and rendered
        with fewer_collections():  # MkDocs builds thousands of element trees
            mkdocs_build(mk_config)
        if strict and counter.count:
            raise BuildFailed(f"{counter.count} warning(s) in strict mode")
        if plugin is None:  # a mkdocs.yml without the plugin: its last step done here
            _postprocess(staging, mk_config, urlsplit(config.site_url).path or "/")
    except MkDocsException as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(str(err) or type(err).__name__) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(counter)
    swap_in(staging, site_dir)


def _postprocess(site: Path, mk_config, base_path: str = "/") -> None:
    broken = postprocess(site, mk_config.theme.dirs, base_path).broken
    for link in broken:
        print(f"{link.page}: broken link '{link.target}': {link.reason}", file=sys.stderr)
    if broken:
        raise BuildFailed(f"{len(broken)} broken internal link(s)")


def swap_in(staging: Path, site_dir: Path) -> None:
    """Put the new site in place so that site_dir always holds a whole site.

    On Linux both trees trade places in one atomic renameat2(RENAME_EXCHANGE);
    elsewhere two renames leave a moment with no site_dir (never a half one).
    """
    if not site_dir.exists():
        staging.rename(site_dir)
        return
    if not _exchange(staging, site_dir):
        old = site_dir.parent / f".{site_dir.name}.old-{os.getpid()}"
        site_dir.rename(old)
        staging.rename(site_dir)
        staging = old
    shutil.rmtree(staging, ignore_errors=True)  # now the previous site


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _pin_build_date(root: Path) -> None:
    """Reproducible builds: MkDocs dates the sitemap by SOURCE_DATE_EPOCH when
    set; if it is not, use the last commit's time, so that two builds of one
    commit are byte-identical whatever day they run."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    try:
        stamp = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, text=True,
                               capture_output=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return
    if stamp.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = stamp


def _remove_debris(site_dir: Path) -> None:
    """Leftovers of builds that were killed half-way."""
    for pattern in (f".{site_dir.name}.building-*", f".{site_dir.name}.old-*"):
        for path in site_dir.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)


def serve(config: Config, dev_addr: str | None) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    if config.mkdocs_file is None:
        raise ConfigError("no mkdocs.yml found: the site needs one")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    mkdocs_serve(str(config.mkdocs_file), dev_addr=dev_addr, livereload=True)

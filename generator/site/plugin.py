"""A thin MkDocs adapter: `plugins: - factbase` in mkdocs.yml.

Under plain `mkdocs build` / `mkdocs serve` (and ProperDocs) it checks and
renders the facts before the engine reads the docs folder, lists each type's
entity pages under that type's section in the nav, puts Factbase's templates
on the theme's search path (`theme`), and at the end of the build runs
`factbase postprocess` on the site (`postprocess`). It only uses the events
MkDocs documents and the public attributes of its config: the work is done
by plain functions that tests call directly.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as MkConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from urllib.parse import urlsplit

from . import hardening
from .. import project, report
from ..config import ConfigError, load_config
from ..lock import BuildLock
from .nav import site_nav
from .needs import add_what_pages_need
from .postprocess import postprocess
from .theme import with_factbase_dirs
from ..rendering.render import RenderError


class FactbaseConfig(MkConfig):
    facts_dir = c.Type(str, default="facts")
    pages_dir = c.Type(str, default="site_src")
    templates_dir = c.Type(str, default="templates")
    overrides_dir = c.Optional(c.Type(str))
    repo_edit_url = c.Optional(c.Type(str))
    disabled = c.ListOfItems(c.Type(str), default=[])
    featured = c.ListOfItems(c.Type(str), default=[])
    key_facts = c.ListOfItems(c.Type(str), default=[])
    nav_max_pages = c.Type(int, default=12)
    strict = c.Optional(c.Type(bool))  # warnings fail the check too (see factbase.config)
    see_also = c.Type(dict, default={})
    licence = c.Optional(c.Type(str))
    licence_url = c.Optional(c.Type(str))
    watch = c.Type(dict, default={})   # read by `factbase watch` (factbase.config)


class FactbasePlugin(BasePlugin[FactbaseConfig]):
    prerendered = False  # set by `factbase build`, which has already rendered
    lock: BuildLock | None = None

    def on_config(self, config):
        project_config = self._project(config)
        if not self.prerendered:
            # Held until the build ends (post_build / build_error / shutdown):
            # a concurrent `factbase build` or `mkdocs build` waits for it.
            # Kept if a failed on_config left it held: serve's next rebuild must not wait on itself.
            self.lock = self.lock or BuildLock(project_config.root)
            try:
                self.lock.acquire()
            except ConfigError as err:
                raise PluginError(str(err)) from None
            _check_and_render(project_config)
        config.nav = expand_nav(site_nav(config.nav, Path(config.docs_dir), project_config),
                                Path(config.docs_dir), project_config.options.nav_max_pages)
        add_what_pages_need(config)
        theme = config.theme
        theme.dirs[:] = with_factbase_dirs(theme.dirs, theme.name, theme.custom_dir)
        return config

    def on_page_content(self, html, page, config, files):
        hardening.inert_titles(page)  # before the search index and the theme read them
        return html

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config):
        try:
            done = postprocess(Path(config.site_dir), config.theme.dirs,
                               urlsplit(config.site_url or "").path or "/")
        finally:
            self._unlock()
        if done.broken:
            raise PluginError(f"{len(done.broken)} broken internal link(s):\n" + "\n".join(
                f"{link.page}: broken link '{link.target}': {link.reason}" for link in done.broken))

    def on_build_error(self, *, error):
        self._unlock()

    def on_shutdown(self):
        self._unlock()

    def _unlock(self):
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def on_serve(self, server, config, builder):
        project_config = self._project(config)
        for folder in ("facts_dir", "templates_dir", "pages_dir", "overrides_dir"):
            name = getattr(project_config.options, folder)
            if name and project_config.path(name).is_dir():
                server.watch(str(project_config.path(name)))
        return server

    def _project(self, config):
        try:
            return load_config(config_file=Path(config.config_file_path))
        except ConfigError as err:
            raise PluginError(str(err)) from None


def _check_and_render(config) -> None:
    try:
        checked = project.check(config)
        if checked.failed(bool(config.options.strict)):  # the verdict `factbase build` gives
            shown = checked.diagnostics if config.options.strict else checked.errors
            raise PluginError("the fact base has problems:\n" + report.text(shown))
        project.render(config, checked.base)
    except ConfigError as err:
        raise PluginError(str(err)) from None
    except RenderError as err:
        raise PluginError(report.text([err.diagnostic])) from None


def expand_nav(nav, docs_dir: Path, max_pages: int = 12):
    """Turn each `Title: folder/index.md` entry into a section listing the folder's pages.

    A folder with more than max_pages pages stays a single entry (its index
    page lists them): Material renders the whole navigation into every page,
    so listing thousands of pages makes the build quadratic."""
    if not nav:
        return nav
    expanded = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, target), = item.items()
            if isinstance(target, str) and target.endswith("/index.md"):
                folder = docs_dir / target.removesuffix("/index.md")
                pages = sorted(p.relative_to(docs_dir).as_posix() for p in folder.glob("*.md")
                               if p.name != "index.md")
                if pages and len(pages) <= max_pages:
                    item = {title: [target, *pages]}
        expanded.append(item)
    return expanded

"""A thin MkDocs adapter: `plugins: - factbase` in mkdocs.yml.

Under plain `mkdocs build` / `mkdocs serve` it checks and renders the facts
before MkDocs reads the docs folder, lists each type's entity pages under
that type's section in the nav, and watches facts/ and templates/. On
sites of hundreds of pages it has MkDocs' Markdown conversion done on every
core (factbase.site.convert). The work is done elsewhere; this class only
calls it.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as MkConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from . import accessibility, hardening, metadata, search
from .. import project, report
from ..config import ConfigError, load_config
from ..lock import BuildLock
from .convert import Converted, convert_all, use, worth_it
from .nav import site_nav
from .needs import add_what_pages_need
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
    converted: dict[str, Converted] = {}
    theme_scripts: list = []

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
        self.theme_scripts = hardening.theme_scripts(config.theme.dirs)
        return config

    def on_nav(self, nav, config, files):
        pages = len(files.documentation_pages())
        self.converted = convert_all(files, config) if worth_it(config, self, pages) else {}
        return nav

    def on_pre_page(self, page, config, files):
        done = self.converted.pop(page.file.src_uri, None)
        if done is not None:
            use(page, done)
        return page

    def on_page_content(self, html, page, config, files):
        hardening.inert_titles(page)  # before the search index and the theme read them
        metadata.describe(page, html)
        return html

    def on_post_page(self, output, page, config):
        output = metadata.head(output, page, config, self.config.licence_url)
        output = accessibility.named_landmarks(output)
        return hardening.with_policy(output, self.theme_scripts)

    def on_post_template(self, output_content, template_name, config):
        if not template_name.endswith(".html"):  # sitemap.xml and the like
            return output_content
        output_content = metadata.unplug_repository_widget(output_content)  # 404.html
        output_content = accessibility.named_landmarks(output_content)  # 404.html
        return hardening.with_policy(output_content, self.theme_scripts)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config):
        search.tune(Path(config.site_dir))
        self._unlock()

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

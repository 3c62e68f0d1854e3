"""The pipeline on a configured project: load → check → render → write.

The CLI and the MkDocs plugin both call these, so they behave the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import checks
from .config import Config, ConfigError
from .diagnostics import Diagnostic, sort_key
from .loader import load
from .model import FactBase
from .render import SiteOptions, render_site
from .writer import WriteStats, sync


@dataclass(frozen=True)
class Checked:
    base: FactBase
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")


def check(config: Config, parser: str = "auto") -> Checked:
    if not config.facts_dir.is_dir():
        raise ConfigError(f"no facts folder at {config.facts_dir}")
    result = load(config.facts_dir, config.root, parser)
    found = [d for d in result.diagnostics + checks.run(result.base)
             if d.code not in config.options.disabled]
    return Checked(result.base, tuple(sorted(found, key=sort_key)))


def site_options(config: Config) -> SiteOptions:
    folders = [config.options.overrides_dir, config.options.templates_dir,
               config.options.pages_dir]
    templates = tuple(config.path(f) for f in folders if f)
    missing = [str(p) for p in templates if not p.is_dir()]
    if missing:
        raise ConfigError(f"template folder(s) not found: {', '.join(missing)}")
    return SiteOptions(templates, config.root, config.options.repo_edit_url,
                       config.site_name, config.site_description, config.options.featured)


def render(config: Config, base: FactBase) -> WriteStats:
    """Render every page and data file, copy hand-written pages, write what changed."""
    generated = render_site(base, site_options(config), _page_templates(config))
    # A hand-written page replaces the generated page at the same path.
    return sync(generated | _hand_written(config.path(config.options.pages_dir)), config.docs_dir)


def _hand_written(pages_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(pages_dir).as_posix(): p.read_bytes()
            for p in sorted(pages_dir.rglob("*")) if p.is_file() and p.suffix != ".j2"}


def _page_templates(config: Config) -> tuple[str, ...]:
    """Hand-written pages that are templates (`*.md.j2`): they may cite facts by id."""
    pages_dir = config.path(config.options.pages_dir)
    return tuple(p.relative_to(pages_dir).as_posix() for p in sorted(pages_dir.rglob("*.j2")))

"""`factbase postprocess SITE_DIR`: the one step that needs the finished HTML.

- the theme's indentation collapsed (`whitespace`), then a Content Security
  Policy on every page, allowing only what the theme's own templates write (`csp`);
- the search index tuned, where the engine wrote MkDocs' search index (`search`);
- every internal link and anchor resolved (`sitelinks`).

The MkDocs plugin calls `postprocess` at the end of a MkDocs or ProperDocs
build; after Zensical, which runs no plugins, it is run as a command. It
is a pure function of the site folder and the theme's template folders,
and running it twice gives the same site.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import csp, search, whitespace
from .sitelinks import BrokenLink, broken_links


@dataclass(frozen=True)
class Postprocessed:
    pages: int                       # HTML files given a policy
    broken: tuple[BrokenLink, ...]   # internal links that resolve to nothing


def postprocess(site_dir: Path, template_dirs: Iterable[str | Path],
                base_path: str = "/") -> Postprocessed:
    theme = csp.theme_scripts(template_dirs)
    pages = 0
    for page in sorted(site_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        done = csp.with_policy(whitespace.collapsed(text), theme)
        if done != text:
            page.write_text(done, encoding="utf-8")
            pages += 1
    search.tune(site_dir)
    return Postprocessed(pages, tuple(broken_links(site_dir, base_path)))


def engine_template_dirs(engine: str, config_file: Path | None) -> list[Path]:
    """The template folders an engine searched, for a site built outside the
    plugin: the project's custom_dir, then the engine's theme."""
    named = custom_dir(config_file)
    custom = [named] if named else []
    if engine == "zensical":
        from importlib.resources import files
        return custom + [Path(str(files("zensical") / "templates"))]
    from mkdocs.config import load_config
    from .theme import with_factbase_dirs
    loaded = load_config(str(config_file)) if config_file else load_config()
    return [Path(d) for d in with_factbase_dirs(list(loaded.theme.dirs), loaded.theme.name,
                                                loaded.theme.custom_dir)]


def custom_dir(config_file: Path | None) -> Path | None:
    """The folder `theme: custom_dir` names in the configuration, if any
    (read as plain YAML: no engine needs to be installed)."""
    if config_file is None or not config_file.is_file():
        return None
    import yaml

    class _Loader(yaml.SafeLoader):
        pass
    # !ENV and the like, and !!python/name: (a fence's format): only read, never run
    for prefix in ("!", "tag:yaml.org,2002:python/"):
        _Loader.add_multi_constructor(prefix, lambda loader, suffix, node: None)
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    theme = data.get("theme")
    folder = theme.get("custom_dir") if isinstance(theme, dict) else None
    return config_file.parent / folder if isinstance(folder, str) else None

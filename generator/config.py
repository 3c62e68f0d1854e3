"""Project configuration: the `factbase` plugin entry of `mkdocs.yml`.

Declared once, typed, unknown keys reported. The CLI and the MkDocs plugin
read the same options, so `factbase build` and `mkdocs build` agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag


class ConfigError(Exception):
    """The project cannot be used as configured (exit code 2)."""


@dataclass(frozen=True)
class WatchFeed:
    """One news feed `factbase watch` reads: `{name: …, url: …}` under `watch: feeds:`.

    `publisher` (optional) is the entity id of whoever publishes the feed: every item
    of ESA's own feed names ESA, so its name there says nothing new about ESA."""

    name: str
    url: str
    publisher: str | None = None


@dataclass(frozen=True)
class WatchOptions:
    """`watch:` in the factbase options: the feeds whose news may call facts into question."""

    feeds: tuple[WatchFeed, ...] = ()


@dataclass(frozen=True)
class Options:
    """The options of `plugins: - factbase:` in mkdocs.yml, with their defaults."""

    facts_dir: str = "facts"          # the fact files
    pages_dir: str = "site_src"       # hand-written pages, copied into the site tree
    templates_dir: str = "templates"  # the Jinja templates of generated pages
    overrides_dir: str | None = None  # a folder whose templates replace same-named ones
    repo_edit_url: str | None = None  # base URL for "edit this file" links to facts
    disabled: tuple[str, ...] = ()    # diagnostic codes not reported (documented choices)
    featured: tuple[str, ...] = ()    # entity ids the home page is about (timelines, diagram)
    key_facts: tuple[str, ...] = ()   # fact ids the home page lists as key facts, chosen by an editor
    nav_max_pages: int = 12           # a section with more pages is one nav entry (its index lists them)
    # Whether warnings fail check, render, build, new, the pre-commit hook and
    # `mkdocs build` too (None: not set, so only errors do). One setting, so a
    # contributor's local run and CI reach the same verdict.
    strict: bool | None = None
    licence: str | None = None        # the content's licence, shown on the data page and in metadata
    licence_url: str | None = None    # its canonical address
    # Links an editor adds to an entity's "See also": entity ids, or {Title: page.md}.
    see_also: tuple[tuple[str, tuple], ...] = ()
    # The news feeds `factbase watch` reads: {feeds: [{name: …, url: …}, …]}.
    watch: WatchOptions = field(default_factory=WatchOptions)


@dataclass(frozen=True)
class Config:
    root: Path
    options: Options
    docs_dir: Path
    site_dir: Path
    mkdocs_file: Path | None
    site_name: str = "Factbase"
    site_description: str = ""
    site_url: str = ""                # mkdocs.yml's site_url: permalinks, the feed, robots.txt
    repo_url: str = ""                # mkdocs.yml's repo_url: "the repository" links

    def path(self, relative: str, what: str | None = None) -> Path:
        """A folder of the project, refused if it lies outside it or is
        reached through a symbolic link (see containment.py)."""
        from .containment import folder
        return folder(self.root, relative, what or f"the folder {relative}")

    @property
    def facts_dir(self) -> Path:
        return self.path(self.options.facts_dir, "the facts folder (facts_dir)")


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without executing its `!!python/name:` or `!ENV` tags."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
# `!ENV [NAME, default]` as MkDocs reads it: the deploy workflow sets the addresses.
_TolerantLoader.add_constructor("!ENV", construct_env_tag)


def find_mkdocs_file(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder / "mkdocs.yml"
    return None


def load_config(root: Path | None = None, config_file: Path | None = None) -> Config:
    config_file = config_file or find_mkdocs_file((root or Path.cwd()).resolve())
    if config_file is None:
        base = (root or Path.cwd()).resolve()
        return Config(base, Options(), base / "build" / "docs", base / "site", None)
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"cannot read {config_file}: {err}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: expected a mapping at the top level")
    base = config_file.parent.resolve()
    repo_url = _url(raw.get("repo_url"))
    options = _options(raw, config_file)
    if options.repo_edit_url is None and repo_url.startswith("https://github.com/"):
        options = replace(options, repo_edit_url=repo_url + "blob/HEAD/")  # the default branch
    return Config(base, options, base / raw.get("docs_dir", "docs"),
                  base / raw.get("site_dir", "site"), config_file,
                  str(raw.get("site_name") or "Factbase"), str(raw.get("site_description") or ""),
                  _url(raw.get("site_url")), repo_url)


def _url(value: Any) -> str:
    """An http(s) address from mkdocs.yml, with its final slash; anything else is none."""
    text = value.strip() if isinstance(value, str) else ""
    return text.rstrip("/") + "/" if text.startswith(("https://", "http://")) else ""


def _options(raw: dict, config_file: Path) -> Options:
    entry = _plugin_entry(raw.get("plugins") or [])
    known = {f.name for f in fields(Options)}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ConfigError(f"{config_file}: unknown factbase option(s): {', '.join(unknown)} "
                          f"(known: {', '.join(sorted(known))})")
    for key in ("disabled", "featured", "key_facts"):
        if key in entry:
            entry[key] = tuple(entry[key] or ())
    if "see_also" in entry:
        entry["see_also"] = _see_also(entry["see_also"], config_file)
    if "watch" in entry:
        entry["watch"] = _watch(entry["watch"], config_file)
    if not isinstance(entry.get("strict", False), bool):
        raise ConfigError(f"{config_file}: factbase option strict must be true or false, "
                          f"not {entry['strict']!r}")
    return Options(**entry)


def _see_also(raw: Any, config_file: Path) -> tuple[tuple[str, tuple], ...]:
    """{entity: [entity id | {Title: page.md}, …]} as hashable pairs, checked for shape."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: see_also must map entity ids to lists of links")
    pairs = []
    for entity, links in raw.items():
        items = []
        for link in links or ():
            if isinstance(link, dict) and len(link) == 1:
                items.append(tuple(map(str, *link.items())))
            elif isinstance(link, str):
                items.append(link)
            else:
                raise ConfigError(f"{config_file}: see_also: {entity}: each link is an entity "
                                  "id or {Title: page.md}")
        pairs.append((str(entity), tuple(items)))
    return tuple(pairs)


def _watch(raw: Any, config_file: Path) -> WatchOptions:
    """`watch: {feeds: [{name: …, url: …}]}`, each feed named and at an http(s) address."""
    where = f"{config_file}: factbase option watch"
    if raw is None:
        return WatchOptions()
    if not isinstance(raw, dict) or set(raw) - {"feeds"}:
        raise ConfigError(f"{where} must be a mapping with one key, feeds "
                          "(e.g. watch: {feeds: [{name: ESA, url: https://…}]})")
    feeds = raw.get("feeds") or []
    if not isinstance(feeds, list):
        raise ConfigError(f"{where}: feeds must be a list of {{name: …, url: …}}")
    return WatchOptions(tuple(_watch_feed(item, n, where) for n, item in enumerate(feeds, 1)))


def _watch_feed(item: Any, number: int, where: str) -> WatchFeed:
    fix = "write it as {name: A name, url: https://…} (and optionally publisher: ENTITY-ID)"
    if not isinstance(item, dict) or not {"name", "url"} <= set(item) <= {"name", "url",
                                                                        "publisher"}:
        raise ConfigError(f"{where}: feed {number} must have a name and a url, and no other "
                          f"key but publisher; {fix}")
    name, url, publisher = item["name"], item["url"], item.get("publisher")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"{where}: feed {number} has no name; {fix}")
    if not isinstance(url, str) or not url.strip().startswith(("https://", "http://")):
        raise ConfigError(f"{where}: feed {number} ({name}): url must be an http(s) address, "
                          f"not {url!r}")
    if publisher is not None and (not isinstance(publisher, str) or not publisher.strip()):
        raise ConfigError(f"{where}: feed {number} ({name}): publisher must be an entity id")
    return WatchFeed(name.strip(), url.strip(), publisher.strip() if publisher else None)


def _plugin_entry(plugins: Any) -> dict:
    items = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) else (p, None) for p in plugins)
    for name, options in items:
        if name == "factbase":
            return dict(options or {})
    return {}

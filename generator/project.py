"""The pipeline on a configured project: load → check → render → write.

The CLI and the MkDocs plugin both call these, so they behave the same.

W791: unused ignore
    A fact's `ignore:` entry names a warning the fact does not raise (any
    more): remove it, so exceptions never pile up unseen.

    Fails:

        ignore:
          - code: W714
            reason: …                # but as_of is not before publication

    Passes:

        # no ignore entry

    Fix: delete the entry.
"""

from __future__ import annotations

import datetime as dt
import pickle
from bisect import bisect_right
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache, checks, parallel
from .config import Config, ConfigError
from .diagnostics import Diagnostic, sort_key
from .gcpause import fewer_collections
from .loader import _folder, display_path, fact_files, load_file, merge
from .model import Fact, FactBase

if TYPE_CHECKING:  # rendering (Jinja) is imported on use, so `check` starts fast
    from .render import SiteOptions
    from .writer import WriteStats


CACHE_DIR = cache.CACHE_DIR
# Parse in worker processes when this many bytes of YAML changed: below it,
# starting workers costs more than the parse (measured on 2 cores).
PARALLEL_PARSE_BYTES = 1_000_000


@dataclass(frozen=True)
class Ignored:
    diagnostic: Diagnostic
    reason: str


@dataclass(frozen=True)
class Checked:
    base: FactBase | None          # None when answered from the cache without the model
    diagnostics: tuple[Diagnostic, ...]
    ignored: tuple[Ignored, ...] = ()
    file_count: int = 0

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    def failed(self, strict: bool = False) -> bool:
        """Errors fail a run; warnings fail it only in strict mode."""
        return bool(self.errors) or (strict and bool(self.diagnostics))


def check(config: Config, parser: str = "auto", today: dt.date | None = None,
          use_cache: bool = True, need_base: bool = True) -> Checked:
    """Load and check the base; unchanged files come from the cache.

    With need_base=False (plain `factbase check`) an unchanged base is answered
    from the cached diagnostics alone, without rebuilding the model."""
    with fewer_collections():
        return _check(config, parser, today, use_cache, need_base)


def _check(config: Config, parser: str, today: dt.date | None, use_cache: bool,
           need_base: bool) -> Checked:
    if not config.facts_dir.is_dir():
        raise ConfigError(f"no facts folder at {config.facts_dir}")
    today = today or dt.date.today()
    store = cache.Store(cache.folder(config.root) if use_cache else None)
    files = [(display_path(p, config.root), _folder(p, config.facts_dir), p.read_bytes())
             for p in fact_files(config.facts_dir)]
    keys = [cache.key(shown, folder, data) for shown, folder, data in files]
    whole = cache.key(keys, today, sorted(config.options.disabled))
    hit = store.get("check.pickle")
    if hit is not None and hit[0] == whole:
        if not need_base:
            return Checked(None, *hit[1:])
        known = store.get("files.pickle") or {}
        if all(k in known for k in keys):  # same files, same answers: skip the checks
            return Checked(merge([pickle.loads(known[k]) for k in keys]).base, *hit[1:])
    checked = _check_files(config, files, keys, store, parser, today)
    store.put("check.pickle", (whole, checked.diagnostics, checked.ignored, checked.file_count))
    return checked


def _check_files(config: Config, files: list, keys: list[str], store: cache.Store,
                 parser: str, today: dt.date) -> Checked:
    known = store.get("files.pickle") or {}  # file key -> pickled FileResult
    missing = [i for i, k in enumerate(keys) if k not in known]
    fresh = parallel.run_jobs(
        [partial(_load_pickled, files[i], parser) for i in missing],
        spread=sum(len(files[i][2]) for i in missing) >= PARALLEL_PARSE_BYTES)
    by_key = {k: known.get(k) for k in keys} | dict(zip((keys[i] for i in missing), fresh))
    if missing:
        store.put("files.pickle", by_key)
    loaded = merge([pickle.loads(by_key[k]) for k in keys])
    found = [d for d in loaded.diagnostics + checks.run(loaded.base, today)
             if d.code not in config.options.disabled]
    kept, ignored = apply_ignores(loaded.base, found)
    return Checked(loaded.base, tuple(sorted(kept, key=sort_key)), tuple(ignored), len(files))


def _load_pickled(file: tuple[str, str | None, bytes], parser: str) -> bytes:
    """One file's result, pickled: what the cache stores and a worker sends back."""
    shown, folder, data = file
    return pickle.dumps(load_file(data, shown, folder, parser), pickle.HIGHEST_PROTOCOL)


def apply_ignores(base: FactBase, found: list[Diagnostic]) -> tuple[list, list]:
    """Set aside warnings a fact documents with `ignore:`; flag ignores never used."""
    starts: dict[str, list[tuple[int, Fact]]] = {}
    for fact in base.facts.values():
        starts.setdefault(fact.span.path, []).append((fact.span.line, fact))
    for entries in starts.values():
        entries.sort(key=lambda entry: entry[0])
    kept, ignored, used = [], [], set()
    for diagnostic in found:
        fact = _enclosing(starts.get(diagnostic.path, []), diagnostic.line)
        rule = next((i for i in fact.ignore if i.code == diagnostic.code), None) if fact else None
        if rule is not None and diagnostic.severity == "warning":
            ignored.append(Ignored(diagnostic, rule.reason))
            used.add((fact.id, rule.code))
        else:
            kept.append(diagnostic)
    kept.extend(_ignore_problems(base, used))
    return kept, ignored


def _enclosing(entries: list[tuple[int, Fact]], line: int) -> Fact | None:
    index = bisect_right([start for start, _ in entries], line) - 1
    return entries[index][1] if index >= 0 else None


def _ignore_problems(base: FactBase, used: set[tuple[str, str]]) -> list[Diagnostic]:
    problems = []
    for fact in base.facts.values():
        for rule in fact.ignore:
            if rule.code.startswith("E"):
                problems.append(Diagnostic.at(rule.span, "E209", f"errors cannot be ignored "
                                              f"({rule.code}); only warnings (W…) can",
                                              "fix the problem instead"))
            elif (fact.id, rule.code) not in used:
                problems.append(Diagnostic.at(rule.span, "W791", f"'{fact.id}' ignores "
                                              f"{rule.code}, which it does not raise",
                                              "remove the ignore entry"))
    return problems


def site_options(config: Config) -> SiteOptions:
    from .render import SiteOptions
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
    from .render import asset_files, render_site
    from .writer import sync
    with fewer_collections():
        generated = render_site(base, site_options(config), _page_templates(config))
        # A hand-written page replaces the generated page at the same path.
        files = generated | asset_files() | _hand_written(config.path(config.options.pages_dir))
        return sync(files, config.docs_dir)


def _hand_written(pages_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(pages_dir).as_posix(): p.read_bytes()
            for p in sorted(pages_dir.rglob("*")) if p.is_file() and p.suffix != ".j2"}


def _page_templates(config: Config) -> tuple[str, ...]:
    """Hand-written pages that are templates (`*.md.j2`): they may cite facts by id."""
    pages_dir = config.path(config.options.pages_dir)
    return tuple(p.relative_to(pages_dir).as_posix() for p in sorted(pages_dir.rglob("*.j2")))

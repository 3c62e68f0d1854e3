"""What `factbase links` remembers: outcomes, the disk cache, the lock, exclusions.

The cache (.factbase-cache/links.json, plus the text of each page under
.factbase-cache/pages/) makes a repeat run within its time-to-live send no
request. The lock (citations.lock.json, committed) holds one entry per address
so that `factbase links --offline` gives the same answer on every machine.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import yaml

from .. import cache, escaping
from ..config import ConfigError

LOCK_FILE = "citations.lock.json"
EXCLUDE_FILE = "links.yaml"
CACHE_DIR = cache.CACHE_DIR
VERSION = 1
NEVER_CHECKED = ("citations.lock.json was written on a machine without network access, so "
                 "this address has never been checked; the scheduled links workflow fills it in")
# Statuses: ok | gone | loop (hard) | soft | unresolved (the host name did not resolve:
# maybe the runner's DNS, so not a verdict) | excluded | unchecked
DEFINITE = ("ok", "gone", "loop")
UNSURE = ("soft", "unresolved", "unchecked")
STATUSES = DEFINITE + UNSURE + ("excluded",)   # excluded: listed in links.yaml, not fetched


@dataclass(frozen=True)
class Outcome:
    """The result for one address, as the cache and the lock store it."""

    status: str
    http_status: int | None = None
    final_url: str | None = None
    moved_to: str | None = None       # the address after its permanent redirects
    content_hash: str | None = None   # sha256 of the normalised text; None if unreadable
    checked: str | None = None        # ISO date of the check that found this result
    reason: str = ""
    quotes: dict[str, str] = field(default_factory=dict)   # quote key -> verdict

    def as_dict(self) -> dict:
        return asdict(self) | {"quotes": dict(sorted(self.quotes.items()))}

    @classmethod
    def from_dict(cls, raw: dict) -> Outcome:
        """An outcome from the lock or the cache, each field of the type it
        must have (a hand-edited `status: 12345` is refused, not trusted)."""
        if not isinstance(raw, dict):
            raise TypeError(f"expected an object, not {type(raw).__name__}")
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        if values.get("status") not in STATUSES:
            raise TypeError(f"status {values.get('status')!r} is not one of "
                            + ", ".join(STATUSES))
        code = values.get("http_status")
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            raise TypeError(f"http_status {code!r} is not a number")
        for name in ("final_url", "moved_to", "content_hash", "checked", "reason"):
            if values.get(name) is not None and not isinstance(values[name], str):
                raise TypeError(f"{name} {values[name]!r} is not text")
        quotes = values.get("quotes", {})
        if not isinstance(quotes, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in quotes.items()):
            raise TypeError("quotes must map each quote's key to its verdict")
        return cls(**values)

    def same_result(self, other: Outcome) -> bool:
        return replace(self, checked=None) == replace(other, checked=None)


def _write_json(path: Path, document: dict) -> None:
    cache.write(path, (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False)
                       + "\n").encode("utf-8"), mode=0o644)


def _read_json(path: Path, what: str) -> dict:
    if not path.is_file():
        return {}
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"cannot read the {what} {path}: {err}") from None
    except RecursionError:   # [[[[… nested thousands deep: no lock file is
        raise ConfigError(f"cannot read the {what} {path}: nested too deeply to be one; "
                          "restore it from git, or delete it and run with --update-lock") from None
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a JSON object")
    return document


# --- lock ----------------------------------------------------------------------

def read_lock(root: Path) -> dict[str, Outcome]:
    document = _read_json(root / LOCK_FILE, "citation lock")
    urls = document.get("urls", {})
    if not isinstance(urls, dict):
        raise ConfigError(f"{root / LOCK_FILE}: 'urls' must be an object of address: result")
    outcomes = {}
    for url, raw in urls.items():
        try:
            outcomes[url] = Outcome.from_dict(raw)
        except TypeError as err:
            raise ConfigError(f"{root / LOCK_FILE}: the entry for {escaping.log(url)[:200]} is "
                              f"malformed ({err}); restore it from git, or run "
                              "'factbase links --update-lock' to check it again") from None
    return outcomes


def write_lock(root: Path, entries: dict[str, Outcome]) -> None:
    _write_json(root / LOCK_FILE, {"version": VERSION, "urls": {
        url: entries[url].as_dict() for url in sorted(entries)}})


def merge_lock(old: dict[str, Outcome], found: dict[str, Outcome]) -> dict[str, Outcome]:
    """The new lock: today's results, except that a soft or unresolved failure keeps
    a definite old result and an unchanged result keeps the date it was first seen."""
    merged = {}
    for url, outcome in found.items():
        before = old.get(url)
        if outcome.status == "unchecked":
            outcome = replace(outcome, reason=NEVER_CHECKED)
        if before and outcome.status in UNSURE and before.status != "unchecked":
            merged[url] = before
        elif before and before.same_result(outcome):
            merged[url] = before
        else:
            merged[url] = outcome
    return merged


def lock_changes(old: dict[str, Outcome], new: dict[str, Outcome]) -> list[str]:
    lines = [f"+ {url} ({new[url].status})" for url in sorted(new.keys() - old.keys())]
    lines += [f"- {url}" for url in sorted(old.keys() - new.keys())]
    for url in sorted(old.keys() & new.keys()):
        before, after = old[url], new[url]
        if before.status != after.status:
            lines.append(f"~ {url}: status {before.status} -> {after.status}")
        elif before.content_hash != after.content_hash:
            lines.append(f"~ {url}: content changed")
        elif not before.same_result(after):
            lines.append(f"~ {url}: redirect or quote results changed")
    return lines


# --- cache ---------------------------------------------------------------------

class Cache:
    """Definite outcomes with the time they were fetched, and page texts by hash.
    Without a usable cache folder (see cache.folder) it remembers nothing."""

    def __init__(self, root: Path) -> None:
        self.folder = cache.folder(root)
        self.file = self.folder / "links.json" if self.folder else None
        self.entries: dict[str, dict] = (_read_json(self.file, "link cache").get("urls", {})
                                         if self.file else {})

    def get(self, url: str, ttl: float | None) -> Outcome | None:
        """A cached outcome younger than `ttl` seconds (any age when ttl is None)."""
        raw = self.entries.get(url)
        if not isinstance(raw, dict) or not isinstance(raw.get("fetched_at"), (int, float)):
            return None
        if ttl is not None and time.time() - raw["fetched_at"] > ttl:
            return None
        try:
            return Outcome.from_dict(raw)
        except TypeError:   # the cache is disposable: a damaged entry is fetched again
            return None

    def put(self, url: str, outcome: Outcome, text: str | None) -> None:
        if outcome.status not in DEFINITE:
            return
        self.entries[url] = outcome.as_dict() | {"fetched_at": time.time()}
        path = self._page(outcome.content_hash)
        if text is not None and path is not None:
            path.parent.mkdir(exist_ok=True)
            if not path.parent.is_symlink():
                cache.write(path, text.encode("utf-8"))

    def text(self, outcome: Outcome) -> str | None:
        path = self._page(outcome.content_hash)
        data = cache.read(path) if path and not path.parent.is_symlink() else None
        return data.decode("utf-8", "replace") if data is not None else None

    def save(self) -> None:
        if self.file:
            _write_json(self.file, {"version": VERSION, "urls": self.entries})

    def _page(self, content_hash: str | None) -> Path | None:
        """The file of a page's text; None unless the hash is hex (it is read from
        links.json, which must not name a path)."""
        digest = (content_hash or "").split(":")[-1]
        if self.folder is None or not re.fullmatch(r"[0-9a-f]{64}", digest):
            return None
        return self.folder / "pages" / (digest + ".txt")


# --- exclusions ----------------------------------------------------------------

@dataclass(frozen=True)
class Exclusion:
    url_prefix: str
    reason: str


def read_exclusions(root: Path) -> tuple[Exclusion, ...]:
    """`links.yaml`: `exclude: [{url_prefix: ..., reason: ...}]`, a reason each."""
    path = root / EXCLUDE_FILE
    if not path.is_file():
        return ()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError(f"cannot read {path}: {err}") from None
    if not isinstance(raw, dict) or set(raw) - {"exclude"}:
        raise ConfigError(f"{path}: expected a mapping with one key, 'exclude'")
    return tuple(_exclusion(path, item) for item in raw.get("exclude") or [])


def _exclusion(path: Path, item: object) -> Exclusion:
    if not isinstance(item, dict) or set(item) != {"url_prefix", "reason"}:
        raise ConfigError(f"{path}: each exclusion needs exactly 'url_prefix' and 'reason' "
                          f"(got {item!r})")
    prefix, reason = item["url_prefix"], item["reason"]
    if not isinstance(prefix, str) or not prefix.startswith(("http://", "https://")):
        raise ConfigError(f"{path}: url_prefix must be an http(s) address, not {prefix!r}")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{path}: the exclusion of {prefix} needs a reason")
    return Exclusion(prefix, reason.strip())


def excluded(url: str, exclusions: tuple[Exclusion, ...]) -> Exclusion | None:
    return next((e for e in exclusions if url.startswith(e.url_prefix)), None)

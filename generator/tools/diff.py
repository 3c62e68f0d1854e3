"""`factbase diff`: what a change does to the fact base, record by record.

Both sides are read the way the change log reads a commit (every fact file
parsed with the loader's hardened parser, records compared by id, the same
classification: `rendering.changes.classify`), then described in more
detail for a reviewer: which fields changed and from what to what, which
citations came and went, and which records were only renamed (the same
content under a new id). Neither side is trusted: a file that does not
parse on either side stops the diff with an error naming the commit and the
file, rather than reporting its records as removed.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config
from ..loading import files
from ..rendering import changes

WORKING_TREE = "the working tree"
MAIN_BRANCHES = ("main", "origin/main", "master", "origin/master")


class DiffError(Exception):
    """A side that cannot be read: the message names the commit and the file."""


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str | None    # None: the field was not there
    new: str | None


@dataclass(frozen=True)
class RecordChange:
    kind: str           # added, removed, changed, superseded, disputed or renamed
    record: str         # fact, entity, source or property
    id: str
    subject: str | None = None
    old_id: str | None = None                # renamed: the id it had
    fields: tuple[FieldChange, ...] = ()
    cites_added: tuple[str, ...] = ()
    cites_removed: tuple[str, ...] = ()
    by: tuple[str, ...] = ()                 # superseded: the facts that supersede it
    page: str | None = None                  # the page showing it, relative to the site
    text: str | None = None                  # added or removed: its statement, title or name


@dataclass(frozen=True)
class Side:
    label: str          # a short commit id, or "the working tree"
    records: dict       # (kind, id) -> the record as plain values
    folders: dict       # entity type -> the section folder its pages are in


@dataclass(frozen=True)
class Diff:
    base: str
    head: str
    changes: tuple[RecordChange, ...]

    def counts(self) -> dict[str, int]:
        """"fact added" -> 2, …, and "citation added"/"citation removed"."""
        found: dict[str, int] = {}
        for c in self.changes:
            found[f"{c.record} {c.kind}"] = found.get(f"{c.record} {c.kind}", 0) + 1
        for c in self.changes:
            for what, n in (("added", len(c.cites_added)), ("removed", len(c.cites_removed))):
                if n:
                    found[f"citation {what}"] = found.get(f"citation {what}", 0) + n
        return found


def diff(config: Config, base: str | None = None, head: str | None = None) -> Diff:
    """The change from BASE (default: the merge base with the main branch) to
    HEAD (default: the working tree)."""
    top = _toplevel(config.root)
    base = base or _merge_base(top)
    before = _commit_side(top, config, base)
    after = _commit_side(top, config, head) if head else _tree_side(config)
    return Diff(before.label, after.label, tuple(compare(before, after)))


def compare(before: Side, after: Side) -> list[RecordChange]:
    classified = changes.classify(before.records, after.records)
    renamed = _renames(before.records, after.records, classified)
    gone = {old for old, _ in renamed.values()}
    found = []
    for c in classified:
        key = (c.record, c.id)
        if key in gone or (c.kind == "added" and key in renamed):
            continue
        old = before.records.get(key)
        new = after.records.get(key)
        found.append(_described(c.kind, c.record, c.id, old, new, after, before))
    for key, (old_key, _) in sorted(renamed.items()):
        found.append(_described("renamed", key[0], key[1], before.records[old_key],
                                after.records[key], after, before, old_id=old_key[1]))
    order = {"fact": 0, "source": 1, "entity": 2, "property": 3}
    return sorted(found, key=lambda c: (order.get(c.record, 9), c.id))


def _described(kind: str, record: str, ident: str, old: dict | None, new: dict | None,
               after: Side, before: Side, old_id: str | None = None) -> RecordChange:
    now = new or old or {}
    subject = now.get("subject") if isinstance(now.get("subject"), str) else None
    fields, added, removed = (), (), ()
    if old is not None and new is not None:
        fields = tuple(_fields(old, new))
        olds, news = _cites(old), _cites(new)
        added = tuple(c for c in news if c not in olds)
        removed = tuple(c for c in olds if c not in news)
    by = ()
    if kind == "superseded":
        by = tuple(sorted(k[1] for k, r in after.records.items()
                          if k[0] == "fact" and ident in changes._ids(r.get("supersedes"))))
    side = after if new is not None else before
    return RecordChange(kind, record, ident, subject, old_id, fields, added, removed, by,
                        _page(record, ident, now, side),
                        _words(now) if kind in ("added", "removed") else None)


def _words(record: dict) -> str | None:
    """What a reviewer reads of a record that came or went: a fact's
    statement, a source's title, an entity's name."""
    for key in ("statement", "title", "name"):
        if isinstance(record.get(key), str):
            return record[key]
    return None


def _renames(before: dict, after: dict, classified) -> dict:
    """(kind, new id) -> ((kind, old id), content) for each added record whose
    content, id aside, equals that of a removed record of the same kind."""
    removed = {}
    for c in classified:
        if c.kind == "removed":
            removed.setdefault((c.record, _content(before[(c.record, c.id)])), (c.record, c.id))
    found = {}
    for c in classified:
        if c.kind == "added":
            old = removed.pop((c.record, _content(after[(c.record, c.id)])), None)
            if old is not None:
                found[(c.record, c.id)] = (old, None)
    return found


def _content(record: dict) -> str:
    return json.dumps({k: v for k, v in record.items() if k != "id"}, sort_keys=True)


def _fields(old: dict, new: dict):
    for name in [*old, *(k for k in new if k not in old)]:
        if name in ("cite", "id"):
            continue
        if old.get(name) != new.get(name):
            yield FieldChange(name, _text(old.get(name)), _text(new.get(name)))


def _cites(record: dict) -> tuple[str, ...]:
    items = record.get("cite")
    found = []
    for item in items if isinstance(items, tuple) else ():
        if isinstance(item, dict):
            source, locator = item.get("source"), item.get("locator")
            found.append(f"{_text(source)}" + (f" ({_text(locator)})" if locator else ""))
    return tuple(found)


def _text(value: Any) -> str | None:
    """A value as one line: scalars as written, lists and mappings compactly."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _page(record: str, ident: str, now: dict, side: Side) -> str | None:
    """The page (relative to the site, directory URLs) that shows the record."""
    if record == "source":
        return f"sources/{ident}/"
    if record == "entity" and isinstance(now.get("type"), str):
        folder = side.folders.get(now["type"])
        return f"{folder}/{ident}/" if folder else None
    if record == "fact" and isinstance(now.get("subject"), str):
        subject = side.records.get(("entity", now["subject"]), {})
        folder = side.folders.get(subject.get("type")) if isinstance(subject, dict) else None
        return f"{folder}/{now['subject']}/#{ident}" if folder else None
    return None


# Reading the two sides ----------------------------------------------------------

def _tree_side(config: Config) -> Side:
    listed = files.scan(config.facts_dir.resolve(), config.root)
    if listed.problems:
        d = listed.problems[0]
        raise DiffError(f"{WORKING_TREE}: {d.path}:{d.line}:{d.col}: {d.code} {d.message}")
    contents = {}
    for path in listed.files:
        if path.suffix in (".yaml", ".yml"):
            shown = files.shown_path(path, config.root)
            try:
                contents[shown] = files.read(path, shown)
            except files.Refused as err:
                d = err.diagnostic
                raise DiffError(f"{WORKING_TREE}: {d.path}: {d.code} {d.message}") from None
    return _side(WORKING_TREE, contents)


def _commit_side(top: Path, config: Config, commit: str) -> Side:
    try:
        sha = _git(top, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}").strip()
    except DiffError:
        raise DiffError(f"unknown commit {commit!r} (a branch, tag or commit id of this "
                        "repository)") from None
    folder = config.facts_dir.resolve().relative_to(top.resolve()).as_posix()
    listing = _git(top, "-c", "core.quotepath=off", "ls-tree", "-r", "-z", sha, "--", folder)
    blobs = {}
    for entry in listing.split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and path.endswith((".yaml", ".yml")):
            blobs[path] = parts[2]
    data = changes._blobs(top, set(blobs.values()))
    prefix = config.root.resolve().relative_to(top.resolve()).as_posix()
    shown = {(p[len(prefix) + 1:] if prefix != "." else p): data.get(b, b"")
             for p, b in blobs.items()}
    return _side(sha[:12], shown)


def _side(label: str, contents: dict[str, bytes]) -> Side:
    records, folders = {}, {}
    for path, data in sorted(contents.items()):
        top, problem = changes.parse_file(data, path)
        if problem:
            where = "in" if label == WORKING_TREE else "at commit"
            raise DiffError(f"{where} {label}: {problem.path}:{problem.line}:{problem.col}: "
                            f"{problem.code} {problem.message}")
        records.update(changes.records_of(top))
        folders.update(_folders(top))
    return Side(label, records, folders)


def _folders(top: dict) -> dict[str, str]:
    """The entity types each section of types.yaml holds (its id is the folder)."""
    found = {}
    sections = top.get("sections")
    for section in sections if isinstance(sections, tuple) else ():
        if isinstance(section, dict) and isinstance(section.get("id"), str):
            types = section.get("types")
            for kind in types if isinstance(types, tuple) else ():
                if isinstance(kind, str):
                    found.setdefault(kind, section["id"])
    return found


def _toplevel(root: Path) -> Path:
    return Path(_git(root, "rev-parse", "--show-toplevel").strip())


def _merge_base(top: Path) -> str:
    for branch in MAIN_BRANCHES:
        try:
            return _git(top, "merge-base", "HEAD", branch).strip()
        except DiffError:
            continue
    raise DiffError("no main branch to compare with (tried " + ", ".join(MAIN_BRANCHES)
                    + "): name the base commit, as in 'factbase diff origin/main'")


def _git(cwd: Path, *args: str) -> str:
    try:
        return changes._git(cwd, *args).decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError) as err:
        what = str(err).strip().splitlines()
        raise DiffError(f"git {args[0]} failed: {what[0] if what else 'no output'}"
                        " (is this a git checkout, and does the commit exist?)") from None

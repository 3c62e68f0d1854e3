"""What changed in the fact base, read from the git history of its folder.

Read once per render, for the recent-changes page, its Atom feed and each
page's "last changed" date: the date of the newest commit that added or
changed one of the records the page shows. Commit dates, never the build
clock, so two builds of one commit are identical; edits not yet committed
do not count.

A commit's changes are found by parsing each changed fact file before and
after it (with the loader's hardened YAML parser) and comparing records by
id, so a record moved between files is not a change, and an edit anywhere
in a record is one. Without git, outside a repository, or in a shallow
clone (CI's default checkout) there is no history to read: `reason` says
why, and pages say so instead of guessing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..loading import yamlsource

LIMIT = 500            # commits read: bounded, however long the history grows
RECORD_KINDS = {"facts": "fact", "entities": "entity", "sources": "source",
                "properties": "property"}
GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Change:
    kind: str                  # added, changed, superseded, disputed or removed
    record: str                # fact, entity, source or property
    id: str
    subject: str | None = None  # a fact's subject, for linking to it


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str                  # the committer date, ISO 8601 with its offset
    message: str               # the first line of the commit message
    changes: tuple[Change, ...]

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True)
class History:
    commits: tuple[Commit, ...] = ()   # newest first; only those that changed a record
    reason: str = ""                   # why there is no history, when there is none
    last_changed: dict[str, str] = field(default_factory=dict)  # "kind:id" -> YYYY-MM-DD
    limit: int = LIMIT

    @property
    def available(self) -> bool:
        return not self.reason

    def updated(self, keys) -> str | None:
        """The newest change date of any of these records ("fact:id", …)."""
        return max((self.last_changed[k] for k in keys if k in self.last_changed), default=None)


NO_HISTORY = History(reason="the site was rendered without reading the repository's history")


def read(root: Path, facts_dir: Path, limit: int = LIMIT) -> History:
    """The history of facts_dir, or a History saying why there is none."""
    if shutil.which("git") is None:
        return History(reason="git was not available where the site was built")
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
        if _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true":
            return History(reason="the site was built from a shallow clone, which has no "
                                  "history (check out with fetch-depth: 0)")
        folder = facts_dir.resolve().relative_to(top.resolve()).as_posix()
        log = _git(top, "-c", "core.quotepath=off", "log", f"-n{limit}", "--no-renames",
                   "--raw", "--no-abbrev", "--format=%x1e%H%x1f%cI%x1f%s", "--", folder)
    except (OSError, subprocess.SubprocessError, ValueError, UnicodeDecodeError):
        return History(reason="the fact files are not in a git checkout")
    commits = _parse_log(log.decode("utf-8", "replace"))
    blobs = _blobs(top, {b for c in commits for _, old, new in c[3] for b in (old, new)})
    found = [_commit(c, blobs) for c in commits]
    found = [c for c in found if c.changes]
    last: dict[str, str] = {}
    for commit in reversed(found):  # oldest first: the newest date wins
        for change in commit.changes:
            last[f"{change.record}:{change.id}"] = commit.day
    return History(tuple(found), "", last, limit)


def _git(cwd: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True,
                          timeout=GIT_TIMEOUT, env=env, check=False)
    if done.returncode != 0:
        raise subprocess.SubprocessError(done.stderr.decode("utf-8", "replace"))
    return done.stdout


_ZERO = "0" * 40


def _parse_log(text: str) -> list[tuple[str, str, str, list[tuple[str, str, str]]]]:
    """(sha, date, message, [(path, old blob, new blob)]) for each commit."""
    commits = []
    for chunk in text.split("\x1e")[1:]:
        header, _, raw = chunk.partition("\n")
        sha, date, message = (header.split("\x1f") + ["", ""])[:3]
        files = []
        for line in raw.splitlines():
            meta, _, path = line.partition("\t")
            parts = meta.split()
            if line.startswith(":") and len(parts) >= 4 and path.endswith((".yaml", ".yml")):
                files.append((path, parts[2], parts[3]))
        commits.append((sha, date, message, files))
    return commits


def _blobs(top: Path, wanted: set[str]) -> dict[str, bytes]:
    """Every blob's content, from one `git cat-file --batch`."""
    wanted.discard(_ZERO)
    if not wanted:
        return {}
    ids = sorted(wanted)
    out = _git(top, "cat-file", "--batch", data="".join(f"{i}\n" for i in ids).encode())
    blobs, at = {}, 0
    while at < len(out):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3:  # "<id> blob <size>"; "<id> missing" has no content
            size = int(header[2])
            blobs[header[0].decode()] = out[at:at + size]
            at += size + 1
    return blobs


def _commit(entry, blobs: dict[str, bytes]) -> Commit:
    sha, date, message, files = entry
    before: dict[tuple[str, str], dict] = {}
    after: dict[tuple[str, str], dict] = {}
    for path, old, new in files:
        old_records, new_records = _records(blobs, old, path), _records(blobs, new, path)
        if old_records is None or new_records is None:
            continue  # a side that does not parse says nothing reliable about the other
        before.update(old_records)
        after.update(new_records)
    message = " ".join(message.split())
    message = message if len(message) <= 200 else message[:199].rsplit(" ", 1)[0] + " …"
    return Commit(sha, date, message, tuple(classify(before, after)))


def classify(before: dict, after: dict) -> list[Change]:
    """What happened to each record, given the records by (kind, id) before
    and after: the change log's classification, shared with `factbase diff`."""
    changes = []
    newly_superseded = {old for key, rec in after.items() if key[0] == "fact"
                        for old in _ids(rec.get("supersedes"))
                        if old not in _ids(before.get(key, {}).get("supersedes"))}
    for key in sorted(before.keys() | after.keys()):
        kind, ident = key
        old, new = before.get(key), after.get(key)
        status = (new or {}).get("status")
        if new is None:
            what = "removed"
        elif old is None:
            what = "added"
        elif old == new:
            if not (kind == "fact" and ident in newly_superseded):
                continue
            what = "superseded"
        elif status in ("superseded", "disputed") and old.get("status") != status:
            what = status
        elif kind == "fact" and ident in newly_superseded:
            what = "superseded"
        else:
            what = "changed"
        changes.append(Change(what, kind, ident, (new or old).get("subject")))
    # A fact another fact now supersedes changes status, though its own lines did not.
    for ident in sorted(newly_superseded):
        if ("fact", ident) not in before and ("fact", ident) not in after:
            changes.append(Change("superseded", "fact", ident))
    return changes


def _ids(value: Any) -> tuple:
    """`supersedes:` as written: one id or a list of them."""
    return value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ()


def _records(blobs: dict[str, bytes], blob: str, path: str) -> dict | None:
    """A file's records by (kind, id); {} for a file that did not exist; None
    for one that cannot be read (hostile or broken YAML is never trusted)."""
    if blob == _ZERO:
        return {}
    data = blobs.get(blob)
    if data is None:
        return None
    top, problem = parse_file(data, path)
    return None if problem else records_of(top)


def parse_file(data: bytes, path: str) -> tuple[dict, Diagnostic | None]:
    """A fact file's top level as plain values, or why it cannot be read
    (with the loader's hardened parser: a file's text is never trusted)."""
    parsed = yamlsource.parse(data, path)
    if parsed.diagnostics:
        return {}, parsed.diagnostics[0]
    if not isinstance(parsed.root, yamlsource.Mapping):
        return {}, Diagnostic(path, 1, 1, "E201", "the file's top level is not a mapping of keys to values")
    return _plain(parsed.root), None


def records_of(top: dict) -> dict:
    """A parsed file's records by (kind, id), each with its fact's subject."""
    records = {}
    for key, kind in RECORD_KINDS.items():
        items = top.get(key)
        for item in items if isinstance(items, tuple) else ():
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                if kind == "fact" and "subject" not in item and isinstance(top.get("subject"), str):
                    item = {**item, "subject": top["subject"]}
                records[(kind, item["id"])] = item
    return records


def _plain(node: yamlsource.Node) -> Any:
    """A node tree as plain values: scalars as the text written."""
    if isinstance(node, yamlsource.Scalar):
        return node.text
    if isinstance(node, yamlsource.Sequence):
        return tuple(_plain(n) for n in node.items)
    return {k.text: _plain(v) for k, v in node.items}

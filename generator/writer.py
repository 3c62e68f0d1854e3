"""Write generated files into a folder the generator owns, touching only
what changed: unchanged files keep their timestamps (so `mkdocs serve`
does not rebuild forever) and files no longer generated are removed.

A render that fails part-way leaves the folder as it was: new files are
written as they are made (nobody could be relying on them yet) and removed
again if another file fails; replacements of existing files wait until
every file is made. So no process holds the rendered site in memory."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Union
from collections.abc import Callable, Mapping

from . import parallel

Content = Union[str, bytes]


@dataclass(frozen=True)
class WriteStats:
    written: int
    removed: int
    unchanged: int


def sync(files: Mapping[str, Content | Callable[[], Content]], out_dir: Path) -> WriteStats:
    """Make every file (a value, or a function rendering it) and write the ones
    whose bytes changed. If any file cannot be made, the folder is left as it was."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [_inside(out_dir, relative) for relative in files]
    jobs = [partial(_make, make, target) for make, target in zip(files.values(), targets)]
    outcomes = parallel.run_jobs(jobs, then=lambda i, made: _commit(targets[i], made),
                                 undo=lambda i, made: _undo(targets[i], made, out_dir))
    removed = _prune(out_dir, set(targets))
    return WriteStats(outcomes.count(True), removed, outcomes.count(False))


# What making a file left to do once every file is made: nothing (its bytes
# were already there), nothing but count it (a new file, written at once:
# there was nothing to protect), or replace it with the bytes held.
_UNCHANGED, _CREATED = "unchanged", "created"


def _make(make: Content | Callable[[], Content], target: Path) -> str | bytes:
    content = make() if callable(make) else make
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with open(target, "rb") as handle:
            return _UNCHANGED if handle.read() == data else data
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_new(target, data)
        return _CREATED


def _commit(target: Path, made: str | bytes) -> bool:
    """Finish one file; True if it was written."""
    if isinstance(made, bytes):
        _replace(target, made)
        return True
    return made == _CREATED


def _undo(target: Path, made: str | bytes, out_dir: Path) -> None:
    """Take back a file created before another failed, and folders left empty."""
    if made != _CREATED:
        return
    target.unlink(missing_ok=True)
    folder = target.parent
    try:
        while folder != out_dir and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError:
        pass  # another process undoing its share took it, or filled it


def _inside(out_dir: Path, relative: str) -> Path:
    """The target path, refusing anything that would land outside out_dir.
    (Checked on the path's text: the paths are made from ids and file names.)"""
    parts = PurePosixPath(relative).parts
    if not parts or PurePosixPath(relative).is_absolute() or ".." in parts:
        raise ValueError(f"refusing to write outside {out_dir}: {relative}")
    return out_dir.joinpath(*parts)


def _write_new(target: Path, data: bytes) -> None:
    """A file that did not exist: nothing to protect, so written in place
    (a write cut short leaves a file the next sync sees differs and rewrites)."""
    with open(target, "xb") as handle:
        handle.write(data)
    os.chmod(target, 0o644)  # whatever the umask: pages are meant to be read by anyone


def _replace(target: Path, data: bytes) -> None:
    """An existing file is replaced whole, so a reader never sees half of it."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; pages are meant to be read by anyone
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(out_dir: Path, keep: set[Path]) -> int:
    """Remove what is no longer generated; dotfiles (.gitignore) stay."""
    removed = 0
    for path in sorted(out_dir.rglob("*"), reverse=True):
        if path.name.startswith("."):
            continue
        if path.is_file() and path not in keep:
            path.unlink()
            removed += 1
        elif path.is_dir() and path != out_dir and not any(path.iterdir()):
            path.rmdir()
    return removed

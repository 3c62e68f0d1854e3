"""Write generated files into a folder the generator owns, touching only
what changed: unchanged files keep their timestamps (so `mkdocs serve`
does not rebuild forever) and files no longer generated are removed."""

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
    whose bytes changed. Nothing is written unless every file could be made."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [_inside(out_dir, relative) for relative in files]
    jobs = [partial(_changed, make, target) for make, target in zip(files.values(), targets)]
    outcomes = parallel.run_jobs(jobs, then=lambda i, data: _write(targets[i], data))
    removed = _prune(out_dir, set(targets))
    return WriteStats(outcomes.count(True), removed, outcomes.count(False))


def _changed(make: Content | Callable[[], Content], target: Path) -> bytes | None:
    """The file's new bytes, or None if it already holds them. (Held until
    every file is made: as UTF-8, not str, and only when changed.)"""
    content = make() if callable(make) else make
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with open(target, "rb") as handle:
            if handle.read() == data:
                return None
    except FileNotFoundError:
        pass
    return data


def _write(target: Path, data: bytes | None) -> bool:
    """Write the file if it changed; True if written."""
    if data is None:
        return False
    try:
        _write_new(target, data)
    except FileExistsError:
        _replace(target, data)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_new(target, data)
    return True


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

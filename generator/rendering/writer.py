"""Write generated files into a folder the generator owns, touching only
what changed: unchanged files keep their timestamps (so `mkdocs serve`
does not rebuild forever) and files no longer generated are removed.

A render that fails part-way, or a disk that fills up, leaves the folder as
it was, byte for byte. Every file is made first: a new file is written in
place (nobody could be relying on it yet), a replacement is written to a
temporary file beside its target. Only when every file everywhere is made
are the replacements renamed in, by this process, keeping each old file
until the last is in; if any step fails, new files, temporary files and
replaced files are all taken back. So no process holds the rendered site in
memory, and a failure is reported as `WriteFailed` naming the file.

The folder is the generator's own: a symbolic link found in it (committed,
or planted) is removed, never written through or left for MkDocs to copy."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Union
from collections.abc import Callable, Iterator, Mapping

from .. import parallel

Content = Union[str, bytes]


class WriteFailed(Exception):
    """A file could not be written (a full disk, a folder not writable)."""

    def __init__(self, path: Path, reason: str):
        super().__init__(path, reason)  # the arguments: survives pickling from a worker
        self.path, self.reason = path, reason

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


@dataclass(frozen=True)
class WriteStats:
    written: int
    removed: int
    unchanged: int


def sync(files: Mapping[str, Content | Callable[[], Content]], out_dir: Path) -> WriteStats:
    """Make every file (a value, or a function rendering it) and write the ones
    whose bytes changed. If any file cannot be made or written, the folder is
    left as it was."""
    out_dir = out_dir.resolve()
    with _naming(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        _remove_links(out_dir)
    targets = [_inside(out_dir, relative) for relative in files]
    jobs = [partial(_make, make, target, out_dir) for make, target in zip(files.values(), targets)]
    made = parallel.run_jobs(jobs, undo=lambda i, made: _undo(targets[i], made, out_dir))
    try:
        _commit([(target, temp) for target, temp in zip(targets, made)
                 if isinstance(temp, Path)])
    except BaseException:
        for target, outcome in zip(targets, made):
            _undo(target, outcome, out_dir)
        raise
    with _naming(out_dir):
        removed = _prune(out_dir, set(targets))
    written = sum(1 for outcome in made if outcome != _UNCHANGED)
    return WriteStats(written, removed, len(made) - written)


# What making a file left to do: nothing (its bytes were already there),
# nothing but count it (a new file, written at once: there was nothing to
# protect), or rename the temporary file holding its new bytes over it.
_UNCHANGED, _CREATED = "unchanged", "created"


@contextmanager
def _naming(path: Path) -> Iterator[None]:
    """An OSError (ENOSPC, EACCES, …) becomes WriteFailed naming the file."""
    try:
        yield
    except OSError as err:
        raise WriteFailed(path, err.strerror or str(err)) from None


def _make(make: Content | Callable[[], Content], target: Path, out_dir: Path) -> str | Path:
    content = make() if callable(make) else make
    data = content.encode("utf-8") if isinstance(content, str) else content
    with _naming(target):
        try:
            with open(target, "rb") as handle:
                return _UNCHANGED if handle.read() == data else _temporary(target, data)
        except FileNotFoundError:
            pass
        try:
            _write_new(target, data)
        except BaseException:  # cut short: this file and its new folders go
            _undo(target, _CREATED, out_dir)
            raise
        return _CREATED


def _commit(replacements: list[tuple[Path, Path]]) -> None:
    """Rename every temporary file over its target, keeping each old file
    under another name until all are in; on any failure put them all back."""
    kept: list[tuple[Path, Path]] = []
    try:
        for target, temp in replacements:
            old = temp.with_name(temp.name + ".old")
            with _naming(target):
                os.replace(target, old)
                kept.append((target, old))
                os.replace(temp, target)
    except BaseException:
        for target, old in reversed(kept):
            os.replace(old, target)  # a rename in the same folder: needs no space
        raise
    for _, old in kept:
        old.unlink()


def _undo(target: Path, made: str | Path, out_dir: Path) -> None:
    """Take back what making a file did: a temporary file, or a file created
    (and folders left empty) before another failed."""
    if isinstance(made, Path):
        made.unlink(missing_ok=True)
        return
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
    (and removed by the caller if the write is cut short)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = open(target, "xb")
    except FileNotFoundError:
        # Another process, whose share of the pages failed, took back the
        # folder it had just made for a page of its own: make it again.
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(target, "xb")
    with handle:
        handle.write(data)
    os.chmod(target, 0o644)  # whatever the umask: pages are meant to be read by anyone


def _temporary(target: Path, data: bytes) -> Path:
    """The new bytes of an existing file, beside it, for `_commit` to rename in."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temp, 0o644)  # mkstemp creates 0600; pages are meant to be read by anyone
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _remove_links(out_dir: Path) -> None:
    for here, folders, names in os.walk(out_dir):  # does not follow links
        for name in folders + names:
            if os.path.islink(os.path.join(here, name)):
                os.unlink(os.path.join(here, name))


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

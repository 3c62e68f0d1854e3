"""Write generated files into a folder the generator owns, touching only
what changed: unchanged files keep their timestamps (so `mkdocs serve`
does not rebuild forever) and files no longer generated are removed."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping


@dataclass(frozen=True)
class WriteStats:
    written: int
    removed: int
    unchanged: int


def sync(files: Mapping[str, str | bytes], out_dir: Path) -> WriteStats:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = unchanged = 0
    for relative, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = _inside(out_dir, relative)
        if target.is_file() and target.read_bytes() == data:
            unchanged += 1
            continue
        _write_atomically(target, data)
        written += 1
    removed = _prune(out_dir, {_inside(out_dir, r) for r in files})
    return WriteStats(written, removed, unchanged)


def _inside(out_dir: Path, relative: str) -> Path:
    """The target path, refusing anything that would land outside out_dir."""
    target = (out_dir / relative).resolve()
    if not target.is_relative_to(out_dir.resolve()):
        raise ValueError(f"refusing to write outside {out_dir}: {relative}")
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
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
    for path in sorted(out_dir.resolve().rglob("*"), reverse=True):
        if path.name.startswith("."):
            continue
        if path.is_file() and path not in keep:
            path.unlink()
            removed += 1
        elif path.is_dir() and path != out_dir.resolve() and not any(path.iterdir()):
            path.rmdir()
    return removed

"""`factbase fmt`: one canonical layout for every fact file.

Key order as the fact format declares it, two-space indentation with list
dashes indented under their key, dates unquoted, quotes only where YAML
needs them, and a first line pointing editors at the file's JSON Schema.
Comments and values are kept; formatting twice changes nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..loading.loader import FOLDERS
from ..loading.yamlsource import parse
from .yamlwrite import SCHEMA_LINE, canonicalise, dump, load


@dataclass(frozen=True)
class Formatted:
    path: Path
    before: str
    after: str | None      # None: the file could not be read as YAML
    problem: str | None = None

    @property
    def changed(self) -> bool:
        return self.after is not None and self.after != self.before


def format_text(text: str, folder: str) -> str:
    data = load(text)
    canonicalise(data, folder)
    body = dump(data) if data is not None else ""
    return _with_schema_line(body, folder)


def _with_schema_line(body: str, folder: str) -> str:
    line = SCHEMA_LINE.format(folder=folder)
    lines = body.splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    return line + "\n" + "".join(lines)


def format_file(path: Path, facts_dir: Path) -> Formatted:
    before = path.read_bytes().decode("utf-8", errors="replace")
    folder = folder_of(path, facts_dir)
    problems = parse(path.read_bytes(), str(path)).diagnostics
    if folder is None or problems:
        reason = problems[0].message if problems else "not in a known folder"
        return Formatted(path, before, None, reason)
    return Formatted(path, before, format_text(before.removeprefix("\ufeff"), folder))


def folder_of(path: Path, facts_dir: Path) -> str | None:
    try:
        parts = path.resolve().relative_to(facts_dir.resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 and parts[0] in FOLDERS else None

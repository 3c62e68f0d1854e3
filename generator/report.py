"""Formatters: the same diagnostics for people, for programs and for GitHub."""

from __future__ import annotations

import json
from typing import Sequence

from .diagnostics import Diagnostic

FORMATS = ("text", "json", "github")
JSON_VERSION = 1


def render(diagnostics: Sequence[Diagnostic], fmt: str, files: int = 0) -> str:
    return {"text": text, "json": as_json, "github": github}[fmt](diagnostics, files)


def text(diagnostics: Sequence[Diagnostic], files: int = 0) -> str:
    lines = []
    for d in diagnostics:
        line = f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}"
        lines.append(line + (f" ({d.hint})" if d.hint else ""))
    return "\n".join(lines) + ("\n" if lines else "")


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return f"All checks passed ({files} files)."
    return (f"Found {_plural(errors, 'error')} and {_plural(warnings, 'warning')} "
            f"in {_plural(len({d.path for d in diagnostics}), 'file')}.")


def as_json(diagnostics: Sequence[Diagnostic], files: int = 0) -> str:
    """The shape documented in generator/data/diagnostics.schema.json."""
    errors = sum(d.severity == "error" for d in diagnostics)
    document = {
        "version": JSON_VERSION,
        "summary": {"files": files, "errors": errors, "warnings": len(diagnostics) - errors},
        "diagnostics": [
            {"path": d.path, "line": d.line, "col": d.col, "code": d.code,
             "severity": d.severity.value, "message": d.message, "hint": d.hint,
             "related": [{"path": s.path, "line": s.line, "col": s.col} for s in d.related]}
            for d in diagnostics
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def github(diagnostics: Sequence[Diagnostic], files: int = 0) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""
    lines = []
    for d in diagnostics:
        props = ",".join((f"file={_prop(d.path)}", f"line={d.line}", f"col={d.col}",
                          f"title={_prop(d.code)}"))
        body = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(f"::{d.severity.value} {props}::{_data(body)}")
    return "\n".join(lines) + ("\n" if lines else "")


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"

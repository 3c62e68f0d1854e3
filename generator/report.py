"""Formatters: the same diagnostics for people, for programs and for GitHub."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .diagnostics import Diagnostic

FORMATS = ("text", "json", "github")
JSON_VERSION = 1


def render(diagnostics: Sequence[Diagnostic], fmt: str, files: int = 0,
           ignored: Sequence = ()) -> str:
    if fmt == "json":
        return as_json(diagnostics, files, ignored)
    return {"text": text, "github": github}[fmt](diagnostics, files)


# What a terminal would obey rather than show (controls, and line breaks that
# would start a forged diagnostic line), what reorders or hides text, and what
# cannot be encoded at all (lone surrogates, as in an undecodable file name).
# Loading refuses these in fact files (E108); paths, messages quoting other
# input and reasons still pass through here, so they are escaped as well.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                         "\u2060-\u2069\ufeff\ud800-\udfff]")


def shown(value: str) -> str:
    """Text safe to print: each unshowable character as an escape like \\x1b or \\u202e."""
    return _UNSHOWABLE.sub(lambda m: ascii(m[0])[1:-1], value)


def ignored_text(ignored: Sequence) -> str:
    """The warnings facts set aside, each with the reason the fact gives."""
    return "".join(shown(f"{i.diagnostic.path}:{i.diagnostic.line}:{i.diagnostic.col}: "
                         f"{i.diagnostic.code} ignored: {i.diagnostic.message} "
                         f"(reason: {i.reason})") + "\n"
                   for i in ignored)


def text(diagnostics: Sequence[Diagnostic], files: int = 0) -> str:
    lines = []
    for d in diagnostics:
        line = f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}"
        lines.append(shown(line + (f" ({d.hint})" if d.hint else "")))
    return "\n".join(lines) + ("\n" if lines else "")


def summary(diagnostics: Sequence[Diagnostic], files: int, ignored: int = 0) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    aside = (f" {_plural(ignored, 'warning')} set aside by documented exceptions "
             f"(--show-ignored lists them).") if ignored else ""
    if not diagnostics:
        return f"All checks passed ({files} files).{aside}"
    return (f"Found {_plural(errors, 'error')} and {_plural(warnings, 'warning')} "
            f"in {_plural(len({d.path for d in diagnostics}), 'file')}.{aside}")


def _as_dict(d: Diagnostic) -> dict:
    return {"path": d.path, "line": d.line, "col": d.col, "code": d.code,
            "severity": d.severity.value, "message": d.message, "hint": d.hint,
            "related": [{"path": s.path, "line": s.line, "col": s.col} for s in d.related]}


def as_json(diagnostics: Sequence[Diagnostic], files: int = 0, ignored: Sequence = ()) -> str:
    """The shape documented in generator/data/diagnostics.schema.json."""
    errors = sum(d.severity == "error" for d in diagnostics)
    document = {
        "version": JSON_VERSION,
        "summary": {"files": files, "errors": errors, "warnings": len(diagnostics) - errors,
                    "ignored": len(ignored)},
        "diagnostics": [_as_dict(d) for d in diagnostics],
        "ignored": [_as_dict(i.diagnostic) | {"reason": i.reason} for i in ignored],
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
    return shown(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"

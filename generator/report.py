"""Formatters: the same diagnostics for people, for programs, for GitHub
annotations and for code scanning (SARIF 2.1.0)."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from . import escaping
from .diagnostics import REMINDERS, Diagnostic, by_importance, fails_strict, summarised

FORMATS = ("text", "json", "github", "sarif")
JSON_VERSION = 1
# GitHub shows at most 10 error, 10 warning and 10 notice annotations per step
# (actions/toolkit, docs/problem-matchers.md, "Limitations"); more are dropped unseen.
GITHUB_ANNOTATIONS = 10


@dataclass(frozen=True)
class Strictness:
    """Whether warnings fail this run, and why (said in the summary)."""

    on: bool
    why: str        # "strict: true in mkdocs.yml", "--no-strict", …

    @classmethod
    def of(cls, setting: bool | None, given: bool | None) -> Strictness:
        """One verdict everywhere: the project's setting (the factbase option
        `strict` in mkdocs.yml), unless this run says otherwise (--[no-]strict)."""
        if given is not None:
            return cls(given, "--strict" if given else "--no-strict")
        return cls(bool(setting), "strict is not set in mkdocs.yml" if setting is None
                   else f"strict: {str(setting).lower()} in mkdocs.yml")


def render(diagnostics: Sequence[Diagnostic], fmt: str, files: int = 0,
           ignored: Sequence = (), site_url: str = "") -> str:
    """site_url: the published site, whose checks page SARIF's rules link to."""
    diagnostics = summarised(diagnostics)
    if fmt == "json":
        return as_json(diagnostics, files, ignored)
    if fmt == "sarif":
        return sarif(diagnostics, files, site_url)
    return {"text": text, "github": github}[fmt](diagnostics, files)


# Paths, messages quoting other input and reasons are escaped for the
# terminal and for GitHub's runner here (see escaping.py); loading already
# refuses unshowable characters in fact files (E108).
shown = escaping.terminal


def ignored_text(ignored: Sequence) -> str:
    """The warnings facts set aside, each with the reason the fact gives."""
    return "".join(escaping.line(f"{i.diagnostic.path}:{i.diagnostic.line}:{i.diagnostic.col}: "
                         f"{i.diagnostic.code} ignored: {i.diagnostic.message} "
                         f"(reason: {i.reason})") + "\n"
                   for i in ignored)


def text(diagnostics: Sequence[Diagnostic], files: int = 0) -> str:
    lines = []
    for d in diagnostics:
        line = f"{d.path}:{d.line}:{d.col}: {d.code} {d.message}"
        lines.append(escaping.line(line + (f" ({d.hint})" if d.hint else "")))
    return "\n".join(lines) + ("\n" if lines else "")


def summary(diagnostics: Sequence[Diagnostic], files: int, ignored: int = 0,
            strict: Strictness | None = None) -> str:
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    aside = (f" {_plural(ignored, 'warning')} set aside by documented exceptions "
             f"(--show-ignored lists them).") if ignored else ""
    if not diagnostics:
        return f"All checks passed ({files} files).{aside}"
    return (f"Found {_plural(errors, 'error')} and {_plural(warnings, 'warning')} "
            f"in {_plural(len({d.path for d in diagnostics}), 'file')}.{aside}"
            + (verdict(diagnostics, strict) if strict else ""))


def verdict(diagnostics: Sequence[Diagnostic], strict: Strictness) -> str:
    """Why warnings do or do not fail this run, so that a local run and CI agree visibly."""
    warnings = [d for d in diagnostics if d.severity == "warning"]
    counted = sum(map(fails_strict, warnings))
    reminders = len(warnings) - counted
    said = ""
    if counted and strict.on:
        said += f" {_plural(counted, 'warning')}: this project fails on warnings ({strict.why})."
    elif counted:
        said += f" Warnings do not fail this run ({strict.why})."
    if reminders:
        codes = ", ".join(sorted({d.code for d in warnings if d.code in REMINDERS}))
        said += (f" {_plural(reminders, 'date reminder')} ({codes}) "
                 f"{'does' if reminders == 1 else 'do'} not fail the check: "
                 "a reminder depends on today's date, not on the files.")
    return said


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
    """GitHub Actions workflow commands: the most important diagnostics as
    annotations (files that do not parse, then errors, then warnings), as many
    of each kind as GitHub shows; the rest as plain lines of the log, and a
    notice that says how many those are."""
    lines, left, seen = [], [], Counter()
    for d in sorted(diagnostics, key=by_importance):
        seen[d.severity] += 1
        if seen[d.severity] > GITHUB_ANNOTATIONS:
            left.append(d)
            continue
        props = ",".join((f"file={_prop(d.path)}", f"line={d.line}", f"col={d.col}",
                          f"title={_prop(d.code)}"))
        body = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(f"::{d.severity.value} {props}::{_data(body)}")
    if left:
        errors = sum(d.severity == "error" for d in left)
        lines.append(text(left).rstrip("\n"))
        lines.append(f"::notice title=factbase::{_plural(errors, 'error')} and "
                     f"{_plural(len(left) - errors, 'warning')} more are listed in this step's "
                     f"log, not as annotations (GitHub shows {GITHUB_ANNOTATIONS} of each kind "
                     "per step); 'factbase check' lists them all")
    return "\n".join(lines) + ("\n" if lines else "")


SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def sarif(diagnostics: Sequence[Diagnostic], files: int = 0, site_url: str = "") -> str:
    """SARIF 2.1.0 for code scanning: one rule per code used, described by
    `factbase explain`'s text (title, meaning, help) and, when the site's
    address is known, linked to its section of the site's checks page; paths
    relative to the project root."""
    from . import __version__
    codes = sorted({d.code for d in diagnostics})
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "factbase", "version": __version__,
                                "rules": [_sarif_rule(code, site_url) for code in codes]}},
            "results": [_sarif_result(d, codes.index(d.code)) for d in diagnostics],
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


CHECKS_PAGE = "reference/checks/"   # the checks reference's address in every site


def _sarif_rule(code: str, site_url: str) -> dict:
    from .tools.explain import entries
    entry = entries().get(code)
    level = "warning" if code.startswith("W") else "error"
    rule: dict = {"id": code, "defaultConfiguration": {"level": level}}
    if entry is None:  # every emitted code is documented (tests/test_explain.py): a safe default
        return rule | {"shortDescription": {"text": code}}
    rule |= {"name": _rule_name(entry.title),
             "shortDescription": {"text": entry.title},
             "fullDescription": {"text": entry.meaning},
             "help": {"text": entry.as_text(), "markdown": _help_markdown(entry)}}
    if site_url:
        rule["helpUri"] = f"{site_url}{CHECKS_PAGE}#{code.lower()}"
    return rule


def _rule_name(title: str) -> str:
    """SARIF's rule name: one word, in UpperCamelCase ("KeyFactNotFound")."""
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", title)) or "Rule"


def _help_markdown(entry) -> str:
    fence = lambda text: f"```yaml\n{text}\n```"  # noqa: E731
    return (f"**{entry.code}: {entry.title}**\n\n{entry.meaning}\n\nFails:\n\n"
            f"{fence(entry.fails)}\n\nPasses:\n\n{fence(entry.passes)}\n\nFix: {entry.fix}\n")


# Positions left out of a result's fingerprint, so that an alert keeps its
# identity when lines are inserted above it (code scanning matches on it).
_POSITIONS = re.compile(r"\b(?:line|lines|col|column) \d+|:\d+(?::\d+)?\b")


def fingerprint(d: Diagnostic) -> str:
    words = _POSITIONS.sub("", d.message)
    return hashlib.sha256(f"{d.code}\0{d.path}\0{words}".encode("utf-8", "replace")).hexdigest()


def _sarif_result(d: Diagnostic, rule: int) -> dict:
    return {
        "ruleId": d.code, "ruleIndex": rule, "level": d.severity.value,
        "message": {"text": shown(d.message + (f" ({d.hint})" if d.hint else ""))},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": quote(shown(d.path))},
            "region": {"startLine": max(d.line, 1), "startColumn": max(d.col, 1)}}}],
        "partialFingerprints": {"factbase/v1": fingerprint(d)},
    }


def _data(value: str) -> str:
    return escaping.line(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _prop(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"

"""Problems as values: every check yields `Diagnostic`s, nothing raises.

Codes are stable (documented in the docstrings `factbase explain` reads); wording may improve.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import Enum
from collections.abc import Iterable

from .model import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str | None = None
    severity: Severity = Severity.ERROR
    related: tuple[Span, ...] = ()

    @classmethod
    def at(cls, span: Span, code: str, message: str, hint: str | None = None,
           related: Iterable[Span] = ()) -> Diagnostic:
        severity = Severity.WARNING if code.startswith("W") else Severity.ERROR
        return cls(span.path, span.line, span.col, code, message, hint,
                   severity, tuple(related))


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest known id, if any is close enough."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def place(span: Span, here: Span) -> str:
    """Where another record is, as seen from `here`: "line 12", or "file:12" in another file."""
    return f"line {span.line}" if span.path == here.path else f"{span.path}:{span.line}"


def sort_key(diagnostic: Diagnostic) -> tuple:
    return (diagnostic.path, diagnostic.line, diagnostic.col, diagnostic.code)


def root_first(diagnostic: Diagnostic) -> tuple:
    """Files that cannot be read or parsed (E1xx) first: the rest may follow from them."""
    return (not diagnostic.code.startswith("E1"), *sort_key(diagnostic))


def by_importance(diagnostic: Diagnostic) -> tuple:
    """Root causes, then errors, then warnings: for outputs that show only the first few."""
    return (not diagnostic.code.startswith("E1"), diagnostic.severity != Severity.ERROR,
            *sort_key(diagnostic))


# Codes that depend on today's date rather than on the files (W715: a plan's
# date has passed; W716: a fact's review_after has passed). They are reported,
# but never fail a strict run: a commit that passed yesterday must not fail
# today for the calendar alone. The weekly workflow reminds maintainers.
REMINDERS = frozenset({"W715", "W716"})


# Codes that say something is never used (a source never cited, an entity
# without facts, an ignore that matches nothing): while a file does not parse,
# the uses may be what is missing, so project.fold_unparsed counts them instead.
UNUSED = frozenset({"W751", "W752", "W791"})

# Codes that say the same thing of many places, shown as one line in every
# format: W815 says an address was never checked over the network, which an
# offline run says of every source until the lock is refreshed.
SUMMARISED = {"W815": "addresses or quotes never checked over the network"}


def summarised(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each SUMMARISED code's diagnostics as one, at the first of them, with their count."""
    found = list(diagnostics)
    out, groups = [], {}
    for d in found:
        if d.code in SUMMARISED:
            groups.setdefault(d.code, []).append(d)
    for d in found:
        group = groups.get(d.code)
        if group is None or len(group) == 1:
            out.append(d)
        elif d is group[0]:
            out.append(Diagnostic(d.path, d.line, d.col, d.code,
                                  f"{len(group)} {SUMMARISED[d.code]} (the first: {d.message})",
                                  d.hint, d.severity))
    return out


def fails_strict(diagnostic: Diagnostic) -> bool:
    """Whether a diagnostic fails a run that fails on warnings."""
    return diagnostic.code not in REMINDERS

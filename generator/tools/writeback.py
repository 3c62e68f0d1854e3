"""Write one edit to a fact file, check the base, and undo it if it brings errors.

`factbase new` and `factbase cite` change one file each. The whole base is
checked with the change in place; if that finds errors the base did not have
before, the file is restored byte for byte (or removed, if the edit created
it). The errors are then shown where a reader can find them: a position in
the lines the edit added names the field of the rejected record (those lines
are no longer in any file), and a position after them is moved back to where
that line is in the restored file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import Diagnostic
from ..loading.files import shown_path

_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:")


@dataclass(frozen=True)
class Edit:
    path: Path           # absolute
    old: str | None      # None: the edit creates the file
    new: str

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.new, encoding="utf-8")

    def undo(self) -> None:
        if self.old is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.write_text(self.old, encoding="utf-8")


@dataclass(frozen=True)
class Rejected:
    """A problem found in the lines of an edit that was undone."""

    field: str
    diagnostic: Diagnostic

    def text(self, what: str) -> str:
        d = self.diagnostic
        return f"{what}, {self.field}: {d.code} {d.message}" + (f" ({d.hint})" if d.hint else "")


def where(edit: Edit, shown_path: str, diagnostic: Diagnostic) -> Diagnostic | Rejected:
    """The diagnostic as it reads once the edit is undone."""
    if diagnostic.path != shown_path:
        return diagnostic           # another file: unchanged, its positions hold
    old = (edit.old or "").splitlines()
    new = edit.new.splitlines()
    index = diagnostic.line - 1
    for tag, i1, _, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if j1 <= index < j2:
            if tag == "equal":
                return replace(diagnostic, line=i1 + index - j1 + 1)
            return Rejected(_field(new, index, j1), diagnostic)
    return diagnostic


def _field(lines: list[str], index: int, first: int) -> str:
    """The key the added line at `index` belongs to (the nearest one at or above it)."""
    for line in reversed(lines[first:index + 1]):
        if match := _KEY.match(line):
            return match.group(1)
    return "record"


def added(edit: Edit, root: Path, diagnostic: Diagnostic) -> bool:
    """Whether the diagnostic points into the lines the edit wrote."""
    return isinstance(where(edit, shown_path(edit.path, root), diagnostic), Rejected)


def commit(config, before, edit: Edit, what: str, again: str) -> list[Diagnostic] | None:
    """Write the edit and keep it only if the base has no new errors.

    before: the check of the base without the edit. what: "new fact", "citation"…
    again: the command that repeats this one, shown when the edit is undone
    so that no answer is lost. New warnings are shown either way, and
    returned (None: the edit was undone)."""
    import sys

    from .. import escaping, project, report
    edit.write()
    try:
        after = project.check(config)
    except BaseException:       # interrupted or crashed: never leave the edit half-checked
        edit.undo()
        raise
    seen = {(d.code, d.message) for d in before.diagnostics}
    fresh = [d for d in after.diagnostics if (d.code, d.message) not in seen]
    errors = [d for d in fresh if d.severity == "error"]
    if not errors:
        sys.stdout.write(report.text(fresh))
        return fresh
    edit.undo()
    shown = shown_path(edit.path, config.root)
    for item in (where(edit, shown, d) for d in errors):
        line = item.text(what) if isinstance(item, Rejected) else report.text([item]).rstrip("\n")
        print(escaping.line(line))
    print(f"factbase: the {what} was not added and nothing was written; fix the problems "
          f"above and run the command again:\n  {escaping.line(again)}", file=sys.stderr)
    return None

"""Checks over a loaded fact base: each module yields diagnostics.

`run()` runs every family in a fixed order and returns all problems found,
sorted by file and line, so one run reports everything.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..diagnostics import Diagnostic, sort_key
from ..model import FactBase
from . import references, values

Check = Callable[[FactBase], Iterable[Diagnostic]]

FAMILIES: tuple[Check, ...] = (references.check, values.check)


def run(base: FactBase, families: Iterable[Check] = FAMILIES) -> list[Diagnostic]:
    found = [d for family in families for d in family(base)]
    return sorted(found, key=sort_key)

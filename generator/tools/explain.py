"""Every diagnostic code, explained: read from the docstrings of the modules
that emit them, so code and documentation live side by side.

A module documents a code with a block like this (indented by four spaces)::

    E701: conflicting current values
        What it means, in a paragraph or two.

        Fails:

            yaml that triggers it

        Passes:

            yaml that does not

        Fix: what to do.
"""

from __future__ import annotations

import importlib
import re
import textwrap
from dataclasses import dataclass
from functools import cache

from .. import checks

DOCUMENTED = ("factbase.loading.yamlsource", "factbase.loading.files", "factbase.loading.loader",
              "factbase.loading.schema", "factbase.project", "factbase.rendering.render",
              "factbase.links.report",
              *(m.__name__ for m in checks.MODULES))
_HEADER = re.compile(r"^([EW]\d{3}): (.+)$", re.M)


@dataclass(frozen=True)
class Entry:
    code: str
    title: str
    meaning: str
    fails: str
    passes: str
    fix: str
    module: str

    @property
    def severity(self) -> str:
        return "warning" if self.code.startswith("W") else "error"

    def as_text(self) -> str:
        indent = lambda text: textwrap.indent(text, "    ")  # noqa: E731
        return (f"{self.code} ({self.severity}): {self.title}\n\n{self.meaning}\n\n"
                f"Fails:\n\n{indent(self.fails)}\n\nPasses:\n\n{indent(self.passes)}\n\n"
                f"Fix: {self.fix}\n")


@cache
def entries() -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for name in DOCUMENTED:
        for entry in parse(importlib.import_module(name).__doc__ or "", name):
            found[entry.code] = entry
    return dict(sorted(found.items()))


def parse(doc: str, module: str) -> list[Entry]:
    headers = list(_HEADER.finditer(doc))
    result = []
    for header, following in zip(headers, headers[1:] + [None]):
        body = doc[header.end():following.start() if following else len(doc)]
        result.append(_entry(header[1], header[2], textwrap.dedent(body), module))
    return result


def _entry(code: str, title: str, body: str, module: str) -> Entry:
    meaning, _, rest = body.partition("Fails:")
    fails, _, rest = rest.partition("Passes:")
    passes, _, fix = rest.partition("Fix:")
    clean = lambda text: textwrap.dedent(text).strip("\n")  # noqa: E731
    return Entry(code, title, " ".join(meaning.split()), clean(fails), clean(passes),
                 " ".join(fix.split()), module)

"""What `render` would refuse, found by `check` without writing anything.

`check` renders every page in memory (nothing is written, no site is
touched) and reports each page's template error (E601, at the template's
line), each stale fact a page states (E604) and each home-page choice in
mkdocs.yml that does not resolve (E602, E604, E605, E606), so a pull
request that `build` would fail is already red at `check`, with an
annotation on the line to fix. Dates the templates cannot show (a year 0
drawn on a timeline) surface here too, as E601 at the template that failed.

Render stops at a page's first error: each page is rendered on its own, so
every failing page is reported once, not only the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml

from ..diagnostics import Diagnostic
from .. import parallel

# The mkdocs.yml option each home-page diagnostic is about (render.py raises
# them at mkdocs.yml:1:1; `located` moves them to the option's line).
OPTION_OF = {"E602": "featured", "E604": "key_facts", "E605": "key_facts", "E606": "see_also"}


def problems(jobs: dict[str, Callable[[], str]], render_error: type) -> list[Diagnostic]:
    """Each page's first error, once per distinct problem (a shipped
    template failing on every entity page is one line, not hundreds)."""
    found = parallel.run_jobs([_attempt(job, render_error) for job in jobs.values()])
    return list(dict.fromkeys(d for d in found if d is not None))


def _attempt(job: Callable[[], str], render_error: type) -> Callable[[], Diagnostic | None]:
    def attempt() -> Diagnostic | None:
        try:
            job()
        except render_error as err:
            return err.diagnostic
        return None
    return attempt


def located(diagnostic: Diagnostic, mkdocs_file: Path | None, shown: str) -> Diagnostic:
    """A home-page choice's diagnostic at the line of mkdocs.yml that names
    the offending id (or the option's own line), not at 1:1."""
    option = OPTION_OF.get(diagnostic.code)
    if (option is None or mkdocs_file is None or diagnostic.path != "mkdocs.yml"
            or (diagnostic.line, diagnostic.col) != (1, 1)):
        return diagnostic
    where = option_position(mkdocs_file, option, diagnostic.message)
    if where is None:
        return replace(diagnostic, path=shown)
    return replace(diagnostic, path=shown, line=where[0], col=where[1])


class _Composer(yaml.SafeLoader):
    """Nodes with their positions; tags (`!ENV`, `!!python/name:`) are not run."""


def option_position(mkdocs_file: Path, option: str, message: str) -> tuple[int, int] | None:
    """(line, column) of the first id under the factbase plugin's `option`
    that the message names, else of the option's key."""
    try:
        root = yaml.compose(mkdocs_file.read_text(encoding="utf-8"), Loader=_Composer)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    key, value = _option_node(root, option)
    if key is None:
        return None
    for node in _scalars(value):
        if re.search(rf"(?<![\w-]){re.escape(node.value)}(?![\w-])", message):
            return node.start_mark.line + 1, node.start_mark.column + 1
    return key.start_mark.line + 1, key.start_mark.column + 1


def _option_node(root, option: str):
    plugins = _get(root, "plugins")
    for item in plugins.value if isinstance(plugins, yaml.SequenceNode) else ():
        entry = _get(item, "factbase")
        if isinstance(entry, yaml.MappingNode):
            for key, value in entry.value:
                if isinstance(key, yaml.ScalarNode) and key.value == option:
                    return key, value
    return None, None


def _get(node, name: str):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == name:
                return value
    return None


def _scalars(node):
    """Every scalar under a node, in document order (mapping keys included)."""
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)

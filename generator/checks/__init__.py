"""Checks over a loaded fact base: one module per check, each yielding diagnostics.

Every module's docstring documents its code(s) with a failing and a passing
example (`factbase.tools.explain` reads them; the site's Checks reference shows
them). `run()` runs every check and returns all problems, sorted by place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from ..diagnostics import Diagnostic, sort_key
from .context import Context
from . import (
    as_of_dates, duplicates, future_dates, history, hygiene, inverses, near_duplicates,
    references, review_dates, rules, single_value, source_dates, stale_plans, standalone,
    strength, validity, values,
    duplicate_sources,
)  # noqa: I001 - one module per check, run in MODULES order

Check = Callable[[Context], Iterable[Diagnostic]]

MODULES = (references, values, single_value, inverses, validity, future_dates, source_dates,
           as_of_dates, stale_plans, review_dates, history, rules, duplicates,
           near_duplicates, standalone, strength, hygiene,
           duplicate_sources)


def run(base, today: dt.date | None = None, modules: Iterable = MODULES, *,
        key_facts: Iterable[str] = (), featured: Iterable[str] = (),
        broken: Iterable[str] = ()) -> list[Diagnostic]:
    """key_facts and featured: the home page's choices in mkdocs.yml, which
    some checks hold to a higher standard. broken: ids of invalid records
    (see loader.LoadResult), which references may name."""
    context = Context.of(base, today or dt.date.today(), tuple(key_facts), tuple(featured),
                         frozenset(broken))
    found: Iterator[Diagnostic] = (d for module in modules for d in module.check(context))
    return sorted(found, key=sort_key)

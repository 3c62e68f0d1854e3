"""A source is read after it is published.

E713: accessed before published
    A source's `accessed` date (when its content was checked) cannot precede
    its `published` date.

    Fails:

        published: 2026-05-21
        accessed: 2026-05-01

    Passes:

        published: 2026-05-21
        accessed: 2026-11-24

    Fix: correct whichever date is wrong.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for source in context.base.sources.values():
        published, accessed = source.published, source.accessed
        if published and accessed and accessed.latest() < published.earliest():
            yield Diagnostic.at(source.spans["accessed"], "E713",
                                f"accessed {accessed} is before published {published}",
                                related=(source.spans["published"],))

"""Statements about one subject should not say the same thing twice.

W754: near-duplicate statements
    Two facts about the same subject have statements that are almost word
    for word the same: probably one claim recorded twice.

    Fails:

        statement: Smile was launched on a Vega-C rocket.
        ...
        statement: Smile was launched on a Vega C rocket.

    Passes:

        statement: Smile was launched on a Vega-C rocket.
        ...
        statement: Smile lifted off from Europe's Spaceport in French Guiana.

    Fix: merge them, or make each say what is distinct about it.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from itertools import combinations
from typing import Iterator

from ..diagnostics import Diagnostic
from .context import Context

THRESHOLD = 0.92


def check(context: Context) -> Iterator[Diagnostic]:
    by_subject: dict[str, list] = {}
    for fact in context.base.facts.values():
        if fact.statement:
            by_subject.setdefault(fact.subject, []).append(fact)
    for facts in by_subject.values():
        texts = {f.id: " ".join(f.statement.casefold().split()) for f in facts}
        for first, second in combinations(sorted(facts, key=lambda f: f.span), 2):
            matcher = SequenceMatcher(None, texts[first.id], texts[second.id], autojunk=False)
            # quick_ratio is a cheap upper bound; most pairs stop there.
            if matcher.quick_ratio() >= THRESHOLD and matcher.ratio() >= THRESHOLD:
                yield Diagnostic.at(second.at("statement"), "W754",
                                    f"the statement of '{second.id}' nearly repeats that of "
                                    f"'{first.id}' (line {first.span.line})",
                                    related=(first.at("statement"),))

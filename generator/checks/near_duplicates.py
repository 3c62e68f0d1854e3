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

import unicodedata
from difflib import SequenceMatcher
from collections.abc import Iterator

from ..diagnostics import Diagnostic, place
from .context import Context

THRESHOLD = 0.92


def check(context: Context) -> Iterator[Diagnostic]:
    by_subject: dict[str, list] = {}
    for fact in context.base.facts.values():
        if fact.statement:
            by_subject.setdefault(fact.subject, []).append(fact)
    for facts in by_subject.values():
        yield from _similar(sorted(facts, key=lambda f: f.span))


def _similar(facts: list) -> Iterator[Diagnostic]:
    # NFKC first: "é" typed precomposed or as e + accent is one text to a reader.
    texts = [" ".join(unicodedata.normalize("NFKC", f.statement).casefold().split())
             for f in facts]
    words = [frozenset(t.split()) for t in texts]
    # ratio = 2M/(a+b) <= 2*min(a,b)/(a+b), so texts whose lengths differ by
    # more than the threshold allows can never match: compare only neighbours
    # in length order, and stop as soon as lengths drift apart.
    order = sorted(range(len(facts)), key=lambda i: len(texts[i]))
    for a_pos, a in enumerate(order):
        for b in order[a_pos + 1:]:
            if 2 * len(texts[a]) < THRESHOLD * (len(texts[a]) + len(texts[b])):
                break
            # Near-identical texts share nearly all their words: a cheap set
            # comparison rules out most pairs before the character-level one.
            if len(words[a] & words[b]) < 0.6 * len(words[a] | words[b]):
                continue
            matcher = SequenceMatcher(None, texts[a], texts[b], autojunk=False)
            if matcher.quick_ratio() >= THRESHOLD and matcher.ratio() >= THRESHOLD:
                first, second = sorted((facts[a], facts[b]), key=lambda f: f.span)
                yield Diagnostic.at(second.at("statement"), "W754",
                                    f"the statement of '{second.id}' nearly repeats that of "
                                    f"'{first.id}' ({place(first.span, second.span)})",
                                    related=(first.at("statement"),))

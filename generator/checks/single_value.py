"""Single value: a single-valued property holds one current value at any time.

E701: conflicting current values
    Two current facts give different values for the same single-valued
    property of the same subject, and their validity periods overlap. Both
    lines are reported. When sources genuinely disagree, keep the accepted
    value current and record the other with `status: disputed` and a note
    saying who says what; when one value replaced the other, the newer fact
    lists the older under `supersedes:` (or give both `valid_from`/`valid_until`).

    Fails:

        - id: smile-launch-date
          property: launch-date
          value: 2026-05-19
        - id: smile-launch-date-china-minutes
          property: launch-date
          value: 2026-07-19

    Passes:

        - id: smile-launch-date
          property: launch-date
          value: 2026-05-19
        - id: smile-launch-date-china-minutes
          property: launch-date
          value: 2026-07-19
          status: disputed
          note: China Minutes gives 19 July; every other report gives 19 May.

    Fix: mark the minority value disputed, supersede the old value, or bound the periods.
"""

from __future__ import annotations

from itertools import combinations
from collections.abc import Iterator

from ..diagnostics import Diagnostic, place
from ..model import Fact
from .context import Context, overlaps


def check(context: Context) -> Iterator[Diagnostic]:
    groups: dict[tuple[str, str], list[Fact]] = {}
    for fact in context.base.facts.values():
        prop = context.prop(fact)
        if prop and prop.single and context.is_current(fact):
            groups.setdefault((fact.subject, fact.property), []).append(fact)
    for facts in groups.values():
        for first, second in combinations(sorted(facts, key=lambda f: f.span), 2):
            if context.value_key(first) != context.value_key(second) and overlaps(first, second):
                yield _conflict(context, first, second)


def _conflict(context: Context, first: Fact, second: Fact) -> Diagnostic:
    same = set(context.sources_of(first).split(", ")) == set(context.sources_of(second).split(", "))
    who = "the same source gives both" if same else "the sources disagree"
    return Diagnostic.at(
        second.span, "E701",
        f"'{second.property}' holds one value at a time, but '{second.id}' "
        f"({context.sources_of(second)}) and '{first.id}' ({place(first.span, second.span)}, "
        f"{context.sources_of(first)}) both give a current value: {who}",
        "mark the minority value 'status: disputed' with a note, or list the older fact "
        "under 'supersedes:'", related=(first.span,))

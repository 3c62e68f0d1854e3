"""History: `supersedes` links form a clean line of succession.

E721: supersedes a fact about something else
    A fact may only replace an earlier value of the same thing: the same
    subject and property, or a plan (a property with `plan_for`) for the
    event it records.

    Fails:

        - id: smile-launch-date
          property: launch-date
          supersedes: [smile-launch-vehicle]

    Passes:

        - id: smile-launch-date
          property: launch-date
          supersedes: [smile-plan-2026-04-09]   # planned-launch-date, plan_for: launch-date

    Fix: supersede the right fact, or none.

E722: supersedes cycle
    Following `supersedes` from a fact leads back to it, so no fact in the
    loop is the newest.

    Fails:

        - id: plan-a
          supersedes: [plan-b]
        - id: plan-b
          supersedes: [plan-a]

    Passes:

        - id: plan-b
          supersedes: [plan-a]

    Fix: remove the link that points from the older fact to the newer one.

W724: superseded fact still says current
    Another fact supersedes this one, but its own `status` is current (the
    default). The site shows it as history either way; the status should say so.

    Fails:

        - id: smile-plan-late-2025
          property: planned-launch-date
          value: 2025

    Passes:

        - id: smile-plan-late-2025
          property: planned-launch-date
          value: 2025
          status: superseded

    Fix: add `status: superseded`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Fact, Status
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    facts = context.base.facts
    for fact in facts.values():
        for target in (facts[t] for t in fact.supersedes if t in facts):
            if not _same_thing(context, fact, target):
                yield Diagnostic.at(fact.at("supersedes"), "E721",
                                    f"'{fact.id}' ({fact.subject} {fact.property}) supersedes "
                                    f"'{target.id}' ({target.subject} {target.property})",
                                    "only an earlier value of the same subject and property, "
                                    "or a plan for this event, can be superseded",
                                    related=(target.span,))
        if fact.status is Status.CURRENT and fact.id in context.superseded_by:
            newer = context.superseded_by[fact.id][0]
            yield Diagnostic.at(fact.span, "W724", f"'{fact.id}' is superseded by '{newer.id}' "
                                "but its status says current", "add 'status: superseded'",
                                related=(newer.span,))
    yield from _cycles(context)


def _same_thing(context: Context, newer: Fact, older: Fact) -> bool:
    if newer.subject != older.subject:
        return False
    older_prop = context.base.properties.get(older.property)
    return older.property == newer.property or (
        older_prop is not None and older_prop.plan_for == newer.property)


def _cycles(context: Context) -> Iterator[Diagnostic]:
    """Depth-first search over supersedes links; each cycle is reported once."""
    facts = context.base.facts
    done: set[str] = set()
    for start in facts:
        if start in done:
            continue
        path, stack = [start], [iter(facts[start].supersedes)]
        while stack:
            target = next(stack[-1], None)
            if target is None:
                done.add(path.pop())
                stack.pop()
            elif target in path:
                cycle = path[path.index(target):]
                first = facts[cycle[0]]
                yield Diagnostic.at(first.at("supersedes"), "E722",
                                    "supersedes links form a cycle: " + " → ".join(cycle + [target]),
                                    "remove the link from the older fact to the newer one",
                                    related=tuple(facts[i].at("supersedes") for i in cycle[1:]))
            elif target in facts and target not in done:
                path.append(target)
                stack.append(iter(facts[target].supersedes))

"""Plans whose date has passed must say what happened.

W715: stale plan
    A current fact of a plan property (one declaring `plan_for`) whose date
    has passed and that no fact supersedes: the plan either happened or
    slipped, and the base still presents it as the current plan.

    Fails:

        - id: smile-plan-late-2025
          property: planned-launch-date
          value: 2025

    Passes:

        - id: smile-plan-late-2025
          property: planned-launch-date
          value: 2025
          status: superseded
        - id: smile-launch-date
          property: launch-date
          value: 2026-05-19
          supersedes: [smile-plan-late-2025]

    Fix: add what happened (superseding the plan), or a later plan.

    Like W716 this depends on today's date, not on the files: it is
    reported but never fails the check, even in a strict project.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for fact in context.base.facts.values():
        prop, when = context.prop(fact), context.date_value(fact)
        if not (prop and prop.plan_for and when and context.is_current(fact)):
            continue
        if when.latest() < context.today_tuple:
            yield Diagnostic.at(fact.at("value"), "W715",
                                f"the plan '{fact.id}' ({when}) has passed and nothing records "
                                f"what happened", f"add a '{prop.plan_for}' fact or a later plan "
                                f"that supersedes this one")

"""Cross-fact rules declared in data (files in facts/rules/).

E741: count rule broken
    A rule counts the current facts matching a pattern and requires the count
    to equal a number, given in the rule (with its own citation) or by a
    quantity fact. It catches a list that no longer matches what a source
    states: Smile carries four instruments, CAS provides three of them.

    Fails:

        rules:
          - id: smile-instrument-count
            description: Smile's instrument count matches its instruments.
            count: {subject: smile, property: carries-instrument}
            equals: {fact: smile-number-of-instruments}    # 4, but 3 facts match

    Passes:

        rules:
          - id: smile-instrument-count
            description: Smile's instrument count matches its instruments.
            count: {subject: smile, property: carries-instrument}
            equals: {fact: smile-number-of-instruments}    # 4, and 4 facts match

    Fix: add or remove the facts the pattern counts, or correct the stated number.

E742: rule refers to nothing
    A rule's pattern or `equals` names an unknown entity, property or fact,
    or `equals` names a fact that is not a whole-number quantity.

    Fails:

        equals: {fact: smile-number-of-instrumnets}

    Passes:

        equals: {fact: smile-number-of-instruments}

    Fix: correct the id.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, did_you_mean
from ..model import Fact, Pattern, Rule
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for rule in context.base.rules.values():
        problems = list(_unknown_ids(context, rule))
        yield from problems
        expected = _expected(context, rule)
        # An invalid record is missing from the base, and may be one the rule
        # counts: its own error is reported, and the count waits until it is fixed.
        if problems or expected is None or context.broken:
            continue
        matched = matching(context, rule.count)
        if len(matched) != expected:
            yield Diagnostic.at(rule.spans["equals"], "E741",
                                f"rule '{rule.id}' expects {expected} matching facts but finds "
                                f"{len(matched)}" + (": " + ", ".join(f.id for f in matched)
                                                     if matched else ""),
                                rule.description, related=tuple(f.span for f in matched))


def matching(context: Context, pattern: Pattern) -> list[Fact]:
    subjects = None
    if pattern.subject_in is not None:
        subjects = {f.object for f in matching(context, pattern.subject_in)}
    return [f for f in context.base.facts.values() if context.is_current(f)
            and pattern.subject in (None, f.subject) and pattern.property in (None, f.property)
            and pattern.object in (None, f.object) and (subjects is None or f.subject in subjects)]


def _expected(context: Context, rule: Rule) -> int | None:
    if rule.equals_value is not None:
        return rule.equals_value
    fact = context.base.facts.get(rule.equals_fact or "")
    value = fact.value if fact else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _unknown_ids(context: Context, rule: Rule) -> Iterator[Diagnostic]:
    base, pattern = context.base, rule.count
    while pattern is not None:
        for ident, known in ((pattern.subject, base.entities), (pattern.object, base.entities),
                             (pattern.property, base.properties)):
            if ident is not None and ident not in known and ident not in context.broken:
                yield Diagnostic.at(rule.spans["count"], "E742",
                                    f"rule '{rule.id}' names unknown '{ident}'",
                                    did_you_mean(ident, known))
        pattern = pattern.subject_in
    if rule.equals_value is None and _expected(context, rule) is None \
            and rule.equals_fact not in context.broken:
        yield Diagnostic.at(rule.spans["equals"], "E742",
                            f"rule '{rule.id}': 'equals' must name a fact whose value is a "
                            f"whole number", did_you_mean(rule.equals_fact or "", base.facts))

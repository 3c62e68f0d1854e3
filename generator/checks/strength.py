"""The facts a reader meets first, on the home page, rest on the strongest
sources: the own document of the body, law or author they are about.

W756: headline fact cites only secondary sources
    A headline fact is one the home page leads with: a fact listed under
    `key_facts:` in mkdocs.yml, or a current fact about an entity listed under
    `featured:` (the entities the home page's timelines are about). Every
    source it cites is of a kind declared with `primary: false` in
    facts/properties/ (news, a blog, a reference work): it rests on what others
    say about the mission, agency or law, not on their own words.
    In the examples, mkdocs.yml lists `key_facts: [smile-launch-date]`.

    Fails:

        subject: smile
        facts:
          - id: smile-launch-date
            property: launch-date
            value: 2026-05-14
            cite:
              - source: spacenews-smile-launch     # a source of kind: news
                locator: paragraph 1

    Passes:

        subject: smile
        facts:
          - id: smile-launch-date
            property: launch-date
            value: 2026-05-14
            cite:
              - source: esa-smile-launch-release   # a source of kind: press-release
                locator: paragraph 1

    Fix: cite the agency's, the law's or the author's own document (a
    factsheet, web page, press release, guidance or law text) next to or
    instead of the coverage. Where none exists, say so on the fact:
    `ignore: [{code: W756, reason: no primary source states the launch time}]`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model import Fact
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for fact, why in headline_facts(context):
        secondary = _secondary_sources(context, fact)
        if secondary is not None:
            yield Diagnostic.at(
                fact.at("cite"), "W756",
                f"'{fact.id}' ({why}) cites only secondary sources: {', '.join(secondary)}; "
                "a primary source is expected",
                "cite the body's, law's or author's own document; if none exists, add "
                "`ignore: [{code: W756, reason: …}]` to the fact saying so",
                related=[c.span for c in fact.citations])


def headline_facts(context: Context) -> Iterator[tuple[Fact, str]]:
    """The editor's key facts, then the current facts about featured entities,
    each with why it is one. Superseded and disputed facts about a featured
    entity are left out: the site shows them as history or as contested, not
    as what is so."""
    facts = context.base.facts
    key = [i for i in dict.fromkeys(context.key_facts) if i in facts]
    for ident in key:
        yield facts[ident], "a key fact"
    featured = set(context.featured)
    for fact in facts.values():
        if fact.subject in featured and fact.id not in key and context.is_current(fact):
            yield fact, f"about the featured entity '{fact.subject}'"


def _secondary_sources(context: Context, fact: Fact) -> list[str] | None:
    """The cited sources with their kinds, when every one is declared secondary;
    None when any is primary, or unknown (that is reported elsewhere)."""
    named = []
    for source_id in dict.fromkeys(c.source for c in fact.citations):
        source = context.base.sources.get(source_id)
        kind = context.base.source_kinds.get(source.kind) if source else None
        if kind is None or kind.primary:
            return None
        named.append(f"{source_id} ({kind.label})")
    return named or None

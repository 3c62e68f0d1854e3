"""A statement must read correctly wherever it is shown: on its subject's page,
on the home page, in the fact index, in search results and in tooltips.

W755: statement does not name its subject
    The statement opens with a pronoun ("It", "They", "This") or with a bare
    description ("The act", "The manual", "The agency") instead of naming
    what it is about. Next to its neighbours on the subject's page it reads
    well; alone in a search result or on the home page it does not say who
    or what it is about.

    Fails:

        subject: pl-112-10
        facts:
          - id: pl-112-10-enacted-by
            statement: It was passed by the 112th US Congress.

    Passes:

        subject: pl-112-10
        facts:
          - id: pl-112-10-enacted-by
            statement: Public Law 112-10 was passed by the 112th US Congress.

    Fix: open the sentence with the subject's name (or a name the reader
    knows it by), so that it stands on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from .context import Context

# Words that stand for something named elsewhere: the sentence leans on its neighbours.
PRONOUNS = frozenset("""it its it's they their them this these that those he she his her
here there such""".split())
# A determiner and a lowercase noun ("The act", "The manual") points back the
# same way, unless the noun is tied to a name ("The launch of TC-1 …") or the
# sentence names its subject in its first few words.
DESCRIPTION = re.compile(r"^(?:[Tt]he|[Tt]his|[Tt]hat|[Tt]hese|[Tt]hose)\s+[a-z][\w-]*\b"
                         r"(?!\s+(?:of|for|on)\s+[A-Z0-9])")
LOOK_AHEAD_WORDS = 6


def check(context: Context) -> Iterator[Diagnostic]:
    for fact in context.base.facts.values():
        if fact.statement and not names_subject(fact.statement, _names(context, fact.subject)):
            opening = " ".join(fact.statement.split()[:2])
            yield Diagnostic.at(fact.at("statement"), "W755",
                                f"the statement of '{fact.id}' opens with '{opening}' instead "
                                "of naming its subject",
                                "start with the subject's name, so the sentence stands on its own")


def _names(context: Context, subject: str) -> tuple[str, ...]:
    entity = context.base.entities.get(subject)
    if entity is None:
        return ()
    return tuple(n.casefold() for n in (entity.name, *entity.aliases))


def names_subject(statement: str, names: tuple[str, ...]) -> bool:
    words = statement.split()
    if not words:
        return True
    if any(name in " ".join(words[:LOOK_AHEAD_WORDS]).casefold() for name in names):
        return True
    if words[0].strip(",;:'\"").casefold() in PRONOUNS:
        return False
    return DESCRIPTION.match(statement) is None

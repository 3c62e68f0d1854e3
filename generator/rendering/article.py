"""An entity's facts read as an article: a lead in prose, then paragraphs.

The lead says what the thing is (its summary, with its other names), when
its story starts and where it stands now (the latest word on each ongoing
state). Below it, the facts of each topic read as sentences in paragraphs,
each sentence with one mark and its fact's anchor; a sentence that would open
with the subject's name again, right after one that named it, opens with
"It" or "Its" instead, as a writer would vary it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup

from ..model import Entity, Fact
from .markup import Page, escape

PARAGRAPH = 4  # sentences: a topic longer than this is split where the property changes

# Initialisms read letter by letter take "an" when the letter's name starts
# with a vowel sound: an ESA body, an NSSC team, a US university.
_VOWEL_LETTERS = set("AEFHILMNORSX")
_PROPER_ENDINGS = ("an", "ese", "ish")   # European, Chinese, English
_NAMES = frozenset({"White", "Hong", "Western", "French", "Dutch", "Smile"})   # first words of names
_VERBS = frozenset({"Publishes", "Runs", "Manages", "Writes", "Operates", "Builds"})
_SAID_AS_WORDS = frozenset({"NASA", "NATO"})     # initialisms read as words: a NASA centre


def lead(page: Page, view) -> Markup:
    """The lead paragraph: "**Name** (also …) is <summary>" and the status."""
    entity: Entity = view.entity
    first = f"**{escape(entity.name)}**"
    if entity.aliases:
        first += " (also " + " or ".join(str(escape(a)) for a in entity.aliases) + ")"
    summary = (entity.summary or "").strip()
    if summary and summary.split(" ", 1)[0] in _VERBS:       # "Publishes official documents …"
        text = f"{first} {escape(summary[:1].lower() + summary[1:])}"
    else:
        text = f"{first} is {escape(predicate(summary))}" if summary else first
    if summary and not summary.endswith((".", "!", "?")):
        text += "."
    if not summary:
        text += f" is {article(entity.type.replace('-', ' '))} {escape(entity.type.replace('-', ' '))}."
    now = " ".join(f"{page.anchor(f)}{page.statement(f)}{page.known(f)}{page.cite(f)}"
                   for f in view.status)
    return Markup(f"{text} {now}".rstrip())


def predicate(summary: str) -> str:
    """A noun-phrase summary as what follows "X is": "Joint ESA–CAS mission …"
    -> "a joint ESA–CAS mission …"; "The Vega-C flight …" -> "the Vega-C
    flight …"; "China's national …" stays as it is."""
    head = summary.split(" ", 1)[0]
    if head in ("The", "A", "An"):
        return head.lower() + summary[len(head):]
    if "'" in head or "\u2019" in head:       # Smile's camera, China's academy
        return summary
    if not _proper(head):
        summary = head.lower() + summary[len(head):]
        head = head.lower()
    return f"{article(head)} {summary}"


def _proper(word: str) -> bool:
    """Whether a summary's first word keeps its capital: an initialism
    (ESA, US), a name (White House) or a people's adjective (European)."""
    return (word.isupper() or any(ch.isdigit() for ch in word) or word in _NAMES
            or word.lower().split("-")[0].endswith(_PROPER_ENDINGS))


def article(word: str) -> str:
    """"a" or "an" before a word, as it is said: an ESA body, a NASA centre."""
    if word in _SAID_AS_WORDS:
        return "a"
    if word.isupper() and word.isalpha():
        return "an" if word[0] in _VOWEL_LETTERS else "a"
    lower = word.lower()
    if lower.startswith(("uni", "use", "eu", "one")):
        return "a"
    return "an" if lower[:1] in "aeiou" else "a"


def paragraphs(page: Page, entity: Entity, facts: Iterable[Fact], dated) -> list[Markup]:
    """The facts as paragraphs of sentences: a new paragraph where the
    property changes once a paragraph has PARAGRAPH sentences. `dated(fact)`
    gives the stamp to add after a time-bound value ("" for most)."""
    groups: list[list[Fact]] = []
    for fact in facts:
        if not groups or (len(groups[-1]) >= PARAGRAPH and fact.property != groups[-1][-1].property):
            groups.append([])
        groups[-1].append(fact)
    return [_paragraph(page, entity, group, dated) for group in groups]


def _paragraph(page: Page, entity: Entity, facts: list[Fact], dated) -> Markup:
    sentences, named = [], False
    for fact in facts:
        text = fact.statement or ""
        varied = vary(text, entity.name) if named and text else None
        said = escape(varied) if varied else page.statement(fact)
        sentences.append(f"{page.anchor(fact)}{said}{page.cite(fact)}{dated(fact)}")
        named = entity.name in text
    return Markup(" ".join(sentences))


def vary(statement: str, name: str) -> str | None:
    """The statement opening with "It"/"Its" instead of the subject's name,
    or None when it does not open with the name in a way that allows it."""
    pattern = re.compile(rf"^(?:The )?{re.escape(name)}(?P<s>['\u2019]s)? (?=[a-z])")
    found = pattern.match(statement)
    if found and not statement[found.end():].startswith(("and ", "or ", "of ", "with ")):
        return ("Its " if found["s"] else "It ") + statement[found.end():]
    under = re.match(rf"^(Under|In|By) the {re.escape(name)},", statement)
    if under:
        return f"{under[1]} it," + statement[under.end():]
    return None

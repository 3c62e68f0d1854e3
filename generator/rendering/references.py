"""A page's citation marks, notes and references, as Wikipedia's shortened
footnotes work.

One mark per claim: everything a sentence cites (one fact or several, one
source or several) is one note, "[3]", and the note lists each source with
the place in it that was used ("Smile factsheet (ESA, 2024), p. 3; …"). The
same bundle cited again reuses its note, with one back-link per use (^ a b).
Under the notes, the references: one entry per source however often it is
cited, with its publisher, dates, kind and strength, the original and the
archived copy.

A single place in a single source is also printed after the mark, as
Wikipedia's {{rp}} prints a page number, when it is short enough to read there
("[3]:¶ 2"); a longer one is in the note and in the mark's tooltip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable

from markupsafe import Markup

from ..model import Fact, FactBase, PartialDate

# One citation: (source id, locator).
Use = tuple[str, str]

RP_LIMIT = 12  # characters: "¶ 2", "p. 3", "§ 1340(a)", "headline"; longer ones stay in the note

_ORDINALS = {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(), 1)}
_PARAGRAPH = re.compile(r"(?P<n>\w+) paragraph", re.I)
_PAGE = re.compile(r"(?:page|p\.)\s*(?P<n>[\w–-]+)", re.I)
_SECTION = re.compile(r"(?:section|sec\.|§)\s*(?P<n>[\w().–-]+)", re.I)


def short_locator(locator: str) -> str | None:
    """A locator as it reads after a mark ("first paragraph" -> "¶ 1",
    "page 3" -> "p. 3", "section 1340" -> "§ 1340"), or None when even that is
    too long to read inline."""
    text = locator.strip()
    for pattern, mark in ((_PARAGRAPH, "¶"), (_PAGE, "p."), (_SECTION, "§")):
        found = pattern.fullmatch(text)
        if found:
            n = found["n"]
            n = str(_ORDINALS.get(n.lower(), n))
            if mark == "¶" and not n.isdigit():
                break  # "final paragraph", "opening paragraph": keep the words
            text = f"{mark}\u00a0{n}"
            break
    return text if len(text) <= RP_LIMIT else None


@dataclass
class _Note:
    number: int
    uses: Iterable[Use]
    count: int = 0


@dataclass
class Notes:
    """The marks, notes and references of one page, numbered in order of
    first use, so numbering depends only on the page's content."""

    base: FactBase
    _notes: dict[tuple[Use, ...], _Note] = field(default_factory=dict)
    _sources: dict[str, None] = field(default_factory=dict)   # in order of first use

    def mark(self, facts: Iterable[Fact]) -> Markup:
        """The one mark for everything the facts cite ("" when they cite nothing)."""
        uses = tuple(dict.fromkeys((c.source, c.locator) for f in facts for c in f.citations))
        if not uses:
            return Markup("")
        note = self._notes.get(uses)
        if note is None:
            note = self._notes[uses] = _Note(len(self._notes) + 1, uses)
            self._sources.update(dict.fromkeys(source for source, _ in uses))
        letter = letter_of(note.count)
        note.count += 1
        rp = short_locator(uses[0][1]) if len(uses) == 1 else None
        shown = f'<span class="cite-rp">:{_html(rp)}</span>' if rp else ""
        return Markup(f'<sup id="cite-ref-{note.number}-{letter}">'
                      f'<a class="footnote-ref" href="#cite-note-{note.number}">'
                      f'&#91;{note.number}&#93;</a>{shown}</sup>')

    def __bool__(self) -> bool:
        return bool(self._notes)

    def notes(self, cited: Callable[[str, list[str]], str]) -> list[str]:
        """The notes as Markdown list lines, each naming every source of its
        mark once with the places used in it (`cited(source, locators)`). Each is an element with the
        note's id holding the back-links and the text: Material's footnote
        tooltip shows the element's children, and the stylesheet hides the
        back-links there."""
        lines = []
        for note in self._notes.values():
            places: dict[str, list[str]] = {}
            for source, locator in note.uses:
                places.setdefault(source, []).append(locator)
            said = " ".join(cited(source, locators) for source, locators in places.items())
            lines.append(f'{note.number}. <span id="cite-note-{note.number}">'
                         f'{back_links(note.number, note.count)} <span>{said}</span></span>')
        return lines

    def sources(self) -> tuple[str, ...]:
        return tuple(self._sources)


def letter_of(index: int) -> str:
    """A use's letter, as Wikipedia's: a … z, then aa, ab …"""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(97 + rest) + letters
    return letters


def back_links(number: int, uses: int) -> str:
    """"^" linking back to the only use, or "^ a b c" with a link per use,
    each named for screen readers (the letters alone say little)."""
    if uses == 1:
        links = f'<a href="#cite-ref-{number}-a" aria-label="Back to the citation">^</a>'
    else:
        links = "^ " + " ".join(
            f'<a href="#cite-ref-{number}-{x}" aria-label="Back to citation {x}">{x}</a>'
            for x in map(letter_of, range(uses)))
    return f'<span class="cite-back">{links}</span>'


def year(date: PartialDate | None) -> str:
    return str(date.year) if date else "n.d."


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""Turning data into inert Markdown: escaping, links, values, citations.

Everything a template prints passes through `escape()` (the Jinja
`finalize` hook) unless it is `Markup` built here from escaped parts, so
text from a fact file can never become HTML, a link or a script.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from typing import Any
from collections.abc import Iterable

from markupsafe import Markup

from ..model import Citation, Entity, Fact, FactBase, PartialDate, Property, Source
from .pages import Index
from .references import Notes, year
from ..values import typed_value

# Characters that start Markdown syntax anywhere in a line: a backslash makes
# each literal (`<`, `>` and `&` become HTML entities instead). Links, images
# and footnotes all need `[`, attribute lists `{`, tables `|`. Hyphens and full
# stops are not escaped: they only mean something at the start of a line
# (handled below), and every needless escape costs MkDocs a placeholder.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|])")
_LINE_START = re.compile(r"^([#>+-]|\d+(?=[.)]))")
_PLAIN = re.compile(r"[A-Za-z0-9 ,;:'/?=%@]*")  # characters that never need escaping
_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December")


def escape(value: Any) -> Markup:
    """Any value as literal Markdown text on one line."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(_escape_text(str(value)))


@lru_cache(maxsize=16384)  # names, labels and ids repeat on thousands of pages
def _escape_text(text: str) -> str:
    if _PLAIN.fullmatch(text) and "  " not in text and text == text.strip():
        return text
    text = " ".join(text.split())  # no newline can start a new block
    text = _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))
    return _LINE_START.sub(_escape_start, text, count=1)


# A theme prints a page's title as HTML in some places and unescapes it in
# others (Material's <title> goes through `striptags`, which turns &lt; back
# into <), so titles are made only of characters that read the same either
# way: look-alikes replace the ones that mean something in HTML. An & followed
# by a space cannot start a character reference and stays.
_TITLE_LOOKALIKES = str.maketrans({"<": "\u2039", ">": "\u203a", '"': "\u201d", "'": "\u2019"})
_OPENING_QUOTE = re.compile(r'(^|\s)"')
_ENTITY_START = re.compile(r"&(?=\S)")


def title_text(text: str) -> str:
    """Text that stays text wherever a theme prints it: raw, escaped or unescaped."""
    text = _ENTITY_START.sub("\uff06", _OPENING_QUOTE.sub("\\1\u201c", " ".join(text.split())))
    return text.translate(_TITLE_LOOKALIKES)


# How much more the page about a thing weighs in search than a page mentioning it.
ABOUT_BOOST = 10


def _yaml_text(text: str) -> str:
    """Inert text as a YAML scalar (JSON is YAML)."""
    return json.dumps(title_text(text), ensure_ascii=False)


def _escape_start(match: re.Match) -> str:
    """A heading, quote or list marker at the start of a cell or item stays text."""
    token = match.group(1)
    return "\\" + token if not token[0].isdigit() else token + "\\"


def relative(target: str, page: str) -> str:
    """The link from one generated page to another, both docs-relative paths
    without "..": climb to the docs root, then down (cheaper than relpath)."""
    return "../" * page.count("/") + target


def format_date(date: PartialDate) -> str:
    if date.day:
        return f"{date.day} {_MONTHS[date.month - 1]} {date.year}"
    if date.month:
        return f"{_MONTHS[date.month - 1]} {date.year}"
    return str(date.year)


def format_number(number: float | int) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number:,}"


class Page:
    """Formatting helpers bound to one page: its path and its references.

    A page has one reference per source it cites, numbered in order of first
    use, so numbering depends only on the page's content and is stable from
    build to build; each use of a source gets its own mark and back-link.
    """

    def __init__(self, base: FactBase, path: str, urls: dict[str, str],
                 shared: dict | None = None, index: Index | None = None):
        self.base, self.path, self.urls = base, path, urls
        self.index = index or Index.of(base)
        self._refs = Notes(base)
        self._told: dict[str, None] = {}   # facts cited so far, in order: told once per page
        self._anchored: set[str] = set()
        self.subject: str | None = None     # the entity the page is about, if any
        self.in_prose: frozenset[str] = frozenset()   # facts the page's prose cites (rehearsed)
        # Links and statements look the same from every page at the same depth
        # and recur on thousands of pages: made once per depth, shared by pages.
        self._shared = shared.setdefault(path.count("/"), {}) if shared is not None else {}

    def url(self, ident: str, anchor: str = "") -> str:
        return relative(self.urls[ident], self.path) + (f"#{anchor}" if anchor else "")

    def link(self, ident: str) -> Markup:
        """A link to an entity's or source's page, by id."""
        made = self._shared.get(ident)
        if made is None:
            thing = self.base.entities.get(ident) or self.base.sources.get(ident)
            name = thing.name if isinstance(thing, Entity) else thing.title
            made = self._shared[ident] = Markup(f"[{escape(name)}]({self.url(ident)})")
        return made

    def fact_link(self, fact: Fact, text: str | None = None) -> Markup:
        """A link to the fact on its subject's page, labelled with its id (a
        slug, so nothing to escape) unless another text is given."""
        label = escape(text) if text else fact.id
        return Markup(f"[{label}]({self.url(fact.subject, 'fact-' + fact.id)})")

    def anchor(self, fact: Fact) -> Markup:
        """An HTML anchor for the fact, so pages can link to it (ids are
        slugs); once per page, where the fact is first told."""
        if fact.id in self._anchored:
            return Markup("")
        self._anchored.add(fact.id)
        return Markup(f'<a id="fact-{fact.id}"></a>')

    def about(self, ident: str) -> str:
        """Make this the page about an entity: a fact about it cited in the
        page's own prose (an article) gets its anchor there."""
        self.subject = ident
        return ""

    def attr_id(self, ident: str) -> Markup:
        """An attribute list setting a heading's anchor (ids here are plain slugs)."""
        return Markup(f"{{ #{ident} }}")

    def title(self, text: str, aliases: Iterable[str] = (), about: bool = False,
              description: str | None = None, meta: dict | None = None) -> Markup:
        """The page's front matter and first heading. The title in the front
        matter is what themes print in <title>, the header and the nav, so it
        is made inert there too, whatever engine builds the page; so is the
        description (the page's <meta name="description">, printed raw).

        `about` marks the page as the one about a thing, for search: it gets
        a boost, and the thing's other names (`aliases`) become its search
        tags, so "SXI" finds the Soft X-ray Imager's page first. Other `meta`
        (for the plugin's metadata) is written as JSON, which YAML reads."""
        lines = [f"title: {_yaml_text(text)}"]
        if description:
            lines.append(f"description: {_yaml_text(description)}")
        if about:
            lines.append(f"search: {{boost: {ABOUT_BOOST}}}")
        if aliases:
            lines.append("tags: [" + ", ".join(_yaml_text(t) for t in aliases) + "]")
        lines += [f"{key}: {json.dumps(value, ensure_ascii=False)}"
                  for key, value in (meta or {}).items() if value]
        return Markup("---\n" + "\n".join(lines) + f"\n---\n\n# {escape(text)}")

    def verbatim(self, text: str) -> Markup:
        """Text for inside a fenced code block, where Markdown does not apply.
        A line of backticks could close the fence early, so those are broken up."""
        return Markup(text.replace("```", "` ` `"))

    def code(self, ident: str) -> Markup:
        """An id as inline code: searchable, and shown exactly as written in YAML."""
        return Markup(f"`{ident}`")

    def item(self, fact: Fact) -> Markup:
        """A fact as a sentence in running text: its anchor, statement, one
        mark and, when time-bound and not the latest, when it was true. (One
        call: most of a page is these.) Its id is not shown: the anchor, the
        fact index and the page's "For editors" block keep it reachable."""
        return Markup(f"{self.anchor(fact)}{self.statement(fact)}{self.cite(fact)}"
                      f"{self.as_of(fact)}")

    def values(self, facts: Iterable[Fact]) -> Markup:
        """An infobox cell: each current value with its anchor, then one mark
        for the row; facts the page's prose cites are cited there instead."""
        facts = tuple(facts)
        return Markup("; ".join(f"{self.anchor(f)}{self.value(f)}{self.as_of(f)}" for f in facts)) \
            + self.cite(*(f for f in facts if f.id not in self.in_prose))

    def as_of(self, fact: Fact) -> Markup:
        """When a value was true, only where that matters: a period of
        validity that ends (an act in force for one fiscal year must not read
        as current after it), or the date of an ongoing state (a status, a
        plan) that a newer fact on the same page has overtaken."""
        if fact.valid_until:
            return Markup(_as_of(fact))
        prop = self.base.properties.get(fact.property)
        when = self._known_on(fact) if prop and prop.ongoing else None
        if when is None:
            return Markup("")
        newer = any(other.as_of and other.as_of.earliest() > when.latest()
                    for other in self.index.about.get(fact.subject, ())
                    if other.property == fact.property and self.index.is_current(other))
        return Markup(f" *(as of {format_date(when)})*" if newer else "")

    def known(self, fact: Fact) -> Markup:
        """When the latest word on an ongoing state was true, wherever it is
        shown as the present (a reader must be able to judge whether it may
        have changed since): its period if it has one, else the date it was
        known true."""
        if fact.valid_from or fact.valid_until:
            return Markup(_as_of(fact))
        when = self._known_on(fact)
        return Markup(f" *(status as of {format_date(when)})*" if when else "")

    def _known_on(self, fact: Fact) -> PartialDate | None:
        """The fact's `as_of`, else the newest publication date among its sources."""
        sources = map(self.base.sources.get, dict.fromkeys(c.source for c in fact.citations))
        return fact.as_of or max((s.published for s in sources if s and s.published),
                                 key=lambda date: (date.earliest(), date.latest()), default=None)

    def see_also(self, chosen: Iterable, related: Iterable[str]) -> Markup:
        """An entity's "See also": the editor's links (entity ids, or (title,
        page) pairs), one per line, then the other related entries on one line,
        folded when the editor chose some."""
        lines = [f"- {self.link(item)}" if isinstance(item, str)
                 else f"- [{escape(item[0])}]({relative(item[1], self.path)})" for item in chosen]
        shown = {item for item in chosen if isinstance(item, str)}
        others = [i for i in related if i not in shown]
        if others and lines:   # after the editor's choice, the rest stays folded
            lines += ["", f'??? note "Related entries ({len(others)})"', "",
                      f"    {self.links(others)}"]
        elif others:
            lines.append(f"Related entries: {self.links(others)}")
        return Markup("\n".join(lines))

    def links(self, idents: Iterable[str]) -> Markup:
        """Links to several entities' or sources' pages, in order, dot-separated."""
        return Markup(" · ".join(self.link(ident) for ident in idents))

    def citing(self, fact: Fact, citation: Citation) -> Markup:
        """A source page's line for a fact citing it: the fact's id, subject and
        status, its statement, and where in the source."""
        return Markup(f"{self.fact_link(fact)} ({self.link(fact.subject)}, "
                      f"{self.status(fact).lower()}): {self.statement(fact)}"
                      f" — *{escape(citation.locator)}*")

    def entry(self, fact: Fact) -> Markup:
        """A fact-index entry: its heading (the id, as anchor too), statement,
        status, subject, and the fact in context."""
        return Markup(f"## {fact.id} {self.attr_id(fact.id)}\n\n"
                      f"{self.statement(fact)} {self.status(fact)} · about "
                      f"{self.link(fact.subject)} · {self.fact_link(fact, 'in context')}")

    def status(self, fact: Fact) -> Markup:
        """Disputed, Superseded or Current; the exceptions in bold, so they stand out."""
        label = self.index.status(fact)
        return Markup(label if label == "Current" else f"**{label}**")

    def history_row(self, fact: Fact) -> Markup:
        """A row of an entity's history table: the value (anchor, statement,
        citations), its status and what replaced it, when it was true, the note."""
        newer = ", ".join(self.fact_link(f) for f in self.index.replacements(fact))
        status = f"{self.status(fact)} by {newer}" if newer else self.status(fact)
        as_of = format_date(fact.as_of) if fact.as_of else ""
        return Markup(f"| {self.anchor(fact)}{self.statement(fact)}{self.cite(fact)} | "
                      f"{status} | {as_of} | {escape(fact.note)} |")

    def statement(self, fact: Fact) -> Markup:
        """The fact's own sentence, or one made from its property and value."""
        key = ("statement", fact.id)
        made = self._shared.get(key)
        if made is None:
            made = self._shared[key] = self._statement(fact)
        return made

    def _statement(self, fact: Fact) -> Markup:
        if fact.statement:
            return escape(fact.statement)
        subject = self.base.entities[fact.subject].name
        label = self.base.properties[fact.property].label
        value = self.value(fact)
        end = "" if value.endswith((".", "!", "?")) else "."  # a text value may be a sentence
        return Markup(f"{escape(subject)}, {escape(label)}: {value}{end}")

    def value(self, fact: Fact) -> Markup:
        """The fact's value for display: a linked entity, a date, a quantity, text."""
        prop = self.base.properties[fact.property]
        if fact.object is not None:
            return self.link(fact.object)
        return escape(display_value(fact, prop))

    def cite(self, *facts: Fact) -> Markup:
        """One reference mark for everything the facts cite: a sentence backed
        by several facts or sources gets one bundled note (references.Notes)."""
        self._told.update(dict.fromkeys(f.id for f in facts))
        anchors = "".join(self.anchor(f) for f in facts if f.subject == self.subject)
        return Markup(anchors) + self._refs.mark(facts)

    def rehearsed(self) -> str:
        """After a silent first rendering of the page's prose: forget its
        marks and anchors, and remember the facts it cites (`in_prose`), so
        that what comes before the prose (the infobox) can leave their
        citing to it."""
        self.in_prose = frozenset(self._told)
        self._refs, self._told, self._anchored = Notes(self.base), {}, set()
        return ""

    def cited_facts(self) -> tuple[Fact, ...]:
        """The facts cited on the page so far: an entity's article tells
        them, so its list of other facts leaves them out."""
        return tuple(self.base.facts[i] for i in self._told)

    def footnotes(self) -> Markup:
        """The page's notes (one per mark's bundle, with a back-link per use)
        and its references (one per source), both collapsed under one heading:
        a mark's tooltip shows its note, and following a mark opens the note."""
        if not self._refs:
            return Markup("")
        notes = self._refs.notes(self._cited)
        sources = [f"    - {self._reference(s)}" for s in self._refs.sources()]
        lines = ["## References", "",
                 f'??? note "Notes: where each mark points ({len(notes)})"', "",
                 *(f"    {line}" for line in notes), "",
                 f'??? note "Sources cited ({len(sources)})"', "", *sources]
        return Markup("\n".join(lines))

    def _cited(self, source_id: str, locators: list[str]) -> str:
        """One source in a note: its title (linking to its reference below),
        publisher and year, and each place used, as a sentence."""
        source = self.base.sources[source_id]
        places = "; ".join(str(escape(loc)) for loc in locators)
        return (f"[{escape(short_title(source.title))}](#ref-{source_id}) "
                f"({escape(self.short_name(source.publisher))}, {year(source.published)}): "
                f"{places}{'' if places.endswith('.') else '.'}")

    def short_name(self, ident: str) -> str:
        """An entity's shortest name (ESA rather than European Space Agency)."""
        entity = self.base.entities[ident]
        return min((entity.name, *entity.aliases), key=len)

    def _reference(self, source_id: str) -> Markup:
        """A source's reference, the same wherever it is cited: title
        (linking to its page), publisher, publication date, kind and strength,
        the original and the archived copy, and when it was last checked."""
        key = ("reference", source_id)
        made = self._shared.get(key)
        if made is None:
            source = self.base.sources[source_id]
            published = format_date(source.published) if source.published else "Not dated"
            archive = (f" · [Archived copy]({_safe_url(source.archive_url)})"
                       if source.archive_url else "")
            checked = (f"Checked {format_date(source.accessed)}" if source.accessed
                       else "Date checked not recorded")
            made = self._shared[key] = Markup(
                f'<span id="ref-{source_id}">{self.link(source_id)}. '
                f"{self.link(source.publisher)}. {published}. {self.kind(source.kind)}. "
                f"[Original]({_safe_url(source.url)}){archive}. {checked}.</span>")
        return made

    def kind(self, kind: str) -> Markup:
        """A source's kind and strength in words, as the vocabulary declares
        it (`primary:` on each source kind)."""
        declared = self.base.source_kinds.get(kind)
        label = escape(sentence_case(declared.label if declared else kind.replace("-", " ")))
        if not declared:
            return label
        if declared.primary:
            return Markup(f'{label}, <span class="cite-primary">primary source</span>')
        return Markup(f'{label}, <span class="cite-secondary">secondary source</span>')


_TITLE_WORDS = 7   # a note names its source this briefly; the reference has the full title


def short_title(title: str) -> str:
    """A title as a note names it, as Wikipedia's short citations do: up to
    its first colon, dash or bracket (when three words or more come before
    it), and at most _TITLE_WORDS words."""
    head = re.split(r": | [–—-] | \(", title, maxsplit=1)[0].split()
    words = head if len(head) >= 3 else title.split()   # "SMILE – …" says too little
    return " ".join(words[:_TITLE_WORDS]) + ("…" if len(words) > _TITLE_WORDS else "")


def _as_of(fact: Fact) -> str:
    """When a time-bound value was true, wherever it is shown: its period of
    validity if it has one (an act in force for one fiscal year must not read
    as current after it), else the date it was known true."""
    start, end = fact.valid_from, fact.valid_until
    if start and end:
        return f" *({format_date(start)} to {format_date(end)})*"
    if start or end:
        return f" *({'since ' + format_date(start) if start else 'until ' + format_date(end)})*"
    return f" *(as of {format_date(fact.as_of)})*" if fact.as_of else ""


def display_value(fact: Fact, prop: Property) -> str:
    value = typed_value(fact.value, prop.value_type)
    if isinstance(value, PartialDate):
        return format_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return ("about " if fact.approximate else "") + f"{format_number(value)} {counted(value, prop.unit)}"
    return str(value)


_COUNT_NOUN = re.compile(r"[a-z]{3,}(?: [a-z]+)*")  # "day", "member states"; not "km" or "W"


def counted(number: float | int, unit: str | None) -> str:
    """A unit that is a word agrees with its number: 1 day, 2 days, 1 proposal."""
    if not unit or not _COUNT_NOUN.fullmatch(unit):
        return unit or ""
    if number == 1:
        return unit.removesuffix("s")
    return unit if unit.endswith("s") else unit + "s"


def sentence_case(text: str) -> str:
    """A label as a heading or row name: "launch date" -> "Launch date"."""
    return text[:1].upper() + text[1:]


def _safe_url(url: str) -> str:
    """An http(s) URL (validated on load) made safe inside Markdown's (…)."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C") \
        .replace(">", "%3E").replace('"', "%22")


def source_url(source: Source) -> str:
    return _safe_url(source.url)

"""The one seam where YAML text becomes position-carrying nodes.

Two parsers sit behind `parse()`: PyYAML's libyaml binding (fast; PyYAML
comes with MkDocs anyway) and ruamel.yaml (pure Python, always present; the
same library `fmt` and `new` use to rewrite files). Both produce identical
`Node` trees with identical positions, which the tests assert.

Scalars are resolved here, once, by a small YAML 1.2 core rule set, so
that `no` stays a string and `2026-05-19` stays text for the date parser
(YAML 1.1 resolvers would turn them into False and a datetime). Each scalar
also keeps the characters it was written with, so that text fields can keep
`007` rather than 7; an explicit core tag (`!!str 007`) is obeyed.

Characters that hide, reorder or forge text are refused here too, once for
the whole file and once for each double-quoted scalar (the only style whose
escapes can make characters the file does not contain), so that no field,
key or comment can carry them to a page, a terminal or a reviewer's diff.

E101: YAML syntax error
    The file is not valid YAML: often a tab used for indentation, a colon
    inside unquoted text, or a bracket or quote left open. The position is
    where the parser gave up, or where the unclosed thing began.

    Fails:

        statement: Smile: a joint mission
        property: [partner

    Passes:

        statement: "Smile: a joint mission"
        property: partner

    Fix: quote text containing ': ', indent with spaces, close what you opened.

E102: not UTF-8
    Fact files must be UTF-8. The message gives the byte offset of the first
    byte that is not.

    Fails:

        name: café              # saved as Latin-1 (byte 0xe9)

    Passes:

        name: café              # saved as UTF-8

    Fix: re-save the file as UTF-8 in your editor.

E103: duplicate key
    The same key appears twice in one mapping; YAML would silently keep only
    the second. Both lines are named.

    Fails:

        property: partner
        property: launch-vehicle

    Passes:

        property: partner

    Fix: delete one of the two, or merge them.

E104: YAML tag
    Tags such as `!!python/object` can make some YAML loaders run code; fact
    files hold plain values only. YAML's own core tags are obeyed (`!!str
    007` is the text "007"), and refused where the value does not fit them.

    Fails:

        property: !!python/object/apply:os.system ["echo hi"]
        value: !!int 2,200

    Passes:

        property: partner
        value: 2200

    Fix: remove the tag.

E105: YAML anchor or alias
    Anchors (`&name`) and aliases (`*name`) are refused: they hide where a
    value comes from, and nested aliases can expand a small file into
    billions of nodes ("billion laughs").

    Fails:

        cite: &c
          - source: esa-smile-factsheet
            locator: introduction
        ...
        cite: *c

    Passes:

        cite:
          - source: esa-smile-factsheet
            locator: introduction

    Fix: write each value out in full.

E106: file too large or too deep
    A file over 5 MB, nesting deeper than 32 levels, or a single value over
    20,000 characters is refused before it is processed.

    Fails:

        facts: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]

    Passes:

        facts:
          - id: smile-launch-date

    Fix: split large files; fact files never need deep nesting.

E108: unsafe character
    Fact files are plain text. Refused anywhere in a file, written out or as
    a `"\\u…"` escape: control characters other than tab and line breaks
    (NUL, BEL, ESC, U+0080–U+009F), bidirectional controls (U+202A–U+202E,
    U+2066–U+2069: they make text display in another order than it reads,
    in a page, a terminal or a reviewed diff), zero-width characters
    (U+200B–U+200D, U+2060, U+FEFF after the start of the file) and escapes
    naming half a surrogate pair. The message names the character by its
    code point rather than printing it. The zero-width joiner is refused in
    prose too:
    it is invisible, so two names that look the same could differ, and the
    base's English prose never needs it (emoji sequences and some scripts
    do; such text would need this rule changed deliberately).

    Fails:

        statement: "Smile\\u202e launched"     # RIGHT-TO-LEFT OVERRIDE
        locator: "page\\e[2J 4"                # ESCAPE, as a terminal sequence

    Passes:

        statement: Smile launched.
        locator: page 4

    Fix: delete the character; retype the text if you cannot see where it is.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple, Union
from collections.abc import Callable

from ..diagnostics import Diagnostic
from ..model import Span

MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 32
MAX_SCALAR_CHARS = 20_000

_CORE = "tag:yaml.org,2002:"
CORE_TAGS = frozenset(
    _CORE + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True,
          "false": False, "False": False, "FALSE": False}

# Refused characters (E108). Tab, line feed and carriage return lay a file out;
# inside a value, only tab and line feed can be text (parsers turn line breaks
# written in the file into line feeds, so a carriage return there came from an
# escape, and would rewrite a terminal line).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
_UNSAFE_IN_FILE = re.compile(f"[{_CONTROL}{_BIDI}{_ZERO_WIDTH}]")
_UNSAFE_IN_VALUE = re.compile(f"[\r{_CONTROL}{_BIDI}{_ZERO_WIDTH}\ud800-\udfff]")
_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE")


class Scalar(NamedTuple):
    value: Any      # as YAML resolves it: 007 is the int 7
    span: Span
    text: str       # the characters written (after escapes): "007"


class Mapping(NamedTuple):
    items: tuple[tuple[Scalar, Node], ...]
    span: Span

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


class Sequence(NamedTuple):
    items: tuple[Node, ...]
    span: Span


Node = Union[Scalar, Mapping, Sequence]


@dataclass(frozen=True)
class Parsed:
    root: Node | None
    diagnostics: tuple[Diagnostic, ...]


class _Invalid(Exception):
    """Raised inside the tree walk; becomes one diagnostic for the file."""

    def __init__(self, span: Span, code: str, message: str, hint: str | None = None):
        super().__init__(message)
        self.diagnostic = Diagnostic.at(span, code, message, hint)


_MAYBE_NOT_TEXT = frozenset("-+.0123456789~nNtTfF")


def resolve_plain(text: str) -> Any:
    if text and text[0] not in _MAYBE_NOT_TEXT:
        return text  # the common case: a word can only be text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def decode(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text with any byte-order mark removed, or where decoding failed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return None, Diagnostic.at(
            Span(path, line, col), "E102",
            f"file is not valid UTF-8: byte 0x{data[err.start]:02x} at offset {err.start}",
            "save the file as UTF-8")
    return text.removeprefix("\ufeff"), None


def too_large(size: int, path: str) -> Diagnostic:
    """E106 for a file of `size` bytes (also said before reading a file: see files.read)."""
    return Diagnostic.at(Span(path, 1, 1), "E106",
                         f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                         "split it into several files")


def parse(data: bytes, path: str, engine: str = "auto") -> Parsed:
    """Parse one YAML file into a node tree, or say precisely why not."""
    if len(data) > MAX_FILE_BYTES:
        return Parsed(None, (too_large(len(data), path),))
    text, problem = decode(data, path)
    if problem:
        return Parsed(None, (problem,))
    unsafe = _UNSAFE_IN_FILE.search(text)
    if unsafe:  # before the parsers, which would refuse controls at 1:1, or fold U+0085
        return Parsed(None, (Diagnostic.at(
            _position(text, unsafe.start(), path), "E108",
            f"{character_name(unsafe[0])} is not allowed in a fact file", _remedy(unsafe[0])),))
    try:
        root = _compose(_events(text, engine), path)
    except _Invalid as err:
        return Parsed(None, (err.diagnostic,))
    except Exception as err:  # the YAML libraries' own error classes
        if engine != "ruamel":
            # libyaml words its errors differently; ruamel's messages (and
            # hints) are the reference, and a broken file is rare enough.
            return parse(data, path, "ruamel")
        return Parsed(None, (_syntax_error(err, path),))
    return Parsed(root, ())


def character_name(char: str) -> str:
    """A character as its code point and name ("U+202E RIGHT-TO-LEFT OVERRIDE"):
    how refused characters are shown, since printing them is the danger."""
    code = ord(char)
    name = (_C0_NAMES[code] if code < 0x20 else "DELETE" if code == 0x7f
            else unicodedata.name(char, ""))
    if not name:
        name = ("(half of a surrogate pair)" if 0xD800 <= code <= 0xDFFF
                else "(a noncharacter)" if code in (0xFFFE, 0xFFFF) else "(a control character)")
    return f"U+{code:04X} {name}"


def _remedy(char: str) -> str:
    if re.match(f"[{_BIDI}]", char):
        return "remove it: direction controls make text display in another order than it reads"
    if re.match(f"[{_ZERO_WIDTH}]", char):
        return "remove it: invisible characters make text differ from what it shows"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return "write the character itself, or escape it whole (\\U0001F600), not as two \\u halves"
    shown = character_name(char)
    shown = shown if "(" in shown else f"the control character {shown}"
    return f"remove {shown}; fact files are plain UTF-8 text"


def _position(text: str, offset: int, path: str) -> Span:
    """Line and column of a character, counting line breaks as YAML does."""
    lines = re.split("\r\n|\r|\n", text[:offset])
    return Span(path, len(lines), len(lines[-1]) + 1)


def engines() -> tuple[str, ...]:
    """The parsers available here, fastest first."""
    try:
        import yaml
        yaml.CSafeLoader  # noqa: B018 - only present when libyaml is compiled in
        return ("libyaml", "ruamel")
    except (ImportError, AttributeError):
        return ("ruamel",)


def _events(text: str, engine: str) -> Callable[[], Any]:
    """A function returning the next parser event (None after the last)."""
    if engine == "auto":
        engine = engines()[0]
    if engine == "libyaml":
        import yaml
        # get_event directly: yaml.parse() also asks check_event before each
        # event, doubling the per-event cost. The loader holds no resources
        # beyond the text, so it is left to the garbage collector.
        return yaml.CBaseLoader(text).get_event
    from ruamel.yaml import YAML
    return partial(next, iter(YAML(typ="safe", pure=True).parse(text)), None)


class _Frame:
    """A mapping or sequence being built from the event stream."""

    __slots__ = ("kind", "span", "items", "key", "keys")

    def __init__(self, kind: str, span: Span):
        self.kind, self.span, self.items = kind, span, []
        self.key: Scalar | None = None
        self.keys: dict[Any, Span] = {}


_new_span = partial(tuple.__new__, Span)      # Span(...) without a Python-level __new__
# Ids, keys and property names recur on every fact: one string object for each
# (and so one copy in each cached file's pickle, and in memory after loading).
_INTERN_CHARS = 64
_intern = sys.intern
_new_scalar = partial(tuple.__new__, Scalar)  # one of each per node: this is the hot loop


def _compose(next_event: Callable[[], Any], path: str) -> Node | None:
    """Build the tree straight from parser events, with an explicit stack: no
    recursion, so nesting is bounded by MAX_DEPTH rather than by the C stack,
    and the first anchor, alias or tag stops the file before anything expands.
    (Both parsers produce the same events, hence the same tree and positions.)"""
    stack: list[_Frame] = []
    root: Node | None = None
    documents = 0
    while True:
        event = next_event()
        if event is None:
            return root
        name = event.__class__.__name__
        if name == "ScalarEvent":  # most events: the fast path first
            mark = event.start_mark
            span = _new_span((path, mark.line + 1, mark.column + 1))
            text = event.value
            if len(text) > MAX_SCALAR_CHARS:
                raise _Invalid(span, "E106", f"value is {len(text):,} characters; "
                               f"the limit is {MAX_SCALAR_CHARS:,}")
            if event.style == '"':  # escapes: the file scan could not see these
                unsafe = _UNSAFE_IN_VALUE.search(text)
                if unsafe:
                    raise _Invalid(span, "E108", f"the value contains {character_name(unsafe[0])}",
                                   _remedy(unsafe[0]))
            if event.anchor is not None or event.tag is not None:
                _refuse(event, name, span)
                value = _tagged(text, str(event.tag), span)
            else:
                value = resolve_plain(text) if not event.style else text
            if value.__class__ is str:
                if len(value) <= _INTERN_CHARS:
                    value = _intern(value)
                text = value
            node: Node = _new_scalar((value, span, text))
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            mark = event.start_mark
            span = _new_span((path, mark.line + 1, mark.column + 1))
            if event.anchor is not None or event.tag is not None:
                _refuse(event, name, span)
                _tagged_collection(name, str(event.tag), span)
            if len(stack) >= MAX_DEPTH:
                raise _Invalid(span, "E106", f"nesting is deeper than {MAX_DEPTH} levels")
            stack.append(_Frame("map" if name[0] == "M" else "seq", span))
            continue
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            frame = stack.pop()
            node = Mapping(tuple(frame.items), frame.span) if frame.kind == "map" \
                else Sequence(tuple(frame.items), frame.span)
        elif name == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                mark = event.start_mark
                raise _Invalid(Span(path, mark.line + 1, mark.column + 1), "E101",
                               "YAML syntax error: a fact file holds one document, but "
                               "'---' starts another", "remove the second '---'")
            continue
        elif name == "AliasEvent":
            mark = event.start_mark
            _refuse(event, name, Span(path, mark.line + 1, mark.column + 1))
        elif name == "StreamEndEvent":
            return root
        else:  # stream start, document end
            continue
        if not stack:
            root = node
        elif stack[-1].kind == "seq":
            stack[-1].items.append(node)
        else:
            _attach(stack[-1], node)


def _refuse(event: Any, name: str, span: Span) -> None:
    """Anchors, aliases and tags other than the core ones stop the file."""
    if name == "AliasEvent" or event.anchor is not None:
        what = "aliases (*name)" if name == "AliasEvent" else "anchors (&name)"
        raise _Invalid(span, "E105", f"YAML {what} are not allowed",
                       "write each value out in full")
    _check_tag(event, span)


def _check_tag(event: Any, span: Span) -> None:
    tag = getattr(event, "tag", None)
    if tag is not None and tag != "!" and str(tag) not in CORE_TAGS:
        raise _Invalid(span, "E104", f"YAML tag '{tag}' is not allowed",
                       "remove the tag: fact files hold plain values only")


def _tagged(text: str, tag: str, span: Span) -> Any:
    """A scalar as its explicit core tag says: `!!str 007` is the text "007"."""
    kind = "str" if tag == "!" else tag.removeprefix(_CORE)  # '!' alone: not resolved, so text
    if kind in ("str", "timestamp"):  # dates stay text for the date parser
        return text
    if kind == "int" and _INT.match(text):
        return int(text)
    if kind == "float" and (_INT.match(text) or _FLOAT.match(text)):
        return float(text)
    if kind == "bool" and text in _BOOLS:
        return _BOOLS[text]
    if kind == "null" and text in _NULLS:
        return None
    raise _Invalid(span, "E104", f"YAML tag '!!{kind}' does not fit the value '{text[:40]}'",
                   "remove the tag: fact files hold plain values only")


def _tagged_collection(name: str, tag: str, span: Span) -> None:
    expected = "map" if name[0] == "M" else "seq"
    if tag != "!" and tag.removeprefix(_CORE) != expected:
        raise _Invalid(span, "E104", f"YAML tag '!!{tag.removeprefix(_CORE)}' does not fit "
                       f"a {'mapping' if expected == 'map' else 'list'}",
                       "remove the tag: fact files hold plain values only")


def _attach(frame: _Frame, node: Node) -> None:
    """A key, or the value of the key before it, into a mapping being built."""
    if frame.key is None:
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            raise _Invalid(node.span, "E203", "mapping keys must be plain words")
        first = frame.keys.get(node.value)
        if first is not None:
            raise _Invalid(node.span, "E103", f"duplicate key '{node.value}' (first at "
                           f"line {first.line})", "remove one of the two, or merge them")
        frame.keys[node.value] = node.span
        frame.key = node
    else:
        frame.items.append((frame.key, node))
        frame.key = None


_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("tab character", "indent with spaces, not tabs"),  # not "tab": "unacceptable" has it
    ("mapping values are not allowed", "quote the text if it contains ': ', or check the indentation"),
    ("expected <block end>", "check the indentation of this line against the one above"),
    ("could not find expected ':'", "a key needs a colon after it; check quoting on the line above"),
    ("found undefined alias", "aliases are not allowed; write the value out"),
)


def _syntax_error(err: Exception, path: str) -> Diagnostic:
    problem_mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    # At the end of the file, the place to fix is where the unclosed thing began.
    at_end = "end of stream" in str(err) or "<stream end>" in str(err)
    mark = (context_mark if at_end else None) or problem_mark or context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    text = f"{problem} {context or ''}"
    hint = next((h for needle, h in _HINTS if needle in text), None)
    return Diagnostic.at(Span(path, line, col), "E101", message, hint)

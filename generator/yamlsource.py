"""The one seam where YAML text becomes position-carrying nodes.

Two parsers sit behind `parse()`: PyYAML's libyaml binding (fast; PyYAML
comes with MkDocs anyway) and ruamel.yaml (pure Python, always present; the
same library `fmt` and `new` use to rewrite files). Both produce identical
`Node` trees with identical positions, which the tests assert.

Scalars are resolved here, once, by a small YAML 1.2 core rule set, so
that `no` stays a string and `2026-05-19` stays text for the date parser
(YAML 1.1 resolvers would turn them into False and a datetime).

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
    files hold plain values only.

    Fails:

        property: !!python/object/apply:os.system ["echo hi"]

    Passes:

        property: partner

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Iterator, NamedTuple, Union

from .diagnostics import Diagnostic
from .model import Span

MAX_FILE_BYTES = 5_000_000
MAX_DEPTH = 32
MAX_SCALAR_CHARS = 20_000
MAX_INDENT = 4 * MAX_DEPTH  # columns of leading spaces
_BRACKETS = re.compile(r"[\[\]{}]")
_INDENT = re.compile(r"^ +(?=\S)", re.M)

CORE_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_ANCHOR = re.compile(r"(?:^|[\s,\[{])&\S")  # may over-match inside text; never under-matches
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True,
          "false": False, "False": False, "FALSE": False}


class Scalar(NamedTuple):
    value: Any
    span: Span


class Mapping(NamedTuple):
    items: tuple[tuple[Scalar, "Node"], ...]
    span: Span

    def get(self, key: str) -> "Node | None":
        for k, v in self.items:
            if k.value == key:
                return v
        return None


class Sequence(NamedTuple):
    items: tuple["Node", ...]
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


def resolve_plain(text: str) -> Any:
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


def parse(data: bytes, path: str, engine: str = "auto") -> Parsed:
    """Parse one YAML file into a node tree, or say precisely why not."""
    if len(data) > MAX_FILE_BYTES:
        return Parsed(None, (Diagnostic.at(
            Span(path, 1, 1), "E106",
            f"file is {len(data):,} bytes; the limit is {MAX_FILE_BYTES:,}",
            "split it into several files"),))
    text, problem = decode(data, path)
    if problem:
        return Parsed(None, (problem,))
    too_deep = _nesting_problem(text, path)
    if too_deep:
        return Parsed(None, (too_deep,))
    try:
        if _ANCHOR.search(text):  # only a file with an anchor can hold an alias bomb
            _refuse_anchors(text, path)
        raw = _compose(text, engine)
        seen = set() if "&" in text or "*" in text else None
        root = _convert(raw, path, 0, seen) if raw is not None else None
    except _Invalid as err:
        return Parsed(None, (err.diagnostic,))
    except RecursionError:
        return Parsed(None, (Diagnostic.at(
            Span(path, 1, 1), "E106", f"nesting is deeper than {MAX_DEPTH} levels"),))
    except Exception as err:  # the YAML libraries' own error classes
        if engine != "ruamel":
            # libyaml words its errors differently; ruamel's messages (and
            # hints) are the reference, and a broken file is rare enough.
            return parse(data, path, "ruamel")
        return Parsed(None, (_syntax_error(err, path),))
    return Parsed(root, ())


def _nesting_problem(text: str, path: str) -> Diagnostic | None:
    """Refuse absurd nesting before a parser sees it: libyaml's composer
    recurses in C, and tens of thousands of open brackets overflow its stack.
    Brackets inside quoted text count too; no real fact file comes close."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return _too_deep(text, match.start(), path)
    indent = max((m.end() - m.start() for m in _INDENT.finditer(text)), default=0)
    if indent > MAX_INDENT:
        line_start = next(m.start() for m in _INDENT.finditer(text)
                          if m.end() - m.start() == indent)
        return _too_deep(text, line_start + indent, path)
    return None


def _too_deep(text: str, offset: int, path: str) -> Diagnostic:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Diagnostic.at(Span(path, line, col), "E106",
                         f"nesting is deeper than {MAX_DEPTH} levels")


def engines() -> tuple[str, ...]:
    """The parsers available here, fastest first."""
    try:
        import yaml
        yaml.CSafeLoader  # noqa: B018 - only present when libyaml is compiled in
        return ("libyaml", "ruamel")
    except (ImportError, AttributeError):
        return ("ruamel",)


def _compose(text: str, engine: str) -> Any:
    if engine == "auto":
        engine = engines()[0]
    if engine == "libyaml":
        return _libyaml_loader()(text).get_single_node()
    from ruamel.yaml import YAML
    return YAML(typ="safe", pure=True).compose(text)


def _refuse_anchors(text: str, path: str) -> None:
    """Stop at the first anchor or alias, before anything is expanded."""
    from ruamel.yaml import YAML
    for event in YAML(typ="safe", pure=True).parse(text):
        if getattr(event, "anchor", None) is not None:
            kind = "aliases (*name)" if type(event).__name__ == "AliasEvent" else "anchors (&name)"
            raise _Invalid(_span(event, path), "E105", f"YAML {kind} are not allowed",
                           "write each value out in full")


@cache
def _libyaml_loader() -> type:
    """PyYAML's C parser with the tag resolver short-circuited: scalars are
    resolved once, by resolve_plain(), so the per-node regex pass of PyYAML's
    YAML 1.1 resolver is wasted work (it was a quarter of the parse time)."""
    import yaml

    class Loader(yaml.CSafeLoader):
        def resolve(self, kind, value, implicit):
            return _DEFAULT_TAGS[kind.id]

    return Loader


_DEFAULT_TAGS = {"scalar": "tag:yaml.org,2002:str", "sequence": "tag:yaml.org,2002:seq",
                 "mapping": "tag:yaml.org,2002:map"}


def _span(node: Any, path: str) -> Span:
    mark = node.start_mark
    return Span(path, mark.line + 1, mark.column + 1)


def _convert(node: Any, path: str, depth: int, seen: set[int] | None) -> Node:
    """Nodes to our tree. `seen` tracks visited nodes to catch aliases; it is
    None when the text holds no anchor, so no node can be visited twice."""
    mark = node.start_mark
    span = Span(path, mark.line + 1, mark.column + 1)
    if seen is not None:
        if id(node) in seen:
            raise _Invalid(span, "E105", "YAML aliases (*name) are not allowed",
                           "write the value out in full")
        seen.add(id(node))
    if depth > MAX_DEPTH:
        raise _Invalid(span, "E106", f"nesting is deeper than {MAX_DEPTH} levels")
    tag = node.tag if isinstance(node.tag, str) else str(node.tag)
    if tag not in CORE_TAGS:
        raise _Invalid(span, "E104", f"YAML tag '{tag}' is not allowed",
                       "remove the tag: fact files hold plain values only")
    kind = node.id
    if kind == "scalar":
        return _scalar(node, span)
    if kind == "mapping":
        return Mapping(tuple(_pairs(node, path, depth, seen)), span)
    return Sequence(tuple(_convert(v, path, depth + 1, seen) for v in node.value), span)


def _scalar(node: Any, span: Span) -> Scalar:
    text = node.value
    if len(text) > MAX_SCALAR_CHARS:
        raise _Invalid(span, "E106",
                       f"value is {len(text):,} characters; the limit is {MAX_SCALAR_CHARS:,}")
    return Scalar(resolve_plain(text) if node.style in (None, "") else text, span)


def _pairs(node: Any, path: str, depth: int,
           seen: set[int] | None) -> Iterator[tuple[Scalar, Node]]:
    first_seen: dict[Any, Span] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, path, depth + 1, seen)
        if not isinstance(key, Scalar) or not isinstance(key.value, str):
            raise _Invalid(key.span, "E203", "mapping keys must be plain words")
        if key.value in first_seen:
            raise _Invalid(key.span, "E103",
                           f"duplicate key '{key.value}' (first at line {first_seen[key.value].line})",
                           "remove one of the two, or merge them")
        first_seen[key.value] = key.span
        yield key, _convert(value_node, path, depth + 1, seen)


_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("tab", "indent with spaces, not tabs"),
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

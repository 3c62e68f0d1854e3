"""Hostile text: characters that hide or forge, ids that collide with pages,
numbers that silently become other text, and control bytes in a file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from factbase.diagnostics import Diagnostic
from factbase.loading.loader import load_file
from factbase.project import Ignored
from factbase.report import github, ignored_text, text
from factbase.loading.yamlsource import Mapping, parse

from conftest import write

ENGINES = ["libyaml", "ruamel"]
# What must never reach a terminal raw: C0/C1 controls (but newline), bidi
# controls, zero-width characters and lone surrogates.
RAW_DANGER = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff"
                        "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def problems(data: bytes, engine: str) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.col) for d in parse(data, "x.yaml", engine).diagnostics]


def only(data: bytes, engine: str) -> Diagnostic:
    found = parse(data, "x.yaml", engine).diagnostics
    assert len(found) == 1, found
    return found[0]


def value_of(data: bytes, engine: str, key: str = "a"):
    parsed = parse(data, "x.yaml", engine)
    assert not parsed.diagnostics and isinstance(parsed.root, Mapping)
    return parsed.root.get(key).value


# Item 4: unsafe characters, named by code point, never printed

ESCAPED = [  # (YAML escape in a double-quoted scalar, what the message names)
    ("\\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("\\u200b", "U+200B ZERO WIDTH SPACE"),
    ("\\u200d", "U+200D ZERO WIDTH JOINER"),
    ("\\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    ("\\e", "U+001B ESCAPE"),
    ("\\a", "U+0007 BELL"),
    ("\\x85", "U+0085"),
    ("\\r", "U+000D CARRIAGE RETURN"),
    ("\\ud800", "U+D800"),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("escape,named", ESCAPED)
def test_escaped_unsafe_character_in_a_value_is_named_at_the_scalar(engine, escape, named):
    data = f'a: 1\nstatement:  "Smile{escape} launched"\n'.encode()
    found = only(data, engine)
    assert (found.code, found.line, found.col) == ("E108", 2, 13)
    assert named in found.message and not RAW_DANGER.search(found.message + found.hint)


@pytest.mark.parametrize("engine", ENGINES)
def test_unsafe_character_in_a_key_or_an_id_is_refused(engine):
    assert problems(b'facts:\n  - "id\\u202e": x\n', engine) == [("E108", 2, 5)]
    assert problems(b'facts:\n  - id: "x1\\e[2J"\n', engine) == [("E108", 2, 9)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("char,named", [
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("\u2060", "U+2060 WORD JOINER"), ("\ufeff", "U+FEFF"), ("\x85", "U+0085"),
    ("\x9b", "U+009B"), ("\x1b", "U+001B ESCAPE")])
def test_raw_unsafe_character_is_named_at_its_own_position(engine, char, named):
    written = {"x{}y": (2, 6), "'x{}y'": (2, 7), '"x{}y"': (2, 7), "|\n  x{}y": (3, 4)}
    for style, (line, col) in written.items():
        data = ("a: 1\nb:  " + style.format(char) + "\nc: 2\n").encode()
        found = only(data, engine)
        assert (found.code, found.line, found.col) == ("E108", line, col), style
        assert named in found.message and char not in found.message + found.hint


@pytest.mark.parametrize("engine", ENGINES)
def test_unsafe_character_in_a_comment_is_refused(engine):
    # Trojan Source: a comment that reorders the line it is on, in a reviewed diff.
    assert problems("a: 1  # \u202e }x{\n".encode(), engine) == [("E108", 1, 9)]


@pytest.mark.parametrize("engine", ENGINES)
def test_tab_newline_crlf_and_a_leading_bom_stay_allowed(engine):
    data = "\ufeffa: |\r\n  one\ttwo\r\n  three\r\nb: \"x\\ty\\nz\"\r\n".encode()
    assert value_of(data, engine) == "one\ttwo\nthree\n"
    assert value_of(data, engine, "b") == "x\ty\nz"


def test_text_report_escapes_what_it_echoes():
    hostile = Diagnostic("facts/a\x1b[31m.yaml", 3, 5, "E202", "unknown field 'x\u202ey\ud800'",
                         "did you mean 'id\nfacts/b.yaml:1:1: E000 forged'?")
    shown = text([hostile])
    assert shown.count("\n") == 1 and not RAW_DANGER.search(shown)
    assert "\\x1b[31m" in shown and "\\u202e" in shown and "\\ud800" in shown and "\\n" in shown
    shown.encode("utf-8")  # a lone surrogate would make this raise


def test_github_annotations_are_escaped_too():
    # The runner's log shows them in a terminal emulator: ESC there is obeyed.
    hostile = Diagnostic("facts/a\x1b[8m.yaml", 3, 5, "E202", "x\u202ey", "id\x1b[0m")
    shown = github([hostile])
    assert shown.count("\n") == 1 and not RAW_DANGER.search(shown)


def test_ignored_reasons_are_escaped_too():
    ignored = Ignored(Diagnostic("a.yaml", 1, 1, "W714", "old\x1b]0;title\x07"), "why\u202e")
    shown = ignored_text([ignored])
    assert shown.count("\n") == 1 and not RAW_DANGER.search(shown)


# Item 6: ids that are page names, or file names Windows cannot create

@pytest.mark.parametrize("ident", ["index", "con", "nul", "prn", "aux", "com1", "com9",
                                   "lpt1", "lpt9"])
def test_reserved_ids_are_refused_at_the_id(ident):
    data = f"entities:\n  - type: agency\n    id: {ident}\n    name: X\n".encode()
    result = load_file(data, "facts/entities/x.yaml", "entities")
    assert [(d.code, d.line, d.col) for d in result.diagnostics] == [("E210", 3, 9)]
    assert ident in result.diagnostics[0].message and result.diagnostics[0].hint
    assert not result.records


def test_every_generated_page_beside_entity_and_source_pages_is_reserved(mini):
    """A page the generator makes in a folder where ids become pages must be a reserved id."""
    from factbase.config import load_config
    from factbase.loading.loader import load
    from factbase.model import RESERVED_IDS
    from factbase.project import site_options
    from factbase.rendering.render import render_site

    base = load(mini / "facts").base
    pages = render_site(base, site_options(load_config(mini)))
    folders = {s.folder for s in base.sections.values()} | {"sources"}
    ids = set(base.entities) | set(base.sources)
    generated = {Path(p).stem for p in pages
                 if Path(p).parent.as_posix() in folders and Path(p).stem not in ids}
    assert generated and generated <= RESERVED_IDS


# Item 8: text fields keep the characters written

CLAIM = """subject: smile
facts:
  - id: x1
    property: launch-mass
    value: 1
    statement: {statement}
    note: {note}
    cite:
      - source: esa-smile-factsheet
        locator: {locator}
"""


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("written,kept", [
    ("007", "007"), ("!!str 007", "007"), ("1.50", "1.50"), ("1e3", "1e3"), ("0x1F", "0x1F"),
    ("true", "true"), ("2026-05-19", "2026-05-19"), ("+12", "+12"), ("! 007", "007")])
def test_text_fields_keep_the_characters_written(engine, written, kept):
    data = CLAIM.format(statement=written, note=written, locator=written).encode()
    result = load_file(data, "facts/claims/x.yaml", "claims", engine)
    assert not result.diagnostics
    (_, fact), = result.records
    assert (fact.statement, fact.note, fact.citations[0].locator) == (kept, kept, kept)


@pytest.mark.parametrize("engine", ENGINES)
def test_core_tags_are_honoured(engine):
    assert value_of(b"a: !!str 007\n", engine) == "007"
    assert value_of(b"a: !!str true\n", engine) == "true"
    assert value_of(b"a: !!str\n", engine) == ""
    assert value_of(b'a: !!int "12"\n', engine) == 12
    assert value_of(b"a: !!float 2\n", engine) == 2.0
    assert value_of(b"a: !!bool 'false'\n", engine) is False
    assert value_of(b"a: !!null ''\n", engine) is None
    assert value_of(b"a: !!timestamp 2026-05-19\n", engine) == "2026-05-19"
    assert value_of(b"a: 007\n", engine) == 7  # untagged numbers are still numbers
    assert problems(b"a: !!map {b: !!seq [c]}\nd: ! {e: f}\n", engine) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_core_tag_that_does_not_fit_its_value_is_refused(engine):
    assert problems(b"a: 1\nb: !!int abc\n", engine) == [("E104", 2, 4)]
    assert problems(b"a: !!bool yes\n", engine) == [("E104", 1, 4)]
    assert problems(b"a: !!str [x]\n", engine) == [("E104", 1, 4)]
    assert problems(b"a: !!seq x\n", engine) == [("E104", 1, 4)]


# Item 10: raw control bytes, at their own position, with a true hint

@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("byte,named", [(b"\x07", "U+0007 BELL"), (b"\x00", "U+0000 NULL"),
                                        (b"\x7f", "U+007F DELETE"), (b"\x0c", "U+000C")])
def test_raw_control_byte_is_reported_where_it_is(engine, byte, named):
    data = b"entities:\n  - id: e1\n    name: Smi" + byte + b"le\n"
    found = only(data, engine)
    assert (found.code, found.line, found.col) == ("E108", 3, 14)
    assert named in found.hint and "tab" not in found.hint


# The whole program, as contributors run it

def _run(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factbase", *args], cwd=project,
                          capture_output=True, timeout=300)


def _assert_refused_cleanly(project: Path, *codes: str) -> None:
    for command in ("check", "build"):
        run = _run(project, command, "--no-cache")
        out, err = run.stdout.decode(), run.stderr.decode()
        assert run.returncode == 1, (command, out, err)
        assert "Traceback" not in err and not RAW_DANGER.search(out + err), (command, out, err)
        for code in codes:
            assert code in out, (command, code, out)
    assert not (project / "site").exists()


HOSTILE_CLAIMS = """subject: smile
facts:
  - id: x1
    property: partner
    object: esa
    statement: "Smile \\u202e{{ launched }}\\ud800"
    cite:
      - source: esa-smile-factsheet
        locator: "\\e[2J\\e[Hpage 1"
"""


def test_check_and_build_refuse_unsafe_characters_cleanly(mini):
    write(mini, "facts/claims/zz.yaml", HOSTILE_CLAIMS)
    write(mini, "facts/entities/zz.yaml", 'entities:\n  - id: "e\\ud800"\n    type: agency\n'
                                          '    name: X\n  - id: "e\\nfake: E000"\n')
    (mini / "facts/claims/zz-bell.yaml").write_bytes(b"subject: smile\nfacts: [\x07]\n")
    (mini / "facts/claims/\x1b[31mred.yaml").write_bytes(b"subject: smile\nfacts: 1\n")
    _assert_refused_cleanly(mini, "E108", "E203")


def test_check_and_build_refuse_reserved_ids_cleanly(mini):
    write(mini, "facts/entities/zz.yaml",
          "entities:\n  - id: index\n    type: mission\n    name: Index\n")
    write(mini, "facts/sources/zz.yaml",
          "sources:\n  - id: con\n    title: T\n    publisher: esa\n"
          "    url: https://example.org/\n    kind: web-page\n")
    _assert_refused_cleanly(mini, "E210")


def test_build_renders_the_locator_as_written(mini):
    claims = mini / "facts/claims/smile.yaml"
    claims.write_text(claims.read_text().replace("locator: instruments", "locator: 007"))
    run = _run(mini, "build", "--no-cache")
    assert run.returncode == 0, run.stderr.decode()
    page = (mini / "build/docs/missions/smile.md").read_text()
    assert "007" in page

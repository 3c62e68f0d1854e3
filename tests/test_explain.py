"""Every code the project can emit is explained, with examples that behave as documented."""

from __future__ import annotations

import re

from factbase.tools import explain

from conftest import REPO

EMITTED = re.compile(r'"([EW]\d{3})"')


def emitted_codes() -> set[str]:
    """Codes written as string literals anywhere in the generator package."""
    found = set()
    for path in (REPO / "generator").rglob("*.py"):
        if path.name != "explain.py":
            found |= set(EMITTED.findall(path.read_text()))
    return found


def test_every_emitted_code_has_an_entry():
    missing = emitted_codes() - set(explain.entries())
    assert not missing, f"codes without an explain entry: {sorted(missing)}"


def test_every_entry_is_complete():
    for entry in explain.entries().values():
        assert entry.title and entry.meaning and entry.fails and entry.passes and entry.fix, entry.code


def test_no_entry_documents_a_code_nothing_emits():
    stale = set(explain.entries()) - emitted_codes()
    assert not stale, f"documented but never emitted: {sorted(stale)}"


def test_explain_command(cli, mini):
    run = cli(mini, "explain", "e302")
    assert run.code == 0 and run.out.startswith("E302 (error): unknown source")
    assert "Fails:" in run.out and "Passes:" in run.out and "Fix:" in run.out
    listing = cli(mini, "explain")
    assert listing.code == 0 and len(listing.out.splitlines()) == len(explain.entries())
    unknown = cli(mini, "explain", "E303x")
    assert unknown.code == 2 and "did you mean 'E303'" in unknown.err


def test_checks_reference_page_shows_every_code(mini, cli):
    assert cli(mini, "render").code == 0
    page = (mini / "build/docs/reference/checks.md").read_text()
    for code in explain.entries():
        assert f"## {code}:" in page

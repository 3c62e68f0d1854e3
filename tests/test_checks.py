"""Checks: hints, related positions, and a clean pass on valid input."""

from __future__ import annotations

import os

from conftest import write

FACT = """subject: smile
facts:
  - id: {id}
    property: {prop}
    object: {obj}
    as_of: 2025-01-01
    cite:
      - source: {src}
        locator: introduction
"""


def _fact(mini, cli, **kw):
    values = {"id": "x1", "prop": "partner", "obj": "esa", "src": "esa-smile-factsheet"} | kw
    write(mini, "facts/claims/extra.yaml", FACT.format(**values))
    return cli(mini, "check", "--format", "json")


def test_valid_fact_passes(mini, cli):
    run = _fact(mini, cli)
    assert run.code == 0 and run.diagnostics == []


def test_unknown_source_suggests_the_closest_id(mini, cli):
    [d] = _fact(mini, cli, src="esa-smile-factshet").diagnostics
    assert (d["code"], d["line"], d["col"]) == ("E302", 8, 17)
    assert d["hint"] == "did you mean 'esa-smile-factsheet'?"


def test_unknown_source_without_a_close_match_has_no_hint(mini, cli):
    [d] = _fact(mini, cli, src="zzz").diagnostics
    assert d["code"] == "E302" and d["hint"] is None


def test_duplicate_id_names_both_places(mini, cli):
    # Files load in path order, so extra.yaml holds the first definition.
    [d] = _fact(mini, cli, id="smile-partner-esa").diagnostics
    assert (d["code"], d["path"], d["line"]) == ("E301", "facts/claims/smile.yaml", 3)
    assert d["related"] == [{"path": "facts/claims/extra.yaml", "line": 3, "col": 9}]


def test_object_of_wrong_type(mini, cli):
    found = {(d["code"], d["line"]) for d in _fact(mini, cli, prop="launch-vehicle").diagnostics}
    assert ("E502", 5) in found  # the object line (E701 also: a second launch vehicle)


def test_every_problem_is_reported_in_one_run(mini, cli):
    write(mini, "facts/claims/extra.yaml", FACT.format(id="Bad", prop="partnr", obj="nasa",
                                                        src="nope"))
    write(mini, "facts/sources/extra.yaml", "sources:\n  - id: s\n    title: t\n"
          "    publisher: esa\n    url: ftp://x\n    kind: blog\n")
    codes = sorted(d["code"] for d in cli(mini, "check", "--format", "json").diagnostics)
    assert codes == ["E204", "E206"]  # bad id drops the fact; its refs are not guessed at
    write(mini, "facts/claims/extra.yaml", FACT.format(id="ok", prop="partnr", obj="nasa",
                                                        src="nope"))
    codes = sorted(d["code"] for d in cli(mini, "check", "--format", "json").diagnostics)
    assert codes == ["E206", "E302", "E303", "E304"]


def test_disabled_codes_are_not_reported(mini, cli):
    _fact(mini, cli, src="nope")
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text().replace("facts_dir: facts",
                                                 "facts_dir: facts\n      disabled: [E302]"))
    run = cli(mini, "check")
    assert " E302 " not in run.out
    # What the disabled error let through, render refuses: check says so now, as build would.
    assert run.code == 1 and " E601 " in run.out and cli(mini, "build").code == 1


def test_cache_is_invalidated_by_any_content_change(mini, cli):
    """Same size, same timestamp, one byte different: the result must change."""
    path = mini / "facts/claims/smile.yaml"
    assert cli(mini, "check").code == 0
    assert (mini / ".factbase-cache/check.pickle").is_file()
    stat = path.stat()
    text = path.read_text()
    path.write_text(text.replace("object: esa", "object: esx", 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    run = cli(mini, "check", "--format", "json")
    assert [d["code"] for d in run.diagnostics] == ["E303"]
    path.write_text(text)
    assert cli(mini, "check").code == 0


def test_cache_is_keyed_by_today(mini, cli):
    write(mini, "facts/claims/extra.yaml", FACT.replace("property: {prop}", "property: planned-launch-date")
          .replace("object: {obj}", "value: 2027").format(id="x", src="esa-smile-factsheet"))
    assert cli(mini, "check", "--today", "2026-11-24").code == 0
    run = cli(mini, "check", "--today", "2028-01-01", "--format", "json")
    assert "W715" in [d["code"] for d in run.diagnostics]


def test_no_cache_gives_the_same_result(mini, cli):
    write(mini, "facts/claims/extra.yaml", FACT.format(id="x", prop="partner", obj="nasa",
                                                        src="esa-smile-factsheet"))
    cached = cli(mini, "check", "--format", "json").out
    assert cli(mini, "check", "--format", "json").out == cached
    assert cli(mini, "check", "--format", "json", "--no-cache").out == cached


def test_parsing_in_workers_gives_the_same_result(mini, cli, monkeypatch):
    """Large bases are parsed in forked workers; the answer must not depend on it."""
    from factbase import project
    write(mini, "facts/claims/extra.yaml", FACT.format(id="x", prop="partnr", obj="nasa",
                                                        src="nope") + "  - id: [broken\n")
    write(mini, "facts/claims/more.yaml", FACT.format(id="y", prop="partner", obj="nasx",
                                                       src="esa-smile-factsheet"))
    serial = cli(mini, "check", "--format", "json", "--no-cache")
    monkeypatch.setattr(project, "PARALLEL_PARSE_BYTES", 0)
    spread = cli(mini, "check", "--format", "json")
    assert spread.out == serial.out and {d["code"] for d in serial.diagnostics} >= {"E101", "E303"}
    assert cli(mini, "check", "--format", "json").out == serial.out  # from the cache it wrote

"""Hostile and broken input: bounded time and memory, atomic and reproducible builds."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factbase.rendering.writer import sync
from factbase.loading.yamlsource import MAX_FILE_BYTES, parse

from conftest import write
from test_build import tree_digest


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def peak_rss_growth(function, *args) -> float:
    """Run in a child process and report how far its peak memory rose, in MB
    (ru_maxrss). The child starts with the parent's resident pages, whose
    size depends on what the test run loaded before, so that is subtracted."""
    read, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        function(*args)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        os.write(write_end, str(after - before).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    return int(os.read(read, 64) or b"0") / 1024


def _codes(data: bytes) -> list[str]:
    return [d.code for d in parse(data, "x.yaml").diagnostics]


BOMB = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n".encode()
    for i in range(12))


@pytest.mark.parametrize("engine", ["libyaml", "ruamel"])
def test_alias_bomb_fails_fast(engine):
    (result, seconds) = timed(parse, BOMB, "bomb.yaml", engine)
    assert [d.code for d in result.diagnostics] == ["E105"] and seconds < 1.0
    assert peak_rss_growth(parse, BOMB, "bomb.yaml", engine) < 200


def test_deep_nesting_fails_fast():
    data = b"facts: " + b"[" * 50_000 + b"]" * 50_000 + b"\n"
    (result, seconds) = timed(parse, data, "deep.yaml")
    assert [d.code for d in result.diagnostics] == ["E106"] and seconds < 2.0


def test_large_file_is_refused_before_parsing():
    data = b"# " + b"x" * (MAX_FILE_BYTES + 10) + b"\n"
    (result, seconds) = timed(parse, data, "big.yaml")
    assert [d.code for d in result.diagnostics] == ["E106"] and seconds < 0.5


def test_long_string_is_refused():
    data = b"a: " + b"x" * 1_000_000 + b"\n"
    (result, seconds) = timed(parse, data, "long.yaml")
    assert [d.code for d in result.diagnostics] == ["E106"] and seconds < 2.0


def test_python_tags_are_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    data = f'a: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    assert _codes(data) == ["E104"] and not marker.exists()


def test_non_utf8_reports_byte_offset():
    [d] = parse(b"a: ok\nb: caf\xe9\n", "x.yaml").diagnostics
    assert (d.code, d.line, d.col) == ("E102", 2, 7) and "offset 12" in d.message


def test_duplicate_keys_name_both_lines():
    [d] = parse(b"a: 1\nb: 2\na: 3\n", "x.yaml").diagnostics
    assert (d.code, d.line) == ("E103", 3) and "first at line 1" in d.message


def test_writer_refuses_paths_outside_its_folder(tmp_path):
    out = tmp_path / "docs"
    with pytest.raises(ValueError):
        sync({"../escape.md": "x"}, out)
    assert not (tmp_path / "escape.md").exists()


def test_ids_cannot_name_paths(mini, cli):
    write(mini, "facts/entities/evil.yaml",
          "entities:\n  - id: ../../../tmp/pwned\n    type: agency\n    name: Evil\n")
    run = cli(mini, "check", "--format", "json")
    assert [(d["code"], d["line"]) for d in run.diagnostics] == [("E204", 2)]


def _build(project: Path, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "factbase", "build"], cwd=project,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, **env})


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_build_killed_midway_leaves_the_previous_site(mini, cli, delay):
    assert cli(mini, "build").code == 0
    before = tree_digest(mini / "site")
    write(mini, "pages/extra.md", "# Extra\n\nA page the killed build never finishes.\n")
    proc = _build(mini)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert tree_digest(mini / "site") == before or (
        "extra/index.html" in tree_digest(mini / "site"))  # killed after the atomic swap
    assert cli(mini, "build").code == 0  # the next build clears any debris
    assert not list(mini.glob(".site.*"))
    assert "extra/index.html" in tree_digest(mini / "site")


def test_two_builds_are_byte_identical(mini, cli):
    assert cli(mini, "build").code == 0
    first = tree_digest(mini / "site")
    time.sleep(1.1)  # a wall-clock timestamp anywhere would now differ
    assert cli(mini, "build", "--site-dir", str(mini / "site2")).code == 0
    assert tree_digest(mini / "site2") == first


def test_source_date_epoch_is_honoured(mini, monkeypatch, cli):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # 2026-05-28
    assert cli(mini, "build").code == 0
    header = (mini / "site/sitemap.xml.gz").read_bytes()[4:8]  # gzip's MTIME field
    import datetime as dt  # MkDocs dates pages by day: midnight of SOURCE_DATE_EPOCH's day
    midnight = dt.datetime(2026, 5, 28, tzinfo=dt.UTC).timestamp()
    assert int.from_bytes(header, "little") == int(midnight)

"""The bad-input corpus: every file fails with its expected code and line.

Each file in tests/bad_input/ starts with two comment lines:
`# expect: CODE line N` and `# into: FOLDER` (the facts/ subfolder it is
dropped into, inside a copy of the valid mini base).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

CORPUS = sorted((Path(__file__).parent / "bad_input").glob("*.yaml"))
HEADER = re.compile(rb"# expect: (?P<code>[EW]\d{3}) line (?P<line>\d+)\n# into: (?P<into>\w*)\n")


def expectation(case: Path) -> tuple[str, int, str]:
    match = HEADER.search(case.read_bytes()[:200])
    assert match, f"{case.name}: missing '# expect:' / '# into:' header"
    return match["code"].decode(), int(match["line"]), match["into"].decode()


def place(case: Path, project: Path) -> str:
    _, _, into = expectation(case)
    relative = f"facts/{into}/zz-{case.stem}.yaml" if into else f"facts/zz-{case.stem}.yaml"
    (project / relative).write_bytes(case.read_bytes())
    return relative


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("case", CORPUS, ids=[c.stem for c in CORPUS])
def test_bad_input_is_reported_at_its_line(case, mini, cli):
    code, line, _ = expectation(case)
    relative = place(case, mini)
    run = cli(mini, "check", "--format", "json")
    assert run.code == 1
    here = [(d["code"], d["line"]) for d in run.diagnostics if d["path"] == relative]
    assert (code, line) in here, f"expected {code} at line {line}, got {here}"
    others = [d for d in run.diagnostics if d["path"] != relative and d["code"] != "E301"]
    assert not others, f"the valid files got diagnostics too: {others}"


@pytest.mark.parametrize("parser", ["libyaml", "ruamel"])
def test_both_parsers_give_identical_diagnostics(parser, mini, cli):
    for case in CORPUS:
        place(case, mini)
    reference = cli(mini, "check", "--format", "json", "--parser", "ruamel")
    assert cli(mini, "check", "--format", "json", "--parser", parser).out == reference.out


def test_whole_corpus_in_one_run_as_a_real_process(mini):
    """Every problem in one run, exit 1, and never a traceback."""
    for case in CORPUS:
        place(case, mini)
    proc = subprocess.run([sys.executable, "-m", "factbase", "check"], cwd=mini,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    # Cases share ids like x1, so together some lines differ; each file is still named.
    for case in CORPUS:
        assert f"zz-{case.stem}.yaml:" in proc.stdout, case.name

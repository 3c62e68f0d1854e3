"""Every case of the hostile-contributor corpus (tests/hostile_corpus/, see
its README): the expected outcome, nothing touched outside the project, and
nothing in the output that GitHub's runner would obey but Factbase's own
annotations on the project's files."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import copy_project
from runner_commands import commands

CORPUS = Path(__file__).parent / "hostile_corpus"
CASES = sorted(CORPUS.glob("*.yaml"))
SENTINEL = "a file the tool must never touch\n"


def _apply(case: dict, project: Path) -> None:
    for path, text in case.get("write", {}).items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_text(text)
    for path, text in case.get("append", {}).items():
        with open(project / path, "a", encoding="utf-8") as handle:
            handle.write("\n" + text)
    for path, target in case.get("link", {}).items():
        link = project / path
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
    if "deep_json" in case:
        (project / case["deep_json"]).write_text("[" * 100_000 + "]" * 100_000)
    if "lock_status" in case:
        lock = json.loads((project / "citations.lock.json").read_text())
        lock["urls"][next(iter(lock["urls"]))]["status"] = case["lock_status"]
        (project / "citations.lock.json").write_text(json.dumps(lock))


def _outside(place: Path, project: Path) -> dict[str, bytes]:
    """Every file under `place` but the project's own (links not followed)."""
    found = {}
    for folder, dirs, names in os.walk(place):
        if Path(folder) == project:
            dirs[:] = [".git"]       # inside the project, only .git/ is watched
            names = []
        for name in names:
            path = Path(folder) / name
            found[str(path)] = path.read_bytes() if not path.is_symlink() else b"link"
    return found


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_hostile_case(path, tmp_path):
    case = yaml.safe_load(path.read_text())
    project = copy_project(tmp_path / "project")
    (project / ".git").mkdir()
    (project / ".git" / "config").write_text(SENTINEL)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "sentinel.txt").write_text(SENTINEL)
    _apply(case, project)
    before = _outside(tmp_path, project)
    done = subprocess.run([sys.executable, "-m", "factbase", *case["run"]], cwd=project,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_COLOR": "1"})
    output = done.stdout + done.stderr
    assert done.returncode == case["expect"]["exit"], output
    assert case["expect"]["says"] in output, output
    assert "Traceback" not in output
    for name, start in case["expect"].get("csv_cells_not_starting", {}).items():
        with open(project / name, newline="", encoding="utf-8") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert any(start in cell for cell in cells), "the case's text is not in the export"
        assert not any(cell.startswith(start) for cell in cells), name
    assert _outside(tmp_path, project) == before, "something outside the project changed"
    assert (tmp_path / "outside" / "sentinel.txt").read_text() == SENTINEL
    assert (project / ".git" / "config").read_text() == SENTINEL
    for command in commands(output):
        assert not command.legacy and command.name in ("error", "warning", "notice"), command
        # Ours name a file of the project (escaped as the runner reads it),
        # never one a forged command would choose, nor one outside.
        shown = command.properties.get("file")
        assert shown is None or (shown.startswith(("facts/", "mkdocs.yml", "citations.lock"))
                                 and ".." not in Path(shown).parts), command

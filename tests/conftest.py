"""Shared test helpers: copy the mini fact base, run the CLI in-process."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from factbase.cli import main

TESTS = Path(__file__).parent
MINI = TESTS / "fixtures" / "mini"
REPO = TESTS.parent
# What a checkout of the shipped project holds besides the code: copied whole
# by the tests that build it, so a new project folder reaches them all at once.
PROJECT_PARTS = ("facts", "templates", "site_src", "overrides", "schema",
                 "mkdocs.yml", "citations.lock.json")


def copy_project(target: Path) -> Path:
    """A writable copy of the shipped project in `target` (no build, no site)."""
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / part)
    return target


def pytest_addoption(parser):
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite tests/golden/ from the current output instead of comparing")


@pytest.fixture(autouse=True, scope="session")
def _user_cache_folder(tmp_path_factory):
    """The cache's key lives in the user's cache folder: the tests' stays out of $HOME."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The shipped base built once for the whole run (the browser, search,
    reference, weight and accessibility tests read it; none changes it)."""
    import subprocess
    import sys
    site = tmp_path_factory.mktemp("shipped") / "site"
    proc = subprocess.run([sys.executable, "-m", "factbase", "build", "--site-dir", str(site)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return site


@pytest.fixture
def update_goldens(request) -> bool:
    return request.config.getoption("--update-goldens")


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def diagnostics(self) -> list[dict]:
        return json.loads(self.out)["diagnostics"]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh, writable copy of the small valid fact base."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target, ignore=shutil.ignore_patterns("build", "site"))
    return target


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `factbase ARGS` in a project folder; returns code and output."""

    def run(project: Path, *args: str) -> Run:
        monkeypatch.chdir(project)
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write(project: Path, relative: str, text: str) -> Path:
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

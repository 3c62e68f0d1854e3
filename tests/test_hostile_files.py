"""Hostile files in contributors' folders: links out of the project, files that
cannot be read, a full disk, templates that crash, files of gigabytes.

Every case runs the real command in a child process and must end as a
diagnostic with a non-zero exit, no traceback, nothing half-written and the
previous site intact."""

from __future__ import annotations

import ctypes
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factbase.rendering.render import DEFAULT_TEMPLATES

from conftest import MINI, write
from test_build import tree_digest

SECRET = "factbase-test-secret-7f3a9c"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The mini project with its templates inside it and a built site, made once."""
    project = tmp_path_factory.mktemp("built") / "mini"
    shutil.copytree(MINI, project)
    shutil.copytree(DEFAULT_TEMPLATES, project / "templates")  # as a project overriding them all
    done = factbase(project, "build")
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture
def project(built, tmp_path) -> Path:
    """A fresh copy of the built project, and a secret outside it."""
    (tmp_path / "outside").mkdir()
    # YAML-shaped, so that a fact file reading it would quote it in a diagnostic.
    (tmp_path / "outside/secret.txt").write_text(f"{SECRET}: {SECRET}\n")
    shutil.copytree(built, tmp_path / "mini", symlinks=True)
    return tmp_path / "mini"


def factbase(project: Path, *args: str, preamble: str = "",
             preexec=None) -> subprocess.CompletedProcess:
    """`factbase ARGS` in a child process; `preamble` runs first (a fault to inject)."""
    code = f"{preamble}\nimport sys\nfrom factbase.cli import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=project, text=True,
                          capture_output=True, timeout=300, preexec_fn=preexec)


def without_privilege() -> None:
    """Runs in the child before exec: file permissions apply even to root, by
    dropping root's right to ignore them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "cannot drop a capability")


def refused(project: Path, *commands: str, code: str, where: str, **how) -> list:
    """Run each command; each must fail cleanly with `code` at `where`, show no
    secret, publish none and leave the previous site as it was."""
    site = tree_digest(project / "site")
    runs = []
    for command in commands:
        run = factbase(project, command, *(("--no-cache",) if command == "check" else ()), **how)
        failed_cleanly(run, code, where)
        runs.append(run)
    assert tree_digest(project / "site") == site
    for folder in ("site", "build/docs"):
        for path in (project / folder).rglob("*"):
            assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path
    return runs


def failed_cleanly(run: subprocess.CompletedProcess, code: str, where: str) -> None:
    assert run.returncode in (1, 2), run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert any(line.startswith(where) and f": {code} " in line
               for line in run.stdout.splitlines()), run.stdout
    assert SECRET not in run.stdout + run.stderr


# Item 2: links that leave the project -----------------------------------------

def test_a_fact_file_linked_outside_the_project_is_refused_unread(project):
    (project / "facts/claims/env.yaml").symlink_to(project.parent / "outside/secret.txt")
    refused(project, "check", "build", code="E111", where="facts/claims/env.yaml:1:1")


def test_a_page_asset_linked_outside_the_project_is_never_published(project):
    (project / "pages/assets").mkdir()
    (project / "pages/assets/env.txt").symlink_to(project.parent / "outside/secret.txt")
    refused(project, "check", "build", code="E111", where="pages/assets/env.txt:1:1")


def test_a_template_linked_outside_the_project_is_never_rendered(project):
    (project / "templates/section.md.j2").unlink()
    (project / "templates/section.md.j2").symlink_to(project.parent / "outside/secret.txt")
    refused(project, "check", "build", code="E111", where="templates/section.md.j2:1:1")


def test_a_folder_linked_outside_the_project_is_refused(project):
    (project / "pages/stolen").symlink_to(project.parent / "outside")
    refused(project, "check", "build", code="E111", where="pages/stolen:1:1")


def test_a_link_loop_is_reported(project):
    (project / "facts/claims/loop.yaml").symlink_to("loop.yaml")
    runs = refused(project, "check", "build", code="E112", where="facts/claims/loop.yaml:1:1")
    assert "loop" in runs[0].stdout


def test_a_dangling_link_is_reported(project):
    (project / "pages/gone.md").symlink_to("no-such-page.md")
    runs = refused(project, "check", "build", code="E112", where="pages/gone.md:1:1")
    assert "no-such-page.md" in runs[0].stdout


def test_fmt_never_rewrites_a_file_outside_the_project(project):
    secret = project.parent / "outside/secret.txt"
    before = secret.read_bytes()
    (project / "facts/claims/env.yaml").symlink_to(secret)
    run = factbase(project, "fmt")
    failed_cleanly(run, "E111", "facts/claims/env.yaml:1:1")
    assert secret.read_bytes() == before


def test_links_inside_the_project_still_work(project):
    write(project, "shared/extra.md", "# Extra\n\nShared with another site.\n")
    (project / "pages/extra.md").symlink_to("../shared/extra.md")
    run = factbase(project, "build")
    assert run.returncode == 0, run.stdout + run.stderr
    assert (project / "site/extra/index.html").is_file()


def test_links_in_the_rendered_tree_are_refused_never_followed(project):
    """A link committed into build/docs (to a folder outside) is neither written
    through, nor published, nor deleted: it is not a file factbase wrote."""
    outside = project.parent / "outside"
    before = tree_digest(outside)
    shutil.rmtree(project / "build/docs/assets")
    (project / "build/docs/assets").symlink_to(outside)
    refused(project, "build", code="E111", where="build/docs/assets:1:1")
    assert tree_digest(outside) == before
    assert (project / "build/docs/assets").is_symlink()
    assert not (project / "site/assets/secret.txt").exists()


# Item 7: crashes become diagnostics -------------------------------------------

def test_an_unreadable_fact_file_is_a_diagnostic(project):
    (project / "facts/claims/smile.yaml").chmod(0)
    runs = refused(project, "check", "build", code="E113", where="facts/claims/smile.yaml:1:1",
                   preexec=without_privilege)
    assert "Permission denied" in runs[0].stdout


def test_an_unreadable_folder_is_one_diagnostic_not_hundreds(project):
    (project / "facts/sources").chmod(0)
    runs = refused(project, "check", "build", code="E113", where="facts/sources:1:1",
                   preexec=without_privilege)
    assert [line.split()[1] for line in runs[0].stdout.splitlines() if ": E" in line] == ["E113"]


FAIL_NTH = """
import errno, os, tempfile
def _fail_nth(module, name, n):
    real, calls = getattr(module, name), [0]
    def failing(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)
    setattr(module, name, failing)
_fail_nth({module}, {name!r}, {n})
"""


@pytest.mark.parametrize("module, name", [("tempfile", "mkstemp"), ("os", "replace"),
                                          ("os", "chmod")])
@pytest.mark.parametrize("n", [1, 2, 5])
def test_a_full_disk_leaves_the_rendered_tree_and_the_site_as_they_were(project, module, name, n):
    """Every page changes and some are new: a write failing at any point
    leaves build/docs byte for byte as it was, and the site too."""
    docs = project / "build/docs"
    for path in docs.rglob("*.md"):
        path.write_text("# Out of date\n")
    shutil.rmtree(docs / "sources")
    before, site = tree_digest(docs), tree_digest(project / "site")
    run = factbase(project, "build", preamble=FAIL_NTH.format(module=module, name=name, n=n))
    assert tree_digest(docs) == before and tree_digest(project / "site") == site
    failed_cleanly(run, "E603", "build/docs/")
    assert "No space left on device" in run.stdout


def _override(project: Path, text: str) -> None:
    write(project, "overrides/section.md.j2", text)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "facts_dir: facts", "facts_dir: facts\n      overrides_dir: overrides"))


CRASHING_TEMPLATES = {
    "ZeroDivisionError": ("# {{ section.title }}\n\n{{ 1 / 0 }}\n", 3),
    "RecursionError": ("# {{ section.title }}\n{% macro down(n) %}{{ down(n + 1) }}"
                       "{% endmacro %}\n{{ down(1) }}\n", 2),  # the macro's line
}


@pytest.mark.parametrize("error", sorted(CRASHING_TEMPLATES))
@pytest.mark.parametrize("spread", [False, True])
def test_a_template_raising_any_exception_is_a_diagnostic(project, error, spread):
    text, line = CRASHING_TEMPLATES[error]
    _override(project, text)
    preamble = "from factbase import parallel\nparallel.MIN_JOBS = 1" if spread else ""
    [run] = refused(project, "build", code="E601", where=f"overrides/section.md.j2:{line}:1",
                    preamble=preamble)
    assert error in run.stdout


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


def test_a_file_of_gigabytes_is_refused_before_it_is_read(project):
    with open(project / "facts/claims/huge.yaml", "wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: costs no disk
    started = time.perf_counter()
    runs = refused(project, "check", "build", code="E106", where="facts/claims/huge.yaml:1:1",
                   preexec=_limit_memory)  # reading it whole would need 2 GB
    assert time.perf_counter() - started < 30
    assert "2,147,483,648 bytes" in runs[0].stdout

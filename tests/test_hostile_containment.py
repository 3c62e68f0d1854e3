"""Containment: nothing outside the project (or the site folder named) is
read, written or deleted, and nothing is reached through a symbolic link.

Each case is what a pull request can commit or a careless command line can
ask for. A sentinel file beside the project and one in its `.git` must
survive every run, and so must the project's own facts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write
from test_build import tree_digest
from test_hostile_files import SECRET, built, factbase, failed_cleanly, project  # noqa: F401

KEEP = "sentinel: this file must survive\n"


@pytest.fixture
def repo(project: Path) -> Path:  # noqa: F811 (the fixture imported above)
    """The built mini project as a git clone, with sentinels beside it and in .git."""
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".git/sentinel").write_text(KEEP)
    (project.parent / "sibling").mkdir()
    (project.parent / "sibling/sentinel").write_text(KEEP)
    return project


def untouched(repo: Path, facts: dict) -> None:
    assert (repo / ".git/sentinel").read_text() == KEEP
    assert (repo.parent / "sibling/sentinel").read_text() == KEEP
    assert (repo / ".git/config").is_file() and (repo / "mkdocs.yml").is_file()
    assert tree_digest(repo / "facts") == facts


def refused_as_link(run: subprocess.CompletedProcess, shown: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    assert f"{shown} is a symbolic link" in run.stderr and f"rm {shown}" in run.stderr, run.stderr


# Finding 1: a committed link as the rendered tree or the site -----------------

@pytest.mark.parametrize("command, link, target", [
    *[(command, link, target) for command in ("render", "build")
      for link, target in [("build/docs", "../.."), ("build/docs", ".."), ("build", "..")]],
    ("build", "site", "../sibling")])
def test_a_linked_output_folder_deletes_nothing_outside(repo, link, target, command):
    facts = tree_digest(repo / "facts")
    shutil.rmtree(repo / link)
    (repo / link).symlink_to(target, target_is_directory=True)
    refused_as_link(factbase(repo, command), link)
    untouched(repo, facts)
    assert (repo / link).is_symlink()


def test_a_link_inside_the_rendered_tree_is_neither_followed_nor_removed(repo):
    facts = tree_digest(repo / "facts")
    (repo / "build/docs/missions").rename(repo / "build/docs/moved")
    (repo / "build/docs/missions").symlink_to("../../../sibling", target_is_directory=True)
    run = factbase(repo, "build")
    failed_cleanly(run, "E111", "build/docs/missions:1:1")
    untouched(repo, facts)


# Finding 2: --site-dir may not replace the project ----------------------------

@pytest.mark.parametrize("site_dir", [".", "..", "facts", "facts/claims", "pages", "build",
                                      "build/docs/x", "../with-facts", "../with-git"])
def test_the_site_folder_may_not_be_the_project_or_hold_one(repo, site_dir):
    facts = tree_digest(repo / "facts")
    (repo.parent / "with-facts/facts").mkdir(parents=True)
    (repo.parent / "with-git/.git").mkdir(parents=True)
    (repo.parent / "with-git/.git/sentinel").write_text(KEEP)
    site = tree_digest(repo / "site")
    run = factbase(repo, "build", "--site-dir", site_dir)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
    assert "the site folder" in run.stderr and "Name an empty or site-only folder" in run.stderr
    untouched(repo, facts)
    assert (repo.parent / "with-git/.git/sentinel").read_text() == KEEP
    assert tree_digest(repo / "site") == site


def test_a_site_folder_named_outside_the_project_is_built(repo):
    run = factbase(repo, "build", "--site-dir", "../elsewhere")
    assert run.returncode == 0, run.stdout + run.stderr
    assert (repo.parent / "elsewhere/index.html").is_file()
    untouched(repo, tree_digest(repo / "facts"))


# Finding 3: content folders that are links, links to hidden files -------------

@pytest.mark.parametrize("folder", ["pages", "templates", "facts"])
def test_a_content_folder_that_is_a_link_is_refused(repo, folder):
    outside = repo.parent / "outside"
    shutil.copytree(repo / folder, outside, dirs_exist_ok=True)
    shutil.rmtree(repo / folder)
    (repo / folder).symlink_to(outside, target_is_directory=True)
    site = tree_digest(repo / "site")
    for command in ("check", "build"):
        refused_as_link(factbase(repo, command), folder)
    assert tree_digest(repo / "site") == site
    assert not (repo / "site/secret.txt").exists()


@pytest.mark.parametrize("target", [".env", ".git/config", ".git"])
def test_a_link_to_a_hidden_file_of_the_project_is_refused(repo, target):
    (repo / ".env").write_text(f"TOKEN={SECRET}\n")
    (repo / ".git/config").write_text(f"# {SECRET}\n", encoding="utf-8")
    (repo / "pages/leak.txt").symlink_to(Path("..", target))
    site = tree_digest(repo / "site")
    for command in ("check", "build"):
        run = factbase(repo, command)
        failed_cleanly(run, "E114", "pages/leak.txt:1:1")
    assert tree_digest(repo / "site") == site


def test_hidden_files_in_content_folders_are_never_published(repo):
    write(repo, "pages/.env", f"TOKEN={SECRET}\n")
    write(repo, "pages/.git/config", f"# {SECRET}\n")
    write(repo, "pages/assets/.secret.txt", f"{SECRET}\n")
    run = factbase(repo, "build")
    assert run.returncode == 0, run.stdout + run.stderr
    for folder in ("site", "build/docs"):
        for path in (repo / folder).rglob("*"):
            assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path


# Finding 4: the writer deletes only what it wrote -----------------------------

def _plugin_project(tmp_path: Path, mini: Path) -> Path:
    own = tmp_path / "own"
    shutil.copytree(mini / "facts", own / "facts")
    (own / "mkdocs.yml").write_text("site_name: Mine\ntheme:\n  name: material\n"
                                    "plugins:\n  - factbase\n")
    return own


def mkdocs(own: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=own, text=True,
                          capture_output=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_the_users_own_page_in_docs_dir_is_kept(tmp_path, mini):
    own = _plugin_project(tmp_path, mini)
    write(own, "docs/mine.md", "# Mine\n\nMy own page.\n")
    for _ in range(2):
        run = mkdocs(own)
        assert run.returncode == 0, run.stderr
        assert (own / "docs/mine.md").read_text() == "# Mine\n\nMy own page.\n"
    assert (own / "site/mine/index.html").is_file()
    # What factbase wrote and no longer generates goes; nothing else does.
    manifest = json.loads((own / "docs/.factbase-written").read_text())
    assert "index.md" in manifest["written"] and "mine.md" not in manifest["written"]
    (own / "docs/stale.md").write_text("# Stale\n")
    manifest["written"].append("stale.md")
    (own / "docs/.factbase-written").write_text(json.dumps(manifest))
    assert mkdocs(own).returncode == 0
    assert not (own / "docs/stale.md").exists() and (own / "docs/mine.md").is_file()


def test_a_users_page_where_a_page_is_generated_is_an_error_naming_both(tmp_path, mini):
    own = _plugin_project(tmp_path, mini)
    write(own, "docs/index.md", "# My home\n")
    run = mkdocs(own)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert ("docs/index.md:1:1: E607 docs/index.md is not a file factbase wrote, and the "
            "generated page index.md has the same path") in run.stderr, run.stderr
    assert (own / "docs/index.md").read_text() == "# My home\n"
    run = factbase(own, "render")
    failed_cleanly(run, "E607", "docs/index.md:1:1")

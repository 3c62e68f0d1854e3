"""Factbase as a third party gets it: the wheel in a fresh virtual environment,
in an empty folder that has a `generator/` folder of its own, starting a new
fact base with `factbase init` and building it with `factbase` and with MkDocs."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from factbase.site.sitelinks import broken_links

from conftest import REPO


def run(*command, cwd: Path, env=None) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = run(sys.executable, "-m", "build", "--outdir", out, REPO, cwd=REPO)
    (out / "build.log").write_text(done.stdout + done.stderr)
    return out


def test_the_build_gives_no_setuptools_warning(dist):
    log = (dist / "build.log").read_text()
    for warning in ("BuildBackendWarning", "is absent from the `packages` configuration",
                    "SetuptoolsDeprecationWarning", "cannot be found"):
        assert warning not in log


def test_the_runtime_alone_is_consistent_and_has_no_test_tools(installed):
    """The wheel's own dependencies (no extra): pip check is clean, and none
    of the test extra's tools came along."""
    done = run(installed / "python", "-m", "pip", "check", cwd=installed)
    assert "No broken requirements found" in done.stdout
    listed = run(installed / "python", "-m", "pip", "list", "--format", "freeze", cwd=installed).stdout
    names = {line.split("==")[0].lower() for line in listed.splitlines()}
    assert "mkdocs-factbase" in names and "mkdocs-material" in names
    assert not names & {"pytest", "playwright", "zensical", "properdocs", "ruff", "hypothesis"}


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A fresh venv with the wheel and its dependencies (the versions CI pins)."""
    home = tmp_path_factory.mktemp("venv") / "v"
    venv.create(home, with_pip=True)
    wheel, = dist.glob("mkdocs_factbase-*.whl")
    run(home / "bin/python", "-m", "pip", "install", "--quiet", "-c", REPO / "constraints.txt",
        wheel, cwd=dist)
    return home / "bin"


def test_the_wheel_stands_alone(dist):
    wheel, = dist.glob("mkdocs_factbase-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("factbase/data/templates/entity.md.j2", "factbase/data/templates/_macros.j2",
                   "factbase/data/assets/factbase.css",
                   "factbase/data/starter/mkdocs.yml", "factbase/data/starter/dot-gitignore",
                   "factbase/data/diagnostics.schema.json", "factbase/site/plugin.py"):
        assert needed in names
    assert not any(n.endswith(".js") for n in names)  # diagrams are SVG: no script ships
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith("generator/") for n in names)


def test_the_sdist_has_no_half_test_suite(dist):
    sdist, = dist.glob("mkdocs_factbase-*.tar.gz")
    names = tarfile.open(sdist).getnames()
    assert not any("/tests/" in n for n in names)
    assert any(n.endswith("/LICENSE") for n in names)


def test_a_newcomer_starts_a_fact_base_and_builds_it(installed, tmp_path):
    folder = tmp_path / "empty"
    (folder / "generator").mkdir(parents=True)  # a user's own package of that name
    (folder / "generator" / "__init__.py").write_text("raise ImportError('the wrong generator')\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = f"{installed}{os.pathsep}{env['PATH']}"
    run(installed / "factbase", "init", "facts-about-mkdocs", cwd=folder, env=env)
    project = folder / "facts-about-mkdocs"
    (project / "generator").symlink_to(folder / "generator")  # shadowing where the builds run
    assert "All checks passed" in run(installed / "factbase", "check", cwd=project, env=env).stderr
    run(installed / "factbase", "build", cwd=project, env=env)
    page = project / "site" / "software" / "mkdocs" / "index.html"
    # its second sentence on MkDocs opens "It is", as a writer would vary it
    assert "It is configured with a single YAML configuration file." in page.read_text()
    run(installed / "python", "-m", "mkdocs", "build", "-d", tmp_path / "by-mkdocs",
        cwd=project, env=env)
    for site in (project / "site", tmp_path / "by-mkdocs"):
        assert broken_links(site) == []
        assert (site / "formats" / "markdown" / "index.html").is_file()


def test_the_plugin_alone_is_enough(installed, tmp_path):
    """A hand-written mkdocs.yml naming only the plugin: it adds the Markdown
    extensions and the stylesheet the pages need."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run(installed / "factbase", "init", "p", cwd=tmp_path, env=env)
    project = tmp_path / "p"
    (project / "mkdocs.yml").write_text("site_name: Bare\ndocs_dir: build/docs\n"
                                        "theme: material\nplugins: [factbase]\n")
    assert (project / "build" / "docs").is_dir()  # init made it: MkDocs checks before plugins run
    run(installed / "python", "-m", "mkdocs", "build", "--strict", cwd=project, env=env)
    page = (project / "site" / "software" / "mkdocs" / "index.html").read_text()
    # admonition, pymdownx.details and tables: the infobox, the folded blocks, the grid
    assert 'class="admonition' in page and "<details" in page and "<table>" in page
    assert 'id="cite-note-1"' in page and "assets/factbase/factbase.css" in page
    assert broken_links(project / "site") == []

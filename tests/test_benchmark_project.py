"""The benchmarks time a synthetic project made from the shipped mkdocs.yml;
if that project stops checking and rendering, every benchmark number is
"failed" and nobody notices until the next run."""

from __future__ import annotations

import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import synth  # noqa: E402  (benchmarks/ is scripts, not a package)


def test_the_synthetic_project_checks_and_renders(tmp_path, cli):
    project = tmp_path / "synthetic"
    synth.write_project(project, 300)
    run = cli(project, "render")
    assert run.code == 0, run.out + run.err
    assert (project / "build" / "docs" / "index.md").is_file()

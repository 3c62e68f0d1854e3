"""What `factbase init` writes: its workflows hold to the rules this repository's
own do (tests/test_workflows.py): actionlint passes, GitHub's actions on a
current major tag that runs on Node 24, no rights at the top, and only the
deploy job may write; and its README and data package carry the site's name."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO
from test_workflows import NODE_24, USES, actionlint, writes

STARTER = REPO / "generator" / "data" / "starter" / "dot-github" / "workflows"
FILES = sorted(STARTER.glob("*.yml"))
WRITES = {("deploy.yml", "deploy"): {"pages", "id-token"}}


def test_the_starter_has_checks_links_and_deploy():
    jobs = {(f.name, job) for f in FILES for job in yaml.safe_load(f.read_text())["jobs"]}
    assert {("factbase.yml", "check"), ("factbase.yml", "links"), ("deploy.yml", "build"),
            ("deploy.yml", "deploy")} <= jobs


def test_actionlint_passes_the_starter_workflows():
    result = actionlint(*FILES)
    assert result.returncode == 0, "actionlint:\n" + result.stdout + result.stderr


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_starter_actions_are_current_and_least_privileged(path):
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if match := USES.match(line):
            action = match["action"]
            assert action.startswith("actions/"), f"{path.name}:{number}: only GitHub's own actions"
            assert int(match["ref"].lstrip("v")) >= NODE_24[action], \
                f"{path.name}:{number}: {action}@{match['ref']} runs on Node 20"
    document = yaml.safe_load(path.read_text())
    assert document["permissions"] == {}
    for name, job in document["jobs"].items():
        assert writes(job["permissions"]) == WRITES.get((path.name, name), set()), name


def test_init_names_the_readme_and_the_data_package_after_the_site(tmp_path, cli):
    import json
    assert cli(tmp_path, "init", "rust", "--name", "Rust editions").code == 0
    project = tmp_path / "rust"
    assert (project / "README.md").read_text().startswith("# Rust editions\n")
    assert cli(project, "render").code == 0
    package = json.loads((project / "build/docs/data/datapackage.json").read_text())
    assert (package["name"], package["title"]) == ("rust-editions", "Rust editions")

"""The GitHub workflows and the pre-commit hook: valid YAML, the expected jobs
and steps, and every `factbase` command they run accepted by the real CLI."""

from __future__ import annotations

import shlex

import pytest
import yaml

from factbase import cli

from factbase.links import command as links

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    document["on"] = document.pop(True, document.get("on"))
    return document


def steps(document: dict) -> list[dict]:
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def runs(document: dict) -> list[str]:
    return [line.strip() for step in steps(document) for line in step.get("run", "").splitlines()]


def uses(document: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(document) if "uses" in step]


def factbase_commands(document: dict) -> list[list[str]]:
    commands = []
    for line in runs(document):
        words = shlex.split(line)
        if words and words[0] == "factbase":
            stop = next((i for i, w in enumerate(words) if w in ("|", "2>&1", ">", "&&")),
                        len(words))
            commands.append(words[1:stop])
    return commands


@pytest.mark.parametrize("name", ["pr.yml", "links.yml", "deploy.yml"])
def test_workflow_is_well_formed(name):
    document = load(name)
    assert document["name"] and document["on"] and document["jobs"]
    for job in document["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest" and job["steps"]
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert "@v" in step["uses"], f"pin a major version: {step['uses']}"


@pytest.mark.parametrize("name", ["pr.yml", "links.yml", "deploy.yml"])
def test_every_factbase_command_parses(name):
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0]
    if "links" not in commands.choices:
        links.register(commands)
    found = factbase_commands(load(name))
    assert found
    for words in found:
        args = parser.parse_args(words)
        assert callable(args.run), words


def test_pull_request_workflow():
    document = load("pr.yml")
    assert "pull_request" in document["on"]
    assert document["permissions"] == {"contents": "read"}
    lines = runs(document)
    order = ["pip install -c constraints.txt -e '.[test]'",
             "factbase check --format github",
             "factbase build --strict",
             "factbase links --offline --format github",
             "python -m pytest"]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)
    assert any("apt-get install" in line and "chromium" in line for line in lines)
    assert "actions/checkout" in uses(document)


def test_scheduled_links_workflow():
    document = load("links.yml")
    assert document["on"]["schedule"][0]["cron"].count(" ") == 4
    assert "workflow_dispatch" in document["on"]
    assert any(line.startswith("factbase links --update-lock") for line in runs(document))
    by_use = {step["uses"].split("@")[0]: step for step in steps(document) if "uses" in step}
    assert by_use["actions/upload-artifact"]["if"] == "always()"
    assert by_use["peter-evans/create-pull-request"]["with"]["add-paths"] == "citations.lock.json"
    check = next(step for step in steps(document) if step.get("id") == "links")
    assert check["continue-on-error"] is True and "pipefail" in check["run"]
    assert steps(document)[-1]["if"] == "steps.links.outcome == 'failure'"


def test_deploy_workflow():
    document = load("deploy.yml")
    assert document["on"]["push"]["branches"] == ["main"]
    assert document["permissions"]["pages"] == "write"
    assert document["permissions"]["id-token"] == "write"
    build, deploy = document["jobs"]["build"], document["jobs"]["deploy"]
    assert ["factbase", "build", "--strict"] in [shlex.split(s.get("run", ""))
                                                  for s in build["steps"]]
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"   # site_dir in mkdocs.yml
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_pre_commit_hook():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "factbase-check")
    assert hook["entry"] == "factbase check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False and hook["files"] == "^facts/"
    assert cli.build_parser().parse_args(hook["entry"].split()[1:]).command == "check"

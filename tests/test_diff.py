"""`factbase diff` on a scripted git history: each kind of change a pull
request makes, the outputs a reviewer reads, and hostile text kept inert."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from factbase.tools import diff_report
from factbase.tools.init import init

CLAIMS = "facts/claims/mkdocs.yaml"
SOURCES = "facts/sources/pypi.yaml"
PLAN_A = """
  - id: mkdocs-plan-a
    property: configuration
    value: a YAML file
    statement: MkDocs is configured with a YAML file.
    cite:
      - source: pypi-mkdocs-1-1-2
        locator: project description
"""
PLAN_B = """
  - id: mkdocs-plan-b
    property: configuration
    value: one YAML file
    statement: MkDocs is configured with one YAML file.
    supersedes: mkdocs-plan-a
    cite:
      - source: pypi-mkdocs-1-1-2
        locator: project description
"""
NEW_SOURCE = """
  - id: mkdocs-home
    title: MkDocs
    publisher: mkdocs
    url: https://www.mkdocs.org/
    kind: documentation
"""


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org",
           "GIT_AUTHOR_DATE": "2026-12-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-12-01T12:00:00Z",
           "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True,
                          capture_output=True, text=True).stdout.strip()


def edit(repo: Path, relative: str, old: str, new: str) -> None:
    path = repo / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A starter project and one commit per kind of change."""
    repo = tmp_path / "base"
    init(repo, "Diff test")
    git(repo, "init", "-q", "-b", "main")
    shas = {"start": commit(repo, "start")}
    git(repo, "checkout", "-q", "-b", "change")
    claims = repo / CLAIMS
    claims.write_text(claims.read_text(encoding="utf-8") + PLAN_A, encoding="utf-8")
    shas["added"] = commit(repo, "add a fact")
    edit(repo, CLAIMS, "value: a single YAML configuration file", "value: one YAML file")
    shas["changed"] = commit(repo, "change a value")
    edit(repo, CLAIMS, "    value: a YAML file\n", "    value: a YAML file\n    status: superseded\n")
    claims.write_text(claims.read_text(encoding="utf-8") + PLAN_B, encoding="utf-8")
    shas["superseded"] = commit(repo, "supersede a plan")
    edit(repo, CLAIMS, "id: mkdocs-purpose", "id: mkdocs-aim")
    shas["renamed"] = commit(repo, "rename an id")
    sources = repo / SOURCES
    sources.write_text(sources.read_text(encoding="utf-8") + NEW_SOURCE, encoding="utf-8")
    shas["source"] = commit(repo, "add a source")
    edit(repo, CLAIMS, "facts:\n", "facts:\n\t- id: broken\n")
    shas["broken"] = commit(repo, "a file that does not parse")
    return repo, shas


def changes_of(cli, repo: Path, *refs: str) -> list[dict]:
    run = cli(repo, "diff", *refs, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)["changes"]


def test_each_commit_is_one_kind_of_change(cli, history):
    repo, shas = history
    steps = ["start", "added", "changed", "superseded", "renamed", "source"]
    seen = [[(c["kind"], c["record"], c["id"]) for c in changes_of(cli, repo, shas[a], shas[b])]
            for a, b in zip(steps, steps[1:])]
    assert seen == [
        [("added", "fact", "mkdocs-plan-a")],
        [("changed", "fact", "mkdocs-configuration")],
        [("superseded", "fact", "mkdocs-plan-a"), ("added", "fact", "mkdocs-plan-b")],
        [("renamed", "fact", "mkdocs-aim")],
        [("added", "source", "mkdocs-home")],
    ]


def test_the_whole_change_as_json(cli, history):
    repo, shas = history
    run = cli(repo, "diff", shas["start"], shas["source"], "--format", "json")
    document = json.loads(run.out)
    assert document["base"] == shas["start"][:12] and document["head"] == shas["source"][:12]
    assert document["summary"] == {"fact added": 2, "fact changed": 1, "fact renamed": 1,
                                   "source added": 1}
    found = {c["id"]: c for c in document["changes"]}
    assert found["mkdocs-configuration"]["fields"] == [
        {"name": "value", "old": "a single YAML configuration file", "new": "one YAML file"}]
    assert found["mkdocs-configuration"]["page"] == "software/mkdocs/#mkdocs-configuration"
    # Added and then superseded within the change: one fact added, with its status.
    assert found["mkdocs-plan-a"]["kind"] == "added"
    assert found["mkdocs-aim"] == {
        "kind": "renamed", "record": "fact", "id": "mkdocs-aim", "subject": "mkdocs",
        "old_id": "mkdocs-purpose", "fields": [], "cites_added": [], "cites_removed": [],
        "by": [], "page": "software/mkdocs/#mkdocs-aim", "text": None}
    assert found["mkdocs-plan-b"]["text"] == "MkDocs is configured with one YAML file."
    assert found["mkdocs-home"]["text"] == "MkDocs"
    assert found["mkdocs-home"]["page"] == "sources/mkdocs-home/"


def test_superseded_names_its_replacement(cli, history):
    repo, shas = history
    superseded = changes_of(cli, repo, shas["changed"], shas["superseded"])[0]
    assert superseded["by"] == ["mkdocs-plan-b"]
    assert superseded["fields"] == [{"name": "status", "old": None, "new": "superseded"}]


def test_a_side_that_does_not_parse_is_an_error_naming_commit_and_file(cli, history):
    repo, shas = history
    run = cli(repo, "diff", shas["source"], shas["broken"])
    assert run.code == 2 and run.out == ""
    assert f"at commit {shas['broken'][:12]}: {CLAIMS}:" in run.err
    assert "Traceback" not in run.err
    run = cli(repo, "diff", shas["broken"], shas["source"])
    assert run.code == 2 and f"at commit {shas['broken'][:12]}" in run.err


def test_default_is_merge_base_with_main_to_the_working_tree(cli, history):
    repo, shas = history
    git(repo, "checkout", "-q", shas["source"])
    edit(repo, CLAIMS, "second sentence\n\n  - id: mkdocs-plan-a",
         "opening sentences\n\n  - id: mkdocs-plan-a")
    run = cli(repo, "diff")
    assert run.code == 0, run.err
    assert run.out.startswith(f"From {shas['start'][:12]} to the working tree: 2 facts added, "
                              "1 fact changed, 1 fact renamed, 1 source added, "
                              "1 citation added, 1 citation removed.\n")
    assert ("fact mkdocs-configuration: changed\n"
            "  value: a single YAML configuration file → one YAML file\n"
            "  citation added: pypi-mkdocs-1-1-2 (project description, opening sentences)\n"
            "  citation removed: pypi-mkdocs-1-1-2 (project description, second sentence)\n"
            ) in run.out


def test_markdown_links_each_record_to_its_preview_page(cli, history):
    repo, shas = history
    run = cli(repo, "diff", shas["start"], shas["source"], "--format", "markdown",
              "--preview-url", "https://preview.example/pr-7/")
    assert run.out == f"""\
### What this changes in the fact base

From {shas['start'][:12]} to {shas['source'][:12]}: **2 facts added, 1 fact changed, 1 fact renamed, 1 source added.**

- **Renamed** fact [mkdocs-aim](https://preview.example/pr-7/software/mkdocs/#mkdocs-aim), was mkdocs-purpose
- **Changed** fact [mkdocs-configuration](https://preview.example/pr-7/software/mkdocs/#mkdocs-configuration)
  - value: a single YAML configuration file → one YAML file
- **Added** fact [mkdocs-plan-a](https://preview.example/pr-7/software/mkdocs/#mkdocs-plan-a) (about mkdocs)
  - “MkDocs is configured with a YAML file.”
- **Added** fact [mkdocs-plan-b](https://preview.example/pr-7/software/mkdocs/#mkdocs-plan-b) (about mkdocs)
  - “MkDocs is configured with one YAML file.”
- **Added** source [mkdocs-home](https://preview.example/pr-7/sources/mkdocs-home/)
  - “MkDocs”
"""


HOSTILE = ["@org/team please look", "<img src=x onerror=alert(1)>", "<!-- hidden -->",
           "```\nfence", "[link](javascript:alert(1)) ![i](https://x.example/i.png)", "#1",
           ]
LONG = "x" * 19_999        # the loader's limit for one value is 20,000 characters


def test_hostile_statements_stay_inert_and_within_the_limit(cli, history):
    repo, shas = history
    git(repo, "checkout", "-q", shas["source"])
    claims = repo / CLAIMS
    extra = "".join(f"""
  - id: hostile-{n}
    property: purpose
    value: {json.dumps(text)}
    statement: {json.dumps(text)}
    cite:
      - source: pypi-mkdocs-1-1-2
        locator: {json.dumps(text)}
""" for n, text in enumerate([LONG] + HOSTILE * 200))
    claims.write_text(claims.read_text(encoding="utf-8") + extra, encoding="utf-8")
    run = cli(repo, "diff", shas["start"], "--format", "markdown")
    out = run.out
    assert run.code == 0, run.err
    assert "x" * (diff_report.VALUE_LIMIT - 1) + "…" in out   # the long one, cut
    assert len(out) < 65_536
    assert "more changes, not shown" in out            # the tail is counted, not cut mid-item
    assert not re.search(r"@[A-Za-z0-9]", out)         # no @user or @org/team
    assert "<" not in out and "<!--" not in out          # no HTML, no comment
    assert "![" not in out.replace("\\!\\[", "")        # no image
    assert "```" not in out and "\n    " not in out     # no fence, no indented code
    assert not re.search(r"#\d", out)                   # no issue reference
    assert "\\[link\\]\\(javascript:alert\\(1\\)\\)" in out   # shown, escaped
    assert not re.search(r"(?<!\\)[\[\]]", out)        # no bracket opens a link
    # Each line is one item or one detail: no statement's newline starts a block.
    assert all(line.startswith(("- **", "  - ", "### ", "From ", "… and ")) or not line
               for line in out.splitlines())


def test_a_70000_character_statement_is_refused_without_being_echoed(cli, history):
    repo, shas = history
    git(repo, "checkout", "-q", shas["source"])
    edit(repo, CLAIMS, "statement: MkDocs is configured",
         "statement: " + "<img src=x onerror=alert(1)> @org/team " * 1750 + "MkDocs is configured")
    run = cli(repo, "diff", shas["start"], "--format", "markdown")
    assert run.code == 2 and run.out == ""
    assert f"in the working tree: {CLAIMS}:" in run.err and "E106" in run.err
    assert "<img" not in run.err and "@org" not in run.err and len(run.err) < 500


def test_inert_keeps_the_words():
    assert diff_report.inert("a <b> & @c") == "a &lt;b&gt; &amp; @\u200bc"
    assert diff_report.inert("x\n\n# y") == "x #\u200b y"
    assert len(diff_report.inert("y" * 70_000)) == diff_report.VALUE_LIMIT

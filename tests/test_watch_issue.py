"""The weekly job's issue update (generator/watch/issue.py) against a stand-in
for GitHub's REST API on 127.0.0.1: one issue titled "Leads from news feeds",
opened on the first run and edited on the next, never a second one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from factbase.watch import issue

from conftest import REPO
from test_watch import ATOM, RSS, project, rss, serve, server, watch  # noqa: F401  (fixtures)

SCRIPT = REPO / "generator" / "watch" / "issue.py"
REPOSITORY = "owner/facts"
TOKEN = "test-token"


class StandIn:
    """Just enough of the issues API: list (paged, open only, pull requests
    included as GitHub does), create, edit; every request recorded."""

    def __init__(self) -> None:
        self.issues: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.fail: dict[str, int] = {}        # method -> HTTP status to answer
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _answer(self, status: int, document) -> None:
                data = json.dumps(document).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                api.requests.append((self.command, self.path))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._answer(401, {"message": "Bad credentials"})
                if self.command in api.fail:
                    return self._answer(api.fail[self.command], {"message": "no"})
                url = urlsplit(self.path)
                prefix = f"/repos/{REPOSITORY}/issues"
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                if self.command == "GET" and url.path == prefix:
                    query = parse_qs(url.query)
                    assert query["state"] == ["open"]
                    size, page = int(query["per_page"][0]), int(query["page"][0])
                    shown = [i for i in api.issues if i["state"] == "open"]
                    return self._answer(200, shown[(page - 1) * size:page * size])
                if self.command == "POST" and url.path == prefix:
                    made = {"number": len(api.issues) + 1, "state": "open", **body}
                    api.issues.append(made)
                    return self._answer(201, made)
                if self.command == "PATCH" and url.path.startswith(prefix + "/"):
                    number = int(url.path.rsplit("/", 1)[1])
                    found = next(i for i in api.issues if i["number"] == number)
                    found.update(body)
                    return self._answer(200, found)
                return self._answer(404, {"message": "Not Found"})

            do_GET = do_POST = do_PATCH = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add(self, title: str, state: str = "open", **extra) -> None:
        self.issues.append({"number": len(self.issues) + 1, "title": title, "state": state,
                            "body": "", **extra})

    def titled(self) -> list[dict]:
        """The open issues (not pull requests) with the leads' title."""
        return [i for i in self.issues if i["title"] == issue.TITLE and i["state"] == "open"
                and "pull_request" not in i]

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] != "GET"]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def github():
    api = StandIn()
    yield api
    api.close()


def environment(api: StandIn) -> dict[str, str]:
    return {"GITHUB_API_URL": api.url, "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_TOKEN": TOKEN}


def as_the_job_runs_it(api: StandIn, leads: Path) -> subprocess.CompletedProcess:
    """As the workflow does: the file on its own (-I: no package, no user site,
    not even its own folder on the path), with nothing installed."""
    env = {"PATH": "/usr/bin:/bin", "NO_PROXY": "*", "no_proxy": "*",
           "GITHUB_SERVER_URL": "https://github.example", "GITHUB_RUN_ID": "77",
           **environment(api)}
    return subprocess.run([sys.executable, "-I", str(SCRIPT), str(leads)], env=env,
                          capture_output=True, text=True, timeout=60)


def leads_file(tmp_path: Path, run, name: str = "leads.md") -> Path:
    path = tmp_path / name
    path.write_text(run.out, encoding="utf-8")
    return path


def test_one_issue_is_created_then_edited(cli, project, server, github, tmp_path):  # noqa: F811
    # Issues the update must leave alone: a pull request and a closed issue of the
    # same title, and another open issue.
    github.add(issue.TITLE, pull_request={"url": "…"})
    github.add(issue.TITLE, state="closed")
    github.add("Something else")
    serve(server, rss=RSS, atom=ATOM)
    first = watch(cli, project, "--format", "markdown")
    assert first.code == 0, first.err
    done = as_the_job_runs_it(github, leads_file(tmp_path, first))
    assert done.returncode == 0, done.stderr
    assert f"'{issue.TITLE}': created #4" in done.stdout
    [opened] = github.titled()
    assert opened["state"] == "open" and opened["body"].startswith(first.out.rstrip("\n"))
    assert "SMILÉ sees the magnetosphere" in opened["body"]
    assert opened["body"].endswith("From the weekly run https://github.example/owner/facts/"
                                   "actions/runs/77.\n")
    assert github.writes() == [("POST", f"/repos/{REPOSITORY}/issues")]

    # A week later the feed has one more item: the same issue is edited.
    serve(server, atom=ATOM, rss=rss(
        ("SMILÉ sees the magnetosphere", "https://example.org/rss/1", "First images."),
        ("Smile reaches its final orbit", "https://example.org/rss/9", "News.")))
    second = watch(cli, project, "--format", "markdown")
    assert second.code == 0 and "Smile reaches its final orbit" in second.out
    done = as_the_job_runs_it(github, leads_file(tmp_path, second))
    assert done.returncode == 0, done.stderr
    assert f"'{issue.TITLE}': edited #4" in done.stdout
    [edited] = github.titled()
    assert edited["number"] == 4 and "Smile reaches its final orbit" in edited["body"]
    assert github.writes() == [("POST", f"/repos/{REPOSITORY}/issues"),
                               ("PATCH", f"/repos/{REPOSITORY}/issues/4")]


def test_no_leads_opens_no_issue_but_empties_an_open_one(cli, project, server, github,  # noqa: F811
                                                         tmp_path):
    serve(server, rss=rss(), atom=rss())
    none = watch(cli, project, "--format", "markdown")
    assert none.code == 0 and none.out.startswith(
        "<!-- factbase watch: 0 leads, 0 feeds not read -->\n")
    path = leads_file(tmp_path, none)
    assert issue.main(["issue.py", str(path)], environment(github)) == 0
    assert github.writes() == [] and github.titled() == []
    github.add(issue.TITLE, body="old leads")
    assert issue.main(["issue.py", str(path)], environment(github)) == 0
    assert github.writes() == [("PATCH", f"/repos/{REPOSITORY}/issues/1")]
    assert "0 leads in 0 items" in github.titled()[0]["body"]


def test_the_issue_is_found_past_the_first_page(github, tmp_path):
    for n in range(issue.PAGE + 20):
        github.add(f"Other issue {n}")
    github.add(issue.TITLE, body="old")
    path = tmp_path / "leads.md"
    path.write_text("<!-- factbase watch: 2 leads, 1 feeds not read -->\n## Leads\n")
    assert issue.main(["issue.py", str(path)], environment(github)) == 0
    assert github.writes() == [("PATCH", f"/repos/{REPOSITORY}/issues/{issue.PAGE + 21}")]
    assert len(github.titled()) == 1


def test_a_file_that_is_not_watch_output_is_refused(github, tmp_path, capsys):
    path = tmp_path / "leads.md"
    path.write_text("## Leads from news feeds\n@everyone look\n")
    assert issue.main(["issue.py", str(path)], environment(github)) == 1
    assert "not the output of `factbase watch --format markdown`" in capsys.readouterr().err
    assert github.requests == []


@pytest.mark.parametrize("method, status", [("GET", 500), ("POST", 403)])
def test_an_api_error_is_a_message_and_exit_1(github, tmp_path, capsys, method, status):
    path = tmp_path / "leads.md"
    path.write_text("<!-- factbase watch: 1 leads, 0 feeds not read -->\n- a lead\n")
    github.fail[method] = status
    assert issue.main(["issue.py", str(path)], environment(github)) == 1
    err = capsys.readouterr().err
    assert f"HTTP {status}" in err and "Traceback" not in err
    assert github.titled() == []


def test_a_missing_token_is_named(tmp_path, capsys):
    path = tmp_path / "leads.md"
    path.write_text("<!-- factbase watch: 1 leads, 0 feeds not read -->\n")
    assert issue.main(["issue.py", str(path)], {"GITHUB_REPOSITORY": REPOSITORY}) == 1
    assert "'GITHUB_TOKEN' is not set" in capsys.readouterr().err


def test_a_long_body_is_cut_at_a_line_to_the_limit():
    body = "<!-- factbase watch: 9 leads, 0 feeds not read -->\n" + "- a lead line\n" * 10_000
    cut = issue.fitted(body, "https://github.example/o/r/actions/runs/1")
    assert len(cut) <= issue.LIMIT and cut.endswith(issue.CUT)
    assert cut[:-len(issue.CUT)].endswith("- a lead line")
    assert issue.fitted("short\n") == "short\n"


# --- the weekly workflow's two watch jobs -------------------------------------------

def test_the_weekly_workflow_runs_watch_and_updates_the_issue():
    from test_workflows import fetch_free, load, writes
    jobs = load("links.yml")["jobs"]
    watching, updating = jobs["watch"], jobs["leads-issue"]
    # The job reading feeds from the web writes nothing; the one writing the issue
    # reads no feed, installs nothing and runs only the standard-library script.
    assert not writes(watching["permissions"])
    assert writes(updating["permissions"]) == {"issues"} and fetch_free(updating)
    read = next(s for s in watching["steps"] if s.get("id") == "watch")
    lines = [line.strip() for line in read["run"].splitlines()]
    assert lines[0].startswith("factbase watch --format markdown > leads.md")
    assert 'cat leads.md >> "$GITHUB_STEP_SUMMARY"' in read["run"]
    assert read["continue-on-error"] is True and lines[-1] == 'exit "$status"'
    # A feed that could not be read fails the job, after the summary and the hand-over.
    fail = watching["steps"][-1]
    assert fail["if"] == "always() && steps.watch.outcome == 'failure'" and "exit 1" in fail["run"]
    assert watching["outputs"]["status"] == "${{ steps.watch.outputs.status }}"
    # The issue is kept whenever watch wrote leads (a feed warning included), never
    # after a configuration error; the watch job's failure does not stop it.
    assert updating["needs"] == "watch" and "!cancelled()" in updating["if"]
    assert "needs.watch.outputs.status == '1'" in updating["if"]
    assert [s["run"] for s in updating["steps"] if "run" in s] == [
        "python3 -I generator/watch/issue.py leads.md"]
    assert next(s for s in updating["steps"] if "uses" in s and "download-artifact" in s["uses"]
                )["with"]["name"] == "leads"
    # The links check is its own job: a watch failure cannot hide its result.
    assert "watch" not in str(jobs["links"].get("needs", ""))

"""The pull-request comment job (.github/scripts/pr_comment.py) against a
stand-in for the GitHub API on 127.0.0.1: one comment, created once and
edited after; nothing from the artifact trusted."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import REPO

SCRIPT = REPO / ".github" / "scripts" / "pr_comment.py"
HEAD = "a" * 40
REPOSITORY = "owner/facts"


class StandIn:
    """The few endpoints the script calls, with comments kept in memory."""

    def __init__(self):
        self.pulls = {7: HEAD}
        self.comments: list[dict] = [{"id": 1, "body": "Looks good to me"}] + [
            {"id": 100 + n, "body": f"note {n}"} for n in range(120)]   # more than one page
        self.calls: list[tuple[str, str]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> dict:
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def do_GET(self):
                stand_in.calls.append(("GET", self.path))
                if self.headers["Authorization"] != "Bearer t0ken":
                    return self._answer(401, {"message": "Bad credentials"})
                parts = urlsplit(self.path)
                if m := re.fullmatch(rf"/repos/{REPOSITORY}/pulls/(\d+)", parts.path):
                    sha = stand_in.pulls.get(int(m[1]))
                    return self._answer(200, {"head": {"sha": sha}}) if sha else \
                        self._answer(404, {})
                if re.fullmatch(rf"/repos/{REPOSITORY}/issues/7/comments", parts.path):
                    query = dict(p.split("=") for p in parts.query.split("&"))
                    size, page = int(query["per_page"]), int(query["page"])
                    return self._answer(200, stand_in.comments[(page - 1) * size:page * size])
                self._answer(404, {})

            def do_POST(self):
                stand_in.calls.append(("POST", self.path))
                assert self.path == f"/repos/{REPOSITORY}/issues/7/comments"
                comment = {"id": 999, "body": self._body()["body"]}
                stand_in.comments.append(comment)
                self._answer(201, comment)

            def do_PATCH(self):
                stand_in.calls.append(("PATCH", self.path))
                ident = int(self.path.rsplit("/", 1)[1])
                comment = next(c for c in stand_in.comments if c["id"] == ident)
                comment["body"] = self._body()["body"]
                self._answer(200, comment)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def ours(self) -> list[dict]:
        return [c for c in self.comments if c["body"].startswith("<!-- factbase:")]


@pytest.fixture
def api():
    stand_in = StandIn()
    yield stand_in
    stand_in.server.shutdown()


def artifact(folder: Path, summary: str, number: str = "7") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "number").write_text(number + "\n", encoding="utf-8")
    (folder / "summary.md").write_text(summary, encoding="utf-8")
    return folder


def run(api: StandIn, folder: Path, head: str = HEAD) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ["PATH"], "GITHUB_API_URL": api.url, "GITHUB_REPOSITORY": REPOSITORY,
           "GITHUB_TOKEN": "t0ken", "HEAD_SHA": head}
    return subprocess.run([sys.executable, str(SCRIPT), str(folder)], env=env,
                          capture_output=True, text=True, timeout=60)


def test_created_once_then_edited(api, tmp_path):
    first = run(api, artifact(tmp_path / "a", "### Changes\n\n1 fact added.\n"))
    assert first.returncode == 0, first.stderr
    assert "created the comment on pull request #7" in first.stdout
    [ours] = api.ours()
    assert "1 fact added." in ours["body"]
    second = run(api, artifact(tmp_path / "b", "### Changes\n\n2 facts added.\n"))
    assert second.returncode == 0 and "updated" in second.stdout
    [ours] = api.ours()
    assert "2 facts added." in ours["body"] and "1 fact added." not in ours["body"]
    assert [c for c in api.calls if c[0] != "GET"] == [
        ("POST", f"/repos/{REPOSITORY}/issues/7/comments"),
        ("PATCH", f"/repos/{REPOSITORY}/issues/comments/999")]
    assert api.comments[0]["body"] == "Looks good to me"     # others' comments untouched


def test_the_artifact_is_not_trusted(api, tmp_path):
    hostile = "@org/team <img src=x onerror=alert(1)> <!-- x --> " + "y" * 100_000
    result = run(api, artifact(tmp_path / "a", hostile))
    assert result.returncode == 0, result.stderr
    [ours] = api.ours()
    body = ours["body"]
    assert len(body) <= 65_536 and "cut to fit GitHub's comment limit" in body
    assert not re.search(r"@[A-Za-z]", body)
    assert "<" not in body.split("\n", 1)[1]                  # only the marker line has one


@pytest.mark.parametrize("number, head, said", [
    ("7; rm -rf /", HEAD, "not a number"),
    ("8", HEAD, "HTTP 404"),                      # no such pull request
    ("7", "b" * 40, "head is not"),               # another pull request's run
])
def test_refuses_what_does_not_match_the_run(api, tmp_path, number, head, said):
    result = run(api, artifact(tmp_path / "a", "x", number), head=head)
    assert result.returncode == 1 and said in result.stderr
    assert "Traceback" not in result.stderr
    assert not api.ours() and all(c[0] == "GET" for c in api.calls)

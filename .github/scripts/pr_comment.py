"""Keep one comment on a pull request up to date: what it changes in the fact base.

Run by .github/workflows/pr-comment.yml after the pull-request workflow, with
the `pr-summary` artifact that workflow uploaded (a folder holding `number`,
the pull request's number, and `summary.md`, the output of
`factbase diff --format markdown`). The first run creates the comment; later
runs edit it, found by the marker line it starts with.

The artifact was written by the pull request's own code (a fork's, perhaps),
so nothing in it is trusted: the number must be a pull request whose head is
the commit the workflow ran on; the text is cut to GitHub's comment limit,
has every `<` made an entity (no HTML, comment or image tag) and every `@`
followed by a zero-width space (no one is pinged). Standard library only:
this job installs nothing and runs no code from the pull request.

Environment: GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_TOKEN, HEAD_SHA.
Usage: python3 pr_comment.py FOLDER
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

MARKER = "<!-- factbase: fact-base changes -->"
LIMIT = 65_536            # GitHub's limit on a comment's body, in characters
CUT = "\n\n… cut to fit GitHub's comment limit: run `factbase diff` for the whole list.\n"
PAGE = 100                # comments read per request


class Refused(Exception):
    """The artifact or the API answered something this script will not act on."""


def inert(text: str) -> str:
    """Text that renders as Markdown but cannot open HTML or ping anyone."""
    text = re.sub("@(?!\u200b)", "@\u200b", text.replace("\r", "").replace("<", "&lt;"))
    room = LIMIT - len(MARKER) - 1
    if len(text) > room:
        text = text[:room - len(CUT)].rsplit("\n", 1)[0] + CUT
    return text


def read_artifact(folder: Path) -> tuple[int, str]:
    number = (folder / "number").read_text(encoding="utf-8").strip()
    if not re.fullmatch(r"[1-9][0-9]{0,9}", number):
        raise Refused(f"the artifact's pull-request number is not a number: {number[:40]!r}")
    summary = (folder / "summary.md").read_bytes()[:4 * LIMIT].decode("utf-8", "replace")
    return int(number), summary


class GitHub:
    def __init__(self, api: str, repository: str, token: str):
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
            raise Refused(f"not a repository name: {repository!r}")
        self.base = f"{api.rstrip('/')}/repos/{repository}"
        self.token = token

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            self.base + path, method=method,
            data=None if body is None else json.dumps(body).encode("utf-8"),
            headers={"Authorization": f"Bearer {self.token}",
                     "Accept": "application/vnd.github+json",
                     "X-GitHub-Api-Version": "2022-11-28",
                     "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as err:
            raise Refused(f"{method} {path}: HTTP {err.code}") from None

    def own_comment(self, number: int) -> int | None:
        """The id of the comment this script wrote before, if any."""
        page = 1
        while True:
            found = self.call("GET", f"/issues/{number}/comments?per_page={PAGE}&page={page}")
            for comment in found:
                if comment.get("body", "").startswith(MARKER):
                    return comment["id"]
            if len(found) < PAGE:
                return None
            page += 1


def post(github: GitHub, number: int, head_sha: str, summary: str) -> str:
    pull = github.call("GET", f"/pulls/{number}")
    if pull.get("head", {}).get("sha") != head_sha:
        raise Refused(f"pull request #{number}'s head is not {head_sha}: not its run")
    body = f"{MARKER}\n{inert(summary)}"
    existing = github.own_comment(number)
    if existing is None:
        github.call("POST", f"/issues/{number}/comments", {"body": body})
        return "created"
    github.call("PATCH", f"/issues/comments/{existing}", {"body": body})
    return "updated"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        number, summary = read_artifact(Path(argv[1]))
        github = GitHub(os.environ.get("GITHUB_API_URL", "https://api.github.com"),
                        os.environ["GITHUB_REPOSITORY"], os.environ["GITHUB_TOKEN"])
        done = post(github, number, os.environ["HEAD_SHA"], summary)
    except KeyError as err:
        print(f"pr_comment: the environment variable {err} is not set", file=sys.stderr)
        return 1
    except (Refused, OSError) as err:
        print(f"pr_comment: {err}", file=sys.stderr)
        return 1
    print(f"pr_comment: {done} the comment on pull request #{number}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

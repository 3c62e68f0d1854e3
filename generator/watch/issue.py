"""Keep one open issue, "Leads from news feeds", holding `factbase watch`'s latest leads.

Run by the weekly workflow (.github/workflows/links.yml) with the file that
`factbase watch --format markdown` wrote. It looks for an open issue with
exactly that title among the repository's open issues: if there is one, its
body is replaced (PATCH); if there is none, one is opened (POST), but only
when there are leads, so that a closed issue stays closed until there is news.
Never a second issue: a run edits the one it finds.

The body is used as written: `factbase watch` has already escaped every string
that came from a feed for Markdown (no mention, image, HTML or foreign link),
so escaping it again would only garble it. It is checked to be that command's
output (its first line is the marker `output.markdown` writes) and cut to
GitHub's size limit for an issue body.

Standard library only, and no import from the rest of the package, so that the
job holding the issues token runs it as a file (`python3 generator/watch/issue.py`)
without installing anything.

Environment: GITHUB_API_URL (default https://api.github.com), GITHUB_REPOSITORY
(owner/name), GITHUB_TOKEN; GITHUB_SERVER_URL and GITHUB_RUN_ID, when set, add
a link to the run.
Usage: python3 generator/watch/issue.py LEADS.md
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

TITLE = "Leads from news feeds"
# The first line of `factbase watch --format markdown` (see output.markdown).
MARKER = re.compile(r"<!-- factbase watch: (\d+) leads, (\d+) feeds not read -->")
LIMIT = 65_536            # GitHub's limit on an issue's body, in characters
CUT = "\n\n… cut to fit GitHub's issue limit: run `factbase watch` for the whole list.\n"
PAGE = 100                # issues read per request
TIMEOUT = 30              # seconds per request


class Refused(Exception):
    """The file or the API answered something this command will not act on."""


@dataclass(frozen=True)
class Leads:
    body: str
    leads: int
    unread: int           # feeds that could not be read


def read_leads(path: Path) -> Leads:
    text = path.read_bytes()[:4 * LIMIT].decode("utf-8", "replace").replace("\r", "")
    found = MARKER.fullmatch(text.split("\n", 1)[0])
    if not found:
        raise Refused(f"{path}: not the output of `factbase watch --format markdown` "
                      "(its first line is not the watch marker)")
    return Leads(text, int(found[1]), int(found[2]))


def fitted(body: str, run_url: str = "") -> str:
    """The body, with a link to the run, cut at a line to GitHub's limit."""
    if run_url:
        body = body.rstrip("\n") + f"\n\nFrom the weekly run {run_url}.\n"
    if len(body) > LIMIT:
        body = body[:LIMIT - len(CUT)].rsplit("\n", 1)[0] + CUT
    return body


class GitHub:
    """The few REST calls this needs, on one repository."""

    def __init__(self, api: str, repository: str, token: str):
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repository):
            raise Refused(f"not a repository name: {repository!r}")
        if not api.startswith(("https://", "http://")):
            raise Refused(f"GITHUB_API_URL is not an http(s) address: {api!r}")
        self.base = f"{api.rstrip('/')}/repos/{repository}"
        self.token = token

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            self.base + path, method=method,
            data=None if body is None else json.dumps(body).encode("utf-8"),
            headers={"Authorization": f"Bearer {self.token}",
                     "Accept": "application/vnd.github+json",
                     "X-GitHub-Api-Version": "2022-11-28",
                     "Content-Type": "application/json",
                     "User-Agent": "factbase-watch-issue"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as err:
            raise Refused(f"{method} {path}: HTTP {err.code}") from None
        except json.JSONDecodeError:
            raise Refused(f"{method} {path}: the answer is not JSON") from None

    def open_issue(self, title: str) -> int | None:
        """The number of the oldest open issue with exactly this title (pull
        requests, which the issues list includes, left out)."""
        found, page = [], 1
        while True:
            issues = self.call("GET", f"/issues?state=open&per_page={PAGE}&page={page}")
            if not isinstance(issues, list):
                raise Refused("GET /issues: the answer is not a list of issues")
            found += [i["number"] for i in issues
                      if i.get("title") == title and "pull_request" not in i]
            if len(issues) < PAGE:
                return min(found, default=None)
            page += 1


def update(github: GitHub, leads: Leads, run_url: str = "") -> str:
    """What was done: "created #N", "edited #N" or "no leads, no issue opened"."""
    number = github.open_issue(TITLE)
    body = fitted(leads.body, run_url)
    if number is not None:
        github.call("PATCH", f"/issues/{number}", {"body": body})
        return f"edited #{number}"
    if not leads.leads:
        return "no leads and no open issue: none opened"
    made = github.call("POST", "/issues", {"title": TITLE, "body": body})
    return f"created #{made['number']}" if isinstance(made, dict) and "number" in made \
        else "created"


def _run_url(env) -> str:
    server, repository, run = (env.get(k, "") for k in
                               ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID"))
    return f"{server.rstrip('/')}/{repository}/actions/runs/{run}" if server and run else ""


def main(argv: list[str], env=os.environ) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        leads = read_leads(Path(argv[1]))
        github = GitHub(env.get("GITHUB_API_URL", "https://api.github.com"),
                        env["GITHUB_REPOSITORY"], env["GITHUB_TOKEN"])
        done = update(github, leads, _run_url(env))
    except KeyError as err:
        print(f"watch issue: the environment variable {err} is not set", file=sys.stderr)
        return 1
    except (Refused, OSError) as err:
        print(f"watch issue: {err}", file=sys.stderr)
        return 1
    print(f"watch issue: '{TITLE}': {done}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

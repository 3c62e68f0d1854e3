"""State a stranger can plant in the tree, and runs that overlap: neither may
execute code, write outside the project, break a build or poison a cache.

- the check cache (.factbase-cache/) is authenticated, never unpickled blind;
- the cache folder ignores itself and is never written through a symlink;
- two builds of one project never run at once;
- a temporary DNS failure is a soft link result, never cached as a dead source.
"""

from __future__ import annotations

import json
import os
import pickle
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, write

CACHE_DIR = ".factbase-cache"

PAGE = "<html><body><p>Smile is a joint mission between ESA and CAS.</p></body></html>"
BAD_FACT = """subject: smile
facts:
  - id: x1
    property: partner
    object: nasa
    as_of: 2025-01-01
    cite:
      - source: esa-smile-factsheet
        locator: introduction
"""


@pytest.fixture(autouse=True)
def user_cache(tmp_path, monkeypatch):
    """The per-user folder (the cache key lives there): never the real home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache"


# --- item 3: the cache cannot execute code -------------------------------------

class _Planted:
    """Unpickling this creates the marker file: what an attacker's pickle would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _plant(folder: Path, marker: Path) -> list[str]:
    """Replace every file the cache wrote with a malicious pickle, bare and behind
    32 bytes that could pass for a MAC; returns the names planted."""
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != ".gitignore")
    payload = pickle.dumps(_Planted(marker), protocol=pickle.HIGHEST_PROTOCOL)
    for name in names:
        (folder / name).write_bytes(payload)
    return names


@pytest.mark.parametrize("fake_mac", [b"", b"\0" * 32])
def test_a_planted_pickle_is_never_loaded(mini, cli, tmp_path, fake_mac):
    write(mini, "facts/claims/extra.yaml", BAD_FACT)
    truth = cli(mini, "check", "--format", "json", "--no-cache")
    assert truth.code == 1 and truth.diagnostics
    assert cli(mini, "check").code == 1            # fills the cache: check and files
    marker = tmp_path / "pwned"
    names = _plant(mini / CACHE_DIR, marker)
    assert {"check.pickle", "files.pickle"} <= set(names)
    for name in names:
        path = mini / CACHE_DIR / name
        path.write_bytes(fake_mac + path.read_bytes())
    run = cli(mini, "check", "--format", "json")
    assert not marker.exists(), "`factbase check` executed a planted pickle"
    assert (run.code, run.diagnostics) == (1, truth.diagnostics)
    again = cli(mini, "check", "--format", "json")  # the entries were rewritten, and valid
    assert (again.code, again.diagnostics) == (1, truth.diagnostics) and not marker.exists()


def test_the_cache_of_another_user_or_machine_is_not_trusted(mini, cli, user_cache,
                                                            monkeypatch, tmp_path):
    """Entries written with one key are misses under another (a committed cache)."""
    assert cli(mini, "check").code == 0
    assert (user_cache / "factbase" / "key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    from factbase import cache
    assert cache.Store(mini / CACHE_DIR).get("check.pickle") is None


def test_the_cache_folder_ignores_itself(mini, cli):
    subprocess.run(["git", "init", "-q", str(mini)], check=True)
    subprocess.run(["git", "-C", str(mini), "add", "-A"], check=True)
    assert cli(mini, "check").code == 0
    assert (mini / CACHE_DIR / ".gitignore").read_text() == "*\n"
    status = subprocess.run(["git", "-C", str(mini), "status", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    assert CACHE_DIR not in status


@pytest.mark.parametrize("command", ["check", "render", "build"])
def test_a_symlinked_cache_folder_is_refused_never_written_through(mini, cli, tmp_path, command):
    """A committed `.factbase-cache` link is refused by name (exit 2, how to
    fix it), never written through; it used to end in an EINVAL traceback."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (mini / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    run = cli(mini, command)
    assert run.code == 2 and "Traceback" not in run.err
    assert f"{CACHE_DIR} is a symbolic link" in run.err and f"rm {mini / CACHE_DIR}" in run.err
    assert list(elsewhere.iterdir()) == []


def test_planted_symlinks_inside_the_cache_are_replaced_not_followed(mini, cli, tmp_path):
    assert cli(mini, "check").code == 0
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    for name in ("check.pickle", "files.pickle"):
        (mini / CACHE_DIR / name).unlink()
        (mini / CACHE_DIR / name).symlink_to(victim)
    assert cli(mini, "check").code == 0
    assert victim.read_text() == "precious\n"



def test_the_link_cache_replaces_planted_links_instead_of_following_them(
        mini, capsys, monkeypatch, resolver, server, tmp_path):
    from factbase.links.text import content_hash, page_text
    from test_links import FAST, _main, sources
    sources(mini, esa_smile_factsheet=server.url("/page"),
            esa_launch_contract_2024=server.url("/page"))
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    digest = content_hash(page_text(PAGE.encode(), "text/html")).split(":")[1]
    planted = [mini / CACHE_DIR / "links.json.tmp", mini / CACHE_DIR / "pages" / f"{digest}.txt",
               mini / "citations.lock.json.tmp"]
    for link in planted:
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(victim)
    monkeypatch.chdir(mini)
    assert _main(["links", "--update-lock", *FAST]) == 0, capsys.readouterr()
    assert victim.read_text() == "precious\n"
    assert digest in (mini / CACHE_DIR / "links.json").read_text()

# --- item 5: one build of a project at a time -----------------------------------

def _build(project: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "factbase", "build"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ | {"PYTHONPATH": str(REPO)})


def _tree(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_concurrent_builds_never_break_each_other(mini):
    first = _build(mini)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    index, complete = mini / "site" / "index.html", _tree(mini / "site")
    builds, missing = [_build(mini)], 0
    time.sleep(0.3)   # the second starts while the first is under way
    builds.append(_build(mini))
    while any(b.poll() is None for b in builds):
        missing += not index.exists()
        time.sleep(0.005)
    errors = [b.stderr.read() for b in builds]
    assert [b.returncode for b in builds] == [0, 0], errors
    assert missing == 0, f"site/index.html was missing in {missing} polls"
    assert not any("Traceback" in e for e in errors), errors
    assert any("waiting for another run writing this project (pid " in e for e in errors), errors
    assert _tree(mini / "site") == complete
    assert not list(mini.glob(".site.*")), "staging folders left behind"


def test_a_build_that_waits_too_long_stops_with_a_clear_error(mini, cli, monkeypatch):
    from factbase import lock
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.3)
    with lock.BuildLock(mini):
        run = cli(mini, "render")
    assert run.code == 2
    assert "another run writing this project" in run.err and "Traceback" not in run.err
    assert not (mini / "build" / "docs").exists()


# --- item 9: a resolver hiccup is not a dead source ------------------------------

@pytest.fixture
def resolver(monkeypatch):
    """Names resolve as `answers` says: "again" fails with EAI_AGAIN, anything
    else is answered with 127.0.0.1; unknown names do not exist. No traffic
    leaves 127.0.0.1."""
    from linkserver import loopback_only
    return loopback_only(monkeypatch)


@pytest.fixture
def server():
    from linkserver import LinkServer, page
    server = LinkServer()
    server.routes["/page"] = page(PAGE)
    yield server
    server.close()


def test_a_temporary_dns_failure_is_soft_and_never_cached(mini, capsys, monkeypatch,
                                                          resolver, server):
    from test_links import FAST, _main, sources
    address = server.url("/page").replace("127.0.0.1", "flaky.test")
    sources(mini, esa_smile_factsheet=address,
            esa_launch_contract_2024="http://127.0.0.1:9/unused")
    write(mini, "links.yaml", "exclude:\n  - url_prefix: http://127.0.0.1:9/\n"
                              "    reason: placeholder address of the test fixture\n")
    monkeypatch.chdir(mini)

    def links() -> list[dict]:
        _main(["links", "--format", "json", "--retries", "0", *FAST])
        return json.loads(capsys.readouterr().out)["diagnostics"]

    resolver["flaky.test"] = "again"
    hiccup = links()
    assert [d["code"] for d in hiccup] == ["W811"], hiccup
    assert "temporarily" in hiccup[0]["message"]
    cached = mini / CACHE_DIR / "links.json"
    assert not cached.exists() or address not in cached.read_text()
    assert server.count() == 0
    resolver["flaky.test"] = "127.0.0.1"
    assert links() == [] and server.count() == 1, "the next run must ask again"
    assert address in cached.read_text()


def test_a_temporary_dns_failure_is_retried(resolver, server):
    from factbase.links.http import FetchOptions, HostLimiter, fetch
    lookups = []
    real = socket.getaddrinfo

    def once_again(host, *args, **kwargs):
        lookups.append(host)
        try:
            return real(host, *args, **kwargs)
        finally:
            resolver[host] = "127.0.0.1"    # the resolver answers the second time

    resolver["flaky.test"] = "again"
    socket.getaddrinfo = once_again
    try:
        fetched = fetch(server.url("/page").replace("127.0.0.1", "flaky.test"),
                        FetchOptions(retries=1, backoff=0.01), HostLimiter(gap=0))
    finally:
        socket.getaddrinfo = real
    assert fetched.last.status == 200 and lookups == ["flaky.test", "flaky.test"]


def test_a_plain_mkdocs_build_waits_for_a_factbase_build(mini, tmp_path):
    """The plugin path (plain `mkdocs build`, `serve`'s rebuilds) takes the same lock."""
    from factbase import lock
    (mini / "build" / "docs").mkdir(parents=True)
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    with lock.BuildLock(mini):
        proc = subprocess.Popen([mkdocs, "build", "-d", str(tmp_path / "site")], cwd=mini,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert f"waiting for another run writing this project (pid {os.getpid()})" in err
    assert (tmp_path / "site" / "index.html").is_file()


# Finding 8: concurrent writers keep every record ------------------------------

def _at_once(mini: Path, commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    runs = [subprocess.Popen([sys.executable, "-m", "factbase", *command], cwd=mini,
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for command in commands]
    return [subprocess.CompletedProcess(run.args, run.wait(timeout=300), *run.communicate())
            for run in runs]


def test_concurrent_new_runs_keep_every_record(mini):
    titles = [f"Smile status report {n}" for n in range(6)]
    runs = _at_once(mini, [["new", "source", "--title", title, "--publisher", "esa",
                            "--url", f"https://example.org/report-{n}", "--kind", "report",
                            "--published", "2026-03"] for n, title in enumerate(titles)])
    for run in runs:
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    text = (mini / "facts/sources/esa.yaml").read_text()
    assert all(f"title: {title}" in text for title in titles), text


def test_concurrent_cite_runs_keep_every_citation(mini):
    facts = ["smile-partner-esa", "smile-partner-cas", "smile-launch-vehicle", "smile-carries-sxi"]
    runs = _at_once(mini, [["cite", fact, "--source", "esa-launch-contract-2024",
                            "--locator", f"paragraph {n}"] for n, fact in enumerate(facts)])
    for run in runs:
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    text = (mini / "facts/claims/smile.yaml").read_text()
    assert all(f"locator: paragraph {n}" in text for n in range(len(facts))), text

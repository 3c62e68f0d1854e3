"""`factbase links` against local HTTP servers: no test sends anything beyond 127.0.0.1.

Every test runs on a copy of the mini fact base whose sources point at a
`LinkServer` (tests/linkserver.py); a guard makes any other address fail
as if it did not exist.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import socket
import time
import tracemalloc
from pathlib import Path

import pytest

from factbase import cli, project

from factbase.links import command as links
from factbase.config import ConfigError, load_config
from factbase.links.http import FetchOptions, HostLimiter, ascii_url, fetch, retry_after
from factbase.links.run import Progress
from factbase.links.store import LOCK_FILE, Outcome, read_lock, write_lock
from factbase.links.text import page_text

from conftest import REPO, Run, write
from linkserver import (LinkServer, Reply, endless, loopback_only, page, pdf, redirect,
                        sequence, slow, status)

FAST = ("--timeout", "2", "--host-delay", "0", "--per-host", "4")
QUOTE = "Smile is a joint mission between ESA and the Chinese Academy of Sciences"
PAGE = f"<html><head><script>var x = 'decoy';</script></head><body><p>{QUOTE}.</p></body></html>"


# --- fixtures ------------------------------------------------------------------

@pytest.fixture(autouse=True)
def loopback(monkeypatch):
    """Fail every name or address but 127.0.0.1, as if it did not exist."""
    loopback_only(monkeypatch)


@pytest.fixture
def server():
    server = LinkServer()
    yield server
    server.close()


@pytest.fixture
def run(capsys, monkeypatch):
    """`factbase links ARGS` in a project folder (registering the command if
    factbase.cli does not yet)."""

    def call(project: Path, *args: str) -> Run:
        monkeypatch.chdir(project)
        code = _main(["links", *args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return call


def _main(argv: list[str]) -> int:
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0]
    if "links" in commands.choices:
        return cli.main(argv)
    links.register(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ConfigError:
        return 2


def sources(project: Path, **urls: str | tuple[str, str]) -> None:
    """Point the mini base's two sources (and any extra ones) at these addresses."""
    entries = []
    for ident, url in {"esa-launch-contract-2024": None, "esa-smile-factsheet": None,
                       **{k.replace("_", "-"): v for k, v in urls.items()}}.items():
        url, archive = url if isinstance(url, tuple) else (url, None)
        entries.append(f"  - id: {ident}\n    title: {ident}\n    publisher: esa\n"
                       f"    url: {url or 'http://127.0.0.1:9/unused'}\n    kind: web-page\n"
                       + (f"    archive_url: {archive}\n" if archive else ""))
    write(project, "facts/sources/esa.yaml", "sources:\n" + "".join(entries))


def quote(project: Path, text: str = QUOTE) -> int:
    """Add a quote to the first citation of esa-smile-factsheet; returns its line."""
    path = project / "facts/claims/smile.yaml"
    old, lines = "        locator: introduction\n", path.read_text()
    lines = re.sub(r"        quote: .*\n", "", lines)
    path.write_text(lines.replace(old, old + f"        quote: {json.dumps(text)}\n", 1))
    return path.read_text().splitlines().index(f"        quote: {json.dumps(text)}") + 1


def codes(result: Run) -> list[str]:
    return [d["code"] for d in result.diagnostics]


def only(project: Path, server: LinkServer, route, path: str = "/page", **extra) -> None:
    """One source at `path` on the server; the other excluded."""
    server.routes[path] = route
    sources(project, **{"esa_smile_factsheet": server.url(path),
                        "esa_launch_contract_2024": "http://127.0.0.1:9/unused", **extra})
    write(project, "links.yaml", "exclude:\n  - url_prefix: http://127.0.0.1:9/\n"
                                 "    reason: placeholder address of the test fixture\n")


# --- status codes, redirects, failures ------------------------------------------

def test_ok_and_a_warm_cache_sends_no_request(mini, server, run):
    only(mini, server, page(PAGE))
    first = run(mini, "--format", "json", *FAST)
    assert first.code == 0 and first.diagnostics == [] and server.count() == 1
    second = run(mini, "--format", "json", *FAST)
    assert second.code == 0 and second.diagnostics == []
    assert server.count() == 1, "a repeat run within the TTL must not send a request"
    assert "1 from the cache" in second.err
    run(mini, "--format", "json", "--ttl", "0", *FAST)
    assert server.count() == 2, "--ttl 0 refreshes"
    offline = run(mini, "--format", "json", "--offline", "--ttl", "0")
    assert offline.diagnostics == [] and server.count() == 2, "offline uses any cached result"


def test_redirect_chain_warns_on_the_permanent_hop(mini, server, run):
    server.routes.update({"/r1": redirect(301, "/r2"), "/r2": redirect(302, "/ok"),
                          "/ok": page(PAGE)})
    only(mini, server, redirect(301, "/r2"), "/r1")
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 0 and codes(result) == ["W812"]
    assert result.diagnostics[0]["hint"] == f"write {server.url('/r2')} instead"
    assert result.diagnostics[0]["line"] == 10   # the url: line of esa-smile-factsheet
    assert f"temporary redirect: {server.url('/r1')} -> {server.url('/ok')}" in result.err


def test_temporary_redirect_is_only_a_note(mini, server, run):
    server.routes["/ok"] = page(PAGE)
    only(mini, server, redirect(307, "/ok"), "/tmp")
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 0 and codes(result) == [] and "temporary redirect" in result.err


def test_redirect_loop_is_an_error(mini, server, run):
    server.routes["/b"] = redirect(308, "/a")
    only(mini, server, redirect(301, "/b"), "/a")
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 1 and codes(result) == ["E802", "W814"]
    assert server.count() == 2, "each address of the loop is requested once"


@pytest.mark.parametrize("code", [404, 410])
def test_gone_is_hard_and_suggests_an_archive(mini, server, run, code):
    only(mini, server, status(code))
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 1 and codes(result) == ["E801", "W814"]
    assert f"HTTP {code}" in result.diagnostics[0]["message"]
    assert "web.archive.org" in result.diagnostics[1]["hint"]


def test_gone_with_an_archive_checks_the_quote_there(mini, server, run):
    server.routes["/archived"] = page(PAGE)
    only(mini, server, status(404),
         esa_smile_factsheet=(server.url("/page"), server.url("/archived")))
    quote(mini)
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 1 and codes(result) == ["E801"]   # no W814, no E803


def test_429_waits_for_retry_after(mini, server, run):
    only(mini, server, sequence(status(429, Retry_After="1"), page(PAGE)))
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 0 and codes(result) == []
    first, second = server.times("/page")
    assert 0.9 <= second - first <= 3.0 and server.count("/page") == 2


def test_429_every_time_is_soft_and_not_hammered(mini, server, run):
    only(mini, server, status(429, Retry_After="0"))
    result = run(mini, "--format", "json", "--retries", "1", *FAST)
    assert result.code == 0 and codes(result) == ["W811"]
    assert "429" in result.diagnostics[0]["message"] and server.count("/page") == 2
    assert run(mini, "--strict", "--retries", "0", *FAST).code == 1


def test_addresses_are_sent_as_ascii():
    assert ascii_url("http://127.0.0.1:8/K\u00f6ln?q=\u00e4&x=%20") == \
        "http://127.0.0.1:8/K%C3%B6ln?q=%C3%A4&x=%20"
    assert ascii_url("https://b\u00fccher.example/a").startswith("https://xn--bcher-kva.example/")


def test_retry_after_as_seconds_and_as_http_date():
    assert retry_after("3") == 3.0 and retry_after("") is None and retry_after("soon") is None
    later = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 5))
    assert 3.5 <= retry_after(later) <= 5.5
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_server_error_then_success(mini, server, run):
    only(mini, server, sequence(status(500), page(PAGE)))
    result = run(mini, "--format", "json", "--retries", "2", *FAST)
    assert result.code == 0 and codes(result) == [] and server.count("/page") == 2


def test_slower_than_the_timeout_is_soft(mini, server, run):
    only(mini, server, slow(1.5, page(PAGE)))
    started = time.monotonic()
    result = run(mini, "--format", "json", "--timeout", "0.5", "--retries", "0",
                 "--host-delay", "0")
    assert time.monotonic() - started < 1.4
    assert result.code == 0 and codes(result) == ["W811"]
    assert "timed out" in result.diagnostics[0]["message"]


def test_connection_refused_is_hard_and_an_unknown_host_only_unchecked(mini, run):
    # A name that does not resolve may be the runner's DNS: W819, not E801.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sources(mini, esa_smile_factsheet=f"http://127.0.0.1:{port}/",
            esa_launch_contract_2024="http://no-such-host.invalid/page")
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 1 and codes(result) == ["W819", "E801", "W814"]
    messages = [d["message"] for d in result.diagnostics]
    assert "connection refused" in messages[1]
    assert "could not resolve host no-such-host.invalid" in messages[0]


def test_a_huge_body_is_cut_off_without_holding_it(server):
    server.routes["/big"] = endless()
    tracemalloc.start()
    try:
        fetched = fetch(server.url("/big"), FetchOptions(max_bytes=2 * 1024 * 1024),
                        HostLimiter(gap=0))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert fetched.last.status == 200 and len(fetched.last.body) == 2 * 1024 * 1024
    assert peak < 12 * 1024 * 1024, f"peak memory {peak} bytes"


def test_per_host_limit_and_gap(mini, server, run):
    extra = {}
    for n in range(6):
        server.routes[f"/p{n}"] = slow(0.25, page(PAGE))
        extra[f"extra_{n}"] = server.url(f"/p{n}")
    sources(mini, esa_smile_factsheet=server.url("/p0"),
            esa_launch_contract_2024=server.url("/p1"), **extra)
    result = run(mini, "--format", "json", "--jobs", "8", "--per-host", "2",
                 "--host-delay", "0.1")
    assert result.code == 0 and server.count() == 6
    assert server.max_in_flight == 2
    starts = sorted(t for _, t in server.requests)
    assert min(b - a for a, b in zip(starts, starts[1:])) >= 0.09


# --- quotes, PDFs, drift ---------------------------------------------------------

def test_quote_found(mini, server, run):
    only(mini, server, page("<p>Smile is a <em>jo</em>int\n  mission between ESA&nbsp;and "
                            "the Chinese Academy of Sciences</p>"))
    quote(mini, QUOTE.lower())
    assert codes(run(mini, "--format", "json", *FAST)) == []


def test_quote_absent_is_an_error_at_the_quote_line(mini, server, run):
    only(mini, server, page("<p>Nothing to see here.</p>"))
    line = quote(mini)
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 1 and codes(result) == ["E803"]
    d = result.diagnostics[0]
    assert d["path"] == "facts/claims/smile.yaml" and d["line"] == line


def test_quote_in_a_quoted_script_does_not_count(mini, server, run):
    only(mini, server, page(f"<script>var q = '{QUOTE}';</script><p>other</p>"))
    quote(mini)
    assert codes(run(mini, "--format", "json", *FAST)) == ["E803"]


def test_pdf_quote(mini, server, run):
    drawn = b"BT /F1 12 Tf 72 720 Td (Smile is a joint mission between ESA) Tj T* " \
            b"[(and the Chin) 20 (ese Acad) -250 (emy of Sciences.)] TJ ET"
    only(mini, server, lambda n: Reply(200, {"Content-Type": "application/pdf"}, pdf(drawn)),
         "/doc.pdf")
    quote(mini, "Smile is a joint mission between ESA and the Chinese Academy")
    assert codes(run(mini, "--format", "json", *FAST)) == []
    quote(mini, "not in the PDF at all")
    assert codes(run(mini, "--format", "json", *FAST)) == ["E803"]


def test_unreadable_content_makes_the_quote_unverifiable(mini, server, run):
    only(mini, server, page("\x89PNG...", "image/png"))
    quote(mini)
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 0 and codes(result) == ["W816"]


def test_drift_is_told_apart_from_a_missing_quote(mini, server, run):
    only(mini, server, page(PAGE))
    line = quote(mini)
    locked = run(mini, "--update-lock", *FAST)
    assert locked.code == 0 and "+ " + server.url("/page") + " (ok)" in locked.out
    entry = read_lock(mini)[server.url("/page")]
    assert entry.status == "ok" and list(entry.quotes.values()) == ["found"]
    server.routes["/page"] = page("<p>Smile's page was rewritten.</p>")
    result = run(mini, "--format", "json", "--ttl", "0", *FAST)
    assert result.code == 0 and codes(result) == ["W813"]
    assert result.diagnostics[0]["line"] == line
    relocked = run(mini, "--update-lock", "--ttl", "0", *FAST)
    assert f"~ {server.url('/page')}: content changed" in relocked.out
    assert list(read_lock(mini)[server.url("/page")].quotes.values()) == ["drifted"]


# --- cache, lock, offline ----------------------------------------------------------

def test_offline_uses_the_lock_and_sends_nothing(mini, server, run):
    only(mini, server, status(404))
    assert run(mini, "--update-lock", *FAST).code == 1
    (mini / ".factbase-cache/links.json").unlink()
    before = server.count()
    result = run(mini, "--offline", "--format", "json")
    assert server.count() == before and codes(result) == ["E801", "W814"]


def test_offline_without_a_result_is_unknown_not_a_pass(mini, server, run):
    only(mini, server, page(PAGE))
    result = run(mini, "--offline", "--format", "json")
    assert server.count() == 0 and result.code == 0 and codes(result) == ["W815"]
    assert "--offline" in result.diagnostics[0]["message"]
    assert run(mini, "--offline", "--strict").code == 1


def test_offline_obeys_the_projects_strictness(mini, server, run):
    """`strict: true` of the factbase plugin fails links on warnings, as it
    fails check and build; --no-strict makes one run fail on errors only."""
    only(mini, server, page(PAGE))
    assert run(mini, "--offline").code == 0                  # strict not set: W815 is reported
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      pages_dir: pages\n", "      pages_dir: pages\n      strict: true\n"),
        encoding="utf-8")
    strict = run(mini, "--offline")
    assert strict.code == 1 and " W815 " in strict.out
    assert "this project fails on warnings (strict: true in mkdocs.yml)" in strict.err
    loose = run(mini, "--offline", "--no-strict")
    assert loose.code == 0 and "Warnings do not fail this run (--no-strict)" in loose.err


def test_update_lock_is_deterministic_and_lists_changes(mini, server, run):
    server.routes["/a"] = page(PAGE)
    only(mini, server, page(PAGE), extra_one=server.url("/a"))
    first = run(mini, "--update-lock", *FAST)
    text = (mini / LOCK_FILE).read_text()
    document = json.loads(text)
    assert list(document["urls"]) == sorted(document["urls"])
    assert "placeholder address" in document["urls"]["http://127.0.0.1:9/unused"]["reason"]
    assert first.out.count("\n  + ") == 3
    second = run(mini, "--update-lock", "--ttl", "0", *FAST)
    assert "no change(s)" in second.out and (mini / LOCK_FILE).read_text() == text
    write_lock(mini, read_lock(mini))
    assert (mini / LOCK_FILE).read_text() == text
    sources(mini, esa_smile_factsheet=server.url("/page"))
    third = run(mini, "--update-lock", *FAST)
    assert f"- {server.url('/a')}" in third.out


# --- configuration and output -----------------------------------------------------

def test_exclusions_need_a_reason(mini, server, run):
    only(mini, server, page(PAGE))
    write(mini, "links.yaml", "exclude:\n  - url_prefix: http://127.0.0.1:9/\n")
    assert run(mini, *FAST).code == 2 and server.count() == 0
    write(mini, "links.yaml", "exclude:\n  - url_prefix: http://127.0.0.1\n"
                              "    reason: everything local\n")
    result = run(mini, *FAST)
    assert result.code == 0 and server.count() == 0
    assert "excluded: " + server.url("/page") + " (everything local)" in result.err


def test_bad_options_exit_2(mini, run):
    assert run(mini, "--jobs", "0").code == 2
    with pytest.raises(SystemExit) as stop:
        run(mini, "--ttl", "forever")
    assert stop.value.code == 2
    assert links.duration("12h") == 43200 and links.duration("7") == 7 * 86400


def test_github_and_text_formats(mini, server, run):
    only(mini, server, status(410))
    github = run(mini, "--format", "github", *FAST)
    assert github.out.startswith("::error file=facts/sources/esa.yaml,line=10,col=10,title=E801::")
    text = run(mini, *FAST)
    assert "facts/sources/esa.yaml:10:10: E801 url of 'esa-smile-factsheet' is dead" in text.out
    assert "Found 1 error and 1 warning" in text.err


def test_progress_is_plain_lines_when_not_a_terminal(mini, server, run):
    only(mini, server, page(PAGE))
    result = run(mini, *FAST)
    assert f"links: [1/1] ok {server.url('/page')}\n" in result.err


def test_progress_updates_one_line_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    progress = Progress(2, screen)
    progress.step("https://example.org/a", Outcome("ok"))
    progress.step("https://example.org/b", Outcome("soft"))
    progress.done()
    assert "\n" not in screen.getvalue() and screen.getvalue().endswith("\r\033[K")
    assert "[2/2] unsure https://example.org/b" in screen.getvalue()
    monkeypatch.setenv("CI", "true")
    assert not Progress(1, Terminal()).live


def test_a_compressed_body_is_read(mini, server, run):
    body = gzip.compress(PAGE.encode())
    only(mini, server, lambda n: Reply(200, {"Content-Type": "text/html",
                                             "Content-Encoding": "gzip"}, body))
    quote(mini)
    assert codes(run(mini, "--format", "json", *FAST)) == []


def test_text_normalisation():
    html = "<style>p{}</style><p>It&rsquo;s a&nbsp;<b>jo</b>int&mdash;mission</p><!-- x -->"
    assert page_text(html.encode(), "text/html") == "it's a joint-mission"


# --- the shipped fact base -------------------------------------------------------------

def test_shipped_lock_covers_every_address_and_passes_offline(run):
    # --no-strict, as the pull-request workflow runs it: a pull request cannot
    # reach the network, so an address it adds is not known yet (W815).
    result = run(REPO, "--offline", "--no-strict", "--format", "json")
    assert result.code == 0, result.out
    assert {d["code"] for d in result.diagnostics} <= {"W815"}
    # A source added since the lock was written is reported as not checked (W815),
    # which is what the pull-request workflow shows; the lock need not be complete.
    base = project.check(load_config(REPO)).base
    addresses = {u for s in base.sources.values() for u in (s.url, s.archive_url) if u}
    lock = read_lock(REPO)
    assert len(set(lock) & addresses) >= len(addresses) // 2
    assert {entry.status for entry in lock.values()} <= {"ok", "gone", "loop", "soft",
                                                         "excluded", "unchecked"}
    text = (REPO / LOCK_FILE).read_text()
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True,
                              ensure_ascii=False) + "\n"


def test_a_hostile_location_header_cannot_forge_the_log_or_the_bot_pull_request(
        mini, server, run, tmp_path):
    """The weekly job logs the report and makes it the bot pull request's body:
    what a remote server says there stays text in both."""
    import subprocess
    import markdown
    import yaml
    hostile = ("/moved?##[error title=Forged]Approved\n```\n[click](https://evil.example) "
               "@maintainers <img src=https://evil.example/x.png>")
    only(mini, server, lambda n: Reply(301, {"Location": hostile.replace("\n", "%0A")}, b""))

    class Moved(dict):   # the page, at whatever address the hostile header names
        def get(self, path, default=None):
            page = lambda n: Reply(200, {"Content-Type": "text/html"}, PAGE.encode())  # noqa: E731
            return page if path.startswith("/moved") else super().get(path, default)
    server.routes = Moved(server.routes)
    result = run(mini, "--update-lock", *FAST)
    report = result.out + result.err
    assert "##[" not in report and not any(line.lstrip().startswith("::")
                                           for line in report.splitlines())
    (tmp_path / "links-report.txt").write_text(report)
    workflow = yaml.safe_load((REPO / ".github/workflows/links.yml").read_text())
    steps = workflow["jobs"]["pull-request"]["steps"]
    body_step = next(s for s in steps if s.get("name") == "Write the pull request's body")
    assert next(s for s in steps if "body-path" in s.get("with", {}))["with"]["body-path"] \
        == "pr-body.md"
    subprocess.run(["bash", "-c", body_step["run"]], cwd=tmp_path, check=True)
    html = markdown.markdown((tmp_path / "pr-body.md").read_text(), extensions=["fenced_code"])
    assert "<a " not in html and "<img" not in html and html.count("<pre>") == 1, html
    assert "evil.example" in html          # shown, as text in the one code block

"""The HTTP client of `factbase links` (requests/urllib3): name lookups that
fail are not dead sources, connections are reused, compressed bodies stay capped.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import http.server
import threading
import time
import tracemalloc
import zlib

import pytest

from factbase.links.http import FetchOptions, HostLimiter, fetch
from factbase.links.store import read_lock

from linkserver import Reply
import test_links
from test_links import FAST, PAGE, codes, only, sources

loopback, run, server = test_links.loopback, test_links.run, test_links.server   # fixtures

MIB = 1024 * 1024


def test_an_unresolvable_host_is_not_checked_rather_than_dead(mini, server, run):
    only(mini, server, lambda n: Reply(200, {"Content-Type": "text/html"}, PAGE.encode()))
    assert run(mini, "--update-lock", *FAST).code == 0
    sources(mini, esa_smile_factsheet="http://no-such-host.invalid/page")
    result = run(mini, "--format", "json", *FAST)
    assert result.code == 0 and codes(result) == ["W819"], result.out
    message = result.diagnostics[0]["message"]
    assert "could not resolve host no-such-host.invalid" in message and "not checked" in message
    assert "no-such-host.invalid" not in (mini / ".factbase-cache/links.json").read_text()
    assert run(mini, "--format", "json", "--strict", *FAST).code == 1
    # The lock keeps what it knew; a new address is recorded as unresolved, not gone.
    run(mini, "--update-lock", *FAST)
    assert read_lock(mini)["http://no-such-host.invalid/page"].status == "unresolved"
    offline = run(mini, "--format", "json", "--offline")
    assert codes(offline) == ["W819"]


class KeepAlive(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with persistent connections; counts the connections opened."""

    protocol_version = "HTTP/1.1"
    connections = 0
    lock = threading.Lock()

    def setup(self) -> None:
        with KeepAlive.lock:
            KeepAlive.connections += 1
        super().setup()

    def do_GET(self) -> None:
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def keep_alive():
    KeepAlive.connections = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeepAlive)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_one_host_is_asked_over_one_connection(mini, run, keep_alive):
    extra = {f"extra_{n}": f"{keep_alive}/p{n}" for n in range(4)}
    sources(mini, esa_smile_factsheet=f"{keep_alive}/a", esa_launch_contract_2024=f"{keep_alive}/b",
            **extra)
    result = run(mini, "--format", "json", "--per-host", "1", "--host-delay", "0")
    assert result.code == 0 and "6 fetched" in result.err
    assert KeepAlive.connections == 1


def test_a_gzip_bomb_is_cut_off_at_the_cap(server):
    packer, block = zlib.compressobj(9, wbits=31), b"x" * MIB    # gzip, built a MiB at a time
    packed = b"".join(packer.compress(block) for _ in range(64)) + packer.flush()
    server.routes["/bomb"] = lambda n: Reply(200, {"Content-Type": "text/plain",
                                                   "Content-Encoding": "gzip"}, packed)
    tracemalloc.start()
    try:
        fetched = fetch(server.url("/bomb"), FetchOptions(max_bytes=2 * MIB), HostLimiter(gap=0))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert fetched.last.status == 200 and fetched.last.body == b"x" * (2 * MIB)
    assert peak < 12 * MIB + len(packed), f"peak memory {peak} bytes"


# --- a hostile server cannot steer the checker ------------------------------------

def _serve(handler) -> tuple[http.server.ThreadingHTTPServer, str]:
    serving = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    serving.daemon_threads = True
    threading.Thread(target=serving.serve_forever, daemon=True).start()
    return serving, f"http://127.0.0.1:{serving.server_address[1]}"


class _Admin(http.server.BaseHTTPRequestHandler):
    """An internal service that must never be reached by a redirect."""
    hits: list[str] = []

    def do_GET(self) -> None:
        _Admin.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"secret")

    def log_message(self, *args) -> None:
        pass


def test_a_redirect_from_a_public_address_to_a_private_one_is_not_followed(monkeypatch):
    from factbase.links import http as client
    admin, admin_url = _serve(_Admin)

    class Public(_Admin):   # stands in for a public site (both really listen on 127.0.0.1)
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", admin_url + "/admin?token=1")
            self.end_headers()
    public, public_url = _serve(Public)
    # Only the admin's port counts as non-public here, as 10.0.0.5 would on a runner.
    monkeypatch.setattr(client, "non_public", lambda url: url.startswith(admin_url))
    _Admin.hits = []
    fetched = fetch(public_url + "/page", FetchOptions(timeout=2, retries=0), HostLimiter(gap=0))
    assert "non-public address" in fetched.last.failure and fetched.last.verdict == "soft"
    assert _Admin.hits == []                       # never asked
    assert fetched.hops == ((302, admin_url + "/admin?token=1"),)
    admin.shutdown(), public.shutdown()


@pytest.mark.parametrize("url,private", [
    ("http://127.0.0.1:8080/", True), ("http://10.1.2.3/", True), ("http://[::1]/", True),
    ("http://169.254.169.254/latest/meta-data/", True), ("http://192.168.0.1/", True),
    ("http://100.64.0.1/", True), ("http://0.0.0.0/", True), ("http://localhost/", True),
    ("http://8.8.8.8/", False), ("http://[2001:4860:4860::8888]/", False),
    ("http://no-such-host.invalid/", False)])
def test_what_counts_as_non_public(url, private):
    from factbase.links.http import non_public
    assert non_public(url) is private


class _Trickle(http.server.BaseHTTPRequestHandler):
    """Headers, then a byte every 0.2 s, forever: never silent, never done."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def log_message(self, *args) -> None:
        pass


class _SlowHeaders(_Trickle):
    """The status line, then a header byte every 0.2 s."""

    def do_GET(self) -> None:
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while True:
                self.wfile.write(b"X-Drip: " + b"y" * 1 + b"\r\n")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


@pytest.mark.parametrize("handler", [_Trickle, _SlowHeaders])
def test_a_trickling_server_is_given_up_at_the_deadline(handler):
    serving, url = _serve(handler)
    options = FetchOptions(timeout=0.5, retries=0)
    started = time.monotonic()
    fetched = fetch(url + "/", options, HostLimiter(gap=0))
    took = time.monotonic() - started
    assert took < options.deadline + 2, took        # 3 s, not the 306 s reported
    assert fetched.last.failure.startswith("timed out"), fetched.last
    serving.shutdown()

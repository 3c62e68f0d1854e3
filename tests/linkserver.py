"""A scriptable HTTP server on 127.0.0.1 for the link-checker tests.

Each path maps to a route: a function of the request number (1, 2, ...) that
returns a `Reply`. The server records every request (path and time) and the
most requests it ever had in flight at once.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from collections.abc import Callable, Iterator


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | Iterator[bytes] = b""
    delay: float = 0.0     # seconds to wait before answering


Route = Callable[[int], Reply]


def page(text: str, content_type: str = "text/html; charset=utf-8") -> Route:
    body = text.encode("utf-8")
    return lambda n: Reply(200, {"Content-Type": content_type}, body)


def redirect(status: int, to: str) -> Route:
    return lambda n: Reply(status, {"Location": to})


def status(code: int, **headers: str) -> Route:
    return lambda n: Reply(code, {k.replace("_", "-"): v for k, v in headers.items()})


def sequence(*routes: Route) -> Route:
    """The first request gets the first route, and so on; the last one repeats."""
    return lambda n: routes[min(n, len(routes)) - 1](n)


def slow(seconds: float, then: Route) -> Route:
    def reply(n: int) -> Reply:
        answer = then(n)
        answer.delay = seconds
        return answer
    return reply


def endless(chunk: int = 64 * 1024, total: int = 200 * 1024 * 1024) -> Route:
    """A huge body, produced as it is sent (the server never holds it)."""
    def chunks() -> Iterator[bytes]:
        block = b"x" * chunk
        for _ in range(total // chunk):
            yield block
    return lambda n: Reply(200, {"Content-Type": "text/plain",
                                 "Content-Length": str(total)}, chunks())


def pdf(text_ops: bytes) -> bytes:
    """A small valid PDF whose one page draws `text_ops` (a Flate-compressed stream)."""
    stream = zlib.compress(text_ops)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


class LinkServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, float]] = []
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str | None = None) -> int:
        return sum(1 for p, _ in self.requests if path is None or p == path)

    def times(self, path: str) -> list[float]:
        return [t for p, t in self.requests if p == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _enter(self, path: str) -> int:
        with self._lock:
            self.requests.append((path, time.monotonic()))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            return self.count(path)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1


def _handler(server: LinkServer) -> type:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            number = server._enter(self.path)
            self.left = False
            try:
                route = server.routes.get(self.path, status(404))
                self._send(route(number))
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                self._leave()

        def _leave(self) -> None:
            if not self.left:
                self.left = True
                server._leave()

        def _send(self, reply: Reply) -> None:
            time.sleep(reply.delay)
            body = reply.body if isinstance(reply.body, bytes) else None
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if body is not None and "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            # The request counts as answered before its last bytes leave: once
            # they do, the client may start its next request at once, before
            # this thread runs again, and would be counted as overlapping.
            chunks = iter([body] if body is not None else reply.body)
            chunk = next(chunks, None)
            while chunk is not None:
                following = next(chunks, None)  # streamed bodies keep their pace
                if following is None:
                    self._leave()
                self.wfile.write(chunk)
                chunk = following

        def log_message(self, *args) -> None:
            pass

    return Handler


def loopback_only(monkeypatch, answers: dict[str, str] | None = None) -> dict[str, str]:
    """Fail every name or address but 127.0.0.1, as if it did not exist, and
    clear the proxy settings. `answers` (filled in by the test, returned) lets
    a name resolve to "127.0.0.1" or fail temporarily ("again", EAI_AGAIN)."""
    answers = {} if answers is None else answers
    real_getaddrinfo, real_connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host, *args, **kwargs):
        if host in ("127.0.0.1", "localhost") or answers.get(host) == "127.0.0.1":
            return real_getaddrinfo("127.0.0.1", *args, **kwargs)
        if answers.get(host) == "again":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def connect(sock, address):
        if isinstance(address, tuple) and address[0] != "127.0.0.1":
            raise ConnectionRefusedError(f"test guard: no traffic to {address[0]}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                 "ALL_PROXY", "CI", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    return answers

"""Fetching one address politely: standard library only.

Redirects are followed by hand (so each hop is recorded and loops are seen),
bodies are read up to a size cap, a per-host limiter bounds how many requests
one server gets at once and how close together, and 429/5xx/timeouts are
retried with exponential backoff, honouring Retry-After; so is a temporary
failure of the name lookup (a host that does not exist is not).
"""

from __future__ import annotations

import email.utils
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from .. import __version__

USER_AGENT = f"factbase-links/{__version__} (citation checker; +https://github.com/)"
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
GONE = (404, 410)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 10.0          # seconds per connect or read
    retries: int = 2               # extra attempts after a 429, 5xx, timeout or DNS hiccup
    backoff: float = 1.0           # first wait; doubles with each retry
    max_wait: float = 60.0         # longest Retry-After honoured; longer gives up
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 10


@dataclass(frozen=True)
class Response:
    """One HTTP exchange, or why there was none (`failure`, `hard`)."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: str = ""      # "" for a response; else why the request failed
    hard: bool = False     # the failure means the address is dead (DNS, refused)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class Fetched:
    """The end of a redirect chain: the last response and every hop taken."""

    url: str
    last: Response
    hops: tuple[tuple[int, str], ...] = ()   # (status, location) per redirect
    loop: bool = False

    @property
    def final_url(self) -> str:
        return self.hops[-1][1] if self.hops else self.url


class HostLimiter:
    """At most `per_host` requests at once to one host, starts `gap` seconds apart."""

    def __init__(self, per_host: int = 2, gap: float = 0.5) -> None:
        self.per_host, self.gap = per_host, gap
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next: dict[str, float] = {}

    @contextmanager
    def slot(self, url: str):
        host = urlsplit(url).netloc.lower()
        with self._lock:
            slots = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self.gap
            time.sleep(max(0.0, start - now))
            yield


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None   # a 3xx surfaces as an HTTPError; fetch() follows it itself


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, options: FetchOptions, limiter: HostLimiter) -> Fetched:
    hops, seen, current = [], {url}, url
    for _ in range(options.max_redirects + 1):
        response = request(current, options, limiter)
        location = response.header("location")
        if response.status not in REDIRECTS or not location:
            return Fetched(url, response, tuple(hops))
        current = urljoin(current, location.strip())
        hops.append((response.status, current))
        if current in seen:
            return Fetched(url, response, tuple(hops), loop=True)
        seen.add(current)
    return Fetched(url, response, tuple(hops), loop=True)


def request(url: str, options: FetchOptions, limiter: HostLimiter) -> Response:
    """One address, retried on 429, 5xx, timeouts and temporary lookup failures
    with exponential backoff."""
    for attempt in range(options.retries + 1):
        with limiter.slot(url):
            response = request_once(url, options)
        if attempt == options.retries or not _retryable(response):
            return response
        wait = retry_after(response.header("retry-after"))
        wait = options.backoff * 2 ** attempt if wait is None else wait
        if wait > options.max_wait:
            return Response(response.status, response.headers, response.body,
                            f"asked to wait {wait:.0f} s before retrying")
        time.sleep(wait)
    return response


def _retryable(response: Response) -> bool:
    if response.failure:
        return response.failure.startswith(("timed out", "name lookup failed"))
    return response.status == 429 or response.status >= 500


def retry_after(value: str) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time()) if when.tzinfo else None


def ascii_url(url: str) -> str:
    """An address as sent on the wire: IDNA host, percent-encoded path and query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        host = host.encode("idna").decode("ascii")
    netloc = host + (f":{parts.port}" if parts.port else "")
    safe = "/?#[]@!$&'()*+,;=%:~"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe), quote(parts.query, safe),
                       quote(parts.fragment, safe)))


def request_once(url: str, options: FetchOptions) -> Response:
    try:
        url = ascii_url(url)
    except (UnicodeError, ValueError) as err:
        return _failure(ValueError(err))
    req = urllib.request.Request(url, headers={
        "User-Agent": USER_AGENT, "Accept-Encoding": "identity",
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"})
    try:
        with _OPENER.open(req, timeout=options.timeout) as reply:
            return _response(reply.status, reply.headers, reply, options)
    except urllib.error.HTTPError as err:
        try:
            return _response(err.code, err.headers, err, options)
        finally:
            err.close()
    except urllib.error.URLError as err:
        return _failure(err.reason)
    except (OSError, http.client.HTTPException, ValueError) as err:
        return _failure(err)


def _response(status: int, headers, stream, options: FetchOptions) -> Response:
    try:
        body = read_capped(stream, options.max_bytes, time.monotonic() + options.timeout * 5)
    except (OSError, http.client.HTTPException) as err:
        return _failure(err)
    body = decoded(body, headers.get("Content-Encoding", ""), options.max_bytes)
    return Response(status, {k.lower(): v for k, v in headers.items()}, body)


def decoded(body: bytes, encoding: str, max_bytes: int) -> bytes:
    """Undo gzip or deflate (sent by some servers despite Accept-Encoding: identity)."""
    encoding = encoding.strip().lower()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return body
    for wbits in ((16 + zlib.MAX_WBITS,) if "gzip" in encoding else (zlib.MAX_WBITS, -15)):
        try:
            return zlib.decompressobj(wbits).decompress(body, max_bytes)
        except zlib.error:
            continue
    return body


def read_capped(stream, max_bytes: int, deadline: float) -> bytes:
    """Read at most `max_bytes`; a bigger body is cut off, never held whole."""
    chunks, size = [], 0
    while size < max_bytes and time.monotonic() < deadline:
        chunk = stream.read(min(CHUNK, max_bytes - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


# The resolver's definite answers: the name does not exist, or has no address.
# Anything else it says (EAI_AGAIN above all: no answer in time) is temporary.
NO_SUCH_HOST = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
                if hasattr(socket, name)}


def _failure(reason: object) -> Response:
    if isinstance(reason, socket.gaierror) and reason.errno in NO_SUCH_HOST:
        return Response(failure=f"no such host ({reason.strerror or reason})", hard=True)
    if isinstance(reason, socket.gaierror):
        return Response(failure=f"name lookup failed, temporarily ({reason.strerror or reason})")
    if isinstance(reason, ConnectionRefusedError):
        return Response(failure="connection refused", hard=True)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return Response(failure="timed out")
    if isinstance(reason, ssl.SSLError):
        return Response(failure=f"TLS error ({reason})")
    if isinstance(reason, ValueError):
        return Response(failure=f"not a valid address ({reason})", hard=True)
    return Response(failure=f"{type(reason).__name__}: {reason}".rstrip(": "))

"""Fetching one address politely, with requests (urllib3 underneath).

One `requests.Session` per run keeps a pool of connections per host (reused
while the server allows) and verifies TLS against certifi's CA bundle.
Redirects are followed by hand (so each hop is recorded and loops are seen),
bodies are streamed and read up to a size cap (after decompression), a
per-host limiter bounds how many requests one server gets at once and how
close together, and 429/5xx/timeouts are retried with exponential backoff,
honouring Retry-After; so is a temporary failure of the name lookup. A name
the resolver says does not exist is neither retried nor called dead: it is
"unresolved", since the runner's DNS may be at fault, not the source.

Two limits keep a hostile server from steering the checker. A redirect from a
public address to a loopback, private, link-local or otherwise non-public one
is not followed (the weekly job must not probe its own network). And each
exchange, from connect to the last byte, has a wall-clock deadline: read
timeouts catch a silent server, not one that trickles a byte a second.
"""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

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

    @property
    def deadline(self) -> float:
        """Wall-clock seconds for one exchange: connect, headers and body."""
        return self.timeout * 6


@dataclass(frozen=True)
class Response:
    """One HTTP exchange, or why there was none (`failure`, `hard`)."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: str = ""      # "" for a response; else why the request failed
    verdict: str = "soft"  # a failure's outcome: soft, gone (refused, invalid) or unresolved

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
        """Hold one of the host's slots; yields the monotonic time the request
        may start at (the caller waits for it where the request is made, so
        that no thread start comes between the wait and the connection)."""
        host = urlsplit(url).netloc.lower()
        with self._lock:
            slots = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(host, now))
                self._next[host] = start + self.gap
            yield start


def new_session(per_host: int = 2) -> requests.Session:
    """One run's client: a connection pool per host, as many connections as the
    limiter lets one host have, and no retries of its own (`request` retries)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=32, pool_maxsize=max(1, per_host), max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({
        "User-Agent": USER_AGENT, "Accept-Encoding": "identity",
        "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"})
    return session


def fetch(url: str, options: FetchOptions, limiter: HostLimiter,
          session: requests.Session | None = None) -> Fetched:
    if session is None:
        with new_session(limiter.per_host) as own:
            return fetch(url, options, limiter, own)
    hops, seen, current = [], {url}, url
    for _ in range(options.max_redirects + 1):
        response = request(current, options, limiter, session)
        location = response.header("location")
        if response.status not in REDIRECTS or not location:
            return Fetched(url, response, tuple(hops))
        current = urljoin(current, location.strip())
        hops.append((response.status, current))
        if non_public(current) and not non_public(url):
            host = urlsplit(current).hostname or current
            return Fetched(url, Response(response.status, response.headers, failure=(
                f"redirected to a non-public address ({host}); not followed")), tuple(hops))
        if current in seen:
            return Fetched(url, response, tuple(hops), loop=True)
        seen.add(current)
    return Fetched(url, response, tuple(hops), loop=True)


def request(url: str, options: FetchOptions, limiter: HostLimiter,
            session: requests.Session) -> Response:
    """One address, retried on 429, 5xx, timeouts and temporary lookup failures
    with exponential backoff."""
    for attempt in range(options.retries + 1):
        with limiter.slot(url) as start:
            response = request_once(url, options, session, start)
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


def non_public(url: str) -> bool:
    """Whether the address's host is, or resolves to, a non-public address
    (loopback, private, link-local, reserved, multicast). A name that does
    not resolve is not called non-public: its request fails on its own."""
    host = (urlsplit(url).hostname or "").strip("[]")
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    return any(not a.is_global or a.is_multicast for a in addresses)


def request_once(url: str, options: FetchOptions, session: requests.Session,
                 start: float = 0.0) -> Response:
    """One exchange on a worker thread, begun at `start` (monotonic time) and
    given up at the deadline after it (a daemon thread left behind ends with
    the process; its connection is not reused)."""
    done: list[Response] = []

    def work() -> None:
        time.sleep(max(0.0, start - time.monotonic()))
        done.append(_exchange(url, options, session))
    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    worker.join(max(0.0, start - time.monotonic()) + options.deadline)
    if done:
        return done[0]
    return Response(failure=f"timed out: no whole answer within {options.deadline:.0f} s "
                            "(a server sending too slowly)")


def _exchange(url: str, options: FetchOptions, session: requests.Session) -> Response:
    try:
        url = ascii_url(url)
    except (UnicodeError, ValueError) as err:
        return _failure(ValueError(err), url)
    try:
        with session.get(url, stream=True, allow_redirects=False,
                         timeout=(options.timeout, options.timeout)) as reply:
            body = read_capped(reply, options.max_bytes, time.monotonic() + options.deadline)
            return Response(reply.status_code, {k.lower(): v for k, v in reply.headers.items()},
                            body)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError) as err:
        return _failure(err, url)


def read_capped(reply: requests.Response, max_bytes: int, deadline: float) -> bytes:
    """At most `max_bytes` of the decoded body: a bigger one (or a small gzip that
    inflates to a big one) is cut off, never held whole."""
    chunks, size = [], 0
    for chunk in reply.iter_content(CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size >= max_bytes or time.monotonic() >= deadline:
            break
    return b"".join(chunks)[:max_bytes]


# The resolver's definite answers: the name does not exist, or has no address.
# Anything else it says (EAI_AGAIN above all: no answer in time) is temporary.
NO_SUCH_HOST = {getattr(socket, name) for name in ("EAI_NONAME", "EAI_NODATA", "EAI_ADDRFAMILY")
                if hasattr(socket, name)}
_TIMEOUTS = (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError, socket.timeout)
_INVALID = (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema, ValueError)


def _failure(err: BaseException, url: str) -> Response:
    """Why a request failed, from the first cause up the chain requests and
    urllib3 wrap around it (a resolver or socket error, usually). Innermost
    first: urllib3's NameResolutionError is, by descent, a ConnectTimeoutError."""
    for cause in reversed(_causes(err)):
        if isinstance(cause, socket.gaierror) and cause.errno in NO_SUCH_HOST:
            host = urlsplit(url).hostname or url
            return Response(failure=f"could not resolve host {host} "
                                    f"({cause.strerror or cause})", verdict="unresolved")
        if isinstance(cause, socket.gaierror):
            return Response(failure=f"name lookup failed, temporarily ({cause.strerror or cause})")
        if isinstance(cause, ConnectionRefusedError):
            return Response(failure="connection refused", verdict="gone")
        if isinstance(cause, _TIMEOUTS):
            return Response(failure="timed out")
        if isinstance(cause, (requests.exceptions.SSLError, ssl.SSLError)):
            return Response(failure=f"TLS error ({_innermost(err)})")
    if isinstance(err, _INVALID):
        return Response(failure=f"not a valid address ({err})", verdict="gone")
    cause = _innermost(err)
    return Response(failure=f"{type(cause).__name__}: {cause}".rstrip(": "))


def _causes(err: BaseException | None) -> list[BaseException]:
    """`err`, what it was raised from, and so on (urllib3 keeps the first in `reason`)."""
    chain: list[BaseException] = []
    while err is not None and err not in chain:
        chain.append(err)
        reason = getattr(err, "reason", None)
        err = err.__cause__ or err.__context__ or (reason if isinstance(reason, BaseException)
                                                   else None)
    return chain


def _innermost(err: BaseException) -> BaseException:
    return _causes(err)[-1]

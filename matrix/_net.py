"""HTTP for every network call the tool makes, under one total deadline from connect to the last byte.

    Deadline(seconds)              a time budget on the monotonic clock: ``left()``, ``expired``
    open_client(url, deadline)     an ``httpx.Client`` whose every socket operation is capped by it
    DeadlineExceeded               the ``httpx.TimeoutException`` raised when the budget ran out
    http_url(raw, what=, hint=)    an http(s) URL with a host and a valid port, or a one-line UsageError
    endpoint_url(base, path)       the endpoint under a base URL (the path goes before any query)
    display_url(url)               a URL as shown to people: no user-info, no query, no fragment
    failure(exc, ...)              the one-line :class:`SourceError` for a transport error

Why a network backend: httpx's timeouts bound one operation each, not the request. ``read=5``
is the longest silence between two reads, so a server that sends its status line or headers one
byte every few seconds keeps a request alive indefinitely (httpx issue #1450, "low-and-slow";
httpx documents ``timeout=10`` as a network timeout, not a total one). httpcore's network backends
are public API (``httpcore.NetworkBackend`` / ``NetworkStream``, documented in its "Network
Backends" page): every connect, TLS handshake, read and write of a connection goes through them
with that operation's timeout. :class:`_Backend` hands each of them ``min(timeout, time left)``,
so the deadline holds however the bytes are spread, with no watchdog thread shutting sockets from
outside. It also resolves host names itself, in a helper thread bounded the same way:
``socket.create_connection`` gives ``getaddrinfo`` no timeout and gives every address of a name
the whole connect timeout. httpx 0.28 has no public way to hand a backend to ``HTTPTransport`` (a
pull request to add one is open), so :class:`_Transport` is a small ``httpx.BaseTransport`` over
``httpcore.ConnectionPool`` / ``httpcore.HTTPProxy``, which take ``network_backend=``.
Environment proxies (``HTTP_PROXY``, ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) are honoured for
non-loopback hosts, through the same backend; ``.netrc`` is not read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import http
import ipaddress
import math
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import httpcore
import httpx

from .errors import SourceError, UsageError

__all__ = ["USER_AGENT", "Deadline", "DeadlineExceeded", "Knobs", "display_url", "endpoint_url",
           "failure", "http_url", "open_client", "status_line"]

USER_AGENT = "agno-docs (+support-matrix client)"
_WRITE_CHUNK = 16 * 1024
_T = TypeVar("_T")


# --- the budget ---------------------------------------------------------------------------------


class DeadlineExceeded(httpx.TimeoutException):
    """The total deadline ran out (as opposed to one operation's own timeout)."""


class _OutOfTime(httpcore.TimeoutException):
    """Inside httpcore: the deadline, not the operation's own timeout, stopped an operation."""


class Deadline:
    """A total time budget that starts when it is made."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if not (math.isfinite(seconds) and seconds > 0):
            raise ValueError(f"a deadline is a finite number of seconds above zero, not {seconds!r}")
        self.seconds = seconds
        self._clock = clock
        self.end = clock() + seconds

    def left(self) -> float:
        return self.end - self._clock()

    @property
    def expired(self) -> bool:
        return self.left() <= 0

    def bounded(self, timeout: float | None, operation: Callable[[float], _T]) -> _T:
        """Run ``operation(t)``, ``t = min(timeout, time left)``; its timeout is ours when we capped it."""
        left = self.left()
        if left <= 0:
            raise _OutOfTime(f"the {self.seconds:g} s deadline ran out")
        capped = timeout is None or left < timeout
        try:
            return operation(left if capped or timeout is None else timeout)
        except httpcore.TimeoutException:
            if capped:
                raise _OutOfTime(f"the {self.seconds:g} s deadline ran out") from None
            raise


# --- the network backend ------------------------------------------------------------------------------


class _Stream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake is bounded by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._deadline.bounded(timeout, functools.partial(self._inner.read, max_bytes))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # In pieces: the inner stream gives each send() of a piece the whole timeout.
        for start in range(0, len(buffer), _WRITE_CHUNK):
            piece = buffer[start:start + _WRITE_CHUNK]
            self._deadline.bounded(timeout, functools.partial(self._inner.write, piece))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        def handshake(t: float) -> httpcore.NetworkStream:
            return self._inner.start_tls(ssl_context, server_hostname=server_hostname, timeout=t)

        return _Stream(self._deadline.bounded(timeout, handshake), self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


def _addresses(host: str, port: int, deadline: Deadline, timeout: float | None) -> list[str]:
    """The addresses of ``host`` (itself when it is one), looked up within the deadline."""
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host)
        return [host]
    found: list[Any] = []
    errors: list[OSError] = []

    def lookup() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            errors.append(exc)

    worker = threading.Thread(target=lookup, name="agno-docs-resolve", daemon=True)
    worker.start()

    def wait(t: float) -> None:
        worker.join(t)
        if worker.is_alive():  # the thread ends on its own; nobody waits for it
            raise httpcore.ConnectTimeout(f"looking up {host} took more than {t:g} s")

    deadline.bounded(timeout, wait)
    if errors:
        raise httpcore.ConnectError(str(errors[0]))
    return list(dict.fromkeys(str(info[4][0]) for info in found))


class _Backend(httpcore.NetworkBackend):
    """httpcore's sync backend, with each connect bounded by the deadline and names looked up by us."""

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        last: Exception = httpcore.ConnectError(f"no address for {host}")
        for address in _addresses(host, port, self._deadline, timeout):
            connect = functools.partial(self._connect, address, port, local_address=local_address,
                                        socket_options=socket_options)
            try:
                return _Stream(self._deadline.bounded(timeout, connect), self._deadline)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc  # the next address, as socket.create_connection would
        raise last

    def _connect(self, address: str, port: int, timeout: float, *, local_address: str | None,
                 socket_options: Iterable[httpcore.SOCKET_OPTION] | None) -> httpcore.NetworkStream:
        return self._inner.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                       socket_options=socket_options)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
                            ) -> httpcore.NetworkStream:  # pragma: no cover - no URL here names a socket
        raise httpcore.ConnectError("unix sockets are not used by agno-docs")

    def sleep(self, seconds: float) -> None:  # pragma: no cover - httpcore retries are off
        time.sleep(seconds)


# --- the httpx transport over it ------------------------------------------------------------------------

# httpcore -> httpx exception classes, most specific first (the first match wins).
_EXCEPTIONS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (_OutOfTime, DeadlineExceeded),
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _as_httpx() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for source, target in _EXCEPTIONS:
            if isinstance(exc, source):
                raise target(str(exc)) from exc
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            with _as_httpx():
                close()


class _Transport(httpx.BaseTransport):
    """``httpx.HTTPTransport`` without its options, over a pool that uses :class:`_Backend`."""

    def __init__(self, deadline: Deadline, *, ssl_context: ssl.SSLContext | None,
                 proxy: httpx.Proxy | None) -> None:
        backend = _Backend(deadline)
        self._pool: httpcore.ConnectionPool | httpcore.HTTPProxy
        if proxy is None:
            self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=backend)
        else:
            self._pool = httpcore.HTTPProxy(
                proxy_url=httpcore.URL(scheme=proxy.url.raw_scheme, host=proxy.url.raw_host,
                                       port=proxy.url.port, target=proxy.url.raw_path),
                proxy_auth=proxy.raw_auth, proxy_headers=proxy.headers.raw, ssl_context=ssl_context,
                network_backend=backend)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.SyncByteStream)
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        with _as_httpx():
            resp = self._pool.handle_request(core)
        assert isinstance(resp.stream, Iterable)
        return httpx.Response(status_code=resp.status, headers=resp.headers, stream=_Body(resp.stream),
                              extensions=resp.extensions)

    def close(self) -> None:
        self._pool.close()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env_proxy(url: httpx.URL) -> httpx.Proxy | None:
    """The proxy the environment asks for ``url`` (never for loopback), or None."""
    if _is_loopback(url.host):
        return None
    import urllib.request  # only here: 15 ms of imports that a loopback runtime never needs

    proxies = urllib.request.getproxies_environment()
    if urllib.request.proxy_bypass(url.host):
        return None
    raw = proxies.get(url.scheme) or proxies.get("all")
    if not raw:
        return None
    raw = raw if "://" in raw else f"http://{raw}"
    try:
        proxy = httpx.Proxy(raw)
    except (httpx.InvalidURL, ValueError):
        raise UsageError(f"the proxy {display_url(raw)!r} set in the environment is not a valid URL",
                         hint="fix HTTP_PROXY / HTTPS_PROXY / ALL_PROXY, or list the host in NO_PROXY",
                         ) from None
    if proxy.url.scheme not in ("http", "https"):
        raise UsageError(f"the proxy {display_url(raw)!r} set in the environment is not an http(s) proxy",
                         hint="agno-docs speaks to http(s) proxies only: set HTTP_PROXY / HTTPS_PROXY, "
                         "or list the host in NO_PROXY")
    return proxy


def open_client(url: httpx.URL, deadline: Deadline) -> httpx.Client:
    """A client for requests to ``url``'s origin whose every socket operation ends by the deadline.

    It follows no redirect (callers decide), sends the tool's User-Agent and reads no ``.netrc``.
    """
    proxy = _env_proxy(url)
    tls = url.scheme == "https" or (proxy is not None and proxy.url.scheme == "https")
    ssl_context = httpx.create_ssl_context() if tls else None
    transport = _Transport(deadline, ssl_context=ssl_context, proxy=proxy)
    return httpx.Client(transport=transport, trust_env=False, follow_redirects=False,
                        headers={"User-Agent": USER_AGENT})


# --- URLs ---------------------------------------------------------------------------------------------

_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*@")
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


def display_url(url: str | httpx.URL) -> str:
    """``url`` as shown to people: no user-info, query or fragment (any may carry a secret)."""
    with contextlib.suppress(httpx.InvalidURL, TypeError, ValueError):
        u = url if isinstance(url, httpx.URL) else httpx.URL(url.strip())
        if u.scheme and u.host:
            return str(u.copy_with(username=None, password=None, query=None, fragment=None))
    text = re.split(r"[?#]", str(url).strip(), maxsplit=1)[0]
    if "//" in text:
        text = _USERINFO.sub(lambda m: f"{m['scheme'] or ''}//", text)
    else:
        text = text.rsplit("@", 1)[-1]
    return _UNPRINTABLE.sub("?", text)


def http_url(raw: str, *, what: str, hint: str) -> httpx.URL:
    """``raw`` as an http(s) URL with a host and a port in 1-65535, else a one-line :class:`UsageError`."""
    shown = display_url(raw)
    try:
        url = httpx.URL(raw.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise UsageError(f"{what} {shown!r} is not a valid URL", hint=hint) from None
    if url.scheme not in ("http", "https"):
        raise UsageError(f"{what} {shown!r} is not an http(s) URL", hint=hint)
    if not url.host:
        raise UsageError(f"{what} {shown!r} has no host", hint=hint)
    if url.port is not None and not 0 < url.port < 65536:
        raise UsageError(f"{what} {shown!r} has a port outside 1-65535", hint=hint)
    return url


def endpoint_url(base: httpx.URL, path: str) -> httpx.URL:
    """The endpoint ``path`` under ``base`` (kept when ``base`` already ends with it), before any query."""
    here = base.path.rstrip("/")
    return base.copy_with(path=here if here.endswith(path) else here + path, fragment=None)


# --- one line per failure -----------------------------------------------------------------------------


BROKEN_REDIRECT = "a redirect whose Location is not a valid http(s) URL"
BROKEN_REDIRECT_HINT = "the server sent a broken redirect: check its configuration"


@dataclasses.dataclass(frozen=True)
class Knobs:
    """What a user turns to fix a failure, named in hints: the URL's and the deadline's setting."""

    url: str = "AGNO_RUNTIME_URL"
    deadline: str = "AGNO_RUNTIME_DEADLINE"


def status_line(code: int) -> str:
    """``HTTP 503 Service Unavailable`` (the phrase only for a status HTTP defines)."""
    try:
        return f"HTTP {code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def connect_words(exc: Exception) -> str:
    """``connection refused``, or the OS's words (``Name or service not known``) without the errno."""
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc)).strip()
    if not text or "refused" in text.lower():
        return "connection refused"
    return f"cannot connect ({text})"


def failure(exc: httpx.HTTPError, *, where: str, deadline: Deadline, timeout: httpx.Timeout,
            knobs: Knobs = Knobs(), attempts: int = 1) -> SourceError:
    """The one-line error for a transport failure of a request to ``where``."""
    after = f" after {attempts} attempts" if attempts > 1 else ""
    down = f"is the runtime running? check {knobs.url}"
    if isinstance(exc, DeadlineExceeded) or (isinstance(exc, httpx.TimeoutException) and deadline.expired):
        return SourceError(f"no complete answer within the {deadline.seconds:g} s deadline", where=where,
                           hint=f"check the runtime, or raise {knobs.deadline}")
    if isinstance(exc, httpx.ConnectTimeout):
        return SourceError(f"connect timed out ({timeout.connect:g} s){after}", where=where, hint=down)
    if isinstance(exc, httpx.ConnectError):
        return SourceError(connect_words(exc) + after, where=where, hint=down)
    if isinstance(exc, httpx.ReadTimeout):
        return SourceError(f"no data for {timeout.read:g} s (read timeout)", where=where,
                           hint="the runtime is stalled: check it")
    if isinstance(exc, httpx.WriteTimeout):
        return SourceError(f"could not send the request in {timeout.write:g} s (write timeout)", where=where,
                           hint="the runtime is not reading: check it")
    text = str(exc).lower()
    if isinstance(exc, httpx.RemoteProtocolError) and "location header" in text:
        # httpx parses the Location of every redirect, followed or not, and fails here when it cannot.
        return SourceError(BROKEN_REDIRECT, where=where, hint=BROKEN_REDIRECT_HINT)
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        if isinstance(exc, httpx.ReadError) or "closed" in text or "disconnected" in text:
            return SourceError("the connection closed before the response was complete", where=where,
                               hint="the runtime sent a truncated response: check its logs")
        return SourceError("the answer is not valid HTTP/1.1", where=where,
                           hint=f"is this an HTTP server? check {knobs.url}")
    return SourceError(f"request failed ({type(exc).__name__})", where=where,
                       hint=f"check {knobs.url} and the runtime")

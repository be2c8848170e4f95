"""HTTP for every network call the tool makes, on the standard library, under one total deadline.

    Deadline(seconds)                 a time budget on the monotonic clock: ``left()``, ``expired``
    Timeouts(connect, read, write)    the longest wait of one operation of each kind
    exchange(method, url, ...)        one request on its own connection: a context manager -> Response
    Response                          status and headers at once; the body read on demand (gzip decoded)
    Exchange                          the type of ``exchange`` (tests hand the client a scripted one)
    NetError and its kinds            what a transport failure was (connect, timeout, truncated...)
    failure(exc, ...)                 the one-line :class:`SourceError` for a :class:`NetError`
    Url, http_url(raw, what=, hint=)  an http(s) URL checked once: scheme, host, port, target
    endpoint_url(base, path)          the endpoint under a base URL (the path goes before any query)
    join(base, location)              a redirect's target, or None when it is not an http(s) URL
    display_url(url)                  a URL as shown to people: no user-info, no query, no fragment

Why the standard library: a build that reads the live matrix pays for every import it makes, and
:mod:`http.client` is already loaded by the time MkDocs has read its configuration, while httpx
costs about 130 ms to import there (its package loads its command line, click and rich included)
and httpcore about 15 ms; a 304 has a 20 ms budget over a snapshot build (``bench/live.py``).

The deadline: a socket timeout bounds one operation, not the request, so a server that sends its
status line or headers one byte every few seconds would keep a request alive indefinitely
("low-and-slow"). Here every connect, TLS handshake, read and write of a connection runs under
``min(its own timeout, time left)`` (:class:`_Wire` is the socket :mod:`http.client` reads and
writes through), so the deadline holds however the bytes are spread, with no watchdog thread
shutting sockets from outside. Host names are looked up in a helper thread bounded the same way:
``getaddrinfo`` has no timeout of its own. Environment proxies (``HTTP_PROXY``, ``HTTPS_PROXY``,
``ALL_PROXY``, ``NO_PROXY``) are honoured for non-loopback hosts, through the same deadline: an
``http://`` proxy for both schemes (``CONNECT`` for https), an ``https://`` proxy for http runtimes;
``.netrc`` is not read. TLS uses the system's certificate store (``SSL_CERT_FILE`` and
``SSL_CERT_DIR`` are honoured by OpenSSL), or certifi's when the system has none and it is installed.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http
import http.client
import io
import ipaddress
import math
import re
import socket
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from .errors import SourceError, UsageError

if TYPE_CHECKING:
    import ssl

__all__ = ["USER_AGENT", "BadEncoding", "BadHeader", "BodyTooLarge", "ConnectFailed", "ConnectTimedOut",
           "Deadline", "Exchange", "Knobs", "NetError", "NotHttp", "OutOfTime", "ProxyRefused",
           "ReadTimedOut", "Response", "Timeouts", "TlsFailed", "Truncated", "Url", "WriteTimedOut",
           "connect_words", "display_url", "endpoint_url", "exchange", "failure", "http_url", "join",
           "status_line"]

USER_AGENT = "agno-docs (+support-matrix client)"
_WRITE_CHUNK = 16 * 1024
_READ_CHUNK = 64 * 1024
_MAX_HEAD = 64 * 1024
_DEFAULT_PORTS = {"http": 80, "https": 443}


# --- what went wrong ----------------------------------------------------------------------------------


class NetError(Exception):
    """A transport failure. Never leaves the engine: :func:`failure` makes it a one-line SourceError."""


class ConnectFailed(NetError):
    """Refused, unreachable, no such host (worth another attempt)."""


class TlsFailed(NetError):
    """The TLS handshake failed: a certificate not trusted or for another name, not TLS at all."""


class ConnectTimedOut(NetError):
    """Connecting (or the TLS handshake) took longer than the connect timeout."""


class ReadTimedOut(NetError):
    """The peer was silent for longer than the read timeout."""


class WriteTimedOut(NetError):
    """The peer did not take the request within the write timeout."""


class OutOfTime(NetError):
    """The total deadline ran out (as opposed to one operation's own timeout)."""


class Truncated(NetError):
    """The connection closed (or broke) before the response was complete."""


class NotHttp(NetError):
    """The answer is not HTTP/1.x: a broken status line, a header too long, too many headers."""


class ProxyRefused(NetError):
    """The proxy answered ``CONNECT`` with something other than 200."""

    def __init__(self, status: int) -> None:
        self.status = status
        super().__init__(status_line(status))


class BadEncoding(NetError):
    """The body is compressed in a way this client does not read, or its gzip stream is corrupt."""


class BadHeader(NetError):
    """A request header holds a character HTTP cannot carry (its value is never repeated)."""


class BodyTooLarge(NetError):
    """The body is larger than the caller's limit (declared, or counted while it arrives)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"larger than {limit} bytes")


# --- the budget ---------------------------------------------------------------------------------


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

    def cap(self, timeout: float | None) -> tuple[float, bool]:
        """``(min(timeout, time left), True when the deadline is the smaller)``; OutOfTime if none is left."""
        left = self.left()
        if left <= 0:
            raise OutOfTime(f"the {self.seconds:g} s deadline ran out")
        if timeout is None or left < timeout:
            return left, True
        return timeout, False


class Timeouts(msgspec.Struct, frozen=True):
    """The longest wait of one operation of each kind (None: only the deadline bounds it)."""

    connect: float | None = None
    read: float | None = None
    """Longest silence while waiting for the status line, a header or the next body bytes."""
    write: float | None = None

    @classmethod
    def each(cls, seconds: float) -> Timeouts:
        return cls(connect=seconds, read=seconds, write=seconds)


# --- URLs ---------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_REG_NAME = re.compile(r"^[a-z0-9_~!$&'()*+,;=.%-]+$")
_PATH_SAFE = "!#$%&'()*+,/:;=?@[]~"
_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*@")
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


class Url(msgspec.Struct, frozen=True):
    """An http(s) URL, checked: never user-info or a fragment; path and query percent-encoded."""

    scheme: str
    host: str
    """Lower case; a name in its ASCII (IDNA) form; an IPv6 address without brackets."""
    port: int | None
    """As written (None: the scheme's default)."""
    path: str = ""
    query: str = ""

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else _DEFAULT_PORTS[self.scheme]

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.effective_port)

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    @property
    def target(self) -> str:
        """What the request line names: the path (``/`` at least) and the query."""
        return (self.path or "/") + (f"?{self.query}" if self.query else "")

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.path}" + (f"?{self.query}" if self.query else "")


class _BadUrl(ValueError):
    def __init__(self, what: str = "is not a valid URL") -> None:
        self.what = what
        super().__init__(what)


def _host(raw: str) -> str:
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise _BadUrl
        try:
            return str(ipaddress.IPv6Address(raw[1:-1]))
        except ValueError:
            raise _BadUrl from None
    if not raw:
        return ""
    try:
        host = raw.lower() if raw.isascii() else raw.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise _BadUrl from None
    if not _REG_NAME.match(host):
        raise _BadUrl
    return host


def _parse(raw: str) -> tuple[Url, str | None]:
    """``raw`` as an http(s) URL and its user-info (None when absent); :class:`_BadUrl` says what is wrong."""
    text = raw.strip()
    if _CONTROL.search(text.replace(" ", "%20")):
        raise _BadUrl
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:
        raise _BadUrl from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise _BadUrl("is not an http(s) URL")
    userinfo, at, hostport = parts.netloc.rpartition("@")
    m = re.fullmatch(r"(\[[^\]]*\]|[^:\[\]]*)(?::([^:]*))?", hostport)
    if m is None:
        raise _BadUrl
    host = _host(m[1])
    port: int | None = None
    if m[2]:
        if not m[2].isascii() or not m[2].isdigit():
            raise _BadUrl
        port = int(m[2])
        if not 0 < port < 65536:
            raise _BadUrl("has a port outside 1-65535")
    if not host:
        raise _BadUrl("has no host")
    url = Url(scheme, host, port, urllib.parse.quote(parts.path, safe=_PATH_SAFE),
              urllib.parse.quote(parts.query, safe=_PATH_SAFE))
    return url, (userinfo if at else None)


def http_url(raw: str, *, what: str, hint: str) -> Url:
    """``raw`` as an http(s) URL with a host and a port in 1-65535, else a one-line :class:`UsageError`."""
    try:
        return _parse(raw)[0]
    except _BadUrl as exc:
        raise UsageError(f"{what} {display_url(raw)!r} {exc.what}", hint=hint) from None


def endpoint_url(base: Url, path: str) -> Url:
    """The endpoint ``path`` under ``base`` (kept when ``base`` already ends with it), before any query."""
    here = base.path.rstrip("/")
    return msgspec.structs.replace(base, path=here if here.endswith(path) else here + path)


def join(base: Url, location: str) -> Url | None:
    """Where a redirect from ``base`` to ``location`` leads, or None when that is no http(s) URL."""
    try:
        return _parse(urllib.parse.urljoin(str(base), location.strip()))[0]
    except ValueError:
        return None


def display_url(url: str | Url) -> str:
    """``url`` as shown to people: no user-info, query or fragment (any may carry a secret)."""
    if isinstance(url, Url):
        return str(msgspec.structs.replace(url, query=""))
    with contextlib.suppress(ValueError):
        return str(msgspec.structs.replace(_parse(url)[0], query=""))
    text = re.split(r"[?#]", str(url).strip(), maxsplit=1)[0]
    if "//" in text:
        text = _USERINFO.sub(lambda m: f"{m['scheme'] or ''}//", text)
    else:
        text = text.rsplit("@", 1)[-1]
    return _UNPRINTABLE.sub("?", text)


# --- connecting -------------------------------------------------------------------------------------------


def _addresses(host: str, port: int, deadline: Deadline, timeout: float | None) -> list[tuple[Any, ...]]:
    """``(family, sockaddr)`` of ``host`` (itself when it is an address), looked up within the deadline."""
    with contextlib.suppress(ValueError):
        ip = ipaddress.ip_address(host)
        return [(socket.AF_INET6, (host, port, 0, 0)) if ip.version == 6 else (socket.AF_INET, (host, port))]
    found: list[Any] = []
    errors: list[OSError] = []

    def lookup() -> None:
        try:
            found.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            errors.append(exc)

    worker = threading.Thread(target=lookup, name="agno-docs-resolve", daemon=True)
    worker.start()
    wait, capped = deadline.cap(timeout)
    worker.join(wait)
    if worker.is_alive():  # the thread ends on its own; nobody waits for it
        if capped:
            raise OutOfTime(f"the {deadline.seconds:g} s deadline ran out")
        raise ConnectTimedOut(f"looking up {host} took more than {wait:g} s")
    if errors:
        raise ConnectFailed(str(errors[0]))
    return list(dict.fromkeys((info[0], info[4]) for info in found))


def _open_socket(host: str, port: int, deadline: Deadline, timeout: float | None) -> socket.socket:
    """A TCP connection to the first address of ``host`` that answers, as ``socket.create_connection``."""
    last: NetError = ConnectFailed(f"no address for {host}")
    for family, address in _addresses(host, port, deadline, timeout):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            wait, capped = deadline.cap(timeout)
            sock.settimeout(wait)
            sock.connect(address)
        except TimeoutError:
            sock.close()
            if capped:
                raise OutOfTime(f"the {deadline.seconds:g} s deadline ran out") from None
            last = ConnectTimedOut(f"connecting to {host} took more than {wait:g} s")
        except OutOfTime:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last = ConnectFailed(str(exc))
        else:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
    raise last


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    import ssl

    context = ssl.create_default_context()
    paths = ssl.get_default_verify_paths()
    if not (paths.cafile or paths.capath):  # no system store (some macOS and Windows Pythons)
        with contextlib.suppress(ImportError):
            import certifi

            context.load_verify_locations(certifi.where())
    return context


def _tls(sock: socket.socket, host: str, deadline: Deadline, timeout: float | None) -> socket.socket:
    """``sock`` after a TLS handshake with ``host`` (certificate and name checked), within the deadline."""
    import ssl

    wrapped = _ssl_context().wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
    wait, capped = deadline.cap(timeout)
    wrapped.settimeout(wait)
    try:
        wrapped.do_handshake()
    except TimeoutError:
        wrapped.close()
        if capped:
            raise OutOfTime(f"the {deadline.seconds:g} s deadline ran out") from None
        raise ConnectTimedOut(f"the TLS handshake with {host} took more than {wait:g} s") from None
    except ssl.SSLError as exc:
        wrapped.close()
        raise TlsFailed(getattr(exc, "verify_message", None) or exc.reason or str(exc)) from None
    except OSError as exc:
        wrapped.close()
        raise ConnectFailed(str(exc)) from None
    return wrapped


class _Wire:
    """The socket :mod:`http.client` uses: each read and write bounded by its timeout and the deadline.

    ``close()`` closes the socket once the readers made by :meth:`makefile` are closed too (as a
    real socket does): :mod:`http.client` hands the connection to the response that way.
    """

    def __init__(self, sock: socket.socket, deadline: Deadline, timeouts: Timeouts) -> None:
        self._sock, self._deadline, self._timeouts = sock, deadline, timeouts
        self._readers = 0
        self._closed = False

    def recv_into(self, buffer: memoryview | bytearray) -> int:
        wait, capped = self._deadline.cap(self._timeouts.read)
        self._sock.settimeout(wait)
        try:
            return self._sock.recv_into(buffer)
        except TimeoutError:
            if capped:
                raise OutOfTime(f"the {self._deadline.seconds:g} s deadline ran out") from None
            raise ReadTimedOut(f"no data for {wait:g} s") from None

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        for start in range(0, len(view), _WRITE_CHUNK):  # each piece gets the whole write timeout
            wait, capped = self._deadline.cap(self._timeouts.write)
            self._sock.settimeout(wait)
            try:
                self._sock.sendall(view[start:start + _WRITE_CHUNK])
            except TimeoutError:
                if capped:
                    raise OutOfTime(f"the {self._deadline.seconds:g} s deadline ran out") from None
                raise WriteTimedOut(f"could not send for {wait:g} s") from None

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        if mode != "rb":  # pragma: no cover - http.client only reads through it
            raise ValueError(mode)
        self._readers += 1
        return io.BufferedReader(_Reader(self), _READ_CHUNK)

    def release(self) -> None:
        self._readers -= 1
        if self._closed and self._readers <= 0:
            self._sock.close()

    def close(self) -> None:
        self._closed = True
        if self._readers <= 0:
            self._sock.close()


class _Reader(io.RawIOBase):
    def __init__(self, wire: _Wire) -> None:
        self._wire: _Wire | None = wire

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._wire is None:
            raise ValueError("read from a closed response")
        return self._wire.recv_into(buffer)

    def close(self) -> None:
        if self._wire is not None:
            wire, self._wire = self._wire, None
            wire.release()
        super().close()


def _read_head(wire: _Wire) -> bytes:
    """A response head read byte-exact (nothing after it is consumed): a proxy's answer to CONNECT."""
    head = bytearray()
    one = bytearray(1)
    while not head.endswith(b"\r\n\r\n"):
        if len(head) > _MAX_HEAD:
            raise NotHttp("the proxy's answer head is longer than 64 KiB")
        if not wire.recv_into(one):
            raise Truncated("the proxy closed the connection")
        head += one
    return bytes(head)


def _tunnel(wire: _Wire, url: Url, auth: str | None) -> None:
    """Ask an http proxy for a tunnel to ``url``'s origin (``CONNECT``), or raise what it said."""
    authority = url.netloc if url.port is not None else f"{url.netloc}:{url.effective_port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}", f"User-Agent: {USER_AGENT}"]
    if auth:
        lines.append(f"Proxy-Authorization: {auth}")
    wire.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    status = _read_head(wire).split(b"\r\n", 1)[0].split()
    if len(status) < 2 or not status[0].startswith(b"HTTP/1.") or not status[1].isdigit():
        raise NotHttp("the proxy's answer to CONNECT is not HTTP")
    if int(status[1]) != 200:
        raise ProxyRefused(int(status[1]))


class _Proxy(msgspec.Struct, frozen=True):
    url: Url
    auth: str | None
    """``Proxy-Authorization`` from the proxy URL's user-info (Basic)."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _env_proxy(url: Url) -> _Proxy | None:
    """The proxy the environment asks for ``url`` (never for loopback), or None."""
    if _is_loopback(url.host):
        return None
    import urllib.request  # only here: a loopback runtime never needs it

    proxies = urllib.request.getproxies_environment()
    if urllib.request.proxy_bypass(url.host):
        return None
    raw = proxies.get(url.scheme) or proxies.get("all")
    if not raw:
        return None
    raw = raw if "://" in raw else f"http://{raw}"
    fix = "fix HTTP_PROXY / HTTPS_PROXY / ALL_PROXY, or list the host in NO_PROXY"
    try:
        proxy, userinfo = _parse(raw)
    except _BadUrl as exc:
        if exc.what == "is not an http(s) URL":
            raise UsageError(f"the proxy {display_url(raw)!r} set in the environment is not an http(s) proxy",
                             hint="agno-docs speaks to http(s) proxies only: set HTTP_PROXY / HTTPS_PROXY, "
                             "or list the host in NO_PROXY") from None
        raise UsageError(f"the proxy {display_url(raw)!r} set in the environment is not a valid URL",
                         hint=fix) from None
    if proxy.scheme == "https" and url.scheme == "https":
        raise UsageError(f"the proxy {display_url(raw)!r} is an https:// proxy, which agno-docs uses for "
                         "http:// runtimes only", hint="give the proxy as http://...: the tunnel to an "
                         "https runtime is encrypted end to end either way")
    auth = None
    if userinfo is not None:
        user, _, password = userinfo.partition(":")
        pair = f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password)}".encode()
        auth = "Basic " + base64.b64encode(pair).decode("ascii")
    return _Proxy(proxy, auth)


class _Connection(http.client.HTTPConnection):
    """One connection to ``url`` (through ``proxy`` when given) whose every socket operation is bounded."""

    def __init__(self, url: Url, proxy: _Proxy | None, deadline: Deadline, timeouts: Timeouts) -> None:
        hop = proxy.url if proxy else url
        super().__init__(hop.host, hop.effective_port)
        self._url, self._proxy, self._hop = url, proxy, hop
        self._deadline, self._timeouts = deadline, timeouts

    def connect(self) -> None:
        hop, url, deadline, timeouts = self._hop, self._url, self._deadline, self._timeouts
        sock = _open_socket(hop.host, hop.effective_port, deadline, timeouts.connect)
        try:
            if hop.scheme == "https":
                sock = _tls(sock, hop.host, deadline, timeouts.connect)
            if self._proxy is not None and url.scheme == "https":
                _tunnel(_Wire(sock, deadline, timeouts), url, self._proxy.auth)
                sock = _tls(sock, url.host, deadline, timeouts.connect)
        except BaseException:
            sock.close()
            raise
        self.sock = _Wire(sock, deadline, timeouts)


# --- one exchange ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _translated() -> Iterator[None]:
    """:mod:`http.client` and socket errors as :class:`NetError` kinds."""
    try:
        yield
    except NetError:
        raise
    except http.client.RemoteDisconnected as exc:  # a ConnectionResetError and a BadStatusLine
        raise Truncated(str(exc)) from None
    except http.client.IncompleteRead:
        raise Truncated("the body ended early") from None
    except http.client.HTTPException as exc:  # bad status line, header too long, too many headers
        raise NotHttp(type(exc).__name__) from None
    except OSError as exc:  # reset, broken pipe, a TLS error mid-stream
        raise Truncated(str(exc)) from None


class _Source(Protocol):
    def read(self, size: int, /) -> bytes:
        """``size`` bytes, fewer only at the end."""

    def read1(self, size: int, /) -> bytes:
        """What one read brings (at most ``size`` bytes; empty at the end)."""


class _Chunks:
    """Bytes from an iterable, read like a file (for :meth:`Response.of`)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._rest = b""

    def read(self, size: int, /) -> bytes:
        out = [self._rest]
        have = len(self._rest)
        while have < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            out.append(chunk)
            have += len(chunk)
        data = b"".join(out)
        self._rest = data[size:]
        return data[:size]

    def read1(self, size: int, /) -> bytes:
        data = self._rest or next(self._chunks, b"")
        self._rest = data[size:]
        return data[:size]


class Response:
    """One answer: status and headers at once, the body read on demand, every read within the deadline.

    ``headers`` has lower-case names (repeated headers joined by ``, ``). A gzip body is decoded as
    it arrives; any other content coding is a :class:`BadEncoding` once the body is read. A body
    that ends before its ``Content-Length`` (or inside a chunk, or inside its gzip stream) is
    :class:`Truncated`.
    """

    def __init__(self, status: int, headers: Mapping[str, str], source: _Source,
                 deadline: Deadline | None = None) -> None:
        self.status = status
        self.headers = dict(headers)
        self._source, self._deadline = source, deadline
        self._coding = self.headers.get("content-encoding", "").strip().lower() or "identity"
        self._gzip = self._coding in ("gzip", "x-gzip")
        declared = self.headers.get("content-length", "").strip()
        chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        self._declared = int(declared) if declared.isdigit() and not chunked else None

    @classmethod
    def of(cls, status: int, headers: Mapping[str, str] | None = None,
           body: bytes | Iterable[bytes] = b"") -> Response:
        """An answer from data (what a test's exchange returns): headers as given, body as chunks."""
        chunks = [body] if isinstance(body, bytes) else body
        return cls(status, {k.lower(): v for k, v in (headers or {}).items()}, _Chunks(chunks))

    @property
    def length(self) -> int | None:
        """The body's size in bytes when known before reading it (``Content-Length``, not gzip)."""
        return self._declared if self._coding == "identity" else None

    def _check_time(self) -> None:
        if self._deadline is not None and self._deadline.expired:  # decoding takes time too
            raise OutOfTime(f"the {self._deadline.seconds:g} s deadline ran out")

    def _raw_chunks(self, size: int) -> Iterator[bytes]:
        if self._coding not in ("identity", "gzip", "x-gzip"):  # checked only when a body is read
            raise BadEncoding(f"the body is encoded as {self._coding[:40]!r}, which this client does not "
                              "read")
        got = 0
        while True:
            with _translated():
                data = self._source.read1(size)
            if not data:
                break
            got += len(data)
            yield data
            self._check_time()
        if self._declared is not None and got < self._declared:
            raise Truncated(f"the body ended after {got} of {self._declared} bytes")

    def iter_bytes(self, size: int = _READ_CHUNK) -> Iterator[bytes]:
        """The (decoded) body in pieces of at most ``size`` bytes."""
        if not self._gzip:
            yield from self._raw_chunks(size)
            return
        unzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            for data in self._raw_chunks(size):
                out = unzip.decompress(data, size)
                while out:
                    yield out
                    self._check_time()
                    out = unzip.decompress(unzip.unconsumed_tail, size) if unzip.unconsumed_tail else b""
            if not unzip.eof:
                raise Truncated("the gzip stream ended early")
        except zlib.error:
            raise BadEncoding("the gzip body is corrupt") from None

    def read(self, limit: int) -> bytes:
        """The whole (decoded) body; :class:`BodyTooLarge` as soon as it is known to pass ``limit`` bytes.

        With a ``Content-Length`` the body is read into one buffer of that size (no copy); without
        one, its pieces are counted as they arrive and reading stops past the limit.
        """
        length = self.length
        if length is not None:
            if length > limit:
                raise BodyTooLarge(limit)
            with _translated():
                data = self._source.read(length) if length else b""
            if len(data) < length:
                raise Truncated(f"the body ended after {len(data)} of {length} bytes")
            self._check_time()
            return data
        out = io.BytesIO()
        for chunk in self.iter_bytes():
            if out.tell() + len(chunk) > limit:
                raise BodyTooLarge(limit)
            out.write(chunk)
        return out.getvalue()  # the buffer itself, not a copy


_ILLEGAL_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\x7f]")


class Exchange(Protocol):
    """The signature of :func:`exchange` (a client takes one, so tests can script the answers)."""

    def __call__(self, method: str, url: Url, *, headers: Mapping[str, str], deadline: Deadline,
                 timeouts: Timeouts, body: bytes | None = None,
                 ) -> contextlib.AbstractContextManager[Response]: ...


@contextlib.contextmanager
def exchange(method: str, url: Url, *, headers: Mapping[str, str], deadline: Deadline, timeouts: Timeouts,
             body: bytes | None = None) -> Iterator[Response]:
    """Send one request on a new connection and yield the answer; the connection closes on exit.

    Adds ``Host``, ``User-Agent`` and ``Accept-Encoding: gzip``; follows no redirect (callers
    decide). Raises :class:`NetError` kinds for transport failures, :class:`UsageError` for a
    proxy setting that cannot be used.
    """
    proxy = _env_proxy(url)
    sent = {"Host": url.netloc, "User-Agent": USER_AGENT, "Accept-Encoding": "gzip", **headers}
    if proxy is not None and url.scheme == "http" and proxy.auth:
        sent["Proxy-Authorization"] = proxy.auth
    for name, value in sent.items():
        if _ILLEGAL_VALUE.search(value):
            raise BadHeader(f"the {name} header holds a character HTTP cannot carry")
    target = str(url) if proxy is not None and url.scheme == "http" else url.target
    conn = _Connection(url, proxy, deadline, timeouts)
    raw: http.client.HTTPResponse | None = None
    try:
        with _translated():
            conn.request(method, target, body=body, headers=sent)
            raw = conn.getresponse()
        headers_in: dict[str, str] = {}
        for name, value in raw.getheaders():
            key = name.lower()
            headers_in[key] = f"{headers_in[key]}, {value}" if key in headers_in else value
        yield Response(raw.status, headers_in, raw, deadline)
    finally:
        if raw is not None:
            raw.close()
        conn.close()


# --- one line per failure -----------------------------------------------------------------------------


BROKEN_REDIRECT = "a redirect whose Location is not a valid http(s) URL"
BROKEN_REDIRECT_HINT = "the server sent a broken redirect: check its configuration"


class Knobs(msgspec.Struct, frozen=True):
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


RUNTIME_KNOBS = Knobs()


def failure(exc: NetError, *, where: str, deadline: Deadline, timeout: Timeouts,
            knobs: Knobs = RUNTIME_KNOBS, attempts: int = 1) -> SourceError:
    """The one-line error for a transport failure of a request to ``where``."""
    after = f" after {attempts} attempts" if attempts > 1 else ""
    down = f"is the runtime running? check {knobs.url}"
    timed_out = isinstance(exc, ConnectTimedOut | ReadTimedOut | WriteTimedOut)
    if isinstance(exc, OutOfTime) or (timed_out and deadline.expired):
        return SourceError(f"no complete answer within the {deadline.seconds:g} s deadline", where=where,
                           hint=f"check the runtime, or raise {knobs.deadline}")
    if isinstance(exc, ConnectTimedOut):
        return SourceError(f"connect timed out ({timeout.connect:g} s){after}", where=where, hint=down)
    if isinstance(exc, ConnectFailed):
        return SourceError(connect_words(exc) + after, where=where, hint=down)
    if isinstance(exc, ReadTimedOut):
        return SourceError(f"no data for {timeout.read:g} s (read timeout)", where=where,
                           hint="the runtime is stalled: check it")
    if isinstance(exc, WriteTimedOut):
        return SourceError(f"could not send the request in {timeout.write:g} s (write timeout)", where=where,
                           hint="the runtime is not reading: check it")
    if isinstance(exc, Truncated):
        return SourceError("the connection closed before the response was complete", where=where,
                           hint="the runtime sent a truncated response: check its logs")
    if isinstance(exc, NotHttp):
        return SourceError("the answer is not valid HTTP/1.1", where=where,
                           hint=f"is this an HTTP server? check {knobs.url}")
    if isinstance(exc, TlsFailed):
        return SourceError(f"the TLS handshake failed ({exc})", where=where,
                           hint="check the runtime's certificate (SSL_CERT_FILE names a CA bundle to trust)")
    if isinstance(exc, ProxyRefused):
        return SourceError(f"the proxy refused a tunnel ({exc}){after}", where=where,
                           hint="check HTTPS_PROXY / ALL_PROXY, or list the host in NO_PROXY")
    if isinstance(exc, BadEncoding):
        return SourceError(str(exc), where=where, hint="ask the runtime for an identity or gzip body")
    if isinstance(exc, BadHeader):
        return SourceError(str(exc), where=where, hint="check AGNO_RUNTIME_TOKEN (a line break or a "
                           "non-ASCII character?)")
    return SourceError(f"request failed ({type(exc).__name__})", where=where,
                       hint=f"check {knobs.url} and the runtime")

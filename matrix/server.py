"""The reference server: the control-plane contract on loopback, with fault injection for tests.

    RuntimeServer(matrix_body, ...)   serves ``openapi.yaml``'s endpoints from a snapshot
      .start() / .stop() / with ...   in a background thread (tests) or ``serve_forever()`` (CLI)
      .faults.set(Fault(...))         the next matching requests misbehave (delay, status, body...)
      .requests                       what it received (method, path, If-None-Match, Authorization)
    openapi_document()                the contract as a dict; ``matrix/openapi.yaml`` is its dump

Endpoints: ``GET /v1/runtime/go/support-matrix`` (ETag, ``If-None-Match`` -> 304),
``GET``/``POST /v1/runtime/go/benchmarks`` (a JSON list of Benchmark),
``GET /v1/runtime/go/telemetry/events?sessionId=&runtime=`` (events from a JSON-lines file);
``HEAD`` wherever ``GET`` is. With a token, every endpoint wants ``Authorization: Bearer <token>``.

As a server (standard library ``http.server``): it binds loopback unless told otherwise; its
listen backlog holds a burst of clients (1024, capped by the kernel's ``somaxconn``) instead of
``socketserver``'s 5; connections wait for their bytes in one poller thread and a bounded pool of
worker threads (64) serves requests, so an idle client costs a file descriptor, never a thread;
past 1024 waiting connections a new one is closed at once; a connection silent for
``idle_timeout`` seconds (5) is closed, and a request must arrive whole within
``request_timeout`` seconds (10) of its first byte; a request carrying both ``Content-Length`` and
``Transfer-Encoding`` (the request-smuggling shape) is refused with 400, and one with
``Transfer-Encoding`` alone with 411.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import http
import importlib
import ipaddress
import json
import queue
import selectors
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import msgspec

from ._endpoints import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from .errors import SourceError, UsageError
from .model import Benchmark, json_schema
from .sources import snapshot as _snapshot

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.yaml"
MAX_POST_BYTES = 1024 * 1024
BACKLOG = 1024
"""Connections the kernel queues before ``accept`` (``socketserver``'s 5 makes a burst wait seconds)."""
WORKERS = 64
"""Threads serving connections, at most."""
PENDING = 1024
"""Accepted connections waiting for a worker, at most; past it a new connection is closed at once."""
IDLE_TIMEOUT = 5.0
"""Seconds a connection may stay silent (between requests, or inside one) before it is closed."""
REQUEST_TIMEOUT = 10.0
"""Seconds to receive one whole request once its first bytes arrived (a dripping client is cut off)."""

BodyFault = Literal["malformed", "truncated", "huge", "wrong_schema", "empty_modules"]


@dataclasses.dataclass(frozen=True)
class Fault:
    """How the next matching requests misbehave. Fields combine (a delay, then a status...)."""

    delay: float = 0.0
    """Seconds to wait before the status line (a read timeout for the client)."""
    status: int | None = None
    """Answer with this status and a JSON error body (304: no body)."""
    retry_after: str | None = None
    """A ``Retry-After`` header value to send with ``status``."""
    body: BodyFault | None = None
    """Serve a broken body: not JSON, cut short, over-sized, off-contract, or without modules."""
    huge_bytes: int = 64 * 1024 * 1024
    declare_length: bool = True
    """For ``huge``: send a Content-Length (the client can refuse early) or stream until close."""
    drip: float = 0.0
    """Seconds between body chunks of ``drip_chunk`` bytes (a slow drip)."""
    drip_chunk: int = 16
    redirect: str | None = None
    """Answer 302 with this ``Location``."""
    etag: bool = True
    """False: serve the matrix without an ETag (and ignore If-None-Match)."""
    times: int | None = None
    """Apply to this many requests, then stop (None: until cleared)."""
    path: str | None = SUPPORT_MATRIX_PATH
    """Apply to this path only (None: every path)."""


class Faults:
    """Thread-safe holder of the active fault: ``set(Fault(...))``, ``set(status=503)``, ``clear()``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._fault: Fault | None = None
        self._left: int | None = None

    def set(self, fault: Fault | None = None, **fields: Any) -> None:
        fault = dataclasses.replace(fault or Fault(), **fields)
        with self._lock:
            self._fault, self._left = fault, fault.times

    def clear(self) -> None:
        with self._lock:
            self._fault, self._left = None, None

    def take(self, path: str) -> Fault | None:
        with self._lock:
            fault = self._fault
            if fault is None or (fault.path is not None and fault.path != path):
                return None
            if self._left is not None:
                self._left -= 1
                if self._left <= 0:
                    self._fault, self._left = None, None
            return fault


@dataclasses.dataclass(frozen=True)
class Seen:
    """One request the server received (for tests: was the token sent, was the GET conditional)."""

    method: str
    path: str
    if_none_match: str | None
    authorization: str | None = dataclasses.field(repr=False)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_telemetry(path: Path) -> list[dict[str, Any]]:
    """Events from a JSON-lines file, read by ``telemetry-audit``'s reader (one format, one set of errors)."""
    from .telemetry import read_events

    return [event.data for event in read_events(str(path))]


class RuntimeServer:
    """A control-plane server of one matrix. ``port=0`` picks a free port (see :attr:`url`)."""

    def __init__(self, matrix_body: bytes, *, host: str = "127.0.0.1", port: int = 0,
                 telemetry: Path | None = None, token: str | None = None, allow_remote: bool = False,
                 origin: str = "matrix", idle_timeout: float = IDLE_TIMEOUT,
                 request_timeout: float = REQUEST_TIMEOUT) -> None:
        if not allow_remote and not _is_loopback(host):
            raise UsageError(f"refusing to bind {host}: not a loopback address",
                             hint="the reference server is for local previews and tests; "
                             "pass --allow-remote to serve beyond this machine")
        if not 0 <= port <= 65535:
            raise UsageError(f"port {port} is not a TCP port",
                             hint="pick a port from 1 to 65535 (0: any free one)")
        matrix = _snapshot.decode(matrix_body, origin)
        self.faults = Faults()
        self.requests: list[Seen] = []
        self.token = token
        self.events = load_telemetry(telemetry) if telemetry else []
        self._lock = threading.Lock()
        self.benchmarks: list[Benchmark] = list(matrix.benchmarks)
        self.set_matrix(matrix_body, origin)
        try:
            self.httpd = _PooledServer((host, port), _handler_for(self), idle_timeout=idle_timeout,
                                       request_timeout=request_timeout)
        except (OSError, OverflowError) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise UsageError(f"cannot listen on {host}:{port} ({why})", hint="pick another --port") from None
        self._thread: threading.Thread | None = None

    @classmethod
    def from_file(cls, path: Path, **kw: Any) -> RuntimeServer:
        try:
            body = Path(path).read_bytes()
        except OSError as exc:
            raise SourceError(f"cannot read the matrix ({exc.strerror})", where=str(path),
                              hint="pass an existing snapshot with --matrix") from None
        return cls(body, origin=str(path), **kw)

    def set_matrix(self, body: bytes, origin: str = "matrix") -> None:
        """Serve another (validated) matrix from now on; its ETag changes with its bytes."""
        _snapshot.decode(body, origin)
        with self._lock:
            self.matrix_body, self.etag = body, etag_of(body)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def start(self) -> RuntimeServer:
        # A short poll interval makes stop() quick (tests start and stop a server each).
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), name="agno-runtime",
                                        daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> RuntimeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Reader:
    """The request side of a connection, buffered; every ``recv`` is bounded twice.

    By the idle timeout (silence), and by the request deadline (:meth:`begin`): a client that
    drips its request one byte at a time, or promises a body it never sends, cannot hold a
    worker longer than the request timeout. What is buffered survives between requests, so a
    pipelined request is not lost when the connection goes back to the poller.
    """

    def __init__(self, sock: socket.socket, idle: float) -> None:
        self._sock, self._idle = sock, idle
        self._buf = bytearray()
        self._end: float | None = None

    def begin(self, budget: float) -> None:
        self._end = time.monotonic() + budget

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def _fill(self) -> bool:
        wait = self._idle
        if self._end is not None:
            wait = min(wait, self._end - time.monotonic())
            if wait <= 0:
                raise TimeoutError("the request took longer than the request timeout")
        self._sock.settimeout(wait)
        chunk = self._sock.recv(65536)
        self._buf += chunk
        return bool(chunk)

    def _take(self, n: int) -> bytes:
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def readline(self, limit: int = -1) -> bytes:
        while True:
            end = self._buf.find(b"\n") + 1
            if end and (limit < 0 or end <= limit):
                return self._take(end)
            if 0 <= limit <= len(self._buf):
                return self._take(limit)
            if not self._fill():
                return self._take(len(self._buf))

    def read(self, n: int = -1) -> bytes:
        while (n < 0 or len(self._buf) < n) and self._fill():
            pass
        return self._take(len(self._buf) if n < 0 else n)


class _Writer:
    """The answer side: whole writes (``sendall``), each bounded by the idle timeout."""

    def __init__(self, sock: socket.socket, idle: float) -> None:
        self._sock, self._idle = sock, idle

    def write(self, data: bytes) -> int:
        self._sock.settimeout(self._idle)
        self._sock.sendall(data)
        return len(data)

    def flush(self) -> None:
        pass


@dataclasses.dataclass
class _Conn:
    """One client connection between requests: its socket, its buffered input, since when it waits."""

    sock: socket.socket
    address: Any
    reader: _Reader
    since: float = dataclasses.field(default_factory=time.monotonic)


class _PooledServer(HTTPServer):
    """``HTTPServer`` with a real listen backlog, a poller for idle connections and a bounded pool.

    ``ThreadingHTTPServer`` listens with a backlog of 5 and gives every connection a thread
    for as long as it stays open, idle or not. Here a connection waits in one poller thread
    (``selectors``) until it has bytes to read, and only then is handed to one of at most
    :data:`WORKERS` threads, for one request (and any already-pipelined ones); a keep-alive
    connection then goes back to the poller. Connections silent for ``idle_timeout`` are closed
    by the poller; past :data:`PENDING` waiting connections a new one is closed at once. So idle
    or slow clients cost a file descriptor each, never a thread, and cannot starve the others.
    """

    request_queue_size = BACKLOG
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: type[_Handler], *, idle_timeout: float,
                 request_timeout: float) -> None:
        self.idle_timeout, self.request_timeout = idle_timeout, request_timeout
        self._ready: queue.Queue[_Conn | None] = queue.Queue()
        self._incoming: queue.Queue[_Conn] = queue.Queue()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []
        self._free = 0  # workers not serving a connection
        self._backlog = 0  # connections handed over, not yet taken by a worker
        self._waiting = 0  # connections in the poller or queued for a worker
        self._closed = threading.Event()
        self._handler = handler
        self._wake_r, self._wake_w = socket.socketpair()  # wakes the poller when a connection comes back
        self._poller = threading.Thread(target=self._poll, name="agno-runtime-poller", daemon=True)
        super().__init__(address, handler)  # binds; on failure it calls server_close()
        self._poller.start()

    # the accepting thread (serve_forever) hands each new connection to the poller
    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            full = self._waiting >= PENDING
            if not full:
                self._waiting += 1
        if full:
            self.shutdown_request(request)
            return
        self._to_poller(_Conn(request, client_address, _Reader(request, self.idle_timeout)))

    def _to_poller(self, conn: _Conn) -> None:
        conn.since = time.monotonic()
        self._incoming.put(conn)
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")

    def _poll(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_r, selectors.EVENT_READ)
        try:
            while not self._closed.is_set():
                for key, _ in selector.select(timeout=min(0.25, self.idle_timeout)):
                    if key.fileobj is self._wake_r:
                        with contextlib.suppress(OSError):
                            self._wake_r.recv(4096)
                        continue
                    selector.unregister(key.fileobj)
                    self._dispatch(key.data)
                while not self._incoming.empty():
                    conn = self._incoming.get_nowait()
                    try:
                        selector.register(conn.sock, selectors.EVENT_READ, conn)
                    except (OSError, ValueError):  # closed meanwhile
                        self._drop(conn)
                now = time.monotonic()
                for key in list(selector.get_map().values()):
                    conn = key.data
                    if conn is not None and now - conn.since > self.idle_timeout:
                        selector.unregister(key.fileobj)
                        self._drop(conn)
        finally:
            for key in list(selector.get_map().values()):
                if key.data is not None:
                    self._drop(key.data)
            selector.close()

    def _dispatch(self, conn: _Conn) -> None:
        self._ready.put(conn)
        with self._lock:  # one more worker when more connections wait than workers are free
            self._backlog += 1
            if self._backlog > self._free and len(self._workers) < WORKERS:
                self._free += 1
                worker = threading.Thread(target=self._work, name="agno-runtime-worker", daemon=True)
                self._workers.append(worker)
                worker.start()

    def _drop(self, conn: _Conn) -> None:
        with self._lock:
            self._waiting -= 1
        self.shutdown_request(conn.sock)

    def _work(self) -> None:
        while True:
            conn = self._ready.get()
            if conn is None:
                return
            with self._lock:
                self._backlog -= 1
                self._free -= 1
            keep = False
            try:
                keep = self._handler(conn, conn.address, self).keep  # type: ignore[arg-type]  # a _Conn
            except Exception:
                self.handle_error(conn.sock, conn.address)
            finally:
                with self._lock:
                    self._free += 1
            if keep and not self._closed.is_set():
                self._to_poller(conn)
            else:
                self._drop(conn)

    def server_close(self) -> None:
        self._closed.set()
        super().server_close()
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        if self._poller.is_alive():
            self._poller.join(timeout=5)
        for _ in self._workers:  # each worker ends after the request it serves, if any
            self._ready.put(None)
        self._wake_r.close()
        self._wake_w.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up or went silent (timeouts, size limits) is expected here: stay quiet."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def _handler_for(server: RuntimeServer) -> type[_Handler]:
    class Handler(_Handler):
        runtime = server

    return Handler


class _Handler(BaseHTTPRequestHandler):
    """One turn of a connection: the request whose bytes arrived, and any already pipelined after it."""

    runtime: RuntimeServer
    server: _PooledServer
    request: _Conn
    protocol_version = "HTTP/1.1"
    server_version = "agno-runtime-reference/1"
    keep = False
    """After the turn: keep the connection open for another request (it goes back to the poller)."""

    def setup(self) -> None:
        self.connection = self.request.sock
        self.rfile = self.request.reader  # type: ignore[assignment]
        self.wfile = _Writer(self.request.sock, self.server.idle_timeout)  # type: ignore[assignment]

    def handle(self) -> None:
        while True:
            self.close_connection = True
            self.rfile.begin(self.server.request_timeout)  # type: ignore[attr-defined]
            self.handle_one_request()
            if self.close_connection or not self.rfile.buffered:  # type: ignore[attr-defined]
                break
        self.keep = not self.close_connection

    def finish(self) -> None:  # the connection outlives the turn; the server closes it
        pass

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and previews
        pass

    # --- plumbing -------------------------------------------------------------------------------

    def _send(self, code: int, body: bytes = b"", *, headers: dict[str, str] | None = None,
              content_type: str = "application/json") -> None:
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if code != 304 and code >= 200:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and code != 304 and self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, code: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(code, json.dumps({"error": message}).encode() + b"\n", headers=headers)

    def _json(self, code: int, value: Any, headers: dict[str, str] | None = None) -> None:
        self._send(code, msgspec.json.encode(value) + b"\n", headers=headers)

    def _authorized(self) -> bool:
        token = self.runtime.token
        if not token:
            return True
        got = self.headers.get("Authorization", "")
        return hmac.compare_digest(got.encode(), f"Bearer {token}".encode())

    def _framing_error(self) -> bool:
        """Refuse a body whose length is ambiguous (RFC 9112 6.3); True when it answered and closed."""
        lengths = set(self.headers.get_all("Content-Length") or [])
        chunked = self.headers.get("Transfer-Encoding") is not None
        if chunked and lengths:
            code, why = 400, "Content-Length and Transfer-Encoding together: the body's length is ambiguous"
        elif chunked:
            code, why = 411, "Transfer-Encoding is not accepted: send a Content-Length"
        elif len(lengths) > 1 or (lengths and not next(iter(lengths)).strip().isdigit()):
            code, why = 400, "a Content-Length that is not one number"
        else:
            return False
        self.close_connection = True  # whatever follows on this connection cannot be framed
        self._error(code, why)
        return True

    def _route(self, method: str) -> None:
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        with self.runtime._lock:
            self.runtime.requests.append(Seen(method, path, self.headers.get("If-None-Match"),
                                              self.headers.get("Authorization")))
        if self._framing_error():
            return
        routes = {SUPPORT_MATRIX_PATH: ("GET", "HEAD"), BENCHMARKS_PATH: ("GET", "HEAD", "POST"),
                  TELEMETRY_PATH: ("GET", "HEAD")}
        if path not in routes:
            self._drain()
            self._error(404, f"no endpoint {path}")
            return
        if method not in routes[path]:
            self._drain()
            self._error(405, f"{method} is not allowed on {path}", {"Allow": ", ".join(routes[path])})
            return
        fault = self.runtime.faults.take(path)
        if fault is not None and self._apply(fault):
            return
        if not self._authorized():
            self._drain()
            self._error(401, "missing or wrong bearer token", {"WWW-Authenticate": "Bearer"})
            return
        if path == SUPPORT_MATRIX_PATH:
            self._support_matrix(fault)
        elif path == BENCHMARKS_PATH:
            self._benchmarks(method)
        else:
            self._telemetry(parse_qs(parts.query))

    def _drain(self) -> None:
        length = self.headers.get("Content-Length", "")
        if length.isdigit() and int(length) <= MAX_POST_BYTES:
            self.rfile.read(int(length))
        elif length:
            self.close_connection = True

    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_POST(self) -> None:
        self._route("POST")

    def _other(self) -> None:
        """The methods HTTP defines (and QUERY) that no endpoint has: 405 with ``Allow``; others get 501."""
        self._route(self.command)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = do_QUERY = _other

    # --- faults ---------------------------------------------------------------------------------

    def _apply(self, fault: Fault) -> bool:
        """Play the fault; True when it answered the request itself."""
        if fault.delay:
            time.sleep(fault.delay)
        if fault.redirect:
            self._drain()
            self._send(302, b"", headers={"Location": fault.redirect})
            return True
        if fault.status is not None:
            self._drain()
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
            if fault.status == 304:
                self._send(304, headers={"ETag": self.runtime.etag})
            else:
                try:
                    phrase = http.HTTPStatus(fault.status).phrase
                except ValueError:
                    phrase = "fault"
                self._error(fault.status, phrase, headers)
            return True
        return False

    def _broken_body(self, kind: BodyFault, good: bytes) -> bytes:
        if kind == "malformed":
            return good[: max(1, len(good) // 2)].replace(b"{", b"{{", 1)
        doc = json.loads(good)
        if kind == "wrong_schema":
            doc["modules"][0]["status"] = "ported"
        elif kind == "empty_modules":
            doc["modules"] = []
        return json.dumps(doc).encode()

    def _stream(self, chunks: Iterator[bytes], length: int | None, etag: str | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if etag:
            self.send_header("ETag", etag)
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        try:
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:
            pass  # the client stopped reading: that is what the client is supposed to do

    # --- endpoints ------------------------------------------------------------------------------

    def _support_matrix(self, fault: Fault | None) -> None:
        with self.runtime._lock:
            body, etag = self.runtime.matrix_body, self.runtime.etag
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if fault is not None and fault.body == "huge":
            size, block = fault.huge_bytes, b" " * 65536
            chunks = (block[: min(65536, size - i)] for i in range(0, size, 65536))
            self._stream(chunks, size if fault.declare_length else None, None)
            return
        if fault is not None and fault.body == "truncated":
            self._stream(iter([body[: len(body) // 2]]), len(body), etag)
            return
        if fault is not None and fault.body is not None:
            body = self._broken_body(fault.body, body)
            headers["ETag"] = etag_of(body)
        elif fault is not None and not fault.etag:
            del headers["ETag"]
        elif _etag_matches(self.headers.get("If-None-Match"), etag):
            self._send(304, headers=headers)
            return
        if fault is not None and fault.drip:
            step, pause = max(1, fault.drip_chunk), fault.drip

            def drip() -> Iterator[bytes]:
                for i in range(0, len(body), step):
                    yield body[i: i + step]
                    time.sleep(pause)

            self._stream(drip(), len(body), headers.get("ETag"))
            return
        self._send(200, body, headers=headers)

    def _benchmarks(self, method: str) -> None:
        if method in ("GET", "HEAD"):
            with self.runtime._lock:
                self._json(200, list(self.runtime.benchmarks))
            return
        length = self.headers.get("Content-Length", "")
        if not length.isdigit():
            self.close_connection = True
            self._error(411, "send a Content-Length")
            return
        if int(length) > MAX_POST_BYTES:
            self.close_connection = True
            self._error(413, f"body over {MAX_POST_BYTES} bytes")
            return
        raw = self.rfile.read(int(length))
        try:
            posted = msgspec.json.decode(raw, type=list[Benchmark])
        except (msgspec.ValidationError, msgspec.DecodeError) as exc:
            self._error(400, f"not a list of benchmarks: {exc}")
            return
        with self.runtime._lock:
            self.runtime.benchmarks.extend(posted)
            total = len(self.runtime.benchmarks)
        self._json(201, {"accepted": len(posted), "total": total})

    def _telemetry(self, query: dict[str, list[str]]) -> None:
        session = query["sessionId"][-1] if query.get("sessionId") else None
        runtime = query["runtime"][-1] if query.get("runtime") else None
        out = [e for e in self.runtime.events
               if (session is None or session in (e.get("sessionId"), e.get("session_id")))
               and (runtime is None or e.get("runtime") == runtime)]
        self._json(200, out)


# --- the contract as an OpenAPI document --------------------------------------------------------------


def _components() -> dict[str, Any]:
    """The model's JSON Schema ``$defs``, with refs pointing at ``#/components/schemas``."""
    text = json.dumps(json_schema()["$defs"]).replace('"#/$defs/', '"#/components/schemas/')
    schemas: dict[str, Any] = json.loads(text)
    schemas["Error"] = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
    schemas["TelemetryEvent"] = {
        "type": "object",
        "description": "One telemetry event as the runtime recorded it (`runtime`, a session id...).",
        "additionalProperties": True,
    }
    schemas["Accepted"] = {
        "type": "object",
        "properties": {"accepted": {"type": "integer", "minimum": 0},
                       "total": {"type": "integer", "minimum": 0}},
        "required": ["accepted", "total"],
    }
    return schemas


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the endpoints the docs use; ``matrix/openapi.yaml`` is its dump."""
    error = {"description": "An error", "content": _json_content(_ref("Error"))}
    unauthorized = {"description": "Missing or wrong bearer token (AGNO_RUNTIME_TOKEN)",
                    "content": _json_content(_ref("Error"))}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Agno Go runtime control plane (the endpoints the docs read)",
            "version": "1",
            "description": "Generated from matrix.model by `python -m matrix.server`; "
            "tests/live/test_server.py fails when it drifts.",
        },
        "servers": [{"url": "http://127.0.0.1:8765", "description": "agno-docs serve-runtime"}],
        "components": {
            "schemas": _components(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "The value of AGNO_RUNTIME_TOKEN"}},
        },
        "security": [{}, {"bearer": []}],
        "paths": {
            SUPPORT_MATRIX_PATH: {"get": {
                "operationId": "getSupportMatrix",
                "summary": "The support matrix (schema_version 1)",
                "parameters": [{"name": "If-None-Match", "in": "header", "required": False,
                                "schema": {"type": "string"},
                                "description": "The ETag of a copy the client holds"}],
                "responses": {
                    "200": {"description": "The matrix",
                            "headers": {"ETag": {"schema": {"type": "string"},
                                                 "description": "Changes whenever the document does"}},
                            "content": _json_content(_ref("SupportMatrix"))},
                    "304": {"description": "The copy named by If-None-Match is current"},
                    "401": unauthorized,
                },
            }},
            BENCHMARKS_PATH: {
                "get": {
                    "operationId": "listBenchmarks",
                    "summary": "Benchmark results",
                    "responses": {
                        "200": {"description": "Every benchmark result",
                                "content": _json_content({"type": "array", "items": _ref("Benchmark")})},
                        "401": unauthorized,
                    },
                },
                "post": {
                    "operationId": "submitBenchmarks",
                    "summary": "Submit benchmark results (agno-docs bench --submit URL)",
                    "requestBody": {"required": True,
                                    "content": _json_content({"type": "array", "items": _ref("Benchmark")})},
                    "responses": {
                        "201": {"description": "Stored", "content": _json_content(_ref("Accepted"))},
                        "400": error,
                        "401": unauthorized,
                        "411": error,
                        "413": error,
                    },
                },
            },
            TELEMETRY_PATH: {"get": {
                "operationId": "listTelemetryEvents",
                "summary": "Telemetry events, filtered",
                "parameters": [
                    {"name": "sessionId", "in": "query", "required": False, "schema": {"type": "string"}},
                    {"name": "runtime", "in": "query", "required": False, "schema": {"type": "string"},
                     "example": "go"},
                ],
                "responses": {
                    "200": {"description": "The matching events",
                            "content": _json_content({"type": "array", "items": _ref("TelemetryEvent")})},
                    "401": unauthorized,
                },
            }},
        },
    }


def openapi_yaml() -> str:
    yaml: Any = importlib.import_module("yaml")

    header = "# Generated by `python -m matrix.server` from matrix.model: do not edit by hand.\n"
    return header + str(yaml.safe_dump(openapi_document(), sort_keys=False, width=100, allow_unicode=True))


if __name__ == "__main__":  # python -m matrix.server: regenerate matrix/openapi.yaml
    from ._io import write_atomic

    write_atomic(OPENAPI_FILE, openapi_yaml())
    print(f"wrote {OPENAPI_FILE}")

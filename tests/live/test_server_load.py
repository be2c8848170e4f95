"""The reference server as a server (issue 11 item 8), over real sockets on loopback.

A burst of 200 clients, idle and half-sent requests, HEAD, ambiguous framing, bad ports. The
latency asserted is a hang guard (a listen backlog of 5 made the 90th percentile 4-15 s), not a
performance target; ``bench/`` measures performance.
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from matrix.cli import main
from matrix.errors import UsageError
from matrix.server import WORKERS, RuntimeServer
from matrix.sources import snapshot
from matrix.sources.api import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH
from tests import factories


@pytest.fixture
def quick(body: bytes) -> Iterator[RuntimeServer]:
    """A server whose idle connections time out after half a second."""
    with RuntimeServer(body, idle_timeout=0.5) as srv:
        yield srv


def _host_port(srv: RuntimeServer) -> tuple[str, int]:
    host, port = srv.httpd.server_address[:2]
    return str(host), int(port)


def _exchange(srv: RuntimeServer, raw: bytes, *, wait: float = 5.0) -> bytes:
    """Send ``raw`` on a fresh connection and read until the server closes it (or ``wait`` passes)."""
    with socket.create_connection(_host_port(srv), timeout=wait) as c:
        c.sendall(raw)
        data = b""
        try:
            while chunk := c.recv(65536):
                data += chunk
        except TimeoutError:
            pass
    return data


def _get(address: tuple[str, int], path: str) -> bytes:
    """One GET on its own connection, raw: the client costs no more than a socket (a 200-thread httpx
    client spends seconds building its TLS contexts under the GIL, which would be measured instead)."""
    with socket.create_connection(address, timeout=10) as c:
        c.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := c.recv(65536):
            data += chunk
    return data


def test_200_concurrent_clients(body: bytes) -> None:
    latencies: list[float] = []
    failures: list[str] = []
    start_line = threading.Barrier(200)
    lock = threading.Lock()

    with RuntimeServer(body) as srv:
        address = _host_port(srv)

        def client() -> None:
            start_line.wait()
            t0 = time.monotonic()
            try:
                answer = _get(address, SUPPORT_MATRIX_PATH)
                good = answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(body)
                problem = None if good else answer[:60]
            except OSError as exc:
                problem = repr(exc)
            with lock:
                latencies.append(time.monotonic() - t0)
                if problem is not None:
                    failures.append(str(problem))

        threads = [threading.Thread(target=client) for _ in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        workers = len(srv.httpd._workers)
    assert failures == []
    assert len(latencies) == 200
    p90 = statistics.quantiles(latencies, n=10)[-1]
    assert p90 < 1.0, f"p90 {p90:.2f} s, max {max(latencies):.2f} s"
    assert workers <= WORKERS


def test_idle_connections_are_closed(quick: RuntimeServer) -> None:
    """A connection that never sends, one that stops mid-head, and one that lies about its body."""
    cases = [b"", b"GET /v1/runtime/go/support-matrix HTTP/1.1\r\nHost: x\r\n",
             b"POST /v1/runtime/go/benchmarks HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n[{"]
    start = time.monotonic()
    answers = [_exchange(quick, raw) for raw in cases]
    took = time.monotonic() - start
    assert answers == [b"", b"", b""]  # closed without an answer, each after about 0.5 s
    assert took < len(cases) * (0.5 + 1.0), took
    r = httpx.get(quick.url + SUPPORT_MATRIX_PATH)  # and it still serves
    assert r.status_code == 200


def test_idle_and_slow_clients_cost_no_thread_and_starve_nobody(body: bytes) -> None:
    """Reliability row 143: 50 POSTs promising bodies they never send and 300 idle connections."""
    with RuntimeServer(body, idle_timeout=3.0) as srv:
        address = _host_port(srv)
        liars = [socket.create_connection(address) for _ in range(50)]
        for c in liars:
            c.sendall(b"POST /v1/runtime/go/benchmarks HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n[{")
        idle = [socket.create_connection(address) for _ in range(300)]
        try:
            time.sleep(0.3)
            start = time.monotonic()
            answer = _get(address, SUPPORT_MATRIX_PATH)
            took = time.monotonic() - start
            assert answer.startswith(b"HTTP/1.1 200 ") and took < 1.0, took
            assert len(srv.httpd._workers) <= 52  # the liars' workers and one for the GET; idle ones: none
            time.sleep(3.5)  # past the idle timeout: the server closed every one of them
            for c in liars + idle:
                c.settimeout(1)
                assert c.recv(100) in (b"", b"HTTP/1.1 408 Request Timeout\r\n")  # closed (maybe after a 408)
        finally:
            for c in liars + idle:
                c.close()


def test_a_dripping_request_is_cut_at_the_request_timeout(body: bytes) -> None:
    """One byte every 0.2 s never trips the 5 s idle timeout; the 1 s request timeout ends it."""
    with RuntimeServer(body, request_timeout=1.0) as srv, socket.create_connection(_host_port(srv)) as c:
        start = time.monotonic()
        c.settimeout(5)
        data = b""
        try:
            for byte in b"GET /v1/runtime/go/support-matrix HTTP/1.1\r\nX-Pad: " + b"a" * 100:
                c.sendall(bytes([byte]))
                time.sleep(0.2)
        except OSError:  # the server hung up
            pass
        with contextlib.suppress(OSError):
            data = c.recv(100)
        assert data == b"" and time.monotonic() - start < 1.0 + 1.0


def test_a_keep_alive_connection_is_reused_then_closed_when_idle(quick: RuntimeServer, body: bytes) -> None:
    with httpx.Client() as client:
        for _ in range(3):
            assert client.get(quick.url + SUPPORT_MATRIX_PATH).content == body
        time.sleep(0.8)  # past the idle timeout: the server closed it; httpx reconnects
        assert client.get(quick.url + SUPPORT_MATRIX_PATH).content == body


@pytest.mark.parametrize("path", [SUPPORT_MATRIX_PATH, BENCHMARKS_PATH])
def test_head_answers_the_get_headers_without_a_body(server: RuntimeServer, path: str) -> None:
    get = httpx.get(server.url + path)
    head = httpx.head(server.url + path)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == get.headers["content-length"] == str(len(get.content))
    assert head.headers.get("etag") == get.headers.get("etag")


def test_head_of_a_dripping_answer_sends_no_body(server: RuntimeServer) -> None:
    server.faults.set(drip=0.2)
    start = time.monotonic()
    assert httpx.head(server.url + SUPPORT_MATRIX_PATH, timeout=5).status_code == 200
    assert time.monotonic() - start < 1.0


@pytest.mark.parametrize(("head", "code", "error"), [
    (b"GET /v1/runtime/go/support-matrix HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n", 400,
     "Content-Length and Transfer-Encoding together: the body's length is ambiguous"),
    (b"POST /v1/runtime/go/benchmarks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
     b"Content-Length: 2\r\n\r\n", 400,
     "Content-Length and Transfer-Encoding together: the body's length is ambiguous"),
    (b"POST /v1/runtime/go/benchmarks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 411,
     "Transfer-Encoding is not accepted: send a Content-Length"),
    (b"POST /v1/runtime/go/benchmarks HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
     400, "a Content-Length that is not one number"),
    (b"POST /v1/runtime/go/benchmarks HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400,
     "a Content-Length that is not one number"),
])
def test_ambiguous_framing_is_refused_and_the_connection_closed(server: RuntimeServer, head: bytes, code: int,
                                                                 error: str) -> None:
    # A second, smuggled request follows on the same connection: it must never be answered.
    smuggled = b"GET /v1/runtime/go/benchmarks HTTP/1.1\r\nHost: x\r\n\r\n"
    data = _exchange(server, head + b"0\r\n\r\n" + smuggled)
    assert data.startswith(f"HTTP/1.1 {code} ".encode())
    assert data.count(b"HTTP/1.1 ") == 1
    assert data.rstrip().endswith(f'{{"error": "{error}"}}'.encode())
    assert server.benchmarks == []


@pytest.mark.parametrize("port", ["99999", "-1", "http", "65536"])
def test_serve_runtime_refuses_a_bad_port(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve-runtime", "--port", port]) == 2
    assert capsys.readouterr().err == (
        f"agno-docs serve-runtime: error: argument --port: {port!r} is not a TCP port (1-65535, or 0 for any "
        "free one); run `agno-docs serve-runtime --help`\n")


def test_the_server_refuses_a_bad_port_too(body: bytes) -> None:
    with pytest.raises(UsageError) as info:
        RuntimeServer(body, port=99999)
    assert str(info.value) == "port 99999 is not a TCP port; pick a port from 1 to 65535 (0: any free one)"


def test_a_port_in_use_is_one_line(body: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snap = tmp_path / "m.json"
    snapshot.dump(factories.small(), snap)
    with RuntimeServer(body) as srv:
        port = _host_port(srv)[1]
        assert main(["serve-runtime", "--matrix", str(snap), "--port", str(port)]) == 2
    assert capsys.readouterr().err == (f"agno-docs serve-runtime: error: cannot listen on 127.0.0.1:{port} "
                                       "(Address already in use); pick another --port\n")

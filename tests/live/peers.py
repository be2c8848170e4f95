"""Peers for the transport tests, on loopback: an HTTPS runtime, a CONNECT proxy, a scripted HTTP server.

    certificate(folder)            a self-signed certificate for ``runtime.test`` and 127.0.0.1 (openssl)
    with TlsRuntime(body, cert) as rt:      rt.port, rt.requests; GET with ETag and 304, over TLS
    with ConnectProxy(port) as proxy:       tunnels every CONNECT to 127.0.0.1:port; proxy.requests
    with Scripted(answers) as srv:          srv.url; answers are (status, headers, body chunks) in order;
                                            a body given as chunks is sent chunked
"""

from __future__ import annotations

import contextlib
import http.server
import select
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from matrix.server import etag_of
from tests.live.loopback import Loopback


def certificate(folder: Path) -> tuple[Path, Path]:
    """(cert.pem, key.pem) for ``runtime.test`` and 127.0.0.1, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=runtime.test", "-addext", "subjectAltName=DNS:runtime.test,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True


class _Threaded:
    server: _Server

    def __enter__(self) -> Any:
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])


class TlsRuntime(_Threaded):
    """The support-matrix endpoint over TLS: the body with its ETag, or 304 to a matching If-None-Match."""

    def __init__(self, body: bytes, cert: Path, key: Path) -> None:
        self.requests: list[str | None] = []
        etag = etag_of(body)
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                requests.append(self.headers.get("If-None-Match"))
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.connections = 0
        """Connections accepted (each one before its TLS handshake, which may then fail)."""
        accept = self.server.get_request

        def counted() -> tuple[Any, Any]:
            self.connections += 1
            return accept()

        self.server.get_request = counted  # type: ignore[method-assign]


class Scripted(_Threaded):
    """Plain HTTP; the n-th request gets the n-th answer (the last repeats). Records request headers."""

    def __init__(self, answers: list[tuple[int, dict[str, str], bytes | list[bytes]]]) -> None:
        self.requests: list[dict[str, str]] = []
        requests, script = self.requests, answers

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                requests.append({k.lower(): v for k, v in self.headers.items()})
                status, headers, body = script[min(len(requests), len(script)) - 1]
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if isinstance(body, bytes):
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in body:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class ConnectProxy(Loopback):
    """An http proxy that tunnels every ``CONNECT`` to 127.0.0.1:``port`` (whatever host it names)."""

    name = "proxy"

    def __init__(self, port: int, *, status: int = 200) -> None:
        super().__init__()
        self.target, self.status = port, status

    def _serve(self, client: socket.socket) -> None:
        with client, contextlib.suppress(OSError):
            if self._read_head(client) is None:
                return
            if self.status != 200:
                client.sendall(b"HTTP/1.1 %d Nope\r\nContent-Length: 0\r\n\r\n" % self.status)
                return
            with socket.create_connection(("127.0.0.1", self.target)) as upstream:
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._pipe(client, upstream)

    def _pipe(self, a: socket.socket, b: socket.socket) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([a, b], [], [], 0.1)
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)


def chunks(data: bytes, size: int) -> Iterable[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]

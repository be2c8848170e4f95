"""A hostile HTTP peer on loopback: raw sockets, so it can do what no well-behaved server does.

    with Hostile("drip_headers", interval=0.2) as peer:
        peer.url                 # http://127.0.0.1:PORT
        peer.requests            # the raw request heads it received

Modes (what it sends after reading the request head and any Content-Length body):

    drip_status   the status line, then header bytes, one byte per ``interval``, never ending
    drip_headers  a status line at once, then one header byte per ``interval``, never ending
    drip_body     a 200 head with a large Content-Length, then one body byte per ``interval``
    stall         nothing at all (the client waits for the status line)
    raw           ``payload`` as given, then close (a malformed status line, a broken redirect...);
                  a list of payloads: the first connection gets the first, and so on (the last repeats)

A drip stops when the client goes away or the peer is closed, so a test that asserts "the client
gave up by its deadline" leaves no thread behind.
"""

from __future__ import annotations

import contextlib
import socket
import threading

from tests.live.loopback import Loopback

HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


class Hostile(Loopback):
    name = "hostile"

    def __init__(self, mode: str, *, interval: float = 0.2, payload: bytes | list[bytes] = b"") -> None:
        super().__init__()
        self.mode, self.interval = mode, interval
        self.payloads = [payload] if isinstance(payload, bytes) else list(payload)
        self._served = 0
        self._lock = threading.Lock()

    def _read_request(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        got = self._read_head(conn)
        if got is None:
            return
        head, body = got
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                need = int(value.strip()) - len(body)
                while need > 0:
                    chunk = conn.recv(min(need, 65536))
                    if not chunk:
                        return
                    need -= len(chunk)

    def _drip(self, conn: socket.socket, data: bytes, *, forever: bytes = b"") -> None:
        i = 0
        while not self._stop.is_set():
            byte = data[i:i + 1] if i < len(data) else forever
            if not byte:
                return
            conn.sendall(byte)
            i += 1
            if self._stop.wait(self.interval):
                return

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self._read_request(conn)
            if self.mode == "drip_status":
                self._drip(conn, HEAD + b"X-Pad: ", forever=b"a")
            elif self.mode == "drip_headers":
                conn.sendall(HEAD.split(b"\r\n", 1)[0] + b"\r\n")
                self._drip(conn, HEAD.split(b"\r\n", 1)[1] + b"X-Pad: ", forever=b"a")
            elif self.mode == "drip_body":
                conn.sendall(HEAD + b"Content-Length: 100000\r\n\r\n")
                self._drip(conn, b"", forever=b" ")
            elif self.mode == "stall":
                self._stop.wait(60)
            elif self.mode == "raw":
                with self._lock:
                    payload = self.payloads[min(self._served, len(self.payloads) - 1)]
                    self._served += 1
                conn.sendall(payload)
            else:  # pragma: no cover - a typo in a test
                raise ValueError(self.mode)

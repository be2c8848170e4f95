"""A raw-socket peer on loopback, for the peers that must do what no ``http.server`` does.

    class Peer(Loopback):
        def _serve(self, conn): ...      # one thread per connection; return (or see self._stop) to end it

    with Peer() as peer:
        peer.url                         # http://127.0.0.1:PORT
        peer.requests                    # the raw request heads ``_read_head`` received

The listener is bound on 127.0.0.1 at construction (so ``url`` is known before ``with``); entering
starts the accept thread, leaving sets ``_stop``, joins every thread it started and closes the
listener, so a test leaves no thread behind. :class:`tests.live.hostile.Hostile` and
:class:`tests.live.peers.ConnectProxy` are built on it.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self


class Loopback:
    name = "loopback"
    """Prefix of its threads' names."""

    def __init__(self) -> None:
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> Self:
        self._spawn("accept", self._accept)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
        self._listener.close()

    def _spawn(self, what: str, target: Callable[..., None], *args: Any) -> None:
        t = threading.Thread(target=target, args=args, name=f"{self.name}-{what}", daemon=True)
        t.start()
        self._threads.append(t)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn("conn", self._serve, conn)

    def _read_head(self, conn: socket.socket) -> tuple[bytes, bytes] | None:
        """(request head, the bytes read after it), the head recorded in ``requests``; None when the
        client closes first."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        self.requests.append(head)
        return head, rest

    def _serve(self, conn: socket.socket) -> None:
        raise NotImplementedError

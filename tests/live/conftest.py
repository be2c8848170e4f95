"""Real HTTP on loopback: a reference server per test, a refused port, a blackhole that never accepts."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from matrix.server import RuntimeServer
from matrix.sources import api, snapshot
from tests import factories

ENV = ("AGNO_MATRIX_SOURCE", "AGNO_MATRIX_SNAPSHOT", "AGNO_RUNTIME_URL", "AGNO_RUNTIME_TOKEN",
       "AGNO_MATRIX_REQUIRE_LIVE", "AGNO_RUNTIME_DEADLINE", "AGNO_RUNTIME_MAX_BYTES", "AGNO_DOCS_CACHE",
       "AGNO_PYTHON_ROOT", "AGNO_GO_ROOT", "AGNO_PROFILE")


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No AGNO_* from the outside, a private cache folder, an empty process memo."""
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AGNO_DOCS_CACHE", str(tmp_path / "cache"))
    api.clear_memo()
    yield
    api.clear_memo()


@pytest.fixture
def body() -> bytes:
    return snapshot.encode(factories.small())


@pytest.fixture
def server(body: bytes) -> Iterator[RuntimeServer]:
    with RuntimeServer(body) as srv:
        yield srv


@pytest.fixture
def refused_url() -> str:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def blackhole_url() -> Iterator[str]:
    """A listening socket whose accept queue is full: new connections never complete (connect timeout)."""
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(0)
    port = lsock.getsockname()[1]
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            c.connect(("127.0.0.1", port))
        fillers.append(c)
    yield f"http://127.0.0.1:{port}"
    for c in fillers:
        c.close()
    lsock.close()

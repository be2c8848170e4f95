"""The promise of issue 3 with real processes: serve-runtime, then mkdocs builds against it and without it."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from matrix.sources.snapshot import DEFAULT_SNAPSHOT
from tests.live.hostile import Hostile

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "site-token-5e1f0c"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    if not DEFAULT_SNAPSHOT.exists():
        pytest.skip("no committed snapshot yet (matrix/data/snapshot.json)")
    proc = subprocess.Popen([str(BIN / "agno-docs"), "serve-runtime", "--port", "0", "--require-token"],
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path,
                            env={**os.environ, "AGNO_RUNTIME_TOKEN": TOKEN})
    assert proc.stderr is not None
    line = proc.stderr.readline()
    m = re.search(r"at (http://127\.0\.0\.1:\d+) ", line)
    assert m, line
    yield proc, m.group(1)
    proc.terminate()
    proc.wait(timeout=10)
    proc.stderr.close()


def _build(site: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    full.update(env, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                          cwd=ROOT, env=full, capture_output=True, text=True, timeout=300)


def test_api_build_then_runtime_stops(runtime: tuple[subprocess.Popen[str], str], tmp_path: Path) -> None:
    proc, url = runtime
    env = {"AGNO_MATRIX_SOURCE": "api", "AGNO_RUNTIME_URL": url, "AGNO_DOCS_CACHE": str(tmp_path / "cache"),
           "AGNO_RUNTIME_DEADLINE": "2", "AGNO_RUNTIME_TOKEN": TOKEN}

    live = _build(tmp_path / "live", env)
    assert live.returncode == 0, live.stderr
    pages = sorted((tmp_path / "live").rglob("*.html"))
    assert pages and not any("agno-stale" in p.read_text() for p in pages)

    proc.terminate()
    proc.wait(timeout=10)
    reason = (f"{url}/v1/runtime/go/support-matrix: connection refused after 3 attempts; "
              "is the runtime running? check AGNO_RUNTIME_URL")

    published = _build(tmp_path / "published", {**env, "AGNO_MATRIX_REQUIRE_LIVE": "1"})
    assert published.returncode != 0
    errors = [ln for ln in published.stderr.splitlines() if ln.startswith("ERROR")]
    assert errors == [f"ERROR   -  agno-docs: {reason}"]
    assert not (tmp_path / "published" / "index.html").exists()

    preview = _build(tmp_path / "preview", env)
    assert preview.returncode == 0, preview.stderr
    pages = sorted((tmp_path / "preview").rglob("*.html"))
    escaped = reason.replace("_", "&#95;")
    missing = [p for p in pages
               if escaped not in p.read_text() or 'class="agno-stale"' not in p.read_text()]  # either edition
    assert pages and missing == []

    # The token reached the server (it requires it) and nothing on disk or in any output.
    for result in (live, published, preview):
        assert TOKEN not in result.stdout + result.stderr
    leaks = [p for p in tmp_path.rglob("*") if p.is_file() and TOKEN.encode() in p.read_bytes()]
    assert leaks == []


def test_require_live_build_ends_by_its_deadline_against_a_dripping_runtime(tmp_path: Path) -> None:
    """Issue 11 item 2: a runtime dripping its headers kept a published build running past 300 s."""
    env = {"AGNO_MATRIX_SOURCE": "api", "AGNO_MATRIX_REQUIRE_LIVE": "1", "AGNO_RUNTIME_DEADLINE": "2",
           "AGNO_DOCS_CACHE": str(tmp_path / "cache")}
    with socket.socket() as s:  # the same build against nobody: what a failing build costs without waiting
        s.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{s.getsockname()[1]}"
    start = time.monotonic()
    assert _build(tmp_path / "a", {**env, "AGNO_RUNTIME_URL": refused}).returncode != 0
    baseline = time.monotonic() - start
    with Hostile("drip_headers", interval=0.2) as peer:
        start = time.monotonic()
        result = _build(tmp_path / "b", {**env, "AGNO_RUNTIME_URL": peer.url})
        took = time.monotonic() - start
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("ERROR")]
    assert errors == [f"ERROR   -  agno-docs: {peer.url}/v1/runtime/go/support-matrix: no complete answer "
                      "within the 2 s deadline; check the runtime, or raise AGNO_RUNTIME_DEADLINE"]
    assert took < baseline + 2 + 1, (took, baseline)
    assert not (tmp_path / "b" / "index.html").exists()

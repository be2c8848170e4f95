"""One total deadline from connect to the last byte, for every network call (issue 11 item 2).

A hostile peer on loopback drips its status line, its headers or its body one byte at a time,
each byte well inside the per-read timeout; every command must still give up by its deadline
(plus one second for the Python around it), in one line, with nothing written. These are bounds
on a hang, not performance figures: without the deadline backend the same cases run for minutes.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from matrix._endpoints import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from matrix.cli import main
from matrix.errors import SourceError
from matrix.server import RuntimeServer
from matrix.settings import Settings
from matrix.sources import load
from tests.evidence.conftest import DATA
from tests.live.hostile import Hostile

DRIPS = ["drip_status", "drip_headers", "drip_body", "stall"]
DEADLINE = 1.5
SLACK = 1.0


def _timed(run: Callable[[], int]) -> tuple[int, float]:
    start = time.monotonic()
    code = run()
    return code, time.monotonic() - start


@pytest.mark.parametrize("mode", DRIPS)
def test_fetch(mode: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "snapshot.json"
    out.write_bytes(b"old\n")
    with Hostile(mode) as peer:
        code, took = _timed(lambda: main(["fetch", "--url", peer.url, "--out", str(out),
                                          "--deadline", str(DEADLINE)]))
    assert capsys.readouterr().err == (
        f"agno-docs fetch: error: {peer.url}{SUPPORT_MATRIX_PATH}: no complete answer within the 1.5 s "
        "deadline; check the runtime, or raise AGNO_RUNTIME_DEADLINE\n")
    assert (code, took < DEADLINE + SLACK) == (3, True), took
    assert out.read_bytes() == b"old\n" and os.listdir(tmp_path) == ["snapshot.json"]


@pytest.mark.parametrize("mode", DRIPS)
def test_api_source_require_live(mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The source of site builds and of readme/check --source api, in require-live mode."""
    readme = tmp_path / "R.md"
    readme.write_text("<!-- support-matrix:start -->\n<!-- support-matrix:end -->\n")
    monkeypatch.setenv("AGNO_RUNTIME_DEADLINE", str(DEADLINE))
    with Hostile(mode) as peer:
        code, took = _timed(lambda: main(["readme", str(readme), "--source", "api", "--url", peer.url,
                                          "--require-live"]))
    assert capsys.readouterr().err == (
        f"agno-docs readme: error: {peer.url}{SUPPORT_MATRIX_PATH}: no complete answer within the 1.5 s "
        "deadline; check the runtime, or raise AGNO_RUNTIME_DEADLINE\n")
    assert (code, took < DEADLINE + SLACK) == (3, True), took


@pytest.mark.parametrize("mode", DRIPS)
def test_telemetry_audit_timeout_is_total(mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Hostile(mode) as peer:
        code, took = _timed(lambda: main(["telemetry-audit", "--timeout", str(DEADLINE),
                                          peer.url + TELEMETRY_PATH]))
    assert capsys.readouterr().err == (
        f"agno-docs telemetry-audit: error: {peer.url}{TELEMETRY_PATH}: no complete answer within the 1.5 s "
        "deadline; check the runtime, or raise --timeout\n")
    assert (code, took < DEADLINE + SLACK) == (3, True), took


@pytest.mark.parametrize("mode", DRIPS)
def test_bench_submit_timeout_is_total(mode: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGNO_RUNTIME_TOKEN", raising=False)
    with Hostile(mode) as peer:
        code, took = _timed(lambda: main(["bench", "--go", str(DATA / "go-bench-multi.txt"), "--format",
                                          "json", "--timeout", str(DEADLINE), "--submit", peer.url]))
        assert peer.requests and peer.requests[0].startswith(b"POST " + BENCHMARKS_PATH.encode())
    err = capsys.readouterr().err
    if mode == "drip_body":  # the 200 status line says the POST was taken: its body is never read
        assert (code, err) == (0, f"agno-docs bench: submitted 4 benchmark(s) to {peer.url}"
                               f"{BENCHMARKS_PATH}\n")
    else:
        assert (code, err) == (3, f"agno-docs bench: error: {peer.url}{BENCHMARKS_PATH}: no complete answer "
                               "within the 1.5 s deadline; check the runtime, or raise --timeout\n")
    assert took < DEADLINE + SLACK, took


def test_a_slow_name_lookup_counts_against_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """``getaddrinfo`` has no timeout of its own: the lookup runs in a thread bounded by the deadline."""
    real = socket.getaddrinfo

    def slow(host: str, *args: object, **kw: object) -> object:
        if host == "runtime.example":
            time.sleep(5)
        return real(host, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    settings = Settings.from_env({}, source="api", runtime_url="http://runtime.example:8765", deadline=1.0,
                                 require_live=True, cache_dir=Path("/nonexistent/cache"))
    start = time.monotonic()
    with pytest.raises(SourceError) as info:
        load(settings)
    assert time.monotonic() - start < 1.0 + SLACK
    assert str(info.value) == ("http://runtime.example:8765/v1/runtime/go/support-matrix: no complete answer "
                               "within the 1 s deadline; check the runtime, or raise AGNO_RUNTIME_DEADLINE")


def test_an_environment_proxy_is_used_and_bounded_too(body: bytes, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY is honoured for a non-loopback runtime, through the same deadline backend."""
    for var in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    settings = Settings.from_env({}, source="api", runtime_url="http://runtime.example", deadline=DEADLINE,
                                 require_live=True, cache_dir=tmp_path / "cache")
    with RuntimeServer(body) as proxy:  # it serves absolute-form requests: a forward proxy of one runtime
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        assert load(settings).stale is None
        assert proxy.requests[0].path == SUPPORT_MATRIX_PATH
    with Hostile("drip_headers") as peer:
        monkeypatch.setenv("HTTP_PROXY", peer.url)
        start = time.monotonic()
        with pytest.raises(SourceError, match=r"no complete answer within the 1\.5 s deadline"):
            load(settings)
        assert time.monotonic() - start < DEADLINE + SLACK
        assert peer.requests[0].startswith(b"GET http://runtime.example/v1/runtime/go/support-matrix ")


@pytest.mark.parametrize(("value", "shown"), [("nan", "'nan'"), ("inf", "'inf'"), ("-1", "'-1'"),
                                              ("abc", "'abc'"), ("0", "'0'"), ("1e400", "'1e400'")])
def test_a_deadline_is_a_finite_positive_number(value: str, shown: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "s.json"
    assert main(["fetch", "--url", "http://127.0.0.1:9", "--out", str(out), "--deadline", value]) == 2
    assert capsys.readouterr().err == (
        f"agno-docs fetch: error: argument --deadline: {shown} is not a positive number of seconds; "
        "run `agno-docs fetch --help`\n")
    monkeypatch.setenv("AGNO_RUNTIME_DEADLINE", value)
    assert main(["fetch", "--url", "http://127.0.0.1:9", "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"agno-docs fetch: error: AGNO_RUNTIME_DEADLINE={shown} is not a positive number of seconds; "
        "use e.g. 10\n")
    for argv in (["telemetry-audit", "--timeout", value, "x.jsonl"], ["bench", "--timeout", value]):
        assert main(argv) == 2
        assert capsys.readouterr().err.count("\n") == 1
    assert not out.exists()

"""The reference server: the contract file, schemathesis against it, endpoints, binding rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from matrix.errors import SourceError, UsageError
from matrix.model import Benchmark, BenchSide
from matrix.server import OPENAPI_FILE, RuntimeServer, openapi_document, openapi_yaml
from matrix.sources import snapshot
from matrix.sources.api import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from tests import factories


def test_openapi_file_is_in_sync_with_the_model() -> None:
    on_disk = OPENAPI_FILE.read_text(encoding="utf-8")
    assert yaml.safe_load(on_disk) == openapi_document(), "regenerate it: python -m matrix.server"
    assert on_disk == openapi_yaml()


def test_openapi_response_schema_is_the_model_schema() -> None:
    from matrix.model import json_schema

    doc = openapi_document()
    ok = doc["paths"][SUPPORT_MATRIX_PATH]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/SupportMatrix"}
    defs = json.loads(json.dumps(json_schema()["$defs"]).replace("#/$defs/", "#/components/schemas/"))
    assert {k: doc["components"]["schemas"][k] for k in defs} == defs


def test_etag_and_conditional_get(server: RuntimeServer, body: bytes) -> None:
    url = server.url + SUPPORT_MATRIX_PATH
    r = httpx.get(url)
    assert (r.status_code, r.content, r.headers["etag"]) == (200, body, server.etag)
    r = httpx.get(url, headers={"If-None-Match": server.etag})
    assert (r.status_code, r.content) == (304, b"")
    r = httpx.get(url, headers={"If-None-Match": '"other"'})
    assert r.status_code == 200


def test_benchmarks_post_then_get(server: RuntimeServer) -> None:
    bench = Benchmark(name="BenchmarkAgentRun", go=BenchSide(metrics={"ns/op": 1200.0}))
    import msgspec

    r = httpx.post(server.url + BENCHMARKS_PATH, content=msgspec.json.encode([bench]))
    assert (r.status_code, r.json()) == (201, {"accepted": 1, "total": 1})
    got = msgspec.json.decode(httpx.get(server.url + BENCHMARKS_PATH).content, type=list[Benchmark])
    assert got == [bench]
    r = httpx.post(server.url + BENCHMARKS_PATH, content=b'[{"name": 3}]')
    assert r.status_code == 400
    assert r.json()["error"].startswith("not a list of benchmarks: Expected `str`, got `int`")


@pytest.fixture
def telemetry_server(body: bytes, tmp_path: Path) -> Iterator[RuntimeServer]:
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(json.dumps(e) for e in [
        {"sessionId": "s1", "runtime": "go", "event": "agent.run"},
        {"sessionId": "s1", "runtime": "python", "event": "agent.run"},
        {"session_id": "s2", "runtime": "go", "event": "tool.call"},
    ]) + "\n\n")
    with RuntimeServer(body, telemetry=events) as srv:
        yield srv


@pytest.mark.parametrize(("query", "events"), [
    ("", ["agent.run", "agent.run", "tool.call"]),
    ("?runtime=go", ["agent.run", "tool.call"]),
    ("?sessionId=s1&runtime=go", ["agent.run"]),
    ("?sessionId=s2", ["tool.call"]),
    ("?sessionId=nobody", []),
])
def test_telemetry_filters(telemetry_server: RuntimeServer, query: str, events: list[str]) -> None:
    r = httpx.get(telemetry_server.url + TELEMETRY_PATH + query)
    assert [e["event"] for e in r.json()] == events


def test_a_bad_telemetry_line_names_file_and_line(body: bytes, tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text('{"runtime": "go"}\n[1]\n')
    with pytest.raises(UsageError) as info:  # telemetry-audit's reader: not JSON events is exit 2
        RuntimeServer(body, telemetry=events)
    assert str(info.value) == f"{events}:2: not a JSON object; expected one JSON event per line"


@pytest.mark.parametrize(("method", "path", "code"), [
    ("GET", "/nope", 404), ("DELETE", SUPPORT_MATRIX_PATH, 405), ("POST", SUPPORT_MATRIX_PATH, 405),
])
def test_unknown_routes(server: RuntimeServer, method: str, path: str, code: int) -> None:
    assert httpx.request(method, server.url + path).status_code == code


def test_token_protects_every_endpoint(body: bytes) -> None:
    with RuntimeServer(body, token="t") as srv:
        for path in (SUPPORT_MATRIX_PATH, BENCHMARKS_PATH, TELEMETRY_PATH):
            assert httpx.get(srv.url + path).status_code == 401
            assert httpx.get(srv.url + path, headers={"Authorization": "Bearer t"}).status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1"])
def test_refuses_non_loopback(body: bytes, host: str) -> None:
    with pytest.raises(UsageError) as info:
        RuntimeServer(body, host=host)
    assert str(info.value) == (f"refusing to bind {host}: not a loopback address; the reference "
                               "server is for local previews and tests; pass --allow-remote to serve beyond "
                               "this machine")


def test_refuses_an_invalid_matrix() -> None:
    doc = json.loads(snapshot.encode(factories.small()))
    doc["modules"] = []
    with pytest.raises(SourceError, match=r"^m.json at \$: `modules` is empty"):
        RuntimeServer(json.dumps(doc).encode(), origin="m.json")


def test_bench_submit_posts_to_this_server(server: RuntimeServer) -> None:
    """The evidence helper's ``agno-docs bench --submit URL`` and this server agree on the contract."""
    from matrix.commands.bench import submit

    bench = Benchmark(name="BenchmarkToolCall", go=BenchSide(metrics={"ns/op": 80.0, "B/op": 16.0}))
    submit(server.url, (bench,), timeout=5)
    assert server.benchmarks == [bench]


def test_serve_runtime_cli_with_a_fault_flag(tmp_path: Path) -> None:
    """The command itself: loopback, a free port, the fault flags reach the server."""
    import re
    import subprocess
    import sys

    snap = tmp_path / "m.json"
    snapshot.dump(factories.small(), snap)
    proc = subprocess.Popen([sys.executable, "-m", "matrix.cli", "serve-runtime", "--matrix", str(snap),
                             "--port", "0", "--fault-status", "503", "--fault-retry-after", "120"],
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        m = re.fullmatch(rf"serving {re.escape(str(snap))} at (http://127\.0\.0\.1:\d+) \(GET "
                         r"/v1/runtime/go/support-matrix\); Ctrl-C stops\n", line)
        assert m, line
        r = httpx.get(m.group(1) + SUPPORT_MATRIX_PATH)
        assert (r.status_code, r.headers["retry-after"]) == (503, "120")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()

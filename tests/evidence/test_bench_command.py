"""``agno-docs bench``: the printed comparison, exit codes, and --submit over real loopback HTTP."""

from __future__ import annotations

import json
import socket

import msgspec
import pytest

from matrix import cli
from matrix.model import Benchmark
from matrix.server import RuntimeServer
from matrix.sources import snapshot
from tests import factories
from tests.evidence.conftest import DATA

GO = str(DATA / "go-bench-multi.txt")
PY = str(DATA / "python-bench.json")


@pytest.fixture(autouse=True)
def _no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGNO_RUNTIME_TOKEN", raising=False)


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bench", "--go", GO, "--python", PY]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["benchmark", "metric", "go", "python", "go/python"]
    assert out[1].split() == ["BenchmarkAgentCreation", "ns/op", "2,400", "50,000", "0.048\u00d7"]
    assert ["BenchmarkPythonOnly", "rows/s", "—", "1,200", "—"] in [line.split() for line in out]
    assert out[-1].startswith("Ratio = Go / Python. For ns/op, B/op and allocs/op below 1 means Go is faster")


def test_markdown_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bench", "--go", GO, "--python", PY, "--format", "markdown"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        "| benchmark | metric | Go | Python | Go/Python |",
        "|---|---|--:|--:|--:|",
        "| BenchmarkAgentCreation | ns/op | 2,400 | 50,000 | 0.048\u00d7 |",
    ]


def test_json_output_is_a_list_of_benchmarks(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["bench", "--go", GO, "--python", PY, "--format", "json"]) == 0
    decoded = msgspec.json.decode(capsys.readouterr().out, type=list[Benchmark])
    assert [b.name for b in decoded][:2] == ["BenchmarkAgentCreation", "BenchmarkAgentRun"]


@pytest.mark.parametrize(
    ("argv", "code", "err"),
    [
        (["bench"], 2, "agno-docs bench: error: nothing to compare; pass --go FILE and/or --python FILE\n"),
        (
            ["bench", "--go", "/nonexistent/go.txt"],
            3,
            "agno-docs bench: error: /nonexistent/go.txt: no such file; check the path\n",
        ),
        (
            ["bench", "--go", str(DATA / "go-bench-truncated.txt")],
            3,
            f"agno-docs bench: error: {DATA / 'go-bench-truncated.txt'}:5: "
            "the last benchmark line has no newline: the "
            "output was cut off; save the complete output of `go test -bench`\n",
        ),
        (
            ["bench", "--go", GO, "--submit", "ftp://x"],
            2,
            "agno-docs bench: error: --submit 'ftp://x' is not an http(s) URL; e.g. --submit http://127.0.0.1:8080\n",
        ),
    ],
)
def test_errors(capsys: pytest.CaptureFixture[str], argv: list[str], code: int, err: str) -> None:
    assert cli.main(argv) == code
    assert capsys.readouterr().err == err


def test_submit_to_the_reference_server(capsys: pytest.CaptureFixture[str]) -> None:
    with RuntimeServer(snapshot.encode(factories.small())) as srv:
        assert cli.main(["bench", "--go", GO, "--python", PY, "--submit", srv.url, "--format", "json"]) == 0
        err = capsys.readouterr().err
        assert err == f"agno-docs bench: submitted 5 benchmark(s) to {srv.url}/v1/runtime/go/benchmarks\n"
        import httpx

        stored = httpx.get(srv.url + "/v1/runtime/go/benchmarks", timeout=5).json()
    assert [b["name"] for b in stored] == [
        "BenchmarkAgentCreation",
        "BenchmarkAgentRun",
        "BenchmarkGoOnly",
        "BenchmarkPythonOnly",
        "BenchmarkStepHistory/with_history",
    ]
    assert stored[0]["ratios"]["ns/op"] == 0.048


def test_submit_sends_the_token_and_reports_refusals(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with RuntimeServer(snapshot.encode(factories.small()), token="s3cret-token") as srv:
        assert cli.main(["bench", "--go", GO, "--submit", srv.url]) == 3
        err = capsys.readouterr().err
        assert err == (
            f"agno-docs bench: error: {srv.url}/v1/runtime/go/benchmarks: POST answered HTTP 401 "
            "Unauthorized; check the URL and AGNO_RUNTIME_TOKEN\n"
        )
        monkeypatch.setenv("AGNO_RUNTIME_TOKEN", "s3cret-token")
        assert cli.main(["bench", "--go", GO, "--submit", srv.url + "/v1/runtime/go/benchmarks"]) == 0
        out, err = capsys.readouterr()
        assert "s3cret-token" not in out + err


def test_submit_to_a_refused_port(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert cli.main(["bench", "--go", GO, "--submit", f"http://127.0.0.1:{port}"]) == 3
    assert capsys.readouterr().err == (
        f"agno-docs bench: error: http://127.0.0.1:{port}/v1/runtime/go/benchmarks: "
        "connection refused; is the runtime running? check the --submit URL\n"
    )


def test_payload_round_trips_through_json() -> None:
    from matrix.commands.bench import payload
    from matrix.sources.benchmarks import pair, read_bench_file

    benches = pair(read_bench_file(GO), read_bench_file(PY))
    assert msgspec.json.decode(json.dumps(payload(benches)), type=list[Benchmark]) == list(benches)

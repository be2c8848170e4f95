"""Benchmark parsing (go test text as Go prints it, the Python JSON baseline), pairing and ratios."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from matrix.model import BenchEnv
from matrix.sources._evidence_io import EvidenceError
from matrix.sources.benchmarks import pair, parse_go_text, parse_python_json, read_bench_file, strip_procs
from matrix.sources.evidence import apply_evidence
from tests.evidence.conftest import DATA, sample_matrix


def test_multi_package_count_5_output() -> None:
    go = read_bench_file(DATA / "go-bench-multi.txt")
    assert list(go.sides) == [
        "BenchmarkAgentCreation",
        "BenchmarkAgentRun",
        "BenchmarkStepHistory/with_history",
        "BenchmarkGoOnly",
    ]
    creation = go.sides["BenchmarkAgentCreation"]
    assert creation.runs == 5
    # median of 2400, 2300, 2500, 2200, 9900 (one outlier does not move it)
    assert creation.metrics == {"ns/op": 2400.0, "B/op": 1200.0, "allocs/op": 14.0}
    assert creation.env == BenchEnv(
        goos="linux", goarch="amd64", cpu="Example CPU @ 2.00GHz", pkg="example.test/agnodocs/agent"
    )
    run = go.sides["BenchmarkAgentRun"]
    assert run.metrics["MB/s"] == 16.67  # custom metric after the standard ones
    step = go.sides["BenchmarkStepHistory/with_history"]
    assert step.metrics == {"ns/op": 11500.0, "ops/sec": 3050.0, "B/op": 2048.0, "allocs/op": 21.0}
    assert step.env is not None and step.env.pkg == "example.test/agnodocs/workflow"
    assert go.diagnostics == ()


def test_logged_output_and_failed_benchmark() -> None:
    go = read_bench_file(DATA / "go-bench-logged.txt")
    assert go.sides["BenchmarkNoisy"].metrics == {"ns/op": 4000.0, "B/op": 128.0, "allocs/op": 3.0}
    assert go.sides["BenchmarkNoisy"].env == BenchEnv(goos="darwin", goarch="arm64", pkg="example.test/logs")
    assert [(d.line, d.message) for d in go.diagnostics] == [
        (8, "BenchmarkBroken-10 produced no figures (failed or skipped)")
    ]


def test_same_name_in_two_packages_is_qualified() -> None:
    text = "pkg: a/one\nBenchmarkX-4 10 5 ns/op\npkg: a/two\nBenchmarkX-4 10 7 ns/op\n"
    go = parse_go_text(text, "t.txt")
    assert sorted(go.sides) == ["one.BenchmarkX", "two.BenchmarkX"]
    assert [d.message for d in go.diagnostics] == [
        "BenchmarkX appears in several packages; named one.BenchmarkX",
        "BenchmarkX appears in several packages; named two.BenchmarkX",
    ]


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("BenchmarkAgentRun-8", "BenchmarkAgentRun"),
        ("BenchmarkAgentRun", "BenchmarkAgentRun"),
        ("BenchmarkStep/size-10-16", "BenchmarkStep/size-10"),
    ],
)
def test_strip_procs(name: str, base: str) -> None:
    assert strip_procs(name) == base


GO_BAD = [
    (
        "BenchmarkX-8   1000\n",
        1,
        "a benchmark line without an iteration count and figures; expected "
        "`BenchmarkName-8  1000  123 ns/op ...`; is the output truncated?",
    ),
    (
        "BenchmarkX-8 1000 12 ns/op 5\n",
        1,
        "figures must come in `value unit` pairs, got 3 token(s); is the line truncated?",
    ),
    ("BenchmarkX-8 1000 abc ns/op\n", 1, "'abc' before unit 'ns/op' is not a number"),
    (
        "PASS\nBenchmarkX-8 1000 12 ns/op 64 B/o",
        2,
        "the last benchmark line has no newline: the output was cut "
        "off; save the complete output of `go test -bench`",
    ),
    ("goos: linux\nBenchmarkX-8\n", 2, "benchmark BenchmarkX-8 has no figures; is the output truncated?"),
]


@pytest.mark.parametrize(("text", "line", "message"), GO_BAD, ids=[g[2][:30] for g in GO_BAD])
def test_go_text_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(EvidenceError) as exc:
        parse_go_text(text, "bench.txt")
    assert str(exc.value) == f"bench.txt:{line}: {message}"


def test_no_results_at_all() -> None:
    with pytest.raises(EvidenceError) as exc:
        parse_go_text("?   \texample.test/x\t[no test files]\nPASS\n", "empty.txt")
    assert str(exc.value) == (
        "empty.txt: no benchmark results found; save the output of "
        "`go test -bench . -benchmem ./...` to this file"
    )


def test_python_json_baseline() -> None:
    py = read_bench_file(DATA / "python-bench.json")
    assert py.measured_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    creation = py.sides["BenchmarkAgentCreation"]
    assert (creation.runs, creation.metrics["ns/op"]) == (3, 50000.0)
    assert creation.env == BenchEnv(
        python="3.12.7", goos="linux", goarch="x86_64", cpu="Example CPU @ 2.00GHz"
    )


def test_python_baseline_in_go_text_format() -> None:
    py = read_bench_file(DATA / "python-bench-gotext.txt")
    assert py.sides["BenchmarkAgentRun"].metrics == {"ns/op": 240000.0, "B/op": 40960.0, "allocs/op": 500.0}


PY_BAD = [
    ('{"benchmarks": [', "py.json:1: not valid JSON: Expecting value (column 17); is the file truncated?"),
    (
        '{"format": "other/2", "benchmarks": []}',
        'py.json:1 at $.format: expected agno-python-bench/1, got "other/2"',
    ),
    ('{"benchmarks": []}', "py.json:1 at $.benchmarks: expected a non-empty list"),
    (
        '{"benchmarks": [{"name": "B", "metrics": {"ns/op": "fast"}}]}',
        'py.json:1 at $.benchmarks[0].metrics.ns/op: expected a finite number, got "fast"',
    ),
    (
        '{"benchmarks": [{"name": "B"}]}',
        "py.json:1 at $.benchmarks[0]: a benchmark needs either `metrics` or `runs`",
    ),
    (
        '{"benchmarks": [{"name": "B", "metrics": {"x": 1}, "runs": [{"x": 1}]}]}',
        "py.json:1 at $.benchmarks[0]: a benchmark needs either `metrics` or `runs`",
    ),
    (
        '{"benchmarks": [{"name": "B", "runs": []}]}',
        "py.json:1 at $.benchmarks[0].runs: expected a non-empty list",
    ),
    (
        '{"benchmarks": [{"name": "B-8", "metrics": {"x": 1}}, {"name": "B", "metrics": {"x": 1}}]}',
        "py.json:1 at $.benchmarks[1].name: benchmark 'B' is listed twice",
    ),
    (
        '{"measured_at": "noon", "benchmarks": [{"name": "B", "metrics": {"x": 1}}]}',
        'py.json:1 at $.measured_at: expected an ISO 8601 time (`date -Iseconds`), got "noon"',
    ),
    # Written as a person writes it: one value a line, so the error names the line.
    (
        '{\n  "benchmarks": [\n    {"name": "A", "metrics": {"ns/op": 1}},\n'
        '    {"name": "B", "runs": [\n      {"ns/op": 2},\n      {"ns/op": true}\n    ]}\n  ]\n}\n',
        "py.json:6 at $.benchmarks[1].runs[1].ns/op: expected a finite number, got true",
    ),
    (
        '{"benchmarks": [{"name": "B",\n "metrics": {"ns/op": NaN}}]}',
        "py.json:2 at $.benchmarks[0].metrics.ns/op: expected a finite number, got NaN",
    ),
    (
        '{"benchmarks": [{"name": "B",\n "metrics": {"ns/op": 1e400}}]}',
        "py.json:2 at $.benchmarks[0].metrics.ns/op: expected a finite number, got Infinity",
    ),
    (
        '{"env": {"python": 3.12}, "benchmarks": [{"name": "B", "metrics": {"x": 1}}]}',
        "py.json:1 at $.env.python: expected a string, got a number",
    ),
    ("[1]", "py.json:1 at $: expected a mapping, got a list"),
    ('{"benchmarks": [' + "[" * 100_000, "py.json: not valid JSON: nested too deeply"),
]


@pytest.mark.parametrize(("text", "message"), PY_BAD, ids=[p[1][:30] for p in PY_BAD])
def test_python_json_errors(text: str, message: str) -> None:
    with pytest.raises(EvidenceError) as exc:
        parse_python_json(text, "py.json")
    assert str(exc.value) == message


def test_pairing_ratios_and_one_sided_benchmarks() -> None:
    benches = {
        b.name: b
        for b in pair(
            read_bench_file(DATA / "go-bench-multi.txt"), read_bench_file(DATA / "python-bench.json")
        )
    }
    assert sorted(benches) == [
        "BenchmarkAgentCreation",
        "BenchmarkAgentRun",
        "BenchmarkGoOnly",
        "BenchmarkPythonOnly",
        "BenchmarkStepHistory/with_history",
    ]
    assert benches["BenchmarkAgentCreation"].ratios == {
        "ns/op": 0.048,
        "B/op": 0.133333,
        "allocs/op": 0.116667,
    }
    # allocs/op only on the Go side, MB/s on both, a custom unit only on the Python side
    assert benches["BenchmarkAgentRun"].ratios == {"ns/op": 0.25, "B/op": 0.2, "MB/s": 4.065854}
    assert benches["BenchmarkGoOnly"].python is None and benches["BenchmarkGoOnly"].ratios == {}
    assert benches["BenchmarkPythonOnly"].go is None and benches["BenchmarkPythonOnly"].ratios == {}
    # Each side keeps its own environment.
    run = benches["BenchmarkAgentRun"]
    assert run.go is not None and run.go.env is not None and run.go.env.goarch == "amd64"
    assert run.python is not None and run.python.env is not None and run.python.env.python == "3.12.7"


def test_zero_python_value_has_no_ratio(tmp_path: Path) -> None:
    go = parse_go_text("BenchmarkZ-8 10 5 ns/op 0 allocs/op\n", "g")
    py = parse_python_json(
        '{"benchmarks": [{"name": "BenchmarkZ", "metrics": {"ns/op": 10, "allocs/op": 0}}]}', "p"
    )
    (b,) = pair(go, py)
    assert b.ratios == {"ns/op": 0.5}


def test_apply_evidence_with_one_side_only() -> None:
    out = apply_evidence(sample_matrix(), bench_go=DATA / "go-bench-logged.txt")
    assert [(b.name, b.python, b.ratios) for b in out.benchmarks] == [("BenchmarkNoisy", None, {})]
    assert [d.message for d in out.diagnostics] == [
        "BenchmarkBroken-10 produced no figures (failed or skipped)"
    ]

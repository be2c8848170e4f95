"""Measure the evidence readers on generated inputs (written here, in the real formats).

    .venv/bin/python bench/evidence.py [--packages 100] [--benchmarks 20] [--count 5]
                                       [--events 50000] [--repeat 5]

* ``go test -bench`` text: ``packages`` x ``benchmarks`` x ``count`` result lines, with the
  headers, ``PASS``/``ok`` and ``[no test files]`` lines Go prints; parsed and paired with a
  Python baseline of the same names.
* telemetry: ``events`` JSON lines, one in ten carrying a secret; read and audited.

Prints the median wall time of ``repeat`` in-process runs and the throughput. Not a pytest
test and no target: figures for the report, measured on this machine (which may be shared:
the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matrix.sources.benchmarks import pair, parse_go_text, parse_python_json
from matrix.telemetry import audit, parse_lines


def go_output(packages: int, benchmarks: int, count: int) -> str:
    lines: list[str] = []
    for p in range(packages):
        if p % 4 == 3:
            lines.append(f"?   \texample.test/bench/p{p}\t[no test files]")
            continue
        lines += [
            "goos: linux",
            "goarch: amd64",
            f"pkg: example.test/bench/p{p}",
            "cpu: Example CPU @ 2.00GHz",
        ]
        for b in range(benchmarks):
            for c in range(count):
                ns = 1000 + 37 * b + c
                lines.append(
                    f"BenchmarkP{p}Case{b}-8   \t  100000\t      {ns} ns/op\t    {64 * b} B/op\t"
                    f"      {b} allocs/op\t  {ns / 100:.2f} MB/s"
                )
        lines += ["PASS", f"ok  \texample.test/bench/p{p}\t1.234s"]
    return "\n".join(lines) + "\n"


def python_baseline(packages: int, benchmarks: int) -> str:
    items = [
        {"name": f"BenchmarkP{p}Case{b}", "metrics": {"ns/op": 40000 + b, "B/op": 900 + b, "MB/s": 4.0}}
        for p in range(packages)
        if p % 4 != 3
        for b in range(benchmarks)
    ]
    return json.dumps({"format": "agno-python-bench/1", "benchmarks": items})


def events(n: int) -> str:
    out = []
    for i in range(n):
        data: dict[str, object] = {"model": "m", "input_tokens": i, "tools": ["calculator", "search"]}
        if i % 10 == 0:
            data["config"] = {"api_key": "sk-" + "B" * 40}
        out.append(json.dumps({"event": "agent.run", "runtime": "go", "session_id": f"s{i}", "data": data}))
    return "\n".join(out) + "\n"


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packages", type=int, default=100)
    ap.add_argument("--benchmarks", type=int, default=20)
    ap.add_argument("--count", type=int, default=5)
    ap.add_argument("--events", type=int, default=50000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    go_text = go_output(args.packages, args.benchmarks, args.count)
    py_text = python_baseline(args.packages, args.benchmarks)
    ev_text = events(args.events)
    n_lines = go_text.count("\n")

    def compare() -> int:
        return len(pair(parse_go_text(go_text, "go.txt"), parse_python_json(py_text, "py.json")))

    def audit_all() -> int:
        return len(audit(parse_lines(ev_text, "events.jsonl")))

    t_go, n_bench = median_time(compare, args.repeat), compare()
    t_ev, findings = median_time(audit_all, args.repeat), audit_all()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  (2 cores, shared)")
    print(
        f"go test -bench text: {n_lines} lines, {n_bench} paired benchmarks: median {t_go * 1000:.1f} ms "
        f"({n_lines / t_go:,.0f} lines/s) over {args.repeat} runs"
    )
    print(
        f"telemetry audit: {args.events} events, {findings} findings: median {t_ev * 1000:.1f} ms "
        f"({args.events / t_ev:,.0f} events/s) over {args.repeat} runs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

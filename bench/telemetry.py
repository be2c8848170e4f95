"""Measure ``agno-docs telemetry-audit`` on hostile values: the reliability review's ReDoS inputs
(rows 126-127) and 1 MB values built against each detector.

    .venv/bin/python bench/telemetry.py [--repeat 3] [--only NAME]

Each input is one JSON line ``{"event": "x", "runtime": "go", "note": <value>}``. Printed per input:
the median wall time and CPU time (user + sys) of the whole CLI process (interpreter start-up
included, as a user sees it), the median of one in-process ``audit`` + ``redact`` of the event, and
the number of findings. Target: every input under 1 s of CLI wall time. Not a pytest test; the
machine may be shared (the load average is printed: under load, compare CPU with wall). Exit 0 when
every median meets the target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matrix.telemetry import Event, audit, redact

TARGET = 1.0
CLI = [sys.executable, "-m", "matrix.cli", "telemetry-audit"]
MB = 1_000_000


def _fill(unit: str, size: int = MB) -> str:
    return (unit * (size // len(unit) + 1))[:size]


INPUTS: dict[str, str] = {
    "row 126: 'a.' x 5000 (10 KB)": "a." * 5_000,
    "row 126: 'a.' x 40000 (80 KB)": "a." * 40_000,
    "row 127: 'user.name' x 100000 (900 KB)": "user.name" * 100_000,
    "'a.' 1 MB": _fill("a."),
    "'a@' 1 MB": _fill("a@"),
    "'x@a.bc ' 1 MB (e-mail addresses)": _fill("x@a.bc "),
    "'@a.a.a.a.a.a.a.a.a.a1' 1 MB": _fill("@a.a.a.a.a.a.a.a.a.a1"),
    "'sk-' 1 MB": _fill("sk-"),
    "one 1 MB token": "sk-" + "a" * MB,
    "'eyJ' 1 MB": _fill("eyJ"),
    "'password=a ' 1 MB": _fill("password=a "),
    "'pass=x&' 1 MB (harmless pairs)": _fill("pass=x&"),
    "'token' 1 MB": _fill("token"),
    "PEM headers without END, 1 MB": _fill("-----BEGIN RSA PRIVATE KEY-----"),
    "base64 words, 1 MB": _fill("QUFBQUFBQUFBQUFBQUFBQQ== "),
    "'a://b:c@' 1 MB (URL userinfo)": _fill("a://b:c@"),
    "'Basic QUFBQUFBQUE= ' 1 MB": _fill("Basic QUFBQUFBQUE= "),
}


def _cli(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``telemetry-audit`` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([*CLI, str(path)], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{path}: exit {done.returncode}: {done.stderr.strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _in_process(value: str) -> tuple[float, int]:
    event = Event("x", {"event": "x", "runtime": "go", "note": value})
    started = time.perf_counter()
    findings = audit([event])
    redact(event.data)
    return time.perf_counter() - started, len(findings)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", help="run the inputs whose name contains this text")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}; target < {TARGET:.1f} s per input")
    print(f"{'input':45} {'CLI wall':>9} {'CLI CPU':>8} {'in-process':>11} {'findings':>9}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, value in INPUTS.items():
            if args.only and args.only not in name:
                continue
            path = Path(tmp) / "events.jsonl"
            line = json.dumps({"event": "x", "runtime": "go", "note": value})
            path.write_text(line + "\n", encoding="utf-8")
            runs = [_cli(path) for _ in range(args.repeat)]
            inner = [_in_process(value) for _ in range(args.repeat)]
            wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
            worst = max(worst, wall)
            inside = statistics.median(t for t, _ in inner)
            print(f"{name:45} {wall:8.2f}s {cpu:7.2f}s {inside:10.3f}s {inner[0][1]:9d}")
    print(f"slowest CLI median: {worst:.2f} s ({'meets' if worst < TARGET else 'misses'} the target)")
    return 0 if worst < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

"""Measure ``agno-docs compute`` on real trees: cold (empty cache) x3, warm (nothing changed) x5.

    .venv/bin/python bench/compute.py [--python-root /tmp/trees/agno] [--go-root /tmp/trees/agno-go]
                                     [--cold 3] [--warm 5]

Wall time is the whole CLI process (interpreter start-up included), as a user sees it.
Also printed: CPU time (user+sys of the process and its forked child), the load average
(the machine may be shared: compare CPU with wall), and the per-phase timings of one
in-process cold and warm run. Targets (issue 2, part 7): cold <= 1.0 s, warm <= 0.15 s.
Not a pytest test: exit 0 when both medians pass, 1 otherwise.

Bytecode: a normal installation runs from cached ``.pyc`` files. This environment may set
``PYTHONDONTWRITEBYTECODE=1`` (every process then recompiles the package, ~30 ms); by default
the bench points ``PYTHONPYCACHEPREFIX`` at its temporary folder (nothing is written into the
checkout) and primes it with one untimed run. ``--no-bytecode`` measures without it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_TARGET = 1.0
WARM_TARGET = 0.15
CLI = [sys.executable, "-m", "matrix.cli"]


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _phases(py: str, go: str, cache: Path) -> None:
    from matrix.sources.scan import scan

    for label in ("cold", "warm"):
        timings = scan(py, go, cache_dir=cache, quiet=True).timings
        phases = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.phases.items())
        print(f"  phases ({label}, in-process): {phases}")
    counts = ", ".join(f"{k} {v}" for k, v in timings.counts.items())
    print(f"  counts: {counts}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python-root", default="/tmp/trees/agno")
    ap.add_argument("--go-root", default="/tmp/trees/agno-go")
    ap.add_argument("--cold", type=int, default=3)
    ap.add_argument("--warm", type=int, default=5)
    ap.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is")
    args = ap.parse_args()
    for root in (args.python_root, args.go_root):
        if not Path(root).is_dir():
            print(f"bench/compute.py: {root}: no such folder; pass --python-root/--go-root", file=sys.stderr)
            return 2
    env = {**os.environ, "CI": "1"}
    env.pop("AGNO_DOCS_CACHE", None)
    tmp = Path(tempfile.mkdtemp(prefix="agno-docs-bench-"))
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    try:
        out = tmp / "matrix.json"
        base = [
            *CLI,
            "compute",
            "--python-root",
            args.python_root,
            "--go-root",
            args.go_root,
            "--out",
            str(out),
            "--quiet",
        ]
        _run([*base, "--no-cache"], env)  # untimed: primes the bytecode cache (if any) and the OS file cache
        cold: list[tuple[float, float]] = []
        for i in range(args.cold):
            cold.append(_run([*base, "--cache-dir", str(tmp / f"cold{i}")], env))
        warm_dir = tmp / "warm"
        _run([*base, "--cache-dir", str(warm_dir)], env)  # prime
        warm = [_run([*base, "--cache-dir", str(warm_dir)], env) for _ in range(args.warm)]
        load = os.getloadavg()[0]
        cold_med = statistics.median(w for w, _ in cold)
        warm_med = statistics.median(w for w, _ in warm)
        ok_cold = cold_med <= COLD_TARGET
        ok_warm = warm_med <= WARM_TARGET
        print(
            f"agno-docs compute on {args.python_root} + {args.go_root} ({os.cpu_count()} CPUs, "
            f"load average {load:.2f})"
        )
        print(
            f"  cold x{len(cold)}: median {cold_med:.3f} s wall "
            f"(runs {', '.join(f'{w:.3f}' for w, _ in cold)}; CPU median "
            f"{statistics.median(c for _, c in cold):.3f} s)  target <= {COLD_TARGET} s  "
            f"{'PASS' if ok_cold else 'FAIL'}"
        )
        print(
            f"  warm x{len(warm)}: median {warm_med:.3f} s wall "
            f"(runs {', '.join(f'{w:.3f}' for w, _ in warm)}; CPU median "
            f"{statistics.median(c for _, c in warm):.3f} s)  target <= {WARM_TARGET} s  "
            f"{'PASS' if ok_warm else 'FAIL'}"
        )
        _phases(args.python_root, args.go_root, tmp / "phases")
        return 0 if ok_cold and ok_warm else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())

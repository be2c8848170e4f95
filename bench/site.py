"""Site speed bench: full build time.

    .venv/bin/python bench/site.py [--snapshot FILE] [--builds 3]

``mkdocs build --strict`` of the whole site from the snapshot, as a user runs it (a fresh
process, so imports count), into a fresh directory each time: median of ``--builds`` runs.
Target: at most 4 s on a 2-core machine. The pages in the browser (load, and input to next paint
on the support matrix, the cookbook index and Not yet in Go, at 1x and 10x modules) are measured
by ``bench/matrix_page.py``.

Prints the figures and PASS/FAIL per target; exits 1 when a target fails, 2 when it cannot run.
Not a test: figures depend on the machine, so they are reported, never asserted in the suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_TARGET_S = 4.0


def _env(snapshot: str | None) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if snapshot:
        env["AGNO_MATRIX_SNAPSHOT"] = snapshot
    return env


def build_once(out: Path, snapshot: str | None) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=ROOT, env=_env(snapshot), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        output = (proc.stderr + proc.stdout).splitlines()
        lines = [ln for ln in output if ln.strip() and not ln.startswith("INFO")]
        raise SystemExit(f"bench/site.py: mkdocs build --strict failed (exit {proc.returncode}): "
                         f"{' | '.join(lines[-3:])}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--snapshot", help="matrix snapshot to build from (default: the site's own source)")
    ap.add_argument("--builds", type=int, default=3, help="full builds to time (median)")
    args = ap.parse_args(argv)

    ok = True
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start"
          " (figures are wall-clock: other work on the machine inflates them)")
    with tempfile.TemporaryDirectory(prefix="agno-bench-") as tmp:
        times = [build_once(Path(tmp) / f"site{i}", args.snapshot) for i in range(args.builds)]
        build = statistics.median(times)
        passed = build <= BUILD_TARGET_S
        ok &= passed
        print(f"build  : mkdocs build --strict, median of {len(times)}: {build:.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)}; target <= {BUILD_TARGET_S:.0f} s, "
              f"{os.cpu_count()} CPUs) {'PASS' if passed else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

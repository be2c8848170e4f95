"""Measure ``agno-docs compute`` on the real trees, each figure beside a floor measured in the same round.

    .venv/bin/python bench/compute.py [--python-root /tmp/trees/agno] [--go-root /tmp/trees/agno-go]
                                     [--rounds 7] [--no-bytecode] [--skip-identity]

Each round runs, in a fresh process each and in an order that rotates from round to round:

* ``read``: a Python process that lists the same files (library, cookbook, Go) and reads every byte:
  the floor of a scan that looks at the trees at all;
* ``cold``: ``compute`` with an empty cache, as it decides by itself (one worker process when there
  is enough to extract and a second CPU is idle); ``cold-1p``: the same in one process
  (``AGNO_DOCS_WORKERS=0``); ``cold-w``: always with the worker (``AGNO_DOCS_WORKERS=1``);
* ``warm``: ``compute`` with a cache an untimed run just filled (nothing changed since): the
  express path (``matrix/commands/_express.py``: the stat of every watched path compared, the
  recorded output written again), as a second run of ``scripts/recompute.sh`` or CI meets it;
* ``spin``: what two CPUs give here: a CPU-bound Python loop alone, then two copies of it at once.
  Twice the work in the pair's time against once in the loop's own is the machine's two-process
  throughput (2.0x on two free cores; less where the two vCPUs share a core or the host is busy).
  The one-process cold run divided by it is the best any split of the same work across two processes
  could reach, a bound for the cold target that only less work moves.

Wall time is the whole CLI process (interpreter start-up included), as a user sees it; CPU is
user+sys of the process and its children. The machine may be shared: ratios are taken within a
round (``cold / read`` of the same round) and their median reported, beside the absolute medians
and the load average. Targets (issue 15): cold <= 0.6 s, warm <= 0.1 s wall, on 2 cores.

Before timing, the output is checked: ``compute --history`` with the committed snapshot's commits
must reproduce ``matrix/data/snapshot.json`` byte for byte apart from ``generated_at``, with and
without the worker process, and when replayed by the express path (``--skip-identity`` skips
it). Not a pytest test: exit 0 when both medians meet their targets and the output is identical,
1 otherwise, 2 on bad arguments.

Bytecode: a normal installation runs from cached ``.pyc`` files. This environment may set
``PYTHONDONTWRITEBYTECODE=1`` (every process then recompiles the package, ~30 ms); by default
the bench points ``PYTHONPYCACHEPREFIX`` at its temporary folder (nothing is written into the
checkout) and primes it with one untimed run. ``--no-bytecode`` measures without it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_TARGET = 0.6
WARM_TARGET = 0.1
HERE = Path(__file__).resolve().parent.parent
SNAPSHOT = HERE / "matrix" / "data" / "snapshot.json"
HISTORY = HERE / "matrix" / "data" / "history"
CLI = [sys.executable, "-m", "matrix.cli"]

# The floor: list the same files the scan reads and read their bytes (no parsing, no cache).
READ = r"""
import os, sys
n = 0
for top, suffix in ((sys.argv[1] + "/libs/agno/agno", ".py"), (sys.argv[1] + "/cookbook", ".py"),
                    (sys.argv[2] + "/pkg", ".go"), (sys.argv[2] + "/internal", ".go")):
    for d, dirs, files in os.walk(top):
        dirs[:] = [x for x in dirs if not x.startswith(".") and x != "__pycache__"]
        for f in files:
            if f.endswith(suffix):
                with open(os.path.join(d, f), "rb") as fh:
                    n += len(fh.read())
print(n)
"""


#: A CPU-bound loop (about 0.3 s), for the machine's two-process throughput.
SPIN = "s = 0\nfor i in range(2_500_000):\n    s += i * i % 7\n"


def _spin(env: dict[str, str]) -> tuple[float, float]:
    """The loop alone, then two copies at once: (alone, pair) wall seconds."""
    cmd = [sys.executable, "-c", SPIN]
    alone = _run(cmd, env)[0]
    t0 = time.perf_counter()
    procs = [subprocess.Popen(cmd, env=env) for _ in range(2)]
    if any(p.wait() for p in procs):
        raise SystemExit("bench/compute.py: the CPU loop failed")
    return alone, time.perf_counter() - t0


def _throughput(spins: list[tuple[float, float]]) -> list[float]:
    """Two processes' throughput against one, per round (2 x alone / pair)."""
    return [2 * alone / pair for alone, pair in spins]


def _floor(got: dict[str, list[tuple[float, float]]]) -> tuple[list[float], float]:
    """The rounds' two-process throughputs, and the one-process cold run's median divided by theirs: the
    best a split of the same work across two processes could reach."""
    two = _throughput(got["spin"])
    return two, statistics.median(w for w, _ in got["cold-1p"]) / statistics.median(two)


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _strip(data: bytes) -> bytes:
    return re.sub(rb'"generated_at": "[^"]*"', b"", data)


def _identity(py: str, go: str, tmp: Path, env: dict[str, str]) -> bool:
    """compute --history with the snapshot's commits reproduces the committed snapshot (but generated_at)."""
    snap = json.loads(SNAPSHOT.read_bytes())
    commits = ["--python-commit", snap["baseline"]["commit"], "--go-commit", snap["runtime"]["commit"]]
    ok = True
    for label, workers in (("one process", "0"), ("with the worker", "1")):
        out = tmp / f"identity-{workers}.json"
        cmd = [*CLI, "compute", "--python-root", py, "--go-root", go, "--history", str(HISTORY), *commits,
               "--no-cache", "--quiet", "--out", str(out)]
        subprocess.run(cmd, check=True, env={**env, "AGNO_DOCS_WORKERS": workers})
        ok = _same(out, label) and ok
    out = tmp / "identity-replayed.json"
    cmd = [*CLI, "compute", "--python-root", py, "--go-root", go, "--history", str(HISTORY), *commits,
           "--cache-dir", str(tmp / "identity-cache"), "--quiet", "--out", str(out)]
    for _ in range(2):  # the second run is the express path's
        subprocess.run(cmd, check=True, env=env)
    return _same(out, "replayed by the express path") and ok


def _same(out: Path, label: str) -> bool:
    same = _strip(out.read_bytes()) == _strip(SNAPSHOT.read_bytes())
    verdict = "identical to" if same else "DIFFERS from"
    print(f"  output ({label}): {verdict} {SNAPSHOT.relative_to(HERE)} apart from generated_at")
    return same


def _phases(py: str, go: str, cache: Path) -> None:
    from matrix.sources.scan import scan

    for label in ("cold", "warm"):
        timings = scan(py, go, cache_dir=cache, quiet=True).timings
        phases = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in timings.phases.items())
        print(f"  phases ({label}, in-process): {phases}")
    counts = ", ".join(f"{k} {v}" for k, v in timings.counts.items())
    print(f"  counts: {counts}")


def _line(name: str, runs: list[tuple[float, float]], floor: list[tuple[float, float]] | None,
          target: float | None) -> str:
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    text = f"  {name:8} wall median {wall:.3f} s (min {min(w for w, _ in runs):.3f}), CPU {cpu:.3f} s"
    if floor is not None:
        ratios = [w / f for (w, _), (f, _) in zip(runs, floor, strict=True)]
        cpu_ratios = [c / f for (_, c), (_, f) in zip(runs, floor, strict=True)]
        text += (f"; x read: wall {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f}), "
                 f"CPU {statistics.median(cpu_ratios):.2f}")
    if target is not None:
        text += f"  target <= {target} s {'PASS' if wall <= target else 'FAIL'}"
    return text


def _write_json(path: Path, got: dict[str, list[tuple[float, float]]], identical: bool, load_start: float,
                rounds: int) -> None:
    from bench import results

    def ratio(kind: str) -> str:
        ratios = [w / f for (w, _), (f, _) in zip(got[kind], got["read"], strict=True)]
        read = statistics.median(w for w, _ in got["read"])
        return (f"{results.span(ratios, unit='x')} reading the same files' bytes ({read:.3f} s), "
                f"{rounds} rounds")

    def measured(kind: str) -> str:
        walls, cpu = [w for w, _ in got[kind]], statistics.median(c for _, c in got[kind])
        return (f"{results.span(walls, '{:.3f}', ' s')}, CPU {cpu:.3f} s"
                + ("" if identical else "; OUTPUT DIFFERS from the committed snapshot"))

    cold = statistics.median(w for w, _ in got["cold"])
    warm = statistics.median(w for w, _ in got["warm"])
    two, bound = _floor(got)
    split = [c / s for (c, _), (s, _) in zip(got["cold"], got["cold-1p"], strict=True)]
    rows = [
        results.row("`compute` cold (empty cache) on the real trees, CLI wall", f"<= {COLD_TARGET} s",
                    measured("cold"), ratio("cold"), identical and cold <= COLD_TARGET),
        results.row("`compute` cold in one process (`AGNO_DOCS_WORKERS=0`), same conditions", "-",
                    measured("cold-1p"),
                    f"the default (with the worker) takes {results.span(split, unit='x')} of it, per round"),
        results.row("two CPUs on this machine: a CPU-bound loop run twice at once against once (the best a "
                    "two-process split can do)", "-",
                    f"{results.span(two, unit='x')} one CPU's throughput",
                    f"one-process cold / that: {bound:.3f} s, the floor for "
                    "this much work on two processes here"),
        results.row("`compute` warm (nothing changed: the express path), CLI wall", f"<= {WARM_TARGET} s",
                    measured("warm"), ratio("warm"), identical and warm <= WARM_TARGET),
    ]
    raw = {k: [list(x) for x in v] for k, v in got.items()}
    results.write(path, "compute", rows, load_start, raw)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--python-root", default="/tmp/trees/agno")
    ap.add_argument("--go-root", default="/tmp/trees/agno-go")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is")
    ap.add_argument("--skip-identity", action="store_true", help="do not check the output first")
    ap.add_argument("--json", type=Path, help="also write the figures here (bench/results.py format)")
    args = ap.parse_args()
    load_start = os.getloadavg()[0]
    for root in (args.python_root, args.go_root):
        if not Path(root).is_dir():
            print(f"bench/compute.py: {root}: no such folder; pass --python-root/--go-root", file=sys.stderr)
            return 2
    env = {**os.environ, "CI": "1"}
    for var in ("AGNO_DOCS_CACHE", "AGNO_DOCS_WORKERS"):
        env.pop(var, None)
    tmp = Path(tempfile.mkdtemp(prefix="agno-docs-bench-"))
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    py, go = args.python_root, args.go_root
    try:
        out = str(tmp / "m.json")
        base = [*CLI, "compute", "--python-root", py, "--go-root", go, "--out", out, "--quiet"]
        _run([*base, "--no-cache"], env)  # untimed: primes the bytecode cache and the OS file cache
        identical = True if args.skip_identity else _identity(py, go, tmp, env)
        one, two = {**env, "AGNO_DOCS_WORKERS": "0"}, {**env, "AGNO_DOCS_WORKERS": "1"}
        kinds = {
            "read": lambda i: _run([sys.executable, "-c", READ, py, go], env),
            "cold": lambda i: _run([*base, "--cache-dir", str(tmp / f"c{i}")], env),
            "cold-1p": lambda i: _run([*base, "--cache-dir", str(tmp / f"s{i}")], one),
            "cold-w": lambda i: _run([*base, "--cache-dir", str(tmp / f"p{i}")], two),
            "warm": lambda i: _run([*base, "--cache-dir", str(tmp / f"w{i}")], env),
        }
        order = list(kinds)
        got: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
        got["spin"] = []
        for i in range(args.rounds):
            _run([*base, "--cache-dir", str(tmp / f"w{i}")], env)  # untimed: the warm run's cache
            for k in order[i % len(order):] + order[: i % len(order)]:
                got[k].append(kinds[k](i))
            got["spin"].append(_spin(env))
        load = os.getloadavg()
        print(f"agno-docs compute on {py} + {go} ({os.cpu_count()} CPUs, load average "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.rounds} rounds, medians)")
        print(_line("read", got["read"], None, None))
        print(_line("cold", got["cold"], got["read"], COLD_TARGET))
        print(_line("cold-1p", got["cold-1p"], got["read"], None))
        print(_line("cold-w", got["cold-w"], got["read"], None))
        print(_line("warm", got["warm"], got["read"], WARM_TARGET))
        pairs = [c / s for (c, _), (s, _) in zip(got["cold-w"], got["cold-1p"], strict=True)]
        print(f"  cold with the worker / in one process, per round: {statistics.median(pairs):.2f} "
              f"({min(pairs):.2f}-{max(pairs):.2f})")
        two, bound = _floor(got)
        print(f"  two CPUs: two CPU-bound processes at once give {statistics.median(two):.2f}x one's "
              f"throughput ({min(two):.2f}-{max(two):.2f}); cold in one process / that: {bound:.3f} s, the "
              "best a split of the same work across two processes could reach")
        _phases(py, go, tmp / "phases")
        cold = statistics.median(w for w, _ in got["cold"])
        warm = statistics.median(w for w, _ in got["warm"])
        if args.json:
            _write_json(args.json, got, identical, load_start, args.rounds)
        return 0 if identical and cold <= COLD_TARGET and warm <= WARM_TARGET else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())

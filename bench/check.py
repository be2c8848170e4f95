"""Measure ``agno-docs check`` on the project's docs, against ``python -c pass`` in the same rounds.

    .venv/bin/python bench/check.py [--runs 9] [--docs docs] [--go-root /tmp/trees/agno-go]

Each round runs the floor (``python -c pass``, the same interpreter) and ``check`` back to back, so a
shared machine slows both alike; the ratio check / floor is printed per round and as a median, with
wall and CPU (user+sys) time and the load average. Three figures: ``check`` as it is run again over
pages and a snapshot that have not changed since its last run (its cache, in a folder of the bench's,
holds what parsing the pages yielded and what the checks read from the snapshot, by their digests);
the same with one page edited before every run (a copy of the docs whose index.md gets a new line: that
page is parsed again, so its parsers are imported); and the first run (``cold``: the cache folder
emptied before every run, so every page is parsed, every parser imported and the snapshot decoded and
validated). ``--go-root`` adds rounds of ``check --go-root`` (routes and strings read from the runtime
tree; not part of the target). Target (issue 15): ``check`` <= 0.2 s wall. Not a pytest test: exit 0
when the median wall time of the unchanged and the cold figures meets it, 1 otherwise.

Bytecode: a normal installation runs from cached ``.pyc`` files. This environment may set
``PYTHONDONTWRITEBYTECODE=1``; the bench points ``PYTHONPYCACHEPREFIX`` at its temporary folder
(nothing is written into the checkout) and primes it with one untimed run of each figure, so that the
first cold round does not also compile the modules only a first run imports. ``--no-bytecode`` measures
without it.
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
from collections.abc import Callable
from pathlib import Path

TARGET = 0.2


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    code = proc.returncode
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), code


def _rounds(label: str, cmd: list[str], floor: list[str], env: dict[str, str], runs: int,
            out: dict[str, list[float]] | None = None, before: Callable[[], object] | None = None) -> float:
    walls, cpus, ratios, floors = [], [], [], []
    for _ in range(runs):
        f_wall, _, _ = _run(floor, env)
        if before is not None:
            before()
        wall, cpu, code = _run(cmd, env)
        if code not in (0, 1):
            print(f"bench/check.py: {' '.join(cmd)} exited {code}", file=sys.stderr)
            raise SystemExit(2)
        walls.append(wall)
        cpus.append(cpu)
        ratios.append(wall / f_wall)
        floors.append(f_wall)
    if out is not None:
        out.update(walls=walls, cpus=cpus, ratios=ratios, floors=floors)
    med = statistics.median(walls)
    print(f"{label}: wall median {med:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}), "
          f"cpu median {statistics.median(cpus):.3f} s, ratio to `python -c pass` median "
          f"{statistics.median(ratios):.1f}x (min {min(ratios):.1f}x)")
    return med


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--docs", default="docs")
    ap.add_argument("--go-root", default=None, help="also time `check --go-root DIR`")
    ap.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is")
    ap.add_argument("--json", type=Path, help="also write the figures here (bench/results.py format)")
    args = ap.parse_args()
    load_start = os.getloadavg()[0]
    if not Path(args.docs).is_dir():
        print(f"bench/check.py: {args.docs}: no such folder; run from the repository root or pass --docs",
              file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    tmp = Path(tempfile.mkdtemp(prefix="agno-docs-bench-check-"))
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    try:
        floor = [sys.executable, "-c", "pass"]
        base = [sys.executable, "-m", "matrix.cli", "check", "--docs", args.docs]
        check = [*base, "--cache-dir", str(tmp / "cache")]
        cold_dir = tmp / "cold"
        cold = [*base, "--cache-dir", str(cold_dir)]
        copy = tmp / "docs"
        shutil.copytree(args.docs, copy)
        edited_page = copy / "index.md" if (copy / "index.md").is_file() else min(copy.rglob("*.md"))
        original = edited_page.read_text(encoding="utf-8")
        edits = iter(range(1, 1 << 30))
        edited = [sys.executable, "-m", "matrix.cli", "check", "--docs", str(copy), "--cache-dir",
                  str(tmp / "edited")]

        def edit() -> None:
            edited_page.write_text(f"{original}\n<!-- bench edit {next(edits)} -->\n", encoding="utf-8")

        _run(check, env)  # prime the bytecode cache (for every path: the first run's modules too) and
        _run(edited, env)  # check's own caches, untimed
        _run(cold, env)
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        got: dict[str, list[float]] = {}
        got_edited: dict[str, list[float]] = {}
        got_cold: dict[str, list[float]] = {}
        med = _rounds("check", check, floor, env, args.runs, got)
        med_edited = _rounds(f"check, {edited_page.name} edited", edited, floor, env, args.runs, got_edited,
                             before=edit)
        med_cold = _rounds("check, cold", cold, floor, env, args.runs, got_cold,
                           before=lambda: shutil.rmtree(cold_dir, ignore_errors=True))
        if args.go_root:
            _rounds("check --go-root", [*check, "--go-root", args.go_root], floor, env, args.runs)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for label, m in (("check", med), ("check, one page edited", med_edited), ("check, cold", med_cold)):
            print(f"target: {label} <= {TARGET} s wall: {'met' if m <= TARGET else 'NOT met'}")
        if args.json:
            sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
            from bench import results

            def row(what: str, g: dict[str, list[float]], m: float) -> dict[str, object]:
                return results.row(
                    what, f"<= {TARGET} s",
                    f"{results.span(g['walls'], '{:.3f}', ' s')}, CPU {statistics.median(g['cpus']):.3f} s",
                    f"{results.span(g['ratios'], '{:.1f}', 'x')} `python -c pass` "
                    f"({statistics.median(g['floors']):.3f} s), {args.runs} rounds", m <= TARGET)

            rows = [row("`check` on the project's docs, CLI wall (pages and snapshot unchanged since its "
                        "last run)", got, med),
                    row(f"`check` on the project's docs, one page ({edited_page.name}) edited since its last "
                        "run", got_edited, med_edited),
                    row("`check` on the project's docs, first run (empty cache: every page parsed, the "
                        "snapshot decoded)", got_cold, med_cold)]
            results.write(args.json, "check", rows, load_start,
                          {"warm": got, "edited": got_edited, "cold": got_cold})
        return 0 if max(med, med_cold) <= TARGET else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())

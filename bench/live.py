"""What does a live (API) build cost over a snapshot build, when the runtime's matrix is unchanged?

Issue 3 budget: at most 50 ms more. Both are measured in one run, alternating, on the same
machine, against ``agno-docs serve-runtime`` serving the committed snapshot on loopback:

1. **source step, new process** (what one ``mkdocs build`` pays): a fresh interpreter that
   imports the engine and calls ``matrix.sources.load`` with ``AGNO_MATRIX_SOURCE=snapshot``,
   versus ``api`` with a warm on-disk cache (so the API costs one conditional GET and a 304).
   Import time is included, because a build pays it too (httpx is imported only for ``api``):
   (1a) in a bare interpreter, (1b) after MkDocs has loaded ``mkdocs.yml`` (as in a build,
   where some of httpx's dependencies are already imported).
2. **source step, same process** (what each ``mkdocs serve`` rebuild pays): ``load`` repeated in
   one process; the API side revalidates its in-process memo with one 304 each time.
3. **whole builds** (``mkdocs build`` in a subprocess, ``--builds N`` each, alternating): the
   end-to-end figure; noisy on a shared machine, so the medians are printed with their spread.

Run: ``.venv/bin/python bench/live.py [--runs 15] [--builds 5]``. Prints medians; exits 1 when the
1b median difference is over 50 ms. 1b is the verdict because it isolates exactly what a build
adds (imports and fetch, after MkDocs is loaded); whole builds vary by far more than 50 ms from
one run to the next on a shared machine, so section 3 is printed with its spread, as a check.
In a new process most of the API's extra cost is importing httpx/httpcore/h11 (which a
snapshot build never imports); inside ``mkdocs build`` part of that is shared with MkDocs.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BUDGET_MS = 50.0

_CHILD = """
import sys, time
if sys.argv[1:] == ["--as-build"]:
    # What a build has imported before define_env runs: MkDocs, its config, the theme, the plugins.
    from mkdocs.config import load_config
    cfg = load_config("mkdocs.yml")
    import material, mkdocs_macros.plugin  # noqa: F401
t = time.perf_counter()
from matrix.settings import Settings
from matrix.sources import load
data = load(Settings.from_env())
assert data.stale is None, data.stale
print((time.perf_counter() - t) * 1000)
"""


def _env(source: str, url: str, cache: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env.update(AGNO_MATRIX_SOURCE=source, AGNO_RUNTIME_URL=url, AGNO_DOCS_CACHE=cache,
               NO_MKDOCS_2_WARNING="1")
    return env


def _child_ms(env: dict[str, str], *extra: str) -> float:
    out = subprocess.run([sys.executable, "-c", _CHILD, *extra], env=env, cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip())


def _build_ms(env: dict[str, str], site: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", site], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    return (time.perf_counter() - t) * 1000


def _summary(name: str, values: list[float]) -> str:
    return (f"{name:<10} median {statistics.median(values):8.1f} ms  "
            f"(min {min(values):.1f}, max {max(values):.1f}, n={len(values)})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15, help="source-step runs per side (default 15)")
    ap.add_argument("--builds", type=int, default=5, help="whole builds per side (default 5; 0 skips)")
    args = ap.parse_args()

    server = subprocess.Popen([str(BIN / "agno-docs"), "serve-runtime", "--port", "0"],
                              stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    m = re.search(r"at (http://127\.0\.0\.1:\d+) ", server.stderr.readline())
    if not m:
        server.kill()
        print("serve-runtime did not start", file=sys.stderr)
        return 2
    url = m.group(1)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            snap, api = _env("snapshot", url, tmp), _env("api", url, tmp)
            _child_ms(api)  # warm the on-disk cache: from now on the API answers 304
            _child_ms(snap)
            cold: dict[str, list[float]] = {"snapshot": [], "api": []}
            for _ in range(args.runs):
                cold["snapshot"].append(_child_ms(snap))
                cold["api"].append(_child_ms(api))
            print("1a. source step, new bare interpreter (engine imports + load):")
            for k, v in cold.items():
                print("   " + _summary(k, v))
            diff = statistics.median(cold["api"]) - statistics.median(cold["snapshot"])
            print(f"   api - snapshot: {diff:+.1f} ms (budget {BUDGET_MS:.0f} ms)")
            build: dict[str, list[float]] = {"snapshot": [], "api": []}
            for _ in range(args.runs):
                build["snapshot"].append(_child_ms(snap, "--as-build"))
                build["api"].append(_child_ms(api, "--as-build"))
            print("1b. source step, new process after MkDocs loaded its config, theme and plugins:")
            for k, v in build.items():
                print("   " + _summary(k, v))
            verdict = statistics.median(build["api"]) - statistics.median(build["snapshot"])
            print(f"   api - snapshot: {verdict:+.1f} ms (budget {BUDGET_MS:.0f} ms: the verdict)")

            os.environ.update(api)
            from matrix.settings import Settings
            from matrix.sources import load

            warm: dict[str, list[float]] = {"snapshot": [], "api": []}
            settings = {"snapshot": Settings.from_env(snap), "api": Settings.from_env(api)}
            load(settings["api"])
            for _ in range(args.runs * 4):
                for k in ("snapshot", "api"):
                    t = time.perf_counter()
                    data = load(settings[k])
                    warm[k].append((time.perf_counter() - t) * 1000)
                    assert data.stale is None
            print("2. source step, same process (each mkdocs serve rebuild):")
            for k, v in warm.items():
                print("   " + _summary(k, v))
            warm_diff = statistics.median(warm["api"]) - statistics.median(warm["snapshot"])
            print(f"   api - snapshot: {warm_diff:+.1f} ms")

            if args.builds:
                whole: dict[str, list[float]] = {"snapshot": [], "api": []}
                for _ in range(args.builds):
                    whole["snapshot"].append(_build_ms(snap, f"{tmp}/site-snapshot"))
                    whole["api"].append(_build_ms(api, f"{tmp}/site-api"))
                print("3. whole mkdocs build --strict:")
                for k, v in whole.items():
                    print("   " + _summary(k, v))
                diff = statistics.median(whole["api"]) - statistics.median(whole["snapshot"])
                spread = max(max(v) - min(v) for v in whole.values())
                print(f"   api - snapshot: {diff:+.1f} ms (spread within one side up to {spread:.0f} ms)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()
    return 0 if verdict <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

"""``agno-docs compute``: scan a baseline and a runtime tree, write a validated matrix."""

from __future__ import annotations

import argparse
import os
import sys
import time

from ..errors import UsageError

#: As the program's own command, the process ends as soon as ``run`` returns (``matrix.cli``): the
#: output and the caches are written and closed by then; freeing a cold run's facts object by object
#: took 35-50 ms more (measured on the real trees).
EXIT_AT_ONCE = True

#: ``matrix.settings.DEFAULT_CACHE_DIR`` (not imported: this module loads before the model, see
#: :mod:`._express`; a test keeps the two equal).
DEFAULT_CACHE_DIR = ".cache/agno-docs"

HELP = (
    "Compute the support matrix from an agno (Python) checkout and an agno-Go checkout, "
    "and write it as a validated schema_version 1 JSON document."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--python-root",
        required=True,
        metavar="DIR",
        help="the baseline checkout (its library under the profile's baseline root; the default profile "
        "reads agno-agi/agno)",
    )
    parser.add_argument(
        "--go-root",
        required=True,
        metavar="DIR",
        help="the runtime checkout (its Go code under the profile's runtime roots; the default profile "
        "reads rexleimo/agno-Go)",
    )
    parser.add_argument("--profile", metavar="FILE", help="scan profile (TOML; default: the Agno one)")
    parser.add_argument("--parity", metavar="DIR", help="folder of parity results to join in")
    parser.add_argument("--bench-go", metavar="FILE", help="Go benchmark output to join in")
    parser.add_argument("--bench-python", metavar="FILE", help="Python benchmark baseline to join in")
    parser.add_argument("--out", required=True, metavar="FILE", help="where to write the matrix (atomically)")
    parser.add_argument(
        "--history",
        metavar="DIR",
        help="folder of per-release snapshots (matrix/data/history) to fill each module's `since`",
    )
    parser.add_argument(
        "--python-commit",
        metavar="SHA",
        help="baseline commit when the tree has no .git (default: $AGNO_PYTHON_COMMIT)",
    )
    parser.add_argument(
        "--go-commit",
        metavar="SHA",
        help="runtime commit when the tree has no .git (default: $AGNO_GO_COMMIT)",
    )
    parser.add_argument(
        "--cache-dir",
        metavar="DIR",
        help=f"facts cache folder (default: $AGNO_DOCS_CACHE or {DEFAULT_CACHE_DIR})",
    )
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.add_argument(
        "--timings",
        action="store_true",
        help="print the time each step of the scan took (wall and CPU, ms) and its counts to stderr",
    )


def run(args: argparse.Namespace) -> int:
    started_ns = time.time_ns()
    cache_dir = args.cache_dir or os.environ.get("AGNO_DOCS_CACHE") or DEFAULT_CACHE_DIR
    for flag, value in (("--python-commit", args.python_commit), ("--go-commit", args.go_commit)):
        if value is not None and not (len(value) == 40 and all(c in "0123456789abcdef" for c in value)):
            raise UsageError(
                f"{flag} {value!r} is not a 40-character commit hash",
                hint="pass the full hash (git rev-parse HEAD)",
            )
    express = not args.no_cache and not args.timings
    if express:
        from . import _express

        if _express.replay(args, cache_dir):
            return 0
    from pathlib import Path

    from .._io import write_atomic
    from ..sources.scan import scan
    from ..sources.snapshot import encode

    done = scan(
        args.python_root,
        args.go_root,
        profile=args.profile,
        cache_dir=Path(cache_dir),
        use_cache=not args.no_cache,
        python_commit=args.python_commit,
        go_commit=args.go_commit,
        quiet=args.quiet,
    )
    matrix = done.matrix
    if args.history:
        from ..sources.scan.history import fill_since, load_history

        matrix = fill_since(matrix, load_history(args.history))
    if args.parity or args.bench_go or args.bench_python:
        from ..sources.evidence import apply_evidence

        matrix = apply_evidence(
            matrix, parity_dir=args.parity, bench_go=args.bench_go, bench_python=args.bench_python
        )
    data = encode(matrix)
    write_atomic(args.out, data)
    if args.timings:
        t = done.timings
        steps = ", ".join(f"{k} {v * 1000:.0f}/{t.cpu.get(k, 0.0) * 1000:.0f}" for k, v in t.phases.items())
        numbers = ", ".join(f"{k} {v}" for k, v in t.counts.items())
        caches = ", ".join(f"{k} {v}" for k, v in t.cache.items())
        print(f"timings (ms, wall/CPU of this process): {steps}; counts: {numbers}; caches: {caches}",
              file=sys.stderr)
    counts: dict[str, int] = {}
    for m in matrix.modules:
        counts[m.status.value] = counts.get(m.status.value, 0) + 1
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    diag = f"; {len(matrix.diagnostics)} diagnostics" if matrix.diagnostics else ""
    summary = f"{len(matrix.modules)} modules ({statuses}), {len(matrix.recipes)} recipes{diag}"
    if not args.quiet:
        print(f"wrote {args.out}: {summary}", file=sys.stderr)
    if express:
        _express.record(args, cache_dir, started_ns, done.watched, data, summary, done.stats)
    return 0

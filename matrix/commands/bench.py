"""``agno-docs bench``: compare Go benchmark output with a Python baseline, optionally POST it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import msgspec

from .._endpoints import BENCHMARKS_PATH
from ..errors import SourceError, UsageError
from ..model import Benchmark
from ..render.figures import TIMES, number
from ..settings import DEFAULT_DEADLINE
from ..sources.benchmarks import BenchFile, pair, read_bench_file, units_of
from ._source import positive_seconds

HELP = (
    "Compare `go test -bench . -benchmem` output (--go) with a Python baseline (--python: the JSON format "
    "agno-python-bench/1 or Go benchmark text). Pairs benchmarks by name (the -N GOMAXPROCS suffix "
    "stripped), summarises -count runs by their median and prints Go/Python ratios per metric "
    "(below 1 means Go is faster for time metrics). --submit URL POSTs the comparison to "
    f"URL{BENCHMARKS_PATH} (bearer token from AGNO_RUNTIME_TOKEN) within --timeout seconds in total."
)
RATIO_NOTE = (
    "Ratio = Go / Python. For ns/op, B/op and allocs/op below 1 means Go is faster or leaner; "
    "for rates (MB/s, ops/sec) above 1 means Go is faster."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--go", metavar="FILE", help="output of `go test -bench . -benchmem` (text)")
    parser.add_argument(
        "--python", metavar="FILE", help="Python baseline (agno-python-bench/1 JSON or Go text)"
    )
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument(
        "--submit",
        metavar="URL",
        help=f"POST the comparison to URL{BENCHMARKS_PATH} (or to URL itself if it ends with it)",
    )
    parser.add_argument("--timeout", metavar="SECONDS", type=positive_seconds, default=DEFAULT_DEADLINE,
                        help="total seconds for --submit, from connect to the last byte "
                        f"(default {DEFAULT_DEADLINE:g})")


def run(args: argparse.Namespace) -> int:
    if not args.go and not args.python:
        raise UsageError("nothing to compare", hint="pass --go FILE and/or --python FILE")
    go: BenchFile | None = read_bench_file(args.go) if args.go else None
    py: BenchFile | None = read_bench_file(args.python) if args.python else None
    benchmarks = pair(go, py)
    if args.format == "json":
        sys.stdout.write(json.dumps(payload(benchmarks), indent=2, sort_keys=True) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(markdown(benchmarks))
    else:
        sys.stdout.write(text(benchmarks))
    for side in (go, py):
        for d in side.diagnostics if side else ():
            print(f"agno-docs bench: note: {d.file}:{d.line}: {d.message}", file=sys.stderr)
    if args.submit:
        url = submit(args.submit, benchmarks, timeout=args.timeout)
        print(f"agno-docs bench: submitted {len(benchmarks)} benchmark(s) to {url}", file=sys.stderr)
    return 0


def payload(benchmarks: tuple[Benchmark, ...]) -> list[Any]:
    """The body of ``POST /v1/runtime/go/benchmarks`` (and ``--format json``): a JSON list of Benchmark."""
    return list(msgspec.to_builtins(benchmarks))


def submit(base: str, benchmarks: tuple[Benchmark, ...], *, timeout: float = DEFAULT_DEADLINE) -> str:
    """POST the comparison within ``timeout`` seconds in all; returns the URL as shown to people.

    Any answer but 2xx is a :class:`SourceError` naming the URL (without user-info or query) and status.
    """
    from .. import _net

    hint = "e.g. --submit http://127.0.0.1:8080"
    url = _net.endpoint_url(_net.http_url(base, what="--submit", hint=hint), BENCHMARKS_PATH)
    where = _net.display_url(url)
    headers = {"Content-Type": "application/json"}
    token = os.environ.get("AGNO_RUNTIME_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    deadline, limits = _net.Deadline(timeout), _net.Timeouts.each(timeout)
    body = json.dumps(payload(benchmarks)).encode()
    try:
        with _net.exchange("POST", url, body=body, headers=headers, deadline=deadline,
                           timeouts=limits) as resp:
            code = resp.status  # the answer's body is not read: the status says it all
    except _net.NetError as exc:
        raise _net.failure(exc, where=where, deadline=deadline, timeout=limits,
                           knobs=_net.Knobs(url="the --submit URL", deadline="--timeout")) from None
    if not 200 <= code < 300:
        raise SourceError(
            f"POST answered {_net.status_line(code)}",
            where=where,
            hint="check the URL and AGNO_RUNTIME_TOKEN"
            if code in (401, 403, 404)
            else "the server rejected the comparison; see its log",
        )
    return where


def rows(benchmarks: tuple[Benchmark, ...]) -> list[tuple[str, str, str, str, str]]:
    """(benchmark, metric, go, python, ratio) per metric, '—' where a side lacks it."""
    out = []
    for b in benchmarks:
        units = units_of(b)
        for unit in units:
            g = number(b.go.metrics[unit]) if b.go and unit in b.go.metrics else "—"
            p = number(b.python.metrics[unit]) if b.python and unit in b.python.metrics else "—"
            r = f"{b.ratios[unit]:.3g}{TIMES}" if unit in b.ratios else "—"
            out.append((b.name, unit, g, p, r))
    return out


def text(benchmarks: tuple[Benchmark, ...]) -> str:
    table = [("benchmark", "metric", "go", "python", "go/python"), *rows(benchmarks)]
    widths = [max(len(r[i]) for r in table) for i in range(5)]
    lines = [
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in table
    ]
    lines.append(RATIO_NOTE)
    return "\n".join(lines) + "\n"


def markdown(benchmarks: tuple[Benchmark, ...]) -> str:
    def cell(value: str) -> str:
        return value.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")

    lines = ["| benchmark | metric | Go | Python | Go/Python |", "|---|---|--:|--:|--:|"]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows(benchmarks)]
    lines += ["", RATIO_NOTE]
    return "\n".join(lines) + "\n"

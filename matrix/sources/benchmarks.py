"""Benchmark evidence: ``go test -bench . -benchmem`` output and a Python baseline.

Go side: the text ``go test`` prints, unchanged (several packages, ``-count N``,
``[no test files]`` lines, custom metrics such as ``MB/s``). Python side: the same
Go text format, or the JSON format ``agno-python-bench/1`` (schema:
``matrix/schemas/python-bench.schema.json``; documented in
``docs/reference/evidence-formats.md``). Runs of one benchmark are summarised by
the median of each metric; sides are paired by name with the ``-N`` GOMAXPROCS
suffix stripped; ratios are Go / Python for each metric present on both sides.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import statistics
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from ..model import BenchEnv, Benchmark, BenchSide, Diagnostic
from ._evidence_io import EvidenceError, parse_iso8601, read_text

PYTHON_FORMAT = "agno-python-bench/1"

_HEADER = re.compile(r"^(goos|goarch|pkg|cpu):\s*(.*?)\s*$")
_NAME = r"Benchmark[^\s]*"
_RESULT = re.compile(rf"^(?P<name>{_NAME})\s+(?P<n>\d+)\s+(?P<rest>\S.*?)\s*$")
_NAME_ONLY = re.compile(rf"^(?P<name>{_NAME})\s*$")
_CONTINUED = re.compile(r"^\s+(?P<n>\d+)\s+(?P<rest>\S.*?)\s*$")
_PROCS = re.compile(r"^(?P<base>.+)-(?P<procs>\d+)$")
#: ``--- FAIL: BenchmarkX``, ``--- SKIP``, ``FAIL pkg``: the pending benchmark produced no figures.
_ENDED = re.compile(r"^(--- (FAIL|SKIP)|FAIL\b)")


@dataclasses.dataclass
class _Acc:
    name: str
    env: BenchEnv
    runs: list[dict[str, float]] = dataclasses.field(default_factory=list)
    line: int = 0


@dataclasses.dataclass(frozen=True)
class BenchFile:
    """One side's benchmarks: name (``-N`` stripped) to summarised figures."""

    file: str
    sides: Mapping[str, BenchSide]
    measured_at: datetime | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


def higher_is_better(unit: str) -> bool:
    """Rates (``MB/s``, ``ops/sec``, ``rows/s``) are better high; times, bytes and allocations per op low."""
    return unit.endswith(("/s", "/sec", "/second")) or unit.startswith("ops")


#: Display order of the standard ``go test -benchmem`` units; other units follow alphabetically.
_STANDARD_UNITS = ("ns/op", "B/op", "allocs/op")


def units_of(benchmark: Benchmark) -> list[str]:
    """Every unit on either side, in display order: ns/op, B/op, allocs/op, then the rest by name."""
    found = set()
    for side in (benchmark.go, benchmark.python):
        if side:
            found |= set(side.metrics)
    rank = {u: i for i, u in enumerate(_STANDARD_UNITS)}
    return sorted(found, key=lambda u: (rank.get(u, len(rank)), u))


def strip_procs(name: str) -> str:
    """``BenchmarkAgentRun-8`` -> ``BenchmarkAgentRun`` (Go appends ``-GOMAXPROCS`` when it is not 1)."""
    m = _PROCS.match(name)
    return m["base"] if m else name


def parse_go_text(text: str, file: str = "<go bench>") -> BenchFile:
    """Parse ``go test -bench`` output; a malformed result line is an :class:`EvidenceError` with its line."""
    env: dict[str, str] = {}
    accs: dict[tuple[str, str], _Acc] = {}
    diagnostics: list[Diagnostic] = []
    pending: tuple[str, int] | None = None
    all_lines = text.splitlines()
    if all_lines and not text.endswith(("\n", "\r")) and all_lines[-1].lstrip().startswith("Benchmark"):
        # go test ends every line with a newline: a last benchmark line without one was cut off.
        raise EvidenceError(
            "the last benchmark line has no newline: the output was cut off",
            file=file,
            line=len(all_lines),
            hint="save the complete output of `go test -bench`",
        )
    for lineno, raw in enumerate(all_lines, start=1):
        line = raw.rstrip("\r")
        if _ENDED.match(line):
            if pending is not None:
                diagnostics.append(
                    Diagnostic(
                        file=file,
                        line=pending[1],
                        message=f"{pending[0]} produced no figures (failed or skipped)",
                    )
                )
            pending = None
            continue
        header = _HEADER.match(line)
        if header:
            key, value = header[1], header[2]
            if key == "goos" or (key == "pkg" and "pkg" in env):
                env = {k: v for k, v in env.items() if k in ("goos", "goarch", "cpu")} if key == "pkg" else {}
            env[key] = value
            pending = None
            continue
        m = _RESULT.match(line)
        name: str | None = None
        if m:
            name, rest, count = m["name"], m["rest"], m["n"]
        elif pending is not None and (c := _CONTINUED.match(line)):
            # A benchmark that logged output: Go prints its name, the log, then the figures.
            name, rest, count = pending[0], c["rest"], c["n"]
        elif (only := _NAME_ONLY.match(line)) is not None:
            pending = (only["name"], lineno)
            continue
        else:
            if line.startswith("Benchmark"):
                raise EvidenceError(
                    "a benchmark line without an iteration count and figures",
                    file=file,
                    line=lineno,
                    hint="expected `BenchmarkName-8  1000  123 ns/op ...`; is the output truncated?",
                )
            continue
        pending = None
        metrics = _metrics(rest, file, lineno)
        if int(count) <= 0:
            raise EvidenceError(f"iteration count {count} must be positive", file=file, line=lineno)
        base = strip_procs(name)
        key = (env.get("pkg", ""), base)
        acc = accs.get(key)
        if acc is None:
            acc = accs[key] = _Acc(name=base, env=_env(env), line=lineno)
        acc.runs.append(metrics)
    if pending is not None:
        raise EvidenceError(
            f"benchmark {pending[0]} has no figures",
            file=file,
            line=pending[1],
            hint="is the output truncated?",
        )
    if not accs:
        raise EvidenceError(
            "no benchmark results found",
            file=file,
            hint="save the output of `go test -bench . -benchmem ./...` to this file",
        )
    names: dict[str, list[tuple[str, str]]] = {}
    for pkg, base in accs:
        names.setdefault(base, []).append((pkg, base))
    sides: dict[str, BenchSide] = {}
    for (pkg, base), acc in accs.items():
        label = base
        if len(names[base]) > 1:  # the same benchmark name in two packages: qualify both
            label = f"{pkg.rsplit('/', 1)[-1]}.{base}"
            diagnostics.append(
                Diagnostic(
                    file=file, line=acc.line, message=f"{base} appears in several packages; named {label}"
                )
            )
        sides[label] = _summarise(acc.runs, acc.env)
    return BenchFile(file=file, sides=sides, diagnostics=tuple(diagnostics))


def parse_python_json(text: str, file: str = "<python bench>") -> BenchFile:
    """Parse the ``agno-python-bench/1`` JSON baseline."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvidenceError(
            f"not valid JSON: {exc.msg} (column {exc.colno})",
            file=file,
            line=exc.lineno,
            hint="is the file truncated?",
        ) from None
    if not isinstance(data, dict):
        raise EvidenceError("expected a JSON object with `benchmarks`", file=file, path="$")
    fmt = data.get("format", PYTHON_FORMAT)
    if fmt != PYTHON_FORMAT:
        raise EvidenceError(
            f"`format` is {json.dumps(fmt)[:40]}, not {PYTHON_FORMAT!r}", file=file, path="$.format"
        )
    env_raw = data.get("env") or {}
    if not isinstance(env_raw, dict):
        raise EvidenceError("`env` must be an object", file=file, path="$.env")
    env = BenchEnv(
        python=_opt_str(env_raw.get("python")),
        goos=_opt_str(env_raw.get("os")),
        goarch=_opt_str(env_raw.get("arch")),
        cpu=_opt_str(env_raw.get("cpu")),
    )
    measured_at = _time(data.get("measured_at"), file)
    items = data.get("benchmarks")
    if not isinstance(items, list) or not items:
        raise EvidenceError("`benchmarks` must be a non-empty list", file=file, path="$.benchmarks")
    sides: dict[str, BenchSide] = {}
    for i, item in enumerate(items):
        where = f"$.benchmarks[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            raise EvidenceError("each benchmark needs a non-empty `name`", file=file, path=where)
        name = strip_procs(item["name"])
        if name in sides:
            raise EvidenceError(f"benchmark {name!r} is listed twice", file=file, path=f"{where}.name")
        if "runs" in item:
            runs_raw = item["runs"]
            if not isinstance(runs_raw, list) or not runs_raw:
                raise EvidenceError(
                    "`runs` must be a non-empty list of {unit: value}", file=file, path=f"{where}.runs"
                )
            runs = [_metric_map(r, file, f"{where}.runs[{j}]") for j, r in enumerate(runs_raw)]
        elif "metrics" in item:
            runs = [_metric_map(item["metrics"], file, f"{where}.metrics")]
        else:
            raise EvidenceError("a benchmark needs `metrics` or `runs`", file=file, path=where)
        sides[name] = _summarise(runs, env)
    return BenchFile(file=file, sides=sides, measured_at=measured_at)


def read_bench_file(path: str | os.PathLike[str]) -> BenchFile:
    """Read a benchmark file: JSON (``agno-python-bench/1``) when it starts with ``{``, else Go text."""
    p = Path(path)
    text = read_text(p)
    if text.lstrip().startswith("{"):
        return parse_python_json(text, str(p))
    return parse_go_text(text, str(p))


def pair(go: BenchFile | None, python: BenchFile | None) -> tuple[Benchmark, ...]:
    """Pair both sides by name; ratios Go / Python for each metric on both sides (Python value not 0)."""
    go_sides = dict(go.sides) if go else {}
    py_sides = dict(python.sides) if python else {}
    measured_at = python.measured_at if python else None
    out = []
    for name in sorted(set(go_sides) | set(py_sides)):
        g, p = go_sides.get(name), py_sides.get(name)
        ratios: dict[str, float] = {}
        if g and p:
            for unit in g.metrics:
                if unit in p.metrics and p.metrics[unit] != 0:
                    ratios[unit] = round(g.metrics[unit] / p.metrics[unit], 6)
        out.append(Benchmark(name=name, go=g, python=p, ratios=ratios, measured_at=measured_at))
    return tuple(out)


# --- internals -------------------------------------------------------------------------------------------


def _metrics(rest: str, file: str, lineno: int) -> dict[str, float]:
    tokens = rest.split()
    if len(tokens) % 2:
        raise EvidenceError(
            f"figures must come in `value unit` pairs, got {len(tokens)} token(s)",
            file=file,
            line=lineno,
            hint="is the line truncated?",
        )
    out: dict[str, float] = {}
    for value, unit in zip(tokens[::2], tokens[1::2], strict=True):
        try:
            number = float(value)
        except ValueError:
            raise EvidenceError(
                f"{value[:20]!r} before unit {unit[:20]!r} is not a number", file=file, line=lineno
            ) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise EvidenceError(f"{value!r} is not a finite number", file=file, line=lineno)
        out[unit] = number
    return out


def _metric_map(raw: Any, file: str, where: str) -> dict[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise EvidenceError("expected a non-empty object of unit to number", file=file, path=where)
    out: dict[str, float] = {}
    for unit, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise EvidenceError(f"metric {unit!r} must be a number", file=file, path=f"{where}.{unit}")
        out[str(unit)] = float(value)
    return out


def _summarise(runs: list[dict[str, float]], env: BenchEnv) -> BenchSide:
    units: list[str] = []
    for run in runs:
        units += [u for u in run if u not in units]
    metrics = {u: float(statistics.median([r[u] for r in runs if u in r])) for u in units}
    return BenchSide(metrics=metrics, runs=len(runs), env=env)


def _env(env: Mapping[str, str]) -> BenchEnv:
    return BenchEnv(goos=env.get("goos"), goarch=env.get("goarch"), cpu=env.get("cpu"), pkg=env.get("pkg"))


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _time(value: Any, file: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_iso8601(value)
        if parsed is not None:
            return parsed
    raise EvidenceError("`measured_at` must be an ISO 8601 time", file=file, path="$.measured_at")

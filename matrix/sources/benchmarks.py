"""Benchmark evidence: ``go test -bench . -benchmem`` output and a Python baseline.

Go side: the text ``go test`` prints, unchanged (several packages, ``-count N``,
``[no test files]`` lines, custom metrics such as ``MB/s``), read line by line by a
small parser. Python side: the same Go text format, or the JSON format
``agno-python-bench/1``, validated into :class:`PythonBench` (its schema
``matrix/schemas/python-bench.schema.json`` is generated from it; documented in
``docs/reference/evidence-formats.md``). Runs of one benchmark are summarised by
the median of each metric; sides are paired by name with the ``-N`` GOMAXPROCS
suffix stripped; ratios are Go / Python for each metric present on both sides.
"""

from __future__ import annotations

import dataclasses
import os
import re
import statistics
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar

import msgspec

from ..model import BenchEnv, Benchmark, BenchSide, Diagnostic
from ._evidence_io import (
    Choice,
    EvidenceError,
    Figure,
    IsoTime,
    Text,
    convert,
    line_of,
    parse_json,
    read_text,
)

PYTHON_FORMAT = "agno-python-bench/1"


# --- the Python baseline format ----------------------------------------------------------------------------


class PythonBenchFormat(Choice):
    """The format tag, exactly ``agno-python-bench/1``."""

    SPELLINGS: ClassVar[Mapping[str, str]] = {PYTHON_FORMAT: PYTHON_FORMAT}
    IGNORE_CASE: ClassVar[bool] = False


#: Unit to figure (``{"ns/op": 240000, "B/op": 40960}``); at least one.
Metrics = Annotated[dict[str, Figure], msgspec.Meta(min_length=1)]


class PythonBenchEnv(msgspec.Struct, frozen=True, kw_only=True):
    """The machine the baseline ran on."""

    python: str | None = None
    os: str | None = None
    arch: str | None = None
    cpu: str | None = None


class PythonBenchmark(msgspec.Struct, frozen=True, kw_only=True):
    """One benchmark of the baseline: already summarised ``metrics``, or one entry per run in ``runs``."""

    json_schema_extra: ClassVar[dict[str, Any]] = {
        "oneOf": [{"required": ["metrics"]}, {"required": ["runs"]}]
    }

    name: Annotated[
        Text, msgspec.Meta(description="The Go benchmark name it pairs with (a -N suffix is dropped).")
    ]
    metrics: Annotated[Metrics, msgspec.Meta(description="Already summarised figures.")] | None = None
    runs: (
        Annotated[
            list[Metrics],
            msgspec.Meta(min_length=1, description="One object per run; the median of each metric is used."),
        ]
        | None
    ) = None

    def __post_init__(self) -> None:
        if (self.metrics is None) == (self.runs is None):
            raise ValueError("a benchmark needs either `metrics` or `runs`")

    def figures(self) -> list[dict[str, float]]:
        """One unit-to-number mapping per run."""
        runs = self.runs if self.runs is not None else [self.metrics or {}]
        return [{unit: figure.value for unit, figure in run.items()} for run in runs]


class PythonBench(msgspec.Struct, frozen=True, kw_only=True):
    """agno-python-bench/1: a Python benchmark baseline.

    Read by `agno-docs bench --python FILE` and `agno-docs compute --bench-python FILE`. Names pair with
    Go benchmark names (the -N GOMAXPROCS suffix is stripped on both sides). Units are free text; ratios
    are computed for every unit present on both sides.
    """

    format: PythonBenchFormat | None = None
    measured_at: IsoTime | None = None
    env: PythonBenchEnv | None = None
    benchmarks: Annotated[list[PythonBenchmark], msgspec.Meta(min_length=1)]


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
    lines = text.splitlines()
    _refuse_cut_off(text, lines, file)
    parser = _GoText(file)
    for lineno, raw in enumerate(lines, start=1):
        parser.feed(raw.rstrip("\r"), lineno)
    return parser.finish()


def parse_python_json(text: str, file: str = "<python bench>") -> BenchFile:
    """Parse the ``agno-python-bench/1`` JSON baseline."""
    data, lines = parse_json(text, file)
    doc = convert(data, PythonBench, file=file, lines=lines)
    env_doc = doc.env or PythonBenchEnv()
    env = BenchEnv(python=env_doc.python, goos=env_doc.os, goarch=env_doc.arch, cpu=env_doc.cpu)
    sides: dict[str, BenchSide] = {}
    for i, item in enumerate(doc.benchmarks):
        name = strip_procs(item.name)
        if name in sides:
            where = f"$.benchmarks[{i}].name"
            raise EvidenceError(
                f"benchmark {name!r} is listed twice", file=file, line=line_of(lines, where), path=where
            )
        sides[name] = _summarise(item.figures(), env)
    measured_at = doc.measured_at.value if doc.measured_at else None
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


def _summarise(runs: list[dict[str, float]], env: BenchEnv) -> BenchSide:
    units: list[str] = []
    for run in runs:
        units += [u for u in run if u not in units]
    metrics = {u: float(statistics.median([r[u] for r in runs if u in r])) for u in units}
    return BenchSide(metrics=metrics, runs=len(runs), env=env)


def _env(env: Mapping[str, str]) -> BenchEnv:
    return BenchEnv(goos=env.get("goos"), goarch=env.get("goarch"), cpu=env.get("cpu"), pkg=env.get("pkg"))


def _refuse_cut_off(text: str, lines: list[str], file: str) -> None:
    """go test ends every line with a newline: a last benchmark line without one was cut off."""
    if lines and not text.endswith(("\n", "\r")) and lines[-1].lstrip().startswith("Benchmark"):
        raise EvidenceError(
            "the last benchmark line has no newline: the output was cut off",
            file=file,
            line=len(lines),
            hint="save the complete output of `go test -bench`",
        )


class _GoText:
    """The state of one pass over ``go test -bench`` output, fed one line at a time.

    Headers (``goos:``, ``pkg:`` ...) set the environment of the results that follow; a result line
    adds one run; a name alone on its line is a benchmark that logged output before its figures.
    """

    def __init__(self, file: str) -> None:
        self.file = file
        self.env: dict[str, str] = {}
        self.accs: dict[tuple[str, str], _Acc] = {}
        self.diagnostics: list[Diagnostic] = []
        self.pending: tuple[str, int] | None = None
        """A benchmark name printed alone (it logged output): its figures come on a later line."""

    def feed(self, line: str, lineno: int) -> None:
        if _ENDED.match(line):
            self._ended()
        elif header := _HEADER.match(line):
            self._header(header[1], header[2])
        elif result := _RESULT.match(line):
            self._run(result["name"], result["n"], result["rest"], lineno)
        elif self.pending is not None and (continued := _CONTINUED.match(line)):
            self._run(self.pending[0], continued["n"], continued["rest"], lineno)
        elif only := _NAME_ONLY.match(line):
            self.pending = (only["name"], lineno)
        elif line.startswith("Benchmark"):
            raise EvidenceError(
                "a benchmark line without an iteration count and figures",
                file=self.file,
                line=lineno,
                hint="expected `BenchmarkName-8  1000  123 ns/op ...`; is the output truncated?",
            )

    def finish(self) -> BenchFile:
        if self.pending is not None:
            raise EvidenceError(
                f"benchmark {self.pending[0]} has no figures",
                file=self.file,
                line=self.pending[1],
                hint="is the output truncated?",
            )
        if not self.accs:
            raise EvidenceError(
                "no benchmark results found",
                file=self.file,
                hint="save the output of `go test -bench . -benchmem ./...` to this file",
            )
        return BenchFile(file=self.file, sides=self._sides(), diagnostics=tuple(self.diagnostics))

    def _ended(self) -> None:
        """``--- FAIL``/``--- SKIP``/``FAIL``: the pending benchmark produced no figures."""
        if self.pending is not None:
            self.diagnostics.append(
                Diagnostic(
                    file=self.file,
                    line=self.pending[1],
                    message=f"{self.pending[0]} produced no figures (failed or skipped)",
                )
            )
        self.pending = None

    def _header(self, key: str, value: str) -> None:
        """``goos:`` starts a new environment; a second ``pkg:`` keeps the machine, changes the package."""
        if key == "goos":
            self.env = {}
        elif key == "pkg" and "pkg" in self.env:
            self.env = {k: v for k, v in self.env.items() if k in ("goos", "goarch", "cpu")}
        self.env[key] = value
        self.pending = None

    def _run(self, name: str, count: str, rest: str, lineno: int) -> None:
        self.pending = None
        metrics = _metrics(rest, self.file, lineno)
        if int(count) <= 0:
            raise EvidenceError(f"iteration count {count} must be positive", file=self.file, line=lineno)
        base = strip_procs(name)
        key = (self.env.get("pkg", ""), base)
        if key not in self.accs:
            self.accs[key] = _Acc(name=base, env=_env(self.env), line=lineno)
        self.accs[key].runs.append(metrics)

    def _sides(self) -> dict[str, BenchSide]:
        """Summarised sides by name; the same name in two packages is qualified with the package."""
        packages: dict[str, int] = {}
        for _, base in self.accs:
            packages[base] = packages.get(base, 0) + 1
        sides: dict[str, BenchSide] = {}
        for (pkg, base), acc in self.accs.items():
            label = base
            if packages[base] > 1:
                label = f"{pkg.rsplit('/', 1)[-1]}.{base}"
                self.diagnostics.append(
                    Diagnostic(
                        file=self.file,
                        line=acc.line,
                        message=f"{base} appears in several packages; named {label}",
                    )
                )
            sides[label] = _summarise(acc.runs, acc.env)
        return sides

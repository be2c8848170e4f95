"""Parity evidence: cross-language parity results and the fixtures they ran.

A parity directory holds YAML or JSON files (searched recursively, sorted by path).
Each file holds one document, a list of documents, or ``{results: [...]}`` /
``{fixtures: [...]}``. A document is a *result* when ``kind: result`` or when it
has a ``status``; otherwise it is a *fixture* (``kind: fixture``). The formats are
documented in ``docs/reference/evidence-formats.md`` and published as JSON Schemas
(``matrix/schemas/parity-result.schema.json``, ``parity-fixture.schema.json``).

:func:`read_parity_dir` parses (and rejects malformed files with file and line);
:func:`join_parity` joins the evidence onto a matrix:

* a module exercised by a failing or erroring fixture cannot be ``migrated``: it
  becomes ``partial`` with the fixture and its first diff in ``notes``;
* every module a fixture exercises gets a :class:`~matrix.model.ParitySummary`;
* a module id the matrix does not have is an error that names file and line.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec

from ..errors import SourceError
from ..model import (
    Diagnostic,
    Module,
    ParityDiff,
    ParityResult,
    ParityStatus,
    ParitySummary,
    Status,
    SupportMatrix,
)
from ._evidence_io import EvidenceError, Lines, line_of, parse_iso8601, read_document

SUFFIXES = (".json", ".jsonl", ".ndjson", ".yaml", ".yml")

_STATUS_WORDS: dict[str, ParityStatus] = {
    "pass": ParityStatus.PASS,
    "passed": ParityStatus.PASS,
    "ok": ParityStatus.PASS,
    "success": ParityStatus.PASS,
    "fail": ParityStatus.FAIL,
    "failed": ParityStatus.FAIL,
    "failure": ParityStatus.FAIL,
    "error": ParityStatus.ERROR,
    "errored": ParityStatus.ERROR,
}
_BOOL_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_TIME_KEYS = ("ran_at", "timestamp", "time")
#: Summary text of a value in notes (the full value stays in ``parity[].diffs``).
_SHORT = 60


@dataclasses.dataclass(frozen=True)
class Fixture:
    """A ParityFixture: what one parity fixture exercises."""

    name: str
    file: str
    line: int | None
    modules: tuple[str, ...]
    """Module ids: ``modules`` plus ``models.<provider>`` for each of ``providers``."""
    module_fields: tuple[tuple[str, int | None], ...]
    """For each of ``modules``, the JSON path and line that named it (for errors)."""
    workflow: str | None = None
    agents: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    tolerances: Mapping[str, float] = dataclasses.field(default_factory=dict)
    description: str | None = None


@dataclasses.dataclass(frozen=True)
class _Run:
    result: ParityResult
    line: int | None
    module_fields: tuple[tuple[str, int | None], ...]
    file: str = ""
    """The file as read (for messages); ``result.source`` is relative to the parity folder."""


@dataclasses.dataclass(frozen=True)
class ParityEvidence:
    """Everything read from one parity directory, before the join."""

    results: tuple[ParityResult, ...]
    fixtures: Mapping[str, Fixture]
    diagnostics: tuple[Diagnostic, ...] = ()
    _runs: tuple[_Run, ...] = ()


def read_parity_dir(directory: str | Path) -> ParityEvidence:
    """Read every result and fixture file under ``directory``; the latest result of a fixture wins."""
    root = Path(directory)
    if not root.is_dir():
        raise SourceError(
            "no such parity directory",
            where=str(root),
            hint="pass the folder your parity runs write their result files to",
        )
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    runs: list[_Run] = []
    fixtures: dict[str, Fixture] = {}
    diagnostics: list[Diagnostic] = []
    for file in files:
        data, lines = read_document(file)
        for doc, path, kind in _documents(data, str(file), lines):
            if kind == "fixture":
                fx = _fixture(doc, path, str(file), lines)
                if fx.name in fixtures:
                    other = fixtures[fx.name]
                    raise EvidenceError(
                        f"fixture {fx.name!r} is defined twice (first in {other.file}"
                        f"{f'({other.line})' if other.line else ''})",
                        file=str(file),
                        line=fx.line,
                        hint="give each fixture a unique name",
                    )
                fixtures[fx.name] = fx
            else:
                run = _result(doc, path, str(file), lines)
                # The snapshot and the pages show the file relative to the parity folder (no machine paths).
                runs.append(
                    dataclasses.replace(
                        run,
                        result=msgspec.structs.replace(run.result, source=file.relative_to(root).as_posix()),
                        file=str(file),
                    )
                )
    latest: dict[str, _Run] = {}
    for run in runs:  # file order; a later or newer run of the same fixture supersedes
        prev = latest.get(run.result.fixture)
        if prev is not None:
            keep, drop = (run, prev) if _when(run) >= _when(prev) else (prev, run)
            diagnostics.append(
                Diagnostic(
                    file=drop.file,
                    line=drop.line,
                    message=f"result of fixture {drop.result.fixture!r} superseded by {keep.result.source}",
                )
            )
            latest[run.result.fixture] = keep
        else:
            latest[run.result.fixture] = run
    kept = tuple(latest[name] for name in sorted(latest))
    for name in sorted(set(fixtures) - set(latest)):
        fx = fixtures[name]
        diagnostics.append(
            Diagnostic(
                file=fx.file,
                line=fx.line,
                message=f"fixture {name!r} has no result: it did not run, or its result file is missing",
            )
        )
    return ParityEvidence(
        results=tuple(r.result for r in kept), fixtures=fixtures, diagnostics=tuple(diagnostics), _runs=kept
    )


def join_parity(matrix: SupportMatrix, evidence: ParityEvidence) -> SupportMatrix:
    """Record parity on the matrix; failing fixtures demote the ``migrated`` modules they exercise."""
    known = matrix.modules_by_id()
    problems: list[EvidenceError] = []
    for fx in evidence.fixtures.values():
        for mid, (path, line) in zip(fx.modules, fx.module_fields, strict=True):
            if mid not in known:
                problems.append(_unknown(mid, f"fixture {fx.name!r}", fx.file, line, path))
    results: list[ParityResult] = []
    diagnostics = list(matrix.diagnostics) + list(evidence.diagnostics)
    for run in evidence._runs:
        r = run.result
        for mid, (path, line) in zip(r.modules, run.module_fields, strict=True):
            if mid not in known:
                problems.append(_unknown(mid, f"result of fixture {r.fixture!r}", run.file, line, path))
        defined = evidence.fixtures.get(r.fixture)
        exercised = tuple(sorted(set(r.modules) | set(defined.modules if defined else ())))
        if not exercised:
            diagnostics.append(
                Diagnostic(
                    file=run.file,
                    line=run.line,
                    message=f"result of fixture {r.fixture!r}: no fixture file defines "
                    "it and it names no modules, so it counts for no module",
                )
            )
        results.append(msgspec.structs.replace(r, modules=exercised))
    if problems:
        first = problems[0]
        if len(problems) > 1:
            first = EvidenceError(
                first.message,
                file=first.file,
                line=first.line,
                path=first.path,
                hint=f"{first.hint} ({len(problems) - 1} more unknown module(s) after this one)",
            )
        raise first
    by_module: dict[str, list[ParityResult]] = {}
    for r in results:
        for mid in r.modules:
            by_module.setdefault(mid, []).append(r)
    joined = tuple(_apply(m, by_module.get(m.id, [])) for m in matrix.modules)
    return msgspec.structs.replace(
        matrix, modules=joined, parity=tuple(results), diagnostics=tuple(diagnostics)
    )


def failure_summary(result: ParityResult) -> str:
    """``fixture: path (python=..., go=...)`` of the first diff, or what else went wrong (plain text)."""
    if result.diffs:
        d = result.diffs[0]
        return f"{result.fixture}: {d.path} (python={short(d.python)}, go={short(d.go)})"
    if result.metrics_match is False:
        return f"{result.fixture}: metrics differ"
    return f"{result.fixture}: {result.status.value} (no diff recorded)"


def short(value: Any, limit: int = _SHORT) -> str:
    """A one-line JSON rendering of ``value``, cut to ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- internals -------------------------------------------------------------------------------------------


def _apply(module: Module, results: list[ParityResult]) -> Module:
    if not results:
        return module
    failing = [r for r in results if r.status is not ParityStatus.PASS]
    summary = ParitySummary(
        passed=sum(r.status is ParityStatus.PASS for r in results),
        failed=sum(r.status is ParityStatus.FAIL for r in results),
        errored=sum(r.status is ParityStatus.ERROR for r in results),
        fixtures=tuple(r.fixture for r in results),
        first_failure=failure_summary(failing[0]) if failing else None,
    )
    if not failing:
        return msgspec.structs.replace(module, parity=summary)
    f = failing[0]
    verb = "failed" if f.status is ParityStatus.FAIL else "errored"
    note = f"parity fixture {f.fixture} {verb}: {failure_summary(f)}"
    if len(failing) > 1:
        note += f" (+{len(failing) - 1} more failing fixture(s))"
    if module.status is Status.MIGRATED:
        return msgspec.structs.replace(module, status=Status.PARTIAL, notes=note, parity=summary)
    if module.status is Status.PARTIAL:
        return msgspec.structs.replace(module, notes=f"{module.notes}; {note}", parity=summary)
    return msgspec.structs.replace(module, parity=summary)


def _unknown(mid: str, what: str, file: str, line: int | None, path: str) -> EvidenceError:
    return EvidenceError(
        f"{what} names module {mid!r}, which the matrix does not have",
        file=file,
        line=line,
        path=path,
        hint="use a module id from the matrix, e.g. `tools.calculator` (see matrix.json)",
    )


def _when(run: _Run) -> datetime:
    t = run.result.ran_at
    if t is None:
        return datetime.min.replace(tzinfo=UTC)
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _documents(data: Any, file: str, lines: Lines) -> Iterable[tuple[Mapping[str, Any], str, str]]:
    """Yield (document, JSON path, kind) for each result or fixture in one file."""
    if data is None:
        raise EvidenceError(
            "the file is empty", file=file, line=1, hint="write one result or fixture, or a list of them"
        )
    items: list[tuple[Any, str, str | None]] = []
    if isinstance(data, list):
        items = [(d, f"$[{i}]", None) for i, d in enumerate(data)]
    elif isinstance(data, dict) and ("results" in data or "fixtures" in data) and "status" not in data:
        for key, block_kind in (("results", "result"), ("fixtures", "fixture")):
            block = data.get(key, [])
            if not isinstance(block, list):
                raise EvidenceError(
                    f"`{key}` must be a list", file=file, line=line_of(lines, f"$.{key}"), path=f"$.{key}"
                )
            items += [(d, f"$.{key}[{i}]", block_kind) for i, d in enumerate(block)]
    else:
        items = [(data, "$", None)]
    for doc, path, forced in items:
        if not isinstance(doc, dict):
            raise EvidenceError(
                f"expected a mapping (a result or a fixture), got {_kind(doc)}",
                file=file,
                line=line_of(lines, path),
                path=path,
            )
        kind: Any = doc.get("kind", forced)
        if kind is None:
            kind = "result" if "status" in doc else "fixture"
        if kind not in ("result", "fixture"):
            raise EvidenceError(
                f"`kind` is {short(kind, 30)}, not `result` or `fixture`",
                file=file,
                line=line_of(lines, f"{path}.kind"),
                path=f"{path}.kind",
            )
        yield doc, path, str(kind)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


class _Reader:
    """Field access with errors that carry file, line and JSON path."""

    def __init__(self, doc: Mapping[str, Any], path: str, file: str, lines: Lines) -> None:
        self.doc, self.path, self.file, self.lines = doc, path, file, lines

    def error(self, field: str | None, message: str, hint: str | None = None) -> EvidenceError:
        path = f"{self.path}.{field}" if field else self.path
        return EvidenceError(message, file=self.file, line=line_of(self.lines, path), path=path, hint=hint)

    def line(self, field: str | None = None) -> int | None:
        return line_of(self.lines, f"{self.path}.{field}" if field else self.path)

    def text(self, *names: str, required: bool = False) -> str | None:
        for name in names:
            if name in self.doc and self.doc[name] is not None:
                value = self.doc[name]
                if isinstance(value, bool) or not isinstance(value, str | int | float) or str(value) == "":
                    raise self.error(name, f"`{name}` must be a non-empty string, got {_kind(value)}")
                return str(value)
        if required:
            raise self.error(None, f"missing `{names[0]}`", hint=f"add `{names[0]}: <name>`")
        return None

    def strings(self, name: str) -> tuple[list[str], list[tuple[str, int | None]]]:
        value = self.doc.get(name)
        if value is None:
            return [], []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(name, f"`{name}` must be a list of strings, got {_kind(value)}")
        out: list[str] = []
        where: list[tuple[str, int | None]] = []
        for i, item in enumerate(value):
            path = f"{self.path}.{name}[{i}]"
            if not isinstance(item, str) or not item:
                raise EvidenceError(
                    f"`{name}[{i}]` must be a non-empty string, got {_kind(item)}",
                    file=self.file,
                    line=line_of(self.lines, path),
                    path=path,
                )
            out.append(item)
            where.append((path, line_of(self.lines, path)))
        return out, where


def _fixture(doc: Mapping[str, Any], path: str, file: str, lines: Lines) -> Fixture:
    r = _Reader(doc, path, file, lines)
    name = r.text("fixture", "name", "id", required=True)
    assert name is not None
    modules, module_fields = r.strings("modules")
    providers, provider_fields = r.strings("providers")
    agents, _ = r.strings("agents")
    for provider, field in zip(providers, provider_fields, strict=True):
        mid = provider if "." in provider else f"models.{provider}"
        if mid not in modules:
            modules.append(mid)
            module_fields.append(field)
    tolerances: dict[str, float] = {}
    raw = doc.get("tolerances")
    if raw is not None:
        if not isinstance(raw, dict):
            raise r.error(
                "tolerances", f"`tolerances` must be a mapping of metric to number, got {_kind(raw)}"
            )
        for key, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise r.error(
                    f"tolerances.{key}", f"tolerance `{key}` must be a number >= 0, got {short(value, 30)}"
                )
            tolerances[str(key)] = float(value)
    return Fixture(
        name=name,
        file=file,
        line=r.line(),
        modules=tuple(modules),
        module_fields=tuple(module_fields),
        workflow=r.text("workflow"),
        agents=tuple(agents),
        providers=tuple(providers),
        tolerances=tolerances,
        description=r.text("description"),
    )


def _result(doc: Mapping[str, Any], path: str, file: str, lines: Lines) -> _Run:
    r = _Reader(doc, path, file, lines)
    fixture = r.text("fixture", "name", required=True)
    assert fixture is not None
    raw_status = doc.get("status")
    status = _STATUS_WORDS.get(str(raw_status).strip().lower()) if isinstance(raw_status, str) else None
    if status is None:
        raise r.error("status", f"`status` is {short(raw_status, 30)}, not pass, fail or error")
    runtime = doc.get("runtime", "go")
    if not isinstance(runtime, str) or runtime.strip().lower() != "go":
        raise r.error(
            "runtime",
            f"`runtime` is {short(runtime, 30)}, but parity results are for runtime `go`",
            hint="write `runtime: go` (or leave it out)",
        )
    metrics_match = doc.get("metrics_match")
    if isinstance(metrics_match, str):
        metrics_match = _BOOL_WORDS.get(metrics_match.strip().lower(), metrics_match)
    if metrics_match is not None and not isinstance(metrics_match, bool):
        raise r.error(
            "metrics_match",
            f"`metrics_match` must be true or false, got {short(metrics_match, 30)}",
            hint="write true or false (an exit status 0/1 would be ambiguous)",
        )
    diffs = _diffs(r)
    ran_at = _time(r)
    modules, module_fields = r.strings("modules")
    result = ParityResult(
        fixture=fixture,
        status=status,
        diffs=diffs,
        metrics_match=metrics_match,
        ran_at=ran_at,
        modules=tuple(modules),
        source=file,
    )
    return _Run(result=result, line=r.line(), module_fields=tuple(module_fields))


def _diffs(r: _Reader) -> tuple[ParityDiff, ...]:
    raw = r.doc.get("diffs")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise r.error("diffs", f"`diffs` must be a list of {{path, python, go}}, got {_kind(raw)}")
    out = []
    for i, item in enumerate(raw):
        sub = _Reader(item, f"{r.path}.diffs[{i}]", r.file, r.lines) if isinstance(item, dict) else None
        if sub is None:
            raise r.error(
                f"diffs[{i}]", f"`diffs[{i}]` must be a mapping {{path, python, go}}, got {_kind(item)}"
            )
        path = sub.text("path", required=True)
        assert path is not None
        out.append(ParityDiff(path=path, python=_plain(item.get("python")), go=_plain(item.get("go"))))
    return tuple(out)


def _time(r: _Reader) -> datetime | None:
    for key in _TIME_KEYS:
        value = r.doc.get(key)
        if value is None:
            continue
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=UTC)
        if isinstance(value, date):
            return datetime(value.year, value.month, value.day, tzinfo=UTC)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, tz=UTC)  # `date +%s`
        if isinstance(value, str):
            text = value.strip()
            if text.isdigit():
                return datetime.fromtimestamp(int(text), tz=UTC)
            parsed = parse_iso8601(text)
            if parsed is not None:
                return parsed
        raise r.error(
            key,
            f"`{key}` is not a time: {short(value, 40)}",
            hint="use ISO 8601 (`date -Iseconds`) or Unix seconds (`date +%s`)",
        )
    return None


def _plain(value: Any) -> Any:
    """YAML may give dates, bytes or sets: make a value JSON-safe for the snapshot."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value

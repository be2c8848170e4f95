"""Parity evidence: cross-language parity results and the fixtures they ran.

A parity directory holds YAML or JSON files (searched recursively, sorted by path).
Each file holds one document, a list of documents, or ``{results: [...]}`` /
``{fixtures: [...]}``. A document is a *result* when ``kind: result`` or when it
has a ``status``; otherwise it is a *fixture* (``kind: fixture``). Each document is
validated into :class:`ParityTestResult` or :class:`ParityFixture`, the Structs the JSON
Schemas are generated from (``matrix/schemas/parity-result.schema.json``,
``parity-fixture.schema.json``); the formats are documented in
``docs/reference/evidence-formats.md``.

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
from typing import Annotated, Any, ClassVar, Literal

import msgspec

from ..errors import SourceError, location
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
from ._evidence_io import (
    Choice,
    EvidenceError,
    IsoTime,
    Lines,
    Names,
    Text,
    Tolerance,
    YesNo,
    convert,
    line_of,
    read_document,
    show,
)

SUFFIXES = (".json", ".jsonl", ".ndjson", ".yaml", ".yml")
#: Summary text of a value in notes (the full value stays in ``parity[].diffs``).
_SHORT = 60


# --- the formats, as written by a parity run ---------------------------------------------------------------


class StatusWord(Choice):
    """``pass`` | ``fail`` | ``error``, any case; ``passed``/``ok``/``failed``/``errored`` are read too."""

    SPELLINGS: ClassVar[Mapping[str, str]] = {
        "pass": "pass",
        "fail": "fail",
        "error": "error",
        "passed": "pass",
        "ok": "pass",
        "success": "pass",
        "failed": "fail",
        "failure": "fail",
        "errored": "error",
    }


class GoRuntime(Choice):
    """``go`` (any case): parity results are for the Go runtime."""

    SPELLINGS: ClassVar[Mapping[str, str]] = {"go": "go"}

    @classmethod
    def read(cls, raw: Any) -> str:
        try:
            return super().read(raw)
        except ValueError:
            raise ValueError(
                f"expected go (parity results are for the Go runtime), got {show(raw)}; "
                "write `runtime: go` (or leave it out)"
            ) from None


class RunTime(IsoTime):
    """When a run happened: ISO 8601 (``date -Iseconds``) or Unix seconds (``date +%s``)."""

    @classmethod
    def read(cls, raw: Any) -> datetime:
        seconds = raw.strip() if isinstance(raw, str) and raw.strip().isdigit() else raw
        if isinstance(seconds, str) and seconds.isdigit():
            seconds = int(seconds)
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            try:
                return datetime.fromtimestamp(seconds, tz=UTC)
            except (OverflowError, OSError, ValueError):
                pass
        else:
            try:
                return super().read(raw)
            except ValueError:
                pass
        raise ValueError(
            f"expected a time, got {show(raw, 40)}; "
            "use ISO 8601 (`date -Iseconds`) or Unix seconds (`date +%s`)"
        )

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        return {
            "description": "ISO 8601 (date -Iseconds) or Unix seconds (date +%s).",
            "anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}],
        }


class ParityDiffEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One place where the Go output differs from the Python one."""

    path: Annotated[Text, msgspec.Meta(description="Where the outputs differ, e.g. outputs[2].content.")]
    python: Annotated[Any, msgspec.Meta(description="The Python value (any JSON).")] = None
    go: Annotated[Any, msgspec.Meta(description="The Go value (any JSON).")] = None


class ParityTestResult(msgspec.Struct, frozen=True, kw_only=True):
    """ParityTestResult: one cross-language parity run of one fixture.

    A document is a result when it says `kind: result` or has a `status`. Unknown fields are ignored.
    """

    json_schema_extra: ClassVar[dict[str, Any]] = {
        "anyOf": [{"required": ["fixture"]}, {"required": ["name"]}]
    }

    kind: Literal["result"] | None = None
    fixture: Annotated[Text, msgspec.Meta(description="The ParityFixture this run executed.")] | None = None
    name: Annotated[Text, msgspec.Meta(description="Alias of `fixture`.")] | None = None
    status: StatusWord
    runtime: GoRuntime | None = None
    diffs: tuple[ParityDiffEntry, ...] = ()
    metrics_match: YesNo | None = None
    ran_at: RunTime | None = None
    timestamp: Annotated[RunTime, msgspec.Meta(description="Alias of `ran_at`.")] | None = None
    time: Annotated[RunTime, msgspec.Meta(description="Alias of `ran_at`.")] | None = None
    modules: (
        Annotated[
            Names, msgspec.Meta(description="Module ids this run exercises, in addition to its fixture's.")
        ]
        | None
    ) = None

    def __post_init__(self) -> None:
        if self.fixture is None and self.name is None:
            raise ValueError("missing `fixture`; add `fixture: <name>`")

    @property
    def fixture_name(self) -> str:
        return self.fixture or self.name or ""

    @property
    def when(self) -> datetime | None:
        for t in (self.ran_at, self.timestamp, self.time):
            if t is not None:
                return t.value
        return None


class ParityFixture(msgspec.Struct, frozen=True, kw_only=True):
    """ParityFixture: what one parity fixture exercises.

    A document without `status` is a fixture. Every module id (and models.<provider> for each
    provider) must exist in the matrix. Unknown fields are ignored.
    """

    json_schema_extra: ClassVar[dict[str, Any]] = {
        "not": {"required": ["status"]},
        "anyOf": [{"required": ["fixture"]}, {"required": ["name"]}, {"required": ["id"]}],
    }

    kind: Literal["fixture"] | None = None
    fixture: Annotated[Text, msgspec.Meta(description="Unique fixture name; results refer to it.")] | None = (
        None
    )
    name: Annotated[Text, msgspec.Meta(description="Alias of `fixture`.")] | None = None
    id: Annotated[Text, msgspec.Meta(description="Alias of `fixture`.")] | None = None
    description: Annotated[str, msgspec.Meta(description="What the fixture checks.")] | None = None
    workflow: Annotated[Text, msgspec.Meta(description="The workflow the fixture runs.")] | None = None
    agents: Annotated[Names, msgspec.Meta(description="Agent names in the fixture.")] | None = None
    providers: (
        Annotated[
            Names,
            msgspec.Meta(
                description="Each becomes module id models.<provider> (or is used as is when it holds a dot)."
            ),
        ]
        | None
    ) = None
    modules: Annotated[Names, msgspec.Meta(description="Module ids, e.g. tools.calculator.")] | None = None
    tolerances: (
        Annotated[dict[str, Tolerance], msgspec.Meta(description="Metric -> allowed relative difference.")]
        | None
    ) = None

    def __post_init__(self) -> None:
        if self.fixture is None and self.name is None and self.id is None:
            raise ValueError("missing `fixture`; add `fixture: <name>`")

    @property
    def fixture_name(self) -> str:
        return self.fixture or self.name or self.id or ""


# --- what the join works on ---------------------------------------------------------------------------------


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
                        f"fixture {fx.name!r} is defined twice (first in {location(other.file, other.line)})",
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
                    f"expected a list, got {_kind(block)}",
                    file=file,
                    line=line_of(lines, f"$.{key}"),
                    path=f"$.{key}",
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
                f"expected result or fixture, got {show(kind)}",
                file=file,
                line=line_of(lines, f"{path}.kind"),
                path=f"{path}.kind",
            )
        yield doc, path, str(kind)


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def _names(value: Names | None, path: str, lines: Lines) -> tuple[list[str], list[tuple[str, int | None]]]:
    """The names of a ``Names`` field, each with the JSON path and line that wrote it (for errors)."""
    if value is None:
        return [], []
    items = [value] if isinstance(value, str) else list(value)
    where = [f"{path}[{i}]" for i in range(len(items))]
    return items, [(w, line_of(lines, w)) for w in where]


def _fixture(doc: Mapping[str, Any], path: str, file: str, lines: Lines) -> Fixture:
    fx = convert(doc, ParityFixture, file=file, lines=lines, path=path)
    modules, module_fields = _names(fx.modules, f"{path}.modules", lines)
    providers, provider_fields = _names(fx.providers, f"{path}.providers", lines)
    for provider, field in zip(providers, provider_fields, strict=True):
        mid = provider if "." in provider else f"models.{provider}"
        if mid not in modules:
            modules.append(mid)
            module_fields.append(field)
    agents, _ = _names(fx.agents, f"{path}.agents", lines)
    return Fixture(
        name=fx.fixture_name,
        file=file,
        line=line_of(lines, path),
        modules=tuple(modules),
        module_fields=tuple(module_fields),
        workflow=fx.workflow,
        agents=tuple(agents),
        providers=tuple(providers),
        tolerances={str(k): v.value for k, v in (fx.tolerances or {}).items()},
    )


def _result(doc: Mapping[str, Any], path: str, file: str, lines: Lines) -> _Run:
    r = convert(doc, ParityTestResult, file=file, lines=lines, path=path)
    modules, module_fields = _names(r.modules, f"{path}.modules", lines)
    result = ParityResult(
        fixture=r.fixture_name,
        status=ParityStatus(r.status.value),
        diffs=tuple(ParityDiff(path=d.path, python=_plain(d.python), go=_plain(d.go)) for d in r.diffs),
        metrics_match=None if r.metrics_match is None else r.metrics_match.value,
        ran_at=r.when,
        modules=tuple(modules),
        source=file,
    )
    return _Run(result=result, line=line_of(lines, path), module_fields=tuple(module_fields))


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

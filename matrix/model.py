"""The contract: one support-matrix document, schema_version 1.

Every source (committed snapshot, control-plane API, source-tree scan) produces a
:class:`SupportMatrix`; every consumer (site, README, check, diff, server) reads one.
The classes are frozen msgspec Structs: unknown fields are rejected, and each
cross-field rule is checked in ``__post_init__`` so a bad document fails at the
load boundary with the JSON path of the offending value (``$.modules[3]``).
Everything after the boundary trusts the model.
"""

from __future__ import annotations

import contextvars
import enum
from datetime import datetime
from typing import Annotated, Any, Final, Literal, get_args

import msgspec

from ._kinds import SourceKind as SourceKind  # re-exported: the contract's name for it
from .i18n import catalogue

#: The contract's version: the one value ``SupportMatrix.schema_version`` accepts.
SchemaVersion = Literal[1]
SCHEMA_VERSION: Final[int] = get_args(SchemaVersion)[0]

_ID = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_\-]+)+$")]
_FAMILY_ID = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]*$")]
_COUNT = Annotated[int, msgspec.Meta(ge=0)]


#: False only while :func:`matrix.sources.snapshot.decode_trusted` decodes bytes this tool validated
#: before (its cache checks their digest): the cross-field rules in ``__post_init__`` then return at once.
CROSS_FIELD_CHECKS: contextvars.ContextVar[bool] = contextvars.ContextVar("cross_field_checks", default=True)


class _Struct(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base: immutable and strict about unknown fields; construct with keywords."""


class Status(enum.StrEnum):
    """Where a module stands in the Go runtime. Values are what the JSON carries.

    What each status means to a reader (label, tooltip, colour token, order, whether it counts
    as in Go...) is one row of :data:`STATUS_TABLE`; every consumer reads it from there.
    """

    MIGRATED = "migrated"
    PARTIAL = "partial"
    NOT_MIGRATED = "not_migrated"
    WONT_PORT = "wont_port"
    GO_ONLY = "go_only"
    UNKNOWN = "unknown"

    @property
    def info(self) -> StatusInfo:
        return STATUS_TABLE[self]

    @property
    def label(self) -> str:
        """The words a reader sees on a badge."""
        return STATUS_TABLE[self].label

    @property
    def tooltip(self) -> str:
        """The hover text of a badge (``runtime=python-only`` for not_migrated)."""
        return STATUS_TABLE[self].tooltip

    @property
    def in_go(self) -> bool:
        """True when real Go code exists for the module (fully or partly)."""
        return STATUS_TABLE[self].in_go

    @property
    def python_only(self) -> bool:
        """True when a program using the module cannot run on the Go runtime today."""
        return STATUS_TABLE[self].python_only


class StatusInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One row of the status table: everything a consumer needs to present a status."""

    key: str
    """Where its words are in the message catalogue (``matrix/messages.toml``): ``<key>.label`` is the
    badge text, ``<key>.tooltip`` the hover text (``runtime=...`` first, as telemetry tags it)."""
    token: str
    """CSS colour token: ``var(--agno-<token>)`` (docs/assets/agno.css defines one per status)."""
    runtime: Literal["go", "python-only", "unknown"]
    """The ``runtime=`` tag a reader sees (``data-runtime`` on support boxes)."""
    in_go: bool
    """Counts as running in Go (home and family progress, recipe readiness)."""
    python_only: bool
    """Listed on the "Not yet in Go" page: code using it needs the Python runtime."""
    level: int
    """How much of the module runs in Go, for the diff (higher is better; a drop is a demotion)."""

    @property
    def label(self) -> str:
        """Badge text in English (pages in other languages ask the catalogue by ``key``)."""
        return catalogue().text(f"{self.key}.label", "en")

    @property
    def tooltip(self) -> str:
        """Hover text in English (``runtime=...`` first)."""
        return catalogue().text(f"{self.key}.tooltip", "en")


#: The one table of what a status means; its order is the display order (legend, sort, summaries).
#: Adding a status is one row here, its words in matrix/messages.toml (``status.<value>``) and its
#: colour token in docs/assets/agno.css.
STATUS_TABLE: dict[Status, StatusInfo] = {
    Status.MIGRATED: StatusInfo(
        key="status.migrated", token="migrated", runtime="go", in_go=True, python_only=False, level=3,
    ),
    Status.PARTIAL: StatusInfo(
        key="status.partial", token="partial", runtime="go", in_go=True, python_only=False, level=2,
    ),
    Status.NOT_MIGRATED: StatusInfo(
        key="status.not_migrated", token="not_migrated", runtime="python-only", in_go=False, python_only=True,
        level=1,
    ),
    Status.WONT_PORT: StatusInfo(
        key="status.wont_port", token="wont_port", runtime="python-only", in_go=False, python_only=True,
        level=1,
    ),
    Status.GO_ONLY: StatusInfo(
        key="status.go_only", token="go_only", runtime="go", in_go=True, python_only=False, level=3,
    ),
    Status.UNKNOWN: StatusInfo(
        key="status.unknown", token="unknown", runtime="unknown", in_go=False, python_only=False, level=1,
    ),
}

#: Display order of statuses (legend, sorting, summaries).
STATUS_ORDER: tuple[Status, ...] = tuple(STATUS_TABLE)


class Source(_Struct, frozen=True):
    """Where this document came from."""

    kind: SourceKind
    url: str | None = None
    """The API URL for ``api``; the snapshot it was read from for ``snapshot``."""
    trees: dict[str, str] = {}
    """For ``scan``: role (``python``, ``go``) to the tree reference (commit or path)."""
    profile: str | None = None
    """For ``scan``: the profile name that mapped the trees."""


class Provenance(_Struct, frozen=True):
    """Which baseline or runtime the matrix describes. Stamped on every page."""

    name: str
    version: str | None = None
    commit: str | None = None
    version_from: str | None = None
    """Where the version was read (``libs/agno/pyproject.toml``, ``git tag``...)."""
    repository: str | None = None
    module: str | None = None
    """The runtime's Go module path (``go.mod``), which Go import lines start with."""
    date: datetime | None = None
    """When that commit (or release tag) was made, when the tree's history is known."""


class Family(_Struct, frozen=True):
    id: _FAMILY_ID
    title: str
    order: _COUNT


class PythonRef(_Struct, frozen=True):
    path: str
    """Path in the baseline tree, e.g. ``libs/agno/agno/tools/calculator.py``."""
    symbols: tuple[str, ...] = ()


class GoRef(_Struct, frozen=True):
    package: str
    """Package directory relative to the runtime checkout, e.g. ``pkg/tools/calculator``."""
    symbols: tuple[str, ...] = ()
    also: tuple[str, ...] = ()
    """Further package directories that make up the module (``internal/...``, a shared package the
    thin one delegates to), in the order the profile lists them."""


class UnitKind(enum.StrEnum):
    """What a module's measured units are; the profile declares it per family."""

    FUNCTIONS = "functions"
    """Toolkit functions an agent can call (``web_search``)."""
    CAPABILITIES = "capabilities"
    """Provider capabilities (``streaming``, ``tool_calling``, ``structured_output``...)."""
    ENDPOINTS = "endpoints"
    """HTTP endpoints, ``METHOD /path`` with parameters written ``{}``."""
    GROUPS = "groups"
    """Capability groups of a store (``sessions``, ``memories``...; ``search``, ``delete``...)."""
    FIELDS = "fields"
    """Constructor parameters / config fields of core classes (``Agent.knowledge``), and the
    values an enum-typed one accepts (``Team.mode=tasks``)."""
    SYMBOLS = "symbols"
    """Public classes and functions the module defines."""


class UnitState(enum.StrEnum):
    PORTED = "ported"
    """A real Go counterpart exists."""
    MISSING = "missing"
    """No Go counterpart."""
    STUB = "stub"
    """A Go counterpart exists but is a stub (canned data, "not implemented"...): counts as nothing."""


class Loc(_Struct, frozen=True):
    """A place in one of the two trees, relative to its checkout (linkable at the pinned commit)."""

    path: str
    line: _COUNT | None = None


class Unit(_Struct, frozen=True):
    """One measured unit of a module, with the evidence on each side."""

    name: str
    """The baseline spelling (``web_search``, ``POST /agents/{}/runs``, ``Agent.knowledge``)."""
    state: UnitState
    python: Loc | None = None
    """Where the baseline defines it (None for a Go-only unit)."""
    go: Loc | None = None
    """Where the runtime defines its counterpart (ported or stub)."""
    go_name: str | None = None
    """The Go spelling, where it differs (``search``, ``POST /api/v1/agents/:id/run``, ``Config.Mode``)."""
    note: str | None = None
    """For a stub: what gives it away (``returns canned data: example.com``); otherwise a remark."""


class Coverage(_Struct, frozen=True):
    """Unit-level coverage: baseline units with a real Go counterpart.

    ``ported + len(missing) + len(stubs) == total``; ``units`` (when present) lists every
    baseline unit with its evidence, in baseline order, and agrees with the counts (Go units with
    no baseline counterpart are only named, in ``extra``).
    """

    ported: _COUNT
    total: _COUNT
    missing: tuple[str, ...] = ()
    """Baseline unit names with no Go counterpart."""
    extra: tuple[str, ...] = ()
    """Go unit names with no baseline counterpart."""
    kind: UnitKind = UnitKind.FUNCTIONS
    stubs: tuple[str, ...] = ()
    """Baseline unit names whose Go counterpart is a stub (not counted as ported)."""
    units: tuple[Unit, ...] = ()

    def __post_init__(self) -> None:
        if not CROSS_FIELD_CHECKS.get():
            return
        if self.ported > self.total:
            raise ValueError(f"`ported` ({self.ported}) is greater than `total` ({self.total})")
        if len(self.missing) + len(self.stubs) != self.total - self.ported:
            raise ValueError(
                f"`missing` and `stubs` list {len(self.missing) + len(self.stubs)} names "
                f"but total - ported is {self.total - self.ported}"
            )
        if self.units:
            by_state = {s: [u.name for u in self.units if u.state is s] for s in UnitState}
            if (
                len(self.units) != self.total
                or len(by_state[UnitState.PORTED]) != self.ported
                or tuple(by_state[UnitState.MISSING]) != self.missing
                or tuple(by_state[UnitState.STUB]) != self.stubs
            ):
                raise ValueError("`units` disagree with `ported`, `total`, `missing` or `stubs`")

    @property
    def ratio(self) -> float:
        return self.ported / self.total if self.total else 1.0


class Capability(_Struct, frozen=True):
    """Evidence of a feature (streaming, tool_calling, ...) on each side; None = no evidence."""

    name: str
    python: bool | None = None
    go: bool | None = None


class ParitySummary(_Struct, frozen=True):
    """The parity evidence joined onto one module."""

    passed: _COUNT = 0
    failed: _COUNT = 0
    errored: _COUNT = 0
    fixtures: tuple[str, ...] = ()
    first_failure: str | None = None
    """``fixture: path (python=..., go=...)`` of the first failing diff, if any."""


class Module(_Struct, frozen=True):
    id: _ID
    """``<family>.<baseline name>``; go-only modules use the Go name."""
    family: _FAMILY_ID
    title: str
    status: Status
    python: PythonRef | None = None
    go: GoRef | None = None
    coverage: Coverage | None = None
    capabilities: tuple[Capability, ...] = ()
    parity: ParitySummary | None = None
    reason: str | None = None
    """Why it will not be ported (required for ``wont_port``)."""
    notes: str | None = None
    """What is missing (required for ``partial``)."""
    tracking: str | None = None
    since: str | None = None
    """First runtime version that had it, when history is known."""

    def __post_init__(self) -> None:
        if not CROSS_FIELD_CHECKS.get():
            return
        if not self.id.startswith(self.family + "."):
            raise ValueError(f"`id` {self.id!r} does not start with its family {self.family!r} and a dot")
        if self.status is Status.WONT_PORT and not self.reason:
            raise ValueError(f"module {self.id!r} is `wont_port` but has no `reason`")
        if self.status is Status.PARTIAL and not self.notes:
            raise ValueError(f"module {self.id!r} is `partial` but has no `notes` saying what is missing")
        if self.status is Status.GO_ONLY and (self.go is None or self.python is not None):
            raise ValueError(f"module {self.id!r} is `go_only` but does not have `go` set and `python` null")
        if self.status in (Status.MIGRATED, Status.PARTIAL) and self.go is None:
            raise ValueError(f"module {self.id!r} is `{self.status.value}` but has no `go` reference")
        if self.status is Status.NOT_MIGRATED and self.go is not None and not self.notes:
            raise ValueError(
                f"module {self.id!r} is `not_migrated` with a `go` reference but no `notes` saying what the "
                "Go code holds instead"
            )


class ParityStatus(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"


class ParityDiff(_Struct, frozen=True):
    path: str
    """Where the outputs differ, e.g. ``outputs[2].content``."""
    python: Any = None
    go: Any = None


class ParityResult(_Struct, frozen=True):
    """One cross-language parity run of one fixture."""

    fixture: str
    status: ParityStatus
    diffs: tuple[ParityDiff, ...] = ()
    metrics_match: bool | None = None
    runtime: Literal["go"] = "go"
    ran_at: datetime | None = None
    modules: tuple[str, ...] = ()
    """Module ids the fixture exercises (from its ParityFixture)."""
    source: str | None = None
    """The results file this came from, for links and error messages."""


class BenchEnv(_Struct, frozen=True):
    goos: str | None = None
    goarch: str | None = None
    cpu: str | None = None
    pkg: str | None = None
    python: str | None = None
    """Python version of a Python-side baseline."""


class BenchSide(_Struct, frozen=True):
    metrics: dict[str, float]
    """Unit to value, medians over runs: ``{"ns/op": 1234.0, "B/op": 64.0}``."""
    runs: Annotated[int, msgspec.Meta(ge=1)] = 1
    env: BenchEnv | None = None


class Benchmark(_Struct, frozen=True):
    name: str
    python: BenchSide | None = None
    go: BenchSide | None = None
    ratios: dict[str, float] = {}
    """Go / Python per metric present on both sides."""
    measured_at: datetime | None = None


class Recipe(_Struct, frozen=True):
    """One baseline cookbook recipe and whether it can run on the Go runtime.

    A recipe runs in Go (``go_ready``) only when every module it uses is in Go, every feature it
    uses is a ported unit, and every ``agno.*`` import maps to a module: ``go_ready`` is true
    exactly when ``blocked_by``, ``blocked_by_features`` and ``unmapped`` are all empty.
    """

    path: str
    title: str
    go_ready: bool
    modules: tuple[str, ...] = ()
    """Module ids the recipe uses (its own imports and those of the local recipes it imports)."""
    go_example: str | None = None
    """Path of the matching Go example in the runtime tree, if any."""
    blocked_by: tuple[str, ...] = ()
    """Module ids among ``modules`` that are not in Go."""
    features: tuple[str, ...] = ()
    """Core features the recipe uses, named as core units (``Agent.output_schema``,
    ``Team.mode=tasks``, ``tool(requires_confirmation)``)."""
    blocked_by_features: tuple[str, ...] = ()
    """Those of ``features`` that are not ported units in Go."""
    unmapped: tuple[str, ...] = ()
    """``agno.*`` imports that map to no module (``agno.environments``): they block the recipe."""
    local: tuple[str, ...] = ()
    """Cookbook paths of sibling recipes it imports (their modules and features count as its own)."""

    def __post_init__(self) -> None:
        if not CROSS_FIELD_CHECKS.get():
            return
        blocked = bool(self.blocked_by or self.blocked_by_features or self.unmapped)
        if self.go_ready == blocked:
            raise ValueError(
                f"recipe {self.path!r}: `go_ready` must be true exactly when `blocked_by`, "
                "`blocked_by_features` and `unmapped` are all empty"
            )
        stray = sorted(set(self.blocked_by) - set(self.modules))
        if stray:
            raise ValueError(f"recipe {self.path!r}: `blocked_by` names {stray} which are not in `modules`")
        stray = sorted(set(self.blocked_by_features) - set(self.features))
        if stray:
            raise ValueError(
                f"recipe {self.path!r}: `blocked_by_features` names {stray} which are not in `features`"
            )


class Diagnostic(_Struct, frozen=True):
    """Something the source could not read (an unparsable file); counted, never fatal."""

    file: str
    message: str
    line: int | None = None


class SupportMatrix(_Struct, frozen=True):
    schema_version: SchemaVersion
    generated_at: datetime
    source: Source
    baseline: Provenance
    runtime: Provenance
    families: tuple[Family, ...]
    modules: tuple[Module, ...]
    parity: tuple[ParityResult, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    recipes: tuple[Recipe, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def __post_init__(self) -> None:
        if not CROSS_FIELD_CHECKS.get():
            return
        if not self.modules:
            raise ValueError("`modules` is empty: a matrix without modules is a failed source, not data")
        family_ids = [f.id for f in self.families]
        _no_duplicates(family_ids, "families")
        ids = [m.id for m in self.modules]
        _no_duplicates(ids, "modules")
        known_families = set(family_ids)
        for i, m in enumerate(self.modules):
            if m.family not in known_families:
                raise ValueError(f"modules[{i}] ({m.id}) names family {m.family!r}, which `families` lacks")
        known = set(ids)
        for i, r in enumerate(self.recipes):
            unknown = sorted(set(r.modules) - known)
            if unknown:
                raise ValueError(f"recipes[{i}] ({r.path}) names unknown modules {unknown}")
        for i, p in enumerate(self.parity):
            unknown = sorted(set(p.modules) - known)
            if unknown:
                raise ValueError(f"parity[{i}] ({p.fixture}) names unknown modules {unknown}")

    # Convenience views; cheap enough to rebuild, callers keep the result.
    def modules_by_id(self) -> dict[str, Module]:
        return {m.id: m for m in self.modules}

    def family_modules(self, family: str) -> list[Module]:
        return [m for m in self.modules if m.family == family]


def _no_duplicates(values: list[str], field: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"`{field}` has the id {v!r} twice")
        seen.add(v)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the contract (draft 2020-12), as published on the site."""
    schema = msgspec.json.schema(SupportMatrix)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"Agno Go runtime support matrix (schema_version {SCHEMA_VERSION})"
    return schema

"""Go Runtime Quickstart: "does this step run in Go?", what the pinned runtime serves, what is planned.

``{{ needs("core.agent", "core.workflow", features="Agent.model Workflow.steps") }}`` says, right
at the step, whether every module the step uses is in Go and every core feature it uses (a measured
unit: ``Agent.instructions``, ``Team.mode=tasks``) is ported; a python-only module or a missing
feature turns it into a warning that names it. Template: ``needs`` (Markdown, so MkDocs resolves
the link to the "Not yet in Go" page relative to the page).

Today vs target: ``{{ planned("what") }}`` opens the one admonition that marks the runtime's
*planned* contract (its migration spec: the ``/v1/runtime/go/...`` control plane, the
``not_migrated`` start-up error, telemetry tagged ``runtime=go``); the page indents what belongs
in it under the call. ``{{ planned_badge() }}`` is the same mark inline. ``agno-docs check`` reads
both marks: anything planned outside them is a finding. ``{{ go_get() }}`` and
``{{ runtime_routes() }}`` show what the pinned runtime has today, from the matrix.
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from .._endpoints import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from ..errors import UsageError
from ..model import Module, Provenance, Status, SupportMatrix, Unit, UnitKind, UnitState
from ..sources import Loaded
from . import links, lookup
from .registry import Arg, Macro
from .templating import Templates

#: The endpoints of the planned contract that ``agno-docs serve-runtime`` implements today.
REFERENCE_ENDPOINTS: tuple[str, ...] = (
    f"GET {SUPPORT_MATRIX_PATH}",
    f"GET {BENCHMARKS_PATH}",
    f"POST {BENCHMARKS_PATH}",
    f"GET {TELEMETRY_PATH}",
)
#: The title of the planned-contract admonition; ``agno-docs check`` recognises the macros, not this text.
PLANNED_TITLE = "Planned contract (agno-Go migration spec)"


# --- needs() -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Feature:
    """A core feature a step uses, with the module whose unit it is."""

    name: str
    module: Module | None
    state: UnitState | None
    """None: the matrix has no unit of that name (``agno-docs check`` reports it as a typo)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Needs:
    modules: tuple[Module, ...]
    python_only: tuple[Module, ...]
    unknown: tuple[Module, ...]
    partial: tuple[Module, ...]
    features: tuple[Feature, ...] = ()
    missing_features: tuple[Feature, ...] = ()
    unmeasured: tuple[Feature, ...] = ()

    @property
    def runs(self) -> bool:
        return not (self.python_only or self.unknown or self.missing_features or self.unmeasured)


def feature_units(matrix: SupportMatrix) -> dict[str, tuple[Module, Unit]]:
    """Every measured core feature (a ``fields`` unit: ``Agent.model``, ``Team.mode=tasks``), by name."""

    def build(m: SupportMatrix) -> dict[str, tuple[Module, Unit]]:
        out: dict[str, tuple[Module, Unit]] = {}
        for mod in m.modules:
            if mod.coverage is not None and mod.coverage.kind is UnitKind.FIELDS:
                for u in mod.coverage.units:
                    out.setdefault(u.name, (mod, u))
        return out

    return lookup.per_matrix(matrix, "feature_units", build)


def feature(matrix: SupportMatrix, name: str) -> Feature:
    """The measured feature of this name; one the matrix does not measure has no state (no evidence)."""
    hit = feature_units(matrix).get(name)
    return Feature(name, None, None) if hit is None else Feature(name, hit[0], hit[1].state)


def needs(t: Templates, matrix: SupportMatrix, module_ids: tuple[str, ...],
          not_in_go_url: str = "not-in-go.md", features: str = "") -> Markup:
    """An admonition: "Runs in Go" when every module is in Go and every feature ported, else a warning."""
    if not module_ids:
        return Markup("")
    mods = tuple(lookup.module(matrix, mid) for mid in module_ids)
    feats = tuple(feature(matrix, name) for name in features.split())
    view = Needs(mods, tuple(m for m in mods if m.status.python_only),
                 tuple(m for m in mods if m.status is Status.UNKNOWN),
                 tuple(m for m in mods if m.status is Status.PARTIAL),
                 feats, tuple(f for f in feats if f.state not in (UnitState.PORTED, None)),
                 tuple(f for f in feats if f.state is None))
    return t.render("needs.md.jinja", view=view, not_in_go_url=not_in_go_url)


def _needs(t: Templates, data: Loaded, *module_ids: str, not_in_go_url: str = "not-in-go.md",
           features: str = "") -> Markup:
    """Whether a step that uses these modules (and these core features) runs in Go."""
    return needs(t, data.matrix, module_ids, not_in_go_url, features)


# --- today vs target -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class PlannedView:
    title: str
    what: str
    runtime: Provenance
    reference: tuple[str, ...]


def planned(t: Templates, matrix: SupportMatrix, what: str = "") -> Markup:
    """The planned-contract admonition's head; the page indents the planned content below the call."""
    view = PlannedView(PLANNED_TITLE, what, matrix.runtime, REFERENCE_ENDPOINTS)
    return t.render("planned.md.jinja", view=view)


def planned_badge(t: Templates, matrix: SupportMatrix) -> Markup:
    """The same mark inline, for one line (a table row, a sentence)."""
    return t.render("planned_badge.html.jinja", title=PLANNED_TITLE, runtime=matrix.runtime)


def go_get(t: Templates, matrix: SupportMatrix) -> Markup:
    """``go get <runtime module>@<commit>``: the runtime this site describes, pinned."""
    rt = matrix.runtime
    if not rt.module:
        raise UsageError("the matrix does not name the runtime's Go module (runtime.module)",
                         where=lookup.WHERE, hint="recompute it with `agno-docs compute` (it reads go.mod)")
    pin = rt.commit[:12] if rt.commit else (rt.version or "latest")
    return t.render("go_get.html.jinja", runtime=rt, pin=pin)


@dataclasses.dataclass(frozen=True, slots=True)
class Route:
    """One HTTP endpoint the runtime serves, with the baseline endpoint it stands for (if any)."""

    go: str
    python: str | None
    module: Module
    source: str | None
    """``<repository>/blob/<commit>/<path>#L<line>``, when the matrix knows where."""
    where: str | None
    """``path:line`` of the route in the runtime tree."""


def source_url(rt: Provenance, path: str, line: int | None) -> str | None:
    """A link to a runtime file at the pinned commit (None when it cannot be a safe link):
    :func:`matrix.render.links.source_url`."""
    return links.source_url(rt, path, line)


def routes(matrix: SupportMatrix) -> list[Route]:
    """The endpoints the runtime serves: ported endpoint units (Go spelling) and Go-only ones, by path."""
    out: list[Route] = []
    for mod in matrix.modules:
        cov = mod.coverage
        if cov is None or cov.kind is not UnitKind.ENDPOINTS or not mod.status.in_go:
            continue
        for u in cov.units:
            if u.state is UnitState.PORTED:
                loc = u.go
                url = source_url(matrix.runtime, loc.path, loc.line) if loc else None
                where = (f"{loc.path}:{loc.line}" if loc.line else loc.path) if loc else None
                out.append(Route(u.go_name or u.name, u.name, mod, url, where))
        out.extend(Route(name, None, mod, None, None) for name in cov.extra)
    unique: dict[str, Route] = {}
    for r in out:
        unique.setdefault(r.go, r)
    return sorted(unique.values(), key=lambda r: (r.go.split(" ", 1)[-1], r.go))


def runtime_routes(t: Templates, matrix: SupportMatrix) -> Markup:
    """A table of the HTTP endpoints the pinned runtime serves, with the evidence line of each."""
    return t.render("runtime_routes.html.jinja", routes=routes(matrix), runtime=matrix.runtime)


def _planned(t: Templates, data: Loaded, what: str = "") -> Markup:
    """The planned-contract admonition (indent what is planned under the call)."""
    return planned(t, data.matrix, what)


def _planned_badge(t: Templates, data: Loaded) -> Markup:
    """The planned-contract mark, inline."""
    return planned_badge(t, data.matrix)


def _go_get(t: Templates, data: Loaded) -> Markup:
    """``go get`` of the runtime this site describes."""
    return go_get(t, data.matrix)


def _runtime_routes(t: Templates, data: Loaded) -> Markup:
    """The HTTP endpoints the runtime serves today."""
    return runtime_routes(t, data.matrix)


MACROS: tuple[Macro, ...] = (
    Macro("needs", _needs, (Arg.MODULE_ID,), variadic=True),
    Macro("planned", _planned, (Arg.TEXT,)),
    Macro("planned_badge", _planned_badge),
    Macro("go_get", _go_get),
    Macro("runtime_routes", _runtime_routes),
)

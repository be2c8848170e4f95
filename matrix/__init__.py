"""agno-docs: the Agno Go runtime support matrix, computed, fetched, checked and rendered.

The map (one module per concern; everything here is pure Python and never imports mkdocs):

Contract (re-exported here: ``from matrix import SupportMatrix, Status, UsageError``)
    ``matrix.model``      SupportMatrix, Module, Status (its meaning in ``STATUS_TABLE``), Coverage
                          of measured Units (UnitKind, UnitState, each with a Loc on both sides),
                          Capability, ParityResult, Benchmark, Recipe, Diagnostic; ``json_schema()``
    ``matrix.errors``     AgnoDocsError > UsageError (2) > MarkerError; SourceError (3) > ContractError;
                          WriteError (3); ``location(file, line)``: the one ``file:line`` format
Sources (each returns a validated SupportMatrix)
    ``matrix.sources``    ``load(settings) -> Loaded(matrix, stale)``: the one entry point;
                          ``load_site`` adds what pages show besides the matrix
    ``matrix.sources.snapshot``  committed/fetched JSON; ``decode``, ``load``, ``encode``, ``dump``
    ``matrix.sources.scan``      compute from the baseline and runtime source trees
    ``matrix.sources.api``       the runtime control plane over HTTP, with the fallback policy
    ``matrix.sources.parity``, ``matrix.sources.benchmarks``  evidence files joined into a matrix
    ``matrix.settings``   Settings from ``AGNO_*`` variables and CLI flags
    ``matrix.profiles``   scan profiles as data (``agno.toml`` ships)
    ``matrix.schemas``    JSON Schemas of the evidence formats, generated from their Structs
Consumers
    ``matrix.render``     model -> view objects -> autoescaping Jinja templates; ``macros()`` for the site
    ``matrix.readme``     support-matrix blocks between README markers
    ``matrix.check``      the docs never claim what the runtime cannot do
    ``matrix.diff``       typed change records between two matrices, as text, Markdown or annotations
    ``matrix.telemetry``  read, audit and redact runtime telemetry events
    ``matrix.server``     the reference control-plane server (tests, ``serve-runtime``)
    ``matrix.cli``        ``agno-docs`` (one module per subcommand under ``matrix.commands``)
Plumbing
    ``matrix._net``       HTTP on the standard library under one total deadline
    ``matrix._io``        atomic writes that respect their target
    ``matrix._endpoints`` the control-plane paths
"""

from __future__ import annotations

from .errors import AgnoDocsError, ContractError, MarkerError, SourceError, UsageError, WriteError, location

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (~2.5 ms on every command)
if TYPE_CHECKING:
    from .model import (
        STATUS_ORDER,
        STATUS_TABLE,
        Benchmark,
        Capability,
        Coverage,
        Diagnostic,
        Family,
        GoRef,
        Loc,
        Module,
        ParityResult,
        Provenance,
        PythonRef,
        Recipe,
        Status,
        StatusInfo,
        SupportMatrix,
        Unit,
        UnitKind,
        UnitState,
        json_schema,
    )


def __getattr__(name: str) -> object:
    """The model's names, imported on first use: every ``matrix.*`` import runs this file, and the
    model (msgspec) is ~40 ms that ``agno-docs compute``'s express path and ``--help`` do without."""
    if name in __all__:
        from . import model

        value = getattr(model, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "STATUS_ORDER",
    "STATUS_TABLE",
    "AgnoDocsError",
    "Benchmark",
    "Capability",
    "ContractError",
    "Coverage",
    "Diagnostic",
    "Family",
    "GoRef",
    "Loc",
    "MarkerError",
    "Module",
    "ParityResult",
    "Provenance",
    "PythonRef",
    "Recipe",
    "SourceError",
    "Status",
    "StatusInfo",
    "SupportMatrix",
    "Unit",
    "UnitKind",
    "UnitState",
    "UsageError",
    "WriteError",
    "json_schema",
    "location",
]

"""agno-docs: the Agno Go runtime support matrix, computed, fetched, checked and rendered.

The map (one module per concern; everything here is pure Python and never imports mkdocs):

Contract
    ``matrix.model``      SupportMatrix, Module, Status, ParityResult, Benchmark, Recipe; ``json_schema()``
    ``matrix.errors``     AgnoDocsError > UsageError (2) > MarkerError; SourceError (3) > ContractError
Sources (each returns a validated SupportMatrix)
    ``matrix.sources``    ``load(settings) -> Loaded(matrix, stale)``: the one entry point
    ``matrix.sources.snapshot``  committed/fetched JSON; ``decode``, ``load``, ``encode``, ``dump``
    ``matrix.sources.scan``      compute from the baseline and runtime source trees
    ``matrix.sources.api``       the runtime control plane over HTTP, with the fallback policy
    ``matrix.settings``   Settings from ``AGNO_*`` variables and CLI flags
    ``matrix.profiles``   scan profiles as data (``agno.toml`` ships)
Consumers
    ``matrix.render``     model -> Markdown/HTML strings; ``macros()`` for the site
    ``matrix.readme``, ``matrix.check``, ``matrix.diff``, ``matrix.server``
    ``matrix.cli``        ``agno-docs`` (one module per subcommand under ``matrix.commands``)
"""

from __future__ import annotations

from .errors import AgnoDocsError, ContractError, MarkerError, SourceError, UsageError
from .model import (
    Benchmark,
    Family,
    Module,
    ParityResult,
    Recipe,
    Status,
    SupportMatrix,
    json_schema,
)

__all__ = [
    "AgnoDocsError",
    "Benchmark",
    "ContractError",
    "Family",
    "MarkerError",
    "Module",
    "ParityResult",
    "Recipe",
    "SourceError",
    "Status",
    "SupportMatrix",
    "UsageError",
    "json_schema",
]

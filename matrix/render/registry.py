"""The macros a page can call, in one registry: name, function, and what kind each argument is.

Each render module lists its macros as :class:`Macro` records; :func:`registry` gathers them.
The argument kinds are what ``agno-docs check`` needs to verify a page without rendering it (a
module id must exist, a recipe path must be in the cookbook...), and what the binding uses to
turn a wrong call into a one-line :class:`~matrix.errors.UsageError` instead of a traceback.

:data:`SIGNATURES` states every macro's argument kinds once more, as a table that imports no
renderer: ``check`` reads it (:func:`taking`, :func:`signatures`) without loading the templates, and
:func:`registry` refuses to run when a render module's ``MACROS`` disagree with it.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..errors import UsageError

#: Render modules that define a ``MACROS: tuple[Macro, ...]``.
MODULES: tuple[str, ...] = (
    "badges",  # module(), support_box(), status_badge()
    "pages",  # home, family pages, not-yet-in-Go, provenance, schema reference
    "cookbook",  # cookbook index, porting priority, recipe tabs
    "quickstart",  # needs()
    "history",  # what's new in Go
    "interactive",  # the interactive support matrix page
    "evidence",  # parity, benchmarks, telemetry
    "live",  # stale banner, control-plane API reference, data source
)


class Arg(enum.StrEnum):
    """What a macro argument is; the values are how messages name them."""

    MODULE_ID = "module id"
    FAMILY = "family id"
    RECIPE = "recipe path"
    STATUS = "status"
    SNIPPET = "snippet path"
    SAMPLE = "telemetry sample path"
    LINK = "link base"
    """A URL or page path, relative to the page, that links are built from."""
    METRIC = "metric"
    COUNT = "count"
    TEXT = "text"


#: A bound macro as pages call it: ``fn(data, *args)``.
MacroFn = Callable[..., str]


@dataclasses.dataclass(frozen=True)
class Signature:
    """The kind of each positional argument; when ``variadic`` is set, the last kind repeats
    (``needs("core.agent", "models.openai")``)."""

    args: tuple[Arg, ...] = ()
    variadic: bool = False

    def kind(self, position: int) -> Arg | None:
        """The kind of the argument at ``position`` (0-based), or None past the last."""
        if position < len(self.args):
            return self.args[position]
        return self.args[-1] if self.variadic and self.args else None


_A = Arg
#: Every macro's signature, by name, in the order of :data:`MODULES` (what :func:`registry` returns).
#: A render module's ``MACROS`` must say the same; :func:`registry` checks it.
SIGNATURES: dict[str, Signature] = {
    # badges
    "module": Signature((_A.MODULE_ID,)),
    "support_box": Signature((_A.MODULE_ID,)),
    "status_badge": Signature((_A.STATUS,)),
    # pages
    "provenance": Signature(),
    "overall_progress": Signature(),
    "family_progress": Signature((_A.LINK,)),
    "family_title": Signature((_A.FAMILY,)),
    "family_table": Signature((_A.FAMILY,)),
    "family_coverage": Signature((_A.FAMILY,)),
    "not_in_go": Signature((_A.LINK,)),
    "not_migrated_error": Signature(),
    "not_in_go_link": Signature((_A.FAMILY, _A.LINK)),
    "not_migrated_ids": Signature((_A.LINK,)),
    "schema_fields": Signature(),
    "module_count": Signature(),
    # cookbook
    "cookbook_index": Signature(),
    "porting_priority": Signature((_A.COUNT,)),
    "recipe_status": Signature((_A.RECIPE,)),
    "recipe_tabs": Signature((_A.RECIPE, _A.SNIPPET, _A.SNIPPET)),
    # quickstart
    "needs": Signature((_A.MODULE_ID,), variadic=True),
    "planned": Signature((_A.TEXT,)),
    "planned_badge": Signature(),
    "go_get": Signature(),
    "runtime_routes": Signature(),
    # history
    "whats_new": Signature(),
    # interactive
    "interactive_matrix": Signature((_A.LINK,)),
    # evidence
    "parity_results": Signature(),
    "parity_badge": Signature((_A.MODULE_ID, _A.LINK)),
    "parity_count": Signature(),
    "benchmark_table": Signature(),
    "benchmark_env": Signature(),
    "benchmark_chart": Signature((_A.METRIC,)),
    "benchmark_count": Signature(),
    "telemetry_catalogue": Signature((_A.SAMPLE,)),
    "telemetry_samples": Signature((_A.SAMPLE, _A.COUNT)),
    "telemetry_audit": Signature((_A.SAMPLE, _A.TEXT)),
    # live
    "stale_banner": Signature(),
    "api_endpoints": Signature(),
    "data_source": Signature(),
}


@dataclasses.dataclass(frozen=True)
class Macro:
    """One macro: ``fn(templates, data, *args)``; ``args`` gives the kind of each positional argument.

    When ``variadic`` is set, the last kind repeats (``needs("core.agent", "models.openai")``).
    """

    name: str
    fn: Callable[..., Markup]
    args: tuple[Arg, ...] = ()
    variadic: bool = False

    @property
    def signature(self) -> Signature:
        return Signature(self.args, self.variadic)

    def kind(self, position: int) -> Arg | None:
        """The kind of the argument at ``position`` (0-based), or None past the last."""
        return self.signature.kind(position)

    def call(self, templates: Any, data: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Markup:
        """Check the call against the signature, convert counts, then render."""
        import inspect

        try:
            bound = inspect.signature(self.fn).bind(templates, data, *args, **kwargs)
        except TypeError as exc:
            wanted = ", ".join(a.value for a in self.args) + (", ..." if self.variadic else "")
            raise UsageError(f"{self.name}(): {exc}", where="agno-docs macro",
                             hint=f"it takes: {wanted or 'no arguments'}") from None
        for i, value in enumerate(bound.args[2:]):
            if self.kind(i) is Arg.COUNT and not isinstance(value, int):
                raise UsageError(f"{self.name}(): argument {i + 1} must be a whole number, not {value!r}",
                                 where="agno-docs macro")
        return self.fn(*bound.args, **bound.kwargs)


def registry() -> dict[str, Macro]:
    """Every macro the site offers, by name; a name defined twice, or a signature that is not the one
    :data:`SIGNATURES` gives, is a programming error."""
    out: dict[str, Macro] = {}
    for name in MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        for macro in module.MACROS:
            if macro.name in out:
                raise RuntimeError(f"macro {macro.name!r} is defined twice (second in matrix.render.{name})")
            if SIGNATURES.get(macro.name) != macro.signature:
                raise RuntimeError(f"macro {macro.name!r} (matrix.render.{name}) is not in matrix.render."
                                   f"registry.SIGNATURES as {macro.signature}; make the two agree")
            out[macro.name] = macro
    if out.keys() != SIGNATURES.keys():
        gone = ", ".join(sorted(SIGNATURES.keys() - out.keys()))
        raise RuntimeError(f"matrix.render.registry.SIGNATURES names macros no render module defines: {gone}")
    return out


def signatures() -> dict[str, Signature]:
    """Every macro's signature, by name, without importing a renderer (:data:`SIGNATURES`)."""
    return dict(SIGNATURES)


def taking(kind: Arg, *, variadic: bool = False) -> frozenset[str]:
    """Names of the macros whose first argument is of this kind (``variadic``: every argument is).

    What ``agno-docs check`` verifies in a page without rendering it: ``taking(Arg.MODULE_ID)`` is
    ``module``, ``support_box``, ``parity_badge``; ``taking(Arg.MODULE_ID, variadic=True)`` is ``needs``.
    Read from :data:`SIGNATURES` (no renderer is imported).
    """
    return frozenset(n for n, s in SIGNATURES.items() if s.kind(0) is kind and s.variadic is variadic)

"""The macros a page can call, in one registry: name, function, and what kind each argument is.

Each render module lists its macros as :class:`Macro` records; :func:`registry` gathers them.
The argument kinds are what ``agno-docs check`` needs to verify a page without rendering it (a
module id must exist, a recipe path must be in the cookbook...), and what the binding uses to
turn a wrong call into a one-line :class:`~matrix.errors.UsageError` instead of a traceback.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
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
class Macro:
    """One macro: ``fn(templates, data, *args)``; ``args`` gives the kind of each positional argument.

    When ``variadic`` is set, the last kind repeats (``needs("core.agent", "models.openai")``).
    """

    name: str
    fn: Callable[..., Markup]
    args: tuple[Arg, ...] = ()
    variadic: bool = False

    def kind(self, position: int) -> Arg | None:
        """The kind of the argument at ``position`` (0-based), or None past the last."""
        if position < len(self.args):
            return self.args[position]
        return self.args[-1] if self.variadic and self.args else None

    def call(self, templates: Any, data: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Markup:
        """Check the call against the signature, convert counts, then render."""
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
    """Every macro the site offers, by name; a name defined twice is a programming error."""
    out: dict[str, Macro] = {}
    for name in MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        for macro in module.MACROS:
            if macro.name in out:
                raise RuntimeError(f"macro {macro.name!r} is defined twice (second in matrix.render.{name})")
            out[macro.name] = macro
    return out


def taking(kind: Arg, *, variadic: bool = False) -> frozenset[str]:
    """Names of the macros whose first argument is of this kind (``variadic``: every argument is).

    What ``agno-docs check`` verifies in a page without rendering it: ``taking(Arg.MODULE_ID)`` is
    ``module``, ``support_box``, ``parity_badge``; ``taking(Arg.MODULE_ID, variadic=True)`` is ``needs``.
    """
    return frozenset(m.name for m in registry().values() if m.kind(0) is kind and m.variadic is variadic)

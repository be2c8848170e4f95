"""Pure renderers: model objects in, Markdown/HTML strings out.

``macros()`` gathers every macro the site offers from the render submodules; each
macro takes the :class:`~matrix.sources.Loaded` data first, then the arguments a
page passes (``{{ module("tools.duckduckgo") }}``). ``macros/`` binds the data.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

MacroFn = Callable[..., str]

#: Render submodules that define a ``MACROS: dict[str, MacroFn]``.
_MACRO_MODULES: tuple[str, ...] = (
    "badges",  # module(), support_box()
    "pages",  # home, family pages, not-yet-in-Go, provenance, legend, exports
    "cookbook",  # cookbook index, porting priority, recipe tabs
    "quickstart",  # Go Runtime Quickstart, example README
    "history",  # what's new in Go
    "interactive",  # the interactive support matrix page
    "evidence",  # parity, benchmarks, telemetry
    "live",  # stale banner, control-plane API reference
)

#: Macros whose first argument is a module id (``agno-docs check`` verifies those ids exist).
MODULE_ID_MACROS: frozenset[str] = frozenset({"module", "support_box", "parity_badge"})


def macros() -> dict[str, MacroFn]:
    out: dict[str, MacroFn] = {}
    for name in _MACRO_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for macro, fn in module.MACROS.items():
            if macro in out:
                raise RuntimeError(f"macro {macro!r} is defined twice (second in matrix.render.{name})")
            out[macro] = fn
    return out

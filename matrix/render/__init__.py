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
_MACRO_MODULES: tuple[str, ...] = ()


def macros() -> dict[str, MacroFn]:
    out: dict[str, MacroFn] = {}
    for name in _MACRO_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for macro, fn in module.MACROS.items():
            if macro in out:
                raise RuntimeError(f"macro {macro!r} is defined twice (second in matrix.render.{name})")
            out[macro] = fn
    return out

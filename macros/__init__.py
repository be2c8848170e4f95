"""mkdocs-macros glue: ``define_env`` only. Loads the matrix once, registers the renderers.

No logic lives here: the engine (``matrix``) decides and renders; this module binds
its data to the macro names and turns engine errors into one-line build failures.
"""

from __future__ import annotations

import functools
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from matrix import render
from matrix.errors import AgnoDocsError
from matrix.settings import Settings
from matrix.sources import Loaded, load

log = get_plugin_logger("agno-docs")


def define_env(env: Any) -> None:
    try:
        data: Loaded = load(Settings.from_env())
    except AgnoDocsError as exc:
        raise PluginError(f"agno-docs: {exc}") from None
    if data.stale is not None:
        log.warning("stale data: %s", data.stale.reason)
    for name, fn in render.macros().items():
        env.macro(functools.partial(fn, data), name)

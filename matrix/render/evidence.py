"""Renderers (placeholder: its owner fills it)."""

from __future__ import annotations

from . import MacroFn

MACROS: dict[str, MacroFn] = {}

"""Compatibility: :func:`esc` moved to :mod:`matrix.render.text` (markup now lives in templates).

Kept so modules outside ``render/`` that still import ``matrix.render._html.esc`` keep working.
"""

from __future__ import annotations

from .text import esc

__all__ = ["esc"]

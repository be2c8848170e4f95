"""Sources: each returns a validated :class:`~matrix.model.SupportMatrix`.

``load(settings)`` is the one entry point the site and the CLI share. It returns a
:class:`Loaded`: the matrix, plus a :class:`Stale` record when a live source failed
and the last good snapshot stood in (never silently: every page shows the banner).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING

from ..model import SourceKind, SupportMatrix

if TYPE_CHECKING:
    from ..settings import Settings


@dataclasses.dataclass(frozen=True)
class Stale:
    """Why the matrix shown is not the live one."""

    reason: str
    """One line, the same text a require-live build fails with."""
    url: str | None
    since: datetime
    """When the data shown was generated (its age)."""


@dataclasses.dataclass(frozen=True)
class Loaded:
    matrix: SupportMatrix
    stale: Stale | None = None


def load(settings: Settings) -> Loaded:
    """Load the matrix the settings select, applying the fallback policy."""
    if settings.source is SourceKind.SNAPSHOT:
        from . import snapshot

        return Loaded(snapshot.load(settings.snapshot))
    if settings.source is SourceKind.SCAN:
        from .scan import compute_from_settings

        return Loaded(compute_from_settings(settings))
    from .api import load_live

    return load_live(settings)

"""Sources: each returns a validated :class:`~matrix.model.SupportMatrix`.

``load(settings)`` is the one entry point the site and the CLI share. It returns a
:class:`Loaded`: the matrix, plus a :class:`Stale` record when a live source failed
and the last good snapshot stood in (never silently: every page shows the banner).
``load_site(settings, ...)`` adds what only the site shows (release history, telemetry samples,
the API reference: :mod:`matrix.sources.site`), read once, so renderers never read a file.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING

from ..model import SourceKind, SupportMatrix

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..settings import Settings
    from .site import SiteInputs


def _no_site_inputs() -> SiteInputs:
    # Imported when a site is loaded, not by every source: the CLI's compute needs no yaml nor telemetry.
    from .site import SiteInputs

    return SiteInputs()


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
    site: SiteInputs = dataclasses.field(default_factory=_no_site_inputs)
    """What pages show besides the matrix (empty unless loaded with :func:`load_site`)."""


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


def load_site(
    settings: Settings, *, telemetry: Iterable[str] | None = None, root: str | None = None
) -> Loaded:
    """:func:`load`, plus the site's other inputs (:func:`matrix.sources.site.load_site_inputs`).

    ``telemetry`` names the sample files pages show (None: the engine's default list).
    """
    from .site import DEFAULT_TELEMETRY_SAMPLES, load_site_inputs

    loaded = load(settings)
    samples = DEFAULT_TELEMETRY_SAMPLES if telemetry is None else tuple(telemetry)
    return dataclasses.replace(loaded, site=load_site_inputs(telemetry=samples, root=root))

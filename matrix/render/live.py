"""The live source on the page: the stale-data banner and the control-plane API reference.

``banner(data)`` is what ``overrides/theme/main.html`` puts in Material's ``announce`` block on
every page (through ``config.extra.agno_stale_banner``, set by ``macros.define_env``); it is empty
when the data is live. The API reference lists the endpoints the sources read from the packaged
``matrix/openapi.yaml`` (``Loaded.site.endpoints``). Templates: ``stale_banner``,
``api_endpoints``, ``data_source``.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from markupsafe import Markup

from ..sources import Loaded
from .registry import Macro
from .templating import Templates, default
from .words import Words


def age(since: datetime, now: datetime | None = None, words: Words | None = None) -> str:
    """``3 days``, ``5 hours``, ``12 minutes``, ``less than a minute``: the age of the data shown."""
    w = words or Words()
    now = now or datetime.now(UTC)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    seconds = int((now - since).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return w.text(f"age.{unit}", n=n)
    return w.text("age.less")


@dataclasses.dataclass(frozen=True, slots=True)
class Banner:
    reason: str
    url: str | None
    since: str
    """When the data shown was generated (ISO 8601)."""
    when: str
    """The same, for a reader (``2026-11-01 12:00 UTC``)."""
    age: str


def banner(data: Loaded, now: datetime | None = None, templates: Templates | None = None) -> Markup:
    """One block: why the data is stale (one line), the URL that failed, and how old the data is."""
    stale = data.stale
    if stale is None:
        return Markup("")
    t = templates or default()
    view = Banner(stale.reason, stale.url, stale.since.isoformat(),
                  stale.since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"), age(stale.since, now, t.words))
    return t.render("stale_banner.html.jinja", banner=view)


def stale_banner(t: Templates, data: Loaded) -> Markup:
    """The banner inside a page too (the theme shows it on every page already)."""
    return banner(data, templates=t)


def api_endpoints(t: Templates, data: Loaded) -> Markup:
    """A table of the control-plane endpoints, from ``matrix/openapi.yaml``."""
    return t.render("api_endpoints.html.jinja", endpoints=data.site.endpoints)


def data_source(t: Templates, data: Loaded) -> Markup:
    """Where the matrix on this build came from, and whether it is live."""
    return t.render("data_source.html.jinja", source=data.matrix.source, stale=data.stale is not None)


MACROS: tuple[Macro, ...] = (
    Macro("stale_banner", stale_banner),
    Macro("api_endpoints", api_endpoints),
    Macro("data_source", data_source),
)

"""The live source on the page: the stale-data banner and the control-plane API reference.

``banner(data)`` is what ``overrides/main.html`` puts in Material's ``announce`` block on every
page (through ``config.extra.agno_stale_banner``, set by ``macros.define_env``); it is empty
when the data is live. Everything from data or settings goes through ``esc``. The API
reference is read from the packaged ``matrix/openapi.yaml`` (so a snapshot build never
imports the HTTP client).
"""

from __future__ import annotations

import functools
import importlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..sources import Loaded
from . import MacroFn
from ._html import attrs, esc

OPENAPI_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"


def age(since: datetime, now: datetime | None = None) -> str:
    """``3 days``, ``5 hours``, ``12 minutes``, ``less than a minute``: the age of the data shown."""
    now = now or datetime.now(UTC)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    seconds = int((now - since).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "less than a minute"


def banner(data: Loaded, now: datetime | None = None) -> str:
    """One block: why the data is stale (one line), the URL that failed, and how old the data is."""
    stale = data.stale
    if stale is None:
        return ""
    when = stale.since.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    url = f" from <code>{esc(stale.url)}</code>" if stale.url else ""
    return (
        f"<div{attrs(class_='agno-stale', role='status', data_stale_since=stale.since.isoformat())}>"
        f"<strong>Stale data:</strong> the live support matrix could not be read{url}. "
        f"This page shows the last good snapshot, generated {esc(when)} ({esc(age(stale.since, now))} ago). "
        f"<span class=\"agno-stale__reason\">Reason: {esc(stale.reason)}</span></div>"
    )


def stale_banner(data: Loaded) -> str:
    """Macro: the banner inside a page too (the theme shows it on every page already)."""
    return banner(data)


@functools.cache
def _openapi() -> dict[str, Any]:
    yaml: Any = importlib.import_module("yaml")
    doc: dict[str, Any] = yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8"))
    return doc


def api_endpoints(data: Loaded) -> str:
    """Macro: a table of the control-plane endpoints, from ``matrix/openapi.yaml``."""
    rows = []
    for path, ops in _openapi()["paths"].items():
        for method, op in ops.items():
            params = ", ".join(f"{p['name']} ({p['in']})" for p in op.get("parameters", [])) or "—"
            codes = ", ".join(f"{c} {r.get('description', '')}" for c, r in op["responses"].items())
            rows.append(
                f"<tr><td><code>{esc(method.upper())} {esc(path)}</code></td><td>{esc(op.get('summary', ''))}"
                f"</td><td>{esc(params)}</td><td>{esc(codes)}</td></tr>"
            )
    return (
        "<table class=\"agno-api\"><thead><tr><th>Endpoint</th><th>What</th><th>Parameters</th>"
        "<th>Responses</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def data_source(data: Loaded) -> str:
    """Macro: where the matrix on this build came from, and whether it is live."""
    src = data.matrix.source
    where = f" <code>{esc(src.url)}</code>" if src.url else ""
    state = " (stale: see the banner)" if data.stale else ""
    return f"<span class=\"agno-source\">source: {esc(src.kind.value)}{where}{esc(state)}</span>"


MACROS: dict[str, MacroFn] = {
    "stale_banner": stale_banner,
    "api_endpoints": api_endpoints,
    "data_source": data_source,
}

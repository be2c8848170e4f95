"""Module badges and support boxes: ``{{ module("tools.duckduckgo") }}``, ``{{ support_box(...) }}``.

Every value from the matrix goes through :func:`~matrix.render._html.esc`. An unknown
module id is a :class:`~matrix.errors.UsageError` naming the id and the closest known
one, so a typo in a page fails the build with one line.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from ..errors import UsageError
from ..model import Module, Status, SupportMatrix
from ..sources import Loaded
from . import MacroFn
from ._html import attrs, esc, status_badge

# (id(matrix), what) -> (matrix, value). The matrix is kept so its id cannot be reused while cached.
_MEMO: dict[tuple[int, str], tuple[SupportMatrix, object]] = {}
_T = TypeVar("_T")


def per_matrix(matrix: SupportMatrix, what: str, build: Callable[[SupportMatrix], _T]) -> _T:
    """``build(matrix)``, computed once per matrix object (indexes the renderers look things up in)."""
    hit = _MEMO.get((id(matrix), what))
    if hit is not None and hit[0] is matrix:
        return cast(_T, hit[1])
    if len(_MEMO) > 16:
        _MEMO.clear()
    value = build(matrix)
    _MEMO[(id(matrix), what)] = (matrix, value)
    return value


def closest(key: str, known: Iterable[str]) -> str | None:
    """The known key most like ``key`` (for "closest known ..." hints)."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.0)
    return close[0] if close else None


def index(matrix: SupportMatrix) -> dict[str, Module]:
    """Modules by id, built once per matrix object."""
    return per_matrix(matrix, "modules", SupportMatrix.modules_by_id)


def lookup(matrix: SupportMatrix, module_id: object) -> Module:
    """The module with this id, or a one-line UsageError naming the closest known id."""
    mods = index(matrix)
    key = str(module_id)
    found = mods.get(key)
    if found is not None:
        return found
    near = closest(key, mods)
    hint = f"closest known id: {near!r}" if near else "no module ids are known"
    raise UsageError(f"unknown module id {key!r}", where="agno-docs macro", hint=hint)


def anchor(module_id: str) -> str:
    """The HTML id of a module's entry on the family and "Not yet in Go" pages."""
    return f"mod-{module_id}"


def module_badge(m: Module) -> str:
    """Inline: the module title (with its id as tooltip) followed by its status badge."""
    tip = f"{m.id}: {m.status.tooltip}"
    return (
        f"<span{attrs(class_='agno-module', data_module=m.id, data_status=m.status.value)}>"
        f"<span{attrs(class_='agno-module__name', title=tip)}>{esc(m.title)}</span> "
        f"{status_badge(m.status)}</span>"
    )


def coverage_text(m: Module) -> str:
    """``3/4 functions (75%)`` or an em dash; the missing names go in a tooltip."""
    c = m.coverage
    if c is None:
        return "&mdash;"
    pct = round(100 * c.ratio)
    title = ("missing: " + ", ".join(c.missing)) if c.missing else "every baseline function is present"
    return f"<span{attrs(class_='agno-coverage', title=title)}>{c.ported}/{c.total} ({pct}%)</span>"


def parity_text(m: Module) -> str:
    """``2 pass, 1 fail`` from the parity runs joined onto the module, or "no parity run"."""
    p = m.parity
    if p is None or not (p.passed or p.failed or p.errored):
        return '<span class="agno-muted">no parity run</span>'
    parts = [f"{n} {word}" for n, word in ((p.passed, "pass"), (p.failed, "fail"), (p.errored, "error")) if n]
    cls = "agno-parity agno-parity--fail" if (p.failed or p.errored) else "agno-parity agno-parity--pass"
    return f"<span{attrs(class_=cls, title=p.first_failure)}>{esc(', '.join(parts))}</span>"


def go_package_text(m: Module) -> str:
    return f"<code>{esc(m.go.package)}</code>" if m.go is not None else "&mdash;"


def tracking_link(m: Module) -> str:
    if not m.tracking:
        return "&mdash;"
    if not m.tracking.startswith(("https://", "http://")):
        return esc(m.tracking)  # never a javascript: or data: link
    return f"<a{attrs(href=m.tracking)}>{esc(m.tracking)}</a>"


def support_box(m: Module) -> str:
    """A block: status, Go package, coverage, parity, since, tracking, and the note or reason."""
    rows = [
        ("Status", status_badge(m.status)),
        ("Go package", go_package_text(m)),
        ("Function coverage", coverage_text(m)),
        ("Parity", parity_text(m)),
        ("In Go since", esc(m.since) if m.since else "&mdash;"),
        ("Tracking", tracking_link(m)),
    ]
    if m.notes:
        rows.append(("Notes", esc(m.notes)))
    if m.reason:
        rows.append(("Reason", esc(m.reason)))
    body = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    runtime = m.status.info.runtime
    return (
        f"<div{attrs(class_='agno-box', data_module=m.id, data_runtime=runtime)}>"
        f"<p class=\"agno-box__title\"><strong>{esc(m.title)}</strong> <code>{esc(m.id)}</code></p>"
        f"<dl>{body}</dl></div>"
    )


def _module(data: Loaded, module_id: str) -> str:
    return module_badge(lookup(data.matrix, module_id))


def _support_box(data: Loaded, module_id: str) -> str:
    return support_box(lookup(data.matrix, module_id))


def _badge(data: Loaded, status: str) -> str:
    """A bare status badge by status value (for legends and prose)."""
    try:
        st = Status(status)
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise UsageError(f"unknown status {status!r}", where="agno-docs macro",
                         hint=f"use one of {known}") from None
    return status_badge(st)


MACROS: dict[str, MacroFn] = {
    "module": _module,
    "support_box": _support_box,
    "status_badge": _badge,
}

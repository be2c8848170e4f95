"""Module badges and support boxes: ``{{ module("tools.duckduckgo") }}``, ``{{ support_box(...) }}``.

An unknown module id is a :class:`~matrix.errors.UsageError` naming the id and the closest known
one (:mod:`matrix.render.lookup`), so a typo in a page fails the build with one line.
Templates: ``module_badge``, ``support_box``, ``status_badge`` (and the partials they include).
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from ..errors import UsageError
from ..model import Module, Status
from ..sources import Loaded
from . import lookup, views
from .registry import Arg, Macro
from .templating import Templates
from .words import Words


@dataclasses.dataclass(frozen=True, slots=True)
class SupportBox:
    """Everything the support box shows about one module."""

    module: Module
    measured: str
    """What was measured, in words (``4 of 8 functions ported``); empty when nothing was."""
    parity: views.ParityView | None
    """Only when a parity fixture ran for the module."""
    tracking_url: str | None
    """The tracking address when it is an http(s) URL (only then a link)."""


def support_box_view(m: Module, words: Words | None = None) -> SupportBox:
    parity = views.parity(m.parity, words=words)
    return SupportBox(m, views.measured(m, words), parity if parity.state != "none" else None,
                      lookup.web_url(m.tracking))


def module_badge(t: Templates, m: Module) -> Markup:
    """Inline: the module title, a link to its page (its id and what was measured as tooltip),
    followed by its status badge."""
    return t.render("module_badge.html.jinja", module=m)


def status_badge(t: Templates, status: Status) -> Markup:
    return t.render("status_badge.html.jinja", status=status)


def module(t: Templates, data: Loaded, module_id: str) -> Markup:
    """A module's title and status badge, inline."""
    return module_badge(t, lookup.module(data.matrix, module_id))


def support_box(t: Templates, data: Loaded, module_id: str) -> Markup:
    """A block: status, Go package, what was measured, parity, since, tracking, the note or reason
    (each only where there is one), its title linking to the module's page."""
    box = support_box_view(lookup.module(data.matrix, module_id), t.words)
    return t.render("support_box.html.jinja", box=box)


def status(t: Templates, data: Loaded, value: str) -> Markup:
    """A bare status badge by status value (for legends and prose)."""
    try:
        st = Status(value)
    except ValueError:
        known = ", ".join(s.value for s in Status)
        raise UsageError(f"unknown status {value!r}", where=lookup.WHERE,
                         hint=f"use one of {known}") from None
    return status_badge(t, st)


MACROS: tuple[Macro, ...] = (
    Macro("module", module, (Arg.MODULE_ID,)),
    Macro("support_box", support_box, (Arg.MODULE_ID,)),
    Macro("status_badge", status, (Arg.STATUS,)),
)

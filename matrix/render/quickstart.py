"""Go Runtime Quickstart and example README helpers: "does this step run in Go?" rendered from status.

``{{ needs("core.agent", "core.workflow") }}`` says, right at the step, whether every
module the step uses is in Go, with live badges; a python-only module turns it into a
warning that names the module and points at the "Not yet in Go" page. Template: ``needs``
(Markdown, so MkDocs resolves the link to the "Not yet in Go" page relative to the page).
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from ..model import Module, Status, SupportMatrix
from ..sources import Loaded
from . import lookup
from .registry import Arg, Macro
from .templating import Templates


@dataclasses.dataclass(frozen=True, slots=True)
class Needs:
    modules: tuple[Module, ...]
    python_only: tuple[Module, ...]
    unknown: tuple[Module, ...]


def needs(t: Templates, matrix: SupportMatrix, module_ids: tuple[str, ...],
          not_in_go_url: str = "not-in-go.md") -> Markup:
    """An admonition: "Runs in Go" when every module is in Go, else a warning naming the python-only ones."""
    if not module_ids:
        return Markup("")
    mods = tuple(lookup.module(matrix, mid) for mid in module_ids)
    view = Needs(mods, tuple(m for m in mods if m.status.python_only),
                 tuple(m for m in mods if m.status is Status.UNKNOWN))
    return t.render("needs.md.jinja", view=view, not_in_go_url=not_in_go_url)


def _needs(t: Templates, data: Loaded, *module_ids: str, not_in_go_url: str = "not-in-go.md") -> Markup:
    """Whether a step that uses these modules runs in Go."""
    return needs(t, data.matrix, module_ids, not_in_go_url)


MACROS: tuple[Macro, ...] = (
    Macro("needs", _needs, (Arg.MODULE_ID,), variadic=True),
)

"""Go Runtime Quickstart and example README helpers: "does this step run in Go?" rendered from status.

``{{ needs("core.agent", "core.workflow") }}`` says, right at the step, whether every
module the step uses is in Go, with live badges; a python-only module turns it into a
warning that names the module and points at the "Not yet in Go" page.
"""

from __future__ import annotations

from ..model import SupportMatrix
from ..sources import Loaded
from . import MacroFn
from ._html import esc
from .badges import anchor, lookup, module_badge


def needs(matrix: SupportMatrix, module_ids: tuple[str, ...], not_in_go_url: str = "not-in-go.md") -> str:
    """An admonition: "Runs in Go" when every module is in Go, else a warning naming the python-only ones.

    Markdown (not raw HTML) so MkDocs resolves ``not_in_go_url`` relative to the page.
    """
    if not module_ids:
        return ""
    mods = [lookup(matrix, mid) for mid in module_ids]
    badges = ", ".join(module_badge(m) for m in mods)
    missing = [m for m in mods if not m.status.in_go]
    if not missing:
        return f'!!! success "Runs in Go"\n\n    This step uses {badges}.\n'
    links = ", ".join(f"[<code>{esc(m.id)}</code>]({not_in_go_url}#{anchor(m.id)})" for m in missing)
    verb = "is" if len(missing) == 1 else "are"
    return (
        '!!! warning "Needs a python-only module"\n\n'
        f"    This step uses {badges}. {links} {verb} not in the Go runtime yet "
        "(<code>runtime=python-only</code>): "
        f"the Go runtime refuses {'it' if len(missing) == 1 else 'them'} at start-up with a "
        "<code>not_migrated</code> error. Run this step on the "
        "Python runtime, or pick a module that is in Go.\n"
    )


def _needs(data: Loaded, *module_ids: str, **kw: str) -> str:
    return needs(data.matrix, tuple(module_ids), kw.get("not_in_go_url", "not-in-go.md"))


MACROS: dict[str, MacroFn] = {
    "needs": _needs,
}

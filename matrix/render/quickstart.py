"""Go Runtime Quickstart and example README helpers: "does this step run in Go?" rendered from status.

``{{ needs("core.agent", "core.workflow") }}`` says, right at the step, whether every
module the step uses is in Go, with live badges; a python-only module turns it into a
warning that names the module and points at the "Not yet in Go" page.
"""

from __future__ import annotations

from ..model import Status, SupportMatrix
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
    python_only = [m for m in mods if m.status.python_only]
    unknown = [m for m in mods if m.status is Status.UNKNOWN]
    if not python_only and not unknown:
        return f'!!! success "Runs in Go"\n\n    This step uses {badges}.\n'
    parts = [f"    This step uses {badges}."]
    if python_only:
        links = ", ".join(f"[<code>{esc(m.id)}</code>]({not_in_go_url}#{anchor(m.id)})" for m in python_only)
        one = len(python_only) == 1
        parts.append(
            f"{links} {'is' if one else 'are'} not in the Go runtime yet (<code>runtime=python-only</code>): "
            f"the Go runtime refuses {'it' if one else 'them'} at start-up with a <code>not_migrated</code> "
            "error. Run this step on the Python runtime, or pick a module that is in Go."
        )
    if unknown:
        ids = ", ".join(f"<code>{esc(m.id)}</code>" for m in unknown)
        parts.append(f"There is no evidence either way for {ids}: try it before you rely on it.")
    title = "Needs a python-only module" if python_only else "Not known to run in Go"
    return f'!!! warning "{title}"\n\n' + " ".join(parts) + "\n"


def _needs(data: Loaded, *module_ids: str, **kw: str) -> str:
    return needs(data.matrix, tuple(module_ids), kw.get("not_in_go_url", "not-in-go.md"))


MACROS: dict[str, MacroFn] = {
    "needs": _needs,
}

"""What's new in Go: the differences between consecutive snapshots in ``matrix/data/history/``.

One snapshot per runtime release is kept under version control; ``matrix.diff.diff``
turns each consecutive pair into typed change records, rendered here grouped by kind.
With fewer than two snapshots the page says so plainly.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

from ..diff import Change, diff
from ..model import SupportMatrix
from ..sources import snapshot
from . import MacroFn
from ._html import esc

#: Groups longer than this fold into a <details> element.
_FOLD = 12

HISTORY_DIR = snapshot.DEFAULT_SNAPSHOT.parent / "history"


def load_history(folder: Path = HISTORY_DIR) -> list[SupportMatrix]:
    """Every snapshot in the folder, oldest first (by generation time, then file name)."""
    if not folder.is_dir():
        return []
    loaded = [(snapshot.load(p), p.name) for p in sorted(folder.glob("*.json"))]
    return [m for m, _ in sorted(loaded, key=lambda t: (t[0].generated_at, t[1]))]


def _label(m: SupportMatrix) -> str:
    r = m.runtime
    return f"{r.name} {r.version or (r.commit or '')[:12] or 'unversioned'}"


def _code(value: str) -> str:
    return f"<code>{esc(value)}</code>"


def changes_html(changes: Sequence[Change]) -> str:
    """Changes grouped by kind (most important first); long groups fold into a <details>."""
    if not changes:
        return "<p>No module, recipe or version changed.</p>"
    groups: dict[str, list[str]] = {}
    for c in changes:
        groups.setdefault(c.kind.heading, []).append(c.explain(code=_code, text=esc))
    parts = []
    for heading, items in groups.items():
        lis = "".join(f"<li>{i}</li>" for i in items)
        if len(items) > _FOLD:
            parts.append(f"<details class=\"agno-changes\"><summary>{esc(heading)} ({len(items)})</summary>"
                         f"<ul>{lis}</ul></details>")
        else:
            parts.append(f"<p class=\"agno-changes__kind\"><strong>{esc(heading)}</strong> ({len(items)})</p>"
                         f"<ul class=\"agno-changes\">{lis}</ul>")
    return "".join(parts)


def whats_new(history: Sequence[SupportMatrix]) -> str:
    """One section per release, newest first, each against the release before it."""
    if len(history) < 2:
        have = "one snapshot" if history else "no snapshot"
        return (
            "<p class=\"agno-history-empty\">No history recorded yet: <code>matrix/data/history/</code> "
            f"holds {have}, and this page needs two consecutive snapshots to compare. It fills in by "
            "itself as snapshots are added, one per runtime release.</p>"
        )
    parts = []
    for old, new in reversed(list(itertools.pairwise(history))):
        parts.append(
            f"## {esc(_label(new))}\n\n<p>Compared with {esc(_label(old))} "
            f"(generated {esc(new.generated_at.date().isoformat())}).</p>{changes_html(diff(old, new))}\n"
        )
    return "\n".join(parts)


MACROS: dict[str, MacroFn] = {
    "whats_new": lambda data: whats_new(load_history()),
}


"""`compute` on the real trees reproduces the committed snapshot (when the trees are here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matrix.sources.scan import compute
from matrix.sources.snapshot import DEFAULT_SNAPSHOT, load

PY = Path("/tmp/trees/agno")
GO = Path("/tmp/trees/agno-go")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (PY.is_dir() and GO.is_dir()),
        reason="the real trees are not at /tmp/trees/agno and /tmp/trees/agno-go "
        "(see scripts/recompute.sh for how to get them)",
    ),
]


def test_compute_reproduces_the_committed_snapshot(tmp_path: Path) -> None:
    committed = load(DEFAULT_SNAPSHOT)
    fresh = compute(
        PY,
        GO,
        cache_dir=tmp_path,
        quiet=True,
        python_commit=committed.baseline.commit,
        go_commit=committed.runtime.commit,
    )
    assert [(m.id, m.status) for m in fresh.modules] == [(m.id, m.status) for m in committed.modules]
    # `since` comes from the release history, not from the trees: compare everything else.
    strip = [
        m.__class__(**{f: getattr(m, f) for f in m.__struct_fields__ if f != "since"})
        for m in committed.modules
    ]
    assert list(fresh.modules) == strip
    assert fresh.recipes == committed.recipes
    assert fresh.diagnostics == committed.diagnostics
    assert (fresh.baseline, fresh.runtime, fresh.families) == (
        committed.baseline,
        committed.runtime,
        committed.families,
    )

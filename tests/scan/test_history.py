"""Release history: `since` from per-release snapshots, and the committed history files."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from matrix.errors import SourceError
from matrix.model import Provenance, Status, SupportMatrix
from matrix.sources.scan.history import DEFAULT_HISTORY, fill_since, load_history, version_key
from matrix.sources.snapshot import DEFAULT_SNAPSHOT, dump, load
from tests.factories import matrix as make_matrix
from tests.factories import module


def _release(version: str, *mods: tuple[str, Status]) -> SupportMatrix:
    m = make_matrix(*[module(mid, st) for mid, st in mods])
    return msgspec.structs.replace(m, runtime=Provenance(name="agno-Go", version=version))


@pytest.mark.parametrize(
    ("versions", "ordered"),
    [
        (["1.2.10", "1.2.9", "v1.10.0", "1.2.9"], ["1.2.9", "1.2.9", "1.2.10", "v1.10.0"]),
        (  # pre-releases before their release, in Go's spellings too (the hand-written key put rc1 after)
            ["1.2.9", "1.2.9-rc1", "v1.2.9-rc.2", "1.2.9-beta", "1.2.9-alpha.1", "1.2.8"],
            ["1.2.8", "1.2.9-alpha.1", "1.2.9-beta", "1.2.9-rc1", "v1.2.9-rc.2", "1.2.9"],
        ),
        (["2.0", "nightly", "1.0", "dev"], ["dev", "nightly", "1.0", "2.0"]),  # not versions: first, by text
    ],
)
def test_version_key_orders_releases(versions: list[str], ordered: list[str]) -> None:
    assert sorted(versions, key=version_key) == ordered
    assert version_key("1.2.9-rc1") < version_key("1.2.9")


def test_fill_since() -> None:
    history = [
        _release("1.0.0", ("tools.a", Status.MIGRATED), ("tools.b", Status.NOT_MIGRATED)),
        _release("1.1.0", ("tools.a", Status.PARTIAL), ("tools.b", Status.MIGRATED)),
    ]
    now = _release(
        "1.2.0",
        ("tools.a", Status.MIGRATED),
        ("tools.b", Status.MIGRATED),
        ("tools.c", Status.GO_ONLY),
        ("tools.d", Status.NOT_MIGRATED),
    )
    since = {m.id: m.since for m in fill_since(now, history).modules}
    assert since == {"tools.a": "1.0.0", "tools.b": "1.1.0", "tools.c": "1.2.0", "tools.d": None}
    # Same version as the newest release: a module absent from history gets no guess.
    same = msgspec.structs.replace(now, runtime=Provenance(name="agno-Go", version="1.1.0"))
    assert {m.id: m.since for m in fill_since(same, history).modules}["tools.c"] is None
    # A release candidate of the newest release is not newer than it.
    rc = msgspec.structs.replace(now, runtime=Provenance(name="agno-Go", version="1.1.0-rc1"))
    assert {m.id: m.since for m in fill_since(rc, history).modules}["tools.c"] is None
    rc = msgspec.structs.replace(now, runtime=Provenance(name="agno-Go", version="1.2.0-rc1"))
    assert {m.id: m.since for m in fill_since(rc, history).modules}["tools.c"] == "1.2.0-rc1"


def test_load_history_sorted_and_errors(tmp_path: Path) -> None:
    for v in ("1.10.0", "1.2.0", "1.10.0-rc1"):
        dump(_release(v, ("tools.a", Status.MIGRATED)), tmp_path / f"{v}.json")
    assert [m.runtime.version for m in load_history(tmp_path)] == ["1.2.0", "1.10.0-rc1", "1.10.0"]
    with pytest.raises(SourceError) as err:
        load_history(tmp_path / "nope")
    assert str(err.value) == (
        f"{tmp_path / 'nope'}: no such history folder; pass a folder of <version>.json "
        "snapshots (scripts/history.py makes them)"
    )


def test_committed_history_and_snapshot_agree() -> None:
    history = load_history(DEFAULT_HISTORY)
    assert len(history) >= 2
    assert all(h.runtime.version_from == "git tag" for h in history)
    snapshot = load(DEFAULT_SNAPSHOT)
    assert fill_since(snapshot, history).modules == snapshot.modules

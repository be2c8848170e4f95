"""Release history: one snapshot per runtime release, and ``Module.since`` derived from them.

``matrix/data/history/<runtime-version>.json`` holds the matrix computed at each runtime
release (``scripts/history.py`` makes them from local git mirrors). :func:`fill_since`
stamps each module of a matrix with the first release whose snapshot had it in Go.
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
from packaging.version import InvalidVersion, Version

from ...errors import SourceError
from ...model import SupportMatrix

#: The committed release history.
DEFAULT_HISTORY = Path(__file__).resolve().parent.parent.parent / "data" / "history"


def version_key(version: str) -> tuple[bool, Version, str]:
    """Sort key in release order: ``1.2.9-rc1`` < ``1.2.9`` < ``1.2.10`` < ``v1.10.0`` (PEP 440 rules,
    which read Go's ``-rc.1``/``-beta`` tags too); a string that is no version sorts first, by text."""
    try:
        return (True, Version(version), "")
    except InvalidVersion:
        return (False, Version("0"), version)


def load_history(folder: str | os.PathLike[str] = DEFAULT_HISTORY) -> list[SupportMatrix]:
    """Every snapshot in ``folder``, oldest release first; a bad file is a one-line SourceError."""
    from ..snapshot import load

    p = Path(folder)
    if not p.is_dir():
        raise SourceError(
            "no such history folder",
            where=str(p),
            hint="pass a folder of <version>.json snapshots (scripts/history.py makes them)",
        )
    snaps = [load(f) for f in sorted(p.glob("*.json"))]
    return sorted(snaps, key=lambda m: version_key(m.runtime.version or "0"))


def fill_since(matrix: SupportMatrix, history: list[SupportMatrix]) -> SupportMatrix:
    """Set ``since`` on every module in Go: the first release whose snapshot had it in Go.

    A module in Go now but in no release snapshot gets the current runtime version when that
    is newer than every release in the history (it is new in this one), else stays None.
    """
    first: dict[str, str] = {}
    newest = None
    for snap in history:
        version = snap.runtime.version
        if version is None:
            continue
        newest = version
        for m in snap.modules:
            if m.status.in_go and m.id not in first:
                first[m.id] = version
    current = matrix.runtime.version
    is_newer = current is not None and (newest is None or version_key(current) > version_key(newest))
    modules = []
    for m in matrix.modules:
        since = first.get(m.id) if m.status.in_go else None
        if since is None and m.status.in_go and is_newer:
            since = current
        modules.append(msgspec.structs.replace(m, since=since) if since != m.since else m)
    return msgspec.structs.replace(matrix, modules=tuple(modules))

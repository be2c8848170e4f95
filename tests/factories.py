"""Builders for small, valid matrices in tests (written here, never copied from the real trees)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from matrix.model import (
    Family,
    GoRef,
    Module,
    Provenance,
    PythonRef,
    Source,
    SourceKind,
    Status,
    SupportMatrix,
)

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def module(mid: str, status: Status = Status.MIGRATED, **kw: Any) -> Module:
    family, _, name = mid.partition(".")
    if status in (Status.MIGRATED, Status.PARTIAL, Status.GO_ONLY):
        kw.setdefault("go", GoRef(package=f"pkg/agno/{family}/{name}"))
    if status is not Status.GO_ONLY:
        kw.setdefault("python", PythonRef(path=f"libs/agno/agno/{family}/{name}.py"))
    if status is Status.PARTIAL:
        kw.setdefault("notes", "missing: something")
    if status is Status.WONT_PORT:
        kw.setdefault("reason", "depends on a Python-only library")
    return Module(id=mid, family=family, title=kw.pop("title", name.replace("_", " ").title()),
                  status=status, **kw)


def matrix(*modules: Module, **kw: Any) -> SupportMatrix:
    families = sorted({m.family for m in modules})
    kw.setdefault("families", tuple(Family(id=f, title=f.title(), order=i) for i, f in enumerate(families)))
    return SupportMatrix(
        schema_version=1,
        generated_at=kw.pop("generated_at", WHEN),
        source=kw.pop("source", Source(kind=SourceKind.SNAPSHOT)),
        baseline=kw.pop("baseline", Provenance(name="agno", version="9.9.0", commit="a" * 40)),
        runtime=kw.pop("runtime", Provenance(name="agno-go", version="v0.0.1", commit="b" * 40)),
        modules=tuple(modules),
        **kw,
    )


def small() -> SupportMatrix:
    """One module of every status, in two families."""
    return matrix(
        module("tools.calculator"),
        module("tools.duckduckgo", Status.PARTIAL, notes="missing: search_news"),
        module("tools.shell", Status.NOT_MIGRATED),
        module("tools.streamlit", Status.WONT_PORT),
        module("models.glm", Status.GO_ONLY),
        module("models.mystery", Status.UNKNOWN),
    )

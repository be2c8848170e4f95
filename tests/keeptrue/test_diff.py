"""``matrix.diff``: typed change records, ordered by importance, rendered three ways from one sentence."""

# ruff: noqa: E501  (tables of exact messages read better unbroken)

from __future__ import annotations

from pathlib import Path

import pytest

from matrix.cli import main
from matrix.diff import ChangeKind, Direction, Severity, diff, render
from matrix.model import Coverage, ParitySummary, Provenance, Recipe, Status
from matrix.sources import snapshot
from tests import factories as f

BASE = (f.module("tools.a"), f.module("tools.b", Status.PARTIAL, notes="missing: x"),
        f.module("tools.c", Status.NOT_MIGRATED))

# (case, modules of NEW replacing BASE by id, expected (kind, subject, text explanation))
CASES = [
    ("no change", (), []),
    ("demoted", (f.module("tools.a", Status.PARTIAL, notes="missing: y"),),
     [(ChangeKind.STATUS_DEMOTED, "tools.a", "tools.a went from In Go to Partial (missing: y)")]),
    ("promoted", (f.module("tools.c"),),
     [(ChangeKind.STATUS_PROMOTED, "tools.c", "tools.c went from Not yet in Go to In Go")]),
    ("lateral", (f.module("tools.c", Status.WONT_PORT, reason="needs CPython"),),
     [(ChangeKind.STATUS_CHANGED, "tools.c", "tools.c went from Not yet in Go to Won't port (needs CPython)")]),
    ("notes", (f.module("tools.b", Status.PARTIAL, notes="missing: z"),),
     [(ChangeKind.NOTES_CHANGED, "tools.b", "tools.b notes changed from missing: x to missing: z")]),
    ("coverage dropped", (f.module("tools.a", coverage=Coverage(ported=1, total=2, missing=("f",))),),
     [(ChangeKind.COVERAGE_CHANGED, "tools.a", "tools.a function coverage went from not measured to 1/2 (50%)")]),
    ("parity regressed", (f.module("tools.a", parity=ParitySummary(passed=1, failed=1, first_failure="fx: out")),),
     [(ChangeKind.PARITY_REGRESSED, "tools.a", "tools.a parity went from no parity runs to 1 passed, 1 failed (fx: out)")]),
]


def _new(replace: tuple[f.Module, ...], *extra: f.Module) -> f.SupportMatrix:
    by_id = {m.id: m for m in BASE} | {m.id: m for m in replace}
    return f.matrix(*by_id.values(), *extra)


@pytest.mark.parametrize(("replace", "expected"), [(r, e) for _, r, e in CASES], ids=[c for c, _, _ in CASES])
def test_module_changes(replace: tuple[f.Module, ...], expected: list[tuple[ChangeKind, str, str]]) -> None:
    changes = diff(f.matrix(*BASE), _new(replace))
    assert [(c.kind, c.subject, c.explain()) for c in changes] == expected


def test_coverage_and_parity_directions() -> None:
    old = f.matrix(f.module("tools.a", coverage=Coverage(ported=2, total=3, missing=("g",)),
                            parity=ParitySummary(passed=2)))
    worse = f.matrix(f.module("tools.a", coverage=Coverage(ported=1, total=3, missing=("f", "g")),
                              parity=ParitySummary(passed=2, errored=1)))
    kinds = [(c.kind, c.direction, c.severity) for c in diff(old, worse)]
    assert kinds == [(ChangeKind.COVERAGE_DROPPED, Direction.DEMOTED, Severity.WARNING),
                     (ChangeKind.PARITY_REGRESSED, Direction.DEMOTED, Severity.WARNING)]
    assert [(c.kind, c.direction) for c in diff(worse, old)] == [
        (ChangeKind.COVERAGE_IMPROVED, Direction.PROMOTED), (ChangeKind.PARITY_IMPROVED, Direction.PROMOTED)]
    assert diff(worse, old)[0].explain() == "tools.a function coverage went from 1/3 (33%) to 2/3 (67%) (now ported: f)"


def _pair() -> tuple[f.SupportMatrix, f.SupportMatrix]:
    r_ok = Recipe(path="cb/a.py", title="A", go_ready=True, modules=("tools.a",))
    old = f.matrix(*BASE, f.module("tools.gone"), recipes=(r_ok,))
    new = f.matrix(
        f.module("tools.a", Status.PARTIAL, notes="missing: <script>x</script> | *y*"), *BASE[1:],
        f.module("tools.new", Status.GO_ONLY),
        recipes=(Recipe(path="cb/a.py", title="A", go_ready=False, modules=("tools.a",), blocked_by=("tools.a",)),),
        runtime=Provenance(name="agno-go", version="v0.0.2", commit="c" * 40))
    return old, new


def test_order_is_by_importance_then_subject() -> None:
    old, new = _pair()
    assert [(c.kind, c.subject) for c in diff(old, new)] == [
        (ChangeKind.MODULE_REMOVED, "tools.gone"),
        (ChangeKind.STATUS_DEMOTED, "tools.a"),
        (ChangeKind.RECIPE_BLOCKED, "cb/a.py"),
        (ChangeKind.MODULE_ADDED, "tools.new"),
        (ChangeKind.RUNTIME_CHANGED, "runtime"),
    ]


def test_three_formats_from_one_sentence() -> None:
    old, new = _pair()
    changes = diff(old, new)
    assert render(changes, "text", old=old, new=new) == (
        "runtime agno-go v0.0.1 (bbbbbbb) -> agno-go v0.0.2 (ccccccc); baseline agno 9.9.0 (aaaaaaa) (unchanged)\n"
        "module removed: tools.gone is no longer in the matrix (it was In Go)\n"
        "status demoted: tools.a went from In Go to Partial (missing: <script>x</script> | *y*)\n"
        "recipe blocked: recipe cb/a.py no longer runs on Go (blocked by tools.a)\n"
        "module added: tools.new is new in the matrix, as Go only\n"
        "runtime changed: runtime moved from agno-go v0.0.1 (bbbbbbb) to agno-go v0.0.2 (ccccccc)\n"
    )
    md = render(changes, "markdown", old=old, new=new)
    assert "- `tools.a` went from `In Go` to `Partial` (missing: &lt;script&gt;x&lt;/script&gt; &#124; &#42;y&#42;)\n" in md
    assert md.startswith("## Support matrix changes\n\nruntime agno-go v0.0.1 (bbbbbbb) -&gt; agno-go v0.0.2")
    assert "### ⚠️ Status demoted\n" in md and "### Module added\n" in md and "<script>" not in md
    gh = render(changes, "github").splitlines()
    assert gh[0] == "::warning title=Module removed::tools.gone is no longer in the matrix (it was In Go)"
    assert gh[3] == "::notice title=Module added::tools.new is new in the matrix, as Go only"


def test_github_values_are_escaped() -> None:
    old = f.matrix(f.module("tools.a", Status.PARTIAL, notes="a"))
    new = f.matrix(f.module("tools.a", Status.PARTIAL, notes="100%\nsure, really: yes"))
    assert render(diff(old, new), "github") == (
        "::notice title=Notes changed::tools.a notes changed from a to 100%25%0Asure, really: yes\n")


def test_no_changes_in_each_format() -> None:
    m = f.small()
    assert render(diff(m, m), "text") == "No changes to the support matrix.\n"
    assert render(diff(m, m), "github") == "::notice title=Support matrix::No changes to the support matrix.\n"
    assert render(diff(m, m), "markdown").endswith("No changes to the support matrix.\n")
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render([], "html")


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _pair()
    snapshot.dump(old, tmp_path / "old.json")
    snapshot.dump(new, tmp_path / "new.json")
    args = ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]
    assert main([*args, "--format", "github"]) == 0
    assert capsys.readouterr().out.startswith("::warning title=Module removed::")
    assert main([*args, "--fail-on-warning"]) == 1
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "old.json"), "--fail-on-warning"]) == 0
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "none.json")]) == 3
    assert capsys.readouterr().err.startswith(f"agno-docs diff: error: {tmp_path / 'none.json'}: no such snapshot file")


def test_notes_that_follow_a_coverage_change_are_not_repeated() -> None:
    old = f.matrix(f.module("tools.a", Status.PARTIAL, notes="missing 1 of 2: g",
                            coverage=Coverage(ported=1, total=2, missing=("g",))))
    new = f.matrix(f.module("tools.a", Status.PARTIAL, notes="missing 2 of 3: g, h",
                            coverage=Coverage(ported=1, total=3, missing=("g", "h"))))
    assert [(c.kind, c.explain()) for c in diff(old, new)] == [
        (ChangeKind.COVERAGE_DROPPED, "tools.a function coverage went from 1/2 (50%) to 1/3 (33%) (now missing: h)")]

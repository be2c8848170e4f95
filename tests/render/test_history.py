"""What's new in Go: consecutive snapshots by side (Go, baseline), dates, badges, or an honest empty page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from matrix.diff import ChangeKind, diff
from matrix.model import Capability, Coverage, GoRef, Provenance, Status, SupportMatrix
from matrix.render import history, links, macros
from matrix.render.templating import default
from matrix.sources import Loaded
from matrix.sources.site import SiteInputs
from tests import factories
from tests.render.conftest import NASTY

T = default()
GO, PY = history.Side.GO, history.Side.BASELINE
BASE = Provenance(name="agno", version="2.9.0", commit="9644f22982ae017eaa4ad85c561d927d9ac03119")


def release(version: str, days: int, *mods: object, baseline: Provenance = BASE,
            date: datetime | None = None) -> SupportMatrix:
    modules = [factories.module(m[0], m[1]) if isinstance(m, tuple) else m for m in mods]
    return factories.matrix(
        *modules,  # type: ignore[arg-type]
        generated_at=factories.WHEN + timedelta(days=days),
        baseline=baseline,
        runtime=Provenance(name="agno-go", version=version, date=date),
    )


@pytest.mark.parametrize("count", [0, 1])
def test_without_two_snapshots_the_page_says_so(count: int) -> None:
    snaps = [release("v1", 0, ("tools.calculator", Status.MIGRATED))][:count]
    out = history.whats_new(T, snaps)
    assert "No history recorded yet" in out
    assert ("holds one snapshot" if count else "holds no snapshot") in out


def test_every_change_kind_has_a_side() -> None:
    assert set(history.SIDES) == set(ChangeKind)


def calc(ported: int, total: int, status: Status) -> object:
    missing = tuple(f"f{i}" for i in range(total - ported))
    return factories.module("tools.calculator", status,
                            coverage=Coverage(ported=ported, total=total, missing=missing))


@pytest.mark.parametrize(
    ("old", "new", "kind", "side"),
    [
        # More units ported in Go: Go news.
        (calc(2, 4, Status.PARTIAL), calc(4, 4, Status.MIGRATED), ChangeKind.STATUS_PROMOTED, GO),
        (calc(2, 4, Status.PARTIAL), calc(3, 4, Status.PARTIAL), ChangeKind.COVERAGE_IMPROVED, GO),
        # The baseline grew around the same Go code (Gmail 1/17 -> 1/33): the Python side's news.
        (calc(4, 4, Status.MIGRATED), calc(4, 6, Status.PARTIAL), ChangeKind.STATUS_DEMOTED, PY),
        (calc(1, 4, Status.PARTIAL), calc(1, 6, Status.PARTIAL), ChangeKind.COVERAGE_CHANGED, PY),
        # A capability Go gained.
        (factories.module("models.x", Status.PARTIAL, capabilities=(Capability(name="s", python=True),)),
         factories.module("models.x", Status.PARTIAL,
                          capabilities=(Capability(name="s", python=True, go=True),)),
         ChangeKind.CAPABILITY_GAINED, GO),
        # A module new in the baseline is the baseline's news; a new Go-only module is Go's.
        (None, factories.module("tools.new", Status.NOT_MIGRATED), ChangeKind.MODULE_ADDED, PY),
        (None, factories.module("models.glm", Status.GO_ONLY), ChangeKind.MODULE_ADDED, GO),
        # Go code appearing under a python-only module.
        (factories.module("tools.y", Status.NOT_MIGRATED),
         factories.module("tools.y", Status.PARTIAL, go=GoRef(package="pkg/y")), ChangeKind.STATUS_PROMOTED,
         GO),
    ],
)
def test_each_change_is_put_on_the_side_that_moved(old: object, new: object, kind: ChangeKind,
                                                  side: history.Side) -> None:
    keep = factories.module("tools.keep")
    a = release("v1", 0, keep, *([old] if old else []))
    b = release("v2", 1, keep, new)
    found = [c for c in diff(a, b) if c.kind is kind]
    assert found, [c.kind for c in diff(a, b)]
    assert {history.side(c, a, b) for c in found} == {side}


def test_status_changes_are_badges_linking_to_the_module_pages_and_sides_are_apart() -> None:
    v1 = release("v1.0.0", 0, calc(2, 4, Status.PARTIAL), ("tools.shell", Status.NOT_MIGRATED),
                 factories.module("tools.gmail", Status.MIGRATED, coverage=Coverage(ported=1, total=1)))
    v2 = release("v1.1.0", 30, calc(4, 4, Status.MIGRATED), ("tools.shell", Status.NOT_MIGRATED),
                 factories.module("tools.gmail", Status.PARTIAL, coverage=Coverage(ported=1, total=2,
                                                                                   missing=("send",))))
    with links.at("whats-new/"):
        out = str(history.whats_new(T, [v1, v2]))
    go, _, baseline = out.partition("From the baseline")
    assert '<a href="../modules/tools/calculator/">Calculator</a>' in go
    assert ('data-status="partial">Partial</span> &rarr; <span class="agno-badge agno-badge--migrated"' in go)
    assert "tools.gmail" not in go  # Gmail lost no Go code: its demotion is the baseline's news
    assert '<a href="../modules/tools/gmail/">Gmail</a>' in baseline
    assert "tools.shell" not in out  # nothing changed for it


@pytest.mark.parametrize(
    ("baselines", "sentence"),
    [
        ((BASE, BASE, BASE), "Baseline: agno 2.9.0 (9644f22) for every release, the same pairing as the"
                             " support matrix uses, so every change below is the runtime&#39;s."),
        ((Provenance(name="agno", version="2.1.1", commit="a" * 40), BASE, BASE),
         "Each release was measured against the baseline current at its tag date"),
    ],
)
def test_the_page_says_which_baseline_each_release_was_measured_against(
    baselines: tuple[Provenance, ...], sentence: str
) -> None:
    snaps = [release(f"v1.{i}", i, calc(i + 1, 4, Status.PARTIAL), baseline=b)
             for i, b in enumerate(baselines)]
    out = str(history.whats_new(T, snaps))
    assert sentence in out
    mixed = len(set(baselines)) > 1
    assert ("Measured against agno 2.9.0; agno-go v1.0 against agno 2.1.1." in out) is mixed
    assert ("Both measured against agno 2.9.0." in out) is mixed  # v1.2 against v1.1


def test_release_dates_are_shown_when_the_history_has_them() -> None:
    v1 = release("v1.0.0", 0, calc(1, 4, Status.PARTIAL), date=datetime(2025, 10, 1, tzinfo=UTC))
    v2 = release("v1.1.0", 1, calc(2, 4, Status.PARTIAL), date=datetime(2025, 11, 2, 9, 30, tzinfo=UTC))
    v3 = release("v1.2.0", 2, calc(3, 4, Status.PARTIAL))
    out = str(history.whats_new(T, [v1, v2, v3]))
    assert "Released 2025-11-02. Compared with agno-go v1.0.0 (2025-10-01)." in out
    assert "Compared with agno-go v1.1.0 (2025-11-02)." in out
    assert "generated" not in out  # the snapshot's generation time is not a release date


def test_changes_between_releases_newest_first() -> None:
    v1 = release("v1.0.0", 0, ("tools.calculator", Status.NOT_MIGRATED), ("tools.shell", Status.NOT_MIGRATED))
    v2 = release("v1.1.0", 30, factories.module("tools.calculator", Status.MIGRATED),
                 ("tools.shell", Status.NOT_MIGRATED))
    v3 = release("v1.2.0", 60, factories.module("tools.calculator", Status.MIGRATED),
                 ("tools.shell", Status.MIGRATED), ("tools.new", Status.PARTIAL))
    out = history.whats_new(T, [v1, v2, v3])
    assert out.index("## agno-go v1.2.0") < out.index("## agno-go v1.1.0")
    assert "Compared with agno-go v1.0.0." in out


def test_change_details_from_data_are_escaped() -> None:
    v1 = release("v1", 0, ("tools.calculator", Status.MIGRATED))
    v2 = release("v2", 1, factories.module("tools.calculator", Status.PARTIAL, notes=NASTY, title=NASTY))
    out = history.whats_new(T, [v1, v2])
    assert "<script" not in out and "{{" not in out


def test_the_macro_renders_the_history_the_sources_loaded() -> None:
    v1 = release("v1.0.0", 0, ("tools.calculator", Status.NOT_MIGRATED))
    v2 = release("v1.1.0", 30, ("tools.calculator", Status.MIGRATED))
    data = Loaded(v2, site=SiteInputs(history=(v1, v2)))
    assert macros()["whats_new"](data) == history.whats_new(T, [v1, v2])
    assert "## agno-go v1.1.0" in macros()["whats_new"](data)
    assert "No history recorded yet" in macros()["whats_new"](Loaded(v2))  # the CLI loads no history


def test_a_long_group_folds() -> None:
    old = release("v1", 0, *((factories.module(f"tools.m{i:02d}", Status.PARTIAL,
                                               capabilities=(Capability(name="x", python=True),)))
                             for i in range(13)))
    new = release("v2", 1, *((factories.module(f"tools.m{i:02d}", Status.PARTIAL,
                                               capabilities=(Capability(name="x", python=True, go=True),)))
                             for i in range(13)))
    out = history.whats_new(T, [old, new])
    opening = '<details class="agno-changes" data-search-exclude><summary>'
    folded = out.split(opening, 1)[1].split("</details>", 1)[0]
    assert "(13)</summary>" in folded and folded.count("<li>") == 13  # the 13 capabilities, folded

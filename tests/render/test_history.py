"""What's new in Go: consecutive snapshots, or an honest empty page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from matrix.model import Provenance, Status
from matrix.render import history, macros
from matrix.render.templating import default
from matrix.sources import Loaded
from matrix.sources.site import SiteInputs
from tests import factories
from tests.render.conftest import NASTY

T = default()


def release(version: str, days: int, *mods: tuple[str, Status]) -> factories.SupportMatrix:
    return factories.matrix(
        *(factories.module(mid, st) for mid, st in mods),
        generated_at=factories.WHEN + timedelta(days=days),
        runtime=Provenance(name="agno-go", version=version),
    )


@pytest.mark.parametrize("count", [0, 1])
def test_without_two_snapshots_the_page_says_so(count: int) -> None:
    snaps = [release("v1", 0, ("tools.calculator", Status.MIGRATED))][:count]
    out = history.whats_new(T, snaps)
    assert "No history recorded yet" in out
    assert ("holds one snapshot" if count else "holds no snapshot") in out


def test_changes_between_releases_newest_first() -> None:
    v1 = release("v1.0.0", 0, ("tools.calculator", Status.NOT_MIGRATED), ("tools.shell", Status.NOT_MIGRATED))
    v2 = release("v1.1.0", 30, ("tools.calculator", Status.MIGRATED), ("tools.shell", Status.NOT_MIGRATED))
    v3 = release("v1.2.0", 60, ("tools.calculator", Status.MIGRATED), ("tools.shell", Status.MIGRATED),
                 ("tools.new", Status.PARTIAL))
    out = history.whats_new(T, [v1, v2, v3])
    assert out.index("## agno-go v1.2.0") < out.index("## agno-go v1.1.0")
    assert "Compared with agno-go v1.0.0" in out
    assert "<code>tools.calculator</code> went from <code>Not yet in Go</code> to <code>In Go</code>" in out
    assert "<code>tools.new</code> is new in the matrix" in out


def test_change_details_from_data_are_escaped() -> None:
    v1 = release("v1", 0, ("tools.calculator", Status.MIGRATED))
    v2 = factories.matrix(factories.module("tools.calculator", Status.PARTIAL, notes=NASTY),
                          generated_at=factories.WHEN + timedelta(days=1),
                          runtime=Provenance(name="agno-go", version="v2"))
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
    old = release("v1", 0, *((f"tools.m{i:02d}", Status.NOT_MIGRATED) for i in range(13)))
    new = release("v2", 1, *((f"tools.m{i:02d}", Status.MIGRATED) for i in range(13)))
    out = history.whats_new(T, [old, new])
    folded = out.split('<details class="agno-changes"><summary>', 1)[1].split("</details>", 1)[0]
    assert "(13)</summary>" in folded and folded.count("<li>") == 13  # the 13 promotions, folded

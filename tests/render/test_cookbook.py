"""Cookbook index, porting priority and featured-recipe tabs."""

# ruff: noqa: E501  (exact messages read better unbroken)

from __future__ import annotations

from collections.abc import Callable

import pytest

from matrix.errors import UsageError
from matrix.model import Coverage, Recipe, Status, SupportMatrix, Unit, UnitKind, UnitState
from matrix.render import cookbook, macros
from matrix.sources import Loaded
from tests import factories
from tests.render.conftest import with_recipes

DATA = Loaded(with_recipes())
M = macros()


def test_priority_golden(golden: Callable[[str, str], None]) -> None:
    golden("porting_priority.html", M["porting_priority"](DATA, 2))


def test_priority_ranks_by_recipes_a_module_alone_unblocks() -> None:
    # shell alone blocks shell.py and shell_again.py; with others both.py; streamlit never alone.
    assert [(b.kind, b.name, alone, n) for b, alone, n in cookbook.priority(DATA.matrix)] == [
        ("module", "tools.shell", 2, 3),
        ("module", "tools.streamlit", 0, 2),
        ("module", "models.mystery", 0, 1),
    ]


def _kinds_matrix() -> SupportMatrix:
    """Recipes blocked by each kind: a feature, an unmapped import, a module, and a local recipe."""
    base = with_recipes()
    team = factories.module("core.team", Status.PARTIAL, notes="missing: Team.mode=tasks", coverage=Coverage(
        kind=UnitKind.FIELDS, ported=1, total=2, missing=("Team.mode=tasks",),
        units=(Unit(name="Team.members", state=UnitState.PORTED), Unit(name="Team.mode=tasks", state=UnitState.MISSING))))

    def feature(path: str) -> Recipe:
        return Recipe(path=path, title="t", go_ready=False, modules=("core.team",),
                      features=("Team.members", "Team.mode=tasks"), blocked_by_features=("Team.mode=tasks",))

    recipes = (*base.recipes, feature("cookbook/teams/a.py"), feature("cookbook/teams/b.py"),
               feature("cookbook/teams/c.py"),
               Recipe(path="cookbook/env/e.py", title="e", go_ready=False, unmapped=("agno.environments",)),
               Recipe(path="cookbook/teams/run.py", title="run", go_ready=False, modules=("core.team", "tools.shell"),
                      features=("Team.mode=tasks",), blocked_by=("tools.shell",),
                      blocked_by_features=("Team.mode=tasks",), local=("cookbook/teams/a.py",)))
    return factories.matrix(*base.modules, team, recipes=recipes)


KINDS = Loaded(_kinds_matrix())


def test_priority_ranks_modules_and_features_together() -> None:
    ranked = [(b.kind, b.name, alone, n) for b, alone, n in cookbook.priority(KINDS.matrix)]
    assert ranked[:3] == [("feature", "Team.mode=tasks", 3, 4), ("module", "tools.shell", 2, 4),
                          ("unmapped", "agno.environments", 1, 1)]
    out = M["porting_priority"](KINDS, 2)
    assert "<td>feature</td>" in out and "<code>Team.mode=tasks</code>" in out and "(core.team)" in out
    assert "more blockers (" in out and "1 unmapped import in all" in out


def test_recipe_status_names_blockers_of_each_kind() -> None:
    out = M["recipe_status"](KINDS, "cookbook/teams/run.py")
    assert "Blocked</span>" in out
    assert 'Blocked by module <span class="agno-module" data-module="tools.shell"' in out
    assert "feature <code>Team.mode=tasks</code>" in out
    assert "local recipe <code>cookbook/teams/a.py</code>" in out
    assert "local recipes <code>cookbook/teams/a.py</code>" in out
    assert "unmapped import <code>agno.environments</code>" in M["recipe_status"](KINDS, "cookbook/env/e.py")


def test_a_blocked_recipe_gets_its_go_sample_as_the_nearest_not_as_go() -> None:
    out = M["recipe_tabs"](KINDS, "cookbook/teams/a.py", "x.py", "x.go")
    assert out.startswith('<div class="admonition warning agno-blocked"><p class="admonition-title">Does not run '
                          "in Go yet</p><p>Blocked by feature <code>Team.mode=tasks</code>.")
    assert '=== "Go"' not in out and '=== "Nearest in Go (not a port)"' in out and '--8<-- "x.go"' in out
    assert "not_migrated" not in out


@pytest.mark.parametrize(
    ("path", "go_tab", "blocked"),
    [
        ("cookbook/tools/calc.py", True, None),
        ("cookbook/tools/search.py", True, None),
        ("cookbook/tools/shell.py", False, "tools.shell"),
        ("cookbook/tools/app.py", False, "tools.streamlit"),
    ],
)
def test_go_tab_only_when_every_module_is_in_go(path: str, go_tab: bool, blocked: str | None) -> None:
    out = M["recipe_tabs"](DATA, path, "cookbook/x.py", "cookbook/x.go")
    tabs = out[out.index('=== "Python"'):]
    assert tabs.startswith('=== "Python"\n\n    ```python\n    --8<-- "cookbook/x.py"\n    ```\n')
    assert ('=== "Go"' in out) is go_tab
    assert '--8<-- "cookbook/x.go"' in out
    if blocked:
        assert "Does not run in Go yet" in out and f'data-module="{blocked}"' in out
        assert "runtime=python-only" in out and '=== "Nearest in Go (not a port)"' in out


def test_unknown_recipe_names_the_closest_path() -> None:
    with pytest.raises(UsageError) as info:
        M["recipe_tabs"](DATA, "cookbook/tools/calc2.py", "a.py", "a.go")
    assert str(info.value) == ("agno-docs macro: unknown recipe 'cookbook/tools/calc2.py'; "
                               "closest known recipe: 'cookbook/tools/calc.py'")


def test_snippet_paths_cannot_break_out_of_the_include_line() -> None:
    with pytest.raises(UsageError) as info:
        M["recipe_tabs"](DATA, "cookbook/tools/calc.py", 'x.py"\n--8<-- "/etc/passwd', None)
    assert str(info.value).startswith("recipe_tabs: snippet path ")


def test_recipe_status_shows_blockers_with_live_badges() -> None:
    out = M["recipe_status"](DATA, "cookbook/tools/shell.py")
    assert "Blocked</span>" in out and 'data-module="tools.shell"' in out
    assert ">no parity run</span>" in out


def test_go_ready_recipe_without_a_go_sample_says_so() -> None:
    out = M["recipe_tabs"](DATA, "cookbook/tools/calc.py", "cookbook/x.py")
    assert '=== "Go"' not in out
    assert "Every module and feature this recipe uses is in Go; no Go version of this sample is written here" in out

"""Cookbook index, porting priority and featured-recipe tabs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from matrix.errors import UsageError
from matrix.render import cookbook, macros
from matrix.sources import Loaded
from tests.render.conftest import with_recipes

DATA = Loaded(with_recipes())
M = macros()


def test_priority_golden(golden: Callable[[str, str], None]) -> None:
    golden("porting_priority.html", M["porting_priority"](DATA, 2))


def test_priority_ranks_by_recipes_a_module_alone_unblocks() -> None:
    # shell alone blocks shell.py and shell_again.py; with others both.py; streamlit never alone.
    assert cookbook.priority(DATA.matrix) == [
        ("tools.shell", 2, 3),
        ("tools.streamlit", 0, 2),
        ("models.mystery", 0, 1),
    ]


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
    assert out.startswith('=== "Python"\n\n    ```python\n    --8<-- "cookbook/x.py"\n    ```\n')
    assert ('=== "Go"' in out) is go_tab
    assert ('--8<-- "cookbook/x.go"' in out) is go_tab
    if blocked:
        assert "No Go version yet" in out and f'data-module="{blocked}"' in out
        assert "runtime=python-only" in out


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
    assert "Every module this recipe imports is in Go; no Go version of this sample is written here" in out

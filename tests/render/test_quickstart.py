"""needs(): a step says right there whether it runs in Go."""

from __future__ import annotations

from collections.abc import Callable

from matrix.render import macros
from matrix.sources import Loaded
from tests import factories

DATA = Loaded(factories.small())
M = macros()


def test_goldens(golden: Callable[[str, str], None]) -> None:
    golden("needs_in_go.md", M["needs"](DATA, "tools.calculator", "models.glm"))
    golden("needs_python_only.md", M["needs"](DATA, "tools.calculator", "tools.shell", "tools.streamlit"))


def test_in_go_step_is_a_success_box() -> None:
    out = M["needs"](DATA, "tools.calculator", "tools.duckduckgo")
    assert out.startswith('!!! success "Runs in Go"\n\n    This step uses ')


def test_python_only_step_warns_and_links_to_the_module_entry() -> None:
    out = M["needs"](DATA, "tools.calculator", "tools.shell", not_in_go_url="../not-in-go.md")
    assert out.startswith('!!! warning "Needs a python-only module"\n\n    ')
    assert "[<code>tools.shell</code>](../not-in-go.md#mod-tools.shell) is not in the Go runtime yet" in out
    assert "tools.calculator</code>](" not in out


def test_unknown_status_is_not_called_python_only() -> None:
    out = M["needs"](DATA, "tools.calculator", "models.mystery")
    assert out.startswith('!!! warning "Not known to run in Go"\n\n    This step uses ')
    assert "There is no evidence either way for <code>models.mystery</code>" in out
    assert "not_migrated" not in out
    both = M["needs"](DATA, "tools.shell", "models.mystery")
    assert both.startswith('!!! warning "Needs a python-only module"')
    assert "is not in the Go runtime yet" in both and "no evidence either way" in both

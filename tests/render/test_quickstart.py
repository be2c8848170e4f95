"""needs(): a step says right there whether it runs in Go; the planned mark; what the runtime has today."""

# ruff: noqa: E501  (exact messages read better unbroken)

from __future__ import annotations

from collections.abc import Callable

import pytest

from matrix.errors import UsageError
from matrix.model import Coverage, Loc, Provenance, Status, Unit, UnitKind, UnitState
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
    assert "[<code>tools.shell</code>](../not-in-go.md#mod-tools.shell) has no Go package in the runtime yet" in out
    assert "tools.calculator</code>](" not in out


def test_unknown_status_is_not_called_python_only() -> None:
    out = M["needs"](DATA, "tools.calculator", "models.mystery")
    assert out.startswith('!!! warning "Not known to run in Go"\n\n    This step uses ')
    assert "There is no evidence either way for <code>models.mystery</code>" in out
    assert "not_migrated" not in out
    both = M["needs"](DATA, "tools.shell", "models.mystery")
    assert both.startswith('!!! warning "Needs a python-only module"')
    assert "has no Go package in the runtime yet" in both and "no evidence either way" in both


def test_python_only_step_says_the_build_fails_not_a_start_up_error() -> None:
    out = M["needs"](DATA, "tools.shell")
    assert "has no Go package in the runtime yet" in out and "the build fails, not the run" in out
    assert "not_migrated" not in out and "start-up" not in out


def _fields() -> Loaded:
    team = factories.module("core.team", Status.PARTIAL, notes="missing: Team.mode=tasks", coverage=Coverage(
        kind=UnitKind.FIELDS, ported=1, total=2, missing=("Team.mode=tasks",),
        units=(Unit(name="Team.members", state=UnitState.PORTED), Unit(name="Team.mode=tasks", state=UnitState.MISSING))))
    return Loaded(factories.matrix(*factories.small().modules, team))


def test_features_decide_too() -> None:
    data = _fields()
    ok = M["needs"](data, "core.team", features="Team.members")
    assert ok.startswith('!!! success "Runs in Go"') and "the features <code>Team.members</code>" in ok
    assert "<code>core.team</code> is only partly in Go: every feature named here is a ported unit" in ok
    out = M["needs"](data, "core.team", features="Team.members Team.mode=tasks")
    assert out.startswith('!!! warning "Uses a feature that is not in Go"')
    assert "Not in Go: <code>Team.mode=tasks</code> (missing); the Go config has no field for it." in out
    # A feature the matrix does not measure (a typo, or another matrix): no evidence, never "Runs in Go".
    # (`agno-docs check` reports the name, with the closest known one.)
    odd = M["needs"](data, "core.team", features="Team.mode=taks")
    assert odd.startswith('!!! warning "Not known to run in Go"')
    assert "There is no evidence either way for <code>Team.mode=taks</code>: try it before you rely on it." in odd


def test_planned_mark_names_the_runtime_and_the_reference_server() -> None:
    out = M["planned"](DATA, "a control plane")
    assert out.startswith('!!! planned "Planned contract (agno-Go migration spec)"\n\n    <strong>Not in agno-go v0.0.1</strong> '
                          "(<code>bbbbbbb</code>), the runtime this site describes: a control plane.")
    assert "<code>GET /v1/runtime/go/support-matrix</code>" in out and "<code>agno-docs serve-runtime</code>" in out
    badge = M["planned_badge"](DATA)
    assert badge == ('<span class="agno-planned" title="Planned contract (agno-Go migration spec): not in agno-go '
                     'v0.0.1; try it against agno-docs serve-runtime">planned</span>')


def test_planned_what_is_escaped() -> None:
    assert "&lt;script&gt;" in M["planned"](DATA, "<script>x</script>")


def test_go_get_pins_the_commit_of_the_matrix() -> None:
    data = Loaded(factories.matrix(*factories.small().modules, runtime=Provenance(
        name="agno-Go", version="1.2.9", commit="c" * 40, module="github.com/example/agno-go")))
    out = M["go_get"](data)
    assert "go get github.com/example/agno-go@cccccccccccc</code>" in out
    with pytest.raises(UsageError, match="does not name the runtime's Go module"):
        M["go_get"](DATA)


def test_runtime_routes_list_ported_and_go_only_endpoints_with_evidence() -> None:
    agents = factories.module("os.agents", Status.PARTIAL, notes="missing: GET /agents/{}", coverage=Coverage(
        kind=UnitKind.ENDPOINTS, ported=1, total=2, missing=("GET /agents/{}",),
        extra=("POST /api/v1/agents/:id/run/stream",),
        units=(Unit(name="POST /agents/{}/runs", state=UnitState.PORTED, go=Loc(path="pkg/agentos/server.go", line=4),
                    go_name="POST /api/v1/agents/:id/run"),
               Unit(name="GET /agents/{}", state=UnitState.MISSING))))
    data = Loaded(factories.matrix(*factories.small().modules, agents, runtime=Provenance(
        name="agno-Go", version="1.2.9", commit="c" * 40, repository="https://github.com/example/agno-go")))
    out = M["runtime_routes"](data)
    assert out.count("<tr><td>") == 2
    assert ('<tr><td><code>POST /api/v1/agents/:id/run</code><br><small><a href="https://github.com/example/agno-go/'
            f'blob/{"c" * 40}/pkg/agentos/server.go#L4">pkg/agentos/server.go:4</a></small></td><td><code>POST '
            "/agents/&#123;&#125;/runs</code>") in out
    assert ("<td><code>POST /api/v1/agents/:id/run/stream</code><br><small>Go only: no baseline endpoint</small></td>"
            "<td>—</td>") in out
    assert "GET /agents/" not in out.replace("GET /agents/{}", "")

"""``matrix.diff``: typed change records for every contract field, ordered by importance, rendered
three ways from one sentence, inert whatever the data holds."""

# ruff: noqa: E501  (tables of exact messages read better unbroken)

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from matrix.cli import main
from matrix.diff import (
    RULED,
    Change,
    ChangeKind,
    Direction,
    Severity,
    clean,
    diff,
    matching,
    md_code,
    render,
    say,
    summarise,
)
from matrix.errors import UsageError
from matrix.model import (
    Capability,
    Coverage,
    Family,
    Module,
    ParitySummary,
    Provenance,
    Recipe,
    Status,
    Unit,
    UnitKind,
    UnitState,
)
from matrix.sources import snapshot
from tests import factories as f
from tests.keeptrue import diff_fields

K = ChangeKind
DATA = Path(__file__).resolve().parents[1] / "data" / "diff"

# ---------------------------------------------------------------------------------------------
# Every field of the contract has a rule, and each rule's record is pinned.

#: schema leaf -> the records its mutation (diff_fields.MUTATIONS) yields, most important first.
FIELD_RECORDS: dict[str, list[tuple[ChangeKind, str]]] = {
    'source.kind': [
        (K.SOURCE_CHANGED, 'the matrix now comes from api (was scan)'),
    ],
    'source.url': [
        (K.SOURCE_CHANGED, 'source URL https://example.invalid/other (was https://example.invalid/matrix)'),
    ],
    'source.trees{}': [
        (K.SOURCE_CHANGED, 'source tree go cccccccccccccccccccccccccccccccccccccccc (was bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb)'),
    ],
    'source.profile': [
        (K.SOURCE_CHANGED, 'scan profile custom (was agno)'),
    ],
    'baseline.name': [
        (K.BASELINE_CHANGED, 'baseline moved from agno 9.9.0 (aaaaaaa) to agno-fork 9.9.0 (aaaaaaa)'),
    ],
    'baseline.version': [
        (K.BASELINE_CHANGED, 'baseline moved from agno 9.9.0 (aaaaaaa) to agno 9.9.1 (aaaaaaa)'),
    ],
    'baseline.commit': [
        (K.BASELINE_CHANGED, 'baseline moved from agno 9.9.0 (aaaaaaa) to agno 9.9.0 (ddddddd)'),
    ],
    'baseline.version_from': [
        (K.BASELINE_CHANGED, 'baseline version read from git tag (was libs/agno/pyproject.toml)'),
    ],
    'baseline.repository': [
        (K.BASELINE_CHANGED, 'baseline repository https://example.invalid/agno-fork (was https://example.invalid/agno)'),
    ],
    'runtime.name': [
        (K.RUNTIME_CHANGED, 'runtime moved from agno-go v0.0.1 (bbbbbbb) to agno-go-fork v0.0.1 (bbbbbbb)'),
    ],
    'runtime.version': [
        (K.RUNTIME_CHANGED, 'runtime moved from agno-go v0.0.1 (bbbbbbb) to agno-go v0.0.2 (bbbbbbb)'),
    ],
    'runtime.commit': [
        (K.RUNTIME_CHANGED, 'runtime moved from agno-go v0.0.1 (bbbbbbb) bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb to agno-go v0.0.1 (bbbbbbb) bbbbbbbeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'),
    ],
    'runtime.version_from': [
        (K.RUNTIME_CHANGED, 'runtime version read from git describe (was CHANGELOG.md)'),
    ],
    'runtime.repository': [
        (K.RUNTIME_CHANGED, 'runtime repository https://example.invalid/agno-go-fork (was https://example.invalid/agno-go)'),
    ],
    'runtime.module': [
        (K.RUNTIME_CHANGED, 'runtime Go module path example.invalid/agno-go-fork (was (none))'),
    ],
    'runtime.date': [
        (K.RUNTIME_CHANGED, 'runtime commit date 2026-01-02T03:04:05+00:00 (was (none))'),
    ],
    'baseline.module': [
        (K.BASELINE_CHANGED, 'baseline Go module path example.invalid/agno (was (none))'),
    ],
    'baseline.date': [
        (K.BASELINE_CHANGED, 'baseline commit date 2026-01-02T03:04:05+00:00 (was (none))'),
    ],
    'families[].id': [
        (K.FAMILY_ADDED, 'family db (Storage databases) is new'),
    ],
    'families[].title': [
        (K.FAMILY_CHANGED, 'family tools is now titled Tools (was Toolkits)'),
    ],
    'families[].order': [
        (K.FAMILY_CHANGED, 'family tools moved from position 0 to 5'),
    ],
    'modules[].id': [
        (K.MODULE_ADDED, 'tools.slack is new in the matrix, as Not yet in Go'),
    ],
    'modules[].title': [
        (K.TITLE_CHANGED, 'tools.jira is now titled Jira Cloud (was Jira)'),
    ],
    'modules[].status': [
        (K.STATUS_DEMOTED, 'models.openai went from In Go to Partial (missing: streaming)'),
    ],
    'modules[].python.path': [
        (K.PYTHON_REF_CHANGED, 'tools.jira baseline code moved from libs/agno/agno/tools/jira.py to libs/agno/agno/tools/jira/__init__.py'),
    ],
    'modules[].python.symbols[]': [
        (K.PYTHON_REF_CHANGED, 'tools.jira baseline symbols added: JiraConfig'),
    ],
    'modules[].go.package': [
        (K.GO_REF_CHANGED, 'tools.jira Go package moved from pkg/agno/tools/jira to pkg/agno/tools/atlassian'),
    ],
    'modules[].go.symbols[]': [
        (K.GO_REF_CHANGED, 'tools.jira Go symbols removed: Jira'),
    ],
    'modules[].go.also[]': [
        (K.GO_REF_CHANGED, 'tools.jira further Go packages added: internal/atlassian'),
    ],
    'modules[].coverage.ported': [
        (K.UNIT_PORTED, 'tools.jira: delete_issue now ported'),
        (K.COVERAGE_IMPROVED, 'tools.jira function coverage went from 2/3 (67%) to 3/3 (100%)'),
    ],
    'modules[].coverage.total': [
        (K.UNIT_ADDED, 'tools.jira: new baseline function transition_issue (missing in Go)'),
        (K.COVERAGE_CHANGED, 'tools.jira function coverage went from 2/3 (67%) to 2/4 (50%)'),
    ],
    'modules[].coverage.missing[]': [
        (K.UNIT_STATE, 'tools.jira: delete_issue went from missing to stub in Go (returns canned data)'),
    ],
    'modules[].coverage.extra[]': [
        (K.GO_ONLY_UNIT, 'tools.jira: Go adds function bulk_update (no baseline counterpart)'),
    ],
    'modules[].coverage.kind': [
        (K.UNIT_KIND, 'tools.jira now measures endpoints (was functions)'),
    ],
    'modules[].coverage.stubs[]': [
        (K.UNIT_LOST, 'tools.jira: add_comment is now a stub in Go (returns canned data: example.com)'),
        (K.COVERAGE_DROPPED, 'tools.jira function coverage went from 2/3 (67%) to 1/3 (33%)'),
    ],
    'modules[].coverage.units[].name': [
        (K.UNIT_ADDED, 'tools.jira: new baseline function remove_issue (missing in Go)'),
        (K.UNIT_REMOVED, 'tools.jira: function delete_issue is no longer in the baseline (was missing)'),
    ],
    'modules[].coverage.units[].state': [
        (K.UNIT_LOST, 'tools.jira: add_comment no longer ported (now missing in Go)'),
        (K.COVERAGE_DROPPED, 'tools.jira function coverage went from 2/3 (67%) to 1/3 (33%)'),
    ],
    'modules[].coverage.units[].python.path': [
        (K.UNIT_EVIDENCE, 'tools.jira: evidence changed for 1 function: create_issue (Python libs/agno/agno/tools/jira.py:10 -> libs/agno/agno/tools/jira/api.py:10)'),
    ],
    'modules[].coverage.units[].python.line': [
        (K.UNIT_EVIDENCE, 'tools.jira: evidence changed for 1 function: create_issue (Python libs/agno/agno/tools/jira.py:10 -> libs/agno/agno/tools/jira.py:12)'),
    ],
    'modules[].coverage.units[].go.path': [
        (K.UNIT_EVIDENCE, 'tools.jira: evidence changed for 1 function: create_issue (Go pkg/agno/tools/jira/jira.go:20 -> pkg/agno/tools/jira/issues.go:20)'),
    ],
    'modules[].coverage.units[].go.line': [
        (K.UNIT_EVIDENCE, 'tools.jira: evidence changed for 1 function: create_issue (Go pkg/agno/tools/jira/jira.go:20 -> pkg/agno/tools/jira/jira.go:21)'),
    ],
    'modules[].coverage.units[].go_name': [
        (K.UNIT_EVIDENCE, 'tools.jira: evidence changed for 1 function: create_issue (Go name CreateIssue -> NewIssue)'),
    ],
    'modules[].coverage.units[].note': [
        (K.UNIT_EVIDENCE, 'tools.jira: evidence changed for 1 function: create_issue (note checked by hand -> (none))'),
    ],
    'modules[].capabilities[].name': [
        (K.CAPABILITY_LOST, 'models.openai: streaming no longer in Go (Go evidence yes -> not measured)'),
        (K.CAPABILITY_GAINED, 'models.openai: streaming_v2 now in Go (Go evidence not measured -> yes)'),
        (K.BASELINE_CAPABILITY, 'models.openai: streaming no longer in the Python baseline (Python evidence yes -> not measured)'),
        (K.BASELINE_CAPABILITY, 'models.openai: streaming_v2 now in the Python baseline (Python evidence not measured -> yes)'),
    ],
    'modules[].capabilities[].python': [
        (K.BASELINE_CAPABILITY, 'models.openai: structured_output no longer in the Python baseline (Python evidence yes -> no)'),
    ],
    'modules[].capabilities[].go': [
        (K.CAPABILITY_GAINED, 'models.openai: structured_output now in Go (Go evidence no -> yes)'),
    ],
    'modules[].parity.passed': [
        (K.PARITY_IMPROVED, 'tools.jira parity went from 2 passed to 3 passed'),
    ],
    'modules[].parity.failed': [
        (K.PARITY_REGRESSED, 'tools.jira parity went from 2 passed to 2 passed, 1 failed (jira_more: outputs[1] (python=1, go=2))'),
    ],
    'modules[].parity.errored': [
        (K.PARITY_REGRESSED, 'tools.jira parity went from 2 passed to 1 passed, 1 errored'),
    ],
    'modules[].parity.fixtures[]': [
        (K.PARITY_CHANGED, 'tools.jira parity fixtures added: jira_extra; fixtures removed: jira_more'),
    ],
    'modules[].parity.first_failure': [
        (K.PARITY_CHANGED, 'tools.jira first parity failure is now jira_more: flaky (was (none))'),
    ],
    'modules[].reason': [
        (K.REASON_CHANGED, 'tools.shell reason not to port changed from runs local commands to runs arbitrary local commands'),
    ],
    'modules[].notes': [
        (K.NOTES_CHANGED, 'tools.jira notes changed from missing: delete_issue to missing: delete_issue (needs admin rights)'),
    ],
    'modules[].tracking': [
        (K.TRACKING_CHANGED, 'tools.jira is no longer tracked (was at https://example.invalid/issues/1)'),
    ],
    'modules[].since': [
        (K.SINCE_CHANGED, 'tools.jira is now recorded in Go since v0.0.2 (was v0.0.1)'),
    ],
    'parity[].fixture': [
        (K.FIXTURE_ADDED, 'parity fixture jira_renamed is new: fail (first difference outputs[0].content: python="ok", go="OK")'),
        (K.FIXTURE_REMOVED, 'parity fixture jira_basic is no longer run (it was fail)'),
    ],
    'parity[].status': [
        (K.FIXTURE_PASSING, 'parity fixture jira_basic went from fail to pass'),
    ],
    'parity[].diffs[].path': [
        (K.FIXTURE_CHANGED, 'parity fixture jira_basic differences changed (first difference outputs[1].content: python="ok", go="OK")'),
    ],
    'parity[].diffs[].python': [
        (K.FIXTURE_CHANGED, 'parity fixture jira_basic differences changed (first difference outputs[0].content: python={"text":"ok"}, go="OK")'),
    ],
    'parity[].diffs[].go': [
        (K.FIXTURE_CHANGED, 'parity fixture jira_basic differences changed (first difference outputs[0].content: python="ok", go=null)'),
    ],
    'parity[].metrics_match': [
        (K.FIXTURE_CHANGED, 'parity fixture jira_basic: metrics match went from yes to no'),
    ],
    'parity[].modules[]': [
        (K.FIXTURE_CHANGED, 'parity fixture jira_basic: modules added: models.openai'),
    ],
    'parity[].source': [
        (K.FIXTURE_CHANGED, 'parity fixture jira_basic now comes from parity/results-2.json (was parity/results.json)'),
    ],
    'benchmarks[].name': [
        (K.BENCHMARK_ADDED, 'benchmark agent_run_v2 is new (Go/Python ns/op 0.50)'),
        (K.BENCHMARK_REMOVED, 'benchmark agent_run is no longer measured'),
    ],
    'benchmarks[].python.metrics{}': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Python ns/op 2000 -> 2100'),
    ],
    'benchmarks[].python.runs': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Python runs 5 -> 10'),
    ],
    'benchmarks[].python.env.goos': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Python GOOS (none) -> linux'),
    ],
    'benchmarks[].python.env.goarch': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Python GOARCH (none) -> arm64'),
    ],
    'benchmarks[].python.env.cpu': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Python CPU x86 -> arm'),
    ],
    'benchmarks[].python.env.pkg': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Python package (none) -> agno.agent'),
    ],
    'benchmarks[].python.env.python': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Python interpreter 3.12 -> 3.13'),
    ],
    'benchmarks[].go.metrics{}': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Go B/op 64 -> 80'),
    ],
    'benchmarks[].go.runs': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Go runs 5 -> 3'),
    ],
    'benchmarks[].go.env.goos': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Go GOOS linux -> darwin'),
    ],
    'benchmarks[].go.env.goarch': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Go GOARCH amd64 -> arm64'),
    ],
    'benchmarks[].go.env.cpu': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Go CPU x86 -> Apple M2'),
    ],
    'benchmarks[].go.env.pkg': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Go package pkg/agno/agent -> pkg/agno/team'),
    ],
    'benchmarks[].go.env.python': [
        (K.BENCHMARK_CHANGED, 'benchmark agent_run: Go interpreter (none) -> 3.12'),
    ],
    'benchmarks[].ratios{}': [
        (K.BENCHMARK_REGRESSED, 'benchmark agent_run: Go/Python ns/op 0.50 -> 0.80 (+60%; lower is better)'),
    ],
    'recipes[].path': [
        (K.RECIPE_ADDED, 'recipe cookbook/jira/agent.py is new, blocked by module tools.jira, feature Agent.output_schema, unmapped import agno.environments'),
        (K.RECIPE_REMOVED, 'recipe cookbook/jira_agent.py is no longer in the cookbook (it was blocked by module tools.jira, feature Agent.output_schema, unmapped import agno.environments)'),
    ],
    'recipes[].title': [
        (K.RECIPE_CHANGED, 'recipe cookbook/jira_agent.py is now titled Jira triage agent (was Jira agent)'),
    ],
    'recipes[].go_ready': [
        (K.RECIPE_UNBLOCKED, 'recipe cookbook/jira_agent.py now runs in Go (was blocked by module tools.jira, feature Agent.output_schema, unmapped import agno.environments)'),
    ],
    'recipes[].modules[]': [
        (K.RECIPE_CHANGED, 'recipe cookbook/jira_agent.py no longer uses module models.openai'),
    ],
    'recipes[].go_example': [
        (K.RECIPE_CHANGED, 'recipe cookbook/jira_agent.py no longer has a Go example (was cmd/examples/jira)'),
    ],
    'recipes[].blocked_by[]': [
        (K.RECIPE_BLOCKER_REMOVED, 'recipe cookbook/jira_agent.py no longer blocked by module tools.jira (still blocked by feature Agent.output_schema, unmapped import agno.environments)'),
    ],
    'recipes[].features[]': [
        (K.RECIPE_CHANGED, 'recipe cookbook/jira_agent.py now uses feature Team.mode=tasks'),
    ],
    'recipes[].blocked_by_features[]': [
        (K.RECIPE_BLOCKER_ADDED, 'recipe cookbook/jira_agent.py newly blocked by feature Team.mode=tasks (already blocked by module tools.jira, feature Agent.output_schema, unmapped import agno.environments)'),
        (K.RECIPE_CHANGED, 'recipe cookbook/jira_agent.py now uses feature Team.mode=tasks'),
    ],
    'recipes[].unmapped[]': [
        (K.RECIPE_BLOCKER_REMOVED, 'recipe cookbook/jira_agent.py no longer blocked by unmapped import agno.environments (still blocked by module tools.jira, feature Agent.output_schema)'),
    ],
    'recipes[].local[]': [
        (K.RECIPE_CHANGED, 'recipe cookbook/jira_agent.py no longer imports recipe cookbook/helpers.py'),
    ],
    'diagnostics[].file': [
        (K.DIAGNOSTIC_ADDED, 'the source could not read libs/agno/agno/tools/other.py:3: invalid syntax'),
        (K.DIAGNOSTIC_RESOLVED, 'the source reads libs/agno/agno/tools/broken.py:3 again (was: invalid syntax)'),
    ],
    'diagnostics[].message': [
        (K.DIAGNOSTIC_ADDED, 'the source could not read libs/agno/agno/tools/broken.py:3: file is not UTF-8'),
        (K.DIAGNOSTIC_RESOLVED, 'the source reads libs/agno/agno/tools/broken.py:3 again (was: invalid syntax)'),
    ],
    'diagnostics[].line': [
        (K.DIAGNOSTIC_ADDED, 'the source could not read libs/agno/agno/tools/broken.py: invalid syntax'),
        (K.DIAGNOSTIC_RESOLVED, 'the source reads libs/agno/agno/tools/broken.py:3 again (was: invalid syntax)'),
    ],
}


def test_every_contract_field_has_a_pinned_record() -> None:
    leaves = diff_fields.leaf_paths()
    assert len(leaves) > 80  # the walk found the contract, not an empty schema
    unruled = sorted(leaves - FIELD_RECORDS.keys() - diff_fields.EXEMPT.keys())
    assert not unruled, (f"contract fields without a diff rule pinned here: {unruled}; add a rule to "
                         "matrix/diff/rules.py, a mutation to tests/keeptrue/diff_fields.py and the record above")
    assert not (FIELD_RECORDS.keys() | diff_fields.EXEMPT.keys()) - leaves, "rows for fields the contract lacks"
    assert FIELD_RECORDS.keys() == diff_fields.MUTATIONS.keys()


@pytest.mark.parametrize("path", list(FIELD_RECORDS))
def test_field_rule(path: str) -> None:
    old, new = diff_fields.load(diff_fields.base()), diff_fields.mutated(path)
    assert [(c.kind, c.explain()) for c in diff(old, new)] == FIELD_RECORDS[path]


def test_the_base_matrix_equals_itself_and_exempt_fields_make_no_record() -> None:
    doc = diff_fields.base()
    old = diff_fields.load(doc)
    assert diff(old, old) == []
    doc["generated_at"] = "2027-01-01T00:00:00Z"
    doc["parity"][0]["ran_at"] = "2027-01-01T00:00:00Z"
    doc["benchmarks"][0]["measured_at"] = "2027-01-01T00:00:00Z"
    new = diff_fields.load(doc)
    assert diff(old, new) == []
    # generated_at is shown in the header instead.
    assert render([], "text", old=old, new=new).splitlines()[0].endswith(
        "generated 2026-11-01T12:00:00+00:00 -> 2027-01-01T00:00:00+00:00")


@pytest.mark.parametrize("struct", list(RULED), ids=lambda t: t.__name__)
def test_the_ruled_fields_are_every_field(struct: type) -> None:
    assert RULED[struct] == set(struct.__struct_fields__)


def test_a_field_without_a_rule_still_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    # As if `tracking` were a new field no rule reads: the title change is described, tracking still shows.
    monkeypatch.setitem(RULED, Module, RULED[Module] - {"tracking"})
    monkeypatch.setattr("matrix.diff.rules._module", lambda a, b: iter(
        [Change(K.TITLE_CHANGED, b.id, say("{} is now titled {}", b.id, b.title))] if a.title != b.title else []))
    old = f.matrix(f.module("tools.a", tracking="https://example.invalid/1"))
    new = f.matrix(f.module("tools.a", title="B", tracking="https://example.invalid/2"))
    assert [(c.kind, c.explain()) for c in diff(old, new)] == [
        (K.TITLE_CHANGED, "tools.a is now titled B"), (K.OTHER, "tools.a changed in tracking")]


def test_a_change_no_rule_describes_still_shows() -> None:
    # Units listed in another order: no unit moved state and the counts hold, yet the documents differ.
    doc = diff_fields.base()
    old = diff_fields.load(doc)
    units = doc["modules"][0]["coverage"]["units"]
    units[0], units[1] = units[1], units[0]
    assert [(c.kind, c.explain()) for c in diff(old, diff_fields.load(doc))] == [
        (K.OTHER, "tools.jira changed in coverage")]


# ---------------------------------------------------------------------------------------------
# The sentences the issue asks for, and the order of importance.

BASE = (f.module("tools.a"), f.module("tools.b", Status.PARTIAL, notes="missing: x"),
        f.module("tools.c", Status.NOT_MIGRATED))

# (case, modules of NEW replacing BASE by id, expected (kind, subject, text explanation))
CASES = [
    ("no change", (), []),
    ("demoted", (f.module("tools.a", Status.PARTIAL, notes="missing: y"),),
     [(K.STATUS_DEMOTED, "tools.a", "tools.a went from In Go to Partial (missing: y)")]),
    ("promoted", (f.module("tools.c"),),
     [(K.STATUS_PROMOTED, "tools.c", "tools.c went from Not yet in Go to In Go"),
      (K.GO_REF_CHANGED, "tools.c", "tools.c now has Go code at pkg/agno/tools/c")]),
    ("lateral", (f.module("tools.c", Status.WONT_PORT, reason="needs CPython"),),
     [(K.STATUS_CHANGED, "tools.c", "tools.c went from Not yet in Go to Won't port (needs CPython)")]),
    ("notes", (f.module("tools.b", Status.PARTIAL, notes="missing: z"),),
     [(K.NOTES_CHANGED, "tools.b", "tools.b notes changed from missing: x to missing: z")]),
    ("coverage measured", (f.module("tools.a", coverage=Coverage(ported=1, total=2, missing=("f",))),),
     [(K.COVERAGE_CHANGED, "tools.a", "tools.a function coverage went from not measured to 1/2 (50%)")]),
    ("parity regressed", (f.module("tools.a", parity=ParitySummary(passed=1, failed=1, first_failure="fx: out")),),
     [(K.PARITY_REGRESSED, "tools.a", "tools.a parity went from no parity runs to 1 passed, 1 failed (fx: out)")]),
]


def _new(replace: tuple[f.Module, ...], *extra: f.Module) -> f.SupportMatrix:
    by_id = {m.id: m for m in BASE} | {m.id: m for m in replace}
    return f.matrix(*by_id.values(), *extra)


@pytest.mark.parametrize(("replace", "expected"), [(r, e) for _, r, e in CASES], ids=[c for c, _, _ in CASES])
def test_module_changes(replace: tuple[f.Module, ...], expected: list[tuple[ChangeKind, str, str]]) -> None:
    changes = diff(f.matrix(*BASE), _new(replace))
    assert [(c.kind, c.subject, c.explain()) for c in changes] == expected


def _units(kind: UnitKind, **states: UnitState) -> Coverage:
    units = tuple(Unit(name=n, state=s) for n, s in states.items())
    return Coverage(kind=kind, ported=sum(s is UnitState.PORTED for s in states.values()), total=len(units),
                    missing=tuple(n for n, s in states.items() if s is UnitState.MISSING),
                    stubs=tuple(n for n, s in states.items() if s is UnitState.STUB), units=units)


P, M, S = UnitState.PORTED, UnitState.MISSING, UnitState.STUB


def test_the_issue_examples() -> None:
    old = f.matrix(
        f.module("tools.jira", Status.PARTIAL, notes="missing: add_comment",
                 coverage=_units(UnitKind.FUNCTIONS, create_issue=P, add_comment=M)),
        f.module("models.openai", Status.PARTIAL, notes="missing: structured_output",
                 coverage=_units(UnitKind.CAPABILITIES, streaming=P, structured_output=M),
                 capabilities=(Capability(name="structured_output", python=True, go=False),)),
        f.module("core.team", Status.PARTIAL, notes="missing: Team.mode=tasks",
                 coverage=_units(UnitKind.FIELDS, **{"Team.mode=route": P, "Team.mode=tasks": P})),
        recipes=(Recipe(path="cookbook/x.py", title="X", go_ready=False, modules=("tools.jira",),
                        blocked_by=("tools.jira",)),
                 Recipe(path="cookbook/y.py", title="Y", go_ready=True, modules=("core.team",),
                        features=("Team.mode=tasks",))))
    new = f.matrix(
        f.module("tools.jira", coverage=_units(UnitKind.FUNCTIONS, create_issue=P, add_comment=P)),
        f.module("models.openai", coverage=_units(UnitKind.CAPABILITIES, streaming=P, structured_output=P),
                 capabilities=(Capability(name="structured_output", python=True, go=True),)),
        f.module("core.team", Status.PARTIAL, notes="missing: Team.mode=tasks",
                 coverage=_units(UnitKind.FIELDS, **{"Team.mode=route": P, "Team.mode=tasks": M})),
        recipes=(Recipe(path="cookbook/x.py", title="X", go_ready=True, modules=("tools.jira",)),
                 Recipe(path="cookbook/y.py", title="Y", go_ready=False, modules=("core.team",),
                        features=("Team.mode=tasks",), blocked_by_features=("Team.mode=tasks",))))
    assert [(c.kind, c.explain()) for c in diff(old, new)] == [
        (K.UNIT_LOST, "core.team: Team.mode=tasks no longer ported (now missing in Go)"),
        (K.COVERAGE_DROPPED, "core.team field coverage went from 2/2 (100%) to 1/2 (50%)"),
        (K.RECIPE_BLOCKED, "recipe cookbook/y.py no longer runs in Go: newly blocked by feature Team.mode=tasks"),
        (K.STATUS_PROMOTED, "models.openai went from Partial to In Go"),
        (K.STATUS_PROMOTED, "tools.jira went from Partial to In Go"),
        (K.CAPABILITY_GAINED, "models.openai: structured_output now in Go (Go evidence no -> yes)"),
        (K.UNIT_PORTED, "models.openai: structured_output now in Go"),
        (K.UNIT_PORTED, "tools.jira: add_comment now ported"),
        (K.COVERAGE_IMPROVED, "models.openai capability coverage went from 1/2 (50%) to 2/2 (100%)"),
        (K.COVERAGE_IMPROVED, "tools.jira function coverage went from 1/2 (50%) to 2/2 (100%)"),
        (K.RECIPE_UNBLOCKED, "recipe cookbook/x.py now runs in Go (was blocked by module tools.jira)"),
    ]


def test_coverage_without_units_names_what_moved() -> None:
    old = f.matrix(f.module("tools.a", coverage=Coverage(ported=2, total=3, missing=("g",)),
                            parity=ParitySummary(passed=2)))
    worse = f.matrix(f.module("tools.a", coverage=Coverage(ported=1, total=3, missing=("f", "g")),
                              parity=ParitySummary(passed=2, errored=1)))
    kinds = [(c.kind, c.direction, c.severity) for c in diff(old, worse)]
    assert kinds == [(K.COVERAGE_DROPPED, Direction.DEMOTED, Severity.WARNING),
                     (K.PARITY_REGRESSED, Direction.DEMOTED, Severity.WARNING)]
    assert [(c.kind, c.direction) for c in diff(worse, old)] == [
        (K.COVERAGE_IMPROVED, Direction.PROMOTED), (K.PARITY_IMPROVED, Direction.PROMOTED)]
    assert diff(worse, old)[0].explain() == (
        "tools.a function coverage went from 1/3 (33%) to 2/3 (67%) (no longer missing: f)")


def test_notes_that_follow_a_coverage_change_are_not_repeated() -> None:
    old = f.matrix(f.module("tools.a", Status.PARTIAL, notes="missing 1 of 2: g",
                            coverage=Coverage(ported=1, total=2, missing=("g",))))
    new = f.matrix(f.module("tools.a", Status.PARTIAL, notes="missing 2 of 3: g, h",
                            coverage=Coverage(ported=1, total=3, missing=("g", "h"))))
    assert [(c.kind, c.explain()) for c in diff(old, new)] == [
        (K.COVERAGE_CHANGED, "tools.a function coverage went from 1/2 (50%) to 1/3 (33%) (now missing: h)")]


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
        (K.MODULE_REMOVED, "tools.gone"),
        (K.STATUS_DEMOTED, "tools.a"),
        (K.RECIPE_BLOCKED, "cb/a.py"),
        (K.MODULE_ADDED, "tools.new"),
        (K.RUNTIME_CHANGED, "runtime"),
    ]
    # Every warning kind ranks above every other kind: a reader meets what got worse first.
    ranks = [(k.severity is Severity.WARNING, k.rank) for k in ChangeKind]
    assert max(r for w, r in ranks if w) < min(r for w, r in ranks if not w)


def test_three_formats_from_one_sentence() -> None:
    old, new = _pair()
    changes = diff(old, new)
    assert render(changes, "text", old=old, new=new) == (
        "runtime agno-go v0.0.1 (bbbbbbb) -> agno-go v0.0.2 (ccccccc); baseline agno 9.9.0 (aaaaaaa) (unchanged); generated 2026-11-01T12:00:00+00:00\n"
        "family tools (Tools): units not measured; modules In Go 2 -> 0, Partial 1 -> 2, Not yet in Go 1, Go only 0 -> 1; 3 changes\n"
        "cookbook: recipes that run in Go 1/1 -> 0/1\n"
        "[removed-module] tools.gone is no longer in the matrix (it was In Go)\n"
        "[demotion] tools.a went from In Go to Partial (missing: <script>x</script> | *y*)\n"
        "[newly-blocked-recipe] recipe cb/a.py no longer runs in Go: newly blocked by module tools.a\n"
        "[new-module] tools.new is new in the matrix, as Go only\n"
        "[runtime] runtime moved from agno-go v0.0.1 (bbbbbbb) to agno-go v0.0.2 (ccccccc)\n"
    )
    md = render(changes, "markdown", old=old, new=new)
    assert "- `tools.a` went from `In Go` to `Partial` (`missing: <script>x</script> | *y*`)\n" in md
    assert md.startswith("## Support matrix changes\n\nruntime `agno-go v0.0.1 (bbbbbbb)` -> `agno-go v0.0.2 (ccccccc)`")
    assert "### ⚠️ Status demoted (1)\n" in md and "### Module added (1)\n" in md
    assert "Changes: 1 removed-module, 1 demotion, 1 newly-blocked-recipe, 1 new-module, 1 runtime\n" in md
    gh = render(changes, "github").splitlines()
    assert gh[0] == "::warning title=Module removed%3A tools.gone::tools.gone is no longer in the matrix (it was In Go)"
    assert gh[3] == "::notice title=Module added%3A tools.new::tools.new is new in the matrix, as Go only"


def test_no_changes_in_each_format() -> None:
    m = f.small()
    assert render(diff(m, m), "text") == "No changes to the support matrix.\n"
    assert render(diff(m, m), "github") == "::notice title=Support matrix::No changes to the support matrix.\n"
    assert render(diff(m, m), "markdown").endswith("No changes to the support matrix.\n")
    with pytest.raises(UsageError, match="unknown format 'html'; use one of text, markdown, github"):
        render([], "html")


# ---------------------------------------------------------------------------------------------
# Summaries.


def test_summary_per_family_and_cookbook() -> None:
    old = f.matrix(f.module("tools.a", Status.PARTIAL, notes="missing: g",
                            coverage=_units(UnitKind.FUNCTIONS, f=P, g=M)),
                   f.module("tools.b", Status.NOT_MIGRATED), f.module("models.x"),
                   recipes=(Recipe(path="r1", title="R1", go_ready=True, modules=("models.x",)),
                            Recipe(path="r2", title="R2", go_ready=False, modules=("tools.a",),
                                   blocked_by=("tools.a",))))
    new = f.matrix(f.module("tools.a", coverage=_units(UnitKind.FUNCTIONS, f=P, g=P)),
                   f.module("tools.b", Status.NOT_MIGRATED), f.module("models.x"),
                   recipes=(Recipe(path="r1", title="R1", go_ready=True, modules=("models.x",)),
                            Recipe(path="r2", title="R2", go_ready=True, modules=("tools.a",))))
    changes = diff(old, new)
    summary = summarise(old, new, changes)
    tools = next(s for s in summary.families if s.family == "tools")
    assert (tools.units_before, tools.units_after, tools.changes) == ((1, 2), (2, 2), 3)
    assert render(changes, "text", old=old, new=new).splitlines()[1:4] == [
        "family tools (Tools): units ported 1/2 -> 2/2; modules In Go 0 -> 1, Partial 1 -> 0, Not yet in Go 1; 3 changes",
        "no change in families models",
        "cookbook: recipes that run in Go 1/2 -> 2/2",
    ]


# ---------------------------------------------------------------------------------------------
# The real case: seven providers' structured output between the snapshots of 1fe3a04 and 197caf7.

SEVEN = ["models.deepinfra", "models.deepseek", "models.inception", "models.minimax", "models.nvidia",
         "models.sambanova", "models.xiaomi"]


def test_the_seven_provider_capability_changes() -> None:
    old = snapshot.load(DATA / "1fe3a04-models.json")
    new = snapshot.load(DATA / "197caf7-models.json")
    changes = diff(old, new)
    assert [(c.kind, c.subject, c.item) for c in changes] == [
        (K.BASELINE_CAPABILITY, mid, "structured_output") for mid in SEVEN]
    assert changes[1].explain() == (
        "models.deepseek: structured_output no longer in the Python baseline (Python evidence yes -> no)")
    text = render(changes, "text", old=old, new=new)
    assert "No changes" not in text and "family models (Model providers): units not measured" in text
    assert len(render(changes, "github").splitlines()) == 7


# ---------------------------------------------------------------------------------------------
# Output injection: data stays on its line and inert in every format.

NOTE = ("x\n::error title=INJECTED::pwned\r\n::add-mask::s3cret\u2028::warning::a\x85b ##[add-mask]tok "
        "##[set-output name=x;]y %0A %25 `` <script>alert(1)</script> ``` <img src=x onerror=alert(1)> "
        "\x1b[31mred\x00 \u202egnp.exe\u200b\ufeff @everyone #1 [l](javascript:x)")
PATH = "cb/a,b:c%0A\n::error::x.py"


def _hostile() -> tuple[f.SupportMatrix, f.SupportMatrix]:
    old = f.matrix(f.module("tools.a", Status.PARTIAL, notes="fine"),
                   recipes=(Recipe(path=PATH, title="t", go_ready=True, modules=("tools.a",)),))
    new = f.matrix(f.module("tools.a", Status.NOT_MIGRATED, go=None, notes=None, title=NOTE),
                   f.module("tools.b", Status.PARTIAL, notes=NOTE),
                   recipes=(Recipe(path=PATH, title=NOTE, go_ready=False, modules=("tools.a",),
                                   blocked_by=("tools.a",)),))
    return old, new


def _no_hidden_characters(text: str) -> None:
    for ch in text:
        assert ch == "\n" or unicodedata.category(ch)[0] != "C", f"{ch!r} reached the output"
    assert "##[" not in text and "\r" not in text and "\u2028" not in text


def test_clean_keeps_one_visible_line() -> None:
    assert clean("a\nb\r\n\tc\u2028d\x85e") == "a b c d e"
    assert clean("\x1b[31m\x00\u202e\u200b\ufeff") == "\\x1b[31m\\x00\\u202e\\u200b\\ufeff"
    assert clean("##[add-mask]x") == "## [add-mask]x"
    assert clean("y" * 400) == "y" * 300 + "... (100 more characters)"


def test_text_format_keeps_data_on_its_line() -> None:
    old, new = _hostile()
    out = render(diff(old, new), "text", old=old, new=new)
    _no_hidden_characters(out)
    lines = out.splitlines()
    assert len(lines) == 3 + len(diff(old, new))  # header, family, cookbook, then one line per record
    for line in lines:
        assert not line.lstrip().startswith("::")
        assert re.match(r"^(\[[a-z-]+\] |runtime |family |no change |cookbook: )", line), line


def _runner_commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    """What the Actions runner would run: a line that starts with ``::`` (after spaces) is a command,
    ``name key=v,key=v::data``; properties unescape %25 %0D %0A %3A %2C and data %25 %0D %0A."""

    def unescape(text: str, prop: bool) -> str:
        pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
        for code, char in pairs:
            text = text.replace(code, char)
        return text

    found = []
    for line in out.split("\n"):
        line = line.lstrip()
        if not line.startswith("::") or "::" not in line[2:]:
            continue
        info, data = line[2:].split("::", 1)
        name, _, props = info.partition(" ")
        properties = dict(p.split("=", 1) for p in props.split(",") if "=" in p)
        found.append((name, {k: unescape(v, True) for k, v in properties.items()}, unescape(data, False)))
    return found


def test_github_format_escapes_workflow_command_syntax() -> None:
    old, new = _hostile()
    changes = diff(old, new)
    out = render(changes, "github", old=old, new=new)
    _no_hidden_characters(out)
    commands = _runner_commands(out)
    assert [name for name, _, _ in commands] == [c.severity.value for c in changes]
    for (_, props, data), c in zip(commands, changes, strict=True):
        assert set(props) == {"title"}
        assert props["title"] == f"{c.kind.heading}: {clean(c.subject)}"
        assert data == c.explain()
    recipe = next(props["title"] for _, props, _ in commands if "cb/a" in props["title"])
    assert recipe == "Recipe newly blocked: cb/a,b:c%0A ::error::x.py"


def test_github_escaping_per_the_runner_rules() -> None:
    old = f.matrix(f.module("tools.a", Status.PARTIAL, notes="a"))
    new = f.matrix(f.module("tools.a", Status.PARTIAL, notes="100%\nsure, really: yes"))
    assert render(diff(old, new), "github") == (
        "::notice title=Notes changed%3A tools.a::tools.a notes changed from a to 100%25 sure, really: yes\n")


def _inline_tokens(md: str) -> list[tuple[str, str]]:
    out = []
    for token in MarkdownIt("commonmark").parse(md):
        out.append((token.type, token.content))
        out += [(child.type, child.content) for child in token.children or []]
    return out


def test_markdown_data_cannot_close_a_code_span_or_emit_html() -> None:
    old, new = _hostile()
    changes = diff(old, new)
    md = render(changes, "markdown", old=old, new=new)
    _no_hidden_characters(md)
    tokens = _inline_tokens(md)
    assert not [t for t in tokens if t[0] == "html_inline"]
    assert [t[1] for t in tokens if t[0] == "html_block"] == []
    codes = {content for kind, content in tokens if kind == "code_inline"}
    assert clean(NOTE) in codes and clean(PATH) in codes  # whole, in one span each
    assert not [t for t in tokens if t[0] in ("link_open", "image", "em_open", "strong_open")
                and "javascript" in md]


@pytest.mark.parametrize("value", ["a", "`", "``", "a`b", "` x `", " lead", "trail ", "```js", "x``y`z"])
def test_md_code_spans_hold_any_value(value: str) -> None:
    tokens = [t for t in _inline_tokens(f"- {md_code(value)}\n") if t[0] == "code_inline"]
    assert tokens == [("code_inline", value)]


def test_markdown_is_bounded_and_counts_what_it_left_out() -> None:
    old = f.matrix(*(f.module(f"tools.m{i:03d}") for i in range(300)))
    new = f.matrix(*(f.module(f"tools.m{i:03d}", Status.PARTIAL, notes="missing: " + "x" * 100) for i in range(300)))
    changes = diff(old, new)
    md = render(changes, "markdown", old=old, new=new, max_bytes=5000)
    assert len(md.encode()) <= 5000
    shown = md.count("\n- `tools.m")
    assert 0 < shown < 300
    assert f"**{300 - shown} more changes are not shown** (this summary is limited to 5000 bytes)" in md
    assert md.count("<details>") == md.count("</details>") == 1
    full = render(changes, "markdown", old=old, new=new)
    assert full.count("\n- `tools.m") == 300 and "more changes are not shown" not in full


@pytest.mark.parametrize("budget", [2000, 2500, 4000, 20000])
def test_markdown_budget_holds_for_wide_characters(budget: int) -> None:
    wide = "模块说明" * 200  # 3 bytes a character, cut to 300 characters per value
    fams = [Family(id=f"f{i}", title=wide, order=i) for i in range(6)]
    old = f.matrix(*(f.module(f"f{i}.m{j}") for i in range(6) for j in range(5)), families=fams)
    new = f.matrix(*(f.module(f"f{i}.m{j}", Status.PARTIAL, notes=wide) for i in range(6) for j in range(5)),
                   families=fams)
    md = render(diff(old, new), "markdown", old=old, new=new, max_bytes=budget)
    assert len(md.encode()) <= budget
    assert md.rstrip().endswith("for the complete list.")


def test_github_annotations_are_capped_and_the_rest_logged() -> None:
    old = f.matrix(*(f.module(f"tools.m{i:02d}") for i in range(15)), *(f.module(f"models.n{i:02d}", Status.NOT_MIGRATED) for i in range(15)))
    new = f.matrix(*(f.module(f"tools.m{i:02d}", Status.PARTIAL, notes="x") for i in range(15)), *(f.module(f"models.n{i:02d}") for i in range(15)))
    lines = render(diff(old, new), "github").splitlines()
    assert sum(x.startswith("::warning ") for x in lines) == 10
    assert sum(x.startswith("::notice ") for x in lines) == 10  # 9 records and the closing count
    assert sum(x.startswith("[") for x in lines) == 5 + 21  # 15 + 30 records (each promotion moves a Go path)
    assert lines[-1] == ("::notice title=Support matrix::26 more changes are listed in the log above, without "
                         "annotations (GitHub shows 10 of each type per step)")


# ---------------------------------------------------------------------------------------------
# --fail-on and the CLI.


@pytest.mark.parametrize(("names", "count"), [
    (["any"], 5), (["warning"], 3), (["demotion"], 1), (["lost-unit"], 0), (["newly-blocked-recipe", "runtime"], 2),
])
def test_matching(names: list[str], count: int) -> None:
    old, new = _pair()
    assert len(matching(diff(old, new), names)) == count


def test_matching_rejects_unknown_names() -> None:
    with pytest.raises(UsageError, match="unknown change kind 'demoted'; use one of any, warning, removed-module"):
        matching([], ["demoted"])


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = _pair()
    snapshot.dump(old, tmp_path / "old.json")
    snapshot.dump(new, tmp_path / "new.json")
    args = ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")]
    assert main([*args, "--format", "github"]) == 0
    assert capsys.readouterr().out.splitlines()[3].startswith("::warning title=Module removed%3A tools.gone::")
    assert main([*args, "--fail-on", "lost-unit,promotion"]) == 0
    assert main([*args, "--fail-on", "lost-unit", "--fail-on", "demotion"]) == 1
    assert capsys.readouterr().err == (
        "agno-docs diff: 1 change(s) selected by --fail-on lost-unit,demotion, first: [demotion] tools.a went "
        "from In Go to Partial (missing: <script>x</script> | *y*)\n")
    assert main([*args, "--fail-on-warning"]) == 1
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "old.json"), "--fail-on", "any"]) == 0
    capsys.readouterr()
    assert main([*args, "--fail-on", "demoted"]) == 2
    assert "argument --fail-on: unknown change kind 'demoted'; use any, warning or a kind listed in --help" in (
        capsys.readouterr().err)
    assert main([*args, "--format", "markdown", "--max-bytes", "10"]) == 2
    assert "argument --max-bytes: '10' is not a whole number of at least 2000" in capsys.readouterr().err
    assert main(["diff", str(tmp_path / "old.json"), str(tmp_path / "none.json")]) == 3
    assert capsys.readouterr().err.startswith(f"agno-docs diff: error: {tmp_path / 'none.json'}: no such snapshot file")


def test_help_lists_every_kind_whole(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    for name in ["any", "warning", *ChangeKind]:
        assert re.search(rf"[ '(,]{re.escape(name)}[,)' ]", help_text + " "), name


def test_fixture_is_small_and_derived() -> None:
    for name in ("1fe3a04-models.json", "197caf7-models.json"):
        doc = json.loads((DATA / name).read_text(encoding="utf-8"))
        assert (DATA / name).stat().st_size < 20_000 and {m["family"] for m in doc["modules"]} == {"models"}

"""A matrix with every optional field of the contract set, and one mutation per schema leaf.

``test_diff.py`` pins the records each mutation yields; ``leaf_paths`` reads the JSON Schema so a
contract field added without a row here (and so without a diff rule pinned) fails the test.
"""

# ruff: noqa: E501  (one mutation per line reads better unbroken)

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import msgspec

from matrix.model import SupportMatrix, json_schema

Doc = dict[str, Any]

_WHEN = "2026-11-01T12:00:00Z"


def base() -> Doc:
    """Two families, three modules (units, capabilities, parity, a wont_port), a parity result,
    a benchmark, a blocked recipe and a diagnostic: every optional field has a value."""
    return {
        "schema_version": 1,
        "generated_at": _WHEN,
        "source": {"kind": "scan", "url": "https://example.invalid/matrix",
                   "trees": {"python": "a" * 40, "go": "b" * 40}, "profile": "agno"},
        "baseline": {"name": "agno", "version": "9.9.0", "commit": "a" * 40,
                     "version_from": "libs/agno/pyproject.toml", "repository": "https://example.invalid/agno"},
        "runtime": {"name": "agno-go", "version": "v0.0.1", "commit": "b" * 40,
                    "version_from": "CHANGELOG.md", "repository": "https://example.invalid/agno-go"},
        "families": [{"id": "tools", "title": "Toolkits", "order": 0},
                     {"id": "models", "title": "Model providers", "order": 1}],
        "modules": [
            {"id": "tools.jira", "family": "tools", "title": "Jira", "status": "partial",
             "python": {"path": "libs/agno/agno/tools/jira.py", "symbols": ["JiraTools"]},
             "go": {"package": "pkg/agno/tools/jira", "symbols": ["Jira"], "also": ["internal/jira"]},
             "coverage": {"kind": "functions", "ported": 2, "total": 3, "missing": ["delete_issue"],
                          "extra": ["search_v2"], "stubs": [],
                          "units": [
                              {"name": "create_issue", "state": "ported",
                               "python": {"path": "libs/agno/agno/tools/jira.py", "line": 10},
                               "go": {"path": "pkg/agno/tools/jira/jira.go", "line": 20},
                               "go_name": "CreateIssue", "note": "checked by hand"},
                              {"name": "add_comment", "state": "ported",
                               "python": {"path": "libs/agno/agno/tools/jira.py", "line": 30},
                               "go": {"path": "pkg/agno/tools/jira/jira.go", "line": 40}},
                              {"name": "delete_issue", "state": "missing",
                               "python": {"path": "libs/agno/agno/tools/jira.py", "line": 50}},
                          ]},
             "capabilities": [],
             "parity": {"passed": 2, "failed": 0, "errored": 0, "fixtures": ["jira_basic", "jira_more"]},
             "notes": "missing: delete_issue", "tracking": "https://example.invalid/issues/1", "since": "v0.0.1"},
            {"id": "models.openai", "family": "models", "title": "OpenAI", "status": "migrated",
             "python": {"path": "libs/agno/agno/models/openai", "symbols": ["OpenAIChat"]},
             "go": {"package": "pkg/agno/models/openai", "symbols": ["OpenAI"]},
             "capabilities": [{"name": "streaming", "python": True, "go": True},
                              {"name": "structured_output", "python": True, "go": False}]},
            {"id": "tools.shell", "family": "tools", "title": "Shell", "status": "wont_port",
             "python": {"path": "libs/agno/agno/tools/shell.py"}, "reason": "runs local commands"},
        ],
        "parity": [{"fixture": "jira_basic", "status": "fail",
                    "diffs": [{"path": "outputs[0].content", "python": "ok", "go": "OK"}],
                    "metrics_match": True, "runtime": "go", "ran_at": _WHEN, "modules": ["tools.jira"],
                    "source": "parity/results.json"}],
        "benchmarks": [{"name": "agent_run",
                        "python": {"metrics": {"ns/op": 2000.0}, "runs": 5,
                                   "env": {"goos": None, "goarch": None, "cpu": "x86", "pkg": None,
                                           "python": "3.12"}},
                        "go": {"metrics": {"ns/op": 1000.0, "B/op": 64.0}, "runs": 5,
                               "env": {"goos": "linux", "goarch": "amd64", "cpu": "x86",
                                       "pkg": "pkg/agno/agent", "python": None}},
                        "ratios": {"ns/op": 0.5}, "measured_at": _WHEN}],
        "recipes": [{"path": "cookbook/jira_agent.py", "title": "Jira agent", "go_ready": False,
                     "modules": ["tools.jira", "models.openai"], "go_example": "cmd/examples/jira",
                     "blocked_by": ["tools.jira"], "features": ["Agent.output_schema"],
                     "blocked_by_features": ["Agent.output_schema"], "unmapped": ["agno.environments"],
                     "local": ["cookbook/helpers.py"]}],
        "diagnostics": [{"file": "libs/agno/agno/tools/broken.py", "message": "invalid syntax", "line": 3}],
    }


def load(doc: Doc) -> SupportMatrix:
    return msgspec.convert(doc, SupportMatrix, strict=False)


def _set(**changes: Any) -> Callable[[Doc], None]:
    """``_set(**{"modules.0.title": "X"})``: set values by dotted paths (list indices as numbers)."""

    def apply(doc: Doc) -> None:
        for dotted, value in changes.items():
            *head, last = dotted.split(".")
            node: Any = doc
            for key in head:
                node = node[int(key)] if isinstance(node, list) else node[key]
            node[int(last) if isinstance(node, list) else last] = value

    return apply


def _do(*steps: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        for step in steps:
            step(doc)

    return apply


def _append(path: str, value: Any) -> Callable[[Doc], None]:
    def apply(doc: Doc) -> None:
        node: Any = doc
        for key in path.split("."):
            node = node[int(key)] if isinstance(node, list) else node[key]
        node.append(copy.deepcopy(value))

    return apply


_JIRA_UNITS = "modules.0.coverage.units"
_UNIT = {"name": "transition_issue", "state": "missing",
         "python": {"path": "libs/agno/agno/tools/jira.py", "line": 60}}

#: schema leaf -> the mutation that changes it (and what it must keep consistent).
MUTATIONS: dict[str, Callable[[Doc], None]] = {
    "source.kind": _set(**{"source.kind": "api"}),
    "source.url": _set(**{"source.url": "https://example.invalid/other"}),
    "source.trees{}": _set(**{"source.trees.go": "c" * 40}),
    "source.profile": _set(**{"source.profile": "custom"}),
    "baseline.name": _set(**{"baseline.name": "agno-fork"}),
    "baseline.version": _set(**{"baseline.version": "9.9.1"}),
    "baseline.commit": _set(**{"baseline.commit": "d" * 40}),
    "baseline.version_from": _set(**{"baseline.version_from": "git tag"}),
    "baseline.repository": _set(**{"baseline.repository": "https://example.invalid/agno-fork"}),
    "baseline.module": _set(**{"baseline.module": "example.invalid/agno"}),
    "baseline.date": _set(**{"baseline.date": "2026-01-02T03:04:05Z"}),
    "runtime.name": _set(**{"runtime.name": "agno-go-fork"}),
    "runtime.version": _set(**{"runtime.version": "v0.0.2"}),
    "runtime.commit": _set(**{"runtime.commit": "bbbbbbb" + "e" * 33}),
    "runtime.version_from": _set(**{"runtime.version_from": "git describe"}),
    "runtime.repository": _set(**{"runtime.repository": "https://example.invalid/agno-go-fork"}),
    "runtime.module": _set(**{"runtime.module": "example.invalid/agno-go-fork"}),
    "runtime.date": _set(**{"runtime.date": "2026-01-02T03:04:05Z"}),
    "families[].id": _append("families", {"id": "db", "title": "Storage databases", "order": 2}),
    "families[].title": _set(**{"families.0.title": "Tools"}),
    "families[].order": _set(**{"families.0.order": 5}),
    "modules[].id": _append("modules", {"id": "tools.slack", "family": "tools", "title": "Slack",
                                        "status": "not_migrated",
                                        "python": {"path": "libs/agno/agno/tools/slack.py"}}),
    "modules[].title": _set(**{"modules.0.title": "Jira Cloud"}),
    "modules[].status": _set(**{"modules.1.status": "partial", "modules.1.notes": "missing: streaming"}),
    "modules[].python.path": _set(**{"modules.0.python.path": "libs/agno/agno/tools/jira/__init__.py"}),
    "modules[].python.symbols[]": _set(**{"modules.0.python.symbols": ["JiraTools", "JiraConfig"]}),
    "modules[].go.package": _set(**{"modules.0.go.package": "pkg/agno/tools/atlassian"}),
    "modules[].go.symbols[]": _set(**{"modules.0.go.symbols": []}),
    "modules[].go.also[]": _set(**{"modules.0.go.also": ["internal/jira", "internal/atlassian"]}),
    "modules[].coverage.ported": _set(**{"modules.0.coverage.ported": 3, "modules.0.coverage.missing": [],
                                         f"{_JIRA_UNITS}.2.state": "ported",
                                         f"{_JIRA_UNITS}.2.go": {"path": "pkg/agno/tools/jira/jira.go",
                                                                 "line": 60}}),
    "modules[].coverage.total": _do(_set(**{"modules.0.coverage.total": 4,
                                            "modules.0.coverage.missing": ["delete_issue", "transition_issue"]}),
                                    _append(_JIRA_UNITS, _UNIT)),
    "modules[].coverage.missing[]": _set(**{"modules.0.coverage.missing": [], "modules.0.coverage.stubs":
                                            ["delete_issue"], f"{_JIRA_UNITS}.2.state": "stub",
                                            f"{_JIRA_UNITS}.2.go": {"path": "pkg/agno/tools/jira/stub.go"},
                                            f"{_JIRA_UNITS}.2.note": "returns canned data"}),
    "modules[].coverage.extra[]": _set(**{"modules.0.coverage.extra": ["search_v2", "bulk_update"]}),
    "modules[].coverage.kind": _set(**{"modules.0.coverage.kind": "endpoints"}),
    "modules[].coverage.stubs[]": _set(**{"modules.0.coverage.ported": 1,
                                          "modules.0.coverage.stubs": ["add_comment"],
                                          f"{_JIRA_UNITS}.1.state": "stub",
                                          f"{_JIRA_UNITS}.1.note": "returns canned data: example.com"}),
    "modules[].coverage.units[].name": _set(**{"modules.0.coverage.missing": ["remove_issue"],
                                               f"{_JIRA_UNITS}.2.name": "remove_issue"}),
    "modules[].coverage.units[].state": _set(**{"modules.0.coverage.ported": 1,
                                                "modules.0.coverage.missing": ["add_comment", "delete_issue"],
                                                f"{_JIRA_UNITS}.1.state": "missing",
                                                f"{_JIRA_UNITS}.1.go": None}),
    "modules[].coverage.units[].python.path": _set(**{f"{_JIRA_UNITS}.0.python.path":
                                                      "libs/agno/agno/tools/jira/api.py"}),
    "modules[].coverage.units[].python.line": _set(**{f"{_JIRA_UNITS}.0.python.line": 12}),
    "modules[].coverage.units[].go.path": _set(**{f"{_JIRA_UNITS}.0.go.path": "pkg/agno/tools/jira/issues.go"}),
    "modules[].coverage.units[].go.line": _set(**{f"{_JIRA_UNITS}.0.go.line": 21}),
    "modules[].coverage.units[].go_name": _set(**{f"{_JIRA_UNITS}.0.go_name": "NewIssue"}),
    "modules[].coverage.units[].note": _set(**{f"{_JIRA_UNITS}.0.note": None}),
    "modules[].capabilities[].name": _set(**{"modules.1.capabilities.0.name": "streaming_v2"}),
    "modules[].capabilities[].python": _set(**{"modules.1.capabilities.1.python": False}),
    "modules[].capabilities[].go": _set(**{"modules.1.capabilities.1.go": True}),
    "modules[].parity.passed": _set(**{"modules.0.parity.passed": 3}),
    "modules[].parity.failed": _set(**{"modules.0.parity.failed": 1,
                                       "modules.0.parity.first_failure": "jira_more: outputs[1] (python=1, go=2)"}),
    "modules[].parity.errored": _set(**{"modules.0.parity.passed": 1, "modules.0.parity.errored": 1}),
    "modules[].parity.fixtures[]": _set(**{"modules.0.parity.fixtures": ["jira_basic", "jira_extra"]}),
    "modules[].parity.first_failure": _set(**{"modules.0.parity.first_failure": "jira_more: flaky"}),
    "modules[].reason": _set(**{"modules.2.reason": "runs arbitrary local commands"}),
    "modules[].notes": _set(**{"modules.0.notes": "missing: delete_issue (needs admin rights)"}),
    "modules[].tracking": _set(**{"modules.0.tracking": None}),
    "modules[].since": _set(**{"modules.0.since": "v0.0.2"}),
    "parity[].fixture": _set(**{"parity.0.fixture": "jira_renamed"}),
    "parity[].status": _set(**{"parity.0.status": "pass", "parity.0.diffs": []}),
    "parity[].diffs[].path": _set(**{"parity.0.diffs.0.path": "outputs[1].content"}),
    "parity[].diffs[].python": _set(**{"parity.0.diffs.0.python": {"text": "ok"}}),
    "parity[].diffs[].go": _set(**{"parity.0.diffs.0.go": None}),
    "parity[].metrics_match": _set(**{"parity.0.metrics_match": False}),
    "parity[].modules[]": _set(**{"parity.0.modules": ["tools.jira", "models.openai"]}),
    "parity[].source": _set(**{"parity.0.source": "parity/results-2.json"}),
    "benchmarks[].name": _set(**{"benchmarks.0.name": "agent_run_v2"}),
    "benchmarks[].python.metrics{}": _set(**{"benchmarks.0.python.metrics": {"ns/op": 2100.0}}),
    "benchmarks[].python.runs": _set(**{"benchmarks.0.python.runs": 10}),
    "benchmarks[].python.env.goos": _set(**{"benchmarks.0.python.env.goos": "linux"}),
    "benchmarks[].python.env.goarch": _set(**{"benchmarks.0.python.env.goarch": "arm64"}),
    "benchmarks[].python.env.cpu": _set(**{"benchmarks.0.python.env.cpu": "arm"}),
    "benchmarks[].python.env.pkg": _set(**{"benchmarks.0.python.env.pkg": "agno.agent"}),
    "benchmarks[].python.env.python": _set(**{"benchmarks.0.python.env.python": "3.13"}),
    "benchmarks[].go.metrics{}": _set(**{"benchmarks.0.go.metrics": {"ns/op": 1000.0, "B/op": 80.0}}),
    "benchmarks[].go.runs": _set(**{"benchmarks.0.go.runs": 3}),
    "benchmarks[].go.env.goos": _set(**{"benchmarks.0.go.env.goos": "darwin"}),
    "benchmarks[].go.env.goarch": _set(**{"benchmarks.0.go.env.goarch": "arm64"}),
    "benchmarks[].go.env.cpu": _set(**{"benchmarks.0.go.env.cpu": "Apple M2"}),
    "benchmarks[].go.env.pkg": _set(**{"benchmarks.0.go.env.pkg": "pkg/agno/team"}),
    "benchmarks[].go.env.python": _set(**{"benchmarks.0.go.env.python": "3.12"}),
    "benchmarks[].ratios{}": _set(**{"benchmarks.0.ratios": {"ns/op": 0.8}}),
    "recipes[].path": _set(**{"recipes.0.path": "cookbook/jira/agent.py"}),
    "recipes[].title": _set(**{"recipes.0.title": "Jira triage agent"}),
    "recipes[].go_ready": _set(**{"recipes.0.blocked_by": [], "recipes.0.blocked_by_features": [],
                                  "recipes.0.unmapped": [], "recipes.0.go_ready": True}),
    "recipes[].modules[]": _set(**{"recipes.0.modules": ["tools.jira"]}),
    "recipes[].go_example": _set(**{"recipes.0.go_example": None}),
    "recipes[].blocked_by[]": _set(**{"recipes.0.blocked_by": []}),
    "recipes[].features[]": _set(**{"recipes.0.features": ["Agent.output_schema", "Team.mode=tasks"]}),
    "recipes[].blocked_by_features[]": _set(**{"recipes.0.features": ["Agent.output_schema", "Team.mode=tasks"],
                                               "recipes.0.blocked_by_features": ["Agent.output_schema",
                                                                                 "Team.mode=tasks"]}),
    "recipes[].unmapped[]": _set(**{"recipes.0.unmapped": []}),
    "recipes[].local[]": _set(**{"recipes.0.local": []}),
    "diagnostics[].file": _set(**{"diagnostics.0.file": "libs/agno/agno/tools/other.py"}),
    "diagnostics[].message": _set(**{"diagnostics.0.message": "file is not UTF-8"}),
    "diagnostics[].line": _set(**{"diagnostics.0.line": None}),
}

#: Leaves that are not changes a reader acts on, and why (each has a test of its own).
EXEMPT: dict[str, str] = {
    "schema_version": "the contract's version: a document of another version fails to load",
    "generated_at": "changes on every run: shown in the header, not as a record",
    "modules[].family": "implied by the module id (<family>.<name>): an id rule reports it",
    "parity[].runtime": "always 'go' in schema_version 1",
    "parity[].ran_at": "a re-run with the same outcome is not a change",
    "benchmarks[].measured_at": "a re-measure with the same figures is not a change",
}


def leaf_paths() -> set[str]:
    """Every leaf field of the contract, from the JSON Schema: ``modules[].coverage.units[].state``."""
    schema = json_schema()
    defs = schema["$defs"]
    out: set[str] = set()

    def walk(node: dict[str, Any], path: str) -> None:
        if "$ref" in node:
            walk(defs[node["$ref"].rsplit("/", 1)[-1]], path)
            return
        if "anyOf" in node:
            for option in node["anyOf"]:
                if option.get("type") != "null":
                    walk(option, path)
            return
        if node.get("type") == "object" and "properties" in node:
            for key, sub in node["properties"].items():
                walk(sub, f"{path}.{key}" if path else key)
        elif node.get("type") == "array":
            walk(node.get("items", {}), f"{path}[]")
        elif node.get("type") == "object" and "additionalProperties" in node:
            walk(node["additionalProperties"], f"{path}{{}}")
        else:
            out.add(path)

    walk(schema, "")
    return out


def mutated(path: str) -> SupportMatrix:
    doc = base()
    MUTATIONS[path](doc)
    return load(doc)

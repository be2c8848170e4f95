"""The published JSON Schemas are generated from the readers' Structs: committed files in sync, samples
validate, and documents the readers accept or reject do the same against the schemas."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from matrix.schemas import FORMATS, render, stale
from matrix.sources._evidence_io import EvidenceError
from matrix.sources.benchmarks import parse_python_json
from matrix.sources.parity import read_parity_dir
from matrix.telemetry import Event, audit
from tests.evidence.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent.parent
SNIPPETS = ROOT / "docs" / "snippets" / "evidence"
NAMES = ("parity-result", "parity-fixture", "python-bench", "telemetry-event")


def schema(name: str) -> dict[str, Any]:
    text = resources.files("matrix").joinpath("schemas", f"{name}.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    # Through JSON, as a validator of the published format sees it (YAML timestamps become strings).
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def errors(name: str, doc: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(schema(name)).iter_errors(doc)]


def test_the_committed_schemas_are_the_generated_ones() -> None:
    assert [f.name for f in FORMATS] == list(NAMES)
    assert stale() == [], "run `python -m matrix.schemas` and commit the result"


def test_a_stale_or_missing_schema_is_named(tmp_path: Path) -> None:
    for fmt in FORMATS:
        (tmp_path / f"{fmt.name}.schema.json").write_text(render(fmt), encoding="utf-8")
    (tmp_path / "python-bench.schema.json").write_text("{}\n")
    (tmp_path / "telemetry-event.schema.json").unlink()
    assert stale(tmp_path) == [
        tmp_path / "python-bench.schema.json",
        tmp_path / "telemetry-event.schema.json",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schema(name))


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("parity-result", SNIPPETS / "parity-result.yaml"),
        ("parity-fixture", SNIPPETS / "parity-fixture.yaml"),
        ("python-bench", SNIPPETS / "python-bench.json"),
        ("parity-result", DATA / "parity" / "results" / "search-news.yaml"),
        ("parity-result", DATA / "parity" / "results" / "calculator-basic.json"),
        ("parity-fixture", DATA / "parity" / "fixtures" / "search.json"),
        ("parity-fixture", DATA / "parity" / "fixtures" / "calculator.yaml"),
        ("python-bench", DATA / "python-bench.json"),
    ],
)
def test_samples_validate(name: str, path: Path) -> None:
    assert errors(name, load(path)) == []


def test_telemetry_sample_lines_validate_except_the_planted_one() -> None:
    lines = (SNIPPETS / "telemetry-sample.jsonl").read_text().splitlines()
    bad = [i for i, line in enumerate(lines, 1) if errors("telemetry-event", json.loads(line))]
    assert bad == [3]  # the event without runtime, on purpose


ACCEPTED_PARITY = [
    ("parity-result", "fixture: x\nstatus: PASSED\nruntime: ' Go '\nmetrics_match: 'Yes'\n"),
    ("parity-result", "name: x\nstatus: error\ntimestamp: 1700000000\nmodules: tools.calculator\n"),
    ("parity-result", "fixture: x\nstatus: ok\ntime: '1700000000'\ndiffs: [{path: a, go: [1]}]\n"),
    ("parity-result", "results:\n  - {fixture: x, status: fail, metrics_match: false}\n"),
    ("parity-fixture", "id: x\nproviders: openai\ntolerances: {latency: 0}\nextra: ignored\n"),
    ("parity-fixture", "fixtures:\n  - {name: x, agents: [a, b], description: ''}\n"),
]


@pytest.mark.parametrize(("name", "text"), ACCEPTED_PARITY)
def test_accepted_parity_documents_validate(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(text)
    read_parity_dir(tmp_path)
    assert errors(name, load(path)) == []


@pytest.mark.parametrize(
    "text",
    [
        "fixture: x\nstatus: maybe\n",
        "fixture: x\nstatus: pass\nruntime: python\n",
        "status: pass\n",
        "fixture: x\nstatus: pass\ndiffs:\n  - python: 1\n",
        "fixture: x\nstatus: pass\nmetrics_match: '1'\n",
        "fixture: x\nstatus: pass\nmodules: ['']\n",
        "fixture: ''\nstatus: pass\n",
    ],
)
def test_rejected_results_fail_the_schema_too(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text)
    assert errors("parity-result", load(path)) != []
    with pytest.raises(EvidenceError):
        read_parity_dir(tmp_path)


@pytest.mark.parametrize(
    "text",
    ["workflow: w\n", "fixture: x\ntolerances: {latency: -1}\n", "fixture: x\nagents: [1]\n"],
)
def test_rejected_fixtures_fail_the_schema_too(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_text(text)
    assert errors("parity-fixture", load(path)) != []
    with pytest.raises(EvidenceError):
        read_parity_dir(tmp_path)


@pytest.mark.parametrize(
    "doc",
    [
        {"benchmarks": []},
        {"format": "other/1", "benchmarks": [{"name": "B", "metrics": {"x": 1}}]},
        {"benchmarks": [{"name": "B", "metrics": {"ns/op": "fast"}}]},
        {"benchmarks": [{"name": "B"}]},
        {"benchmarks": [{"name": "B", "metrics": {"x": 1}, "runs": [{"x": 1}]}]},
        {"benchmarks": [{"name": "B", "metrics": {}}]},
        {"benchmarks": [{"name": "", "metrics": {"x": 1}}]},
        {"benchmarks": [{"name": "B", "metrics": {"x": True}}]},
        {"env": {"cpu": 8}, "benchmarks": [{"name": "B", "metrics": {"x": 1}}]},
    ],
)
def test_rejected_baselines_fail_the_schema_too(doc: dict[str, Any]) -> None:
    assert errors("python-bench", doc) != []
    with pytest.raises(EvidenceError):
        parse_python_json(json.dumps(doc), "p.json")


@pytest.mark.parametrize(
    ("event", "valid"),
    [
        ({"event": "a", "runtime": "go", "data": {"k": 1}}, True),
        ({"name": "a", "attributes": {"runtime": "go", "service": "s"}}, True),
        ({"kind": 1, "resource": {"runtime": "go"}}, True),
        ({"event": "a"}, False),
        ({"event": "a", "runtime": "python"}, False),
        ({"event": "a", "attributes": {"runtime": "python"}}, False),
        ({"event": "a", "runtime": "go", "timestamp": 17}, False),
        ({"event": "a", "runtime": "go", "data": []}, False),
    ],
)
def test_telemetry_events_the_audit_passes_are_the_ones_the_schema_accepts(
    event: dict[str, Any], valid: bool
) -> None:
    assert (errors("telemetry-event", event) == []) is valid
    assert (audit([Event("w", event)]) == []) is valid

"""The published JSON Schemas agree with the readers: samples validate, rejected documents fail both."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from matrix.sources._evidence_io import EvidenceError
from matrix.sources.benchmarks import parse_python_json
from matrix.sources.parity import read_parity_dir
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


@pytest.mark.parametrize(
    "text",
    [
        "fixture: x\nstatus: maybe\n",
        "fixture: x\nstatus: pass\nruntime: python\n",
        "status: pass\n",
        "fixture: x\nstatus: pass\ndiffs:\n  - python: 1\n",
    ],
)
def test_rejected_results_fail_the_schema_too(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text)
    assert errors("parity-result", load(path)) != []
    with pytest.raises(EvidenceError):
        read_parity_dir(tmp_path)


@pytest.mark.parametrize(
    "doc",
    [
        {"benchmarks": []},
        {"format": "other/1", "benchmarks": [{"name": "B", "metrics": {"x": 1}}]},
        {"benchmarks": [{"name": "B", "metrics": {"ns/op": "fast"}}]},
        {"benchmarks": [{"name": "B"}]},
    ],
)
def test_rejected_baselines_fail_the_schema_too(doc: dict[str, Any]) -> None:
    assert errors("python-bench", doc) != []
    with pytest.raises(EvidenceError):
        parse_python_json(json.dumps(doc), "p.json")

"""Parity results and fixtures: reading (lenient where a shell script is), join rules, exact errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from matrix.errors import SourceError
from matrix.model import ParityStatus, Status
from matrix.sources._evidence_io import EvidenceError
from matrix.sources.evidence import apply_evidence
from matrix.sources.parity import join_parity, read_parity_dir
from tests import factories
from tests.evidence.conftest import DATA, sample_matrix

PARITY = DATA / "parity"


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_results_and_fixtures_in_both_formats() -> None:
    ev = read_parity_dir(PARITY)
    assert [r.fixture for r in ev.results] == ["calculator-basic", "glm-chat", "search-news"]
    assert sorted(ev.fixtures) == ["calculator-basic", "never-ran", "search-news"]
    calc = ev.fixtures["calculator-basic"]
    assert calc.modules == ("tools.calculator", "models.openai")
    assert calc.workflow == "single-agent" and calc.agents == ("math-helper",)
    assert calc.tolerances == {"latency_ms": 0.25}
    news = {r.fixture: r for r in ev.results}["search-news"]
    assert news.status is ParityStatus.FAIL  # written `FAIL`
    assert news.metrics_match is False  # written as the string "false"
    assert news.ran_at == datetime(2025, 11, 20, 9, 0, tzinfo=UTC)  # Unix seconds
    assert [d.path for d in news.diffs] == ["outputs[2].content", "outputs[3].tool_calls[0].name"]
    assert news.diffs[1].go is None
    assert [(d.file.rsplit("/", 1)[-1], d.line, d.message) for d in ev.diagnostics] == [
        (
            "search.json",
            9,
            "fixture 'never-ran' has no result: it did not run, or its result file is missing",
        ),
    ]


def test_failing_fixture_demotes_migrated_and_passing_one_is_evidence() -> None:
    out = apply_evidence(sample_matrix(), parity_dir=PARITY)
    by_id = out.modules_by_id()
    calc = by_id["tools.calculator"]
    assert calc.status is Status.PARTIAL
    assert calc.notes == (
        "parity fixture search-news failed: search-news: outputs[2].content "
        '(python="<script>alert(1)</script> '
        '| a | b | {{ config }}", go="{% raw %}*nope*{% endraw %}")'
    )
    assert calc.parity is not None
    assert (calc.parity.passed, calc.parity.failed, calc.parity.errored) == (1, 1, 0)
    assert calc.parity.fixtures == ("calculator-basic", "search-news")
    # Already partial: the parity note is appended to what was missing.
    ddg = by_id["tools.duckduckgo"]
    assert ddg.status is Status.PARTIAL and ddg.notes is not None
    assert ddg.notes.startswith("missing: search_news; parity fixture search-news failed: ")
    # Passing only: recorded, status kept.
    openai = by_id["models.openai"]
    assert openai.status is Status.MIGRATED and openai.parity is not None
    assert (openai.parity.passed, openai.parity.failed, openai.parity.first_failure) == (1, 0, None)
    # go_only modules keep their status; the error is recorded.
    glm = by_id["models.glm"]
    assert glm.status is Status.GO_ONLY and glm.parity is not None and glm.parity.errored == 1
    assert glm.parity.first_failure == "glm-chat: error (no diff recorded)"
    # Untouched modules have no parity summary.
    assert by_id["tools.shell"].parity is None
    assert {r.fixture: r.modules for r in out.parity} == {
        "calculator-basic": ("models.openai", "tools.calculator"),
        "glm-chat": ("models.glm",),
        "search-news": ("tools.calculator", "tools.duckduckgo"),
    }


def test_error_status_demotes_too(tmp_path: Path) -> None:
    write(tmp_path, "r.json", '{"fixture": "boom", "status": "errored", "modules": ["tools.calculator"]}\n')
    out = join_parity(sample_matrix(), read_parity_dir(tmp_path))
    calc = out.modules_by_id()["tools.calculator"]
    assert calc.status is Status.PARTIAL
    assert calc.notes == "parity fixture boom errored: boom: error (no diff recorded)"


def test_latest_result_of_a_fixture_wins(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        "fixture: f\nstatus: fail\nran_at: 2026-01-01T00:00:00Z\nmodules: [tools.calculator]\n",
    )
    write(
        tmp_path,
        "b.yaml",
        "fixture: f\nstatus: pass\nran_at: 2026-02-01T00:00:00Z\nmodules: [tools.calculator]\n",
    )
    ev = read_parity_dir(tmp_path)
    assert [(r.fixture, r.status) for r in ev.results] == [("f", ParityStatus.PASS)]
    assert [d.message for d in ev.diagnostics] == ["result of fixture 'f' superseded by b.yaml"]
    out = join_parity(sample_matrix(), ev)
    assert out.modules_by_id()["tools.calculator"].status is Status.MIGRATED


def test_result_without_modules_counts_for_none(tmp_path: Path) -> None:
    write(tmp_path, "r.json", '[{"fixture": "orphan", "status": "pass"}]')
    out = join_parity(sample_matrix(), read_parity_dir(tmp_path))
    assert [d.message for d in out.diagnostics] == [
        "result of fixture 'orphan': no fixture file defines it and it names no modules, "
        "so it counts for no module"
    ]
    assert all(m.parity is None for m in out.modules)


BAD = [
    (
        "unknown",
        "{d}/unknown/fx.yaml:4 at $.modules[1]: fixture 'ghost' names module 'tools.ghost', which the "
        "matrix does not have; use a module id from the matrix, e.g. `tools.calculator` (see matrix.json)",
    ),
    (
        "truncated",
        "{d}/truncated/cut.json:2: not valid JSON: Expecting property name enclosed in double quotes "
        "(column 16); is the file truncated?",
    ),
    (
        "runtime",
        "{d}/runtime/py.yaml:3 at $.runtime: expected go (parity results are for the Go runtime), "
        'got "python"; write `runtime: go` (or leave it out)',
    ),
]


@pytest.mark.parametrize(("case", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_sample_directories(case: str, message: str) -> None:
    with pytest.raises(SourceError) as exc:
        apply_evidence(sample_matrix(), parity_dir=DATA / "parity-bad" / case)
    assert str(exc.value) == message.format(d=DATA / "parity-bad")


INLINE = [
    (
        "r.yaml",
        "fixture: x\nstatus: maybe\n",
        'r.yaml:2 at $.status: expected one of pass, fail, error, got "maybe"',
    ),
    ("r.yaml", "status: pass\n", "r.yaml:1 at $: missing `fixture`; add `fixture: <name>`"),
    (
        "r.yaml",
        "fixture: x\nstatus: pass\ndiffs:\n  - python: 1\n",
        "r.yaml:4 at $.diffs[0]: missing `path`",
    ),
    (
        "r.yaml",
        "fixture: x\nstatus: pass\ndiffs: nope\n",
        "r.yaml:3 at $.diffs: expected a list, got a string",
    ),
    (
        "r.yaml",
        "fixture: x\nstatus: pass\nmetrics_match: sometimes\n",
        'r.yaml:3 at $.metrics_match: expected true or false, got "sometimes"; '
        "write true or false (an exit status 0/1 would be ambiguous)",
    ),
    (
        "r.yaml",
        "fixture: x\nstatus: pass\nran_at: yesterday\n",
        'r.yaml:3 at $.ran_at: expected a time, got "yesterday"; use ISO 8601 (`date -Iseconds`) or Unix '
        "seconds (`date +%s`)",
    ),
    (
        "f.yaml",
        "fixture: x\nmodules:\n  - tools.calculator\n  - 42\n",
        "f.yaml:4 at $.modules[1]: expected a string, got an integer",
    ),
    (
        "f.yaml",
        "fixture: x\ntolerances: {latency: -1}\n",
        "f.yaml:2 at $.tolerances.latency: expected a number >= 0, got -1",
    ),
    (
        "f.yaml",
        "fixture: x\nmodules: [tools.calculator\n",
        "f.yaml:3: not valid YAML: expected ',' or ']', but got '<stream end>'; is the file truncated?",
    ),
    ("f.yaml", "", "f.yaml:1: the file is empty; write one result or fixture, or a list of them"),
    ("f.yaml", "- 1\n", "f.yaml:1 at $[0]: expected a mapping (a result or a fixture), got a number"),
    (
        "f.yaml",
        "kind: other\nfixture: x\n",
        'f.yaml:1 at $.kind: expected result or fixture, got "other"',
    ),
    (
        "f.yaml",
        "fixture: x\nproviders: [nosuch]\n",
        "f.yaml:2 at $.providers[0]: fixture 'x' names module 'models.nosuch', "
        "which the matrix does not have; use a "
        "module id from the matrix, e.g. `tools.calculator` (see matrix.json)",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), INLINE, ids=[i[2][:40] for i in INLINE])
def test_malformed_files_name_file_and_line(tmp_path: Path, name: str, text: str, message: str) -> None:
    write(tmp_path, name, text)
    with pytest.raises(EvidenceError) as exc:
        join_parity(sample_matrix(), read_parity_dir(tmp_path))
    assert str(exc.value) == f"{tmp_path}/{message}"


def test_several_unknown_modules_are_counted(tmp_path: Path) -> None:
    write(tmp_path, "f.yaml", "fixture: x\nmodules: [tools.a, tools.b, tools.c]\n")
    with pytest.raises(EvidenceError) as exc:
        join_parity(sample_matrix(), read_parity_dir(tmp_path))
    assert str(exc.value).endswith("(see matrix.json) (2 more unknown module(s) after this one)")


def test_missing_directory() -> None:
    with pytest.raises(SourceError) as exc:
        read_parity_dir("/nonexistent/parity")
    assert str(exc.value) == (
        "/nonexistent/parity: no such parity directory; pass the folder your parity runs "
        "write their result files to"
    )


def test_duplicate_fixture(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "fixture: x\n")
    write(tmp_path, "b.yaml", "\nfixture: x\n")
    with pytest.raises(EvidenceError) as exc:
        read_parity_dir(tmp_path)
    assert str(exc.value) == (
        f"{tmp_path}/b.yaml:2: fixture 'x' is defined twice (first in {tmp_path}/a.yaml:1); "
        "give each fixture a unique name"
    )


def test_wrapped_lists_and_json_result_shapes(tmp_path: Path) -> None:
    write(
        tmp_path,
        "all.json",
        '{"fixtures": [{"fixture": "a", "modules": ["tools.calculator"]}],\n'
        ' "results": [{"fixture": "a", "status": "passed", "timestamp": 1700000000}]}\n',
    )
    ev = read_parity_dir(tmp_path)
    assert ev.results[0].status is ParityStatus.PASS
    assert ev.results[0].ran_at == datetime.fromtimestamp(1700000000, tz=UTC)
    out = join_parity(factories.small(), ev)
    calc = out.modules_by_id()["tools.calculator"]
    assert calc.parity is not None and calc.parity.fixtures == ("a",)


def test_json_lines_results_as_a_script_appends_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        "results.jsonl",
        '{"fixture": "a", "status": "pass", "modules": ["tools.calculator"]}\n\n'
        '{"fixture": "b", "status": "fail", "modules": ["tools.calculator"], "diffs": [{"path": "x", '
        '"python": 1, "go": 2}]}\n',
    )
    out = join_parity(sample_matrix(), read_parity_dir(tmp_path))
    calc = out.modules_by_id()["tools.calculator"]
    assert calc.status is Status.PARTIAL
    assert calc.notes == "parity fixture b failed: b: x (python=1, go=2)"
    assert [r.source for r in out.parity] == ["results.jsonl", "results.jsonl"]


JSONL_BAD = [
    (
        '{"fixture": "a", "status": "pass"}\n{"fixture": "b", "status": \n',
        "results.jsonl:2: not valid JSON: Expecting value (column 28); write one JSON object per line "
        "(is the line truncated?)",
    ),
    (
        '{"fixture": "a", "status": "pass"}\n\n{"fixture": "b", "status": "nope"}\n',
        'results.jsonl:3 at $[1].status: expected one of pass, fail, error, got "nope"',
    ),
    (
        '{"fixture": "a", "status": "pass", "metrics_match": 0}\n',
        "results.jsonl:1 at $[0].metrics_match: expected true or false, got 0; "
        "write true or false (an exit status 0/1 would be ambiguous)",
    ),
]


@pytest.mark.parametrize(("text", "message"), JSONL_BAD, ids=["truncated", "status", "exit-status"])
def test_json_lines_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "results.jsonl", text)
    with pytest.raises(EvidenceError) as exc:
        read_parity_dir(tmp_path)
    assert str(exc.value) == f"{tmp_path}/{message}"

"""`compute` on the real trees: it reproduces the committed snapshot, and the unit rules hold there."""

from __future__ import annotations

from pathlib import Path

import pytest

from matrix.model import Status, SupportMatrix, Unit, UnitState
from matrix.sources.scan import compute
from matrix.sources.snapshot import DEFAULT_SNAPSHOT, load

PY = Path("/tmp/trees/agno")
GO = Path("/tmp/trees/agno-go")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (PY.is_dir() and GO.is_dir()),
        reason="the real trees are not at /tmp/trees/agno and /tmp/trees/agno-go "
        "(see scripts/recompute.sh for how to get them)",
    ),
]


def test_compute_reproduces_the_committed_snapshot(tmp_path: Path) -> None:
    committed = load(DEFAULT_SNAPSHOT)
    fresh = compute(
        PY,
        GO,
        cache_dir=tmp_path,
        quiet=True,
        python_commit=committed.baseline.commit,
        go_commit=committed.runtime.commit,
    )
    assert [(m.id, m.status) for m in fresh.modules] == [(m.id, m.status) for m in committed.modules]
    # `since` comes from the release history, not from the trees: compare everything else.
    strip = [
        m.__class__(**{f: getattr(m, f) for f in m.__struct_fields__ if f != "since"})
        for m in committed.modules
    ]
    assert list(fresh.modules) == strip
    assert fresh.recipes == committed.recipes
    assert fresh.diagnostics == committed.diagnostics
    assert (fresh.baseline, fresh.runtime, fresh.families) == (
        committed.baseline,
        committed.runtime,
        committed.families,
    )


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> SupportMatrix:
    return compute(PY, GO, cache_dir=tmp_path_factory.mktemp("cache"), quiet=True)


def _unit(m: SupportMatrix, mid: str, name: str) -> Unit:
    cov = m.modules_by_id()[mid].coverage
    assert cov is not None
    return next(u for u in cov.units if u.name == name)


@pytest.mark.parametrize(
    ("mid", "unit"),
    [
        ("tools.websearch", "web_search"),
        ("tools.youtube", "get_youtube_video_data"),
        ("tools.bitbucket", "list_all_pull_requests"),
        ("tools.confluence", "get_page_content"),
        ("models.cohere", "streaming"),
    ],
)
def test_the_known_mocks_are_stubs(real: SupportMatrix, mid: str, unit: str) -> None:
    assert _unit(real, mid, unit).state is UnitState.STUB


def test_airflow_registers_only_stubs(real: SupportMatrix) -> None:
    airflow = real.modules_by_id()["tools.airflow"]
    assert airflow.status is Status.NOT_MIGRATED and airflow.coverage is not None
    assert airflow.coverage.extra == ("list_dags", "trigger_dag_run", "get_dag_run_status")
    assert airflow.notes is not None and airflow.notes.count("(stub: says 'mock' and never calls out)") == 3


@pytest.mark.parametrize(
    ("mid", "unit"),
    [
        ("tools.duckduckgo", "web_search"),
        ("tools.tavily", "web_search_using_tavily"),
        ("tools.jira", "add_worklog"),
        ("tools.gmail", "mark_email_as_read"),
        ("tools.pubmed", "search_pubmed"),
        ("tools.arxiv", "search_arxiv_and_return_articles"),
        ("tools.calculator", "add"),
    ],
)
def test_real_ports_are_not_stubs(real: SupportMatrix, mid: str, unit: str) -> None:
    assert _unit(real, mid, unit).state is UnitState.PORTED


@pytest.mark.parametrize(
    ("mid", "package"),
    [
        ("db.in_memory", "pkg/agno/session"),
        ("chunking.document", "pkg/agno/knowledge"),
        ("tools.api", "pkg/agno/tools/http"),
        ("readers.text", "pkg/agno/knowledge"),
        ("tools.mcp", "pkg/agno/mcp"),
    ],
)
def test_the_counterparts_the_first_release_missed(real: SupportMatrix, mid: str, package: str) -> None:
    m = real.modules_by_id()[mid]
    assert m.status.in_go and m.go is not None and m.go.package == package


def test_code_under_internal_counts(real: SupportMatrix) -> None:
    """The session HTTP service under internal/ serves AgentOS session endpoints the gin server lacks."""
    session = real.modules_by_id()["os.session"]
    assert session.go is not None and session.go.also == ("internal/http/router",)
    assert _unit(real, "os.session", "POST /sessions/{}/rename").go_name == "POST /sessions/{sessionID}/rename"  # noqa: E501


def test_no_false_go_only_and_every_package_covered(real: SupportMatrix) -> None:
    ids = real.modules_by_id()
    assert "chunking.paragraph" not in ids and "tools.http" not in ids
    assert [d for d in real.diagnostics if "no family covers" in d.message] == []
    assert ids["reasoning.chain_of_thought"].status is Status.NOT_MIGRATED


def test_no_status_rests_on_folder_presence(real: SupportMatrix) -> None:
    """Every module with Go code carries measured units (or says why they cannot be measured)."""
    for m in real.modules:
        if m.python is None or m.go is None:
            continue
        if m.status is Status.UNKNOWN:
            assert m.notes
        else:
            assert m.coverage is not None and m.coverage.units, m.id
            assert all(u.python is not None for u in m.coverage.units), m.id
            assert all(u.go is not None for u in m.coverage.units if u.state is not UnitState.MISSING), m.id

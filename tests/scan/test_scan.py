"""The scanner on small trees built in tmp_path (see conftest.py): families, aliases, units, statuses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from matrix.errors import SourceError, UsageError
from matrix.model import Status, SupportMatrix, UnitKind, UnitState
from matrix.sources.scan import compute, scan
from matrix.sources.scan.extract import Job, Worker
from matrix.sources.scan.rules import Compiled

from .conftest import LIB, Trees, make_trees, relaxed_profile, write


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> SupportMatrix:
    """One scan shared by the read-only tests of this module."""
    t = make_trees(tmp_path_factory.mktemp("trees"))
    return compute(t.py, t.go, profile=t.profile, cache_dir=t.cache, quiet=True)


# (module id, status, Go package or None): one or more rows per family and per rule.
EXPECTED = [
    ("core.agent", Status.PARTIAL, "pkg/agno/agent"),  # fields, an alias, a Literal parameter
    ("core.team", Status.PARTIAL, "pkg/agno/team"),  # an enum parameter's values
    ("core.memory", Status.NOT_MIGRATED, "pkg/agno/memory"),  # a concept mismatch: same name, other thing
    ("core.tracing", Status.NOT_MIGRATED, None),
    ("core.run", Status.PARTIAL, "pkg/agno/run"),  # two Go paths: a package and a file of another
    ("core.knowledge", Status.UNKNOWN, "pkg/agno/knowledge"),  # its class is not in this baseline
    ("core.model", Status.UNKNOWN, "pkg/agno/models"),
    ("core.toolkit", Status.PARTIAL, "pkg/agno/tools/toolkit"),  # the @tool decorator's keywords
    ("core.db", Status.PARTIAL, "pkg/agno/session"),  # a Go interface's methods as groups
    ("core.vectordb", Status.MIGRATED, "pkg/agno/vectordb"),
    ("core.cloud", Status.NOT_MIGRATED, "pkg/agno/cloud"),
    ("models.cohere", Status.PARTIAL, "pkg/agno/models/cohere"),  # InvokeStream only calls Invoke: stub
    ("models.google", Status.MIGRATED, "pkg/agno/models/gemini"),  # dir -> dir rename
    ("models.mistral", Status.NOT_MIGRATED, None),
    ("models.openai", Status.PARTIAL, "pkg/agno/models/openai"),
    ("models.glm", Status.GO_ONLY, "pkg/agno/models/glm"),
    ("tools.api", Status.PARTIAL, "pkg/agno/tools/http"),  # a capability override on registered names
    ("tools.broken", Status.UNKNOWN, "pkg/agno/tools/broken"),
    ("tools.calculator", Status.MIGRATED, "pkg/agno/tools/calculator"),  # no I/O on either side: real
    ("tools.duckduckgo", Status.PARTIAL, "pkg/agno/tools/search"),  # file -> dir rename, inherited tools
    ("tools.eleven_labs", Status.MIGRATED, "pkg/agno/tools/elevenlabs"),  # unit alias
    ("tools.gmail", Status.MIGRATED, "pkg/agno/tools/gmail"),  # nested file, named by the profile
    ("tools.mcp", Status.PARTIAL, "pkg/agno/mcp"),  # explicit go path; capabilities
    ("tools.python", Status.WONT_PORT, None),
    ("tools.weather", Status.NOT_MIGRATED, "pkg/agno/tools/weather"),  # never calls out: stub
    ("tools.websearch", Status.NOT_MIGRATED, "pkg/agno/tools/websearch"),  # canned data: stub
    ("vectordb.chroma", Status.MIGRATED, "pkg/agno/vectordb/chromadb"),
    ("vectordb.pgvector", Status.NOT_MIGRATED, "pkg/agno/vectordb/pgvector"),  # doc.go only
    ("vectordb.redis", Status.NOT_MIGRATED, "pkg/agno/vectordb/redisdb"),  # //go:build redis
    ("db.in_memory", Status.MIGRATED, "pkg/agno/session"),  # a Go file of another package
    ("db.sqlite", Status.PARTIAL, "pkg/agno/db/sqlite"),
    ("db.surrealdb", Status.MIGRATED, "pkg/agno/db/surreal"),
    ("embedders.openai", Status.NOT_MIGRATED, None),
    ("embedders.sentence_transformer", Status.MIGRATED, "pkg/agno/embeddings/sentencetransformer"),
    ("chunking.document", Status.MIGRATED, "pkg/agno/knowledge"),  # DocumentChunking = ParagraphChunker
    ("chunking.fixed", Status.MIGRATED, "pkg/agno/knowledge"),  # a Go type, not a package
    ("chunking.semantic", Status.NOT_MIGRATED, None),
    ("chunking.sentence", Status.GO_ONLY, "pkg/agno/knowledge"),
    ("readers.pdf", Status.NOT_MIGRATED, None),  # suffix _reader stripped
    ("readers.text", Status.PARTIAL, "pkg/agno/knowledge"),  # file.go#Type
    ("rerankers.cohere", Status.NOT_MIGRATED, None),
    ("loaders.s3", Status.NOT_MIGRATED, None),
    ("reasoning.chain_of_thought", Status.NOT_MIGRATED, None),
    ("reasoning.groq", Status.NOT_MIGRATED, None),
    ("reasoning.openai", Status.MIGRATED, "pkg/agno/reasoning/openai"),
    ("guardrails.base", Status.MIGRATED, "pkg/agno/guardrails"),  # BaseGuardrail = Guardrail
    ("guardrails.pii", Status.NOT_MIGRATED, None),
    ("guardrails.prompt_injection", Status.MIGRATED, "pkg/agno/guardrails"),  # Go file granularity
    ("os.agentos", Status.PARTIAL, "pkg/agentos"),
    ("os.a2a", Status.UNKNOWN, "pkg/agentos/a2a"),  # no baseline endpoint to compare
    ("os.slack", Status.NOT_MIGRATED, None),
    ("os.agents", Status.PARTIAL, "pkg/agentos"),  # an endpoint subset, under /api/v1
    ("os.health", Status.MIGRATED, "pkg/agentos"),  # matched by its Go handler
]


@pytest.mark.parametrize(("mid", "status", "package"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_module_status(matrix: SupportMatrix, mid: str, status: Status, package: str | None) -> None:
    m = matrix.modules_by_id()[mid]
    assert m.status is status
    assert (m.go.package if m.go else None) == package


def test_every_module_is_expected(matrix: SupportMatrix) -> None:
    """Nothing else: helpers (base.py, toolkit.py), stubs and ignored files are not modules."""
    assert sorted(m.id for m in matrix.modules) == sorted(e[0] for e in EXPECTED)


def test_reexport_stub_is_not_a_module_but_its_imports_map(matrix: SupportMatrix) -> None:
    gmail = matrix.modules_by_id()["tools.gmail"]
    assert gmail.python is not None
    assert gmail.python.path == f"{LIB}/tools/google/gmail.py"
    recipe = {r.path: r for r in matrix.recipes}["cookbook/91_tools/gmail_old_path.py"]
    assert recipe.modules == ("core.agent", "tools.gmail")


def _units(m: SupportMatrix, mid: str) -> list[tuple[str, str, str | None]]:
    cov = m.modules_by_id()[mid].coverage
    assert cov is not None
    return [(u.name, u.state.value, u.go_name) for u in cov.units]


@pytest.mark.parametrize(
    ("mid", "kind", "units"),
    [
        ("tools.duckduckgo", UnitKind.FUNCTIONS, [("web_search", "ported", "search"),
                                                  ("search_news", "missing", None)]),
        ("tools.eleven_labs", UnitKind.FUNCTIONS, [("text_to_speech", "ported", "generate_speech"),
                                                   ("get_voices", "ported", None)]),
        ("core.agent", UnitKind.FIELDS, [
            ("Agent.model", "ported", "Model"),
            ("Agent.name", "ported", "Name"),
            ("Agent.tools", "ported", "Toolkits"),  # profile alias
            ("Agent.knowledge", "missing", None),
            ("Agent.reasoning", "ported", "Reasoning"),
            ("Agent.reasoning=off", "ported", None),  # Literal values against the field type's constants
            ("Agent.reasoning=on", "missing", None),
        ]),
        ("core.team", UnitKind.FIELDS, [
            ("Team.members", "ported", "Agents"),
            ("Team.mode", "ported", "Mode"),
            ("Team.mode=coordinate", "missing", None),  # enum values
            ("Team.mode=broadcast", "ported", None),
            ("Team.respond_directly", "missing", None),
        ]),
        ("core.toolkit", UnitKind.FIELDS, [
            ("Toolkit.name", "missing", None),  # Go's field is unexported: not API
            ("Toolkit.tools", "ported", "RegisterFunction"),  # a profile alias: the method stands in
            ("Function.name", "ported", "Name"),
            ("Function.description", "ported", "Description"),
            ("tool(name)", "ported", "Name"),
            ("tool(requires_confirmation)", "missing", None),
        ]),
        ("models.openai", UnitKind.CAPABILITIES, [
            ("invoke", "ported", "OpenAI.Invoke"),
            ("streaming", "ported", "OpenAI.InvokeStream"),
            ("tool_calling", "ported", "ToolCalls"),
            ("structured_output", "missing", None),
            ("embeddings", "missing", None),  # the openai embedder is not in Go
        ]),
        ("models.cohere", UnitKind.CAPABILITIES, [("invoke", "ported", "Cohere.Invoke"),
                                                  ("streaming", "stub", "Cohere.InvokeStream")]),
        ("tools.mcp", UnitKind.CAPABILITIES, [
            ("stdio_transport", "ported", "StdioTransport"),
            ("sse_transport", "missing", None),
            ("list_and_call_tools", "missing", None),
            ("include_exclude_tools", "ported", "Config.IncludeTools"),
        ]),
        ("tools.api", UnitKind.CAPABILITIES, [("get", "ported", "http_get"), ("post", "missing", None)]),
        ("db.sqlite", UnitKind.GROUPS, [("sessions", "ported", "Create, Get"), ("memories", "missing", None)]),  # noqa: E501
        ("core.db", UnitKind.GROUPS, [("sessions", "ported", "Get, Create"), ("memories", "missing", None)]),
        ("readers.text", UnitKind.CAPABILITIES, [("read", "ported", "TextLoader.Load"),
                                                 ("async_read", "missing", None)]),
        ("os.agents", UnitKind.ENDPOINTS, [
            ("POST /agents/{}/runs", "ported", "POST /api/v1/agents/:id/run"),  # endpoint alias
            ("GET /agents", "ported", "GET /api/v1/agents"),
            ("GET /agents/{}", "missing", None),
        ]),
        ("os.health", UnitKind.ENDPOINTS, [
            ("GET /health", "ported", "GET <configured path> (s.handleHealth)"),
        ]),
        ("os.agentos", UnitKind.FIELDS, [
            ("AgentOS.agents", "ported", "Server.RegisterAgent"),  # a method, by profile alias only
            ("AgentOS.teams", "missing", None),
            ("AgentOS.tracing", "missing", None),
        ]),
        ("guardrails.prompt_injection", UnitKind.SYMBOLS, [("PromptInjectionGuardrail", "ported", None)]),
        ("core.cloud", UnitKind.SYMBOLS, [("S3Bucket", "missing", None)]),
    ],
)
def test_units(matrix: SupportMatrix, mid: str, kind: UnitKind, units: list[tuple[str, str, str | None]]) -> None:  # noqa: E501
    cov = matrix.modules_by_id()[mid].coverage
    assert cov is not None and cov.kind is kind
    assert _units(matrix, mid) == units


def test_units_carry_evidence_on_both_sides(matrix: SupportMatrix) -> None:
    cov = matrix.modules_by_id()["tools.eleven_labs"].coverage
    assert cov is not None
    u = cov.units[0]
    assert (u.python, u.go) is not None
    assert u.python is not None and u.go is not None
    assert (u.python.path, u.python.line) == (f"{LIB}/tools/eleven_labs.py", 14)
    assert (u.go.path, u.go.line) == ("pkg/agno/tools/elevenlabs/elevenlabs.go", 16)
    team = matrix.modules_by_id()["core.team"].coverage
    assert team is not None
    broadcast = next(u for u in team.units if u.name == "Team.mode=broadcast")
    assert broadcast.go is not None and (broadcast.go.path, broadcast.go.line) == ("pkg/agno/team/team.go", 7)


@pytest.mark.parametrize(
    ("mid", "notes"),
    [
        ("tools.duckduckgo", "missing 1 of 2 functions: search_news."),
        ("tools.calculator", None),
        ("tools.eleven_labs", None),
        (
            "tools.websearch",
            "none of the 2 baseline functions is in Go; stubs: web_search (returns canned data "
            "(https://example.com)); the Go package pkg/agno/tools/websearch holds Tools, New instead.",
        ),
        (
            "tools.weather",
            "none of the 1 baseline functions is in Go; stubs: get_weather (never calls out, while its Python "  # noqa: E501
            "counterpart does I/O); the Go package pkg/agno/tools/weather holds Tools, New instead.",
        ),
        ("models.cohere", "1 of 2 are stubs in Go: streaming (only delegates to Invoke)."),
        (
            "core.memory",
            "none of the 3 baseline parameters is in Go; the Go package pkg/agno/memory holds InMemory, "
            "NewInMemory instead.",
        ),
        ("vectordb.pgvector", "the Go package pkg/agno/vectordb/pgvector declares nothing exported."),
        (
            "vectordb.redis",
            "Go code behind a build constraint a default build excludes (//go:build redis) does not count.",
        ),
        ("os.agents", "missing 1 of 3 endpoints: GET /agents/{}; Go adds POST /api/v1/agents/:id/run/stream."),  # noqa: E501
        (
            "tools.broken",
            "Go code exists but functions cannot be compared: a baseline file does not parse (see diagnostics).",  # noqa: E501
        ),
        (
            "core.knowledge",
            "Go code exists but parameters cannot be compared: the baseline module does not define Knowledge.",  # noqa: E501
        ),
        ("os.a2a", "Go code exists but the baseline module shows no endpoints to compare."),
    ],
)
def test_notes(matrix: SupportMatrix, mid: str, notes: str | None) -> None:
    assert matrix.modules_by_id()[mid].notes == notes


def test_stub_units_count_as_nothing(matrix: SupportMatrix) -> None:
    ws = matrix.modules_by_id()["tools.websearch"].coverage
    assert ws is not None
    assert (ws.ported, ws.total, ws.stubs, ws.missing) == (0, 2, ("web_search",), ("search_news",))
    stub = ws.units[0]
    assert stub.state is UnitState.STUB and stub.go is not None
    assert stub.note == "returns canned data (https://example.com)"


def test_several_go_paths_make_one_module(matrix: SupportMatrix) -> None:
    run = matrix.modules_by_id()["core.run"]
    assert run.go is not None and run.go.also == ("pkg/agno/agent",)
    assert _units(matrix, "core.run") == [
        ("RunContext.run_id", "ported", "RunID"),
        ("RunContext.session_id", "missing", None),
        ("RunOutput.content", "ported", "Content"),  # from pkg/agno/agent/agent.go
    ]


def test_not_migrated_keeps_the_go_ref_it_found(matrix: SupportMatrix) -> None:
    mem = matrix.modules_by_id()["core.memory"]
    assert mem.go is not None and mem.go.symbols == ("InMemory", "NewInMemory")


def test_capabilities_are_still_reported(matrix: SupportMatrix) -> None:
    caps = {c.name: (c.python, c.go) for c in matrix.modules_by_id()["models.openai"].capabilities}
    assert caps == {
        "invoke": (True, True),
        "async": (False, True),
        "streaming": (True, True),
        "async_streaming": (False, True),
        "tool_calling": (True, True),
        "structured_output": (True, False),
        "embeddings": (True, False),  # an openai embedder exists in the baseline, not in Go
    }
    # The base class's invoke_stream is not evidence for a provider that does not define it.
    gem = {c.name: (c.python, c.go) for c in matrix.modules_by_id()["models.google"].capabilities}
    assert gem["streaming"] == (False, False)
    mis = {c.name: (c.python, c.go) for c in matrix.modules_by_id()["models.mistral"].capabilities}
    assert mis["streaming"] == (False, None)
    coh = {c.name: (c.python, c.go) for c in matrix.modules_by_id()["models.cohere"].capabilities}
    assert coh["streaming"] == (True, False)  # a stub is no Go support


@pytest.mark.parametrize(
    ("flag_line", "expected"),
    [("supports_native_structured_outputs: bool = False", False), ("max_tokens: int = 10", True)],
)
def test_a_subclass_flag_overrides_its_parents(tmp_path: Path, flag_line: str, expected: bool) -> None:
    # The nearest class that sets a flag decides: a provider that subclasses OpenAIChat (True) and
    # sets the flag False does not support structured output; one that leaves it alone inherits True.
    t = make_trees(tmp_path)
    write(t.py, {f"{LIB}/models/litellm/chat.py": (
        "from agno.models.openai.chat import OpenAIChat\n\n\n"
        f"class LiteLLM(OpenAIChat):\n    {flag_line}\n"
    )})
    m = compute(t.py, t.go, profile=t.profile, cache_dir=t.cache, quiet=True)
    caps = {c.name: c.python for c in m.modules_by_id()["models.litellm"].capabilities}
    assert caps["structured_output"] is expected


def test_a_package_no_family_covers_is_a_diagnostic(matrix: SupportMatrix) -> None:
    """``newpkg`` is in no family and not excluded; ``utils`` is excluded by the profile with a reason."""
    uncovered = [d.file for d in matrix.diagnostics if "no family covers" in d.message]
    assert uncovered == [f"{LIB}/newpkg"]


def test_recipes(matrix: SupportMatrix) -> None:
    by = {r.path: r for r in matrix.recipes}
    # helper.py (no agno import), utils_only.py (imports no module) and broken_import.py (its one
    # import does not parse: a diagnostic) are not recipes.
    assert sorted(by) == [
        "cookbook/91_tools/duckduckgo_tools.py",
        "cookbook/91_tools/gmail_old_path.py",
        "cookbook/91_tools/knowledge_pdf.py",
    ]
    ddg = by["cookbook/91_tools/duckduckgo_tools.py"]
    assert ddg.title == "DuckDuckGo search: an agent that searches the web."
    assert ddg.modules == ("core.agent", "models.openai", "tools.duckduckgo")  # multi-line import
    assert ddg.go_example == "cmd/examples/search_agent"
    assert ddg.go_ready is True
    pdf = by["cookbook/91_tools/knowledge_pdf.py"]  # `import agno.x.y` form
    assert pdf.title == "Knowledge Pdf"
    assert (pdf.go_ready, pdf.blocked_by) == (False, ("readers.pdf",))


def test_unparsable_files_are_diagnostics_not_fatal(matrix: SupportMatrix) -> None:
    assert [(d.file, d.line, d.message) for d in matrix.diagnostics if "no family" not in d.message] == [
        (f"{LIB}/tools/broken.py", 4, "SyntaxError: invalid syntax"),
        ("pkg/agno/tools/broken/broken.go", 5, "syntax error (tree-sitter-go)"),
        ("cookbook/misc/broken_import.py", 1, "SyntaxError in import statement: invalid syntax"),
    ]


def test_go_test_files_are_skipped(matrix: SupportMatrix) -> None:
    """agent_test.go is not Go at all; it would otherwise be a diagnostic."""
    assert not any(d.file.endswith("_test.go") for d in matrix.diagnostics)


def test_provenance(matrix: SupportMatrix) -> None:
    assert (matrix.baseline.version, matrix.baseline.version_from) == ("9.8.7", "libs/agno/pyproject.toml")
    assert (matrix.runtime.version, matrix.runtime.version_from) == ("1.4.2", "CHANGELOG.md (newest entry)")
    assert matrix.baseline.commit is None
    assert matrix.source.kind.value == "scan"
    assert {k: Path(v).name for k, v in matrix.source.trees.items()} == {"python": "py", "go": "go"}


def test_commits_from_arguments_and_from_git(trees: Trees, monkeypatch: pytest.MonkeyPatch) -> None:
    sha_py, sha_go = "a" * 40, "b" * 40
    monkeypatch.setenv("AGNO_GO_COMMIT", sha_go)
    m = compute(
        trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True, python_commit=sha_py
    )
    assert (m.baseline.commit, m.runtime.commit) == (sha_py, sha_go)
    assert m.source.trees == {"python": sha_py, "go": sha_go}
    # A repository at the tree wins over arguments: tests/scan/test_provenance.py.


def _fail(py: Path, go: Path, profile: Path | None = None) -> str:
    with pytest.raises(SourceError) as err:
        compute(py, go, profile=profile, use_cache=False, quiet=True)
    return str(err.value)


def test_too_few_modules(trees: Trees) -> None:
    """The shipped profile expects ~100 toolkits; a tree with a dozen is not a real agno checkout."""
    assert _fail(trees.py, trees.go) == (
        f"{trees.py}: family 'models' has 4 baseline modules, the profile expects at least 30; pass "
        "--python-root with a full checkout of agno, or lower families.models.min_expected in agno.toml"
    )


def test_no_runtime_module_is_an_error_not_an_all_red_matrix(trees: Trees, tmp_path: Path) -> None:
    empty_go = tmp_path / "emptygo"
    write(empty_go, {"pkg/other/x.go": "package other\n"})
    assert _fail(trees.py, empty_go, trees.profile) == (
        f"{empty_go}: no runtime module found under pkg, internal (0 of 51 modules have Go code); "
        "pass --go-root with a checkout of agno-Go (its code is under pkg, internal)"
    )


@pytest.mark.parametrize(
    ("which", "setup", "message"),
    [
        (
            "py",
            None,
            "{root}: baseline root does not exist; pass --python-root with a checkout that contains "
            "libs/agno/agno",
        ),
        (
            "py",
            {},
            "{root}: baseline root has no libs/agno/agno folder; pass --python-root with a checkout "
            "that contains libs/agno/agno",
        ),
        (
            "py",
            {"libs/agno/agno/README.md": "x"},
            "{root}: no Python files under libs/agno/agno; pass --python-root with a checkout of agno",
        ),
        (
            "go",
            None,
            "{root}: runtime root does not exist; pass --go-root with a checkout that contains pkg or internal",  # noqa: E501
        ),
        (
            "go",
            {"docs/README.md": "x"},
            "{root}: runtime root has none of the folders pkg, internal; pass --go-root with a checkout that "
            "contains pkg or internal",
        ),
        (
            "go",
            {"pkg/README.md": "x"},
            "{root}: no Go files under pkg, internal; pass --go-root with a checkout of agno-Go",
        ),
    ],
)
def test_missing_and_empty_roots(
    trees: Trees, tmp_path: Path, which: str, setup: dict[str, str] | None, message: str
) -> None:
    root = tmp_path / "other"
    if setup is not None:
        root.mkdir()
        write(root, setup)
    py, go = (root, trees.go) if which == "py" else (trees.py, root)
    assert _fail(py, go, trees.profile) == message.format(root=root)


def test_relaxed_profile_helper_differs_from_shipped(tmp_path: Path) -> None:
    assert "min_expected = 0" in relaxed_profile(tmp_path).read_text()


# --------------------------------------------------------------------------- steps and the worker process


def _bad_query_profile(t: Trees, tmp_path: Path) -> Path:
    """The test profile with a route query tree-sitter refuses (found only when a Go file is extracted)."""
    text = t.profile.read_text()
    start = text.index("\nroute = '''", text.index("[rules.go]"))
    end = text.index("'''", start + len("\nroute = '''")) + 3
    p = tmp_path / "bad-query.toml"
    p.write_text(text[:start] + "\nroute = '(call_expression function: (nope) @x)'" + text[end:])
    return p


@pytest.mark.parametrize("workers", [0, 1], ids=["here", "in-the-worker"])
def test_a_failure_while_extracting_is_one_line_wherever_it_happens(tmp_path: Path, workers: int) -> None:
    t = make_trees(tmp_path)
    bad = _bad_query_profile(t, tmp_path)
    with pytest.raises(UsageError) as err:
        scan(t.py, t.go, profile=bad, use_cache=False, quiet=True, workers=workers)
    assert str(err.value) == (
        "profile: rules.go.route: not a valid tree-sitter query (Invalid node type at row 0, column 28: "
        "nope); fix the profile"
    )


def _one_go_job(t: Trees) -> Job:
    from matrix.sources.scan.walk import FileStat

    rel = "pkg/agno/tools/calculator/calculator.go"
    return Job("go", FileStat(rel, str(t.go / rel), (t.go / rel).stat().st_size, 0), 0)


def _worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> tuple[Trees, Compiled, Worker]:
    """Fresh test trees, the rules a run takes and a worker that starts by ``method`` (``start_method``
    replaced: the tests choose, whatever threads the session runs)."""
    import matrix.sources.scan.extract as extract
    from matrix.profiles import load_profile
    from matrix.sources.scan.rules import compile_rules

    monkeypatch.setattr(extract, "start_method", lambda: method)
    t = make_trees(tmp_path)
    prof = load_profile(t.profile)
    return t, compile_rules(prof), extract.Worker(prof)


def test_a_spawned_worker_that_dies_is_an_error_not_a_silent_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal
    import time

    t, rules, worker = _worker(tmp_path, monkeypatch, "spawn")
    try:
        assert worker.start()
        assert worker.ready is not None and worker.pool is not None
        worker.ready.result(timeout=60)
        for pid in list(worker.pool._processes):  # the test reaches in: there is no public handle
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while not worker.pool._broken and time.monotonic() < deadline:  # the pool notices the death
            time.sleep(0.01)
        with pytest.raises(SourceError) as err:
            worker.run([], [_one_go_job(t)], rules, 1 << 20)
    finally:
        worker.close()
    assert str(err.value).startswith(
        f"agno-docs compute (pid {os.getpid()}): the extraction worker process failed (BrokenProcessPool: "
    )
    assert str(err.value).endswith("; run again with AGNO_DOCS_WORKERS=0 to extract in this process only")


@pytest.mark.parametrize(("how", "said"), [("kill", "killed by SIGKILL"), ("exit", "exit status 3")])
def test_a_forked_worker_that_dies_is_an_error_not_a_silent_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, said: str
) -> None:
    import re
    import signal

    import matrix.sources.scan.extract as extract

    def dies(*args: object) -> None:  # the forked child runs this instead of taking chunks
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(3)

    monkeypatch.setattr(extract, "_child", dies)
    t, rules, worker = _worker(tmp_path, monkeypatch, "fork")
    try:
        assert worker.start() and worker.up
        with pytest.raises(SourceError) as err:
            worker.run([], [_one_go_job(t)] * 3, rules, 1 << 20)
    finally:
        worker.close()
    assert worker.fork is None  # waited for: no zombie left behind
    assert re.fullmatch(
        rf"agno-docs compute \(pid {os.getpid()}\): the extraction worker process failed "
        rf"\(ChildProcessError: pid \d+, {said}\); run again with AGNO_DOCS_WORKERS=0 to extract in this "
        r"process only",
        str(err.value),
    )


def test_an_interrupted_run_leaves_no_forked_worker_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    import matrix.sources.scan.extract as extract

    def interrupted() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(extract, "_child", lambda *a: time.sleep(60))  # still running when this one stops
    t, rules, worker = _worker(tmp_path, monkeypatch, "fork")
    try:
        worker.start()
        with pytest.raises(KeyboardInterrupt):
            worker.run([], [_one_go_job(t)], rules, 1 << 20, first=interrupted)
        assert worker.fork is not None
        pid = worker.fork.pid
    finally:
        worker.close()
    assert worker.fork is None
    with pytest.raises(ChildProcessError):  # killed and reaped by close()
        os.waitpid(pid, os.WNOHANG)


def test_a_forked_scan_runs_no_thread_and_imports_no_multiprocessing(tmp_path: Path) -> None:
    """In a fresh single-threaded interpreter (the CLI), the worker is forked: the same matrix as one
    process gives (recipes split in two processes as well), both processes extract, and neither
    ``multiprocessing`` nor an executor is imported."""
    import json
    import subprocess
    import sys

    t = make_trees(tmp_path)
    code = """
import json, sys, threading
import matrix.sources.scan as sc
import matrix.sources.scan.extract as extract
import matrix.sources.scan.recipes as recipes
extract.CHUNK = 2
recipes.SPLIT_MIN = 1  # the test trees' few recipes are split in two processes too
splits = []
in_two = recipes.in_two
recipes.in_two = lambda *a: splits.append(1) or in_two(*a)
away = sc._away
def listed(run):  # runs in the forked worker: it leaves a mark
    with open(sys.argv[4], "a") as fh:
        fh.write("x")
    return away(run)
sc._away = listed
args = dict(profile=sys.argv[3], use_cache=False, quiet=True)
two = sc.scan(sys.argv[1], sys.argv[2], workers=1, **args)
one = sc.scan(sys.argv[1], sys.argv[2], workers=0, **args)
marks = open(sys.argv[4]).read()
auto = sc.scan(sys.argv[1], sys.argv[2], **args)  # too few files: the worker forked early is stopped
same = (two.matrix.modules, two.matrix.recipes, two.matrix.diagnostics) == (
    one.matrix.modules, one.matrix.recipes, one.matrix.diagnostics) == (
    auto.matrix.modules, auto.matrix.recipes, auto.matrix.diagnostics)
pools = sorted(m for m in sys.modules if m.split(".")[0] in ("multiprocessing", "concurrent"))
print(json.dumps({"method": two.timings.cache.get("worker"), "counts": two.timings.counts, "same": same,
                  "threads": threading.active_count(), "imported": pools, "splits": len(splits),
                  "marks": marks,
                  "auto": [auto.timings.cache.get("worker"), "worker" in auto.timings.counts]}))
"""
    env = {k: v for k, v in os.environ.items() if k != "AGNO_DOCS_WORKERS"}
    marks = tmp_path / "marks"
    marks.write_text("")
    out = subprocess.run([sys.executable, "-c", code, str(t.py), str(t.go), str(t.profile), str(marks)],
                         capture_output=True, text=True, env=env, timeout=120, check=True)
    got = json.loads(out.stdout)
    assert (got["method"], got["same"], got["threads"], got["imported"]) == ("fork", True, 1, [])
    assert got["splits"] == 1  # the scan with the worker split its recipes, the one without did not
    assert got["marks"] == "x"  # forked before the walk (a cold run), the worker listed its own files
    assert got["auto"] == [None, False]
    counts = got["counts"]
    assert counts["worker"] > 0
    assert counts["worker"] + counts["taken_back"] == counts["go"] + counts["cookbook"]


def test_a_worker_forked_before_the_walk_that_listed_other_files_is_forked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its list and this process's differ when the trees change between the two walks: the stale one is
    stopped and a worker is forked again with this process's list."""
    import matrix.sources.scan.extract as extract
    from matrix.sources.scan.walk import FileStat

    monkeypatch.setattr(extract, "CHUNK", 1)
    t, rules, worker = _worker(tmp_path, monkeypatch, "fork")
    jobs = [Job("go", FileStat(str(p.relative_to(t.go)), str(p), p.stat().st_size, 0), 0)
            for p in sorted(t.go.rglob("*.go"))[:4]]
    try:
        assert worker.start(jobs=lambda: jobs[:1])  # the stale list
        stale = worker.fork
        assert stale is not None
        done = worker.run([], jobs[1:], rules, 1 << 20)
    finally:
        worker.close()
    assert sorted(d.rel for d in done) == sorted(j.f.rel for j in jobs[1:])
    assert worker.counts["worker"] + worker.counts["taken_back"] == 3
    with pytest.raises(ChildProcessError):  # the stale worker was stopped and reaped
        os.waitpid(stale.pid, os.WNOHANG)


@pytest.mark.parametrize("method", ["spawn", "fork"])
def test_no_worker_on_this_system_means_everything_runs_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    import concurrent.futures

    import matrix.sources.scan.extract as extract

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(extract, "start_method", lambda: method)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(extract.os, "fork", refuse)
    t = make_trees(tmp_path)
    done = scan(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=1)
    assert done.timings.cache["worker"] == "unavailable (OSError: [Errno 38] Function not implemented)"
    assert "worker" not in done.timings.counts
    alone = scan(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=0)
    assert (done.matrix.modules, done.matrix.diagnostics) == (alone.matrix.modules, alone.matrix.diagnostics)


def test_files_left_out_come_first_among_the_diagnostics_in_both_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matrix.sources.scan.extract as extract

    t = make_trees(tmp_path)
    deep = "from agno.agent import Agent\n\nx = " + "-" * 20_000 + "1\n"
    write(t.py, {"cookbook/91_tools/zz_deep.py": deep})
    (t.py / "cookbook/91_tools/zz_bin.py").write_bytes(b"from agno.agent import Agent\n\x00\n")
    (t.go / "pkg/agno/tools/calculator/zz_latin.go").write_bytes(b"package calculator\n// caf\xe9\n")
    (t.py / LIB / "tools/zz_bin.py").write_bytes(b"\x00")
    monkeypatch.setattr(extract, "CHUNK", 1)
    here = scan(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=0)
    away = scan(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=1)
    assert away.timings.counts["worker"] > 0
    expected = [
        ("cookbook/91_tools/zz_bin.py", 2, "binary (NUL bytes), not source text: not read"),
        (f"{LIB}/tools/zz_bin.py", 1, "binary (NUL bytes), not source text: not read"),
        ("pkg/agno/tools/calculator/zz_latin.go", 2, "not UTF-8 text: not read"),
    ]
    for done in (here, away):
        got = [(d.file, d.line, d.message) for d in done.matrix.diagnostics]
        assert got[:3] == expected
        assert "tools.zz_bin" not in done.matrix.modules_by_id()
    assert here.matrix.diagnostics == away.matrix.diagnostics
    assert here.matrix.recipes == away.matrix.recipes


def test_timings_name_every_step(tmp_path: Path) -> None:
    t = make_trees(tmp_path)
    cold = scan(t.py, t.go, profile=t.profile, cache_dir=t.cache, quiet=True).timings
    assert list(cold.phases) == [
        "start", "walk", "reuse", "cache_lookup", "extract", "cache_save", "assemble", "finish", "total"
    ]
    assert list(cold.cpu) == list(cold.phases)
    assert cold.cpu["total"] == pytest.approx(sum(v for k, v in cold.cpu.items() if k != "total"))
    assert cold.counts["extracted"] == cold.counts["library"] + cold.counts["cookbook"] + cold.counts["go"]


def test_a_library_file_too_deep_for_the_parser_is_a_diagnostic(tmp_path: Path) -> None:
    t = make_trees(tmp_path)
    write(t.py, {f"{LIB}/tools/zz_deep/__init__.py": "from agno.tools.calculator import CalculatorTools\n\n"
                                                     "x = " + "-" * 20_000 + "1\n"})
    m = compute(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=0)
    assert [(d.file, d.line, d.message) for d in m.diagnostics if "zz_deep" in d.file] == [
        (f"{LIB}/tools/zz_deep/__init__.py", 1, "too deeply nested to parse (Python's parser gave up)")
    ]


def test_an_extractor_bug_stops_the_scan_with_the_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matrix.sources.scan import cookbook

    def boom(data: bytes) -> object:
        raise ValueError("boom")

    monkeypatch.setattr(cookbook, "extract", boom)
    t = make_trees(tmp_path)
    with pytest.raises(SourceError) as err:
        compute(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=0)
    assert str(err.value).endswith(".py: extracting facts failed (ValueError: boom); please report it")
    assert str(err.value).startswith(f"{t.py}/cookbook/")


def test_a_scan_with_its_worker_runs_in_a_thread(tmp_path: Path) -> None:
    """As under ``mkdocs serve``: the site builds in a thread while others run (spawn, never fork)."""
    import threading

    from matrix.sources.scan import Scan

    t = make_trees(tmp_path)
    results: list[Scan] = []
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait)  # another live thread, as a server has
    busy.start()
    try:
        runner = threading.Thread(target=lambda: results.append(
            scan(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=1)))
        runner.start()
        runner.join(timeout=120)
    finally:
        stop.set()
        busy.join()
    assert not runner.is_alive()
    assert len(results) == 1
    assert results[0].timings.counts["worker"] > 0
    assert results[0].timings.cache["worker"] == "spawn"  # never a fork beside other threads
    alone = scan(t.py, t.go, profile=t.profile, use_cache=False, quiet=True, workers=0)
    assert results[0].matrix.modules == alone.matrix.modules


@pytest.mark.parametrize("method", ["fork", "spawn", "no fork"])
def test_midway_gets_the_first_jobs_while_the_worker_goes_on_and_run_returns_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """``Worker.run``'s ``midway``: the records of ``here`` and of the first ``n`` jobs of ``away`` (the
    scan assembles the modules from them), each record exactly once between it and what ``run`` returns,
    whichever process extracted it and wherever a chunk boundary falls."""
    import matrix.sources.scan.extract as extract
    from matrix.sources.scan.walk import FileStat

    def refuse(*args: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    if method == "no fork":
        monkeypatch.setattr(extract.os, "fork", refuse)
    monkeypatch.setattr(extract, "CHUNK", 2)
    t, rules, worker = _worker(tmp_path, monkeypatch, "spawn" if method == "spawn" else "fork")
    go = [Job("go", FileStat(str(p.relative_to(t.go)), str(p), p.stat().st_size, 0), 0)
          for p in sorted(t.go.rglob("*.go"))[:7]]
    lib = [Job("library", FileStat(str(p.relative_to(t.py / LIB)), str(p), p.stat().st_size, 0), 0)
           for p in sorted((t.py / LIB).rglob("*.py"))[:3]]
    given: list[list[str]] = []
    try:
        assert worker.start()
        rest = worker.run(lib, go, rules, 1 << 20,
                          midway=(3, lambda done: given.append([d.rel for d in done])))
    finally:
        worker.close()
    assert len(given) == 1
    assert sorted(given[0]) == sorted(j.f.rel for j in lib + go[:3])
    assert sorted(d.rel for d in rest) == sorted(j.f.rel for j in go[3:])
    assert all(d.facts is not None for d in rest)


def test_reading_the_workers_facts_leaves_the_offset_it_appends_at() -> None:
    """The forked worker appends to a file whose offset it shares with this process (one open file
    description): reading it midway must not move that offset, or its next frame would land on
    earlier ones."""
    from matrix.workers import read_all

    fd = os.memfd_create("test")
    try:
        os.write(fd, b"frame one|")
        assert read_all(fd) == b"frame one|"
        os.write(fd, b"frame two|")  # the worker's next write
        os.lseek(fd, 6, os.SEEK_SET)  # wherever it stands (a seek and a read would leave it at the end)
        assert read_all(fd) == b"frame one|frame two|"
        assert os.lseek(fd, 0, os.SEEK_CUR) == 6
    finally:
        os.close(fd)


def test_midway_with_nothing_for_the_worker_gets_everything_and_no_worker_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    t, rules, worker = _worker(tmp_path, monkeypatch, "fork")
    given: list[list[str]] = []
    try:
        assert worker.start(jobs=lambda: [_one_go_job(t)])  # forked before the walk, then nothing is left
        stale = worker.fork
        assert stale is not None
        rest = worker.run([_one_go_job(t)], [], rules, 1 << 20,
                          midway=(0, lambda done: given.append([d.rel for d in done])))
    finally:
        worker.close()
    assert given == [["pkg/agno/tools/calculator/calculator.go"]] and rest == []
    with pytest.raises(ChildProcessError):  # the worker forked early was stopped and reaped
        os.waitpid(stale.pid, os.WNOHANG)

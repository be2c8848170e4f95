"""The scanner on small trees built in tmp_path (see conftest.py): families, aliases, statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from matrix.errors import SourceError
from matrix.model import Status, SupportMatrix
from matrix.sources.scan import compute

from .conftest import LIB, Trees, make_trees, relaxed_profile, write


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> SupportMatrix:
    """One scan shared by the read-only tests of this module."""
    t = make_trees(tmp_path_factory.mktemp("trees"))
    return compute(t.py, t.go, profile=t.profile, cache_dir=t.cache, quiet=True)


# (module id, status, Go package or None): one or more rows per family and per alias kind.
EXPECTED = [
    ("core.agent", Status.MIGRATED, "pkg/agno/agent"),
    ("core.tracing", Status.NOT_MIGRATED, None),
    ("core.toolkit", Status.MIGRATED, "pkg/agno/tools/toolkit"),
    ("core.knowledge", Status.MIGRATED, "pkg/agno/knowledge"),  # a parent folder of other families
    ("core.model", Status.MIGRATED, "pkg/agno/models"),  # a Go file (models/base.go) as evidence
    ("models.openai", Status.MIGRATED, "pkg/agno/models/openai"),
    ("models.google", Status.MIGRATED, "pkg/agno/models/gemini"),  # dir -> dir rename
    ("models.mistral", Status.NOT_MIGRATED, None),
    ("models.glm", Status.GO_ONLY, "pkg/agno/models/glm"),
    ("tools.calculator", Status.MIGRATED, "pkg/agno/tools/calculator"),
    ("tools.duckduckgo", Status.PARTIAL, "pkg/agno/tools/search"),  # file -> dir rename, inherited tools
    ("tools.eleven_labs", Status.MIGRATED, "pkg/agno/tools/elevenlabs"),  # function alias
    ("tools.gmail", Status.MIGRATED, "pkg/agno/tools/gmail"),  # nested file, named by the profile
    ("tools.python", Status.WONT_PORT, None),
    ("tools.websearch", Status.NOT_MIGRATED, None),
    ("tools.mcp", Status.UNKNOWN, "pkg/agno/mcp"),  # explicit go path; tools not listed in __init__
    ("tools.broken", Status.UNKNOWN, "pkg/agno/tools/broken"),
    ("tools.http", Status.GO_ONLY, "pkg/agno/tools/http"),
    ("vectordb.chroma", Status.MIGRATED, "pkg/agno/vectordb/chromadb"),
    ("vectordb.pgvector", Status.NOT_MIGRATED, None),
    ("db.surrealdb", Status.MIGRATED, "pkg/agno/db/surreal"),
    ("db.sqlite", Status.NOT_MIGRATED, None),
    ("embedders.sentence_transformer", Status.MIGRATED, "pkg/agno/embeddings/sentencetransformer"),
    ("embedders.openai", Status.NOT_MIGRATED, None),
    ("chunking.fixed", Status.MIGRATED, "pkg/agno/knowledge"),  # a Go type, not a package
    ("chunking.semantic", Status.NOT_MIGRATED, None),
    ("chunking.sentence", Status.GO_ONLY, "pkg/agno/knowledge"),
    ("readers.pdf", Status.NOT_MIGRATED, None),  # suffix _reader stripped
    ("rerankers.cohere", Status.NOT_MIGRATED, None),
    ("loaders.s3", Status.NOT_MIGRATED, None),
    ("reasoning.openai", Status.MIGRATED, "pkg/agno/reasoning/openai"),
    ("reasoning.groq", Status.NOT_MIGRATED, None),
    ("guardrails.prompt_injection", Status.MIGRATED, "pkg/agno/guardrails"),  # Go file granularity
    ("guardrails.pii", Status.NOT_MIGRATED, None),
    ("os.agentos", Status.MIGRATED, "pkg/agentos"),
    ("os.a2a", Status.MIGRATED, "pkg/agentos/a2a"),
    ("os.health", Status.MIGRATED, "pkg/agentos"),  # explicit go path to a file
    ("os.slack", Status.NOT_MIGRATED, None),
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


@pytest.mark.parametrize(
    ("mid", "ported", "total", "missing", "extra", "notes"),
    [
        ("tools.duckduckgo", 1, 2, ("search_news",), (), "missing 1 of 2 functions: search_news."),
        ("tools.calculator", 2, 2, (), (), None),
        ("tools.eleven_labs", 2, 2, (), ("clone",), None),
    ],
)
def test_coverage(
    matrix: SupportMatrix,
    mid: str,
    ported: int,
    total: int,
    missing: tuple[str, ...],
    extra: tuple[str, ...],
    notes: str | None,
) -> None:
    m = matrix.modules_by_id()[mid]
    assert m.coverage is not None
    assert (m.coverage.ported, m.coverage.total, m.coverage.missing, m.coverage.extra) == (
        ported,
        total,
        missing,
        extra,
    )
    assert m.notes == notes


def test_unknown_and_wont_port_explain_themselves(matrix: SupportMatrix) -> None:
    by = matrix.modules_by_id()
    assert by["tools.mcp"].notes == (
        "Go code exists but function coverage cannot be computed: the baseline toolkit registers its "
        "functions dynamically (none listed in __init__)."
    )
    assert by["tools.broken"].notes == (
        "Go code exists but function coverage cannot be computed: a baseline file does not parse "
        "(see diagnostics)."
    )
    assert by["tools.python"].reason is not None and "Python interpreter" in by["tools.python"].reason
    assert by["models.glm"].python is None


def test_provider_capabilities(matrix: SupportMatrix) -> None:
    caps = {c.name: (c.python, c.go) for c in matrix.modules_by_id()["models.openai"].capabilities}
    assert caps == {
        "streaming": (True, True),
        "tool_calling": (True, True),
        "structured_output": (True, False),
        "embeddings": (True, False),  # an openai embedder exists in the baseline, not in Go
    }
    # The base class's invoke_stream is not evidence for a provider that does not define it.
    gem = {c.name: (c.python, c.go) for c in matrix.modules_by_id()["models.google"].capabilities}
    assert gem["streaming"] == (False, False)
    mis = {c.name: (c.python, c.go) for c in matrix.modules_by_id()["models.mistral"].capabilities}
    assert mis["streaming"] == (False, None)


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
    assert [(d.file, d.line, d.message) for d in matrix.diagnostics] == [
        (f"{LIB}/tools/broken.py", 4, "SyntaxError: invalid syntax"),
        ("pkg/agno/tools/broken/broken.go", 3, "syntax error (tree-sitter-go)"),
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
    """The shipped profile expects ~100 toolkits; a tree with 9 is not a real agno checkout."""
    assert _fail(trees.py, trees.go) == (
        f"{trees.py}: family 'core' has 5 baseline modules, the profile expects at least 10; pass "
        "--python-root with a full agno checkout, or lower families.core.min_expected in agno.toml"
    )


def test_no_runtime_module_is_an_error_not_an_all_red_matrix(trees: Trees, tmp_path: Path) -> None:
    empty_go = tmp_path / "emptygo"
    write(empty_go, {"pkg/other/x.go": "package other\n"})
    assert _fail(trees.py, empty_go, trees.profile) == (
        f"{empty_go}: no runtime module found under pkg/ (0 of 35 modules have Go code); pass --go-root "
        "with an agno-Go checkout (it must contain pkg/agno)"
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
            "{root}: no Python files under libs/agno/agno; pass --python-root with an agno checkout",
        ),
        ("go", None, "{root}: runtime root does not exist; pass --go-root with a checkout that contains pkg"),
        (
            "go",
            {"pkg/README.md": "x"},
            "{root}: no Go files under pkg; pass --go-root with an agno-Go checkout",
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

"""Shared fixtures: a small matrix with recipes, and a small docs tree that checks clean against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from matrix.model import GoRef, Recipe, Status, SupportMatrix
from matrix.sources import Loaded
from tests import factories

GO = "github.com/rexleimo/agno-go"

# A small docs tree written for these tests: every file is clean against MATRIX.
CLEAN_DOCS: dict[str, str] = {
    "index.md": (
        "---\n"
        "go_support: [tools.calculator, tools.duckduckgo]\n"
        "---\n"
        "\n"
        "# Home\n"
        "\n"
        'The calculator {{ module("tools.calculator") }} works in Go.\n'
        "<!-- claim: go-supported tools.calculator -->\n"
        "<!-- claim: not-in-go tools.shell -->\n"
        "{% raw %}{{ module(\"not.a.macro.call\") }}{% endraw %}\n"
    ),
    "not-in-go.md": "# Not yet in Go\n\n{{ module(\"tools.shell\") }}\n",
    "cookbook/calc.md": (
        "---\n"
        "recipe: cookbook/calc.py\n"
        "go_example: cmd/examples/calc\n"
        "---\n"
        "\n"
        '{{ recipe_status("cookbook/calc.py") }}\n'
        "\n"
        '=== "Go"\n'
        "\n"
        "    ```go\n"
        "    package main\n"
        "\n"
        "    import (\n"
        '        "fmt"\n'
        f'        "{GO}/pkg/agno/tools/calculator"\n'
        f'        tk "{GO}/pkg/agno/tools/toolkit"\n'
        "    )\n"
        "    ```\n"
    ),
    "snippets/calc.go": (
        "package main\n"
        "\n"
        "// import \"github.com/rexleimo/agno-go/pkg/agno/tools/shell\" is only a comment\n"
        f'import "{GO}/pkg/agno/tools/duckduckgo/search"\n'
    ),
}


def make_matrix() -> SupportMatrix:
    return factories.matrix(
        factories.module("tools.calculator"),
        factories.module("tools.duckduckgo", Status.PARTIAL, notes="missing: search_news"),
        factories.module("tools.shell", Status.NOT_MIGRATED),
        factories.module("tools.legacy", Status.WONT_PORT, go=GoRef(package="pkg/agno/tools/legacy")),
        factories.module("models.glm", Status.GO_ONLY),
        recipes=(
            Recipe(path="cookbook/calc.py", title="Calc", go_ready=True, modules=("tools.calculator",),
                   go_example="cmd/examples/calc"),
            Recipe(path="cookbook/shell.py", title="Shell", go_ready=False, modules=("tools.shell",),
                   blocked_by=("tools.shell",)),
        ),
    )


@pytest.fixture
def loaded() -> Loaded:
    return Loaded(make_matrix())


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text.encode("utf-8"))
    return root


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean docs tree at ./docs (relative, so findings read ``docs/...``)."""
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "docs", CLEAN_DOCS)
    return Path("docs")


@pytest.fixture
def go_root(tmp_path: Path) -> Path:
    """A tiny runtime tree written here: packages are folders with a .go file."""
    root = tmp_path / "agno-go"
    files = {"go.mod": f"module {GO}\n\ngo 1.24\n"}
    for pkg in ("pkg/agno/tools/calculator", "pkg/agno/tools/toolkit", "pkg/agno/tools/duckduckgo/search",
                "pkg/agno/models/glm", "cmd/examples/calc"):
        files[f"{pkg}/x.go"] = f"package {pkg.rsplit('/', 1)[-1]}\n"
    return write_tree(root, files)

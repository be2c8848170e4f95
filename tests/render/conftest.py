"""Golden files for rendered output: normalise, compare, refresh with ``--update-goldens``.

``pytest tests/render --update-goldens`` (or ``AGNO_UPDATE_GOLDENS=1 pytest``) rewrites the
files under ``tests/data/golden/render/`` instead of comparing; review them with ``git diff``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from matrix.model import Recipe, Status, SupportMatrix
from tests import factories

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "data" / "golden" / "render"

#: A value that would be live HTML, a Markdown table, Jinja and emphasis if it were not escaped.
NASTY = "<script>alert(1)</script> | table | {{ jinja }} {% if x %} *md* _u_ [l](x) `c`"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite golden files under tests/data/golden/ instead of comparing")


def normalise(text: str) -> str:
    """One tag per line, no trailing spaces, one final newline: stable and readable in diffs."""
    text = re.sub(r">\s*<", ">\n<", text.strip())
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    update = bool(request.config.getoption("--update-goldens", default=False)) or os.environ.get(
        "AGNO_UPDATE_GOLDENS", ""
    ) in {"1", "true", "yes"}

    def check(name: str, rendered: str) -> None:
        path = GOLDEN_DIR / name
        actual = normalise(rendered)
        if update or not path.exists():
            if not update:
                pytest.fail(f"{path}: no golden file; run `pytest tests/render --update-goldens`, review it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs; refresh with --update-goldens"

    return check


def with_recipes() -> SupportMatrix:
    """factories.small() plus recipes: go-ready, blocked by one module, blocked by two."""
    base = factories.small()

    def recipe(path: str, modules: tuple[str, ...], go_example: str | None = None) -> Recipe:
        status = {m.id: m.status for m in base.modules}
        blocked = tuple(m for m in modules if not status[m].in_go)
        return Recipe(path=path, title=path.rsplit("/", 1)[-1], modules=modules, go_ready=not blocked,
                      blocked_by=blocked, go_example=go_example)

    recipes = (
        recipe("cookbook/tools/calc.py", ("tools.calculator",), "cmd/examples/calc"),
        recipe("cookbook/tools/search.py", ("tools.calculator", "tools.duckduckgo")),
        recipe("cookbook/tools/shell.py", ("tools.calculator", "tools.shell")),
        recipe("cookbook/tools/shell_again.py", ("tools.shell",)),
        recipe("cookbook/tools/both.py", ("tools.shell", "tools.streamlit")),
        recipe("cookbook/tools/app.py", ("tools.streamlit", "models.mystery")),
    )
    return factories.matrix(*base.modules, recipes=recipes)


def status_of(matrix: SupportMatrix, mid: str) -> Status:
    return matrix.modules_by_id()[mid].status

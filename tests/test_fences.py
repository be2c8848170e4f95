"""``matrix._fences``: the fenced code blocks of a page by CommonMark's rules (check reads them; README
regeneration re-exports them as ``matrix.readme.fences``)."""

# ruff: noqa: E501  (tables of exact cases read better unbroken)

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from matrix import readme
from matrix._fences import Fence, fences

# (case, page text, fences as (open, close, info, code), 1-based lines)
CASES: list[tuple[str, str, list[tuple[int, int, str, str]]]] = [
    ("no fence", "# Title\n\ntext with ``` inside a line\n", []),
    ("backticks with info", "intro\n\n```go title=\"x.go\"\npackage x\n```\n", [(3, 5, 'go title="x.go"', "package x\n")]),
    ("tildes, longer closing", "~~~py\nx = 1\n~~~~\n", [(1, 3, "py", "x = 1\n")]),
    ("never closed: runs to the end", "a\n\n```\nopen\nstill\n", [(3, 5, "", "open\nstill\n")]),
    ("inside a list item", "- item\n\n  ```sh\n  ls\n  ```\n", [(3, 5, "sh", "ls\n")]),
    ("indented by four: read again, dedented", '=== "Go"\n\n    ```golang\n    import "x"\n    ```\n',
     [(3, 5, "golang", 'import "x"\n')]),
    ("an HTML block is no fence", "<div>\n```\nnot code\n```\n</div>\n", []),
    ("CRLF line endings", "a\r\n\r\n```go\r\nx\r\n```\r\n", [(3, 5, "go", "x\n")]),
    ("a lone CR does not end a line", "a\rb\n```\ny\n```\n", [(2, 4, "", "y\n")]),
    ("a byte order mark", "\ufeff```\nz\n```\n", [(1, 3, "", "z\n")]),
    ("two fences", "```a\n1\n```\ntext\n```b\n2\n```\n", [(1, 3, "a", "1\n"), (5, 7, "b", "2\n")]),
]


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[c for c, _, _ in CASES])
def test_fences_by_commonmark(text: str, expected: list[tuple[int, int, str, str]]) -> None:
    assert [(f.open, f.close, f.info, f.code) for f in fences(text)] == expected


@pytest.mark.parametrize(("info", "lang"), [('go title="x.go"', "go"), ("{.go}", "go"), (".Go", "go"), ("", "")])
def test_the_language_word(info: str, lang: str) -> None:
    assert Fence(1, 2, info, "").lang == lang


def test_readme_reexports_the_same_functions() -> None:
    assert readme.fences is fences and readme.Fence is Fence


def test_reading_fences_imports_nothing_of_readme_regeneration() -> None:
    """check reads fences on its first run: only markdown-it, not the model, renderers or the writer."""
    code = ("import sys\nfrom matrix._fences import fences\nassert fences('```\\nx\\n```\\n')\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('matrix') or m in ('msgspec', 'difflib'))))")
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["matrix", "matrix._fences", "matrix.errors"]  # the package imports its errors

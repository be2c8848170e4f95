"""Renderers render: no file is opened while the site's macros run, and no renderer imports file I/O."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from matrix.render import Arg, macros, registry
from matrix.render.site import site_files
from matrix.render.templating import default
from matrix.settings import Settings
from matrix.sources import Loaded, load_site

RENDER = Path(__file__).resolve().parents[2] / "matrix" / "render"
#: Names whose use means reading or writing files (the template loader in templating.py excepted).
_IO_NAMES = {"open", "Path", "pathlib", "os", "io", "shutil", "read_text", "read_bytes", "glob", "iterdir"}

_opened: list[str] | None = None


def _hook(event: str, args: tuple[object, ...]) -> None:
    if _opened is not None and event == "open":
        _opened.append(str(args[0]))


sys.addaudithook(_hook)  # hooks cannot be removed: it records only while a test sets `_opened`


@pytest.fixture(scope="module")
def site_data() -> Loaded:
    return load_site(Settings.from_env(environ={}))


def _calls(data: Loaded) -> Iterator[tuple[str, tuple[object, ...]]]:
    """One call per macro, with arguments from the real snapshot."""
    m = data.matrix
    first = {Arg.MODULE_ID: m.modules[0].id, Arg.FAMILY: m.families[0].id, Arg.RECIPE: m.recipes[0].path,
             Arg.STATUS: "partial", Arg.SNIPPET: "x.py", Arg.SAMPLE: next(iter(data.site.telemetry)),
             Arg.LINK: "x/", Arg.METRIC: "ns/op", Arg.COUNT: 3, Arg.TEXT: "label"}
    for name, macro in registry().items():
        yield name, tuple(first[k] for k in macro.args)


def test_no_file_is_opened_while_the_site_renders(site_data: Loaded) -> None:
    global _opened
    t = default()
    bound = macros(t)
    for name, args in _calls(site_data):  # warm up: templates compile (the loader reads them) once
        bound[name](site_data, *args)
    site_files(t, site_data)
    _opened = []
    try:
        for name, args in _calls(site_data):
            bound[name](site_data, *args)
        site_files(t, site_data)
        opened = list(_opened)
    finally:
        _opened = None
    assert opened == []


@pytest.mark.parametrize("path", sorted(p.name for p in RENDER.glob("*.py") if p.name != "templating.py"))
def test_no_renderer_imports_file_io(path: str) -> None:
    tree = ast.parse((RENDER / path).read_text(encoding="utf-8"))
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    used |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    used |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert used & _IO_NAMES == set(), path


#: An HTML or SVG element tag (opening or closing) inside a string.
_TAG = re.compile(
    r"</?(a|abbr|b|br|code|col|colgroup|dd|details|div|dl|dt|em|fieldset|form|g|h[1-6]|i|img|input|label|"
    r"legend|li|mark|noscript|ol|output|p|pre|rect|script|section|small|span|strong|summary|svg|table|"
    r"tbody|td|text|th|thead|title|tr|ul)\b[^<>]*>", re.I)


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, kinds) and n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}


def test_no_html_tag_literal_in_the_engine_markup_lives_in_templates() -> None:
    found = []
    for path in sorted(RENDER.parent.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                found += [f"{path.relative_to(RENDER.parent.parent)}:{node.lineno}: {m.group()}"
                          for m in _TAG.finditer(node.value)]
    assert found == []

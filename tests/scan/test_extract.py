"""Per-file extractors: cookbook imports, Python classes and toolkit tools, Go declarations."""

from __future__ import annotations

import textwrap

import pytest

from matrix.sources.scan import cookbook, go, python
from matrix.sources.scan.facts import ParseError, PyClass


@pytest.mark.parametrize(
    ("source", "imports"),
    [
        ("from agno.agent import Agent\n", ("agno.agent.Agent",)),
        (
            "from agno.tools.duckduckgo import (\n    DuckDuckGoTools,\n    # comment\n    X as Y,\n)\n",
            ("agno.tools.duckduckgo.DuckDuckGoTools", "agno.tools.duckduckgo.X"),
        ),
        (
            "from agno.models.openai import OpenAIChat, \\\n    OpenAIResponses\n",
            ("agno.models.openai.OpenAIChat", "agno.models.openai.OpenAIResponses"),
        ),
        (
            "import agno.vectordb.pgvector as pg\nimport os, agno.db.sqlite\n",
            ("agno.vectordb.pgvector", "agno.db.sqlite"),
        ),
        ("def f():\n    from agno.team import Team\n", ("agno.team.Team",)),
        ("from agnostic import x\nimport agnostic\nfrom agno_extra import y\n", ()),
        ("from agno import agent\n", ("agno.agent",)),
    ],
)
def test_cookbook_imports(source: str, imports: tuple[str, ...]) -> None:
    assert cookbook.extract(source.encode()).imports == imports


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ('"""Title line.\n\nBody."""\nfrom agno.agent import Agent\n', "Title line."),
        ('#!/usr/bin/env python\n# comment\n\n"""\n==\nReal title\n==\n"""\n', "Real title"),
        ("'''Single'''\n", "Single"),
        ("x = 1\n", ""),
    ],
)
def test_cookbook_title(source: str, title: str) -> None:
    assert cookbook.extract(source.encode()).title == title


def test_cookbook_unparsable_import_is_an_error_with_its_line() -> None:
    facts = cookbook.extract(b"x = 1\n\nfrom agno.agent import (Agent,,)\n")
    assert facts.error == ParseError(3, "SyntaxError in import statement: invalid syntax")
    assert facts.agno is True


TOOLKIT = textwrap.dedent('''
    from agno.tools import Toolkit


    class Base(Toolkit):
        """Docs."""

        flag: bool = True

        def __init__(
            self,
            enable_b: bool = False,
            **kwargs,
        ) -> None:
            tools = [self.a]
            if enable_b:
                tools.append(self.b)
            self.alias = self.a  # an alias is not a new tool
            self.client = self.make_client()
            super().__init__(name="base", tools=tools, **kwargs)

        def a(self) -> str:
            return self.other.a()

        async def b(self) -> str:
            return "b"

        def make_client(self) -> None:
            return None


    class Sub(Base):
        pass


    def helper() -> None:
        pass
''').encode()


def test_python_classes_and_tool_refs() -> None:
    facts = python.extract(TOOLKIT, deep=True)
    assert facts.defines and facts.error is None
    assert facts.class_names == ("Base", "Sub")
    assert facts.classes == (
        PyClass(
            name="Base",
            bases=("Toolkit",),
            methods=("__init__", "a", "b", "make_client"),
            attrs=("flag",),
            true_attrs=("flag",),
            tool_refs=("a", "b"),
        ),
        PyClass(name="Sub", bases=("Base",)),
    )


def test_python_fast_path_agrees_with_full_parse() -> None:
    fast = python.extract(TOOLKIT, deep=True).classes
    full = python._classes_full(TOOLKIT)
    for f, g in zip(fast, full, strict=True):
        assert (f.name, f.bases, set(f.methods), set(f.attrs), set(f.true_attrs)) == (
            g.name,
            g.bases,
            set(g.methods),
            set(g.attrs),
            set(g.true_attrs),
        )
        assert set(f.tool_refs) == {r for r in g.tool_refs if r in g.methods}


@pytest.mark.parametrize(
    ("line", "true_attrs"),
    [
        ("flag = True", ("flag",)),
        ("flag: bool = True  # on", ("flag",)),
        ("flag: bool = False", ()),
        ("flag = Truthy", ()),
        ("flag = None", ()),
    ],
)
def test_class_flags_record_only_a_literal_true(line: str, true_attrs: tuple[str, ...]) -> None:
    source = f"class M(Model):\n    {line}\n\n    def go(self):\n        pass\n".encode()
    for classes in (python.extract(source, deep=True).classes, python._classes_full(source)):
        assert classes[0].attrs == ("flag",) and classes[0].true_attrs == true_attrs


def test_a_column_0_line_inside_a_docstring_does_not_end_the_class() -> None:
    source = (
        b"class T(Toolkit):\n"
        b"    def __init__(self, **kw):\n"
        b"        super().__init__(tools=[self.think, self.analyze], **kw)\n\n"
        b"    def think(self):\n"
        b'        text = f"""\n'
        b"Step 1:\n"
        b'"""\n'
        b"        return text\n\n"
        b"    def analyze(self):\n"
        b"        pass\n"
    )
    fast = python.extract(source, deep=True).classes
    assert fast[0].methods == ("__init__", "think", "analyze")
    assert fast[0].tool_refs == ("think", "analyze")
    assert fast[0].methods == python._classes_full(source)[0].methods


@pytest.mark.parametrize(
    ("source", "defines", "reexport"),
    [
        (b'"""Stub."""\nfrom agno.tools.google.gmail import *  # noqa\n', False, "agno.tools.google.gmail"),
        (b"X = 1\n", False, None),
        (b"def f():\n    pass\n", True, None),
        (b"async def f():\n    pass\n", True, None),
    ],
)
def test_python_stub_detection(source: bytes, defines: bool, reexport: str | None) -> None:
    facts = python.extract(source, deep=True)
    assert (facts.defines, facts.reexport) == (defines, reexport)


def test_python_not_deep_records_names_only() -> None:
    facts = python.extract(TOOLKIT, deep=False)
    assert (facts.class_names, facts.classes) == (("Base", "Sub"), ())


def test_python_syntax_error() -> None:
    facts = python.extract(b"class A(:\n    pass\n", deep=True)
    assert facts.error is not None and facts.error.line == 1


GO = b"""package search

import "x/toolkit"

type Search struct{ *toolkit.Toolkit }

type Config struct{}

type Provider interface{ Name() string }

func New() *Search {
	s := &Search{}
	s.RegisterFunction(&toolkit.Function{
		Name:        "search",
		Description: "d",
	})
	s.RegisterFunction(toolkit.Function{Name: "news"})
	return s
}

func (s *Search) InvokeStream() {}

func (s Search) search() { _ = ToolCalls }
"""


def test_go_facts() -> None:
    facts = go.extract(GO)
    assert facts.package == "search"
    assert facts.types == ("Search", "Config")
    assert facts.interfaces == ("Provider",)
    assert facts.funcs == ("New",)
    assert facts.methods == (("Search", "InvokeStream"), ("Search", "search"))
    assert facts.registered == ("search", "news")
    assert facts.mentions == ("ToolCalls", "InvokeStream")
    assert facts.error is None


def test_go_syntax_error_keeps_what_parsed() -> None:
    facts = go.extract(b"package p\n\ntype A struct{}\n\nfunc B( {\n")
    assert facts.error == ParseError(5, "syntax error (tree-sitter-go)")
    assert facts.package == "p"


def test_go_without_tree_sitter_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from matrix.errors import UsageError

    go._machinery.cache_clear()
    monkeypatch.setitem(sys.modules, "tree_sitter_go", None)
    try:
        with pytest.raises(UsageError) as err:
            go.extract(b"package p\n")
    finally:
        go._machinery.cache_clear()
    assert str(err.value) == (
        "agno-docs compute: cannot read Go files: tree_sitter_go is not installed; pip install tree-sitter "
        "tree-sitter-go (both are dependencies of agno-docs)"
    )


@pytest.mark.parametrize(
    ("name", "symbols", "title"),
    [
        ("duckduckgo", ("DuckDuckGoTools",), "DuckDuckGo"),
        ("pdf", ("PDFReader",), "PDF"),
        ("aws_lambda", ("AWSLambdaTools",), "AWS Lambda"),
        ("google", ("Gemini",), "Google"),  # no class spells the name: title case
        ("google_drive", (), "Google Drive"),
    ],
)
def test_titles(name: str, symbols: tuple[str, ...], title: str) -> None:
    from matrix.sources.scan.assemble import _title

    assert _title(name, symbols) == title

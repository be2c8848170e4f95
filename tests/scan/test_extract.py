"""Per-file extractors: cookbook imports, Python classes and toolkit tools, Go declarations."""

from __future__ import annotations

import ast
import re
import textwrap

import pytest

from matrix.sources.scan import cookbook, go, python
from matrix.sources.scan.facts import (
    DEEP,
    FIELDS,
    IO,
    ROUTES,
    GoConst,
    GoField,
    ParseError,
    PyClass,
    PyFunc,
    PyMethod,
    PyParam,
)
from matrix.sources.scan.rules import GoRules, PyRules


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


def _cpython_says(source: str) -> str:
    """The interpreter's own message for a syntax error (its wording changes between versions)."""
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return exc.msg
    raise AssertionError(f"{source!r} parses")


def test_cookbook_unparsable_import_is_an_error_with_its_line() -> None:
    facts = cookbook.extract(b"x = 1\n\nfrom agno.agent import (Agent,,)\n")
    said = _cpython_says("from agno.agent import (Agent,,)")
    assert facts.error == ParseError(3, f"SyntaxError in import statement: {said}")
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


RULES = PyRules(io=("self.client",), toolkit_arg="tools",
                declared=frozenset({"Config", "tool"}))


def test_python_classes_and_tool_refs() -> None:
    facts = python.extract(TOOLKIT, deep=DEEP | IO, rules=RULES)
    assert facts.defines and facts.error is None
    assert (facts.class_names, facts.class_lines) == (("Base", "Sub"), (5, 32))
    assert facts.funcs == (PyFunc(name="helper", line=36),)
    base, sub = facts.classes
    assert (base.name, base.bases, base.line, base.attrs, base.true_attrs, base.tool_refs) == (
        "Base", ("Toolkit",), 5, ("flag",), ("flag",), ("a", "b")
    )
    assert base.members == (
        PyMethod("__init__", 10, io=True, calls=("make_client",)),  # self.client = ...
        PyMethod("a", 22, io=False, calls=()),
        PyMethod("b", 25, io=False, calls=()),
        PyMethod("make_client", 28, io=False, calls=()),
    )
    assert (sub.name, sub.bases, sub.members) == ("Sub", ("Base",), ())


def test_python_io_follows_the_profile_markers() -> None:
    source = b"class T(Toolkit):\n    def a(self):\n        return self.client.get()\n\n    def b(self):\n        return 1\n"  # noqa: E501
    (cls,) = python.extract(source, deep=DEEP | IO, rules=RULES).classes
    assert [(m.name, m.io) for m in cls.members] == [("a", True), ("b", False)]


def test_python_fast_path_agrees_with_full_parse() -> None:
    fast = python.extract(TOOLKIT, deep=DEEP | IO, rules=RULES).classes
    full = python._classes_full(TOOLKIT, DEEP | IO, RULES)
    for f, g in zip(fast, full, strict=True):
        assert (f.name, f.bases, f.members, set(f.attrs), set(f.true_attrs), f.line) == (
            g.name,
            g.bases,
            g.members,
            set(g.attrs),
            set(g.true_attrs),
            g.line,
        )
        assert set(f.tool_refs) == {r for r in g.tool_refs if r in g.methods}


FIELDS_SOURCE = textwrap.dedent('''
    from dataclasses import dataclass
    from enum import Enum
    from typing import ClassVar, Literal, Optional


    class Mode(str, Enum):
        fast = "fast"
        slow = "slow"


    @dataclass
    class Config:
        """Settings.

        Note: this line is prose, not a field.
        """

        name: str
        mode: Optional[Mode] = None
        level: Literal["low", "high"] = "low"
        registry: ClassVar[dict] = {}
        _private: int = 0


    class Other:
        def __init__(self, *, size: int = 1, kind: Literal["a", "b"] = "a", **kwargs):
            pass


    def tool(*, name: Optional[str] = None, confirm: bool = False):
        pass
''').encode()


def test_python_fields_enum_values_and_keywords() -> None:
    rules = PyRules(declared=frozenset({"Config", "Other", "tool"}))
    facts = python.extract(FIELDS_SOURCE, deep=DEEP | FIELDS, rules=rules)
    mode, config, other = facts.classes
    assert mode.enum_values == ("fast", "slow")
    assert [(p.name, p.line, p.annotation, p.values) for p in config.fields] == [
        ("name", 19, "str", ()),
        ("mode", 20, "Optional[Mode]", ()),
        ("level", 21, 'Literal["low", "high"]', ("low", "high")),
    ]
    assert config.init is None
    assert other.init is not None
    assert [(p.name, p.line, p.values) for p in other.init] == [("size", 27, ()), ("kind", 27, ("a", "b"))]
    assert facts.funcs == (
        PyFunc("tool", 31, (PyParam("name", 31, "Optional[str]"), PyParam("confirm", 31, "bool"))),
    )
    full = python._classes_full(FIELDS_SOURCE, DEEP | FIELDS, rules)

    def brief(cs: tuple[PyClass, ...] | list[PyClass]) -> list[object]:
        return [(c.name, [(p.name, p.line, p.values) for p in c.fields], c.enum_values) for c in cs]

    assert brief(full) == brief(facts.classes)
    assert [p.name for p in full[2].init or ()] == ["size", "kind"]


@pytest.mark.parametrize(
    ("source", "routes"),
    [
        ('@router.get("/agents/{agent_id}")\ndef a():\n    pass\n', [("GET", "/agents/{agent_id}", 1)]),
        (
            'x = 1\n\n@router.post(\n    "/runs",\n    tags=["Runs"],\n)\ndef a():\n    pass\n',
            [("POST", "/runs", 3)],
        ),
        (
            'def f(router, health_endpoint: str = "/health"):\n    @router.get(health_endpoint, x=1)\n    def h():\n'  # noqa: E501
            "        pass\n",
            [("GET", "/health", 2)],
        ),
        (
            'r = APIRouter(prefix="/v2", tags=["x"])\n@r.delete("/items")\ndef d():\n    pass\n',
            [("DELETE", "/v2/items", 2)],
        ),
    ],
)
def test_python_routes(source: str, routes: list[tuple[str, str, int]]) -> None:
    rules = PyRules(
        route=re.compile(
            r"""@\w*router\.(?P<method>get|post|put|patch|delete)\(\s*(?:path\s*=\s*)?"""
            r"""(?:["'](?P<path>[^"']*)["']|(?P<var>[A-Za-z_]\w*)\s*[,)])""", re.S
        ),
        router_prefix=re.compile(r"""APIRouter\([^)]*?\bprefix\s*=\s*["'](?P<prefix>[^"']+)["']"""),
    )
    source = source.replace("@r.delete", "@router.delete")
    facts = python.extract(source.encode(), deep=ROUTES, rules=rules)
    assert [(r.method, r.path, r.line) for r in facts.routes] == routes


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
    for classes in (python.extract(source, deep=True).classes, python._classes_full(source, DEEP, PyRules())):
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
    fast = python.extract(source, deep=DEEP | IO, rules=RULES).classes
    assert fast[0].methods == ("__init__", "think", "analyze")
    assert fast[0].tool_refs == ("think", "analyze")
    assert fast[0].methods == python._classes_full(source, DEEP | IO, RULES)[0].methods


@pytest.mark.parametrize(
    ("source", "defines", "reexport"),
    [
        (b'"""Stub."""\nfrom agno.tools.google.gmail import *  # noqa\n', False, "agno.tools.google.gmail"),
        (b"X = 1\n", False, None),
        (b"def f():\n    pass\n", True, None),
        (b"async def f():\n    pass\n", True, None),
        (b"x = 1\nclass A:\n    pass\n", True, None),
    ],
)
def test_python_stub_detection(source: bytes, defines: bool, reexport: str | None) -> None:
    rules = PyRules(reexport=re.compile(rb"^from[ \t]+(agno(?:\.\w+)+)[ \t]+import", re.M))
    facts = python.extract(source, deep=True, rules=rules)
    assert (facts.defines, facts.reexport) == (defines, reexport)


def test_python_not_deep_records_names_and_lines_only() -> None:
    facts = python.extract(TOOLKIT, deep=False)
    assert (facts.class_names, facts.class_lines, facts.classes) == (("Base", "Sub"), (5, 32), ())
    assert [f.name for f in facts.funcs] == ["helper"]


def test_python_mentions_are_the_words_asked_for() -> None:
    facts = python.extract(b"def f():\n    return tool_calls\n", deep=DEEP, mentions=(b"tool_calls", b"tool_use"))  # noqa: E501
    assert facts.mentions == ("tool_calls",)


def test_python_syntax_error() -> None:
    facts = python.extract(b"class A(:\n    pass\n", deep=True)
    assert facts.error is not None and facts.error.line == 1


GO = b"""//go:build linux && !redis

package search

import (
\t"context"
\t"net/http"

\t"x/toolkit"
)

type Mode string

const (
\tFast Mode = "fast"
\tcount     = 3
)

type Search struct {
\t*toolkit.Toolkit
\tClient *http.Client
\tmode   Mode
}

type Provider interface{ Name() string }

func New() *Search {
\ts := &Search{}
\ts.RegisterFunction(&toolkit.Function{
\t\tName:        "search",
\t\tDescription: "d",
\t\tHandler:     s.search,
\t})
\ts.RegisterFunction(toolkit.Function{Name: "news", Handler: func(ctx context.Context) error {
\t\treturn nil // not implemented
\t}})
\treturn s
}

func (s *Search) InvokeStream(ctx context.Context, q string) {}

// search is a placeholder.
func (s Search) search() { _ = ToolCalls; s.Client.Do(nil); http.Get("https://example.com/x") }
"""

GO_RULES = GoRules(
    io=re.compile(r"\.Do$"),
    stub=re.compile(r"\bplaceholder\b|\bnot implemented\b", re.I),
    canned=re.compile(r"example\.com"),
    registration="""
(call_expression
  function: (selector_expression field: (field_identifier) @_reg)
  arguments: (argument_list [
    (unary_expression operand: (composite_literal body: (literal_value) @fields))
    (composite_literal body: (literal_value) @fields)])
  (#eq? @_reg "RegisterFunction"))
""",
    mentions=(b"ToolCalls", b"InvokeStream", b"ResponseFormat"),
)


def test_go_facts() -> None:
    facts = go.extract(GO, GO_RULES)
    assert facts.package == "search"
    assert facts.build == "linux && !redis"
    assert facts.imports == ("context", "net/http", "x/toolkit")
    assert [(t.name, t.kind, t.line) for t in facts.types] == [
        ("Mode", "other", 12), ("Search", "struct", 19), ("Provider", "interface", 25),
    ]
    assert facts.types[1].fields == (
        GoField("Toolkit", 20, "toolkit.Toolkit"), GoField("Client", 21, "*http.Client"), GoField("mode", 22, "Mode"),  # noqa: E501
    )
    assert facts.types[2].fields == (GoField("Name", 25, ""),)
    assert facts.consts == (GoConst("Fast", 15, "Mode", "fast"), GoConst("count", 16, "", ""))
    assert [(f.name, f.recv, f.line) for f in facts.funcs] == [
        ("New", "", 27), ("InvokeStream", "Search", 40), ("search", "Search", 43),
    ]
    assert facts.funcs[1].params == "(ctx context.Context, q string)"
    search = facts.funcs[2]
    assert (search.markers, search.canned, search.io) == (("placeholder",), "example.com", True)
    assert search.calls == ("Do", "Get")
    assert [(r.name, r.line, r.handler) for r in facts.registered] == [("search", 29, "s.search"), ("news", 34, "")]  # noqa: E501
    news = facts.registered[1]
    assert news.fn is not None and news.fn.markers == ("not implemented",)
    assert facts.mentions == ("ToolCalls", "InvokeStream")
    assert facts.error is None


GIN = b"""package server

func (s *Server) routes() {
\tbase := s.router.Group(s.config.Prefix)
\tif group := s.health(); group != nil {
\t\tgroup.GET("", s.handleHealth)
\t}
\tv1 := base.Group("/api/v1")
\tagents := v1.Group("/agents")
\tagents.POST("/:id/run", s.run)
\ts.router.GET("/docs", s.docs)
}

func (s *Server) other() {
\tagents := s.router.Group("/x")
\tagents.GET("/y", s.y)
}
"""


def test_go_routes_follow_group_variables() -> None:
    rules = GoRules(
        route_group="""
(short_var_declaration
  left: (expression_list . (identifier) @var)
  right: (expression_list . (call_expression
    function: (selector_expression operand: (_) @parent field: (field_identifier) @_m)
    arguments: (argument_list . (_) @prefix)))
  (#eq? @_m "Group"))
""",
        route="""
(call_expression
  function: (selector_expression operand: (_) @recv field: (field_identifier) @method)
  arguments: (argument_list . (interpreted_string_literal) @path . (_) @handler)
  (#match? @method "^(GET|POST)$"))
""",
    )
    facts = go.extract(GIN, rules)
    assert [(r.method, r.path, r.line, r.handler) for r in facts.routes] == [
        ("GET", "{?}", 6, "s.handleHealth"),  # a group the code makes at run time: unknown prefix
        ("POST", "/api/v1/agents/:id/run", 10, "s.run"),
        ("GET", "/docs", 11, "s.docs"),
        ("GET", "/x/y", 16, "s.y"),  # same variable name, another function
    ]
    assert go.extract(GIN, rules, routes=False).routes == ()


CHI = b"""package router

func New(h *Handler) http.Handler {
\tr := chi.NewRouter()
\tr.Get("/healthz", h.health)
\tr.Route("/sessions", func(r chi.Router) {
\t\tr.Get("/", h.list)
\t\tr.Route("/{sessionID}", func(r chi.Router) {
\t\t\tr.Post("/rename", h.rename)
\t\t})
\t})
\treturn r
}
"""


def test_go_routes_in_nested_scopes_under_a_fresh_router() -> None:
    rules = GoRules(
        route="""
(call_expression
  function: (selector_expression operand: (_) @recv field: (field_identifier) @method)
  arguments: (argument_list . (interpreted_string_literal) @path . (_) @handler)
  (#match? @method "^(Get|Post)$"))
""",
        route_scope="""
(call_expression
  function: (selector_expression field: (field_identifier) @_m)
  arguments: (argument_list . (interpreted_string_literal) @prefix . (func_literal) @scope)
  (#eq? @_m "Route"))
""",
        route_roots=re.compile(r"^chi\.NewRouter\("),
    )
    assert [(r.method, r.path, r.line) for r in go.extract(CHI, rules).routes] == [
        ("GET", "/healthz", 5),
        ("GET", "/sessions/", 7),
        ("POST", "/sessions/{sessionID}/rename", 9),
    ]
    # Without route_roots, `r := chi.NewRouter()` is a router of unknown prefix.
    unknown = GoRules(route=rules.route, route_scope=rules.route_scope)
    assert go.extract(CHI, unknown).routes[0].path == "{?}/healthz"


def test_a_bad_profile_query_is_a_one_line_error() -> None:
    from matrix.errors import UsageError

    with pytest.raises(UsageError) as err:
        go.extract(b"package p\n", GoRules(route="(call_expression (nope) @x)"))
    assert str(err.value).startswith("profile: rules.go.route: not a valid tree-sitter query (")
    assert str(err.value).endswith("; fix the profile")


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
        # The name ends inside a word of every class: not its spelling (was "EvalS", "ApprovalS").
        ("evals", ("EvalRunInput", "EvalSchema"), "Evals"),
        ("approvals", ("ApprovalResolve", "ApprovalStatusResponse"), "Approvals"),
        ("traces", ("TraceSearchGroupBy", "TracesRouter"), "Traces"),  # the second one spells it
        ("openai", ("OpenAIChat",), "OpenAI"),
        ("xai", ("xAI",), "xAI"),
    ],
)
def test_titles(name: str, symbols: tuple[str, ...], title: str) -> None:
    from matrix.sources.scan.assemble import _title

    assert _title(name, symbols) == title


@pytest.mark.parametrize(
    "text",
    [
        "self.a()\nmyself.b()\n_self.c()\néself.d()\nx.self.e()\n(self.f(self.g()))\nself.h\nself.i (\n",
        "xself.self.j()\n\tself.k()\n",
        "",
    ],
)
def test_self_calls_read_as_the_word_bounded_regex(text: str) -> None:
    # Literal-led pattern plus a boundary test in Python, for speed: the same matches as ``\bself\.``.
    reference = [(m.start(), m.group(1)) for m in re.finditer(r"\bself\.(\w+)\(", text)]
    assert [(m.start(), m.group(1)) for m in python._self_calls(text)] == reference


@pytest.mark.parametrize(
    ("body", "indent"),
    [
        ("\n    x = 1\n    def __init__(self):\n        pass\n", "    "),
        ("    def __init__(self):\n        pass\n", "    "),  # at the very start
        ("\n    def __init_subclass__(cls):\n        pass\n", "    "),
        ("\n        def __init__(self):\n", "    "),  # deeper: not the class's own
        ("\n\tdef\t__init__(self): ...\n", "\t"),
        ("\n    x = 1\n", "    "),
    ],
)
def test_init_is_found_as_the_anchored_regex_finds_it(body: str, indent: str) -> None:
    ref = re.search(rf"^{indent}def[ \t]+__init__\b", body, re.M)
    assert python._init_at(body, indent) == ((ref.start(), ref.end()) if ref else None)


def test_init_chunk_skips_a_closing_signature_line_and_stops_at_the_next_member() -> None:
    source = textwrap.dedent('''
        class T(Toolkit):
            def __init__(
                self,
                key=None,
            ):
                super().__init__(tools=[self.a, self.b])
            @property
            def c(self):
                return [self.d]

            def a(self):
                return 1

            def b(self):
                return 2

            def d(self):
                return 3
    ''').encode()
    (cls,) = python.extract(source, deep=DEEP | IO, rules=RULES).classes
    assert cls.tool_refs == ("a", "b")

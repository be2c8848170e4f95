"""Per-file facts: what the extractors keep from one file (and what the cache stores).

Extraction is per file and pure (bytes and the profile's extraction rules in, facts out), so a
fact record can be cached by the file's content hash (and the rules' fingerprint) and reused
while both are unchanged. Lines are 1-based; they become the ``Loc`` evidence of units.
"""

from __future__ import annotations

import msgspec

from ...model import Diagnostic, Family, Module, Recipe

#: Bump when an extractor changes what it records: older cache entries are then ignored.
FACTS_VERSION = 16

#: What a library file is read for (a bit set; the cache stores it with the facts).
DEEP = 1
"""Classes with their members (methods, attributes, toolkit tool references)."""
IO = 2
"""Per method: does its body do I/O, which ``self.<method>(`` it calls (toolkits: stub evidence)."""
FIELDS = 4
"""Constructor parameters, dataclass fields and enum values of the classes (and keywords of the
functions) the profile declares as ``fields`` units."""
ROUTES = 8
"""HTTP endpoints declared by router decorators (a Go file: route registrations)."""
REGISTRATIONS = 16
"""A Go file: toolkit function registrations (the profile's registration query)."""


class _F(msgspec.Struct, frozen=True, array_like=True, omit_defaults=True):
    """Compact (array-like) records: the cache stays small and decodes fast."""


class ParseError(_F, frozen=True):
    line: int
    message: str


class PyParam(_F, frozen=True):
    """A constructor parameter, dataclass field or function keyword."""

    name: str
    line: int
    annotation: str = ""
    values: tuple[str, ...] = ()
    """The strings of a ``Literal[...]`` annotation (an enum-like parameter)."""


class PyMethod(_F, frozen=True):
    name: str
    line: int
    io: bool = False
    """Its body contains one of the profile's Python I/O markers (read with ``IO``)."""
    calls: tuple[str, ...] = ()
    """``self.<name>(`` calls in its body (read with ``IO``)."""


class PyClass(_F, frozen=True):
    name: str
    bases: tuple[str, ...] = ()
    members: tuple[PyMethod, ...] = ()
    attrs: tuple[str, ...] = ()
    """Class-level names assigned in the body (``supports_native_structured_outputs = True``)."""
    true_attrs: tuple[str, ...] = ()
    """Those of ``attrs`` assigned the literal ``True`` (flags; the nearest class in the MRO decides)."""
    tool_refs: tuple[str, ...] = ()
    """``self.<name>`` values referenced (not called) in ``__init__``: the toolkit's tools."""
    line: int = 0
    fields: tuple[PyParam, ...] = ()
    """Annotated class-level names (dataclass / pydantic fields), read with ``FIELDS``."""
    init: tuple[PyParam, ...] | None = None
    """Parameters of the class's own ``__init__`` (None: it defines none), read with ``FIELDS``."""
    enum_values: tuple[str, ...] = ()
    """For an ``Enum`` subclass: its members' string values."""

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)


class PyFunc(_F, frozen=True):
    """A public top-level function."""

    name: str
    line: int
    params: tuple[PyParam, ...] = ()
    """Its keywords (union over ``@overload`` variants), read with ``FIELDS`` when declared."""


class PyRoute(_F, frozen=True):
    method: str
    """Upper case: ``GET``, ``POST``..."""
    path: str
    line: int


class PyFacts(_F, frozen=True):
    """A baseline library file."""

    defines: bool = False
    """A top-level ``class`` or ``def`` exists (False: a re-export stub or a constants file)."""
    class_names: tuple[str, ...] = ()
    """Top-level class names (a regular expression; every file that defines something)."""
    reexport: str | None = None
    """For a stub: the first ``agno.*`` module it re-exports from."""
    classes: tuple[PyClass, ...] = ()
    mentions: tuple[str, ...] = ()
    """Profile mention words present in a deep-read file (``tool_calls``, ``stdio``...)."""
    error: ParseError | None = None
    class_lines: tuple[int, ...] = ()
    """The line of each of ``class_names``."""
    funcs: tuple[PyFunc, ...] = ()
    routes: tuple[PyRoute, ...] = ()
    imports: tuple[tuple[str, str, str], ...] = ()
    """``from <module> import <name> [as <local>]`` of capitalised names, as (local, module, name),
    read with ``DEEP``: base classes resolve through them (``class Claude(AnthropicClaude)``)."""
    exports: tuple[tuple[str, str], ...] = ()
    """A package's export table (``__init__.py`` only, see :mod:`.exports`): name -> where it comes
    from (``("DynamoDb", "agno.db.dynamo.DynamoDb")``, ``("Y", ".x.Y")``, ``("*", "agno.x")``)."""


class Use(_F, frozen=True):
    """A call of a name a recipe imports from ``agno`` (:mod:`.cookbook`).

    ``Team(mode=TeamMode.tasks)`` gives ``Use("agno.team.Team")`` (the call) and
    ``Use("agno.team.Team", "mode", "tasks")``; ``@tool(requires_confirmation=True)`` gives
    ``Use("agno.tools.tool", "requires_confirmation")``.
    """

    target: str
    """The callee as the recipe spells it, through its imports (``agno.team.Team``)."""
    keyword: str = ""
    """A keyword argument ("" for the call itself); one set to ``None`` or ``False`` is not recorded."""
    value: str = ""
    """The keyword's value when it names a choice: a plain string (``"tasks"``) or the member of an
    imported name (``TeamMode.tasks`` -> ``tasks``); ``{}`` for a dict literal (or a list starting
    with one); "" otherwise."""


class RecipeFacts(_F, frozen=True):
    """A cookbook recipe."""

    title: str = ""
    imports: tuple[str, ...] = ()
    """Dotted names imported from ``agno`` in code (``agno.tools.duckduckgo.DuckDuckGoTools``)."""
    agno: bool = False
    error: ParseError | None = None
    local: tuple[str, ...] = ()
    """Other imports that may be sibling files (``multi_agent_team.team``, ``.x.y``): not the
    standard library, not ``agno``; the cookbook's file list decides which are local."""
    uses: tuple[Use, ...] = ()
    """Calls of imported ``agno`` names, with their keywords."""
    attrs: tuple[str, ...] = ()
    """Attributes read on imported ``agno`` names, not called (``agno.team.TeamMode.tasks``)."""


class GoFunc(_F, frozen=True):
    """A function or method (or a function literal registered as a handler) and what its body shows."""

    name: str
    line: int
    recv: str = ""
    """Receiver type of a method (``""`` for a function)."""
    params: str = ""
    """The parameter list as written (``(ctx context.Context, req *InvokeRequest)``)."""
    markers: tuple[str, ...] = ()
    """Stub words found in its body's or doc comment's comments and strings (``placeholder``)."""
    canned: str | None = None
    """The first string literal in its body that matches a canned-data pattern (``example.com``)."""
    io: bool = False
    """It calls out directly (a call matching the profile's Go I/O patterns)."""
    calls: tuple[str, ...] = ()
    """Names it calls (the last identifier of each callee), for in-package resolution."""

    @property
    def exported(self) -> bool:
        return self.name[:1].isupper()


class GoField(_F, frozen=True):
    name: str
    line: int
    type: str = ""


class GoType(_F, frozen=True):
    name: str
    line: int
    kind: str = "struct"
    """``struct``, ``interface`` or ``other`` (a named basic type such as ``type Mode string``)."""
    fields: tuple[GoField, ...] = ()
    """Struct fields (embedded ones by their type name), interface methods."""


class GoConst(_F, frozen=True):
    name: str
    line: int
    type: str = ""
    value: str = ""
    """The string value, unquoted (``"coordinate"`` -> ``coordinate``); empty when not a string."""


class GoReg(_F, frozen=True):
    """A registered toolkit function (the profile's registration query)."""

    name: str
    line: int
    handler: str = ""
    """The handler expression as written (``t.webSearch``)."""
    fn: GoFunc | None = None
    """The handler itself when it is a function literal."""


class GoRoute(_F, frozen=True):
    method: str
    path: str
    """Group prefixes resolved where they are string literals (``/api/v1/agents/:id/run``)."""
    line: int
    handler: str = ""


class GoFacts(_F, frozen=True):
    """A runtime Go file (tests are skipped)."""

    package: str = ""
    types: tuple[GoType, ...] = ()
    funcs: tuple[GoFunc, ...] = ()
    consts: tuple[GoConst, ...] = ()
    imports: tuple[str, ...] = ()
    registered: tuple[GoReg, ...] = ()
    routes: tuple[GoRoute, ...] = ()
    mentions: tuple[str, ...] = ()
    """Profile mention words seen in the file (``ToolCalls``, ``ResponseFormat``...)."""
    build: str | None = None
    """The ``//go:build`` constraint, if any."""
    error: ParseError | None = None


class Result(msgspec.Struct, frozen=True):
    """What :func:`~.assemble.assemble` derives from the facts (cached whole for warm runs)."""

    families: tuple[Family, ...]
    modules: tuple[Module, ...]
    recipes: tuple[Recipe, ...]
    diagnostics: tuple[Diagnostic, ...]
    skipped_recipes: int

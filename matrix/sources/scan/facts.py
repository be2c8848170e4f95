"""Per-file facts: what the extractors keep from one file (and what the cache stores).

Extraction is per file and pure (bytes in, facts out), so a fact record can be cached by
the file's content hash and reused while the file is unchanged.
"""

from __future__ import annotations

import msgspec

from ...model import Diagnostic, Family, Module, Recipe

#: Bump when an extractor changes what it records: older cache entries are then ignored.
FACTS_VERSION = 8


class _F(msgspec.Struct, frozen=True, array_like=True, omit_defaults=True):
    """Compact (array-like) records: the cache stays small and decodes fast."""


class ParseError(_F, frozen=True):
    line: int
    message: str


class PyClass(_F, frozen=True):
    name: str
    bases: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    attrs: tuple[str, ...] = ()
    """Class-level names assigned in the body (``supports_native_structured_outputs = True``)."""
    true_attrs: tuple[str, ...] = ()
    """Those of ``attrs`` assigned the literal ``True`` (flags; the nearest class in the MRO decides)."""
    tool_refs: tuple[str, ...] = ()
    """``self.<name>`` values referenced (not called) in ``__init__``: the toolkit's tools."""


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
    """Evidence words present in a deep-read file (``tool_calls``, ``tool_use``...)."""
    error: ParseError | None = None
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
    imported name (``TeamMode.tasks`` -> ``tasks``); "" otherwise."""


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


class GoFacts(_F, frozen=True):
    """A runtime Go file (tests are skipped)."""

    package: str = ""
    types: tuple[str, ...] = ()
    """Struct types declared at top level."""
    interfaces: tuple[str, ...] = ()
    funcs: tuple[str, ...] = ()
    methods: tuple[tuple[str, str], ...] = ()
    """(receiver type, method name)."""
    registered: tuple[str, ...] = ()
    """Names passed to ``RegisterFunction(&toolkit.Function{Name: "..."})``."""
    mentions: tuple[str, ...] = ()
    """Evidence identifiers seen in the file (``ToolCalls``, ``ResponseFormat``...)."""
    error: ParseError | None = None


class Result(msgspec.Struct, frozen=True):
    """What :func:`~.assemble.assemble` derives from the facts (cached whole for warm runs)."""

    families: tuple[Family, ...]
    modules: tuple[Module, ...]
    recipes: tuple[Recipe, ...]
    diagnostics: tuple[Diagnostic, ...]
    skipped_recipes: int


class CachedResult(msgspec.Struct):
    """A :class:`Result` and the key (facts, profile, roots, assembling code) it was made from."""

    key: str
    result: Result

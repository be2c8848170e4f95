"""Cookbook recipes: the title and the ``agno`` imports, without parsing the whole file.

A regular expression finds each ``from agno... import ...`` / ``import agno...`` statement
(including parenthesised and backslash continuations); only those statements go through
``ast.parse``. A statement that does not parse is the recipe's :class:`~.facts.ParseError`.
A file with no ``agno`` import is not a recipe (helpers, settings, data scripts).
"""

from __future__ import annotations

import ast
import re

from .facts import ParseError, RecipeFacts

_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+agno(?:\.[\w.]*)?[ \t]+import[ \t]*(?:\([^)]*\)|(?:[^\n\\]|\\\n)*)"
    rb"|import[ \t]+agno\b(?:[^\n\\]|\\\n)*)",
    re.M,
)
_DOC = re.compile(rb'\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*[rRuU]?("""|\'\'\'|"|\')')


def extract(data: bytes) -> RecipeFacts:
    names: list[str] = []
    error: ParseError | None = None
    for m in _IMPORT.finditer(data):
        stmt = m.group(0).decode("utf-8", "replace").strip()
        try:
            node = ast.parse(stmt).body[0]
        except SyntaxError as exc:
            if error is None:
                line = data.count(b"\n", 0, m.start()) + 1 + max((exc.lineno or 1) - 1, 0)
                error = ParseError(line, f"SyntaxError in import statement: {exc.msg}")
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            names.extend(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.extend(a.name for a in node.names if a.name.split(".")[0] == "agno")
    return RecipeFacts(
        title=_title(data),
        imports=tuple(dict.fromkeys(names)),
        agno=bool(names) or error is not None,
        error=error,
    )


def _title(data: bytes) -> str:
    m = _DOC.match(data)
    if m is None:
        return ""
    quote = m.group(1)
    end = data.find(quote, m.end())
    if end < 0:
        return ""
    for line in data[m.end() : end].decode("utf-8", "replace").splitlines():
        line = line.strip().strip("=-#* ").strip()
        if line:
            return line[:200]
    return ""

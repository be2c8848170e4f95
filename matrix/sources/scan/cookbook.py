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
    for m in _statements(data):
        stmt = m.group(0).strip()
        parsed = _MEMO.get(stmt)
        if parsed is None:
            parsed = _MEMO[stmt] = _parse(stmt)
        if isinstance(parsed, SyntaxError):
            if error is None:
                line = data.count(b"\n", 0, m.start()) + 1 + max((parsed.lineno or 1) - 1, 0)
                error = ParseError(line, f"SyntaxError in import statement: {parsed.msg}")
            continue
        names.extend(parsed)
    return RecipeFacts(
        title=_title(data),
        imports=tuple(dict.fromkeys(names)),
        agno=bool(names) or error is not None,
        error=error,
    )


_PREFIX = re.compile(rb"[ \t]*(?:from|import)[ \t]+\Z")


def _statements(data: bytes) -> list[re.Match[bytes]]:
    """The import statements of ``agno``: ``bytes.find`` hops to each ``agno``, the regex confirms."""
    out: list[re.Match[bytes]] = []
    pos = data.find(b"agno")
    while pos != -1:
        start = data.rfind(b"\n", 0, pos) + 1
        if _PREFIX.match(data, start, pos):
            m = _IMPORT.match(data, start)
            if m is not None:
                out.append(m)
                pos = data.find(b"agno", m.end())
                continue
        pos = data.find(b"agno", pos + 4)
    return out


#: Statement text -> imported names (or its SyntaxError): recipes repeat the same imports a lot.
_MEMO: dict[bytes, tuple[str, ...] | SyntaxError] = {}


def _parse(stmt: bytes) -> tuple[str, ...] | SyntaxError:
    try:
        node = ast.parse(stmt.decode("utf-8", "replace")).body[0]
    except SyntaxError as exc:
        return exc
    if isinstance(node, ast.ImportFrom) and node.module:
        return tuple(f"{node.module}.{a.name}" for a in node.names)
    if isinstance(node, ast.Import):
        return tuple(a.name for a in node.names if a.name.split(".")[0] == "agno")
    return ()


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

"""Runtime Go files, read with tree-sitter-go and one query.

Recorded per file: the package, top-level struct and interface types, functions,
methods (receiver type, name), the names a toolkit registers with
``RegisterFunction(&toolkit.Function{Name: "..."})`` and a few evidence identifiers
(``ToolCalls``, ``ResponseFormat``...). A file with syntax errors still yields what
parsed, plus a :class:`~.facts.ParseError` at the first error node.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ...errors import UsageError
from .facts import GoFacts, ParseError

#: Identifiers whose presence is evidence of a model capability.
EVIDENCE = (b"ToolCalls", b"ResponseFormat", b"JSONSchema", b"InvokeStream", b"Embed")

_QUERY = r"""
(package_clause (package_identifier) @package)
(source_file (type_declaration (type_spec name: (type_identifier) @struct type: (struct_type))))
(source_file (type_declaration (type_spec name: (type_identifier) @iface type: (interface_type))))
(source_file (function_declaration name: (identifier) @func))
(source_file (method_declaration
  receiver: (parameter_list (parameter_declaration type: [
     (type_identifier) @recv
     (pointer_type (type_identifier) @recv)
     (generic_type type: (type_identifier) @recv)
     (pointer_type (generic_type type: (type_identifier) @recv))]))
  name: (field_identifier) @method))
(call_expression
  function: (selector_expression field: (field_identifier) @_reg (#eq? @_reg "RegisterFunction"))
  arguments: (argument_list [
    (unary_expression operand: (composite_literal body: (literal_value
        (keyed_element . (literal_element (identifier) @_k (#eq? @_k "Name"))
                         . (literal_element (interpreted_string_literal) @regname)))))
    (composite_literal body: (literal_value
        (keyed_element . (literal_element (identifier) @_k2 (#eq? @_k2 "Name"))
                         . (literal_element (interpreted_string_literal) @regname))))]))
"""


@lru_cache(maxsize=1)
def _machinery() -> tuple[Any, Any]:
    try:
        import tree_sitter
        import tree_sitter_go
    except ImportError as exc:
        raise UsageError(
            f"cannot read Go files: {exc.name} is not installed",
            where="agno-docs compute",
            hint="pip install tree-sitter tree-sitter-go (both are dependencies of agno-docs)",
        ) from None
    lang = tree_sitter.Language(tree_sitter_go.language())
    return tree_sitter.Parser(lang), tree_sitter.Query(lang, _QUERY)


def extract(data: bytes) -> GoFacts:
    parser, query = _machinery()
    import tree_sitter

    tree = parser.parse(data)
    caps = tree_sitter.QueryCursor(query).captures(tree.root_node)

    def texts(name: str) -> list[str]:
        nodes = sorted(caps.get(name, []), key=lambda n: n.start_byte)
        return [data[n.start_byte : n.end_byte].decode("utf-8", "replace") for n in nodes]

    recv = sorted(caps.get("recv", []), key=lambda n: n.start_byte)
    meth = sorted(caps.get("method", []), key=lambda n: n.start_byte)
    methods = tuple(
        (data[r.start_byte : r.end_byte].decode(), data[m.start_byte : m.end_byte].decode())
        for r, m in zip(recv, meth, strict=False)
    )
    error = None
    if tree.root_node.has_error:
        error = _first_error(tree.root_node)
    pkg = texts("package")
    return GoFacts(
        package=pkg[0] if pkg else "",
        types=tuple(texts("struct")),
        interfaces=tuple(texts("iface")),
        funcs=tuple(texts("func")),
        methods=methods,
        registered=tuple(dict.fromkeys(s.strip('"') for s in texts("regname"))),
        mentions=tuple(e.decode() for e in EVIDENCE if e in data),
        error=error,
    )


def _first_error(root: Any) -> ParseError:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            kind = "missing " + node.type if node.is_missing else "syntax error"
            return ParseError(node.start_point[0] + 1, f"{kind} (tree-sitter-go)")
        if node.has_error:
            stack.extend(reversed(node.children))
    return ParseError(root.start_point[0] + 1, "syntax error (tree-sitter-go)")

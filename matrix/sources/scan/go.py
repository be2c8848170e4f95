"""Runtime Go files, read with tree-sitter-go.

Recorded per file (lines 1-based): the package, the imports, the ``//go:build`` constraint,
top-level types (struct fields, interface methods), constants (with string values), functions
and methods, and for each function body what a stub check needs: stub words and canned data in
its comments, strings and doc comment, whether it calls out, and the names it calls. The
language structure is walked here; everything that is a convention of one runtime (how a
toolkit registers a function, how routes are declared, which calls are I/O, which words mark a
stub, which identifiers are evidence) comes from the profile's rules (:mod:`.rules`). A file
with syntax errors still yields what parsed, plus a :class:`~.facts.ParseError` at the first
error node.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Any

from ...errors import UsageError
from .facts import GoConst, GoFacts, GoField, GoFunc, GoReg, GoRoute, GoType, ParseError
from .rules import GoRules

__all__ = ["GoRules", "extract"]

_BODY_QUERY = r"""
(comment) @text
(interpreted_string_literal) @text
(raw_string_literal) @text
(call_expression function: (_) @callee)
"""

_DECL_QUERY = r"""
(short_var_declaration left: (expression_list . (identifier) @decl) right: (expression_list . (_) @value))
"""

_BUILD = re.compile(rb"^//go:build[ \t]+(.+?)[ \t]*$", re.M)
_NO_RULES = GoRules()


@lru_cache(maxsize=1)
def _machinery() -> tuple[Any, Any, Any, Any]:
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
    return (tree_sitter.Parser(lang), tree_sitter.Query(lang, _BODY_QUERY), lang,
            tree_sitter.Query(lang, _DECL_QUERY))


def _query(rules: GoRules, key: str) -> Any:
    """The profile query ``key`` compiled (once per rules object); a bad query is a UsageError."""
    q = rules.queries.get(key)
    if q is None:
        src = getattr(rules, key)
        if not src:
            return None
        import tree_sitter

        try:
            q = tree_sitter.Query(_machinery()[2], src)
        except Exception as exc:  # tree-sitter raises its own QueryError / NameError subclasses
            raise UsageError(f"not a valid tree-sitter query ({exc})", where=f"profile: rules.go.{key}",
                             hint="fix the profile") from None
        rules.queries[key] = q
    return q


def _text(data: bytes, n: Any) -> str:
    return data[n.start_byte : n.end_byte].decode("utf-8", "replace")


def _unquote(s: str) -> str:
    return s[1:-1] if len(s) >= 2 and s[0] in "\"`" and s[-1] == s[0] else s


class _Bodies:
    """Comments, strings and calls of a file, looked up by byte range."""

    def __init__(self, data: bytes, root: Any, query: Any) -> None:
        import tree_sitter

        caps = tree_sitter.QueryCursor(query).captures(root)
        texts = sorted(caps.get("text", []), key=lambda n: n.start_byte)
        calls = sorted(caps.get("callee", []), key=lambda n: n.start_byte)
        self.data = data
        self.text_starts = [n.start_byte for n in texts]
        self.texts = texts
        self.call_starts = [n.start_byte for n in calls]
        self.calls = calls

    def texts_in(self, start: int, end: int) -> list[Any]:
        i, j = bisect.bisect_left(self.text_starts, start), bisect.bisect_left(self.text_starts, end)
        return self.texts[i:j]

    def calls_in(self, start: int, end: int) -> list[Any]:
        i, j = bisect.bisect_left(self.call_starts, start), bisect.bisect_left(self.call_starts, end)
        return self.calls[i:j]


def _analyse(name: str, recv: str, node: Any, body: Any, doc: list[str], params: str, bodies: _Bodies,
             rules: GoRules) -> GoFunc:
    """What a function's body shows: stub words, canned data, whether it calls out, what it calls."""
    texts = bodies.texts_in(body.start_byte, body.end_byte) if body is not None else []
    markers, canned = _stub_evidence(bodies.data, texts, doc, rules)
    calls = bodies.calls_in(body.start_byte, body.end_byte) if body is not None else []
    io, called = _call_evidence(bodies.data, calls, rules)
    return GoFunc(name=name, line=node.start_point[0] + 1, recv=recv, params=params, markers=tuple(markers),
                  canned=canned, io=io, calls=tuple(called))


def _stub_evidence(data: bytes, texts: list[Any], doc: list[str],
                   rules: GoRules) -> tuple[list[str], str | None]:
    """The stub words in the doc comment, comments and strings; the first canned string literal."""
    stub, canned_re = rules.stub, rules.canned
    if stub is None and canned_re is None:
        return [], None
    canned: str | None = None
    chunks = list(doc)
    for t in texts:
        s = data[t.start_byte : t.end_byte].decode("utf-8", "replace")
        chunks.append(s)
        if canned is None and canned_re is not None and t.type != "comment":
            cm = canned_re.search(s)
            if cm is not None:
                canned = cm.group(0)
    markers: list[str] = []
    if stub is not None:
        for s in chunks:
            for m in stub.finditer(s):
                w = m.group(0).lower()
                if w not in markers:
                    markers.append(w)
    return markers, canned


def _call_evidence(data: bytes, calls: list[Any], rules: GoRules) -> tuple[bool, list[str]]:
    """Whether a call matches the profile's I/O patterns, and the last identifier of every callee."""
    io = False
    called: list[str] = []
    for c in calls:
        if rules.io is not None and not io:
            full = data[c.start_byte : c.end_byte].decode("utf-8", "replace")
            if "\n" in full or " " in full:  # a call chain over several lines
                full = re.sub(r"\s+", "", full)
            io = rules.io.search(full) is not None
        last = _callee_name(data, c)
        if last and last not in called:
            called.append(last)
    return io, called


def _callee_name(data: bytes, c: Any) -> str:
    if c.type == "identifier":
        return data[c.start_byte : c.end_byte].decode()
    if c.type == "selector_expression":
        f = c.child_by_field_name("field")
        return data[f.start_byte : f.end_byte].decode() if f is not None else ""
    return ""


def _recv_type(data: bytes, recv: Any) -> str:
    for p in recv.named_children:
        t = p.child_by_field_name("type")
        while t is not None and t.type in ("pointer_type", "generic_type"):
            t = t.child_by_field_name("type") if t.type == "generic_type" else next(
                (c for c in t.named_children), None)
        if t is not None:
            return _text(data, t)
    return ""


def _type_spec(data: bytes, spec: Any) -> GoType | None:
    name = spec.child_by_field_name("name")
    typ = spec.child_by_field_name("type")
    if name is None or typ is None:
        return None
    line = spec.start_point[0] + 1
    fields: list[GoField] = []
    if typ.type == "struct_type":
        kind = "struct"
        fl = next((c for c in typ.named_children if c.type == "field_declaration_list"), None)
        for fd in fl.named_children if fl is not None else ():
            if fd.type != "field_declaration":
                continue
            ft = fd.child_by_field_name("type")
            tt = _text(data, ft) if ft is not None else ""
            names = [c for c in fd.named_children if c.type == "field_identifier"]
            if names:
                fields.extend(GoField(_text(data, n), n.start_point[0] + 1, tt) for n in names)
            elif tt:  # embedded: named by its type
                fields.append(GoField(tt.lstrip("*").rsplit(".", 1)[-1], fd.start_point[0] + 1, tt))
    elif typ.type == "interface_type":
        kind = "interface"
        for me in typ.named_children:
            if me.type == "method_elem":
                n = me.child_by_field_name("name")
                if n is not None:
                    fields.append(GoField(_text(data, n), n.start_point[0] + 1, ""))
    else:
        kind = "other"
    return GoType(name=_text(data, name), line=line, kind=kind, fields=tuple(fields))


def _consts(data: bytes, decl: Any) -> list[GoConst]:
    out = []
    for spec in decl.named_children:
        if spec.type != "const_spec":
            continue
        typ = spec.child_by_field_name("type")
        val = spec.child_by_field_name("value")
        value = ""
        if val is not None and val.named_children and val.named_children[0].type in (
            "interpreted_string_literal", "raw_string_literal"
        ):
            value = _unquote(_text(data, val.named_children[0]))
        for n in spec.named_children:
            if n.type == "identifier":
                tname = _text(data, typ) if typ else ""
                out.append(GoConst(_text(data, n), n.start_point[0] + 1, tname, value))
    return out


def _imports(data: bytes, decl: Any) -> list[str]:
    out = []
    stack = [decl]
    while stack:
        n = stack.pop()
        if n.type == "import_spec":
            p = n.child_by_field_name("path")
            if p is not None:
                out.append(_unquote(_text(data, p)))
        else:
            stack.extend(reversed(n.named_children))
    return out


def extract(
    data: bytes, rules: GoRules = _NO_RULES, *, routes: bool = True, registrations: bool = True
) -> GoFacts:
    """Facts of one runtime file; ``routes`` / ``registrations`` run the profile's queries for those."""
    parser, body_query, _, _ = _machinery()
    tree = parser.parse(data)
    root = tree.root_node
    bodies = _Bodies(data, root, body_query)
    pkg = ""
    types: list[GoType] = []
    funcs: list[GoFunc] = []
    consts: list[GoConst] = []
    imports: list[str] = []
    doc: list[str] = []
    last_comment_row = -2
    for node in root.children:
        t = node.type
        if t == "comment":
            row = node.start_point[0]
            doc = [*doc, _text(data, node)] if row == last_comment_row + 1 else [_text(data, node)]
            last_comment_row = node.end_point[0]
            continue
        attached = doc if last_comment_row == node.start_point[0] - 1 else []
        doc = []
        if t == "package_clause":
            pkg = _text(data, node.named_children[0]) if node.named_children else ""
        elif t == "import_declaration":
            imports.extend(_imports(data, node))
        elif t == "type_declaration":
            for spec in node.named_children:
                if spec.type == "type_spec":
                    gt = _type_spec(data, spec)
                    if gt is not None:
                        types.append(gt)
        elif t == "const_declaration":
            consts.extend(_consts(data, node))
        elif t in ("function_declaration", "method_declaration"):
            name = node.child_by_field_name("name")
            if name is None:
                continue
            recv = _recv_type(data, node.child_by_field_name("receiver")) if t == "method_declaration" else ""
            params = node.child_by_field_name("parameters")
            funcs.append(_analyse(_text(data, name), recv, node, node.child_by_field_name("body"), attached,
                                  _text(data, params) if params is not None else "", bodies, rules))
    build = None
    head = data[: data.find(b"\npackage ") + 1] if b"\npackage " in data else b""
    bm = _BUILD.search(head)
    if bm is not None:
        build = bm.group(1).decode("utf-8", "replace")
    error = _first_error(root) if root.has_error else None
    return GoFacts(
        package=pkg,
        types=tuple(types),
        funcs=tuple(funcs),
        consts=tuple(consts),
        imports=tuple(imports),
        registered=_registrations(data, root, bodies, rules) if registrations else (),
        routes=_routes(data, root, rules) if routes else (),
        mentions=tuple(w.decode() for w in rules.mentions if w in data),
        build=build,
        error=error,
    )


# --------------------------------------------------------------------------- registrations


def _keyed(data: bytes, lit: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for ke in lit.named_children:
        if ke.type != "keyed_element" or len(ke.named_children) < 2:
            continue
        k, v = ke.named_children[0], ke.named_children[1]
        if k.type == "literal_element" and k.named_children:
            k = k.named_children[0]
        if v.type == "literal_element" and v.named_children:
            v = v.named_children[0]
        out[_text(data, k)] = v
    return out


def _registrations(data: bytes, root: Any, bodies: _Bodies, rules: GoRules) -> tuple[GoReg, ...]:
    q = _query(rules, "registration")
    if q is None:
        return ()
    import tree_sitter

    out: list[GoReg] = []
    seen: set[str] = set()
    for _, caps in tree_sitter.QueryCursor(q).matches(root):
        for lit in caps.get("fields", []):
            kv = _keyed(data, lit)
            nm = kv.get(rules.registration_name)
            if nm is None or nm.type not in ("interpreted_string_literal", "raw_string_literal"):
                continue  # a name computed at run time: not a measurable unit
            name = _unquote(_text(data, nm))
            if not name or name in seen:
                continue
            seen.add(name)
            h = kv.get(rules.registration_handler)
            fn = None
            if h is not None and h.type == "func_literal":
                fn = _analyse(f"{name}<handler>", "", h, h.child_by_field_name("body"), [], "", bodies, rules)
            handler = _text(data, h) if h is not None and fn is None else ""
            out.append(GoReg(name=name, line=lit.start_point[0] + 1, handler=handler, fn=fn))
    return tuple(out)


# --------------------------------------------------------------------------- routes


def _enclosing(funcs: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in funcs:
        if s <= pos < e:
            return s, e
    return (0, 0)


def _routes(data: bytes, root: Any, rules: GoRules) -> tuple[GoRoute, ...]:
    """Route registrations (the profile's ``route`` query), each path under the prefixes it hangs on."""
    rq = _query(rules, "route")
    if rq is None:
        return ()
    import tree_sitter

    found = [caps for _, caps in tree_sitter.QueryCursor(rq).matches(root)
             if caps.get("recv") and caps.get("method") and caps.get("path")]
    if not found:  # most files declare no route: their routers' prefixes are not looked for
        return ()
    prefixes = _RoutePrefixes(data, root, rules)
    out: list[GoRoute] = []
    for caps in found:
        recv, method, path = caps["recv"], caps["method"], caps["path"]
        handler = caps.get("handler")
        at = recv[0].start_byte
        pre = prefixes.of(_text(data, recv[0]), at)
        full = prefixes.scope(at) + ("{?}" if pre is None else pre) + _unquote(_text(data, path[0]))
        line = method[0].start_point[0] + 1
        out.append(GoRoute(method=_text(data, method[0]).upper(), path=full, line=line,
                           handler=_text(data, handler[0]) if handler else ""))
    out.sort(key=lambda r: r.line)
    return tuple(out)


class _RoutePrefixes:
    """Where a router variable hangs: group variables (``v1 := base.Group("/api/v1")``), variables made
    from something else (their prefix cannot be read: ``group := s.GetHealthRouter(path)``, unless the
    value is a fresh router, the profile's ``route_roots``: ``chi.NewRouter()``) and scopes
    (``r.Route("/sessions", func(r chi.Router) {...})``: routes inside get the prefix)."""

    def __init__(self, data: bytes, root: Any, rules: GoRules) -> None:
        import tree_sitter

        self.data = data
        self.ranges = [(n.start_byte, n.end_byte) for n in root.children
                       if n.type in ("function_declaration", "method_declaration")]
        # group variable -> (function range, position, name, parent expression, literal prefix or None)
        self.groups: list[tuple[tuple[int, int], int, str, str, str | None]] = []
        gq = _query(rules, "route_group")
        for _, caps in tree_sitter.QueryCursor(gq).matches(root) if gq is not None else ():
            var, parent, prefix = caps.get("var"), caps.get("parent"), caps.get("prefix")
            if var and parent:
                p = prefix[0] if prefix else None
                literal = p is not None and p.type == "interpreted_string_literal"
                at = var[0].start_byte
                self.groups.append((self._enclosing(at), at, _text(data, var[0]), _text(data, parent[0]),
                                    _unquote(_text(data, p)) if literal else None))
        # other declared variables -> (function range, position, name, is a fresh router)
        self.declared: list[tuple[tuple[int, int], int, str, bool]] = []
        for _, caps in tree_sitter.QueryCursor(_machinery()[3]).matches(root):
            var, value = caps.get("decl"), caps.get("value")
            if var and value:
                roots = rules.route_roots
                is_root = roots is not None and roots.search(_text(data, value[0])) is not None
                at = var[0].start_byte
                self.declared.append((self._enclosing(at), at, _text(data, var[0]), is_root))
        self.scopes: list[tuple[int, int, str]] = []
        sq = _query(rules, "route_scope")
        for _, caps in tree_sitter.QueryCursor(sq).matches(root) if sq is not None else ():
            sp, sb = caps.get("prefix"), caps.get("scope")
            if sp and sb and sp[0].type == "interpreted_string_literal":
                self.scopes.append((sb[0].start_byte, sb[0].end_byte, _unquote(_text(data, sp[0]))))
        self.scopes.sort()

    def _enclosing(self, pos: int) -> tuple[int, int]:
        return _enclosing(self.ranges, pos)

    def scope(self, pos: int) -> str:
        """The prefixes of the scopes around ``pos``, outermost first."""
        return "".join(sc[2] for sc in self.scopes if sc[0] <= pos < sc[1])

    def of(self, expr: str, pos: int, depth: int = 0) -> str | None:
        """The literal prefix of the router ``expr`` used at ``pos`` ("" for a root, None when unknown)."""
        if depth > 8:
            return ""
        rng = self._enclosing(pos)
        best = max((g for g in self.groups if g[0] == rng and g[2] == expr and g[1] < pos),
                   key=lambda g: g[1], default=None)
        if best is None:
            decl = max((d for d in self.declared if d[0] == rng and d[2] == expr and d[1] < pos),
                       key=lambda d: d[1], default=None)
            return None if decl is not None and not decl[3] else ""
        parent = self.of(best[3], best[1], depth + 1)
        return None if parent is None else parent + (best[4] or "")


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

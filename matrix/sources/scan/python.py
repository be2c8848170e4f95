"""Baseline library files: stubs, classes, functions, routes. ``ast`` only on the parts that matter.

``ast.parse`` of the whole library costs seconds, so a file is never parsed whole when a
cheaper read answers the question:

* a stub test (no top-level ``class``/``def``), the class and function names and their lines
  are regular expressions;
* with ``DEEP`` (see :mod:`.facts`), each top-level class header is cut out by indentation and
  parsed with ``ast``; member names (and lines) come from the class body's first indentation
  level, the toolkit's tools from its ``__init__``; with ``IO`` each method body is also
  searched for the profile's I/O markers and ``self.<method>(`` calls; with ``FIELDS`` the
  declared classes' annotated fields and ``__init__`` signature, enum values, and the declared
  functions' signatures are parsed (signatures only); with ``ROUTES`` the profile's router
  decorator regex lists the endpoints.

A class header or signature that does not parse falls back to parsing the whole file; a file
that still does not parse becomes a :class:`~.facts.ParseError` (a diagnostic, never fatal).
"""

from __future__ import annotations

import ast
import bisect
import re
from functools import lru_cache

from . import exports
from .facts import DEEP, FIELDS, IO, ROUTES, ParseError, PyClass, PyFacts, PyFunc, PyMethod, PyParam, PyRoute
from .rules import PyRules

_KEYWORDS = ((b"class ", True), (b"def ", False), (b"async def ", False))
#: A column-0 ``class``/``def`` with its name, on the first line (``match``) or after a newline: one
#: pass over the file (a literal search per keyword read every file three times: 44 ms against 16 ms
#: over the baseline library).
_DEF = rb"(class |def |async def )(\w+)"
_FIRST_DEF = re.compile(_DEF)
_TOPLEVEL = re.compile(rb"\n" + _DEF)
_IS_CLASS = dict(_KEYWORDS)

_NO_RULES = PyRules()


def _toplevel(data: bytes) -> list[tuple[int, bytes, bool]]:
    """(offset, name, is_class) of every column-0 ``class``/``def``, in file order."""
    first = _FIRST_DEF.match(data)
    out = [(0, first.group(2), _IS_CLASS[first.group(1)])] if first is not None else []
    out.extend((m.start(1), m.group(2), _IS_CLASS[m.group(1)]) for m in _TOPLEVEL.finditer(data))
    return out


def extract(data: bytes, *, deep: bool | int, rules: PyRules = _NO_RULES,
            mentions: tuple[bytes, ...] = (), init: bool = False) -> PyFacts:
    """Facts of one library file; ``deep`` is a :mod:`.facts` flag set (``True`` means ``DEEP``);
    ``mentions`` are the words whose presence is recorded (the profile's, for this file); ``init``
    (a package's ``__init__.py``) also records its export table (:mod:`.exports`)."""
    facts = _extract(data, deep=deep, rules=rules, mentions=mentions)
    return _replace(facts, exports=exports.extract(data)) if init else facts


def _extract(data: bytes, *, deep: bool | int, rules: PyRules, mentions: tuple[bytes, ...]) -> PyFacts:
    flags = DEEP if deep is True else int(deep)
    top = _toplevel(data)
    if not top:
        m = rules.reexport.search(data)
        return PyFacts(defines=False, reexport=m.group(1).decode() if m else None)
    lines = _Lines(data)
    names, class_lines = [], []
    funcs: list[PyFunc] = []
    for off, name, is_class in top:
        line = lines.at(off)
        if is_class:
            names.append(name.decode())
            class_lines.append(line)
        elif not name.startswith(b"_"):
            funcs.append(PyFunc(name=name.decode(), line=line))
    routes = _routes(data, rules) if flags & ROUTES and rules.route is not None else ()
    if flags & FIELDS and rules.declared:
        funcs = _declared_funcs(data, funcs, rules.declared)
    base = PyFacts(defines=True, class_names=tuple(names), class_lines=tuple(class_lines), routes=routes,
                   funcs=tuple(_dedupe(funcs)),
                   mentions=tuple(sorted(w.decode() for w in mentions if w in data)))
    if not flags & (DEEP | FIELDS) or not names:
        return base
    base = _replace(base, imports=_imports(data))
    try:
        classes = _classes_fast(data, flags, rules)
    except _Fallback:
        try:
            classes = _classes_full(data, flags, rules)
        except SyntaxError as exc:
            return _replace(base, error=ParseError(exc.lineno or 0, f"SyntaxError: {exc.msg}"))
        except ValueError as exc:
            return _replace(base, error=ParseError(0, f"cannot parse: {exc}"))
    return _replace(base, classes=tuple(classes))


_FROM_IMPORT = re.compile(rb"from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)")


def _imports(data: bytes) -> tuple[tuple[str, str, str], ...]:
    """``(local, module, name)`` of every capitalised name imported with ``from ... import``."""
    out: list[tuple[str, str, str]] = []
    for m in _FROM_IMPORT.finditer(data):
        line_start = data.rfind(b"\n", 0, m.start()) + 1
        if data[line_start : m.start()].strip(b" \t"):
            continue  # not at the start of a line (inside a string or an expression)
        module = m.group(1).decode()
        for part in m.group(2).decode("utf-8", "replace").strip("()").split(","):
            part = part.split("#", 1)[0].strip()
            name, _, local = part.partition(" as ")
            name, local = name.strip(), (local.strip() or name.strip())
            if name[:1].isupper() and name.isidentifier() and local.isidentifier():
                out.append((local, module, name))
    return tuple(out)


def _replace(f: PyFacts, **kw: object) -> PyFacts:
    import msgspec

    return msgspec.structs.replace(f, **kw)


def _dedupe(funcs: list[PyFunc]) -> list[PyFunc]:
    """One entry per name (``@overload`` variants merged: their keywords are unioned)."""
    out: dict[str, PyFunc] = {}
    for f in funcs:
        old = out.get(f.name)
        if old is None:
            out[f.name] = f
        elif f.params:
            known = {p.name for p in old.params}
            more = tuple(p for p in f.params if p.name not in known)
            out[f.name] = PyFunc(old.name, old.line, old.params + more)
    return list(out.values())


class _Lines:
    """Offsets to 1-based line numbers, for offsets visited in increasing order."""

    def __init__(self, data: bytes | str) -> None:
        self.data = data
        self.pos = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.data.count(b"\n" if isinstance(self.data, bytes) else "\n", self.pos, offset)  # type: ignore[arg-type]
        self.pos = offset
        return self.line


class _Fallback(Exception):
    pass


# --------------------------------------------------------------------------- routes


def _routes(data: bytes, rules: PyRules) -> tuple[PyRoute, ...]:
    assert rules.route is not None
    text = data.decode("utf-8", "replace")
    prefix = ""
    if rules.router_prefix is not None:
        pm = rules.router_prefix.search(text)
        if pm is not None:
            prefix = pm.group("prefix")
    lines = _Lines(text)
    out = []
    named = rules.route.groupindex
    for m in rules.route.finditer(text):
        path = m.group("path")
        if path is None and "var" in named and m.group("var"):
            # The path is a variable (``health_endpoint``): its default or assignment in the file.
            d = re.search(rf"\b{re.escape(m.group('var'))}\s*(?::[^=\n]*)?=\s*[\"']([^\"']*)[\"']", text)
            path = d.group(1) if d else None
        if path is None:
            continue
        out.append(PyRoute(method=m.group("method").upper(), path=prefix + path, line=lines.at(m.start())))
    return tuple(out)


# --------------------------------------------------------------------------- signatures


_LITERAL = re.compile(r"Literal\[([^\]]*)\]")
_QUOTED = re.compile(r"""["']([^"']*)["']""")


def _literal_values(annotation: str) -> tuple[str, ...]:
    out: list[str] = []
    for m in _LITERAL.finditer(annotation):
        out.extend(v for v in _QUOTED.findall(m.group(1)) if v not in out)
    return tuple(out)


#: What a ``def`` header's end depends on: a whole string literal (a backslash escapes the next character,
#: newlines included), a comment, a bracket, a colon; a quote that opens no complete string (last).
_SIGNATURE_PART = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|#[^\n]*|[()\[\]{}:]|["']""", re.S)


def _signature_end(text: str, start: int) -> int:
    """The offset just past the ``:`` that ends the ``def`` header starting at ``start`` (a triple
    quote reads as an empty string then a string: the same brackets and colons are inside)."""
    depth = 0
    for m in _SIGNATURE_PART.finditer(text, text.index("(", start)):
        ch = text[m.start()]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == ":" and depth == 0:
            return m.end()
        elif m.end() - m.start() == 1 and ch in "\"'":  # a string that never closes
            break
    raise _Fallback


def _params(text: str, start: int, line: int, skip_self: bool) -> tuple[PyParam, ...]:
    """The parameters of the ``def`` at ``start`` (whose line is ``line``), keywords included."""
    end = _signature_end(text, start)
    header = text[start:end].lstrip()
    try:
        node = ast.parse(header + "\n    pass\n").body[0]
    except SyntaxError:
        raise _Fallback from None
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        raise _Fallback
    return _from_args(node.args, line - 1, skip_self)


def _from_args(args: ast.arguments, line_offset: int, skip_self: bool) -> tuple[PyParam, ...]:
    out: list[PyParam] = []
    allargs = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    for i, a in enumerate(allargs):
        if skip_self and i == 0 and a.arg in ("self", "cls"):
            continue
        if a.arg.startswith("_"):
            continue
        ann = ast.unparse(a.annotation) if a.annotation is not None else ""
        out.append(PyParam(name=a.arg, line=a.lineno + line_offset, annotation=ann,
                           values=_literal_values(ann)))
    return tuple(out)


def _declared_funcs(data: bytes, funcs: list[PyFunc], declared: frozenset[str]) -> list[PyFunc]:
    if not any(f.name in declared for f in funcs):
        return funcs
    text = data.decode("utf-8", "replace")
    out = []
    for f in funcs:
        if f.name not in declared:
            out.append(f)
            continue
        m = re.compile(rf"^(?:async[ \t]+)?def[ \t]+{re.escape(f.name)}\b", re.M)
        params: list[PyParam] = []
        lines = _Lines(text)
        for dm in m.finditer(text):
            try:
                for p in _params(text, dm.start(), lines.at(dm.start()), skip_self=False):
                    if p.name not in {q.name for q in params}:
                        params.append(p)
            except (_Fallback, ValueError):
                continue
        out.append(PyFunc(f.name, f.line, tuple(params)))
    return out


# --------------------------------------------------------------------------- classes (fast path)


# Literal-led patterns (a newline first) instead of ``^`` with re.M: the regex engine then skips
# straight to candidate lines instead of trying every position.
_TOPLEVEL_S = re.compile(r"\n(?=[^\s#)\]}])")
_HEADER_END = re.compile(r"\)\s*:[ \t]*(?:#.*)?$|^class[ \t]+\w+[ \t]*:[ \t]*(?:#.*)?$", re.M)
#: ``self.<name>(`` led by its literal (a leading ``\b`` makes the engine try every position: 18x
#: slower over the library); the word boundary before ``self`` is checked by :func:`_self_calls`.
_SELF_CALL = re.compile(r"self\.(\w+)\(")
_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum"})


def _classes_fast(data: bytes, flags: int, rules: PyRules) -> list[PyClass]:
    text = data.decode("utf-8", "replace")
    out: list[PyClass] = []
    lines = _Lines(text)
    for start in _class_starts(text):
        h = _HEADER_END.search(text, start)
        if h is None:
            raise _Fallback
        nxt = _TOPLEVEL_S.search(text, h.end())
        # A column-0 line inside a triple-quoted string (a dedented f-string, say) is not the end.
        while nxt is not None and _inside_triple_quotes(text, start, nxt.start() + 1):
            nxt = _TOPLEVEL_S.search(text, nxt.start() + 1)
        seg = text[start : nxt.start() + 1 if nxt else len(text)]
        out.append(_one_class(seg, lines.at(start), flags, rules))
    return out


def _class_starts(text: str) -> list[int]:
    """Offsets of the column-0 ``class`` statements, by literal search."""
    out = [0] if text.startswith(("class ", "class\t")) else []
    i = text.find("\nclass")
    while i >= 0:
        if text[i + 6 : i + 7] in (" ", "\t"):
            out.append(i + 1)
        i = text.find("\nclass", i + 1)
    return out


def _inside_triple_quotes(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` leaves a triple-quoted string open (an odd count of one kind)."""
    return text.count('"""', start, end) % 2 == 1 or text.count("'''", start, end) % 2 == 1


_SIMPLE_HEADER = re.compile(r"class[ \t]+(\w+)[ \t]*(?:\(([\w.,\[\] \t]*)\))?[ \t]*:[ \t]*(?:#.*)?$", re.M)


def _header(header: str) -> tuple[str, tuple[str, ...]]:
    """Name and base names of a class header: a regex for plain headers, ``ast`` for the rest."""
    m = _SIMPLE_HEADER.match(header)
    if m is not None and "\n" not in header.strip():
        bases = []
        for b in (m.group(2) or "").split(","):
            b = b.split("[", 1)[0].strip()
            if b:
                bases.append(b.rsplit(".", 1)[-1])
        return m.group(1), tuple(bases)
    try:
        node = ast.parse(header + "\n    pass\n").body[0]
    except SyntaxError:
        raise _Fallback from None
    if not isinstance(node, ast.ClassDef):
        raise _Fallback
    return node.name, _bases(node)


@lru_cache(maxsize=16)
def _member_re(indent: str) -> re.Pattern[str]:
    """A member at the class body's first indentation level: ``def name`` or ``name[: type] = value``."""
    return re.compile(
        rf"\n{indent}(?:(?:async[ \t]+)?def[ \t]+(\w+)"
        rf"|(\w+)[ \t]*(?::([^=\n]*))?(=(?!=)[ \t]*(True\b|[\"'][^\"'\n]*[\"'])?)?)"
    )


@lru_cache(maxsize=16)
def _init_re(indent: str) -> re.Pattern[str]:
    """``def __init__`` at the class body's first indentation level, after a newline (literal-led: the
    engine jumps from line to line, where ``^`` with ``re.M`` tries every position)."""
    return re.compile(rf"\n{indent}def[ \t]+__init__\b")


def _init_at(body: str, indent: str) -> tuple[int, int] | None:
    """Start and end of the first ``^{indent}def __init__`` line of ``body`` (as ``re.M`` reads ``^``)."""
    if body.startswith(indent):
        m = re.compile(rf"{indent}def[ \t]+__init__\b").match(body)
        if m is not None:
            return 0, m.end()
    n = _init_re(indent).search(body)
    return (n.start() + 1, n.end()) if n is not None else None


@lru_cache(maxsize=16)
def _stop_re(indent: str) -> re.Pattern[str]:
    """The line after ``__init__`` that ends it: a member at the body's indentation, or a line less
    indented; its match starts at the newline before it."""
    return re.compile(rf"\n(?:{indent}(?:async[ \t]+def|def|@)[ \t]|{indent[:-1] if indent else ''}\S)")


def _one_class(seg: str, line: int, flags: int, rules: PyRules) -> PyClass:
    m = _HEADER_END.search(seg)
    if m is None:
        raise _Fallback
    header = seg[: m.end()]
    body = seg[m.end() :]
    cname, bases = _header(header)
    indent = _body_indent(body)
    if indent is None:
        return PyClass(name=cname, bases=bases, line=line)
    body_line = line + header.count("\n")
    want_fields = bool(flags & FIELDS) and cname in rules.declared
    is_enum = bool(flags & FIELDS) and bool(_ENUM_BASES & set(bases))
    members: list[PyMethod] = []
    starts: list[int] = []
    attrs: list[str] = []
    true_attrs: list[str] = []
    fields: list[PyParam] = []
    enum_values: list[str] = []
    # One pass over the body's first indentation level: `def name` or `name[: type] = value`.
    # (A newline first, not ``^`` with re.M: the engine then jumps from line to line.)
    member = _member_re(indent)
    lines = _Lines(body)
    quotes = [q.start() for q in re.finditer(r'"""|\'\'\'', body)] if want_fields else []
    for mm in member.finditer(body):
        at = mm.start() + 1  # the line's first character
        if mm.group(1):
            members.append(PyMethod(name=mm.group(1), line=body_line + lines.at(at) - 1))
            starts.append(at)
            continue
        name, ann, assigned, value = mm.group(2), mm.group(3), mm.group(4), mm.group(5)
        if assigned:
            attrs.append(name)
            if value == "True":
                true_attrs.append(name)
            if is_enum and value and value[0] in "\"'" and not name.startswith("_"):
                enum_values.append(value[1:-1])
        if (want_fields and ann is not None and not name.startswith("_") and "ClassVar" not in ann
                and bisect.bisect(quotes, at) % 2 == 0):  # not a docstring line
            ann = ann.strip()
            fields.append(PyParam(name=name, line=body_line + lines.at(at) - 1, annotation=ann,
                                  values=_literal_values(ann)))
    if flags & IO and members:
        members = _method_bodies(body, members, starts, rules)
    refs: tuple[str, ...] = ()
    init_params: tuple[PyParam, ...] | None = None
    init = _init_at(body, indent) if flags & IO or want_fields else None
    if init is not None:
        init_start, init_end = init
        if want_fields:
            init_line = body_line + body.count("\n", 0, init_start)
            init_params = _params(body, init_start, init_line, skip_self=True)
        stop = _stop_re(indent)
        after = body.find("\n", init_end)
        s = stop.search(body, after) if after >= 0 else None
        # A signature closing line (``    ) -> None:``) sits at the class indent: skip it (the line's
        # first character is within its first len(indent) + 1, by the pattern).
        while s is not None and body[s.start() + 1 : s.start() + len(indent) + 2].lstrip().startswith(")"):
            s = stop.search(body, s.end())
        stop_at = s.start() + 1 if s else len(body)
        chunk = body[init_start:stop_at]
        # A toolkit hands its functions to its base (``Toolkit(tools=...)``): only such inits are read.
        if flags & IO and (rules.toolkit_arg is None or rules.toolkit_arg in chunk):
            # Only ``self.<method>`` references count later (they must name a method of the class), so
            # a chunk cut a little long or short cannot invent a tool; no parse is needed here.
            refs = _tool_refs_text(chunk)
    return PyClass(
        name=cname, bases=bases, members=tuple(members), attrs=tuple(attrs),
        true_attrs=tuple(true_attrs), tool_refs=refs, line=line, fields=tuple(fields), init=init_params,
        enum_values=tuple(enum_values),
    )


def _method_bodies(body: str, members: list[PyMethod], starts: list[int], rules: PyRules) -> list[PyMethod]:
    """I/O markers and ``self.<name>(`` calls per method: each found once in the body, then bucketed."""
    markers = rules.io
    calls: dict[int, list[str]] = {}
    for cm in _self_calls(body):
        k = bisect.bisect_right(starts, cm.start()) - 1
        if k >= 0:
            calls.setdefault(k, []).append(cm.group(1))
    out = []
    for i, meth in enumerate(members):
        end = starts[i + 1] if i + 1 < len(starts) else len(body)
        seg = body[starts[i] : end]
        # One substring test per marker (C's fast search): faster than the alternation's one pass,
        # whose first-character set (r, h, u, a, o, s, c, ...) stops the engine almost everywhere.
        io = any(mk in seg for mk in markers)
        own = tuple(dict.fromkeys(c for c in calls.get(i, ()) if c != meth.name))
        out.append(PyMethod(name=meth.name, line=meth.line, io=io, calls=own))
    return out


def _word_before(text: str, pos: int) -> bool:
    r"""Whether ``text[pos - 1]`` is a word character (what ``\b`` tests before a word)."""
    if pos == 0:
        return False
    ch = text[pos - 1]
    return ch == "_" or ch.isalnum()


def _self_calls(text: str) -> list[re.Match[str]]:
    r"""The matches of ``\bself\.(\w+)\(`` in ``text``, in order."""
    return [m for m in _SELF_CALL.finditer(text) if not _word_before(text, m.start())]


_FIRST_CODE = re.compile(r"^([ \t]*)(?=[^\s#])", re.M)


def _body_indent(body: str) -> str | None:
    m = _FIRST_CODE.search(body)
    return (m.group(1) or None) if m is not None else None


def _bases(node: ast.ClassDef) -> tuple[str, ...]:
    out: list[str] = []
    for b in node.bases:
        if isinstance(b, ast.Subscript):
            b = b.value
        if isinstance(b, ast.Name):
            out.append(b.id)
        elif isinstance(b, ast.Attribute):
            out.append(b.attr)
    return tuple(out)


_SELF_REF = re.compile(r"\bself\.(\w+)\b(?!\s*(?:\(|=[^=]|\.|\[))")
_COMMENT = re.compile(r"#[^\n]*")


def _tool_refs_text(snippet: str) -> tuple[str, ...]:
    """``self.<name>`` read as a value (not called, assigned, or dereferenced) in ``__init__``'s text."""
    return tuple(dict.fromkeys(_SELF_REF.findall(_COMMENT.sub("", snippet))))


# --------------------------------------------------------------------------- classes (full parse)


def _tool_refs(fn: ast.AST) -> tuple[str, ...]:
    called: set[int] = set()
    attrs: list[ast.Attribute] = []
    for n in ast.walk(fn):
        if isinstance(n, ast.Call):
            called.add(id(n.func))
        elif isinstance(n, ast.Attribute):
            attrs.append(n)
    refs: list[str] = []
    for n in attrs:
        if (
            isinstance(n.ctx, ast.Load)
            and id(n) not in called
            and isinstance(n.value, ast.Name)
            and n.value.id == "self"
            and n.attr not in refs
        ):
            refs.append(n.attr)
    return tuple(refs)


def _classes_full(data: bytes, flags: int, rules: PyRules) -> list[PyClass]:
    tree = ast.parse(data)
    text = data.decode("utf-8", "replace").splitlines()
    out: list[PyClass] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = _bases(node)
        want_fields = bool(flags & FIELDS) and node.name in rules.declared
        is_enum = bool(flags & FIELDS) and bool(_ENUM_BASES & set(bases))
        members: list[PyMethod] = []
        attrs: list[str] = []
        true_attrs: list[str] = []
        fields: list[PyParam] = []
        enum_values: list[str] = []
        refs: tuple[str, ...] = ()
        init: tuple[PyParam, ...] | None = None
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                io = False
                calls: tuple[str, ...] = ()
                if flags & IO:
                    seg = "\n".join(text[item.lineno - 1 : (item.end_lineno or item.lineno)])
                    io = any(mk in seg for mk in rules.io)
                    named = (c.group(1) for c in _self_calls(seg))
                    calls = tuple(dict.fromkeys(c for c in named if c != item.name))
                members.append(PyMethod(name=item.name, line=item.lineno, io=io, calls=calls))
                if item.name == "__init__":
                    refs = _tool_refs(item)
                    if want_fields:
                        init = _from_args(item.args, 0, skip_self=True)
            elif isinstance(item, ast.Assign):
                names = [t.id for t in item.targets if isinstance(t, ast.Name)]
                attrs.extend(names)
                if _is_true(item.value):
                    true_attrs.extend(names)
                if is_enum and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str):
                    enum_values.extend(item.value.value for n in names if not n.startswith("_"))
            elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                if item.value is not None:
                    attrs.append(item.target.id)
                    if _is_true(item.value):
                        true_attrs.append(item.target.id)
                ann = ast.unparse(item.annotation)
                if want_fields and not item.target.id.startswith("_") and "ClassVar" not in ann:
                    fields.append(PyParam(item.target.id, item.lineno, ann, _literal_values(ann)))
        out.append(
            PyClass(
                name=node.name, bases=bases, members=tuple(members), attrs=tuple(attrs),
                true_attrs=tuple(true_attrs), tool_refs=refs, line=node.lineno, fields=tuple(fields),
                init=init, enum_values=tuple(enum_values),
            )
        )
    return out


def _is_true(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value is True

"""Baseline library files: stubs, classes, toolkit tools. ``ast`` on the parts that matter.

``ast.parse`` of the whole library costs seconds, so a file is never parsed whole when a
cheaper read answers the question:

* a stub test (no top-level ``class``/``def``) is a regular expression;
* for the files of toolkit and provider families (``deep``), each top-level class header
  and its ``__init__`` method are cut out by indentation and parsed with ``ast``; method
  and attribute names come from the class body's first indentation level. A snippet
  that does not parse falls back to parsing the whole file; a file that still does
  not parse becomes a :class:`~.facts.ParseError` (a diagnostic, never fatal).
"""

from __future__ import annotations

import ast
import re

import msgspec

from . import exports
from .facts import ParseError, PyClass, PyFacts

#: Words whose presence in a provider or toolkit file is evidence of a capability.
EVIDENCE = (b"tool_calls", b"tool_use", b"response_format")
_EVIDENCE = re.compile(b"|".join(EVIDENCE))

_DEFINES = re.compile(rb"^(?:class|def|async[ \t]+def)[ \t]", re.M)
_REEXPORT = re.compile(rb"^from[ \t]+(agno(?:\.\w+)+)[ \t]+import", re.M)
_CLASS_NAME = re.compile(rb"^class[ \t]+(\w+)", re.M)


def extract(data: bytes, *, deep: bool, init: bool = False) -> PyFacts:
    """Facts of one library file; ``deep`` also reads its classes (toolkits, providers);
    ``init`` (a package's ``__init__.py``) also records its export table (:mod:`.exports`)."""
    facts = _extract(data, deep=deep)
    return msgspec.structs.replace(facts, exports=exports.extract(data)) if init else facts


def _extract(data: bytes, *, deep: bool) -> PyFacts:
    defines = _DEFINES.search(data) is not None
    if not defines:
        m = _REEXPORT.search(data)
        return PyFacts(defines=False, reexport=m.group(1).decode() if m else None)
    names = tuple(m.group(1).decode() for m in _CLASS_NAME.finditer(data))
    if not deep or not names:
        return PyFacts(defines=True, class_names=names)
    try:
        classes = _classes_fast(data)
    except _Fallback:
        try:
            classes = _classes_full(data)
        except SyntaxError as exc:
            return PyFacts(
                defines=True, class_names=names, error=ParseError(exc.lineno or 0, f"SyntaxError: {exc.msg}")
            )
        except ValueError as exc:
            return PyFacts(defines=True, class_names=names, error=ParseError(0, f"cannot parse: {exc}"))
    mentions = tuple(sorted({m.decode() for m in _EVIDENCE.findall(data)}))
    return PyFacts(defines=True, class_names=names, classes=tuple(classes), mentions=mentions)


class _Fallback(Exception):
    pass


def _classes_fast(data: bytes) -> list[PyClass]:
    text = data.decode("utf-8", "replace")
    out: list[PyClass] = []
    for m in _CLASS_S.finditer(text):
        h = _HEADER_END.search(text, m.start())
        if h is None:
            raise _Fallback
        nxt = _TOPLEVEL_S.search(text, h.end() + 1)
        # A column-0 line inside a triple-quoted string (a dedented f-string, say) is not the end.
        while nxt is not None and _inside_triple_quotes(text, m.start(), nxt.start()):
            nxt = _TOPLEVEL_S.search(text, nxt.start() + 1)
        out.append(_one_class(text[m.start() : nxt.start() if nxt else len(text)]))
    return out


def _inside_triple_quotes(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` leaves a triple-quoted string open (an odd count of one kind)."""
    return text.count('"""', start, end) % 2 == 1 or text.count("'''", start, end) % 2 == 1


_CLASS_S = re.compile(r"^class[ \t]+\w+", re.M)
_TOPLEVEL_S = re.compile(r"^(?=[^\s#)\]}])", re.M)
_HEADER_END = re.compile(r"\)\s*:[ \t]*(?:#.*)?$|^class[ \t]+\w+[ \t]*:[ \t]*(?:#.*)?$", re.M)


def _one_class(seg: str) -> PyClass:
    m = _HEADER_END.search(seg)
    if m is None:
        raise _Fallback
    header = seg[: m.end()]
    body = seg[m.end() :]
    try:
        node = ast.parse(header + "\n    pass\n").body[0]
    except SyntaxError:
        raise _Fallback from None
    if not isinstance(node, ast.ClassDef):
        raise _Fallback
    indent = _body_indent(body)
    if indent is None:
        return PyClass(name=node.name, bases=_bases(node))
    methods: list[str] = []
    attrs: list[str] = []
    true_attrs: list[str] = []
    # One pass over the body's first indentation level: `def name` or `name[: type] = value`.
    member = re.compile(
        rf"^{indent}(?:(?:async[ \t]+)?def[ \t]+(\w+)|(\w+)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*(True\b)?)", re.M
    )
    for mm in member.finditer(body):
        if mm.group(1):
            methods.append(mm.group(1))
        else:
            attrs.append(mm.group(2))
            if mm.group(3):
                true_attrs.append(mm.group(2))
    refs: tuple[str, ...] = ()
    init = re.search(rf"^{indent}def[ \t]+__init__\b", body, re.M)
    if init is not None:
        stop = re.compile(rf"^{indent}(?:async[ \t]+def|def|@)[ \t]|^{indent[:-1] if indent else ''}\S", re.M)
        after = body.index("\n", init.end()) if "\n" in body[init.end() :] else len(body)
        s = stop.search(body, after)
        # A signature closing line (``    ) -> None:``) sits at the class indent: skip it.
        while s is not None and body[s.start() :].lstrip().startswith(")"):
            s = stop.search(body, s.end())
        chunk = body[init.start() : s.start() if s else len(body)]
        if "tools" not in chunk:  # a toolkit hands its functions to Toolkit(tools=...)
            return PyClass(name=node.name, bases=_bases(node), methods=tuple(methods), attrs=tuple(attrs),
                           true_attrs=tuple(true_attrs))
        lines = [ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in chunk.splitlines()]
        snippet = "\n".join(lines)
        try:
            compile(snippet, "<init>", "exec", ast.PyCF_ONLY_AST)  # must be valid Python
        except SyntaxError:
            raise _Fallback from None
        refs = _tool_refs_text(snippet)
    return PyClass(
        name=node.name, bases=_bases(node), methods=tuple(methods), attrs=tuple(attrs),
        true_attrs=tuple(true_attrs), tool_refs=refs,
    )


def _body_indent(body: str) -> str | None:
    for line in body.splitlines():
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)] or None
    return None


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
    """``self.<name>`` read as a value (not called, assigned, or dereferenced) in a parsed snippet."""
    return tuple(dict.fromkeys(_SELF_REF.findall(_COMMENT.sub("", snippet))))


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


def _classes_full(data: bytes) -> list[PyClass]:
    tree = ast.parse(data)
    out: list[PyClass] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        methods: list[str] = []
        attrs: list[str] = []
        true_attrs: list[str] = []
        refs: tuple[str, ...] = ()
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                methods.append(item.name)
                if item.name == "__init__":
                    refs = _tool_refs(item)
            elif isinstance(item, ast.Assign):
                names = [t.id for t in item.targets if isinstance(t, ast.Name)]
                attrs.extend(names)
                if _is_true(item.value):
                    true_attrs.extend(names)
            elif (
                isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.value is not None
            ):
                attrs.append(item.target.id)
                if _is_true(item.value):
                    true_attrs.append(item.target.id)
        out.append(
            PyClass(
                name=node.name, bases=_bases(node), methods=tuple(methods), attrs=tuple(attrs),
                true_attrs=tuple(true_attrs), tool_refs=refs,
            )
        )
    return out


def _is_true(value: ast.expr) -> bool:
    return isinstance(value, ast.Constant) and value.value is True

"""Cookbook recipes: the title, the imports and the uses of ``agno`` names, read from code only.

A recipe's docstring often shows code (``from agno.tools.exa import ExaTools``, ``@tool``), so
nothing is read from strings or comments. Parsing every recipe with ``ast`` costs about 0.6 s
for the cookbook (measured), six times this module; instead:

1. **Code view.** One regular expression (``_NONCODE``) lexes every string literal (any prefix,
   triple or single quotes, escapes, backslash continuations) and comment; they are blanked to
   spaces in a copy of the file with the same offsets. Everything after reads that copy, so a
   match there is code. (Not understood: a PEP 701 f-string nesting its own quote inside a
   replacement field, which the baseline, supporting Python 3.9, cannot use.)
2. **Imports.** Lines that start with ``from`` / ``import`` in the code view; each logical
   statement (brackets balanced, backslash continuations) is parsed with ``ast`` (memoised:
   recipes repeat the same imports). A statement that does not parse is the recipe's
   :class:`~.facts.ParseError`. ``agno`` imports are recorded as dotted names and bind local
   names (``Agent``, ``A`` for ``as A``); other non-standard-library imports are kept as
   possible sibling recipes (``local``).
3. **Uses.** Each bound name is found in the code view (``bytes.find``, identifier boundaries,
   outside import statements) with its attribute chain. A call records its keyword arguments
   (top-level ``name=`` of each comma-separated argument) as :class:`~.facts.Use`; a keyword set
   to ``None`` or ``False`` asks for nothing and is not recorded; a value that is a plain string
   or a member of an imported name (``TeamMode.tasks``) is kept, a dict literal (or a list that
   starts with one: a provider's built-in tool, ``tools=[{"type": ...}]``) as ``{}``. A chain
   that is not called is an attribute read (``attrs``: ``agno.team.TeamMode.tasks``).

On the baseline's 2,153 cookbook files this reads exactly what a full ``ast`` walk reads (imports,
local imports, calls with their keywords and values, attribute reads). :mod:`.recipes` turns
the facts into readiness.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable

from .facts import ParseError, RecipeFacts, Use

#: String literals and comments (see the module docstring, step 1).
_NONCODE = re.compile(
    rb"#[^\n]*"
    rb'|"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    rb'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    rb"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'",
    re.S,
)
_STMT = re.compile(rb"[ \t]*(?:from|import)[ \t]")
_AGNO = re.compile(rb"\bagno\b")
_BRACKETS = re.compile(rb"[()\[\]{}\n]")
#: After a bound name: an attribute chain, then "(" when it is called.
_AFTER = re.compile(rb"((?:[ \t]*\.[ \t]*[A-Za-z_]\w*)*)[ \t]*(\()?")
#: A keyword argument and what its value is: None/False (group "no"), a string literal, blank in
#: the code view (group "str"), a member of a name (``TeamMode.tasks``: "head", "member"), a dict
#: literal or a list that starts with one (group "dict"), else other.
_KW_VALUE = (
    rb"([A-Za-z_]\w*)[ \t]*=(?!=)(?P<v>)\s*"
    rb"(?:(?P<no>(?:None|False)\s*(?=[,)]))|(?P<str>(?=[,)]))"
    rb"|(?P<head>[A-Za-z_]\w*)(?:\s*\.\s*\w+)*\s*\.\s*(?P<member>\w+)\s*(?=[,)])"
    rb"|(?P<dict>\[?\s*\{))?"
)
#: The value recorded for a dict literal (``tools=[{"type": "browser_search"}]``).
DICT_VALUE = "{}"
_FIRST_KEYWORD = re.compile(rb"\s*" + _KW_VALUE)
_ARGUMENT = re.compile(rb"[()]|,\s*" + _KW_VALUE)
_STRING_VALUE = re.compile(rb"\s*[uU]?(['\"])([\w.:/-]+)\1(?:\s|#[^\n]*)*[,)]")
_DOC = re.compile(rb'\A(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*[rRuU]?("""|\'\'\'|"|\')')
_IDENT = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_IDENT_DOT = _IDENT | {0x2E}
#: What may follow a name that is called or read through (``Agent(``, ``agent.run``, ``agent .run``).
_FOLLOW = frozenset(b" \t.(")
_STDLIB = frozenset(sys.stdlib_module_names)
#: ``class X(Base, ...)`` (the bases up to the closing parenthesis), matched where ``class`` is found.
_CLASS_DEF = re.compile(rb"class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)")
#: What precedes an imported class on its line, read backwards from it (short strings, so cheap):
#: ``agent = `` before a call, ``run: `` (``Optional[``) or ``isinstance(e, `` before a plain name.
_BEFORE_CALL = re.compile(rb"[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*")
_BEFORE_TYPE = re.compile(rb"(?:.*[(,])?[ \t]*([A-Za-z_]\w*)[ \t]*:[ \t]*(?:Optional\[[ \t]*)?")
_BEFORE_ISINSTANCE = re.compile(rb".*\bisinstance\([ \t]*([A-Za-z_]\w*)[ \t]*,[ \t]*")
#: The byte just before a class that makes an instance (``= Agent(``, ``x: Agent``, ``(e, Agent)``).
_BEFORE_CLASS = frozenset(b" \t=:[,(")
#: ``name = `` before an instance name that ends its line (``response = event``).
_BEFORE_COPY = re.compile(rb"[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*")
#: ``= name`` or ``=name`` ending its line (blanks after it, as ``bytes.strip`` reads them): a copy
#: of an instance (``response = event``) when what stands before it is ``<name> ``.
_COPY_END = re.compile(rb"=( ?)([A-Za-z_]\w*)[ \t\r\x0b\x0c]*(?:\n|\Z)")
#: Marks an instance in a use's target: ``agno.agent.Agent().run`` is ``run`` called on an Agent.
INSTANCE = "()"


def extract(data: bytes) -> RecipeFacts:
    code = bytearray(_NONCODE.sub(_blank, data))
    imports: list[str] = []
    local: list[str] = []
    bound: dict[str, str] = {}
    error: ParseError | None = None
    pos = code.find(b"import")
    while pos != -1:
        start = code.rfind(b"\n", 0, pos) + 1
        if not _STMT.match(code, start):
            pos = code.find(b"import", pos + 6)
            continue
        end = _logical_end(code, start)
        stmt = data[start:end].strip()
        code[start:end] = b" " * (end - start)  # uses are looked for outside import statements
        pos = code.find(b"import", end)
        parsed = _MEMO.get(stmt)
        if parsed is None:
            parsed = _MEMO[stmt] = _parse(stmt)
        if isinstance(parsed, SyntaxError):
            if error is None and _AGNO.search(stmt):
                line = data.count(b"\n", 0, start) + 1 + max((parsed.lineno or 1) - 1, 0)
                error = ParseError(line, f"SyntaxError in import statement: {parsed.msg}")
            continue
        names, others, binds = parsed
        imports.extend(names)
        local.extend(others)
        bound.update(binds)
    view = bytes(code)
    if bound:
        subclasses = _subclasses(view, bound) if b"class" in view else {}
        imported = set(bound)
        bound.update((k, v) for k, v in subclasses.items() if k not in bound)
        seen: dict[str, set[str]] = {}
        uses, attrs = _uses(data, view, bound, seen, imported - set(subclasses))
        instances = _instances(view, seen, bound)
        if instances:
            held = {k: f"{v}{INSTANCE}" for k, v in instances.items()}
            more_uses, more_attrs = _uses(data, view, held, None, (), values=bound)
            uses = tuple(dict.fromkeys((*uses, *more_uses)))
            attrs = tuple(dict.fromkeys((*attrs, *more_attrs)))
    else:
        uses, attrs = (), ()
    return RecipeFacts(
        title=_title(data),
        imports=tuple(dict.fromkeys(imports)),
        agno=bool(imports) or error is not None,
        error=error,
        local=tuple(dict.fromkeys(local)),
        uses=uses,
        attrs=attrs,
    )


def _subclasses(code: bytes, bound: dict[str, str]) -> dict[str, str]:
    """``class CustomerDBTools(Toolkit)``: a recipe's own subclass of an imported class, called with
    keywords, passes them to that class (``CustomerDBTools(include_tools=...)`` is a Toolkit call)."""
    out: dict[str, str] = {}
    pos = code.find(b"class")
    while pos != -1:
        m = _CLASS_DEF.match(code, pos)
        start = code.rfind(b"\n", 0, pos) + 1
        if m is not None and not code[start:pos].strip():
            for base in m.group(2).decode("ascii", "replace").split(","):
                base = base.strip()
                head, _, rest = base.partition(".")
                if "=" in base or head not in bound:
                    continue
                out[m.group(1).decode()] = bound[head] + (f".{rest}" if rest else "")
                break
        pos = code.find(b"class", pos + 5)
    return out


def _instance_of(code: bytes, pos: int, called: bool) -> str | None:
    """The variable an occurrence of a class at ``pos`` makes an instance, read backwards on its
    line (``agent = Agent(``, ``run: RunOutput``, ``isinstance(event, RunOutput``)."""
    before = code[code.rfind(b"\n", 0, pos) + 1 : pos]
    if called:
        m = _BEFORE_CALL.fullmatch(before)
    elif b"isinstance" in before:
        m = _BEFORE_ISINSTANCE.fullmatch(before)
    elif b":" in before:
        m = _BEFORE_TYPE.fullmatch(before)
    else:
        return None
    return m.group(1).decode() if m is not None else None


def _instances(code: bytes, seen: dict[str, set[str]], bound: dict[str, str]) -> dict[str, str]:
    """Names that hold an instance of an imported class (``seen``, gathered by :func:`_uses`), and
    one plain copy of one (``agent = agent_full``, ``response = event``). A name bound to two
    different classes in the file, or that is an import or a class of the recipe, is left out."""
    # Every `= <name>` / `=<name>` that ends its line, found in one pass (a search per name and
    # spelling over the whole file cost a fifth of this module), then taken name by name as before.
    ends: dict[bytes, list[tuple[int, int]]] = {}
    for cm in _COPY_END.finditer(code):
        ends.setdefault(cm.group(2), []).append((cm.end(1) - cm.start(), cm.start(2)))
    for var, classes in list(seen.items()):
        if len(classes) != 1:
            continue
        needle = var.encode()
        hits = ends.get(needle, ())
        for sep in (2, 1):  # `= <var>`, then `=<var>`
            for width, start in hits:
                if width != sep:
                    continue
                m = _BEFORE_COPY.fullmatch(code, code.rfind(b"\n", 0, start - sep) + 1, start)
                if m is not None and m.group(1) != needle:
                    seen.setdefault(m.group(1).decode(), set()).update(classes)
    return {v: next(iter(c)) for v, c in seen.items() if len(c) == 1 and v not in bound}


def _blank(m: re.Match[bytes]) -> bytes:
    return b" " * (m.end() - m.start())


def _logical_end(code: bytearray, start: int) -> int:
    """End of the logical line starting at ``start`` in the code view (brackets, ``\\`` joins)."""
    depth = 0
    pos = start
    while True:
        m = _BRACKETS.search(code, pos)
        if m is None:
            return len(code)
        ch = code[m.start()]
        pos = m.end()
        if ch == 0x0A:  # newline
            if depth == 0 and code[m.start() - 1] != 0x5C:  # not after a backslash
                return m.start()
        elif ch in b"([{":
            depth += 1
        elif depth:
            depth -= 1


_Parsed = tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]
#: Statement text -> (agno names, other names, bound names) or its SyntaxError.
_MEMO: dict[bytes, _Parsed | SyntaxError] = {}


def _parse(stmt: bytes) -> _Parsed | SyntaxError:
    try:
        body = ast.parse(stmt.decode("utf-8", "replace")).body
    except SyntaxError as exc:
        return exc
    names: list[str] = []
    others: list[str] = []
    binds: dict[str, str] = {}
    for node in body:
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level == 0 and (mod == "agno" or mod.startswith("agno.")):
                for a in node.names:
                    if a.name == "*":
                        names.append(mod)
                        continue
                    names.append(f"{mod}.{a.name}")
                    binds[a.asname or a.name] = f"{mod}.{a.name}"
            elif node.level or mod.split(".")[0] not in _STDLIB:
                prefix = "." * node.level + mod
                sep = "." if mod else ""
                others.extend(f"{prefix}{sep}{a.name}" for a in node.names if a.name != "*")
        elif isinstance(node, ast.Import):
            for a in node.names:
                top = a.name.split(".")[0]
                if top == "agno":
                    names.append(a.name)
                    if a.asname:
                        binds[a.asname] = a.name
                    else:  # `import agno.x.y` binds `agno`
                        binds["agno"] = "agno"
                elif top not in _STDLIB:
                    others.append(a.name)
    return tuple(names), tuple(others), binds


def _uses(
    data: bytes, code: bytes, bound: dict[str, str], seen: dict[str, set[str]] | None,
    classes: Iterable[str], values: dict[str, str] | None = None,
) -> tuple[tuple[Use, ...], tuple[str, ...]]:
    """Calls (with keywords) and attribute reads of the ``bound`` names; for the imported
    ``classes``, the variables holding an instance go into ``seen`` (:func:`_instance_of`).

    The hot loop of this module (one pass per name, tens of thousands of occurrences over the
    cookbook): an occurrence followed by none of ``_FOLLOW`` is neither a call nor a chain, and
    only a class that may make an instance (``x: Agent``, ``isinstance(e, Agent)``) reads it further."""
    uses: dict[Use, None] = {}
    attrs: dict[str, None] = {}
    instantiable = set(classes)
    names = values if values is not None else bound
    n = len(code)
    find, after_at = code.find, _AFTER.match
    for name, dotted in bound.items():
        track = seen is not None and name in instantiable
        passed = dotted.endswith(INSTANCE)  # an instance passed around: its calls and reads count
        needle = name.encode()
        width = len(needle)
        pos = find(needle)
        while pos != -1:
            end = pos + width
            if (pos and code[pos - 1] in _IDENT_DOT) or (end < n and code[end] in _IDENT):
                pos = find(needle, end)  # part of a longer name or chain
                continue
            if not track and (end == n or code[end] not in _FOLLOW):
                pos = find(needle, end)  # a bare name (an argument, an assignment's value)
                continue
            after = after_at(code, end)
            assert after is not None  # the pattern matches the empty string
            chain, called = after.group(1, 2)
            if not chain:
                target = dotted
            elif b" " in chain or b"\t" in chain:
                target = dotted + b"".join(chain.split()).decode()
            else:
                target = dotted + chain.decode()
            if (track and code[pos - 1 if pos else 0] in _BEFORE_CLASS
                    and target.rsplit(".", 1)[-1][:1].isupper()):
                var = _instance_of(code, pos, bool(called))
                if var is not None:
                    seen.setdefault(var, set()).add(target)  # type: ignore[union-attr]
            if not chain and passed:
                pass
            elif called:
                uses[Use(target)] = None
                for kw, value in _keywords(data, code, after.end() - 1, names):
                    uses[Use(target, kw, value)] = None
            elif chain:
                attrs[target] = None
            pos = find(needle, end)
    return tuple(uses), tuple(attrs)


def _close(code: bytes, open_pos: int) -> int:
    """Position of the parenthesis that closes the one at ``open_pos`` (end of file if none)."""
    depth = 1
    pos = open_pos + 1
    while True:
        close = code.find(b")", pos)
        if close == -1:
            return len(code)
        depth += code.count(b"(", pos, close) - 1
        if depth == 0:
            return close
        pos = close + 1


def _keywords(data: bytes, code: bytes, open_pos: int, bound: dict[str, str]) -> list[tuple[str, str]]:
    """``(keyword, value)`` of each ``name=value`` argument of the call whose ``(`` is at ``open_pos``.

    A keyword can only stand directly inside call parentheses, so nested parentheses are skipped
    whole and what remains is this call's own arguments, up to its ``)`` (one pass: finding the
    ``)`` first, then the keywords before it, read the arguments twice).
    """
    out: list[tuple[str, str]] = []
    m = _FIRST_KEYWORD.match(code, open_pos + 1)
    pos = open_pos + 1
    while True:
        if m is None:
            m = _ARGUMENT.search(code, pos)
            if m is None:  # no ")": the call runs to the end of the file
                return out
        kw, _, no, blank, head, member, dict_ = m.groups()  # one call: each group() is one more
        if kw is None:  # a parenthesis
            if code[m.start()] == 0x29:  # ")": the call's own
                return out
            pos = _close(code, m.start()) + 1  # a nested "(": skip to its end
        else:
            pos = m.end()
            if no is None:
                value = ""
                if blank is not None:  # a string literal, blank in the code view
                    sv = _STRING_VALUE.match(data, m.start("v"))
                    value = sv.group(2).decode() if sv is not None else ""
                elif head is not None and head.decode() in bound:
                    value = member.decode()
                elif dict_ is not None:
                    value = DICT_VALUE
                out.append((kw.decode(), value))
        m = None


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

"""Measured units: what a baseline module offers, and which of it the runtime really has.

One function per unit kind (the profile declares the kind per family or module):

``functions``     toolkit functions: the tools a baseline toolkit hands to ``Toolkit(tools=...)``
                  against the names the runtime registers (profile registration query);
``capabilities``  profile-declared capabilities, each with a Python and a Go marker;
``endpoints``     ``METHOD /path`` from router decorators against the runtime's routes (group
                  prefixes followed, profile prefixes stripped, parameters written ``{}``);
``groups``        capability groups of a store: a group is present on a side when one of its
                  method names matches the group's pattern;
``fields``        constructor parameters / fields of declared classes (``Agent.knowledge``) and
                  the values of enum-typed ones (``Team.mode=tasks``), keywords of declared
                  functions (``tool(requires_confirmation)``), against Go struct fields,
                  methods and typed constants;
``symbols``       public classes and functions against exported Go types and functions.

Every unit carries its evidence (:class:`~matrix.model.Loc` on each side); a Go counterpart
that :func:`~.stubs.verdict` finds to be a stub is a ``stub`` unit and never counts as ported.
Names match exactly, then normalised (case, ``_`` and ``-`` ignored), then through the
family's ``unit_aliases`` (``"<module>.<unit>" = "<Go spelling>"``).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from ...model import Capability, Coverage, Loc, Unit, UnitKind, UnitState
from ...profiles import CapabilitySpec, ClassSpec, GroupSpec, Marker
from .facts import GoFacts, GoFunc, GoRoute, GoType, PyClass, PyFacts
from .stubs import Packages, verdict


def norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


# --------------------------------------------------------------------------- the two sides


@dataclass
class PySide:
    """The baseline files of one module and the library-wide class index."""

    lib: str
    """The library root relative to the checkout (``libs/agno/agno``)."""
    files: list[str]
    facts: Mapping[str, PyFacts]
    classes: dict[str, list[tuple[str, PyClass]]]
    base: frozenset[str]

    def loc(self, rel: str, line: int | None) -> Loc:
        return Loc(path=f"{self.lib}/{rel}", line=line or None)

    def module_classes(self) -> list[tuple[str, PyClass]]:
        return [(rel, c) for rel in self.files for c in self.facts[rel].classes]

    def resolve(self, name: str, near: str) -> tuple[str, PyClass] | None:
        """The class a name means in file ``near``: through its imports, else the nearest definition."""
        imports = self.facts[near].imports if near in self.facts else ()
        imported = next(((mod, orig) for local, mod, orig in imports if local == name), None)
        if imported is not None:
            mod, orig = imported
            cands = self.classes.get(orig)
            if cands:
                path = mod.split(".", 1)[1].replace(".", "/") if "." in mod else ""
                for rel, c in cands:
                    if rel == f"{path}.py" or rel.startswith(f"{path}/"):
                        return rel, c
            name = orig
        cands = self.classes.get(name)
        if not cands:
            return None
        folder = posixpath.dirname(near)
        for rel, c in cands:
            if rel == near:
                return rel, c
        for rel, c in cands:
            if posixpath.dirname(rel) == folder:
                return rel, c
        return cands[0]

    def mro(self, cls: PyClass, rel: str) -> list[tuple[str, PyClass]]:
        """The class and its resolvable bases, breadth first, stopping at the family's base classes."""
        out: list[tuple[str, PyClass]] = []
        todo = [(rel, cls)]
        seen: set[tuple[str, str]] = set()  # (file, name): two classes may share a name (Claude)
        while todo:
            r, c = todo.pop(0)
            if (r, c.name) in seen or c.name in self.base:
                continue
            seen.add((r, c.name))
            out.append((r, c))
            for b in c.bases:
                res = self.resolve(b, r)
                if res is not None:
                    todo.append(res)
        return out


@dataclass
class GoSide:
    """The runtime files of one module (counting ones only: build-excluded files are left out)."""

    files: list[str]
    facts: Mapping[str, GoFacts]
    pkgs: Packages
    type_name: str | None = None

    def loc(self, rel: str, line: int | None) -> Loc:
        return Loc(path=rel, line=line or None)

    def funcs(self) -> Iterable[tuple[str, GoFunc]]:
        for rel in self.files:
            for fn in self.facts[rel].funcs:
                if self.type_name is None or fn.recv == self.type_name or (
                    not fn.recv and fn.name == f"New{self.type_name}"
                ):
                    yield rel, fn

    def methods(self) -> Iterable[tuple[str, GoFunc]]:
        """Methods of concrete types, and interface methods (as bodiless functions)."""
        for rel, fn in self.funcs():
            if fn.recv:
                yield rel, fn
        for rel, t in self.types():
            if t.kind == "interface":
                for f in t.fields:
                    yield rel, GoFunc(name=f.name, line=f.line, recv=t.name)

    def types(self) -> Iterable[tuple[str, GoType]]:
        for rel in self.files:
            for t in self.facts[rel].types:
                if self.type_name is None or t.name == self.type_name:
                    yield rel, t

    def mentions(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for rel in self.files:
            for m in self.facts[rel].mentions:
                out.setdefault(m, rel)
        return out

    def stub(
        self, rel: str, fn: GoFunc, *, python_io: bool = False, stub_calls: Iterable[str] = ()
    ) -> str | None:
        return verdict(fn, posixpath.dirname(rel), self.pkgs, python_io=python_io, stub_calls=stub_calls)

    def handler(self, rel: str, expr: str) -> tuple[str, GoFunc] | None:
        """The function a handler expression (``t.webSearch``) names, in the package of ``rel``."""
        name = expr.rsplit(".", 1)[-1].strip()
        folder = posixpath.dirname(rel)
        fn = self.pkgs.find(folder, name)
        if fn is None:
            return None
        for f in self.pkgs.files.get(folder, ()):
            if fn in self.facts[f].funcs:
                return f, fn
        return rel, fn


# --------------------------------------------------------------------------- results


@dataclass
class Measured:
    """Units of one module, or why they cannot be measured."""

    kind: UnitKind
    units: list[Unit] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    extra_stubs: dict[str, str] = field(default_factory=dict)
    """Go-only units that are stubs, and what gives them away (said in the notes)."""
    unknown: str | None = None
    """Why the units cannot be compared (the status is then ``unknown``)."""
    capabilities: tuple[Capability, ...] = ()
    go_files: list[str] = field(default_factory=list)
    """Runtime files that hold matched units (for kinds whose Go side is not one package)."""

    def coverage(self) -> Coverage:
        missing = tuple(u.name for u in self.units if u.state is UnitState.MISSING)
        stubs = tuple(u.name for u in self.units if u.state is UnitState.STUB)
        ported = sum(1 for u in self.units if u.state is UnitState.PORTED)
        return Coverage(ported=ported, total=len(self.units), missing=missing, stubs=stubs,
                        extra=tuple(self.extra), kind=self.kind, units=tuple(self.units))


def _unit(name: str, py: Loc | None, go: Loc | None = None, go_name: str | None = None,
          stub: str | None = None, note: str | None = None) -> Unit:
    if go is None:
        return Unit(name=name, state=UnitState.MISSING, python=py, note=note)
    if stub is not None:
        return Unit(name=name, state=UnitState.STUB, python=py, go=go, go_name=go_name,
                    note=stub + (f"; {note}" if note else ""))
    return Unit(name=name, state=UnitState.PORTED, python=py, go=go, go_name=go_name, note=note)


def _lookup(name: str, alias: str | None, candidates: Mapping[str, object]) -> str | None:
    """The candidate key ``name``'s alias matches, else ``name`` itself: exact, then normalised
    (an alias for a spelling one runtime release uses does not hide the name in another)."""
    for want in (alias, name) if alias else (name,):
        if want in candidates:
            return want
        n = norm(want)
        hit = next((k for k in candidates if norm(k) == n), None)
        if hit is not None:
            return hit
    return None


# --------------------------------------------------------------------------- functions


def _python_io(owner: list[tuple[str, PyClass]], name: str) -> bool:
    """Does the baseline method (or a ``self.`` method it calls) do I/O?"""
    methods = {m.name: m for _, k in reversed(owner) for m in k.members}
    seen: set[str] = set()
    todo = [name]
    while todo:
        n = todo.pop()
        if n in seen or n not in methods:
            continue
        seen.add(n)
        m = methods[n]
        if m.io:
            return True
        todo.extend(m.calls)
    return False


def is_toolkit(py: PySide, cls: PyClass, rel: str, marker: str) -> bool:
    todo, seen = [(rel, cls)], set[tuple[str, str]]()
    while todo:
        r, c = todo.pop()
        if (r, c.name) in seen:
            continue
        seen.add((r, c.name))
        if marker in c.bases:
            return True
        todo.extend(res for b in c.bases if (res := py.resolve(b, r)) is not None)
    return False


def _toolkit_tools(py: PySide, toolkit_base: str) -> tuple[list[tuple[str, Loc, bool]], bool]:
    """The functions the module's toolkits register (name, where, does it do I/O), and whether the
    module defines a toolkit class at all."""
    tools: list[tuple[str, Loc, bool]] = []
    found = False
    for rel, c in py.module_classes():
        if not is_toolkit(py, c, rel, toolkit_base):
            continue
        found = True
        mro = py.mro(c, rel)
        defs = {m.name: (r, m.line) for r, k in reversed(mro) for m in k.members}
        for _, k in mro:
            for ref in k.tool_refs:
                if ref in defs and ref not in {t[0] for t in tools}:
                    r, line = defs[ref]
                    tools.append((ref, py.loc(r, line), _python_io(mro, ref)))
    return tools, found


def _no_tools(py: PySide, found: bool, toolkit_base: str) -> str:
    """Why no toolkit function could be listed."""
    if any(py.facts[f].error is not None for f in py.files):
        return "a baseline file does not parse (see diagnostics)"
    if not found:
        return f"the baseline module defines no {toolkit_base} class"
    return "the baseline toolkit registers its functions dynamically (none listed in __init__)"


def functions(py: PySide, go: GoSide | None, module: str, aliases: Mapping[str, str],
              toolkit_base: str) -> Measured:
    out = Measured(kind=UnitKind.FUNCTIONS)
    tools, found = _toolkit_tools(py, toolkit_base)
    if not tools:
        out.unknown = _no_tools(py, found, toolkit_base)
        return out
    if go is None:
        out.units = [_unit(n, loc) for n, loc, _ in tools]
        return out
    regs = {r.name: (rel, r) for rel in go.files for r in go.facts[rel].registered}
    if not regs:
        out.unknown = "the Go code registers no functions the profile's registration query finds"
        return out
    matched: set[str] = set()
    for name, loc, pio in tools:
        hit = _lookup(name, aliases.get(f"{module}.{name}"), regs)
        if hit is None:
            out.units.append(_unit(name, loc))
            continue
        matched.add(hit)
        rel, reg = regs[hit]
        stub = _reg_stub(go, rel, reg, pio)
        out.units.append(_unit(name, loc, go.loc(rel, reg.line), hit if hit != name else None, stub))
    for n, (rel, reg) in regs.items():
        if n not in matched:
            stub = _reg_stub(go, rel, reg, False)
            out.extra.append(n)
            if stub:
                out.extra_stubs[n] = stub
    return out


def _reg_stub(go: GoSide, rel: str, reg: object, python_io: bool) -> str | None:
    fn = getattr(reg, "fn", None)
    if fn is not None:
        return go.stub(rel, fn, python_io=python_io)
    h = go.handler(rel, getattr(reg, "handler", ""))
    if h is None:
        return None
    return go.stub(h[0], h[1], python_io=python_io)


# --------------------------------------------------------------------------- capabilities


# One finder per marker kind and side: each returns the first evidence a pattern matches, or None.
# A marker's kinds are tried in a fixed order (methods, functions, classes, flags / fields and
# registrations, mentions), and within a kind its patterns in the profile's order.


def _py_method(py: PySide, r: re.Pattern[str]) -> Loc | None:
    for rel, c in py.module_classes():
        for r2, k in py.mro(c, rel):
            m = next((m for m in k.members if r.fullmatch(m.name)), None)
            if m is not None:
                return py.loc(r2, m.line)
    return None


def _py_function(py: PySide, r: re.Pattern[str]) -> Loc | None:
    for rel in py.files:
        f = next((f for f in py.facts[rel].funcs if r.fullmatch(f.name)), None)
        if f is not None:
            return py.loc(rel, f.line)
    return None


def _py_class(py: PySide, r: re.Pattern[str]) -> Loc | None:
    for rel in py.files:
        pf = py.facts[rel]
        for name, line in zip(pf.class_names, pf.class_lines or (0,) * len(pf.class_names), strict=False):
            if r.fullmatch(name):
                return py.loc(rel, line)
    return None


def _py_flag(py: PySide, r: re.Pattern[str]) -> Loc | None:
    """The nearest class that sets a flag decides (False overrides True)."""
    for rel, c in py.module_classes():
        for r2, k in py.mro(c, rel):
            hit = next((a for a in k.attrs if r.fullmatch(a)), None)
            if hit is not None:
                if hit in k.true_attrs:
                    return py.loc(r2, k.line)
                break
    return None


def _py_marker(py: PySide, mk: Marker) -> Loc | None:
    """Where the baseline module shows the marker, or None."""
    finders: tuple[tuple[Iterable[str], Callable[[PySide, re.Pattern[str]], Loc | None]], ...] = (
        (mk.methods, _py_method), (mk.functions, _py_function), (mk.classes, _py_class),
        (mk.flags, _py_flag),
    )
    for patterns, find in finders:
        for rx in patterns:
            loc = find(py, re.compile(rx))
            if loc is not None:
                return loc
    for word in mk.mentions:
        for rel in py.files:
            if word in py.facts[rel].mentions:
                return py.loc(rel, None)
    return None


_GoEvidence = tuple[Loc, str, str | None]
"""(where, Go spelling, stub note)."""
_GoFinder = Callable[[GoSide, re.Pattern[str], Marker], _GoEvidence | None]


def _go_method(go: GoSide, r: re.Pattern[str], mk: Marker) -> _GoEvidence | None:
    sig = re.compile(mk.signature) if mk.signature else None
    for rel, fn in go.methods():
        if r.fullmatch(fn.name) and (sig is None or sig.search(fn.params)):
            stub = go.stub(rel, fn, stub_calls=mk.stub_calls)
            return go.loc(rel, fn.line), f"{fn.recv}.{fn.name}" if fn.recv else fn.name, stub
    return None


def _go_function(go: GoSide, r: re.Pattern[str], mk: Marker) -> _GoEvidence | None:
    sig = re.compile(mk.signature) if mk.signature else None
    for rel, fn in go.funcs():
        if not fn.recv and r.fullmatch(fn.name) and (sig is None or sig.search(fn.params)):
            return go.loc(rel, fn.line), fn.name, go.stub(rel, fn, stub_calls=mk.stub_calls)
    return None


def _go_class(go: GoSide, r: re.Pattern[str], _mk: Marker) -> _GoEvidence | None:
    for rel, t in go.types():
        if r.fullmatch(t.name):
            return go.loc(rel, t.line), t.name, None
    return None


def _go_field(go: GoSide, r: re.Pattern[str], _mk: Marker) -> _GoEvidence | None:
    for rel, t in go.types():
        for f in t.fields:
            if r.fullmatch(f.name):
                return go.loc(rel, f.line), f"{t.name}.{f.name}", None
    return None


def _go_registered(go: GoSide, r: re.Pattern[str], _mk: Marker) -> _GoEvidence | None:
    for rel in go.files:
        for reg in go.facts[rel].registered:
            if r.fullmatch(reg.name):
                found = (rel, reg.fn) if reg.fn is not None else go.handler(rel, reg.handler)
                stub = go.stub(found[0], found[1]) if found is not None else None
                return go.loc(rel, reg.line), reg.name, stub
    return None


def _go_marker(go: GoSide, mk: Marker) -> _GoEvidence | None:
    """(where, Go spelling, stub note) of the first runtime evidence of the marker."""
    finders: tuple[tuple[Iterable[str], _GoFinder], ...] = (
        (mk.methods, _go_method), (mk.functions, _go_function), (mk.classes, _go_class),
        (mk.fields, _go_field), (mk.registered, _go_registered),
    )
    for patterns, find in finders:
        for rx in patterns:
            hit = find(go, re.compile(rx), mk)
            if hit is not None:
                return hit
    mentions = go.mentions()
    for word in mk.mentions:
        if word in mentions:
            return go.loc(mentions[word], None), word, None
    return None


def capabilities(py: PySide, go: GoSide | None, caps: Mapping[str, CapabilitySpec]) -> Measured:
    out = Measured(kind=UnitKind.CAPABILITIES)
    report: list[Capability] = []
    for name, spec in caps.items():
        if spec.from_family is not None:
            continue  # filled in by the caller once that family is measured
        ploc = _py_marker(py, spec.python)
        g = _go_marker(go, spec.go) if go is not None and not spec.go.empty else None
        report.append(Capability(name=name, python=ploc is not None,
                                 go=(g is not None and g[2] is None) if go is not None else None))
        if ploc is None:
            continue
        if g is None:
            out.units.append(_unit(name, ploc))
        else:
            out.units.append(_unit(name, ploc, g[0], g[1], g[2], spec.note))
    out.capabilities = tuple(report)
    return out


# --------------------------------------------------------------------------- endpoints

_PARAM = re.compile(r"\{[^}]*\}|(?<=/):[A-Za-z_]\w*|(?<=/)\*[A-Za-z_]\w*")


def norm_path(path: str, strip: Iterable[str]) -> str:
    for p in sorted(strip, key=len, reverse=True):
        if path == p or path.startswith(p.rstrip("/") + "/"):
            path = path[len(p.rstrip("/")) :]
            break
    path = _PARAM.sub("{}", path)
    if len(path) > 1:
        path = path.rstrip("/")
    return path or "/"


@dataclass
class RoutePool:
    """The runtime's routes of one family, normalised: ``"POST /agents/{}/run"`` -> [(file, route)]."""

    routes: dict[str, list[tuple[str, GoRoute]]]
    by_handler: dict[str, list[tuple[str, GoRoute]]]
    strip: tuple[str, ...] = ()


def route_pool(go_files: Iterable[str], facts: Mapping[str, GoFacts], strip: Iterable[str]) -> RoutePool:
    routes: dict[str, list[tuple[str, GoRoute]]] = {}
    by_handler: dict[str, list[tuple[str, GoRoute]]] = {}
    strip = tuple(strip)
    for rel in go_files:
        for r in facts[rel].routes:
            key = f"{r.method} {norm_path(r.path, strip)}"
            routes.setdefault(key, []).append((rel, r))
            if r.handler:
                by_handler.setdefault(r.handler.rsplit(".", 1)[-1], []).append((rel, r))
    return RoutePool(routes, by_handler, strip)


def endpoints(py: PySide, pool: RoutePool, pkgs: Packages, go_facts: Mapping[str, GoFacts], module: str,
              aliases: Mapping[str, str], strip: Iterable[str], own: Iterable[str] = ()) -> Measured:
    """``own``: the module's Go files when the profile names them (its unmatched routes are extra)."""
    out = Measured(kind=UnitKind.ENDPOINTS)
    pool_strip = pool.strip
    seen: set[str] = set()
    firsts: set[str] = set()
    matched: set[str] = set()
    for rel in py.files:
        for r in py.facts[rel].routes:
            name = f"{r.method} {norm_path(r.path, strip)}"
            if name in seen:
                continue
            seen.add(name)
            firsts.add(name.split(" ", 1)[1].split("/")[1] if "/" in name else "")
            ploc = py.loc(rel, r.line)
            alias = aliases.get(f"{module}.{name}")
            hits: list[tuple[str, GoRoute]] = []
            if alias is not None and alias.startswith("handler:"):
                hits = pool.by_handler.get(alias.removeprefix("handler:"), [])
            else:
                key = alias or name
                if alias is not None:
                    m, _, p = alias.partition(" ")
                    key = f"{m} {norm_path(p, ())}"
                hits = pool.routes.get(key, [])
            if not hits:
                out.units.append(_unit(name, ploc))
                continue
            grel, groute = hits[0]
            matched.add(f"{groute.method} {norm_path(groute.path, pool_strip)}")
            go_name = f"{groute.method} {groute.path}"
            if "{?}" in groute.path:  # mounted under a prefix set at run time
                shown = groute.path.replace("{?}", "<configured path>")
                go_name = f"{groute.method} {shown} ({groute.handler})"
            side = GoSide([grel], go_facts, pkgs)
            h = side.handler(grel, groute.handler) if groute.handler else None
            stub = side.stub(h[0], h[1]) if h is not None else None
            out.units.append(_unit(name, ploc, Loc(path=grel, line=groute.line), go_name, stub))
            if grel not in out.go_files:
                out.go_files.append(grel)
    # Go routes the module does not match: those of its own Go files (registered there, or handled
    # by a function there) when the profile names them, else those under the same first segment.
    own_files = set(own)
    for key, hits in pool.routes.items():
        first = key.split(" ", 1)[1].split("/")[1] if "/" in key else ""
        if key in matched:
            continue  # the same endpoint served twice (two servers): matched already
        for grel, gr in hits:
            spelled = f"{gr.method} {gr.path}"
            if spelled in out.extra:
                continue
            if own_files:
                h = GoSide([grel], go_facts, pkgs).handler(grel, gr.handler) if gr.handler else None
                mine = grel in own_files or (h is not None and h[0] in own_files)
            else:
                mine = bool(first) and first in firsts
            if mine:
                out.extra.append(spelled)
    return out


# --------------------------------------------------------------------------- groups


def groups(py: PySide, go: GoSide | None, specs: Mapping[str, GroupSpec]) -> Measured:
    out = Measured(kind=UnitKind.GROUPS)
    methods: list[tuple[str, int, str]] = []
    for rel, c in py.module_classes():
        for r2, k in py.mro(c, rel):
            methods.extend((r2, m.line, m.name) for m in k.members)
    gmethods = list(go.methods()) if go is not None else []
    for name, g in specs.items():
        rx = re.compile(g.python)
        hit = next(((r, line) for r, line, n in methods if rx.fullmatch(n)), None)
        if hit is None:
            continue
        ploc = py.loc(*hit)
        if go is None:
            out.units.append(_unit(name, ploc))
            continue
        grx = re.compile(g.go)
        ghits = [(rel, fn) for rel, fn in gmethods if grx.fullmatch(fn.name)]
        if not ghits:
            out.units.append(_unit(name, ploc, note=g.note))
            continue
        notes = [go.stub(rel, fn) for rel, fn in ghits]
        real = [h for h, s in zip(ghits, notes, strict=True) if s is None]
        rel, fn = (real or ghits)[0]
        spelled = ", ".join(dict.fromkeys(f.name for _, f in ghits))
        stub = None if real else notes[0]
        out.units.append(_unit(name, ploc, go.loc(rel, fn.line), spelled, stub, g.note))
    return out


# --------------------------------------------------------------------------- fields


_CAPWORD = re.compile(r"\b([A-Z]\w*)\b")
#: A parameter holding several values (``events_to_skip: Optional[List[RunEvent]]``): a filter, whose
#: enum members are no settings of their own (one unit for the parameter, not one per member).
_CONTAINER = re.compile(r"^\s*(?:Optional\[\s*)?(?:typing\.)?(?:List|Set|FrozenSet|Sequence|Iterable|Tuple|"
                        r"Dict|Mapping|list|set|frozenset|tuple|dict)\b")


def _enum_values(py: PySide, rel: str, annotation: str, literal: tuple[str, ...]) -> tuple[str, ...]:
    if literal:
        return literal
    for name in _CAPWORD.findall(annotation):
        res = py.resolve(name, rel)
        if res is not None and res[1].enum_values:
            return res[1].enum_values
    return ()


def _find_class(py: PySide, name: str) -> tuple[str, PyClass] | None:
    for rel, c in py.module_classes():
        if c.name == name:
            return rel, c
    for rel, c in py.classes.get(name, ()):
        if rel in set(py.files):
            return rel, c
    return None


@dataclass(frozen=True)
class _Param:
    """A constructor parameter, field or function keyword on the baseline side."""

    name: str
    line: int
    annotation: str
    values: tuple[str, ...]
    """Literal values the annotation spells out (``Literal["a", "b"]``)."""
    rel: str


def _py_params(py: PySide, spec: ClassSpec) -> list[_Param] | None:
    """The parameters of the declared function or class, or None when the module does not define it."""
    if spec.function:
        fns = ((rel, f) for rel in py.files for f in py.facts[rel].funcs if f.name == spec.python)
        hit = next(fns, None)
        if hit is None:
            return None
        return [_Param(p.name, p.line, p.annotation, p.values, hit[0]) for p in hit[1].params]
    found = _find_class(py, spec.python)
    if found is None:
        return None
    rel, cls = found
    # The constructor's parameters are the API where the class defines one; else its fields.
    src = cls.init if cls.init is not None else cls.fields
    return [_Param(p.name, p.line, p.annotation, p.values, rel) for p in src]


@dataclass
class _GoMembers:
    """Exported fields and methods of the declared Go types, by name and by ``Type.name``."""

    fields: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # -> (file, line, type)
    methods: dict[str, tuple[str, GoFunc]] = field(default_factory=dict)


def _go_members(go: GoSide, spec: ClassSpec) -> _GoMembers:
    out = _GoMembers()
    types = {t.name: (rel, t) for rel, t in go.types() if t.name in spec.go}
    for tname in spec.go:  # in the profile's order: the config struct first
        if tname not in types:
            continue
        rel, t = types[tname]
        for f in t.fields:
            if f.name[:1].isupper():
                out.fields.setdefault(f.name, (rel, f.line, f.type))
                out.fields.setdefault(f"{t.name}.{f.name}", (rel, f.line, f.type))
    for rel, fn in go.funcs():
        if fn.recv in spec.go and fn.exported:
            out.methods.setdefault(fn.name, (rel, fn))
            out.methods.setdefault(f"{fn.recv}.{fn.name}", (rel, fn))
    return out


def _field_unit(go: GoSide | None, members: _GoMembers, unit: str, name: str, alias: str | None,
                ploc: Loc) -> tuple[Unit, str]:
    """The unit of one parameter, and the Go type of the field it matches (``""`` when none)."""
    if go is None:
        return _unit(unit, ploc), ""
    hit_f = _lookup(name, alias, members.fields)
    if hit_f is not None:
        frel, fline, gtype = members.fields[hit_f]
        return _unit(unit, ploc, go.loc(frel, fline), hit_f), gtype
    # A method stands in only where the profile says so (a flag named like a method is no match).
    hit_m = _lookup(alias, None, members.methods) if alias is not None else None
    if hit_m is not None:
        mrel, mfn = members.methods[hit_m]
        return _unit(unit, ploc, go.loc(mrel, mfn.line), hit_m, go.stub(mrel, mfn)), ""
    return _unit(unit, ploc), ""


def _value_units(values: tuple[str, ...], unit: str, ploc: Loc, consts: Mapping[str, tuple[str, int]],
                 module: str, aliases: Mapping[str, str]) -> list[Unit]:
    """One unit per enum value (``Team.mode=tasks``) against the Go type's typed constants."""
    out: list[Unit] = []
    for v in values:
        vunit = f"{unit}={v}"
        hit = _lookup(v, aliases.get(f"{module}.{vunit}"), consts) if consts else None
        if hit is None:
            out.append(_unit(vunit, ploc))
        else:
            crel, cline = consts[hit]
            out.append(_unit(vunit, ploc, Loc(path=crel, line=cline), hit if hit != v else None))
    return out


def fields(py: PySide, go: GoSide | None, classes: Iterable[ClassSpec], module: str,
           aliases: Mapping[str, str], go_consts: Callable[[str], dict[str, tuple[str, int]]]) -> Measured:
    out = Measured(kind=UnitKind.FIELDS)
    missing_classes: list[str] = []
    for spec in classes:
        params = _py_params(py, spec)
        if params is None:
            missing_classes.append(spec.python)
            continue
        members = _go_members(go, spec) if go is not None else _GoMembers()
        for p in params:
            if p.name in spec.exclude:
                continue
            unit = (spec.unit or "{cls}.{name}").format(cls=spec.python, name=p.name)
            ploc = py.loc(p.rel, p.line)
            u, gtype = _field_unit(go, members, unit, p.name, aliases.get(f"{module}.{unit}"), ploc)
            out.units.append(u)
            values = () if _CONTAINER.match(p.annotation) else _enum_values(py, p.rel, p.annotation, p.values)
            if values:
                consts = go_consts(gtype.lstrip("*[]").rsplit(".", 1)[-1]) if gtype else {}
                out.units.extend(_value_units(values, unit, ploc, consts, module, aliases))
    if missing_classes and not out.units:
        out.unknown = f"the baseline module does not define {', '.join(missing_classes)}"
    return out


# --------------------------------------------------------------------------- symbols


def symbols(py: PySide, go: GoSide | None, module: str, aliases: Mapping[str, str]) -> Measured:
    out = Measured(kind=UnitKind.SYMBOLS)
    names: list[tuple[str, Loc, bool]] = []
    seen: set[str] = set()
    for rel in py.files:
        pf = py.facts[rel]
        lines = pf.class_lines or (0,) * len(pf.class_names)
        for n, line in zip(pf.class_names, lines, strict=False):
            if not n.startswith("_") and n not in seen:
                seen.add(n)
                names.append((n, py.loc(rel, line), True))
        for f in pf.funcs:
            if f.name not in seen:
                seen.add(f.name)
                names.append((f.name, py.loc(rel, f.line), False))
    # A class matches an exported Go type, a function an exported Go function (never across kinds).
    gtypes: dict[str, tuple[str, int, GoFunc | None]] = {}
    gfuncs: dict[str, tuple[str, int, GoFunc | None]] = {}
    if go is not None:
        for rel, t in go.types():
            if t.name[:1].isupper():
                gtypes.setdefault(t.name, (rel, t.line, None))
        for rel, gfn in go.funcs():
            if gfn.exported and not gfn.recv:
                gfuncs.setdefault(gfn.name, (rel, gfn.line, gfn))
    for n, ploc, is_class in names:
        pool = gtypes if is_class else gfuncs
        hit = _lookup(n, aliases.get(f"{module}.{n}"), pool) if go is not None else None
        if hit is None or go is None:
            out.units.append(_unit(n, ploc))
            continue
        rel, line, fn = pool[hit]
        stub = go.stub(rel, fn) if fn is not None else None
        out.units.append(_unit(n, ploc, go.loc(rel, line), hit if hit != n else None, stub))
    return out

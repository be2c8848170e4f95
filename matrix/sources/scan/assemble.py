"""From per-file facts and the profile to modules, statuses, coverage and recipes.

Status derivation (never typed by hand except ``wont_port`` from the profile):

* no Go code                                   -> ``not_migrated``
* Go code, every baseline toolkit function     -> ``migrated`` (non-toolkits: Go code present)
* Go code, some toolkit functions missing      -> ``partial`` ("missing 3 of 5 functions: a, b, c")
* Go code with no baseline counterpart         -> ``go_only`` (id uses the Go name)
* toolkit functions that cannot be listed      -> ``unknown`` (notes say why)

Recipes: :mod:`.recipes` (imports resolved to modules, features, local recipes; its rules are
in its docstring), called with the module index built here.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

from ...errors import SourceError
from ...model import (
    Capability,
    Coverage,
    Diagnostic,
    Family,
    GoRef,
    Module,
    PythonRef,
    Status,
)
from ...profiles import FamilySpec, Profile
from . import recipes as recipe_scan
from .facts import GoFacts, PyClass, PyFacts, RecipeFacts, Result

_SYMBOLS_MAX = 24


def _norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _title(name: str, symbols: Iterable[str] = ()) -> str:
    """A display title: the spelling a class uses for the name (``DuckDuckGoTools`` -> ``DuckDuckGo``,
    ``PDFReader`` -> ``PDF``), else the name in title case (``google_drive`` -> ``Google Drive``)."""
    want = _norm(name)
    breaks, n = set[int](), 0  # where the name had an underscore: keep it as a space
    for ch in name:
        if ch in "_-":
            breaks.add(n)
        else:
            n += 1
    for sym in symbols:
        if _norm(sym).startswith(want):
            taken, out = 0, list[str]()
            for ch in sym:
                if taken == len(want):
                    break
                if ch.isalnum() and taken in breaks and out and out[-1] != " ":
                    out.append(" ")
                out.append(ch)
                taken += ch.isalnum()
            return "".join(out)
    return " ".join(w[:1].upper() + w[1:] for w in name.replace("-", "_").split("_") if w)


class _PyMod(msgspec.Struct):
    family: FamilySpec
    name: str
    paths: list[str]
    """Paths relative to the library root (``tools/duckduckgo.py``, ``vectordb/chroma``)."""
    files: list[str]
    title: str | None = None


class _GoEntry(msgspec.Struct):
    name: str
    package: str
    """Folder relative to the runtime root."""
    files: list[str]
    type_name: str | None = None


class Inputs(msgspec.Struct, kw_only=True):
    profile: Profile
    py: Mapping[str, PyFacts]
    """Library files, relative to the library root (``tools/x.py``)."""
    recipes: Mapping[str, RecipeFacts]
    """Cookbook files, relative to the baseline checkout (``cookbook/...``)."""
    go: Mapping[str, GoFacts]
    """Runtime files, relative to the runtime root (``agno/tools/search/search.go``)."""
    go_examples: frozenset[str]
    """Example folders, relative to the runtime checkout (``cmd/examples/x``)."""
    python_root: str
    go_root: str


class _Index:
    """Directory views over the fact maps."""

    def __init__(self, files: Iterable[str]) -> None:
        self.children: dict[str, set[str]] = {}
        self.under: dict[str, list[str]] = {}
        for f in sorted(files):
            parts = f.split("/")
            for i in range(len(parts)):
                parent = "/".join(parts[:i])
                self.children.setdefault(parent, set()).add(parts[i])
                if i:
                    self.under.setdefault(parent, []).append(f)
        self.files = set(files)

    def is_dir(self, path: str) -> bool:
        return path in self.children and path not in self.files

    def files_under(self, path: str) -> list[str]:
        if path in self.files:
            return [path]
        return self.under.get(path, [])


def assemble(inp: Inputs) -> Result:
    prof = inp.profile
    lib = prof.baseline.root
    rt = prof.runtime.root
    py_ix = _Index(inp.py)
    go_ix = _Index(inp.go)
    diags: list[Diagnostic] = []
    for rel, pf in sorted(inp.py.items()):
        if pf.error is not None:
            diags.append(
                Diagnostic(file=f"{lib}/{rel}", line=pf.error.line or None, message=pf.error.message)
            )
    for rel, gf in sorted(inp.go.items()):
        if gf.error is not None:
            diags.append(Diagnostic(file=f"{rt}/{rel}", line=gf.error.line, message=gf.error.message))
    for rel, rf in sorted(inp.recipes.items()):
        if rf.error is not None:
            diags.append(Diagnostic(file=rel, line=rf.error.line, message=rf.error.message))

    classes = _class_index(inp.py)
    stubs: dict[str, str] = {}
    modules: list[Module] = []
    dotted: dict[str, str] = {}
    by_family_count: dict[str, int] = {}

    def defines(path: str) -> bool:
        return any(inp.py[f].defines for f in py_ix.files_under(path) if f.endswith(".py"))

    for fam in prof.families:
        pymods = _python_modules(fam, inp, py_ix, stubs, diags, defines)
        go_entries = _go_entries(fam, inp, go_ix)
        used: set[str] = set()
        for pm in pymods:
            mid = f"{fam.id}.{pm.name}"
            for p in pm.paths:
                d = "agno." + p.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
                dotted.setdefault(d, mid)
            entry = _match(fam, pm, go_entries, go_ix, inp)
            if entry is not None:
                used.add(entry.name)
            modules.append(_module(fam, pm, entry, inp, classes, lib, rt))
        by_family_count[fam.id] = len(pymods)
        if fam.go_only:
            taken = {m.id for m in modules}
            for name, entry in sorted(go_entries.items()):
                if name in used:
                    continue
                mid = f"{fam.id}.{name}"
                if mid in taken:
                    mid += "_go"
                modules.append(
                    Module(
                        id=mid,
                        family=fam.id,
                        title=_title(name, _goref(entry, inp, rt).symbols),
                        status=Status.GO_ONLY,
                        go=_goref(entry, inp, rt),
                        notes="exists only in the Go runtime: no baseline module maps to it",
                        capabilities=_capabilities(fam, None, entry, inp, classes)
                        if fam.kind == "provider"
                        else (),
                    )
                )
    _check_counts(prof, by_family_count, inp)
    if not any(m.go is not None for m in modules):
        raise SourceError(
            f"no runtime module found under {rt}/ (0 of {len(modules)} modules have Go code)",
            where=inp.go_root,
            hint="pass --go-root with an agno-Go checkout (it must contain pkg/agno)",
        )
    modules = _embedding_capabilities(modules, prof)
    recipes, skipped = recipe_scan.recipes(inp, dotted, stubs, modules, diags)
    families = tuple(Family(id=f.id, title=f.title, order=i) for i, f in enumerate(prof.families))
    return Result(
        families=families,
        modules=tuple(modules),
        recipes=tuple(recipes),
        diagnostics=tuple(diags),
        skipped_recipes=skipped,
    )


def _check_counts(prof: Profile, counts: dict[str, int], inp: Inputs) -> None:
    for fam in prof.families:
        n = counts.get(fam.id, 0)
        if n < fam.min_expected:
            raise SourceError(
                f"family {fam.id!r} has {n} baseline modules, "
                f"the profile expects at least {fam.min_expected}",
                where=inp.python_root,
                hint=f"pass --python-root with a full agno checkout, or lower families.{fam.id}.min_expected"
                f" in {posixpath.basename(prof.path)}",
            )


# --------------------------------------------------------------------------- python side


def _python_modules(
    fam: FamilySpec, inp: Inputs, ix: _Index, stubs: dict[str, str], diags: list[Diagnostic], defines: object
) -> list[_PyMod]:
    out: list[_PyMod] = []
    seen: set[str] = set()
    has = defines  # callable(path) -> bool
    assert callable(has)

    def add(name: str, paths: list[str], title: str | None = None) -> None:
        if name in seen:
            diags.append(
                Diagnostic(
                    file=f"{inp.profile.baseline.root}/{paths[0]}",
                    message=f"module name {fam.id}.{name} taken twice; the second is skipped",
                )
            )
            return
        seen.add(name)
        files = [f for p in paths for f in ix.files_under(p) if f.endswith(".py")]
        out.append(_PyMod(fam, name, paths, files, title))

    for em in fam.modules:
        present = [p for p in em.python if p in ix.files or p in ix.children]
        if not present:  # not in this baseline (older or newer tree): not a module here
            continue
        add(em.name, present, em.title)
    for base in fam.python:
        for child in sorted(ix.children.get(base, ())):
            path = f"{base}/{child}"
            if child in fam.ignore or child.startswith((".", "__")):
                continue
            if ix.is_dir(path):
                if child in fam.nested:
                    for sub in sorted(ix.children.get(path, ())):
                        sp = f"{path}/{sub}"
                        if not sub.endswith(".py") or sub.startswith("__") or sub in fam.ignore:
                            continue
                        if not inp.py[sp].defines:
                            _stub(inp, sp, stubs)
                            continue
                        key = f"{child}/{sub[:-3]}"
                        add(_strip(fam, fam.names.get(key, f"{child}_{sub[:-3]}")), [sp])
                    continue
                if not has(path):
                    continue
                add(_strip(fam, fam.names.get(child, child)), [path])
            elif child.endswith(".py"):
                if fam.granularity == "dir":
                    continue
                if not inp.py[path].defines:
                    _stub(inp, path, stubs)
                    continue
                stem = child[:-3]
                add(_strip(fam, fam.names.get(stem, stem)), [path])
    return out


def _stub(inp: Inputs, path: str, stubs: dict[str, str]) -> None:
    target = inp.py[path].reexport
    if target:
        stubs["agno." + path.removesuffix(".py").replace("/", ".")] = target


def _strip(fam: FamilySpec, name: str) -> str:
    return name.removesuffix(fam.suffix) if fam.suffix and name.endswith(fam.suffix) else name


def _class_index(py: Mapping[str, PyFacts]) -> dict[str, list[tuple[str, PyClass]]]:
    idx: dict[str, list[tuple[str, PyClass]]] = {}
    for rel, pf in py.items():
        for c in pf.classes:
            idx.setdefault(c.name, []).append((rel, c))
    return idx


def _resolve(name: str, idx: dict[str, list[tuple[str, PyClass]]], near: str) -> PyClass | None:
    cands = idx.get(name)
    if not cands:
        return None
    folder = posixpath.dirname(near)
    for rel, c in cands:
        if rel == near:
            return c
    for rel, c in cands:
        if posixpath.dirname(rel) == folder:
            return c
    return cands[0][1]


def _mro(
    cls: PyClass, rel: str, idx: dict[str, list[tuple[str, PyClass]]], stop: frozenset[str]
) -> list[PyClass]:
    out: list[PyClass] = []
    todo = [cls]
    seen: set[str] = set()
    while todo:
        c = todo.pop(0)
        if c.name in seen or c.name in stop:
            continue
        seen.add(c.name)
        out.append(c)
        for b in c.bases:
            r = _resolve(b, idx, rel)
            if r is not None:
                todo.append(r)
    return out


_BASE_CLASSES = frozenset({"Toolkit", "Model", "object"})


def _is_toolkit(cls: PyClass, rel: str, idx: dict[str, list[tuple[str, PyClass]]]) -> bool:
    todo, seen = [cls], set()
    while todo:
        c = todo.pop()
        if c.name in seen:
            continue
        seen.add(c.name)
        if "Toolkit" in c.bases:
            return True
        todo.extend(r for b in c.bases if (r := _resolve(b, idx, rel)) is not None)
    return False


def _python_tools(
    pm: _PyMod, idx: dict[str, list[tuple[str, PyClass]]], py: Mapping[str, PyFacts]
) -> list[str] | None:
    """The toolkit functions of a baseline module; None when it defines no toolkit class."""
    tools: list[str] = []
    found = False
    for rel in pm.files:
        for c in py[rel].classes:
            if not _is_toolkit(c, rel, idx):
                continue
            found = True
            mro = _mro(c, rel, idx, _BASE_CLASSES)
            methods = {m for k in mro for m in k.methods}
            for k in mro:
                tools.extend(r for r in k.tool_refs if r in methods and r not in tools)
    return tools if found else None


# --------------------------------------------------------------------------- go side


def _go_entries(fam: FamilySpec, inp: Inputs, ix: _Index) -> dict[str, _GoEntry]:
    out: dict[str, _GoEntry] = {}
    for base in fam.go:
        if fam.go_granularity == "type":
            gf = inp.go.get(base)
            if gf is None:
                continue
            for t in gf.types:
                if t.endswith(fam.go_type_suffix) and t != fam.go_type_suffix:
                    name = _snake(t[: -len(fam.go_type_suffix)])
                    out[name] = _GoEntry(name, posixpath.dirname(base), [base], type_name=t)
            continue
        for child in sorted(ix.children.get(base, ())):
            path = f"{base}/{child}"
            if child in fam.go_ignore:
                continue
            if fam.go_granularity == "dir" and ix.is_dir(path):
                files = ix.files_under(path)
                if files:
                    out[child] = _GoEntry(child, path, files)
            elif fam.go_granularity == "file" and child.endswith(".go") and path in ix.files:
                out[child[:-3]] = _GoEntry(child[:-3], base, [path])
    return out


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def _explicit_go(path: str, inp: Inputs, ix: _Index) -> _GoEntry | None:
    files = ix.files_under(path)
    if not files:
        return None
    package = posixpath.dirname(path) if path.endswith(".go") else path
    return _GoEntry(posixpath.basename(path).removesuffix(".go"), package, files)


def _match(
    fam: FamilySpec, pm: _PyMod, entries: dict[str, _GoEntry], ix: _Index, inp: Inputs
) -> _GoEntry | None:
    for em in fam.modules:
        if em.name == pm.name:
            for g in em.go:
                e = _explicit_go(g, inp, ix)
                if e is not None:
                    return e
            return None
    if pm.name in fam.go_paths:
        return _explicit_go(fam.go_paths[pm.name], inp, ix)
    target = fam.aliases.get(pm.name, pm.name)
    if target in entries:
        return entries[target]
    norm = {_norm(k): v for k, v in entries.items()}
    return norm.get(_norm(target))


def _goref(e: _GoEntry, inp: Inputs, rt: str) -> GoRef:
    syms: list[str] = []
    if e.type_name:
        syms = [e.type_name]
    else:
        for f in e.files:
            gf = inp.go[f]
            syms.extend(
                s for s in (*gf.types, *gf.interfaces, *gf.funcs) if s[:1].isupper() and s not in syms
            )
    return GoRef(package=f"{rt}/{e.package}", symbols=tuple(syms[:_SYMBOLS_MAX]))


# --------------------------------------------------------------------------- modules


def _module(
    fam: FamilySpec,
    pm: _PyMod,
    entry: _GoEntry | None,
    inp: Inputs,
    idx: dict[str, list[tuple[str, PyClass]]],
    lib: str,
    rt: str,
) -> Module:
    mid = f"{fam.id}.{pm.name}"
    syms: list[str] = []
    for f in pm.files:
        syms.extend(s for s in inp.py[f].class_names if not s.startswith("_") and s not in syms)
    python = PythonRef(path=f"{lib}/{pm.paths[0]}", symbols=tuple(syms[:_SYMBOLS_MAX]))
    title = pm.title or _title(pm.name, syms)
    caps = _capabilities(fam, pm, entry, inp, idx) if fam.kind == "provider" else ()
    reason = fam.wont_port.get(pm.name)

    def make(status: Status, **fields: Any) -> Module:
        # Toolkit families record no capabilities, so `caps` is () there.
        return Module(id=mid, family=fam.id, title=title, status=status, python=python, capabilities=caps,
                      **fields)

    if entry is None:
        return make(Status.WONT_PORT, reason=reason) if reason else make(Status.NOT_MIGRATED)
    go = _goref(entry, inp, rt)
    note_wp = f" The profile declares it wont_port ({reason}), but Go code exists." if reason else ""
    if fam.kind != "toolkit":
        return make(Status.MIGRATED, go=go, notes=note_wp.strip() or None)
    py_tools = _python_tools(pm, idx, inp.py)
    go_names = list(dict.fromkeys(n for f in entry.files for n in inp.go[f].registered))
    if not py_tools:
        if any(inp.py[f].error is not None for f in pm.files):
            why = "a baseline file does not parse (see diagnostics)"
        elif py_tools is None:
            why = "the baseline module defines no Toolkit class"
        else:
            why = "the baseline toolkit registers its functions dynamically (none listed in __init__)"
        return make(Status.UNKNOWN, go=go,
                    notes=f"Go code exists but function coverage cannot be computed: {why}.{note_wp}")
    if not go_names:
        return make(Status.UNKNOWN, go=go,
                    notes="Go code exists but registers no functions through "
                    "RegisterFunction(&toolkit.Function{Name: ...}); coverage cannot be computed." + note_wp)
    go_norm = {_norm(n): n for n in go_names}
    matched: set[str] = set()
    missing: list[str] = []
    for fn in py_tools:
        cand = fam.function_aliases.get(f"{pm.name}.{fn}", fn)
        hit = cand if cand in go_names else go_norm.get(_norm(cand))
        if hit is None:
            missing.append(fn)
        else:
            matched.add(hit)
    extra = tuple(n for n in go_names if n not in matched)
    cov = Coverage(
        ported=len(py_tools) - len(missing), total=len(py_tools), missing=tuple(missing), extra=extra
    )
    if not missing:
        return make(Status.MIGRATED, go=go, coverage=cov, notes=note_wp.strip() or None)
    notes = f"missing {len(missing)} of {len(py_tools)} functions: {', '.join(missing)}"
    if extra:
        notes += f"; Go adds {', '.join(extra)}"
    return make(Status.PARTIAL, go=go, coverage=cov, notes=notes + "." + note_wp)


_PY_STREAM = frozenset({"invoke_stream", "ainvoke_stream"})
_PY_TOOLS = frozenset({"parse_tool_calls", "_format_tools", "format_function_call_results"})
_PY_STRUCT = frozenset({"supports_native_structured_outputs", "supports_json_schema_outputs"})


def _capabilities(
    fam: FamilySpec,
    pm: _PyMod | None,
    entry: _GoEntry | None,
    inp: Inputs,
    idx: dict[str, list[tuple[str, PyClass]]],
) -> tuple[Capability, ...]:
    methods: set[str] = set()
    true_flags: set[str] = set()
    mentions: set[str] = set()
    for rel in pm.files if pm is not None else ():
        mentions.update(inp.py[rel].mentions)
        for c in inp.py[rel].classes:
            mro = _mro(c, rel, idx, _BASE_CLASSES)
            for k in mro:
                methods.update(k.methods)
            for flag in _PY_STRUCT:  # the nearest class that sets a flag decides (False overrides True)
                setter = next((k for k in mro if flag in k.attrs), None)
                if setter is not None and flag in setter.true_attrs:
                    true_flags.add(flag)
    g_methods: set[str] = set()
    g_mentions: set[str] = set()
    if entry is not None:
        for f in entry.files:
            gf = inp.go[f]
            g_methods.update(m for _, m in gf.methods)
            g_mentions.update(gf.mentions)
    has_go = entry is not None

    def go(v: bool) -> bool | None:
        return v if has_go else None

    def py(v: bool) -> bool | None:
        return v if pm is not None else None

    return (
        Capability(
            name="streaming", python=py(bool(methods & _PY_STREAM)), go=go("InvokeStream" in g_methods)
        ),
        Capability(
            name="tool_calling",
            python=py(bool(methods & _PY_TOOLS or mentions & {"tool_calls", "tool_use"})),
            go=go("ToolCalls" in g_mentions),
        ),
        Capability(
            name="structured_output",
            python=py(bool(true_flags or any("structured_output" in m for m in methods))),
            go=go(bool(g_mentions & {"ResponseFormat", "JSONSchema"})),
        ),
    )


def _embedding_capabilities(modules: list[Module], prof: Profile) -> list[Module]:
    """Model providers whose name also has an embedder get an ``embeddings`` capability."""
    emb = {m.id.split(".", 1)[1]: m for m in modules if m.family == "embedders"}
    out = []
    for m in modules:
        if m.family == "models" and m.python is not None:
            name = m.id.split(".", 1)[1]
            e = emb.get(name)
            if e is not None:
                cap = Capability(
                    name="embeddings", python=True, go=(e.status.in_go if m.go is not None else None)
                )
                m = msgspec.structs.replace(m, capabilities=(*m.capabilities, cap))
        out.append(m)
    return out

"""From per-file facts and the profile to modules, measured units, statuses and recipes.

Status derivation (never typed by hand except ``wont_port`` from the profile; never from folder
presence): each module's units are measured on both sides (:mod:`.units`), then

* no Go code                                   -> ``not_migrated`` (or ``wont_port`` with its reason)
* every unit ported, none a stub               -> ``migrated``
* at least one real unit                       -> ``partial`` ("missing 3 of 5 functions: a, b, c")
* no real unit, although a Go package matched  -> ``not_migrated``; the notes say what the Go
                                                  package holds instead (and name its stubs)
* Go code with no baseline counterpart         -> ``go_only`` (id uses the Go name)
* units that cannot be measured on one side    -> ``unknown`` (notes say why)

Go code only counts when a default build compiles it (a file whose ``//go:build`` constraint
or ``_GOOS``/``_GOARCH`` name needs a tag the profile's ``build_tags`` do not set is noted and
left out) and when it declares something exported (a ``doc.go``-only package counts as
nothing). A module's Go evidence is the union of the paths the profile names for it
(``internal/`` included) and, with ``delegate_by_import``, of the in-tree packages it imports
that no module owns (a thin provider over a shared client): ``GoRef.also`` lists them.

Recipes: :mod:`.recipes` (imports resolved to modules, features, local recipes; its rules are
in its docstring), called with the module index built here.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

import msgspec

from ...errors import SourceError
from ...model import (
    Capability,
    Coverage,
    Diagnostic,
    Family,
    GoRef,
    Loc,
    Module,
    PythonRef,
    Status,
    Unit,
    UnitState,
)
from ...notes import Part, compose, extra_stub, say, summary
from ...profiles import FamilySpec, Profile
from . import recipes as recipe_scan
from . import units as U
from .facts import GoFacts, PyClass, PyFacts, RecipeFacts, Result
from .stubs import Packages

_SYMBOLS_MAX = 24

#: Go's known GOOS and GOARCH values: a file named ``x_<goos>.go`` or ``x_<goarch>.go`` is built only there.
_GOOS = frozenset([
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
    "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
])
_GOARCH = frozenset([
    "386", "amd64", "arm", "arm64", "loong64", "mips", "mips64", "mips64le", "mipsle", "ppc64", "ppc64le",
    "riscv64", "s390x", "sparc64", "wasm",
])


def _norm(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _title(name: str, symbols: Iterable[str] = ()) -> str:
    """A display title: the spelling a class uses for the name (``DuckDuckGoTools`` -> ``DuckDuckGo``,
    ``PDFReader`` -> ``PDF``) when the name ends at a word break of the class name (``EvalSchema`` does
    not spell ``evals``), else the name in title case (``google_drive`` -> ``Google Drive``)."""
    want = _norm(name)
    breaks, n = set[int](), 0  # where the name had an underscore: keep it as a space
    for ch in name:
        if ch in "_-":
            breaks.add(n)
        else:
            n += 1
    for sym in symbols:
        if _norm(sym).startswith(want):
            taken, out, end = 0, list[str](), 0
            for ch in sym:
                if taken == len(want):
                    break
                if ch.isalnum() and taken in breaks and out and out[-1] != " ":
                    out.append(" ")
                out.append(ch)
                taken += ch.isalnum()
                end += 1
            if _word_ends(sym, end):
                return "".join(out)
    return " ".join(w[:1].upper() + w[1:] for w in name.replace("-", "_").split("_") if w)


def _word_ends(sym: str, end: int) -> bool:
    """Does a word of ``sym`` end before index ``end`` (``EvalS|chema`` no: ``evals`` is no word of
    ``EvalSchema``; ``OpenAI|Chat``, ``PDF|Reader``, ``Gemini|`` yes; ``PD|FReader`` no)?"""
    if end >= len(sym) or not sym[end].isalnum():
        return True
    nxt, last = sym[end], sym[end - 1]
    if nxt.isdigit() or last.isdigit():
        return True
    if nxt.islower():
        return False
    # an upper-case letter: a new word unless it continues an acronym (PD|FReader)
    return last.islower() or end + 1 >= len(sym) or sym[end + 1].islower()


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
    """Folder relative to the runtime checkout."""
    files: list[str]
    type_name: str | None = None
    also: list[str] = msgspec.field(default_factory=list)
    """Further folders (more profile paths, delegated packages)."""


class Inputs(msgspec.Struct, kw_only=True):
    profile: Profile
    py: Mapping[str, PyFacts]
    """Library files, relative to the library root (``tools/x.py``)."""
    recipes: Mapping[str, RecipeFacts]
    """Cookbook files, relative to the baseline checkout (``cookbook/...``)."""
    go: Mapping[str, GoFacts]
    """Runtime files, relative to the runtime checkout (``pkg/tools/search/search.go``)."""
    go_examples: frozenset[str]
    """Example folders, relative to the runtime checkout (``cmd/examples/x``)."""
    python_root: str
    go_root: str
    go_module: str | None = None
    """The runtime's Go module path (from its go.mod, else the profile)."""
    split: bool = False
    """Two processes may take half the recipes each (a forked worker extracted beside this one)."""


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


# --------------------------------------------------------------------------- build constraints


def _build_ok(expr: str | None, tags: frozenset[str]) -> bool:
    """Does a default build (``tags`` set, every ``go1.N``) satisfy a ``//go:build`` expression?"""
    if not expr:
        return True
    tokens = re.findall(r"\(|\)|!|&&|\|\||[\w.]+", expr)
    pos = 0

    def atom() -> bool:
        nonlocal pos
        tok = tokens[pos] if pos < len(tokens) else ""
        pos += 1
        if tok == "!":
            return not atom()
        if tok == "(":
            v = disj()
            pos += 1  # ")"
            return v
        return tok in tags or bool(re.fullmatch(r"go1\.\d+", tok))

    def conj() -> bool:
        nonlocal pos
        v = atom()
        while pos < len(tokens) and tokens[pos] == "&&":
            pos += 1
            v = atom() and v
        return v

    def disj() -> bool:
        nonlocal pos
        v = conj()
        while pos < len(tokens) and tokens[pos] == "||":
            pos += 1
            v = conj() or v
        return v

    return disj()


def _name_ok(rel: str, tags: frozenset[str]) -> str | None:
    """The tag a ``_GOOS`` / ``_GOARCH`` file name needs that the default build lacks, or None."""
    parts = posixpath.basename(rel)[:-3].split("_")
    need = [p for p in parts[-2:] if p in _GOOS or p in _GOARCH] if len(parts) > 1 else []
    return next((p for p in need if p not in tags), None)


def _excluded(inp: Inputs) -> dict[str, str]:
    """Runtime files a default build leaves out, with the constraint that excludes them."""
    tags = frozenset(inp.profile.runtime.build_tags)
    out: dict[str, str] = {}
    for rel, gf in inp.go.items():
        if not _build_ok(gf.build, tags):
            out[rel] = f"//go:build {gf.build}"
        else:
            need = _name_ok(rel, tags)
            if need is not None:
                out[rel] = f"file name suffix _{need}"
    return out


# --------------------------------------------------------------------------- assemble


class _Ctx:
    """Everything the module measurement needs, built once."""

    def __init__(self, inp: Inputs) -> None:
        self.inp = inp
        self.prof = inp.profile
        self.lib = self.prof.baseline.root
        self.package = posixpath.basename(self.lib.rstrip("/"))
        """The library's import name (``agno``): the last folder of its root."""
        self.py_ix = _Index(inp.py)
        self.go_ix = _Index(inp.go)
        self.excluded = _excluded(inp)
        counted = [f for f in inp.go if f not in self.excluded]
        self.counted = set(counted)
        self.pkgs = Packages(inp.go, counted)
        self.classes = _class_index(inp.py)
        self.support = frozenset(p.strip("/") for p in self.prof.runtime.support)
        self.owned: set[str] = set()
        self.consts: dict[str, dict[str, dict[str, tuple[str, int]]]] = {}

    def go_side(self, files: Iterable[str], type_name: str | None = None) -> U.GoSide:
        return U.GoSide([f for f in files if f in self.counted], self.inp.go, self.pkgs, type_name)

    def py_side(self, fam: FamilySpec, pm: _PyMod) -> U.PySide:
        return U.PySide(self.lib, pm.files, self.inp.py, self.classes, fam.python_base)

    def consts_of(self, folders: Iterable[str]) -> Callable[[str], dict[str, tuple[str, int]]]:
        """Typed string constants (value -> (file, line)) of a Go type, in the given package folders."""
        folders = tuple(folders)

        def lookup(type_name: str) -> dict[str, tuple[str, int]]:
            out: dict[str, tuple[str, int]] = {}
            for d in folders:
                for rel in self.pkgs.files.get(d, ()):
                    for c in self.inp.go[rel].consts:
                        if c.value and c.type.rsplit(".", 1)[-1] == type_name:
                            out.setdefault(c.value, (rel, c.line))
            return out

        return lookup


class _Plan(msgspec.Struct):
    """One family after pass 1: its baseline modules, its runtime entries, and which entry each
    baseline module matched."""

    fam: FamilySpec
    pymods: list[_PyMod]
    entries: dict[str, _GoEntry]
    matched: dict[str, _GoEntry | None]


class Modules(NamedTuple):
    """The first stage of :func:`assemble`, from the library and the runtime alone (the recipes come
    after): a scan with a worker makes it while the worker still extracts the cookbook."""

    ctx: _Ctx
    errors: list[Diagnostic]
    """Library and runtime files that do not parse."""
    diags: list[Diagnostic]
    """The rest, in order (uncovered files, then what the plan found)."""
    stubs: dict[str, str]
    plans: list[_Plan]
    modules: list[Module]


def modules(inp: Inputs) -> Modules:
    """Every module, measured and compared (``inp.recipes`` is not read)."""
    prof = inp.profile
    ctx = _Ctx(inp)
    errors = _parse_errors(ctx)
    diags = _uncovered(ctx)
    stubs: dict[str, str] = {}
    plans = _plan(ctx, stubs, diags)
    done = _measure_all(ctx, plans)
    out: list[Module] = []
    for plan in plans:  # profile order
        fam = plan.fam
        out.extend(done[f"{fam.id}.{pm.name}"] for pm in plan.pymods)
        out.extend(m for m in done.values() if m.family == fam.id and m.python is None)
    if not any(m.go is not None for m in out):
        raise SourceError(
            f"no runtime module found under {', '.join(prof.runtime.roots)} "
            f"(0 of {len(out)} modules have Go code)",
            where=inp.go_root,
            hint=f"pass --go-root with a checkout of {prof.runtime.name} "
            f"(its code is under {', '.join(prof.runtime.roots)})",
        )
    return Modules(ctx, errors, diags, stubs, plans, out)


def assemble(inp: Inputs, first: Modules | None = None) -> Result:
    """The matrix from the facts: :func:`modules` (unless made already, from the same library and
    runtime facts), then the recipes."""
    prof = inp.profile
    ctx, errors, diags, stubs, plans, mods = first if first is not None else modules(inp)
    recipes, skipped = recipe_scan.recipes(inp, _dotted(ctx, plans), stubs, mods, diags, inp.split)
    families = tuple(Family(id=f.id, title=f.title, order=i) for i, f in enumerate(prof.families))
    return Result(
        families=families,
        modules=tuple(mods),
        recipes=tuple(recipes),
        diagnostics=(*errors, *_recipe_errors(inp), *diags),
        skipped_recipes=skipped,
    )


def _parse_errors(ctx: _Ctx) -> list[Diagnostic]:
    """One diagnostic per file that does not parse: library, then runtime files (the cookbook's come
    after them: :func:`_recipe_errors`)."""
    inp = ctx.inp
    diags = [Diagnostic(file=f"{ctx.lib}/{rel}", line=pf.error.line or None, message=pf.error.message)
             for rel, pf in sorted(inp.py.items()) if pf.error is not None]
    diags.extend(Diagnostic(file=rel, line=gf.error.line, message=gf.error.message)
                 for rel, gf in sorted(inp.go.items()) if gf.error is not None)
    return diags


def _recipe_errors(inp: Inputs) -> list[Diagnostic]:
    return [Diagnostic(file=rel, line=rf.error.line, message=rf.error.message)
            for rel, rf in sorted(inp.recipes.items()) if rf.error is not None]


def _plan(ctx: _Ctx, stubs: dict[str, str], diags: list[Diagnostic]) -> list[_Plan]:
    """Pass 1: baseline modules and runtime entries of every family (ownership for delegation)."""
    inp = ctx.inp

    def defines(path: str) -> bool:
        return any(inp.py[f].defines for f in ctx.py_ix.files_under(path) if f.endswith(".py"))

    plans: list[_Plan] = []
    for fam in ctx.prof.families:
        pymods = _PyModules(fam, inp, ctx.py_ix, stubs, diags, defines).find()
        entries = _go_entries(fam, inp, ctx.go_ix)
        matched = {pm.name: _match(fam, pm, entries, ctx.go_ix) for pm in pymods}
        for e in [*entries.values(), *(m for m in matched.values() if m is not None)]:
            ctx.owned.update(posixpath.dirname(f) for f in e.files)
        plans.append(_Plan(fam, pymods, entries, matched))
    _check_counts(ctx.prof, {p.fam.id: len(p.pymods) for p in plans}, inp)
    _own_files([pm for p in plans for pm in p.pymods])
    return plans


def _measure_all(ctx: _Ctx, plans: list[_Plan]) -> dict[str, Module]:
    """Pass 2: measure, in an order where a family a capability points to (from_family) comes first."""
    done: dict[str, Module] = {}
    for plan in sorted(plans, key=lambda p: _depends(p.fam)):
        fam = plan.fam
        used: set[str] = set()
        for pm in plan.pymods:
            entry = plan.matched[pm.name]
            if entry is not None:
                used.add(_key(entry))
                _delegate(ctx, entry)
            done[f"{fam.id}.{pm.name}"] = _module(ctx, fam, pm, entry, done)
        if fam.go_only:
            _go_only_modules(ctx, plan, used, done)
    return done


def _go_only_modules(ctx: _Ctx, plan: _Plan, used: set[str], done: dict[str, Module]) -> None:
    """The family's runtime entries no baseline module matched (``<id>_go`` when the id is taken)."""
    fam = plan.fam
    taken = {m for m in done if m.startswith(fam.id + ".")}
    for name, entry in sorted(plan.entries.items()):
        if _key(entry) in used:
            continue
        mid = f"{fam.id}.{name}"
        if mid in taken:
            mid += "_go"
        _delegate(ctx, entry)
        gm = _go_only(ctx, fam, mid, entry)
        if gm is not None:
            done[mid] = gm


def _dotted(ctx: _Ctx, plans: list[_Plan]) -> dict[str, str]:
    """Import name of every module path (``agno.tools.duckduckgo``) -> module id (first one wins)."""
    dotted: dict[str, str] = {}
    for plan in plans:
        for pm in plan.pymods:
            for p in pm.paths:
                d = f"{ctx.package}." + p.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
                dotted.setdefault(d, f"{plan.fam.id}.{pm.name}")
    return dotted


def _key(entry: _GoEntry) -> str:
    return entry.package if entry.type_name is None else f"{entry.package}#{entry.type_name}"


def _depends(fam: FamilySpec) -> int:
    caps = [*fam.capabilities.values()]
    for spec in (*fam.modules.values(), *fam.overrides.values()):
        caps.extend(spec.capabilities.values())
    return 1 if any(c.from_family for c in caps) else 0


def _uncovered(ctx: _Ctx) -> list[Diagnostic]:
    """Top-level library packages no family covers and the profile does not exclude."""
    prof = ctx.prof
    covered = set(prof.baseline.exclude)
    for fam in prof.families:
        covered.update(p.split("/", 1)[0] for p in fam.python)
        for m in fam.modules.values():
            covered.update(p.split("/", 1)[0] for p in m.python)
    out = []
    for child in sorted(ctx.py_ix.children.get("", ())):
        if child in covered or child.startswith(("_", ".")):
            continue
        if ctx.py_ix.is_dir(child) or child.endswith(".py"):
            if child.endswith(".py") and child[:-3] in covered:
                continue
            out.append(Diagnostic(
                file=f"{ctx.lib}/{child}",
                message="no family covers this package and the profile does not exclude it "
                "(baseline.exclude): it is left out of the matrix",
            ))
    return out


def _check_counts(prof: Profile, counts: dict[str, int], inp: Inputs) -> None:
    for fam in prof.families:
        n = counts.get(fam.id, 0)
        if n < fam.min_expected:
            raise SourceError(
                f"family {fam.id!r} has {n} baseline modules, "
                f"the profile expects at least {fam.min_expected}",
                where=inp.python_root,
                hint=f"pass --python-root with a full checkout of {prof.baseline.name}, or lower "
                f"families.{fam.id}.min_expected in {posixpath.basename(prof.path)}",
            )


# --------------------------------------------------------------------------- python side


class _PyModules:
    """The baseline modules of one family: the profile's declared modules first, then one per
    folder or file under the family's paths (``nested`` folders: one per file inside)."""

    def __init__(self, fam: FamilySpec, inp: Inputs, ix: _Index, stubs: dict[str, str],
                 diags: list[Diagnostic], has: Callable[[str], bool]) -> None:
        self.fam, self.inp, self.ix, self.stubs, self.diags, self.has = fam, inp, ix, stubs, diags, has
        self.out: list[_PyMod] = []
        self.seen: set[str] = set()

    def find(self) -> list[_PyMod]:
        fam, ix = self.fam, self.ix
        for em in fam.modules.values():
            present = [p for p in em.python if p in ix.files or p in ix.children]
            if present:  # else not in this baseline (older or newer tree): not a module here
                self.add(em.name, present, em.title)
        for base in fam.python:
            for child in sorted(ix.children.get(base, ())):
                if child in fam.ignore or child.startswith((".", "__")):
                    continue
                path = f"{base}/{child}"
                if ix.is_dir(path):
                    self.folder(path, child)
                elif child.endswith(".py") and fam.granularity != "dir":
                    self.file(path, fam.names.get(child[:-3], child[:-3]))
        return self.out

    def folder(self, path: str, child: str) -> None:
        fam = self.fam
        if child not in fam.nested:
            if self.has(path):
                self.add(_strip(fam, fam.names.get(child, child)), [path])
            return
        for sub in sorted(self.ix.children.get(path, ())):
            if sub.endswith(".py") and not sub.startswith("__") and sub not in fam.ignore:
                name = fam.names.get(f"{child}/{sub[:-3]}", f"{child}_{sub[:-3]}")
                self.file(f"{path}/{sub}", name)

    def file(self, path: str, name: str) -> None:
        """A module file named ``name`` (profile names applied); one that defines nothing is a
        re-export stub (recorded, not a module)."""
        if not self.inp.py[path].defines:
            _stub(self.inp, path, self.stubs)
            return
        self.add(_strip(self.fam, name), [path])

    def add(self, name: str, paths: list[str], title: str | None = None) -> None:
        if name in self.seen:
            self.diags.append(Diagnostic(
                file=f"{self.inp.profile.baseline.root}/{paths[0]}",
                message=f"module name {self.fam.id}.{name} taken twice; the second is skipped",
            ))
            return
        self.seen.add(name)
        files = [f for p in paths for f in self.ix.files_under(p) if f.endswith(".py")]
        self.out.append(_PyMod(self.fam, name, paths, files, title))


def _own_files(pymods: list[_PyMod]) -> None:
    """Each library file belongs to the module whose path holds it most closely.

    A module folder may hold a file another module names by itself (``models/openai`` and the
    ``models/openai/responses.py`` of the Responses API; ``agent`` and ``agent/remote.py``): that
    file is the other module's evidence only, as recipes importing it map to the other module.
    """
    best: dict[str, int] = {}
    for pm in pymods:
        for p in pm.paths:
            for f in pm.files:
                if f == p or f.startswith(p.rstrip("/") + "/"):
                    best[f] = max(best.get(f, -1), len(p))
    for pm in pymods:
        pm.files = [f for f in pm.files if any(
            (f == p or f.startswith(p.rstrip("/") + "/")) and len(p) == best[f] for p in pm.paths
        )]


def _stub(inp: Inputs, path: str, stubs: dict[str, str]) -> None:
    target = inp.py[path].reexport
    if target:
        package = posixpath.basename(inp.profile.baseline.root.rstrip("/"))
        stubs[f"{package}." + path.removesuffix(".py").replace("/", ".")] = target


def _strip(fam: FamilySpec, name: str) -> str:
    return name.removesuffix(fam.suffix) if fam.suffix and name.endswith(fam.suffix) else name


def _class_index(py: Mapping[str, PyFacts]) -> dict[str, list[tuple[str, PyClass]]]:
    idx: dict[str, list[tuple[str, PyClass]]] = {}
    for rel, pf in py.items():
        for c in pf.classes:
            idx.setdefault(c.name, []).append((rel, c))
    return idx


# --------------------------------------------------------------------------- go side


def _go_entries(fam: FamilySpec, inp: Inputs, ix: _Index) -> dict[str, _GoEntry]:
    out: dict[str, _GoEntry] = {}
    for base in fam.go:
        if fam.go_granularity == "type":
            gf = inp.go.get(base)
            if gf is None:
                continue
            for t in gf.types:
                suffix = fam.go_type_suffix
                if t.name.endswith(suffix) and t.name != suffix and t.kind == "struct":
                    name = _snake(t.name[: -len(fam.go_type_suffix)])
                    out[name] = _GoEntry(name, posixpath.dirname(base), [base], type_name=t.name)
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


def _explicit_go(paths: Iterable[str], ix: _Index, name: str) -> _GoEntry | None:
    """One entry from the profile's paths for a module (folders, files, ``file.go#Type``)."""
    entry: _GoEntry | None = None
    for raw in paths:
        path, _, type_name = raw.partition("#")
        files = ix.files_under(path)
        if not files:
            continue
        package = posixpath.dirname(path) if path.endswith(".go") else path
        if entry is None:
            entry = _GoEntry(name, package, list(files), type_name=type_name or None)
        else:
            entry.files.extend(f for f in files if f not in entry.files)
            if package != entry.package and package not in entry.also:
                entry.also.append(package)
    return entry


def _match(fam: FamilySpec, pm: _PyMod, entries: dict[str, _GoEntry], ix: _Index) -> _GoEntry | None:
    if pm.name in fam.modules:
        return _explicit_go(fam.modules[pm.name].go, ix, pm.name)
    paths = fam.go_paths_of(pm.name)
    if paths:
        return _explicit_go(paths, ix, pm.name)
    target = fam.aliases.get(pm.name, pm.name)
    if target in entries:
        return entries[target]
    norm = {_norm(k): v for k, v in entries.items()}
    return norm.get(_norm(target))


def _delegate(ctx: _Ctx, entry: _GoEntry) -> None:
    """Add the in-tree packages ``entry`` imports that no module owns (a shared implementation)."""
    mod = ctx.inp.go_module
    if not ctx.prof.runtime.delegate_by_import or not mod:
        return
    prefix = mod.rstrip("/") + "/"
    base = posixpath.dirname(ctx.prof.runtime.go_mod)  # where the module's root is in the checkout
    own = {posixpath.dirname(f) for f in entry.files}
    todo = list(entry.files)
    while todo:
        rel = todo.pop()
        if rel not in ctx.counted:
            continue
        for imp in ctx.inp.go[rel].imports:
            if not imp.startswith(prefix):
                continue
            d = imp[len(prefix):].strip("/")
            d = posixpath.join(base, d) if base else d
            if d in own or d in ctx.owned or d in ctx.support or d not in ctx.pkgs.files:
                continue
            own.add(d)
            entry.also.append(d)
            new = ctx.pkgs.files[d]
            entry.files.extend(new)
            todo.extend(new)


def _goref(ctx: _Ctx, e: _GoEntry) -> GoRef:
    syms: list[str] = []
    if e.type_name:
        syms = [e.type_name]
    else:
        for f in e.files:
            if f not in ctx.counted:
                continue
            gf = ctx.inp.go[f]
            syms.extend(s for s in (*(t.name for t in gf.types), *(fn.name for fn in gf.funcs if not fn.recv))
                        if s[:1].isupper() and s not in syms)
    return GoRef(package=e.package, symbols=tuple(syms[:_SYMBOLS_MAX]), also=tuple(e.also))


def _exported(ctx: _Ctx, files: Iterable[str]) -> bool:
    for f in files:
        gf = ctx.inp.go[f]
        if (any(t.name[:1].isupper() for t in gf.types) or any(fn.exported and not fn.recv for fn in gf.funcs)
                or any(c.name[:1].isupper() for c in gf.consts)):
            return True
    return False


# --------------------------------------------------------------------------- modules


def _measure(ctx: _Ctx, fam: FamilySpec, pm: _PyMod, go: U.GoSide | None, entry: _GoEntry | None,
             done: Mapping[str, Module]) -> U.Measured:
    kind = fam.units_of(pm.name)
    spec = fam.unit_spec(pm.name)
    py = ctx.py_side(fam, pm)
    aliases = fam.unit_aliases
    if kind == "functions":
        return U.functions(py, go, pm.name, aliases, ctx.prof.rules.python.toolkit_base or "")
    if kind == "capabilities":
        caps = spec.capabilities or fam.capabilities
        m = U.capabilities(py, go, caps)
        _from_family(pm, caps, m, done)
        return m
    if kind == "endpoints":
        pool_files = [f for base in fam.go for f in ctx.go_ix.files_under(base) if f in ctx.counted]
        if entry is not None:
            pool_files.extend(f for f in entry.files if f in ctx.counted and f not in pool_files)
        pool = U.route_pool(pool_files, ctx.inp.go, fam.endpoints.go_strip)
        own = [f for f in entry.files if f in ctx.counted] if entry is not None else []
        return U.endpoints(py, pool, ctx.pkgs, ctx.inp.go, pm.name, aliases, fam.endpoints.python_strip, own)
    if kind == "groups":
        return U.groups(py, go, fam.groups_of(pm.name, ctx.prof.families))
    if kind == "fields":
        folders = [posixpath.dirname(f) for f in go.files] if go is not None else []
        return U.fields(py, go, spec.classes, pm.name, aliases, ctx.consts_of(dict.fromkeys(folders)))
    return U.symbols(py, go, pm.name, aliases)


def _from_family(pm: _PyMod, caps: Mapping[str, object], m: U.Measured,
                 done: Mapping[str, Module]) -> None:
    """Capabilities that are a module of the same name in another family (``embeddings``)."""
    report = list(m.capabilities)
    for name, spec in caps.items():
        src = getattr(spec, "from_family", None)
        if src is None:
            continue
        other = done.get(f"{src}.{pm.name}")
        if other is None or other.python is None:
            continue  # no such module in the baseline: not a capability of this one
        ploc = Loc(path=other.python.path)
        real = other.status in (Status.MIGRATED, Status.PARTIAL) and other.go is not None
        report.append(Capability(name=name, python=True, go=real))
        see = say(Part("unit_note.see", {"module": other.id}))
        if real and other.go is not None:
            m.units.append(Unit(name=name, state=UnitState.PORTED, python=ploc, go=Loc(path=other.go.package),
                                go_name=other.id, note=see))
        else:
            m.units.append(Unit(name=name, state=UnitState.MISSING, python=ploc, note=see))
    m.capabilities = tuple(report)


def _python_ref(ctx: _Ctx, pm: _PyMod) -> tuple[PythonRef, list[str]]:
    """The module's baseline reference, and its public class names (all of them, for the title)."""
    syms: list[str] = []
    for f in pm.files:
        syms.extend(s for s in ctx.inp.py[f].class_names if not s.startswith("_") and s not in syms)
    return PythonRef(path=f"{ctx.lib}/{pm.paths[0]}", symbols=tuple(syms[:_SYMBOLS_MAX])), syms


def _counted_go(ctx: _Ctx, entry: _GoEntry) -> tuple[U.GoSide | None, list[Part]]:
    """The Go code of a matched entry that counts (built by default, something exported), or None,
    and caveats saying what does not count."""
    caveats: list[Part] = []
    counting = [f for f in entry.files if f in ctx.counted]
    left_out = sorted({ctx.excluded[f] for f in entry.files if f in ctx.excluded})
    if left_out:
        caveats.append(Part("note.build_constraint", {"tags": ", ".join(left_out)}))
    if counting and not _exported(ctx, counting):
        caveats.append(Part("note.nothing_exported", {"package": entry.package}))
        counting = []
    return (ctx.go_side(counting, entry.type_name) if counting else None), caveats


def _route_entry(name: str, go_files: list[str]) -> _GoEntry:
    """An entry for endpoints found in the family's route pool (the module matched no Go package)."""
    entry = _GoEntry(name, posixpath.dirname(go_files[0]), list(go_files))
    for f in go_files[1:]:
        if posixpath.dirname(f) not in (entry.package, *entry.also):
            entry.also.append(posixpath.dirname(f))
    return entry


def _module(
    ctx: _Ctx, fam: FamilySpec, pm: _PyMod, entry: _GoEntry | None, done: Mapping[str, Module]
) -> Module:
    python, syms = _python_ref(ctx, pm)
    title = pm.title or _title(pm.name, syms)
    reason = fam.wont_port.get(pm.name)
    go, caveats = _counted_go(ctx, entry) if entry is not None else (None, [])
    measured = _measure(ctx, fam, pm, go, entry, done)
    if entry is None and measured.go_files:  # endpoints found in the family's route pool
        entry = _route_entry(pm.name, measured.go_files)
        go = ctx.go_side(entry.files)
    cov = measured.coverage() if measured.unknown is None else None

    def make(status: Status, **fields: object) -> Module:
        return Module(id=f"{fam.id}.{pm.name}", family=fam.id, title=title, status=status, python=python,
                      capabilities=measured.capabilities, coverage=cov if cov and cov.total else None,
                      **fields)  # type: ignore[arg-type]

    if entry is None:
        return make(Status.WONT_PORT, reason=reason) if reason else make(Status.NOT_MIGRATED)
    declared = [Part("note.wont_port_code", {"reason": reason})] if reason else []
    goref = _goref(ctx, entry)
    if go is None:  # the matched Go code does not count (build-tagged, nothing exported)
        return make(Status.NOT_MIGRATED, go=goref, notes=compose([caveats, declared]))
    status, found = _compare(measured, cov, goref)
    notes = compose([found, caveats, declared])
    return make(status, go=goref, notes=(notes or None) if status is Status.MIGRATED else notes)


def _compare(measured: U.Measured, cov: Coverage | None, goref: GoRef) -> tuple[Status, list[Part]]:
    """The status measured units give a module with Go code that counts, and the summary its notes
    start with (nothing when all is ported)."""
    units = Part(f"units.plural.{measured.kind.value}")
    if measured.unknown is not None:
        return Status.UNKNOWN, [Part("note.cannot_compare", {"units": units, "why": measured.unknown})]
    assert cov is not None
    if cov.total == 0:
        return Status.UNKNOWN, [Part("note.nothing_to_compare", {"units": units})]
    extras = {e: extra_stub(e, why) for e, why in measured.extra_stubs.items()}
    parts = summary(cov, goref.package, goref.symbols, extras)
    if not parts:
        return Status.MIGRATED, parts
    return (Status.PARTIAL if cov.ported else Status.NOT_MIGRATED), parts


def _go_only(ctx: _Ctx, fam: FamilySpec, mid: str, entry: _GoEntry) -> Module | None:
    counting = [f for f in entry.files if f in ctx.counted]
    if not counting or not _exported(ctx, counting):
        return None  # build-tagged away or doc-only: nothing to offer
    goref = _goref(ctx, entry)
    caps: tuple[Capability, ...] = ()
    kind = fam.units
    if kind == "capabilities":
        go = ctx.go_side(counting, entry.type_name)
        caps = tuple(
            Capability(name=n, python=None, go=(g is not None and g[2] is None))
            for n, spec in fam.capabilities.items() if spec.from_family is None
            for g in [U._go_marker(go, spec.go) if not spec.go.empty else None]
        )
    return Module(
        id=mid, family=fam.id, title=_title(entry.name, goref.symbols), status=Status.GO_ONLY, go=goref,
        notes=say(Part("note.go_only")), capabilities=caps,
    )

"""The scan source: compute the support matrix from a baseline and a runtime source tree.

    compute(python_root, go_root, ...)  -> SupportMatrix (source.kind = scan)
    compute_from_settings(settings)     -> the same, from ``Settings`` (AGNO_MATRIX_SOURCE=scan)

Modules (one concern each):

    ``facts``       per-file fact records (what the cache stores), with line numbers
    ``rules``       the profile's extraction rules, compiled and fingerprinted
    ``python``      baseline library files: classes, functions, fields, routes (``ast`` on what matters)
    ``exports``     a package's export table (``from .x import Y``, lazy ``__getattr__``)
    ``cookbook``    recipe titles, imports and uses of ``agno`` names, from code only (no strings)
    ``go``          runtime files with tree-sitter-go (types, fields, functions and what their bodies
                    show, registrations and routes through the profile's queries)
    ``cache``       content-hash cache of facts, git-index style
    ``units``       measured units per kind (functions, capabilities, endpoints, groups, fields,
                    symbols) with their evidence on both sides
    ``stubs``       is a Go function a stub (canned data, stub words, never calls out)?
    ``assemble``    profile + facts -> modules, units, statuses, capabilities
    ``recipes``     recipe readiness: imports resolved to modules, features, local recipes
    ``provenance``  versions and commits of both trees

Phases (timed in :class:`Timings`, printed by ``bench/compute.py``): walk the trees
(``os.scandir``), look facts up in the cache, extract what is missing, assemble, validate.
When there is enough to extract, a forked child takes the Go files, the cookbook and one in
``_SHARE`` of the library's deep files while the parent does the rest (two cores, about
equal halves); without ``fork`` (or with ``AGNO_DOCS_NO_FORK=1``) one process does it all.
What a library file is read for (its flags) and the words it records follow from the unit
kinds of the families that cover it; the rules' fingerprint is part of the facts cache key.
A warm run (nothing changed) reuses the assembled result too, keyed by every file's hash,
the profile and the roots, and decodes no facts.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from ..._io import write_atomic
from ...errors import SourceError
from ...model import Source, SourceKind, SupportMatrix
from ...profiles import DEFAULT_PROFILE, Profile, load_profile
from .cache import FactCache, FileStat, tree_key
from .facts import (
    DEEP,
    FACTS_VERSION,
    FIELDS,
    IO,
    REGISTRATIONS,
    ROUTES,
    CachedResult,
    GoFacts,
    PyFacts,
    RecipeFacts,
    Result,
)

if TYPE_CHECKING:
    from ...settings import Settings
    from .rules import Compiled

__all__ = ["Timings", "compute", "compute_from_settings"]

#: Below this many files to extract on either side, forking costs more than it saves.
_FORK_MIN = 100
#: With a fork, the child also extracts one in _SHARE of the library's deep files (Go extraction and
#: the cookbook are the child's heavier half since measured units and recipe uses; re-balance with
#: bench/compute.py when an extractor changes).
_SHARE = 8
_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "vendor", "testdata", "site-packages"})


class Timings(msgspec.Struct):
    """Seconds per phase of the last :func:`compute` (printed by bench/compute.py)."""

    phases: dict[str, float] = msgspec.field(default_factory=dict)
    counts: dict[str, int] = msgspec.field(default_factory=dict)
    cache: dict[str, str] = msgspec.field(default_factory=dict)


LAST_TIMINGS = Timings()


def _walk(top: Path, suffix: str, rel_base: str = "") -> list[FileStat]:
    """Every file under ``top`` ending with ``suffix``; paths relative to ``top``."""
    out: list[FileStat] = []
    stack = [(str(top), rel_base)]
    while stack:
        path, rel = stack.pop()
        try:
            it = os.scandir(path)
        except OSError:
            continue
        with it:
            for e in it:
                name = e.name
                if name[0] == ".":
                    continue
                try:
                    if e.is_dir(follow_symlinks=False):
                        if name not in _SKIP_DIRS:
                            stack.append((e.path, f"{rel}{name}/"))
                    elif name.endswith(suffix):
                        st = e.stat()
                        out.append(FileStat(f"{rel}{name}", e.path, st.st_size, st.st_mtime_ns))
                except OSError:
                    continue
    return out


class _Progress:
    """One status line on an interactive terminal (stderr is a TTY).

    Silent when ``CI`` is set, with ``quiet`` (``--quiet``), and in site builds
    (:func:`compute_from_settings` is quiet unless told otherwise).
    """

    def __init__(self, quiet: bool) -> None:
        self.on = not quiet and sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, text: str) -> None:
        if self.on:
            sys.stderr.write(f"\r\033[Kagno-docs compute: {text}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _check_go_roots(root: Path, prof: Profile) -> None:
    """The runtime checkout exists and has at least one of the profile's roots."""
    roots = prof.runtime.roots
    needs = " or ".join(roots)
    _check_root(root, "runtime", "--go-root", None, needs)
    if not any((root / r).is_dir() for r in roots):
        what = f"no {roots[0]} folder" if len(roots) == 1 else f"none of the folders {', '.join(roots)}"
        raise SourceError(
            f"runtime root has {what}",
            where=str(root),
            hint=f"pass --go-root with a checkout that contains {needs}",
        )


def _check_root(root: Path, role: str, flag: str, needs: str | None, shown: str | None = None) -> None:
    hint = f"pass {flag} with a checkout that contains {shown or needs}"
    if not root.exists():
        raise SourceError(f"{role} root does not exist", where=str(root), hint=hint)
    if not root.is_dir():
        raise SourceError(f"{role} root is not a folder", where=str(root), hint=hint)
    if needs is not None and not (root / needs).is_dir():
        raise SourceError(f"{role} root has no {needs} folder", where=str(root), hint=hint)


class _ChildResult(msgspec.Struct, array_like=True):
    go: list[GoFacts]
    recipes: list[RecipeFacts]
    library: list[PyFacts]


def _extract_child(
    go_todo: list[tuple[FileStat, bytes]],
    rc_todo: list[tuple[FileStat, bytes]],
    py_share: list[tuple[FileStat, bytes, int]] = [],  # noqa: B006 (never mutated)
    rules: Compiled | None = None,
    files: _FileRules | None = None,
) -> _ChildResult:
    """Go files, the cookbook and a share of the deep library files: what may run in a forked child."""
    lib: list[PyFacts] = []
    if py_share:
        from . import python as pyx

        assert rules is not None and files is not None
        lib = [pyx.extract(data, deep=fl, rules=rules.python, mentions=files.mentions(f.rel),
                           init=f.rel.endswith("__init__.py"))
               for f, data, fl in py_share]
    gos: list[GoFacts] = []
    if go_todo:
        from . import go

        for f, data in go_todo:
            fl = files.go_flag(f.rel) if files is not None else ROUTES | REGISTRATIONS
            gos.append(go.extract(data, rules.go if rules else go.GoRules(), routes=bool(fl & ROUTES),
                                  registrations=bool(fl & REGISTRATIONS)))
    recs: list[RecipeFacts] = []
    if rc_todo:
        from . import cookbook

        recs = [cookbook.extract(data) for _, data in rc_todo]
    return _ChildResult(go=gos, recipes=recs, library=lib)


def _forked(fn: Callable[[], _ChildResult]) -> Callable[[], _ChildResult]:
    """Run ``fn`` in a forked child; the returned callable joins it (and falls back to in-process)."""
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        result = fn()
        return lambda: result
    if pid == 0:  # child: never returns
        os.close(r)
        code = 0
        try:
            payload = msgspec.msgpack.encode(fn())
            with os.fdopen(w, "wb") as fh:
                fh.write(payload)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(w)

    def join() -> _ChildResult:
        with os.fdopen(r, "rb") as fh:
            data = fh.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return fn()
        return msgspec.msgpack.decode(data, type=_ChildResult)

    return join


class _CachedProfile(msgspec.Struct):
    version: int
    profile: Profile


def _assemble_files() -> tuple[str, ...]:
    here = os.path.dirname(__file__)
    return tuple(os.path.join(here, f) for f in ("assemble.py", "units.py", "stubs.py", "recipes.py"))


def _go_module(root: Path, prof: Profile) -> str | None:
    """The runtime's Go module path: the ``module`` line of its go.mod, else the profile's."""
    try:
        text = (root / prof.runtime.go_mod).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return prof.runtime.module
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "module":
            return parts[1].strip('"')
    return prof.runtime.module


class _FileRules:
    """What each file is read for (:mod:`.facts` flags) and which mention words it records.

    Derived from the families' unit kinds and the paths they cover; stored with the facts in the
    cache (the flag) and part of the facts cache key (the rules fingerprint covers the words).
    """

    _KIND_FLAGS: ClassVar[dict[str, int]] = {
        "functions": DEEP | IO, "capabilities": DEEP, "groups": DEEP, "fields": DEEP | FIELDS,
        "endpoints": ROUTES, "symbols": 0,
    }

    def __init__(self, prof: Profile) -> None:
        py: list[tuple[str, int, tuple[bytes, ...]]] = []
        go: list[tuple[str, int]] = []

        def words(spec: object) -> tuple[bytes, ...]:
            caps = getattr(spec, "capabilities", {})
            return tuple(sorted({w.encode() for c in caps.values() for w in c.python.mentions}))

        def add(path: str, kind: str, mentions: tuple[bytes, ...]) -> None:
            flag = self._KIND_FLAGS[kind]
            if flag or mentions:
                py.append((path if path.endswith(".py") else path.rstrip("/") + "/", flag, mentions))

        def add_go(path: str, kind: str) -> None:
            flag = {"functions": REGISTRATIONS, "endpoints": ROUTES}.get(kind, 0)
            if flag:
                path = path.partition("#")[0]
                go.append((path if path.endswith(".go") else path.rstrip("/") + "/", flag))

        for fam in prof.families:
            fam_words = words(fam)
            for base in fam.python:
                add(base, fam.units, fam_words)
            for g in fam.go:
                add_go(g, fam.units)
            for name in fam.go_paths:
                for g in fam.go_paths_of(name):
                    add_go(g, fam.units_of(name))
            for m in fam.modules.values():
                for p in m.python:
                    add(p, m.units or fam.units, words(m) if m.capabilities else fam_words)
                for g in m.go:
                    add_go(g, m.units or fam.units)
            for name, o in fam.overrides.items():
                kind = o.units or fam.units
                for base in fam.python:
                    add(f"{base}/{name}", kind, words(o))
                    add(f"{base}/{name}.py", kind, words(o))
                for g in o.go:
                    add_go(g, kind)
        self._py: dict[str, list[tuple[str, int, tuple[bytes, ...]]]] = {}
        for rule in py:  # by first path segment: a file is only compared with the rules of its folder
            self._py.setdefault(rule[0].split("/", 1)[0], []).append(rule)
        self._go = go
        self._memo: dict[str, tuple[int, tuple[bytes, ...]]] = {}

    def _py_rules(self, rel: str) -> tuple[int, tuple[bytes, ...]]:
        v = self._memo.get(rel)
        if v is None:
            flag, words = 0, set[bytes]()
            for p, fl, ws in self._py.get(rel.split("/", 1)[0], ()):
                if rel == p or (p.endswith("/") and rel.startswith(p)):
                    flag |= fl
                    words.update(ws)
            v = self._memo[rel] = (flag, tuple(sorted(words)))
        return v

    def flag(self, rel: str) -> int:
        return self._py_rules(rel)[0]

    def mentions(self, rel: str) -> tuple[bytes, ...]:
        return self._py_rules(rel)[1]

    def go_flag(self, rel: str) -> int:
        flag = 0
        for p, fl in self._go:
            if rel == p or (p.endswith("/") and rel.startswith(p)):
                flag |= fl
        return flag


def _load_profile(path: str | os.PathLike[str] | None, folder: Path | None) -> Profile:
    """:func:`load_profile`, remembered in the cache folder by the profile file's content hash."""
    if folder is None:
        return load_profile(path)
    p = Path(path) if path is not None else DEFAULT_PROFILE
    try:
        raw = p.read_bytes()
    except OSError:
        return load_profile(path)  # raises the one-line error
    cpath = folder / f"profile-{hashlib.sha1(raw + os.fsencode(p.resolve())).hexdigest()[:16]}.msgpack"
    try:
        cached = msgspec.msgpack.decode(cpath.read_bytes(), type=_CachedProfile)
        if cached.version == FACTS_VERSION:
            return cached.profile
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        pass
    prof = load_profile(path)
    with contextlib.suppress(OSError):
        write_atomic(cpath, msgspec.msgpack.encode(_CachedProfile(version=FACTS_VERSION, profile=prof)))
    return prof


def compute(
    python_root: str | os.PathLike[str],
    go_root: str | os.PathLike[str],
    *,
    profile: str | os.PathLike[str] | Profile | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    python_commit: str | None = None,
    go_commit: str | None = None,
    quiet: bool = False,
    now: datetime | None = None,
) -> SupportMatrix:
    """Scan both trees and return the validated matrix (see the module docstring)."""
    t0 = time.perf_counter()
    timings = Timings()
    folder = Path(cache_dir) if (use_cache and cache_dir is not None) else None
    prof = profile if isinstance(profile, Profile) else _load_profile(profile, folder)
    py_root, go_root_p = Path(python_root), Path(go_root)
    _check_root(py_root, "baseline", "--python-root", prof.baseline.root)
    _check_go_roots(go_root_p, prof)
    progress = _Progress(quiet)
    progress("walking the trees")
    lib_dir = py_root / prof.baseline.root
    lib = _walk(lib_dir, ".py")
    cookbook_dir = prof.baseline.cookbook
    cook = _walk(py_root / cookbook_dir, ".py", cookbook_dir + "/") if cookbook_dir else []
    cook = [f for f in cook if not f.rel.endswith("/__init__.py")]
    gofiles = [
        f
        for r in prof.runtime.roots
        for f in _walk(go_root_p / r, ".go", "" if r in (".", "") else r.strip("/") + "/")
        if not f.rel.endswith("_test.go")
    ]
    examples: frozenset[str] = frozenset()
    if prof.runtime.examples:
        ex_dir = go_root_p / prof.runtime.examples
        if ex_dir.is_dir():
            examples = frozenset(
                f"{prof.runtime.examples}/{e.name}" for e in os.scandir(ex_dir) if e.is_dir()
            )
    if not lib:
        raise SourceError(
            f"no Python files under {prof.baseline.root}",
            where=str(py_root),
            hint=f"pass --python-root with a checkout of {prof.baseline.name}",
        )
    if not gofiles:
        raise SourceError(
            f"no Go files under {', '.join(prof.runtime.roots)}",
            where=str(go_root_p),
            hint=f"pass --go-root with a checkout of {prof.runtime.name}",
        )
    timings.counts.update(library=len(lib), cookbook=len(cook), go=len(gofiles))
    t1 = time.perf_counter()
    timings.phases["walk"] = t1 - t0

    rules_key = prof.extraction
    pkey, gkey = tree_key(py_root), tree_key(go_root_p)
    file_rules = _FileRules(prof)
    deep = file_rules.flag

    c_py: FactCache[PyFacts] = FactCache(folder, f"{pkey}-{rules_key}", "library", PyFacts)
    c_rc: FactCache[RecipeFacts] = FactCache(folder, pkey, "cookbook", RecipeFacts)
    c_go: FactCache[GoFacts] = FactCache(folder, f"{gkey}-{rules_key}", "go", GoFacts)
    go_found, go_todo = c_go.lookup(gofiles, lambda f, d: GoFacts(), file_rules.go_flag)
    py_found, py_todo = c_py.lookup(lib, lambda f, d: PyFacts(), deep)
    rc_found, rc_todo = c_rc.lookup(cook, lambda f, d: RecipeFacts())
    timings.cache.update(library=c_py.status, cookbook=c_rc.status, go=c_go.status)
    t2 = time.perf_counter()
    timings.phases["cache_lookup"] = t2 - t1

    n_todo = len(go_todo) + len(py_todo) + len(rc_todo)
    rules = None
    if n_todo:  # nothing to extract (a warm run): nothing to compile
        from .rules import compile_rules

        rules = compile_rules(prof)
    if n_todo:
        progress(f"reading {n_todo} changed files")
    fork = (
        hasattr(os, "fork")
        and len(go_todo) + len(rc_todo) >= _FORK_MIN
        and len(py_todo) >= _FORK_MIN
        and os.environ.get("AGNO_DOCS_NO_FORK") != "1"
    )
    py_share: list[tuple[FileStat, bytes, int]] = []
    if fork:
        # The child's half (Go, cookbook) is lighter than the library's deep files: hand it every
        # _SHARE-th deep file so that both processes finish at about the same time.
        mine: list[tuple[FileStat, bytes]] = []
        for i, item in enumerate(x for x in py_todo if deep(x[0].rel)):
            if i % _SHARE == 0:
                py_share.append((item[0], item[1], deep(item[0].rel)))
            else:
                mine.append(item)
        py_todo = mine + [x for x in py_todo if not deep(x[0].rel)]
        join = _forked(lambda: _extract_child(go_todo, rc_todo, py_share, rules, file_rules))
    tg = time.perf_counter()
    if py_todo:
        from . import python as pyx

        for f, data in py_todo:
            fl = deep(f.rel)
            assert rules is not None
            facts = pyx.extract(data, deep=fl, rules=rules.python, mentions=file_rules.mentions(f.rel),
                                init=f.rel.endswith("__init__.py"))
            py_found[f.rel] = facts
            c_py.put(f, data, facts, fl)
    t3 = time.perf_counter()
    timings.phases["extract_library"] = t3 - tg
    child = join() if fork else _extract_child(go_todo, rc_todo, rules=rules, files=file_rules)
    for (f, data, fl), pf in zip(py_share, child.library, strict=True):
        py_found[f.rel] = pf
        c_py.put(f, data, pf, fl)
    for (f, data), rf in zip(rc_todo, child.recipes, strict=True):
        rc_found[f.rel] = rf
        c_rc.put(f, data, rf)
    for (f, data), gfacts in zip(go_todo, child.go, strict=True):
        go_found[f.rel] = gfacts
        c_go.put(f, data, gfacts, file_rules.go_flag(f.rel))
    t5 = time.perf_counter()
    timings.phases["extract_go_cookbook" + ("_wait" if fork else "")] = t5 - t3
    timings.counts.update(extracted=n_todo)
    for c in (c_py, c_rc, c_go):
        c.save()
    t6 = time.perf_counter()
    timings.phases["cache_save"] = t6 - t5

    progress("assembling the matrix")
    from .provenance import provenance

    # The assembled result depends only on the facts, the example folders, the profile and the
    # roots: when none changed (a warm run), reuse it.
    h = hashlib.blake2b(digest_size=16)
    go_module = _go_module(go_root_p, prof)
    h.update(f"{FACTS_VERSION}|{prof.fingerprint}|{py_root}|{go_root_p}|{sorted(examples)}|{go_module}".encode())
    for code in (__file__, *_assemble_files()):  # the code that assembles is part of the key
        st = os.stat(code)
        h.update(f"|{st.st_size}:{st.st_mtime_ns}".encode())
    for c in (c_py, c_rc, c_go):
        for rel in sorted(c.new):
            h.update(rel.encode())
            h.update(c.new[rel].digest)
    res_key = h.hexdigest()
    res_path = folder / f"result-{pkey}-{gkey}.msgpack" if folder is not None else None
    res: Result | None = None
    if res_path is not None and n_todo == 0:
        try:
            cached = msgspec.msgpack.decode(res_path.read_bytes(), type=CachedResult)
            if cached.key == res_key:
                res = cached.result
        except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError):
            res = None
    timings.cache["result"] = "hit" if res is not None else "miss"
    if res is None:
        from .assemble import Inputs, assemble  # not needed (nor imported) on a warm run

        res = assemble(
            Inputs(
                profile=prof,
                py=c_py.decoded(py_found),
                recipes=c_rc.decoded(rc_found),
                go=c_go.decoded(go_found),
                go_examples=examples,
                python_root=str(py_root),
                go_root=str(go_root_p),
                go_module=go_module,
            )
        )
        if res_path is not None:
            with contextlib.suppress(OSError):
                write_atomic(res_path, msgspec.msgpack.encode(CachedResult(key=res_key, result=res)))
    baseline = provenance(py_root, prof.baseline, python_commit or os.environ.get("AGNO_PYTHON_COMMIT"))
    runtime = msgspec.structs.replace(
        provenance(go_root_p, prof.runtime, go_commit or os.environ.get("AGNO_GO_COMMIT")), module=go_module
    )
    trees = {"python": baseline.commit or str(py_root), "go": runtime.commit or str(go_root_p)}
    try:
        matrix = SupportMatrix(
            schema_version=1,
            generated_at=now or datetime.now(UTC).replace(microsecond=0),
            source=Source(kind=SourceKind.SCAN, trees=trees, profile=prof.name),
            baseline=baseline,
            runtime=runtime,
            families=res.families,
            modules=res.modules,
            recipes=res.recipes,
            diagnostics=res.diagnostics,
        )
    except (ValueError, msgspec.ValidationError) as exc:
        raise SourceError(f"the scan produced an invalid matrix ({exc})", where=str(py_root)) from None
    t7 = time.perf_counter()
    timings.phases["assemble"] = t7 - t6
    timings.phases["total"] = t7 - t0
    timings.counts.update(
        modules=len(res.modules),
        recipes=len(res.recipes),
        recipes_without_modules=res.skipped_recipes,
        diagnostics=len(res.diagnostics),
    )
    progress.done()
    LAST_TIMINGS.phases, LAST_TIMINGS.counts, LAST_TIMINGS.cache = (
        timings.phases,
        timings.counts,
        timings.cache,
    )
    return matrix


def compute_from_settings(settings: Settings, **kwargs: Any) -> SupportMatrix:
    """The scan source for ``AGNO_MATRIX_SOURCE=scan`` (the site and every CLI command)."""
    from ...errors import UsageError

    if settings.python_root is None or settings.go_root is None:
        missing = "AGNO_PYTHON_ROOT" if settings.python_root is None else "AGNO_GO_ROOT"
        raise UsageError(
            f"{missing} is not set",
            where="AGNO_MATRIX_SOURCE=scan",
            hint="set AGNO_PYTHON_ROOT and AGNO_GO_ROOT to the two checkouts",
        )
    kwargs.setdefault("quiet", True)
    return compute(
        settings.python_root,
        settings.go_root,
        profile=settings.profile,
        cache_dir=settings.cache_dir,
        **kwargs,
    )

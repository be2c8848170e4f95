"""The scan source: compute the support matrix from a baseline and a runtime source tree.

    scan(python_root, go_root, ...)     -> Scan: the matrix and the timings of its steps
    compute(python_root, go_root, ...)  -> SupportMatrix (source.kind = scan)
    compute_from_settings(settings)     -> the same, from ``Settings`` (AGNO_MATRIX_SOURCE=scan)

Modules (one concern each):

    ``walk``        which files are read and how (regular files inside the checkout, capped, text)
    ``extract``     reading and extracting the files the caches do not know, here and in one worker
    ``facts``       per-file fact records (what the cache stores), with line numbers
    ``rules``       the profile's extraction rules, compiled and fingerprinted
    ``python``      baseline library files: classes, functions, fields, routes (``ast`` on what matters)
    ``exports``     a package's export table (``from .x import Y``, lazy ``__getattr__``)
    ``cookbook``    recipe titles, imports and uses of ``agno`` names, from code only (no strings)
    ``go``          runtime files with tree-sitter-go (types, fields, functions and what their bodies
                    show, registrations and routes through the profile's queries)
    ``cache``       content-hash caches of facts and of the assembled result, git-index style
    ``units``       measured units per kind (functions, capabilities, endpoints, groups, fields,
                    symbols) with their evidence on both sides
    ``stubs``       is a Go function a stub (canned data, stub words, never calls out)?
    ``assemble``    profile + facts -> modules, units, statuses, capabilities
    ``recipes``     recipe readiness: imports resolved to modules, features, local recipes
    ``provenance``  versions and commits of both trees

The steps of :func:`scan`, one function each, timed in :attr:`Scan.timings`:

1. :func:`_start`: the profile (remembered in the cache folder) and both roots.
2. :func:`_walk`: every library, cookbook and Go file (:mod:`.walk`; each file left out is a
   diagnostic), the example folders and the Go module path.
3. :func:`_reuse`: when the walk found exactly the files the last result was made from (same
   size, mtime, ctime and inode, none racily clean) and the key matches, that result is the
   answer: a warm run reads no source file and decodes no facts.
4. :func:`_lookup`: otherwise the facts caches give the facts of every unchanged file.
5. :func:`_extract`: the other files are read and extracted (:mod:`.extract`). With enough of
   them (:data:`POOL_MIN`, a cold run) and a second CPU that is idle, one worker process takes the
   Go files and the cookbook in chunks while this process imports the assembling code, reads both
   trees' provenance and extracts the library, then both take the chunks left. When this process
   runs one thread, as the CLI does, the worker is forked (the chunks shared through a pipe, no
   executor): before the walk when no facts cache exists yet (it walks what it extracts itself;
   stopped after the walk when there are too few files), else once the jobs are known. Under the
   threads of ``mkdocs serve`` it is a spawned :class:`~concurrent.futures.ProcessPoolExecutor`,
   started right after the walk when no facts cache exists yet. A failure in either process is a
   one-line error naming the file; a file too deeply nested for the parser is a diagnostic.
6. :func:`_assemble`: profile + facts -> modules, units, statuses, recipes; reused when every
   file's content is the same as the last result's. With a forked worker the modules are assembled
   during step 5, as soon as the library's and the Go files' facts are in (the worker takes the Go
   files first), while the worker goes on with the cookbook; a forked child then takes part of
   the recipes (:func:`~matrix.workers.in_two`).
7. :func:`_finish`: provenance of both trees (read now, unless read during step 5), and the
   validated :class:`SupportMatrix`; :attr:`Scan.watched` names every path it came from.

What a library file is read for (its flags) and the words it records follow from the unit
kinds of the families that cover it; the rules' fingerprint is part of the facts cache key.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from ..._io import write_atomic
from ...errors import SourceError, UsageError
from ...model import SCHEMA_VERSION, Diagnostic, Provenance, Source, SourceKind, SupportMatrix
from ...profiles import DEFAULT_PROFILE, Profile, load_profile
from ...workers import cpus as _cpus
from ...workers import load as _load
from ...workers import setting as workers_setting
from ...workers import start_method
from . import cache as _cache
from .cache import FactCache, Manifest, tree_key
from .extract import Done, Job, Worker, run_here
from .facts import (
    DEEP,
    FACTS_VERSION,
    FIELDS,
    IO,
    REGISTRATIONS,
    ROUTES,
    GoFacts,
    PyFacts,
    RecipeFacts,
    Result,
)
from .walk import FileStat, Skip, Tree, read

if TYPE_CHECKING:
    from ...settings import Settings
    from .assemble import Modules

__all__ = ["Scan", "Timings", "compute", "compute_from_settings", "scan"]

#: With fewer files to extract than this, one process does it all (a spawned worker costs an
#: interpreter start and the extractors' imports, about 0.15 s of CPU: re-measure with bench/compute.py).
POOL_MIN = 600
_KINDS = ("library", "cookbook", "go")


class Timings(msgspec.Struct):
    """Seconds per step of one :func:`scan`, file counts and cache states (printed by bench/compute.py)."""

    phases: dict[str, float] = msgspec.field(default_factory=dict)
    """Wall-clock seconds per step."""
    cpu: dict[str, float] = msgspec.field(default_factory=dict)
    """CPU seconds of this process per step (the worker's are not in it): steadier on a shared machine."""
    counts: dict[str, int] = msgspec.field(default_factory=dict)
    cache: dict[str, str] = msgspec.field(default_factory=dict)


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` returns."""

    matrix: SupportMatrix
    timings: Timings
    watched: tuple[str, ...] | None = None
    """Every path the matrix depends on besides the engine (the files and folders the walk saw, the
    files it left out, go.mod, the version sources and git's refs of both trees, the profile), for a
    record that must notice any change (``agno-docs compute``'s express path); None when one of them
    cannot be named (a ``.git`` file)."""
    stats: Mapping[str, tuple[int, int, int, int, int]] = field(default_factory=dict)
    """The ``lstat`` of the files the walk saw (mode, size, mtime, ctime, inode), taken before they
    were read: the record keeps these rather than a later look (a change in between shows)."""


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


# --------------------------------------------------------------------------- what each file is read for


class _FileRules:
    """What each file is read for (:mod:`.facts` flags) and which mention words it records.

    Derived from the families' unit kinds and the paths they cover; stored with the facts in the
    cache (the flag) and part of the facts cache key (the rules fingerprint covers the words).
    """

    _KIND_FLAGS: ClassVar[dict[str, int]] = {
        "functions": DEEP | IO, "capabilities": DEEP, "groups": DEEP, "fields": DEEP | FIELDS,
        "endpoints": ROUTES, "symbols": 0,
    }
    _GO_FLAGS: ClassVar[dict[str, int]] = {"functions": REGISTRATIONS, "endpoints": ROUTES}

    def __init__(self, prof: Profile) -> None:
        self._py: dict[str, list[tuple[str, int, tuple[bytes, ...]]]] = {}
        self._go: list[tuple[str, int]] = []
        for fam in prof.families:
            self._family(fam)
        self._memo: dict[str, tuple[int, tuple[bytes, ...]]] = {}

    @staticmethod
    def _words(spec: object) -> tuple[bytes, ...]:
        caps = getattr(spec, "capabilities", {})
        return tuple(sorted({w.encode() for c in caps.values() for w in c.python.mentions}))

    def _add(self, path: str, kind: str, mentions: tuple[bytes, ...]) -> None:
        flag = self._KIND_FLAGS[kind]
        if flag or mentions:
            path = path if path.endswith(".py") else path.rstrip("/") + "/"
            # By first path segment: a file is only compared with the rules of its folder.
            self._py.setdefault(path.split("/", 1)[0], []).append((path, flag, mentions))

    def _add_go(self, path: str, kind: str) -> None:
        flag = self._GO_FLAGS.get(kind, 0)
        if flag:
            path = path.partition("#")[0]
            self._go.append((path if path.endswith(".go") else path.rstrip("/") + "/", flag))

    def _family(self, fam: Any) -> None:
        fam_words = self._words(fam)
        for base in fam.python:
            self._add(base, fam.units, fam_words)
        for g in fam.go:
            self._add_go(g, fam.units)
        for name in fam.go_paths:
            for g in fam.go_paths_of(name):
                self._add_go(g, fam.units_of(name))
        for m in fam.modules.values():
            for p in m.python:
                self._add(p, m.units or fam.units, self._words(m) if m.capabilities else fam_words)
            for g in m.go:
                self._add_go(g, m.units or fam.units)
        for name, o in fam.overrides.items():
            kind = o.units or fam.units
            for base in fam.python:
                self._add(f"{base}/{name}", kind, self._words(o))
                self._add(f"{base}/{name}.py", kind, self._words(o))
            for g in o.go:
                self._add_go(g, kind)

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

    def of(self, kind: str) -> Callable[[str], int]:
        """The flag function of a kind of file."""
        return {"library": self.flag, "go": self.go_flag}.get(kind, lambda rel: 0)


# --------------------------------------------------------------------------- step 1: start


@dataclass
class _Run:
    """One scan in progress: its inputs, and the clock of its steps."""

    prof: Profile
    py_root: Path
    go_root: Path
    folder: Path | None
    progress: _Progress
    workers: int | None
    timings: Timings = field(default_factory=Timings)
    clock: float = field(default_factory=time.perf_counter)
    cpu_clock: float = field(default_factory=time.process_time)
    started: float = field(default_factory=time.perf_counter)
    skipped: list[Diagnostic] = field(default_factory=list)
    """Files left out (by the walk, or when read), as diagnostics."""
    commits: tuple[str | None, str | None] = (None, None)
    """The commits given for trees without ``.git`` (baseline, runtime)."""
    prov: tuple[Provenance, Provenance] | None = None
    """Both trees' provenance, once read (:func:`_provenance`)."""

    @functools.cached_property
    def file_rules(self) -> _FileRules:
        return _FileRules(self.prof)

    def lap(self, phase: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.timings.phases[phase] = self.timings.phases.get(phase, 0.0) + now - self.clock
        self.timings.cpu[phase] = self.timings.cpu.get(phase, 0.0) + cpu - self.cpu_clock
        self.clock, self.cpu_clock = now, cpu

    @property
    def lib(self) -> str:
        return self.prof.baseline.root.strip("/")

    def shown(self, kind: str, rel: str) -> str:
        """A file's path relative to its checkout, as diagnostics name it."""
        return f"{self.lib}/{rel}" if kind == "library" else rel


def _start(python_root: str | os.PathLike[str], go_root: str | os.PathLike[str],
           profile: str | os.PathLike[str] | Profile | None, cache_dir: str | os.PathLike[str] | None,
           use_cache: bool, quiet: bool, workers: int | None) -> _Run:
    folder = Path(cache_dir) if (use_cache and cache_dir is not None) else None
    prof = profile if isinstance(profile, Profile) else _load_profile(profile, folder)
    py_root, go_root_p = Path(python_root), Path(go_root)
    _check_root(py_root, "baseline", "--python-root", prof.baseline.root)
    _check_go_roots(go_root_p, prof)
    return _Run(prof=prof, py_root=py_root, go_root=go_root_p, folder=folder, progress=_Progress(quiet),
                workers=_workers_setting(workers))


class _CachedProfile(msgspec.Struct):
    version: int
    profile: Profile


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
        write_atomic(cpath, msgspec.msgpack.encode(_CachedProfile(version=FACTS_VERSION, profile=prof)),
                     durable=False)
    return prof


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


# --------------------------------------------------------------------------- step 2: walk


@dataclass(frozen=True)
class _Walked:
    manifest: Manifest
    examples: frozenset[str]
    go_module: str | None
    key: str
    """What the assembled result depends on besides the facts (see :func:`_result_key`)."""
    watched: tuple[str, ...]
    """The folders the walk listed and the files it left out (:attr:`Tree.watched`)."""
    stats: dict[str, tuple[int, int, int, int, int]]
    """The files' ``lstat`` as the walk saw them (:attr:`Tree.stats`)."""


def _walk(run: _Run) -> _Walked:
    run.progress("walking the trees")
    prof, limit = run.prof, run.prof.scan.max_file_bytes
    py, go = Tree(run.py_root, limit), Tree(run.go_root, limit)
    lib = py.walk(prof.baseline.root, ".py", keep_prefix=False)
    cook = _cookbook_files(prof, py)
    gofiles = _go_files(prof, go)
    examples: frozenset[str] = frozenset()
    if prof.runtime.examples:
        examples = frozenset(f"{prof.runtime.examples}/{name}" for name in go.folders(prof.runtime.examples))
    if not lib:
        raise SourceError(
            f"no Python files under {prof.baseline.root}",
            where=str(run.py_root),
            hint=f"pass --python-root with a checkout of {prof.baseline.name}",
        )
    if not gofiles:
        raise SourceError(
            f"no Go files under {', '.join(prof.runtime.roots)}",
            where=str(run.go_root),
            hint=f"pass --go-root with a checkout of {prof.runtime.name}",
        )
    run.skipped.extend(py.skipped + go.skipped)
    run.timings.counts.update(library=len(lib), cookbook=len(cook), go=len(gofiles))
    go_module = _go_module(run.go_root, prof)
    walked = _Walked(manifest=Manifest(tuple(lib), tuple(cook), tuple(gofiles)), examples=examples,
                     go_module=go_module, key=_result_key(run, examples, go_module),
                     watched=(*py.watched, *go.watched), stats={**py.stats, **go.stats})
    run.lap("walk")
    return walked


def _cookbook_files(prof: Profile, py: Tree) -> list[FileStat]:
    cook = py.walk(prof.baseline.cookbook, ".py") if prof.baseline.cookbook else []
    return [f for f in cook if not f.rel.endswith("/__init__.py")]


def _go_files(prof: Profile, go: Tree) -> list[FileStat]:
    return [f for r in prof.runtime.roots for f in go.walk(r, ".go") if not f.rel.endswith("_test.go")]


def _away(run: _Run) -> list[Job]:
    """The worker's jobs in a cold run, listed by a worker forked before the walk: the Go files and the
    cookbook as :func:`_walk` lists them and :func:`_jobs` makes them (the worker's job list is checked
    against this process's own before either takes a chunk)."""
    limit = run.prof.scan.max_file_bytes
    go = _go_files(run.prof, Tree(run.go_root, limit))
    cook = _cookbook_files(run.prof, Tree(run.py_root, limit))
    return [*_kind_jobs(run, "go", ((f, None) for f in go)),
            *_kind_jobs(run, "cookbook", ((f, None) for f in cook))]


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


def _result_key(run: _Run, examples: frozenset[str], go_module: str | None) -> str:
    """The profile, the roots, the example folders, the Go module path and the code that assembles."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FACTS_VERSION}|{run.prof.fingerprint}|{run.py_root}|{run.go_root}|{sorted(examples)}|"
             f"{go_module}".encode())
    here = os.path.dirname(__file__)
    for name in ("__init__.py", "walk.py", "cache.py", "assemble.py", "units.py", "stubs.py", "recipes.py"):
        st = os.stat(os.path.join(here, name))
        h.update(f"|{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _result_path(run: _Run) -> Path | None:
    if run.folder is None:
        return None
    return run.folder / f"result-{tree_key(run.py_root)}-{tree_key(run.go_root)}.msgpack"


# --------------------------------------------------------------------------- step 3: reuse


def _reuse(run: _Run, walked: _Walked) -> Result | None:
    """The last result, when the walk found the very files it was made from (a warm run)."""
    cached = _cache.load_result(_result_path(run), walked.key)
    res = None
    if cached is not None and _cache.same_files(cached, walked.manifest):
        res = _cache.decode_result(cached)
    if res is not None:
        assert cached is not None
        run.skipped.extend(cached.skipped)
        run.timings.cache.update({k: "unneeded" for k in _KINDS}, result="hit")
        run.timings.counts["extracted"] = 0
    run.lap("reuse")
    return res


# --------------------------------------------------------------------------- step 4: look up


@dataclass
class _Kind:
    """One kind of file (library, cookbook, go): its cache, its known facts, what is left to extract."""

    name: str
    cache: FactCache[Any]
    files: tuple[FileStat, ...]
    found: dict[str, Any]
    todo: list[tuple[FileStat, bytes | None]]
    skipped: dict[str, Skip]


def _lookup(run: _Run, walked: _Walked) -> dict[str, _Kind]:
    pkey, gkey = tree_key(run.py_root), tree_key(run.go_root)
    rules_key = run.prof.extraction
    caches: dict[str, tuple[str, type[Any], tuple[FileStat, ...]]] = {
        "library": (f"{pkey}-{rules_key}", PyFacts, walked.manifest.library),
        "cookbook": (pkey, RecipeFacts, walked.manifest.cookbook),
        "go": (f"{gkey}-{rules_key}", GoFacts, walked.manifest.go),
    }
    limit = run.prof.scan.max_file_bytes
    file_rules = run.file_rules
    kinds: dict[str, _Kind] = {}
    for name, (key, facts_type, files) in caches.items():
        c: FactCache[Any] = FactCache(run.folder, key, name, facts_type)
        found, todo, skipped = c.lookup(files, lambda f: read(f, limit), file_rules.of(name))
        kinds[name] = _Kind(name, c, files, found, todo, skipped)
        run.timings.cache[name] = c.status
    run.lap("cache_lookup")
    return kinds


# --------------------------------------------------------------------------- step 5: extract


def _pool_size(run: _Run, n: int) -> int:
    """Worker processes (0 or 1): as set (:func:`_workers_setting`), else one when the work pays for its
    start (:data:`POOL_MIN` files), this process may use two CPUs or more and one of them is idle.

    A spawned worker run costs ~15% more CPU in all (the worker's imports, encoding and passing the
    facts back), a forked one ~2% (bench/compute.py on the real trees: CPU 0.912 s against 0.892 s);
    only an idle CPU pays either back (measured with the machine's load at 2-5: worker / one process
    0.99-1.09 per round)."""
    if run.workers is not None:
        return min(run.workers, 1)
    cpus = _cpus()
    return 1 if n >= POOL_MIN and cpus >= 2 and _load() <= cpus - 1 else 0


def _workers_setting(workers: int | None) -> int | None:
    """``workers`` as given, else ``AGNO_DOCS_WORKERS`` (0 or 1), else None: by the amount of work."""
    return workers if workers is not None else workers_setting("scan")


def _likely_cold(run: _Run) -> bool:
    """No facts cache for these trees yet (or none at all): every file will be extracted."""
    if run.folder is None:
        return True
    pkey = tree_key(run.py_root)
    return not (run.folder / f"library-{pkey}-{run.prof.extraction}.msgpack").exists()


def _jobs(run: _Run, kinds: dict[str, _Kind]) -> dict[str, list[Job]]:
    return {name: _kind_jobs(run, name, k.todo) for name, k in kinds.items()}


def _kind_jobs(run: _Run, kind: str, todo: Iterable[tuple[FileStat, bytes | None]]) -> list[Job]:
    """The jobs of one kind of file (with its bytes when they were read already), as this process and
    a worker that lists its own both make them (a forked worker's list must equal this one's:
    :func:`_away`)."""
    rules = run.file_rules
    flag = rules.of(kind)
    return [Job(kind, f, flag(f.rel), rules.mentions(f.rel) if kind == "library" else (), data)
            for f, data in todo]


def _extract(run: _Run, walked: _Walked, kinds: dict[str, _Kind], worker: Worker) -> Modules | None:
    """Extract every file the caches did not know, put the facts in the caches, count the skips. With a
    forked worker, the modules are assembled here as soon as the library and the Go files are known,
    while the worker extracts the cookbook (returned; None when they are not assembled yet)."""
    jobs = _jobs(run, kinds)
    n = sum(len(v) for v in jobs.values())
    run.timings.counts["extracted"] = n
    stage: list[Modules] = []
    if n:
        run.progress(f"reading {n} changed files")
        from .rules import compile_rules

        rules, limit = compile_rules(run.prof), run.prof.scan.max_file_bytes
        here = jobs["library"]
        away = [*jobs["go"], *jobs["cookbook"]]  # the Go files first: the costliest per file, needed first

        def midway(done: list[Done]) -> None:  # the library's and the Go files' facts
            _record(kinds, jobs, done)
            stage.append(_modules(run, walked, kinds))

        if worker.up or (_pool_size(run, n) and worker.start()):  # started after the walk
            done = worker.run(here, away, rules, limit, first=lambda: _meanwhile(run),
                              midway=(len(jobs["go"]), midway) if worker.method == "fork" else None)
            run.timings.counts.update(worker.counts)
            run.timings.cache["worker"] = worker.method
        else:
            done = run_here(here + away, rules, limit)
        if worker.unavailable:
            run.timings.cache["worker"] = worker.unavailable
        _record(kinds, jobs, done)
    run.lap("extract")
    for k in kinds.values():
        k.cache.save()
    run.lap("cache_save")
    return stage[0] if stage else None


def _in_walk_order(k: _Kind) -> dict[str, Any]:
    return k.cache.decoded({f.rel: k.found[f.rel] for f in k.files if f.rel in k.found})


def _modules(run: _Run, walked: _Walked, kinds: dict[str, _Kind]) -> Modules:
    """The first stage of the assembly, from the library's and the Go files' facts."""
    from .assemble import Inputs, modules

    return modules(Inputs(
        profile=run.prof,
        py=_in_walk_order(kinds["library"]),
        recipes={},
        go=_in_walk_order(kinds["go"]),
        go_examples=walked.examples,
        python_root=str(run.py_root),
        go_root=str(run.go_root),
        go_module=walked.go_module,
    ))


def _record(kinds: dict[str, _Kind], jobs: dict[str, list[Job]], done: Iterable[Done]) -> None:
    """Put what was extracted in the caches and the found facts; a failure stops the scan here."""
    by_rel = {(job.kind, job.f.rel): job for js in jobs.values() for job in js}
    for d in done:
        if d.failure is not None:
            text, code = d.failure
            raise (UsageError if code == UsageError.exit_code else SourceError)(text)
        k, job = kinds[d.kind], by_rel[(d.kind, d.rel)]
        if d.skip is not None:
            skip = Skip(*d.skip)
            k.skipped[d.rel] = skip
            k.cache.put_skip(job.f, skip, job.flag)
        else:
            k.found[d.rel] = d.facts
            k.cache.put(job.f, d.sha1, d.facts, job.flag)


# --------------------------------------------------------------------------- step 6: assemble


def _read_skips(run: _Run, kinds: dict[str, _Kind]) -> tuple[Diagnostic, ...]:
    return tuple(
        Diagnostic(file=run.shown(name, rel), message=s.message, line=s.line)
        for name, k in kinds.items()
        for rel, s in k.skipped.items()
    )


def _facts_key(kinds: dict[str, _Kind]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for k in kinds.values():
        digests = k.cache.digests
        for rel in sorted(digests):
            h.update(rel.encode())
            h.update(digests[rel])
    return h.hexdigest()


def _assemble(run: _Run, walked: _Walked, kinds: dict[str, _Kind], split: bool = False,
              stage: Modules | None = None) -> Result:
    """Assemble the matrix from the facts, or reuse the last result when every file's content is the same."""
    run.progress("assembling the matrix")
    path = _result_path(run)
    facts_key = _facts_key(kinds)
    skips = _read_skips(run, kinds)
    run.skipped.extend(skips)
    cached = _cache.load_result(path, walked.key) if run.timings.counts.get("extracted") == 0 else None
    res = _cache.decode_result(cached) if cached is not None and cached.facts == facts_key else None
    run.timings.cache["result"] = "same-content" if res is not None else "miss"
    if res is None:
        from .assemble import assemble  # not needed (nor imported) on a warm run

        first = stage if stage is not None else _modules(run, walked, kinds)
        inp = msgspec.structs.replace(first.ctx.inp, recipes=_in_walk_order(kinds["cookbook"]), split=split)
        res = assemble(inp, first)
    _cache.save_result(path, walked.key, facts_key, walked.manifest, skips, res)
    run.lap("assemble")
    return res


# --------------------------------------------------------------------------- step 7: finish


def _provenance(run: _Run) -> tuple[Provenance, Provenance]:
    """Version and commit of both trees (git runs for a tree with ``.git``), read once per scan."""
    if run.prov is None:
        from .provenance import provenance

        prof, (py_commit, go_commit) = run.prof, run.commits
        run.prov = (provenance(run.py_root, prof.baseline, py_commit or os.environ.get("AGNO_PYTHON_COMMIT")),
                    provenance(run.go_root, prof.runtime, go_commit or os.environ.get("AGNO_GO_COMMIT")))
    return run.prov


def _meanwhile(run: _Run) -> None:
    """What this process does first while a worker extracts (it takes back fewer chunks, so this costs
    about half its time): import the assembling code, read both trees' provenance (git, for a clone)."""
    from . import assemble  # noqa: F401

    _provenance(run)


def _finish(run: _Run, walked: _Walked, res: Result, now: datetime | None) -> SupportMatrix:
    """Provenance of both trees and the validated matrix (files left out first among the diagnostics)."""
    prof = run.prof
    baseline, runtime = _provenance(run)
    runtime = msgspec.structs.replace(runtime, module=walked.go_module)
    trees = {"python": baseline.commit or str(run.py_root), "go": runtime.commit or str(run.go_root)}
    skipped = tuple(sorted(run.skipped, key=lambda d: (d.file, d.line or 0, d.message)))
    try:
        matrix = SupportMatrix(
            schema_version=SCHEMA_VERSION,  # type: ignore[arg-type]
            generated_at=now or datetime.now(UTC).replace(microsecond=0),
            source=Source(kind=SourceKind.SCAN, trees=trees, profile=prof.name),
            baseline=baseline,
            runtime=runtime,
            families=res.families,
            modules=res.modules,
            recipes=res.recipes,
            diagnostics=skipped + res.diagnostics,
        )
    except (ValueError, msgspec.ValidationError) as exc:
        raise SourceError(f"the scan produced an invalid matrix ({exc})", where=str(run.py_root)) from None
    run.timings.counts.update(
        modules=len(res.modules),
        recipes=len(res.recipes),
        recipes_without_modules=res.skipped_recipes,
        skipped=len(skipped),
        diagnostics=len(matrix.diagnostics),
    )
    run.lap("finish")
    return matrix


# --------------------------------------------------------------------------- the steps together


def scan(
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
    workers: int | None = None,
) -> Scan:
    """Scan both trees: the validated matrix and the timings of each step (see the module docstring).

    ``workers`` (0 or 1; default: ``AGNO_DOCS_WORKERS``, else by the amount of work) is how many
    worker processes extract beside this one.
    """
    run = _start(python_root, go_root, profile, cache_dir, use_cache, quiet, workers)
    run.commits = (python_commit, go_commit)
    worker = Worker(run.prof)
    gc_was_on = gc.isenabled()
    gc.disable()  # the scan builds long-lived objects, no cycles: collecting them is wasted time (~5%)
    try:
        run.lap("start")
        cold = _likely_cold(run)
        if cold and start_method() == "fork" and _pool_size(run, POOL_MIN):
            worker.start(jobs=lambda: _away(run))  # forked now, it walks what it extracts itself
        walked = _walk(run)
        if cold and _pool_size(run, walked.manifest.count):
            worker.start()  # spawned: an interpreter starts while this one looks up and extracts the library
        else:
            worker.close()  # too few files for a worker to pay
        res = _reuse(run, walked)
        if res is None:
            kinds = _lookup(run, walked)
            stage = _extract(run, walked, kinds, worker)
            # a forked worker extracted beside this process: the second CPU takes part of the recipes too
            res = _assemble(run, walked, kinds, worker.method == "fork" and bool(worker.counts), stage)
        matrix = _finish(run, walked, res, now)
    finally:
        worker.close()
        if gc_was_on:
            gc.enable()
    run.timings.phases["total"] = time.perf_counter() - run.started
    run.timings.cpu["total"] = sum(run.timings.cpu.values())
    run.progress.done()
    return Scan(matrix, run.timings, _watched(run, walked, profile), walked.stats)


def _watched(run: _Run, walked: _Walked,
             profile: str | os.PathLike[str] | Profile | None) -> tuple[str, ...] | None:
    """:attr:`Scan.watched`: the walk's files and folders, go.mod, provenance's paths, the profile file."""
    from .provenance import watched

    py, go = watched(run.py_root, run.prof.baseline), watched(run.go_root, run.prof.runtime)
    if py is None or go is None or isinstance(profile, Profile):
        return None
    m = walked.manifest
    files = [f.path for fs in (m.library, m.cookbook, m.go) for f in fs]
    extra = [str(run.go_root / run.prof.runtime.go_mod), str(Path(profile) if profile else DEFAULT_PROFILE)]
    return (*walked.watched, *files, *extra, *py, *go)


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
    workers: int | None = None,
) -> SupportMatrix:
    """Scan both trees and return the validated matrix (:func:`scan` without the timings)."""
    done = scan(python_root, go_root, profile=profile, cache_dir=cache_dir, use_cache=use_cache,
                python_commit=python_commit, go_commit=go_commit, quiet=quiet, now=now, workers=workers)
    return done.matrix


def compute_from_settings(settings: Settings, **kwargs: Any) -> SupportMatrix:
    """The scan source for ``AGNO_MATRIX_SOURCE=scan`` (the site and every CLI command)."""
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

"""Step 5 of a scan: read and extract the files the caches did not know, here and in one worker.

    Job(kind, f, flag, mentions, data)      one file to extract (``kind``: library, cookbook, go)
    Done(kind, rel, sha1, facts, skip, failure)
    Worker(profile)                         at most one worker process, started before it is needed
    worker.run(here, away, rules)           -> [Done] for every job, in no particular order
    run_here(jobs, rules, limit)            -> the same in this process only

The extractors (:mod:`.python`, :mod:`.go`, :mod:`.cookbook`) are pure functions of a file's
bytes and the profile's rules, so they can run anywhere. A worker process is a
:class:`~concurrent.futures.ProcessPoolExecutor` of one, started with ``spawn`` (a fresh
interpreter: safe when the caller runs threads, as ``mkdocs serve`` does, where ``fork`` is
not). It takes the ``away`` jobs chunk by chunk (two in flight, topped up between slices of this
process's own work) while this process extracts ``here``; then this process takes the remaining
chunks from the other end of the queue, so both finish together whatever the load of the machine.
Nothing is cancelled, nothing is done twice.

The start method (:func:`start_method`): ``fork`` when this process runs one thread only (the CLI:
the child is ready in milliseconds and imports only the extractors, while this process goes on,
instead of an interpreter start and every import, ~0.15 s of CPU measured), else ``spawn`` (a fresh
interpreter: forking a process that runs other threads can copy a lock held by one of them, as
under ``mkdocs serve``).

Nothing is swallowed: a file left out when read is a :class:`Done` with ``skip``; a file too
deeply nested for Python's parser (``RecursionError``, ``MemoryError``) gets facts with a parse
error (a diagnostic, as a syntax error is); any other failure, here or in the worker, is a
:class:`Done` with ``failure`` that the caller raises as one line naming the file; a worker
that dies is a :class:`~matrix.errors.SourceError`.
"""

from __future__ import annotations

import collections
import contextlib
import os
import time
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec

from ...errors import AgnoDocsError, SourceError
from ...profiles import Profile
from ...workers import start_method
from .cache import digest
from .facts import REGISTRATIONS, ROUTES, GoFacts, ParseError, RecipeFacts
from .walk import FileStat, Skip, read

if TYPE_CHECKING:
    from collections.abc import Callable
    from concurrent.futures import Future, ProcessPoolExecutor

    from .rules import Compiled

__all__ = ["Done", "Job", "Worker", "run_here", "start_method"]

#: Files per chunk handed to the worker (small enough to take the last ones back in time).
CHUNK = 64
#: Chunks queued in the worker at a time (one running, one waiting: it never idles, little to take back).
_INFLIGHT = 2
#: Files this process extracts between two looks at the worker.
_SLICE = 32


class Job(NamedTuple):
    kind: str
    f: FileStat
    flag: int
    mentions: tuple[bytes, ...] = ()
    data: bytes | None = None
    """The bytes when they were read already (to compare digests), else None."""


class Done(NamedTuple):
    kind: str
    rel: str
    sha1: bytes = b""
    facts: Any = None
    """The facts (encoded as ``msgspec.Raw`` when they come from the worker)."""
    skip: tuple[str, int | None] | None = None
    """The file was left out when read: why, and the line."""
    failure: tuple[str, int] | None = None
    """A one-line error (its text and exit code): the scan stops with it."""


def _too_deep(job: Job, data: bytes, rules: Compiled) -> Any:
    """Facts of a file too deeply nested for the parser: a parse error, with what regexes see."""
    err = ParseError(1, "too deeply nested to parse (Python's parser gave up)")
    if job.kind == "library":
        from . import python as pyx

        shallow = pyx.extract(data, deep=0, rules=rules.python, mentions=job.mentions)
        return msgspec.structs.replace(shallow, error=err)
    return RecipeFacts(error=err) if job.kind == "cookbook" else GoFacts(error=err)


def _extract(job: Job, data: bytes, rules: Compiled) -> Any:
    if job.kind == "library":
        from . import python as pyx

        return pyx.extract(data, deep=job.flag, rules=rules.python, mentions=job.mentions,
                           init=job.f.rel.endswith("__init__.py"))
    if job.kind == "go":
        from . import go

        return go.extract(data, rules.go, routes=bool(job.flag & ROUTES),
                          registrations=bool(job.flag & REGISTRATIONS))
    from . import cookbook

    return cookbook.extract(data)


def do(job: Job, rules: Compiled, limit: int, encode: bool = False) -> Done:
    """Read and extract one file; whatever goes wrong is in the returned record, never raised."""
    try:
        data = job.data if job.data is not None else read(job.f, limit)
    except Skip as s:
        return Done(job.kind, job.f.rel, skip=(s.message, s.line))
    except AgnoDocsError as exc:
        return Done(job.kind, job.f.rel, failure=(str(exc), exc.exit_code))
    try:
        facts = _extract(job, data, rules)
    except (RecursionError, MemoryError):
        facts = _too_deep(job, data, rules)
    except AgnoDocsError as exc:  # a profile rule the extractor cannot use (a bad query)
        return Done(job.kind, job.f.rel, failure=(str(exc), exc.exit_code))
    except Exception as exc:  # a bug: the scan stops with the file named, in one line
        text = f"{job.f.path}: extracting facts failed ({type(exc).__name__}: {exc}); please report it"
        return Done(job.kind, job.f.rel, failure=(text, SourceError.exit_code))
    if encode:
        facts = msgspec.Raw(msgspec.msgpack.encode(facts))
    return Done(job.kind, job.f.rel, digest(data), facts)


def run_here(jobs: list[Job], rules: Compiled, limit: int) -> list[Done]:
    return [do(job, rules, limit) for job in jobs]


# --------------------------------------------------------------------------- in the worker process

_STATE: dict[str, Any] = {}


def _init(prof: Profile) -> None:
    """The worker's start: import the extractors and compile the rules once, before the first chunk."""
    from . import cookbook, go, python  # noqa: F401
    from .rules import compile_rules

    _STATE.update(rules=compile_rules(prof), limit=prof.scan.max_file_bytes)


def _ready() -> float:
    """When the worker was ready (the start is measured; the chunks queue behind it)."""
    return time.time()


def _chunk(jobs: list[Job]) -> list[Done]:
    """One chunk of jobs; facts encoded, so they travel and are cached as they are."""
    return [do(job, _STATE["rules"], _STATE["limit"], encode=True) for job in jobs]


# --------------------------------------------------------------------------- in this process


class Worker:
    """At most one worker process: :meth:`start` it early (it takes a while), :meth:`run`, :meth:`close`.

    A system where no worker can start (no ``/dev/shm`` for its semaphores, no process limit left)
    extracts in this process only and says so (:attr:`unavailable`, in the scan's timings); a worker
    that started and then fails is an error.
    """

    def __init__(self, prof: Profile) -> None:
        self.prof = prof
        self.pool: ProcessPoolExecutor | None = None
        self.ready: Future[float] | None = None
        self.started = 0.0
        self.counts: dict[str, int] = {}
        self.method = ""
        """How the worker process was started (:func:`start_method`), once it was."""
        self.unavailable = ""
        """Why no worker could be started (the extraction then runs in this process only)."""

    def start(self) -> bool:
        """Start the worker process (once); False when this system cannot (then everything runs here)."""
        if self.pool is not None or self.unavailable:
            return self.pool is not None
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.started = time.time()
        method = self.method = start_method()
        try:
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method),
                                            initializer=_init, initargs=(self.prof,))
            self.ready = self.pool.submit(_ready)  # starts the process now
        except (OSError, ImportError) as exc:  # no semaphores (/dev/shm), no processes: the same, slower
            self.unavailable = f"unavailable ({type(exc).__name__}: {exc})"
            self.close()
            return False
        return True

    def run(self, here: list[Job], away: list[Job], rules: Compiled, limit: int,
            first: Callable[[], None] | None = None) -> list[Done]:
        """This process extracts ``here``; the worker takes ``away`` chunk by chunk from the front (two
        in flight), and once ``here`` is done this process takes them from the back, until none is left.
        ``first`` is other work of this process, done once the worker has its first chunks."""
        from concurrent.futures.process import BrokenProcessPool

        assert self.pool is not None and self.ready is not None
        pool = self.pool
        queue = collections.deque(away[i : i + CHUNK] for i in range(0, len(away), CHUNK))
        inflight: list[Future[list[Done]]] = []
        done: list[Done] = []
        sent = 0

        def top_up() -> None:  # collect what the worker finished, keep two chunks in flight
            nonlocal sent
            for fut in [f for f in inflight if f.done()]:
                inflight.remove(fut)
                done.extend(fut.result())
            while len(inflight) < _INFLIGHT and queue:
                chunk = queue.popleft()
                sent += len(chunk)
                inflight.append(pool.submit(_chunk, chunk))

        try:
            top_up()
            if first is not None:
                first()
                top_up()
            for i in range(0, len(here), _SLICE):
                done.extend(run_here(here[i : i + _SLICE], rules, limit))
                top_up()
            while queue:
                done.extend(run_here(queue.pop(), rules, limit))
                top_up()
            for fut in inflight:
                done.extend(fut.result())
            ready = self.ready.result()
        except (BrokenProcessPool, OSError, RuntimeError) as exc:  # it died, or could not start
            raise _failed(exc) from None
        self.counts = {"worker": sent, "taken_back": len(away) - sent,
                       "worker_start_ms": round((ready - self.started) * 1000)}
        return done

    def close(self) -> None:
        """Stop the worker; a failure to stop it changes nothing of what was extracted (and never hides
        the error the scan may be raising)."""
        pool, self.pool = self.pool, None
        if pool is not None:
            with contextlib.suppress(OSError, RuntimeError):
                pool.shutdown(wait=True, cancel_futures=True)


def _failed(exc: BaseException) -> SourceError:
    return SourceError(f"the extraction worker process failed ({type(exc).__name__}: {exc})",
                       where=f"agno-docs compute (pid {os.getpid()})",
                       hint="run again with AGNO_DOCS_WORKERS=0 to extract in this process only")

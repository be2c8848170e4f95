"""Step 5 of a scan: read and extract the files the caches did not know, here and in one worker.

    Job(kind, f, flag, mentions, data)      one file to extract (``kind``: library, cookbook, go)
    Done(kind, rel, sha1, facts, skip, failure)
    Worker(profile)                         at most one worker process, started before it is needed
    worker.run(here, away, rules)           -> [Done] for every job, in no particular order
    run_here(jobs, rules, limit)            -> the same in this process only

The extractors (:mod:`.python`, :mod:`.go`, :mod:`.cookbook`) are pure functions of a file's
bytes and the profile's rules, so they can run anywhere. The worker takes the ``away`` jobs chunk
by chunk while this process extracts ``here``; then both take chunks until none is left, so both
finish together whatever the load of the machine. Nothing is cancelled, nothing is done twice.
How the worker starts (:func:`start_method`) decides how the two share the chunks:

* ``fork``, when this process runs one thread only (the CLI): no executor, no thread, no
  ``multiprocessing`` (measured on the real trees: the executor's start held this process ~15 ms,
  and its feeding thread, waiting for the GIL, left the worker idle ~60 ms). In a cold run the
  child is forked before the walk and lists its own jobs (the Go files and the cookbook, walked as
  this process walks them), else once the jobs are known, inheriting them; either way it inherits
  the extractors and sends a digest of its list (:func:`_digest`), which this process compares
  with its own before either takes a chunk (a child that listed other files, the trees having
  changed between the two walks, is stopped and another forked with this process's list). The
  child numbers the chunks in a pipe and closes it: each process reads the next number (a read of
  4 bytes from a pipe is atomic, so no chunk is taken twice) and an empty pipe reads as its end.
  The child appends each chunk's facts to an anonymous file (``memfd``), never a pipe nobody
  drains, then writes the chunk's number to a pipe of its own, and exits when the queue is empty;
  this process reads the facts once it has waited for the child. ``run``'s ``midway`` reads them
  earlier: once this process has taken a chunk past the first ``n`` jobs (the queue is in order, so
  every earlier chunk is taken), it waits for the worker's numbers of those chunks and reads their
  facts (the scan assembles the modules from the library and the Go files while the worker goes
  on with the cookbook).
* ``spawn`` otherwise (forking a process that runs other threads, as ``mkdocs serve`` does, can
  copy a lock held by one of them): a :class:`~concurrent.futures.ProcessPoolExecutor` of one, a
  fresh interpreter started early, fed two chunks at a time between slices of this process's own
  work; this process takes the remaining chunks from the other end of the queue.

Nothing is swallowed: a file left out when read is a :class:`Done` with ``skip``; a file too
deeply nested for Python's parser (``RecursionError``, ``MemoryError``) gets facts with a parse
error (a diagnostic, as a syntax error is); any other failure, here or in the worker, is a
:class:`Done` with ``failure`` that the caller raises as one line naming the file; a worker
that dies is a :class:`~matrix.errors.SourceError` (never a silent retry).
"""

from __future__ import annotations

import collections
import contextlib
import marshal
import os
import signal
import time
from typing import TYPE_CHECKING, Any, NamedTuple

import msgspec

from ...errors import AgnoDocsError, SourceError
from ...profiles import Profile
from ...workers import kill, read_all, reap, reap_later, scratch, start_method, write_all
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
#: At most this many chunks in a forked worker's queue (4 bytes each: the pipe holds them all).
_MAX_CHUNKS = 8192


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


def _chunks(jobs: list[Job], size: int) -> list[list[Job]]:
    return [jobs[i : i + size] for i in range(0, len(jobs), size)]


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
        self.fork: _Fork | None = None
        """The forked worker while it runs."""
        self._forking = False

    @property
    def up(self) -> bool:
        """:meth:`start` succeeded: :meth:`run` extracts in two processes."""
        return self.pool is not None or self._forking

    def start(self, jobs: Callable[[], list[Job]] | None = None) -> bool:
        """Start the worker process (once); False when this system cannot (then everything runs here).
        A forked worker starts now when ``jobs`` says how it lists its jobs (it walks the trees itself,
        while this process walks them too), else in :meth:`run`, where it inherits them."""
        if self.up or self.unavailable:
            return self.up
        self.started = time.time()
        method = self.method = start_method()
        if method == "fork":
            self._forking = True
            if jobs is not None:
                self._fork(jobs)
            return self.up
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

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
            first: Callable[[], None] | None = None, midway: Midway | None = None) -> list[Done]:
        """This process extracts ``here`` while the worker takes ``away`` chunk by chunk; once ``here``
        is done this process takes chunks too, until none is left (the module docstring says how, by
        start method). ``first`` is other work of this process, done once the worker has started.

        ``midway`` (a forked worker only): ``(n, use)``: once ``here`` and the first ``n`` jobs of
        ``away`` are extracted (this process waits for the worker's), ``use`` gets their records
        while the worker goes on with the rest, and the records returned are the others only."""
        if self.method == "fork":
            return self._forked(here, away, rules, limit, first, midway)
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
        if midway is not None:  # handed over at the end (in no particular order here)
            keys = {(j.kind, j.f.rel) for j in (*here, *away[: midway[0]])}
            midway[1]([d for d in done if (d.kind, d.rel) in keys])
            return [d for d in done if (d.kind, d.rel) not in keys]
        return done

    def _fork(self, jobs: Callable[[], list[Job]]) -> None:
        """Fork the child: it lists its jobs with ``jobs``, says which (:func:`_digest`), numbers their
        chunks in the queue and takes chunks until none is left (:func:`_child`)."""
        reap()  # the children left exiting by earlier runs
        queue, fill = os.pipe()
        hello, say = os.pipe()
        heard, tell = os.pipe()
        facts = scratch("agno-docs-facts")
        try:
            if start_method() != "fork":  # a thread started since start(): a fork could copy its lock
                raise RuntimeError("another thread started, a fork is no longer safe")
            pid = os.fork()
        except (OSError, RuntimeError) as exc:  # no process left: the same, slower
            for fd in (queue, fill, hello, say, heard, tell, facts):
                os.close(fd)
            self.unavailable = f"unavailable ({type(exc).__name__}: {exc})"
            self._forking = False
            return
        if pid == 0:  # pragma: no cover - the child (coverage does not follow a fork)
            try:  # it never returns into this process's code
                os.close(hello)
                os.close(heard)
                _child(jobs, self.prof, _Pipes(queue, fill, say, tell, facts))
            finally:
                os._exit(70)
        for fd in (fill, say, tell):
            os.close(fd)
        self.fork = _Fork(pid, queue, hello, heard, facts, time.time())

    def _forked(self, here: list[Job], away: list[Job], rules: Compiled, limit: int,
                first: Callable[[], None] | None, midway: Midway | None) -> list[Done]:
        """:meth:`run` with a forked child (the module docstring says how the two share the chunks)."""
        if not away:  # nothing for it (the caches knew those files)
            self._stop()
        elif self.fork is not None and _read(self.fork.hello, 8) not in (b"", _digest(away)):
            self._stop()  # it listed other files (the trees changed between the two walks): fork again
        if away and self.fork is None:
            self._fork(lambda: away)
        f = self.fork
        if f is None:  # nothing for a worker, or none could start: everything here, in order
            done = run_here(here + away, rules, limit)
            if midway is None:
                return done
            n = len(here) + midway[0]
            midway[1](done[:n])
            return done[n:]
        if first is not None:
            first()
        share = _Share(f, _chunks(away, _chunk_size(len(away))), rules, limit)
        done = run_here(here, rules, limit)
        if midway is not None:
            midway[1](done + share.first(midway[0]))
            done = []
        share.rest(done)
        self.fork = None
        try:
            share.heard_all()
            theirs, ready = share.theirs(done)
        finally:
            f.close()
        self.counts = {"worker": theirs, "taken_back": share.mine,
                       "worker_start_ms": round(((ready or f.at) - f.at) * 1000)}
        return done

    def _stop(self) -> None:
        """Kill the forked child, if any, and reap it (an interrupt, an error, a stale job list)."""
        f, self.fork = self.fork, None
        if f is not None:
            kill(f.pid)
            f.close()

    def close(self) -> None:
        """Stop the worker; a failure to stop it changes nothing of what was extracted (and never hides
        the error the scan may be raising)."""
        self._stop()  # this process stopped before waiting for it: it is not left behind
        self._forking = False
        pool, self.pool = self.pool, None
        if pool is not None:
            with contextlib.suppress(OSError, RuntimeError):
                pool.shutdown(wait=True, cancel_futures=True)


#: ``Worker.run``'s ``midway``: how many of the worker's first jobs, and what gets their records.
Midway = tuple[int, "Callable[[list[Done]], None]"]


class _Fork(NamedTuple):
    """A forked worker: its pid, the reading ends of the queue, of its job list's digest and of the
    chunks it finished, and its facts."""

    pid: int
    queue: int
    hello: int
    heard: int
    facts: int
    at: float
    """When it was forked."""

    def close(self) -> None:
        for fd in (self.queue, self.hello, self.heard, self.facts):
            with contextlib.suppress(OSError):
                os.close(fd)


class _Pipes(NamedTuple):
    """The forked child's ends: the queue (to take, to fill), its digest, the chunks it did, its facts."""

    queue: int
    fill: int
    say: int
    tell: int
    facts: int


class _Share:
    """This process's side of the chunks it shares with a forked worker."""

    def __init__(self, f: _Fork, chunks: list[list[Job]], rules: Compiled, limit: int) -> None:
        self.f, self.chunks, self.rules, self.limit = f, chunks, rules, limit
        self.mine = 0
        """Files this process took from the queue."""
        self._next: bytes | None = None
        self.held: list[Done] = []
        """Records :meth:`first` read but did not give (past its ``n`` jobs): returned with the rest."""
        self.taken: set[int] = set()
        """The chunks this process took."""
        self.reported: set[int] = set()
        """The chunks the worker said it finished."""
        self.read = 0
        """How far the worker's facts are read (their frames are parsed once)."""
        self.files = 0
        """Files in the frames read so far."""
        self.ready: float | None = None
        """When the worker took its first chunk (in each of its frames)."""

    def _upcoming(self) -> bytes:
        """The number this process took from the queue and has not extracted yet (b"": none left);
        taken when first asked for (after this process's own jobs: the worker fills the queue meanwhile)."""
        if self._next is None:
            self._next = os.read(self.f.queue, 4)
        return self._next

    def _take(self) -> list[Done]:
        i = int.from_bytes(self._upcoming(), "little")
        self.taken.add(i)
        chunk = self.chunks[i]
        self.mine += len(chunk)
        self._next = None
        return run_here(chunk, self.rules, self.limit)

    def first(self, n: int) -> list[Done]:
        """The records of the first ``n`` jobs: this process extracts those it takes, then waits for
        the worker's (once it takes a later chunk, the queue being in order, every earlier one is taken)."""
        size = len(self.chunks[0])
        k = -(-n // size)  # the chunks that hold them
        got: dict[int, list[Done]] = {}
        while (block := self._upcoming()) and (i := int.from_bytes(block, "little")) < k:
            got[i] = self._take()
        self._hear(set(range(k)) - set(got))
        later: list[Done] = []  # frames of chunks past them, already written: returned with the rest
        for i, done in self._read_frames():
            if i < k:
                got[i] = done
            else:
                later.extend(done)
        ordered = [d for i in range(k) for d in got.pop(i)]
        self.held = ordered[n:] + later
        return ordered[:n]

    def rest(self, done: list[Done]) -> None:
        """Take chunks until none is left, into ``done``."""
        done.extend(self.held)
        while self._upcoming():
            done.extend(self._take())

    def _hear(self, chunks: set[int]) -> None:
        """Wait until the worker said it finished each of ``chunks``; a worker that died first is the
        error its exit status says."""
        waiting = chunks - self.reported
        while waiting:
            told = _read(self.f.heard, 4)
            if not told:
                _wait(self.f.pid)
                raise _failed(ChildProcessError(f"pid {self.f.pid} stopped early"))
            i = int.from_bytes(told, "little")
            self.reported.add(i)
            waiting.discard(i)

    def heard_all(self) -> None:
        """Every chunk this process did not take is finished: the worker has nothing left to write and
        exits (reaped later, :func:`~matrix.workers.reap_later`: its heap takes milliseconds to free)."""
        self._hear(set(range(len(self.chunks))) - self.taken)
        reap_later(self.f.pid)

    def theirs(self, done: list[Done]) -> tuple[int, float | None]:
        """Append the worker's records not read yet; how many files it did, when it took its first chunk."""
        done.extend(d for _, got in self._read_frames() for d in got)
        return self.files, self.ready

    def _read_frames(self) -> list[tuple[int, list[Done]]]:
        """The worker's chunks written since the last call: their numbers and records."""
        data = read_all(self.f.facts, self.read)
        out: list[tuple[int, list[Done]]] = []
        pos = 0
        while pos + 8 <= len(data):
            size = int.from_bytes(data[pos : pos + 8], "little")
            if pos + 8 + size > len(data):
                break  # being written
            i, self.ready, got = marshal.loads(data[pos + 8 : pos + 8 + size])
            pos += 8 + size
            self.files += len(got)
            out.append((i, [Done(kind, rel, sha1, None if raw is None else msgspec.Raw(raw), *rest)
                            for kind, rel, sha1, raw, *rest in got]))
        self.read += pos
        return out


def _wait(pid: int) -> None:
    """Wait for the forked child; one that did not exit 0 is the error :meth:`Worker.run` promises."""
    _, status = os.waitpid(pid, 0)
    if status:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        how = f"killed by {signal.Signals(sig).name}" if sig else f"exit status {status >> 8}"
        raise _failed(ChildProcessError(f"pid {pid}, {how}"))


def _chunk_size(n: int) -> int:
    return max(CHUNK, -(-n // _MAX_CHUNKS))


def _digest(jobs: list[Job]) -> bytes:
    """Which jobs, in which order: the same in a forked child (it inherits the hash seed) for the same
    files with the same stat."""
    return hash(tuple(jobs)).to_bytes(8, "little", signed=True)


def _read(fd: int, n: int) -> bytes:
    """``n`` bytes from a pipe, fewer only when its writers closed it first."""
    out = b""
    while len(out) < n and (more := os.read(fd, n - len(out))):
        out += more
    return out


def _child(jobs: Callable[[], list[Job]], prof: Profile, p: _Pipes) -> None:
    """The forked child: list the jobs, say which, number their chunks in the queue (at most
    :data:`_MAX_CHUNKS` numbers of 4 bytes: within a pipe's 64 KiB, so this never blocks), then take
    chunks until the pipe is empty, appending each chunk's facts and then its number to ``tell``
    (the same bound). Never returns (``os._exit``: no ``atexit``, no flush of buffers it inherited)."""
    code = 70  # EX_SOFTWARE, unless it ends well
    try:
        todo = jobs()
        chunks = _chunks(todo, _chunk_size(len(todo)))
        os.write(p.say, _digest(todo))
        os.close(p.say)
        write_all(p.fill, b"".join(i.to_bytes(4, "little") for i in range(len(chunks))))
        os.close(p.fill)
        from .rules import compile_rules

        rules, limit = compile_rules(prof), prof.scan.max_file_bytes
        ready = time.time()
        while block := os.read(p.queue, 4):
            i = int.from_bytes(block, "little")
            frame = marshal.dumps((i, ready, [_bare(do(job, rules, limit)) for job in chunks[i]]))
            write_all(p.facts, len(frame).to_bytes(8, "little") + frame)
            os.write(p.tell, block)
        code = 0
    finally:
        os._exit(code)


def _bare(d: Done) -> tuple[Any, ...]:
    """A :class:`Done` as ``marshal`` takes it: the facts as msgpack bytes."""
    return (*d[:3], None if d.facts is None else msgspec.msgpack.encode(d.facts), *d[4:])


def _failed(exc: BaseException) -> SourceError:
    return SourceError(f"the extraction worker process failed ({type(exc).__name__}: {exc})",
                       where=f"agno-docs compute (pid {os.getpid()})",
                       hint="run again with AGNO_DOCS_WORKERS=0 to extract in this process only")

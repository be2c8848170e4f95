"""One worker process, when it pays: the setting, the CPUs, the load and the start method.

The scan (``matrix.sources.scan``) extracts in a worker, a site build renders its module pages in one
(``macros/shell.py``) and ``check``'s first run reads its pages' front matter and fences in a forked child
(``matrix.check._Ahead``); all read ``AGNO_DOCS_WORKERS`` and decide by the same facts here. Forked
children share the plumbing at the end: an anonymous file for their results, written whole and read
without moving its shared offset, and a kill that reaps.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

from .errors import UsageError

__all__ = ["cpus", "in_two", "kill", "load", "read_all", "reap", "reap_later", "runnable", "scratch",
           "setting", "start_method", "write_all"]

T = TypeVar("T")
R = TypeVar("R")


def setting(decides: str) -> int | None:
    """``AGNO_DOCS_WORKERS`` (0 or 1), or None when unset: ``decides`` (the scan, the build) decides
    by the amount of work. Any other value is a one-line error."""
    env = os.environ.get("AGNO_DOCS_WORKERS", "").strip()
    if env not in ("", "0", "1"):
        raise UsageError(f"expected 0 or 1, got {env!r}", where="AGNO_DOCS_WORKERS",
                         hint=f"unset it to let the {decides} decide by the amount of work")
    return int(env) if env else None


def cpus() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def load() -> float:
    """How many CPUs others keep busy: a worker pays only when a CPU is left idle by others
    (measured: on a busy machine its start and the second interpreter cost more than they save).

    The last minute's load average; while that is under the CPU count, the processes runnable right
    now besides this one (:func:`runnable`) when fewer. The minute's average also counts this
    command's own previous runs, so commands run back to back (a bench, ``scripts/recompute.sh``)
    read a CPU as busy that is idle by the time the next one starts. At or over the CPU count the
    average stands: on a machine others keep busy, a moment with nothing runnable is a lull
    (measured at load 4.9: deciding by that moment made cold compute 1.77 s against 1.40 s)."""
    try:
        avg = os.getloadavg()[0]
    except OSError:  # pragma: no cover - not available here: assume idle
        return 0.0
    now = runnable() if avg < cpus() else None
    return avg if now is None else min(avg, float(now))


def runnable(path: str = "/proc/loadavg") -> int | None:
    """Processes runnable at this moment besides this one (Linux: the fourth field of
    ``/proc/loadavg``, ``running/total``, counts the reader); None where it cannot be read."""
    try:
        with open(path, "rb") as f:
            field = f.read().split()[3]
        return max(int(field.split(b"/", 1)[0]) - 1, 0)
    except (OSError, IndexError, ValueError):
        return None


def start_method() -> str:
    """``fork`` when this process runs one thread only and the system forks, else ``spawn`` (a fork
    copies only the calling thread: a lock another thread held could stay locked in the child)."""
    import threading

    # multiprocessing lists "fork" exactly where os.fork exists (not imported here: `check` asks too)
    if threading.active_count() == 1 and hasattr(os, "fork"):
        return "fork"
    return "spawn"


#: The share of the items a forked child takes in :func:`in_two`: less than half, as it starts later
#: and pays for copying every page it touches (measured on the recipes: 50 ms for the first half in
#: the child against 39 ms here, plus ~5 ms to exit).
CHILD_SHARE = 0.42


def in_two(items: Sequence[T], work: Callable[[Sequence[T]], R], encode: Callable[[R], bytes],
           decode: Callable[[bytes], R]) -> tuple[R, R]:
    """``work`` of the first part of ``items`` (:data:`CHILD_SHARE`) in a forked child and of the rest
    here, at once: both results, in that order. For pure work whose result is smaller than its inputs
    (the child inherits them; its result comes back ``encode``-d through an anonymous file, then a
    byte on a pipe says it is whole: this process goes on while the child exits, :func:`reap_later`).

    Only where :func:`start_method` says ``fork`` (else both halves run here); a child that cannot
    start or does not come back whole leaves its half to this process, which then raises what the
    child met, if anything: the result never depends on the child."""
    half = round(len(items) * CHILD_SHARE)
    if start_method() != "fork" or not hasattr(os, "memfd_create"):
        return work(items[:half]), work(items[half:])
    reap()
    out = scratch("agno-docs-half")
    whole, say = os.pipe()
    try:
        try:
            pid = os.fork()
        except OSError:  # no process left: both halves here
            pid = -1
        if pid == 0:  # pragma: no cover - the child (coverage does not follow a fork)
            code = 70
            try:
                write_all(out, encode(work(items[:half])))
                os.write(say, b"1")
                code = 0
            finally:
                os._exit(code)
        os.close(say)
        say = -1
        try:
            second = work(items[half:])
        except BaseException:  # an error here (an interrupt): the child is not left behind
            if pid > 0:
                kill(pid)
            raise
        said = os.read(whole, 1) if pid > 0 else b""  # b"": it died (or never was)
        if said != b"1":
            if pid > 0:
                os.waitpid(pid, 0)
            return work(items[:half]), second
        reap_later(pid)
        return decode(read_all(out)), second
    finally:
        for fd in (out, whole, say):
            if fd >= 0:
                os.close(fd)


#: Forked children that said they are done and may still be exiting (:func:`reap_later`).
_EXITING: list[int] = []
_REGISTERED = False


def reap_later(pid: int) -> None:
    """A forked child that has handed over everything and is exiting (tearing down a large heap takes
    milliseconds): reaped by the next :func:`reap` (the next fork, or this process's exit) rather than
    waited for now."""
    global _REGISTERED
    if not _REGISTERED:
        import atexit

        atexit.register(reap)
        _REGISTERED = True
    _EXITING.append(pid)


def reap() -> None:
    """Wait for the children :func:`reap_later` left exiting (no zombie outlives the next fork)."""
    while _EXITING:
        pid = _EXITING.pop()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


# --------------------------------------------------------------------------- a forked child's plumbing


def scratch(name: str) -> int:
    """An anonymous file a forked child appends its results to (memory where ``memfd_create`` exists,
    else an unlinked temporary file), never a pipe nobody drains."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create(name, os.MFD_CLOEXEC)
    import tempfile

    with tempfile.TemporaryFile() as fh:  # pragma: no cover - macOS, BSD
        return os.dup(fh.fileno())


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` (``os.write`` may take part of it; what is left is not copied)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def read_all(fd: int, start: int = 0) -> bytes:
    """Everything written to ``fd`` so far from ``start`` on, read without moving the file offset a
    forked child shares with this process (one open file description): a ``seek`` here would make the
    child's next write land on what it wrote before."""
    parts, pos = [], start
    while part := os.pread(fd, max(os.fstat(fd).st_size - pos, 1 << 16), pos):
        parts.append(part)
        pos += len(part)
    return b"".join(parts)


def kill(pid: int) -> None:
    """Stop a forked child that is not needed any more, and reap it."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)

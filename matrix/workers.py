"""One worker process, when it pays: the setting, the CPUs, the load and the start method.

The scan (``matrix.sources.scan``) extracts in a worker, a site build renders its module pages in one
(``macros/shell.py``) and ``check``'s first run reads its pages' front matter and fences in a forked child
(``matrix.check._Ahead``); all read ``AGNO_DOCS_WORKERS`` and decide by the same facts here.
"""

from __future__ import annotations

import os

from .errors import UsageError

__all__ = ["cpus", "load", "runnable", "setting", "start_method"]


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

"""The express path of ``agno-docs compute``: the last output again, when nothing it came from changed.

    replay(args, cache_dir)                      -> True when the output was written from the record
    record(args, cache_dir, started_ns, ...)     after a full run: what the next one compares

A warm ``compute`` spends most of its time starting up (the model, msgspec, the scan's modules)
and turning the result it reuses back into JSON. This module needs the standard library only: it
runs before any of that is imported. After a full run, :func:`record` keeps, in the cache folder,
the exact bytes written (around ``generated_at``) with the ``lstat`` of every path they came from:

* every file and folder of the two trees the scan walked, and every file it left out
  (:attr:`~matrix.sources.scan.Scan.watched`): a folder's mtime changes when an entry is added,
  removed or renamed, a file's ctime with every write (and with ``utime``);
* go.mod, the version sources and, with a ``.git`` folder, ``HEAD``, ``packed-refs`` and
  ``refs/**`` of both trees; the profile file; ``--history``, ``--parity`` and the benchmark
  files;
* the engine: every module the run imported (the project, msgspec, tree-sitter, the standard
  library) and the data files of the package, with the interpreter's version.

:func:`replay` compares each (mode, size, mtime, ctime, inode) and the options that shape the
output (roots, profile, commits, evidence, the cache folder); any difference, a missing or
damaged record, and the full run happens (and records again). A record is written only when
every path it names was last changed at least :data:`RACY_NS` before the run started (a change
during the run could otherwise go unseen, as git's "racily clean" entries), and never for a
``.git`` that is a file (a linked worktree: its refs live elsewhere) or a profile given as an
object. ``--no-cache`` neither reads nor writes it; ``--timings`` always runs the scan's steps.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import time
import zlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing: this module is on the clock
if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable, Mapping
    from typing import Any

    _Stat = tuple[int, int, int, int, int] | None

__all__ = ["RACY_NS", "record", "replay"]

#: Bumped when the record's layout changes.
VERSION = 1
#: A path changed this close to the start of the run (or later) keeps the run from being recorded.
RACY_NS = 2_000_000_000
_STAMP = b'\n  "generated_at": "'
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))



def _stat(path: str) -> _Stat:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _absolute(path: str) -> str:
    """An absolute path as it is (``os.path.abspath`` normalises too, at a cost for thousands)."""
    return path if os.path.isabs(path) else os.path.abspath(path)


def _abs(value: str | None) -> str | None:
    return os.path.abspath(value) if value else None


def _key(args: argparse.Namespace, cache_dir: str) -> tuple[Any, ...]:
    """What shapes the output besides the watched files: the options, the commits, the interpreter."""
    return (
        VERSION, sys.executable, sys.version,
        _abs(args.python_root), _abs(args.go_root), _abs(args.profile), _abs(args.history),
        _abs(args.parity), _abs(args.bench_go), _abs(args.bench_python),
        args.python_commit or os.environ.get("AGNO_PYTHON_COMMIT"),
        args.go_commit or os.environ.get("AGNO_GO_COMMIT"),
        _abs(cache_dir),
    )


def _path(cache_dir: str, key: tuple[Any, ...]) -> str:
    return os.path.join(cache_dir, f"express-{zlib.crc32(repr(key).encode()):08x}.marshal")


def _stamp() -> bytes:
    """``generated_at`` as the model writes it (UTC, to the second)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()).encode()


def replay(args: argparse.Namespace, cache_dir: str) -> bool:
    """Write ``args.out`` from the record when every watched path is as recorded; False otherwise."""
    key = _key(args, cache_dir)
    try:
        with open(_path(cache_dir, key), "rb") as fh:
            rec = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if not isinstance(rec, dict) or rec.get("key") != key:
        return False
    try:
        paths, stats, head, tail = rec["paths"], rec["stats"], rec["head"], rec["tail"]
        summary = rec["summary"]
        if len(paths) != len(stats) or not all(isinstance(x, bytes) for x in (head, tail)):
            return False
        for p, st in zip(paths, stats, strict=True):
            if _stat(p) != st:
                return False
    except (KeyError, TypeError, ValueError):
        return False
    from .._io import write_atomic

    write_atomic(args.out, head + _stamp() + tail)
    if not args.quiet:
        print(f"wrote {args.out}: {summary}", file=sys.stderr)
    return True


def _engine() -> list[str]:
    """The files of every module imported so far, and the package's data files (profiles, messages)."""
    out = {f for m in list(sys.modules.values()) if isinstance(f := getattr(m, "__file__", None), str)}
    for top, dirs, files in os.walk(_PACKAGE):
        dirs[:] = [d for d in dirs if d not in ("__pycache__", "data")]
        out.update(os.path.join(top, f) for f in files if not f.endswith((".pyc", ".py")))
    return sorted(out)


def record(args: argparse.Namespace, cache_dir: str, started_ns: int, watched: Iterable[str] | None,
           data: bytes, summary: str, seen: Mapping[str, _Stat] | None = None) -> None:
    """Keep what :func:`replay` needs, when it can be trusted (see the module docstring); a record
    that cannot be written is no error (the next run is a full one). ``seen``: the ``lstat`` of files
    taken before they were read (the scan's walk), kept as they are (a change since shows next time)."""
    key = _key(args, cache_dir)
    path = _path(cache_dir, key)
    at = data.find(_STAMP)
    if watched is None or at < 0:
        _drop(path)
        return
    start = at + len(_STAMP)
    end = data.find(b'"', start)
    paths = sorted({*map(_absolute, watched), *_engine(), *_evidence(args)})  # another cwd, the same
    seen = seen or {}
    stats = [seen[p] if p in seen else _stat(p) for p in paths]
    settled = started_ns - RACY_NS
    if any(st is not None and max(st[2], st[3]) >= settled for st in stats):
        _drop(path)
        return
    rec = {"key": key, "paths": paths, "stats": stats, "head": data[:start], "tail": data[end:],
           "summary": summary}
    from .._io import write_atomic

    try:
        write_atomic(path, marshal.dumps(rec), durable=False)  # a cache: damaged, a full run
    except OSError:  # WriteError is an OSError too
        _drop(path)


def _evidence(args: argparse.Namespace) -> list[str]:
    """``--history`` and ``--parity`` (the folders and every file under them), the benchmark files."""
    out: list[str] = []
    for folder in (args.history, args.parity):
        if folder:
            out.append(os.path.abspath(folder))
            for top, _dirs, files in os.walk(folder):
                out.append(os.path.abspath(top))
                out.extend(os.path.abspath(os.path.join(top, f)) for f in files)
    out.extend(os.path.abspath(f) for f in (args.bench_go, args.bench_python) if f)
    return out


def _drop(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)

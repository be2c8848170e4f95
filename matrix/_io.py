"""Writes that respect their target: every file the tool writes goes through :func:`write_atomic`.

    target(path) -> Path          the regular file a write to ``path`` would replace, or a WriteError
    write_atomic(path, data)      replace it in one step (temp file, fsync, os.replace), or change nothing
    write_atomic(path, data, durable=False)   the same without the fsyncs: for caches, which a crash
                                  may leave truncated (their readers then rebuild them), never documents

``--out`` of compute/fetch/schema, README rewrites, snapshots and caches all use them, so each
promise holds everywhere: a symlink is followed and the file it names is replaced (the link
stays a link); the new file keeps the old one's mode, owner and group; a directory, device,
FIFO or socket is never replaced (as root, ``--out /dev/null`` would otherwise turn the device
into a regular file), nor is a read-only file; any failure (disk full, folder not writable)
leaves the old file as it was, removes the temp file, and is one :class:`WriteError` line.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from .errors import WriteError

__all__ = ["target", "write_atomic"]

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))
_REGULAR = "pass the path of a regular file (or of a file to create)"


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _existing(path: Path, shown: str) -> os.stat_result | None:
    """The target's stat, None when it does not exist yet; a WriteError when it must not be replaced."""
    via = f" ({path})" if str(path) != os.path.abspath(shown) else ""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:  # a symlink loop, a folder we may not search...
        raise WriteError(f"cannot inspect it ({_why(exc)})", where=shown, hint=_REGULAR) from None
    for test, kind in _KINDS:
        if test(st.st_mode):
            raise WriteError(f"refusing to replace {kind}{via}", where=shown, hint=_REGULAR)
    if not stat.S_ISREG(st.st_mode):  # pragma: no cover - door, whiteout, event port...
        raise WriteError(f"refusing to replace a special file{via}", where=shown, hint=_REGULAR)
    if not st.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise WriteError(f"refusing to replace a read-only file{via}", where=shown,
                         hint="make it writable first (chmod u+w) if it should be rewritten")
    return st


def target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` replaces (symlinks followed), checked: a regular file or none yet."""
    resolved = Path(os.path.realpath(path))
    _existing(resolved, os.fspath(path))
    return resolved


def _keep_owner_and_mode(tmp: str, old: os.stat_result | None, shown: str) -> None:
    if old is None:
        os.chmod(tmp, 0o644)
        return
    now = os.stat(tmp)
    if (now.st_uid, now.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except PermissionError:
            raise WriteError(f"cannot keep its owner and group ({old.st_uid}:{old.st_gid})", where=shown,
                             hint="run as the file's owner, or write to another path") from None
    os.chmod(tmp, stat.S_IMODE(old.st_mode))


def _temporary(dest: Path) -> tuple[int, str]:
    """A new file beside ``dest`` only this call opened (``O_EXCL``, mode 0600), as ``tempfile.mkstemp``
    makes one (that module's import, ~4 ms measured, is a tenth of a warm ``compute``)."""
    for _ in range(100):
        tmp = os.path.join(dest.parent, f".{dest.name}.{os.getpid()}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {dest.name}")


def write_atomic(path: str | os.PathLike[str], data: bytes | str, *, durable: bool = True) -> None:
    """Replace the file at ``path`` with ``data`` in one step, or leave it as it was (see the module).

    ``durable=False`` skips the fsyncs of the file and its folder (2-10 ms each measured): a cache.
    """
    shown = os.fspath(path)
    dest = Path(os.path.realpath(path))
    old = _existing(dest, shown)
    try:
        payload = data.encode("utf-8") if isinstance(data, str) else data
    except UnicodeEncodeError as exc:
        raise WriteError(f"the text to write is not valid Unicode ({exc.reason})", where=shown) from None
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary(dest)
    except OSError as exc:
        raise WriteError(f"cannot write in {dest.parent} ({_why(exc)})", where=shown,
                         hint="check that the folder exists and is writable") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        _keep_owner_and_mode(tmp, old, shown)
        os.replace(tmp, dest)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            raise WriteError(f"cannot write ({_why(exc)}); the previous file is unchanged" if old else
                             f"cannot write ({_why(exc)})", where=shown) from None
        raise
    if not durable:
        return
    with contextlib.suppress(OSError):  # the rename itself survives a crash once the folder is synced
        folder = os.open(dest.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(folder)
        finally:
            os.close(folder)

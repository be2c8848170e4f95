"""Which files a scan reads, and how: regular files inside the checkout, capped, text only.

    Tree(root, limit)                  one checkout; collects what was left out (``tree.skipped``)
    tree.walk(top, suffix)             -> [FileStat] every file under ``top`` ending with ``suffix``
    tree.folders(top)                  -> names of the folders directly under ``top``
    read(f, limit)                     -> the file's bytes, or :class:`Skip` (why it is left out)

What is read is what a checkout holds, nothing else:

* only regular files: a FIFO, socket or device named ``*.py`` is never opened (opening a FIFO
  blocks forever), and a file is opened non-blocking, without following a symlink, and checked
  again (``fstat``) before one byte is read;
* a symlinked file is read only when its target is a regular file inside the same checkout (a
  link to ``/dev/zero`` or ``/etc/passwd`` is left out); symlinked folders are not followed
  (no loops, nothing outside the tree);
* no file over ``limit`` bytes (the profile's ``scan.max_file_bytes``): its size is checked
  before reading and the read itself stops one byte past the limit;
* no binary file: NUL bytes or bytes that are not UTF-8 mean it is no source file (it is never
  published as a module);
* no file or folder whose name is not valid UTF-8 (it could not be named in the matrix, nor in
  the cache).

Each file left out is a :class:`~matrix.model.Diagnostic` (``tree.skipped``, or the
:class:`Skip` raised by :func:`read`), counted in the matrix: never silent. A folder (or file)
the scan may not read is an error (:class:`~matrix.errors.SourceError`, exit 3) that names it:
leaving it out would demote every module it holds. Hidden entries (``.git``) and the
:data:`SKIP_DIRS` are not source and are not walked.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import msgspec

from ...errors import SourceError
from ...model import Diagnostic

__all__ = ["DEFAULT_LIMIT", "SKIP_DIRS", "FileStat", "Skip", "Tree", "read"]

#: The default of the profile's ``scan.max_file_bytes`` (the largest real source file is ~0.5 MB).
DEFAULT_LIMIT = 4 * 1024 * 1024
#: Folders that hold no source of the tree (caches, vendored and test data).
SKIP_DIRS = frozenset({"__pycache__", "node_modules", "vendor", "testdata", "site-packages"})

_OPEN = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))
_UNREADABLE = "make it readable for the user running the scan, or pass a checkout it can read"


class FileStat(msgspec.Struct, array_like=True, frozen=True):
    """A file to read: its path relative to the checkout (or the walked folder), where it is, its stat."""

    rel: str
    path: str
    """Where to open it (a symlink's target inside the tree)."""
    size: int
    mtime_ns: int
    ctime_ns: int = 0
    """The inode's change time: set to the clock by every write and by ``utime`` itself, so an edit
    that puts back the size and the mtime still changes it (git's index compares it too)."""
    ino: int = 0
    """The inode number: a file replaced by another (a rename over it) has a new one."""


class Skip(Exception):
    """A file the scan leaves out, and why (becomes a diagnostic; never leaves the scan)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(message)


def _kind(mode: int) -> str:
    return next((kind for test, kind in _KINDS if test(mode)), "not a regular file")


def _printable(name: str) -> str:
    """A name with undecodable bytes shown as ``\\xe9`` (valid UTF-8 for the matrix and the cache)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _valid(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # surrogate escapes: the bytes on disk are not UTF-8
        return False
    return True


def _too_big(size: int, limit: int) -> str:
    return (f"{size:,} bytes, over the scan's limit of {limit:,} (scan.max_file_bytes in the profile): "
            "not read")


class Tree:
    """One checkout: walks its folders and remembers every file it leaves out (``skipped``)."""

    def __init__(self, root: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.root = root
        self.limit = limit
        self.real = os.path.realpath(root)
        self.skipped: list[Diagnostic] = []
        self.watched: list[str] = []
        """Every folder listed and every file with the suffix left out by the walk (too big, a
        symlink that leads out, a FIFO): with the files it returns, what a change of the walk's
        answer shows in (a folder's mtime changes when an entry is added, removed or renamed)."""
        self.stats: dict[str, tuple[int, int, int, int, int]] = {}
        """The ``lstat`` of every regular file the walk saw (mode, size, mtime, ctime, inode), taken
        before any is read: what the express record keeps (:mod:`matrix.commands._express`)."""

    def _skip(self, shown: str, message: str) -> None:
        self.skipped.append(Diagnostic(file=_printable(shown), message=message))

    def _entries(self, path: str, shown: str, *, top: bool) -> list[os.DirEntry[str]]:
        self.watched.append(path)
        try:
            with os.scandir(path) as it:
                return list(it)
        except (FileNotFoundError, NotADirectoryError):
            if top:
                return []  # a root the profile names but this tree lacks (``internal``)
            self._skip(shown, "vanished while the scan read its folder")
            return []
        except OSError as exc:
            raise SourceError(f"cannot read this folder ({exc.strerror or exc})", where=path,
                              hint=_UNREADABLE) from None

    def walk(self, top: str, suffix: str, *, keep_prefix: bool = True) -> list[FileStat]:
        """Every file under ``top`` (relative to the root) ending with ``suffix``.

        ``FileStat.rel`` is relative to the root (``keep_prefix``) or to ``top``; the order is the
        walk's (a stack of folders, entries as the file system lists them).
        """
        top = top.strip("/")
        shown = "" if top in ("", ".") else top + "/"
        out: list[FileStat] = []
        stack = [(os.path.join(self.root, top) if shown else str(self.root), shown if keep_prefix else "",
                  shown, True)]
        while stack:
            path, rel, where, is_top = stack.pop()
            try:
                self._folder(self._entries(path, where.rstrip("/") or ".", top=is_top), suffix, rel, where,
                             stack, out)
            except OSError as exc:  # a stat that failed for another reason than the file vanishing
                raise SourceError(f"cannot read a file's status ({exc.strerror or exc})",
                                  where=exc.filename or path, hint=_UNREADABLE) from None
        return out

    def _folder(self, entries: list[os.DirEntry[str]], suffix: str, rel: str, where: str,
                stack: list[tuple[str, str, str, bool]], out: list[FileStat]) -> None:
        """One folder's entries: sub-folders onto ``stack``, files to read into ``out``."""
        limit = self.limit
        for e in entries:
            name = e.name
            if name[0] == ".":
                continue
            if e.is_dir(follow_symlinks=False):
                if name in SKIP_DIRS:
                    continue
                if name.isascii() or _valid(name):
                    stack.append((e.path, f"{rel}{name}/", f"{where}{name}/", False))
                else:
                    self._skip(where + name, "the folder name is not valid UTF-8: its files are not read "
                               "(rename it)")
            elif not name.endswith(suffix):
                if e.is_symlink() and os.path.isdir(e.path):
                    self._skip(where + name, "a symlinked folder: not followed (its files are not read)")
            elif not (name.isascii() or _valid(name)):
                self._skip(where + name, "the file name is not valid UTF-8: not read (rename it)")
            elif e.is_file(follow_symlinks=False):  # a regular file (no symlink): the common case
                try:
                    st = e.stat(follow_symlinks=False)
                except FileNotFoundError:
                    self._skip(where + name, "vanished while the scan read its folder")
                    continue
                self.stats[e.path] = (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                if st.st_size > limit:
                    self._skip(where + name, _too_big(st.st_size, limit))
                    self.watched.append(e.path)
                else:
                    out.append(FileStat(rel + name, e.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                        st.st_ino))
            else:
                f = self._odd(e, rel + name, where + name)
                if f is None:
                    self.watched.append(e.path)
                else:
                    out.append(f)

    def _odd(self, e: os.DirEntry[str], rel: str, shown: str) -> FileStat | None:
        """A symlink, FIFO, socket or device with the suffix: a file to read only when a link stays inside."""
        if e.is_symlink():
            return self._link(e, rel, shown)
        try:
            mode = e.stat(follow_symlinks=False).st_mode
        except FileNotFoundError:
            self._skip(shown, "vanished while the scan read its folder")
            return None
        self._skip(shown, f"{_kind(mode)}, not a regular file: not read")
        return None

    def _link(self, e: os.DirEntry[str], rel: str, shown: str) -> FileStat | None:
        target = os.path.realpath(e.path)
        inside = target == self.real or target.startswith(self.real.rstrip(os.sep) + os.sep)
        if not inside:
            self._skip(shown, f"a symlink to {_printable(target)}, outside the tree: not read")
            return None
        try:
            st = os.stat(target)
        except FileNotFoundError:
            self._skip(shown, "a broken symlink: not read")
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._skip(shown, "a symlink loop: not read")
                return None
            raise
        if not stat.S_ISREG(st.st_mode):
            self._skip(shown, f"a symlink to {_kind(st.st_mode)}, not a regular file: not read")
            return None
        if st.st_size > self.limit:
            self._skip(shown, _too_big(st.st_size, self.limit))
            return None
        return FileStat(rel, target, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

    def folders(self, top: str) -> list[str]:
        """Names of the folders directly under ``top`` (``cmd/examples``), symlinks not followed."""
        path = os.path.join(self.root, top)
        out = []
        for e in self._entries(path, top, top=True):
            try:
                if e.is_dir(follow_symlinks=False) and _valid(e.name):
                    out.append(e.name)
            except OSError:
                continue
        return out


def _read_fd(fd: int, size: int, limit: int) -> bytes:
    """Up to ``limit`` bytes (one read of the size ``fstat`` gave, then more only if the file grew)."""
    if size > limit:
        raise Skip(_too_big(size, limit))
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data
    parts = [data]
    total = len(data)
    while total <= limit:
        more = os.read(fd, 1 << 16)
        if not more:
            return b"".join(parts)
        parts.append(more)
        total += len(more)
    raise Skip(_too_big(total, limit))


def read(f: FileStat, limit: int) -> bytes:
    """The bytes of a file the walk found, or :class:`Skip`; unreadable is a :class:`SourceError`.

    Opened without following a symlink and without blocking (a FIFO put there since the walk does
    not hang), checked to be a regular file, read up to ``limit`` bytes, and checked to be text.
    """
    try:
        fd = os.open(f.path, _OPEN)
    except FileNotFoundError:
        raise Skip("vanished while the scan read it") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise Skip("became a symlink while the scan read it: not read") from None
        raise SourceError(f"cannot read this file ({exc.strerror or exc})", where=f.path,
                          hint=_UNREADABLE) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Skip(f"{_kind(st.st_mode)}, not a regular file: not read")
        data = _read_fd(fd, st.st_size, limit)
    except OSError as exc:
        raise SourceError(f"cannot read this file ({exc.strerror or exc})", where=f.path,
                          hint=_UNREADABLE) from None
    finally:
        os.close(fd)
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        raise Skip("binary (NUL bytes), not source text: not read", line)
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Skip("not UTF-8 text: not read", data.count(b"\n", 0, exc.start) + 1) from None
    return data

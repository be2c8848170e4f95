"""Content-hash caches of a scan, git-index style: per-file facts, and the assembled result.

One msgpack file per (tree, kind) under the cache folder (``.cache/agno-docs`` or
``AGNO_DOCS_CACHE``). For each file: ``(size, mtime_ns, ctime_ns, inode)`` is compared
first; when any differs the file is read and its SHA-1 digest compared; only a changed
digest means extracting again. What the stat fast path trusts: that a file whose four
values are unchanged has unchanged content. Every write sets the ctime to the clock, and
so does ``utime`` (which can put an mtime back, but not a ctime), so an edit that keeps the
size and puts the mtime back is still seen; only a clock set back, or a tool writing the
block device, could hide one. An entry whose mtime or ctime is not safely older than the
moment the cache was written is "racily clean" and is re-hashed (as git does). A file the scan left out
when it read it (binary, not UTF-8: :mod:`.walk`) is cached as that skip, so that a warm
run neither reads it again nor forgets the diagnostic.

:class:`ResultFile` keeps the assembled result of both trees with what it was made from:
a key (profile, roots, the assembling code), the hash of every file's digest, and the
walk's manifest (every file's size and mtime). When the walk finds the same manifest (and
no file is racily clean), the result is reused without opening the facts caches at all.

A corrupt, truncated or version-mismatched cache file is ignored and rebuilt; writes are
atomic; a cache that cannot be written is not an error (the next run is cold again).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

import msgspec

from ..._io import write_atomic
from ...model import Diagnostic
from .facts import FACTS_VERSION, GoFacts, PyFacts, RecipeFacts, Result
from .walk import FileStat, Skip

__all__ = ["FactCache", "FileStat", "ResultFile", "digest", "tree_key"]

T = TypeVar("T", PyFacts, RecipeFacts, GoFacts)

#: Files modified within this many nanoseconds of the cache write are re-hashed.
RACY_NS = 2_000_000_000


class _Entry(msgspec.Struct, array_like=True):
    size: int
    mtime_ns: int
    digest: bytes
    flag: int
    facts: msgspec.Raw
    """The encoded facts: decoded only when the matrix must be assembled again (not on a warm run)."""
    skip: str = ""
    """Why the file was left out when read (:class:`~.walk.Skip`); then ``facts`` is empty."""
    skip_line: int = 0
    ctime_ns: int = 0
    ino: int = 0


class _File(msgspec.Struct):
    version: int
    kind: str
    written_ns: int
    entries: dict[str, _Entry]


def digest(data: bytes) -> bytes:
    """SHA-1 of the content, as git uses (OpenSSL's is the fastest hashlib offers here)."""
    return hashlib.sha1(data).digest()


def _save(path: Path, doc: msgspec.Struct) -> None:
    """Write a cache file; a failure (disk full, read-only folder, a name msgpack cannot hold) is no error."""
    try:
        data = msgspec.msgpack.encode(doc)
    except (UnicodeEncodeError, OverflowError):  # the walk admits UTF-8 names only: a caller's mistake
        return
    with contextlib.suppress(OSError):
        write_atomic(path, data, durable=False)  # a cache: a truncated one is rebuilt


class FactCache(Generic[T]):
    """The cached facts of one kind of file in one tree."""

    def __init__(self, folder: Path | None, key: str, kind: str, facts_type: type[T]) -> None:
        self.path = folder / f"{kind}-{key}.msgpack" if folder is not None else None
        self.kind = kind
        self._decoder: msgspec.msgpack.Decoder[T] = msgspec.msgpack.Decoder(facts_type)
        self.old: dict[str, _Entry] = {}
        self.written_ns = 0
        self.status = "off" if self.path is None else "cold"
        if self.path is not None:
            self._read()
        self.new: dict[str, _Entry] = {}
        self.changed = 0

    def _read(self) -> None:
        assert self.path is not None
        try:
            raw = self.path.read_bytes()
        except OSError:
            return
        try:
            doc = msgspec.msgpack.decode(raw, type=_File)
        except (msgspec.DecodeError, msgspec.ValidationError):
            self.status = "corrupt"
            return
        if doc.version != FACTS_VERSION or doc.kind != self.kind:
            self.status = "version-mismatch"
            return
        self.old = doc.entries
        self.written_ns = doc.written_ns
        self.status = "warm"

    def lookup(
        self,
        files: Iterable[FileStat],
        read: Callable[[FileStat], bytes],
        flag: Callable[[str], int] = lambda rel: 0,
    ) -> tuple[dict[str, T | msgspec.Raw], list[tuple[FileStat, bytes | None]], dict[str, Skip]]:
        """What the cache knows of ``files``: their facts (still encoded), the files to extract, the skips.

        A file to extract comes with its bytes when they were read to compare digests (None: not read
        yet). ``read`` may raise :class:`~.walk.Skip` (cached as such) or a one-line error. Callers
        extract the files (perhaps in another process), :meth:`put` them, and :meth:`decoded` the found
        ones when they need them.
        """
        found: dict[str, T | msgspec.Raw] = {}
        todo: list[tuple[FileStat, bytes | None]] = []
        skipped: dict[str, Skip] = {}
        racy_after = self.written_ns - RACY_NS
        for f in files:
            fl = flag(f.rel)
            e = self.old.get(f.rel)
            if e is None or e.flag != fl:
                todo.append((f, None))
                continue
            if (e.size == f.size and e.mtime_ns == f.mtime_ns and e.ctime_ns == f.ctime_ns and e.ino == f.ino
                    and max(f.mtime_ns, f.ctime_ns) < racy_after):
                self.new[f.rel] = e
                if e.skip:
                    skipped[f.rel] = Skip(e.skip, e.skip_line or None)
                else:
                    found[f.rel] = e.facts
                continue
            try:
                data = read(f)
            except Skip as skip:
                skipped[f.rel] = skip
                self.put_skip(f, skip, fl)
                continue
            if not e.skip and e.digest == digest(data):
                found[f.rel] = e.facts
                self.new[f.rel] = _Entry(f.size, f.mtime_ns, e.digest, fl, e.facts, ctime_ns=f.ctime_ns,
                                         ino=f.ino)
                continue
            todo.append((f, data))
        return found, todo, skipped

    def put(self, f: FileStat, sha1: bytes, facts: T | msgspec.Raw, flag: int = 0) -> None:
        """Remember the facts of a file extracted now (``facts`` already encoded or not)."""
        self.changed += 1
        if self.path is not None:
            raw = facts if isinstance(facts, msgspec.Raw) else msgspec.Raw(msgspec.msgpack.encode(facts))
            self.new[f.rel] = _Entry(f.size, f.mtime_ns, sha1, flag, raw, ctime_ns=f.ctime_ns, ino=f.ino)

    def put_skip(self, f: FileStat, skip: Skip, flag: int = 0) -> None:
        """Remember that a file was left out when read, and why."""
        self.changed += 1
        if self.path is not None:
            self.new[f.rel] = _Entry(f.size, f.mtime_ns, b"", flag, msgspec.Raw(b"\xc0"), skip.message,
                                     skip.line or 0, f.ctime_ns, f.ino)

    def decoded(self, found: dict[str, T | msgspec.Raw]) -> dict[str, T]:
        """``found`` with every still-encoded entry decoded (in place, and returned)."""
        dec = self._decoder
        for rel, v in found.items():
            if isinstance(v, msgspec.Raw):
                found[rel] = dec.decode(v)
        return found  # type: ignore[return-value]

    @property
    def digests(self) -> dict[str, bytes]:
        """The digest of every file this run knows (read from the cache or extracted now)."""
        return {rel: e.digest for rel, e in self.new.items()}

    def save(self) -> None:
        """Write the cache atomically, when anything changed; a failure to write is not an error."""
        if self.path is None:
            return
        if (
            self.status == "warm"
            and self.changed == 0
            and self.new.keys() == self.old.keys()
            and all(self.new[k] is self.old[k] for k in self.new)
        ):
            return
        _save(self.path, _File(version=FACTS_VERSION, kind=self.kind, written_ns=time.time_ns(),
                               entries=self.new))


class Manifest(msgspec.Struct, array_like=True, frozen=True):
    """What the walk found: every file (rel, path, size, mtime, ctime, inode) of each kind, in walk order."""

    library: tuple[FileStat, ...]
    cookbook: tuple[FileStat, ...]
    go: tuple[FileStat, ...]

    @property
    def count(self) -> int:
        return len(self.library) + len(self.cookbook) + len(self.go)

    @property
    def newest_ns(self) -> int:
        """The latest change of any file (its mtime, or its ctime: a ``utime`` back in time is a change)."""
        return max((max(f.mtime_ns, f.ctime_ns) for fs in (self.library, self.cookbook, self.go) for f in fs),
                   default=0)


class ResultFile(msgspec.Struct):
    """The assembled result of both trees, with what it was made from (see the module docstring)."""

    version: int
    key: str
    """Profile, roots, example folders, Go module and the assembling code."""
    facts: str
    """A hash of every file's digest."""
    written_ns: int
    manifest: Manifest
    skipped: tuple[Diagnostic, ...]
    """Files left out when read (binary, not UTF-8), as the facts caches know them."""
    result: msgspec.Raw
    """The encoded :class:`~.facts.Result`, decoded only when it is reused."""


def load_result(path: Path | None, key: str) -> ResultFile | None:
    """The result file at ``path`` when it was made with ``key`` (its result still encoded), else None."""
    if path is None:
        return None
    try:
        cached = msgspec.msgpack.decode(path.read_bytes(), type=ResultFile)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    return cached if cached.version == FACTS_VERSION and cached.key == key else None


def same_files(cached: ResultFile, manifest: Manifest) -> bool:
    """The walk found exactly the files the result was made from, none modified since (nor racily)."""
    return cached.manifest == manifest and manifest.newest_ns < cached.written_ns - RACY_NS


def decode_result(cached: ResultFile) -> Result | None:
    try:
        return msgspec.msgpack.decode(cached.result, type=Result)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
        return None


def save_result(path: Path | None, key: str, facts: str, manifest: Manifest,
                skipped: tuple[Diagnostic, ...], result: Result) -> None:
    if path is None:
        return
    doc = ResultFile(version=FACTS_VERSION, key=key, facts=facts, written_ns=time.time_ns(),
                     manifest=manifest, skipped=skipped, result=msgspec.Raw(msgspec.msgpack.encode(result)))
    _save(path, doc)


def tree_key(root: Path) -> str:
    """A short stable key for a tree (its absolute path), so two checkouts never share entries."""
    return hashlib.sha1(os.fsencode(root.resolve())).hexdigest()[:16]

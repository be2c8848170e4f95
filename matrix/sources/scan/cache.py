"""A content-hash cache of per-file facts, git-index style.

One msgpack file per (tree, kind) under the cache folder (``.cache/agno-docs`` or
``AGNO_DOCS_CACHE``). For each file: ``(size, mtime_ns)`` is compared first; when it
differs the file is read and its SHA-1 digest compared; only a changed digest means
extracting again. An entry whose mtime is not safely older than the moment the cache
was written is "racily clean" and is re-hashed (as git does). A corrupt, truncated or
version-mismatched cache file is ignored and rebuilt; writes are atomic.
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
from .facts import FACTS_VERSION, GoFacts, PyFacts, RecipeFacts

T = TypeVar("T", PyFacts, RecipeFacts, GoFacts)

#: Files modified within this many nanoseconds of the cache write are re-hashed.
_RACY_NS = 2_000_000_000


class _Entry(msgspec.Struct, array_like=True):
    size: int
    mtime_ns: int
    digest: bytes
    flag: int
    facts: msgspec.Raw
    """The encoded facts: decoded only when the matrix must be assembled again (not on a warm run)."""


class _File(msgspec.Struct):
    version: int
    kind: str
    written_ns: int
    entries: dict[str, _Entry]


class FileStat(msgspec.Struct, array_like=True, frozen=True):
    rel: str
    path: str
    size: int
    mtime_ns: int


def digest(data: bytes) -> bytes:
    """SHA-1 of the content, as git uses (OpenSSL's is the fastest hashlib offers here)."""
    return hashlib.sha1(data).digest()


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
        self.hits = 0
        self.misses = 0

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
        extract: Callable[[FileStat, bytes], T],
        flag: Callable[[str], int] = lambda rel: 0,
    ) -> tuple[dict[str, T | msgspec.Raw], list[tuple[FileStat, bytes]]]:
        """Facts of every file found in the cache (still encoded); the others with their bytes.

        Callers extract the returned files (perhaps in another process) and :meth:`put` them, and
        :meth:`decoded` the found ones when they need them.
        """
        found: dict[str, T | msgspec.Raw] = {}
        todo: list[tuple[FileStat, bytes]] = []
        racy_after = self.written_ns - _RACY_NS
        for f in files:
            fl = flag(f.rel)
            e = self.old.get(f.rel)
            if (
                e is not None
                and e.flag == fl
                and e.size == f.size
                and e.mtime_ns == f.mtime_ns
                and f.mtime_ns < racy_after
            ):
                found[f.rel] = e.facts
                self.new[f.rel] = e
                self.hits += 1
                continue
            try:
                with open(f.path, "rb") as fh:
                    data = fh.read()
            except OSError:
                continue
            if e is not None and e.flag == fl and e.digest == digest(data):
                found[f.rel] = e.facts
                self.new[f.rel] = _Entry(f.size, f.mtime_ns, e.digest, fl, e.facts)
                self.hits += 1
                continue
            todo.append((f, data))
        return found, todo

    def put(self, f: FileStat, data: bytes, facts: T, flag: int = 0) -> None:
        self.misses += 1
        if self.path is not None:
            raw = msgspec.Raw(msgspec.msgpack.encode(facts))
            self.new[f.rel] = _Entry(f.size, f.mtime_ns, digest(data), flag, raw)

    def decoded(self, found: dict[str, T | msgspec.Raw]) -> dict[str, T]:
        """``found`` with every still-encoded entry decoded (in place, and returned)."""
        dec = self._decoder
        for rel, v in found.items():
            if isinstance(v, msgspec.Raw):
                found[rel] = dec.decode(v)
        return found  # type: ignore[return-value]

    def save(self) -> None:
        """Write the cache atomically, when anything changed; a failure to write is not an error."""
        if self.path is None:
            return
        if (
            self.status == "warm"
            and self.misses == 0
            and self.new.keys() == self.old.keys()
            and all(self.new[k] is self.old[k] for k in self.new)
        ):
            return
        doc = _File(version=FACTS_VERSION, kind=self.kind, written_ns=time.time_ns(), entries=self.new)
        with contextlib.suppress(OSError):
            write_atomic(self.path, msgspec.msgpack.encode(doc))


def tree_key(root: Path) -> str:
    """A short stable key for a tree (its absolute path), so two checkouts never share entries."""
    return hashlib.sha1(os.fsencode(root.resolve())).hexdigest()[:16]

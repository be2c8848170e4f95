"""Is a Go function real, or a stub? Judged from its facts (:class:`~.facts.GoFunc`).

A function is a stub when

* its body's comments or strings, or its doc comment, carry one of the profile's stub words
  (``placeholder``, ``mock``, ``not implemented``, ``In a real implementation``...) and it
  never calls out (a real call that remarks "in a real implementation you might parse the HTML"
  is a simplified port, not a stub);
* a string literal in its body is canned data (``https://example.com/...``);
* it calls one of the ``stub_calls`` of the capability it stands for (``InvokeStream`` that
  only calls ``Invoke`` streams nothing);
* it never calls out, directly or through the functions of its package it calls, while its
  Python counterpart does I/O;
* it calls out only through a method of an interface its package declares that no type of the
  runtime implements (``Embed`` calling ``Encoder.Encode``: the program has to supply the model).

Calls are resolved by name within the function's package (a method and a function of the
same name are not told apart: a call counts as calling out when any of them does).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping

from ...notes import Part, say
from .facts import GoFacts, GoFunc


class Packages:
    """Every Go function by package folder and name, and which of them reach I/O."""

    def __init__(self, go: Mapping[str, GoFacts], counted: Iterable[str]) -> None:
        self.by_dir: dict[str, dict[str, list[GoFunc]]] = {}
        self.files: dict[str, list[str]] = {}
        self.interfaces: dict[str, dict[str, str]] = {}
        """Per package folder: interface method name -> its interface."""
        self.implemented: set[str] = set()
        """Names of the methods concrete types of the runtime define (anywhere in the tree)."""
        for rel in counted:
            d = posixpath.dirname(rel)
            self.files.setdefault(d, []).append(rel)
            names = self.by_dir.setdefault(d, {})
            for fn in go[rel].funcs:
                names.setdefault(fn.name, []).append(fn)
                if fn.recv:
                    self.implemented.add(fn.name)
            for t in go[rel].types:
                if t.kind == "interface":
                    for f in t.fields:
                        self.interfaces.setdefault(d, {}).setdefault(f.name, t.name)

    def _reached(self, folder: str, fn: GoFunc) -> Iterator[str]:
        """Each name ``fn`` calls, and what the functions of its package by those names call, in
        turn (depth first, each name once): the call graph of ``fn`` within its package."""
        seen: set[str] = set()
        todo = list(fn.calls)
        names = self.by_dir.get(folder, {})
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            yield n
            for callee in names.get(n, ()):
                todo.extend(callee.calls)

    def unimplemented(self, folder: str, fn: GoFunc) -> str | None:
        """``Encoder.Encode`` when ``fn`` (or a function of its package it calls) calls a method of
        an interface of this package that no concrete type of the runtime implements."""
        ifaces = self.interfaces.get(folder)
        if not ifaces:
            return None
        for n in self._reached(folder, fn):
            if n in ifaces and n not in self.implemented:
                return f"{ifaces[n]}.{n}"
        return None

    def find(self, folder: str, name: str) -> GoFunc | None:
        fns = self.by_dir.get(folder, {}).get(name)
        return fns[0] if fns else None

    def reaches_io(self, folder: str, fn: GoFunc) -> bool:
        """``fn`` does I/O, or a function of its package it reaches does."""
        if fn.io:
            return True
        names = self.by_dir.get(folder, {})
        return any(callee.io for n in self._reached(folder, fn) for callee in names.get(n, ()))

def verdict(fn: GoFunc, folder: str, pkgs: Packages, *, python_io: bool = False,
            stub_calls: Iterable[str] = ()) -> str | None:
    """Why ``fn`` is a stub (a short note), or None when it looks real."""
    if fn.canned:
        return say(Part("unit_note.canned", {"data": fn.canned}))
    for c in stub_calls:
        if c in fn.calls:
            return say(Part("unit_note.delegates", {"callee": c}))
    calls_out: bool | None = None
    if fn.markers:
        calls_out = pkgs.reaches_io(folder, fn)
        if not calls_out:
            return say(Part("unit_note.says", {"marker": repr(fn.markers[0])}))
    if python_io and not (calls_out if calls_out is not None else pkgs.reaches_io(folder, fn)):
        return say(Part("unit_note.no_io"))
    missing = pkgs.unimplemented(folder, fn)
    if missing is not None and not (calls_out if calls_out is not None else pkgs.reaches_io(folder, fn)):
        return say(Part("unit_note.unimplemented", {"missing": missing}))
    return None

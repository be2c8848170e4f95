"""The profile's extraction rules, compiled once per scan for the extractors.

What the extractors look for is data in the profile (``[rules]``, and the mention words and
declared classes of its families); this module gathers it into :class:`PyRules` and
:class:`GoRules`. Its fingerprint (:attr:`~matrix.profiles.Profile.extraction`) is part of the
facts cache key, so a change of rules is a change of key; warm runs never import this module.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from ...profiles import FamilySpec, Profile


@dataclass(frozen=True)
class PyRules:
    reexport: re.Pattern[bytes] = re.compile(rb"^from[ \t]+(\w+(?:\.\w+)+)[ \t]+import", re.M)
    """A re-export stub's ``from <package>.x import ...`` (the package: the library root's name)."""
    toolkit_arg: str | None = None
    """A toolkit's ``__init__`` mentions this (``tools``) when it lists its tools."""
    io: tuple[str, ...] = ()
    """Substrings of a method body that count as I/O."""
    route: re.Pattern[str] | None = None
    router_prefix: re.Pattern[str] | None = None
    declared: frozenset[str] = frozenset()
    """Classes and functions whose parameters / fields are read (``FIELDS``)."""


@dataclass(frozen=True)
class GoRules:
    io: re.Pattern[str] | None = None
    stub: re.Pattern[str] | None = None
    canned: re.Pattern[str] | None = None
    registration: str | None = None
    registration_name: str = "Name"
    registration_handler: str = "Handler"
    route_group: str | None = None
    route: str | None = None
    route_scope: str | None = None
    route_roots: re.Pattern[str] | None = None
    mentions: tuple[bytes, ...] = ()
    queries: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    """Compiled tree-sitter queries (filled by :mod:`.go` on first use)."""


@dataclass(frozen=True)
class Compiled:
    python: PyRules
    go: GoRules
    fingerprint: str


def _either(patterns: tuple[str, ...], flags: int = 0) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags) if patterns else None


def _families_specs(fam: FamilySpec) -> list[object]:
    specs: list[object] = [fam]
    specs.extend(fam.modules.values())
    specs.extend(fam.overrides.values())
    return specs


def _inputs(prof: Profile) -> tuple[set[str], set[str], set[str], str]:
    py_mentions: set[str] = set()
    go_mentions: set[str] = set()
    declared: set[str] = set()
    for fam in prof.families:
        for spec in _families_specs(fam):
            for cap in getattr(spec, "capabilities", {}).values():
                py_mentions.update(cap.python.mentions)
                go_mentions.update(cap.go.mentions)
            for cls in getattr(spec, "classes", ()):
                declared.add(cls.python)
    package = posixpath.basename(prof.baseline.root.rstrip("/")) or "."
    return py_mentions, go_mentions, declared, package


def compile_rules(prof: Profile) -> Compiled:
    """The rules ready for the extractors (regular expressions compiled; queries compile on first use)."""
    _, go_mentions, declared, package = _inputs(prof)
    r = prof.rules
    reexport = rb"^from[ \t]+(" + re.escape(package.encode()) + rb"(?:\.\w+)+)[ \t]+import"
    py = PyRules(
        reexport=re.compile(reexport, re.M),
        toolkit_arg=r.python.toolkit_arg,
        io=r.python.io,
        route=re.compile(r.python.route, re.S) if r.python.route else None,
        router_prefix=re.compile(r.python.router_prefix) if r.python.router_prefix else None,
        declared=frozenset(declared),
    )
    go = GoRules(
        io=_either(r.go.io),
        stub=_either(r.go.stub_words, re.I),
        canned=_either(r.go.canned),
        registration=r.go.registration,
        registration_name=r.go.registration_name,
        registration_handler=r.go.registration_handler,
        route_group=r.go.route_group,
        route=r.go.route,
        route_scope=r.go.route_scope,
        route_roots=re.compile(r.go.route_roots) if r.go.route_roots else None,
        mentions=tuple(sorted(m.encode() for m in go_mentions)),
    )
    return Compiled(python=py, go=go, fingerprint=prof.extraction)

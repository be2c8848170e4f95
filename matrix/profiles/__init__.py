"""Scan profiles as data: where each module family lives in each tree, and how names map.

A profile is a TOML file (``agno.toml`` ships and is the default). :func:`load_profile`
reads it with :mod:`tomllib` and validates every key; a mistake is a one-line
:class:`~matrix.errors.UsageError` naming the file and the key::

    agno.toml: families.models.granularity: expected one of 'dir', 'file', got 'pkg'; fix the profile

Layout (see ``agno.toml`` for the real thing)::

    name = "agno"
    [baseline]   name, repository, root (library), cookbook, pyproject, version_from
    [runtime]    name, repository, root, examples, version_from (list of sources)
    [families.<id>]
      title, order, kind ("plain" | "toolkit" | "provider"), min_expected
      python = ["tools", ...]            folders under the baseline root (or files)
      granularity = "file" | "dir"       one module per file, or per package folder
      nested = ["google", ...]           sub-folders whose files are modules too (file granularity)
      suffix = "_reader"                 stripped from baseline names
      ignore = ["base.py", ...]          helpers that are not modules
      names = { "google/gmail" = "gmail" }      baseline path (relative) -> baseline name
      go = ["agno/tools"]                folders under the runtime root
      go_granularity = "dir" | "file" | "type"
      go_type_suffix = "Chunker"         for "type": struct types named <Name><suffix>
      go_ignore = ["toolkit"]
      go_paths = { a2a = "agentos/a2a" } baseline name -> runtime path (folder or .go file)
      aliases = { google = "gemini" }    baseline name -> runtime name
      function_aliases = { "duckduckgo.duckduckgo_search" = "search" }
      wont_port = { name = "reason" }
      go_only = true                     unmatched runtime entries become go_only modules
      modules = { agent = { python = ["agent"], go = ["agno/agent"], title = "Agent" } }
    [cookbook]   neutral = ["agno.utils", ...]   packages whose imports are nobody's feature: a
                 recipe importing them is neither mapped nor blocked by them
    [[cookbook.examples]]  go = "cmd/examples/x", recipes = [globs], modules = [module ids]

A profile describes every tree it may meet (older releases included): an explicit module
whose ``python`` paths are all absent from a tree, or an example folder absent from the
runtime, is simply not part of that tree's matrix. ``min_expected`` guards against a wrong
root: fewer baseline modules than that in a family is an error, never a mostly-red matrix.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import msgspec

from ..errors import UsageError

#: The profile that ships with the package.
DEFAULT_PROFILE = Path(__file__).resolve().parent / "agno.toml"

_KINDS = ("plain", "provider", "toolkit")
_GRANULARITY = ("dir", "file")
_GO_GRANULARITY = ("dir", "file", "type")


class ExplicitModule(msgspec.Struct, frozen=True):
    """A module the profile lists by hand (core packages, AgentOS parts)."""

    name: str
    title: str | None
    python: tuple[str, ...]
    go: tuple[str, ...]


class FamilySpec(msgspec.Struct, frozen=True):
    id: str
    title: str
    order: int
    kind: str = "plain"
    min_expected: int = 0
    python: tuple[str, ...] = ()
    granularity: str = "file"
    nested: tuple[str, ...] = ()
    suffix: str = ""
    ignore: frozenset[str] = frozenset()
    names: dict[str, str] = msgspec.field(default_factory=dict)
    go: tuple[str, ...] = ()
    go_granularity: str = "dir"
    go_type_suffix: str = ""
    go_ignore: frozenset[str] = frozenset()
    go_paths: dict[str, str] = msgspec.field(default_factory=dict)
    aliases: dict[str, str] = msgspec.field(default_factory=dict)
    function_aliases: dict[str, str] = msgspec.field(default_factory=dict)
    wont_port: dict[str, str] = msgspec.field(default_factory=dict)
    go_only: bool = False
    modules: tuple[ExplicitModule, ...] = ()


class TreeSpec(msgspec.Struct, frozen=True):
    name: str
    repository: str | None
    root: str
    extra: str | None
    """The cookbook folder (baseline) or the examples folder (runtime)."""
    version_from: tuple[str, ...]


class ExampleSpec(msgspec.Struct, frozen=True):
    go: str
    recipes: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()


class Profile(msgspec.Struct, frozen=True):
    name: str
    path: str
    """The file it was read from."""
    baseline: TreeSpec
    runtime: TreeSpec
    families: tuple[FamilySpec, ...]
    examples: tuple[ExampleSpec, ...]
    fingerprint: str
    """A hash of the profile text (part of the cache key of derived results)."""
    neutral: tuple[str, ...] = ()
    """``[cookbook] neutral``: dotted packages (``agno.utils``) whose imports block no recipe."""


class _Reader:
    """Typed access to one TOML table with one-line errors naming file and key."""

    def __init__(self, file: str, key: str, table: Any) -> None:
        self.file = file
        self.key = key
        if not isinstance(table, dict):
            self.fail(f"expected a table, got {type(table).__name__}")
        self.table: dict[str, Any] = table
        self.seen: set[str] = set()

    def fail(self, what: str, key: str | None = None) -> None:
        where = f"{self.file}: {self._k(key)}" if (key or self.key) else self.file
        raise UsageError(what, where=where, hint="fix the profile")

    def _k(self, key: str | None) -> str:
        if key is None:
            return self.key
        return f"{self.key}.{key}" if self.key else key

    def sub(self, key: str, *, required: bool = False) -> _Reader:
        self.seen.add(key)
        if key not in self.table:
            if required:
                self.fail("missing required table", key)
            return _Reader(self.file, self._k(key), {})
        return _Reader(self.file, self._k(key), self.table[key])

    def str_(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        self.seen.add(key)
        if key not in self.table:
            if required:
                self.fail("missing required key", key)
            return default
        value = self.table[key]
        if not isinstance(value, str) or not value:
            self.fail(f"expected a non-empty string, got {value!r}", key)
        return str(value)

    def req_str(self, key: str) -> str:
        value = self.str_(key, required=True)
        assert value is not None
        return value

    def int_(self, key: str, default: int) -> int:
        self.seen.add(key)
        value = self.table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(f"expected a non-negative integer, got {value!r}", key)
        return int(value)

    def bool_(self, key: str, default: bool) -> bool:
        self.seen.add(key)
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {value!r}", key)
        return bool(value)

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        self.seen.add(key)
        value = self.table.get(key, default)
        if value not in choices:
            self.fail(f"expected one of {', '.join(repr(c) for c in choices)}, got {value!r}", key)
        return str(value)

    def str_list(self, key: str) -> tuple[str, ...]:
        self.seen.add(key)
        value = self.table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(f"expected a list of non-empty strings, got {value!r}", key)
        return tuple(value)

    def str_map(self, key: str) -> dict[str, str]:
        self.seen.add(key)
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            self.fail(f"expected a table of strings, got {value!r}", key)
        for k, v in value.items():
            if not isinstance(v, str) or not v:
                self.fail(f"expected a non-empty string, got {v!r}", f"{key}.{k}")
        return dict(value)

    def done(self) -> None:
        unknown = sorted(set(self.table) - self.seen)
        if unknown:
            self.fail("unknown key (not part of the profile format)", unknown[0])


def _tree(r: _Reader, extra_key: str) -> TreeSpec:
    spec = TreeSpec(
        name=r.req_str("name"),
        repository=r.str_("repository"),
        root=r.str_("root", ".") or ".",
        extra=r.str_(extra_key),
        version_from=r.str_list("version_from"),
    )
    r.done()
    return spec


def _family(fid: str, r: _Reader) -> FamilySpec:
    if not fid.replace("_", "").isalnum() or not fid[:1].isalpha() or fid != fid.lower():
        r.fail("family ids are lower-case letters, digits and underscores")
    modules: list[ExplicitModule] = []
    mods = r.sub("modules")
    for name in mods.table:
        mods.seen.add(name)
        m = mods.sub(name)
        python = m.str_list("python")
        go = m.str_list("go")
        title = m.str_("title")
        m.done()
        if not python:
            m.fail("missing required key", "python")
        modules.append(ExplicitModule(name=name, title=title, python=python, go=go))
    spec = FamilySpec(
        id=fid,
        title=r.req_str("title"),
        order=r.int_("order", 0),
        kind=r.choice("kind", "plain", _KINDS),
        min_expected=r.int_("min_expected", 0),
        python=r.str_list("python"),
        granularity=r.choice("granularity", "file", _GRANULARITY),
        nested=r.str_list("nested"),
        suffix=r.str_("suffix", "") or "",
        ignore=frozenset(r.str_list("ignore")),
        names=r.str_map("names"),
        go=r.str_list("go"),
        go_granularity=r.choice("go_granularity", "dir", _GO_GRANULARITY),
        go_type_suffix=r.str_("go_type_suffix", "") or "",
        go_ignore=frozenset(r.str_list("go_ignore")),
        go_paths=r.str_map("go_paths"),
        aliases=r.str_map("aliases"),
        function_aliases=r.str_map("function_aliases"),
        wont_port=r.str_map("wont_port"),
        go_only=r.bool_("go_only", False),
        modules=tuple(modules),
    )
    r.done()
    if spec.go_granularity == "type" and not spec.go_type_suffix:
        r.fail("go_granularity 'type' needs go_type_suffix", "go_type_suffix")
    if not spec.python and not spec.modules:
        r.fail("a family needs `python` folders or `modules`", "python")
    return spec


def load_profile(path: str | os.PathLike[str] | None = None) -> Profile:
    """Read and validate a profile (default: the Agno one)."""
    p = Path(path) if path is not None else DEFAULT_PROFILE
    label = p.name if p == DEFAULT_PROFILE else str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            "no such profile file", where=str(p), hint="pass --profile with an existing TOML file"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot read profile ({exc.strerror})", where=str(p)) from None
    import tomllib  # only when a profile is actually parsed (warm scans reuse a cached one)

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"not valid TOML ({exc})", where=label, hint="fix the profile") from None
    top = _Reader(label, "", data)
    name = top.req_str("name")
    baseline = _tree(top.sub("baseline", required=True), "cookbook")
    runtime = _tree(top.sub("runtime", required=True), "examples")
    fams = top.sub("families", required=True)
    families: list[FamilySpec] = []
    for fid in fams.table:
        fams.seen.add(fid)
        families.append(_family(fid, fams.sub(fid)))
    if not families:
        fams.fail("at least one family is needed")
    examples: list[ExampleSpec] = []
    cook = top.sub("cookbook")
    cook.seen.add("examples")
    raw_examples = cook.table.get("examples", [])
    if not isinstance(raw_examples, list):
        cook.fail(f"expected an array of tables, got {raw_examples!r}", "examples")
    for i, item in enumerate(raw_examples):
        er = _Reader(label, f"cookbook.examples[{i}]", item)
        examples.append(
            ExampleSpec(go=er.req_str("go"), recipes=er.str_list("recipes"), modules=er.str_list("modules"))
        )
        er.done()
    neutral = cook.str_list("neutral")
    for i, pkg in enumerate(neutral):
        if not all(part.isidentifier() for part in pkg.split(".")):
            cook.fail(f"expected a dotted package name like 'agno.utils', got {pkg!r}", f"neutral[{i}]")
    cook.done()
    top.done()
    return Profile(
        name=name,
        path=str(p),
        baseline=baseline,
        runtime=runtime,
        families=tuple(sorted(families, key=lambda f: (f.order, f.id))),
        examples=tuple(examples),
        fingerprint=hashlib.sha1(raw).hexdigest(),
        neutral=neutral,
    )


__all__ = [
    "DEFAULT_PROFILE",
    "ExampleSpec",
    "ExplicitModule",
    "FamilySpec",
    "Profile",
    "TreeSpec",
    "load_profile",
]

"""Scan profiles as data: where each family lives in each tree, what its units are, how names map.

A profile is a TOML file (``agno.toml`` ships and is the default). :func:`load_profile`
reads it with :mod:`tomllib` and validates it into the typed, frozen Structs below with
``msgspec.convert``; a mistake is a one-line :class:`~matrix.errors.UsageError` naming the
file and the key path::

    agno.toml: families.models.granularity: expected one of 'dir', 'file', got 'pkg'; fix the profile

Nothing about either tree's layout or API lives in the engine: roots, the Go module path,
support packages, build tags, registration and route queries, capability markers, stub words
and unit aliases are all here. Layout (see ``agno.toml`` for the real thing)::

    name = "agno"
    [baseline]   name, repository, root (library), cookbook, version_from,
                 exclude = { utils = "why it is no module" }   top-level packages left out, with a reason
    [runtime]    name, repository, roots (folders scanned, relative to the checkout), examples,
                 go_mod (read for the module path), module (when no tree is at hand), support
                 (packages docs may import that no module owns), build_tags (set by a default
                 build), delegate_by_import, version_from
    [rules.python]  io (substrings of a method body that do I/O), route (router decorator regex
                    with groups `method`, `path`), router_prefix (regex with group `prefix`)
    [rules.go]      io (regexes on a call's function text that call out), stub_words, canned
                    (regexes on comments/strings of a body), registration (tree-sitter query with
                    @fields on a registration literal), registration_name, registration_handler,
                    route_group (query: @var @parent @prefix), route (query: @recv @method @path
                    @handler), route_scope (query: @prefix @scope), route_roots (regex)
    [families.<id>]
      title, order, min_expected
      units = "functions" | "capabilities" | "endpoints" | "groups" | "fields" | "symbols"
      python = ["tools", ...]            folders under the baseline root (or files)
      granularity = "file" | "dir"       one module per file, or per package folder
      nested = ["google", ...]           sub-folders whose files are modules too (file granularity)
      suffix = "_reader"                 stripped from baseline names
      ignore = ["base.py", ...]          helpers that are not modules
      names = { "google/gmail" = "gmail" }      baseline path (relative) -> baseline name
      python_base = ["Model"]            classes whose members are no evidence (the MRO stops there)
      go = ["pkg/tools"]                 folders under the runtime checkout
      go_granularity = "dir" | "file" | "type"
      go_type_suffix = "Chunker"         for "type": struct types named <Name><suffix>
      go_ignore = ["toolkit"]
      go_paths = { mcp = ["pkg/mcp"] }   baseline name -> runtime paths (folder, .go file,
                                                or file.go#Type); several paths make one module
      aliases = { google = "gemini" }    baseline name -> runtime name
      unit_aliases = { "duckduckgo.web_search" = "search" }   "<module>.<unit>" -> Go spelling
      wont_port = { name = "reason" }
      go_only = true                     unmatched runtime entries become go_only modules
      config_types = ["Config"]          Go struct types whose fields stand for a class's own
                                         constructor keywords (recipes: ``Claude(betas=...)``)
      capabilities.<name> = { python = {marker}, go = {marker}, note, from_family }
      groups.<name> = { python = "regex", go = "regex" }       on method names
      endpoints = { python_strip = [...], go_strip = [...] }
      modules.<name> = { title, python = [...], go = [...], units, classes, capabilities, groups }
      overrides.<name> = { units, classes, capabilities, groups }   for a discovered module
    A marker: methods, functions, classes, flags, fields, registered, mentions (regexes, except
    mentions: plain text), signature (regex on a Go method's parameters), stub_calls (a Go
    method calling one of these is a stub).
    A class spec (units = "fields"): { python = "Agent", go = ["Config", "Agent"], function =
    false, unit = "{cls}.{name}", exclude = [...], implied = { model = "agno.models.x.Y" } }
    [scan]       max_file_bytes = 4194304     a larger .py/.go file is not read (a diagnostic each)
    [cookbook]   neutral = ["agno.utils.log", ...]   packages (or names) whose imports are nobody's
                 feature: a recipe importing them is neither mapped nor blocked by them
                 integrations = { agentops = "core.tracing", composio_agno = "" }   third-party
                 packages that plug into the baseline: the module whose feature they use ("":
                 none, the package blocks the recipe)
    [[cookbook.examples]]  go = "cmd/examples/x", recipes = [globs], modules = [module ids]

A profile describes every tree it may meet (older releases included): an explicit module
whose ``python`` paths are all absent from a tree, or an example folder absent from the
runtime, is simply not part of that tree's matrix. ``min_expected`` guards against a wrong
root: fewer baseline modules than that in a family is an error, never a mostly-red matrix.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec

from ..errors import UsageError

#: The profile that ships with the package.
DEFAULT_PROFILE = Path(__file__).resolve().parent / "agno.toml"

UnitsKind = Literal["functions", "capabilities", "endpoints", "groups", "fields", "symbols"]
Granularity = Literal["dir", "file"]
GoGranularity = Literal["dir", "file", "type"]


class _In(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base: immutable, strict about unknown keys."""


class Marker(_In, frozen=True):
    """Evidence of a capability on one side. Names are regular expressions (full match)."""

    methods: tuple[str, ...] = ()
    """A method of the module's classes (Python: up the MRO to ``python_base``; Go: any receiver)."""
    functions: tuple[str, ...] = ()
    """A top-level function."""
    classes: tuple[str, ...] = ()
    """A class (Python) or type (Go) the module declares."""
    flags: tuple[str, ...] = ()
    """Python: a class attribute set to ``True`` (the nearest class in the MRO decides)."""
    fields: tuple[str, ...] = ()
    """Go: a struct field of a module type."""
    registered: tuple[str, ...] = ()
    """Go: a function the module registers (the registration query's names)."""
    mentions: tuple[str, ...] = ()
    """Plain text present in a file of the module."""
    signature: str | None = None
    """Go: the matching method's parameter list must match this regex (``context\\.Context``)."""
    stub_calls: tuple[str, ...] = ()
    """Go: a matching method that calls one of these is a stub (``InvokeStream`` calling ``Invoke``)."""

    @property
    def empty(self) -> bool:
        return not (self.methods or self.functions or self.classes or self.flags or self.fields
                    or self.registered or self.mentions)


class CapabilitySpec(_In, frozen=True):
    python: Marker = Marker()
    go: Marker = Marker()
    note: str | None = None
    """Shown with the unit (how the Go side provides it, when it is not obvious)."""
    from_family: str | None = None
    """The capability is a module of the same name in that family (``embeddings``): present in
    Python when that module exists, in Go when it is in Go."""


class GroupSpec(_In, frozen=True):
    python: str
    """Regex (full match) on the baseline class's method names."""
    go: str
    """Regex (full match) on the runtime types' method names."""
    note: str | None = None


class ClassSpec(_In, frozen=True):
    python: str
    """A class (its constructor parameters or fields) or, with ``function``, a function (its keywords)."""
    go: tuple[str, ...] = ()
    """Go types whose struct fields and methods count as counterparts."""
    function: bool = False
    unit: str | None = None
    """The unit name format; default ``{cls}.{name}`` (``tool({name})`` for the decorator)."""
    exclude: tuple[str, ...] = ()
    """Parameters that are not units (``self``-like plumbing); plain names."""
    implied: dict[str, str] = {}
    """What the baseline uses when a call leaves a keyword out (or passes ``None``), as a dotted name
    read like an import: ``{ model = "agno.models.openai.OpenAIResponses" }`` (recipes)."""


class EndpointSpec(_In, frozen=True):
    python_strip: tuple[str, ...] = ()
    """Path prefixes removed from baseline endpoints before matching."""
    go_strip: tuple[str, ...] = ()
    """Path prefixes removed from runtime routes (``/api/v1``)."""


class UnitSpec(_In, frozen=True):
    """Per-module unit settings (on an explicit module, or an override of a discovered one)."""

    units: UnitsKind | None = None
    classes: tuple[ClassSpec, ...] = ()
    capabilities: dict[str, CapabilitySpec] = {}
    groups: dict[str, GroupSpec] = {}
    groups_from: str | None = None
    """Use the ``groups`` of that family (the interface module of a family of stores)."""
    go: tuple[str, ...] = ()
    """Runtime paths of a discovered module (like ``go_paths``)."""


class ExplicitModule(UnitSpec, frozen=True):
    """A module the profile lists by hand (core packages, AgentOS parts)."""

    name: str = ""
    title: str | None = None
    python: tuple[str, ...] = ()


class FamilySpec(_In, frozen=True):
    title: str
    id: str = ""
    order: int = 0
    units: UnitsKind = "symbols"
    min_expected: Annotated[int, msgspec.Meta(ge=0)] = 0
    python: tuple[str, ...] = ()
    granularity: Granularity = "file"
    nested: tuple[str, ...] = ()
    suffix: str = ""
    ignore: frozenset[str] = frozenset()
    names: dict[str, str] = {}
    python_base: frozenset[str] = frozenset({"object"})
    go: tuple[str, ...] = ()
    go_granularity: GoGranularity = "dir"
    go_type_suffix: str = ""
    go_ignore: frozenset[str] = frozenset()
    go_paths: dict[str, str | tuple[str, ...]] = {}
    aliases: dict[str, str] = {}
    unit_aliases: dict[str, str] = {}
    wont_port: dict[str, str] = {}
    go_only: bool = False
    config_types: tuple[str, ...] = ()
    """Go struct types (``Config``) of a module's package whose fields stand for the constructor
    keywords its baseline classes add to a measured base class (``Claude(betas=...)`` is
    ``anthropic.Config.Betas``): what recipes check such a keyword against."""
    capabilities: dict[str, CapabilitySpec] = {}
    groups: dict[str, GroupSpec] = {}
    endpoints: EndpointSpec = EndpointSpec()
    modules: dict[str, ExplicitModule] = {}
    overrides: dict[str, UnitSpec] = {}

    def unit_spec(self, name: str) -> UnitSpec:
        """The unit settings of module ``name`` (explicit module, override, or the family's)."""
        spec = self.modules.get(name) or self.overrides.get(name)
        return spec if spec is not None else UnitSpec()

    def groups_of(self, name: str, families: tuple[FamilySpec, ...]) -> dict[str, GroupSpec]:
        spec = self.unit_spec(name)
        if spec.groups_from is not None:
            src = next((f for f in families if f.id == spec.groups_from), None)
            return src.groups if src is not None else {}
        return spec.groups or self.groups

    def units_of(self, name: str) -> UnitsKind:
        return self.unit_spec(name).units or self.units

    def go_paths_of(self, name: str) -> tuple[str, ...]:
        """Runtime paths the profile names for module ``name`` (explicit, override or go_paths)."""
        spec = self.modules.get(name) or self.overrides.get(name)
        if spec is not None and spec.go:
            return spec.go
        v = self.go_paths.get(name, ())
        return (v,) if isinstance(v, str) else v


class TreeSpec(_In, frozen=True):
    """What both trees have: a name, a repository and where the version comes from."""

    name: str
    repository: str | None = None
    version_from: tuple[str, ...] = ()


class BaselineSpec(TreeSpec, frozen=True):
    root: str = "."
    cookbook: str | None = None
    exclude: dict[str, str] = {}
    """Top-level packages of the library that are no module, with the reason."""


class RuntimeSpec(TreeSpec, frozen=True):
    roots: tuple[str, ...] = (".",)
    """Folders scanned for Go code, relative to the checkout (module paths are relative to it too)."""
    examples: str | None = None
    go_mod: str = "go.mod"
    module: str | None = None
    """The Go module path when no tree is at hand (``check`` without ``--go-root``)."""
    support: tuple[str, ...] = ()
    """Runtime packages no module owns that docs may import (shared types, helpers)."""
    build_tags: tuple[str, ...] = ("linux", "amd64", "unix", "gc", "cgo")
    """Tags a default build sets (``go1.N`` always holds); files needing others do not count."""
    delegate_by_import: bool = True
    """A module's evidence includes in-tree packages it imports that no module owns."""


class PythonRules(_In, frozen=True):
    toolkit_base: str | None = None
    """The base class of a toolkit (``functions`` units: its subclasses' tools are the units)."""
    toolkit_arg: str | None = None
    """The word a toolkit's ``__init__`` uses when it lists its tools (``tools``): a fast pre-filter."""
    io: tuple[str, ...] = ()
    route: str | None = None
    router_prefix: str | None = None


class GoRules(_In, frozen=True):
    io: tuple[str, ...] = ()
    stub_words: tuple[str, ...] = ()
    canned: tuple[str, ...] = ()
    registration: str | None = None
    registration_name: str = "Name"
    registration_handler: str = "Handler"
    route_group: str | None = None
    route: str | None = None
    route_scope: str | None = None
    """Query with @prefix and @scope: routes inside the scope (a function literal) get the prefix."""
    route_roots: str | None = None
    """Regex on a variable's value that makes a fresh router (its routes have no prefix)."""


class Rules(_In, frozen=True):
    python: PythonRules = PythonRules()
    go: GoRules = GoRules()


class ExampleSpec(_In, frozen=True):
    go: str
    recipes: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()


class _Cookbook(_In, frozen=True):
    examples: tuple[ExampleSpec, ...] = ()
    neutral: tuple[str, ...] = ()
    integrations: dict[str, str] = {}


class ScanSpec(_In, frozen=True):
    """How the scan reads the trees."""

    max_file_bytes: Annotated[int, msgspec.Meta(gt=0)] = 4 * 1024 * 1024
    """A source file larger than this is not read (a counted diagnostic; the largest real one is ~0.5 MB)."""


class _ProfileIn(_In, frozen=True):
    name: str
    baseline: BaselineSpec
    runtime: RuntimeSpec
    families: dict[str, FamilySpec]
    rules: Rules = Rules()
    cookbook: _Cookbook = _Cookbook()
    scan: ScanSpec = ScanSpec()


class Profile(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    path: str
    """The file it was read from."""
    baseline: BaselineSpec
    runtime: RuntimeSpec
    rules: Rules
    families: tuple[FamilySpec, ...]
    examples: tuple[ExampleSpec, ...]
    fingerprint: str
    """A hash of the profile text (part of the cache key of derived results)."""
    neutral: tuple[str, ...] = ()
    """``[cookbook] neutral``: dotted packages (``agno.utils``) whose imports block no recipe."""
    integrations: dict[str, str] = {}
    """``[cookbook] integrations``: third-party packages that plug into the baseline, by dotted
    prefix, and the module whose feature they use (``agentops`` -> ``core.tracing``); an empty
    value means no module stands for it (the recipe is blocked by the package itself)."""
    extraction: str = ""
    """A hash of what the extractors read from the profile (the rules, mention words, declared
    classes, the library's name): part of the facts cache key, so that another alias or title
    does not make every file be read again."""
    scan: ScanSpec = ScanSpec()

    def family(self, fid: str) -> FamilySpec | None:
        return next((f for f in self.families if f.id == fid), None)


_FAMILY_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _fail(label: str, key: str, what: str) -> UsageError:
    return UsageError(what, where=f"{label}: {key}" if key else label, hint="fix the profile")


def load_profile(path: str | os.PathLike[str] | None = None) -> Profile:
    """Read and validate a profile (default: the Agno one)."""
    p = Path(path) if path is not None else DEFAULT_PROFILE
    label = p.name if p == DEFAULT_PROFILE else str(p)
    raw, data = _read_toml(p, label)
    try:
        doc = msgspec.convert(data, _ProfileIn)
    except msgspec.ValidationError as exc:
        key, what = _explain(str(exc), data)
        raise _fail(label, key, what) from None
    families = _families(label, doc)
    _check_cookbook(label, doc.cookbook)
    _check_rules(label, doc.rules)
    return Profile(
        name=doc.name,
        path=str(p),
        baseline=doc.baseline,
        runtime=doc.runtime,
        rules=doc.rules,
        families=tuple(sorted(families, key=lambda f: (f.order, f.id))),
        examples=doc.cookbook.examples,
        fingerprint=hashlib.sha1(raw).hexdigest(),
        neutral=doc.cookbook.neutral,
        integrations=doc.cookbook.integrations,
        extraction=_extraction(doc),
        scan=doc.scan,
    )


def _read_toml(p: Path, label: str) -> tuple[bytes, dict[str, Any]]:
    """The profile's bytes (its fingerprint) and its TOML table, family ids checked."""
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
    fams = data.get("families")
    if isinstance(fams, dict):
        for fid in fams:
            if not _FAMILY_ID.match(fid):
                raise _fail(label, f"families.{fid}",
                            "family ids are lower-case letters, digits and underscores")
    return raw, data


def _families(label: str, doc: _ProfileIn) -> list[FamilySpec]:
    """The families with their ids and module names filled in, each checked."""
    families: list[FamilySpec] = []
    for fid, fam in doc.families.items():
        mods = {n: msgspec.structs.replace(m, name=n) for n, m in fam.modules.items()}
        fam = msgspec.structs.replace(fam, id=fid, modules=mods)
        _check_family(label, fam, doc)
        families.append(fam)
    if not families:
        raise _fail(label, "families", "at least one family is needed")
    return families


def _check_cookbook(label: str, cookbook: _Cookbook) -> None:
    for i, ex in enumerate(cookbook.examples):
        if not ex.go:
            raise _fail(label, f"cookbook.examples[{i}].go", "expected a non-empty string")
    for pkg, mid in cookbook.integrations.items():
        if not pkg or not all(part.isidentifier() for part in pkg.split(".")):
            raise _fail(label, f"cookbook.integrations.{pkg}",
                        "expected a dotted package name like 'agentops' as the key")
        if mid and not re.fullmatch(r"[a-z][a-z0-9_]*\.\w+", mid):
            raise _fail(label, f"cookbook.integrations.{pkg}",
                        f"expected a module id like 'core.tracing' (or \"\"), got {mid!r}")
    for i, pkg in enumerate(cookbook.neutral):
        if not pkg or not all(part.isidentifier() for part in pkg.split(".")):
            raise _fail(label, f"cookbook.neutral[{i}]",
                        f"expected a dotted package name like 'agno.utils', got {pkg!r}")


def _extraction(doc: _ProfileIn) -> str:
    """The hash behind :attr:`Profile.extraction`."""
    parts: list[object] = [doc.rules, doc.baseline.root]
    for fid, fam in sorted(doc.families.items()):
        parts.append((fid, fam.capabilities))
        for spec in (*fam.modules.values(), *fam.overrides.values()):
            parts.append((fid, spec.capabilities, spec.classes))
    return hashlib.sha1(msgspec.json.encode(parts)).hexdigest()[:12]


def _check_family(label: str, fam: FamilySpec, doc: _ProfileIn) -> None:
    key = f"families.{fam.id}"
    if fam.go_granularity == "type" and not fam.go_type_suffix:
        raise _fail(label, f"{key}.go_type_suffix", "go_granularity 'type' needs go_type_suffix")
    if not fam.python and not fam.modules:
        raise _fail(label, f"{key}.python", "a family needs `python` folders or `modules`")
    for name, m in fam.modules.items():
        if not m.python:
            raise _fail(label, f"{key}.modules.{name}.python", "missing required key")
    specs: list[tuple[str, UnitSpec | None]] = [("", None)]
    specs += [(f".modules.{n}", m) for n, m in fam.modules.items()]
    specs += [(f".overrides.{n}", o) for n, o in fam.overrides.items()]
    for where, spec in specs:
        _check_units(label, f"{key}{where}", fam, spec, doc)


def _check_units(label: str, key: str, fam: FamilySpec, spec: UnitSpec | None, doc: _ProfileIn) -> None:
    """One unit spec (the family's own, a module's or an override): its kind has what it needs."""
    kind = (spec.units if spec is not None else None) or fam.units
    caps = spec.capabilities if spec is not None and spec.capabilities else fam.capabilities
    groups = spec.groups if spec is not None and spec.groups else fam.groups
    if spec is not None and spec.groups_from is not None:
        src = doc.families.get(spec.groups_from)
        if src is None:
            raise _fail(label, f"{key}.groups_from", f"no family {spec.groups_from!r}")
        groups = src.groups
    needs = {
        "capabilities": (not caps, f"{key}.capabilities", "units 'capabilities' needs capabilities"),
        "groups": (not groups, f"{key}.groups", "units 'groups' needs groups"),
        "functions": (not doc.rules.python.toolkit_base, "rules.python.toolkit_base",
                      "units 'functions' needs the toolkit base class"),
        "fields": (spec is not None and not spec.classes, f"{key}.classes", "units 'fields' needs classes"),
    }
    missing, where, what = needs.get(kind, (False, "", ""))
    if missing:
        raise _fail(label, where, what)
    for cname, cap in caps.items():
        _check_capability(label, f"{key}.capabilities.{cname}", cap, doc)
    for gname, g in groups.items():
        _regex(label, f"{key}.groups.{gname}.python", g.python)
        _regex(label, f"{key}.groups.{gname}.go", g.go)


def _check_capability(label: str, key: str, cap: CapabilitySpec, doc: _ProfileIn) -> None:
    if cap.from_family is not None and cap.from_family not in doc.families:
        raise _fail(label, f"{key}.from_family", f"no family {cap.from_family!r}")
    if cap.from_family is None and cap.python.empty:
        raise _fail(label, f"{key}.python", "a capability needs a Python marker (or from_family)")
    for side, marker in (("python", cap.python), ("go", cap.go)):
        for field in ("methods", "functions", "classes", "flags", "fields", "registered"):
            for rx in getattr(marker, field):
                _regex(label, f"{key}.{side}.{field}", rx)


def _check_rules(label: str, rules: Rules) -> None:
    for i, rx in enumerate(rules.go.io):
        _regex(label, f"rules.go.io[{i}]", rx)
    for i, rx in enumerate(rules.go.stub_words):
        _regex(label, f"rules.go.stub_words[{i}]", rx)
    for i, rx in enumerate(rules.go.canned):
        _regex(label, f"rules.go.canned[{i}]", rx)
    if rules.go.route_roots is not None:
        _regex(label, "rules.go.route_roots", rules.go.route_roots)
    for k in ("route", "router_prefix"):
        rx = getattr(rules.python, k)
        if rx is not None:
            _regex(label, f"rules.python.{k}", rx)
    route = rules.python.route
    if route is not None and not {"method", "path"} <= set(re.compile(route).groupindex):
        raise _fail(label, "rules.python.route", "the regex needs the named groups `method` and `path`")


def _regex(label: str, key: str, rx: str) -> None:
    try:
        re.compile(rx)
    except re.error as exc:
        raise _fail(label, key, f"not a valid regular expression ({exc})") from None


# --------------------------------------------------------------------------- error messages

_AT = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_SEG = re.compile(r"\.(\w+)|\[(\d+)\]|\[\.\.\.\]")


def _explain(message: str, data: Any) -> tuple[str, str]:
    """(key path, what is wrong) from a msgspec error, with dict keys put back in the path."""
    m = _AT.match(message)
    assert m is not None
    msg, path = m["msg"], m["path"] or ""
    keys: list[str] = []
    node: Any = data
    for seg in _SEG.finditer(path):
        name, idx = seg.group(1), seg.group(2)
        if name is not None:
            keys.append(name)
            node = node.get(name) if isinstance(node, dict) else None
        elif idx is not None:
            keys[-1:] = [f"{keys[-1] if keys else ''}[{idx}]"]
            node = node[int(idx)] if isinstance(node, list) and int(idx) < len(node) else None
        else:  # a dict key msgspec does not name: find the one that fails
            key = _failing_key(node, data, message)
            keys.append(key)
            node = node.get(key) if isinstance(node, dict) else None
    info = _info_at(keys)
    unknown = re.match(r"Object contains unknown field `(\w+)`", msg)
    missing = re.match(r"Object missing required field `(\w+)`", msg)
    enum = re.match(r"Invalid enum value (.*)", msg)
    if unknown:
        keys.append(unknown.group(1))
        what = "unknown key (not part of the profile format)"
    elif missing:
        keys.append(missing.group(1))
        what = "missing required key" if _is_value(keys) else "missing required table"
    elif enum and isinstance(info, msgspec.inspect.LiteralType):
        what = f"expected one of {', '.join(repr(v) for v in info.values)}, got {enum.group(1)}"
    elif isinstance(info, msgspec.inspect.IntType) and msg.startswith("Expected `int` >= 0"):
        what = f"expected a non-negative integer, got {node!r}"
    else:
        what = msg[:1].lower() + msg[1:]
        if node is not None and "got" in what:
            what = f"{what} ({node!r})"
    return ".".join(keys), what


def _failing_key(node: Any, data: Any, message: str) -> str:
    if not isinstance(node, dict):
        return "?"
    saved = dict(node)
    try:
        for k in saved:
            node.clear()
            node[k] = saved[k]
            try:
                msgspec.convert(data, _ProfileIn)
            except msgspec.ValidationError as exc:
                if str(exc) == message:
                    return str(k)
    finally:
        node.clear()
        node.update(saved)
    return "?"


def _info_at(keys: list[str]) -> Any:
    info: Any = msgspec.inspect.type_info(_ProfileIn)
    for k in keys:
        base = k.split("[", 1)[0]
        info = _step(info, base)
        if "[" in k:
            info = _unwrap(info)
            info = info.item_type if isinstance(info, msgspec.inspect.VarTupleType) else None
        if info is None:
            return None
    return _unwrap(info)


def _unwrap(info: Any) -> Any:
    if isinstance(info, msgspec.inspect.UnionType):
        non_none = [t for t in info.types if not isinstance(t, msgspec.inspect.NoneType)]
        return non_none[0] if len(non_none) == 1 else info
    return info


def _step(info: Any, key: str) -> Any:
    info = _unwrap(info)
    if isinstance(info, msgspec.inspect.StructType):
        return next((f.type for f in info.fields if f.name == key), None)
    if isinstance(info, msgspec.inspect.DictType):
        return info.value_type
    return None


def _is_value(keys: list[str]) -> bool:
    info = _info_at(keys)
    return not isinstance(info, msgspec.inspect.StructType)


__all__ = [
    "DEFAULT_PROFILE",
    "BaselineSpec",
    "CapabilitySpec",
    "ClassSpec",
    "EndpointSpec",
    "ExampleSpec",
    "ExplicitModule",
    "FamilySpec",
    "GoRules",
    "GroupSpec",
    "Marker",
    "Profile",
    "PythonRules",
    "Rules",
    "RuntimeSpec",
    "TreeSpec",
    "UnitSpec",
    "UnitsKind",
    "load_profile",
]

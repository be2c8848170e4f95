"""Recipes: which cookbook files can run on the Go runtime, and what blocks the others.

    recipes(inp, dotted, stubs, modules, diags) -> (recipes, skipped)

The rules, in the order they apply (each one is pinned by ``tests/scan/test_recipes.py``):

1. **Code only.** A recipe's imports, calls and attribute reads come from its code, never from
   its strings or comments (:mod:`.cookbook`): a docstring showing ``from agno.tools.exa import
   ExaTools`` imports nothing.
2. **Resolved to the defining file.** An imported name is followed to the library file that
   defines it: through a package's export table (``from .x import Y``, the lazy ``__getattr__``
   of ``agno/db/__init__.py``: ``from agno.db import DynamoDb`` is ``agno/db/dynamo``, see
   :mod:`.exports`), and through a re-export stub (a file that defines nothing and imports
   from one module). A name a package neither exports nor holds as a submodule stays with it.
3. **Mapped to a module** by the longest dotted prefix of the modules' baseline paths.
4. **Neutral packages.** An import under a package the profile lists in ``[cookbook] neutral``
   (``agno.utils``, ``agno.exceptions``...: helpers that are no module's feature), before or
   after resolution, neither maps nor blocks.
5. **Unmapped imports block.** Any other ``agno`` import that maps to no module is ``unmapped``,
   named by its shortest package that holds no module (``agno.environments``).
6. **Local recipes.** An import of a file beside the recipe (``from multi_agent_team import
   team`` -> ``multi_agent_team.py``; ``agents.x`` -> ``agents/x.py``; relative imports from the
   recipe's folder) is a local recipe, listed in ``local``; its modules, features and unmapped
   imports count as the recipe's own, transitively.
7. **Features.** A call of an imported name names units of the module that defines the callee,
   when that module's coverage (kind ``fields`` or ``symbols``) lists them: each keyword argument
   as ``Class.param`` (``Agent.output_schema``) or ``function(param)``
   (``tool(requires_confirmation)``), and a keyword whose value names a choice (``mode="tasks"``,
   ``mode=TeamMode.tasks``) also as ``Class.param=value`` (``Team.mode=tasks``). A keyword set to
   ``None`` or ``False`` asks for nothing. An enum member read anywhere (``TeamMode.tasks``) names
   ``Class.param=member`` of its module where the enum's name is ``<Class><Param>``
   (``TeamMode`` -> ``Team.mode``), or else the one ``*.param=member`` unit whose ``param`` ends
   the enum's name. An imported name that is itself a unit (``symbols``: ``AccuracyEval``) is one.
   A name the coverage does not list is not measured, so it is no feature either way.
8. **Go-ready** exactly when every module is in Go (``blocked_by`` lists the others), every
   feature is a ``ported`` unit (``blocked_by_features`` lists the others) and nothing is
   ``unmapped``.
9. **Not a recipe:** a file with no ``agno`` import of its own or through its local recipes; a
   file whose imports are all neutral is counted in ``skipped`` (``recipes_without_modules``).
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from ...model import Diagnostic, Module, Recipe, UnitKind, UnitState
from .facts import PyFacts, RecipeFacts, Use

if TYPE_CHECKING:
    from .assemble import Inputs

#: Re-exports followed at most this deep (a cycle of re-exports ends there).
_MAX_HOPS = 16


class _Used(NamedTuple):
    """What one file uses by itself (its local recipes are merged in later)."""

    modules: set[str]
    features: set[tuple[str, str]]
    """``(module id, unit name)``."""
    unmapped: set[str]
    local: set[str]


def recipes(
    inp: Inputs,
    dotted: Mapping[str, str],
    stubs: Mapping[str, str],
    modules: list[Module],
    diags: list[Diagnostic],
) -> tuple[list[Recipe], int]:
    """Every cookbook recipe with its modules, features and blockers (rules in the module docstring)."""
    del diags  # unparsable recipes are reported by assemble(); nothing else here is a diagnostic
    lib = _Library(inp.py, dotted, stubs, inp.profile.neutral)
    in_go = {m.id for m in modules if m.status.in_go}
    units = _units(modules)
    effects = _Effects(lib, units, inp.recipes.values())
    cookbook = _Cookbook(inp.recipes)
    own = {rel: _used(rel, rf, effects, cookbook) for rel, rf in inp.recipes.items()}
    examples = _examples(inp)
    out: list[Recipe] = []
    skipped = 0
    for rel, rf in sorted(inp.recipes.items()):
        mods, features, unmapped, local = own[rel]
        if local:
            reach = _reachable(rel, own)
            if not rf.agno and not any(inp.recipes[r].agno for r in reach):
                continue
            mods, features, unmapped = set(mods), set(features), set(unmapped)
            for r in reach:
                mods |= own[r].modules
                features |= own[r].features
                unmapped |= own[r].unmapped
        elif not rf.agno:
            continue
        if not (mods or features or unmapped):
            skipped += 1
            continue
        ids = tuple(sorted(mods))
        feats = tuple(sorted({unit for _, unit in features}))
        blocked = tuple(i for i in ids if i not in in_go)
        blocked_f = tuple(sorted({u for mid, u in features if units[mid][u] is not UnitState.PORTED}))
        out.append(
            Recipe(
                path=rel,
                title=rf.title or _title(posixpath.basename(rel).removesuffix(".py")),
                go_ready=not (blocked or blocked_f or unmapped),
                modules=ids,
                go_example=_example(rel, ids, examples),
                blocked_by=blocked,
                features=feats,
                blocked_by_features=blocked_f,
                unmapped=tuple(sorted(unmapped)),
                local=tuple(sorted(local)),
            )
        )
    return out, skipped


# --------------------------------------------------------------------------- the library side


class _Library:
    """Resolves dotted names to library files and module ids (rules 2 to 5), memoised."""

    def __init__(
        self, py: Mapping[str, PyFacts], dotted: Mapping[str, str], stubs: Mapping[str, str],
        neutral: Iterable[str],
    ) -> None:
        self.py = py
        self.dotted = dotted
        self.stubs = stubs
        self.neutral = tuple(neutral)
        self.dirs = {"/".join(f.split("/")[:i]) for f in py for i in range(1, f.count("/") + 1)}
        self.exports = {f: dict(pf.exports) for f, pf in py.items() if pf.exports}
        # Every dotted prefix of a module path: a package that holds modules is not "unmapped".
        self.holds = {".".join(k.split(".")[:i]) for k in dotted for i in range(1, k.count(".") + 2)}
        self._memo: dict[str, tuple[str, str] | None] = {}
        self._placed: dict[str, tuple[str | None, str, str | None] | None] = {}

    def is_neutral(self, name: str) -> bool:
        return any(name == n or name.startswith(n + ".") for n in self.neutral)

    def place(self, name: str) -> tuple[str | None, str, str | None] | None:
        """``(module id, rest, None)``, or ``(None, "", unmapped package)``; None when neutral."""
        if name in self._placed:
            return self._placed[name]
        out: tuple[str | None, str, str | None] | None = None
        if not self.is_neutral(name):
            res = self.resolve(name)
            path, rest = res if res is not None else (name, "")
            if not self.is_neutral(path):
                mid = self.module_of(path) if res is not None else None
                out = (mid, rest, None) if mid is not None else (None, "", self.unmapped_name(path))
        self._placed[name] = out
        return out

    def resolve(self, name: str, hops: int = 0) -> tuple[str, str] | None:
        """``(module path, rest)`` where ``name`` is defined: ``agno.db.DynamoDb`` ->
        ``("agno.db.dynamo.dynamo", "DynamoDb")``; None when no library file holds it."""
        if hops == 0 and name in self._memo:
            return self._memo[name]
        parts = name.split(".")
        found: tuple[str, str | None, list[str]] | None = None
        for i in range(len(parts), 0, -1):
            rel = "/".join(parts[1:i])
            for file in (f"{rel}.py", f"{rel}/__init__.py" if rel else "__init__.py"):
                if file in self.py:
                    found = (".".join(parts[:i]), file, parts[i:])
                    break
            else:
                if rel and rel in self.dirs:  # a folder without __init__.py (namespace package)
                    found = (".".join(parts[:i]), None, parts[i:])
            if found is not None:
                break
        result: tuple[str, str] | None = None
        if found is not None:
            mod, f, rest = found
            result = (mod, ".".join(rest))
            target = self._follow(mod, f, rest)
            if target is not None and hops < _MAX_HOPS:
                result = self.resolve(target, hops + 1) or result
        if hops == 0:
            self._memo[name] = result
        return result

    def _follow(self, mod: str, f: str | None, rest: list[str]) -> str | None:
        """Where a re-export sends ``mod.rest``, if anywhere."""
        if f is None:
            return None
        if f.endswith("__init__.py"):
            exports = self.exports.get(f, {})
            if rest and rest[0] in exports:
                return ".".join([_absolute(exports[rest[0]], mod), *rest[1:]])
            for star in (t for n, t in exports.items() if n == "*"):
                return ".".join([_absolute(star, mod), *rest])
            return None
        stub = self.stubs.get(mod)
        if stub is None and not self.py[f].defines:
            stub = self.py[f].reexport
        return ".".join([stub, *rest]) if stub else None

    def module_of(self, path: str) -> str | None:
        parts = path.split(".")
        for i in range(len(parts), 1, -1):
            mid = self.dotted.get(".".join(parts[:i]))
            if mid is not None:
                return mid
        return None

    def unmapped_name(self, path: str) -> str | None:
        """The shortest package of ``path`` that holds no module; None when ``path`` is a package
        holding modules (``import agno`` reaches them through what the recipe uses)."""
        parts = path.split(".")
        for i in range(2, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix not in self.holds:
                return prefix
        return None


def _absolute(target: str, package: str) -> str:
    """``.x.Y`` in package ``agno.db`` -> ``agno.db.x.Y``; ``..x`` -> ``agno.x``."""
    if not target.startswith("."):
        return target
    level = len(target) - len(target.lstrip("."))
    base = package.split(".")
    base = base[: len(base) - (level - 1)] if level > 1 else base
    rest = target[level:]
    return ".".join([*base, rest]) if rest else ".".join(base)


# --------------------------------------------------------------------------- one recipe


def _units(modules: Iterable[Module]) -> dict[str, dict[str, UnitState]]:
    """Module id -> unit name -> state, for the kinds recipes can name (fields, symbols)."""
    out: dict[str, dict[str, UnitState]] = {}
    for m in modules:
        cov = m.coverage
        if cov is not None and cov.units and cov.kind in (UnitKind.FIELDS, UnitKind.SYMBOLS):
            out[m.id] = {u.name: u.state for u in cov.units}
    return out


def _used(rel: str, rf: RecipeFacts, fx: _Effects, cookbook: _Cookbook) -> _Used:
    effects = set(map(fx.imports.__getitem__, rf.imports))  # a set: most uses have the same effect
    effects.update(map(fx.uses.__getitem__, rf.uses))
    effects.update(map(fx.attrs.__getitem__, rf.attrs))
    used = _Used(set(), set(), set(), _local(rel, rf.local, cookbook) if rf.local else set())
    for mid, missing, features in effects:
        if mid is not None:
            used.modules.add(mid)
        elif missing is not None:
            used.unmapped.add(missing)
        used.features.update(features)
    return used


#: What one import, call or attribute read contributes: its module id, or the unmapped package it
#: names, and the features (module id, unit name) it uses.
_Effect = tuple[str | None, str | None, tuple[tuple[str, str], ...]]
_NOTHING: _Effect = (None, None, ())


class _Effects:
    """The effect of every distinct import, use and attribute read of the cookbook, computed once
    (recipes repeat them: the baseline cookbook has 27,039 uses, 4,362 distinct)."""

    def __init__(
        self, lib: _Library, units: Mapping[str, Mapping[str, UnitState]], facts: Iterable[RecipeFacts]
    ) -> None:
        self.lib = lib
        self.units = units
        imports: set[str] = set()
        uses: set[Use] = set()
        attrs: set[str] = set()
        for rf in facts:
            imports.update(rf.imports)
            uses.update(rf.uses)
            attrs.update(rf.attrs)
        self.imports = {name: self._import(name) for name in imports}
        self.uses = {use: self._use(use) for use in uses}
        self.attrs = {attr: self._attr(attr) for attr in attrs}

    def _base(self, name: str) -> tuple[_Effect, str]:
        placed = self.lib.place(name)
        if placed is None:
            return _NOTHING, ""
        mid, rest, missing = placed
        return (mid, missing, ()), rest

    def _import(self, name: str) -> _Effect:
        eff, rest = self._base(name)
        head = rest.split(".")[0]
        if eff[0] is not None and head and head in self.units.get(eff[0], {}):  # a symbols unit
            return (eff[0], None, ((eff[0], head),))
        return eff

    def _use(self, use: Use) -> _Effect:
        eff, rest = self._base(use.target)
        mid = eff[0]
        have = self.units.get(mid or "")
        if mid is None or not have or not use.keyword or not rest or "." in rest:
            return eff
        kw, value = use.keyword, use.value
        found: list[tuple[str, str]] = []
        forms = ((f"{rest}.{kw}", f"{rest}.{kw}={value}"), (f"{rest}({kw})", f"{rest}({kw}={value})"))
        for unit, valued in forms:
            if unit in have:
                found.append((mid, unit))
                if value and valued in have:
                    found.append((mid, valued))
        return (mid, None, tuple(found))

    def _attr(self, attr: str) -> _Effect:
        eff, rest = self._base(attr)
        mid = eff[0]
        member = _enum_unit(rest, self.units.get(mid or "", {}))
        return (mid, None, ((mid, member),)) if mid is not None and member is not None else eff


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _enum_unit(rest: str, have: Mapping[str, UnitState]) -> str | None:
    """``TeamMode.tasks`` -> ``Team.mode=tasks`` when the module has that unit (rule 7)."""
    parts = rest.split(".")
    if len(parts) != 2 or not have:
        return None
    enum, member = _snake(parts[0]), parts[1]
    suffix = f"={member}"
    exact: list[str] = []
    loose: list[str] = []
    for unit in have:
        if not unit.endswith(suffix) or "." not in unit:
            continue
        cls, _, param = unit[: -len(suffix)].partition(".")
        if enum == f"{_snake(cls)}_{param}":
            exact.append(unit)
        elif enum == param or enum.endswith(f"_{param}"):
            loose.append(unit)
    if len(exact) == 1:
        return exact[0]
    return loose[0] if not exact and len(loose) == 1 else None


def _local(rel: str, names: Iterable[str], cookbook: _Cookbook) -> set[str]:
    """Cookbook files that ``names`` (imports that are neither stdlib nor agno) load (rule 6)."""
    folder = posixpath.dirname(rel)
    out: set[str] = set()
    for name in names:
        base, dotted = folder, name
        if name.startswith("."):
            level = len(name) - len(name.lstrip("."))
            dotted = name[level:]
            for _ in range(level - 1):
                base = posixpath.dirname(base)
        parts = [p for p in dotted.split(".") if p]
        if not parts or parts[0] not in cookbook.names.get(base, ()):  # pydantic, rich...
            continue
        for i in range(len(parts), 0, -1):
            path = posixpath.join(base, *parts[:i]) + ".py"
            if path in cookbook.files:
                if path != rel:
                    out.add(path)
                break
    return out


class _Cookbook:
    """The cookbook's files, and per folder the module names it holds (``x`` for ``x.py``, ``x/``)."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = frozenset(files)
        self.names: dict[str, set[str]] = {}
        for f in self.files:
            parts = f.removesuffix(".py").split("/")
            for i in range(1, len(parts)):
                self.names.setdefault("/".join(parts[:i]), set()).add(parts[i])


def _reachable(rel: str, own: Mapping[str, _Used]) -> list[str]:
    """Local recipes reached from ``rel``, transitively (cycles stop)."""
    seen = {rel}
    todo = sorted(own[rel].local)
    out: list[str] = []
    while todo:
        r = todo.pop()
        if r in seen:
            continue
        seen.add(r)
        out.append(r)
        todo.extend(sorted(own[r].local - seen))
    return out


def _title(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.replace("-", "_").split("_") if w)


# --------------------------------------------------------------------------- Go examples


_Example = tuple[str, re.Pattern[str] | None, tuple[str, ...] | None]


def _examples(inp: Inputs) -> list[_Example]:
    # Examples the runtime tree does not have (an older release) are simply not offered.
    return [
        (
            ex.go,
            re.compile("|".join(fnmatch.translate(g) for g in ex.recipes)) if ex.recipes else None,
            tuple(sorted(set(ex.modules))) if ex.modules else None,
        )
        for ex in inp.profile.examples
        if ex.go in inp.go_examples
    ]


def _example(rel: str, ids: tuple[str, ...], examples: list[_Example]) -> str | None:
    for go, rx, mods in examples:
        if (rx is not None and rx.match(rel)) or mods == ids:
            return go
    return None

"""Recipes: which cookbook files can run on the Go runtime, and what blocks the others.

    recipes(inp, dotted, stubs, modules, diags) -> (recipes, skipped)

The rules, in the order they apply (pinned by ``tests/scan/test_recipes.py`` and, for 4b, 5b, 6b
and 7b to 7f, ``tests/scan/test_audit_rules.py``):

1. **Code only.** A recipe's imports, calls and attribute reads come from its code, never from
   its strings or comments (:mod:`.cookbook`): a docstring showing ``from agno.tools.exa import
   ExaTools`` imports nothing.
2. **Resolved to the defining file.** An imported name is followed to the library file that
   defines it: through a package's export table (``from .x import Y``, the lazy ``__getattr__``
   of ``agno/db/__init__.py``: ``from agno.db import DynamoDb`` is ``agno/db/dynamo``, an alias
   ``MongoVectorDb = MongoDb``, see :mod:`.exports`), and through a re-export stub (a file that
   defines nothing and imports from one module). A name a package neither exports nor holds as a
   submodule stays with it.
3. **Mapped to a module** by the longest dotted prefix of the modules' baseline paths.
4. **Neutral packages.** An import under a package (or of a name) the profile lists in
   ``[cookbook] neutral`` (``agno.utils.log``, ``agno.exceptions.InputCheckError``...: helpers that
   are no module's feature), before or after resolution, neither maps nor blocks.
   4b. **Integrations.** A third-party import the profile lists in ``[cookbook] integrations``
   (``agentops``: instrumentation of the baseline) uses that module (``core.tracing``), or blocks
   by itself (``unmapped: composio_agno``) when no module stands for it.
5. **Unmapped imports block.** Any other ``agno`` import that maps to no module is ``unmapped``,
   named by its shortest package that holds no module and no neutral entry (``agno.environments``,
   ``agno.utils.http``). 5b: so is a name a package neither defines nor exports
   (``agno.models.cohere.CohereChat``): the import fails in the baseline itself.
6. **Local recipes.** An import of a file beside the recipe (``from multi_agent_team import
   team`` -> ``multi_agent_team.py``; ``agents.x`` -> ``agents/x.py``; relative imports from the
   recipe's folder) is a local recipe, listed in ``local``; its modules, features and unmapped
   imports count as the recipe's own, transitively. 6b: an absolute import no file beside the
   recipe answers is looked for in the folders above it, inside its cookbook section (a package
   run as ``python -m evals`` from ``01_demo`` imports ``agents.x`` and ``db`` from there).
7. **Features.** A call of an imported name names units of the module that defines the callee,
   when that module's coverage (kind ``fields`` or ``symbols``) lists them: each keyword argument
   as ``Class.param`` (``Agent.output_schema``) or ``function(param)``
   (``tool(requires_confirmation)``), and a keyword whose value names a choice (``mode="tasks"``,
   ``mode=TeamMode.tasks``) also as ``Class.param=value`` (``Team.mode=tasks``). A keyword set to
   ``None`` or ``False`` asks for nothing. An enum member read anywhere (``TeamMode.tasks``) names
   ``Class.param=member`` of its module where the enum's name is ``<Class><Param>``
   (``TeamMode`` -> ``Team.mode``), or else the one ``*.param=member`` unit whose ``param`` ends
   the enum's name. An imported name that is itself a unit (``symbols``: ``AccuracyEval``) is one.
   A keyword a declared class does not list is not measured, so it is no feature either way. A
   recipe's own subclass of an imported class (``class T(Toolkit)``) passes its keywords to it.
   7b. An imported class or function of a ``fields`` module that no unit measures (``Case``,
   ``StepInput``), or a declared class none of whose units is in Go (``Knowledge``), is a feature
   that is not in Go (the enum of a measured parameter, ``TeamMode``, is measured).
   7c. A keyword of a class that is no declared class is followed up its bases: the unit of the
   nearest declared base that lists it (``Groq(retries=3)`` -> ``Model.retries``); below a declared
   base, the class's own keyword is ``Class.kw``, in Go when a ``config_types`` struct of the
   module's Go package has a field of that name (``Claude(betas=...)`` -> ``anthropic.Config.Betas``).
   7d. A call of a class whose profile spec has ``implied`` defaults that leaves the keyword out
   (or passes ``None``) uses what the baseline uses instead: ``Agent()`` runs on OpenAIResponses.
   7e. A dict literal where a ported unit takes typed values is ``Class.kw=dict`` (a provider's
   built-in tool in ``Agent(tools=[{"type": ...}])``), not in Go.
   7f. Instances: a name assigned a call of an imported class, annotated with one, or tested with
   ``isinstance`` (and a plain copy of it) holds an instance. A method called on it is the
   feature ``Agent.run()``, each keyword ``Agent.run(images)``; in Go where the profile's
   ``unit_aliases`` name a Go method, field or function the module's Go package has
   (``Agent.RunStream``), ignored where aliased to "" (a keyword that only changes how the baseline
   prints). An attribute read on it (``response.metrics``) is the unit ``RunOutput.metrics``.
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeVar

import msgspec

from ...model import Diagnostic, Module, Recipe, UnitKind, UnitState
from ...workers import in_two
from .cookbook import DICT_VALUE, INSTANCE
from .facts import GoFacts, PyClass, PyFacts, RecipeFacts, Use
from .units import PySide, norm

if TYPE_CHECKING:
    from .assemble import Inputs

#: Re-exports followed at most this deep (a cycle of re-exports ends there).
_MAX_HOPS = 16
_K = TypeVar("_K")
_V = TypeVar("_V")


class _Used(NamedTuple):
    """What one file uses by itself (its local recipes are merged in later)."""

    modules: set[str]
    features: set[tuple[str, str]]
    """``(module id, unit name)``."""
    unmapped: set[str]
    local: set[str]


class _Memo(dict[_K, _V]):
    """A key's value, computed when first asked for."""

    def __init__(self, compute: Callable[[_K], _V]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: _K) -> _V:
        value = self[key] = self.compute(key)
        return value


def recipes(
    inp: Inputs,
    dotted: Mapping[str, str],
    stubs: Mapping[str, str],
    modules: list[Module],
    diags: list[Diagnostic],
    split: bool = False,
) -> tuple[list[Recipe], int]:
    """Every cookbook recipe with its modules, features and blockers (rules in the module docstring).
    ``split``: a forked process takes the first half of the recipes while this one takes the second
    (:func:`~matrix.workers.in_two`; with :data:`SPLIT_MIN` recipes or more)."""
    del diags  # unparsable recipes are reported by assemble(); nothing else here is a diagnostic
    package = posixpath.basename(inp.profile.baseline.root.rstrip("/"))
    lib = _Library(inp.py, dotted, stubs, inp.profile.neutral, package)
    in_go = {m.id for m in modules if m.status.in_go}
    units = _units(modules)
    kinds = {m.id: m.coverage.kind for m in modules if m.coverage is not None}
    configs = _Configs(inp, modules)
    implied = {
        (f"{fam.id}.{name}", cls.python): cls.implied
        for fam in inp.profile.families for name, spec in fam.modules.items()
        for cls in spec.classes if cls.implied
    }
    effects = _Effects(lib, units, kinds, configs, implied)
    effects.integrations = dict(inp.profile.integrations)
    effects.integration_keys = sorted(effects.integrations, key=len, reverse=True)  # longest first
    effects.known = {m.id for m in modules}
    cookbook = _Cookbook(inp.recipes, inp.profile.baseline.cookbook or "")
    # what each recipe uses by itself, worked out when first asked for: a process that takes part of the
    # recipes works out only theirs and the local recipes they reach
    own: _Memo[str, _Used] = _Memo(lambda rel: _used(rel, inp.recipes[rel], effects, cookbook))
    examples = _examples(inp)

    def rows(rels: Sequence[str]) -> tuple[list[Recipe], int]:
        out: list[Recipe] = []
        skipped = 0
        for rel in rels:
            recipe = _recipe(rel, inp.recipes, own, effects, in_go, examples)
            if isinstance(recipe, Recipe):
                out.append(recipe)
            elif recipe == "nothing mapped":
                skipped += 1
        return out, skipped

    rels = sorted(inp.recipes)
    if not split or len(rels) < SPLIT_MIN:
        return rows(rels)
    first, second = in_two(rels, rows, _ROWS_ENCODER.encode, _ROWS_DECODER.decode)
    return first[0] + second[0], first[1] + second[1]


#: With this many recipes or more (and a second CPU, as the scan's worker had), two processes take half each.
SPLIT_MIN = 256
_ROWS_ENCODER = msgspec.msgpack.Encoder()
_ROWS_DECODER = msgspec.msgpack.Decoder(tuple[list[Recipe], int])


def _recipe(rel: str, facts: Mapping[str, RecipeFacts], own: Mapping[str, _Used], effects: _Effects,
            in_go: set[str], examples: list[_Example]) -> Recipe | Literal["no agno", "nothing mapped"]:
    """The recipe's row, or why it has none: it uses no agno (nor do its local recipes), or it uses
    nothing the library maps (counted as left out)."""
    rf = facts[rel]
    mods, features, unmapped, local = own[rel]
    if local:
        reach = _reachable(rel, own)
        if not rf.agno and not any(facts[r].agno for r in reach):
            return "no agno"
        mods, features, unmapped = set(mods), set(features), set(unmapped)
        for r in reach:
            mods |= own[r].modules
            features |= own[r].features
            unmapped |= own[r].unmapped
    elif not rf.agno:
        return "no agno"
    if not (mods or features or unmapped):
        return "nothing mapped"
    ids = tuple(sorted(mods))
    feats = tuple(sorted({unit for _, unit in features}))
    blocked = tuple(i for i in ids if i not in in_go)
    blocked_f = tuple(sorted({u for mid, u in features if effects.state(mid, u) is not UnitState.PORTED}))
    return Recipe(
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


# --------------------------------------------------------------------------- the library side


class _Library:
    """Resolves dotted names to library files and module ids (rules 2 to 5), memoised."""

    def __init__(
        self, py: Mapping[str, PyFacts], dotted: Mapping[str, str], stubs: Mapping[str, str],
        neutral: Iterable[str], package: str = "",
    ) -> None:
        self.py = py
        self.package = package
        """The library's import name (the last folder of the baseline root)."""
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
            if res is not None and self.absent(path, rest):
                out = (None, "", ".".join(name.split(".")[: name.count(".") + 1 - rest.count(".")]))
            elif not self.is_neutral(path):
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

    def file_of(self, path: str) -> str | None:
        """The library file of a dotted module path (``agno.models.groq.groq`` -> ``models/groq/groq.py``)."""
        rel = "/".join(path.split(".")[1:])
        for f in (f"{rel}.py", f"{rel}/__init__.py" if rel else "__init__.py"):
            if f in self.py:
                return f
        return None

    def absent(self, path: str, rest: str) -> bool:
        """Rule 5: ``from agno.models.cohere import CohereChat`` where the package neither defines nor
        exports ``CohereChat`` (nor holds such a submodule): the import fails in the baseline itself."""
        head = rest.split(".")[0]
        f = self.file_of(path)
        if not head or f is None or not f.endswith("__init__.py"):
            return False
        return head not in self.exports.get(f, {}) and not self.defines(path, head) and not any(
            n == "*" for n in self.exports.get(f, {})
        )

    def defines(self, path: str, name: str) -> bool:
        """Does the module at ``path`` define a class or public function ``name``?"""
        f = self.file_of(path)
        if f is None:
            return False
        pf = self.py[f]
        return name in pf.class_names or any(fn.name == name for fn in pf.funcs)

    def dotted_of(self, rel: str) -> str:
        """``models/groq/groq.py`` -> ``agno.models.groq.groq``."""
        inner = rel.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        return f"{self.package}.{inner}" if inner != "__init__" else self.package

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
            if prefix not in self.holds and not (
                i < len(parts) and any(n.startswith(prefix + ".") for n in self.neutral)
            ):  # agno.utils.http, not agno.utils, when agno.utils.log is neutral
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
    if fx.implied:  # rule 7d: what the baseline uses for a keyword a call leaves out
        given: dict[tuple[str, str], set[str]] = {}
        for use in rf.uses:
            key = fx.calls.get(use)
            if key is not None:
                given.setdefault(key, set()).add(use.keyword)
        for key, keywords in given.items():
            effects.update(fx.default(dotted) for kw, dotted in fx.implied[key].items() if kw not in keywords)
    for name in rf.local if fx.integrations else ():  # rule 4b: third-party integrations
        if name.startswith("."):
            continue
        pkg = next((p for p in fx.integration_keys if name == p or name.startswith(p + ".")), None)
        if pkg is not None:
            target = fx.integrations[pkg]
            effects.add((target, None, ()) if target in fx.known else (None, pkg, ()))
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
    """The effect of every distinct import, use and attribute read of the cookbook, computed once,
    when a recipe first needs it (recipes repeat them: the baseline cookbook has 27,039 uses, 4,362
    distinct). Each is a function of the library and the modules alone (the features that are no
    unit, :attr:`extra`, get one state per key whichever use finds them first), so the order in
    which recipes ask, and the half of the recipes a process takes, change nothing."""

    def __init__(
        self, lib: _Library, units: Mapping[str, Mapping[str, UnitState]],
        kinds: Mapping[str, UnitKind] | None = None, configs: _Configs | None = None,
        implied: Mapping[tuple[str, str], Mapping[str, str]] | None = None,
    ) -> None:
        self.lib = lib
        self.units = units
        self.kinds = kinds or {}
        self.configs = configs
        self.implied = implied or {}
        """(module id, class) -> keyword -> what the baseline uses when a call leaves it out."""
        self.calls: dict[Use, tuple[str, str]] = {}
        """Calls of a class with implied keywords: the use -> (module id, class)."""
        self.integrations: dict[str, str] = {}
        self.integration_keys: list[str] = []
        self.known: set[str] = set()
        self._defaults: dict[str, _Effect] = {}
        self.extra: dict[tuple[str, str], UnitState] = {}
        """States of features that are no unit: unmeasured names and a subclass's own keywords."""
        self._classes: PySide | None = None
        self._mros: dict[str, list[tuple[str, str]]] = {}
        self._declared: dict[str, frozenset[str]] = {}
        self._states: dict[tuple[str, str], UnitState] = {}
        self.imports: _Memo[str, _Effect] = _Memo(self._import)
        self.uses: _Memo[Use, _Effect] = _Memo(self._use)
        self.attrs: _Memo[str, _Effect] = _Memo(self._attr)

    def default(self, dotted: str) -> _Effect:
        """The effect of an implied default (``agno.models.openai.OpenAIResponses``), as an import;
        nothing when it maps to no module of this baseline (an older tree with another default)."""
        if dotted not in self._defaults:
            eff = self._import(dotted)
            self._defaults[dotted] = eff if eff[0] is not None else _NOTHING
        return self._defaults[dotted]

    def declared(self, mid: str) -> frozenset[str]:
        """Classes module ``mid`` measures (``Agent`` for ``Agent.model``)."""
        if mid not in self._declared:
            self._declared[mid] = frozenset(
                u.split(".", 1)[0] for u in self.units.get(mid, {}) if "." in u.split("(", 1)[0]
            )
        return self._declared[mid]

    def state(self, mid: str, unit: str) -> UnitState:
        key = (mid, unit)
        found = self._states.get(key)
        if found is None:
            have = self.units.get(mid, {})
            found = self._states[key] = have[unit] if unit in have else self.extra.get(key, UnitState.MISSING)
        return found

    def _base(self, name: str) -> tuple[_Effect, str]:
        placed = self.lib.place(name)
        if placed is None:
            return _NOTHING, ""
        mid, rest, missing = placed
        return (mid, missing, ()), rest

    def _import(self, name: str) -> _Effect:
        eff, rest = self._base(name)
        head = rest.split(".")[0]
        mid = eff[0]
        if mid is None or not head:
            return eff
        have = self.units.get(mid, {})
        if head in have:  # a symbols unit
            return (mid, None, ((mid, head),))
        if self.kinds.get(mid) is UnitKind.FIELDS and not _measures(head, have):
            res = self.lib.resolve(name)
            if res is not None and res[1] == head and self.lib.defines(res[0], head):
                # rule 7b: a class or function of a fields module that no unit measures, or a
                # declared class none of whose units is in Go
                self.extra[(mid, head)] = UnitState.MISSING
                return (mid, None, ((mid, head),))
        return eff

    def _use(self, use: Use) -> _Effect:
        if INSTANCE + "." in use.target:
            return self._method(use)
        eff, rest = self._base(use.target)
        mid = eff[0]
        if mid is not None and (mid, rest) in self.implied:
            self.calls[use] = (mid, rest)
        if mid is None or not use.keyword or not rest or "." in rest:
            return eff
        have = self.units.get(mid, {})
        kw, value = use.keyword, use.value
        found = _keyword(rest, kw, value, mid, have)
        if found and value == DICT_VALUE and have.get(found[0][1]) is UnitState.PORTED:
            # rule 7e: a dict where Go takes typed values (a provider's built-in tool in Agent.tools)
            unit = f"{found[0][1]}=dict"
            self.extra[(mid, unit)] = have.get(unit, UnitState.MISSING)
            found.append((mid, unit))
        if found:
            return (mid, None, tuple(found))
        if rest[:1].isupper():
            found = self._inherited(use.target, mid, rest, kw, value)
        return (mid, None, tuple(found)) if found else eff

    def _inherited(self, target: str, mid: str, cls: str, kw: str, value: str) -> list[tuple[str, str]]:
        """Rule 7c: a keyword of a class that is no declared class: the unit of the nearest base
        class that declares it (``Groq(retries=3)`` -> ``Model.retries``), else, below a declared
        base, the class's own keyword checked against the Go config of its module."""
        mro = self._mro(target)
        if not mro:
            return []
        declared_base = False
        for i, (amid, name) in enumerate(mro):
            found = _keyword(name, kw, value, amid, self.units.get(amid, {}))
            if found:
                return found
            if name in self.declared(amid):
                if i == 0:
                    return []  # a declared class: a keyword it does not list is not measured
                declared_base = True
        if not declared_base or self.configs is None:
            return []
        state = self.configs.has(mid, kw)
        if state is None:
            return []
        unit = f"{cls}.{kw}"
        self.extra[(mid, unit)] = state
        return [(mid, unit)]

    def _mro(self, target: str) -> list[tuple[str, str]]:
        """(module id, class name) of the class ``target`` names and its bases, for the classes of
        modules with units (memoised: recipes call the same classes with many keywords)."""
        if target not in self._mros:
            out: list[tuple[str, str]] = []
            for i, (rel, k) in enumerate(self._mro_of(target)):
                amid = self.lib.module_of(self.lib.dotted_of(rel))
                if amid is not None and amid in self.units:
                    out.append((amid, k.name))
                elif i == 0:
                    out.append(("", k.name))  # the class itself, in a module without units
            self._mros[target] = out
        return self._mros[target]

    def _mro_of(self, target: str) -> list[tuple[str, PyClass]]:
        res = self.lib.resolve(target)
        if res is None:
            return []
        f = self.lib.file_of(res[0])
        if f is None:
            return []
        cls = next((c for c in self.lib.py[f].classes if c.name == res[1]), None)
        if cls is None:
            return []
        if self._classes is None:
            index: dict[str, list[tuple[str, PyClass]]] = {}
            for rel, pf in self.lib.py.items():
                for c in pf.classes:
                    index.setdefault(c.name, []).append((rel, c))
            self._classes = PySide("", [], self.lib.py, index, frozenset())
        return self._classes.mro(cls, f)

    def _method(self, use: Use) -> _Effect:
        """Rule 7f: a method called on an instance of a declared class (``agent.run(stream=True)``) is
        the feature ``Agent.run()``, and each keyword ``Agent.run(stream)``; in Go where the profile's
        ``unit_aliases`` name a Go method or field the module's Go package has (``Agent.RunStream``);
        an alias to "" says the keyword only changes how the baseline prints (no feature)."""
        cls_target, _, member = use.target.partition(INSTANCE + ".")
        eff, cls = self._base(cls_target)
        mid = eff[0]
        if mid is None or "." in member or "." in cls or cls not in self.declared(mid):
            return eff
        unit = f"{cls}.{member}({use.keyword})" if use.keyword else f"{cls}.{member}()"
        if self.configs is None:
            return eff
        state = self.configs.alias(mid, unit)
        if state is None:
            return eff
        self.extra[(mid, unit)] = state
        return (mid, None, ((mid, unit),))

    def _attr(self, attr: str) -> _Effect:
        if INSTANCE + "." in attr:  # an attribute of an instance: RunOutput().tools -> RunOutput.tools
            cls_target, _, attribute = attr.partition(INSTANCE + ".")
            eff, cls = self._base(cls_target)
            unit = f"{cls}.{attribute.split('.')[0]}"
            if eff[0] is not None and unit in self.units.get(eff[0], {}):
                return (eff[0], None, ((eff[0], unit),))
            return eff
        eff, rest = self._base(attr)
        mid = eff[0]
        member = _enum_unit(rest, self.units.get(mid or "", {}))
        return (mid, None, ((mid, member),)) if mid is not None and member is not None else eff


def _keyword(cls: str, kw: str, value: str, mid: str, have: Mapping[str, UnitState]) -> list[tuple[str, str]]:
    """Units ``Class.kw`` / ``Class(kw)`` (and their valued forms) that ``have`` lists."""
    found: list[tuple[str, str]] = []
    forms = ((f"{cls}.{kw}", f"{cls}.{kw}={value}"), (f"{cls}({kw})", f"{cls}({kw}={value})"))
    for unit, valued in forms:
        if unit in have:
            found.append((mid, unit))
            if value and valued in have:
                found.append((mid, valued))
    return found


def _measures(name: str, have: Mapping[str, UnitState]) -> bool:
    """Do the units measure ``name``: a declared class with a unit in Go, a function's keywords, or
    an enum whose members are the values of a unit (``TeamMode`` -> ``Team.mode=tasks``)?"""
    snake = _snake(name)
    for unit, state in have.items():
        if unit.startswith((f"{name}.", f"{name}(")):
            if state is UnitState.PORTED:
                return True
        elif "=" in unit and "." in unit:
            cls, _, param = unit.split("=", 1)[0].partition(".")
            if snake in (f"{_snake(cls)}_{param}", param) or snake.endswith(f"_{param}"):
                return True
    return False


class _Configs:
    """What recipes check in the runtime tree itself: the Go config struct fields of each module
    (rule 7c, ``config_types`` of its family) and the Go names the profile gives to methods called
    on instances (rule 7f, ``unit_aliases``)."""

    def __init__(self, inp: Inputs, modules: Iterable[Module]) -> None:
        self.go: Mapping[str, GoFacts] = inp.go
        self.types: dict[str, tuple[str, ...]] = {}
        self.folders: dict[str, tuple[str, ...]] = {}
        self.aliases: dict[str, Mapping[str, str]] = {}
        for m in modules:
            fam = inp.profile.family(m.family)
            if fam is None:
                continue
            self.aliases[m.id] = fam.unit_aliases
            if m.go is None or not m.status.in_go:
                continue
            self.folders[m.id] = (m.go.package, *m.go.also)
            if fam.config_types:
                self.types[m.id] = fam.config_types
        self._by_dir: dict[str, list[str]] | None = None
        self._fields: dict[str, set[str]] = {}
        self._names: dict[str, set[str]] = {}

    def _files(self, mid: str) -> Iterable[str]:
        """The module's Go files: those of its package folders and of the folders below them (a
        module is a folder with its sub-packages: ``pkg/agno/mcp`` holds ``mcp/toolkit``)."""
        if self._by_dir is None:
            self._by_dir = {}
            for rel in self.go:
                self._by_dir.setdefault(posixpath.dirname(rel), []).append(rel)
        folders = self.folders.get(mid, ())
        for d, files in self._by_dir.items():
            if any(d == f or d.startswith(f + "/") for f in folders):
                yield from files

    def alias(self, mid: str, unit: str) -> UnitState | None:
        """The state of a method feature (``Agent.run(stream)``) of module ``mid``: PORTED when the
        profile aliases it to ``Type.Name`` (a method or field) or ``Name`` (a function) that the
        module's Go package has;
        None when aliased to "" (nothing to port); MISSING otherwise."""
        short = mid.split(".", 1)[-1]
        alias = self.aliases.get(mid, {}).get(f"{short}.{unit}")
        if alias == "":
            return None
        if alias is None or mid not in self.folders:
            return UnitState.MISSING
        if mid not in self._names:
            names: set[str] = set()
            for rel in self._files(mid):
                gf = self.go[rel]
                names.update(f"{fn.recv}.{fn.name}" if fn.recv else fn.name for fn in gf.funcs)
                names.update(f"{t.name}.{f.name}" for t in gf.types for f in t.fields)
            self._names[mid] = names
        return UnitState.PORTED if alias in self._names[mid] else UnitState.MISSING

    def has(self, mid: str, kw: str) -> UnitState | None:
        """PORTED when a config type of module ``mid`` has a field named like ``kw``, MISSING when
        none has; None when the module declares no config types (or is not in Go)."""
        if mid not in self.types:
            return None
        if mid not in self._fields:
            names: set[str] = set()
            for rel in self._files(mid):
                for t in self.go[rel].types:
                    if t.kind == "struct" and t.name in self.types[mid]:
                        names.update(norm(f.name) for f in t.fields if f.name[:1].isupper())
            self._fields[mid] = names
        return UnitState.PORTED if norm(kw) in self._fields[mid] else UnitState.MISSING


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
    """Cookbook files that ``names`` (imports that are neither stdlib nor agno) load (rule 6).

    A relative import counts from the recipe's folder; an absolute one from the nearest folder,
    the recipe's own or one above it inside its cookbook section, that holds its first name (a
    package run as ``python -m evals`` from ``01_demo`` imports ``agents.x`` and ``db`` from there).
    """
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
        if not parts:
            continue
        if not name.startswith("."):
            while parts[0] not in cookbook.names.get(base, ()) and cookbook.above(base):
                base = posixpath.dirname(base)
        if parts[0] not in cookbook.names.get(base, ()):  # pydantic, rich...
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

    def __init__(self, files: Iterable[str], root: str = "") -> None:
        self.files = frozenset(files)
        self.root = root.strip("/")
        self._depth = len(self.root.split("/")) + 1 if self.root else 1
        self.names: dict[str, set[str]] = {}
        for f in self.files:
            parts = f.removesuffix(".py").split("/")
            for i in range(1, len(parts)):
                self.names.setdefault("/".join(parts[:i]), set()).add(parts[i])

    def above(self, folder: str) -> bool:
        """Is there a folder above ``folder`` inside its section (below ``cookbook/<section>``)?"""
        return folder.count("/") + 1 > self._depth


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

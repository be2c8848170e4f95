"""Cookbook: the recipe index, the porting-priority table and featured recipes with Python | Go tabs.

A recipe *runs in Go* (``go_ready``) only when every module it uses is in Go, every core feature it
uses is a ported unit, and every ``agno`` import maps to a module. A featured recipe shows a "Go" tab
only then; otherwise its blockers are named by kind (module, feature, unmapped import, local recipe)
with live badges, and a Go sample, if the page gives one, is labelled as the nearest in Go.
Code samples are never passed through Jinja: tabs include snippet files with
``--8<--`` lines that pymdownx.snippets expands after the macros ran.
Templates: ``cookbook_index``, ``porting_priority``, ``recipe_status``, ``recipe_tabs``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Literal

from markupsafe import Markup

from ..errors import UsageError
from ..model import Module, ParitySummary, Recipe, Status, SupportMatrix
from ..sources import Loaded
from . import links, lookup, quickstart, views
from .registry import Arg, Macro
from .templating import Templates

#: Recipes on one page of the index (the live table holds the first page; the rest waits, unparsed,
#: in a ``<noscript>`` copy that is the whole index without JavaScript).
INDEX_PAGE_SIZE = 50

#: Blockers of one kind named in a row before "+N more" (the JSON export has them all).
BLOCKERS_SHOWN = 3


@dataclasses.dataclass(frozen=True, slots=True)
class Blockers:
    """What keeps a recipe from running in Go, by kind, each cut to :data:`BLOCKERS_SHOWN` names."""

    modules: tuple[tuple[Module, str], ...]
    """Modules not in Go, with their page (:func:`matrix.render.links.module_href`)."""
    more_modules: int
    features: tuple[str, ...]
    """Core features it uses that are not ported units (``Agent.output_schema``)."""
    more_features: int
    unmapped: tuple[str, ...]
    """``agno.*`` imports that map to no module."""
    more_unmapped: int
    local: int
    """Sibling recipes it imports (their modules and features count as its own)."""


@dataclasses.dataclass(frozen=True, slots=True)
class IndexRow:
    recipe: Recipe
    name: str
    """The path under ``cookbook/``, as shown."""
    folder: str
    """Its top folder under ``cookbook/`` (the folder filter)."""
    source_url: str | None
    """The recipe at the pinned baseline commit, when the matrix names a web repository and a commit."""
    example_url: str | None
    """Its nearest Go example at the pinned runtime commit, likewise."""
    blockers: Blockers | None
    """None when it runs in Go."""


@dataclasses.dataclass(frozen=True, slots=True)
class CookbookIndex:
    rows: tuple[IndexRow, ...]
    ready: int
    folders: tuple[tuple[str, int], ...]
    """Top folders and how many recipes each holds, in path order."""
    page_size: int


def _cut(names: tuple[str, ...]) -> tuple[tuple[str, ...], int]:
    return names[:BLOCKERS_SHOWN], max(len(names) - BLOCKERS_SHOWN, 0)


def index_row(matrix: SupportMatrix, r: Recipe) -> IndexRow:
    mods = lookup.modules(matrix)
    parts = r.path.split("/")
    name = "/".join(parts[1:]) if parts[0] == "cookbook" and len(parts) > 1 else r.path
    folder = name.split("/", 1)[0] if "/" in name else "(top)"
    blockers = None
    if not r.go_ready:
        blocked = tuple((mods[m], links.module_href(mods[m])) for m in r.blocked_by if m in mods)
        features, more_features = _cut(r.blocked_by_features)
        unmapped, more_unmapped = _cut(r.unmapped)
        blockers = Blockers(blocked[:BLOCKERS_SHOWN], max(len(blocked) - BLOCKERS_SHOWN, 0), features,
                            more_features, unmapped, more_unmapped, len(r.local))
    example = links.source_url(matrix.runtime, r.go_example, kind="tree") if r.go_example else None
    return IndexRow(r, name, folder, links.source_url(matrix.baseline, r.path), example, blockers)


def cookbook_index_view(matrix: SupportMatrix) -> CookbookIndex:
    recipes = sorted(matrix.recipes, key=lambda r: r.path)
    rows = tuple(index_row(matrix, r) for r in recipes)
    folders = Counter(row.folder for row in rows)
    return CookbookIndex(rows, sum(1 for r in recipes if r.go_ready),
                         tuple(sorted(folders.items())), INDEX_PAGE_SIZE)


def cookbook_index(t: Templates, matrix: SupportMatrix) -> Markup:
    """Every recipe, whether it runs in Go and what blocks it (by kind); filtered and paged by
    docs/assets/matrix.js, the whole list without JavaScript."""
    return t.render("cookbook_index.html.jinja", index=cookbook_index_view(matrix))


BlockerKind = Literal["module", "feature", "unmapped", "local"]

#: How each kind of blocker is named on a page (recipe status, the tabs' warning, porting priority).
BLOCKER_WORDS: dict[str, str] = {
    "module": "module",
    "feature": "feature",
    "unmapped": "unmapped import",
    "local": "local recipe",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Blocker:
    """One reason a recipe does not run in Go: a module, a core feature, an ``agno.*`` import that maps
    to no module, or a sibling recipe it imports that does not run in Go."""

    kind: BlockerKind
    name: str
    module: Module | None = None
    """The module (kind ``module``), or the module whose unit the feature is (kind ``feature``)."""

    @property
    def words(self) -> str:
        return BLOCKER_WORDS[self.kind]


def blockers(matrix: SupportMatrix, r: Recipe, *, local: bool = True) -> tuple[Blocker, ...]:
    """Every blocker of a recipe, modules first; ``local``: also the blocked sibling recipes it imports."""
    mods = lookup.modules(matrix)
    units = quickstart.feature_units(matrix)
    out = [Blocker("module", m, mods.get(m)) for m in r.blocked_by]
    out += [Blocker("feature", f, units[f][0] if f in units else None) for f in r.blocked_by_features]
    out += [Blocker("unmapped", u) for u in r.unmapped]
    if local:
        recipes = lookup.per_matrix(matrix, "recipes", lambda m: {x.path: x for x in m.recipes})
        out += [Blocker("local", p) for p in r.local if p in recipes and not recipes[p].go_ready]
    return tuple(out)


def priority(matrix: SupportMatrix) -> list[tuple[Blocker, int, int]]:
    """(blocker, recipes it alone blocks, recipes it blocks at all), best first: modules, features and
    unmapped imports ranked together, so the table says what to port next whatever its kind."""
    alone: Counter[tuple[str, str]] = Counter()
    any_: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Blocker] = {}
    for r in matrix.recipes:
        keys = []
        for b in blockers(matrix, r, local=False):
            key = (b.kind, b.name)
            first.setdefault(key, b)
            keys.append(key)
        any_.update(set(keys))
        if len(set(keys)) == 1:
            alone[keys[0]] += 1
    return sorted(((first[k], alone[k], n) for k, n in any_.items()),
                  key=lambda t: (-t[1], -t[2], t[0].kind, t[0].name))


@dataclasses.dataclass(frozen=True, slots=True)
class PriorityRow:
    rank: int
    blocker: Blocker
    alone: int
    """Recipes it alone blocks."""
    total: int
    """Recipes it blocks in all."""


def porting_priority(t: Templates, matrix: SupportMatrix, limit: int = 25) -> Markup:
    ranked = priority(matrix)
    rows = [PriorityRow(i, b, alone, n) for i, (b, alone, n) in enumerate(ranked[:limit], start=1)]
    kinds = Counter(b.kind for b, _, _ in ranked)
    return t.render("porting_priority.html.jinja", rows=rows, more=max(len(ranked) - limit, 0),
                    kinds=kinds, words=BLOCKER_WORDS)


@dataclasses.dataclass(frozen=True, slots=True)
class RecipeStatus:
    recipe: Recipe
    ready: Status
    """How the "runs in Go" badge is coloured: as ``migrated`` when go-ready, else ``not_migrated``."""
    parity: views.ParityView
    """The parity runs of the modules it imports, summed."""
    blockers: tuple[Blocker, ...]
    modules: tuple[Module, ...]


def _parity(mods: dict[str, Module], r: Recipe) -> views.ParityView:
    passed = failed = 0
    fixtures: list[str] = []
    for mid in r.modules:
        p = mods[mid].parity if mid in mods else None
        if p is not None:
            passed += p.passed
            failed += p.failed + p.errored
            fixtures += [f for f in p.fixtures if f not in fixtures]
    return views.parity(ParitySummary(passed=passed, failed=failed, fixtures=tuple(fixtures)))


def recipe_status(t: Templates, matrix: SupportMatrix, path: str) -> Markup:
    """Status line of a featured recipe: runs-in-Go badge, parity, Go example, blockers by kind, modules."""
    r = lookup.recipe(matrix, path)
    mods = lookup.modules(matrix)
    view = RecipeStatus(
        r, Status.MIGRATED if r.go_ready else Status.NOT_MIGRATED, _parity(mods, r),
        blockers(matrix, r), tuple(mods[m] for m in r.modules if m in mods),
    )
    return t.render("recipe_status.html.jinja", view=view)


def _snippet(path: str | None) -> Markup | None:
    """A snippet path from the page, written as it is into an ``--8<--`` line: nothing may break out of it."""
    if path is None:
        return None
    if any(c in path for c in '"\n\r\x00') or path != path.strip():
        raise UsageError(f"snippet path {path!r} holds a quote, a line break or surrounding spaces",
                         where="recipe_tabs")
    return Markup(path)  # checked above: the line pymdownx.snippets reads is exactly this path


def recipe_tabs(
    t: Templates, matrix: SupportMatrix, path: str, python_snippet: str, go_snippet: str | None = None
) -> Markup:
    """Python | Go content tabs. The tab is "Go" only when the recipe is go_ready; for a blocked recipe a
    Go sample is shown as "Nearest in Go (not a port)", under a warning that names every blocker."""
    r = lookup.recipe(matrix, path)
    python, go = _snippet(python_snippet), _snippet(go_snippet)
    return t.render("recipe_tabs.md.jinja", recipe=r, python=python, go=go, blockers=blockers(matrix, r))


def _cookbook_index(t: Templates, data: Loaded) -> Markup:
    """Every cookbook recipe, whether it runs in Go, and what blocks it."""
    return cookbook_index(t, data.matrix)


def _porting_priority(t: Templates, data: Loaded, limit: int = 25) -> Markup:
    """The modules that unblock most recipes, best first."""
    return porting_priority(t, data.matrix, limit)


def _recipe_status(t: Templates, data: Loaded, path: str) -> Markup:
    """A featured recipe's status line."""
    return recipe_status(t, data.matrix, path)


def _recipe_tabs(
    t: Templates, data: Loaded, path: str, python_snippet: str, go_snippet: str | None = None
) -> Markup:
    """A featured recipe's Python | Go tabs."""
    return recipe_tabs(t, data.matrix, path, python_snippet, go_snippet)


MACROS: tuple[Macro, ...] = (
    Macro("cookbook_index", _cookbook_index),
    Macro("porting_priority", _porting_priority, (Arg.COUNT,)),
    Macro("recipe_status", _recipe_status, (Arg.RECIPE,)),
    Macro("recipe_tabs", _recipe_tabs, (Arg.RECIPE, Arg.SNIPPET, Arg.SNIPPET)),
)

"""Finding what a page names: modules, recipes and families by id, with the closest known one as a hint.

An unknown name is a one-line :class:`~matrix.errors.UsageError` (``unknown module id 'tools.x';
closest known id: 'tools.y'``), so a typo in a page fails the build where the macro stands.
:func:`closest` is the one closest-match helper (``agno-docs check`` gives the same hints).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from ..errors import UsageError
from ..model import Family, Module, Recipe, SupportMatrix

#: How alike a known name must be to be suggested (difflib ratio).
CUTOFF = 0.6
WHERE = "agno-docs macro"

# (id(matrix), what) -> (matrix, value). The matrix is kept so its id cannot be reused while cached.
_MEMO: dict[tuple[int, str], tuple[SupportMatrix, object]] = {}
#: Entries kept before the memo starts again: a build looks things up in its matrix and in each
#: snapshot of the release history (What's new), a few indexes each, in every edition.
_MEMO_MAX = 64
_T = TypeVar("_T")


def per_matrix(matrix: SupportMatrix, what: str, build: Callable[[SupportMatrix], _T]) -> _T:
    """``build(matrix)``, computed once per matrix object (indexes the renderers look things up in)."""
    hit = _MEMO.get((id(matrix), what))
    if hit is not None and hit[0] is matrix:
        return cast(_T, hit[1])
    if len(_MEMO) > _MEMO_MAX:
        _MEMO.clear()
    value = build(matrix)
    _MEMO[(id(matrix), what)] = (matrix, value)
    return value


def closest(key: str, known: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """The known name most like ``key``, if any is alike enough (for "closest known ..." hints)."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=cutoff)
    return close[0] if close else None


def _unknown(what: str, key: str, known: Iterable[str], label: str) -> UsageError:
    names = list(known)
    near = closest(key, names)
    if near is not None:
        hint = f"closest known {label}: {near!r}"
    elif names:
        hint = f"no known {label} is close to it; the support matrix page lists them all"
    else:
        hint = f"the matrix has no {label}s"
    return UsageError(f"unknown {what} {key!r}", where=WHERE, hint=hint)


def modules(matrix: SupportMatrix) -> dict[str, Module]:
    """Modules by id, built once per matrix object."""
    return per_matrix(matrix, "modules", SupportMatrix.modules_by_id)


def module(matrix: SupportMatrix, module_id: object) -> Module:
    """The module with this id, or a one-line UsageError naming the closest known id."""
    mods = modules(matrix)
    key = str(module_id)
    found = mods.get(key)
    if found is None:
        raise _unknown("module id", key, mods, "id")
    return found


def recipe(matrix: SupportMatrix, path: object) -> Recipe:
    """The recipe with this cookbook path, or a one-line UsageError naming the closest known path."""
    recipes = per_matrix(matrix, "recipes", lambda m: {r.path: r for r in m.recipes})
    key = str(path)
    found = recipes.get(key)
    if found is None:
        raise _unknown("recipe", key, recipes, "recipe")
    return found


def family(matrix: SupportMatrix, family_id: object) -> Family:
    """The family with this id, or a one-line UsageError listing the known ones."""
    key = str(family_id)
    for f in matrix.families:
        if f.id == key:
            return f
    known = ", ".join(f.id for f in matrix.families)
    raise UsageError(f"unknown family {key!r}", where=WHERE, hint=f"known families: {known}")


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None: data never becomes a ``javascript:`` link."""
    return url if url and url.startswith(("https://", "http://")) else None

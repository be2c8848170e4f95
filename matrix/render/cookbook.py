"""Cookbook: the recipe index, the porting-priority table and featured recipes with Python | Go tabs.

A recipe shows a Go tab only when the matrix says every module it imports is in Go
(``go_ready``); otherwise the tab is replaced by "Blocked by ..." with live badges.
Code samples are never passed through Jinja: tabs include snippet files with
``--8<--`` lines that pymdownx.snippets expands after the macros ran.
"""

from __future__ import annotations

from collections import Counter

from ..errors import UsageError
from ..model import Recipe, SupportMatrix
from . import MacroFn
from ._html import attrs, esc, status_badge
from .badges import closest, index, lookup, module_badge, per_matrix


def recipe(matrix: SupportMatrix, path: str) -> Recipe:
    """The recipe with this cookbook path, or a one-line UsageError naming the closest known path."""
    recipes = per_matrix(matrix, "recipes", lambda m: {r.path: r for r in m.recipes})
    found = recipes.get(path)
    if found is not None:
        return found
    near = closest(path, recipes)
    hint = f"closest known recipe: {near!r}" if near else "the matrix lists no recipes"
    raise UsageError(f"unknown recipe {path!r}", where="agno-docs macro", hint=hint)


def _ready_badge(r: Recipe) -> str:
    if r.go_ready:
        return ('<span class="agno-badge agno-badge--migrated" title="runtime=go: every module it imports '
                'is in Go">Runs in Go</span>')
    tip = "runtime=python-only: blocked by " + ", ".join(r.blocked_by)
    return f"<span{attrs(class_='agno-badge agno-badge--not_migrated', title=tip)}>Blocked</span>"


def cookbook_index(matrix: SupportMatrix) -> str:
    """Every recipe in one compact table; a checkbox (docs/assets/cookbook.js) narrows it to "runs in Go"."""
    ready = sum(1 for r in matrix.recipes if r.go_ready)
    total = len(matrix.recipes)
    if not total:
        return "<p>The matrix lists no cookbook recipes.</p>"
    # Compact rows (about 2,000 of them): few tags, no per-row badge markup; the stylesheet
    # draws the Go column as a badge from data-go, and monospaces the path column.
    rows = []
    for r in sorted(matrix.recipes, key=lambda r: r.path):
        if r.go_ready:
            detail = esc(r.go_example or "")
            rows.append(f"<tr data-go=\"1\"><td>{esc(r.path)}</td><td>Runs in Go</td><td>{detail}</td></tr>")
        else:
            detail = esc(", ".join(r.blocked_by))
            rows.append(f"<tr data-go=\"0\"><td>{esc(r.path)}</td><td>Blocked</td><td>{detail}</td></tr>")
    return (
        "<div class=\"agno-cookbook\" data-agno-cookbook>"
        "<p class=\"agno-cookbook__controls\"><label><input type=\"checkbox\" data-agno-go-only> "
        "Show only recipes that run in Go</label> "
        f"<output data-agno-count>{total} of {total} recipes</output></p>"
        f"<p>{ready} of {total} recipes import only modules that are in Go.</p>"
        "<table class=\"agno-table agno-cookbook__table\"><thead><tr><th>Recipe</th><th>Go</th>"
        f"<th>Nearest Go example / blocked by</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def priority(matrix: SupportMatrix) -> list[tuple[str, int, int]]:
    """(module id, recipes it alone blocks, recipes it blocks at all), best first."""
    alone: Counter[str] = Counter()
    any_: Counter[str] = Counter()
    for r in matrix.recipes:
        any_.update(r.blocked_by)
        if len(r.blocked_by) == 1:
            alone[r.blocked_by[0]] += 1
    return sorted(((m, alone[m], n) for m, n in any_.items()), key=lambda t: (-t[1], -t[2], t[0]))


def porting_priority(matrix: SupportMatrix, limit: int = 25) -> str:
    ranked = priority(matrix)
    if not ranked:
        return "<p>No recipe is blocked: every recipe imports only modules that are in Go.</p>"
    mods = index(matrix)
    rows = "".join(
        f"<tr><td>{i}</td><td>{module_badge(mods[m])}<br><code>{esc(m)}</code></td><td>{alone}</td><td>{n}</td></tr>"
        for i, (m, alone, n) in enumerate(ranked[:limit], start=1)
    )
    rest = len(ranked) - limit
    more = f"<p>{rest} more modules block at least one recipe.</p>" if rest > 0 else ""
    return (
        "<table class=\"agno-table\"><thead><tr><th>#</th><th>Module</th><th>Recipes it alone blocks</th>"
        f"<th>Recipes it blocks in all</th></tr></thead><tbody>{rows}</tbody></table>{more}"
    )


def _parity(matrix: SupportMatrix, r: Recipe) -> str:
    mods = index(matrix)
    passed = failed = 0
    for mid in r.modules:
        p = mods[mid].parity
        if p is not None:
            passed += p.passed
            failed += p.failed + p.errored
    if not (passed or failed):
        return ('<span class="agno-badge agno-badge--unknown" title="no parity fixture covers its modules">'
                "Parity: not run</span>")
    cls = "not_migrated" if failed else "migrated"
    return f"<span class=\"agno-badge agno-badge--{cls}\">Parity: {passed} pass, {failed} fail</span>"


def recipe_status(matrix: SupportMatrix, path: str) -> str:
    """Status line of a featured recipe: runs-in-Go badge, parity, Go example, modules with badges."""
    r = recipe(matrix, path)
    mods = index(matrix)
    example = f" Go example: <code>{esc(r.go_example)}</code>." if r.go_example else ""
    blocked = (
        " Blocked by " + ", ".join(module_badge(mods[m]) for m in r.blocked_by) + "." if r.blocked_by else ""
    )
    # Ids, not titles: two modules may share a title (models.openai, embedders.openai).
    uses = ", ".join(
        f"<span{attrs(class_='agno-module', data_module=m, title=mods[m].title)}><code>{esc(m)}</code> "
        f"{status_badge(mods[m].status)}</span>"
        for m in r.modules
    )
    return (
        f"<p class=\"agno-recipe-status\">{_ready_badge(r)} {_parity(matrix, r)}{example}{blocked}</p>"
        f"<p class=\"agno-recipe-modules\">Imports: {uses}</p>"
    )


def _tab(title: str, lang: str, snippet: str) -> str:
    return f'=== "{title}"\n\n    ```{lang}\n    --8<-- "{snippet}"\n    ```\n'


def recipe_tabs(matrix: SupportMatrix, path: str, python_snippet: str, go_snippet: str | None = None) -> str:
    """Python | Go content tabs; the Go tab exists only when the recipe is go_ready."""
    r = recipe(matrix, path)
    for snippet in (python_snippet, go_snippet):
        if snippet is not None and ('"' in snippet or "\n" in snippet):
            raise UsageError(f"snippet path {snippet!r} holds a quote or a newline", where="recipe_tabs")
    out = _tab("Python", "python", python_snippet)
    if r.go_ready and go_snippet:
        return out + "\n" + _tab("Go", "go", go_snippet)
    mods = index(matrix)
    if r.go_ready:
        return (
            out
            + "\n<p class=\"agno-recipe-note\">Every module this recipe imports is in Go; "
            "no Go version of this sample is written here yet.</p>\n"
        )
    reason = ", ".join(module_badge(lookup(matrix, m)) for m in r.blocked_by if m in mods)
    return (
        out
        + "\n<div class=\"admonition warning agno-blocked\">"
        "<p class=\"admonition-title\">No Go version yet</p>"
        f"<p>Blocked by {reason}: the Go runtime raises <code>not_migrated</code> for "
        f"{'it' if len(r.blocked_by) == 1 else 'them'} at start-up.</p></div>\n"
    )


MACROS: dict[str, MacroFn] = {
    "cookbook_index": lambda data: cookbook_index(data.matrix),
    "porting_priority": lambda data, limit=25: porting_priority(data.matrix, int(limit)),
    "recipe_status": lambda data, path: recipe_status(data.matrix, path),
    "recipe_tabs": lambda data, path, python_snippet, go_snippet=None: recipe_tabs(
        data.matrix, path, python_snippet, go_snippet
    ),
}


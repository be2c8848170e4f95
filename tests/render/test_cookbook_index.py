"""The cookbook index: one row per recipe, blockers by kind, links at the pinned commits, paged."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from matrix.model import Provenance, Recipe, Status
from matrix.render import cookbook, links, macros
from matrix.render.templating import default
from matrix.sources import Loaded
from tests import factories
from tests.render.conftest import NASTY, with_recipes

DATA = Loaded(with_recipes())
M = macros()
T = default()


def _index(data: Loaded) -> str:
    """The index as the cookbook page (``cookbook/``) renders it."""
    with links.at("cookbook/"):
        return str(M["cookbook_index"](data))


def live_and_full(html: str) -> tuple[list[str], list[str]]:
    """The rows of the live table (the first page) and of the <noscript> copy (every recipe)."""
    html = str(html)
    live = html.split("data-agno-live-table", 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    full = html.split("<noscript data-agno-rows>", 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [r + "</tr>" for r in live.split("</tr>")[:-1]], [r + "</tr>" for r in full.split("</tr>")[:-1]]


def test_index_golden(golden: Callable[[str, str], None]) -> None:
    golden("cookbook_index.html", _index(DATA))


def test_every_recipe_once_in_path_order_marked_for_the_filters() -> None:
    out = _index(DATA)
    live, full = live_and_full(out)
    assert live == full  # six recipes: one page
    assert [r.split('data-folder="', 1)[1].split('"', 1)[0] for r in full] == ["tools"] * 6
    # app, both, calc, search, shell, shell_again
    assert [r.split('data-go="', 1)[1][0] for r in full] == ["0", "0", "1", "1", "0", "0"]
    assert "<strong>6</strong> of 6 recipes</p>" in out
    assert '<input type="checkbox" name="go" value="1" data-agno-go-only> Runs in Go' in out
    assert '<span class="agno-muted" data-agno-facet>(2)</span>' in out
    assert '<option value="tools" data-label="tools">tools (6)</option>' in out


@pytest.mark.parametrize("n", [cookbook.INDEX_PAGE_SIZE - 1, cookbook.INDEX_PAGE_SIZE + 1, 2083])
def test_the_page_holds_one_page_of_rows_and_the_copy_all_of_them(n: int) -> None:
    m = factories.matrix(factories.module("tools.calculator"), recipes=tuple(
        Recipe(path=f"cookbook/{i % 7:02d}_x/r{i:04d}.py", title="t", go_ready=True,
               modules=("tools.calculator",))
        for i in range(n)))
    live, full = live_and_full(M["cookbook_index"](Loaded(m)))
    assert len(full) == n and live == full[:cookbook.INDEX_PAGE_SIZE]
    assert full == sorted(full, key=lambda r: r.split('">', 2)[1])  # by path


def _row(recipe: Recipe, **kw: object) -> str:
    m = factories.matrix(
        factories.module("tools.calculator"), factories.module("tools.shell", Status.NOT_MIGRATED),
        factories.module("vectordb.pg_vector", Status.NOT_MIGRATED),
        factories.module("os.x", Status.WONT_PORT),
        factories.module("tools.y", Status.NOT_MIGRATED), recipes=(recipe,), **kw)
    return live_and_full(_index(Loaded(m)))[1][0]


def test_a_ready_recipe_links_its_source_and_its_go_example_at_the_pinned_commits() -> None:
    row = _row(Recipe(path="cookbook/02_agents/tools/calc_x.py", title="T", go_ready=True,
                      modules=("tools.calculator",), go_example="cmd/examples/calc"),
               baseline=Provenance(name="agno", commit="a" * 40, repository="https://github.com/agno-agi/agno"),
               runtime=Provenance(name="agno-go", commit="b" * 40, repository="https://github.com/rexleimo/agno-Go/"))
    assert row == (
        '<tr data-go="1" data-folder="02&#95;agents"><td class="agno-cookbook__path">'
        f'<a href="https://github.com/agno-agi/agno/blob/{"a" * 40}'
        '/cookbook/02&#95;agents/tools/calc&#95;x.py">'
        "02&#95;agents/<wbr>tools/<wbr>calc&#95;x.py</a></td>"
        '<td class="agno-cookbook__go">Runs in Go</td>'
        f'<td><a href="https://github.com/rexleimo/agno-Go/tree/{"b" * 40}/cmd/examples/calc">'
        "<code>cmd/examples/calc</code></a></td></tr>")


@pytest.mark.parametrize(("repository", "commit", "linked"), [
    ("https://github.com/agno-agi/agno", "a" * 40, True),
    ("https://github.com/agno-agi/agno", None, False),
    (None, "a" * 40, False),
    ("javascript:alert(1)", "a" * 40, False),
    ("git@github.com:agno-agi/agno.git", "a" * 40, False),
])
def test_the_source_link_needs_a_web_repository_and_a_commit(repository: str | None, commit: str | None,
                                                             linked: bool) -> None:
    row = _row(Recipe(path="cookbook/a.py", title="T", go_ready=True, modules=("tools.calculator",)),
               baseline=Provenance(name="agno", commit=commit, repository=repository))
    path_cell = row.split("</td>", 1)[0]
    assert ("<a " in path_cell) is linked, path_cell


def test_blockers_are_named_by_kind_and_module_blockers_link_to_their_pages() -> None:
    row = _row(Recipe(
        path="cookbook/00_quickstart/run.py", title="T", go_ready=False,
        modules=("tools.calculator", "tools.shell", "vectordb.pg_vector", "os.x", "tools.y"),
        blocked_by=("tools.shell", "vectordb.pg_vector", "os.x", "tools.y"),
        features=("Agent.db", "Agent.knowledge", "Team.mode=tasks", "tool(requires_confirmation)",
                  "Agent.name"),
        blocked_by_features=("Agent.db", "Agent.knowledge", "Team.mode=tasks", "tool(requires_confirmation)"),
        unmapped=("agno.environments",),
        local=("cookbook/00_quickstart/a.py", "cookbook/00_quickstart/b.py")))
    cell = row.split('<td class="agno-cookbook__blockers">', 1)[1].split("</td>", 1)[0]
    assert cell == (
        '<span class="agno-cookbook__kind">modules</span> '
        '<a href="../modules/tools/shell/"><code>tools.shell</code></a>, '
        '<a href="../modules/vectordb/pg&#95;vector/"><code>vectordb.pg&#95;vector</code></a>, '
        '<a href="../modules/os/x/"><code>os.x</code></a> +1 more; '
        '<span class="agno-cookbook__kind">features</span> <code>Agent.db</code>, '
        '<code>Agent.knowledge</code>, '
        "<code>Team.mode=tasks</code> +1 more; "
        '<span class="agno-cookbook__kind">imports with no module</span> <code>agno.environments</code>; '
        '<span class="agno-cookbook__kind">via</span> 2 sibling recipes it imports')
    assert '<td class="agno-cookbook__go">Blocked</td>' in row


@pytest.mark.parametrize(("recipe", "cell"), [
    (Recipe(path="cookbook/a.py", title="T", go_ready=False, modules=("tools.shell",),
            blocked_by=("tools.shell",)),
     '<span class="agno-cookbook__kind">modules</span> '
     '<a href="../modules/tools/shell/"><code>tools.shell</code></a>'),
    (Recipe(path="cookbook/a.py", title="T", go_ready=False, features=("Agent.db",),
            blocked_by_features=("Agent.db",)),
     '<span class="agno-cookbook__kind">features</span> <code>Agent.db</code>'),
    (Recipe(path="cookbook/a.py", title="T", go_ready=False, unmapped=("agno.x",)),
     '<span class="agno-cookbook__kind">imports with no module</span> <code>agno.x</code>'),
])
def test_each_kind_alone(recipe: Recipe, cell: str) -> None:
    assert f'<td class="agno-cookbook__blockers">{cell}</td>' in _row(recipe)


def test_a_recipe_at_the_top_of_the_cookbook_is_in_the_top_folder() -> None:
    row = _row(Recipe(path="cookbook/readme_example.py", title="T", go_ready=True,
                      modules=("tools.calculator",)))
    assert 'data-folder="(top)"' in row


def test_paths_and_names_from_data_are_escaped() -> None:
    row = _row(Recipe(path=f"cookbook/{NASTY}.py", title=NASTY, go_ready=False, features=(NASTY,),
                      blocked_by_features=(NASTY,), unmapped=(NASTY,)))
    assert "<script>" not in row and "{{" not in row and "|" not in row


def test_blocker_links_are_relative_to_the_page_being_rendered() -> None:
    recipe = Recipe(path="cookbook/a.py", title="T", go_ready=False, modules=("tools.shell",),
                    blocked_by=("tools.shell",))
    m = factories.matrix(factories.module("tools.shell", Status.NOT_MIGRATED), recipes=(recipe,))
    row = live_and_full(cookbook.cookbook_index(T, m))[1][0]  # no page set: the site root
    assert '<a href="modules/tools/shell/"><code>tools.shell</code></a></td>' in row


def test_no_recipes_says_so() -> None:
    assert cookbook.cookbook_index(T, factories.matrix(factories.module("tools.calculator"))) == (
        "<p>The matrix lists no cookbook recipes.</p>")

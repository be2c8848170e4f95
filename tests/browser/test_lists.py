"""The cookbook index and the "Not yet in Go" list in Chromium: filters, search, pages, URL, no-JS."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from matrix.model import SupportMatrix
from matrix.render.cookbook import BLOCKERS_SHOWN, INDEX_PAGE_SIZE

from .conftest import Browse

pytestmark = pytest.mark.browser

BOOK = "[data-agno-cookbook]"
BOOK_ROWS = BOOK + " [data-agno-live-table] tbody tr"


def book_paths(page: Any) -> list[str]:
    """The recipes on screen (their path under cookbook/), in order."""
    paths: list[str] = page.eval_on_selector_all(BOOK_ROWS, "rs => rs.map(r => r.cells[0].textContent)")
    return paths


def all_book_paths(page: Any) -> list[str]:
    out = book_paths(page)
    while page.is_visible(BOOK + " [data-agno-pager]") and page.is_enabled(BOOK + " [data-agno-page=next]"):
        before = page.inner_text(BOOK + " [data-agno-pages]")
        page.click(BOOK + " [data-agno-page=next]")
        page.wait_for_function("b => document.querySelector('[data-agno-cookbook] [data-agno-pages]')"
                               ".textContent !== b", arg=before)
        out += book_paths(page)
    return out


def under_cookbook(path: str) -> str:
    return path.split("/", 1)[1] if path.startswith("cookbook/") else path


def settled(tab: Any, /, **want: str | None) -> dict[str, list[str]]:
    tab.wait_for_function(
        """want => { const p = new URLSearchParams(location.search);
                     return Object.entries(want).every(([k, v]) => p.get(k) === v); }""", arg=want)
    return parse_qs(urlsplit(tab.url).query)


def test_cookbook_runs_in_go_filter(browse: Browse, matrix_data: SupportMatrix) -> None:
    recipes = sorted(matrix_data.recipes, key=lambda r: r.path)
    total, ready = len(recipes), [under_cookbook(r.path) for r in recipes if r.go_ready]
    page = browse.page("/cookbook/")
    assert book_paths(page) == [under_cookbook(r.path) for r in recipes][:INDEX_PAGE_SIZE]
    assert page.inner_text(BOOK + " [data-agno-count]") == f"{total} of {total} recipes"
    assert page.inner_text("label:has(input[data-agno-go-only]) [data-agno-facet]") == f"({len(ready)})"

    page.check("input[data-agno-go-only]")
    assert page.inner_text(BOOK + " [data-agno-count]") == f"{len(ready)} of {total} recipes"
    assert settled(page, go="1")["go"] == ["1"]
    assert all_book_paths(page) == ready
    marks = page.eval_on_selector_all(BOOK_ROWS, "rs => rs.map(r => r.dataset.go)")
    assert marks == ["1"] * len(book_paths(page))

    page.reload()
    assert page.is_checked("input[data-agno-go-only]")
    assert page.inner_text(BOOK + " [data-agno-count]") == f"{len(ready)} of {total} recipes"
    page.uncheck("input[data-agno-go-only]")
    assert "go" not in settled(page, go=None, page=None)
    assert len(book_paths(page)) == min(total, INDEX_PAGE_SIZE)


def test_cookbook_search_and_folder(browse: Browse, matrix_data: SupportMatrix) -> None:
    recipes = sorted(matrix_data.recipes, key=lambda r: r.path)
    names = [under_cookbook(r.path) for r in recipes]
    folders = Counter(n.split("/", 1)[0] for n in names if "/" in n)
    folder = folders.most_common(2)[1][0]
    page = browse.page("/cookbook/")
    page.select_option(BOOK + " select[name=folder]", folder)
    want = [under_cookbook(r.path) for r in recipes if under_cookbook(r.path).startswith(folder + "/")]
    assert all_book_paths(page) == want
    assert settled(page, folder=folder)["folder"] == [folder]
    # The Runs-in-Go count follows the folder.
    in_folder_ready = sum(1 for r, n in zip(recipes, names, strict=True)
                          if r.go_ready and n.startswith(folder + "/"))
    assert page.inner_text("label:has(input[data-agno-go-only]) [data-agno-facet]") == f"({in_folder_ready})"

    blocker = Counter(m for r in recipes for m in r.blocked_by).most_common(1)[0][0]
    page.select_option(BOOK + " select[name=folder]", "")
    page.fill(BOOK + " input[name=search]", blocker)
    # A module id is in a row's text where the row names it: among the first blockers shown.
    want = [under_cookbook(r.path) for r in recipes
            if any(blocker in m for m in r.blocked_by[:BLOCKERS_SHOWN]) or blocker in r.path]
    assert want and all_book_paths(page) == want


def test_cookbook_rows_link_sources_and_blocking_modules(
    browse: Browse, site_dir: Path, matrix_data: SupportMatrix
) -> None:
    page = browse.page("/cookbook/")
    base, commit = matrix_data.baseline.repository, matrix_data.baseline.commit
    assert base and commit
    hrefs = page.eval_on_selector_all(BOOK_ROWS + " td:first-child a", "as => as.map(a => a.href)")
    recipes = sorted(matrix_data.recipes, key=lambda r: r.path)[:INDEX_PAGE_SIZE]
    assert hrefs == [f"{base}/blob/{commit}/{r.path}" for r in recipes]
    modules = page.eval_on_selector_all(BOOK_ROWS + " .agno-cookbook__blockers a",
                                        "as => as.map(a => a.href)")
    named = page.locator(BOOK_ROWS + " .agno-cookbook__blockers code").count()
    if (site_dir / "modules").is_dir():  # module blockers link to their pages
        assert modules and all(h.startswith(browse.base_url + "/modules/") for h in modules)
    else:  # no module pages in this build: named, not linked
        assert modules == [] and named


def test_cookbook_without_javascript_lists_every_recipe(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/cookbook/", javascript=False)
    rows = page.locator(BOOK + " .agno-cookbook__table--all tbody tr")
    assert rows.count() == len(matrix_data.recipes)
    assert not page.is_visible(BOOK + " .agno-cookbook__table--live")
    assert not page.is_visible(BOOK + " form") and not page.is_visible(BOOK + " [data-agno-pager]")
    # The list scrolls in its own box, which the keyboard can reach.
    assert page.get_attribute(BOOK + " .agno-cookbook__table--all", "tabindex") == "0"


# --- Not yet in Go ---------------------------------------------------------------------------------

LIST_ROWS = "[data-agno-group] tbody tr"


def list_ids(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(LIST_ROWS, "rs => rs.filter(r => !r.hidden && r.offsetParent)"
                                                          ".map(r => r.id.slice(4))")
    return ids


def python_only(matrix: SupportMatrix) -> list[str]:
    order = {f.id: f.order for f in matrix.families}
    return [m.id for m in sorted(matrix.modules, key=lambda m: (order[m.family], m.family, m.id))
            if m.status.python_only]


def test_not_in_go_lists_every_python_only_module_once(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/not-in-go/")
    want = python_only(matrix_data)
    assert list_ids(page) == want
    assert page.inner_text("[data-agno-list] [data-agno-count]") == f"{len(want)} modules"
    # No repeated status badge: only rows whose status differs from the page's subject carry one.
    badges = page.eval_on_selector_all(LIST_ROWS + " .agno-badge", "bs => bs.map(b => b.dataset.status)")
    assert "not_migrated" not in badges and len(badges) == sum(
        1 for m in matrix_data.modules if m.status.python_only and m.status.value != "not_migrated")


def test_not_in_go_filters_by_family_and_search(browse: Browse, matrix_data: SupportMatrix) -> None:
    want = python_only(matrix_data)
    fam = Counter(i.split(".", 1)[0] for i in want).most_common(1)[0][0]
    page = browse.page("/not-in-go/")
    page.select_option("[data-agno-list] select[name=family]", fam)
    assert list_ids(page) == [i for i in want if i.startswith(fam + ".")]
    assert settled(page, family=fam)["family"] == [fam]
    # The other families' blocks are hidden whole: heading, sentence, table, in-Go line.
    hidden = page.eval_on_selector_all("[data-agno-group-part]",
                                       "es => es.filter(e => e.hidden).map(e => e.dataset.agnoGroupPart)")
    assert hidden and fam not in hidden

    target = [i for i in want if i.startswith(fam + ".")][-1]
    page.fill("[data-agno-list] input[name=search]", target.split(".", 1)[1])
    assert target in list_ids(page)
    assert settled(page, search=target.split(".", 1)[1])
    page.fill("[data-agno-list] input[name=search]", "zz-nothing-like-it")
    assert list_ids(page) == []
    count = page.inner_text("[data-agno-list] [data-agno-count]")
    assert count.endswith("nothing matches; clear the filters")
    page.click("[data-agno-list] button[type=reset]")
    page.wait_for_function("() => !location.search")
    assert list_ids(page) == want


def test_not_in_go_without_javascript(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/not-in-go/", javascript=False)
    assert list_ids(page) == python_only(matrix_data)
    assert not page.is_visible("[data-agno-list] form")

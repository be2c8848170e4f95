"""The cookbook index and the "Not yet in Go" list in Chromium: filters, search, pages, URL, no-JS."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from matrix.model import SupportMatrix
from matrix.render.cookbook import BLOCKERS_SHOWN, INDEX_PAGE_SIZE
from matrix.render.pages import GROUP_PAGE_SIZE

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

LIST = "[data-agno-list]"
LIST_ROWS = "[data-agno-group] tbody tr"


def list_ids(page: Any) -> list[str]:
    """The modules on screen, in order (rows the script has not shown are not in the document)."""
    ids: list[str] = page.eval_on_selector_all(LIST_ROWS, "rs => rs.filter(r => !r.hidden && r.offsetParent)"
                                                          ".map(r => r.id.slice(4))")
    return ids


def python_only(matrix: SupportMatrix) -> list[str]:
    order = {f.id: f.order for f in matrix.families}
    return [m.id for m in sorted(matrix.modules, key=lambda m: (order[m.family], m.family, m.id))
            if m.status.python_only]


def first_of_each(ids: list[str], n: int = GROUP_PAGE_SIZE) -> list[str]:
    """The first ``n`` of each family, in order: what each family's table shows before "show more"."""
    seen: Counter[str] = Counter()
    out = []
    for i in ids:
        fam = i.split(".", 1)[0]
        seen[fam] += 1
        if seen[fam] <= n:
            out.append(i)
    return out


def rows_ready(page: Any) -> Any:
    page.wait_for_selector(LIST + "[data-agno-rows-ready]", state="attached")
    return page


def show_all(page: Any) -> None:
    for button in page.locator("[data-agno-group] button[data-agno-more=all]").all():
        if button.is_visible():
            button.click()
    for button in page.locator("[data-agno-group] button[data-agno-more=more]").all():
        while button.is_visible():
            button.click()


def longest_family(ids: list[str]) -> tuple[str, list[str]]:
    fam = Counter(i.split(".", 1)[0] for i in ids).most_common(1)[0][0]
    return fam, [i for i in ids if i.startswith(fam + ".")]


def test_not_in_go_lists_every_python_only_module_once(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = rows_ready(browse.page("/not-in-go/"))
    want = python_only(matrix_data)
    assert max(Counter(i.split(".", 1)[0] for i in want).values()) > GROUP_PAGE_SIZE  # some family is long
    # Each family shows its first rows; the count is of every module.
    assert list_ids(page) == first_of_each(want)
    assert page.inner_text(LIST + " [data-agno-count]") == f"{len(want)} modules"
    show_all(page)
    assert list_ids(page) == want
    # No repeated status badge: only rows whose status differs from the page's subject carry one.
    badges = page.eval_on_selector_all(LIST_ROWS + " .agno-badge", "bs => bs.map(b => b.dataset.status)")
    assert "not_migrated" not in badges and len(badges) == sum(
        1 for m in matrix_data.modules if m.status.python_only and m.status.value != "not_migrated")


def test_not_in_go_lays_out_a_few_rows_per_family(browse: Browse, matrix_data: SupportMatrix) -> None:
    """The rows beyond a family's first are served as unparsed noscript text, not as elements."""
    page = browse.page("/not-in-go/")
    page.wait_for_selector(LIST + "[data-agno-ready]")
    want = python_only(matrix_data)
    in_document = page.eval_on_selector_all(LIST_ROWS, "rs => rs.length")
    assert in_document == len(first_of_each(want)) < len(want)
    copies = page.eval_on_selector_all("[data-agno-group] noscript[data-agno-rows]",
                                       "ns => ns.map(n => n.children.length)")
    assert copies and set(copies) == {0}


def test_not_in_go_show_more_and_all(browse: Browse, matrix_data: SupportMatrix) -> None:
    fam, rows = longest_family(python_only(matrix_data))
    group = f"[data-agno-group='{fam}']"
    page = rows_ready(browse.page("/not-in-go/"))
    more = page.locator(group + " p[data-agno-more]")
    assert more.inner_text().startswith(f"{GROUP_PAGE_SIZE} of {len(rows)} shown.")
    # The keyboard reaches "show more"; the focus stays on it while there is more to show.
    page.focus(group + " button[data-agno-more=more]")
    page.keyboard.press("Enter")
    shown = min(2 * GROUP_PAGE_SIZE, len(rows))
    assert [i for i in list_ids(page) if i.startswith(fam + ".")] == rows[:shown]
    if shown < len(rows):
        assert page.evaluate("() => document.activeElement.dataset.agnoMore") == "more"
        page.click(group + " button[data-agno-more=all]")
    # Nothing more to show: the buttons are gone and the focus is on the first row they added.
    assert [i for i in list_ids(page) if i.startswith(fam + ".")] == rows
    assert not more.is_visible()
    first_new = rows[shown] if shown < len(rows) else rows[GROUP_PAGE_SIZE]
    assert page.evaluate("() => document.activeElement.closest('tr').id") == f"mod-{first_new}"
    # A new search starts each family at its first rows again.
    page.fill(LIST + " input[name=search]", fam)
    assert len([i for i in list_ids(page) if i.startswith(fam + ".")]) == GROUP_PAGE_SIZE


def test_not_in_go_filters_by_family_and_search(browse: Browse, matrix_data: SupportMatrix) -> None:
    want = python_only(matrix_data)
    fam, rows = longest_family(want)
    page = rows_ready(browse.page("/not-in-go/"))
    page.select_option(LIST + " select[name=family]", fam)
    assert list_ids(page) == rows[:GROUP_PAGE_SIZE]
    assert settled(page, family=fam)["family"] == [fam]
    # The other families' blocks are hidden whole: heading, sentence, table, in-Go line.
    hidden = page.eval_on_selector_all("[data-agno-group-part]",
                                       "es => es.filter(e => e.hidden).map(e => e.dataset.agnoGroupPart)")
    assert hidden and fam not in hidden

    target = rows[-1]  # beyond the first rows: found in the noscript copy
    page.fill(LIST + " input[name=search]", target.split(".", 1)[1])
    assert target in list_ids(page)
    assert settled(page, search=target.split(".", 1)[1])
    page.fill(LIST + " input[name=search]", "zz-nothing-like-it")
    assert list_ids(page) == []
    count = page.inner_text(LIST + " [data-agno-count]")
    assert count.endswith("nothing matches; clear the filters")
    page.click(LIST + " button[type=reset]")
    page.wait_for_function("() => !location.search")
    assert list_ids(page) == first_of_each(want)


def test_not_in_go_search_before_rows_are_parsed(browse: Browse, matrix_data: SupportMatrix) -> None:
    """A search in the URL is answered at load from every row, the copies parsed on the spot."""
    _, rows = longest_family(python_only(matrix_data))
    name = rows[-1].split(".", 1)[1]
    page = browse.page(f"/not-in-go/?search={name}")
    page.wait_for_selector(LIST + "[data-agno-ready]")
    assert rows[-1] in list_ids(page)
    assert page.input_value(LIST + " input[name=search]") == name


def test_a_link_to_a_module_beyond_the_first_rows_shows_it(browse: Browse, matrix_data: SupportMatrix,
                                                           ) -> None:
    _, rows = longest_family(python_only(matrix_data))
    target = rows[-1]
    page = browse.page(f"/not-in-go/#mod-{target}")
    page.wait_for_selector(f"[id='mod-{target}']")
    assert target in list_ids(page)
    top = page.evaluate(f"() => document.getElementById('mod-{target}').getBoundingClientRect().top")
    assert 0 <= top < 900
    # A link followed on the page does the same.
    other = rows[-2]
    page.evaluate(f"() => {{ location.hash = '#mod-{other}'; }}")
    page.wait_for_selector(f"[id='mod-{other}']")
    assert other in list_ids(page)


def test_not_in_go_prints_every_matching_row(browse: Browse, matrix_data: SupportMatrix) -> None:
    want = python_only(matrix_data)
    page = rows_ready(browse.page("/not-in-go/"))
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert list_ids(page) == want
    assert not page.locator("[data-agno-group] p[data-agno-more]").first.is_visible()
    page.emulate_media(media="screen")
    page.evaluate("() => dispatchEvent(new Event('afterprint'))")
    assert list_ids(page) == first_of_each(want)


def test_not_in_go_without_javascript(browse: Browse, matrix_data: SupportMatrix) -> None:
    """Without JavaScript every row of every family is on the page (the noscript copies), anchored."""
    page = browse.page("/not-in-go/", javascript=False)
    want = python_only(matrix_data)
    assert list_ids(page) == want
    assert not page.is_visible(LIST + " form")
    assert not page.locator("[data-agno-group] p[data-agno-more]").first.is_visible()
    ids = page.eval_on_selector_all("[id^='mod-']", "es => es.map(e => e.id)")
    assert sorted(ids) == sorted(f"mod-{i}" for i in want)  # each anchor once: the live rows carry none

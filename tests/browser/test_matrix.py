"""The support matrix page in Chromium: filters, search, sort, URL state, legend, no-JS fallback."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from matrix.model import STATUS_ORDER, Module, SupportMatrix
from matrix.sources.snapshot import decode

from .conftest import Browse

pytestmark = pytest.mark.browser

ROWS = "[data-agno-matrix-table] tbody tr"


def visible_ids(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        ROWS, "rows => rows.filter(r => !r.hidden).map(r => r.id.slice('module-'.length))")
    return ids


def count_text(page: Any) -> str:
    text: str = page.inner_text("[data-agno-count]")
    return text


def query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def haystack(m: Module) -> str:
    """What the page searches in: title and id, Go package (a dash when none), notes or reason."""
    parts = [f"{m.title} {m.id}", m.go.package if m.go else "\u2014", m.notes or m.reason or ""]
    if m.tracking and m.tracking.startswith(("https://", "http://")):
        parts[-1] += " tracking"
    if m.since:
        parts[-1] += f" since {m.since}"
    return " ".join(parts).lower()


def expected(matrix: SupportMatrix, *, families: set[str] | None = None, statuses: set[str] | None = None,
             q: str = "") -> set[str]:
    terms = q.lower().split()
    return {
        m.id for m in matrix.modules
        if (not families or m.family in families) and (not statuses or m.status.value in statuses)
        and all(t in haystack(m) for t in terms)
    }


def busiest_family(matrix: SupportMatrix) -> str:
    return Counter(m.family for m in matrix.modules).most_common(1)[0][0]


def test_full_table_renders_every_module(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/")
    n = len(matrix_data.modules)
    assert sorted(visible_ids(page)) == sorted(m.id for m in matrix_data.modules)
    assert count_text(page) == f"{n} of {n} modules"
    assert page.is_visible(".agno-matrix__controls")


def test_family_and_status_filters_combine(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/")
    fam = busiest_family(matrix_data)
    page.check(f"input[name=family][value='{fam}']")
    want = expected(matrix_data, families={fam})
    assert set(visible_ids(page)) == want
    assert count_text(page) == f"{len(want)} of {len(matrix_data.modules)} modules"
    assert query(page)["family"] == [fam]

    status = Counter(m.status.value for m in matrix_data.modules if m.family == fam).most_common(1)[0][0]
    page.check(f"input[name=status][value='{status}']")
    want = expected(matrix_data, families={fam}, statuses={status})
    assert want and set(visible_ids(page)) == want
    assert query(page)["status"] == [status]

    page.uncheck(f"input[name=family][value='{fam}']")
    assert set(visible_ids(page)) == expected(matrix_data, statuses={status})
    assert "family" not in query(page)


@pytest.mark.parametrize("pick", ["id", "package", "two_terms"])
def test_search(browse: Browse, matrix_data: SupportMatrix, pick: str) -> None:
    target = next(m for m in reversed(matrix_data.modules) if m.go is not None)
    q = {
        "id": target.id.upper(),
        "package": target.go.package if target.go else "",
        "two_terms": f"{target.family} {target.id.rsplit('.', 1)[1]}",
    }[pick]
    page = browse.page("/matrix/")
    page.fill("input[name=search]", q)
    want = expected(matrix_data, q=q)
    assert target.id in want
    assert set(visible_ids(page)) == want
    assert count_text(page) == f"{len(want)} of {len(matrix_data.modules)} modules"
    assert query(page)["search"] == [q]


def test_search_without_match_says_so(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/")
    page.fill("input[name=search]", "zz-no-module-is-called-this")
    assert visible_ids(page) == []
    assert count_text(page) == (f"0 of {len(matrix_data.modules)} modules: nothing matches;"
                                " clear the filters to see every module")


def column_keys(page: Any, column: int) -> list[str]:
    keys: list[str] = page.eval_on_selector_all(
        ROWS, f"rows => rows.filter(r => !r.hidden).map(r => r.cells[{column}].dataset.key)")
    return keys


@pytest.mark.parametrize(("sort", "column", "numeric"), [
    ("module", 1, False), ("status", 2, True), ("coverage", 4, True), ("parity", 5, True),
    ("package", 3, False),
])
def test_sort_by_header_click(browse: Browse, sort: str, column: int, numeric: bool) -> None:
    page = browse.page("/matrix/")
    header = page.locator(f"th:has(button[data-sort={sort}])")
    assert header.get_attribute("aria-sort") is None

    def keys() -> list[Any]:
        raw = column_keys(page, column)
        return [float(k) for k in raw] if numeric else [k.lower() for k in raw]

    page.click(f"button[data-sort={sort}]")
    assert header.get_attribute("aria-sort") == "ascending"
    assert keys() == sorted(keys())
    assert query(page)["sort"] == [sort] and "dir" not in query(page)

    page.click(f"button[data-sort={sort}]")
    assert header.get_attribute("aria-sort") == "descending"
    assert keys() == sorted(keys(), reverse=True)
    assert query(page)["dir"] == ["desc"]
    assert page.locator("th[aria-sort]").count() == 1


def test_state_restores_from_url(browse: Browse, matrix_data: SupportMatrix) -> None:
    fam = busiest_family(matrix_data)
    statuses = sorted({m.status.value for m in matrix_data.modules if m.family == fam})[:2]
    q = fam[:3]
    page = browse.page(f"/matrix/?family={fam}&status={','.join(statuses)}&search={q}&sort=module&dir=desc")
    want = expected(matrix_data, families={fam}, statuses=set(statuses), q=q)
    ids = visible_ids(page)
    assert set(ids) == want and want
    assert ids == sorted(ids, key=str.lower, reverse=True)
    assert page.input_value("input[name=search]") == q
    assert page.is_checked(f"input[name=family][value='{fam}']")
    assert [b.get_attribute("value") for b in page.locator("input[name=status]:checked").all()] == [
        s.value for s in STATUS_ORDER if s.value in statuses]
    assert page.locator("th:has(button[data-sort=module])").get_attribute("aria-sort") == "descending"


def test_unknown_url_values_are_ignored(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/?family=no_such_family,toString&status=bogus,__proto__&sort=constructor")
    assert len(visible_ids(page)) == len(matrix_data.modules)
    assert page.locator("th[aria-sort]").count() == 0
    assert page.locator("input:checked").count() == 0


def test_clear_filters_resets_view_and_url(browse: Browse, matrix_data: SupportMatrix) -> None:
    fam = busiest_family(matrix_data)
    page = browse.page(f"/matrix/?family={fam}&search=a&sort=coverage&dir=desc")
    page.click(".agno-matrix__reset")
    page.wait_for_function("() => !location.search")
    n = len(matrix_data.modules)
    assert count_text(page) == f"{n} of {n} modules"
    assert page.input_value("input[name=search]") == ""
    assert page.locator("th[aria-sort]").count() == 0
    assert visible_ids(page) == column_keys(page, 1)  # reading order again: family, then id
    assert page.locator("input:checked").count() == 0


def test_legend_lists_only_statuses_in_use(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/")
    shown = page.eval_on_selector_all(".agno-matrix__legend .agno-badge",
                                      "bs => bs.map(b => b.dataset.status)")
    used = {m.status for m in matrix_data.modules}
    assert shown == [s.value for s in STATUS_ORDER if s in used]
    titles = page.eval_on_selector_all(".agno-matrix__legend .agno-badge", "bs => bs.map(b => b.title)")
    assert titles == [s.tooltip for s in STATUS_ORDER if s in used]


def test_works_without_javascript(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/", javascript=False)
    assert page.locator(ROWS).count() == len(matrix_data.modules)
    assert not page.is_visible(".agno-matrix__controls")
    assert page.is_visible(ROWS + ":first-child")


def test_parity_links_land_on_a_parity_section(evidence_browse: Browse) -> None:
    """On a build with parity evidence (the committed snapshot joined with the sample runs)."""
    browse = evidence_browse
    page = browse.page("/matrix/")
    hrefs: list[str] = page.eval_on_selector_all(ROWS + " a.agno-parity", "as => as.map(a => a.href)")
    exported = decode(page.evaluate("fetch('../api/support-matrix.json').then(r => r.text())").encode(), "x")
    with_evidence = [m for m in exported.modules if m.parity is not None and m.parity.fixtures
                     and m.parity.passed + m.parity.failed + m.parity.errored]
    assert with_evidence and len(hrefs) == len(with_evidence)
    for href in sorted(set(hrefs))[:20]:
        assert href.startswith(browse.base_url + "/parity/#"), href
        page.goto(href)
        anchor = href.split("#", 1)[1]
        assert page.evaluate("id => document.getElementById(id) !== null", anchor), f"{href}: no such anchor"


def test_works_with_instant_navigation(instant_browse: Browse, matrix_data: SupportMatrix) -> None:
    """Material's instant navigation swaps pages without a reload: the script runs on every swap."""
    page = instant_browse.page("/")
    page.wait_for_load_state("networkidle")  # instant navigation intercepts links once its sitemap is in
    page.evaluate("window.agnoSamePage = true")
    page.locator(".md-sidebar--primary a.md-nav__link[href$='matrix/']").first.click()
    page.wait_for_url("**/matrix/")
    page.wait_for_selector(".agno-matrix__controls:not([hidden])")
    assert page.evaluate("window.agnoSamePage === true"), "the matrix page was loaded, not swapped in"
    status = Counter(m.status.value for m in matrix_data.modules).most_common(1)[0][0]
    page.check(f"input[name=status][value='{status}']")
    want = expected(matrix_data, statuses={status})
    assert set(visible_ids(page)) == want

    page.locator(".md-sidebar--primary a.md-nav__link[href$='quickstart/']").first.click()
    page.wait_for_url("**/quickstart/")
    page.go_back()
    page.wait_for_url(f"**/matrix/?status={status}")
    page.wait_for_selector(".agno-matrix__controls:not([hidden])")
    assert page.evaluate("window.agnoSamePage === true")
    assert page.is_checked(f"input[name=status][value='{status}']")
    assert set(visible_ids(page)) == want

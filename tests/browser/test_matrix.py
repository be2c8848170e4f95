"""The support matrix page in Chromium: filters with live counts, search, sort, pages, the URL, print,
anchors, legend, the no-JS table, instant navigation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from matrix.model import STATUS_ORDER, Module, Status, SupportMatrix
from matrix.render.interactive import PAGE_SIZE, UNIT_WORDS, ordered_modules, short_note
from matrix.render.links import module_url
from matrix.sources.snapshot import decode

from .conftest import Browse

pytestmark = pytest.mark.browser

LIVE = "[data-agno-live-table] tbody tr"
NOSCRIPT_ROWS = "[data-agno-matrix] noscript[data-agno-rows] tbody tr"


def shown_ids(page: Any) -> list[str]:
    """Module ids of the rows on screen, in order."""
    ids: list[str] = page.eval_on_selector_all(LIVE, "rows => rows.map(r => r.cells[0].dataset.key)")
    return ids


def all_ids(page: Any) -> list[str]:
    """Every row that matches, page after page (with the pager's Next button, as a person would)."""
    out = shown_ids(page)
    while page.is_visible("[data-agno-pager]") and page.is_enabled("[data-agno-page=next]"):
        before = page.inner_text("[data-agno-pages]")
        page.click("[data-agno-page=next]")
        page.wait_for_function("b => document.querySelector('[data-agno-pages]').textContent !== b",
                               arg=before)
        out += shown_ids(page)
    return out


def count_text(page: Any) -> str:
    text: str = page.inner_text("[data-agno-matrix] [data-agno-count]")
    return text


def query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def settled(tab: Any, /, **want: str | None) -> dict[str, list[str]]:
    """The query string once the page has written it (it does, 250 ms after the last input)."""
    tab.wait_for_function(
        """want => { const p = new URLSearchParams(location.search);
                     return Object.entries(want).every(([k, v]) => p.get(k) === v); }""", arg=want)
    return query(tab)


def facet_counts(page: Any, name: str) -> dict[str, int]:
    got: dict[str, int] = page.eval_on_selector_all(
        f"input[name={name}]",
        """bs => Object.fromEntries(bs.map(b => [b.value,
             Number(b.closest('label').querySelector('[data-agno-facet]').textContent.slice(1, -1))]))""")
    return got


def haystack(matrix: SupportMatrix, m: Module) -> str:
    """What a row is searched by: its text (title, id, family, status, Go package, units, notes...),
    its family id and status value, and its status's label."""
    fam = {f.id: f.title for f in matrix.families}[m.family]
    c = m.coverage
    units = f"{c.ported}/{c.total} {UNIT_WORDS[c.kind]}" if c is not None and c.total else "\u2014"
    note = short_note(m.notes or m.reason or "")
    extra = (" tracking" if m.tracking and m.tracking.startswith(("https://", "http://")) else "") + (
        f" since {m.since}" if m.since else "")
    parts = [m.title, m.id, fam, m.status.label, m.go.package if m.go else "\u2014", units, note + extra,
             m.family, m.status.value, m.status.label]
    return " ".join(parts).lower()


def expected(matrix: SupportMatrix, *, families: set[str] | None = None, statuses: set[str] | None = None,
             q: str = "") -> list[str]:
    """Matching ids in reading order (family order, then id)."""
    terms = q.lower().split()
    return [
        m.id for m in ordered_modules(matrix)
        if (not families or m.family in families) and (not statuses or m.status.value in statuses)
        and all(t in haystack(matrix, m) for t in terms)
    ]


def busiest_family(matrix: SupportMatrix) -> str:
    return Counter(m.family for m in matrix.modules).most_common(1)[0][0]


def test_first_page_then_every_module_page_by_page(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/")
    n = len(matrix_data.modules)
    reading = [m.id for m in ordered_modules(matrix_data)]
    assert shown_ids(page) == reading[:PAGE_SIZE]
    assert count_text(page) == f"{n} of {n} modules"
    assert page.is_visible(".agno-matrix__controls")
    pages = -(-n // PAGE_SIZE)
    assert page.inner_text("[data-agno-pages]") == f"of {pages} (rows 1\u2013{PAGE_SIZE} of {n})"
    assert page.is_disabled("[data-agno-page=prev]")
    assert all_ids(page) == reading
    assert settled(page, page=str(pages))["page"] == [str(pages)]
    assert page.is_disabled("[data-agno-page=next]")


def test_each_module_name_links_to_its_page(
    browse: Browse, site_dir: Path, matrix_data: SupportMatrix
) -> None:
    """Every name links to its module page, and the link lands."""
    page = browse.page("/matrix/")
    links = page.eval_on_selector_all(LIVE,
                                      "rows => rows.map(r => r.cells[0].querySelector('a')?.href ?? null)")
    assert (site_dir / "modules").is_dir() and links
    mods = {m.id: m for m in matrix_data.modules}
    # ../modules/<family>/<name>/ from /matrix/ (links.module_href), landing on the module pages' URLs
    assert links == [f"{browse.base_url}/{module_url(mods[i].id)}" for i in shown_ids(page)]
    page.goto(links[-1])
    assert page.title() and page.locator("h1").count() == 1


def test_family_and_status_filters_combine_and_counts_follow(
    browse: Browse, matrix_data: SupportMatrix
) -> None:
    page = browse.page("/matrix/")
    fam = busiest_family(matrix_data)
    by_status = Counter(m.status.value for m in matrix_data.modules)
    assert facet_counts(page, "status") == {
        s.value: by_status[s.value] for s in STATUS_ORDER if by_status[s.value]}

    page.check(f"input[name=family][value='{fam}']")
    assert settled(page, family=fam, page=None)["family"] == [fam]
    want = expected(matrix_data, families={fam})
    assert count_text(page) == f"{len(want)} of {len(matrix_data.modules)} modules"
    in_family = Counter(m.status.value for m in matrix_data.modules if m.family == fam)
    assert facet_counts(page, "status") == {s: in_family[s] for s in facet_counts(page, "status")}
    assert all_ids(page) == want

    status = in_family.most_common(1)[0][0]
    page.check(f"input[name=status][value='{status}']")  # a filter goes back to the first page
    assert settled(page, status=status, page=None)["status"] == [status]
    want = expected(matrix_data, families={fam}, statuses={status})
    with_status = Counter(m.family for m in matrix_data.modules if m.status.value == status)
    assert facet_counts(page, "family") == {f: with_status[f] for f in facet_counts(page, "family")}
    assert want and all_ids(page) == want

    page.uncheck(f"input[name=family][value='{fam}']")
    assert "family" not in settled(page, family=None, page=None)
    assert all_ids(page) == expected(matrix_data, statuses={status})


def _search_cases(matrix: SupportMatrix) -> dict[str, tuple[str, str]]:
    """(query, a module it must find) for each way of finding a module."""
    target = next(m for m in reversed(matrix.modules) if m.go is not None)
    fam = {f.id: f.title for f in matrix.families}
    partial = next(m for m in matrix.modules if m.status is Status.PARTIAL)
    return {
        "id": (target.id.upper(), target.id),
        "package": (target.go.package if target.go else "", target.id),
        "two_terms": (f"{target.family} {target.id.rsplit('.', 1)[1]}", target.id),
        "family_title": (fam[target.family].split()[0], target.id),
        "status_word": ("partial", partial.id),
    }


@pytest.mark.parametrize("pick", ["id", "package", "two_terms", "family_title", "status_word"])
def test_search(browse: Browse, matrix_data: SupportMatrix, pick: str) -> None:
    q, must = _search_cases(matrix_data)[pick]
    page = browse.page("/matrix/")
    page.fill("input[name=search]", q)
    want = expected(matrix_data, q=q)
    assert must in want
    assert all_ids(page) == want
    assert count_text(page) == f"{len(want)} of {len(matrix_data.modules)} modules"
    assert settled(page, search=q)["search"] == [q]


def test_search_without_match_says_so(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page("/matrix/")
    page.fill("input[name=search]", "zz-no-module-is-called-this")
    assert shown_ids(page) == []
    assert count_text(page) == (f"0 of {len(matrix_data.modules)} modules: nothing matches;"
                                " clear the filters to see every one")
    assert not page.is_visible("[data-agno-pager]")


def column_keys(page: Any, sort: str) -> list[str]:
    keys: list[str] = page.evaluate(
        """sort => { const head = [...document.querySelectorAll('[data-agno-live-table] thead th')];
                     const col = head.findIndex(th => th.querySelector(`[data-sort="${sort}"]`));
                     return [...document.querySelectorAll('[data-agno-live-table] tbody tr')].map(r => {
                       const c = r.cells[col];
                       return c.hasAttribute('data-key') ? c.dataset.key : c.textContent.trim();
                     }); }""", sort)
    return keys


@pytest.mark.parametrize(("sort", "numeric"), [
    ("module", False), ("status", True), ("coverage", True), ("package", False), ("family", False),
])
def test_sort_by_header_click(browse: Browse, matrix_data: SupportMatrix, sort: str, numeric: bool) -> None:
    page = browse.page("/matrix/")
    header = page.locator(f"th:has(button[data-sort={sort}])")
    assert header.get_attribute("aria-sort") is None

    def keys() -> list[Any]:
        raw = column_keys(page, sort)
        return [float(k) for k in raw] if numeric else [k.lower() for k in raw]

    page.click(f"button[data-sort={sort}]")
    assert header.get_attribute("aria-sort") == "ascending"
    first = keys()
    assert first == sorted(first) and len(first) == min(PAGE_SIZE, len(matrix_data.modules))
    assert settled(page, sort=sort, dir=None)["sort"] == [sort]

    page.click(f"button[data-sort={sort}]")
    assert header.get_attribute("aria-sort") == "descending"
    first = keys()
    assert first == sorted(first, reverse=True)
    assert settled(page, sort=sort, dir="desc")["dir"] == ["desc"]
    assert page.locator("th[aria-sort]").count() == 1
    # The next page continues the order.
    page.click("[data-agno-page=next]")
    page.wait_for_function("n => document.querySelector('[data-agno-pages]').textContent.includes(n)",
                           arg=f"rows {PAGE_SIZE + 1}")
    both = first + keys()
    assert both == sorted(both, reverse=True)


def test_state_restores_from_url(browse: Browse, matrix_data: SupportMatrix) -> None:
    fam = busiest_family(matrix_data)
    statuses = sorted({m.status.value for m in matrix_data.modules if m.family == fam})[:2]
    q = fam[:3]
    page = browse.page(f"/matrix/?family={fam}&status={','.join(statuses)}&search={q}&sort=module&dir=desc")
    want = expected(matrix_data, families={fam}, statuses=set(statuses), q=q)
    ids = all_ids(page)
    assert ids == sorted(want, key=str.lower, reverse=True) and want
    assert page.input_value("input[name=search]") == q
    assert page.is_checked(f"input[name=family][value='{fam}']")
    assert [b.get_attribute("value") for b in page.locator("input[name=status]:checked").all()] == [
        s.value for s in STATUS_ORDER if s.value in statuses]
    assert page.locator("th:has(button[data-sort=module])").get_attribute("aria-sort") == "descending"


def test_page_restores_from_url_and_pages_by_keyboard(browse: Browse, matrix_data: SupportMatrix) -> None:
    reading = [m.id for m in ordered_modules(matrix_data)]
    page = browse.page("/matrix/?page=2")
    assert shown_ids(page) == reading[PAGE_SIZE:2 * PAGE_SIZE]
    assert page.input_value("[data-agno-page-select]") == "2"
    page.focus("[data-agno-page=next]")
    page.keyboard.press("Enter")
    assert shown_ids(page) == reading[2 * PAGE_SIZE:3 * PAGE_SIZE]
    assert settled(page, page="3")["page"] == ["3"]
    page.select_option("[data-agno-page-select]", "1")
    assert shown_ids(page) == reading[:PAGE_SIZE]
    assert "page" not in settled(page, page=None)
    # A page past the end shows the last one.
    page = browse.page("/matrix/?page=999")
    assert shown_ids(page) == reading[(len(reading) - 1) // PAGE_SIZE * PAGE_SIZE:]


def test_unknown_url_values_are_ignored(browse: Browse, matrix_data: SupportMatrix) -> None:
    page = browse.page(
        "/matrix/?family=no_such_family,toString&status=bogus,__proto__&sort=constructor&page=x")
    assert all_ids(page) == [m.id for m in ordered_modules(matrix_data)]
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
    assert shown_ids(page) == [m.id for m in ordered_modules(matrix_data)][:PAGE_SIZE]
    assert page.locator("input:checked").count() == 0


def test_a_row_anchor_opens_the_page_that_holds_it(browse: Browse, matrix_data: SupportMatrix) -> None:
    target = ordered_modules(matrix_data)[-1]
    page = browse.page(f"/matrix/#module-{target.id}")
    assert target.id in shown_ids(page)
    row = page.locator(f"[id='module-{target.id}']")
    assert row.count() == 1 and row.is_visible()
    assert page.evaluate("id => { const r = document.getElementById(id).getBoundingClientRect();"
                         " return r.top >= 0 && r.top < innerHeight; }", f"module-{target.id}")


def test_printing_shows_every_matching_row_in_order(browse: Browse, matrix_data: SupportMatrix) -> None:
    fam = busiest_family(matrix_data)
    page = browse.page(f"/matrix/?family={fam}&sort=module&dir=desc")
    want = sorted(expected(matrix_data, families={fam}), key=str.lower, reverse=True)
    assert len(want) > PAGE_SIZE and shown_ids(page) == want[:PAGE_SIZE]
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert shown_ids(page) == want
    assert not page.is_visible("[data-agno-pager]") and not page.is_visible(".agno-matrix__controls")
    heights = page.eval_on_selector_all(LIVE, "rows => rows.map(r => r.getBoundingClientRect().height)")
    assert min(heights) > 15  # rows keep their height: nothing collapses off screen
    page.emulate_media(media="screen")
    page.evaluate("() => dispatchEvent(new Event('afterprint'))")
    assert shown_ids(page) == want[:PAGE_SIZE]


def test_the_page_height_does_not_change_while_scrolling(browse: Browse) -> None:
    page = browse.page("/matrix/")
    page.wait_for_selector("[data-agno-rows-ready]", state="attached")
    heights = []
    total = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, total, 400):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        heights.append(page.evaluate("document.documentElement.scrollHeight"))
    assert set(heights) == {total}, heights


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
    rows = page.locator("[data-agno-matrix] .agno-matrix__table:not(.agno-matrix__table--live) tbody tr")
    assert rows.count() == len(matrix_data.modules)
    assert rows.nth(len(matrix_data.modules) - 1).is_visible()
    assert page.eval_on_selector_all(
        "[data-agno-matrix] .agno-matrix__table:not(.agno-matrix__table--live) tbody tr",
        "rs => rs.map(r => r.id.slice(7))") == [m.id for m in ordered_modules(matrix_data)]
    assert not page.is_visible(".agno-matrix__table--live")
    assert not page.is_visible(".agno-matrix__controls") and not page.is_visible("[data-agno-pager]")


def test_parity_links_land_on_a_parity_section(evidence_browse: Browse) -> None:
    """On a build with parity evidence (the committed snapshot joined with the sample runs)."""
    browse = evidence_browse
    page = browse.page("/matrix/?sort=parity&dir=desc")
    hrefs: list[str] = page.eval_on_selector_all(LIVE + " a.agno-parity", "as => as.map(a => a.href)")
    exported = decode(page.evaluate("fetch('../api/support-matrix.json').then(r => r.text())").encode(), "x")
    with_evidence = [m for m in exported.modules if m.parity is not None and m.parity.fixtures
                     and m.parity.passed + m.parity.failed + m.parity.errored]
    assert with_evidence and len(hrefs) == min(len(with_evidence), PAGE_SIZE)
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
    assert shown_ids(page) == want[:PAGE_SIZE]
    page.wait_for_url(f"**/matrix/?status={status}")

    page.locator(".md-sidebar--primary a.md-nav__link[href$='quickstart/']").first.click()
    page.wait_for_url("**/quickstart/")
    page.wait_for_timeout(400)  # a URL write still pending from the matrix page must not land here
    assert "status=" not in page.url
    page.go_back()
    page.wait_for_url(f"**/matrix/?status={status}")
    page.wait_for_selector(".agno-matrix__controls:not([hidden])")
    assert page.evaluate("window.agnoSamePage === true")
    assert page.is_checked(f"input[name=status][value='{status}']")
    assert all_ids(page) == want

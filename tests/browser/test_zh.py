"""The Chinese edition in Chromium: the quickstart, the support matrix and its script's words, the
language switcher (it keeps the page, both ways), and search in Chinese."""

# ruff: noqa: RUF001, E501  (Chinese uses full-width punctuation)

from __future__ import annotations

import re
from typing import Any

import pytest

from matrix.i18n import catalogue
from matrix.model import Status, SupportMatrix
from matrix.render.interactive import PAGE_SIZE

from .conftest import Browse

pytestmark = pytest.mark.browser


def zh(key: str, **values: object) -> str:
    return catalogue().text(key, "zh", **values)


def test_the_chinese_quickstart(browse: Browse) -> None:
    page = browse.page("/zh/quickstart/")
    assert page.get_attribute("html", "lang") == "zh"
    assert page.inner_text("article h1").rstrip("¶") == "Go 运行时快速上手"
    titles = page.eval_on_selector_all("article .admonition-title", "els => els.map(e => e.textContent.trim())")
    assert zh("needs.runs") in titles and zh("planned.title") in titles
    assert zh("needs.python_only") in titles  # the knowledge base step needs python-only modules
    # generated in Chinese, ids and code as they are
    assert "这一步用到" in page.inner_text("article") and "core.agent" in page.inner_text("article")
    assert page.inner_text(".md-tabs, .md-nav--primary").count("Go 运行时快速上手") >= 1
    assert page.locator("[data-md-component=announce]").inner_text().strip() == ""  # not stale


def test_the_chinese_matrix_filters_with_chinese_words(browse: Browse, matrix_data: SupportMatrix) -> None:
    total = len(matrix_data.modules)
    page = browse.page("/zh/matrix/")
    page.wait_for_selector("[data-agno-matrix][data-agno-ready]")
    count = "[data-agno-matrix] [data-agno-count]"
    assert page.inner_text(count) == zh("js.count", shown=total, total=total, noun=zh("matrix.noun_other"))
    assert page.inner_text(f"{count} strong") == str(total)
    page.fill("[data-agno-matrix] input[name=search]", "tools.shell")
    page.wait_for_function("s => document.querySelector(s).textContent.startsWith('显示 1 ')", arg=count)
    assert page.inner_text(count) == zh("js.count", shown=1, total=total, noun=zh("matrix.noun_other"))
    page.fill("[data-agno-matrix] input[name=search]", "zzz-nothing")
    page.wait_for_function("s => document.querySelector(s).textContent.startsWith('显示 0 ')", arg=count)
    assert page.inner_text(count).endswith("没有匹配项；清除筛选即可看到全部")
    page.fill("[data-agno-matrix] input[name=search]", "")
    # a status filter wide enough for the pager: its words are Chinese too
    page.check(f"[data-agno-matrix] input[name=status][value={Status.NOT_MIGRATED.value}]")
    page.wait_for_selector("[data-agno-pager]:not([hidden])")
    assert re.fullmatch(rf"共 \d+ 页（第 1–{PAGE_SIZE} 行，共 \d+ 行）", page.inner_text("[data-agno-pages]"))
    assert page.inner_text("[data-agno-page=next]") == "下一页"
    legend = page.inner_text(".agno-matrix__legend")
    assert zh("status.not_migrated.tooltip") in legend and zh("status.partial.tooltip") in legend


def _switch(page: Any, lang: str) -> None:
    link = page.locator(f".md-select a[hreflang={lang}]").first
    page.hover(".md-header [data-md-component=palette] ~ .md-header__option .md-select, .md-select")
    link.click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("path", ["/quickstart/", "/not-in-go/", "/families/vectordb/"])
def test_the_language_switcher_keeps_the_page_both_ways(browse: Browse, path: str) -> None:
    page = browse.page(path)
    assert page.get_attribute("html", "lang") == "en"
    _switch(page, "zh")
    assert page.url == browse.base_url + "/zh" + path
    assert page.get_attribute("html", "lang") == "zh"
    _switch(page, "en")
    assert page.url == browse.base_url + path
    assert page.get_attribute("html", "lang") == "en"


def _search(page: Any, text: str) -> list[str]:
    """The result links for ``text``. Material reads the query on keyup, focus or the index being
    ready, never on ``input``: the words go in as an IME commits them (``fill``), and the key that
    follows is what makes Material read them, however long the index took to load."""
    query = "input[data-md-component=search-query]"
    page.keyboard.press("/")
    page.fill(query, text)
    page.press(query, "End")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-search-result__item a", "as => as.map(a => a.pathname + a.hash)")
    return hrefs


@pytest.mark.parametrize(("words", "expect"), [
    ("迁移", "/zh/not-in-go/"),  # 尚未迁移到 Go: a word jieba cut out of a longer phrase
    ("向量数据库", "/zh/families/vectordb/"),
])
def test_search_finds_chinese_pages_by_chinese_words(browse: Browse, words: str, expect: str) -> None:
    page = browse.page("/zh/")
    hrefs = _search(page, words)
    assert any(h.split("#")[0] == expect for h in hrefs), hrefs
    assert all(h.startswith("/zh/") for h in hrefs[:5]), hrefs  # the Chinese edition's pages, not English ones


def test_a_module_id_is_found_from_either_language(browse: Browse) -> None:
    """Each edition searches its own index (macros/search_hooks.py): the id finds the module's page
    in the reader's language, and no page of the other edition."""
    for edition in ("/zh/", "/"):
        hrefs = _search(browse.page(edition), "tools.shell")
        assert hrefs and hrefs[0] == f"{edition}modules/tools/shell/", (edition, hrefs)
        assert all(h.startswith("/zh/") is (edition == "/zh/") for h in hrefs), (edition, hrefs)


def test_the_chinese_not_in_go_list_counts_in_chinese(browse: Browse, matrix_data: SupportMatrix) -> None:
    total = sum(1 for m in matrix_data.modules if m.status.python_only)
    page = browse.page("/zh/not-in-go/")
    page.wait_for_selector("[data-agno-list][data-agno-ready]")
    count = "[data-agno-list] [data-agno-count]"
    assert page.inner_text(count) == zh("js.list_all", total=total)
    page.fill("[data-agno-list] input[name=search]", "tools.shell")
    page.wait_for_function("s => document.querySelector(s).textContent.startsWith('显示 1 ')", arg=count)
    assert page.inner_text(count) == zh("js.list_some", shown=1, total=total)
    assert page.inner_text("[data-agno-group-count=tools]") == zh("js.group_shown", n=1)


def test_a_chinese_module_page(browse: Browse, matrix_data: SupportMatrix) -> None:
    m = next(m for m in matrix_data.modules if m.id == "vectordb.chroma")
    page = browse.page("/zh/modules/vectordb/chroma/")
    assert page.get_attribute("html", "lang") == "zh"
    assert page.inner_text("article h1").rstrip("¶") == m.title  # the module's own name, as in the matrix
    lead = page.inner_text(".agno-module-page__lead")
    assert "vectordb.chroma" in lead and "向量数据库" in lead
    assert page.inner_text(".agno-module-page__lead .agno-badge") == zh(f"{m.status.info.key}.label")
    headings = page.eval_on_selector_all("article h2", "hs => hs.map(h => h.id)")
    assert "evidence" in headings  # the English anchors, so a link works in both editions
    assert zh("module.h_evidence") in page.inner_text("article h2#evidence")
    heads = page.eval_on_selector_all(".agno-evidence thead th", "ths => ths.map(t => t.textContent)")
    assert heads == [zh("module.col.unit"), zh("module.col.in_go"), "Python", "Go"]
    _switch(page, "en")
    assert page.url == browse.base_url + "/modules/vectordb/chroma/"
    assert page.inner_text(".agno-module-page__lead .agno-badge") == m.status.label

"""``t`` in templates (matrix/render/words.py): escaping by construction, plurals, family titles, JS words."""

# ruff: noqa: RUF001, E501  (Chinese text uses full-width punctuation; exact messages read better unbroken)

from __future__ import annotations

import pytest
from markupsafe import Markup

from matrix.errors import UsageError
from matrix.i18n import Catalogue, Message
from matrix.model import Coverage, Family, GoRef, Status, Unit, UnitKind, UnitState
from matrix.notes import compose, summary
from matrix.render.modules import module_page
from matrix.render.pages import not_in_go
from matrix.render.templating import Templates
from matrix.render.words import Words
from matrix.sources import Loaded
from tests.factories import matrix, module

EN, ZH = Words("en"), Words("zh")


def test_values_are_escaped_markup_passes_and_the_message_words_are_escaped_too() -> None:
    cat = Catalogue({"k": Message(en="<b>{x}</b> *{y}*", zh="{x}{y}")})
    out = Words("en", cat)("k", x="<i>|{{ 7*7 }}", y=Markup("<code>c</code>"))
    assert isinstance(out, Markup)
    assert out == ("&lt;b&gt;&lt;i&gt;&#124;&#123;&#123; 7&#42;7 &#125;&#125;&lt;/b&gt; "
                   "&#42;<code>c</code>&#42;")


def test_a_missing_value_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"message 'pager\.label' needs 'what'"):
        EN("pager.label")


@pytest.mark.parametrize(("words", "status", "label", "tip"), [
    (EN, Status.NOT_MIGRATED, "Not yet in Go", "runtime=python-only"),
    (ZH, Status.NOT_MIGRATED, "尚未迁移到 Go", "runtime=python-only"),
    (ZH, Status.PARTIAL, "部分迁移", "runtime=go：部分已测量的单元已移植；备注列出缺少的单元"),
])
def test_status_words_come_from_the_key_the_status_table_names(
        words: Words, status: Status, label: str, tip: str) -> None:
    assert (words.label(status), words.tip(status)) == (label, tip)
    assert status.label == EN.label(status)  # English stays available on the status itself


def test_family_titles_english_from_the_matrix_chinese_from_the_catalogue() -> None:
    fam = Family(id="vectordb", title="Vector DBs", order=1)
    assert (EN.family(fam), ZH.family(fam)) == ("Vector DBs", "向量数据库")
    new = Family(id="brandnew", title="Brand new", order=9)
    assert ZH.family(new) == "Brand new"  # not translated yet: the matrix's own title, not an error


def test_units_in_words_and_counted() -> None:
    assert (EN.units(UnitKind.GROUPS), ZH.units(UnitKind.GROUPS)) == ("capability groups", "能力组")
    assert (EN.units(UnitKind.ENDPOINTS, 1), EN.units(UnitKind.ENDPOINTS, 3)) == ("1 endpoint", "3 endpoints")


def test_the_script_gets_raw_messages_with_their_placeholders() -> None:
    js = ZH.js("js")
    assert js["pages"] == "共 {n} 页（第 {start}\u2013{end} 行，共 {length} 行）"
    assert set(js) == set(EN.js("js"))


def test_templates_carry_their_language() -> None:
    t = Templates(lang="zh")
    assert t.lang == "zh" and t.env.globals["t"].lang == "zh"
    assert str(t.render("list_pager.html.jinja", label="<支持矩阵>")) == (
        '<nav class="agno-pager" aria-label="&lt;支持矩阵&gt;的分页" data-agno-pager hidden><button type="button" '
        'class="md-button agno-pager__button" data-agno-page="prev">上一页</button><label>页 <select '
        'data-agno-page-select></select></label><span data-agno-pages></span><button type="button" '
        'class="md-button agno-pager__button" data-agno-page="next">下一页</button></nav>')
    with pytest.raises(UsageError, match="no such language 'fr'"):
        Templates(lang="fr")


def test_a_modules_notes_in_the_language_where_the_scan_composed_them_and_escaped_on_the_page() -> None:
    cov = Coverage(ported=0, total=2, missing=("a", "b"), kind=UnitKind.FUNCTIONS,
                   units=(Unit(name="a", state=UnitState.MISSING), Unit(name="b", state=UnitState.MISSING)))
    go = GoRef(package="pkg/agno/tools/demo", symbols=("<b>Demo</b>",))
    scanned = module("tools.demo", Status.NOT_MIGRATED, go=go, coverage=cov,
                     notes=compose([summary(cov, go.package, go.symbols)]))
    assert EN.note(scanned) == scanned.notes == (
        "none of the 2 baseline functions is in Go; the Go package pkg/agno/tools/demo holds <b>Demo</b> instead.")
    assert ZH.note(scanned) == "基线的 2 个函数都不在 Go 中；Go 包 pkg/agno/tools/demo 中有的是 <b>Demo</b>。"
    by_hand = module("tools.other", Status.NOT_MIGRATED, go=go, notes="checked by hand")
    assert ZH.note(by_hand) == "checked by hand" and ZH.note(module("tools.calculator")) == ""
    wrapper = module("tools.lc", Status.WONT_PORT, reason="Wraps a LangChain (Python) retriever.")
    assert ZH.reason(wrapper) == "封装一个 LangChain（Python）检索器。" and EN.reason(wrapper) == wrapper.reason
    own = module("tools.own", Status.WONT_PORT)  # a reason the phrasebook does not hold: as given
    html = str(not_in_go(Templates(lang="zh"), matrix(scanned, by_hand, wrapper, own)))
    assert "基线的 2 个函数都不在 Go 中；Go 包 pkg/agno/tools/demo 中有的是 &lt;b&gt;Demo&lt;/b&gt;。" in html
    assert "checked by hand" in html and "none of the" not in html
    assert "封装一个 LangChain（Python）检索器。" in html and "depends on a Python-only library" in html


def test_a_module_pages_lead_is_punctuated_and_noted_in_its_language() -> None:
    cov = Coverage(ported=1, total=2, missing=("b",), kind=UnitKind.FUNCTIONS,
                   units=(Unit(name="a", state=UnitState.PORTED), Unit(name="b", state=UnitState.MISSING)))
    go = GoRef(package="pkg/agno/tools/demo", symbols=("Demo",))
    m = module("tools.demo", Status.PARTIAL, go=go, coverage=cov, notes=compose([summary(cov, go.package, go.symbols)]))
    data = Loaded(matrix(m))
    zh, en = module_page(Templates(lang="zh"), data, m).html, module_page(Templates(lang="en"), data, m).html
    assert "<span data-search-exclude>：工具包注册给智能体调用的函数</span>。</p>" in zh
    assert "缺少 1 个函数（共 2 个）：b。" in zh and "missing 1 of 2" not in zh
    assert "<span data-search-exclude>: the functions the toolkit registers for an agent to call</span>.</p>" in en
    assert "missing 1 of 2 functions: b." in en

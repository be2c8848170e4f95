"""The two editions of one build: English at /, Chinese at /zh/ (mkdocs-static-i18n, macros/i18n_hooks.py)."""

# ruff: noqa: E501  (exact lines read better unbroken)

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from matrix.i18n import catalogue
from matrix.model import SupportMatrix
from matrix.render.interactive import short_note
from tests.site.conftest import DOCS

pytestmark = pytest.mark.slow

#: Pages written in Chinese by hand (docs/<page>.zh.md).
TRANSLATED = sorted(str(p.relative_to(DOCS)).replace(".zh.md", ".md") for p in DOCS.rglob("*.zh.md"))
FALLBACK_TITLE = catalogue().text("i18n.fallback_title", "zh")


def _url(src: str) -> str:
    """docs/x/y.md -> x/y/index.html; index.md -> index.html."""
    stem = src.removesuffix(".md")
    return "index.html" if stem == "index" else (stem.removesuffix("/index") + "/index.html")


def _pages(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("index.html") if "zh" not in p.relative_to(root).parts[:1]}


def test_the_chinese_edition_has_every_page_of_the_english_one(site: Path) -> None:
    en, zh = _pages(site), _pages(site / "zh")
    assert len(en) > 30
    assert zh == en


def test_hand_translations_are_the_ones_listed_in_the_issue() -> None:
    assert set(TRANSLATED) >= {"index.md", "quickstart.md", "not-in-go.md", "cookbook/index.md", "parity.md",
                               "benchmarks.md", "telemetry.md"}


@pytest.mark.parametrize("src", TRANSLATED)
def test_a_translated_page_is_chinese_and_has_no_fallback_note(site: Path, src: str) -> None:
    text = (site / "zh" / _url(src)).read_text(encoding="utf-8")
    assert '<html lang="zh"' in text
    assert FALLBACK_TITLE not in text
    assert re.search(r"<h1[^>]*>[^<]*[\u4e00-\u9fff]", text), f"{src}: the H1 is not Chinese"
    assert FALLBACK_TITLE not in (site / _url(src)).read_text(encoding="utf-8")


def test_an_untranslated_page_falls_back_to_english_under_a_chinese_note(site: Path) -> None:
    fallbacks = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")
                       if "snippets" not in p.parts and not p.name.endswith(".zh.md")
                       and str(p.relative_to(DOCS)) not in TRANSLATED)
    assert "reference/cli.md" in fallbacks
    for src in fallbacks:
        page = (site / "zh" / _url(src)).read_text(encoding="utf-8")
        assert f'<p class="admonition-title">{FALLBACK_TITLE}</p>' in page, src
        assert FALLBACK_TITLE not in (site / _url(src)).read_text(encoding="utf-8"), src
    log = site.with_suffix(".log").read_text(encoding="utf-8")
    lines = [ln for ln in log.splitlines() if "not translated yet" in ln]
    assert lines == [f"INFO    -  agno-docs: zh edition: {len(fallbacks)} page(s) shown in en, not translated yet: "
                     + ", ".join(fallbacks)]
    assert "WARNING" not in log


def test_generated_pages_exist_in_both_editions_in_their_language(site: Path, real: SupportMatrix) -> None:
    for fam in real.families:
        en_html = (site / "families" / fam.id / "index.html").read_text(encoding="utf-8")
        zh_html = (site / "zh" / "families" / fam.id / "index.html").read_text(encoding="utf-8")
        assert FALLBACK_TITLE not in zh_html  # generated in Chinese: never a fallback
        zh_title = html.escape(catalogue().text(f"family.{fam.id}", "zh"))
        assert re.search(rf"<h1[^>]*>{re.escape(zh_title)}<", zh_html), fam.id
        assert re.search(rf"<h1[^>]*>{re.escape(html.escape(fam.title))}<", en_html), fam.id


def test_the_language_switcher_keeps_the_page(site: Path) -> None:
    en = (site / "quickstart" / "index.html").read_text(encoding="utf-8")
    zh = (site / "zh" / "quickstart" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./zh/quickstart/"[^>]*hreflang="zh"', en)
    assert re.search(r'href="\.\./\.\./quickstart/"[^>]*hreflang="en"', zh)
    fam = (site / "zh" / "families" / "tools" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="\.\./\.\./\.\./families/tools/"[^>]*hreflang="en"', fam)


def test_exports_stay_language_neutral(site: Path, real: SupportMatrix) -> None:
    raw = (site / "api" / "support-matrix.json").read_text(encoding="utf-8")
    assert not re.search(r"[\u4e00-\u9fff]", raw)
    assert {m["status"] for m in json.loads(raw)["modules"]} <= {s.value for s in type(real.modules[0].status)}
    assert not (site / "zh" / "api").exists()


def test_each_edition_searches_its_own_index_and_chinese_is_cut_into_words(site: Path) -> None:
    en, zh = (json.loads((site / e / "search" / "search_index.json").read_text(encoding="utf-8"))
              for e in ("", "zh"))
    for index in (en, zh):
        assert "\\u200b" in index["config"]["separator"]  # the regular expression's escape for U+200B
        assert not any(d["location"].startswith(("zh/", "/")) for d in index["docs"])
    assert {d["location"].split("#")[0] for d in en["docs"]} == {d["location"].split("#")[0] for d in zh["docs"]}
    zh_text = " ".join(d["text"] for d in zh["docs"])
    assert "\u200b迁移\u200b" in zh_text or "迁移\u200b" in zh_text
    assert not re.search(r"[\u4e00-\u9fff]", " ".join(d["text"] for d in en["docs"]))
    # each edition's pages look for search in their edition's folder (the theme's `base`)
    for rel, base in (("matrix/index.html", '"base": ".."'), ("zh/matrix/index.html", '"base": "../../zh/"'),
                      ("zh/index.html", '"base": "../zh/"'), ("zh/modules/tools/shell/index.html", '"base": "../../../../zh/"')):
        assert base in (site / rel).read_text(encoding="utf-8"), rel


def _english_ui_strings() -> dict[str, str]:
    """Every English literal of more than one word the catalogue holds whose Chinese differs: key by text."""
    out: dict[str, str] = {}
    for key, msg in catalogue().messages.items():
        for form in (msg.en, msg.en_one):
            for part in re.split(r"\{\w+\}", form or ""):
                part = part.strip(" .,:;()")
                if len(part.split()) > 1 and part not in msg.zh:
                    out.setdefault(part, key)
    return out


def _data_strings(matrix: SupportMatrix) -> list[str]:
    """Text from the matrix itself (module titles, the scan's notes, reasons): English in every edition,
    as the contract is; longest first, so a note is taken out before a title inside it."""
    out: set[str] = set()
    for m in matrix.modules:
        units = m.coverage.units if m.coverage is not None else ()
        for text in (m.title, m.notes, m.reason, *(u.note for u in units)):
            if text:
                out.update((text, short_note(text)))
    return sorted(out, key=len, reverse=True)


#: Parts of a page that are English on purpose: a sample of the runtime's own error message (its
#: wording is the runtime's; the page says to match the code, not the words), and What's new's change
#: sentences and their headings, which are the diff's records (matrix.diff), not the catalogue's.
_ENGLISH_ON_PURPOSE = re.compile(
    r'<pre class="agno-error">.*?</pre>|<ul class="agno-changes[^"]*"[^>]*>.*?</ul>'
    r'|<details class="agno-changes"[^>]*><summary>.*?</summary>.*?</ul>|<p class="agno-changes__kind">.*?</p>', re.S)


def test_chinese_pages_hold_no_english_ui_string_the_catalogue_covers(site: Path, real: SupportMatrix) -> None:
    english = _english_ui_strings()
    assert "Not yet in Go" in english and "Clear filters" in english
    data = _data_strings(real)
    found: dict[str, list[str]] = {}
    pages = 0
    for path in sorted((site / "zh").rglob("index.html")):
        raw = path.read_text(encoding="utf-8")
        if FALLBACK_TITLE in raw:
            continue  # English on purpose; its generated parts are checked on the pages that are not
        pages += 1
        raw = _ENGLISH_ON_PURPOSE.sub(" ", raw)
        # the page's text and attributes (tooltips, labels, the script's words), entities decoded
        text = html.unescape(re.sub(r"<script\b.*?</script>|<[^>]*?(?:>|$)", lambda m: " " + " ".join(
            re.findall(r'(?:title|aria-label|placeholder|data-agno-msg)="([^"]*)"', m.group()) + re.findall(
                r"data-agno-msg='([^']*)'", m.group())) + " ", raw, flags=re.S))
        for value in data:
            text = text.replace(value, " ")
        for value in english:
            if value in text:
                found.setdefault(value, []).append(str(path.relative_to(site)))
    assert pages > 350  # module and family pages included
    assert not found, "\n".join(f"{english[v]}: {v!r} on {len(p)} page(s), e.g. {p[0]}" for v, p in found.items())


def test_the_site_dictionary_cuts_every_page_as_jiebas_full_dictionary_does(site: Path) -> None:
    """The build hands jieba only the words its Chinese can hold (macros/i18n_hooks.py, 0.6 s less per
    build); cutting every indexed text again with the full dictionary must give the same words."""
    jieba = pytest.importorskip("jieba")
    from material.plugins.search.plugin import SearchIndex

    assert jieba.dt.dictionary == jieba.DEFAULT_DICT or jieba.dt.dictionary is None  # the full one here
    index = json.loads((site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert sum("\u200b" in d["text"] for d in docs) > 20
    for d in docs:
        for field in ("title", "text"):
            plain = d[field].replace("\u200b", "")
            assert SearchIndex._segment_chinese(None, plain) == d[field], (d["location"], field)


def test_the_404_page_is_the_default_editions_and_home_links_are_relative(site: Path) -> None:
    assert '<html lang="en"' in (site / "404.html").read_text(encoding="utf-8")
    for rel in ("index.html", "zh/index.html"):
        links = re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', (site / rel).read_text(encoding="utf-8"))
        assert links and not any(href.startswith("/") for href, _ in links), (rel, links)


@pytest.mark.parametrize("src", TRANSLATED)
def test_a_translation_keeps_the_pages_macros_and_search_exclusions(src: str) -> None:
    """A translation calls the same macros, and leaves the same parts out of the search index, as its
    English page (so it goes stale loudly when the English page gains a macro or an exclusion)."""
    en = (DOCS / src).read_text(encoding="utf-8")
    zh = (DOCS / src.replace(".md", ".zh.md")).read_text(encoding="utf-8")
    for pattern in (r"\{\{\s*(\w+)\(", r"data-search-exclude", r'--8<-- "([^"]+)"'):
        assert sorted(re.findall(pattern, zh)) == sorted(re.findall(pattern, en)), (src, pattern)


def test_links_to_module_and_family_pages_stay_in_the_readers_edition(site: Path) -> None:
    """The engine renders a page of the Chinese edition as its address within that edition, so a
    badge on /zh/cookbook/ opens /zh/modules/..., never the English page."""
    import posixpath

    checked, wrong = 0, []
    for page in sorted((site / "zh").rglob("index.html")):
        rel = page.parent.relative_to(site).as_posix() + "/"
        for tag in re.findall(r"<(?:a|link)\b[^>]*>", page.read_text(encoding="utf-8")):
            found = re.search(r'href="([^"#:?]*(?:modules|families)/[^"#:?]*)"', tag)
            if found is None or "hreflang=" in tag:  # the language switcher goes to the other edition
                continue
            href = found.group(1)
            target = posixpath.normpath(posixpath.join("/" + rel, href))
            checked += 1
            if not target.startswith("/zh/"):
                wrong.append(f"{rel}: {href}")
    assert checked > 1000 and wrong == [], wrong[:5]

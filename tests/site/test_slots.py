"""macros/slots.py + macros/hooks.py: macro HTML skips Markdown and lands where the macro stood.

The build tests make a small site of their own (the real ``macros`` glue and hook, a small
snapshot) with one page that calls macros and one page holding the same HTML pasted by hand
(macros off): both must come out the same, TOC and search index included.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from macros import slots
from matrix.render import macros as engine_macros
from matrix.render.templating import default
from matrix.sources import Loaded, snapshot
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


# --- the stash on its own -------------------------------------------------------------------------

@pytest.mark.parametrize(("html", "column0", "markdown_html", "want"), [
    # a block-level component alone on its line at column 0: Markdown left it as a raw HTML block
    ('<div class="x">a</div>', True, "<p>{t}</p>", '<div class="x">a</div>'),
    ("<table><tr><td>1</td></tr></table>", True, "<p>  {t} </p>", "<table><tr><td>1</td></tr></table>"),
    # the same indented (in an admonition, a tab): Markdown wrapped it in a paragraph
    ('<div class="x">a</div>', False, "<p>{t}</p>", '<p><div class="x">a</div></p>'),
    # an inline component alone on its line: Markdown wrapped it in a paragraph
    ('<span class="b">b</span>', True, "<p>{t}</p>", '<p><span class="b">b</span></p>'),
    # inside a sentence, a table cell, a list item: swapped in place
    ('<div class="x">a</div>', False, "<p>see {t} here</p>", '<p>see <div class="x">a</div> here</p>'),
    ('<span class="b">b</span>', False, "<td>{t}</td>", '<td><span class="b">b</span></td>'),
    ('<span class="b">b</span>', False, "<li>{t}</li>", '<li><span class="b">b</span></li>'),
])
def test_placeholders_swap_back_as_markdown_would_have_placed_the_html(
        html: str, column0: bool, markdown_html: str, want: str) -> None:
    stash = slots.Stash()
    token = stash.put(html)
    assert re.fullmatch(r"[A-Za-z0-9]+", token)
    assert stash.after_markdown(markdown_html.format(t=token), {token: column0}, "docs/p.md") == want


def test_the_same_html_gets_the_same_placeholder() -> None:
    # engine code that looks for a rendered component in a page (`slot in text`) still finds it
    stash = slots.Stash()
    a, b = stash.put("<b>x</b>"), stash.put("<i>y</i>")
    assert stash.put("<b>x</b>") == a != b
    assert stash.expand(f"{a}{b}{a}") == "<b>x</b><i>y</i><b>x</b>"


def test_placeholders_on_heading_lines_are_swapped_before_markdown() -> None:
    stash = slots.Stash()
    a, b, c = stash.put("<span>A</span>"), stash.put("<span>B</span>"), stash.put("<div>C</div>")
    d = stash.put("<div>D</div>")
    md, left = stash.before_markdown(f"# Title {a}\n\nSetext {b}\n---\n\n{c}\n\n    {d}\n", "p.md")
    assert md == f"# Title <span>A</span>\n\nSetext <span>B</span>\n---\n\n{c}\n\n    {d}\n"
    assert left == {c: True, d: False}


IN_CODE = ("docs/p.md: a macro's HTML landed inside a code block or code span ({t}); move the macro call out "
           "of the code, or write it as {{% raw %}}...{{% endraw %}} to show the call itself")


@pytest.mark.parametrize(("markdown_html", "message"), [
    ("<pre><code>{t}\n</code></pre>", IN_CODE),
    ("<p><code>{t}</code></p>", IN_CODE),
    ("<p>nothing</p>", "docs/p.md: 1 macro result(s) did not reach the page's HTML (first: {t}): Markdown "
     "dropped the placeholder (an HTML comment, a link reference, raw HTML around the macro?); call the "
     "macro where its HTML can stand"),
])
def test_a_placeholder_that_cannot_be_swapped_is_an_error_naming_the_page(
        markdown_html: str, message: str) -> None:
    stash = slots.Stash()
    token = stash.put("<span>x</span>")
    with pytest.raises(slots.SlotError) as info:
        stash.after_markdown(markdown_html.format(t=token), {token: False}, "docs/p.md")
    assert str(info.value) == message.format(t=token)


def test_a_placeholder_from_another_page_is_an_error() -> None:
    stash = slots.Stash()
    mine, other = stash.put("<span>1</span>"), stash.put("<span>2</span>")
    with pytest.raises(slots.SlotError, match=f"docs/p.md: placeholder {other} does not come from this page"):
        stash.after_markdown(f"<p>{mine} {other}</p>", {mine: False}, "docs/p.md")


def test_a_placeholder_from_another_build_pass_is_an_error() -> None:
    # mkdocs-static-i18n builds once per language: a page must not carry the first pass's placeholders
    first, second = slots.Stash(), slots.Stash()
    old, new = first.put("<span>en</span>"), second.put("<span>zh</span>")
    with pytest.raises(slots.SlotError) as info:
        second.after_markdown(f"<p>{old}</p><p>{new}</p>", {new: False}, "docs/p.md")
    assert str(info.value) == (f"docs/p.md: placeholder {old} comes from another build (or build pass) than "
                               "this one; content rendered for one build must not be reused in another")


@pytest.mark.parametrize(("html", "whole"), [
    ('<table class="t" data-search-exclude><tr><td>x</td></tr></table>', True),
    ("<div data-search-exclude><div>a</div><div>b</div></div>\n", True),
    ('<table data-search-exclude="true"><tr></tr></table>', True),
    ("<div data-search-exclude><p>a</p></div><p>b</p>", False),  # a sibling that search reads
    ("<div data-search-exclude>a</div><div>b</div>", False),
    ('<div class="x"><span data-search-exclude>a</span></div>', False),  # only a part excluded
    ("<div data-search-excluded>a</div>", False),
    ("<div data-search-exclude>unclosed", False),
    ("plain text", False),
])
def test_html_that_search_leaves_out_whole(html: str, whole: bool) -> None:
    assert slots._excluded_whole(html) is whole


def test_html_search_leaves_out_is_put_back_after_search() -> None:
    """The search plugin would parse every tag of a data table only to skip it: such HTML stays a
    placeholder through search (on_page_context) and is put back before the theme renders the page."""
    stash = slots.Stash()
    table = stash.put('<table data-search-exclude><tr><td>row</td></tr></table>')
    wrapped = stash.put("<p>rows</p><p>more rows</p>")
    read = stash.put('<div class="lead">found by search</div>')
    html = f"<p>a</p>\n{table}\n<section data-search-exclude>\n{wrapped}\n</section>\n{read}"
    searched = stash.after_markdown(html, {table: True, wrapped: True, read: True}, "docs/p.md")
    def waiting(token: str) -> str:
        return stash._waiting(stash.token.fullmatch(token).group(1))  # type: ignore[union-attr]

    assert searched == (f"<p>a</p>\n{waiting(table)}\n<section data-search-exclude>\n{waiting(wrapped)}\n"
                        '</section>\n<div class="lead">found by search</div>')
    assert stash.prefix not in searched and 'data-agno-deferred="' in searched
    assert stash.finish(searched) == stash.expand(html)
    assert stash.prefix not in stash.finish(searched)


def test_a_table_in_a_block_of_html_lines_waits_for_search_too() -> None:
    """Lines of HTML one after another are one block to Markdown and one placeholder; a line that
    search leaves out whole stays a placeholder inside it until search is done."""
    stash = slots.Stash()
    table = '<table data-search-exclude><tr><td>row</td></tr></table>'
    token = stash.html_lines(f'<p class="figure">3 of 4</p>\n{table}')
    assert stash.expand(token) == f'<p class="figure">3 of 4</p>\n{table}'
    searched = stash.after_markdown(token, {token: True}, "docs/p.md")
    assert searched.startswith('<p class="figure">3 of 4</p>\n<div data-search-exclude data-agno-deferred=')
    assert stash.finish(searched) == f'<p class="figure">3 of 4</p>\n{table}'


def test_templates_stash_html_only_while_active_and_never_nest_placeholders() -> None:
    stash = slots.Stash()
    t = slots.SlotTemplates(stash)
    data = Loaded(factories.small())
    plain = engine_macros(default())["module"](data, "tools.shell")
    assert engine_macros(t)["module"](data, "tools.shell") == plain  # outside a macro call: HTML
    with stash.stashing():
        token = engine_macros(t)["module"](data, "tools.shell")
        page = engine_macros(t)["not_in_go"](data)  # a Markdown component with HTML pieces inside
    assert re.fullmatch(stash.token, token) and stash.expand(token) == plain
    assert stash.tokens(page) and all(stash.prefix not in item for item in stash.items)
    assert "<table" not in page  # the tables it includes are stashed too (one line each)
    assert stash.expand(page) == engine_macros(default())["not_in_go"](data)


def test_generated_pages_keep_placeholders_and_other_files_get_html() -> None:
    from matrix.render.site import Generated

    stash = slots.Stash()
    token = stash.put("<b>x</b>")
    got = slots.generated(stash, Generated({"a.md": token, "b.json": f'"{token}"'}))
    assert got == Generated({"a.md": token, "b.json": '"<b>x</b>"'})


# --- a real build ---------------------------------------------------------------------------------

CALLS = """# Slots

!!! note "Inside a note"
    {{ support_box("tools.shell") }}

=== "Tab A"

    {{ status_badge("migrated") }} after the badge

=== "Tab B"

    {{ family_table("tools") }}

## Heading with {{ status_badge("partial") }} a badge

Inline {{ module("tools.shell") }} in a sentence, and a table:

| module | badge |
| --- | --- |
| shell | {{ module("tools.shell") }} |

{{ not_in_go() }}
"""


def _site(tmp_path: Path, pages: dict[str, str], hooks: bool = True) -> subprocess.CompletedProcess[str]:
    snap = tmp_path / "m.json"
    snapshot.dump(factories.small(), snap)
    (tmp_path / "macros").symlink_to(ROOT / "macros", target_is_directory=True)
    (tmp_path / "docs").mkdir()
    for name, text in pages.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nstrict: true\ntheme: {name: mkdocs}\n"
        "plugins: [search, {macros: {module_name: macros, on_error_fail: true, on_undefined: strict}}]\n"
        + ("hooks: [macros/hooks.py]\n" if hooks else "") +
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, {toc: {permalink: true}},\n"
        "  pymdownx.superfences, {pymdownx.tabbed: {alternate_style: true}}]\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env.update(NO_MKDOCS_2_WARNING="1", AGNO_MATRIX_SNAPSHOT=str(snap))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", "site"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)


def _by_hand(text: str) -> str:
    """The page with every macro call replaced by its HTML, as it reached Markdown before slots."""
    fns = engine_macros(default())
    data = Loaded(factories.small())

    def call(m: re.Match[str]) -> str:
        name, args = m.group(1), re.findall(r'"([^"]*)"', m.group(2))
        return str(fns[name](data, *args))

    from matrix.render import links

    with links.at("hand/", directory_urls=True):  # links relative to the page, as the glue renders them
        body = re.sub(r"\{\{ (\w+)\((.*?)\) \}\}", call, text)
    return "---\nrender_macros: false\n---\n" + body


def _main(html: str) -> str:
    body = html.split('role="main">', 1)[1].split("<footer", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body)).strip()


def _toc(html: str) -> list[str]:
    """The page's TOC entries as the theme's sidebar lists them (anchor and text)."""
    side = html.split('<div class="col-md-3">', 1)[1].split('role="main">', 1)[0]
    return re.findall(r'<a href="(#[^"]*)" class="nav-link">([^<]*)</a>', side)


@pytest.mark.slow
def _excluded_words(html: str) -> set[str]:
    """The words inside elements marked data-search-exclude."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.stack: list[tuple[str, bool]] = []
            self.words: set[str] = set()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("input", "br", "img", "wbr", "hr", "meta", "link"):
                self.stack.append((tag, any(k == "data-search-exclude" for k, _ in attrs)))

        def handle_endtag(self, tag: str) -> None:
            while self.stack and self.stack.pop()[0] != tag:
                pass

        def handle_data(self, data: str) -> None:
            if any(excluded for _, excluded in self.stack):
                self.words.update(data.split())

    parser = Words()
    parser.feed(html)
    return parser.words


def test_macro_html_lands_where_the_macro_stood_and_toc_and_search_see_it(tmp_path: Path) -> None:
    proc = _site(tmp_path, {"index.md": "# Home\n", "calls.md": CALLS, "hand.md": _by_hand(CALLS)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    calls = (tmp_path / "site" / "calls" / "index.html").read_text(encoding="utf-8")
    hand = (tmp_path / "site" / "hand" / "index.html").read_text(encoding="utf-8")
    assert "AGNOSLOT" not in calls
    assert _main(calls) == _main(hand)
    assert _toc(calls) == _toc(hand)
    assert ("#heading-with-partial-a-badge", "Heading with Partial a badge") in _toc(calls)
    # the support box inside the admonition, the family table inside the second tab
    note = calls.split('<div class="admonition note">', 1)[1].split('<div class="tabbed-set', 1)[0]
    assert 'class="agno-box" data-module="tools.shell"' in note
    tab_b = calls.split('<div class="tabbed-block">')[2]
    assert "agno-table" in tab_b.split('<h2 id=')[0]
    # the TOC and the search index: same entries, same text, as the page written by hand
    search = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = {d["location"]: d for d in search["docs"]}
    # HTML marked data-search-exclude waits for search to be done (macros/slots.py), so it is never
    # indexed; the page written by hand holds it inside a <p> (Markdown wraps the indented HTML of a
    # tab), where Material's parser loses track of the exclusion and indexes the table's words.
    leaked = _excluded_words(hand)
    for loc, entry in entries.items():
        if loc.startswith("calls/"):
            twin = entries["hand/" + loc.removeprefix("calls/")]
            assert entry["title"] == twin["title"], loc
            mine, theirs = set(entry["text"].split()), set(twin["text"].split())
            assert mine <= theirs and theirs - mine <= leaked, (loc, theirs - mine - leaked)
    assert "calls/#heading-with-partial-a-badge" in entries
    assert "Not yet in Go" in entries["calls/"]["text"] + "".join(
        d["text"] for loc, d in entries.items() if loc.startswith("calls/"))


@pytest.mark.slow
def test_without_the_hook_the_html_goes_into_markdown_as_before(tmp_path: Path) -> None:
    # a config without the hooks entry (or a generator that runs define_env only) stashes nothing
    pages = {"index.md": "# Home\n", "calls.md": CALLS, "hand.md": _by_hand(CALLS)}
    proc = _site(tmp_path, pages, hooks=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    calls = (tmp_path / "site" / "calls" / "index.html").read_text(encoding="utf-8")
    assert "AGNOSLOT" not in calls
    assert _main(calls) == _main((tmp_path / "site" / "hand" / "index.html").read_text(encoding="utf-8"))


def test_stashing_is_on_only_when_the_config_loaded_the_hook() -> None:
    import importlib

    hook = importlib.import_module("macros.hooks")
    assert slots.hooked({"hooks": {"macros/hooks.py": hook}})
    assert not slots.hooked({"hooks": {"other.py": slots}})
    assert not slots.hooked({}) and not slots.hooked(None)
    stash = slots.begin({})
    with stash.stashing():
        assert not stash.active
        assert slots.SlotTemplates(stash).render("error.html.jinja", message="m").startswith("<span")


@pytest.mark.slow
@pytest.mark.parametrize(("page", "error"), [
    ('# P\n\n```\n{{ module("tools.shell") }}\n```\n', "a macro's HTML landed inside a code block"),
    ('# P\n\nSee `{{ module("tools.shell") }}`.\n', "a macro's HTML landed inside a code block"),
    ('# P\n\n[x]: {{ module("tools.shell") }}\n', "1 macro result(s) did not reach the page's HTML"),
])
def test_a_leftover_placeholder_fails_the_build_naming_the_page(
        tmp_path: Path, page: str, error: str) -> None:
    proc = _site(tmp_path, {"index.md": "# Home\n", "bad.md": page})
    assert proc.returncode == 1
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("ERROR")]
    # MkDocs' own context line for an error raised while it reads a page, then ours (one line)
    assert errors[:1] == ["ERROR   -  Error reading page 'bad.md':"], proc.stderr
    assert len(errors) == 2, proc.stderr
    assert errors[1].startswith(f"ERROR   -  agno-docs: docs/bad.md: {error}"), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "site" / "bad" / "index.html").exists()

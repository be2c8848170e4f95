"""``esc``: what a string from data becomes on a page, in every context a page puts it."""

from __future__ import annotations

import html

import markdown
import pytest

from matrix.render.text import esc, visible


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain text 1.2.9", "plain text 1.2.9"),
        ("</title><script>alert(1)</script>", "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('"><img src=x onerror=alert(1)>', "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("it's", "it&#39;s"),
        ("{{ 7*7 }} {% raw %}", "&#123;&#123; 7&#42;7 &#125;&#125; &#123;% raw %&#125;"),
        ("| a | *b* _c_ `d` [e](f) \\ # ~",
         "&#124; a &#124; &#42;b&#42; &#95;c&#95; &#96;d&#96; &#91;e&#93;(f) &#92; &#35; &#126;"),
        ("two\nlines\r\n", "two lines "),
        ("a\x00b", "a&lt;U+0000&gt;b"),
        ("abc\u202edcba", "abc&lt;U+202E&gt;dcba"),
        ("zero\u200bwidth\u2060joiner\ufeff", "zero&lt;U+200B&gt;width&lt;U+2060&gt;joiner&lt;U+FEFF&gt;"),
        ("isolate\u2066x\u2069", "isolate&lt;U+2066&gt;x&lt;U+2069&gt;"),
        ("tag\U000e0041s", "tag&lt;U+E0041&gt;s"),
        ("tab\tkept, emoji \U0001f600 and accents \u00e9 kept",
         "tab\tkept, emoji \U0001f600 and accents \u00e9 kept"),
    ],
)
def test_esc(value: str, escaped: str) -> None:
    assert esc(value) == escaped


def test_invisible_characters_are_named_once_visible() -> None:
    assert visible("a\u202eb\x00c") == "a<U+202E>b<U+0000>c"
    assert visible("nothing hidden") == "nothing hidden"


@pytest.mark.parametrize("value", [
    "</title><script>alert(1)</script>", "*em* _u_ [link](javascript:alert(1)) `code` | cell |",
    "# heading", "<b>bold</b>", "{{ config }}", "1. list", "> quote",
])
def test_what_markdown_makes_of_it_is_the_value_as_text(value: str) -> None:
    """Through Python-Markdown (as a paragraph, a table cell and a heading) the value reads as written."""
    for source, tag in ((f"x {esc(value)} y", "p"), (f"## {esc(value)}", "h2"),
                        (f"| h |\n| --- |\n| {esc(value)} |", "td")):
        out = markdown.markdown(source, extensions=["tables"])
        inner = out.split(f"<{tag}>", 1)[1].split(f"</{tag}>", 1)[0]
        assert "<" not in inner.replace("&lt;", ""), out
        assert value in html.unescape(inner), out

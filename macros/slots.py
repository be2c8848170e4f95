"""Generated HTML reaches the page without passing through Markdown again.

Every HTML component (``*.html.jinja``, ``*.svg.jinja``) a macro renders for a page is put aside
("stashed") and Markdown sees a short opaque placeholder in its place: one word of letters and
digits, on the line where the component stood (so indentation, admonitions, tabs, lists and table
cells keep it where it was). The hook (``macros/hooks.py``, MkDocs' ``on_page_content``: after
Markdown, before the TOC is read and before the search plugin indexes the page in
``on_page_context``) swaps each placeholder back for its HTML. Markdown results (``*.md.jinja``)
still go through Markdown; an HTML component placed inside one of them is stashed in the same way.

Python-Markdown would have treated a line that starts with a block-level tag as a raw HTML block
(no ``<p>`` around it) and anything else as inline HTML: the swap does the same, so the site's
output is unchanged apart from whitespace (``bench/site_diff.py`` diffs a build before and after).

Placeholders never stay on a page: one inside a code block or code span (a macro called inside a
code fence), one that the page's Markdown dropped, or one that does not belong to this build is a
build error naming the page (:class:`SlotError`). Placeholders on a heading line are swapped back
before Markdown, so the TOC and the heading ids see the same text as without this mechanism.

Wiring only: the engine decides and renders; this module only moves finished HTML around it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import markdown  # type: ignore[import-untyped]
from markupsafe import Markup

from matrix import render

_HTML = (".html.jinja", ".svg.jinja")

# Python-Markdown's block-level tags: a raw HTML line that starts with one of these is a block of
# its own; any other tag is inline HTML inside a paragraph.
BLOCK_TAGS = frozenset(markdown.Markdown().block_level_elements)
_START_TAG = re.compile(r"\s*<([A-Za-z][A-Za-z0-9-]*)")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.S)
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t].*$|^.+\n {0,3}(?:=+|-+)[ \t]*$", re.M)


def _whole_block(line: str) -> bool:
    """Whether ``line`` is one closed block-level element at column 0 that md_in_html leaves alone."""
    m = _START_TAG.match(line) if line.startswith("<") else None
    if m is None or m.group(1).lower() not in BLOCK_TAGS or "markdown=" in line:
        return False
    tag = m.group(1).lower()
    low = line.lower()
    return line.rstrip().endswith(">") and len(re.findall(rf"<{tag}[\s>/]", low)) == low.count(f"</{tag}>")


_OPEN = re.compile(r"\s*<([A-Za-z][A-Za-z0-9-]*)([^>]*)>")
_EXCLUDE_ATTR = re.compile(r"\sdata-search-exclude(?=[\s=/>]|$)")
#: An opening tag marked data-search-exclude, then only a placeholder and the closing tag.
_WRAPPED = re.compile(
    r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*\sdata-search-exclude\b[^>]*>\s*AGNOSLOT[0-9a-f]{8}N\d+E\s*</\1>")


def _excluded_whole(html: str) -> bool:
    """Whether ``html`` is one element whose opening tag says ``data-search-exclude``."""
    m = _OPEN.match(html)
    if m is None or _EXCLUDE_ATTR.search(m.group(2)) is None:
        return False
    depth = 0
    for t in re.finditer(rf"<(/?){re.escape(m.group(1))}(?=[\s/>])", html, re.I):
        depth += -1 if t.group(1) else 1
        if depth == 0:
            end = html.find(">", t.end())
            return end != -1 and not html[end + 1:].strip()
    return False


def _open_before(html: str, at: int) -> int:
    """Where the tag just before position ``at`` starts, when only whitespace separates them and it
    is an opening tag (else ``at``)."""
    end = html.rfind(">", 0, at)
    start = html.rfind("<", 0, end) if end != -1 else -1
    if start == -1 or html[start + 1] == "/" or html[end + 1:at].strip():
        return at
    return start


#: What stands where HTML search leaves out whole waits for search to be done (``Stash.finish``).
_DEFERRED = '<div data-search-exclude data-agno-deferred="{stash}:{item}"></div>'

_PREFIX = "AGNOSLOT"
_ANY_TOKEN = re.compile(_PREFIX + r"[0-9a-f]{8}N\d+E")


class SlotError(Exception):
    """A placeholder that was not swapped back: the message names the page and what to do."""


def _is_block(html: str) -> bool:
    m = _START_TAG.match(html)
    return m is not None and m.group(1).lower() in BLOCK_TAGS


class Stash:
    """The HTML put aside during one build, by placeholder."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.prefix = _PREFIX + secrets.token_hex(4)
        self.items: list[str] = []
        self.by_html: dict[str, str] = {}
        self.active = 0
        self.token = re.compile(re.escape(self.prefix) + r"N(\d+)E")
        self.in_paragraph = re.compile(r"<p>[ \t]*(" + re.escape(self.prefix) + r"N(\d+)E)[ \t]*</p>")
        self.own_line = re.compile(r"^(" + re.escape(self.prefix) + r"N\d+E)[ \t]*$", re.M)
        # where HTML waits for search to be done: the stash and the item, never a placeholder (which
        # expanding the page would swap)
        self.deferred = re.compile(re.escape(_DEFERRED.format(stash=self.prefix[len(_PREFIX):], item="ITEM"))
                                   .replace("ITEM", r"(\d+)"))

    def put(self, html: str) -> str:
        """The placeholder for ``html``; the same HTML always gets the same placeholder, so engine
        code that compares or searches rendered components (``slot in text``) still finds them."""
        token = self.by_html.get(html)
        if token is None:
            self.items.append(html)
            token = self.by_html[html] = f"{self.prefix}N{len(self.items) - 1}E"
        return token

    def expand(self, text: str, keep: Callable[[str, int, str], bool] | None = None) -> str:
        """``text`` with every placeholder replaced by its HTML (as it was, before stashing; an item
        holding placeholders of its own is expanded too), except those for which
        ``keep(text, position, html)`` is true: each of those becomes an empty element that search
        skips (:meth:`finish` puts the HTML there)."""
        if self.prefix not in text:
            return text

        def swap(m: re.Match[str]) -> str:
            item = self.items[int(m.group(1))]
            if keep is not None and keep(text, m.start(), item):
                return self._waiting(m.group(1))
            return self.expand(item, keep)

        return self.token.sub(swap, text)

    @contextlib.contextmanager
    def stashing(self) -> Iterator[None]:
        """While this is open, HTML components rendered through :class:`SlotTemplates` are stashed
        (unless the stash is disabled: no hook to swap them back)."""
        self.active += self.enabled
        try:
            yield
        finally:
            self.active -= self.enabled

    def html_lines(self, markdown: str) -> str:
        """A Markdown component's output with its raw HTML blocks stashed too.

        Markdown templates place HTML components with ``{% include %}``, one line each. Lines that
        are whole raw HTML blocks to Python-Markdown (each starts at column 0 with a block-level
        tag and closes its element on the same line, no ``markdown`` attribute asking md_in_html
        to parse inside; blank lines, or the ends, around the run of them) are replaced by one
        placeholder: Markdown would have passed them through untouched. The only placeholders an
        item holds are those of its lines that search leaves out whole (:meth:`expand` expands them
        with the item).
        """
        if "<" not in markdown:
            return markdown
        lines = markdown.split("\n")
        out: list[str] = []
        i, n = 0, len(lines)
        while i < n:
            j = i
            while j < n and _whole_block(lines[j]):
                j += 1
            # lines i..j-1 are raw HTML one after another: one block if blank lines (or the ends) bound them
            if j > i and (i == 0 or not lines[i - 1].strip()) and (j == n or not lines[j].strip()):
                # a line search leaves out whole stays a placeholder of its own inside the block, so
                # that it too is put back only after search (a family page's table)
                block = [self.expand(line) for line in lines[i:j]]
                out.append(self.put("\n".join(self.put(b) if j - i > 1 and _excluded_whole(b) else b
                                              for b in block)))
                i = j
            else:
                out.append(lines[i])
                i += 1
        return "\n".join(out)

    def tokens(self, text: str) -> list[str]:
        return [m.group(0) for m in self.token.finditer(text)] if self.prefix in text else []

    def before_markdown(self, markdown: str, page: str) -> tuple[str, dict[str, bool]]:
        """Swap placeholders on heading lines back now (the TOC reads headings); list the rest.

        Returns the page's markdown and ``{placeholder: at column 0 on a line of its own}``:
        Python-Markdown treats a block-level tag there as a raw HTML block, and anywhere else
        (indented in an admonition or a tab, inside a sentence) as HTML inside a paragraph.
        """
        if self.prefix not in markdown:
            return markdown, {}
        markdown = _HEADING.sub(lambda m: self.expand(m.group(0)), markdown)
        alone = set(self.own_line.findall(markdown))
        return markdown, {t: t in alone for t in self.tokens(markdown)}

    def after_markdown(self, html: str, expected: dict[str, bool], page: str) -> str:
        """The page's HTML with every placeholder swapped back; :class:`SlotError` if one cannot be."""
        if not expected and _PREFIX not in html:
            return html
        others = (m.group(0) for m in _ANY_TOKEN.finditer(html) if not m.group(0).startswith(self.prefix))
        other = next(others, None)
        if other is not None:
            raise SlotError(f"{page}: placeholder {other} comes from another build (or build pass) than this "
                            "one; content rendered for one build must not be reused in another")
        for m in _CODE.finditer(html):
            found = self.tokens(m.group(0))
            if found:
                raise SlotError(
                    f"{page}: a macro's HTML landed inside a code block or code span ({found[0]}); "
                    "move the macro call out of the code, or write it as {% raw %}...{% endraw %} "
                    "to show the call itself"
                )
        missing = [t for t in expected if t not in set(self.tokens(html))]
        if missing:
            raise SlotError(
                f"{page}: {len(missing)} macro result(s) did not reach the page's HTML "
                f"(first: {missing[0]}): Markdown dropped the placeholder (an HTML comment, a link "
                "reference, raw HTML around the macro?); call the macro where its HTML can stand"
            )
        foreign = set(self.tokens(html)) - set(expected)
        if foreign:
            raise SlotError(f"{page}: placeholder {sorted(foreign)[0]} does not come from this page's "
                            "macros; a page must not contain placeholder text")

        def block(m: re.Match[str]) -> str:
            item = self.items[int(m.group(2))]
            shown = self._waiting(m.group(2)) if _excluded_whole(item) else item
            return shown if expected.get(m.group(1)) and _is_block(item) else f"<p>{shown}</p>"

        html = self.in_paragraph.sub(block, html)
        return self.expand(html, keep=self._unsearched)

    def _unsearched(self, html: str, at: int, item: str) -> bool:
        """Whether the placeholder at ``at`` in ``html`` stands for HTML that search leaves out
        whole: an element marked ``data-search-exclude`` (its root), or the only content of one."""
        return _excluded_whole(item) or _WRAPPED.match(html, _open_before(html, at)) is not None

    def finish(self, html: str) -> str:
        """``html`` with the HTML :meth:`after_markdown` kept from search put back (after search)."""
        if "data-agno-deferred" not in html:
            return html
        return self.deferred.sub(lambda m: self.expand(self.items[int(m.group(1))]), html)

    def _waiting(self, item: str) -> str:
        """The empty element that stands where item number ``item`` waits for search (:meth:`finish`)."""
        return _DEFERRED.format(stash=self.prefix[len(_PREFIX):], item=item)


class SlotTemplates(render.Templates):
    """The engine's templates; while the stash is active, HTML components come back as placeholders.

    An HTML component that contains placeholders (components rendered earlier and passed in) has
    them expanded first, so a stashed item is always finished HTML; a Markdown component keeps its
    placeholders (they are where its HTML pieces meet Markdown).
    """

    def __init__(self, stash: Stash, overrides: Any = (), **kwargs: Any) -> None:
        super().__init__(overrides, **kwargs)
        self.stash = stash

    def render(self, name: str, /, **context: Any) -> Markup:
        out = super().render(name, **context)
        if not self.stash.active:
            return out
        if name.endswith(_HTML) and out.strip():  # nothing to stash in an empty result
            return Markup(self.stash.put(self.stash.expand(out)))
        return Markup(self.stash.html_lines(out))


_current: Stash | None = None


def begin(conf: Any = None) -> Stash:
    """A new stash for this build (``define_env`` runs once per build, ``mkdocs serve`` included).

    Stashing is on only when ``conf`` (the MkDocs config) lists this package's hook, which swaps the
    placeholders back: without it (a config that drops the ``hooks:`` entry, a generator that runs
    ``define_env`` but no MkDocs hooks) the HTML goes into the Markdown as it did before, slower
    but never a page of placeholders.
    """
    global _current
    _current = Stash(enabled=hooked(conf))
    return _current


def hooked(conf: Any) -> bool:
    """Whether the MkDocs config ``conf`` loaded ``macros/hooks.py`` (its ``hooks:`` entry)."""
    here = Path(__file__).resolve().parent / "hooks.py"
    hooks = conf.get("hooks") if conf is not None else None
    for module in (hooks or {}).values():
        where = getattr(module, "__file__", None)
        if where and Path(where).resolve() == here:
            return True
    return False


def current() -> Stash | None:
    return _current


def generated(stash: Stash, result: Any) -> Any:
    """The engine's generated files as gen-files writes them: pages keep their placeholders, other
    files (the JSON exports) get their HTML back."""
    files = {path: text if path.endswith(".md") else stash.expand(text)
             for path, text in result.files.items()}
    return dataclasses.replace(result, files=files)


def bytecode_cache() -> Any:
    """The engine's cache of compiled Jinja templates (None when no private folder can be made)."""
    from matrix.render.templating import _bytecode_cache

    return _bytecode_cache()

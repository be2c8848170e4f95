"""The module pages' frame: the theme renders one page per edition, every module page is cut from it.

A site has a page per module (370 today, thousands at ten times the size), and each would go through
Markdown, the theme's templates (header, nav, sidebars: the same for every module page) and the
search plugin's HTML parser. That took two thirds of the build. Module pages sit at the same depth
(``modules/<family>/<name>/``), are not in the nav and differ only in their title, their address, the
entries of their table of contents and their article, so the theme renders one *frame* page at that
depth (:func:`matrix.render.modules.module_frame`) whose title, address and article are placeholders
and whose table of contents lists every section a module page can show.
:class:`Frame` cuts it once at the placeholders; :meth:`Frame.page` writes a module's page by putting
the module's values back, keeping the table-of-contents entries of the sections the module shows.

The theme's output is used as it is: every link in the frame is relative, and a module page has the
frame's depth, so each link is right for every module page. The module's own address appears where
the theme names the page (the language switcher, a canonical link when ``site_url`` is set), always
as the frame's path, which is replaced. Nothing from data goes into the frame unescaped: the title
is HTML-escaped, addresses are percent-encoded by :func:`matrix.render.links.module_url`, and the
article is the engine's autoescaped template output.

This module knows the theme's markup (Material's table of contents); the engine never does.
``macros/shell.py`` swaps the frame page's article for :data:`CONTENT`, hands the rendered frame to
:meth:`Frame.parse` and writes the pages.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from markupsafe import escape

from matrix.errors import AgnoDocsError
from matrix.render.links import module_url
from matrix.render.modules import SHELL_ID, SHELL_TITLE, Rendered

#: The frame page's title; the theme prints it in ``<title>``, the header and the H1.
TITLE = SHELL_TITLE
#: The frame's H1 id, as the theme's "skip to content" link names it.
ANCHOR = "agnoshelltitle"
#: What the frame page's article holds, instead of its rendered Markdown (set by the glue).
CONTENT = f'<h1 id="{ANCHOR}">AGNOSHELLCONTENT</h1>'

_TOC = re.compile(
    r'(?P<label><label class="md-nav__title" for="__toc">.*?'
    r'<ul class="md-nav__list" data-md-component="toc"[^>]*>)(?P<items>.*?)(?P<end></ul>)', re.S)
_ITEM = '<li class="md-nav__item">'
_ITEM_ANCHOR = re.compile(r'href="#([^"]+)"')


class FrameError(AgnoDocsError):
    """The theme's rendering of the frame page lacks what a module page is cut from."""


def page_path(url: str, directory_urls: bool) -> str:
    """A page's address without its ending (``modules/tools/calculator/`` or ``.html``: ``modules/
    tools/calculator``): where the frame's address stands, a module's goes, whatever follows it."""
    return url[:-1] if directory_urls else url[: -len(".html")]


def frame_path(directory_urls: bool) -> str:
    """The frame page's address without its ending (``modules/_agno_shell/_page``)."""
    return page_path(module_url(SHELL_ID, directory_urls=directory_urls), directory_urls)


@dataclasses.dataclass(frozen=True, slots=True)
class Frame:
    """A rendered frame page, cut at its placeholders: literal text between them, and the table of
    contents' entries by anchor."""

    head: tuple[str | None, ...]
    """Before the table of contents' entries: text, and None where a placeholder stood (kinds in
    ``head_kinds``)."""
    head_kinds: tuple[str, ...]
    entries: dict[str, str]
    """Each table-of-contents entry (``<li>...</li>`` and the whitespace after it), by anchor."""
    label: str
    """The table of contents' title and list opening, left out when a page shows no section."""
    end: str
    tail: tuple[str | None, ...]
    tail_kinds: tuple[str, ...]
    directory_urls: bool
    encoded: tuple[Any, ...] = dataclasses.field(default=(), repr=False, compare=False)
    """``head``, ``entries``, ``label``, ``end`` and ``tail`` in UTF-8, for :meth:`page_bytes` (made
    by :meth:`parse`): the frame is the most of every page, and a page with one non-ASCII character
    (the language selector's) would be encoded whole for each module."""

    @classmethod
    def parse(cls, html: str, directory_urls: bool, sections: Sequence[str], where: str) -> Frame:
        """Cut the theme's rendering ``html`` of the frame page (``where`` names it in errors).
        ``sections``: the anchors of every section a module page can show."""
        path = frame_path(directory_urls)
        toc = _TOC.search(html)
        if toc is None:
            raise FrameError(f"{where}: the theme rendered no table of contents for the module pages' frame",
                             hint="module pages are cut from it: keep the toc extension and the theme's "
                                  "partials/toc.html")
        entries: dict[str, str] = {}
        lead, *chunks = toc["items"].split(_ITEM)
        for chunk in chunks:
            found = _ITEM_ANCHOR.search(chunk)
            if found is not None:
                entries[found.group(1)] = _ITEM + chunk
        missing = [s for s in sections if s not in entries]
        if missing:
            raise FrameError(f"{where}: the frame's table of contents lacks {', '.join(missing)}",
                             hint="was module_shell.md.jinja or the theme's toc changed?")
        kinds = {TITLE: "title", f'href="#{ANCHOR}"': "skip", CONTENT: "content", path: "path"}
        marker = re.compile("|".join(re.escape(k) for k in sorted(kinds, key=len, reverse=True)))

        def cut(text: str) -> tuple[tuple[str | None, ...], tuple[str, ...]]:
            parts: list[str | None] = []
            found: list[str] = []
            at = 0
            for m in marker.finditer(text):
                parts += [text[at:m.start()], None]
                found.append(kinds[m.group()])
                at = m.end()
            parts.append(text[at:])
            return tuple(parts), tuple(found)

        head, head_kinds = cut(html[: toc.start()])
        tail, tail_kinds = cut(html[toc.end("end"):])
        if (head_kinds + tail_kinds).count("content") != 1:
            raise FrameError(f"{where}: the module pages' frame holds its article placeholder "
                             f"{(head_kinds + tail_kinds).count('content')} times, not once",
                             hint="the theme must print page.content once (its partials/content.html)")
        label = toc["label"] + lead
        encoded = (_utf8(head), {k: v.encode() for k, v in entries.items()}, label.encode(),
                   toc["end"].encode(), _utf8(tail))
        return cls(head, head_kinds, entries, label, toc["end"], tail, tail_kinds, directory_urls, encoded)

    def page(self, module: Rendered) -> str:
        """The module's page: the frame with the module's title, address, sections and article."""
        return "".join(self._pieces(module, (self.head, self.entries, self.label, self.end, self.tail), str))

    def page_bytes(self, module: Rendered) -> bytes:
        """:meth:`page` in UTF-8, only the module's own parts encoded."""
        return b"".join(self._pieces(module, self.encoded, str.encode))

    def _pieces(self, module: Rendered, frame: tuple[Any, ...], value: Callable[[str], Any]) -> Iterator[Any]:
        head, entries, label, end, tail = frame
        values = {
            "title": value(str(escape(module.title))),
            "skip": value(f'href="#{module.anchor}"'),
            "content": value(module.html),
            "path": value(page_path(module.url, self.directory_urls)),
        }
        slots = iter(self.head_kinds)
        yield from (values[next(slots)] if p is None else p for p in head)
        if module.sections:
            yield label
            yield from (entries[a] for a in module.sections)
            yield end
        slots = iter(self.tail_kinds)
        yield from (values[next(slots)] if p is None else p for p in tail)


def _utf8(parts: tuple[str | None, ...]) -> tuple[bytes | None, ...]:
    return tuple(None if p is None else p.encode() for p in parts)


__all__ = ["ANCHOR", "CONTENT", "TITLE", "Frame", "FrameError", "frame_path", "page_path"]

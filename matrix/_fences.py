"""The fenced code blocks of a Markdown page, by CommonMark's rules (markdown-it-py's block tokens).

:mod:`matrix.readme` re-exports :func:`fences` and :class:`Fence`; they live here so that ``check``, which
reads every page's fences on its first run, imports markdown-it and nothing of README regeneration (the
model, the renderers, the atomic writer, difflib: about 8 ms of a run that must stay under 0.2 s).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown-it is imported when a page is parsed (``check`` may answer from its cache)
    from markdown_it import MarkdownIt

__all__ = ["Fence", "fences"]

_BOM = "\ufeff"
_LONE_CR = re.compile(r"\r(?!\n)")


@dataclasses.dataclass(frozen=True)
class Fence:
    """A fenced code block of a Markdown page: 1-based lines of its opening and closing fence, info, code."""

    open: int
    close: int
    info: str
    code: str

    @property
    def lang(self) -> str:
        """The info string's language word: ``go`` for ```` ```go title="x.go" ```` and ```` ```{.go} ````."""
        words = self.info.strip().lstrip("{").lstrip(".").split()
        return words[0].rstrip("}").lower() if words else ""


@functools.cache
def _block_parser() -> MarkdownIt:
    """CommonMark's block rules only: fences need no inline parsing (emphasis, links...)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").disable("inline")


def fences(text: str, _offset: int = 0) -> list[Fence]:
    """Every fenced code block of ``text`` by CommonMark's rules (the tokens and line ``map`` of the parser
    README regeneration uses, :func:`matrix.readme.parse`), also inside content indented by four spaces,
    which Python-Markdown reads as an admonition's or a content tab's body: such a block is read again,
    dedented."""
    source = _LONE_CR.sub(" ", text.removeprefix(_BOM))  # markdown-it also ends a line at a lone CR
    out: list[Fence] = []
    for token in _block_parser().parse(source):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "fence":
            out.append(Fence(_offset + start + 1, _offset + end, token.info, token.content))
        elif token.type == "code_block":
            out.extend(fences(token.content, _offset + start))
    return out

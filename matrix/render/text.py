"""What a string from data becomes on a page: the one escaping every template goes through.

:func:`esc` is applied by construction to every ``{{ value }}`` a template prints (the template
environment's ``finalize``, see :mod:`matrix.render.templating`), so no renderer has to remember
it. It makes a value safe in each context a page puts data in:

* HTML text and quoted attribute values: ``& < > " '`` become entities;
* Markdown (macro output is Markdown source before it is HTML): the characters Markdown acts on
  (``| * _ ` [ ] \\ # ~``) become numeric entities, so a value never opens emphasis, a link, a table
  cell or a heading; a newline folds to a space, so a value never ends a table row or an
  admonition;
* Jinja (mkdocs-macros renders page titles and pages as templates): ``{`` and ``}`` become
  entities, so ``{{ 7*7 }}`` from data is shown, never evaluated;
* invisible characters: NUL and the other control characters, bidi overrides and isolates,
  zero-width and other format characters, line and paragraph separators are shown as
  ``<U+202E>`` (:func:`visible`), so a value cannot hide or reorder text.

The entities decode back to the same characters in the browser: what the reader sees is the value
as written (less its invisible characters, which are named instead).
"""

from __future__ import annotations

import re

#: Characters that are invisible or change how text around them is displayed.
_INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 and C1 controls (tab, newline, CR are handled below)
    "\u00ad\u061c\u180e"  # soft hyphen, Arabic letter mark, Mongolian vowel separator
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    "\u2028\u2029"  # line and paragraph separators
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064\u2066-\u206f"  # word joiner, invisible operators, bidi isolates, deprecated formats
    "\ufeff\ufff9-\ufffb"  # zero-width no-break space (BOM), interlinear annotations
    "\U000e0000-\U000e007f"  # tag characters
    "]"
)

_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#39;",
    "|": "&#124;",
    "*": "&#42;",
    "_": "&#95;",
    "`": "&#96;",
    "[": "&#91;",
    "]": "&#93;",
    "\\": "&#92;",
    "{": "&#123;",
    "}": "&#125;",
    "#": "&#35;",
    "~": "&#126;",
    "\r": "",
    "\n": " ",
}
_TABLE = str.maketrans(_ENTITIES)


def visible(value: str) -> str:
    """``value`` with every invisible or display-changing character named: ``a\\u202eb`` -> ``a<U+202E>b``."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", value)


def esc(value: object) -> str:
    """Escape for HTML text or a quoted attribute, inert to Markdown and Jinja, invisible characters named.

    Newlines fold to spaces. The result is what a template prints for a value from data.
    """
    return visible(str(value)).translate(_TABLE)

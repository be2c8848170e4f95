"""HTML primitives every renderer shares. Pure functions: values in, ``str`` out.

Anything that came from outside (module notes, API bodies, parity diffs) goes
through :func:`esc` before it reaches a page. ``esc`` escapes HTML *and* the
characters Markdown or Jinja would act on, as numeric entities, so a value holding
``<script>``, ``| table |``, ``*stars*`` or ``{{ jinja }}`` shows as written and
is never interpreted. Macro output is never re-rendered by Jinja; emitting whole
HTML blocks keeps Markdown away from it too.
"""

from __future__ import annotations

from ..model import Status

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


def esc(value: object) -> str:
    """Escape for HTML text or attribute context, inert to Markdown and Jinja; newlines fold to spaces."""
    return str(value).translate(_TABLE)


def attrs(**values: object) -> str:
    """HTML attributes (``class_`` -> ``class``, ``data_x`` -> ``data-x``), escaped; None is left out."""
    parts = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        parts.append(name if value is True else f'{name}="{esc(value)}"')
    return (" " + " ".join(parts)) if parts else ""


def status_badge(status: Status) -> str:
    """The status badge: readable words, a tooltip, and a class the stylesheet colours."""
    badge_attrs = attrs(
        class_=f"agno-badge agno-badge--{status.info.token}", title=status.tooltip, data_status=status.value
    )
    return f"<span{badge_attrs}>{esc(status.label)}</span>"


def inline_error(message: str) -> str:
    """A visible, escaped error marker that stands where a macro failed (non-strict previews)."""
    return f'<span class="agno-error" role="alert">{esc(message)}</span>'

"""Generated HTML that skips Markdown: the ``agno-html`` fence.

A page that holds a large block of HTML the engine already rendered (a module's evidence table)
pays for Markdown to read it again: Python-Markdown's raw-HTML passes (``md_in_html``, the raw HTML
preprocessor) parse every tag to find where the block ends. Wrapped in a fence

    ```agno-html
    <table>...</table>
    ```

the block is taken by ``pymdownx.superfences`` before those passes run (its preprocessor comes
first) and comes out exactly as written. ``mkdocs.yml`` declares the fence with :func:`raw` as its
format. Only for HTML the templates produced (escaped by construction, one line per component, so
no line of it can close the fence).
"""

from __future__ import annotations

from typing import Any

#: The fence name templates write (```` ```agno-html ````).
FENCE = "agno-html"


def raw(source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any) -> str:
    """The superfences formatter: the fence's content as it is."""
    return source


__all__ = ["FENCE", "raw"]

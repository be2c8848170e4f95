"""MkDocs hooks (``hooks:`` in mkdocs.yml): swap the macros' stashed HTML back into each page.

Wiring only; the mechanism and its reasons are in ``macros/slots.py``. Hooks run after the
plugins listed in mkdocs.yml for the same event, so ``on_page_markdown`` here sees the page after
mkdocs-macros rendered it; ``on_page_content`` runs after Markdown and before the search plugin
indexes the page (``on_page_context``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # the project root, where `macros` is
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import slots

_expected: dict[str, dict[str, bool]] = {}


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    stash = slots.current()
    if stash is None:
        return markdown
    markdown, _expected[page.file.src_uri] = stash.before_markdown(markdown, page.file.src_uri)
    return markdown


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    stash = slots.current()
    if stash is None:
        return html
    try:
        return stash.after_markdown(html, _expected.pop(page.file.src_uri, {}), f"docs/{page.file.src_uri}")
    except slots.SlotError as exc:
        raise PluginError(f"agno-docs: {exc}") from None


def on_env(env: Any, **kwargs: Any) -> Any:
    """Keep the theme's compiled templates between builds, as the engine does for its own.

    MkDocs compiles every theme template (Material's base, partials, the overrides) in every
    build; Jinja's bytecode cache (per user, under the system temp folder, keyed by each
    template's source) makes a rebuild load them instead. A cache that cannot be used is skipped.
    """
    if env.bytecode_cache is None:
        env.bytecode_cache = slots.bytecode_cache()
    return env

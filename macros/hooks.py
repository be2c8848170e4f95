"""MkDocs hooks (``hooks:`` in mkdocs.yml): swap the macros' stashed HTML back into each page, and
write the module pages into their frame.

Wiring only; the mechanisms and their reasons are in ``macros/slots.py`` and ``macros/shell.py``.
Hooks run after the plugins listed in mkdocs.yml for the same event, so ``on_page_markdown`` here
sees the page after mkdocs-macros rendered it; ``on_page_content`` runs after Markdown and before
the search plugin indexes the page (``on_page_context``); ``on_post_page`` gets the page as the
theme rendered it.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # the project root, where `macros` is
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import shell, slots

_expected: dict[str, dict[str, bool]] = {}


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    stash = slots.current()
    if stash is None:
        return markdown
    markdown, _expected[page.file.src_uri] = stash.before_markdown(markdown, page.file.src_uri)
    return markdown


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    if shell.is_frame(page):
        return shell.page_content(html, page)
    stash = slots.current()
    if stash is None:
        return html
    try:
        return stash.after_markdown(html, _expected.pop(page.file.src_uri, {}), f"docs/{page.file.src_uri}")
    except slots.SlotError as exc:
        raise PluginError(f"agno-docs: {exc}") from None


@event_priority(-50)  # after the search plugin (0) has indexed the page, before the theme renders it
def on_page_context(context: Any, page: Any, **kwargs: Any) -> Any:
    """Put back the HTML that search leaves out whole (macros/slots.py): it is never parsed for search."""
    stash = slots.current()
    if stash is not None:
        page.content = stash.finish(page.content)
    return context


def on_post_page(output: str, page: Any, config: Any, **kwargs: Any) -> str:
    return shell.post_page(output, page, config)


def on_post_build(config: Any, **kwargs: Any) -> None:
    shell.post_build(config)


def on_build_error(error: Exception, **kwargs: Any) -> None:
    shell.abandon()


def on_shutdown(**kwargs: Any) -> None:
    """Nothing runs after this but the interpreter's exit, whose garbage collections walk every object
    the build left (0.5 s at 10x modules, for memory the process is about to give back): frozen, they
    are not walked. Objects still go when their last reference does; only cycles are left to the exit."""
    gc.freeze()


def on_env(env: Any, **kwargs: Any) -> Any:
    """Keep the theme's compiled templates between builds, as the engine does for its own.

    MkDocs compiles every theme template (Material's base, partials, the overrides) in every
    build; Jinja's bytecode cache (per user, under the system temp folder, keyed by each
    template's source) makes a rebuild load them instead. A cache that cannot be used is skipped.
    """
    if env.bytecode_cache is None:
        env.bytecode_cache = slots.bytecode_cache()
    return env

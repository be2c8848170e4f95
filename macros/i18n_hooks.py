"""MkDocs hooks for the two editions (mkdocs-static-i18n builds English at ``/``, then Chinese at ``/zh/``).

mkdocs-static-i18n runs the whole build once per language; ``macros.define_env`` renders every
generated page (family and module pages, What's new...) in the language of that pass, and gen-files
writes them. Two things the plugin does not do by itself, done here:

* **Generated pages.** The plugin localises only pages under ``docs_dir``, and gen-files keeps its
  files in a temporary folder, so the plugin would drop them (with a warning). Before it runs, each
  generated page is given its place under ``docs_dir`` (a path, never written) and its content is
  kept; right after the plugin has placed the pages of this language, their content is put back.
  A generated page is then an ordinary page of each edition: same address in both (``/zh/`` in
  front), the language switcher keeps the page, the nav and search see it.
* **Nav of each edition.** mkdocs-literate-nav replaces the ``families/`` entry of ``config.nav`` by
  the generated family pages, with their titles, in the first pass; each pass starts again from
  the nav as ``mkdocs.yml`` wrote it, so the Chinese edition's nav carries the Chinese titles.
* **Fallback note.** A hand-written page without a translation is published in the other edition
  as it is, with a note at the top in that edition's language (from the message catalogue), and
  the build says which pages fell back (one INFO line per edition, so ``--strict`` still passes).
"""

from __future__ import annotations

import copy
import functools
import os
from typing import Any

from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from matrix.render.words import Words

log = get_plugin_logger("agno-docs")

#: Per build pass: src_uri -> content of the pages gen-files generated.
_generated: dict[str, str] = {}
#: Per build pass: the pages published in the other language, by src_uri.
_fallbacks: list[str] = []


def _i18n(config: Any) -> Any:
    return config.plugins.get("i18n")


def edition(config: Any) -> tuple[str, str]:
    """(language of this build pass, default language); ``("en", "en")`` without the i18n plugin."""
    plugin = _i18n(config)
    if plugin is None:
        return "en", "en"
    default = plugin.default_language
    return plugin.current_language or default, default


def _restoring(reconfigure: Any) -> Any:
    """Wraps the plugin's ``reconfigure_files``: the generated pages it placed get their content back."""

    @functools.wraps(reconfigure)
    def wrapper(files: Files, config: Any) -> Files:
        out = reconfigure(files, config)
        for f in out:
            content = _generated.get(f.src_uri)
            if content is not None and f.abs_src_path == os.path.join(config.docs_dir, f.src_path):
                f.content_string = content
        return out

    wrapper.agno_restoring = True  # type: ignore[attr-defined]
    return wrapper


def on_config(config: Any) -> Any:
    plugin = _i18n(config)
    if plugin is not None:
        if not hasattr(plugin, "agno_nav"):
            plugin.agno_nav = copy.deepcopy(config.nav)
        config.nav = copy.deepcopy(plugin.agno_nav)
    return config


@event_priority(-50)  # after gen-files (0), before mkdocs-static-i18n (-100)
def on_files(files: Files, config: Any) -> Files:
    _generated.clear()
    _fallbacks.clear()
    plugin = _i18n(config)
    if plugin is None:
        return files
    if not getattr(plugin.reconfigure_files, "agno_restoring", False):
        plugin.reconfigure_files = _restoring(plugin.reconfigure_files)
    for f in files:
        if getattr(f, "generated_by", None) == "mkdocs-gen-files" and f.is_documentation_page():
            _generated[f.src_uri] = f.content_string
            f.abs_src_path = os.path.join(config.docs_dir, f.src_path)
    return files


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    lang, default = edition(config)
    file = page.file
    if lang == default or file.src_uri in _generated or getattr(file, "locale", lang) == lang:
        return markdown
    _fallbacks.append(file.src_uri)
    words = Words(lang)
    note = f'!!! note "{words.text("i18n.fallback_title")}"\n\n    {words.text("i18n.fallback_note")}\n\n'
    return note + markdown


def on_post_build(config: Any) -> None:
    lang, default = edition(config)
    if lang != default and _fallbacks:
        log.info("%s edition: %d page(s) shown in %s, not translated yet: %s", lang, len(_fallbacks), default,
                 ", ".join(sorted(_fallbacks)))

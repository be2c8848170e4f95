"""MkDocs hook (``hooks:`` in mkdocs.yml): the build's last step, once every edition is built: a
search index per edition, and the wait for the module pages still being written (``macros/shell.py``
writes them in the background while the build goes on).

mkdocs-static-i18n merges every edition's search entries into one index at the site's root, so an
English search also lists the Chinese copy of a page, and every reader downloads both editions'
entries. Once the plugin has built every edition (its ``on_post_build`` in the default edition's
pass), each edition gets its own index, ``search/search_index.json`` under its folder, with the
addresses relative to that folder (``macros/i18n_hooks.py`` points the edition's pages there).
A hook module of its own: it must run after the plugin's ``on_post_build``, the other hooks before.
In a build of one edition (no mkdocs-static-i18n) it runs at the end of that build.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # the project root, where `macros` is
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros import shell
from macros.i18n_hooks import _i18n


@event_priority(-200)  # after mkdocs-static-i18n (-100) has built every edition and merged their entries
def on_post_build(config: Any) -> None:
    plugin = _i18n(config)
    try:
        _indexes(config, plugin)
    finally:
        if plugin is None or not plugin.building:  # the end of the build: every edition built
            shell.written_all()


def _indexes(config: Any, plugin: Any) -> None:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    entries = getattr(plugin, "search_entries", None)
    # each edition's pass ends here; the plugin is still building until the default edition's
    # pass, the first to start, is about to end (every edition built)
    if plugin is None or search is None or not entries or plugin.building:
        return
    default = plugin.default_language
    others = tuple(f"{x}/" for x in plugin.build_languages if x != default)
    index = search.search_index
    kept = list(index.entries)
    try:
        for x in plugin.build_languages:
            prefix = "" if x == default else f"{x}/"
            if prefix:
                mine = [{**e, "location": e["location"][len(prefix):]}
                        for e in entries if e["location"].startswith(prefix)]
            else:
                mine = [e for e in entries if not e["location"].startswith(others)]
            index.entries = mine
            path = Path(config.site_dir) / prefix / "search" / "search_index.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(index.generate_search_index(None), encoding="utf-8")
    finally:
        index.entries = kept

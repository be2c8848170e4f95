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
* **Search dictionary.** Material's search cuts Chinese into words with jieba, whose full
  dictionary (349,046 words) takes about 0.6 s to load on every build. The Chinese on this site is
  the message catalogue and the ``*.zh.md`` pages, so the build gives jieba the words of its
  dictionary that occur in that text, with the same frequencies and the same total (one filler
  entry, a private-use character, carries the rest of the mass): every sentence of the site is cut
  exactly as with the full dictionary (a word that is not a substring of the text can never be
  found in it, and the scores are unchanged). The subset is kept in a per-user cache folder, keyed
  by the text and jieba's dictionary, and is made again when either changes.
* **Links that work under any base path.** The plugin points the language switcher at ``/`` and
  ``/zh/`` (from the server's root) on the home pages; they are made relative to the site like every
  other link, so a preview published under a sub-path switches language too.
* **A search index per edition.** The plugin merges every edition's entries into one index at the
  site's root, so an English search also lists the Chinese copy of a page. Each edition gets its
  own index instead, under its folder (written by ``macros/search_hooks.py``), and its pages tell
  the theme to look there: the ``base`` of the theme's page config is the edition's folder. The
  theme reads it for the search index and search results' links; the language switcher reads it
  only on pages of the default edition, which keep theirs.
* **One 404 page.** Each pass writes ``404.html`` at the site's root; the server serves that one
  file for every edition, so it stays the default edition's (the Chinese pass would overwrite it).
* **Fallback note.** A hand-written page without a translation is published in the other edition
  as it is, with a note at the top in that edition's language (from the message catalogue), and
  the build says which pages fell back (one INFO line per edition, so ``--strict`` still passes).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from matrix.i18n import CATALOGUE
from matrix.render.words import Words

log = get_plugin_logger("agno-docs")

#: Per build pass: src_uri -> content of the pages gen-files generated.
_generated: dict[str, str] = {}
#: Per build pass: the pages published in the other language, by src_uri.
_fallbacks: list[str] = []


def _i18n(config: Any) -> Any:
    """The mkdocs-static-i18n plugin of this build, or None."""
    plugins = config.get("plugins")
    return plugins.get("i18n") if plugins is not None else None


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


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
#: Substrings of the site's Chinese up to this length are looked up in a set; longer words by search.
_SPAN = 8
_FILLER = "\ue000"


def site_dictionary(text: str, source: Path, out: Path) -> Path:
    """The words of jieba's dictionary ``source`` that can occur in ``text``, written to ``out`` (once).

    The Chinese of ``text`` is read as one run, every other character dropped: a word cut in the
    source by Markdown or a placeholder (``见[证据格式](...)``) is whole on the page, so every
    substring across such a cut is a candidate. Keeping more words than the page holds changes no cut.
    """
    if out.is_file():
        return out
    han = "".join(_HAN.findall(text))
    grams = {han[i:j] for i in range(len(han)) for j in range(i + 1, min(len(han), i + _SPAN) + 1)}
    kept, total, kept_total = [], 0, 0
    with source.open(encoding="utf-8") as f:
        for line in f:
            word, freq = line.split(" ", 2)[:2]
            total += int(freq)
            if word in grams or (len(word) > _SPAN and word in han):
                kept.append(f"{word} {freq}\n")
                kept_total += int(freq)
    kept.append(f"{_FILLER} {total - kept_total}\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text("".join(kept), encoding="utf-8")
    tmp.replace(out)
    return out


def _search_dictionary(config: Any) -> None:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None or search.config.get("jieba_dict"):
        return
    try:
        import jieba
    except ImportError:  # no Chinese segmentation: Material indexes the text as it is
        return
    source = Path(jieba.__file__).parent / "dict.txt"
    docs = Path(config.docs_dir)
    text = CATALOGUE.read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.zh.md")))
    key = hashlib.sha256(text.encode() + str(source.stat().st_mtime_ns).encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"agno-docs-{os.getuid() if hasattr(os, 'getuid') else 0}"
    try:
        search.config["jieba_dict"] = str(site_dictionary(text, source, folder / f"jieba-{key}.txt"))
    except OSError:  # the cache folder cannot be written: the full dictionary, only slower
        return


@event_priority(100)  # before Material's search plugin reads jieba_dict
def on_config(config: Any) -> Any:
    _search_dictionary(config)
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


@event_priority(40)  # after mkdocs-static-i18n (50) has set the links of this page
def on_page_context(context: Any, page: Page, config: Any, nav: Any) -> Any:
    # The plugin sets the page's links as an attribute of `extra` (what the theme reads first).
    extra = config.extra
    alternates = getattr(extra, "alternate", None) or extra.get("alternate") if _i18n(config) else None
    if alternates:
        base = urlsplit(config.site_url or "").path.rstrip("/") + "/"
        for alt in alternates:
            link = str(alt.get("link", ""))
            if link.startswith(base):
                alt["link"] = link[len(base):] or "."
    return context


def on_page_markdown(markdown: str, page: Page, config: Any, files: Files) -> str:
    lang, default = edition(config)
    file = page.file
    if lang == default or file.src_uri in _generated or getattr(file, "locale", lang) == lang:
        return markdown
    _fallbacks.append(file.src_uri)
    words = Words(lang)
    note = f'!!! note "{words.text("i18n.fallback_title")}"\n\n    {words.text("i18n.fallback_note")}\n\n'
    return note + markdown


_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


@event_priority(10)  # before macros/hooks.py cuts the module pages from their frame page
def on_post_page(output: str, page: Page, config: Any) -> str:
    """A page of another edition than the default looks for search in its edition's folder."""
    lang, default = edition(config)
    if lang == default:
        return output
    return _CONFIG_BASE.sub(lambda m: f"{m[1]}{m[2].rstrip('/') or '.'}/{lang}/{m[3]}", output, count=1)


#: The default edition's 404 page, by site folder, while the other editions are built.
_not_found: dict[str, bytes] = {}


def on_post_build(config: Any) -> None:
    lang, default = edition(config)
    page = Path(config.site_dir) / "404.html"
    if lang == default:
        if page.is_file():
            _not_found[config.site_dir] = page.read_bytes()
    elif config.site_dir in _not_found:
        page.write_bytes(_not_found.pop(config.site_dir))
    if lang != default:
        # Material's language switcher reads <edition>/sitemap.xml to keep the page; the plugin writes
        # only the root one, which lists every edition's pages (hreflang alternates included).
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            root, copy = Path(config.site_dir) / name, Path(config.site_dir) / lang / name
            if root.is_file() and copy.parent.is_dir():
                shutil.copyfile(root, copy)
    if lang != default and _fallbacks:
        log.info("%s edition: %d page(s) shown in %s, not translated yet: %s", lang, len(_fallbacks), default,
                 ", ".join(sorted(_fallbacks)))

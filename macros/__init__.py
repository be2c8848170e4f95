"""mkdocs-macros glue: ``define_env`` only. Loads the matrix once, registers the renderers.

No logic lives here: the engine (``matrix``) decides and renders; this module binds
its data to the macro names, hands the generated files to the mkdocs-gen-files script
(``macros/gen_files.py``, through ``config.extra.agno_files``) and turns engine errors
into one-line build failures.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from matrix import render
from matrix.errors import AgnoDocsError
from matrix.render import links
from matrix.render.live import banner
from matrix.render.pages import provenance
from matrix.render.site import generate, module_pages_of
from matrix.settings import Settings
from matrix.sources import Loaded, load_site
from matrix.sources.site import site_config

from . import shell, slots
from .i18n_hooks import _i18n, edition

log = get_plugin_logger("agno-docs")


def _bind(env: Any, fn: Callable[..., str], data: Loaded, name: str,
          templates: slots.SlotTemplates) -> Callable[..., str]:
    """The macro as pages call it: data bound, engine errors reported in one line.

    An engine error (unknown module id, a wrong argument...) is logged as one error line naming
    the page, which aborts a ``--strict`` build (this site is strict by default), and the page
    shows the same line, escaped, where the macro stood: never a traceback, never a silently
    empty spot. (Raising instead would make mkdocs-macros print its own traceback.)

    The engine renders as the page being built (``links.at(page.url)``, the address within the
    page's edition), so the links it writes in raw HTML (a module badge's link to the module page)
    are relative to that page and stay in its edition.

    Each edition renders its pages (mkdocs-static-i18n builds once per language), so a page that
    fails fails in each; the line names the edition after the first (``docs/x.md (zh edition)``).

    A closure rather than ``functools.partial``: mkdocs-macros serialises its macros for a
    debug line at every build, and a partial's repr would print the whole matrix.
    """
    directory_urls = bool(env.conf.get("use_directory_urls", True))
    lang, default = edition(env.conf)
    edition_folder = "" if lang == default else f"{lang}/"

    def macro(*args: Any, **kwargs: Any) -> str:
        # The page's address within its edition: a page of the Chinese edition ("zh/cookbook/") links
        # the Chinese module pages, which sit where the English ones do in the English edition.
        url = getattr(env.page, "url", None)
        if url is not None and edition_folder and url.startswith(edition_folder):
            url = url[len(edition_folder):]
        done = shell.ahead(lang, url, name, args, kwargs)  # rendered by the worker (macros/shell.py)
        if done is not None:
            return templates.stash.put(done) if templates.stash.enabled and done.strip() else done
        try:
            # HTML reaches the page as a placeholder (macros/slots.py)
            with templates.stash.stashing(), links.at(url, directory_urls=directory_urls):
                return fn(data, *args, **kwargs)
        except AgnoDocsError as exc:
            page = getattr(getattr(env.page, "file", None), "src_uri", "?")
            edition = "" if templates.lang == "en" else f" ({templates.lang} edition)"
            line = f"{name}(): {exc.message}" + (f"; {exc.hint}" if exc.hint else "")
            log.error("docs/%s%s: %s", page, edition, line)
            return render.inline_error(line, templates)

    macro.__name__ = macro.__qualname__ = name
    macro.__doc__ = fn.__doc__
    return macro


#: The matrix of this build: the first pass loads it, the later ones (other editions) take it.
_loaded: Loaded | None = None


def _search_settings(conf: Any) -> dict[str, Any] | None:
    """The search plugin's settings as plain values (None without an enabled search plugin)."""
    plugins = conf.get("plugins")
    search = (plugins.get("material/search") or plugins.get("search")) if plugins is not None else None
    if search is None or not search.config.get("enabled", True):
        return None
    return {key: search.config[key] for key in search.config}


def _later_pass(conf: Any) -> bool:
    """Whether this is a later pass of a multi-language build (mkdocs-static-i18n builds the default
    edition first, then each other one while still in that first pass)."""
    return bool(getattr(_i18n(conf), "building", False))


def define_env(env: Any) -> None:
    extra = env.conf["extra"]
    lang, _ = edition(env.conf)
    try:
        config = site_config(extra, Path(env.conf.get("config_file_path") or "mkdocs.yml").resolve().parent)
        # Everything the engine renders in this pass (macros, generated pages) is in its language.
        templates = slots.SlotTemplates(slots.begin(env.conf), config.templates, lang=lang)
        # Every edition shows the same matrix: the first pass loads it, the later ones take that one
        # (a live source is asked once per build, and two editions can never disagree).
        global _loaded
        later_pass = _later_pass(env.conf)
        if _loaded is None or not later_pass:
            _loaded = load_site(Settings.from_env(), telemetry=config.telemetry_samples)
        data: Loaded = _loaded
        directory_urls = bool(env.conf.get("use_directory_urls", True))
        with templates.stash.stashing():
            generated = slots.generated(templates.stash, generate(
                templates, data, report=config.report_url, directory_urls=directory_urls))
        # Module pages are rendered when the theme has rendered their frame (macros/shell.py); the
        # first pass may hand every edition's to a worker process, this one's first.
        if not later_pass:
            later = [x for x in getattr(_i18n(env.conf), "build_languages", []) if x != lang]
            shell.start_editions(data, config.templates, config.report_url, directory_urls,
                                 {lang: "", **{x: f"{x}/" for x in later}}, _search_settings(env.conf))
        urls = tuple(links.module_url(m.id, directory_urls=directory_urls) for m in data.matrix.modules)
        shell.prepare(lambda: module_pages_of(templates, data, report=config.report_url,
                                              directory_urls=directory_urls), urls, lang)
    except AgnoDocsError as exc:
        raise PluginError(f"agno-docs: {exc}") from None
    # Stale data only happens outside require-live mode (AGNO_MATRIX_REQUIRE_LIVE=1 raises above,
    # failing the build in one line): a local preview works from the last good snapshot and says
    # so on every page (the theme's announce block), so this is info, not a --strict warning.
    if data.stale is not None:
        log.info("stale data, showing the last good snapshot: %s", data.stale.reason)
    extra["agno_stale_banner"] = banner(data, templates=templates)
    for name, fn in render.macros(templates).items():
        env.macro(_bind(env, fn, data, name, templates), name)
    # Family pages, the module pages' frame, the nav and the exports, written into the build by
    # macros/gen_files.py.
    extra["agno_files"] = generated.files
    # The provenance stamp as HTML, for theme templates (pages use the `provenance()` macro).
    extra["agno_provenance"] = provenance(templates, data.matrix)

"""Renderers: model -> view objects -> Jinja templates -> Markdown/HTML for the site.

No renderer reads a file or builds markup in Python: each builds plain view objects from the
:class:`~matrix.sources.Loaded` data (the matrix and the site inputs the sources read), and the
autoescaping templates under ``templates/`` lay them out (:mod:`matrix.render.templating`; a site
overrides a component by name). Pieces:

    ``registry``     every macro with the kinds of its arguments; ``macros()`` binds them
    ``templating``   the template environment (escaping by construction, site overrides)
    ``text``         ``esc``: what any string from data becomes on a page
    ``views``        provenance, parity and coverage views shared by several components
    ``figures``      status counts, shares, numbers and ratios
    ``lookup``       modules, recipes and families by id, with the closest known one as hint
    ``links``        every site address a renderer writes: ``module_href(module)`` (the module's
                     page, relative to the page being rendered), ``page_href(url)``,
                     ``source_url(side, path, line)`` (a line at the pinned commit)
    ``site``         the generated files: family pages and their nav, JSON exports, badges
    ``badges``, ``pages``, ``cookbook``, ``quickstart``, ``history``, ``interactive``,
    ``evidence``, ``live``   one module per group of pages

Linking a module: every mention of a module links to its page (``/modules/<family>/<name>/``).
MkDocs rewrites Markdown links per page but not raw HTML, so a renderer never builds that address
itself: a template writes ``<a href="{{ module|module_href }}">`` (the filter takes a Module or an
id), Python calls :func:`links.module_href`. Both are relative to the page being rendered, which the
macros glue sets around every macro call (``links.at(page.url)``) and :func:`site.site_files` around
every generated page; rendered outside a page, addresses are relative to the site root. Including
``module_badge.html.jinja`` (context: ``module``) gives the title as that link plus the status badge;
``status_badge.html.jinja`` takes an optional ``measured`` (``module|measured``: "4 of 8 functions
ported") that the tooltip adds to the status's meaning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .registry import Arg, Macro, MacroFn, registry, taking

if TYPE_CHECKING:
    from .templating import Templates

__all__ = ["MODULE_ID_MACROS", "Arg", "Macro", "MacroFn", "Templates", "inline_error", "macros", "registry",
           "taking"]


def macros(templates: Templates | None = None) -> dict[str, MacroFn]:
    """Every macro as pages call it, ``fn(data, *args)``, drawn with ``templates`` (default: the engine's)."""
    from .templating import default

    t = templates or default()
    out: dict[str, MacroFn] = {}
    for name, macro in registry().items():

        def bound(data: Any, *args: Any, _m: Macro = macro, **kwargs: Any) -> str:
            return _m.call(t, data, args, kwargs)

        bound.__name__ = bound.__qualname__ = name
        bound.__doc__ = macro.fn.__doc__
        out[name] = bound
    return out


def inline_error(message: str, templates: Templates | None = None) -> str:
    """A visible, escaped error marker that stands where a macro failed (non-strict previews)."""
    from .templating import default

    return (templates or default()).render("error.html.jinja", message=message)


def __getattr__(name: str) -> Any:
    # Macros whose first argument is a module id (``agno-docs check`` verifies those ids exist).
    if name == "MODULE_ID_MACROS":
        return taking(Arg.MODULE_ID)
    # The template environment is imported when first used, not with the package: ``agno-docs check``
    # and ``readme`` import pieces of it (``registry``, ``lookup``, ``text``) and render no template.
    if name in ("Templates", "default"):
        from . import templating

        return getattr(templating, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

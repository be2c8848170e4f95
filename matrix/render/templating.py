"""The templates every renderer draws with: one Jinja environment, autoescaping, overridable by name.

Markup lives in ``matrix/render/templates/`` (one file per component, as mkdocstrings' handlers and
Material's ``partials/`` keep theirs); Python builds plain view objects and calls
:meth:`Templates.render`. Escaping holds by construction:

* every ``{{ value }}`` goes through :func:`matrix.render.text.esc` (the environment's
  ``finalize``): HTML- and attribute-safe, Markdown- and Jinja-inert, invisible characters named.
  Only what is already :class:`~markupsafe.Markup` (a rendered component) passes as it is, and
  ``None`` prints nothing;
* ``|e``, ``|escape`` and ``|join`` use the same function, so no filter bypasses it;
* ``|tojson`` is Jinja's HTML-safe JSON (``<``, ``>``, ``&``, ``'`` as ``\\u00XX``) for JSON in HTML;
* ``|url`` percent-encodes a link target (a Markdown link's destination, an ``id``): nothing in it
  can close the link, the attribute or the anchor. It never makes a link from data: addresses
  from data are checked by :func:`matrix.render.lookup.web_url` before they become one.
* ``|module_href`` is a module's page (a Module or an id), relative to the page being rendered
  (:func:`matrix.render.links.module_href`); ``|measured`` is what was measured for a module, in
  words (``4 of 8 functions ported``), for badge tooltips (:func:`matrix.render.views.measured`).

Layout: in ``*.html.jinja`` and ``*.svg.jinja`` a line break and the indentation around it are
removed when the template loads (output is one line, which Markdown needs inside tables, lists and
admonitions); a space that matters is written within a line. ``*.md.jinja`` templates keep their
lines (they are Markdown).

Words come from the message catalogue (:mod:`matrix.i18n`): every template has ``t``
(:class:`matrix.render.words.Words`) in the language the environment was made for, and writes
``{{ t("key", n=count) }}``, ``{{ t.label(status) }}``, never English of its own.

A site overrides a component by dropping a file with the same name into a folder it names
(``extra.agno.templates`` in mkdocs.yml; ``macros/`` passes it as ``Templates([folder])``): that file
is used instead of the engine's, wherever the component is rendered or included. A file there that
matches no component is an error, so a typo in a name cannot silently do nothing.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
from markupsafe import Markup

from ..errors import UsageError
from . import links, views
from .text import esc
from .words import Words

__all__ = ["TEMPLATE_DIR", "Markup", "Templates", "default", "markup"]

#: The engine's own templates (package data).
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

_JOIN = re.compile(r"[ \t]*\r?\n[ \t]*")
_ONE_LINE = (".html.jinja", ".svg.jinja")


def markup(value: object) -> Markup:
    """A value as safe markup: a rendered component as it is, anything else through :func:`esc`."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if type(value) is str:
        return _escaped(value)
    return Markup(esc(value))


@functools.lru_cache(maxsize=1 << 16)
def _escaped(value: str) -> Markup:
    """:func:`esc` of a string, kept: a site prints the same names, paths and labels thousands of
    times (every module page, both editions)."""
    return Markup(esc(value))


def _join(values: Iterable[object], separator: str = "") -> Markup:
    """``|join`` that escapes every item from data the same way ``{{ }}`` does."""
    return Markup(separator).join(markup(v) for v in values)


def _url(value: object) -> Markup:
    """A link target or anchor, percent-encoded (only ``/ # : ? = %`` and unreserved characters stay)."""
    return Markup(urllib.parse.quote(str(value), safe="/#:?=%"))


class _Layout(jinja2.BaseLoader):
    """Wraps a loader: one-line templates lose their line breaks and indentation on load."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        if template.endswith(_ONE_LINE):
            source = _JOIN.sub("", source)
        return source, filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


class _Output(jinja2.compiler.CodeGenerator):
    """Prints ``{{ x }}`` as ``finalize(x)`` where autoescape would print ``escape(finalize(x))``.

    The finalize (:func:`markup`) already returns safe markup, escaped this engine's way, so the
    ``escape`` around it only copied it (a ``hasattr`` and a new ``Markup`` for each ``{{ }}``): a
    fifth of a module page's rendering, 7,400 pages at 10x modules. Anywhere else (no finalize, or
    autoescape switched in the template) Jinja's own code is written.
    """

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if _finalized(frame, finalize):
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
        if _finalized(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


def _finalized(frame: Any, finalize: Any) -> bool:
    return bool(frame.eval_ctx.autoescape and not frame.eval_ctx.volatile
                and finalize.src == "environment.finalize(")


class _Environment(jinja2.Environment):
    code_generator_class = _Output


#: Kept with the compiled templates' names: compiled code of an earlier code generator is never loaded.
_CODE = "agno2"


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's per-user cache of compiled templates; a cache that cannot be read or written is skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _BytecodeCache(pattern=f"__jinja2_{_CODE}_%s.cache")
    except (RuntimeError, OSError):  # no private cache folder can be made: compile every time
        return None


def component_names() -> list[str]:
    """The names of the engine's templates (what a site can override)."""
    return sorted(p.name for p in TEMPLATE_DIR.glob("*.jinja"))


class Templates:
    """The template environment of one site: the engine's templates, under the site's overrides."""

    def __init__(self, overrides: Sequence[str | os.PathLike[str]] = (), lang: str = "en") -> None:
        self.overrides = tuple(Path(p) for p in overrides)
        #: The language of everything these templates print: ``t`` in every template (the catalogue).
        self.words = Words(lang)
        self.lang = self.words.lang
        known = set(component_names())
        for folder in self.overrides:
            if not folder.is_dir():
                raise UsageError("no such template folder", where=str(folder),
                                 hint="create it, or stop naming it as the site's template overrides")
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.name not in known:
                    raise UsageError(
                        f"{path.name!r} overrides no component", where=str(folder),
                        hint=f"use the name of one of the engine's templates: {', '.join(sorted(known))}",
                    )
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(p) for p in self.overrides])]
        loaders.append(jinja2.FileSystemLoader(str(TEMPLATE_DIR)))
        self.env = _Environment(
            loader=_Layout(jinja2.ChoiceLoader(loaders)),
            autoescape=True,
            finalize=markup,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            # Each site build makes its own Templates (macros.define_env), so a template edited between
            # two builds of `mkdocs serve` is read again; within a build, an {% include %} in a loop
            # must not stat the file system once per row (auto_reload would, for every include).
            auto_reload=False,
            # Compiled templates are kept between builds (per user, under the system temp folder;
            # keyed by each template's source, so an edit or an override is never served stale).
            bytecode_cache=_bytecode_cache(),
        )
        self.env.filters.update(e=markup, escape=markup, forceescape=markup, join=_join, url=_url,
                                module_href=links.module_href,
                                measured=lambda module: views.measured(module, self.words))
        self.env.globals["t"] = self.words

    def render(self, name: str, /, **context: Any) -> Markup:
        """The component ``name`` rendered with ``context`` (view objects), as safe markup.

        Trailing line breaks are dropped: the page that places a component decides what follows it.
        """
        return Markup(self.env.get_template(name).render(**context).rstrip("\n"))


@functools.cache
def _cached(overrides: tuple[str, ...], lang: str) -> Templates:
    return Templates(overrides, lang)


def default(overrides: Sequence[str | os.PathLike[str]] = (), lang: str = "en") -> Templates:
    """The templates for these override folders and language, built once per process."""
    return _cached(tuple(str(Path(p).resolve()) for p in overrides), lang)

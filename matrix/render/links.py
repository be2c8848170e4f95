"""Links: the one way a renderer writes the address of a module page, a site page or a source line.

MkDocs rewrites links written in Markdown (``[x](../y.md)``) for each page, but not the ``href`` of
raw HTML, and the macros emit raw HTML on pages at every depth (``/``, ``/matrix/``,
``/families/tools/``, ``/modules/tools/calculator/``). So a renderer never writes a site address
itself: it asks this module, which knows the page being rendered and returns an address relative
to it. Relative addresses work under any base path (``/``, ``/agno-go/``, an unzipped preview).

    module_href(module)    the module's page (``../modules/tools/calculator/``), from the current page
    page_href(url)         any site URL (``matrix/``, ``families/tools/``), from the current page
    at(page_url)           the page being rendered: the macros glue sets it around every macro call
                           (``env.page.url``), :func:`matrix.render.site.site_files` around every
                           generated page; outside both, addresses are relative to the site root
    source_url(side, path, line)
                           a line of a pinned tree, ``<repository>/blob/<commit>/<path>#L<line>``,
                           or None unless the repository is an https URL and the commit is hex;
                           ``kind="tree"`` for a folder (a recipe's nearest Go example)
    tree_url(side)         the tree at the pinned commit (the provenance stamp links both sides)
    report_url(template, module)
                           the "report a problem with this data" address for a module

Templates use the filter ``module_href`` (``<a href="{{ module|module_href }}">``; it takes a
:class:`~matrix.model.Module` or an id), registered by :mod:`matrix.render.templating`, so every
component that names a module links it the same way: the module badge, the support box, family
tables, the matrix rows, the Not-yet-in-Go rows, cookbook blockers, the quickstart's ``needs()``.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import posixpath
import re
import urllib.parse
from collections.abc import Iterator
from typing import Literal

from ..model import Module, Provenance

__all__ = ["MODULE_PAGE", "Here", "at", "here", "module_href", "module_page", "module_url", "page_href",
           "report_url", "source_url", "tree_url"]

#: Where a module's page is generated (under docs/): ``modules/<family>/<name>.md``.
MODULE_PAGE = "modules/{family}/{name}.md"

_COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


@dataclasses.dataclass(frozen=True, slots=True)
class Here:
    """The page being rendered: its URL relative to the site root, as MkDocs gives it
    (``""`` for home, ``matrix/``, or ``matrix.html`` without directory URLs)."""

    url: str = ""
    directory_urls: bool = True


_HERE: contextvars.ContextVar[Here] = contextvars.ContextVar("agno_docs_here", default=Here())  # noqa: B039


def here() -> Here:
    """The page being rendered (the site root when no page was set)."""
    return _HERE.get()


@contextlib.contextmanager
def at(page_url: str | None, *, directory_urls: bool = True) -> Iterator[Here]:
    """Render as the page at ``page_url`` (None: the site root) for the duration of the block."""
    token = _HERE.set(Here(page_url or "", directory_urls))
    try:
        yield _HERE.get()
    finally:
        _HERE.reset(token)


def _split(module_id: str) -> tuple[str, str]:
    family, _, name = module_id.partition(".")
    return family, name


def module_page(module_id: str) -> str:
    """The generated page's path under docs/ (``modules/tools/calculator.md``)."""
    family, name = _split(module_id)
    return MODULE_PAGE.format(family=family, name=name)


def module_url(module_id: str, *, directory_urls: bool | None = None) -> str:
    """The module page's URL relative to the site root (``modules/tools/calculator/``)."""
    family, name = _split(module_id)
    path = f"modules/{urllib.parse.quote(family, safe='')}/{urllib.parse.quote(name, safe='')}"
    dirs = here().directory_urls if directory_urls is None else directory_urls
    return f"{path}/" if dirs else f"{path}.html"


def page_href(url: str, page: Here | None = None) -> str:
    """``url`` (relative to the site root) as seen from ``page`` (default: the page being rendered)."""
    return _relative(url, (page or here()).url)


@functools.lru_cache(maxsize=1 << 14)
def _relative(url: str, page_url: str) -> str:
    """:func:`page_href`, kept: a page links the same few addresses many times (the cookbook index
    names module pages 4,000 times), and ``posixpath.relpath`` is the costly part."""
    base = posixpath.dirname(page_url)  # "matrix/" -> "matrix", "matrix.html" -> "", "" -> ""
    target = url.rstrip("/")
    rel = posixpath.relpath("/" + target, "/" + base) if target else posixpath.relpath("/", "/" + base)
    if url.endswith("/") or not url:
        rel = "./" if rel == "." else rel + "/"
    return rel


def module_href(module: Module | str, page: Here | None = None) -> str:
    """The module's page, relative to ``page`` (default: the page being rendered)."""
    module_id = module.id if isinstance(module, Module) else str(module)
    page = page or here()
    return page_href(module_url(module_id, directory_urls=page.directory_urls), page)


def _repository(side: Provenance) -> str | None:
    repo = side.repository or ""
    if not repo.startswith("https://") or any(c in repo for c in "\"'<> \\?#"):
        return None
    repo = repo.rstrip("/")
    return repo[:-4] if repo.endswith(".git") else repo


def source_url(side: Provenance, path: str, line: int | None = None, *,
               kind: Literal["blob", "tree"] = "blob") -> str | None:
    """``<repository>/blob/<commit>/<path>#L<line>`` at the pinned commit (``kind="tree"``: a folder,
    ``<repository>/tree/<commit>/<path>``), or None when it cannot be a safe link: the repository is
    not an https URL, the commit is not a hex id, or the path is absolute or climbs out of the tree
    (``..``)."""
    repo = _repository(side)
    commit = side.commit or ""
    parts = path.split("/")
    if repo is None or not _COMMIT.match(commit) or not path or path.startswith("/") or ".." in parts:
        return None
    frag = f"#L{line}" if line and kind == "blob" else ""
    return f"{repo}/{kind}/{commit}/{urllib.parse.quote(path, safe='/')}{frag}"


def tree_url(side: Provenance) -> str | None:
    """The side's tree at its pinned commit (``<repository>/tree/<commit>``), or None when it cannot be
    a safe link (the same checks as :func:`source_url`)."""
    repo = _repository(side)
    commit = side.commit or ""
    return f"{repo}/tree/{commit}" if repo is not None and _COMMIT.match(commit) else None


#: The report address when the site names none: a new issue on the runtime's repository.
DEFAULT_REPORT = "{repository}/issues/new?title={title}"


def report_url(template: str | None, module: Module, runtime: Provenance) -> str | None:
    """The "report a problem with this data" address for ``module``.

    ``template`` (``extra.agno.report_url``) may hold ``{id}`` and ``{title}`` (the module id; a
    ready-made issue title naming it), each percent-encoded. Without one, a new issue on the
    runtime's repository titled with the module id; None when that repository is not an https URL.
    """
    title = urllib.parse.quote(f"Support matrix data: {module.id}", safe="")
    mid = urllib.parse.quote(module.id, safe="")
    if template is None:
        repo = _repository(runtime)
        return None if repo is None else DEFAULT_REPORT.format(repository=repo, title=title)
    url = template.replace("{id}", mid).replace("{title}", title)
    return url if url.startswith(("https://", "http://")) else None

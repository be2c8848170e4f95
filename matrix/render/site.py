"""The files a site build generates from the matrix, so a new family needs no hand-made file.

:func:`site_files` returns ``{path under docs/: content}``: a page per family
(``families/<id>.md``), the Families section of the nav (``families/SUMMARY.md``, read by
mkdocs-literate-nav where ``mkdocs.yml`` names the ``families/`` folder), and the exports at
stable URLs (``api/support-matrix.json``, its JSON Schema, shields.io badges), and the module pages'
frame. The site's mkdocs-gen-files script (``macros/gen_files.py``) only writes them.
:func:`module_pages_of` renders every module's page as HTML, which the site writes into the frame
the theme rendered (``macros/frame.py``, ``macros/shell.py``).
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from ..errors import UsageError
from ..model import Family
from ..sources import Loaded
from . import links, modules, pages, views
from .templating import Templates

#: Where a family's page is generated (under docs/).
FAMILY_PAGE = "families/{id}.md"
#: The generated nav section of the family pages.
FAMILY_NAV = "families/SUMMARY.md"
#: Generated files that only feed the nav (mkdocs-literate-nav reads them): never published as pages.
NAV_FILES: tuple[str, ...] = (FAMILY_NAV,)


@dataclasses.dataclass(frozen=True, slots=True)
class FamilyPage:
    family: Family
    stamp: views.ProvenanceView
    coverage: pages.FamilyCoverage
    table: pages.FamilyTable
    not_in_go: pages.NotInGoLink


def family_page(t: Templates, data: Loaded, family: Family) -> Markup:
    m = data.matrix
    view = FamilyPage(family, views.provenance(m), pages.family_coverage_view(m, family.id, t.words),
                      pages.family_table_view(m, family.id, t.words), pages.not_in_go_link_view(m, family.id))
    return t.render("family_page.md.jinja", page=view)


@dataclasses.dataclass(frozen=True, slots=True)
class Generated:
    files: dict[str, str]
    """Every generated file, by path under docs/ (pages are Markdown; exports are JSON); the module
    pages' frame (``macros/frame.py``) is one of the pages."""
    modules: tuple[modules.Rendered, ...] = ()
    """The module pages, rendered (:func:`module_pages`); empty unless asked for."""


def generate(t: Templates, data: Loaded, *, report: str | None = None,
             directory_urls: bool = True, module_pages: bool = False) -> Generated:
    """Every generated file; with ``module_pages``, the module pages too (:func:`module_pages`).

    ``report`` is the site's "report a problem with this data" address template
    (``extra.agno.report_url``; default: a new issue on the runtime's repository).
    """
    fams = pages.families(data.matrix)
    out: dict[str, str] = {}
    for f, _ in fams:
        with links.at(f"families/{f.id}/" if directory_urls else f"families/{f.id}.html",
                      directory_urls=directory_urls):
            out[FAMILY_PAGE.format(id=f.id)] = str(family_page(t, data, f)) + "\n"
    out[FAMILY_NAV] = str(t.render("families_nav.md.jinja", families=[f for f, _ in fams])) + "\n"
    out[links.module_page(modules.SHELL_ID)] = modules.module_frame(t)
    out.update(pages.exports(data.matrix))
    rendered = module_pages_of(t, data, report=report, directory_urls=directory_urls) if module_pages else ()
    return Generated(out, rendered)


def module_pages_of(t: Templates, data: Loaded, *, report: str | None = None,
                    directory_urls: bool = True, part: slice = slice(None)) -> tuple[modules.Rendered, ...]:
    """Every module's page (or those of the modules in ``part``), rendered as HTML: the site writes
    each into the frame the theme rendered (``macros/frame.py``), so module pages never pass through
    Markdown or the theme."""
    out = []
    for m in data.matrix.modules[part]:
        if m.id == modules.SHELL_ID:
            raise UsageError(f"module id {m.id!r} is the module pages' frame's",
                             hint="rename the module in the profile")
        with links.at(links.module_url(m.id, directory_urls=directory_urls), directory_urls=directory_urls):
            out.append(modules.module_page(t, data, m, report))
    return tuple(out)


def site_files(t: Templates, data: Loaded, *, report: str | None = None,
               directory_urls: bool = True) -> dict[str, str]:
    """Every generated file, by path under docs/ (pages are Markdown; exports are JSON)."""
    return generate(t, data, report=report, directory_urls=directory_urls).files


__all__ = ["FAMILY_NAV", "FAMILY_PAGE", "NAV_FILES", "Generated", "family_page", "generate",
           "module_pages_of", "site_files"]

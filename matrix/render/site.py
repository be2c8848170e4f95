"""The files a site build generates from the matrix, so a new family needs no hand-made file.

:func:`site_files` returns ``{path under docs/: content}``: a page per family
(``families/<id>.md``), the Families section of the nav (``families/SUMMARY.md``, read by
mkdocs-literate-nav where ``mkdocs.yml`` names the ``families/`` folder), and the exports at
stable URLs (``api/support-matrix.json``, its JSON Schema, shields.io badges). The site's
mkdocs-gen-files script (``macros/gen_files.py``) only writes them.
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup

from ..model import Family
from ..sources import Loaded
from . import pages, views
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
    rows: tuple[pages.FamilyRow, ...]
    not_in_go: pages.NotInGoLink


def family_page(t: Templates, data: Loaded, family: Family) -> Markup:
    m = data.matrix
    view = FamilyPage(family, views.provenance(m), pages.family_coverage_view(m, family.id),
                      tuple(pages.family_rows(m, family.id)), pages.not_in_go_link_view(m, family.id))
    return t.render("family_page.md.jinja", page=view)


def site_files(t: Templates, data: Loaded) -> dict[str, str]:
    """Every generated file, by path under docs/ (pages are Markdown; exports are JSON)."""
    fams = pages.families(data.matrix)
    out: dict[str, str] = {FAMILY_PAGE.format(id=f.id): str(family_page(t, data, f)) + "\n" for f, _ in fams}
    out[FAMILY_NAV] = str(t.render("families_nav.md.jinja", families=[f for f, _ in fams])) + "\n"
    out.update(pages.exports(data.matrix))
    return out


__all__ = ["FAMILY_NAV", "FAMILY_PAGE", "NAV_FILES", "family_page", "site_files"]

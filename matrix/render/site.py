"""The files a site build generates from the matrix, so a new family needs no hand-made file.

:func:`site_files` returns ``{path under docs/: content}``: a page per family
(``families/<id>.md``), the Families section of the nav (``families/SUMMARY.md``, read by
mkdocs-literate-nav where ``mkdocs.yml`` names the ``families/`` folder), and the exports at
stable URLs (``api/support-matrix.json``, its JSON Schema, shields.io badges). The site's
mkdocs-gen-files script (``macros/gen_files.py``) only writes them.

:func:`site_config` reads the site's own settings from ``mkdocs.yml`` (``extra.agno``):
``templates``, a folder of template overrides (relative to ``mkdocs.yml``), and
``telemetry_samples``, the sample files the telemetry macros show.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

from markupsafe import Markup

from ..errors import UsageError
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
class SiteConfig:
    """The site's settings for the engine (``extra.agno`` in mkdocs.yml)."""

    templates: tuple[Path, ...] = ()
    """Folders of template overrides, first wins."""
    telemetry_samples: tuple[str, ...] | None = None
    """Telemetry sample files the pages may show (None: the engine's default)."""


def site_config(extra: Mapping[str, object], config_dir: Path) -> SiteConfig:
    """Read ``extra.agno``; a wrong type is a one-line UsageError naming the key."""
    raw = extra.get("agno") or {}
    if not isinstance(raw, Mapping):
        raise UsageError("extra.agno must be a mapping", where="mkdocs.yml",
                         hint="give it `templates:` and/or `telemetry_samples:`")
    unknown = sorted(set(raw) - {"templates", "telemetry_samples"})
    if unknown:
        raise UsageError(f"extra.agno has unknown keys {unknown}", where="mkdocs.yml",
                         hint="known keys: templates, telemetry_samples")
    folder = raw.get("templates")
    if folder is not None and not isinstance(folder, str):
        raise UsageError("extra.agno.templates must be a folder path", where="mkdocs.yml")
    samples = raw.get("telemetry_samples")
    if samples is not None and not (isinstance(samples, list) and all(isinstance(s, str) for s in samples)):
        raise UsageError("extra.agno.telemetry_samples must be a list of file paths", where="mkdocs.yml")
    return SiteConfig(
        templates=(config_dir / folder,) if folder else (),
        telemetry_samples=tuple(samples) if samples is not None else None,
    )


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


__all__ = ["FAMILY_NAV", "FAMILY_PAGE", "NAV_FILES", "SiteConfig", "family_page", "site_config", "site_files"]

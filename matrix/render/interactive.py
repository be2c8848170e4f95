"""The interactive support matrix page: one server-rendered HTML block, enhanced by ``assets/matrix.js``.

``{{ interactive_matrix() }}`` renders everything the page shows from the matrix: the
provenance stamp, the coverage figure per family, a legend of only the statuses that
appear, the filter form (hidden until the script runs) and the full table, one row per
module, each module name linking to its own page. The table is complete without
JavaScript (and in print); the script adds filtering by family and status, free-text
search, sortable columns, pages of :data:`PAGE_SIZE` rows (so the screen updates in
bounded time however many modules there are) and the state in the URL.

Columns with nothing to say on any row (no parity run anywhere, no Go package anywhere...)
are not rendered. The output is one HTML block with no line break (template
``interactive_matrix`` and the partials it includes), so Markdown leaves it alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import catalogue
from ..model import STATUS_ORDER, Module, Status, SupportMatrix, UnitKind
from ..sources import Loaded
from . import links, lookup, views
from .figures import counts, in_go_share, percent
from .registry import Arg, Macro
from .templating import Templates
from .words import Words

#: The anchor prefix of a module's row on this page (``#module-tools.calculator``).
ROW_ANCHOR = "module-"

#: Rows shown at a time: the page's live table holds this many (the rest wait, unparsed, in a
#: ``<noscript>`` until the script needs them), and the script shows pages of this size. A page
#: change or a sort lays out this many new rows: at 25 that is about a screen and a quarter, and
#: stays within 50 ms to the next paint at 10x the modules (bench/matrix_page.py); 50 did not.
PAGE_SIZE = 25

#: A note longer than this is cut at a word break (with " ...") in the table; the module's own page
#: has it whole.
NOTE_SHOWN = 160

#: Sortable columns: key, header text (English; a page's language comes from the catalogue,
#: ``matrix.col.<key>``). The key is what ``?sort=`` carries in the URL. A column that would show
#: nothing on every row is left out of the page (see :func:`columns`).
COLUMN_KEYS: tuple[str, ...] = ("module", "family", "status", "package", "coverage", "parity", "notes")
COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (k, catalogue().text(f"matrix.col.{k}", "en")) for k in COLUMN_KEYS)

#: Columns whose sort keys are numbers.
NUMERIC: frozenset[str] = frozenset({"status", "coverage", "parity"})

#: How a unit count reads after ``ported/total`` (``3/7 functions``), in English (catalogue:
#: ``units.word.<kind>``).
UNIT_WORDS: dict[UnitKind, str] = {k: catalogue().text(f"units.word.{k.value}", "en") for k in UnitKind}

#: Missing unit names shown in a coverage tooltip before " ...".
MISSING_SHOWN = 12


@dataclass(frozen=True)
class FamilyFigure:
    """The coverage figure of one family."""

    id: str
    title: str
    modules: int
    """Baseline modules (go-only excluded), as on Home."""
    in_go: int
    """Migrated + partial."""
    ported: int
    total: int
    count: int = 0
    """Every module of the family, go-only included (what the family filter narrows to)."""

    @property
    def percent(self) -> int | None:
        """Unit coverage in whole percent (floored, so 99.6 % never reads 100 %); None without data."""
        return self.ported * 100 // self.total if self.total else None

    @property
    def share(self) -> int:
        """Modules in Go, in whole percent of the baseline modules (the bar's width)."""
        return percent(self.in_go, self.modules)


def family_figures(matrix: SupportMatrix, words: Words | None = None) -> list[FamilyFigure]:
    """Per family, in family order: module count, modules with Go code, ported/total units."""
    w = words or Words()
    out = []
    for fam in sorted(matrix.families, key=lambda f: (f.order, f.id)):
        mods = matrix.family_modules(fam.id)
        if not mods:
            continue
        covs = [m.coverage for m in mods if m.coverage is not None]
        in_go, baseline = in_go_share(counts(mods))  # the same figure as Home's
        out.append(FamilyFigure(
            id=fam.id, title=w.family(fam), modules=baseline, in_go=in_go,
            ported=sum(c.ported for c in covs), total=sum(c.total for c in covs), count=len(mods),
        ))
    return out


def statuses_present(matrix: SupportMatrix) -> list[Status]:
    """The statuses the matrix uses, in display order (the legend shows only these)."""
    used = {m.status for m in matrix.modules}
    return [s for s in STATUS_ORDER if s in used]


def ordered_modules(matrix: SupportMatrix) -> list[Module]:
    """Modules in reading order: family order, then module id."""
    order = {f.id: (f.order, f.id) for f in matrix.families}
    return sorted(matrix.modules, key=lambda m: (order[m.family], m.id))


@dataclass(frozen=True, slots=True)
class StatusEntry:
    """One status of the legend and the status filter."""

    status: Status
    count: int


@dataclass(frozen=True, slots=True)
class Row:
    """One module's row; the ``*_key`` fields are what the script sorts on."""

    module: Module
    family_title: str
    href: str
    """The module's own page (:func:`matrix.render.links.module_href`)."""
    rank: int
    """The status's place in the display order."""
    coverage_key: str
    coverage_title: str | None
    """The coverage tooltip; None when no unit-level data exists."""
    units: str
    """What the counted units are (``functions``, ``endpoints``...); empty without data."""
    parity_key: str
    parity: views.ParityView | None
    """None when no parity fixture ran for the module."""
    note: str
    tracking_url: str | None


def short_note(text: str, limit: int = NOTE_SHOWN) -> str:
    """``text`` cut to at most ``limit`` characters at a space, with " ..." when something was cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " ..."


def _row(m: Module, family_title: str, rank: int, parity_url: str, w: Words) -> Row:
    c = m.coverage
    if c is not None and c.total:
        cov_key = f"{c.ratio:.4f}"
        missing = ", ".join(c.missing[:MISSING_SHOWN]) + (" ..." if len(c.missing) > MISSING_SHOWN else "")
        units = w.units(c.kind)
        cov_title: str | None = (w.text("matrix.coverage_missing", missing=missing) if c.missing
                                 else w.text("matrix.coverage_all", units=units))
    else:
        cov_key, cov_title, units = "-1", None, ""
    p = m.parity
    ran = 0 if p is None else p.passed + p.failed + p.errored
    if p is None or ran == 0 or not p.fixtures:
        parity_key, parity = "-2", None
    else:
        # (passed - failing) / ran, in [-1, 1]: all passing sorts highest, no evidence (-2) lowest.
        parity_key, parity = f"{(p.passed - p.failed - p.errored) / ran:.4f}", views.parity(p, parity_url, w)
    return Row(m, family_title, links.module_href(m), rank, cov_key, cov_title, units, parity_key,
               parity, short_note(w.note(m) or w.reason(m)), lookup.web_url(m.tracking))


def columns(rows: tuple[Row, ...]) -> tuple[tuple[str, str], ...]:
    """The columns that say something on at least one row (module, family and status always do)."""
    live = {
        "package": any(r.module.go is not None for r in rows),
        "coverage": any(r.coverage_title is not None for r in rows),
        "parity": any(r.parity is not None for r in rows),
        "notes": any(r.note or r.tracking_url or r.module.since for r in rows),
    }
    return tuple((key, text) for key, text in COLUMNS if live.get(key, True))


def _localised(cols: tuple[tuple[str, str], ...], w: Words) -> tuple[tuple[str, str], ...]:
    return tuple((key, w.text(f"matrix.col.{key}")) for key, _ in cols)


@dataclass(frozen=True, slots=True)
class MatrixPage:
    stamp: views.ProvenanceView
    stale: str | None
    """Why the data is stale, and since when (one line), or None when it is live."""
    figures: tuple[FamilyFigure, ...]
    statuses: tuple[StatusEntry, ...]
    total: int
    columns: tuple[tuple[str, str], ...]
    keys: frozenset[str]
    """The keys of ``columns``, for the template's cell choices."""
    rows: tuple[Row, ...]
    page_size: int
    units: views.Units
    """The headline: measured units ported, modules in Go in full and in part."""
    numeric: frozenset[str] = NUMERIC


def matrix_page(data: Loaded, parity_url: str = views.PARITY_HREF, words: Words | None = None) -> MatrixPage:
    w = words or Words()
    m = data.matrix
    c = counts(m.modules)
    titles = {f.id: w.family(f) for f in m.families}
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    stale = None
    if data.stale is not None:
        stale = w.text("matrix.stale", reason=data.stale.reason,
                       since=data.stale.since.strftime("%Y-%m-%d %H:%M UTC"))
    rows = tuple(_row(mod, titles[mod.family], rank[mod.status], parity_url, w)
                 for mod in ordered_modules(m))
    cols = _localised(columns(rows), w)
    return MatrixPage(
        stamp=views.provenance(m),
        stale=stale,
        figures=tuple(family_figures(m, w)),
        statuses=tuple(StatusEntry(s, c[s]) for s in statuses_present(m)),
        total=len(m.modules),
        columns=cols,
        keys=frozenset(k for k, _ in cols),
        rows=rows,
        page_size=PAGE_SIZE,
        units=views.unit_counts(m.modules, w),
    )


def interactive_matrix(t: Templates, data: Loaded, parity_url: str = views.PARITY_HREF) -> Markup:
    """The whole matrix page block (stamp, coverage per family, legend, filters, count, table, pager)."""
    return t.render("interactive_matrix.html.jinja", page=matrix_page(data, parity_url, t.words))


MACROS: tuple[Macro, ...] = (Macro("interactive_matrix", interactive_matrix, (Arg.LINK,)),)

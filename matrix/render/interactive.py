"""The interactive support matrix page: one server-rendered HTML block, enhanced by ``assets/matrix.js``.

``{{ interactive_matrix() }}`` renders everything the page shows from the matrix: the
provenance stamp, the coverage figure per family, a legend of only the statuses that
appear, the filter form (hidden until the script runs) and the full table, one row per
module. The table is complete without JavaScript; the script adds filtering by family
and status, free-text search, sortable columns and the state in the URL.

The output is one HTML block with no line break (template ``interactive_matrix`` and the
partials it includes), so Markdown leaves it alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..model import STATUS_ORDER, Module, Status, SupportMatrix
from ..sources import Loaded
from . import lookup, views
from .figures import counts, in_go_share, percent
from .registry import Arg, Macro
from .templating import Templates

#: The anchor prefix of a module's row on this page (``#module-tools.calculator``).
ROW_ANCHOR = "module-"

#: Sortable columns: key, header text. The key is what ``?sort=`` carries in the URL.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("family", "Family"),
    ("module", "Module"),
    ("status", "Status"),
    ("package", "Go package"),
    ("coverage", "Functions"),
    ("parity", "Parity"),
    ("notes", "Notes"),
)

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

    @property
    def percent(self) -> int | None:
        """Function coverage in whole percent (floored, so 99.6 % never reads 100 %); None without data."""
        return self.ported * 100 // self.total if self.total else None

    @property
    def share(self) -> int:
        """Modules in Go, in whole percent of the baseline modules (the bar's width)."""
        return percent(self.in_go, self.modules)


def family_figures(matrix: SupportMatrix) -> list[FamilyFigure]:
    """Per family, in family order: module count, modules with Go code, ported/total functions."""
    out = []
    for fam in sorted(matrix.families, key=lambda f: (f.order, f.id)):
        mods = matrix.family_modules(fam.id)
        if not mods:
            continue
        covs = [m.coverage for m in mods if m.coverage is not None]
        in_go, baseline = in_go_share(counts(mods))  # the same figure as Home's
        out.append(FamilyFigure(
            id=fam.id, title=fam.title, modules=baseline, in_go=in_go,
            ported=sum(c.ported for c in covs), total=sum(c.total for c in covs),
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
    rank: int
    """The status's place in the display order."""
    coverage_key: str
    coverage_title: str | None
    """The coverage tooltip; None when no unit-level data exists."""
    parity_key: str
    parity: views.ParityView | None
    """None when no parity fixture ran for the module."""
    note: str
    tracking_url: str | None


def _row(m: Module, family_title: str, rank: int, parity_url: str) -> Row:
    c = m.coverage
    if c is not None and c.total:
        cov_key = f"{c.ratio:.4f}"
        missing = ", ".join(c.missing[:MISSING_SHOWN]) + (" ..." if len(c.missing) > MISSING_SHOWN else "")
        cov_title: str | None = (f"missing: {missing}" if c.missing
                                 else "every baseline function has a Go counterpart")
    else:
        cov_key, cov_title = "-1", None
    p = m.parity
    ran = 0 if p is None else p.passed + p.failed + p.errored
    if p is None or ran == 0 or not p.fixtures:
        parity_key, parity = "-2", None
    else:
        # (passed - failing) / ran, in [-1, 1]: all passing sorts highest, no evidence (-2) lowest.
        parity_key, parity = f"{(p.passed - p.failed - p.errored) / ran:.4f}", views.parity(p, parity_url)
    return Row(m, family_title, rank, cov_key, cov_title, parity_key, parity, m.notes or m.reason or "",
               lookup.web_url(m.tracking))


@dataclass(frozen=True, slots=True)
class MatrixPage:
    stamp: views.ProvenanceView
    stale: str | None
    """Why the data is stale, and since when (one line), or None when it is live."""
    figures: tuple[FamilyFigure, ...]
    statuses: tuple[StatusEntry, ...]
    total: int
    columns: tuple[tuple[str, str], ...]
    rows: tuple[Row, ...]


def matrix_page(data: Loaded, parity_url: str = views.PARITY_HREF) -> MatrixPage:
    m = data.matrix
    c = counts(m.modules)
    titles = {f.id: f.title for f in m.families}
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    stale = None
    if data.stale is not None:
        stale = f"{data.stale.reason} (data from {data.stale.since.strftime('%Y-%m-%d %H:%M UTC')})"
    return MatrixPage(
        stamp=views.provenance(m),
        stale=stale,
        figures=tuple(family_figures(m)),
        statuses=tuple(StatusEntry(s, c[s]) for s in statuses_present(m)),
        total=len(m.modules),
        columns=COLUMNS,
        rows=tuple(_row(mod, titles[mod.family], rank[mod.status], parity_url) for mod in ordered_modules(m)),
    )


def interactive_matrix(t: Templates, data: Loaded, parity_url: str = views.PARITY_HREF) -> Markup:
    """The whole matrix page block (stamp, coverage per family, legend, filters, count, table)."""
    return t.render("interactive_matrix.html.jinja", page=matrix_page(data, parity_url))


MACROS: tuple[Macro, ...] = (Macro("interactive_matrix", interactive_matrix, (Arg.LINK,)),)

"""The interactive support matrix page: one server-rendered HTML block, enhanced by ``assets/matrix.js``.

``{{ interactive_matrix() }}`` renders everything the page shows from the matrix: the
provenance stamp, the coverage figure per family, a legend of only the statuses that
appear, the filter form (hidden until the script runs) and the full table, one row per
module. The table is complete without JavaScript; the script adds filtering by family
and status, free-text search, sortable columns and the state in the URL.

Every value from the data goes through :func:`~matrix.render._html.esc`; the output is
one HTML block with no blank line, so Markdown leaves it alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import STATUS_ORDER, Module, ParitySummary, Status, SupportMatrix
from ..sources import Loaded
from . import MacroFn
from ._html import attrs, esc, status_badge
from .evidence import PARITY_HREF, parity_evidence
from .pages import counts, in_go_share, percent

#: Where the Parity page is, relative to the matrix page (``matrix/``); anchors are the Parity page's.
PARITY_URL = PARITY_HREF
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

_DASH = "\u2014"
_ALL = '<span class="agno-matrix__muted">(none checked: all)</span>'


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


def provenance_stamp(data: Loaded) -> str:
    """Which baseline and runtime the table describes, and when and from where it was generated."""
    m = data.matrix
    parts = [f"{_side('Baseline', m.baseline.name, m.baseline.version, m.baseline.commit)}",
             f"{_side('Runtime', m.runtime.name, m.runtime.version, m.runtime.commit)}",
             f"generated {esc(m.generated_at.strftime('%Y-%m-%d %H:%M UTC'))}"
             f" from {esc(m.source.kind.value)}"]
    stamp = " &middot; ".join(parts)
    stale = ""
    if data.stale is not None:
        stale = (f' <strong class="agno-matrix__stale">Stale data: {esc(data.stale.reason)}'
                 f" (data from {esc(data.stale.since.strftime('%Y-%m-%d %H:%M UTC'))})</strong>")
    return f'<p class="agno-matrix__stamp" data-agno-provenance>{stamp}{stale}</p>'


def _side(label: str, name: str, version: str | None, commit: str | None) -> str:
    text = f"{label}: <strong>{esc(name)}</strong>"
    if version:
        text += f" {esc(version)}"
    if commit:
        text += f" (<code{attrs(title=commit)}>{esc(commit[:12])}</code>)"
    return text


def legend(statuses: Iterable[Status], counts: dict[Status, int]) -> str:
    """Only the statuses the matrix uses: badge, what it means (its tooltip), how many modules."""
    items = "".join(
        f'<li>{status_badge(s)} <span class="agno-matrix__legend-text">{esc(s.tooltip)}'
        f' <span class="agno-matrix__muted">({counts.get(s, 0)})</span></span></li>'
        for s in statuses
    )
    return (f'<div class="agno-matrix__legend"><p class="agno-matrix__heading">Legend</p>'
            f'<ul class="agno-matrix__legend-list">{items}</ul></div>')


def coverage_grid(figures: list[FamilyFigure]) -> str:
    """One compact cell per family: share of modules with Go code (bar), and function coverage when known."""
    cells = []
    for f in figures:
        share = percent(f.in_go, f.modules)
        label = f"{f.title}: {f.in_go} of {f.modules} baseline modules run in Go (in Go or partial)"
        pct = f.percent
        if pct is None:
            funcs = '<span class="agno-matrix__muted">functions: no data</span>'
        else:
            funcs = f'<span>functions: <strong>{pct}&nbsp;%</strong> ({f.ported}/{f.total})</span>'
            label += f"; {pct} % of their baseline functions are ported ({f.ported} of {f.total})"
        cells.append(
            f"<li{attrs(data_family=f.id, title=label)}>"
            f'<span class="agno-matrix__family-name">{esc(f.title)}</span>'
            '<span><span class="agno-matrix__bar" aria-hidden="true">'
            f'<span style="width:{share}%"></span></span>'
            f" <strong>{f.in_go}</strong>/{f.modules} modules in Go</span>"
            f"{funcs}</li>"
        )
    return ('<div class="agno-matrix__families"><p class="agno-matrix__heading">Coverage per family</p>'
            '<ul class="agno-matrix__family-grid">' + "".join(cells) + "</ul></div>")


def controls(figures: list[FamilyFigure], statuses: list[Status], counts: dict[Status, int]) -> str:
    """The filter form; hidden until the script runs (without it, the full table is the page)."""
    fam = "".join(
        f'<label class="agno-matrix__check"><input type="checkbox" name="family"{attrs(value=f.id)}>'
        f" {esc(f.title)} <span class=\"agno-matrix__muted\">({f.modules})</span></label>"
        for f in figures
    )
    st = "".join(
        f'<label class="agno-matrix__check"{attrs(title=s.tooltip)}><input type="checkbox" name="status"'
        f"{attrs(value=s.value)}> {esc(s.label)}"
        f' <span class="agno-matrix__muted">({counts[s]})</span></label>'
        for s in statuses
    )
    return (
        '<form class="agno-matrix__controls" role="search" aria-label="Filter the support matrix" hidden>'
        '<label class="agno-matrix__search">Search '
        '<input type="search" name="search" autocomplete="off" spellcheck="false"'
        ' placeholder="module id, title, Go package, notes"></label>'
        f"<fieldset><legend>Family {_ALL}</legend>{fam}</fieldset>"
        f"<fieldset><legend>Status {_ALL}</legend>{st}</fieldset>"
        '<button type="reset" class="md-button agno-matrix__reset">Clear filters</button>'
        "</form>"
    )


def _parity_cell(m: Module, parity_url: str) -> tuple[str, str]:
    """(sort value, HTML) of the parity evidence of one module: the Parity page's own badge and link."""
    p: ParitySummary | None = m.parity
    ran = 0 if p is None else p.passed + p.failed + p.errored
    if p is None or ran == 0 or not p.fixtures:
        return "-2", f'<span class="agno-matrix__muted" title="no parity fixture ran for it">{_DASH}</span>'
    # (passed - failing) / ran, in [-1, 1]: all passing sorts highest, no evidence (-2) lowest.
    return f"{(p.passed - p.failed - p.errored) / ran:.4f}", parity_evidence(m, parity_url)


def _safe_url(url: str | None) -> str | None:
    return url if url and url.startswith(("https://", "http://")) else None


def row(m: Module, family_title: str, status_rank: int, parity_url: str) -> str:
    """One ``<tr>``; ``data-*`` attributes carry what the script filters and sorts on."""
    pkg = f"<code>{esc(m.go.package)}</code>" if m.go else f'<span class="agno-matrix__muted">{_DASH}</span>'
    if m.coverage is not None and m.coverage.total:
        c = m.coverage
        cov_key = f"{c.ratio:.4f}"
        missing = ", ".join(c.missing[:12]) + (" ..." if len(c.missing) > 12 else "")
        tip = f"missing: {missing}" if c.missing else "every baseline function has a Go counterpart"
        cov = f"<span{attrs(title=tip)}>{c.ported}/{c.total}</span>"
    else:
        cov_key = "-1"
        cov = f'<span class="agno-matrix__muted" title="no function-level data">{_DASH}</span>'
    parity_key, parity = _parity_cell(m, parity_url)
    note_text = m.notes or m.reason or ""
    notes = esc(note_text)
    tracking = _safe_url(m.tracking)
    if tracking:
        notes += f" <a{attrs(href=tracking)}>tracking</a>"
    if m.since:
        notes += f' <span class="agno-matrix__muted">since {esc(m.since)}</span>'
    return (
        f"<tr{attrs(id=f'{ROW_ANCHOR}{m.id}', data_family=m.family, data_status=m.status.value)}>"
        f"<td{attrs(data_key=family_title)}>{esc(family_title)}</td>"
        f'<td{attrs(data_key=m.id)}>{esc(m.title)} <code class="agno-matrix__id">{esc(m.id)}</code></td>'
        f"<td{attrs(data_key=status_rank)}>{status_badge(m.status)}</td>"
        f"<td{attrs(data_key=m.go.package if m.go else '')}>{pkg}</td>"
        f'<td class="agno-matrix__num"{attrs(data_key=cov_key)}>{cov}</td>'
        f"<td{attrs(data_key=parity_key)}>{parity}</td>"
        f"<td{attrs(data_key=note_text)}>{notes}</td></tr>"
    )


def table(data: Loaded, parity_url: str) -> str:
    m = data.matrix
    titles = {f.id: f.title for f in m.families}
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    head = "".join(
        f'<th scope="col"><button type="button" class="agno-matrix__sort"{attrs(data_sort=key)}>{esc(text)}'
        '<span class="agno-matrix__arrow" aria-hidden="true"></span></button></th>'
        for key, text in COLUMNS
    )
    body = "".join(row(mod, titles[mod.family], rank[mod.status], parity_url) for mod in ordered_modules(m))
    cols = "".join(f'<col class="agno-matrix__col--{key}">' for key, _ in COLUMNS)
    return (f'<div class="agno-matrix__table"><table class="agno-matrix-table" data-agno-matrix-table>'
            f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")


def interactive_matrix(data: Loaded, parity_url: str = PARITY_URL) -> str:
    """The whole matrix page block (stamp, coverage per family, legend, filters, count, table)."""
    m = data.matrix
    figures = family_figures(m)
    statuses = statuses_present(m)
    counts: dict[Status, int] = {}
    for mod in m.modules:
        counts[mod.status] = counts.get(mod.status, 0) + 1
    total = len(m.modules)
    count = (f'<p class="agno-matrix__count" aria-live="polite" data-agno-count>'
             f"<strong>{total}</strong> of {total} modules</p>")
    return (
        f'<div class="agno-matrix"{attrs(data_agno_matrix=True, data_total=total)}>'
        + provenance_stamp(data)
        + '<div class="agno-matrix__summary">' + coverage_grid(figures) + legend(statuses, counts) + "</div>"
        + controls(figures, statuses, counts)
        + count
        + '<noscript><p class="agno-matrix__muted">Filtering, search and sorting need JavaScript;'
        " the full table is below.</p></noscript>"
        + table(data, parity_url)
        + "</div>"
    )


MACROS: dict[str, MacroFn] = {"interactive_matrix": interactive_matrix}

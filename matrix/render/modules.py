"""One page per module (``/modules/<family>/<name>/``): its status and the evidence behind it.

:func:`module_page_view` gathers everything a reader needs to judge one module, from the matrix
and the release history only (nothing is typed by hand):

* the status, what was measured for it in words (``4 of 8 functions ported; 1 stub``), and the note
  or the reason;
* the evidence: every unit with its state, the Python line and the Go line at the pinned commits
  (:func:`matrix.render.links.source_url`), the Go spelling where it differs, what gives a stub
  away, and the Go-only extras;
* how to import it on each side (the Go import path starts with the runtime's module path);
* since when it is in a release, and its status in every release of the history;
* parity fixtures and benchmarks that exercise it, where there are any;
* the recipes it blocks, and for a python-only module the In-Go modules of its family that can
  stand in (:func:`stand_ins`, ranked by the units they share);
* its tracking issue and a "report a problem with this data" link.

Nothing is rendered where there is nothing to say: no "no data" placeholders. Template:
``module_page.html.jinja`` (and the partials it includes); the theme's frame around it comes
from ``macros/frame.py``.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from ..i18n import catalogue
from ..model import (
    Benchmark,
    Family,
    Module,
    Provenance,
    Recipe,
    Status,
    SupportMatrix,
    Unit,
    UnitKind,
    UnitState,
)
from ..sources import Loaded
from . import links, lookup, views
from .figures import number, reading
from .templating import Templates
from .words import Words

#: Recipes listed by name on a module page (the count covers all of them).
RECIPES_SHOWN = 8
#: Stand-ins named on a module page, best first.
STAND_INS_SHOWN = 3
#: What each kind of unit is, for the sentence under a module's figure (English; the catalogue has
#: every language: ``units.meaning.<kind>``).
UNIT_MEANING: dict[UnitKind, str] = {k: catalogue().text(f"units.meaning.{k.value}", "en") for k in UnitKind}


# --- stand-ins ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class StandIn:
    """An In-Go module of the same family that covers part of what a python-only module does."""

    module: Module
    shared: tuple[str, ...]
    """Units of the python-only module that this one has ported, in the python-only module's order."""
    of: int
    """How many units the python-only module has."""
    kind: UnitKind


def _unit_names(m: Module) -> tuple[str, ...]:
    c = m.coverage
    if c is None:
        return ()
    return tuple(u.name for u in c.units) if c.units else (*c.missing, *c.stubs)


def _ported(m: Module) -> frozenset[str]:
    c = m.coverage
    if c is None:
        return frozenset()
    return frozenset(u.name for u in c.units if u.state is UnitState.PORTED)


class _Family(NamedTuple):
    """The modules that can stand in for another in one family and kind of unit: each with the units
    it has ported, in matrix order, and by unit name the positions of those that ported it."""

    modules: tuple[tuple[Module, frozenset[str]], ...]
    porting: dict[str, tuple[int, ...]]


def _candidates(matrix: SupportMatrix) -> dict[tuple[str, UnitKind], _Family]:
    """The modules that can stand in for another, by family and kind of unit (computed once per
    matrix: every python-only module looks here)."""
    found: dict[tuple[str, UnitKind], list[tuple[Module, frozenset[str]]]] = {}
    for m in matrix.modules:
        if m.status.in_go and m.coverage is not None:
            found.setdefault((m.family, m.coverage.kind), []).append((m, _ported(m)))
    out = {}
    for key, mods in found.items():
        porting: dict[str, list[int]] = {}
        for i, (_, ported) in enumerate(mods):
            for name in ported:
                porting.setdefault(name, []).append(i)
        out[key] = _Family(tuple(mods), {n: tuple(v) for n, v in porting.items()})
    return out


def stand_ins(matrix: SupportMatrix, module: Module) -> tuple[StandIn, ...]:
    """The modules that can stand in for a python-only ``module``: same family, in Go (fully or in
    part), ranked by how many of its units they have ported (then the fuller port, then the id).

    Only when the overlap says something: a candidate must have ported at least half of the
    module's units (measured the same way), so a toolkit that shares one function out of forty with
    another is not offered as its replacement. Empty for a module that is not python-only. Only the
    modules that ported one of its units are looked at (a family of thousands costs what its
    overlap costs).
    """
    if not module.status.python_only or module.coverage is None:
        return ()
    names = _unit_names(module)
    kind = module.coverage.kind
    if not names:
        return ()
    family = lookup.per_matrix(matrix, "stand_in_candidates", _candidates).get((module.family, kind))
    if family is None:
        return ()
    found = []
    for i in sorted({i for n in set(names) for i in family.porting.get(n, ())}):
        other, ported = family.modules[i]
        if other.id == module.id or other.coverage is None:
            continue
        shared = tuple(n for n in names if n in ported)
        if 2 * len(shared) >= len(names):
            rank = (-len(shared), -other.status.info.level, -other.coverage.ratio, other.id)
            found.append((rank, StandIn(other, shared, len(names), kind)))
    found.sort(key=lambda pair: pair[0])
    return tuple(s for _, s in found)


# --- imports --------------------------------------------------------------------------------------


def python_import(baseline: Provenance, module: Module) -> str | None:
    """``from agno.tools.calculator import CalculatorTools``: the module path from the baseline path
    (from the package named like the baseline, ``agno``), the symbols the module defines."""
    if module.python is None:
        return None
    parts = [p for p in module.python.path.split("/") if p]
    name = baseline.name.lower()
    start = next((i for i, p in enumerate(parts)
                  if p == name and (i + 1 == len(parts) or parts[i + 1] != name)), None)
    if start is None:
        return None
    mod = parts[start:]
    if mod[-1] == "__init__.py":
        mod = mod[:-1]
    elif mod[-1].endswith(".py"):
        mod[-1] = mod[-1][:-3]
    if not all(p.isidentifier() for p in mod):
        return None
    path = ".".join(mod)
    symbols = [s for s in module.python.symbols if s.isidentifier()]
    if not symbols:
        return f"import {path}"
    if len(symbols) <= 3:
        return f"from {path} import {', '.join(symbols)}"
    return f"from {path} import (\n    " + ",\n    ".join(symbols) + ",\n)"


@dataclasses.dataclass(frozen=True, slots=True)
class GoImport:
    path: str
    """The import path (``github.com/rexleimo/agno-go/pkg/agno/tools/calculator``)."""
    internal: bool
    """Under an ``internal/`` folder: importable only from inside the runtime's own module."""


def go_import(runtime: Provenance, package: str) -> GoImport | None:
    if not runtime.module:
        return None
    pkg = package.strip("/")
    path = f"{runtime.module}/{pkg}" if pkg and pkg != "." else runtime.module
    return GoImport(path, "internal" in pkg.split("/"))


# --- evidence -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class SourceLink:
    text: str
    """``calculator.py:28``"""
    path: str
    """The whole path (tooltip)."""
    url: str | None


def _link(side: Provenance, path: str, line: int | None) -> SourceLink:
    name = path.rsplit("/", 1)[-1]
    return SourceLink(f"{name}:{line}" if line else name, path, links.source_url(side, path, line))


@dataclasses.dataclass(frozen=True, slots=True)
class UnitRow:
    name: str
    state: UnitState
    python: SourceLink | None
    go: SourceLink | None
    go_name: str | None
    note: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class PackageLink:
    package: str
    url: str | None
    go_import: GoImport | None


# --- history, parity, benchmarks, recipes ---------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class HistoryRow:
    release: views.Side
    date: str | None
    """The release's date (ISO), when the history records it."""
    status: Status
    measured: str
    baseline: views.Side
    """The baseline that release was measured against."""


@dataclasses.dataclass(frozen=True, slots=True)
class FixtureRow:
    fixture: str
    status: str
    href: str
    first_diff: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class BenchRow:
    name: str
    figures: tuple[str, ...]
    """``ns/op: Go 1,234 vs Python 5,678 (Go 4.6x faster)``, one per metric measured in Go."""


@dataclasses.dataclass(frozen=True, slots=True)
class RecipeLink:
    path: str
    title: str
    url: str | None
    alone: bool
    """The module is its only blocker (porting it makes the recipe run in Go, features permitting)."""


# --- the page -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class ModulePage:
    module: Module
    family: Family
    family_page: str
    """The family page's address from this page (``../../../families/tools/``)."""
    stamp: views.ProvenanceView
    measured: str
    """``4 of 8 functions ported, 1 stub`` (empty when nothing was measured)."""
    meaning: str | None
    """What the units are (``the functions the toolkit registers...``)."""
    python_path: SourceLink | None
    python_import: str | None
    go_packages: tuple[PackageLink, ...]
    """The Go package first, then the further packages the module's units were measured in."""
    units: tuple[UnitRow, ...]
    stubs: tuple[UnitRow, ...]
    extra: tuple[str, ...]
    """Go units with no baseline counterpart."""
    history: tuple[HistoryRow, ...]
    history_baselines: int
    """How many different baselines the history rows were measured against."""
    parity: views.ParityView | None
    fixtures: tuple[FixtureRow, ...]
    benchmarks: tuple[BenchRow, ...]
    blocks: int
    recipes: tuple[RecipeLink, ...]
    stand_ins: tuple[StandIn, ...]
    stand_in_hrefs: tuple[str, ...]
    tracking_url: str | None
    report_url: str | None
    search_boost: float
    words: Words = dataclasses.field(default_factory=Words, compare=False, repr=False)

    @property
    def kind_words(self) -> str:
        c = self.module.coverage
        w = self.words
        return w.text(f"units.plural.{c.kind.value}") if c is not None else w.text("units.any")

    @property
    def kind_word(self) -> str:
        c = self.module.coverage
        return self.words.text(f"units.one.{c.kind.value}") if c is not None else self.words.text("units.any")

    @property
    def go_package_name(self) -> str | None:
        """The Go package's name as code refers to it (the last folder: ``chromadb``)."""
        go = self.module.go
        return go.package.rstrip("/").rsplit("/", 1)[-1] if go is not None and go.package else None

    @property
    def search_tags(self) -> tuple[str, ...]:
        """What search should match this page by, besides its text: id, title, Go package name."""
        out: dict[str, str] = {}
        for tag in (self.module.id, self.module.title, self.go_package_name):
            if tag:
                out.setdefault(tag.lower(), tag)
        return tuple(out.values())

    @property
    def python_module(self) -> str | None:
        """The Python module the import line imports from (``agno.tools.calculator``)."""
        line = self.python_import
        if line is None:
            return None
        return line.split()[1]


def _history(history: Sequence[SupportMatrix], module_id: str, w: Words) -> tuple[HistoryRow, ...]:
    rows = []
    for snap in history:
        m = lookup.modules(snap).get(module_id)
        if m is None:
            continue
        date = snap.runtime.date.date().isoformat() if snap.runtime.date is not None else None
        rows.append(HistoryRow(views.side(snap.runtime), date, m.status, views.measured(m, w),
                               views.side(snap.baseline)))
    return tuple(reversed(rows))


def _fixtures(matrix: SupportMatrix, module: Module) -> tuple[FixtureRow, ...]:
    parity = links.page_href("parity/")
    out = []
    for r in matrix.parity:
        if module.id in r.modules:
            first = r.diffs[0].path if r.diffs else None
            href = f"{parity}#{views.parity_anchor(r.fixture)}"
            out.append(FixtureRow(r.fixture, r.status.value, href, first))
    return tuple(out)


def _bench_figures(b: Benchmark, w: Words) -> tuple[str, ...]:
    if b.go is None:
        return ()
    out = []
    for unit, value in b.go.metrics.items():
        text = f"{unit}: Go {number(value)}"
        if b.python is not None and unit in b.python.metrics:
            text += w.text("module.vs_python", value=number(b.python.metrics[unit]))
        if unit in b.ratios:
            text += f" ({reading(unit, b.ratios[unit], w)})"
        out.append(text)
    return tuple(out)


def _benchmarks(matrix: SupportMatrix, module: Module, w: Words) -> tuple[BenchRow, ...]:
    """Benchmarks whose Go package (``pkg:`` in ``go test`` output) is one of the module's."""
    if module.go is None or not matrix.runtime.module:
        return ()
    mine = {f"{matrix.runtime.module}/{p.strip('/')}" for p in (module.go.package, *module.go.also)}
    return tuple(BenchRow(b.name, _bench_figures(b, w)) for b in matrix.benchmarks
                 if b.go is not None and b.go.env is not None and b.go.env.pkg in mine)


def _blocked_by(matrix: SupportMatrix) -> dict[str, list[Recipe]]:
    out: dict[str, list[Recipe]] = {}
    for r in matrix.recipes:
        for mid in r.blocked_by:
            out.setdefault(mid, []).append(r)
    return out


def _uses(matrix: SupportMatrix) -> Counter[str]:
    out: Counter[str] = Counter()
    for r in matrix.recipes:
        out.update(r.modules)
    return out


def search_boost(matrix: SupportMatrix, module: Module) -> float:
    """The page's weight in site search: ``3 + log10(1 + recipes that use the module)``.

    Material's search adds a trailing wildcard to every term, and a rare longer word outweighs a
    common exact one (``agent`` finds ``AgentQL`` before ``Agent``). Among module pages that match
    alike, the module more of the cookbook uses comes first: ``core.agent`` (used by most recipes)
    gets about 6.2, a toolkit used by two recipes about 3.5.
    """
    uses = lookup.per_matrix(matrix, "uses", _uses)[module.id]
    return round(3 + math.log10(1 + uses), 1)


def _recipes(matrix: SupportMatrix, module: Module) -> tuple[int, tuple[RecipeLink, ...]]:
    blocked = list(lookup.per_matrix(matrix, "blocked_by", _blocked_by).get(module.id, ()))
    blocked.sort(key=lambda r: (len(r.blocked_by) + len(r.blocked_by_features) + len(r.unmapped), r.path))
    shown = tuple(
        RecipeLink(r.path, r.title, links.source_url(matrix.baseline, r.path),
                   r.blocked_by == (module.id,) and not r.blocked_by_features and not r.unmapped)
        for r in blocked[:RECIPES_SHOWN]
    )
    return len(blocked), shown


def _unit_row(matrix: SupportMatrix, u: Unit) -> UnitRow:
    py = _link(matrix.baseline, u.python.path, u.python.line) if u.python is not None else None
    go = _link(matrix.runtime, u.go.path, u.go.line) if u.go is not None else None
    return UnitRow(u.name, u.state, py, go, u.go_name, u.note)


def module_page_view(data: Loaded, module: Module, report: str | None = None,
                     words: Words | None = None) -> ModulePage:
    """Everything the module's page shows, with links relative to the module page."""
    w = words or Words()
    m = data.matrix
    family = lookup.family(m, module.family)
    dirs = links.here().directory_urls
    with links.at(links.module_url(module.id, directory_urls=dirs), directory_urls=dirs):
        c = module.coverage
        units = tuple(_unit_row(m, u) for u in c.units) if c is not None else ()
        packages: tuple[PackageLink, ...] = ()
        if module.go is not None:
            packages = tuple(PackageLink(p, links.source_url(m.runtime, p), go_import(m.runtime, p))
                             for p in (module.go.package, *module.go.also))
        history = _history(data.site.history, module.id, w)
        blocks, recipes = _recipes(m, module)
        standing = stand_ins(m, module)[:STAND_INS_SHOWN]
        parity = views.parity(module.parity, links.page_href("parity/"), w)
        return ModulePage(
            module=module, family=family,
            family_page=links.page_href(f"families/{family.id}/" if dirs else f"families/{family.id}.html"),
            stamp=views.provenance(m),
            measured=views.measured(module, w),
            meaning=w.text(f"units.meaning.{c.kind.value}") if c is not None else None,
            python_path=_link(m.baseline, module.python.path, None) if module.python is not None else None,
            python_import=python_import(m.baseline, module),
            go_packages=packages,
            units=units,
            stubs=tuple(r for r in units if r.state is UnitState.STUB),
            extra=c.extra if c is not None else (),
            history=history,
            history_baselines=len({(r.baseline.name, r.baseline.commit) for r in history}),
            parity=parity if parity.state != "none" else None,
            fixtures=_fixtures(m, module),
            benchmarks=_benchmarks(m, module, w),
            blocks=blocks,
            recipes=recipes,
            stand_ins=standing,
            stand_in_hrefs=tuple(links.module_href(s.module) for s in standing),
            tracking_url=lookup.web_url(module.tracking),
            report_url=links.report_url(report, module, m.runtime),
            search_boost=search_boost(m, module),
            words=w,
        )


#: The sections after a module page's opening, in page order: (name, anchor, heading's message key).
#: Each is shown only where there is something to say (:func:`sections`); its body is the template
#: ``module_<name>.html.jinja``. The page frame's table of contents lists every one of them
#: (:func:`module_frame`), and each page keeps the entries of the sections it shows.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("imports", "import", "module.h_import"),
    ("evidence", "evidence", "module.h_evidence"),
    ("stand_ins", "stand-ins", "module.h_stand_ins"),
    ("recipes", "recipes", "module.h_recipes"),
    ("checks", "parity", "module.h_parity"),
    ("history", "history", "module.h_history"),
)

#: Where the page frame of every module page is generated (under docs/): an ordinary page of the site,
#: at the depth of a module page, that the theme renders once per edition (``macros/frame.py``).
SHELL_ID = "_agno_shell._page"
#: The frame page's title (a placeholder the site replaces by each module's title).
SHELL_TITLE = "AGNOSHELLTITLE"


def sections(view: ModulePage) -> tuple[tuple[str, str, str], ...]:
    """The sections the module's page shows, in page order."""
    shown = {
        "imports": bool(view.python_import or view.go_packages),
        "evidence": bool(view.units or view.extra),
        "stand_ins": bool(view.stand_ins),
        "recipes": bool(view.blocks),
        "checks": bool(view.parity or view.fixtures or view.benchmarks),
        "history": bool(view.history),
    }
    return tuple(s for s in SECTIONS if shown[s[0]])


_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_JOIN = re.compile(r"[-\s]+")


def slug(title: str, taken: Sequence[str] = ()) -> str:
    """The id Python-Markdown's ``toc`` extension gives a heading titled ``title`` (its default
    ``slugify``: ASCII, lower case, dashes), made unique against ``taken`` as it does (``_1``...)."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    base = _SLUG_JOIN.sub("-", _SLUG_DROP.sub("", text).strip().lower())
    out, n = base, 0
    while not out or out in taken:
        n += 1
        out = f"{base}_{n}"
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class Rendered:
    """A module's page as the site publishes it: the article's HTML and what the frame around it needs."""

    url: str
    """The page's URL relative to the site root (``modules/tools/calculator/``)."""
    title: str
    anchor: str
    """The H1's id (the theme's "skip to content" link points at it)."""
    sections: tuple[str, ...]
    """The anchors of the sections shown, in page order (the table of contents keeps these)."""
    indexed: str
    """The HTML that search indexes: the title and the opening (every later section is excluded from
    search; only the opening names the module)."""
    html: str
    """The article's HTML."""
    tags: tuple[str, ...]
    boost: float


def module_page(t: Templates, data: Loaded, module: Module, report: str | None = None) -> Rendered:
    """The module's page: its article rendered as HTML (no Markdown pass), with what the frame needs."""
    view = module_page_view(data, module, report, t.words)
    shown = sections(view)
    anchors = tuple(anchor for _, anchor, _ in shown)
    anchor = slug(module.title, anchors)
    opening = t.render("module_page.html.jinja", page=view, sections=shown, anchor=anchor, opening_only=True)
    html = str(t.render("module_page.html.jinja", page=view, sections=shown, anchor=anchor, opening=opening,
                        opening_only=False))
    dirs = links.here().directory_urls
    return Rendered(links.module_url(module.id, directory_urls=dirs), module.title, anchor, anchors,
                    str(opening), html, view.search_tags, view.search_boost)


def module_frame(t: Templates) -> str:
    """The Markdown of the module pages' frame (``SHELL_ID``'s page): a page the theme renders once
    per edition, every module page being cut from it (``macros/frame.py``)."""
    return str(t.render("module_shell.md.jinja", title=SHELL_TITLE, sections=SECTIONS)) + "\n"


__all__ = ["SECTIONS", "SHELL_ID", "SHELL_TITLE", "UNIT_MEANING", "ModulePage", "Rendered",
           "StandIn", "go_import", "module_frame", "module_page", "module_page_view", "python_import",
           "search_boost", "sections", "slug", "stand_ins"]

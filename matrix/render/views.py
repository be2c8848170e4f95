"""View objects shared by several components: provenance, parity evidence, coverage.

A view is plain data, built here by code that holds the logic (what to say, what to link);
the templates under ``templates/`` only lay it out. Each view has one builder, so a fact reads
the same on every page (one provenance text, one parity text).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from ..i18n import catalogue
from ..model import Module, ParitySummary, Provenance, Status, SupportMatrix, UnitKind
from . import links, lookup
from .figures import percent
from .words import Words

#: Where the Parity page is, relative to a page one level down (``matrix/``), with directory URLs.
PARITY_HREF = "../parity/"


@dataclasses.dataclass(frozen=True, slots=True)
class Side:
    """One side of the comparison (baseline or runtime) as the stamp names it."""

    name: str
    version: str | None
    commit: str | None

    @property
    def short(self) -> str:
        return (self.commit or "")[:12]

    @property
    def label(self) -> str:
        """``agno-go 1.2.9`` (or the short commit, or ``unversioned``): a release heading."""
        return f"{self.name} {self.version or self.short or 'unversioned'}"


def side(p: Provenance) -> Side:
    return Side(p.name, p.version, p.commit)


@dataclasses.dataclass(frozen=True, slots=True)
class ProvenanceView:
    """What a page describes, in words: both sides, how the matrix was made, and when."""

    baseline: Side
    runtime: Side
    source: str
    """``scan``, ``api`` or ``snapshot`` (the contract's source kind)."""
    url: str | None
    """The control plane's address (``api``) or the snapshot's (``snapshot``), shown as text."""
    trees: tuple[tuple[str, str], ...]
    """Scanned trees named by something other than their commit (a path): ``(role, path)``."""
    generated: str
    """``2026-12-02 05:49 UTC``."""
    generated_iso: str
    """The same, as an ISO timestamp (``datetime`` attribute)."""
    baseline_url: str | None
    """The baseline's tree at its commit, when that can be a safe link."""
    runtime_url: str | None


def provenance(matrix: SupportMatrix) -> ProvenanceView:
    """Where the matrix comes from (the same for every page that shows it: computed once per matrix)."""
    return lookup.per_matrix(matrix, "provenance", _provenance)


def _provenance(matrix: SupportMatrix) -> ProvenanceView:
    s = matrix.source
    commits = {matrix.baseline.commit, matrix.runtime.commit}
    trees = tuple((role, ref) for role, ref in sorted(s.trees.items()) if ref not in commits)
    when = matrix.generated_at
    generated = when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.utcoffset() is not None and
                                                     not when.utcoffset() else when.strftime(" %z"))
    return ProvenanceView(side(matrix.baseline), side(matrix.runtime), s.kind.value, s.url, trees,
                          generated.strip(), when.isoformat(timespec="seconds"),
                          links.tree_url(matrix.baseline), links.tree_url(matrix.runtime))


def parity_anchor(fixture: str) -> str:
    """The stable HTML id of a fixture's section on the Parity page."""
    slug = re.sub(r"[^a-z0-9]+", "-", fixture.lower()).strip("-")[:48] or "fixture"
    digest = hashlib.sha1(fixture.encode()).hexdigest()[:6]
    return f"parity-{slug}-{digest}"


@dataclasses.dataclass(frozen=True, slots=True)
class ParityView:
    """The parity evidence of one module (or recipe): the words, a tooltip, where it links."""

    state: Literal["none", "pass", "fail"]
    words: str
    title: str
    href: str | None
    """The fixture's section on the Parity page (the failing one first), when a base was given."""


def parity(p: ParitySummary | None, href_base: str | None = None, words: Words | None = None) -> ParityView:
    """``parity 2/2 pass``, ``parity: 1 of 3 failing`` or ``no parity run``: the one parity text
    (``words``: the language's, English by default)."""
    w = words or Words()
    ran = 0 if p is None else p.passed + p.failed + p.errored
    if p is None or ran == 0:
        return ParityView("none", w.text("parity.view.none"), w.text("parity.view.none_title"), None)
    bad = p.failed + p.errored
    if bad == 0:
        target = p.fixtures[0] if p.fixtures else None
        title = (w.text("parity.view.pass_title", fixtures=", ".join(p.fixtures)) if p.fixtures
                 else w.text("parity.view.pass_title_plain"))
        state: Literal["pass", "fail"] = "pass"
        said = w.text("parity.view.pass", ran=ran)
    else:
        first = (p.first_failure or "").split(":", 1)[0]
        target = first if first in p.fixtures else (p.fixtures[0] if p.fixtures else None)
        title = (w.text("parity.view.fail_title", first=p.first_failure) if p.first_failure
                 else w.text("parity.view.fail_title_plain"))
        state, said = "fail", w.text("parity.view.fail", bad=bad, ran=ran)
    href = f"{href_base}#{parity_anchor(target)}" if href_base is not None and target is not None else None
    return ParityView(state, said, title, href)


#: What a module's units are, in words (plural), as the scan's notes name them (English; the
#: catalogue has them in every language: ``units.plural.<kind>``, ``units.one.<kind>``).
UNIT_WORDS: dict[UnitKind, str] = {k: catalogue().text(f"units.plural.{k.value}", "en") for k in UnitKind}
#: The same, for one unit.
UNIT_WORD: dict[UnitKind, str] = {k: catalogue().text(f"units.one.{k.value}", "en") for k in UnitKind}


def units(n: int, kind: UnitKind, words: Words | None = None) -> str:
    """``1 function``, ``3 capability groups``."""
    return (words or Words()).text(f"units.n.{kind.value}", n=n)


def measured(module: Module, words: Words | None = None) -> str:
    """What was measured for ``module``, in words: ``4 of 8 functions ported, 1 stub`` (empty when
    nothing was: a Go-only module, or one whose units could not be read)."""
    c = module.coverage
    if c is None:
        return ""
    w = words or Words()
    said = w.text("units.measured", ported=c.ported, units=units(c.total, c.kind, w))
    if c.stubs:
        said += w.text("units.stubs", n=len(c.stubs))
    return said


@dataclasses.dataclass(frozen=True, slots=True)
class Units:
    """What was measured over a set of modules, counted in units (never in folders)."""

    ported: int
    total: int
    stubs: int
    """Go counterparts that are stubs (counted as nothing)."""
    measured: int
    """Modules with measured units."""
    modules: int
    """Baseline modules (Go-only ones excluded)."""
    full: int
    """Modules whose every measured unit is ported (In Go): the only ones that "run in Go"."""
    part: int
    """Modules with some units ported (Partial)."""
    kinds: tuple[str, ...]
    """What the units are, in words (``functions``, ``capabilities``), most common first."""
    words: Words = dataclasses.field(default_factory=Words, compare=False, repr=False)

    @property
    def percent(self) -> int:
        return percent(self.ported, self.total)

    @property
    def kind_words(self) -> str:
        """``functions and capabilities``; ``units`` when there are more than two kinds."""
        if len(self.kinds) == 1:
            return self.kinds[0]
        w = self.words
        return w.text("list.and").join(self.kinds) if len(self.kinds) == 2 else w.text("units.any")


def unit_counts(modules: Sequence[Module], words: Words | None = None) -> Units:
    """What was measured over ``modules``, counted in units."""
    w = words or Words()
    measured = [m.coverage for m in modules if m.coverage is not None]
    kinds = Counter(c.kind for c in measured)
    return Units(
        ported=sum(c.ported for c in measured), total=sum(c.total for c in measured),
        stubs=sum(len(c.stubs) for c in measured), measured=len(measured),
        modules=sum(1 for m in modules if m.status is not Status.GO_ONLY),
        full=sum(1 for m in modules if m.status is Status.MIGRATED),
        part=sum(1 for m in modules if m.status is Status.PARTIAL),
        kinds=tuple(w.text(f"units.plural.{k.value}") for k, _ in kinds.most_common()), words=w,
    )

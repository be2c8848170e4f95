"""What's new in Go: what changed from one runtime release to the next, Go changes apart from baseline ones.

The sources load one snapshot per runtime release (``Loaded.site.history``, oldest first), each
measured against a baseline (``SupportMatrix.baseline``). ``matrix.diff.diff`` turns each
consecutive pair into typed change records; this module sorts every record by the side that
changed (:func:`side`):

* **Go**: the runtime gained or lost something (a unit ported, a capability, a status promoted
  because more units are ported, parity, benchmarks, a new Go-only module);
* **baseline**: the Python side moved (a unit added to the baseline, a module new in the
  baseline, a status that dropped only because the baseline grew around the same Go code);
* **bookkeeping**: provenance, notes and paths, which say nothing about either side.

Each release shows its date (when the history records it), the baseline it was measured against
(one sentence for the page when every release shares it), status changes as badges linking to the
module pages, then the other Go changes, then the baseline changes, folded. Templates:
``whats_new``, ``release_changes``, ``code``.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
from collections.abc import Sequence

from markupsafe import Markup

from ..diff import Change, ChangeKind, diff
from ..model import Module, Status, SupportMatrix
from ..sources import Loaded
from . import links, lookup, views
from .registry import Macro
from .templating import Templates, markup

#: Groups longer than this fold into a <details> element.
FOLD_CHANGES = 12


class Side(enum.StrEnum):
    """Which side of the comparison a change comes from."""

    GO = "go"
    BASELINE = "baseline"
    BOOKKEEPING = "bookkeeping"
    """Provenance, notes, paths: neither side's capabilities moved."""
    EITHER = "either"
    """Decided per module: a status or module change goes to Go when the module's Go side moved."""


_K = ChangeKind
#: The side of each kind of change (a test keeps it complete).
SIDES: dict[ChangeKind, Side] = {
    **dict.fromkeys((
        _K.CAPABILITY_LOST, _K.UNIT_LOST, _K.PARITY_REGRESSED, _K.FIXTURE_FAILING, _K.BENCHMARK_REGRESSED,
        _K.CAPABILITY_GAINED, _K.UNIT_PORTED, _K.PARITY_IMPROVED, _K.FIXTURE_PASSING, _K.BENCHMARK_IMPROVED,
        _K.UNIT_STATE, _K.GO_ONLY_UNIT, _K.CAPABILITY_EVIDENCE, _K.PARITY_CHANGED, _K.FIXTURE_ADDED,
        _K.FIXTURE_REMOVED, _K.FIXTURE_CHANGED, _K.BENCHMARK_ADDED, _K.BENCHMARK_REMOVED,
        _K.BENCHMARK_CHANGED, _K.GO_REF_CHANGED, _K.COVERAGE_DROPPED, _K.COVERAGE_IMPROVED,
    ), Side.GO),
    **dict.fromkeys((
        _K.UNIT_ADDED, _K.UNIT_REMOVED, _K.BASELINE_CAPABILITY, _K.PYTHON_REF_CHANGED, _K.COVERAGE_CHANGED,
        _K.TITLE_CHANGED, _K.RECIPE_ADDED, _K.RECIPE_REMOVED, _K.RECIPE_CHANGED, _K.FAMILY_ADDED,
        _K.FAMILY_REMOVED, _K.FAMILY_CHANGED, _K.UNIT_KIND, _K.REASON_CHANGED,
    ), Side.BASELINE),
    **dict.fromkeys((
        _K.BASELINE_CHANGED, _K.RUNTIME_CHANGED, _K.SOURCE_CHANGED, _K.NOTES_CHANGED, _K.TRACKING_CHANGED,
        _K.SINCE_CHANGED, _K.UNIT_EVIDENCE, _K.DIAGNOSTIC_ADDED, _K.DIAGNOSTIC_RESOLVED, _K.OTHER,
    ), Side.BOOKKEEPING),
    **dict.fromkeys((
        _K.STATUS_PROMOTED, _K.STATUS_DEMOTED, _K.STATUS_CHANGED, _K.MODULE_ADDED, _K.MODULE_REMOVED,
        _K.RECIPE_BLOCKED, _K.RECIPE_UNBLOCKED, _K.RECIPE_BLOCKER_ADDED, _K.RECIPE_BLOCKER_REMOVED,
    ), Side.EITHER),
}
_RECIPE_READINESS = frozenset({_K.RECIPE_BLOCKED, _K.RECIPE_UNBLOCKED, _K.RECIPE_BLOCKER_ADDED,
                               _K.RECIPE_BLOCKER_REMOVED})


def _go_moved(old: Module | None, new: Module | None) -> bool:
    """Whether the module's Go side changed: its Go code appeared or went, or its ported units moved."""
    if old is None or new is None:
        module = new or old
        return module is not None and module.status is Status.GO_ONLY
    if (old.go is None) != (new.go is None):
        return True
    ported = (old.coverage.ported if old.coverage else None, new.coverage.ported if new.coverage else None)
    if ported[0] != ported[1]:
        return True
    go_caps = ({c.name for c in old.capabilities if c.go}, {c.name for c in new.capabilities if c.go})
    return go_caps[0] != go_caps[1]


def side(change: Change, old: SupportMatrix, new: SupportMatrix) -> Side:
    """The side ``change`` comes from (never ``EITHER``): a status or module change is Go's when the
    module's Go side moved (:func:`_go_moved`), the baseline's otherwise (Gmail going from In Go to
    Partial because the Python toolkit gained functions is baseline news)."""
    found = SIDES[change.kind]
    if found is not Side.EITHER:
        return found
    if change.kind in _RECIPE_READINESS:
        # Go's news when the recipe uses the same modules and features as before (so what moved is
        # whether Go has them); the baseline's when the recipe itself changed.
        a = lookup.per_matrix(old, "recipes", lambda m: {r.path: r for r in m.recipes}).get(change.subject)
        b = lookup.per_matrix(new, "recipes", lambda m: {r.path: r for r in m.recipes}).get(change.subject)
        same = a is not None and b is not None and (a.modules, a.features) == (b.modules, b.features)
        return Side.GO if same else Side.BASELINE
    before = lookup.modules(old).get(change.subject)
    after = lookup.modules(new).get(change.subject)
    return Side.GO if _go_moved(before, after) else Side.BASELINE


@dataclasses.dataclass(frozen=True, slots=True)
class StatusMove:
    """A module whose status changed: its page, and the two statuses as badges."""

    module: Module
    href: str
    old: Status | None
    """None: new in the matrix."""
    new: Status | None
    """None: no longer in the matrix."""
    detail: Markup
    """The change's own sentence (what gave the new status)."""


@dataclasses.dataclass(frozen=True, slots=True)
class ChangeGroup:
    heading: str
    items: tuple[Markup, ...]
    """Each change's sentence, its values set as code and its free text escaped."""
    folded: bool


@dataclasses.dataclass(frozen=True, slots=True)
class Release:
    old: views.Side
    new: views.Side
    date: str | None
    """The release date (ISO), when the history records it."""
    old_date: str | None
    baseline: views.Side
    old_baseline: views.Side
    go_moves: tuple[StatusMove, ...]
    go: tuple[ChangeGroup, ...]
    baseline_moves: tuple[StatusMove, ...]
    baseline_changes: tuple[ChangeGroup, ...]

    @property
    def same_baseline(self) -> bool:
        b, o = self.baseline, self.old_baseline
        return (b.name, b.version, b.commit) == (o.name, o.version, o.commit)

    @property
    def baseline_count(self) -> int:
        """How many changes came from the baseline."""
        return len(self.baseline_moves) + sum(len(g.items) for g in self.baseline_changes)

    @property
    def empty(self) -> bool:
        return not (self.go_moves or self.go or self.baseline_moves or self.baseline_changes)


def sentence(t: Templates, change: Change) -> Markup:
    """A change's sentence; every value in it went through the ``code`` template or the escaping.

    ``Change.explain`` builds the sentence from its own words and the pieces it is given; the
    pieces from data are already safe markup, so the sentence is too.
    """
    return Markup(change.explain(code=lambda v: t.render("code.html.jinja", value=v), text=markup))


def groups(t: Templates, changes: Sequence[Change]) -> tuple[ChangeGroup, ...]:
    by_heading: dict[str, list[Markup]] = {}
    for c in changes:
        by_heading.setdefault(c.kind.heading, []).append(sentence(t, c))
    return tuple(ChangeGroup(h, tuple(items), len(items) > FOLD_CHANGES) for h, items in by_heading.items())


_STATUS_KINDS = frozenset({_K.STATUS_PROMOTED, _K.STATUS_DEMOTED, _K.STATUS_CHANGED, _K.MODULE_ADDED,
                           _K.MODULE_REMOVED})


def _moves(t: Templates, changes: Sequence[Change], old: SupportMatrix, new: SupportMatrix
           ) -> tuple[StatusMove, ...]:
    out = []
    for c in changes:
        before = lookup.modules(old).get(c.subject)
        after = lookup.modules(new).get(c.subject)
        module = after or before
        if module is None:
            continue
        out.append(StatusMove(module, links.module_href(module), before.status if before else None,
                              after.status if after else None, sentence(t, c)))
    return tuple(out)


def _changes(old: SupportMatrix, new: SupportMatrix) -> tuple[Change, ...]:
    """``diff(old, new)``, computed once per pair of matrix objects (every edition of a build shows
    the same history): kept with ``new`` by ``id(old)``, ``old`` beside them so its id cannot be reused."""
    since: dict[int, tuple[SupportMatrix, tuple[Change, ...]]]
    since = lookup.per_matrix(new, "changes", lambda _: {})
    hit = since.get(id(old))
    if hit is None or hit[0] is not old:
        hit = since[id(old)] = (old, tuple(diff(old, new)))
    return hit[1]


def release(t: Templates, old: SupportMatrix, new: SupportMatrix) -> Release:
    """What changed from ``old`` to ``new``, by side."""
    by_side: dict[Side, list[Change]] = {Side.GO: [], Side.BASELINE: [], Side.BOOKKEEPING: []}
    for c in _changes(old, new):
        by_side[side(c, old, new)].append(c)

    def split(changes: list[Change]) -> tuple[tuple[StatusMove, ...], tuple[ChangeGroup, ...]]:
        moves = [c for c in changes if c.kind in _STATUS_KINDS]
        rest = [c for c in changes if c.kind not in _STATUS_KINDS]
        return _moves(t, moves, old, new), groups(t, rest)

    go_moves, go = split(by_side[Side.GO])
    base_moves, base = split(by_side[Side.BASELINE])

    def date(m: SupportMatrix) -> str | None:
        return m.runtime.date.date().isoformat() if m.runtime.date is not None else None

    return Release(views.side(old.runtime), views.side(new.runtime), date(new), date(old),
                   views.side(new.baseline), views.side(old.baseline), go_moves, go, base_moves, base)


def releases(t: Templates, history: Sequence[SupportMatrix]) -> list[Release]:
    """One release per consecutive pair, newest first."""
    return [release(t, old, new) for old, new in reversed(list(itertools.pairwise(history)))]


@dataclasses.dataclass(frozen=True, slots=True)
class WhatsNew:
    releases: tuple[Release, ...]
    have: int
    """How many snapshots the history holds."""
    baseline: views.Side | None
    """The baseline every release was measured against, when they all share one."""


def whats_new_view(t: Templates, history: Sequence[SupportMatrix]) -> WhatsNew:
    shared = {(m.baseline.name, m.baseline.version, m.baseline.commit) for m in history}
    baseline = views.side(history[0].baseline) if history and len(shared) == 1 else None
    return WhatsNew(tuple(releases(t, history)), len(history), baseline)


def whats_new(t: Templates, history: Sequence[SupportMatrix]) -> Markup:
    """One section per release, newest first, each against the release before it."""
    return t.render("whats_new.md.jinja", view=whats_new_view(t, history))


def _whats_new(t: Templates, data: Loaded) -> Markup:
    """The changes between consecutive runtime releases."""
    return whats_new(t, data.site.history)


MACROS: tuple[Macro, ...] = (Macro("whats_new", _whats_new),)

"""Summaries: the size of a change at a glance (per family and for the cookbook)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ..model import STATUS_ORDER, Status, SupportMatrix
from .records import Change, Words, joined, listing, say

# ---------------------------------------------------------------------------------------------
# Summaries: the size of a change at a glance.


@dataclasses.dataclass(frozen=True)
class FamilySummary:
    """One family before and after: units ported over units measured, modules per status."""

    family: str
    title: str
    units_before: tuple[int, int]
    """(ported, total) summed over the family's modules with coverage; (0, 0) when none is measured."""
    units_after: tuple[int, int]
    before: Mapping[Status, int]
    after: Mapping[Status, int]
    changes: int
    """How many change records concern the family's modules."""

    @property
    def changed(self) -> bool:
        return bool(self.changes) or self.units_before != self.units_after or self.before != self.after

    def words(self) -> Words:
        units = ("units not measured" if self.units_before == self.units_after == (0, 0)
                 else f"units ported {_pair(self.units_before, self.units_after)}")
        statuses = []
        for s in STATUS_ORDER:
            x, y = self.before.get(s, 0), self.after.get(s, 0)
            if x or y:
                statuses.append(say("{} " + (f"{x}" if x == y else f"{x} -> {y}"), s.label))
        n = f"{self.changes} change" + ("" if self.changes == 1 else "s")
        return say(f"family {{}} ({{}}): {units}; modules {{}}; {n}", self.family, self.title,
                   joined(statuses, ", ") or ("none",))


def _pair(a: tuple[int, int], b: tuple[int, int]) -> str:
    x, y = f"{a[0]}/{a[1]}", f"{b[0]}/{b[1]}"
    return f"{x} (unchanged)" if x == y else f"{x} -> {y}"


@dataclasses.dataclass(frozen=True)
class CookbookSummary:
    ready_before: int
    total_before: int
    ready_after: int
    total_after: int

    def words(self) -> Words:
        return (f"cookbook: recipes that run in Go "
                f"{_pair((self.ready_before, self.total_before), (self.ready_after, self.total_after))}",)


@dataclasses.dataclass(frozen=True)
class Summary:
    families: tuple[FamilySummary, ...]
    cookbook: CookbookSummary

    def lines(self) -> list[Words]:
        """One line per family with a change, one for the families without, one for the cookbook."""
        out = [f.words() for f in self.families if f.changed]
        quiet = [f.family for f in self.families if not f.changed]
        if quiet:
            out.append(say("no change in families {}", listing(quiet, limit=50)))
        out.append(self.cookbook.words())
        return out


def summarise(old: SupportMatrix, new: SupportMatrix, changes: Sequence[Change] = ()) -> Summary:
    """Per family (in the new matrix's order, then families only the old one had) and the cookbook."""
    titles = {f.id: f.title for f in old.families} | {f.id: f.title for f in new.families}
    order = [f.id for f in sorted(new.families, key=lambda f: f.order)]
    order += [f.id for f in sorted(old.families, key=lambda f: f.order) if f.id not in order]
    per_family: dict[str, int] = {}
    for c in changes:
        if c.family is not None:
            per_family[c.family] = per_family.get(c.family, 0) + 1

    def tally(m: SupportMatrix, fam: str) -> tuple[tuple[int, int], dict[Status, int]]:
        ported = total = 0
        statuses: dict[Status, int] = {}
        for mod in m.family_modules(fam):
            statuses[mod.status] = statuses.get(mod.status, 0) + 1
            if mod.coverage is not None:
                ported += mod.coverage.ported
                total += mod.coverage.total
        return (ported, total), statuses

    families = []
    for fam in order:
        ub, sb = tally(old, fam)
        ua, sa = tally(new, fam)
        families.append(FamilySummary(fam, titles[fam], ub, ua, sb, sa, per_family.get(fam, 0)))
    cookbook = CookbookSummary(sum(r.go_ready for r in old.recipes), len(old.recipes),
                               sum(r.go_ready for r in new.recipes), len(new.recipes))
    return Summary(tuple(families), cookbook)

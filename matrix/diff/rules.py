"""The rules: one function per part of the contract, each yielding the :class:`Change` records
for it; :data:`RULED` names the fields they read, and anything else that differs still yields an
``other-change`` record (:func:`_safety_net`)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence

import msgspec

from ..errors import location
from ..model import (
    Benchmark,
    BenchSide,
    Capability,
    Coverage,
    Diagnostic,
    Family,
    GoRef,
    Loc,
    Module,
    ParityResult,
    ParitySummary,
    Provenance,
    PythonRef,
    Recipe,
    Source,
    Status,
    SupportMatrix,
    Unit,
    UnitKind,
    UnitState,
)
from .records import (
    Change,
    ChangeKind,
    Direction,
    Words,
    describe_provenance,
    joined,
    listing,
    say,
    status_direction,
)

#: A benchmark ratio (Go / Python) that moves by at least this fraction is a regression or an
#: improvement (for ``*/op`` metrics, where lower is better); smaller moves are noise-level figures.
RATIO_MOVE = 0.10


# ---------------------------------------------------------------------------------------------
# The rules.


def diff(old: SupportMatrix, new: SupportMatrix) -> list[Change]:
    """Every change from ``old`` to ``new``: most important kind first, then by subject."""
    changes: list[Change] = []
    changes += _families(old.families, new.families)
    changes += _modules(old.modules, new.modules)
    changes += _recipes(old.recipes, new.recipes)
    changes += _parity_results(old.parity, new.parity)
    changes += _benchmarks(old.benchmarks, new.benchmarks)
    changes += _diagnostics(old.diagnostics, new.diagnostics)
    changes += _provenance("baseline", ChangeKind.BASELINE_CHANGED, old.baseline, new.baseline)
    changes += _provenance("runtime", ChangeKind.RUNTIME_CHANGED, old.runtime, new.runtime)
    changes += _source(old.source, new.source)
    changes.sort(key=lambda c: (c.kind.rank, c.subject, c.item or "", c.explain()))
    return changes


#: The fields each record type's rules read; the rest of a struct's fields (a field added to the
#: contract without a rule) are still reported, as ``other-change`` (a test keeps this complete).
RULED: dict[type[msgspec.Struct], frozenset[str]] = {
    Family: frozenset({"id", "title", "order"}),
    Module: frozenset({"id", "family", "title", "status", "python", "go", "coverage", "capabilities",
                       "parity", "reason", "notes", "tracking", "since"}),
    ParityResult: frozenset({"fixture", "status", "diffs", "metrics_match", "runtime", "ran_at", "modules",
                             "source"}),
    Benchmark: frozenset({"name", "python", "go", "ratios", "measured_at"}),
    Recipe: frozenset({"path", "title", "go_ready", "modules", "go_example", "blocked_by", "features",
                       "blocked_by_features", "unmapped", "local"}),
    Provenance: frozenset({"name", "version", "commit", "version_from", "repository", "module", "date"}),
    Source: frozenset({"kind", "url", "trees", "profile"}),
}


def _safety_net(found: list[Change], a: msgspec.Struct, b: msgspec.Struct, subject: str,
                family: str | None = None, ignore: Sequence[str] = ()) -> list[Change]:
    """``found``, plus one ``other-change`` record naming the fields that differ where no rule
    looked (a field outside :data:`RULED`), or where rules looked and said nothing."""
    ruled = RULED[type(a)]
    fields = [f for f in a.__struct_fields__ if f not in ignore and getattr(a, f) != getattr(b, f)
              and (f not in ruled or not found)]
    if not fields:
        return found
    return [*found, Change(ChangeKind.OTHER, subject, say("{} changed in {}", subject, listing(fields)),
                           family=family, item=fields[0])]


def _added_removed(before: Iterable[str], after: Iterable[str]) -> tuple[list[str], list[str]]:
    a, b = list(dict.fromkeys(before)), list(dict.fromkeys(after))
    sa, sb = set(a), set(b)
    return [x for x in b if x not in sa], [x for x in a if x not in sb]


def _moved(added: Sequence[str], removed: Sequence[str], what: str) -> Words:
    """``x, y added; z removed`` for a list field named ``what``."""
    parts: list[Words] = []
    if added:
        parts.append(say(f"{what} added: {{}}", listing(added)))
    if removed:
        parts.append(say(f"{what} removed: {{}}", listing(removed)))
    return joined(parts, "; ")


# -- families ----------------------------------------------------------------------------------


def _families(old: Sequence[Family], new: Sequence[Family]) -> Iterator[Change]:
    a, b = {f.id: f for f in old}, {f.id: f for f in new}
    for fid in a.keys() - b.keys():
        yield Change(ChangeKind.FAMILY_REMOVED, fid, say("family {} ({}) is no longer in the matrix", fid,
                                                             a[fid].title), family=fid)
    for fid in b.keys() - a.keys():
        yield Change(ChangeKind.FAMILY_ADDED, fid, say("family {} ({}) is new", fid, b[fid].title),
                     family=fid)
    for fid in a.keys() & b.keys():
        fa, fb, found = a[fid], b[fid], []
        if fa.title != fb.title:
            words = say("family {} is now titled {} (was {})", fid, fb.title, fa.title)
            found.append(Change(ChangeKind.FAMILY_CHANGED, fid, words, family=fid, item="title",
                                old=fa.title, new=fb.title))
        if fa.order != fb.order:
            found.append(Change(ChangeKind.FAMILY_CHANGED, fid, say("family {} moved from position {} to {}",
                                                                    fid, str(fa.order), str(fb.order)),
                                family=fid, item="order", old=str(fa.order), new=str(fb.order)))
        yield from _safety_net(found, fa, fb, fid, fid)


# -- modules -----------------------------------------------------------------------------------


def _modules(old: Sequence[Module], new: Sequence[Module]) -> Iterator[Change]:
    a, b = {m.id: m for m in old}, {m.id: m for m in new}
    for mid in a.keys() - b.keys():
        m = a[mid]
        yield Change(ChangeKind.MODULE_REMOVED, mid, say("{} is no longer in the matrix (it was {})", mid,
                                                         m.status.label), family=m.family, old=m.status.label)
    for mid in b.keys() - a.keys():
        m = b[mid]
        words = say("{} is new in the matrix, as {}", mid, m.status.label) + _status_detail(m)
        yield Change(ChangeKind.MODULE_ADDED, mid, words, family=m.family, new=m.status.label)
    for mid in a.keys() & b.keys():
        yield from _safety_net(list(_module(a[mid], b[mid])), a[mid], b[mid], mid, b[mid].family)


def _status_detail(m: Module) -> Words:
    if m.status is Status.PARTIAL and m.notes:
        return say(" ({})", m.notes)
    if m.status is Status.WONT_PORT and m.reason:
        return say(" ({})", m.reason)
    if m.status is Status.NOT_MIGRATED and m.go is not None and m.notes:
        return say(" ({})", m.notes)
    return ()


def _module(a: Module, b: Module) -> Iterator[Change]:
    mid, fam = b.id, b.family

    def change(kind: ChangeKind, words: Words, item: str | None = None, old: str | None = None,
               new: str | None = None) -> Change:
        return Change(kind, mid, words, family=fam, item=item, old=old, new=new)

    if a.status is not b.status:
        kind = {Direction.PROMOTED: ChangeKind.STATUS_PROMOTED, Direction.DEMOTED: ChangeKind.STATUS_DEMOTED,
                Direction.LATERAL: ChangeKind.STATUS_CHANGED}[status_direction(a.status, b.status)]
        words = say("{} went from {} to {}", mid, a.status.label, b.status.label) + _status_detail(b)
        yield change(kind, words, "status", a.status.label, b.status.label)
    if a.title != b.title:
        yield change(ChangeKind.TITLE_CHANGED, say("{} is now titled {} (was {})", mid, b.title, a.title),
                     "title", a.title, b.title)
    yield from (change(k, w, i) for k, w, i in _python_ref(mid, a.python, b.python))
    yield from (change(k, w, i) for k, w, i in _go_ref(mid, a.go, b.go))
    coverage = list(_coverage(mid, a.coverage, b.coverage))
    yield from (change(k, w, i, o, n) for k, w, i, o, n in coverage)
    yield from (change(k, w, i) for k, w, i in _capabilities(mid, a.capabilities, b.capabilities))
    yield from (change(k, w, "parity", o, n) for k, w, o, n in _parity_summary(mid, a.parity, b.parity))
    # Notes follow the status and the coverage ("missing 3 of 5 functions: ..."): a record for either
    # already shows the new notes or the names behind them.
    counts_moved = any(k in _COUNT_KINDS for k, *_ in coverage)
    if (a.notes or None) != (b.notes or None) and a.status is b.status and not counts_moved:
        yield change(ChangeKind.NOTES_CHANGED, say("{} notes changed from {} to {}", mid, a.notes, b.notes),
                     "notes", a.notes, b.notes)
    # A move to wont_port shows the new reason with the status.
    newly_wont_port = a.status is not b.status and b.status is Status.WONT_PORT
    if (a.reason or None) != (b.reason or None) and not newly_wont_port:
        yield change(ChangeKind.REASON_CHANGED,
                     say("{} reason not to port changed from {} to {}", mid, a.reason, b.reason),
                     "reason", a.reason, b.reason)
    if a.tracking != b.tracking:
        words = (say("{} is no longer tracked (was at {})", mid, a.tracking) if b.tracking is None
                 else say("{} is now tracked at {} (was {})", mid, b.tracking, a.tracking))
        yield change(ChangeKind.TRACKING_CHANGED, words, "tracking", a.tracking, b.tracking)
    if a.since != b.since:
        words = (say("{} no longer records since when it is in Go (was {})", mid, a.since) if b.since is None
                 else say("{} is now recorded in Go since {} (was {})", mid, b.since, a.since))
        yield change(ChangeKind.SINCE_CHANGED, words, "since", a.since, b.since)


_Rule3 = tuple[ChangeKind, Words, str]


def _python_ref(mid: str, a: PythonRef | None, b: PythonRef | None) -> Iterator[_Rule3]:
    k = ChangeKind.PYTHON_REF_CHANGED
    if a is None and b is not None:
        yield k, say("{} now has baseline code at {}", mid, b.path), "python"
    elif a is not None and b is None:
        yield k, say("{} no longer has baseline code (was at {})", mid, a.path), "python"
    elif a is not None and b is not None:
        if a.path != b.path:
            yield k, say("{} baseline code moved from {} to {}", mid, a.path, b.path), "python.path"
        if a.symbols != b.symbols:
            moved = _moved(*_added_removed(a.symbols, b.symbols), "symbols") or ("symbols reordered",)
            yield k, say("{} baseline {}", mid, moved), "python.symbols"


def _go_ref(mid: str, a: GoRef | None, b: GoRef | None) -> Iterator[_Rule3]:
    k = ChangeKind.GO_REF_CHANGED
    if a is None and b is not None:
        yield k, say("{} now has Go code at {}", mid, b.package), "go"
    elif a is not None and b is None:
        yield k, say("{} no longer has Go code (was at {})", mid, a.package), "go"
    elif a is not None and b is not None:
        if a.package != b.package:
            yield k, say("{} Go package moved from {} to {}", mid, a.package, b.package), "go.package"
        if a.symbols != b.symbols:
            moved = _moved(*_added_removed(a.symbols, b.symbols), "symbols") or ("symbols reordered",)
            yield k, say("{} Go {}", mid, moved), "go.symbols"
        if a.also != b.also:
            moved = (_moved(*_added_removed(a.also, b.also), "further Go packages")
                     or ("further Go packages reordered",))
            yield k, say("{} {}", mid, moved), "go.also"


# -- units and coverage -------------------------------------------------------------------------

_UNIT_NOUN = {UnitKind.FUNCTIONS: "function", UnitKind.CAPABILITIES: "capability",
              UnitKind.ENDPOINTS: "endpoint", UnitKind.GROUPS: "group", UnitKind.FIELDS: "field",
              UnitKind.SYMBOLS: "symbol"}
_COUNT_KINDS = frozenset({ChangeKind.COVERAGE_DROPPED, ChangeKind.COVERAGE_IMPROVED,
                          ChangeKind.COVERAGE_CHANGED})
_Rule5 = tuple[ChangeKind, Words, str, str | None, str | None]


def _coverage_text(c: Coverage | None) -> str:
    if c is None:
        return "not measured"
    return f"{c.ported}/{c.total}" if not c.total else f"{c.ported}/{c.total} ({c.ratio:.0%})"


def _coverage(mid: str, a: Coverage | None, b: Coverage | None) -> Iterator[_Rule5]:
    if a == b:
        return
    ref = b if b is not None else a
    noun = _UNIT_NOUN[ref.kind] if ref is not None else "unit"
    ta, tb = _coverage_text(a), _coverage_text(b)
    if a is None or b is None or (a.ported, a.total) != (b.ported, b.total):
        # Judged on what Go has: fewer ported units is a drop, more an improvement; a baseline that
        # grew or shrank around the same ported units moves the ratio but takes nothing from Go.
        if a is None or b is None or a.ported == b.ported:
            kind = ChangeKind.COVERAGE_CHANGED
        else:
            kind = ChangeKind.COVERAGE_IMPROVED if b.ported > a.ported else ChangeKind.COVERAGE_DROPPED
        words = say(f"{{}} {noun} coverage went from {{}} to {{}}", mid, ta, tb)
        if a is not None and b is not None and not (a.units and b.units and a.kind is b.kind):
            words += _names_detail(a, b)
        yield kind, words, "coverage", ta, tb
    if a is None or b is None:
        return
    if a.kind is not b.kind:
        yield (ChangeKind.UNIT_KIND, say("{} now measures {} (was {})", mid, b.kind.value, a.kind.value),
               "coverage.kind", a.kind.value, b.kind.value)
        return
    if a.units and b.units:
        yield from _units(mid, b.kind, a.units, b.units)
    elif (a.missing, a.stubs) != (b.missing, b.stubs) and (a.ported, a.total) == (b.ported, b.total):
        words = say("{} {}", mid, _names_detail(a, b, bare=True))
        yield ChangeKind.COVERAGE_CHANGED, words, "coverage", ta, tb
    elif bool(a.units) != bool(b.units):
        yield (ChangeKind.UNIT_EVIDENCE, say("{} {} evidence per unit is {}", mid, noun,
                                             "now listed" if b.units else "no longer listed"),
               "coverage.units", None, None)
    added, removed = _added_removed(a.extra, b.extra)
    for name in added:
        words = say(f"{{}}: Go adds {noun} {{}} (no baseline counterpart)", mid, name)
        yield ChangeKind.GO_ONLY_UNIT, words, name, None, name
    for name in removed:
        words = say(f"{{}}: Go no longer has {noun} {{}} (it had no baseline counterpart)", mid, name)
        yield ChangeKind.GO_ONLY_UNIT, words, name, name, None


def _names_detail(a: Coverage, b: Coverage, *, bare: bool = False) -> Words:
    """Without per-unit evidence on both sides: which names left or joined ``missing`` / ``stubs``."""
    parts: list[Words] = []
    for field, label in (("missing", "missing"), ("stubs", "stubs")):
        came, left = _added_removed(getattr(a, field), getattr(b, field))
        if left:
            parts.append(say(f"no longer {label}: {{}}", listing(left)))
        if came:
            parts.append(say(f"now {label}: {{}}", listing(came)))
    if not parts:
        return ()
    body = joined(parts, "; ")
    return body if bare else (" (", *body, ")")


def _loc(loc: Loc | None) -> str | None:
    if loc is None:
        return None
    return location(loc.path, loc.line)


def _units(mid: str, kind: UnitKind, old: Sequence[Unit], new: Sequence[Unit]) -> Iterator[_Rule5]:
    noun = _UNIT_NOUN[kind]
    in_go = "in Go" if kind is UnitKind.CAPABILITIES else "ported"
    a, b = {u.name: u for u in old}, {u.name: u for u in new}
    moved: list[Words] = []
    for name, ub in b.items():
        ua = a.get(name)
        if ua is None:
            state = {UnitState.PORTED: f"already {in_go}", UnitState.MISSING: "missing in Go",
                     UnitState.STUB: "a stub in Go"}[ub.state]
            yield (ChangeKind.UNIT_ADDED, say(f"{{}}: new baseline {noun} {{}} ({state})", mid, name),
                   name, None, ub.state.value)
            continue
        sa, sb = ua.state, ub.state
        if sa is not sb:
            if sa is UnitState.PORTED:
                if sb is UnitState.STUB:
                    words = say("{}: {} is now a stub in Go", mid, name)
                    words += say(" ({})", ub.note) if ub.note else ()
                else:
                    gone = "missing" if kind is UnitKind.CAPABILITIES else "missing in Go"
                    words = say(f"{{}}: {{}} no longer {in_go} (now {gone})", mid, name)
                yield ChangeKind.UNIT_LOST, words, name, sa.value, sb.value
            elif sb is UnitState.PORTED:
                tail = " (was a stub)" if sa is UnitState.STUB else ""
                words = say(f"{{}}: {{}} now {in_go}{tail}", mid, name)
                yield ChangeKind.UNIT_PORTED, words, name, sa.value, sb.value
            else:
                words = say("{}: {} went from {} to {} in Go", mid, name, sa.value, sb.value)
                if sb is UnitState.STUB and ub.note:
                    words += say(" ({})", ub.note)
                yield ChangeKind.UNIT_STATE, words, name, sa.value, sb.value
            continue
        clauses = _unit_evidence(ua, ub)
        if clauses:
            moved.append(say("{} ({})", name, joined(clauses, "; ")))
    for name, ua in a.items():
        if name not in b:
            was = ua.state.value
            words = say(f"{{}}: {noun} {{}} is no longer in the baseline (was {{}})", mid, name, was)
            yield ChangeKind.UNIT_REMOVED, words, name, ua.state.value, None
    if moved:
        what = f"{len(moved)} {noun}" + ("s" if len(moved) > 1 else "")
        yield (ChangeKind.UNIT_EVIDENCE, say(f"{{}}: evidence changed for {what}: {{}}", mid,
                                             listing(moved, limit=5)), "units", None, None)


def _unit_evidence(a: Unit, b: Unit) -> list[Words]:
    out = []
    for side, la, lb in (("Python", a.python, b.python), ("Go", a.go, b.go)):
        if la != lb:
            out.append(say(f"{side} {{}} -> {{}}", _loc(la), _loc(lb)))
    if a.go_name != b.go_name:
        out.append(say("Go name {} -> {}", a.go_name, b.go_name))
    if a.note != b.note:
        out.append(say("note {} -> {}", a.note, b.note))
    return out


# -- capabilities ------------------------------------------------------------------------------

_EVIDENCE = {True: "yes", False: "no", None: "not measured"}


def _capabilities(mid: str, old: Sequence[Capability], new: Sequence[Capability]) -> Iterator[_Rule3]:
    a, b = {c.name: c for c in old}, {c.name: c for c in new}
    for name in [*b, *(n for n in a if n not in b)]:
        ca, cb = a.get(name), b.get(name)
        pa, pb = (ca.python if ca else None), (cb.python if cb else None)
        ga, gb = (ca.go if ca else None), (cb.go if cb else None)
        if pa != pb:
            ev = say(" (Python evidence {} -> {})", _EVIDENCE[pa], _EVIDENCE[pb])
            if pb is True:
                words = say("{}: {} now in the Python baseline", mid, name)
            elif pa is True:
                words = say("{}: {} no longer in the Python baseline", mid, name)
            else:
                words = say("{}: Python evidence for {} changed", mid, name)
            yield ChangeKind.BASELINE_CAPABILITY, words + ev, name
        if ga != gb:
            ev = say(" (Go evidence {} -> {})", _EVIDENCE[ga], _EVIDENCE[gb])
            if gb is True:
                yield ChangeKind.CAPABILITY_GAINED, say("{}: {} now in Go", mid, name) + ev, name
            elif ga is True:
                yield ChangeKind.CAPABILITY_LOST, say("{}: {} no longer in Go", mid, name) + ev, name
            else:
                words = say("{}: Go evidence for {} changed", mid, name)
                yield ChangeKind.CAPABILITY_EVIDENCE, words + ev, name
        if (ca is None) != (cb is None) and pa == pb and ga == gb:
            listed = "now listed" if cb is not None else "no longer listed"
            words = say(f"{{}}: capability {{}} {listed}, with no evidence", mid, name)
            yield ChangeKind.CAPABILITY_EVIDENCE, words, name


# -- parity ------------------------------------------------------------------------------------


def _parity_text(p: ParitySummary | None) -> str:
    if p is None or p.passed + p.failed + p.errored == 0:
        return "no parity runs"
    parts = [f"{p.passed} passed"]
    if p.failed:
        parts.append(f"{p.failed} failed")
    if p.errored:
        parts.append(f"{p.errored} errored")
    return ", ".join(parts)


def _parity_summary(mid: str, a: ParitySummary | None, b: ParitySummary | None
                    ) -> Iterator[tuple[ChangeKind, Words, str, str]]:
    if a == b:
        return
    ta, tb = _parity_text(a), _parity_text(b)
    ca = (a.passed, a.failed, a.errored) if a else (0, 0, 0)
    cb = (b.passed, b.failed, b.errored) if b else (0, 0, 0)
    if ca != cb:
        bad_a, bad_b = ca[1] + ca[2], cb[1] + cb[2]
        if bad_b > bad_a or (bad_b == bad_a and cb[0] < ca[0]):
            kind = ChangeKind.PARITY_REGRESSED
        elif bad_b < bad_a or cb[0] > ca[0]:
            kind = ChangeKind.PARITY_IMPROVED
        else:
            kind = ChangeKind.PARITY_CHANGED
        words = say("{} parity went from {} to {}", mid, ta, tb)
        if kind is ChangeKind.PARITY_REGRESSED and b is not None and b.first_failure:
            words += say(" ({})", b.first_failure)
        yield kind, words, ta, tb
        return
    fa, fb = (a.fixtures if a else ()), (b.fixtures if b else ())
    if fa != fb:
        yield (ChangeKind.PARITY_CHANGED, say("{} parity {}", mid, _moved(*_added_removed(fa, fb), "fixtures")
                                              or say("fixtures reordered")), ta, tb)
    ffa, ffb = (a.first_failure if a else None), (b.first_failure if b else None)
    if ffa != ffb:
        words = say("{} first parity failure is now {} (was {})", mid, ffb, ffa)
        yield ChangeKind.PARITY_CHANGED, words, ta, tb


def _parity_results(old: Sequence[ParityResult], new: Sequence[ParityResult]) -> Iterator[Change]:
    a, b = {p.fixture: p for p in old}, {p.fixture: p for p in new}
    for name in a.keys() - b.keys():
        was = a[name].status.value
        words = say("parity fixture {} is no longer run (it was {})", name, was)
        yield Change(ChangeKind.FIXTURE_REMOVED, name, words, old=was)
    for name in b.keys() - a.keys():
        now = b[name].status.value
        yield Change(ChangeKind.FIXTURE_ADDED, name,
                     say("parity fixture {} is new: {}", name, now) + _first_diff(b[name]), new=now)
    for name in a.keys() & b.keys():
        pa, pb = a[name], b[name]
        yield from _safety_net(list(_parity_result(pa, pb)), pa, pb, name, ignore=("ran_at",))


def _parity_result(pa: ParityResult, pb: ParityResult) -> Iterator[Change]:
    name, k = pb.fixture, ChangeKind.FIXTURE_CHANGED
    if pa.status is not pb.status:
        words = say("parity fixture {} went from {} to {}", name, pa.status.value, pb.status.value)
        kind = (ChangeKind.FIXTURE_PASSING if pb.status.value == "pass" else ChangeKind.FIXTURE_FAILING
                if pa.status.value == "pass" else k)
        yield Change(kind, name, words + _first_diff(pb), item="status", old=pa.status.value,
                     new=pb.status.value)
    elif pa.diffs != pb.diffs:
        na, nb = len(pa.diffs), len(pb.diffs)
        words = (say("parity fixture {} differences changed", name) if na == nb
                 else say("parity fixture {} differences went from {} to {}", name, str(na), str(nb)))
        yield Change(k, name, words + _first_diff(pb), item="diffs")
    if pa.metrics_match != pb.metrics_match:
        words = say("parity fixture {}: metrics match went from {} to {}", name, _EVIDENCE[pa.metrics_match],
                    _EVIDENCE[pb.metrics_match])
        yield Change(k, name, words, item="metrics_match")
    if pa.modules != pb.modules:
        moved = _moved(*_added_removed(pa.modules, pb.modules), "modules") or ("modules reordered",)
        yield Change(k, name, say("parity fixture {}: {}", name, moved), item="modules")
    if pa.source != pb.source:
        yield Change(k, name, say("parity fixture {} now comes from {} (was {})", name, pb.source, pa.source),
                     item="source")


def _first_diff(p: ParityResult) -> Words:
    if not p.diffs:
        return ()
    d = p.diffs[0]
    return say(" (first difference {}: python={}, go={})", d.path, _json(d.python), _json(d.go))


def _json(value: object) -> str:
    return msgspec.json.encode(value).decode()


# -- benchmarks --------------------------------------------------------------------------------


def _num(x: float) -> str:
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def _benchmarks(old: Sequence[Benchmark], new: Sequence[Benchmark]) -> Iterator[Change]:
    a, b = {x.name: x for x in old}, {x.name: x for x in new}
    for name in a.keys() - b.keys():
        yield Change(ChangeKind.BENCHMARK_REMOVED, name, say("benchmark {} is no longer measured", name))
    for name in b.keys() - a.keys():
        ratios = [say("Go/Python {} {}", m, f"{r:.2f}") for m, r in sorted(b[name].ratios.items())]
        tail = say(" ({})", joined(ratios, ", ")) if ratios else ()
        yield Change(ChangeKind.BENCHMARK_ADDED, name, say("benchmark {} is new", name) + tail)
    for name in a.keys() & b.keys():
        ba, bb = a[name], b[name]
        found: list[Change] = []
        figures: list[Words] = []
        for metric in sorted(ba.ratios.keys() | bb.ratios.keys()):
            ra, rb = ba.ratios.get(metric), bb.ratios.get(metric)
            if ra == rb:
                continue
            shown = say("Go/Python {} {} -> {}", metric, "none" if ra is None else f"{ra:.2f}",
                        "none" if rb is None else f"{rb:.2f}")
            moved = ra is not None and rb is not None and ra > 0 and abs(rb / ra - 1) >= RATIO_MOVE
            if moved and metric.endswith("/op") and ra is not None and rb is not None:
                kind = ChangeKind.BENCHMARK_REGRESSED if rb > ra else ChangeKind.BENCHMARK_IMPROVED
                words = (*say("benchmark {}: {}", name, shown), f" ({rb / ra - 1:+.0%}; lower is better)")
                found.append(Change(kind, name, words, item=metric, old=f"{ra:.2f}", new=f"{rb:.2f}"))
            else:
                figures.append(shown)
        for side in ("python", "go"):
            figures += _bench_side(side, getattr(ba, side), getattr(bb, side))
        if figures:
            found.append(Change(ChangeKind.BENCHMARK_CHANGED, name,
                                say("benchmark {}: {}", name, joined(figures, "; ")), item="figures"))
        yield from _safety_net(found, ba, bb, name, ignore=("measured_at",))


_ENV_FIELDS = (("goos", "GOOS"), ("goarch", "GOARCH"), ("cpu", "CPU"), ("pkg", "package"),
               ("python", "interpreter"))


def _bench_side(side: str, a: BenchSide | None, b: BenchSide | None) -> list[Words]:
    label = "Python" if side == "python" else "Go"
    if a is None and b is None:
        return []
    if a is None or b is None:
        return [(f"{label} side {'now measured' if b is not None else 'no longer measured'}",)]
    out = []
    for metric in sorted(a.metrics.keys() | b.metrics.keys()):
        va, vb = a.metrics.get(metric), b.metrics.get(metric)
        if va != vb:
            out.append(say(f"{label} {{}} {{}} -> {{}}", metric, "none" if va is None else _num(va),
                           "none" if vb is None else _num(vb)))
    if a.runs != b.runs:
        out.append(say(f"{label} runs {{}} -> {{}}", str(a.runs), str(b.runs)))
    ea, eb = a.env, b.env
    if ea != eb:
        for field, name in _ENV_FIELDS:
            fa, fb = (getattr(ea, field) if ea else None), (getattr(eb, field) if eb else None)
            if fa != fb:
                out.append(say(f"{label} {name} {{}} -> {{}}", fa, fb))
    return out


# -- recipes -----------------------------------------------------------------------------------


def _blockers(r: Recipe) -> list[Words]:
    return ([say("module {}", m) for m in r.blocked_by]
            + [say("feature {}", f) for f in r.blocked_by_features]
            + [say("unmapped import {}", u) for u in r.unmapped])


def _recipes(old: Sequence[Recipe], new: Sequence[Recipe]) -> Iterator[Change]:
    a, b = {r.path: r for r in old}, {r.path: r for r in new}
    for path in a.keys() - b.keys():
        r = a[path]
        words = (say("recipe {} is no longer in the cookbook (it ran in Go)", path) if r.go_ready
                 else say("recipe {} is no longer in the cookbook (it was blocked by {})", path,
                          listing(_blockers(r))))
        yield Change(ChangeKind.RECIPE_REMOVED, path, words)
    for path in b.keys() - a.keys():
        r = b[path]
        words = (say("recipe {} is new and runs in Go", path) if r.go_ready
                 else say("recipe {} is new, blocked by {}", path, listing(_blockers(r))))
        yield Change(ChangeKind.RECIPE_ADDED, path, words)
    for path in a.keys() & b.keys():
        ra, rb = a[path], b[path]
        yield from _safety_net(list(_recipe(ra, rb)), ra, rb, path)


def _recipe(a: Recipe, b: Recipe) -> Iterator[Change]:
    path = b.path
    ba, bb = _blockers(a), _blockers(b)
    if a.go_ready and not b.go_ready:
        words = say("recipe {} no longer runs in Go: newly blocked by {}", path, listing(bb))
        yield Change(ChangeKind.RECIPE_BLOCKED, path, words, item="go_ready")
    elif b.go_ready and not a.go_ready:
        words = say("recipe {} now runs in Go (was blocked by {})", path, listing(ba))
        yield Change(ChangeKind.RECIPE_UNBLOCKED, path, words, item="go_ready")
    elif ba != bb:
        came = [w for w in bb if w not in ba]
        went = [w for w in ba if w not in bb]
        still = [w for w in bb if w in ba]
        if came:
            tail = say(" (already blocked by {})", listing(still, limit=3)) if still else ()
            yield Change(ChangeKind.RECIPE_BLOCKER_ADDED, path,
                         say("recipe {} newly blocked by {}", path, listing(came)) + tail, item="blockers")
        if went:
            yield Change(ChangeKind.RECIPE_BLOCKER_REMOVED, path,
                         say("recipe {} no longer blocked by {} (still blocked by {})", path, listing(went),
                             listing(bb, limit=3)), item="blockers")
        if not came and not went:
            words = say("recipe {} blockers reordered", path)
            yield Change(ChangeKind.RECIPE_CHANGED, path, words, item="blockers")
    if a.title != b.title:
        words = say("recipe {} is now titled {} (was {})", path, b.title, a.title)
        yield Change(ChangeKind.RECIPE_CHANGED, path, words, item="title")
    for field, noun, verb in (("modules", "module", "uses"), ("features", "feature", "uses"),
                              ("local", "recipe", "imports")):
        added, removed = _added_removed(getattr(a, field), getattr(b, field))
        parts = []
        if added:
            parts.append(say(f"now {verb} {noun} {{}}", listing(added)))
        if removed:
            parts.append(say(f"no longer {verb} {noun} {{}}", listing(removed)))
        if parts:
            yield Change(ChangeKind.RECIPE_CHANGED, path, say("recipe {} {}", path, joined(parts, "; ")),
                         item=field)
    if a.go_example != b.go_example:
        if b.go_example is None:
            words = say("recipe {} no longer has a Go example (was {})", path, a.go_example)
        elif a.go_example is None:
            words = say("recipe {} now has a Go example: {}", path, b.go_example)
        else:
            words = say("recipe {} Go example moved from {} to {}", path, a.go_example, b.go_example)
        yield Change(ChangeKind.RECIPE_CHANGED, path, words, item="go_example")


# -- diagnostics, provenance, source -----------------------------------------------------------


def _where(d: Diagnostic) -> str:
    return location(d.file, d.line)


def _diagnostics(old: Sequence[Diagnostic], new: Sequence[Diagnostic]) -> Iterator[Change]:
    a, b = set(old), set(new)
    for d in b - a:
        yield Change(ChangeKind.DIAGNOSTIC_ADDED, _where(d),
                     say("the source could not read {}: {}", _where(d), d.message))
    for d in a - b:
        yield Change(ChangeKind.DIAGNOSTIC_RESOLVED, _where(d),
                     say("the source reads {} again (was: {})", _where(d), d.message))


def _provenance(role: str, kind: ChangeKind, a: Provenance, b: Provenance) -> Iterator[Change]:
    found: list[Change] = []
    if (a.name, a.version, a.commit) != (b.name, b.version, b.commit):
        da, db = describe_provenance(a), describe_provenance(b)
        if da == db:  # same short commit: show them whole
            da, db = f"{da} {a.commit}", f"{db} {b.commit}"
        found.append(Change(kind, role, say(f"{role} moved from {{}} to {{}}", da, db), old=da, new=db))
    for field, label in (("version_from", "version read from"), ("repository", "repository"),
                         ("module", "Go module path"), ("date", "commit date")):
        va, vb = getattr(a, field), getattr(b, field)
        if field == "date":
            va, vb = (v.isoformat() if v is not None else None for v in (va, vb))
        if va != vb:
            found.append(Change(kind, role, say(f"{role} {label} {{}} (was {{}})", vb, va), item=field))
    yield from _safety_net(found, a, b, role)


def _source(a: Source, b: Source) -> Iterator[Change]:
    found: list[Change] = []
    k = ChangeKind.SOURCE_CHANGED
    if a.kind is not b.kind:
        words = say("the matrix now comes from {} (was {})", b.kind.value, a.kind.value)
        found.append(Change(k, "source", words, item="kind"))
    if a.url != b.url:
        found.append(Change(k, "source", say("source URL {} (was {})", b.url, a.url), item="url"))
    for role in sorted(a.trees.keys() | b.trees.keys()):
        ta, tb = a.trees.get(role), b.trees.get(role)
        if ta != tb:
            found.append(Change(k, "source", say("source tree {} {} (was {})", role, tb, ta), item="trees"))
    if a.profile != b.profile:
        words = say("scan profile {} (was {})", b.profile, a.profile)
        found.append(Change(k, "source", words, item="profile"))
    yield from _safety_net(found, a, b, "source")

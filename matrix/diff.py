"""What changed between two support matrices, as typed records that explain themselves.

``diff(old, new)`` returns :class:`Change` records ordered by importance (demotions and
removals first, provenance last); ``render(changes, fmt)`` formats them as plain text,
Markdown (a PR job summary, the "What's new in Go" page) or GitHub workflow annotations.
Every record builds its sentence once (:meth:`Change.explain`); the formats only decide
how a code span, a line and a heading look, so the three never drift apart.

    >>> changes = diff(old_matrix, new_matrix)        # doctest: +SKIP
    >>> print(render(changes, "markdown", old=old_matrix, new=new_matrix))  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from .model import Coverage, Module, ParitySummary, Provenance, Recipe, Status, SupportMatrix
from .render._html import esc

__all__ = [
    "FORMATS",
    "Change",
    "ChangeKind",
    "Direction",
    "Severity",
    "diff",
    "render",
]

Format = Literal["text", "markdown", "github"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "github")


class Severity(enum.StrEnum):
    """How much a change matters to someone who uses the Go runtime."""

    WARNING = "warning"
    """Something that worked in Go works less (or is gone): a GitHub ``::warning``."""
    NOTICE = "notice"
    """Progress or a neutral fact: a GitHub ``::notice``."""


class Direction(enum.StrEnum):
    PROMOTED = "promoted"
    DEMOTED = "demoted"
    LATERAL = "lateral"
    """Neither better nor worse for Go users (``not_migrated`` <-> ``wont_port``, ``unknown`` ...)."""


class ChangeKind(enum.StrEnum):
    """The kinds of change, in order of importance (the order ``diff`` sorts by)."""

    MODULE_REMOVED = "module removed"
    STATUS_DEMOTED = "status demoted"
    COVERAGE_DROPPED = "coverage dropped"
    PARITY_REGRESSED = "parity regressed"
    RECIPE_BLOCKED = "recipe blocked"
    STATUS_PROMOTED = "status promoted"
    MODULE_ADDED = "module added"
    COVERAGE_IMPROVED = "coverage improved"
    PARITY_IMPROVED = "parity improved"
    RECIPE_UNBLOCKED = "recipe unblocked"
    STATUS_CHANGED = "status changed"
    COVERAGE_CHANGED = "coverage changed"
    PARITY_CHANGED = "parity changed"
    NOTES_CHANGED = "notes changed"
    REASON_CHANGED = "reason changed"
    RECIPE_ADDED = "recipe added"
    RECIPE_REMOVED = "recipe removed"
    BASELINE_CHANGED = "baseline changed"
    RUNTIME_CHANGED = "runtime changed"

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self in _WARNINGS else Severity.NOTICE

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def heading(self) -> str:
        """``Status demoted``: the annotation title and the Markdown group heading."""
        return self.value[:1].upper() + self.value[1:]


_WARNINGS = frozenset({
    ChangeKind.MODULE_REMOVED,
    ChangeKind.STATUS_DEMOTED,
    ChangeKind.COVERAGE_DROPPED,
    ChangeKind.PARITY_REGRESSED,
    ChangeKind.RECIPE_BLOCKED,
})
_RANK = {kind: i for i, kind in enumerate(ChangeKind)}

def status_direction(old: Status, new: Status) -> Direction:
    """``promoted`` when more of the module works in Go, ``demoted`` when less, else ``lateral``."""
    a, b = old.info.level, new.info.level
    return Direction.PROMOTED if b > a else Direction.DEMOTED if b < a else Direction.LATERAL


@dataclasses.dataclass(frozen=True)
class Change:
    """One change between two matrices. ``subject`` is a module id, a recipe path or ``baseline``/``runtime``.

    ``old`` and ``new`` are the values as a reader sees them (status labels, ``3/5``), or
    None when the subject did not exist on that side. Records are plain data: the site,
    the CLI and tests read the fields; :meth:`explain` turns one into a sentence.
    """

    kind: ChangeKind
    subject: str
    old: str | None = None
    new: str | None = None
    family: str | None = None
    detail: str | None = None
    """One more clause (what is missing, which fixture failed, what blocks a recipe)."""

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    @property
    def direction(self) -> Direction | None:
        if self.kind in (ChangeKind.STATUS_PROMOTED, ChangeKind.COVERAGE_IMPROVED, ChangeKind.PARITY_IMPROVED,
                         ChangeKind.RECIPE_UNBLOCKED):
            return Direction.PROMOTED
        if self.kind.severity is Severity.WARNING and self.kind is not ChangeKind.MODULE_REMOVED:
            return Direction.DEMOTED
        if self.kind in (ChangeKind.STATUS_CHANGED, ChangeKind.COVERAGE_CHANGED, ChangeKind.PARITY_CHANGED):
            return Direction.LATERAL
        return None

    def explain(self, code: Callable[[str], str] = str, text: Callable[[str], str] = str) -> str:
        """The sentence: ``code`` wraps identifiers and values (backticks in Markdown), ``text`` escapes
        the free text that came from data (the detail clause)."""
        s, old, new = code(self.subject), self.old or "", self.new or ""
        match self.kind:
            case ChangeKind.MODULE_ADDED:
                sentence = f"{s} is new in the matrix, as {code(new)}"
            case ChangeKind.MODULE_REMOVED:
                sentence = f"{s} is no longer in the matrix (it was {code(old)})"
            case ChangeKind.STATUS_PROMOTED | ChangeKind.STATUS_DEMOTED | ChangeKind.STATUS_CHANGED:
                sentence = f"{s} went from {code(old)} to {code(new)}"
            case ChangeKind.COVERAGE_DROPPED | ChangeKind.COVERAGE_IMPROVED | ChangeKind.COVERAGE_CHANGED:
                sentence = f"{s} function coverage went from {code(old)} to {code(new)}"
            case ChangeKind.PARITY_REGRESSED | ChangeKind.PARITY_IMPROVED | ChangeKind.PARITY_CHANGED:
                sentence = f"{s} parity went from {code(old)} to {code(new)}"
            case ChangeKind.NOTES_CHANGED:
                sentence = f"{s} notes changed from {code(old or '(none)')} to {code(new or '(none)')}"
            case ChangeKind.REASON_CHANGED:
                sentence = (f"{s} reason not to port changed from {code(old or '(none)')}"
                            f" to {code(new or '(none)')}")
            case ChangeKind.RECIPE_BLOCKED:
                sentence = f"recipe {s} no longer runs on Go"
            case ChangeKind.RECIPE_UNBLOCKED:
                sentence = f"recipe {s} now runs on Go"
            case ChangeKind.RECIPE_ADDED:
                sentence = f"recipe {s} is new ({code(new)})"
            case ChangeKind.RECIPE_REMOVED:
                sentence = f"recipe {s} is no longer in the cookbook"
            case ChangeKind.BASELINE_CHANGED | ChangeKind.RUNTIME_CHANGED:
                sentence = f"{self.subject} moved from {code(old)} to {code(new)}"
        return f"{sentence} ({text(self.detail)})" if self.detail else sentence


def diff(old: SupportMatrix, new: SupportMatrix) -> list[Change]:
    """Every change from ``old`` to ``new``, most important first, then by subject."""
    changes: list[Change] = []
    old_mods, new_mods = old.modules_by_id(), new.modules_by_id()
    for mid in sorted(old_mods.keys() - new_mods.keys()):
        m = old_mods[mid]
        changes.append(Change(ChangeKind.MODULE_REMOVED, mid, old=m.status.label, family=m.family))
    for mid in sorted(new_mods.keys() - old_mods.keys()):
        m = new_mods[mid]
        changes.append(Change(ChangeKind.MODULE_ADDED, mid, new=m.status.label, family=m.family,
                              detail=_status_detail(m)))
    for mid in sorted(old_mods.keys() & new_mods.keys()):
        changes.extend(_module_changes(old_mods[mid], new_mods[mid]))
    changes.extend(_recipe_changes(old.recipes, new.recipes))
    for kind, a, b in ((ChangeKind.BASELINE_CHANGED, old.baseline, new.baseline),
                       (ChangeKind.RUNTIME_CHANGED, old.runtime, new.runtime)):
        if (a.version, a.commit) != (b.version, b.commit):
            changes.append(Change(kind, kind.value.split()[0], old=describe_provenance(a),
                                  new=describe_provenance(b)))
    changes.sort(key=lambda c: (c.kind.rank, c.subject))
    return changes


def _status_detail(m: Module) -> str | None:
    if m.status is Status.PARTIAL:
        return f"missing: {m.notes}" if m.notes and not m.notes.lower().startswith("missing") else m.notes
    if m.status is Status.WONT_PORT:
        return m.reason
    return None


def _module_changes(a: Module, b: Module) -> Iterable[Change]:
    fam = b.family
    if a.status is not b.status:
        direction = status_direction(a.status, b.status)
        kind = {Direction.PROMOTED: ChangeKind.STATUS_PROMOTED, Direction.DEMOTED: ChangeKind.STATUS_DEMOTED,
                Direction.LATERAL: ChangeKind.STATUS_CHANGED}[direction]
        yield Change(kind, b.id, old=a.status.label, new=b.status.label, family=fam, detail=_status_detail(b))
    cov = _coverage_change(a.coverage, b.coverage)
    if cov is not None:
        yield Change(cov, b.id, old=_coverage_text(a.coverage), new=_coverage_text(b.coverage), family=fam,
                     detail=_missing_detail(a.coverage, b.coverage))
    par = _parity_change(a.parity, b.parity)
    if par is not None:
        regressed = par is ChangeKind.PARITY_REGRESSED
        detail = b.parity.first_failure if b.parity is not None and regressed else None
        yield Change(par, b.id, old=_parity_text(a.parity), new=_parity_text(b.parity), family=fam,
                     detail=detail)
    # Notes follow coverage ("missing 3 of 5 functions: ..."): a coverage change already says it.
    if (a.notes or None) != (b.notes or None) and a.status is b.status and cov is None:
        yield Change(ChangeKind.NOTES_CHANGED, b.id, old=a.notes, new=b.notes, family=fam)
    if (a.reason or None) != (b.reason or None) and a.status is b.status:
        yield Change(ChangeKind.REASON_CHANGED, b.id, old=a.reason, new=b.reason, family=fam)


def _coverage_change(a: Coverage | None, b: Coverage | None) -> ChangeKind | None:
    if a == b or (b is None and a is None):
        return None
    if a is None or b is None:
        return ChangeKind.COVERAGE_CHANGED
    if (a.ported, a.total) == (b.ported, b.total):
        return None  # same counts; only the names of missing/extra functions moved
    if b.ratio > a.ratio or (b.ratio == a.ratio and b.ported > a.ported):
        return ChangeKind.COVERAGE_IMPROVED
    if b.ratio < a.ratio:
        return ChangeKind.COVERAGE_DROPPED
    return ChangeKind.COVERAGE_CHANGED


def _coverage_text(c: Coverage | None) -> str:
    return "not measured" if c is None else f"{c.ported}/{c.total} ({c.ratio:.0%})"


def _missing_detail(a: Coverage | None, b: Coverage | None) -> str | None:
    if a is None or b is None:
        return None
    gone = sorted(set(b.missing) - set(a.missing))
    came = sorted(set(a.missing) - set(b.missing))
    parts = []
    if came:
        parts.append("now ported: " + ", ".join(came))
    if gone:
        parts.append("now missing: " + ", ".join(gone))
    return "; ".join(parts) or None


def _parity_change(a: ParitySummary | None, b: ParitySummary | None) -> ChangeKind | None:
    ta = (a.passed, a.failed, a.errored) if a else (0, 0, 0)
    tb = (b.passed, b.failed, b.errored) if b else (0, 0, 0)
    if ta == tb:
        return None
    bad_a, bad_b = ta[1] + ta[2], tb[1] + tb[2]
    if bad_b > bad_a or (bad_b == bad_a and tb[0] < ta[0]):
        return ChangeKind.PARITY_REGRESSED
    if bad_b < bad_a or tb[0] > ta[0]:
        return ChangeKind.PARITY_IMPROVED
    return ChangeKind.PARITY_CHANGED


def _parity_text(p: ParitySummary | None) -> str:
    if p is None or p.passed + p.failed + p.errored == 0:
        return "no parity runs"
    parts = [f"{p.passed} passed"]
    if p.failed:
        parts.append(f"{p.failed} failed")
    if p.errored:
        parts.append(f"{p.errored} errored")
    return ", ".join(parts)


def _recipe_changes(old: Sequence[Recipe], new: Sequence[Recipe]) -> Iterable[Change]:
    a = {r.path: r for r in old}
    b = {r.path: r for r in new}
    for path in sorted(a.keys() - b.keys()):
        yield Change(ChangeKind.RECIPE_REMOVED, path, old=_recipe_text(a[path]))
    for path in sorted(b.keys() - a.keys()):
        yield Change(ChangeKind.RECIPE_ADDED, path, new=_recipe_text(b[path]))
    for path in sorted(a.keys() & b.keys()):
        ra, rb = a[path], b[path]
        if ra.go_ready and not rb.go_ready:
            yield Change(ChangeKind.RECIPE_BLOCKED, path, old="Go ready", new=_recipe_text(rb),
                         detail="blocked by " + ", ".join(rb.blocked_by))
        elif rb.go_ready and not ra.go_ready:
            yield Change(ChangeKind.RECIPE_UNBLOCKED, path, old=_recipe_text(ra), new="Go ready")


def _recipe_text(r: Recipe) -> str:
    return "Go ready" if r.go_ready else "blocked by " + ", ".join(r.blocked_by)


def describe_provenance(p: Provenance) -> str:
    """``agno 2.1.0 (9644f22)``: name, version and short commit, as far as known."""
    parts = [p.name]
    if p.version:
        parts.append(p.version)
    if p.commit:
        parts.append(f"({p.commit[:7]})")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Rendering: one sentence per record (Change.explain), three ways to lay it out.


def _gh_escape(text: str, *, prop: bool = False) -> str:
    """Escape a GitHub workflow command value (``%``, CR, LF; and ``:``/``,`` in properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _md_code(value: str) -> str:
    value = " ".join(value.split())
    fence = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _md_escape(text: str) -> str:
    """Escape HTML in Markdown text outside code spans, so a note can never inject markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_text(text: str) -> str:
    """Free text from data in Markdown: HTML, Markdown and Jinja-inert, on one line."""
    return esc(text)


def render(changes: Sequence[Change], fmt: str = "text", *, old: SupportMatrix | None = None,
           new: SupportMatrix | None = None) -> str:
    """Format ``changes`` as ``text``, ``markdown`` or ``github`` annotations; ends with a newline."""
    header = None
    if old is not None and new is not None:
        header = f"runtime {_moved(old.runtime, new.runtime)}; baseline {_moved(old.baseline, new.baseline)}"
    if fmt == "text":
        lines = [header] if header else []
        if not changes:
            lines.append("No changes to the support matrix.")
        for c in changes:
            lines.append(f"{c.kind.value}: {c.explain()}")
        return "\n".join(lines) + "\n"
    if fmt == "markdown":
        out = ["## Support matrix changes", ""]
        if header:
            out += [_md_escape(header), ""]
        if not changes:
            out.append("No changes to the support matrix.")
        counts = _counts(changes)
        if changes:
            out += ["Changes (kind: count): " + ", ".join(f"{k.value}: {n}" for k, n in counts), ""]
        current: ChangeKind | None = None
        for c in changes:
            if c.kind is not current:
                if current is not None:
                    out.append("")
                icon = "⚠️ " if c.severity is Severity.WARNING else ""
                out += [f"### {icon}{c.kind.heading}", ""]
                current = c.kind
            out.append(f"- {_md_escape_outside_code(c)}")
        return "\n".join(out) + "\n"
    if fmt == "github":
        lines = []
        for c in changes:
            lines.append(f"::{c.severity.value} title={_gh_escape(c.kind.heading, prop=True)}::"
                         f"{_gh_escape(c.explain())}")
        if not changes:
            lines.append("::notice title=Support matrix::No changes to the support matrix.")
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _moved(a: Provenance, b: Provenance) -> str:
    x, y = describe_provenance(a), describe_provenance(b)
    return f"{x} (unchanged)" if x == y else f"{x} -> {y}"


def _md_escape_outside_code(c: Change) -> str:
    # Values go in code spans (inert in Markdown); the free-text detail is escaped.
    return c.explain(_md_code, _md_text)


def _counts(changes: Sequence[Change]) -> list[tuple[ChangeKind, int]]:
    out: dict[ChangeKind, int] = {}
    for c in changes:
        out[c.kind] = out.get(c.kind, 0) + 1
    return list(out.items())

"""Change records and their wording: the closed set of kinds, :class:`Change`, and sentences
that keep our words apart from values that came from a matrix (:func:`say`, :func:`clean`)."""

from __future__ import annotations

import dataclasses
import enum
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Sequence

from ..errors import UsageError
from ..model import Provenance, Status

# ---------------------------------------------------------------------------------------------
# Sentences: our words and values from the data, kept apart until a format renders them.


class Value(str):
    """A value in a sentence (an id, a name, a note, a label): formats show it as code, escaped.

    Everything that came from a matrix is a Value; plain ``str`` items of a sentence are our words.
    """

    __slots__ = ()


Words = tuple[str, ...]
"""A sentence: plain ``str`` items are our words, :class:`Value` items are values."""

_FORMATTER = string.Formatter()


def say(template: str, *args: object) -> Words:
    """Fill ``{}`` in ``template`` (our words) with values: a ``str`` becomes a :class:`Value`, a
    tuple is spliced in as words already built, None or ``""`` becomes the words ``(none)``."""
    out: list[str] = []
    rest = iter(args)
    for literal, field, _, _ in _FORMATTER.parse(template):
        if literal:
            out.append(literal)
        if field is not None:
            out.extend(_as_words(next(rest)))
    return tuple(out)


def _as_words(arg: object) -> Words:
    if isinstance(arg, tuple):
        return arg
    if arg is None or arg == "":
        return ("(none)",)
    return (Value(str(arg)),)


def listing(items: Iterable[object], *, limit: int = 8) -> Words:
    """``a, b and 3 more``: each item a value (or prebuilt words), our separators between them."""
    seq = list(items)
    out: list[str] = []
    for i, item in enumerate(seq[:limit]):
        if i:
            out.append(", ")
        out.extend(_as_words(item))
    if len(seq) > limit:
        out.append(f" and {len(seq) - limit} more")
    return tuple(out)


#: Longest value shown; the rest is cut and counted (a 100 KB note stays one readable line).
VALUE_LIMIT = 300
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_NOT_ASCII_PRINTABLE = re.compile(r"[^\x20-\x7e]")


def _visible(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _show(match: re.Match[str]) -> str:
    char = match.group()
    return _visible(char) if unicodedata.category(char) in _HIDDEN_CATEGORIES else char


def clean(value: str, *, limit: int = VALUE_LIMIT) -> str:
    """One inert line: whitespace runs (newlines included) fold to one space, control, format
    (bidi, zero-width), surrogate, private and unassigned characters show as ``\\u`` escapes,
    ``##[`` (which the Actions runner reads as a command anywhere in a line) becomes ``## [``,
    and text past ``limit`` characters is cut with a count."""
    text = " ".join(value.split())
    text = _NOT_ASCII_PRINTABLE.sub(_show, text)
    text = text.replace("##[", "## [")
    if len(text) > limit:
        text = f"{text[:limit]}... ({len(text) - limit} more characters)"
    return text


def sentence(words: Words, code: Callable[[str], str] = str, text: Callable[[str], str] = str) -> str:
    parts = []
    for w in words:
        if isinstance(w, Value):
            shown = clean(w)
            parts.append(code(shown) if shown else text("(blank)"))
        else:
            parts.append(text(w))
    return "".join(parts)


def joined(parts: Sequence[Words], sep: str) -> Words:
    out: list[str] = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        out.extend(p)
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Kinds: one closed set; each member carries its heading, its direction and its rank.


class Severity(enum.StrEnum):
    """How much a change matters to someone who uses the Go runtime."""

    WARNING = "warning"
    """Something that worked in Go works less, or is gone: a GitHub ``::warning``."""
    NOTICE = "notice"
    """Progress or a neutral fact: a GitHub ``::notice``."""


class Direction(enum.StrEnum):
    PROMOTED = "promoted"
    DEMOTED = "demoted"
    LATERAL = "lateral"
    """Neither better nor worse for Go users (``not_migrated`` <-> ``wont_port``, a moved path...)."""


class ChangeKind(enum.StrEnum):
    """The kinds of change, most important first (the order ``diff`` sorts by).

    The values are what ``--fail-on`` takes and what the text format prints in brackets.
    """

    # Worse for Go users (warnings).
    MODULE_REMOVED = "removed-module"
    STATUS_DEMOTED = "demotion"
    CAPABILITY_LOST = "lost-capability"
    UNIT_LOST = "lost-unit"
    COVERAGE_DROPPED = "coverage-dropped"
    PARITY_REGRESSED = "parity-regressed"
    FIXTURE_FAILING = "failing-fixture"
    RECIPE_BLOCKED = "newly-blocked-recipe"
    RECIPE_BLOCKER_ADDED = "new-recipe-blocker"
    BENCHMARK_REGRESSED = "benchmark-regressed"
    FAMILY_REMOVED = "removed-family"
    DIAGNOSTIC_ADDED = "new-diagnostic"
    # Progress.
    STATUS_PROMOTED = "promotion"
    MODULE_ADDED = "new-module"
    CAPABILITY_GAINED = "new-capability"
    UNIT_PORTED = "ported-unit"
    COVERAGE_IMPROVED = "coverage-improved"
    PARITY_IMPROVED = "parity-improved"
    FIXTURE_PASSING = "passing-fixture"
    RECIPE_UNBLOCKED = "unblocked-recipe"
    RECIPE_BLOCKER_REMOVED = "removed-recipe-blocker"
    BENCHMARK_IMPROVED = "benchmark-improved"
    DIAGNOSTIC_RESOLVED = "resolved-diagnostic"
    # Neither: what the baseline asks for, what was measured and where, bookkeeping.
    STATUS_CHANGED = "status-changed"
    BASELINE_CAPABILITY = "baseline-capability"
    UNIT_ADDED = "new-unit"
    UNIT_REMOVED = "removed-unit"
    UNIT_STATE = "unit-state"
    GO_ONLY_UNIT = "go-only-unit"
    UNIT_KIND = "unit-kind"
    COVERAGE_CHANGED = "coverage-changed"
    CAPABILITY_EVIDENCE = "capability-evidence"
    UNIT_EVIDENCE = "unit-evidence"
    PARITY_CHANGED = "parity-changed"
    FIXTURE_ADDED = "new-fixture"
    FIXTURE_REMOVED = "removed-fixture"
    FIXTURE_CHANGED = "fixture-changed"
    BENCHMARK_ADDED = "new-benchmark"
    BENCHMARK_REMOVED = "removed-benchmark"
    BENCHMARK_CHANGED = "benchmark-figures"
    RECIPE_ADDED = "new-recipe"
    RECIPE_REMOVED = "removed-recipe"
    RECIPE_CHANGED = "recipe-changed"
    NOTES_CHANGED = "notes"
    REASON_CHANGED = "reason"
    TRACKING_CHANGED = "tracking"
    SINCE_CHANGED = "since"
    TITLE_CHANGED = "title"
    PYTHON_REF_CHANGED = "python-ref"
    GO_REF_CHANGED = "go-ref"
    FAMILY_ADDED = "new-family"
    FAMILY_CHANGED = "family-changed"
    BASELINE_CHANGED = "baseline"
    RUNTIME_CHANGED = "runtime"
    SOURCE_CHANGED = "source"
    OTHER = "other-change"

    @property
    def info(self) -> KindInfo:
        return _KINDS[self]

    @property
    def heading(self) -> str:
        """``Status demoted``: the annotation title and the Markdown group heading."""
        return _KINDS[self].heading

    @property
    def direction(self) -> Direction:
        return _KINDS[self].direction

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if _KINDS[self].direction is Direction.DEMOTED else Severity.NOTICE

    @property
    def rank(self) -> int:
        return _RANK[self]


@dataclasses.dataclass(frozen=True)
class KindInfo:
    heading: str
    direction: Direction


_D, _P, _L = Direction.DEMOTED, Direction.PROMOTED, Direction.LATERAL
_K = ChangeKind
_KINDS: dict[ChangeKind, KindInfo] = {
    _K.MODULE_REMOVED: KindInfo("Module removed", _D),
    _K.STATUS_DEMOTED: KindInfo("Status demoted", _D),
    _K.CAPABILITY_LOST: KindInfo("Capability lost in Go", _D),
    _K.UNIT_LOST: KindInfo("Unit no longer ported", _D),
    _K.COVERAGE_DROPPED: KindInfo("Coverage dropped", _D),
    _K.PARITY_REGRESSED: KindInfo("Parity regressed", _D),
    _K.FIXTURE_FAILING: KindInfo("Parity fixture failing", _D),
    _K.RECIPE_BLOCKED: KindInfo("Recipe newly blocked", _D),
    _K.RECIPE_BLOCKER_ADDED: KindInfo("Recipe blocker added", _D),
    _K.BENCHMARK_REGRESSED: KindInfo("Benchmark regressed", _D),
    _K.FAMILY_REMOVED: KindInfo("Family removed", _D),
    _K.DIAGNOSTIC_ADDED: KindInfo("New diagnostic", _D),
    _K.STATUS_PROMOTED: KindInfo("Status promoted", _P),
    _K.MODULE_ADDED: KindInfo("Module added", _P),
    _K.CAPABILITY_GAINED: KindInfo("Capability now in Go", _P),
    _K.UNIT_PORTED: KindInfo("Unit now ported", _P),
    _K.COVERAGE_IMPROVED: KindInfo("Coverage improved", _P),
    _K.PARITY_IMPROVED: KindInfo("Parity improved", _P),
    _K.FIXTURE_PASSING: KindInfo("Parity fixture passing", _P),
    _K.RECIPE_UNBLOCKED: KindInfo("Recipe now runs in Go", _P),
    _K.RECIPE_BLOCKER_REMOVED: KindInfo("Recipe blocker removed", _P),
    _K.BENCHMARK_IMPROVED: KindInfo("Benchmark improved", _P),
    _K.DIAGNOSTIC_RESOLVED: KindInfo("Diagnostic resolved", _P),
    _K.STATUS_CHANGED: KindInfo("Status changed", _L),
    _K.BASELINE_CAPABILITY: KindInfo("Baseline capability changed", _L),
    _K.UNIT_ADDED: KindInfo("Baseline unit added", _L),
    _K.UNIT_REMOVED: KindInfo("Baseline unit removed", _L),
    _K.UNIT_STATE: KindInfo("Unit state changed", _L),
    _K.GO_ONLY_UNIT: KindInfo("Go-only unit", _L),
    _K.UNIT_KIND: KindInfo("Unit kind changed", _L),
    _K.COVERAGE_CHANGED: KindInfo("Coverage changed", _L),
    _K.CAPABILITY_EVIDENCE: KindInfo("Capability evidence changed", _L),
    _K.UNIT_EVIDENCE: KindInfo("Unit evidence moved", _L),
    _K.PARITY_CHANGED: KindInfo("Parity changed", _L),
    _K.FIXTURE_ADDED: KindInfo("Parity fixture added", _L),
    _K.FIXTURE_REMOVED: KindInfo("Parity fixture removed", _L),
    _K.FIXTURE_CHANGED: KindInfo("Parity fixture changed", _L),
    _K.BENCHMARK_ADDED: KindInfo("Benchmark added", _L),
    _K.BENCHMARK_REMOVED: KindInfo("Benchmark removed", _L),
    _K.BENCHMARK_CHANGED: KindInfo("Benchmark figures changed", _L),
    _K.RECIPE_ADDED: KindInfo("Recipe added", _L),
    _K.RECIPE_REMOVED: KindInfo("Recipe removed", _L),
    _K.RECIPE_CHANGED: KindInfo("Recipe changed", _L),
    _K.NOTES_CHANGED: KindInfo("Notes changed", _L),
    _K.REASON_CHANGED: KindInfo("Reason changed", _L),
    _K.TRACKING_CHANGED: KindInfo("Tracking changed", _L),
    _K.SINCE_CHANGED: KindInfo("Since changed", _L),
    _K.TITLE_CHANGED: KindInfo("Title changed", _L),
    _K.PYTHON_REF_CHANGED: KindInfo("Python reference changed", _L),
    _K.GO_REF_CHANGED: KindInfo("Go reference changed", _L),
    _K.FAMILY_ADDED: KindInfo("Family added", _L),
    _K.FAMILY_CHANGED: KindInfo("Family changed", _L),
    _K.BASELINE_CHANGED: KindInfo("Baseline changed", _L),
    _K.RUNTIME_CHANGED: KindInfo("Runtime changed", _L),
    _K.SOURCE_CHANGED: KindInfo("Source changed", _L),
    _K.OTHER: KindInfo("Other change", _L),
}
_RANK = {kind: i for i, kind in enumerate(ChangeKind)}

#: ``--fail-on`` names that select several kinds; every kind is also selectable by its own value.
FAIL_ON_GROUPS: dict[str, frozenset[ChangeKind]] = {
    "any": frozenset(ChangeKind),
    "warning": frozenset(k for k in ChangeKind if k.severity is Severity.WARNING),
}


def status_direction(old: Status, new: Status) -> Direction:
    """``promoted`` when more of the module works in Go, ``demoted`` when less, else ``lateral``."""
    a, b = old.info.level, new.info.level
    return Direction.PROMOTED if b > a else Direction.DEMOTED if b < a else Direction.LATERAL


@dataclasses.dataclass(frozen=True)
class Change:
    """One change between two matrices.

    ``subject`` is what changed (a module id, a recipe path, a fixture, a benchmark, a family id,
    ``baseline``, ``runtime``, ``source``); ``item`` the part of it (a unit, a capability, a field);
    ``old`` and ``new`` the values as a reader sees them, None where there was none. ``words`` is the
    sentence; :meth:`explain` renders it.
    """

    kind: ChangeKind
    subject: str
    words: Words
    family: str | None = None
    item: str | None = None
    old: str | None = None
    new: str | None = None

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    @property
    def direction(self) -> Direction:
        return self.kind.direction

    def explain(self, code: Callable[[str], str] = str, text: Callable[[str], str] = str) -> str:
        """The sentence on one line: ``code`` formats each value (already :func:`clean`), ``text``
        our words (the identity for text; an HTML escaper for a page)."""
        return sentence(self.words, code, text)


def describe_provenance(p: Provenance) -> str:
    """``agno 2.1.0 (9644f22)``: name, version and short commit, as far as known."""
    parts = [p.name]
    if p.version:
        parts.append(p.version)
    if p.commit:
        parts.append(f"({p.commit[:7]})")
    return " ".join(parts)


def matching(changes: Sequence[Change], names: Iterable[str]) -> list[Change]:
    """The changes that ``--fail-on`` names select: kind values, ``warning`` or ``any``."""
    kinds: set[ChangeKind] = set()
    for name in names:
        if name in FAIL_ON_GROUPS:
            kinds |= FAIL_ON_GROUPS[name]
        else:
            try:
                kinds.add(ChangeKind(name))
            except ValueError:
                raise UsageError(f"unknown change kind {name!r}",
                                 hint=f"use one of {', '.join([*FAIL_ON_GROUPS, *ChangeKind])}") from None
    return [c for c in changes if c.kind in kinds]

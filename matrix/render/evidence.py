"""Evidence pages: parity results, benchmarks (table and inline SVG chart), telemetry.

Long values are folded into ``<details>``. When the matrix carries no parity results or
benchmarks, the pages say so plainly: a missing run is never drawn as a pass. Telemetry
samples come from the site inputs the sources read (``Loaded.site``), never from a file here.
Templates: ``parity_page``, ``parity_fixture``, ``benchmarks``, ``benchmark_table``,
``benchmark_env``, ``chart.svg``, ``telemetry_catalogue``, ``telemetry_samples``, ``telemetry_audit``.

Reusable pieces for other pages: :func:`parity_evidence` (the parity badge of one module,
linking to its failing fixture on the Parity page) and :func:`parity_anchor`.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import Any, Literal

from markupsafe import Markup

from ..model import Benchmark, Module, ParityResult, ParityStatus, SupportMatrix
from ..sources import Loaded
from ..sources.benchmarks import units_of
from ..telemetry import Event, Finding, audit, redact
from . import lookup, views
from .figures import number, reading
from .registry import Arg, Macro
from .templating import Templates
from .views import PARITY_HREF, parity_anchor
from .words import Words

__all__ = ["PARITY_HREF", "parity_anchor", "parity_evidence"]

#: Values longer than this are folded into <details> on the Parity page.
FOLD = 80
#: How much of a folded value its summary shows.
SUMMARY_CHARS = 60
_DASH = "\u2014"

_STATUS_WORDS = {ParityStatus.PASS: "pass", ParityStatus.FAIL: "fail", ParityStatus.ERROR: "error"}


# --- parity ------------------------------------------------------------------------------------------------


def parity_evidence(t: Templates, module: Module, href_base: str = PARITY_HREF) -> Markup:
    """A small badge: ``parity 2/2 pass`` or ``parity: 1 of 3 failing`` (linking to the failing fixture)."""
    return t.render("parity.html.jinja", parity=views.parity(module.parity, href_base))


@dataclasses.dataclass(frozen=True, slots=True)
class Value:
    """A value of a parity diff: absent, short (inline code), or long (folded, line by line)."""

    kind: Literal["absent", "short", "long"]
    text: str
    summary: str
    lines: tuple[str, ...]


def value(v: Any) -> Value:
    if v is None:
        return Value("absent", "", "", ())
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, indent=2, default=str)
    if len(text) <= FOLD and "\n" not in text:
        return Value("short", text, "", ())
    return Value("long", text, text.replace("\n", " ")[:SUMMARY_CHARS] + "…", tuple(text.split("\n")))


@dataclasses.dataclass(frozen=True, slots=True)
class DiffRow:
    path: str
    python: Value
    go: Value


@dataclasses.dataclass(frozen=True, slots=True)
class FixtureSection:
    result: ParityResult
    status: str
    anchor: str
    metrics_match: str
    ran_at: str
    modules: tuple[tuple[str, str], ...]
    """(module id, its status label, or ``?`` when the matrix lacks it)."""
    diffs: tuple[DiffRow, ...]


def _section(r: ParityResult, by_id: dict[str, Module], w: Words) -> FixtureSection:
    mm = _DASH if r.metrics_match is None else w.text("schema.yes" if r.metrics_match else "schema.no")
    mods = tuple((m, w.label(by_id[m].status) if m in by_id else "?") for m in r.modules)
    diffs = tuple(DiffRow(d.path, value(d.python), value(d.go)) for d in r.diffs)
    return FixtureSection(r, _STATUS_WORDS[r.status], parity_anchor(r.fixture), mm,
                          r.ran_at.isoformat() if r.ran_at else _DASH, mods, diffs)


@dataclasses.dataclass(frozen=True, slots=True)
class ParityPage:
    results: int
    counts: dict[str, int]
    """Fixtures by outcome word (``pass``, ``fail``, ``error``)."""
    demoted: int
    """Modules exercised by a failing or erroring fixture."""
    sections: tuple[FixtureSection, ...]


def parity_page_view(matrix: SupportMatrix, words: Words | None = None) -> ParityPage:
    w = words or Words()
    c = Counter(_STATUS_WORDS[r.status] for r in matrix.parity)
    demoted = sum(1 for m in matrix.modules if m.parity and (m.parity.failed or m.parity.errored))
    by_id = lookup.modules(matrix)
    ordered = sorted(matrix.parity, key=lambda r: (r.status is ParityStatus.PASS, r.fixture))
    return ParityPage(len(matrix.parity), {w: c[w] for w in _STATUS_WORDS.values()}, demoted,
                      tuple(_section(r, by_id, w) for r in ordered))


def parity_page(t: Templates, matrix: SupportMatrix) -> Markup:
    """The body of the Parity page: a summary, then one section per fixture with its diffs."""
    return t.render("parity_page.md.jinja", page=parity_page_view(matrix, t.words))


# --- benchmarks --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class BenchRow:
    name: str | None
    """The benchmark's name on its first row only."""
    unit: str
    go: str
    python: str
    ratio: str
    reading: str


def _missing_side(b: Benchmark, unit: str, w: Words) -> str:
    if b.python is None:
        return w.text("bench.go_only")
    if b.go is None:
        return w.text("bench.python_only")
    return w.text("bench.no_python" if unit in b.go.metrics else "bench.no_go")


def bench_rows(matrix: SupportMatrix, words: Words | None = None) -> list[BenchRow]:
    w = words or Words()
    rows = []
    for b in matrix.benchmarks:
        for i, unit in enumerate(units_of(b)):
            g = number(b.go.metrics[unit]) if b.go and unit in b.go.metrics else _DASH
            p = number(b.python.metrics[unit]) if b.python and unit in b.python.metrics else _DASH
            ratio = b.ratios.get(unit)
            rows.append(BenchRow(
                b.name if i == 0 else None, unit, g, p,
                f"{ratio:.3g}" if ratio is not None else _DASH,
                reading(unit, ratio, w) if ratio is not None else _missing_side(b, unit, w),
            ))
    return rows


def benchmark_table(t: Templates, matrix: SupportMatrix) -> Markup:
    return t.render("benchmarks.md.jinja", rows=bench_rows(matrix, t.words))


@dataclasses.dataclass(frozen=True, slots=True)
class BenchEnvRow:
    side: str
    description: str
    benchmarks: tuple[str, ...]
    """``name (N run(s))`` per benchmark measured there."""


def bench_env_rows(matrix: SupportMatrix, words: Words | None = None) -> list[BenchEnvRow]:
    w = words or Words()
    seen: dict[tuple[str, str], list[str]] = {}
    for b in matrix.benchmarks:
        for side_name, side in (("Go", b.go), ("Python", b.python)):
            if side and side.env:
                e = side.env
                desc = ", ".join(
                    f"{k} {v}"
                    for k, v in (("python", e.python), ("os", e.goos), ("arch", e.goarch), ("cpu", e.cpu),
                                 ("pkg", e.pkg))
                    if v
                )
                names = seen.setdefault((side_name, desc or w.text("bench.not_recorded")), [])
                names.append(w.text("bench.runs", name=b.name, n=side.runs))
    return [BenchEnvRow(side, desc, tuple(names)) for (side, desc), names in seen.items()]


def benchmark_env(t: Templates, matrix: SupportMatrix) -> Markup:
    """Where each side was measured (every distinct environment, with the benchmarks that used it)."""
    return t.render("benchmark_env.md.jinja", rows=bench_env_rows(matrix, t.words))


@dataclasses.dataclass(frozen=True, slots=True)
class ChartRow:
    name: str
    label: str
    """The name, cut to fit the label column."""
    go: str
    python: str
    reading: str
    y: int
    go_width: str
    python_width: str
    go_text_x: str
    """Where the Go figure starts, just past its bar (so are the next ones for Python)."""
    python_text_x: str


@dataclasses.dataclass(frozen=True, slots=True)
class Chart:
    metric: str
    label_width: int
    bar_width: int
    width: int
    height: int
    rows: tuple[ChartRow, ...]


#: Chart geometry (SVG user units): label column, longest bar, reading column, one row.
LABEL_W, BAR_W, RIGHT_W, ROW_H = 260, 340, 150, 46
#: Longest benchmark name shown whole in the label column.
LABEL_CHARS = 38


def chart(matrix: SupportMatrix, metric: str = "ns/op", words: Words | None = None) -> Chart | None:
    w = words or Words()
    """Per benchmark with ``metric`` on both sides: a Go bar and a Python bar, scaled to the larger one."""
    pairs = [b for b in matrix.benchmarks
             if b.go and b.python and metric in b.go.metrics and metric in b.python.metrics]
    if not pairs:
        return None
    rows = []
    for i, b in enumerate(pairs):
        assert b.go and b.python
        g, p = b.go.metrics[metric], b.python.metrics[metric]
        top = max(g, p) or 1.0
        ratio = b.ratios.get(metric)
        label = b.name if len(b.name) <= LABEL_CHARS else b.name[:LABEL_CHARS - 1] + "…"
        gw, pw = max(BAR_W * g / top, 1), max(BAR_W * p / top, 1)
        rows.append(ChartRow(
            b.name, label, number(g), number(p), reading(metric, ratio, w) if ratio is not None else _DASH,
            30 + i * ROW_H, f"{gw:.1f}", f"{pw:.1f}", f"{LABEL_W + 4 + gw:.1f}", f"{LABEL_W + 4 + pw:.1f}",
        ))
    width = LABEL_W + BAR_W + RIGHT_W
    return Chart(metric, LABEL_W, BAR_W, width, 34 + ROW_H * len(pairs), tuple(rows))


def benchmark_chart(t: Templates, matrix: SupportMatrix, metric: str = "ns/op") -> Markup:
    """Inline SVG: per benchmark a Go bar and a Python bar (scaled to the larger one) and the reading."""
    return t.render("chart.svg.jinja", chart=chart(matrix, metric, t.words))


# --- telemetry ---------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class EventKind:
    """One event name of a sample: how many, the fields it carries, the runtime values seen (redacted)."""

    name: str
    count: int
    fields: tuple[str, ...]
    runtimes: str


def catalogue(events: tuple[Event, ...]) -> list[EventKind]:
    names: dict[str, list[Event]] = {}
    for ev in events:
        names.setdefault(ev.name, []).append(ev)
    out = []
    for name, evs in names.items():
        fields: list[str] = []
        for ev in evs:
            fields += [k for k in ev.data if k not in fields]
        runtimes = sorted({json.dumps(ev.data.get("runtime")) for ev in evs})
        out.append(EventKind(str(redact(name)), len(evs), tuple(str(redact(f)) for f in fields),
                             str(redact(", ".join(runtimes)))))
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class Sample:
    name: str
    where: str
    """The file and line it was read from (file name only)."""
    lines: tuple[str, ...]
    """The event as indented JSON, every sensitive value redacted."""


def samples(events: tuple[Event, ...], limit: int = 3) -> list[Sample]:
    """The first event of each of the first ``limit`` names."""
    shown: dict[str, Event] = {}
    for ev in events:
        shown.setdefault(ev.name, ev)
    return [Sample(str(redact(name)), ev.where.rsplit("/", 1)[-1],
                   tuple(json.dumps(redact(ev.data), indent=2, ensure_ascii=False).split("\n")))
            for name, ev in list(shown.items())[:limit]]


@dataclasses.dataclass(frozen=True, slots=True)
class Audit:
    label: str
    events: int
    findings: tuple[Finding, ...]


def _where(f: Finding) -> str:
    return f.where.rsplit("/", 1)[-1]


def telemetry_catalogue(t: Templates, events: tuple[Event, ...]) -> Markup:
    """One row per event name: how many, the fields it carries, the runtime values seen."""
    return t.render("telemetry_catalogue.md.jinja", kinds=catalogue(events))


def telemetry_samples(t: Templates, events: tuple[Event, ...], limit: int = 3) -> Markup:
    """The first event of each of the first ``limit`` names, every sensitive value redacted."""
    return t.render("telemetry_samples.md.jinja", samples=samples(events, limit))


def telemetry_audit_table(t: Templates, events: tuple[Event, ...], label: str) -> Markup:
    """What ``agno-docs telemetry-audit`` reports for these events."""
    found = tuple(audit(list(events)))
    return t.render("telemetry_audit.md.jinja", audit=Audit(label, len(events), found), where=_where)


# --- macros ------------------------------------------------------------------------------------------------


def _parity_results(t: Templates, data: Loaded) -> Markup:
    """The Parity page's results."""
    return parity_page(t, data.matrix)


def _parity_badge(t: Templates, data: Loaded, module_id: str, href_base: str = PARITY_HREF) -> Markup:
    """One module's parity evidence, linking to its fixture under ``href_base``."""
    return parity_evidence(t, lookup.module(data.matrix, module_id), href_base)


def _parity_count(t: Templates, data: Loaded) -> Markup:
    """How many parity results the matrix carries."""
    return Markup(len(data.matrix.parity))


def _benchmark_table(t: Templates, data: Loaded) -> Markup:
    """Go against Python per benchmark and metric."""
    return benchmark_table(t, data.matrix)


def _benchmark_env(t: Templates, data: Loaded) -> Markup:
    """Where the benchmarks were measured."""
    return benchmark_env(t, data.matrix)


def _benchmark_chart(t: Templates, data: Loaded, metric: str = "ns/op") -> Markup:
    """A bar chart of one metric."""
    return benchmark_chart(t, data.matrix, metric)


def _benchmark_count(t: Templates, data: Loaded) -> Markup:
    """How many benchmarks the matrix carries."""
    return Markup(len(data.matrix.benchmarks))


def _telemetry_catalogue(t: Templates, data: Loaded, path: str) -> Markup:
    """The event names of a telemetry sample."""
    return telemetry_catalogue(t, data.site.events(path))


def _telemetry_samples(t: Templates, data: Loaded, path: str, limit: int = 3) -> Markup:
    """Redacted sample events."""
    return telemetry_samples(t, data.site.events(path), limit)


def _telemetry_audit(
    t: Templates, data: Loaded, path: str, label: str | None = None
) -> Markup:
    """The telemetry audit of a sample."""
    return telemetry_audit_table(t, data.site.events(path), label or t.words.text("telemetry.audit_label"))


MACROS: tuple[Macro, ...] = (
    Macro("parity_results", _parity_results),
    Macro("parity_badge", _parity_badge, (Arg.MODULE_ID, Arg.LINK)),
    Macro("parity_count", _parity_count),
    Macro("benchmark_table", _benchmark_table),
    Macro("benchmark_env", _benchmark_env),
    Macro("benchmark_chart", _benchmark_chart, (Arg.METRIC,)),
    Macro("benchmark_count", _benchmark_count),
    Macro("telemetry_catalogue", _telemetry_catalogue, (Arg.SAMPLE,)),
    Macro("telemetry_samples", _telemetry_samples, (Arg.SAMPLE, Arg.COUNT)),
    Macro("telemetry_audit", _telemetry_audit, (Arg.SAMPLE, Arg.TEXT)),
)

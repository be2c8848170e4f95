"""Evidence pages: parity results, benchmarks (table and inline SVG chart), telemetry.

Every value that came from a results file goes through :func:`esc`; long values are
folded into ``<details>``. Output is whole HTML blocks without blank lines, so
Markdown never re-reads it, and nothing is ever rendered by Jinja. When the matrix
carries no parity results or benchmarks, the pages say so plainly: a missing run
is never drawn as a pass.

Reusable pieces for other pages: :func:`parity_evidence` (the parity badge of one
module, linking to its failing fixture on the Parity page) and :func:`parity_anchor`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..model import Benchmark, Module, ParityResult, ParityStatus, SupportMatrix
from ..sources import Loaded
from ..sources.benchmarks import higher_is_better, units_of
from ..telemetry import Event, audit, read_events, redact
from . import MacroFn
from ._html import attrs, esc

#: Values longer than this are folded into <details> on the Parity page.
FOLD = 80
TIMES = "\u00d7"  # the multiplication sign ("4.1 times faster")
#: Where the Parity page is, relative to a page one level down (``matrix/``), with directory URLs.
PARITY_HREF = "../parity/"
_ROOT = Path(__file__).resolve().parent.parent.parent

_STATUS_WORDS = {ParityStatus.PASS: "pass", ParityStatus.FAIL: "fail", ParityStatus.ERROR: "error"}


# --- parity ------------------------------------------------------------------------------------------------


def parity_anchor(fixture: str) -> str:
    """The stable HTML id of a fixture's section on the Parity page."""
    slug = re.sub(r"[^a-z0-9]+", "-", fixture.lower()).strip("-")[:48] or "fixture"
    digest = hashlib.sha1(fixture.encode()).hexdigest()[:6]
    return f"parity-{slug}-{digest}"


def _href(base: str, fixture: str) -> str:
    return f"{base}#{parity_anchor(fixture)}"


def parity_evidence(module: Module, href_base: str = PARITY_HREF) -> str:
    """A small badge: ``parity 2/2 pass`` or ``parity: 1 of 3 failing`` (linking to the failing fixture)."""
    p = module.parity
    if p is None or not p.fixtures:
        return (
            '<span class="agno-parity agno-parity--none" title="no parity fixture exercises this module '
            'in this snapshot">no parity run</span>'
        )
    total = p.passed + p.failed + p.errored
    bad = p.failed + p.errored
    if bad == 0:
        title = "parity fixtures passed: " + ", ".join(p.fixtures)
        href = _href(href_base, p.fixtures[0])
        return (
            f"<a{attrs(class_='agno-parity agno-parity--pass', href=href, title=title)}>"
            f"parity {total}/{total} pass</a>"
        )
    first = (p.first_failure or "").split(":", 1)[0]
    target = first if first in p.fixtures else p.fixtures[0]
    title = f"first failure: {p.first_failure}" if p.first_failure else "a parity fixture failed"
    return (
        f"<a{attrs(class_='agno-parity agno-parity--fail', href=_href(href_base, target), title=title)}>"
        f"parity: {bad} of {total} failing</a>"
    )


def parity_page(matrix: SupportMatrix) -> str:
    """The body of the Parity page: a summary, then one section per fixture with its diffs."""
    if not matrix.parity:
        return (
            '<div class="agno-evidence-empty"><p><strong>No parity results recorded in this snapshot.'
            "</strong> No module's status on this site rests on a parity run; see below for how to add "
            "results.</p></div>\n"
        )
    counts = Counter(r.status for r in matrix.parity)
    demoted = [m for m in matrix.modules if m.parity and (m.parity.failed or m.parity.errored)]
    parts = [
        '<div class="agno-parity-summary"><p>'
        f"{len(matrix.parity)} fixture(s): {counts[ParityStatus.PASS]} pass, "
        f"{counts[ParityStatus.FAIL]} fail, "
        f"{counts[ParityStatus.ERROR]} error. Modules exercised by a failing or erroring fixture: "
        f"{len(demoted)}.</p></div>"
    ]
    by_id = matrix.modules_by_id()
    for r in sorted(matrix.parity, key=lambda r: (r.status is ParityStatus.PASS, r.fixture)):
        parts.append(_fixture_section(r, by_id))
    return "\n".join(parts) + "\n"


def _fixture_section(r: ParityResult, by_id: dict[str, Module]) -> str:
    status = _STATUS_WORDS[r.status]
    anchor = parity_anchor(r.fixture)
    mm = "—" if r.metrics_match is None else ("yes" if r.metrics_match else "no")
    ran = r.ran_at.isoformat() if r.ran_at else "—"
    mods = (
        ", ".join(
            f"<code>{esc(m)}</code> ({esc(by_id[m].status.label) if m in by_id else '?'})" for m in r.modules
        )
        or "none named"
    )
    head = (
        f"<section{attrs(class_=f'agno-parity-fixture agno-parity-fixture--{status}', id=anchor)}>"
        f'<h3>{esc(r.fixture)} <span class="agno-parity agno-parity--{status}">{status}</span></h3>'
        '<table class="agno-parity-meta"><tbody>'
        f"<tr><th>status</th><td>{status}</td></tr>"
        f"<tr><th>metrics match</th><td>{mm}</td></tr>"
        f"<tr><th>ran at</th><td>{esc(ran)}</td></tr>"
        f"<tr><th>modules</th><td>{mods}</td></tr>"
        f"<tr><th>results file</th><td><code>{esc(r.source or '—')}</code></td></tr>"
        "</tbody></table>"
    )
    if not r.diffs:
        body = (
            "<p>No diffs recorded.</p>"
            if r.status is ParityStatus.PASS
            else "<p>No diff recorded: the run did not produce comparable outputs.</p>"
        )
    else:
        rows = "".join(
            f"<tr><td><code>{esc(d.path)}</code></td><td>{_value(d.python)}</td><td>{_value(d.go)}</td></tr>"
            for d in r.diffs
        )
        body = (
            '<table class="agno-parity-diffs"><thead><tr><th>path</th><th>Python</th><th>Go</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    return head + body + "</section>"


def _value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=2, default=str)
    if value is None:
        return "<em>absent</em>"
    if len(text) <= FOLD and "\n" not in text:
        return f"<code>{esc(text)}</code>"
    summary = esc(text.replace("\n", " ")[:60]) + "…"
    full = "&#10;".join(esc(line) for line in text.split("\n"))
    return (
        f"<details><summary><code>{summary}</code> ({len(text)} chars)</summary><pre>{full}</pre></details>"
    )


# --- benchmarks --------------------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"


def _reading(unit: str, ratio: float) -> str:
    if ratio == 0:
        return "Go: zero"
    faster = ratio > 1 if higher_is_better(unit) else ratio < 1
    factor = ratio if ratio >= 1 else 1 / ratio
    if abs(factor - 1) < 0.005:
        return "same"
    if unit.startswith(("B/", "allocs")):
        return f"Go {factor:.2g}{TIMES} {'less' if faster else 'more'}"
    return f"Go {factor:.2g}{TIMES} {'faster' if faster else 'slower'}"


def _missing_side(b: Benchmark, unit: str) -> str:
    if b.python is None:
        return "Go only"
    if b.go is None:
        return "Python only"
    return "no Python figure" if unit in b.go.metrics else "no Go figure"


def benchmark_table(matrix: SupportMatrix) -> str:
    if not matrix.benchmarks:
        return (
            '<div class="agno-evidence-empty"><p><strong>No benchmarks recorded in this snapshot.</strong> '
            "See below for how to add them.</p></div>\n"
        )
    rows = []
    for b in matrix.benchmarks:
        units = units_of(b)
        for i, unit in enumerate(units):
            g = _fmt(b.go.metrics[unit]) if b.go and unit in b.go.metrics else "—"
            p = _fmt(b.python.metrics[unit]) if b.python and unit in b.python.metrics else "—"
            ratio = b.ratios.get(unit)
            r = f"{ratio:.3g}" if ratio is not None else "—"
            reading = _reading(unit, ratio) if ratio is not None else _missing_side(b, unit)
            name = f"<code>{esc(b.name)}</code>" if i == 0 else ""
            rows.append(
                f"<tr><td>{name}</td><td>{esc(unit)}</td><td>{esc(g)}</td><td>{esc(p)}</td>"
                f"<td>{esc(r)}</td><td>{esc(reading)}</td></tr>"
            )
    return (
        '<table class="agno-bench-table"><thead><tr><th>benchmark</th><th>metric (unit)</th><th>Go</th>'
        "<th>Python</th><th>Go / Python</th><th>reading</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>\n"
        '<p class="agno-bench-note">Ratio = Go / Python. For <code>ns/op</code>, <code>B/op</code> and '
        "<code>allocs/op</code> a ratio below 1 means Go is faster or leaner; for rates "
        "(<code>MB/s</code>, <code>ops/sec</code>) a ratio above 1 means Go is faster.</p>\n"
    )


def benchmark_env(matrix: SupportMatrix) -> str:
    """Where each side was measured (every distinct environment, with the benchmarks that used it)."""
    if not matrix.benchmarks:
        return ""
    seen: dict[tuple[str, str], list[str]] = {}
    for b in matrix.benchmarks:
        for side_name, side in (("Go", b.go), ("Python", b.python)):
            if side and side.env:
                e = side.env
                desc = ", ".join(
                    f"{k} {v}"
                    for k, v in (
                        ("python", e.python),
                        ("os", e.goos),
                        ("arch", e.goarch),
                        ("cpu", e.cpu),
                        ("pkg", e.pkg),
                    )
                    if v
                )
                seen.setdefault((side_name, desc or "not recorded"), []).append(
                    f"{b.name} ({side.runs} run(s))"
                )
    rows = "".join(
        f"<tr><td>{esc(side)}</td><td>{esc(desc)}</td><td>{esc(', '.join(names))}</td></tr>"
        for (side, desc), names in seen.items()
    )
    return (
        '<table class="agno-bench-env"><thead><tr><th>side</th><th>environment</th><th>benchmarks (runs, '
        "median taken)</th></tr></thead><tbody>" + rows + "</tbody></table>\n"
    )


def benchmark_chart(matrix: SupportMatrix, metric: str = "ns/op") -> str:
    """Inline SVG: per benchmark a Go bar and a Python bar (scaled to the larger one) and the reading."""
    pairs = [
        b
        for b in matrix.benchmarks
        if b.go and b.python and metric in b.go.metrics and metric in b.python.metrics
    ]
    if not pairs:
        return ""
    label_w, bar_w, right_w, row_h = 260, 340, 150, 46
    width = label_w + bar_w + right_w
    height = 34 + row_h * len(pairs)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="agno-bench-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'aria-label="{esc(metric)}: Go against Python per benchmark">',
        f"<title>{esc(metric)}: Go against Python per benchmark</title>",
        f'<rect x="{label_w}" y="6" width="12" height="12" class="agno-bar-go" fill="#3f51b5"/>'
        f'<text x="{label_w + 18}" y="16" font-size="12">Go</text>'
        f'<rect x="{label_w + 60}" y="6" width="12" height="12" class="agno-bar-python" fill="#f9a825"/>'
        f'<text x="{label_w + 78}" y="16" font-size="12">Python</text>'
        f'<text x="{label_w + 150}" y="16" font-size="12">{esc(metric)}, each row scaled to its '
        f"larger value</text>",
    ]
    for i, b in enumerate(pairs):
        assert b.go and b.python
        g, p = b.go.metrics[metric], b.python.metrics[metric]
        top = max(g, p) or 1.0
        y = 30 + i * row_h
        name = b.name if len(b.name) <= 38 else b.name[:37] + "…"
        ratio = b.ratios.get(metric)
        reading = _reading(metric, ratio) if ratio is not None else "—"
        gw, pw = max(bar_w * g / top, 1), max(bar_w * p / top, 1)
        parts.append(
            f"<g><title>{esc(b.name)}: Go {esc(_fmt(g))}, Python {esc(_fmt(p))} {esc(metric)}</title>"
            f'<text x="0" y="{y + 20}" font-size="12">{esc(name)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{gw:.1f}" height="14" fill="#3f51b5"/>'
            f'<text x="{label_w + 4 + gw:.1f}" y="{y + 15}" font-size="10">{esc(_fmt(g))}</text>'
            f'<rect x="{label_w}" y="{y + 20}" width="{pw:.1f}" height="14" fill="#f9a825"/>'
            f'<text x="{label_w + 4 + pw:.1f}" y="{y + 31}" font-size="10">{esc(_fmt(p))}</text>'
            f'<text x="{width - 4}" y="{y + 24}" font-size="12" text-anchor="end" font-weight="bold">'
            f"{esc(reading)}</text></g>"
        )
    parts.append("</svg>")
    return "".join(parts) + "\n"


# --- telemetry ---------------------------------------------------------------------------------------------


def _events(path: str) -> list[Event]:
    p = Path(path)
    if not p.is_absolute() and not p.exists():
        p = _ROOT / path
    return read_events(str(p))


def telemetry_catalogue(events: list[Event]) -> str:
    """One row per event name: how many, the fields it carries, the runtime values seen."""
    names: dict[str, list[Event]] = {}
    for ev in events:
        names.setdefault(ev.name, []).append(ev)
    rows = []
    for name, evs in names.items():
        fields: list[str] = []
        for ev in evs:
            fields += [k for k in ev.data if k not in fields]
        runtimes = sorted({json.dumps(ev.data.get("runtime")) for ev in evs})
        rows.append(
            f"<tr><td><code>{esc(redact(name))}</code></td><td>{len(evs)}</td>"
            f"<td>{esc(', '.join(str(redact(f)) for f in fields))}</td>"
            f"<td>{esc(redact(', '.join(runtimes)))}</td></tr>"
        )
    return (
        '<table class="agno-telemetry-catalogue"><thead><tr><th>event</th><th>count</th><th>fields</th>'
        "<th>runtime</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>\n"
    )


def telemetry_samples(events: list[Event], limit: int = 3) -> str:
    """The first event of each of the first ``limit`` names, every sensitive value redacted."""
    shown: dict[str, Event] = {}
    for ev in events:
        shown.setdefault(ev.name, ev)
    out = []
    for name, ev in list(shown.items())[:limit]:
        text = json.dumps(redact(ev.data), indent=2, ensure_ascii=False)
        body = "&#10;".join(esc(line) for line in text.split("\n"))
        out.append(
            f"<p><code>{esc(redact(name))}</code> ({esc(ev.where.rsplit('/', 1)[-1])}):</p>"
            f'<pre class="agno-telemetry-sample"><code>{body}</code></pre>'
        )
    return "\n".join(out) + "\n"


def telemetry_audit_table(events: list[Event], label: str) -> str:
    findings = audit(events)
    if not findings:
        return f"<p>{esc(label)}: {len(events)} event(s), clean (exit code 0).</p>\n"
    rows = "".join(
        f"<tr><td><code>{esc(f.where.rsplit('/', 1)[-1])}</code></td><td>{esc(f.event)}</td>"
        f"<td><code>{esc(f.path)}</code></td><td>{esc(f.kind)}</td><td><code>{esc(f.shown)}</code></td></tr>"
        for f in findings
    )
    return (
        f"<p>{esc(label)}: {len(events)} event(s), {len(findings)} finding(s) (exit code 1).</p>"
        '<table class="agno-telemetry-audit"><thead><tr><th>event</th><th>name</th><th>path</th>'
        "<th>finding</th>"
        "<th>shown as</th></tr></thead><tbody>" + rows + "</tbody></table>\n"
    )


# --- macros ------------------------------------------------------------------------------------------------


def _parity_badge(data: Loaded, module_id: str, href_base: str = PARITY_HREF) -> str:
    module = data.matrix.modules_by_id().get(module_id)
    if module is None:
        raise ValueError(f"parity_badge: unknown module id {module_id!r}")
    return parity_evidence(module, href_base)


MACROS: dict[str, MacroFn] = {
    "parity_results": lambda data: parity_page(data.matrix),
    "parity_badge": _parity_badge,
    "parity_count": lambda data: str(len(data.matrix.parity)),
    "benchmark_table": lambda data: benchmark_table(data.matrix),
    "benchmark_env": lambda data: benchmark_env(data.matrix),
    "benchmark_chart": lambda data, metric="ns/op": benchmark_chart(data.matrix, metric),
    "benchmark_count": lambda data: str(len(data.matrix.benchmarks)),
    "telemetry_catalogue": lambda data, path: telemetry_catalogue(_events(path)),
    "telemetry_samples": lambda data, path, limit=3: telemetry_samples(_events(path), int(limit)),
    "telemetry_audit": lambda data, path, label="Audit of the sample file": telemetry_audit_table(
        _events(path), label
    ),
}

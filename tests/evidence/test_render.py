"""Evidence renderers: golden HTML fragments, escaping of hostile values, honest empty states."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import msgspec
import pytest
from markupsafe import Markup

from matrix.errors import UsageError
from matrix.model import Module, ParityDiff, ParityResult, ParityStatus, SupportMatrix
from matrix.render import evidence, macros
from matrix.render.evidence import parity_anchor
from matrix.render.templating import default
from matrix.sources import Loaded
from matrix.sources.evidence import apply_evidence
from matrix.telemetry import Event, read_events
from tests import factories
from tests.evidence.conftest import DATA, sample_matrix

T = default()


def parity_page(m: SupportMatrix) -> Markup:
    return evidence.parity_page(T, m)


def benchmark_table(m: SupportMatrix) -> Markup:
    return evidence.benchmark_table(T, m)


def benchmark_env(m: SupportMatrix) -> Markup:
    return evidence.benchmark_env(T, m)


def benchmark_chart(m: SupportMatrix, metric: str = "ns/op") -> Markup:
    return evidence.benchmark_chart(T, m, metric)


def parity_evidence(module: Module) -> Markup:
    return evidence.parity_evidence(T, module)

SAMPLE_TELEMETRY = "docs/snippets/evidence/telemetry-sample.jsonl"
HOSTILE = "<script>alert(1)</script> | a | b | {{ config }} {% if x %} *md* [l](x)"


def with_evidence() -> SupportMatrix:
    return apply_evidence(
        sample_matrix(),
        parity_dir=DATA / "parity",
        bench_go=DATA / "go-bench-multi.txt",
        bench_python=DATA / "python-bench.json",
    )


def assert_inert(html: str) -> None:
    """Nothing a browser, Markdown or Jinja would act on came from data."""
    assert "<script" not in html
    assert "{{" not in html and "{%" not in html
    assert "*md*" not in html and "[l](x)" not in html
    # the only pipes are none at all: every | from data became &#124;
    assert "|" not in html


def test_parity_page_golden(golden: Callable[[str, str], None]) -> None:
    html = parity_page(with_evidence())
    assert_inert(html)
    golden("parity_page.html", html)


def test_parity_page_folds_long_values() -> None:
    long = {"content": "x" * 200, "nested": [1, 2, {"k": HOSTILE}]}
    m = msgspec.structs.replace(
        sample_matrix(),
        parity=(
            ParityResult(
                fixture="long one",
                status=ParityStatus.FAIL,
                diffs=(ParityDiff(path="outputs[0]", python=long, go=HOSTILE),),
                modules=("tools.calculator",),
            ),
        ),
    )
    html = parity_page(m)
    assert_inert(html)
    assert html.count("<details>") == 1  # the long dict folds; the short hostile string does not
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; &#124; a &#124; b &#124; &#123;&#123; config &#125;&#125;"
        in html
    )
    text = json.dumps(long, ensure_ascii=False, indent=2)
    assert f"({len(text)} chars)</summary>" in html


def test_empty_states_say_so_plainly() -> None:
    m = factories.small()
    assert "No parity results recorded in this snapshot." in parity_page(m)
    assert "No benchmarks recorded in this snapshot." in benchmark_table(m)
    assert benchmark_chart(m) == "" and benchmark_env(m) == ""


def test_benchmark_table_golden(golden: Callable[[str, str], None]) -> None:
    m = with_evidence()
    golden("benchmark_table.html", benchmark_table(m) + benchmark_env(m))


def test_benchmark_table_readings() -> None:
    html = benchmark_table(with_evidence())
    assert "<td>ns/op</td><td>2,400</td><td>50,000</td><td>0.048</td><td>Go 21\u00d7 faster</td>" in html
    assert "<td>MB/s</td><td>16.67</td><td>4.10</td><td>4.07</td><td>Go 4.1\u00d7 faster</td>" in html
    assert "<td>B/op</td><td>1,200</td><td>9,000</td><td>0.133</td><td>Go 7.5\u00d7 less</td>" in html
    assert "<td>rows/s</td><td>—</td><td>1,200</td><td>—</td><td>Python only</td>" in html
    assert "a ratio below 1 means Go is faster" in html


def test_benchmark_chart_is_inline_svg_without_requests(golden: Callable[[str, str], None]) -> None:
    svg = benchmark_chart(with_evidence())
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "href" not in svg and "url(" not in svg and "<script" not in svg
    # three benchmarks have ns/op on both sides
    assert len(re.findall(r"<g><title>", svg)) == 3
    golden("benchmark_chart.svg.html", svg)


def test_chart_escapes_benchmark_names() -> None:
    m = with_evidence()
    b = m.benchmarks[0]
    hostile = msgspec.structs.replace(b, name=HOSTILE)
    svg = benchmark_chart(msgspec.structs.replace(m, benchmarks=(hostile,)))
    assert_inert(svg)


@pytest.mark.parametrize(
    ("mid", "expected"),
    [
        (
            "tools.calculator",
            f'<a class="agno-parity agno-parity--fail" href="../parity/&#35;{parity_anchor("search-news")}"',
        ),
        (
            "models.openai",
            f'<a class="agno-parity agno-parity--pass" '
            f'href="../parity/&#35;{parity_anchor("calculator-basic")}" title="parity fixtures passed: '
            'calculator-basic">parity 1/1 pass</a>',
        ),
        (
            "tools.shell",
            '<span class="agno-parity agno-parity--none" title="no parity fixture exercises this module in '
            'this snapshot">no parity run</span>',
        ),
    ],
)
def test_parity_badge(mid: str, expected: str) -> None:
    html = parity_evidence(with_evidence().modules_by_id()[mid])
    assert html.startswith(expected)
    assert_inert(html)


def test_parity_badge_macro_and_unknown_id() -> None:
    data = Loaded(with_evidence())
    assert macros()["parity_badge"](data, "tools.calculator", "parity.html").startswith(
        '<a class="agno-parity agno-parity--fail" href="parity.html&#35;parity-search-news-'
    )
    with pytest.raises(UsageError) as info:  # a project error: the macro handler reports it in one line
        macros()["parity_badge"](data, "tools.nope")
    assert str(info.value) == ("agno-docs macro: unknown module id 'tools.nope'; "
                               "closest known id: 'tools.shell'")


def test_anchor_is_stable_and_safe() -> None:
    assert parity_anchor("search-news") == parity_anchor("search-news")
    assert re.fullmatch(r"parity-[a-z0-9-]+-[0-9a-f]{6}", parity_anchor(HOSTILE))
    assert parity_anchor("A b") != parity_anchor("a-b")


def test_telemetry_fragments_golden(golden: Callable[[str, str], None]) -> None:
    events: tuple[Event, ...] = tuple(read_events(SAMPLE_TELEMETRY))
    html = (
        evidence.telemetry_catalogue(T, events) + evidence.telemetry_samples(T, events, 5)
        + evidence.telemetry_audit_table(T, events, "sample")
    )
    assert "sk-EXAMPLE" not in html and "someone@example.com" not in html and "EXAMPLEexample" not in html
    assert "sk-…&#91;redacted, 50 chars&#93;" in html
    golden("telemetry.html", html)


def test_unknown_and_hostile_metric_units_are_shown_as_text() -> None:
    from matrix.sources.benchmarks import pair, parse_go_text, parse_python_json

    go = parse_go_text("BenchmarkX-8 10 5 ns/op 3 <b>|{{x}}/op\n", "g.txt")
    py = parse_python_json(
        '{"benchmarks": [{"name": "BenchmarkX", "metrics": {"ns/op": 10, "<b>|{{x}}/op": 6}}]}', "p.json"
    )
    m = msgspec.structs.replace(sample_matrix(), benchmarks=pair(go, py))
    html = benchmark_table(m) + benchmark_chart(m, "<b>|{{x}}/op")
    assert_inert(html)
    assert "<b>" not in html
    assert "<td>&lt;b&gt;&#124;&#123;&#123;x&#125;&#125;/op</td><td>3</td><td>6</td><td>0.5</td>" in html

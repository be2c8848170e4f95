"""The interactive support matrix block: golden output, escaping, legend, family figures, rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser

import markdown
import pytest

from matrix.model import Coverage, Family, Module, ParitySummary, Status, SupportMatrix, UnitKind
from matrix.render import interactive, links, macros
from matrix.render.evidence import parity_anchor
from matrix.render.interactive import FamilyFigure, family_figures, statuses_present
from matrix.render.templating import default
from matrix.sources import Loaded, Stale
from tests import factories
from tests.render.conftest import NASTY

T = default()


def interactive_matrix(data: Loaded) -> str:
    """The block as the matrix page (``matrix/``) renders it: module names link to ``../modules/...``."""
    with links.at("matrix/"):
        return str(interactive.interactive_matrix(T, data))


def between(html: str, start: str, end: str) -> str:
    """The part of ``html`` from the first ``start`` to the next ``end``."""
    i = html.index(start)
    return html[i:html.index(end, i) + len(end)]

EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences"]


class _Rows(HTMLParser):
    """Collects the rows of the full (<noscript>) table, which carry the anchors, and the block's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str | None]] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "tr" and "data-status" in a and "id" in a:
            self.rows.append(a)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag with its attributes (decoded)."""
    out: list[tuple[str, dict[str, str | None]]] = []

    class _All(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            out.append((tag, dict(attrs)))

    _All(convert_charrefs=True).feed(html)
    return out


def parse(html: str) -> _Rows:
    p = _Rows()
    p.feed(html)
    p.close()
    return p


def test_macro_is_registered() -> None:
    data = Loaded(factories.small())
    with links.at("matrix/"):
        assert str(macros()["interactive_matrix"](data, "../parity/")) == interactive_matrix(data)


def test_module_links_are_relative_to_the_page_being_rendered() -> None:
    """One mechanism (links.module_href): the same matrix rendered at the site root and one level down."""
    data = Loaded(factories.small())
    root = str(interactive.interactive_matrix(T, data))
    assert '<a href="modules/tools/calculator/">Calculator</a>' in root
    assert '<a href="../modules/tools/calculator/">Calculator</a>' in interactive_matrix(data)


def test_golden_small(golden: Callable[[str, str], None]) -> None:
    golden("interactive/small.html", interactive_matrix(Loaded(factories.small())))


def test_one_row_per_module_in_family_then_id_order() -> None:
    m = factories.matrix(
        factories.module("tools.zeta"), factories.module("tools.alpha", Status.NOT_MIGRATED),
        factories.module("agent.base"),
        families=(Family(id="tools", title="Toolkits", order=0), Family(id="agent", title="Core", order=1)),
    )
    rows = parse(interactive_matrix(Loaded(m))).rows
    assert [(r["id"], r["data-family"], r["data-status"]) for r in rows] == [
        ("module-tools.alpha", "tools", "not_migrated"),
        ("module-tools.zeta", "tools", "migrated"),
        ("module-agent.base", "agent", "migrated"),
    ]


def test_count_and_total_are_the_module_count() -> None:
    html = interactive_matrix(Loaded(factories.small()))
    assert ('<p class="agno-matrix__count" aria-live="polite" data-agno-count>'
            "<strong>6</strong> of 6 modules</p>") in html
    assert 'data-total="6"' in html


def live_and_full(html: str) -> tuple[str, str]:
    """The live table's body (the first page) and the <noscript> copy's body (every row)."""
    html = str(html)
    live = between(html, "data-agno-live-table", "</tbody>").split("<tbody>", 1)[1]
    full = between(html, "<noscript data-agno-rows>", "</noscript>").split("<tbody>", 1)[1]
    return live.removesuffix("</tbody>"), full.split("</tbody>", 1)[0]


@pytest.mark.parametrize("n", [1, interactive.PAGE_SIZE, interactive.PAGE_SIZE + 1,
                               3 * interactive.PAGE_SIZE + 7])
def test_the_page_is_served_with_its_first_page_of_rows_and_every_row_in_noscript(n: int) -> None:
    m = factories.matrix(*(factories.module(f"tools.m{i:04d}") for i in range(n)))
    live, full = live_and_full(interactive_matrix(Loaded(m)))
    full_rows = [r + "</tr>" for r in full.split("</tr>") if r]
    live_rows = [r + "</tr>" for r in live.split("</tr>") if r]
    assert len(full_rows) == n and len(live_rows) == min(n, interactive.PAGE_SIZE)
    # The same rows, in the same order, without the anchors (the script moves them over).
    unanchored = [r.replace(f'<tr id="module-tools.m{i:04d}" ', "<tr ", 1) for i, r in enumerate(full_rows)]
    assert live_rows == unanchored[:len(live_rows)]
    assert f'data-agno-live-table data-page-size="{interactive.PAGE_SIZE}">' in interactive_matrix(Loaded(m))


@pytest.mark.parametrize(("statuses", "legend"), [
    ((Status.MIGRATED,), ["migrated"]),
    ((Status.NOT_MIGRATED, Status.MIGRATED), ["migrated", "not_migrated"]),
    ((Status.UNKNOWN, Status.WONT_PORT, Status.PARTIAL), ["partial", "wont_port", "unknown"]),
    (tuple(Status), [s.value for s in Status]),
])
def test_legend_shows_only_statuses_in_use(statuses: tuple[Status, ...], legend: list[str]) -> None:
    m = factories.matrix(*(factories.module(f"tools.m{i}", s) for i, s in enumerate(statuses)))
    assert [s.value for s in statuses_present(m)] == legend
    page = unescape(interactive_matrix(Loaded(m)))
    html = between(page, '<div class="agno-matrix__legend">', "</div>")
    assert [chunk.split('"', 1)[0] for chunk in html.split('data-status="')[1:]] == legend
    assert html.count("(1)</span>") == len(legend)
    # The status filter offers the same statuses, never one with no module.
    form = between(page, "<form", "</form>")
    assert [chunk.split('"', 1)[0] for chunk in form.split('name="status" value="')[1:]] == legend


def test_not_migrated_reads_not_yet_in_go_with_python_only_tooltip() -> None:
    html = interactive_matrix(Loaded(factories.matrix(factories.module("tools.shell", Status.NOT_MIGRATED))))
    assert ('<span class="agno-badge agno-badge--not&#95;migrated" title="runtime=python-only"'
            ' data-status="not&#95;migrated">Not yet in Go</span>') in html


def test_family_figures() -> None:
    m = factories.matrix(
        factories.module("tools.a", coverage=Coverage(ported=3, total=4, missing=("a",))),
        factories.module("tools.b", Status.NOT_MIGRATED,
                         coverage=Coverage(ported=0, total=2, missing=("x", "y"))),
        factories.module("tools.c", Status.GO_ONLY),
        factories.module("db.d", Status.WONT_PORT),
    )
    assert family_figures(m) == [
        FamilyFigure(id="db", title="Db", modules=1, in_go=0, ported=0, total=0, count=1),
        FamilyFigure(id="tools", title="Tools", modules=2, in_go=1, ported=3, total=6, count=3),
    ]
    assert [f.percent for f in family_figures(m)] == [None, 50]
    html = between(interactive_matrix(Loaded(m)), '<div class="agno-matrix__families">', "</div>")
    # No unit data: nothing is said about units (no "no data" placeholder).
    assert ('<li data-family="db" title="Db: 0 of 1 baseline modules are in Go in full or in part">'
            '<span class="agno-matrix__family-name">Db</span>'
            '<span><span class="agno-matrix__bar" aria-hidden="true"><span style="width:0%"></span></span>'
            " <strong>0</strong>/1 modules in Go, in full or in part</span></li>") in html
    assert "no data" not in interactive_matrix(Loaded(m))
    assert ('title="Tools: 1 of 2 baseline modules are in Go in full or in part; 50 % of their measured '
            'units are ported (3 of 6)"' in html)
    assert '<span style="width:50%">' in html and "units in Go: <strong>50&nbsp;%</strong> (3/6)" in html


def test_percent_floors_so_almost_never_reads_complete() -> None:
    assert FamilyFigure(id="x", title="X", modules=1, in_go=1, ported=995, total=1000).percent == 99


def _two(**kw: object) -> str:
    """A module with ``kw`` beside a plain one (so a column lives or dies by ``kw`` alone)."""
    status = kw.pop("status", Status.MIGRATED)
    assert isinstance(status, Status)
    return interactive_matrix(Loaded(factories.matrix(factories.module("tools.t", status, **kw),
                                                      factories.module("tools.u", notes="n"))))


@pytest.mark.parametrize(("parity", "key", "fragment"), [
    (ParitySummary(passed=2, fixtures=("fx_a", "fx_b")), "1.0000",
     f'href="../parity/#{parity_anchor("fx_a")}"'),
    (ParitySummary(failed=2, fixtures=("bad", "worse"), first_failure="worse: outputs[1] (python=1, go=2)"),
     "-1.0000", f'href="../parity/#{parity_anchor("worse")}"'),
    (ParitySummary(passed=1, failed=1, fixtures=("ok", "bad"),
                   first_failure="bad: outputs[0] (python=1, go=2)"),
     "0.0000", f'href="../parity/#{parity_anchor("bad")}"'),
])
def test_parity_cell(parity: ParitySummary, key: str, fragment: str) -> None:
    html = _two(parity=parity)
    assert f'<td data-key="{key}">' in html
    assert fragment in unescape(html)
    # The other module ran no fixture: a dash that sorts last.
    assert '<td data-key="-2"><span class="agno-matrix__muted" title="no parity fixture ran for it">' in html


def all_columns() -> SupportMatrix:
    """A matrix in which every column has something to say."""
    return factories.matrix(
        factories.module("tools.a", Status.PARTIAL, coverage=Coverage(ported=1, total=2, missing=("x",)),
                         parity=ParitySummary(passed=1, fixtures=("f",))),
        factories.module("tools.b", Status.NOT_MIGRATED),
    )


def header_keys(html: str) -> list[str]:
    head = between(html, "data-agno-live-table", "</thead>")
    return [chunk.split('"', 1)[0] for chunk in head.split('data-sort="')[1:]]


@pytest.mark.parametrize(("modules", "keys"), [
    # Nothing but ids, families and statuses: the three columns that always say something.
    ((factories.module("tools.a", Status.NOT_MIGRATED),), ["module", "family", "status"]),
    ((factories.module("tools.a"),), ["module", "family", "status", "package"]),
    ((factories.module("tools.a", coverage=Coverage(ported=1, total=2, missing=("x",))),),
     ["module", "family", "status", "package", "coverage"]),
    ((factories.module("tools.a", Status.NOT_MIGRATED, parity=ParitySummary()),),
     ["module", "family", "status"]),
    ((factories.module("tools.a", Status.NOT_MIGRATED, parity=ParitySummary(passed=1, fixtures=("f",))),),
     ["module", "family", "status", "parity"]),
    ((factories.module("tools.a", Status.NOT_MIGRATED, since="1.0.0"),),
     ["module", "family", "status", "notes"]),
    ((factories.module("tools.a", Status.NOT_MIGRATED, tracking="https://x.invalid/1"),),
     ["module", "family", "status", "notes"]),
    ((factories.module("tools.a", Status.PARTIAL, coverage=Coverage(ported=1, total=2, missing=("x",))),
      factories.module("tools.b", Status.WONT_PORT)),
     ["module", "family", "status", "package", "coverage", "notes"]),
])
def test_a_column_with_nothing_to_say_is_not_rendered(modules: tuple[Module, ...], keys: list[str]) -> None:
    html = interactive_matrix(Loaded(factories.matrix(*modules)))
    assert header_keys(html) == keys
    live, full = live_and_full(html)
    for body in (live, full):
        for row in body.split("</tr>")[:-1]:
            assert row.count("<td") == len(keys)


@pytest.mark.parametrize(("tracking", "linked"), [
    ("https://github.com/rexleimo/agno-Go/issues/1", True),
    ("http://example.invalid/7", True),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    (" javascript:alert(1)", False),
    ("ftp://example.invalid/x", False),
    ("data:text/html,x", False),
])
def test_only_web_tracking_urls_become_links(tracking: str, linked: bool) -> None:
    html = _two(tracking=tracking)
    hrefs = {a.get("href") for t, a in parse_elements(html) if t == "a"}
    assert hrefs - {"../modules/tools/t/", "../modules/tools/u/"} == ({tracking} if linked else set())


def test_each_module_name_links_to_its_page_and_its_id_breaks_only_after_a_dot() -> None:
    html = interactive_matrix(Loaded(factories.matrix(factories.module("vectordb.pg_vector"))))
    _, full = live_and_full(html)
    assert ('<td data-key="vectordb.pg&#95;vector">'
            '<a href="../modules/vectordb/pg&#95;vector/">Pg Vector</a> '
            '<code class="agno-matrix__id">vectordb.<wbr>pg&#95;vector</code></td>') in full
    assert "<td><code>pkg/<wbr>agno/<wbr>vectordb/<wbr>pg&#95;vector</code></td>" in full


@pytest.mark.parametrize(("kind", "words"), list(interactive.UNIT_WORDS.items()))
def test_units_cell_says_what_was_counted(kind: UnitKind, words: str) -> None:
    cov = Coverage(ported=3, total=7, missing=tuple("abcd"), kind=kind)
    data = Loaded(factories.matrix(factories.module("tools.a", coverage=cov)))
    _, full = live_and_full(interactive_matrix(data))
    assert ('<td class="agno-matrix__num" data-key="0.4286"><span title="missing: a, b, c, d">3/7</span>'
            f' <span class="agno-matrix__unit">{words}</span></td>') in full


@pytest.mark.parametrize(("covs", "headline"), [
    ((Coverage(ported=3, total=7, missing=tuple("abcd"), kind=UnitKind.FUNCTIONS),
      Coverage(ported=2, total=2, kind=UnitKind.FUNCTIONS)),
     "<strong>5 of 9</strong> measured units are ported to Go; 1 module runs in Go in full (every measured"
     " unit ported, none a stub), 1 in part."),
    ((None, None), "1 module runs in Go in full (every measured unit ported, none a stub), 1 in part."),
])
def test_headline_counts_measured_units(covs: tuple[Coverage | None, Coverage | None], headline: str) -> None:
    m = factories.matrix(factories.module("tools.a", Status.PARTIAL, coverage=covs[0]),
                         factories.module("tools.b", coverage=covs[1]))
    html = interactive_matrix(Loaded(m))
    start = '<p class="agno-matrix__headline">'
    assert between(html, start, "</p>") == f"{start}{headline}</p>"


def test_a_module_badge_tooltip_says_what_was_measured_for_it() -> None:
    cov = Coverage(ported=3, total=7, missing=tuple("abcd"), kind=UnitKind.ENDPOINTS)
    _, full = live_and_full(interactive_matrix(Loaded(factories.matrix(
        factories.module("os.a", Status.PARTIAL, coverage=cov), factories.module("os.b")))))
    titles = [r.split('title="', 1)[1].split('"', 1)[0] for r in full.split('class="agno-badge')[1:]]
    assert titles == [f"{Status.PARTIAL.tooltip} (3 of 7 endpoints ported)", Status.MIGRATED.tooltip]


@pytest.mark.parametrize(("text", "shown"), [
    ("", ""),
    ("short", "short"),
    ("x" * interactive.NOTE_SHOWN, "x" * interactive.NOTE_SHOWN),
    ("word " * 40, ("word " * 40)[:interactive.NOTE_SHOWN].rsplit(" ", 1)[0] + " ..."),
    ("missing 3 of 9 parameters: " + ", ".join(f"Agent.p{i}" for i in range(40)),
     "missing 3 of 9 parameters: " + ", ".join(f"Agent.p{i}" for i in range(13)) + " ..."),
])
def test_long_notes_are_cut_at_a_word(text: str, shown: str) -> None:
    assert interactive.short_note(text) == shown
    assert len(interactive.short_note(text)) <= interactive.NOTE_SHOWN + 4


def test_every_value_from_data_is_escaped_and_markdown_leaves_the_block_alone() -> None:
    html = _two(status=Status.PARTIAL, title=NASTY, notes=NASTY,
                coverage=Coverage(ported=0, total=1, missing=(NASTY,)))
    assert "<script>" not in html and "{{" not in html and "{%" not in html and "|" not in html
    text = "".join(parse(html).text)
    assert NASTY in text  # shown as written
    rendered = markdown.markdown(f"Intro\n\n{html}\n\nOutro", extensions=EXTENSIONS)
    assert html in rendered
    assert "<em>" not in rendered and "<script>" not in rendered


def test_stamp_says_what_every_page_stamp_says() -> None:
    data = Loaded(factories.small())
    html = between(interactive_matrix(data), '<p class="agno-matrix__stamp"', "</p>")
    text = (
        "Read from a snapshot: baseline <strong>agno</strong> 9.9.0"
        ' (<code title="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">aaaaaaa</code>) and the runtime'
        ' <strong>agno-go</strong> v0.0.1'
        ' (<code title="bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb">bbbbbbb</code>),'
        ' on <time datetime="2026-11-01T12:00:00+00:00">2026-11-01 12:00 UTC</time>.'
    )
    assert html == f'<p class="agno-matrix__stamp" data-agno-provenance>{text}</p>'
    assert f">{text}</p>" in macros()["provenance"](data)  # one provenance text


def test_stale_data_is_said_in_the_stamp() -> None:
    stale = Stale(reason="http://127.0.0.1:9/v1/runtime/go/support-matrix: connection refused", url=None,
                  since=datetime(2026, 10, 30, 8, 0, tzinfo=UTC))
    html = interactive_matrix(Loaded(factories.small(), stale))
    assert ('<strong class="agno-matrix__stale">Stale data: http://127.0.0.1:9/v1/runtime/go/support-matrix:'
            " connection refused (data from 2026-10-30 08:00 UTC)</strong>") in html


def test_sortable_headers_match_the_cells() -> None:
    html = interactive_matrix(Loaded(factories.small()))
    keys = header_keys(html)
    assert keys == [k for k, _ in interactive.COLUMNS if k not in ("parity", "coverage")]  # none in small()
    first_row = live_and_full(html)[1].split("</tr>", 1)[0]
    assert first_row.count("<td") == len(keys)
    head = between(str(interactive_matrix(Loaded(all_columns()))), "data-agno-live-table", "</thead>")
    numeric = [chunk.split('"', 1)[0] for chunk in head.split('data-sort="')[1:]
               if chunk.split(">", 1)[0].endswith(" data-numeric")]
    assert numeric == ["status", "coverage", "parity"] == sorted(interactive.NUMERIC, key=numeric.index)


def test_real_sized_matrix_renders_every_row() -> None:
    mods = [factories.module(f"f{i % 12}.m{i:03d}", list(Status)[i % 6]) for i in range(600)]
    m: SupportMatrix = factories.matrix(*mods)
    assert len(parse(interactive_matrix(Loaded(m))).rows) == 600

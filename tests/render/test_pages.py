"""Home, family pages, "Not yet in Go", provenance, schema reference and exports."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

import pytest

from matrix.errors import UsageError
from matrix.model import Provenance, Source, SourceKind, Status, json_schema
from matrix.render import figures, macros, pages
from matrix.render.templating import default
from matrix.render.text import esc
from matrix.sources import Loaded, snapshot
from tests import factories
from tests.render.conftest import NASTY, with_recipes

SMALL = Loaded(with_recipes())
M = macros()
T = default()


@pytest.mark.parametrize(
    ("macro", "args", "name"),
    [
        ("provenance", (), "provenance.html"),
        ("overall_progress", (), "overall.html"),
        ("family_progress", ("families/",), "family_progress.md"),
        ("family_table", ("tools",), "family_table_tools.html"),
        ("family_coverage", ("tools",), "family_coverage_tools.html"),
        ("not_in_go", ("families/",), "not_in_go.md"),
        ("not_migrated_error", (), "not_migrated_error.html"),
        ("not_migrated_ids", ("../not-in-go.md",), "not_migrated_ids.md"),
    ],
)
def test_goldens(golden: Callable[[str, str], None], macro: str, args: tuple[str, ...], name: str) -> None:
    golden(name, M[macro](SMALL, *args))


_C = "0123456789abcdef" * 2 + "01234567"


@pytest.mark.parametrize(
    ("source", "baseline", "runtime", "sentence"),
    [
        (Source(kind=SourceKind.SCAN, trees={"python": _C, "go": "c" * 40}),
         Provenance(name="agno", version="2.9.0", commit=_C, repository="https://github.com/agno-agi/agno"),
         Provenance(name="agno-Go", version="1.2.9", commit="c" * 40),
         "Computed from the source trees of the baseline <strong>agno</strong> 2.9.0 (<a href="
         f'"https://github.com/agno-agi/agno/tree/{_C}" title="{_C}"><code>0123456</code></a>)'
         " and the runtime "
         f'<strong>agno-Go</strong> 1.2.9 (<code title="{"c" * 40}">ccccccc</code>), on '
         '<time datetime="2026-11-01T12:00:00+00:00">2026-11-01 12:00 UTC</time>.'),
        # Trees named by a path are named; a side without a version or commit says so, no raw key.
        (Source(kind=SourceKind.SCAN, trees={"python": "/t/agno", "go": "/t/agno-go"}),
         Provenance(name="agno", version="2.9.0", commit=_C), Provenance(name="agno-go"),
         f'Computed from the source trees of the baseline <strong>agno</strong> 2.9.0 (<code title="{_C}">'
         "0123456</code>) and the runtime <strong>agno-go</strong> (version unknown) (trees: go "
         "<code>/t/agno-go</code>, python <code>/t/agno</code>), on "
         '<time datetime="2026-11-01T12:00:00+00:00">2026-11-01 12:00 UTC</time>.'),
        (Source(kind=SourceKind.API, url="http://127.0.0.1:8765/v1/runtime/go/support-matrix"),
         Provenance(name="agno", version="2.9.0"), Provenance(name="agno-go", version="1.2.9"),
         "Fetched from the runtime&#39;s control plane (<code>http://127.0.0.1:8765/v1/runtime/go/support-matrix"
         "</code>): baseline <strong>agno</strong> 2.9.0 and the runtime <strong>agno-go</strong> 1.2.9, on "
         '<time datetime="2026-11-01T12:00:00+00:00">2026-11-01 12:00 UTC</time>.'),
        # A repository that is not https, or a commit that is not hex, is never a link.
        (Source(kind=SourceKind.SNAPSHOT),
         Provenance(name="agno", commit="main", repository="https://github.com/agno-agi/agno"),
         Provenance(name="agno-go", commit="d" * 40, repository="javascript:alert(1)"),
         "Read from a snapshot: baseline <strong>agno</strong> (version unknown)"
         ' (<code title="main">main</code>) and the runtime <strong>agno-go</strong> (version unknown)'
         f' (<code title="{"d" * 40}">ddddddd</code>),'
         ' on <time datetime="2026-11-01T12:00:00+00:00">2026-11-01 12:00 UTC</time>.'),
    ],
)
def test_provenance_says_in_words_what_the_page_describes(
    source: Source, baseline: Provenance, runtime: Provenance, sentence: str
) -> None:
    m = factories.matrix(factories.module("tools.calculator"), baseline=baseline, runtime=runtime,
                         source=source)
    out = str(pages.provenance(T, m))
    assert out.endswith(f">{sentence}</p>"), out


@pytest.mark.parametrize(
    ("statuses", "share", "pct"),
    [
        ({Status.MIGRATED: 1, Status.NOT_MIGRATED: 2}, (1, 3), 33),
        ({Status.PARTIAL: 2, Status.GO_ONLY: 5}, (2, 2), 100),
        ({Status.MIGRATED: 199, Status.NOT_MIGRATED: 1}, (199, 200), 99),  # floored: never a false 100%
        ({Status.GO_ONLY: 3}, (0, 0), 0),
        ({Status.WONT_PORT: 1, Status.UNKNOWN: 1, Status.MIGRATED: 2}, (2, 4), 50),
    ],
)
def test_in_go_share(statuses: dict[Status, int], share: tuple[int, int], pct: int) -> None:
    c = Counter(statuses)
    assert figures.in_go_share(c) == share
    assert figures.percent(*share) == pct


def test_every_python_only_module_has_an_anchor_on_not_in_go() -> None:
    out = M["not_in_go"](SMALL)
    for m in SMALL.matrix.modules:
        expected = f'id="mod-{m.id}"' in out
        assert expected is (m.status in (Status.NOT_MIGRATED, Status.WONT_PORT)), m.id
    assert 'id="mod-tools.shell"' in out and '## Tools { #family-tools data-agno-group-part="tools" }' in out


def test_not_in_go_when_everything_is_in_go() -> None:
    m = Loaded(factories.matrix(factories.module("tools.calculator")))
    assert M["not_in_go"](m) == "Every baseline module has Go code today."
    unsure = Loaded(factories.matrix(factories.module("tools.calculator"),
                                     factories.module("tools.x", Status.UNKNOWN)))
    assert M["not_in_go"](unsure) == "No module is known to be python-only; 1 have no evidence either way."
    assert M["not_migrated_ids"](m) == "None: no module raises <code>not_migrated</code> today."


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        ("tools", "The 2 python-only modules of Tools, and what to do instead: "
                  "[Not yet in Go](../not-in-go.md#family-tools)."),
        ("models", "No module of Models is known to be python-only; 1 have no evidence either way."),
    ],
)
def test_family_link_to_not_in_go(family: str, expected: str) -> None:
    assert M["not_in_go_link"](SMALL, family) == expected


def test_family_with_everything_in_go_says_so() -> None:
    m = factories.matrix(factories.module("tools.calculator"), factories.module("tools.glm", Status.GO_ONLY))
    assert M["not_in_go_link"](Loaded(m), "tools") == "Every baseline module of Tools has Go code."


def test_unknown_family_lists_the_known_ones() -> None:
    with pytest.raises(UsageError) as info:
        M["family_table"](SMALL, "tool")
    assert str(info.value) == "agno-docs macro: unknown family 'tool'; known families: models, tools"


def test_notes_are_escaped_in_family_tables() -> None:
    data = Loaded(factories.matrix(factories.module("tools.evil", Status.PARTIAL, notes=NASTY, title=NASTY)))
    out = M["family_table"](data, "tools") + M["family_progress"](data)
    assert "<script" not in out and "{{" not in out and "{%" not in out and "*md*" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#124; table &#124; &#123;&#123; jinja &#125;&#125;" in out


def test_schema_tables_cover_every_object_and_field() -> None:
    schema = json_schema()
    out = pages.schema_fields(T, schema)
    for name, d in schema["$defs"].items():
        assert f"### {name}" in out
        for field in d.get("properties", {}):
            assert f"<code>{esc(field)}</code>" in out, (name, field)
    assert out.index("### SupportMatrix") < out.index("### Module")


def test_exports_decode_back_to_the_same_matrix() -> None:
    files = pages.exports(SMALL.matrix)
    assert sorted(files) == ["api/support-matrix.json", "api/support-matrix.schema.json",
                             "badges/models.json", "badges/overall.json", "badges/tools.json"]
    assert snapshot.decode(files["api/support-matrix.json"].encode(), "export") == SMALL.matrix
    assert files["api/support-matrix.json"].encode() == snapshot.encode(SMALL.matrix)
    assert json.loads(files["api/support-matrix.schema.json"]) == json.loads(json.dumps(json_schema()))


@pytest.mark.parametrize(
    ("family", "doc"),
    [
        ("overall", {"schemaVersion": 1, "label": "in Go", "message": "40% (2/5)", "color": "yellow"}),
        ("tools", {"schemaVersion": 1, "label": "Tools in Go", "message": "50% (2/4)",
                   "color": "yellowgreen"}),
        ("models", {"schemaVersion": 1, "label": "Models in Go", "message": "0% (0/1)", "color": "red"}),
    ],
)
def test_shields_endpoint_documents(family: str, doc: dict[str, object]) -> None:
    text = pages.exports(SMALL.matrix)[f"badges/{family}.json"]
    assert json.loads(text) == doc
    assert text.endswith("}\n")

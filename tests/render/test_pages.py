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
        ("not_in_go", ("families/", "../modules/"), "not_in_go.md"),
        ("not_migrated_error", (), "not_migrated_error.html"),
        ("not_migrated_ids", ("../not-in-go.md",), "not_migrated_ids.md"),
    ],
)
def test_goldens(golden: Callable[[str, str], None], macro: str, args: tuple[str, ...], name: str) -> None:
    golden(name, M[macro](SMALL, *args))


def test_provenance_names_both_sides_and_the_source() -> None:
    m = factories.matrix(
        factories.module("tools.calculator"),
        baseline=Provenance(name="agno", version="2.9.0", commit="0123456789abcdef" * 2 + "01234567"),
        runtime=Provenance(name="agno-go", version=None, commit=None),
        source=Source(kind=SourceKind.SCAN, trees={"python": "/t/agno", "go": "/t/agno-go"}),
    )
    out = pages.provenance(T, m)
    assert "Baseline <strong>agno</strong> 2.9.0 (<code title=\"0123456789abcdef" in out
    assert ">0123456789ab</code>" in out
    assert "Runtime <strong>agno-go</strong> version unknown &middot;" in out
    assert "source: scan <code>go=/t/agno-go, python=/t/agno</code>" in out
    assert "generated 2026-11-01T12:00:00+00:00" in out


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

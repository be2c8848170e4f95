"""A hostile matrix (a payload in every string field, from the schema) renders inert everywhere, fast.

The browser test (tests/browser/test_hostile.py) builds the whole site from the same matrix and
watches Chromium; this one renders every macro and generated file in-process and looks at the text.
"""

from __future__ import annotations

import json
import typing
from datetime import datetime

import msgspec
import pytest

from matrix import model
from matrix.render import Arg, macros, registry
from matrix.render.site import site_files
from matrix.render.templating import default
from matrix.settings import Settings
from matrix.sources import Loaded, load_site, snapshot
from tests.hostile import PAYLOAD, URL_PAYLOAD, hostile_document, string_locations

#: What must never appear in rendered output: live markup, template syntax, invisible characters.
RAW = ("<script", "<img", "{{", "{%", "\x00", "\u202e", "\u200b", 'href="javascript', "href='javascript")


def _typed_as_datetime(location: str) -> bool:
    struct_name, _, field = location.partition(".")
    hints = typing.get_type_hints(getattr(model, struct_name))
    return datetime in (hints[field], *typing.get_args(hints[field]))


def test_every_free_string_of_the_schema_carries_the_payload() -> None:
    h = hostile_document()
    locations = string_locations()
    assert len(locations) > 40 and h.hit <= locations
    assert locations - h.hit - h.kept - h.rejected == set()
    # Only values that name something stay (module ids, recipe paths and metrics the docs use)...
    doc = json.dumps(h.doc)
    assert doc.count(PAYLOAD.split("//")[0]) > 100
    # ...and datetimes, which the schema publishes as plain strings (see model.json_schema).
    assert all(_typed_as_datetime(loc) for loc in h.rejected), h.rejected


@pytest.fixture(scope="module", params=[PAYLOAD, URL_PAYLOAD], ids=["javascript", "https"])
def hostile(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Loaded:
    path = tmp_path_factory.mktemp("hostile") / "hostile.json"
    snapshot.dump(snapshot.decode(json.dumps(hostile_document(request.param).doc).encode(), "x"), path)
    return load_site(Settings.from_env(environ={}, snapshot=path))


def _calls(data: Loaded) -> list[tuple[str, tuple[object, ...]]]:
    m = data.matrix
    rich = next(x for x in m.modules if x.coverage is not None and x.coverage.units)
    first = {Arg.MODULE_ID: rich.id, Arg.FAMILY: m.families[0].id, Arg.RECIPE: m.recipes[-1].path,
             Arg.STATUS: "partial", Arg.SNIPPET: "x.py", Arg.SAMPLE: next(iter(data.site.telemetry)),
             Arg.LINK: "x/", Arg.METRIC: next(iter(m.benchmarks[0].ratios)), Arg.COUNT: 3, Arg.TEXT: "label"}
    return [(name, tuple(first[k] for k in macro.args)) for name, macro in registry().items()]


def test_every_macro_and_generated_page_renders_the_payload_inert(hostile: Loaded) -> None:
    outputs = {name: macros()[name](hostile, *args) for name, args in _calls(hostile)}
    outputs.update({path: text for path, text in site_files(default(), hostile).items()
                    if path.endswith(".md")})
    for name, out in outputs.items():
        found = [r for r in RAW if r in out]
        assert found == [], f"{name}: {found}"
    shown = "".join(outputs.values())
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&#123;&#123; 7&#42;7 &#125;&#125;" in shown and "&lt;U+202E&gt;" in shown


def test_the_exports_keep_the_data_as_data(hostile: Loaded) -> None:
    files = site_files(default(), hostile)
    assert snapshot.decode(files["api/support-matrix.json"].encode(), "export") == hostile.matrix
    for path, text in files.items():
        if path.startswith("badges/"):
            assert msgspec.json.decode(text)["label"].endswith("in Go")

"""macros/define_env: binds every renderer, publishes the exports, turns engine errors into one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import PluginError

import macros
from macros import shell, slots
from matrix.render import macros as all_macros
from matrix.render.pages import exports, provenance
from matrix.render.site import generate, module_pages_of, site_files
from matrix.render.templating import default
from matrix.settings import Settings
from matrix.sources import load_site, snapshot
from tests import factories


class FakeEnv:
    """The part of mkdocs-macros' env that define_env uses."""

    def __init__(self) -> None:
        self.conf: dict[str, Any] = {"extra": {}}
        self.macros: dict[str, Callable[..., str]] = {}
        self.page: Any = None

    def macro(self, fn: Callable[..., str], name: str) -> None:
        self.macros[name] = fn


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeEnv:
    for var in ("AGNO_MATRIX_SOURCE", "AGNO_RUNTIME_URL", "AGNO_MATRIX_REQUIRE_LIVE"):
        monkeypatch.delenv(var, raising=False)
    path = tmp_path / "m.json"
    snapshot.dump(factories.small(), path)
    monkeypatch.setenv("AGNO_MATRIX_SNAPSHOT", str(path))
    e = FakeEnv()
    macros.define_env(e)
    return e


def test_every_renderer_is_bound(env: FakeEnv) -> None:
    assert set(env.macros) == set(all_macros())
    placeholder = env.macros["module"]("tools.shell")  # the HTML is swapped in after Markdown
    stash = slots.current()
    assert stash is not None
    assert "Not yet in Go" in stash.expand(placeholder)


def test_bound_macros_have_a_short_repr(env: FakeEnv) -> None:
    # mkdocs-macros serialises its macros at every build: a repr holding the matrix cost ~0.6 s.
    assert all(len(repr(fn)) < 200 for fn in env.macros.values())


def test_generated_files_and_stamp_are_published_for_the_build(env: FakeEnv) -> None:
    # FakeEnv's config loads no hooks, so nothing is stashed (macros/slots.py: hooked)
    files = env.conf["extra"]["agno_files"]
    data = load_site(Settings.from_env())  # the small snapshot, with the packaged release history
    generated = generate(default(), data)
    assert files == generated.files == site_files(default(), data)
    assert {p: files[p] for p in exports(factories.small())} == exports(factories.small())
    assert sorted(p for p in files if p.startswith("families/")) == [
        "families/SUMMARY.md", "families/models.md", "families/tools.md"]
    # Module pages are not Markdown files: one frame page, into which each module's page is written.
    assert [p for p in files if p.startswith("modules/")] == ["modules/_agno_shell/_page.md"]
    assert shell.FRAME == "modules/_agno_shell/_page.md"
    pages = module_pages_of(default(), data)
    assert [r.url for r in pages] == [f"modules/{m.family}/{m.id.split('.', 1)[1]}/"
                                      for m in factories.small().modules]
    assert env.conf["extra"]["agno_provenance"] == provenance(default(), factories.small())


@pytest.mark.parametrize(("url", "href"), [
    (None, "modules/tools/shell/"),
    ("", "modules/tools/shell/"),
    ("matrix/", "../modules/tools/shell/"),
    ("families/tools/", "../../modules/tools/shell/"),
    ("modules/tools/calculator/", "../shell/"),
])
def test_macros_link_modules_relative_to_the_page_being_built(
    env: FakeEnv, url: str | None, href: str
) -> None:
    """The glue passes the page's URL: a badge's link to a module page works at every depth."""
    env.page = None if url is None else type("Page", (), {"url": url})()
    assert f'href="{href}"' in env.macros["module"]("tools.shell")
    assert f'href="{href}"' in env.macros["support_box"]("tools.shell")


def test_engine_errors_are_one_logged_line_and_a_visible_marker(
    env: FakeEnv, caplog: pytest.LogCaptureFixture
) -> None:
    env.page = type("Page", (), {"file": type("File", (), {"src_uri": "guide/x.md"})()})()
    with caplog.at_level("ERROR", logger="mkdocs.plugins.agno-docs"):
        html = env.macros["support_box"]("tools.calculater")
    line = "support_box(): unknown module id 'tools.calculater'; closest known id: 'tools.calculator'"
    assert [r.getMessage() for r in caplog.records] == [f"agno-docs: docs/guide/x.md: {line}"]
    assert html == (
        '<span class="agno-error" role="alert">support&#95;box(): unknown module id '
        "&#39;tools.calculater&#39;; closest known id: &#39;tools.calculator&#39;</span>"
    )


def test_missing_snapshot_fails_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGNO_MATRIX_SOURCE", raising=False)
    monkeypatch.setenv("AGNO_MATRIX_SNAPSHOT", str(tmp_path / "none.json"))
    with pytest.raises(PluginError) as info:
        macros.define_env(FakeEnv())
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("agno-docs: ")
    assert "none.json: no such snapshot file" in str(info.value)


@pytest.mark.parametrize(("call", "line"), [
    (lambda m: m["parity_badge"]("tools.nope"),
     "parity_badge(): unknown module id 'tools.nope'; closest known id: 'tools.shell'"),
    (lambda m: m["module"](),
     "module(): module(): missing a required argument: 'module_id'; it takes: module id"),
    (lambda m: m["porting_priority"]("many"),
     "porting_priority(): porting_priority(): argument 1 must be a whole number, not 'many'"),
])
def test_every_macro_error_is_one_line(
    env: FakeEnv, caplog: pytest.LogCaptureFixture, call: Callable[[dict[str, Callable[..., str]]], str],
    line: str,
) -> None:
    env.page = type("Page", (), {"file": type("File", (), {"src_uri": "x.md"})()})()
    with caplog.at_level("ERROR", logger="mkdocs.plugins.agno-docs"):
        html = call(env.macros)
    assert [r.getMessage() for r in caplog.records] == [f"agno-docs: docs/x.md: {line}"]
    assert html.startswith('<span class="agno-error" role="alert">')

"""End to end: `mkdocs build --strict` of the real site from the committed snapshot, then read the output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from matrix.model import Family, Status, SupportMatrix, json_schema
from matrix.sources import snapshot
from tests import factories
from tests.site.conftest import ROOT, Page, build

pytestmark = pytest.mark.slow

#: Pages of this part, and what each must show besides the provenance stamp.
PAGES = {
    "index.html": ['class="agno-overall"', 'class="agno-bar"'],
    "quickstart/index.html": ['data-module="core.agent"', 'data-module="core.workflow"',
                              "Needs a python-only module"],
    "not-in-go/index.html": ["not_migrated", "Not yet in Go"],
    "cookbook/index.html": ["data-agno-cookbook", "Recipes it alone blocks"],
    "cookbook/agent-with-tools/index.html": ['class="tabbed-labels"', "CalculatorTools"],
    "cookbook/sequential-workflow/index.html": ['class="tabbed-labels"'],
    "cookbook/agent-knowledge/index.html": ["Does not run in Go yet"],
    "examples/workflow-demo/index.html": ["not_migrated", "go build"],
    "whats-new/index.html": [],
    "reference/schema/index.html": ["SupportMatrix"],
}


def _page(site: Path, rel: str) -> Page:
    return Page((site / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_page_shows_its_content_and_the_stamp(site: Path, real: SupportMatrix, rel: str) -> None:
    html = (site / rel).read_text(encoding="utf-8")
    page = Page(html)
    stamps = page.with_attr("class", "agno-stamp")
    assert stamps, f"{rel}: no provenance stamp"
    assert stamps[0].get("data-baseline-commit") == real.baseline.commit
    assert stamps[0].get("data-runtime-commit") == real.runtime.commit
    for needle in PAGES[rel]:
        assert needle in html or needle in page.text, f"{rel}: no {needle!r}"


def test_family_pages_list_every_module(site: Path, real: SupportMatrix) -> None:
    for fam in real.families:
        ids = _page(site, f"families/{fam.id}/index.html").ids()
        for m in real.family_modules(fam.id):
            assert f"mod-{m.id}" in ids, f"families/{fam.id}: no row for {m.id}"


def _nav_families(site: Path) -> list[tuple[str, str]]:
    """(href, title) of the Families section of the nav, as the home page shows it."""
    html = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="(families/[a-z_]+/)" class="md-nav__link">\s*<span class="md-ellipsis">'
                       r"\s*(.*?)\s*</span>", html, re.S)
    return list(dict.fromkeys(links))


def test_every_family_has_a_generated_page_in_the_nav_in_family_order(
    site: Path, real: SupportMatrix
) -> None:
    fams = sorted(real.families, key=lambda f: (f.order, f.id))
    assert _nav_families(site) == [(f"families/{f.id}/", f.title) for f in fams]
    for f in fams:
        page = (site / "families" / f.id / "index.html").read_text(encoding="utf-8")
        assert f"<title>{f.title} - Agno Go runtime</title>" in page
    assert not (site / "families" / "SUMMARY").exists(), "the nav file is published as a page"


@pytest.mark.parametrize("title", ["Widgets", "Widgets & <gadgets>"])
def test_a_new_family_needs_no_hand_made_file(tmp_path: Path, real: SupportMatrix, title: str) -> None:
    """A family the docs have never heard of gets its page, nav entry and badge from the matrix alone."""
    new = msgspec.structs.replace(
        real, families=(*real.families, Family(id="widgets", title=title, order=99)),
        modules=(*real.modules, factories.module("widgets.gadget", Status.NOT_MIGRATED)),
    )
    snapshot.dump(new, tmp_path / "matrix.json")
    site = build(tmp_path / "site", AGNO_MATRIX_SNAPSHOT=str(tmp_path / "matrix.json"))
    escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert _nav_families(site)[-1] == ("families/widgets/", escaped)
    page = Page((site / "families" / "widgets" / "index.html").read_text(encoding="utf-8"))
    assert "mod-widgets.gadget" in page.ids() and f"{title} - Agno Go runtime" in page.text
    assert json.loads((site / "badges" / "widgets.json").read_bytes())["label"] == f"{title} in Go"


def test_every_python_only_module_is_reachable_on_not_in_go(site: Path, real: SupportMatrix) -> None:
    page = _page(site, "not-in-go/index.html")
    ids = page.ids()
    for m in real.modules:
        if m.status in (Status.NOT_MIGRATED, Status.WONT_PORT):
            assert f"mod-{m.id}" in ids, m.id
    badges = page.with_attr("data-status", "not_migrated")
    badges = [b for b in badges if "agno-badge" in str(b.get("class"))]
    assert badges and all(b.get("title") == "runtime=python-only" for b in badges)


def test_blocked_recipe_never_shows_a_go_tab(site: Path) -> None:
    page = _page(site, "cookbook/agent-knowledge/index.html")
    labels = [a for t, a in page.elements if t == "label" and str(a.get("for", "")).startswith("__tabbed")]
    assert len(labels) == 1  # Python only
    assert "package main" not in page.text


def test_exports_are_byte_exact_and_decode(site: Path, real: SupportMatrix) -> None:
    data = (site / "api" / "support-matrix.json").read_bytes()
    assert data == snapshot.encode(real)
    assert snapshot.decode(data, "site/api/support-matrix.json") == real
    schema = json.loads((site / "api" / "support-matrix.schema.json").read_bytes())
    assert schema == json.loads(json.dumps(json_schema()))
    for name in ["overall", *(f.id for f in real.families)]:
        doc = json.loads((site / "badges" / f"{name}.json").read_bytes())
        assert doc["schemaVersion"] == 1 and set(doc) == {"schemaVersion", "label", "message", "color"}, name


_EXTERNAL = ("http://", "https://", "//")


def test_no_request_leaves_the_site(site: Path) -> None:
    """Nothing the browser loads by itself (scripts, styles, fonts, images, frames) is off-site."""
    for html in site.rglob("*.html"):
        page = Page(html.read_text(encoding="utf-8"))
        for tag, a in page.elements:
            url = None
            if tag in {"script", "img", "iframe", "audio", "video", "source", "embed"}:
                url = a.get("src")
            elif tag == "link" and set(str(a.get("rel", "")).split()) & {"stylesheet", "preload", "icon",
                                                                         "modulepreload", "preconnect"}:
                url = a.get("href")
            assert not (url or "").startswith(_EXTERNAL), f"{html.relative_to(site)}: <{tag}> loads {url}"
    for css in site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8"), css


def test_an_unknown_module_id_fails_the_build_in_one_line(tmp_path: Path) -> None:
    import shutil

    for part in ("docs", "macros", "overrides"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    typo = '# Typo\n\n{{ module("tools.duckduckgoo") }}\n'
    (tmp_path / "docs" / "typo.md").write_text(typo, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [  # one line per edition that renders the page
        "ERROR   -  agno-docs: docs/typo.md: module(): unknown module id 'tools.duckduckgoo'; "
        "closest known id: 'tools.duckduckgo'",
        "ERROR   -  agno-docs: docs/typo.md (zh edition): module(): unknown module id 'tools.duckduckgoo'; "
        "closest known id: 'tools.duckduckgo'"]
    assert "Traceback" not in proc.stderr


def test_every_page_carries_exactly_one_provenance_stamp(site: Path, real: SupportMatrix) -> None:
    pages = sorted(site.rglob("index.html"))
    assert len(pages) > 30
    counts = {
        str(p.relative_to(site)): p.read_text(encoding="utf-8").count('class="agno-stamp"') for p in pages
    }
    assert {rel: n for rel, n in counts.items() if n != 1} == {}
    assert real.runtime.commit and real.runtime.commit[:7] in (site / "telemetry" / "index.html").read_text()


def _inherit(tmp_path: Path, extra: str) -> Path:
    """A site config that is the real one plus ``extra`` (YAML), next to copies of what it reads."""
    for name in ("docs", "overrides", "macros"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\n{extra}", encoding="utf-8")
    return config


def _build_config(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config),
                           "-d", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def test_a_site_override_of_one_component_changes_the_built_pages(tmp_path: Path) -> None:
    """The site names a folder; a file there named like a component replaces it on every page."""
    (tmp_path / "agno").mkdir()
    (tmp_path / "agno" / "status_badge.html.jinja").write_text(
        '<span class="agno-badge agno-badge--{{ status.info.token }} site-badge" '
        'title="{{ status.tooltip }}" data-status="{{ status.value }}">{{ status.label }} (site)</span>',
        encoding="utf-8")
    config = _inherit(tmp_path, "extra:\n  agno:\n    templates: agno\n    telemetry_samples:\n"
                                "      - docs/snippets/evidence/telemetry-sample.jsonl\n")
    proc = _build_config(config, tmp_path / "site")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for rel in ("matrix/index.html", "families/tools/index.html", "not-in-go/index.html"):
        page = Page((tmp_path / "site" / rel).read_text(encoding="utf-8"))
        badges = [a for _, a in page.elements if "agno-badge" in str(a.get("class"))]
        assert badges and all("site-badge" in str(a.get("class")) for a in badges), rel
        assert "Not yet in Go (site)" in page.text, rel


def test_an_override_that_names_no_component_fails_the_build_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "agno").mkdir()
    (tmp_path / "agno" / "status-badge.html.jinja").write_text("x", encoding="utf-8")
    proc = _build_config(_inherit(tmp_path, "extra:\n  agno:\n    templates: agno\n"), tmp_path / "site")
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and errors[0].startswith(
        f"ERROR   -  agno-docs: {tmp_path / 'agno'}: 'status-badge.html.jinja' overrides no component; ")
    assert "Traceback" not in proc.stderr

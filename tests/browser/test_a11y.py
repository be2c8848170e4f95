"""axe-core (from the npm registry, ``npm ci`` installs it under node_modules/) on the main pages, light
and dark: no serious or critical violation. The script is injected from the checkout, never fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, Browse

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: Home, the quickstart, the matrix, a family page, Not yet in Go, the cookbook index and two module
#: pages (one partly in Go with its evidence table, one python-only with its stand-ins).
PAGES = ["/", "/quickstart/", "/matrix/", "/families/tools/", "/not-in-go/", "/cookbook/",
         "/modules/os/agents/", "/modules/vectordb/pgvector/"]

_RUN = """async () => {
  const r = await axe.run(document, { resultTypes: ["violations"] });
  return r.violations.filter(v => v.impact === "serious" || v.impact === "critical").map(v => ({
    id: v.id, impact: v.impact, nodes: v.nodes.length,
    first: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + (n.failureSummary || "").split("\\n")[1])
  }));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` in {ROOT} (package.json pins axe-core)", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    page.add_script_tag(content=axe_source)
    found: list[dict[str, Any]] = page.evaluate(_RUN)
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_violation(browse: Browse, site_dir: Path, axe_source: str, path: str,
                                          scheme: str) -> None:
    assert (site_dir / path.strip("/") / "index.html").is_file(), f"{path} is not in the build"
    page = browse.page(path, color_scheme=scheme)
    assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    found = violations(page, axe_source)
    said = "; ".join(f"{v['id']} ({v['impact']}, {v['nodes']}): {v['first']}" for v in found)
    assert not found, f"{scheme} {path}: {said}"


def test_the_search_dialog_has_a_name(browse: Browse) -> None:
    page = browse.page("/")
    assert page.get_attribute(".md-search[role=dialog]", "aria-label") == "Search"


@pytest.mark.parametrize(("path", "box"), [
    ("/matrix/", ".agno-matrix__table--live"),
    ("/cookbook/", ".agno-cookbook__table--live"),
    ("/families/tools/", "table.agno-table"),
])
def test_scroll_boxes_take_keyboard_focus(browse: Browse, path: str, box: str) -> None:
    page = browse.page(path, width=390)
    el = page.locator(box).first
    assert el.get_attribute("tabindex") == "0"
    el.focus()
    assert page.evaluate("sel => document.activeElement === document.querySelector(sel)", box)
    before = el.evaluate("e => e.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium animates keyboard scrolling: wait for the box to move (up to 5 s), then say which one did not.
    moved = el.evaluate("""(e, before) => new Promise(done => {
        const end = performance.now() + 5000;
        const look = () => e.scrollLeft > before ? done(true)
                         : performance.now() > end ? done(false) : requestAnimationFrame(look);
        look();
    })""", before)
    assert moved, f"{path}: {box} does not scroll with the keyboard"

"""The whole site in Chromium: no request leaves it, badges read in both schemes, the JSON export
decodes, the Python | Go tabs work."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from matrix.model import SupportMatrix
from matrix.sources.snapshot import decode

from .conftest import Browse

pytestmark = pytest.mark.browser

# WCAG 2.x relative luminance and contrast ratio of an element's text against what is painted
# behind it: backgrounds are composited up the ancestor chain (alpha included), the canvas last.
CONTRAST_JS = """
selector => {
  const contrast = el => {
    const parse = c => {
      const m = c.match(/^rgba?\\(([^)]+)\\)$/);
      if (!m) return null;
      const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
      return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const over = (top, under) => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = i => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const layers = [];
    for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
      const c = getComputedStyle(n).backgroundColor, bg = parse(c);
      if (!bg) return { error: "unparsed background " + c };
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    const cs = getComputedStyle(el), color = parse(cs.color);
    if (!color) return { error: "unparsed color " + cs.color };
    const fg = over(color, bg);
    const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    const lum = c => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const box = el.getBoundingClientRect();
    const visible = box.width > 0 && box.height > 0 && cs.visibility === "visible"
      && Number(cs.opacity) > 0.5;
    // The fill against what is painted behind the badge (its parent's background, composited).
    let under = [255, 255, 255, 1];
    const below = [];
    for (let n = el.parentElement; n && n.nodeType === 1; n = n.parentElement) {
      const b = parse(getComputedStyle(n).backgroundColor);
      if (b && b[3] > 0) below.push(b);
      if (b && b[3] >= 1) break;
    }
    for (let i = below.length - 1; i >= 0; i--) under = over(below[i], under);
    const [fhi, flo] = [lum(bg), lum(under)].sort((x, y) => y - x);
    return { ratio: Math.floor((hi + 0.05) / (lo + 0.05) * 100) / 100, visible: visible,
             fill: Math.floor((fhi + 0.05) / (flo + 0.05) * 100) / 100,
             size: parseFloat(cs.fontSize),
             fg: cs.color, bg: "rgb(" + bg.slice(0, 3).map(Math.round).join(", ") + ")",
             text: el.textContent.trim() };
  };
  // The first visible element of each kind (class list and status): one measure per kind.
  const seen = {};
  for (const el of document.querySelectorAll(selector)) {
    const key = el.className + "|" + (el.dataset.status || "");
    if (key in seen || el.getClientRects().length === 0) continue;
    seen[key] = contrast(el);
  }
  return seen;
}
"""


def built_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the built site, as a URL path ('/', '/matrix/', ...)."""
    pages = []
    for f in sorted(site_dir.rglob("index.html")):
        rel = f.parent.relative_to(site_dir).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages


def test_no_request_leaves_the_site(browse: Browse, site_dir: Path) -> None:
    """Every page, loaded until the network is idle (search index, scripts, fonts): all loopback."""
    pages = built_pages(site_dir)
    assert "/matrix/" in pages
    page = browse.page("/")
    for path in pages:
        page.goto(browse.base_url + path, wait_until="load")  # the route sees every request once issued
    # Material's search loads its index on first use: exercise it too.
    page.goto(browse.base_url + "/matrix/")
    page.keyboard.press("/")
    page.keyboard.type("agent")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    # browse.check() at teardown fails on any offsite URL or script error, listing them.


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/matrix/", "/", "/not-in-go/", "/parity/", "/cookbook/",
                                  "/families/tools/"])
def test_badges_are_visible_with_enough_contrast(
    browse: Browse, site_dir: Path, matrix_data: SupportMatrix, scheme: str, path: str
) -> None:
    assert (site_dir / path.strip("/") / "index.html").is_file(), f"{path} is not in the build"
    page = browse.page(path, color_scheme=scheme)
    assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if scheme == "dark" else "default")
    seen: dict[str, Any] = page.evaluate(CONTRAST_JS, ".agno-badge, .agno-parity")
    if path == "/matrix/":  # every status in the data has a measured, visible badge there
        measured = {key.rsplit("|", 1)[1] for key in seen if "agno-badge" in key}
        assert measured >= {m.status.value for m in matrix_data.modules}, sorted(measured)
    low = {k: v for k, v in seen.items() if "error" in v or not v["visible"] or v["ratio"] < 4.5}
    assert not low, f"{scheme} {path}: badges unreadable (WCAG AA needs 4.5:1): {low}"
    badges = {k: v for k, v in seen.items() if "agno-badge" in k}
    small = {k: v["size"] for k, v in badges.items() if v["size"] < 11}
    assert not small, f"{scheme} {path}: badge text under 11 px: {small}"
    faint = {k: v["fill"] for k, v in badges.items() if v["fill"] < 3}
    assert not faint, f"{scheme} {path}: badge fill under 3:1 against the page (WCAG 1.4.11): {faint}"


def test_json_export_loads_and_decodes(browse: Browse, site_dir: Path, matrix_data: SupportMatrix) -> None:
    assert (site_dir / "api" / "support-matrix.json").is_file(), "the JSON export is not in the build"
    page = browse.page("/matrix/")
    got = page.evaluate("""async () => { const r = await fetch('../api/support-matrix.json');
        return { status: r.status, type: r.headers.get('content-type'), body: await r.text() }; }""")
    assert got["status"] == 200
    assert got["type"].startswith("application/json")
    exported = decode(got["body"].encode(), "/api/support-matrix.json")
    assert exported.modules == matrix_data.modules
    assert json.loads(got["body"])["schema_version"] == 1
    # The page shows the same modules: its total and its count per status.
    assert page.get_attribute("[data-agno-matrix]", "data-total") == str(len(exported.modules))
    legend = page.eval_on_selector_all(
        ".agno-matrix__legend li",
        r"""lis => Object.fromEntries(lis.map(li => [li.querySelector('.agno-badge').dataset.status,
                                                 Number(li.textContent.match(/\((\d+)\)\s*$/)[1])]))""")
    assert legend == dict(Counter(m.status.value for m in exported.modules))


def _tab_pages(site_dir: Path) -> list[str]:
    """Cookbook pages whose HTML holds a tab set with a 'Go' tab."""
    out = []
    for f in sorted((site_dir / "cookbook").glob("*/index.html")):
        text = f.read_text(encoding="utf-8")
        if "tabbed-set" in text and ">Go</label>" in text:
            out.append(f"/cookbook/{f.parent.name}/")
    return out


def test_python_go_tabs_switch(browse: Browse, site_dir: Path) -> None:
    pages = _tab_pages(site_dir)
    assert pages, "no featured cookbook page with Python | Go tabs in the build"
    page = browse.page(pages[0])
    tabs = page.locator(".tabbed-set").filter(has=page.locator("label", has_text="Go")).first
    labels = tabs.locator(":scope > .tabbed-labels > label")
    names = [labels.nth(i).inner_text().strip() for i in range(labels.count())]
    assert "Python" in names and "Go" in names, names
    blocks = tabs.locator(":scope > .tabbed-content > .tabbed-block")
    py, go = names.index("Python"), names.index("Go")
    assert blocks.nth(py).is_visible() != blocks.nth(go).is_visible()

    labels.nth(go).click()
    assert blocks.nth(go).is_visible() and not blocks.nth(py).is_visible()
    assert "func " in blocks.nth(go).inner_text() or "package " in blocks.nth(go).inner_text()
    labels.nth(py).click()
    assert blocks.nth(py).is_visible() and not blocks.nth(go).is_visible()

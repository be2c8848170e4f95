"""Layout at 390 and 1280 px, light scheme: nothing is wider than the viewport (wide tables scroll
inside their own box), and module ids and package paths never break inside a word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import Browse

pytestmark = pytest.mark.browser

PAGES = ["/", "/quickstart/", "/matrix/", "/families/tools/", "/families/models/", "/not-in-go/",
         "/cookbook/", "/cookbook/agent-with-tools/", "/parity/", "/benchmarks/", "/telemetry/",
         "/whats-new/", "/reference/api/", "/reference/schema/", "/reference/cli/",
         # module pages: endpoints with their Go spelling and long source paths; a python-only one
         "/modules/os/agents/", "/modules/vectordb/pgvector/"]

# Elements whose right edge passes the viewport, outside any box that scrolls sideways (or hides
# what overflows): those are what makes a page wider than the screen.
_OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  const clipped = el => {
    for (let n = el.parentElement; n && n !== document.body; n = n.parentElement) {
      const o = getComputedStyle(n).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll(".md-main *")) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > vw + 1 && !clipped(el)) {
      out.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "") +
               " right=" + Math.round(r.right));
      if (out.length > 4) break;
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, viewport: vw, offenders: out };
}"""

# Module ids and Go package paths that the browser broke across lines, and where: each line box of
# the element's text must end at a dot or a slash (or the end), never inside a word.
_BROKEN = """sel => {
  const bad = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.getClientRects().length) continue;
    const text = el.textContent, range = document.createRange(), walker = document.createTreeWalker(el, 4);
    let prevTop = null, prevChar = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (prevTop !== null && rect.top > prevTop + 2 && !/[.\\/]/.test(prevChar)) bad.push(text);
        prevTop = rect.top; prevChar = node.data[i];
      }
    }
  }
  return [...new Set(bad)].slice(0, 5);
}"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_overflows_the_viewport(browse: Browse, site_dir: Path, path: str, width: int) -> None:
    assert (site_dir / path.strip("/") / "index.html").is_file(), f"{path} is not in the build"
    page = browse.page(path, width=width)
    got: dict[str, Any] = page.evaluate(_OVERFLOW)
    assert got["scrollWidth"] <= got["viewport"] and not got["offenders"], f"{path} at {width} px: {got}"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("path", "selector"), [
    ("/matrix/", "[data-agno-live-table] code"),
    ("/families/tools/", "table.agno-table td code"),
    ("/not-in-go/", ".agno-list__table code"),
    ("/cookbook/", ".agno-cookbook__list code"),
    ("/cookbook/", ".agno-cookbook__path"),
])
def test_ids_and_paths_never_break_inside_a_word(
    browse: Browse, path: str, selector: str, width: int
) -> None:
    page = browse.page(path, width=width)
    assert page.locator(selector).count() > 0, f"{path}: nothing matches {selector}"
    broken = page.evaluate(_BROKEN, selector)
    assert not broken, f"{path} at {width} px: broken inside a word: {broken}"

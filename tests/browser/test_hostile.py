"""The whole site built from a hostile matrix, opened page by page in Chromium: no script from data runs.

A payload sits in every free string field of the contract (the field list comes from the JSON
Schema, see tests/hostile.py): page titles, headings, table cells, attributes, the nav, the SVG
chart, JSON exports. Two builds: from a snapshot file, and a require-live build through the
reference server (``agno-docs serve-runtime --matrix hostile.json``), whose payload also opens
with an http(s) address, so links built from data are exercised. In each, every page and export is
opened with dialogs hooked and ``alert``/``confirm``/``prompt`` replaced by recorders: nothing may
fire, no element may come from the payload, and the payload must read as text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from matrix.sources import snapshot
from tests.hostile import PAYLOAD, SHOWN, URL_PAYLOAD, write_hostile

from .conftest import Guard, build_site, serve

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BIN = Path(sys.executable).parent

# Recorders installed before any page script: a dialog function called by injected script lands here.
_HOOKS = """
window.__agnoCalls = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  window[name] = (...args) => { window.__agnoCalls.push(name + ':' + args.join(',')); return null; };
}
"""
# What a page made of the payload: elements and handlers it must not have, and its text.
_INSPECT = """
() => ({
  calls: window.__agnoCalls,
  injected: [...document.querySelectorAll('img[src="x"], [onerror], [onload]:not(body), script')]
    .filter(e => e.tagName !== 'SCRIPT' || /alert\\(/.test(e.textContent))
    .map(e => e.outerHTML.slice(0, 120)),
  links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))
    .filter(h => /^\\s*(javascript|data|vbscript):/i.test(h)),
  title: document.title,
  text: document.documentElement.textContent,
})
"""


@dataclass
class Visit:
    path: str
    title: str
    text: str


@dataclass
class HostileSite:
    url: str
    dir: Path
    payload: str
    visits: list[Visit] = field(default_factory=list)


def _pages(site: Path) -> list[str]:
    pages = [f"/{p.parent.relative_to(site).as_posix()}/".replace("/./", "/")
             for p in sorted(site.rglob("index.html"))]
    exports = [f"/{p.relative_to(site).as_posix()}" for p in sorted(site.rglob("*.json"))
               if p.parent.name in ("api", "badges")]
    return pages + exports


def _visit(browser: Any, site: HostileSite) -> None:
    """Open every page and export of the site; fail on any dialog, call, injected element or request."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    guard = Guard(site.url)
    dialogs: list[str] = []

    def route(r: Any) -> None:
        if guard.allowed(r.request.url):
            r.continue_()
        else:
            guard.offsite.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    ctx.add_init_script(_HOOKS)
    page = ctx.new_page()
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
    try:
        for path in _pages(site.dir):
            page.goto(site.url + path, wait_until="load")
            seen = page.evaluate(_INSPECT)
            assert seen["calls"] == [] and seen["injected"] == [] and seen["links"] == [], (path, seen)
            site.visits.append(Visit(path, seen["title"], seen["text"]))
        assert dialogs == [], dialogs
        assert guard.offsite == [] and guard.errors == [], (guard.offsite, guard.errors)
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def from_snapshot(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    work = tmp_path_factory.mktemp("hostile")
    write_hostile(work / "hostile.json", PAYLOAD)
    site = build_site(work / "site", env={"AGNO_MATRIX_SOURCE": "snapshot",
                                          "AGNO_MATRIX_SNAPSHOT": str(work / "hostile.json")})
    with serve(site) as url:
        yield HostileSite(url, site, PAYLOAD)


@pytest.fixture(scope="module")
def from_live_api(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    """A require-live build: the reference server serves the hostile matrix; any fallback would fail."""
    work = tmp_path_factory.mktemp("hostile-live")
    write_hostile(work / "hostile.json", URL_PAYLOAD)
    proc = subprocess.Popen([str(BIN / "agno-docs"), "serve-runtime", "--matrix", str(work / "hostile.json"),
                             "--port", "0"], stderr=subprocess.PIPE, text=True, cwd=work,
                            env={k: v for k, v in os.environ.items() if not k.startswith("AGNO_")})
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+) ", line)
        assert found, line
        site = build_site(work / "site", env={
            "AGNO_MATRIX_SOURCE": "api", "AGNO_RUNTIME_URL": found.group(1), "AGNO_MATRIX_REQUIRE_LIVE": "1",
            "AGNO_DOCS_CACHE": str(work / "cache"), "AGNO_RUNTIME_DEADLINE": "10"})
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stderr is not None:
            proc.stderr.close()
    with serve(site) as url:
        yield HostileSite(url, site, URL_PAYLOAD)


@pytest.mark.parametrize("which", ["from_snapshot", "from_live_api"])
def test_no_script_from_data_runs_and_the_payload_reads_as_text(
    which: str, request: pytest.FixtureRequest, browser: Any
) -> None:
    site: HostileSite = request.getfixturevalue(which)
    _visit(browser, site)
    by_path = {v.path: v for v in site.visits}
    assert len(by_path) > 30
    # The family pages: the title bar and the page read the family's title, payload included, as text.
    families = [v for p, v in by_path.items() if p.startswith("/families/")]
    assert families and all(SHOWN in v.title and SHOWN in v.text for v in families), families[0].title
    # Every page that shows data shows the payload as written (its invisible characters named).
    for path in ("/", "/matrix/", "/not-in-go/", "/parity/", "/benchmarks/", "/cookbook/",
                 "/cookbook/agent-with-tools/", "/quickstart/"):
        assert SHOWN in by_path[path].text, path
    if site.payload == URL_PAYLOAD:  # data that is an http(s) address became a link, and stayed one
        html = (site.dir / "matrix" / "index.html").read_text(encoding="utf-8")
        assert 'href="https://x.invalid/&quot;&gt;&lt;img src=x onerror=alert(2)&gt;javascript:' in html
    # The exports are the data (they decode, the payload inside), shown by the browser as text.
    exported = (site.dir / "api" / "support-matrix.json").read_bytes()
    assert snapshot.decode(exported, "export").modules[0].title.startswith(site.payload)
    assert "</title><script>alert(1)</script>" in by_path["/api/support-matrix.json"].text

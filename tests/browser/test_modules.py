"""Module pages in Chromium: Material's real search finds them, and the 404 page works under any base path.

Search: for a random sample of modules (``AGNO_SEARCH_SEED`` picks another sample; the default is
fixed so a failure reproduces), the site's search box is typed into as a person does, with the
module's id, its title and its Go package's name, and the first result must be the module's page.
Material's search adds a trailing wildcard to every term, so a query can match another module
exactly as well (``Slack`` is ``tools.slack`` and ``os.slack``; ``mongo`` is the Go package of
``db.mongo`` and the start of ``MongoDb``): such a first hit is accepted only when the other
module's title, id or Go package has, for every query term, a word starting with it, and the
module's own page is then within the first five results. The test prints how many were ties.

404: the built site is served under ``/``, ``/agno-go/`` and ``/pr-42/preview/`` by a server that
answers every missing address under the base with the base's ``404.html`` and status 404, as
static hosts do; missing addresses at several depths must show the page styled, with working
links and a working search, and nothing under the base may fail to load. The page's markup names
the configured base (``site_url``, else ``/``), so under another base Chromium's preload scanner
first asks for the styles there (outside the site: wasted, not broken); a build for ``/agno-go/``
served there asks for nothing that fails.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import random
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from matrix.model import Module, SupportMatrix

from .conftest import Browse

pytestmark = pytest.mark.browser

SAMPLE = 25
#: The site's search separator (mkdocs.yml), to tell whether another module matches a query as well.
SEPARATOR = re.compile(r'[\s\-,:!=\[\]()"/]+|\.(?=\s|$)')

_RESULTS = """
() => {
  const meta = document.querySelector('.md-search-result__meta');
  const links = [...document.querySelectorAll('.md-search-result__item > .md-search-result__link')];
  return [meta ? meta.textContent.trim() : '', ...links.slice(0, 8).map(a => a.href)];
}
"""


def search(page: Any, base: str, query: str) -> list[str]:
    """The result pages (site paths, first first) Material's search lists for ``query``, typed in."""
    page.goto(base + "/")
    page.keyboard.press("/")
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Initializing/.test(m.textContent); }", timeout=30_000)
    page.focus(".md-search__input")
    page.keyboard.type(query)
    # Material searches on every keystroke: the answer to the whole query is the list that stays the
    # same for a second once the last key is in (the worker answers in well under that).
    seen: list[list[str]] = []
    for _ in range(80):
        page.wait_for_timeout(250)
        seen.append(page.evaluate(_RESULTS))
        if len(seen) >= 4 and "matching" in seen[-1][0] and seen[-1] == seen[-2] == seen[-3] == seen[-4]:
            break
    else:
        raise AssertionError(f"search for {query!r} never settled: {seen[-1]}")
    return [urlsplit(h).path for h in seen[-1][1:]]


def go_package(m: Module) -> str | None:
    return m.go.package.rstrip("/").rsplit("/", 1)[-1] if m.go is not None and m.go.package else None


def matches_as_well(m: Module, query: str) -> bool:
    """Every term of ``query`` starts a word of ``m``'s title, id or Go package (Material's prefix match)."""
    words = {w for text in (m.title, m.id, go_package(m) or "") for w in SEPARATOR.split(text.lower()) if w}
    terms = [t for t in SEPARATOR.split(query.lower()) if t]
    return all(any(w.startswith(t) for w in words) for t in terms)


def module_path(m: Module) -> str:
    family, name = m.id.split(".", 1)
    return f"/modules/{family}/{name}/"


def test_search_finds_the_module_page_first(browse: Browse, matrix_data: SupportMatrix) -> None:
    seed = int(os.environ.get("AGNO_SEARCH_SEED", "20261202"))
    sample = random.Random(seed).sample(list(matrix_data.modules), SAMPLE)
    by_path = {module_path(m): m for m in matrix_data.modules}
    page = browse.page("/")
    misses, ties, asked = [], [], 0
    for m in sample:
        for query in dict.fromkeys(q for q in (m.id, m.title, go_package(m)) if q):
            asked += 1
            hits = search(page, browse.base_url, query)
            want = module_path(m)
            if hits[:1] == [want]:
                continue
            first = by_path.get(hits[0]) if hits else None
            if first is not None and matches_as_well(first, query) and want in hits[:5]:
                ties.append(f"{query!r}: {first.id} first, {m.id} #{hits.index(want) + 1}")
            else:
                misses.append(f"{query!r} ({m.id}): {hits[:3]}")
    print(f"search, seed {seed}: {asked} queries over {SAMPLE} modules, {len(ties)} ties: {ties}")
    assert misses == [], f"seed {seed}: {len(misses)} of {asked} queries miss the module page: {misses}"


def test_search_index_is_small_and_module_pages_carry_the_module_words(site_dir: Path) -> None:
    import json

    # One index per edition (macros/search_hooks.py), each under issue 15's 400 KB.
    for edition in ("", "zh/"):
        raw = (site_dir / edition / "search" / "search_index.json").read_bytes()
        assert len(raw) < 400_000, f"search index of the {edition or 'en/'} edition: {len(raw):,} bytes"
        docs = json.loads(raw)["docs"]
        assert not any(d["location"].startswith("zh/") for d in docs)
    docs = json.loads((site_dir / "search" / "search_index.json").read_bytes())["docs"]
    pages = {d["location"] for d in docs if d["location"].startswith("modules/")}
    assert len(pages) > 300
    # Tables never reach the index: no module row glued to a status ("Not yet in Go2", "ReasonTracking").
    glued = [d["location"] for d in docs if re.search(r"Not yet in Go\d|In Go\d|ReasonTracking", d["text"])]
    assert glued == []


# --- 404 under any base path ------------------------------------------------------------------------


class _Host(http.server.SimpleHTTPRequestHandler):
    """A static host serving the site under ``prefix``: a missing address under it gets the site's
    404.html with status 404 (as GitHub Pages and most static hosts do); outside it, a bare 404."""

    prefix = "/"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _resolve(self) -> tuple[int, Path | None]:
        path = unquote(urlsplit(self.path).path)
        root = Path(self.directory)
        if not path.startswith(self.prefix):
            return 404, None
        rel = path[len(self.prefix):]
        target = root / rel
        if ".." in Path(rel).parts:
            return 404, None
        if target.is_dir():
            if not path.endswith("/"):
                return 301, None
            target = target / "index.html"
        if target.is_file():
            return 200, target
        return 404, root / "404.html"

    def _answer(self, body: bool) -> None:
        status, target = self._resolve()
        if status == 301:
            self.send_response(301)
            self.send_header("Location", urlsplit(self.path).path + "/")
            self.end_headers()
            return
        data = target.read_bytes() if target is not None else b"not found"
        self.send_response(status)
        ctype = self.guess_type(str(target)) if target is not None else "text/plain"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:
        self._answer(True)

    def do_HEAD(self) -> None:
        self._answer(False)


@contextlib.contextmanager
def host(directory: Path, prefix: str) -> Iterator[str]:
    handler = type("Host", (_Host,), {"prefix": prefix})
    serve = functools.partial(handler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), serve)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@dataclass
class Loaded404:
    status: int
    failed: list[str]
    """Subresource GETs (styles, scripts, the search index...) that did not answer 200."""
    header_position: str
    home: str
    matrix: str
    search_first: str


def open_404(browser: Any, origin: str, prefix: str, missing: str) -> Loaded404:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    offsite: list[str] = []
    ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin)
              else (offsite.append(r.request.url), r.abort()))
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(urlsplit(r.url).path)
            if r.status != 200 and r.request.resource_type != "document" and r.request.method == "GET"
            else None)
    try:
        response = page.goto(f"{origin}{prefix}{missing}")
        page.wait_for_load_state("networkidle")
        header = page.eval_on_selector(".md-header", "e => getComputedStyle(e).position")
        home = page.eval_on_selector(".md-content a[href='./']", "a => a.href")
        matrix = page.eval_on_selector(".md-content a[href='matrix/']", "a => a.href")
        page.keyboard.press("/")
        page.focus(".md-search__input")
        page.keyboard.type("pgvector")
        page.wait_for_selector(".md-search-result__item", timeout=30_000)
        first = page.eval_on_selector(".md-search-result__item > .md-search-result__link", "a => a.href")
        # A link to an anchor stays on this page.
        anchors = page.eval_on_selector_all("a[href*='#__']", "as => as.map(a => a.href)")
        assert all(urlsplit(h).path == urlsplit(page.url).path for h in anchors), anchors
        assert errors == [] and offsite == [], (errors, offsite)
        return Loaded404(response.status if response else 0, failed, header, home, matrix,
                         urlsplit(first).path)
    finally:
        ctx.close()


@pytest.mark.parametrize("prefix", ["/", "/agno-go/", "/pr-42/preview/"])
@pytest.mark.parametrize("missing", ["nope", "modules/tools/nope/", "a/b/c/d/e.html"])
def test_404_works_under_any_base_path(browser: Any, site_dir: Path, prefix: str, missing: str) -> None:
    with host(site_dir, prefix) as origin:
        got = open_404(browser, origin, prefix, missing)
    assert got.status == 404
    assert [f for f in got.failed if f.startswith(prefix)] == [], got.failed
    assert got.header_position == "sticky", "Material's stylesheet did not load"
    assert (got.home, got.matrix) == (f"{origin}{prefix}", f"{origin}{prefix}matrix/")
    assert got.search_first == f"{prefix}modules/vectordb/pgvector/"


@pytest.fixture(scope="session")
def site_for_agno_go(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import build_site

    return build_site(tmp_path_factory.mktemp("agno-go") / "site",
                      env={"AGNO_SITE_URL": "https://docs.example.org/agno-go/"})


def test_404_at_the_configured_base_asks_for_nothing_that_fails(browser: Any, site_for_agno_go: Path) -> None:
    with host(site_for_agno_go, "/agno-go/") as origin:
        got = open_404(browser, origin, "/agno-go/", "modules/tools/nope/")
    assert (got.status, got.failed, got.header_position) == (404, [], "sticky")
    assert got.search_first == "/agno-go/modules/vectordb/pgvector/"

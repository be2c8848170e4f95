"""Browser tests: the built site, served over loopback HTTP, driven in a real headless Chromium.

Debian's Chromium (``/usr/bin/chromium``, or ``AGNO_CHROMIUM``) through Playwright's Python
package with ``executable_path`` (no browser download is possible). Without a Chromium every
test here skips with one message. The site is built once per session (``mkdocs build
--strict``) from whatever source the environment selects: the committed snapshot by default;
``AGNO_BROWSER_SITE=DIR`` serves an already built site instead. A second build with
mkdocs-material's instant navigation on is made only for the test that needs it.

Every page a test opens runs in a context that routes all requests: anything not addressed
to the loopback server is aborted and recorded, and the test fails at teardown.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from matrix.model import SupportMatrix
from matrix.settings import Settings
from matrix.sources import load

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    """``AGNO_CHROMIUM`` if set (only it), else Debian's ``/usr/bin/chromium``, else ``chromium`` on PATH."""
    explicit = os.environ.get("AGNO_CHROMIUM")
    candidates = [explicit] if explicit else ["/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        where = os.environ.get("AGNO_CHROMIUM") or "/usr/bin/chromium or `chromium` on PATH"
        pytest.skip(f"browser tests: no Chromium at {where}; install it with `apt-get install -y chromium`"
                    " (or point AGNO_CHROMIUM at one)")
    pytest.importorskip("playwright.sync_api",
                        reason="browser tests: Playwright is not installed (pip install playwright)")
    return path


@pytest.fixture(scope="session")
def matrix_data() -> SupportMatrix:
    """The matrix the site is built from (same settings as the build)."""
    return load(Settings.from_env()).matrix


def build_site(out: Path, config: Path | None = None, env: dict[str, str] | None = None) -> Path:
    """``mkdocs build --strict`` into ``out`` (``env``: extra variables, such as the matrix source);
    a failure fails the session with the build's last lines."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    if config is not None:
        cmd += ["-f", str(config)]
    proc = subprocess.run(cmd, cwd=config.parent if config else ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {}), "NO_MKDOCS_2_WARNING": "1"}, check=False)
    if proc.returncode != 0:
        output = (proc.stderr + proc.stdout).splitlines()
        lines = [ln for ln in output if ln.strip() and not ln.startswith("INFO")]
        tail = " | ".join(lines[-3:])
        pytest.fail(f"mkdocs build --strict failed (exit {proc.returncode}): {tail}", pytrace=False)
    return out


@pytest.fixture(scope="session")
def site_dir(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    prebuilt = os.environ.get("AGNO_BROWSER_SITE")
    if prebuilt:  # an already built site (e.g. by `make site`), to iterate without rebuilding
        if not (Path(prebuilt) / "matrix" / "index.html").is_file():
            pytest.fail(f"AGNO_BROWSER_SITE={prebuilt}: no built site there (matrix/index.html missing); "
                        "build one with `mkdocs build --strict -d DIR` or unset the variable", pytrace=False)
        return Path(prebuilt)
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def evidence_url(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built from the committed snapshot joined with the sample parity and benchmark evidence."""
    from matrix.sources import snapshot
    from matrix.sources.evidence import apply_evidence

    data = ROOT / "tests" / "data" / "evidence"
    work = tmp_path_factory.mktemp("evidence")
    joined = apply_evidence(snapshot.load(), parity_dir=data / "parity", bench_go=data / "go-bench-multi.txt",
                            bench_python=data / "python-bench.json")
    snapshot.dump(joined, work / "matrix.json")
    site = build_site(work / "site", env={"AGNO_MATRIX_SNAPSHOT": str(work / "matrix.json")})
    with serve(site) as url:
        yield url


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 (free port) for a built site; yields its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    with serve(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def instant_url(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same site built with mkdocs-material's instant navigation on (pages swap without reload)."""
    work = tmp_path_factory.mktemp("instant")
    for name in ("docs", "overrides", "macros"):
        (work / name).symlink_to(ROOT / name, target_is_directory=True)
    out = work / "site"
    out.mkdir()
    with serve(out) as url:
        # Material maps sitemap URLs onto the page's host but keeps their port and path, so instant
        # navigation only intercepts links when site_url is where the site is served: build for it.
        # mkdocs-static-i18n's page-keeping language switcher does not survive instant navigation (the
        # header is not re-rendered), and the plugin warns about it: this build, which tests the
        # pages' scripts under instant navigation, keeps the switcher plain.
        base = work / "base.yml"
        base.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
            "reconfigure_material: true", "reconfigure_material: false"), encoding="utf-8")
        config = work / "mkdocs.yml"
        config.write_text(f"INHERIT: {base}\nsite_url: {url}/\n"
                          "theme:\n  name: material\n  features:\n    - navigation.instant\n"
                          "    - content.tabs.link\n", encoding="utf-8")
        build_site(out, config)
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # launch() gives Chromium a fresh temporary --user-data-dir and removes it on close.
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@dataclass
class Guard:
    """What a page did that it must not: requests leaving the site, uncaught script errors."""

    origin: str
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return f"{parts.scheme}://{parts.netloc}" == self.origin and parts.hostname == "127.0.0.1"


@dataclass
class Browse:
    """A fresh browser context (colour scheme, JS on/off) with the request guard installed."""

    browser: Any
    base_url: str
    guards: list[Guard] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)

    def page(self, path: str = "/", *, color_scheme: str = "light", javascript: bool = True,
             width: int = 1280) -> Any:
        ctx = self.browser.new_context(color_scheme=color_scheme, java_script_enabled=javascript,
                                       viewport={"width": width, "height": 900})
        self.contexts.append(ctx)
        guard = Guard(self.base_url)
        self.guards.append(guard)

        def route(r: Any) -> None:
            if guard.allowed(r.request.url):
                r.continue_()
            else:
                guard.offsite.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page = ctx.new_page()
        page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
        page.goto(self.base_url + path)
        return page

    def check(self) -> None:
        offsite = sorted({u for g in self.guards for u in g.offsite})
        errors = [e for g in self.guards for e in g.errors]
        assert not offsite, f"requests left the site: {offsite}"
        assert not errors, f"uncaught script errors: {errors}"

    def close(self) -> None:
        for ctx in self.contexts:
            ctx.close()


@pytest.fixture
def browse(browser: Any, base_url: str) -> Iterator[Browse]:
    b = Browse(browser, base_url)
    try:
        yield b
        b.check()
    finally:
        b.close()


@pytest.fixture
def evidence_browse(browser: Any, evidence_url: str) -> Iterator[Browse]:
    """Like ``browse``, on the build with sample parity and benchmark evidence."""
    b = Browse(browser, evidence_url)
    try:
        yield b
        b.check()
    finally:
        b.close()


@pytest.fixture
def instant_browse(browser: Any, instant_url: str) -> Iterator[Browse]:
    """Like ``browse``, on the instant-navigation build."""
    b = Browse(browser, instant_url)
    try:
        yield b
        b.check()
    finally:
        b.close()

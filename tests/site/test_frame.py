"""Module pages written into the frame the theme rendered once (macros/frame.py, macros/shell.py)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from macros import frame, shell
from matrix.model import SupportMatrix
from matrix.render import Templates
from matrix.render.modules import SECTIONS, Rendered, slug
from matrix.render.site import module_pages_of
from matrix.sources import Loaded
from tests import factories
from tests.site.conftest import Page

ALL = [a for _, a, _ in SECTIONS]
PATH = frame.frame_path(True)


def _toc(anchors: list[str]) -> str:
    items = "".join(f'<li class="md-nav__item">\n  <a href="#{a}" class="md-nav__link">{a}</a>\n</li>\n'
                    for a in anchors)
    return ('<nav class="md-nav md-nav--secondary" aria-label="Table of contents">\n'
            '<label class="md-nav__title" for="__toc">'
            '<span class="md-nav__icon md-icon"></span>Contents</label>\n'
            f'<ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>\n{items}</ul>\n</nav>')


def _frame_html(anchors: list[str] = ALL, content: str = frame.CONTENT) -> str:
    """What the theme makes of the frame page, in the shape Material gives it."""
    return (f"<html><head><title>{frame.TITLE} - Site</title>"
            f'<link rel="alternate" href="../../../zh/{PATH}/" hreflang="zh"></head><body>'
            f'<a href="#{frame.ANCHOR}" class="md-skip">Skip</a><header>{frame.TITLE}</header>'
            f"{_toc(anchors)}<article>{content}</article></body></html>")


def _module(sections: tuple[str, ...], title: str = "Calculator") -> Rendered:
    return Rendered("modules/tools/calculator/", title, slug(title), sections, "<h1>indexed</h1>",
                    f'<h1 id="{slug(title)}">{title}</h1><p>article</p>', ("tools.calculator",), 2.0)


def test_a_module_page_is_the_frame_with_the_module_in_it() -> None:
    page = frame.Frame.parse(_frame_html(), True, ALL, "docs/f.md").page(_module(("import", "history")))
    assert page == (
        "<html><head><title>Calculator - Site</title>"
        '<link rel="alternate" href="../../../zh/modules/tools/calculator/" hreflang="zh"></head><body>'
        '<a href="#calculator" class="md-skip">Skip</a><header>Calculator</header>'
        + _toc(["import", "history"])
        + '<article><h1 id="calculator">Calculator</h1><p>article</p></article></body></html>')


def test_a_page_without_sections_has_no_table_of_contents_list() -> None:
    page = frame.Frame.parse(_frame_html(), True, ALL, "docs/f.md").page(_module(()))
    assert '<nav class="md-nav md-nav--secondary" aria-label="Table of contents">\n\n</nav>' in page
    assert "md-nav__list" not in page and "__toc" not in page


@pytest.mark.parametrize("module", [_module(("import", "history")), _module(()),
                                    _module(("import",), "计算器 <&>"), _module(("evidence",), "Ünïcode ¶")])
def test_the_bytes_written_are_the_page_in_utf8(module: Rendered) -> None:
    html = _frame_html().replace("<header>", "<header>中文 ")  # a frame with non-ASCII text of its own
    shell = frame.Frame.parse(html, True, ALL, "docs/f.md")
    assert shell.page_bytes(module) == shell.page(module).encode("utf-8")


def test_the_title_is_escaped_and_addresses_are_the_modules() -> None:
    hostile = "<script>x</script> & co"
    page = frame.Frame.parse(_frame_html(), True, ALL, "docs/f.md").page(_module(("import",), hostile))
    assert "<script>x" not in page.split("<article>")[0]
    assert "<title>&lt;script&gt;x&lt;/script&gt; &amp; co - Site</title>" in page
    assert PATH not in page and frame.TITLE not in page and frame.ANCHOR not in page


def test_without_directory_urls_the_frame_path_ends_in_html() -> None:
    html = _frame_html().replace(f"{PATH}/", f"{frame.frame_path(False)}.html")
    module = _module(("import",))
    module = Rendered("modules/tools/calculator.html", *[getattr(module, f) for f in Rendered.__slots__[1:]])
    page = frame.Frame.parse(html, False, ALL, "docs/f.md").page(module)
    assert 'href="../../../zh/modules/tools/calculator.html"' in page


@pytest.mark.parametrize(("html", "message"), [
    ("<html><body><article>" + frame.CONTENT + "</article></body></html>",
     "docs/f.md: the theme rendered no table of contents for the module pages' frame; module pages are "
     "cut from it: keep the toc extension and the theme's partials/toc.html"),
    (_frame_html(ALL[:2]),
     "docs/f.md: the frame's table of contents lacks stand-ins, recipes, parity, history; "
     "was module_shell.md.jinja or the theme's toc changed?"),
    (_frame_html(content="<p>the article</p>"),
     "docs/f.md: the module pages' frame holds its article placeholder 0 times, not once; the theme must "
     "print page.content once (its partials/content.html)"),
])
def test_a_frame_the_theme_changed_is_a_one_line_error(html: str, message: str) -> None:
    with pytest.raises(frame.FrameError) as info:
        frame.Frame.parse(html, True, ALL, "docs/f.md")
    assert str(info.value) == message


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_a_worker_renders_the_same_pages_and_entries_as_this_process(
    monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    from material.plugins.search.plugin import SearchIndex

    data = Loaded(factories.small())
    monkeypatch.setattr(shell, "WORKER_MIN", 1)
    monkeypatch.setattr(shell, "PART", 2)  # several parts (forked), some perhaps taken back here
    monkeypatch.setattr(shell, "_start_method", lambda: method)
    settings = {"lang": ["en"], "separator": " ", "pipeline": [], "fields": {}}
    shell.start_editions(data, (), None, True, {"zh": "zh/"}, settings)
    assert "zh" in shell._editions  # a real worker process
    # the whole-page components it renders ahead, as the page would have
    from matrix.render import links, macros

    for url, name, args in shell.AHEAD:
        with links.at(url):
            here = str(macros(Templates(lang="zh"))[name](data, *args))
        assert shell.ahead("zh", url, name, args, {}) == here
    assert shell.ahead("zh", "other/", "cookbook_index", (), {}) is None  # called from another page
    assert shell.ahead("zh", "cookbook/", "cookbook_index", (), {"x": 1}) is None
    assert shell.ahead("en", "cookbook/", "cookbook_index", (), {}) is None  # an edition it was not given
    shell.prepare(lambda: (), (), "zh")
    assert shell._render is not None
    pages, entries = shell._render()
    assert pages == module_pages_of(Templates(lang="zh"), data)
    here = SearchIndex(**settings)
    shell._index_pages(here, pages, "zh/")
    assert entries == here.entries and len(entries) == len(pages)
    assert shell._pool is None and shell._job is None and not shell._ahead  # stopped once all was taken


def test_the_results_pipe_holds_a_part_of_module_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    monkeypatch.setattr(shell, "WORKER_MIN", 1)
    monkeypatch.setattr(shell, "_start_method", lambda: "fork")
    shell.start_editions(Loaded(factories.small()), (), None, True, {"zh": "zh/"})
    try:
        assert shell._pool is not None
        reader = shell._pool._result_queue._reader  # type: ignore[attr-defined]
        assert fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ) >= 1 << 20  # the default is 64 KB
    finally:
        shell.abandon()


def test_each_build_starts_from_fresh_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    # under mkdocs serve the process outlives a build: an override edited since must be read again
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "0")
    earlier = shell._templates((), "zh")
    assert shell._templates((), "zh") is earlier
    shell.start_editions(Loaded(factories.small()), (), None, True, {"zh": "zh/"})
    assert shell._templates((), "zh") is not earlier


_ABANDONED = """
import sys, time
from macros import shell
from matrix.sources import Loaded
from tests import factories

def slow(job, lang, part):  # each part takes 0.3 s in the worker
    time.sleep(0.3)
    return (), None

slow.__module__, slow.__qualname__ = shell.__name__, "_render_edition"  # what the fork finds by name
shell._render_edition = slow
shell.WORKER_MIN, shell.PART = 1, 1  # one part per module: twelve parts, 3.6 s of work
shell._start_method = lambda: "fork"
shell.start_editions(Loaded(factories.small()), (), None, True, {"en": "", "zh": "zh/"})
time.sleep(0.2)
if sys.argv[1] == "abandon":
    shell.abandon()
    assert shell._pool is None and shell._job is None and not shell._editions and not shell._ahead
print(time.time(), flush=True)
"""


@pytest.mark.parametrize(("how", "least", "most"), [("abandon", 0, 1.0), ("finish", 2.5, 30)])
def test_a_failed_build_ends_the_worker_instead_of_waiting_for_its_pages(
    tmp_path: Path, how: str, least: float, most: float
) -> None:
    import subprocess
    import sys
    import time

    script = tmp_path / "abandoned.py"
    script.write_text(_ABANDONED, encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen([sys.executable, str(script), how], cwd=root, stdout=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": str(root)}) as proc:
        assert proc.stdout is not None
        said = proc.stdout.readline()
        assert proc.wait(timeout=60) == 0, said
        waited = time.time() - float(said)  # from the script's last line to its exit
    assert least <= waited <= most  # without abandon() the exit waits for the worker's parts


def test_no_worker_when_told_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "0")
    monkeypatch.setattr(shell, "WORKER_MIN", 1)
    shell.start_editions(Loaded(factories.small()), (), None, True, {"zh": "zh/"})
    assert shell._editions == {} and shell._pool is None


# --- the real build -------------------------------------------------------------------------------


def _module_urls(real: SupportMatrix) -> set[str]:
    return {f"modules/{m.family}/{m.id.split('.', 1)[1]}/" for m in real.modules}


def test_a_page_per_module_in_each_edition_and_no_frame(site: Path, real: SupportMatrix) -> None:
    for edition in ("", "zh/"):
        written = {p.parent.relative_to(site / edition).as_posix() + "/"
                   for p in (site / edition / "modules").rglob("index.html")}
        assert written == _module_urls(real)
    assert not list(site.rglob("_agno_shell"))
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "AGNOSHELL" not in text and "agnoshell" not in text and "AGNOSLOT" not in text, path


def test_each_module_page_lists_the_sections_it_shows(site: Path, real: SupportMatrix) -> None:
    for m in real.modules[::37]:
        path = site / f"modules/{m.family}/{m.id.split('.', 1)[1]}/index.html"
        page = Page(path.read_text(encoding="utf-8"))
        links = [a.get("href") or "" for a in page.with_attr("class", "md-nav__link")]
        toc = [h for h in links if h.startswith("#")]
        h2 = [f"#{a['id']}" for t, a in page.elements if t == "h2" and a.get("id")]
        assert toc == h2 and h2, m.id
        assert [a["href"] for a in page.with_attr("class", "md-skip")] == [f"#{slug(m.title, [])}"]


def test_the_sitemap_and_search_list_module_pages_not_the_frame(site: Path, real: SupportMatrix) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>(?:None)?(.*?)</loc>", sitemap))  # no site_url: MkDocs writes "None"
    both = _module_urls(real) | {f"zh/{u}" for u in _module_urls(real)}
    assert {u for u in locs if "modules/" in u} == both
    for edition in ("", "zh/"):
        docs = json.loads((site / edition / "search/search_index.json").read_text(encoding="utf-8"))["docs"]
        modules = [d for d in docs if d["location"].startswith("modules/")]
        assert sorted(d["location"] for d in modules) == sorted(_module_urls(real))
        assert all(d["tags"] and "boost" in d and d["title"] for d in modules)


def test_a_worker_that_died_leaves_the_pages_to_this_process() -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    data = Loaded(factories.small())
    job = shell._Job(data, (), None, True, None, (("zh", "zh/"),))
    died: Future[shell.Edition] = Future()
    died.set_running_or_notify_cancel()  # started: not taken back, awaited
    died.set_exception(BrokenProcessPool("killed"))
    pages, entries = shell._awaiting([(slice(None), died)], job, "zh")()
    assert pages == module_pages_of(Templates(lang="zh"), data) and entries is None


def test_parts_the_worker_has_not_started_are_rendered_here_from_the_last() -> None:
    from concurrent.futures import Future

    from material.plugins.search.plugin import SearchIndex

    data = Loaded(factories.small())
    n = len(data.matrix.modules)
    assert n >= 3
    settings = {"lang": ["en"], "separator": " ", "pipeline": [], "fields": {}}
    job = shell._Job(data, (), None, True, settings, (("zh", "zh/"),))
    parts = [slice(i, i + 1) for i in range(n)]
    futures: list[Future[shell.Edition]] = [Future() for _ in parts]
    # the worker finished the first part and is rendering the second; the others wait in its queue
    futures[0].set_running_or_notify_cancel()
    futures[0].set_result(shell._render_edition(job, "zh", parts[0]))
    futures[1].set_running_or_notify_cancel()
    futures[1].set_result(shell._render_edition(job, "zh", parts[1]))
    pages, entries = shell._awaiting(list(zip(parts, futures, strict=True)), job, "zh")()
    assert all(f.cancelled() for f in futures[2:]) and not futures[1].cancelled()
    assert pages == module_pages_of(Templates(lang="zh"), data)
    here = SearchIndex(**settings)
    shell._index_pages(here, pages, "zh/")
    assert entries == here.entries


def test_a_wrong_workers_setting_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from matrix.errors import UsageError

    monkeypatch.setenv("AGNO_DOCS_WORKERS", "2")
    with pytest.raises(UsageError) as info:
        shell.start_editions(Loaded(factories.small()), (), None, True, {"zh": "zh/"})
    assert str(info.value) == ("AGNO_DOCS_WORKERS: expected 0 or 1, got '2'; "
                               "unset it to let the build decide by the amount of work")


def test_module_pages_are_written_in_the_background_and_awaited_at_the_end(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    page = frame.Frame.parse(_frame_html(), True, ALL, "docs/f.md")
    shell._writer = ThreadPoolExecutor(max_workers=1)
    pages = (_module(("import",)),)
    shell._writing.append(shell._writer.submit(shell._write, page, pages, tmp_path, "zh/", True))
    shell.written_all()
    written = tmp_path / "zh" / "modules" / "tools" / "calculator" / "index.html"
    assert written.read_text(encoding="utf-8") == page.page(_module(("import",)))
    assert shell._writer is None and not shell._writing


def test_a_module_page_that_cannot_be_written_fails_the_build_in_one_line(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from mkdocs.exceptions import PluginError

    (tmp_path / "modules").write_text("a file where the module pages' folder goes", encoding="utf-8")
    page = frame.Frame.parse(_frame_html(), True, ALL, "docs/f.md")
    shell._writer = ThreadPoolExecutor(max_workers=1)
    pages = (_module(("import",)),)
    shell._writing.append(shell._writer.submit(shell._write, page, pages, tmp_path, "", True))
    with pytest.raises(PluginError) as info:
        shell.written_all()
    assert str(info.value).startswith("agno-docs: cannot write a module page: [Errno 20] Not a directory: ")
    assert str(info.value).count("\n") == 0 and "modules" in str(info.value)
    assert shell._writer is None and not shell._writing


def test_the_last_event_freezes_what_the_build_left_for_the_exit() -> None:
    import gc

    from macros import hooks

    before = gc.get_freeze_count()
    try:
        hooks.on_shutdown()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()

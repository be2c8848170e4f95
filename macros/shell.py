"""Module pages, written into the frame the theme rendered (the mechanism: ``macros/frame.py``).

Wiring only, called from ``macros/hooks.py``:

* ``define_env`` hands :func:`prepare` what renders this pass's module pages (the engine, in the
  pass's language); in the first pass it may start rendering the other editions' module pages in a
  worker process (:func:`start_editions`), which the later passes take when their frame is rendered;
* ``on_page_content``: the frame page's article becomes the placeholder the frame is cut at;
* ``on_post_page``: with the frame rendered, each module page is rendered, put into it and written
  where MkDocs would have written it (``<edition>/modules/<family>/<name>/index.html``), and given
  its search entry through the search plugin's own indexer (the same entry a page of its own gets);
* ``on_post_build``: the frame's own file is removed, and each sitemap entry of the frame becomes one
  entry per module page.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import gzip
import multiprocessing
import os
import re
import shutil
import types
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from matrix import workers
from matrix.errors import AgnoDocsError
from matrix.render import links, modules
from matrix.render.modules import Rendered
from matrix.sources import Loaded

from . import frame as shell

#: The frame page, under docs/.
FRAME = links.module_page(modules.SHELL_ID)

#: Whole-page components the worker renders too, ahead of the page that calls them: (the page's
#: address within its edition, the macro, its arguments), in the order the build reaches them, each
#: a task of its own (a page waits only for its own). Each is one HTML component, the costliest of
#: the site (the interactive matrix, the cookbook's porting priority and its index of 2,075 recipes;
#: each is HTML as a whole, put in its page as one piece: a macro that returns Markdown, such as
#: Not yet in Go's families, cannot be one); a page that calls one differently, or a result the
#: worker could not make, is rendered by the page as before.
AHEAD: tuple[tuple[str, str, tuple[Any, ...]], ...] = (
    ("matrix/", "interactive_matrix", ()),
    ("cookbook/", "porting_priority", (25,)),
    ("cookbook/", "cookbook_index", ()),
)
#: Those results, by language, each as it comes: (page, macro, arguments) -> HTML (None: the page
#: renders it).
_ahead: dict[str, dict[tuple[str, str, tuple[Any, ...]], Future[str | None]]] = {}

#: Module pages (a part of an edition's, or all), and their search entries when the search plugin
#: is on (else None).
Edition = tuple[tuple[Rendered, ...], "list[dict[str, Any]] | None"]
#: Module pages rendered in the background for the editions still to be built: language -> its
#: parts in page order, each (which modules, the worker's result).
_editions: dict[str, list[tuple[slice, Future[Edition]]]] = {}
_pool: ProcessPoolExecutor | None = None
#: A worker is started only for at least this many module pages (its start costs about 0.5 s of CPU).
WORKER_MIN = 100
#: Module pages per part a forked worker renders (about 0.04 s of work): when the build reaches an
#: edition's frame, it renders the parts the worker has not started itself, from the last, while
#: the worker goes on from the first (at 10x modules neither waits for the other). What it cannot
#: take back is the part the worker is rendering and the one queued behind it (the pool hands the
#: worker one call ahead): the build waits for those two at each frame (with 96 pages a part,
#: 0.36 s in all at 10x modules).
PART = 48

_render: Callable[[], Edition] | None = None
#: This pass's module page addresses (``modules/tools/calculator/``).
_urls: tuple[str, ...] = ()
#: The module pages this pass wrote (for bench/_dump_hook.py, which dumps the site as hand-written pages).
written_pages: tuple[Rendered, ...] = ()
#: Per build pass: the frame's written file (removed at the end of the pass).
_written: list[Path] = []
#: The module pages being written, each edition's in one job of a background thread (its file writes
#: release the interpreter while this thread builds the next pages and editions); :func:`written_all`
#: waits for them once every edition is built.
_writing: list[Future[None]] = []
_writer: ThreadPoolExecutor | None = None


def prepare(render: Callable[[], tuple[Rendered, ...]], urls: tuple[str, ...], lang: str) -> None:
    """This pass's module pages: ``render()`` renders them when the frame is rendered, unless a
    worker renders this edition's (:func:`start_editions`); ``urls``: their addresses, for the sitemap."""
    global _render, _urls
    parts = _editions.pop(lang, None)
    here: Callable[[], Edition] = lambda: (render(), None)  # noqa: E731
    _render = here if parts is None or _job is None else _awaiting(parts, _job, lang)
    _urls = tuple(sorted(urls, key=_order))


def _awaiting(parts: list[tuple[slice, Future[Edition]]], job: _Job, lang: str) -> Callable[[], Edition]:
    """The edition's module pages and their search entries, part by part in page order: the parts
    the worker has not started are rendered here, from the last (each one taken from the worker's
    queue), the others awaited; if the worker died (killed, out of memory), this process renders
    the parts it did not finish."""
    def result() -> Edition:
        done: dict[int, Edition] = {}
        try:
            for i in reversed(range(len(parts))):
                part, future = parts[i]
                if not future.cancel():
                    break
                done[i] = _render_edition(job, lang, part)
            for i, (part, future) in enumerate(parts):
                if i not in done:
                    try:
                        done[i] = future.result()
                    except (BrokenProcessPool, OSError, EOFError):
                        done[i] = _render_edition(job, lang, part)
        finally:
            _stop_if_idle()
        pages = tuple(p for i in range(len(parts)) for p in done[i][0])
        entries = [e for i in range(len(parts)) for e in done[i][1] or ()]
        return pages, (entries if job.search is not None else None)
    return result


@dataclasses.dataclass(frozen=True)
class _Job:
    data: Loaded
    overrides: tuple[Path, ...]
    report: str | None
    directory_urls: bool
    search: dict[str, Any] | None
    """The search plugin's settings (its entries are made in the worker too), or None."""
    folders: tuple[tuple[str, str], ...]
    """Each edition's folder in the site: (language, ``""`` or ``"zh/"``)."""


#: The job, while a worker runs: this process renders from it the parts the worker has not started,
#: and a forked worker finds it here, copied with the process (a spawned one is sent it).
_job: _Job | None = None


def start_editions(data: Loaded, overrides: tuple[Path, ...], report: str | None, directory_urls: bool,
                   langs: dict[str, str], search: dict[str, Any] | None = None) -> None:
    """Render the module pages of the editions ``langs`` (language: its folder, ``""`` or ``"zh/"``;
    this one first, then those built after it), and their search entries, in a worker process while
    this process builds the rest of the site. Only when it pays:
    enough pages and two CPUs or more for this process. In a process running one thread (``mkdocs
    build``) the worker is forked: it starts in milliseconds with the matrix already loaded. In one
    running threads (``mkdocs serve``: forking it is unsafe) it is a new interpreter (about 0.5 s of
    CPU to start, and the matrix to pickle), so only when a CPU is idle (the load average; on a busy
    machine it costs more than it saves). ``AGNO_DOCS_WORKERS=0`` or ``1`` decides instead. Without
    a worker each edition renders its own module pages when its frame is rendered: the same pages."""
    global _pool, _job
    _editions.clear()
    _ahead.clear()
    _env.clear()  # templates of an earlier build (mkdocs serve) may have been edited since
    method = _start_method()
    n = len(data.matrix.modules)
    if not langs or n < WORKER_MIN or method is None:
        return
    _job = job = _Job(data, overrides, report, directory_urls, search, tuple(langs.items()))
    sent = None if method == "fork" else job
    # a spawned worker is sent the job with each call: one part per edition
    size = PART if method == "fork" else n
    if method == "fork":
        # What this process holds now (the matrix, every module imported) lives for the whole build:
        # out of the collector's generations, no collection walks it again, and the forked worker
        # shares it copy-on-write instead of copying each page its collector touches (gc.freeze's
        # documented use before fork), until the worker is stopped (:func:`_stop_if_idle`).
        gc.freeze()
    try:
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method))
        _widen(_pool)
        for lang in langs:
            _ahead[lang] = {key: _pool.submit(_render_ahead, sent, lang, key) for key in AHEAD}
            _editions[lang] = [(part, _pool.submit(_render_edition, sent, lang, part))
                               for part in (slice(i, i + size) for i in range(0, n, size))]
    except (OSError, ImportError):  # no processes or semaphores here: each edition renders its own
        abandon()
        gc.unfreeze()  # when no pool was made, abandon() had none to stop (nor the freeze to undo)


#: The sizes asked for the pipe that brings the worker's results, in turn (a part of module pages is
#: about 0.6 MB, and the next may come before this process read the last; Linux's default pipe holds
#: 64 KB, and a process without privileges may ask for 1 MB at most unless the system allows more).
RESULT_PIPE = (4 << 20, 1 << 20)


def _widen(pool: ProcessPoolExecutor) -> None:
    """Let the pipe of the worker's results hold a whole part. In a 64 KB pipe the worker waits for this
    process to read each part, 64 KB at a time, and this process reads only when its reading thread
    gets the interpreter from the threads building the site: measured at 10x modules, the worker
    waited 1.4 s in all. (The pipe is ``_result_queue._reader`` in ``ProcessPoolExecutor``; where it
    is not, or the system refuses the size, the pipe stays as it is.)"""
    try:
        import fcntl  # not on Windows
    except ImportError:
        return
    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)  # Linux only
    if reader is None or setting is None:
        return
    for size in RESULT_PIPE:
        with contextlib.suppress(OSError, ValueError):
            fcntl.fcntl(reader.fileno(), setting, size)
            return


def _render_ahead(job: _Job | None, lang: str, key: tuple[str, str, tuple[Any, ...]]) -> str | None:
    """In the worker: one of the :data:`AHEAD` components of one edition (None if it fails: its page
    renders it, and reports the error as it would have)."""
    from matrix.render import macros

    job = job or _job
    assert job is not None
    url, name, args = key
    try:
        with links.at(url, directory_urls=job.directory_urls):
            return str(macros(_templates(job.overrides, lang))[name](job.data, *args))
    except AgnoDocsError:
        return None


def ahead(lang: str, url: str | None, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    """The worker's rendering of macro ``name`` for the page at ``url`` (within its edition), or None."""
    key = (url or "", name, args)
    future = _ahead.get(lang, {}).get(key)
    if kwargs or future is None:
        return None
    try:
        return future.result()
    except (BrokenProcessPool, OSError, EOFError):
        return None


def _render_edition(job: _Job | None, lang: str, part: slice) -> Edition:
    """In the worker (or here, for a part the worker has not started): a part of one edition's
    module pages, and their search entries."""
    from matrix.render.site import module_pages_of

    job = job or _job
    assert job is not None
    pages = module_pages_of(_templates(job.overrides, lang), job.data, report=job.report,
                            directory_urls=job.directory_urls, part=part)
    if job.search is None:
        return pages, None
    from material.plugins.search.plugin import SearchIndex, jieba

    path = job.search.get("jieba_dict")
    # a spawned worker starts without the site's dictionary (setting it again would reload it)
    if jieba is not None and path and jieba.dt.dictionary != os.path.normpath(os.path.abspath(path)):
        jieba.set_dictionary(path)
    index = SearchIndex(**job.search)
    _index_pages(index, pages, dict(job.folders)[lang])
    return pages, index.entries


#: The engine's templates by (overrides, language), kept for the parts of this build's editions.
_env: dict[tuple[tuple[Path, ...], str], Any] = {}


def _templates(overrides: tuple[Path, ...], lang: str) -> Any:
    from matrix.render import Templates

    key = (overrides, lang)
    if key not in _env:
        _env[key] = Templates(overrides, lang=lang)
    return _env[key]


def _index_pages(index: Any, pages: tuple[Rendered, ...], prefix: str) -> None:
    """Each module page's search entry, made by the search plugin's own indexer."""
    for module in pages:
        index.add_entry_from_context(types.SimpleNamespace(
            url=prefix + module.url, title=module.title, toc=[], content=module.indexed,
            meta={"search": {"boost": module.boost}, "tags": list(module.tags)}))


def abandon() -> None:
    """The build failed: end the worker now, its work unfinished. Shutting the pool down only cancels
    what it has not handed the worker yet, and the interpreter's exit waits for the rest: seconds of
    pages the failed build will never write. (``ProcessPoolExecutor`` names its processes only in
    ``_processes``; Python 3.14's ``terminate_workers`` does this.)"""
    global _job
    processes = list((getattr(_pool, "_processes", None) or {}).values())  # shutting down forgets them
    _editions.clear()
    _ahead.clear()
    _stop_if_idle()
    _job = None
    for process in processes:
        process.terminate()


def _stop_if_idle() -> None:
    global _pool, _job
    if _pool is not None and not _editions:
        _ahead.clear()
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool, _job = None, None
        gc.unfreeze()


def _start_method() -> str | None:
    """How to start the worker (``fork``, ``spawn``), or None for no worker (:func:`start_editions`)."""
    setting = workers.setting("build")
    if setting is not None:
        return None if setting == 0 else workers.start_method()
    method = workers.start_method()
    cpus = workers.cpus()
    if cpus < 2 or (method == "spawn" and workers.load() > cpus - 1):
        return None
    return method


def _order(url: str) -> list[str]:
    """Pages in the order MkDocs gives pages of their own (by path), for the search index and sitemap."""
    return url.split("/")


def is_frame(page: Any) -> bool:
    return getattr(getattr(page, "file", None), "src_uri", None) == FRAME


def page_content(html: str, page: Any) -> str:
    return shell.CONTENT if is_frame(page) else html


def _search(config: Any) -> Any:
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    index = getattr(plugin, "search_index", None)
    if index is None or not plugin.config.get("enabled", True):
        return None
    return index


def post_page(output: str, page: Any, config: Any) -> str:
    if not is_frame(page) or _render is None:
        return output
    dirs = bool(config.get("use_directory_urls", True))
    prefix = page.url[: page.url.index(shell.frame_path(dirs))]  # "" or "zh/": the edition
    global written_pages
    try:
        frame = shell.Frame.parse(output, dirs, [a for _, a, _ in modules.SECTIONS], f"docs/{FRAME}")
        rendered, entries = _render()
    except AgnoDocsError as exc:
        raise PluginError(f"agno-docs: {exc}") from None
    pages = written_pages = tuple(sorted(rendered, key=lambda m: _order(m.url)))
    site = Path(config.site_dir)
    index = _search(config)
    global _writer
    _writer = _writer or ThreadPoolExecutor(max_workers=1, thread_name_prefix="agno-module-pages")
    _writing.append(_writer.submit(_write, frame, pages, site, prefix, dirs))
    if index is not None and entries is not None:
        order = {prefix + m.url: i for i, m in enumerate(pages)}
        index.entries.extend(sorted(entries, key=lambda e: order.get(e["location"], len(order))))
    elif index is not None:
        _index_pages(index, pages, prefix)
    # modules/_agno_shell/ (and _page/ in it, with directory URLs) under the edition's folder
    _written.append(site / prefix / shell.frame_path(dirs).rsplit("/", 1)[0])
    return output


def _write(frame: shell.Frame, pages: tuple[Rendered, ...], site: Path, prefix: str, dirs: bool) -> None:
    """Each module page, in its frame, where MkDocs would have written a page of its own."""
    root = str(site)
    for module in pages:
        url = prefix + module.url
        dest = os.path.join(root, url + "index.html" if dirs else url)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, "wb") as out:
            out.write(frame.page_bytes(module))


def written_all() -> None:
    """Wait for the module pages being written; a page that could not be written fails the build."""
    global _writer
    try:
        while _writing:
            _writing.pop(0).result()
    except OSError as exc:
        _writing.clear()
        raise PluginError(f"agno-docs: cannot write a module page: {exc}; the site folder must be "
                          "writable, with room for the pages") from None
    finally:
        if _writer is not None and not _writing:
            _writer.shutdown()
            _writer = None


_URL = re.compile(r"[ \t]*<url>.*?</url>\n?", re.S)


def post_build(config: Any) -> None:
    """Remove the frame's file; in the sitemap, one entry per module page where the frame had one.
    (The module pages may still be being written: :func:`written_all`, once every edition is built.)"""
    for path in _written:
        shutil.rmtree(path, ignore_errors=True)
    _written.clear()
    sitemap = Path(config.site_dir) / "sitemap.xml"
    if not _urls or not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    dirs = bool(config.get("use_directory_urls", True))
    path = shell.frame_path(dirs)
    if path not in text:
        return
    urls = [shell.page_path(u, dirs) for u in _urls]

    def entries(m: re.Match[str]) -> str:
        block = m.group()
        return "".join(block.replace(path, u) for u in urls) if path in block else block

    text = _URL.sub(entries, text)
    sitemap.write_text(text, encoding="utf-8")
    gz = sitemap.with_name("sitemap.xml.gz")
    if gz.is_file():
        gz.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))

"""``agno-docs check``: the docs must never claim what the runtime cannot do.

``check_docs(docs_dir, loaded, ...)`` returns :class:`Finding` records (``file:line: message``);
the CLI prints them and exits 1 when there is any. Each check has a *kind*; :data:`CHECKS` lists
them with what they verify, and docs/reference/checks.md is the user-facing version (a test keeps
the two in sync).

What the runtime has is read from its source tree when ``--go-root`` is given (routes with the
scanner's route extraction and the profile's queries, string literals, imports with tree-sitter-go),
else from the matrix (its measured endpoint units). What the runtime's migration spec only *plans*
(the ``/v1/runtime/go`` control plane, the ``not_migrated`` start-up error, telemetry tagged
``runtime=go``) may appear on a page only under the planned mark: the ``planned(...)`` macro's
admonition (the lines indented under the call) or, for one line, ``planned_badge()``.

Pages are read once: Jinja's own parser for the macro calls (``{% raw %}`` and comments understood;
pages with ``render_macros: false`` in their front matter are not parsed as templates), markdown-it
(through :func:`matrix.readme.fences`) for code blocks, tree-sitter-go for imports, one regular
expression per claim kind compiled once. Snippets included with ``--8<-- "path"`` (under
``<docs>/snippets``, as mkdocs.yml configures pymdownx.snippets) are read where they are included,
planned when the include line is; findings in them name the snippet file and line.

What parsing yields (front matter, fences, macro calls, Go imports) depends on the text alone, so it is
kept between runs in ``<cache_dir>/check.msgpack`` by the text's digest (:class:`_Cache`): a run over
unchanged pages imports none of the parsers, which is most of what a run costs (bench/check.py). The
checks themselves run every time; findings are the same with or without the cache (tests pin it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.util
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from ._endpoints import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from .errors import AgnoDocsError, UsageError, WriteError
from .model import Module, Provenance, Recipe, Status, SupportMatrix, UnitKind, UnitState
from .readme import Fence, fences
from .render.registry import Arg, signatures, taking
from .sources import Loaded

if TYPE_CHECKING:  # Jinja is imported when a page is parsed, not read from the cache (see :class:`_Cache`)
    import jinja2

__all__ = [
    "CHECKS",
    "Finding",
    "Runtime",
    "check_docs",
    "check_matrix",
    "check_raw_snapshot",
    "render_page",
]


@functools.cache
def _profile() -> Any:
    """The default profile, read only when a check needs it (support packages, a runtime tree's layout)."""
    from .profiles import load_profile

    return load_profile()


def support_packages() -> frozenset[str]:
    """Runtime packages that are no module of the matrix but exist in the runtime tree (shared types and
    helpers; the default profile's ``runtime.support``): used only when no ``--go-root`` is given."""
    return frozenset(_profile().runtime.support)

#: Every check, by kind, with what it verifies (docs/reference/checks.md has a section per kind).
CHECKS: dict[str, str] = {
    "module-id": "module ids, family ids and feature names passed to macros exist",
    "go-import": "Go code imports only runtime packages that exist and whose module is in Go",
    "claim": "marked claims of Go support (or of its absence) hold",
    "endpoint": "an HTTP endpoint presented as available is one the runtime serves",
    "planned": "what the runtime's migration spec only plans is presented under the planned mark",
    "recipe": "a recipe or snippet marked as running in Go is one the matrix backs",
    "matrix": "partial modules say what is missing, wont_port ones why",
    "not-in-go": "every not_migrated module is on the \"Not yet in Go\" page",
}

NOT_IN_GO_PAGE = "not-in-go.md"
SNIPPETS = "snippets"
"""Where ``--8<--`` paths are relative to, under the docs folder (mkdocs.yml: pymdownx.snippets base_path)."""



def _common_prefix(paths: Iterable[str]) -> str:
    common: list[str] = []
    for segs in zip(*(p.strip("/").split("/") for p in paths), strict=False):
        if len(set(segs)) != 1:
            break
        common.append(segs[0])
    return "/" + "/".join(common)


#: The planned contract's prefix: what the control-plane paths of ``matrix/openapi.yaml`` share.
CONTRACT_PREFIX = _common_prefix((SUPPORT_MATRIX_PATH, BENCHMARKS_PATH, TELEMETRY_PATH))

#: What the migration spec plans beyond endpoints, as (what, how a page states it, the Go source that
#: would show the runtime has it). Stated outside the planned mark, each is a finding unless the tree has it.
PLANNED_TERMS: tuple[tuple[str, re.Pattern[str], re.Pattern[bytes]], ...] = (
    ("the not_migrated error",
     re.compile(r"\bnot_migrated\b(?=.*\b(?:error|raises?|refuses?|422)\b)|"
                r"\b(?:error|raises?|refuses?|422)\b.*\bnot_migrated\b", re.I),
     re.compile(rb'"not_migrated"')),
    ("telemetry tagged runtime=go",
     re.compile(r"\b(?:every|each|all)\b[^.]*\bevents?\s+(?:\w+\s+){0,3}?(?:carr(?:y|ies)|ha(?:s|ve)|says?|"
                r"(?:is|are) tagged)\b[^.]*\bruntime=go\b", re.I),
     re.compile(rb'"runtime"\s*[:,=]\s*"go"')),
)

_GO_TAB = re.compile(r'^[ \t]*===[+!]?[ \t]+"Go"[ \t]*$')
_CLAIM = re.compile(r"<!--\s*claim:\s*(?P<kind>[\w-]+)(?P<ids>[^>]*?)\s*-->")
_INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"(?P<path>[^"]+)"[ \t]*$')
_RUNS_IN_GO = re.compile(r"\bRuns in Go\b")
_RECIPE_PATH = re.compile(r"\bcookbook/[\w./-]+\.py\b")
_SAMPLE_PATH = re.compile(r"[\w./-]+\.(?:py|go)\b")
_TOKEN = re.compile(r"[\w-]+(?:\.[\w-]+)*")
_METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS"
#: An endpoint a page presents: ``METHOD /path``, or a path after a local address
#: (``http://127.0.0.1:8080/api/v1/agents``, ``$AGNO_RUNTIME_URL/v1/...``) or after the planned prefix.
_ENDPOINT = re.compile(
    rf"(?:\b(?P<method>{_METHODS})[ \t]+|(?:https?://(?:127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\])(?::\d+)?|"
    rf"\$\{{?\w+\}}?)|(?<![/.\w])(?={re.escape(CONTRACT_PREFIX)}\b))"
    r"(?P<path>/[^\s\"'`)<>,;|\\?#]*)")
_DATA = re.compile(r"\s(?:-d|--data|--data-raw|-F|--form)\b")
_MARK = "{{ planned(...) }} or {{ planned_badge() }}"
_CURL_METHOD = re.compile(rf"(?:-X|--request)[ \t]+(?P<m>{_METHODS})\b")
_PARAM = re.compile(r"^(?:\{[^}]*\}|:\w+|\*\w+|<[^>]*>|\$\{?\w+\}?|\{\?\})$")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.M)


@dataclasses.dataclass(frozen=True, order=True)
class Finding:
    """One thing the docs claim that the runtime (or the matrix) does not back."""

    file: str
    line: int
    message: str
    kind: str = dataclasses.field(default="", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def github(self) -> str:
        """A GitHub workflow annotation on the file and line (``::error file=...,line=...::...``)."""
        def prop(v: str) -> str:
            return v.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A") \
                .replace(",", "%2C")
        msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        title = f"agno-docs check ({self.kind})" if self.kind else "agno-docs check"
        return f"::error file={prop(self.file)},line={self.line},title={prop(title)}::{msg}"


# --- what parsing yields, kept between runs ------------------------------------------------------------


class _Kept(msgspec.Struct):
    parsers: str
    pages: dict[str, _Parsed]
    go: dict[str, list[tuple[int, str]]]


class _Cache:
    """What parsing a page (front matter, fences, macro calls) and a piece of Go (its imports) yields, by the
    digest of its text, in ``<folder>/check.msgpack``. Entries are kept only under the same
    :func:`_parsers` (this module, :mod:`matrix.readme`, and the parser packages as installed), only when
    they read back equal to what was parsed (front matter with a date is parsed every time), and only
    while some page or snippet still has them. A missing, unreadable or stale file is a cold start; one
    that cannot be written is left as it is: findings never depend on it. ``None``: no folder, no file."""

    FILE = "check.msgpack"

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / self.FILE if folder is not None else None
        self.kept = _Kept("", {}, {})
        self.used = _Kept("", {}, {})
        if self.file is None:
            return
        self.used.parsers = _parsers()
        try:
            kept = msgspec.msgpack.decode(self.file.read_bytes(), type=_Kept)
        except (OSError, msgspec.DecodeError):
            return
        if kept.parsers == self.used.parsers:
            self.kept = kept

    def page(self, text: str, name: str) -> _Parsed:
        key = _digest(text)
        got = self.kept.pages.get(key)
        if got is None:
            got = _parse_page(text, name)
            if not _keeps(got, _Parsed):
                return got
        if self.file is not None:
            self.used.pages[key] = got
        return got

    def go_imports(self, code: str) -> list[tuple[int, str]]:
        key = _digest(code)
        got = self.kept.go.get(key)
        if got is None:
            got = [(n, imp) for n, imp in go_imports(code)]
        if self.file is not None:
            self.used.go[key] = got
        return got

    def save(self) -> None:
        if self.file is None or (self.used.pages == self.kept.pages and self.used.go == self.kept.go):
            return
        from ._io import write_atomic

        with contextlib.suppress(WriteError):  # a cache that cannot be written costs time, not a finding
            write_atomic(self.file, msgspec.msgpack.encode(self.used))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _keeps(value: object, kind: type) -> bool:
    """Whether ``value`` reads back from the cache equal to itself."""
    try:
        return bool(msgspec.msgpack.decode(msgspec.msgpack.encode(value), type=kind) == value)
    except (TypeError, ValueError, OverflowError, msgspec.MsgspecError):
        return False


@functools.cache
def _parsers() -> str:
    """What the cached facts depend on besides the text: the interpreter, the parsing code (this module and
    :mod:`matrix.readme`) and the installed parser packages (their files' size and modification time)."""
    import sys

    from . import readme

    h = hashlib.blake2b(sys.version.encode(), digest_size=20)
    for own in (__file__, readme.__file__):
        h.update(Path(own).read_bytes())
    for pkg in ("jinja2", "markdown_it", "yaml", "tree_sitter", "tree_sitter_go"):
        spec = importlib.util.find_spec(pkg)
        origin = spec.origin if spec is not None else None
        st = os.stat(origin) if origin else None
        h.update(f"{pkg}={origin}:{st.st_size if st else 0}:{st.st_mtime_ns if st else 0}\n".encode())
    return h.hexdigest()


# --- the matrix itself -------------------------------------------------------------------------------


def check_matrix(matrix: SupportMatrix, where: str = "matrix", text: str | None = None) -> list[Finding]:
    """Partial modules need notes, wont_port ones a reason (whitespace-only counts as none)."""
    out = []
    for m in matrix.modules:
        msg = _module_rule(m.id, m.status.value, m.notes, m.reason)
        if msg:
            out.append(Finding(where, _line_of_id(text, m.id), msg, "matrix"))
    return out


def check_raw_snapshot(data: bytes, where: str) -> list[Finding]:
    """The same rules on the raw JSON, before (and whether or not) the model accepts it."""
    try:
        doc = msgspec.json.decode(data)
    except msgspec.DecodeError:
        return []  # not JSON at all: loading reports it with its own one-line error
    modules = doc.get("modules") if isinstance(doc, dict) else None
    if not isinstance(modules, list):
        return []
    text = data.decode("utf-8", "replace")
    out = []
    for i, raw in enumerate(modules):
        if not isinstance(raw, dict):
            continue
        mid = str(raw.get("id", f"modules[{i}]"))
        notes, reason = raw.get("notes"), raw.get("reason")
        msg = _module_rule(mid, str(raw.get("status")), notes if isinstance(notes, str) else None,
                           reason if isinstance(reason, str) else None)
        if msg:
            out.append(Finding(where, _line_of_id(text, mid), msg, "matrix"))
    return out


def _module_rule(mid: str, status: str, notes: str | None, reason: str | None) -> str | None:
    if status == Status.PARTIAL.value and not (notes or "").strip():
        return f"module {mid!r} is partial but has no notes saying what is missing"
    if status == Status.WONT_PORT.value and not (reason or "").strip():
        return f"module {mid!r} is wont_port but has no reason"
    return None


def _line_of_id(text: str | None, mid: str) -> int:
    if text:
        m = re.search(r'"id"\s*:\s*' + re.escape(f'"{mid}"'), text)
        if m:
            return text.count("\n", 0, m.start()) + 1
    return 1


# --- what the runtime has ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Runtime:
    """What the runtime serves and contains, from its tree or (without one) from the matrix."""

    name: str
    """``agno-Go 1.2.9 (c16f103)``, or the tree's folder."""
    routes: tuple[tuple[str, tuple[str, ...]], ...]
    """(method, path segments) of every route it registers."""
    source: bytes = b""
    """Its Go sources, concatenated (empty without a tree: the planned terms are then assumed absent)."""
    measured: bool = False
    """True when read from a tree (then a planned term found in its sources counts as present)."""

    @classmethod
    def from_matrix(cls, matrix: SupportMatrix, root: Path | None = None) -> Runtime:
        """The Go spelling of every ported endpoint unit (the baseline's where the Go path is not a literal,
        ``GET <configured path>``), and the Go-only routes (``coverage.extra``). With ``root``, only units
        whose Go evidence file is still in that tree."""
        routes: set[tuple[str, tuple[str, ...]]] = set()
        for m in matrix.modules:
            c = m.coverage
            if c is None or c.kind is not UnitKind.ENDPOINTS:
                continue
            for u in c.units:
                if u.state is UnitState.PORTED and (root is None or (u.go and (root / u.go.path).is_file())):
                    found = _route(u.go_name or u.name) or _route(u.name)
                    routes.update([found] if found else [])
            routes.update(r for r in map(_route, c.extra if root is None else ()) if r is not None)
        return cls(_label(matrix.runtime), tuple(sorted(routes)))

    @classmethod
    def from_tree(cls, root: Path, matrix: SupportMatrix) -> Runtime:
        """Routes read with the scanner (``matrix.sources.scan.go.extract`` and the profile's route
        queries) from every Go file under the profile's runtime roots and ``cmd`` (tests skipped), plus the
        matrix's ported endpoints whose evidence file is in the tree (a route under a prefix the scanner
        cannot read, such as a configured health path)."""
        from .sources.scan import go
        from .sources.scan.rules import compile_rules

        prof = _profile()
        rules = compile_rules(prof).go
        routes: set[tuple[str, tuple[str, ...]]] = set()
        chunks: list[bytes] = []
        for rel in (*prof.runtime.roots, "cmd"):
            for path in sorted((root / rel).rglob("*.go")):
                if path.name.endswith("_test.go"):
                    continue
                data = _read_bytes(path)
                chunks.append(data)
                if _ROUTE_HINT.search(data):
                    facts = go.extract(data, rules, routes=True, registrations=False)
                    routes.update((r.method, _segments(r.path)) for r in facts.routes if "{?}" not in r.path)
        routes.update(cls.from_matrix(matrix, root).routes)
        return cls(root.name, tuple(sorted(routes)), b"\n".join(chunks), True)

    def serves(self, method: str | None, path: str) -> bool:
        want = _segments(path)
        return any((method is None or method == m) and _matches(want, segs) for m, segs in self.routes)

    def has(self, evidence: re.Pattern[bytes]) -> bool:
        return self.measured and evidence.search(self.source) is not None

    def spelled(self) -> list[str]:
        return [f"{m} /{'/'.join(s)}" for m, s in self.routes]


_ROUTE_HINT = re.compile(rb"\.(?:GET|POST|PUT|PATCH|DELETE|Get|Post|Put|Patch|Delete|Route)\(")


def _label(p: Provenance) -> str:
    return f"{p.name} {p.version or ''} ({(p.commit or '')[:7]})".replace("  ", " ")


def _route(name: str) -> tuple[str, tuple[str, ...]] | None:
    method, _, path = name.partition(" ")
    if method not in _METHODS.split("|") or not path.startswith("/"):
        return None
    return method, _segments(path)


def _segments(path: str) -> tuple[str, ...]:
    return tuple(s for s in path.strip("/").split("/") if s)


def _matches(doc: tuple[str, ...], route: tuple[str, ...]) -> bool:
    """A page's path against a route: a route parameter takes any one segment, a page's placeholder
    (``{id}``, ``:id``, ``$SESSION``) only a route parameter."""
    if len(doc) != len(route):
        return False
    for d, r in zip(doc, route, strict=True):
        r_param, d_param = bool(_PARAM.match(r)), bool(_PARAM.match(d))
        if not (r_param or (not d_param and d == r)):
            return False
    return True


# --- pages ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Ctx:
    docs: Path
    matrix: SupportMatrix
    modules: dict[str, Module]
    recipes: dict[str, Recipe]
    runtime: Runtime
    go_root: Path | None
    go_module: str
    support: frozenset[str] | None
    """Support packages (None: the default profile's, read when first needed)."""
    packages: list[tuple[str, Module]] = dataclasses.field(default_factory=list)
    families: frozenset[str] = frozenset()
    features: frozenset[str] = frozenset()
    snippet_marks: dict[str, bool] = dataclasses.field(default_factory=dict)
    """Snippet path -> planned (False as soon as one include of it is not planned)."""
    snippet_from: dict[str, str] = dataclasses.field(default_factory=dict)
    """Snippet path -> the first ``page:line`` that includes it."""
    cache: _Cache = dataclasses.field(default_factory=lambda: _Cache(None))

    def name(self, path: Path) -> str:
        return (self.docs / path.relative_to(self.docs)).as_posix()


@dataclasses.dataclass
class _Page:
    name: str
    lines: list[str]
    meta: dict[str, Any]
    key_lines: dict[str, int]
    fences: list[Fence]
    code: frozenset[int]
    """1-based lines inside fenced code (fences included)."""
    planned: frozenset[int] = frozenset()
    calls: list[tuple[str, int, list[str | None], dict[str, str]]] = dataclasses.field(default_factory=list)
    """(macro, line, constant positional arguments, constant keyword arguments)."""


def check_docs(
    docs: str | Path,
    loaded: Loaded,
    *,
    go_root: str | Path | None = None,
    go_module: str | None = None,
    site: str | Path | None = None,
    support: Iterable[str] | None = None,
    cache_dir: str | Path | None = None,
) -> list[Finding]:
    """Every finding in the docs folder, sorted by file and line.

    ``cache_dir``: where what parsing a page yields (front matter, fences, macro calls, Go imports) is
    kept between runs, by the page's digest (the CLI's ``--cache-dir``); findings are the same with or
    without it."""
    docs_dir = Path(docs)
    if not docs_dir.is_dir():
        raise UsageError("no such docs folder", where=str(docs_dir), hint="pass --docs DIR")
    root = Path(go_root) if go_root is not None else None
    if root is not None and not root.is_dir():
        raise UsageError("no such runtime tree", where=str(root),
                         hint="pass --go-root DIR (the agno-Go checkout)")
    matrix = loaded.matrix
    runtime = Runtime.from_tree(root, matrix) if root is not None else Runtime.from_matrix(matrix)
    ctx = _Ctx(docs_dir, matrix, matrix.modules_by_id(), {r.path: r for r in matrix.recipes}, runtime, root,
               go_module or _go_module_of(root) or matrix.runtime.module or _profile().runtime.module or "",
               frozenset(support) if support is not None else None,
               _packages(matrix), frozenset(f.id for f in matrix.families), _feature_names(matrix),
               cache=_Cache(Path(cache_dir) if cache_dir is not None else None))
    findings: list[Finding] = list(check_matrix(matrix))
    files = sorted(p for p in docs_dir.rglob("*") if p.is_file())
    snippets = docs_dir / SNIPPETS
    for path in files:
        if path.suffix == ".md" and snippets not in path.parents:
            findings.extend(_check_page(ctx, path))
    findings.extend(_check_snippets(ctx, [p for p in files if snippets in p.parents]))
    findings.extend(_check_not_in_go(ctx, loaded, Path(site) if site is not None else None))
    ctx.cache.save()
    return sorted(set(findings))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read ({exc.strerror})", where=str(path)) from None


def _go_module_of(root: Path | None) -> str | None:
    if root is None:
        return None
    try:
        text = (root / "go.mod").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r"^module\s+(\S+)", text, re.M)
    return m.group(1) if m else None


def _front_matter(text: str, name: str) -> tuple[dict[str, Any], dict[str, int], int]:
    """(front matter, key -> line, number of lines it takes); bad YAML raises a one-line UsageError."""
    m = _FRONT.match(text)
    if not m:
        return {}, {}, 0
    import yaml

    try:
        data = yaml.safe_load(m["body"]) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise UsageError(f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})",
                         where=f"{name}:{line}") from None
    lines: dict[str, int] = {}
    for k in _FRONT_KEY.finditer(m["body"]):
        lines.setdefault(k.group(1), m["body"].count("\n", 0, k.start()) + 2)
    span = text.count("\n", 0, m.end()) + (0 if m.group(0).endswith("\n") else 1)
    return (data if isinstance(data, dict) else {}), lines, span


_Call = tuple[str, int, list[str | None], dict[str, str]]


class _Parsed(msgspec.Struct, frozen=True, array_like=True):
    """What reading a page's text yields, whatever the matrix: what :class:`_Cache` keeps."""

    meta: dict[str, Any]
    key_lines: dict[str, int]
    fences: list[tuple[int, int, str, str]]
    """(open, close, info, code) of each :class:`~matrix.readme.Fence`."""
    calls: list[_Call] | None
    """Macro calls; None when the page turns macros off (``render_macros: false``)."""
    syntax: tuple[int, str] | None = None
    """(line, message) when the page is not a valid macros template (then ``calls`` is empty)."""


def _parse_page(text: str, name: str) -> _Parsed:
    import jinja2

    meta, key_lines, span = _front_matter(text, name)
    blocks = fences(text) if "```" in text or "~~~" in text else []
    calls: list[_Call] | None = None
    syntax = None
    if meta.get("render_macros", True) is not False:
        lines = text.split("\n")
        body = "\n" * span + "\n".join(lines[span:])
        try:
            calls = _macro_calls(body)
        except jinja2.TemplateSyntaxError as exc:
            calls, syntax = [], (exc.lineno, f"{exc.message}")
    return _Parsed(meta, key_lines, [(f.open, f.close, f.info, f.code) for f in blocks], calls, syntax)


def _read_page(ctx: _Ctx, path: Path) -> tuple[_Page, list[Finding]]:
    name = ctx.name(path)
    text = _read(path)
    parsed = ctx.cache.page(text, name)
    lines = text.split("\n")
    blocks = [Fence(*f) for f in parsed.fences]
    code = frozenset(n for f in blocks for n in range(f.open, f.close + 1))
    page = _Page(name, lines, parsed.meta, parsed.key_lines, blocks, code)
    problems: list[Finding] = []
    if parsed.calls is not None:
        page.calls = parsed.calls
        if parsed.syntax is not None:
            msg = f"the page is not a valid macros template ({parsed.syntax[1]})"
            problems.append(Finding(name, parsed.syntax[0], msg, "module-id"))
        page.planned = _planned_lines(lines, page.calls)
    return page, problems


@functools.cache
def _parser() -> jinja2.Environment:
    """Jinja with mkdocs-macros' default delimiters; only its parser is used (no page is rendered here)."""
    import jinja2

    return jinja2.Environment()


def _macro_calls(body: str) -> list[_Call]:
    import jinja2.nodes

    out = []
    for call in _parser().parse(body).find_all(jinja2.nodes.Call):
        if not isinstance(call.node, jinja2.nodes.Name):
            continue
        args = [a.value if isinstance(a, jinja2.nodes.Const) and isinstance(a.value, str) else None
                for a in call.args]
        kwargs = {k.key: k.value.value for k in call.kwargs
                  if isinstance(k.value, jinja2.nodes.Const) and isinstance(k.value.value, str)}
        out.append((call.node.name, call.lineno, args, kwargs))
    return out


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _planned_lines(lines: Sequence[str], calls: Sequence[tuple[str, int, Any, Any]]) -> frozenset[int]:
    """Lines under the planned mark: ``planned(...)``'s line and the lines indented under it (blank ones
    too), and each line that carries ``planned_badge()``."""
    out: set[int] = set()
    for macro, line, _, _ in calls:
        if macro == "planned_badge":
            out.add(line)
        elif macro == "planned":
            out.add(line)
            base = _indent(lines[line - 1])
            n = line + 1
            while n <= len(lines) and (not lines[n - 1].strip() or _indent(lines[n - 1]) > base):
                out.add(n)
                n += 1
    return frozenset(out)


def _check_page(ctx: _Ctx, path: Path) -> Iterator[Finding]:
    page, problems = _read_page(ctx, path)
    yield from problems
    yield from _check_macros(ctx, page)
    yield from _check_claims(ctx, page)
    yield from _check_recipe(ctx, page)
    yield from _check_runs_in_go(ctx, page)
    for f in page.fences:
        if f.lang in ("go", "golang"):
            yield from _check_go(ctx, page.name, f.code, f.open + 1)
    skip = page.planned | _transcripts(page.fences)
    yield from _check_text(ctx, page.name, page.lines, skip.__contains__)
    yield from _note_includes(ctx, page)


def _transcripts(blocks: Sequence[Fence]) -> frozenset[int]:
    """Lines of ```` ```text ```` blocks: output samples (a finding message quoting a path), not claims."""
    return frozenset(n for f in blocks if f.lang == "text" for n in range(f.open, f.close + 1))


def _feature_names(matrix: SupportMatrix) -> frozenset[str]:
    """Every measured core feature (a ``fields`` unit: ``Agent.model``, ``Team.mode=tasks``), by name: what
    ``needs(..., features=...)`` may name (the quickstart renderer's ``feature_units``, names only)."""
    return frozenset(u.name for m in matrix.modules if m.coverage is not None
                     and m.coverage.kind is UnitKind.FIELDS for u in m.coverage.units)


def _suggest(key: str, known: Iterable[str]) -> str:
    from .render.lookup import closest  # only when there is a finding to word

    near = closest(key, known)
    return f"; did you mean {near!r}?" if near else ""


@functools.cache
def _kinds() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str],
                      dict[str, tuple[int, ...]]]:
    """Macro names by the kind of their arguments, and each macro's snippet positions (the registry's
    signature table: no renderer is imported)."""
    snippets = {name: tuple(i for i in range(len(m.args)) if m.kind(i) is Arg.SNIPPET)
                for name, m in signatures().items()}
    return (taking(Arg.MODULE_ID), taking(Arg.MODULE_ID, variadic=True), taking(Arg.FAMILY),
            taking(Arg.RECIPE), {k: v for k, v in snippets.items() if v})


def _check_macros(ctx: _Ctx, page: _Page) -> Iterator[Finding]:
    module_ids, variadic, family, recipe, _ = _kinds()
    for fn, line, consts, kwargs in page.calls:
        first = consts[0] if consts else None
        if fn in recipe and first is not None and first not in ctx.recipes:
            msg = f"unknown recipe {first!r} in {fn}(){_suggest(first, ctx.recipes)}"
            yield Finding(page.name, line, msg, "recipe")
        if fn in family and first is not None and first not in ctx.families:
            msg = f"unknown family {first!r} in {fn}(){_suggest(first, ctx.families)}"
            yield Finding(page.name, line, msg, "module-id")
        ids = consts if fn in variadic else consts[:1] if fn in module_ids else []
        for mid in ids:
            if mid is not None and mid not in ctx.modules:
                msg = f"unknown module id {mid!r} in {fn}(){_suggest(mid, ctx.modules)}"
                yield Finding(page.name, line, msg, "module-id")
        for name in kwargs.get("features", "").split() if fn in variadic else ():
            if name not in ctx.features:
                msg = f"unknown feature {name!r} in {fn}(){_suggest(name, ctx.features)}"
                yield Finding(page.name, line, msg, "module-id")


def _ids(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [p for p in re.split(r"[\s,]+", raw) if p]
    if isinstance(raw, list):
        return [str(v) for v in raw]
    return []


def _claims(page: _Page) -> Iterator[tuple[int, str, list[str]]]:
    """(line, kind, names) of each claim: front matter ``go_support``, ``<!-- claim: -->`` outside code."""
    if "go_support" in page.meta:
        yield page.key_lines.get("go_support", 1), "go-supported", _ids(page.meta["go_support"])
    for n, text in enumerate(page.lines, 1):
        if "claim:" not in text or n in page.code:
            continue
        for m in _CLAIM.finditer(text):
            if text[max(m.start() - 1, 0):m.start()] != "`":  # an example in a code span, not a claim
                yield n, m["kind"], _ids(m["ids"])


def _check_claims(ctx: _Ctx, page: _Page) -> Iterator[Finding]:
    for line, kind, names in _claims(page):
        if kind not in ("go-supported", "not-in-go", "runs-in-go"):
            msg = f"unknown claim {kind!r}; use go-supported, not-in-go or runs-in-go"
            yield Finding(page.name, line, msg, "claim")
        elif not names:
            yield Finding(page.name, line, f"claim {kind} names nothing", "claim")
        elif kind == "runs-in-go":
            for path in names:
                yield from _recipe_mark(ctx, page.name, line, path)
        else:
            for mid in names:
                yield from _module_claim(ctx, page.name, line, kind, mid)


def _module_claim(ctx: _Ctx, name: str, line: int, kind: str, mid: str) -> Iterator[Finding]:
    mod = ctx.modules.get(mid)
    if mod is None:
        msg = f"claim {kind} names unknown module id {mid!r}{_suggest(mid, ctx.modules)}"
        yield Finding(name, line, msg, "claim")
    elif kind == "go-supported" and not mod.status.in_go:
        yield Finding(name, line, f"claims Go support for {mid!r}, which is {mod.status.label} "
                      f"({mod.status.value})", "claim")
    elif kind == "not-in-go" and mod.status.in_go:
        yield Finding(name, line, f"claims {mid!r} is not in Go, but it is {mod.status.label} "
                      f"({mod.status.value})", "claim")


def _blocked_by(ctx: _Ctx, r: Recipe) -> str:
    from .render.cookbook import blockers

    return ", ".join(f"{b.words} {b.name}" for b in blockers(ctx.matrix, r)) or "nothing the matrix names"


def _recipe_mark(ctx: _Ctx, name: str, line: int, path: str) -> Iterator[Finding]:
    recipe = ctx.recipes.get(path)
    if recipe is None:
        yield Finding(name, line, f"marks {path!r} as running in Go, but it is not a recipe of the matrix"
                      f"{_suggest(path, ctx.recipes)}", "recipe")
    elif not recipe.go_ready:
        yield Finding(name, line, f"marks recipe {path!r} as running in Go, but it does not run in Go "
                      f"(blocked by {_blocked_by(ctx, recipe)})", "recipe")


def _check_runs_in_go(ctx: _Ctx, page: _Page) -> Iterator[Finding]:
    """A "Runs in Go" mark written by hand next to a recipe path or a snippet: the matrix must back it."""
    snippets = ctx.docs / SNIPPETS
    for n, text in enumerate(page.lines, 1):
        if n in page.code or not _RUNS_IN_GO.search(text):
            continue
        for m in _RECIPE_PATH.finditer(text):
            yield from _recipe_mark(ctx, page.name, n, m.group(0))
        for m in _SAMPLE_PATH.finditer(text):
            ref = m.group(0)
            if not _RECIPE_PATH.fullmatch(ref) and (snippets / ref).is_file() and not ref.endswith(".go"):
                yield Finding(page.name, n, f"marks the Python sample {ref!r} as running in Go; mark the "
                              "recipe it stands for (the matrix decides that), or show a Go sample", "recipe")


def _check_recipe(ctx: _Ctx, page: _Page) -> Iterator[Finding]:
    example = page.meta.get("go_example")
    if "recipe" not in page.meta:
        if example:
            yield from _check_example(ctx, page, str(example), None)
        return
    path = str(page.meta["recipe"])
    line = page.key_lines.get("recipe", 1)
    recipe = ctx.recipes.get(path)
    if recipe is None:
        msg = f"recipe {path!r} is not in the matrix{_suggest(path, ctx.recipes)}"
        yield Finding(page.name, line, msg, "recipe")
        return
    go_tab = next((i for i, text in enumerate(page.lines, 1) if _GO_TAB.match(text)), None)
    if (go_tab is not None or example) and not recipe.go_ready:
        at = go_tab if go_tab is not None else page.key_lines.get("go_example", line)
        yield Finding(page.name, at, f"Go tab for recipe {path!r}, which does not run in Go (blocked by "
                      f"{_blocked_by(ctx, recipe)})", "recipe")
    if example:
        yield from _check_example(ctx, page, str(example), recipe)


def _check_example(ctx: _Ctx, page: _Page, ex: str, recipe: Recipe | None) -> Iterator[Finding]:
    at = page.key_lines.get("go_example", 1)
    if ctx.go_root is not None:
        if not (ctx.go_root / ex).exists():
            msg = f"go_example {ex!r} does not exist in the runtime tree {ctx.go_root}"
            yield Finding(page.name, at, msg, "recipe")
    elif recipe is not None and recipe.go_example is not None and recipe.go_example != ex:
        yield Finding(page.name, at, f"go_example {ex!r} is not the recipe's Go example in the matrix "
                      f"({recipe.go_example!r}); pass --go-root to check the runtime tree", "recipe")


# --- text: endpoints and planned terms -------------------------------------------------------------------


def _check_text(ctx: _Ctx, name: str, lines: Sequence[str], skip: Callable[[int], bool]) -> Iterator[Finding]:
    """Endpoints and planned terms stated outside the planned mark (``skip(line)``: under it, or no claim).

    A term's pattern is searched line by line only in text where it matches as a whole: each match on a line
    is one in the text too (nothing in the patterns depends on where a line starts or ends), so the one search
    over the text lets most pages skip the term; a match across lines is no statement on a line."""
    whole = "\n".join(lines)
    terms = [t for t in PLANNED_TERMS if t[1].search(whole)]
    for n, text in enumerate(lines, 1):
        if skip(n):
            continue
        if "/" in text:
            yield from _check_endpoints(ctx, name, n, text)
        for what, said, evidence in terms:
            if said.search(text) and not ctx.runtime.has(evidence):
                tree = "" if ctx.runtime.measured else " (pass --go-root to check the tree)"
                yield Finding(name, n, f"states {what} as today's behaviour, but {ctx.runtime.name} has no "
                              f"such thing{tree}; put it under the planned mark ({_MARK})", "planned")


def _check_endpoints(ctx: _Ctx, name: str, n: int, text: str) -> Iterator[Finding]:
    curl = _CURL_METHOD.search(text)
    for m in _ENDPOINT.finditer(text):
        path = m["path"].rstrip(".:")
        segs = _segments(path)
        if not segs or "..." in segs or "/" + "/".join(segs) == CONTRACT_PREFIX:
            continue  # a prefix named in prose, not an endpoint
        method = m["method"] or (curl["m"] if curl else ("POST" if _DATA.search(text) else None))
        if ctx.runtime.serves(method, path):
            continue
        shown = f"{method} {path}" if method else path
        from .render.lookup import closest

        near = closest(shown, ctx.runtime.spelled(), 0.7)
        hint = f"; the nearest it serves is {near}" if near else ""
        yield Finding(name, n, f"presents {shown} as available, but {ctx.runtime.name} serves no such "
                      f"endpoint{hint}; fix it, or put it under the planned mark ({_MARK})", "endpoint")


# --- snippets --------------------------------------------------------------------------------------------


def _note_includes(ctx: _Ctx, page: _Page) -> Iterator[Finding]:
    """Record which snippets the page includes (``--8<--`` lines, recipe_tabs' snippet arguments), and whether
    planned; a path that names no file is a finding."""
    snippet_args = _kinds()[4]
    refs: list[tuple[int, str]] = []
    for f in page.fences:
        for i, text in enumerate(f.code.split("\n")):
            m = _INCLUDE.match(text)
            if m:
                refs.append((f.open + 1 + i, m["path"]))
    for fn, line, consts, _ in page.calls:
        for i in snippet_args.get(fn, ()):
            ref = consts[i] if i < len(consts) else None
            if ref:
                refs.append((line, ref))
    for line, ref in refs:
        if not (ctx.docs / SNIPPETS / ref).is_file():
            yield Finding(page.name, line, f"includes snippet {ref!r}, which is not in {ctx.docs / SNIPPETS}",
                          "recipe")
            continue
        planned = line in page.planned
        ctx.snippet_marks[ref] = ctx.snippet_marks.get(ref, True) and planned
        ctx.snippet_from.setdefault(ref, f"{page.name}:{line}")


_TEXT_SNIPPETS = frozenset({".go", ".py", ".sh", ".json", ".yaml", ".yml", ".jsonl", ".md"})


def _check_snippets(ctx: _Ctx, files: Sequence[Path]) -> Iterator[Finding]:
    """Every snippet file: Go imports; endpoints and planned terms unless every include of it is planned."""
    base = ctx.docs / SNIPPETS
    for path in files:
        rel = path.relative_to(base).as_posix()
        name = ctx.name(path)
        if path.suffix == ".go":
            yield from _check_go(ctx, name, _read(path), 1)
        if path.suffix in _TEXT_SNIPPETS:  # not .txt: output transcripts
            every = functools.partial(_always, ctx.snippet_marks.get(rel, False))
            yield from _check_text(ctx, name, _read(path).split("\n"), every)


# --- Go code --------------------------------------------------------------------------------------------


def _packages(matrix: SupportMatrix) -> list[tuple[str, Module]]:
    """(Go package, module), longest package first, so the most specific owner wins."""
    pkgs = [(m.go.package.strip("/"), m) for m in matrix.modules if m.go is not None]
    return sorted(pkgs, key=lambda p: -len(p[0]))


def _always(value: bool, _line: int) -> bool:
    return value


@functools.cache
def _go_imports_query() -> tuple[Any, Any]:
    import tree_sitter
    import tree_sitter_go

    lang = tree_sitter.Language(tree_sitter_go.language())
    query = tree_sitter.Query(lang, "(import_spec path: (interpreted_string_literal) @path)")
    return tree_sitter.Parser(lang), query


def go_imports(code: str) -> list[tuple[int, str]]:
    """(1-based line, path) of every import of Go source, by tree-sitter-go; a fragment without a
    ``package`` clause is read as if it had one."""
    import tree_sitter

    parser, query = _go_imports_query()
    shift = 0 if re.search(r"^\s*package\s", code, re.M) else 1
    src = ("package x\n" if shift else "").encode() + code.encode("utf-8")
    nodes = tree_sitter.QueryCursor(query).captures(parser.parse(src).root_node).get("path", [])
    return sorted((n.start_point[0] + 1 - shift, _unquoted(src, n)) for n in nodes)


def _unquoted(src: bytes, node: Any) -> str:
    return src[node.start_byte + 1:node.end_byte - 1].decode("utf-8", "replace")


def _check_go(ctx: _Ctx, name: str, code: str, first_line: int) -> Iterator[Finding]:
    prefix = ctx.go_module.rstrip("/") + "/"
    for n, imp in ctx.cache.go_imports(code):
        if imp.startswith(prefix):
            yield from _check_import(ctx, name, first_line + n - 1, imp, imp[len(prefix):].strip("/"))


def _check_import(ctx: _Ctx, name: str, line: int, imp: str, pkg: str) -> Iterator[Finding]:
    owner = next((m for p, m in ctx.packages if pkg == p or pkg.startswith(p + "/")), None)
    missing = ctx.go_root is not None and not _is_package(ctx.go_root / pkg)
    if owner is not None:
        if not owner.status.in_go:
            yield Finding(name, line, f'imports "{imp}", the package of {owner.id!r}, which is '
                          f"{owner.status.label} ({owner.status.value})", "go-import")
        elif missing:
            yield Finding(name, line, f'imports "{imp}", which does not exist in the runtime tree '
                          f"{ctx.go_root}", "go-import")
        return
    hint = _guess_module(ctx, pkg)
    if missing:
        yield Finding(name, line, f'imports "{imp}", which does not exist in the runtime tree '
                      f"{ctx.go_root}{hint}", "go-import")
    elif ctx.go_root is None and pkg not in (ctx.support if ctx.support is not None else support_packages()):
        yield Finding(name, line, f'imports "{imp}", which is no module\'s Go package in the matrix and '
                      f"not a known support package{hint}; pass --go-root to check the runtime tree",
                      "go-import")


def _is_package(d: Path) -> bool:
    return d.is_dir() and any(d.glob("*.go"))


def _guess_module(ctx: _Ctx, pkg: str) -> str:
    last = pkg.rsplit("/", 1)[-1]
    for m in ctx.matrix.modules:
        if m.id.rsplit(".", 1)[-1] == last and not m.status.in_go:
            return f" ({m.id!r} is {m.status.label}: {m.status.value})"
    return ""


# --- the "Not yet in Go" page --------------------------------------------------------------------------


def _not_in_go_text(ctx: _Ctx, loaded: Loaded, site: Path | None) -> tuple[str, str] | Finding:
    """(the page's text, where it came from), or the finding that says why it cannot be read."""
    page = ctx.docs / NOT_IN_GO_PAGE
    name = page.as_posix()
    if site is not None:
        candidates = (site / "not-in-go" / "index.html", site / "not-in-go.html")
        built = next((p for p in candidates if p.is_file()), None)
        if built is None:
            return Finding(name, 1, f"the built page is missing from {site} (looked for not-in-go/index.html "
                           "and not-in-go.html); build the site first", "not-in-go")
        return built.read_text(encoding="utf-8"), built.as_posix()
    if not page.is_file():
        count = sum(1 for m in ctx.matrix.modules if m.status is Status.NOT_MIGRATED)
        return Finding(name, 1, f"the \"Not yet in Go\" page is missing; {count} not_migrated "
                       "modules must be listed there", "not-in-go")
    source = _read(page)
    if _LISTS_EVERY.search(source):
        return "", name  # the macro lists every python-only module (its renderer's tests prove it)
    import jinja2

    try:
        return render_page(source, loaded), name
    except (AgnoDocsError, jinja2.TemplateError) as exc:  # a macro that fails is a finding, not a traceback
        return Finding(name, 1, f"cannot render the page's macros ({type(exc).__name__}: "
                       f"{' '.join(str(exc).split())})", "not-in-go")


#: A page source line that calls ``not_in_go(...)``, the renderer that lists every python-only module.
_LISTS_EVERY = re.compile(r"^[ \t]*\{\{-?\s*not_in_go\(", re.M)


def _check_not_in_go(ctx: _Ctx, loaded: Loaded, site: Path | None) -> Iterator[Finding]:
    missing = sorted(m.id for m in ctx.matrix.modules if m.status is Status.NOT_MIGRATED)
    if not missing:
        return
    got = _not_in_go_text(ctx, loaded, site)
    if isinstance(got, Finding):
        yield got
        return
    rendered, source = got
    if not rendered and site is None:
        return
    import html

    tokens = set(_TOKEN.findall(html.unescape(rendered)))  # one pass; ids are looked up, not searched
    name = (ctx.docs / NOT_IN_GO_PAGE).as_posix()
    for mid in missing:
        if mid not in tokens:
            yield Finding(name, 1, f"not_migrated module {mid!r} is not listed on the \"Not yet in Go\" page "
                          f"({source})", "not-in-go")


def render_page(source: str, loaded: Loaded) -> str:
    """A page's Markdown with its macros rendered by the engine, in a sandbox (front matter dropped)."""
    import jinja2.sandbox

    from . import render

    m = _FRONT.match(source)
    body = source[m.end():] if m else source
    env = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.ChainableUndefined, autoescape=False)
    env.globals.update({name: functools.partial(fn, loaded) for name, fn in render.macros().items()})
    return env.from_string(body).render()


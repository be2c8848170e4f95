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
(through :func:`matrix.readme.fences`, from ``matrix/_fences.py`` without README regeneration's imports)
for code blocks, tree-sitter-go for imports, one regular expression per claim kind compiled once. Snippets
included with ``--8<-- "path"`` (under ``<docs>/snippets``, as mkdocs.yml configures pymdownx.snippets) are
read where they are included, planned when the include line is; findings in them name the snippet file and
line.

What parsing yields (front matter, fences, macro calls, Go imports) depends on the text alone, so it is
kept between runs in ``<cache_dir>/check.cache`` by the text's digest (:class:`_Cache`): a run over
unchanged pages imports none of the parsers. What the checks read from the matrix (:class:`Facts`: ids,
statuses, routes, packages, recipes) is kept there too, by the snapshot's digest, so a run over an
unchanged snapshot neither decodes nor validates it (:func:`check_snapshot`, the CLI's path); the whole
matrix is loaded only to word a finding that needs it (what blocks a recipe) or to render the "Not yet in
Go" page. Imports were most of what a run cost (bench/check.py): a run from the cache imports no parser,
no model and no msgspec. A first run (nothing kept) reads its pages in two halves on two CPUs
(:class:`_Ahead`): a forked child takes the front matter, the fences and the Go imports while this process
decodes the snapshot and reads the macro calls. The checks themselves run every time; findings are the same
with or without the cache and the child (tests pin both).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.util
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._endpoints import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from .errors import AgnoDocsError, UsageError, WriteError

if TYPE_CHECKING:  # imported when a page is parsed or the matrix loaded, not on a run from the cache
    import jinja2

    from .model import Provenance, SupportMatrix
    from .sources import Loaded

__all__ = [
    "CHECKS",
    "Facts",
    "Finding",
    "Runtime",
    "check_docs",
    "check_matrix",
    "check_raw_snapshot",
    "check_snapshot",
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
#: would show the runtime has it, the words every statement of it contains). Stated outside the planned
#: mark, each is a finding unless the tree has it. The words (lower case, matched as ``re.I`` matches
#: them) are looked for first: the pattern is searched only on the lines that have them (:func:`_word_lines`).
PLANNED_TERMS: tuple[tuple[str, re.Pattern[str], re.Pattern[bytes], str], ...] = (
    ("the not_migrated error",
     re.compile(r"\bnot_migrated\b(?=.*\b(?:error|raises?|refuses?|422)\b)|"
                r"\b(?:error|raises?|refuses?|422)\b.*\bnot_migrated\b", re.I),
     re.compile(rb'"not_migrated"'), "not_migrated"),
    ("telemetry tagged runtime=go",
     re.compile(r"\b(?:every|each|all)\b[^.]*\bevents?\s+(?:\w+\s+){0,3}?(?:carr(?:y|ies)|ha(?:s|ve)|says?|"
                r"(?:is|are) tagged)\b[^.]*\bruntime=go\b", re.I),
     re.compile(rb'"runtime"\s*[:,=]\s*"go"'), "runtime=go"),
)


def _word_lines(text: str, words: str) -> list[int]:
    """The 1-based lines of ``text`` (split at ``\\n``) where ``words`` occurs as a term's ``re.I`` pattern
    would match it, in order: the only lines where a term whose every match contains ``words`` can match.
    An ASCII text is lowered and searched with :meth:`str.find` (for ASCII, ``re.I`` folds exactly as
    :meth:`str.lower`); other text with ``re.I`` itself, which also folds the dotless i with ``i``, the long
    s with ``s``, the Kelvin sign with ``k``."""
    if text.isascii():
        low = text.lower()
        starts = []
        at = low.find(words)
        while at != -1:
            starts.append(at)
            at = low.find(words, at + 1)
    else:
        starts = [m.start() for m in _words_pattern(words).finditer(text)]
    out: list[int] = []
    line, last = 1, 0
    for at in starts:
        line += text.count("\n", last, at)
        last = at
        if not out or out[-1] != line:
            out.append(line)
    return out


@functools.cache
def _words_pattern(words: str) -> re.Pattern[str]:
    return re.compile(re.escape(words), re.I)

_GO_TAB = re.compile(r'^[ \t]*===[+!]?[ \t]+"Go"[ \t]*$')
_CLAIM = re.compile(r"<!--\s*claim:\s*(?P<kind>[\w-]+)(?P<ids>[^>]*?)\s*-->")
_INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"(?P<path>[^"]+)"[ \t]*$')
_RUNS_IN_GO = re.compile(r"\bRuns in Go\b")
_RUNS_IN_GO_WORDS = "Runs in Go"
"""What every match of :data:`_RUNS_IN_GO` contains: a page without it has no such mark."""
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
#: What every match of :data:`_ENDPOINT` contains one of (a method, ``://``, ``$``, the planned prefix),
#: besides ``/``: a line with none of them (most lines with a link) presents no endpoint.
_ENDPOINT_WORDS = (*_METHODS.split("|"), "://", "$", CONTRACT_PREFIX)
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

_Call = tuple[str, int, list[str | None], dict[str, str]]
"""A macro call on a page: (macro, line, constant positional arguments, constant keyword arguments)."""

_Parsed = tuple[dict[str, Any], dict[str, int], list[tuple[int, int, str, str]], "list[_Call] | None",
                "tuple[int, str] | None"]
"""What reading a page's text yields, whatever the matrix (what :class:`_Cache` keeps): its front matter,
the line of each front-matter key, its fences as (open, close, info, code), its macro calls (None when the
page turns macros off: ``render_macros: false``), and (line, message) when the page is not a valid macros
template (then the calls are empty)."""

_Kinds = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], dict[str, tuple[int, ...]]]
"""Macro names by the kind of their arguments (module id, module ids, family, recipe) and each macro's
snippet positions: :func:`_macro_kinds`."""

_GoImports = list[tuple[int, str]]
"""(1-based line, path) of each import of a piece of Go: :func:`go_imports`."""


class _Cache:
    """What parsing a page (front matter, fences, macro calls) and a piece of Go (its imports) yields, by the
    digest of its text, and the matrix's :class:`Facts`, by the snapshot's digest: ``<folder>/check.cache``.

    The file is the tool's own: a header, the SHA-256 of the body, and the body in :mod:`marshal` (this
    interpreter's format, as ``__pycache__`` holds; read without importing anything). It is trusted only
    under the same :func:`_engine` (the interpreter, the code the kept values come from, the installed
    parser packages); entries are kept only when they read back equal to what was made (front matter with
    a date is parsed every time), and only while some page, snippet or the snapshot still has them. A
    missing, unreadable, damaged or stale file is a cold start; one that cannot be written is left as it is:
    findings never depend on it. ``None``: no folder, no file."""

    FILE = "check.cache"
    MAGIC = b"agno-docs check cache 1\n"

    def __init__(self, folder: Path | None) -> None:
        self.file = folder / self.FILE if folder is not None else None
        self.engine = ""
        self.pages: dict[str, _Parsed] = {}
        self.go: dict[str, list[tuple[int, str]]] = {}
        self.facts_row: tuple[str, tuple[Any, ...]] | None = None
        self.kinds_row: _Kinds | None = None
        self.profile_row: tuple[str, frozenset[str]] | None = None
        self.used: tuple[dict[str, _Parsed], dict[str, list[tuple[int, str]]]] = ({}, {})
        self.used_facts: tuple[str, tuple[Any, ...]] | None = None
        self.looked_up = False
        """Whether this run looked the snapshot's facts up (``check_docs`` is given a loaded matrix)."""
        if self.file is not None:
            self.engine = _engine()
            body = self._body()
            if (isinstance(body, tuple) and len(body) == 6 and body[0] == self.engine
                    and isinstance(body[1], dict) and isinstance(body[2], dict)
                    and (body[3] is None or _is_facts_row(body[3]))
                    and (body[4] is None or (isinstance(body[4], tuple) and len(body[4]) == 5))
                    and (body[5] is None or (isinstance(body[5], tuple) and len(body[5]) == 2))):
                _, self.pages, self.go, self.facts_row, self.kinds_row, self.profile_row = body
        self.read = (self.pages, self.go, self.facts_row, self.kinds_row, self.profile_row)

    def _body(self) -> object:
        assert self.file is not None
        try:
            data = self.file.read_bytes()
        except OSError:
            return None
        head = len(self.MAGIC) + 64
        if not data.startswith(self.MAGIC) or data[len(self.MAGIC):head] != hashlib.sha256(
                data[head:]).hexdigest().encode():
            return None
        try:
            return marshal.loads(data[head:])
        except (ValueError, EOFError, TypeError):  # pragma: no cover - the digest matched: written by marshal
            return None

    def page(self, text: str, name: str) -> _Parsed:
        key = _digest(text)
        got = self.pages.get(key)
        if got is None:
            got = _parse_page(text, name)
            if not _keeps(got):
                return got
        if self.file is not None:
            self.used[0][key] = got
        return got

    def go_imports(self, code: str) -> list[tuple[int, str]]:
        key = _digest(code)
        got = self.go.get(key)
        if got is None:
            got = [(n, imp) for n, imp in go_imports(code)]
        if self.file is not None:
            self.used[1][key] = got
        return got

    def facts(self, digest: str, derive: Callable[[], Facts]) -> Facts:
        """The matrix's facts for the snapshot with this digest: kept, or ``derive()`` (which loads it)."""
        self.looked_up = True
        if self.facts_row is not None and self.facts_row[0] == digest:
            self.used_facts = self.facts_row
            return Facts(*self.facts_row[1])
        facts = derive()
        self.used_facts = (digest, facts.row())  # strings, tuples, dicts, sets, bools: marshal keeps them
        return facts

    def kinds(self) -> _Kinds:
        if self.kinds_row is None:
            self.kinds_row = _macro_kinds()
        return self.kinds_row

    def profile(self) -> tuple[str, frozenset[str]]:
        """The default profile's runtime module path and support packages (read once, then kept)."""
        if self.profile_row is None:
            runtime = _profile().runtime
            self.profile_row = (runtime.module or "", frozenset(runtime.support))
        return self.profile_row

    def save(self) -> None:
        """Write what this run used, when it differs from what was read."""
        if self.file is None:
            return
        facts = self.used_facts if self.looked_up else self.facts_row
        now = (*self.used, facts, self.kinds_row, self.profile_row)
        if now == self.read:
            return
        from ._io import write_atomic

        body = marshal.dumps((self.engine, *now))
        data = self.MAGIC + hashlib.sha256(body).hexdigest().encode() + body
        with contextlib.suppress(WriteError):  # a cache that cannot be written costs time, not a finding
            write_atomic(self.file, data, durable=False)


def _is_facts_row(value: object) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], tuple) and len(value[1]) == len(dataclasses.fields(Facts)))


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def _keeps(value: Any) -> bool:
    """Whether ``value`` reads back from the cache equal to itself."""
    try:
        return bool(marshal.loads(marshal.dumps(value)) == value)
    except (ValueError, TypeError):
        return False


#: The engine's files the kept values come from (parsing: this module and matrix/_fences.py; the matrix's
#: facts: the model and its status table, not its words, which are read when a finding needs them; the
#: macro kinds: the registry's signature table; the support packages: the default profile).
_OWN = ("check.py", "_fences.py", "model.py", "_kinds.py", "render/registry.py", "profiles/__init__.py",
        "profiles/agno.toml")


@functools.cache
def _engine() -> str:
    """What the kept values depend on besides the text and the snapshot: the interpreter, the engine's files
    (:data:`_OWN`) and the installed parser and decoder packages (their files' size and modification time)."""
    h = hashlib.blake2b(sys.version.encode(), digest_size=20)
    here = Path(__file__).resolve().parent
    for own in _OWN:
        try:
            h.update(own.encode() + b"\0" + (here / own).read_bytes())
        except OSError as exc:  # pragma: no cover - an installation without its sources: keyed by that
            h.update(f"{own}: {exc.strerror}".encode())
    for pkg in ("jinja2", "markdown_it", "yaml", "tree_sitter", "tree_sitter_go", "msgspec"):
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
    import msgspec

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
    from .model import Status

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


_Route = tuple[str, tuple[str, ...]]
"""(method, path segments) of a route."""

NOT_MIGRATED = "not_migrated"


@dataclasses.dataclass(frozen=True)
class Facts:
    """What the checks read from the matrix, as plain values: :meth:`of` derives them from a loaded matrix.
    The CLI keeps them in its cache by the snapshot's digest (:func:`check_snapshot`), so a run over an
    unchanged snapshot neither decodes nor validates it. The field order is the cache's row
    (:meth:`row`); the cache is keyed by this module's source, so a change here is a cold start."""

    runtime: str
    """The runtime in messages: ``agno-Go 1.2.9 (c16f103)``."""
    go_module: str
    """The runtime's Go module path as the matrix states it (empty when it does not)."""
    problems: tuple[str, ...]
    """:func:`check_matrix`'s messages (a partial module without notes, a wont_port one without a reason)."""
    modules: dict[str, tuple[str, bool]]
    """Module id -> (status, whether it counts as in Go), in the matrix's order. A status's label is read
    from the message catalogue only for a finding that words it (:func:`_status_label`): reading the
    catalogue is a TOML parse, which a run without such a finding does not pay."""
    endpoints: tuple[tuple[str | None, _Route], ...]
    """(its Go evidence file, or None; its route) of every ported endpoint unit whose name is a route."""
    extra_routes: tuple[_Route, ...]
    """Routes only the runtime has (``coverage.extra`` of the endpoint families)."""
    packages: tuple[tuple[str, str], ...]
    """(Go package, module id), longest package first, so the most specific owner wins."""
    families: frozenset[str]
    features: frozenset[str]
    """Every measured core feature (a ``fields`` unit: ``Agent.model``, ``Team.mode=tasks``), by name: what
    ``needs(..., features=...)`` may name (the quickstart renderer's ``feature_units``, names only)."""
    recipes: dict[str, tuple[bool, str | None]]
    """Recipe path -> (go_ready, its Go example)."""

    @classmethod
    def of(cls, matrix: SupportMatrix) -> Facts:
        from .model import UnitKind, UnitState

        endpoints: list[tuple[str | None, _Route]] = []
        extra: list[_Route] = []
        features: set[str] = set()
        for m in matrix.modules:
            c = m.coverage
            if c is not None and c.kind is UnitKind.FIELDS:
                features.update(u.name for u in c.units)
            if c is None or c.kind is not UnitKind.ENDPOINTS:
                continue
            for u in c.units:
                found = _route(u.go_name or u.name) or _route(u.name)
                if u.state is UnitState.PORTED and found:
                    endpoints.append((u.go.path if u.go else None, found))
            extra.extend(r for r in map(_route, c.extra) if r is not None)
        packages = sorted(((m.go.package.strip("/"), m.id) for m in matrix.modules if m.go is not None),
                          key=lambda p: -len(p[0]))
        problems = tuple(f.message for f in check_matrix(matrix))
        return cls(
            _label(matrix.runtime), matrix.runtime.module or "", problems,
            {m.id: (m.status.value, m.status.in_go) for m in matrix.modules},
            tuple(endpoints), tuple(extra), tuple(packages), frozenset(f.id for f in matrix.families),
            frozenset(features), {r.path: (r.go_ready, r.go_example) for r in matrix.recipes})

    def row(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))

    def not_migrated(self) -> list[str]:
        """The ids of the modules that are not in Go yet, sorted."""
        return sorted(mid for mid, (status, _) in self.modules.items() if status == NOT_MIGRATED)

    def describe(self, mid: str) -> str:
        """``Not yet in Go (not_migrated)``: a module's status as messages word it."""
        status = self.modules[mid][0]
        return f"{_status_label(status)} ({status})"


@functools.cache
def _status_label(status: str) -> str:
    """``Not yet in Go`` for ``not_migrated``: the badge's words (the status table's, from the catalogue)."""
    from .model import Status

    return Status(status).label


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
    def from_matrix(cls, matrix: SupportMatrix | Facts, root: Path | None = None) -> Runtime:
        """The Go spelling of every ported endpoint unit (the baseline's where the Go path is not a literal,
        ``GET <configured path>``), and the Go-only routes (``coverage.extra``). With ``root``, only units
        whose Go evidence file is still in that tree."""
        facts = matrix if isinstance(matrix, Facts) else Facts.of(matrix)
        routes = {r for path, r in facts.endpoints if root is None or (path and (root / path).is_file())}
        routes.update(facts.extra_routes if root is None else ())
        return cls(facts.runtime, tuple(sorted(routes)))

    @classmethod
    def from_tree(cls, root: Path, matrix: SupportMatrix | Facts) -> Runtime:
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
    facts: Facts
    load: Callable[[], Loaded]
    """The whole matrix, loaded when a finding's words or the "Not yet in Go" page need it."""
    runtime: Runtime
    go_root: Path | None
    go_module: str
    support: frozenset[str] | None
    """Support packages (None: the default profile's, read when first needed)."""
    cache: _Cache
    snippet_marks: dict[str, bool] = dataclasses.field(default_factory=dict)
    """Snippet path -> planned (False as soon as one include of it is not planned)."""
    snippet_from: dict[str, str] = dataclasses.field(default_factory=dict)
    """Snippet path -> the first ``page:line`` that includes it."""
    snippet_files: frozenset[str] = frozenset()
    """Every file under ``<docs>/snippets``, relative to it (``a/b.go``): includes are looked up here."""

    def name(self, path: Path) -> str:
        return _page_name(self.docs, path)


def _page_name(docs: Path, path: Path) -> str:
    """How findings and errors name a file under ``docs`` (``docs/guide/x.md``)."""
    return (docs / path.relative_to(docs)).as_posix()


class _Fence:
    """A fenced code block as :class:`matrix._fences.Fence` has it (1-based lines of its opening and closing
    fence, info, code), made from the cache's row without importing the Markdown parser."""

    __slots__ = ("close", "code", "info", "lang", "open")

    def __init__(self, open: int, close: int, info: str, code: str) -> None:
        self.open, self.close, self.info, self.code = open, close, info, code
        words = info.strip().lstrip("{").lstrip(".").split()  # as Fence.lang: ``go`` for ```{.go} title="x"
        self.lang = words[0].rstrip("}").lower() if words else ""


@dataclasses.dataclass
class _Page:
    name: str
    text: str
    lines: list[str]
    meta: dict[str, Any]
    key_lines: dict[str, int]
    fences: list[_Fence]
    code: frozenset[int]
    """1-based lines inside fenced code (fences included)."""
    planned: frozenset[int] = frozenset()
    calls: list[_Call] = dataclasses.field(default_factory=list)
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
    cache = _Cache(Path(cache_dir) if cache_dir is not None else None)
    return _check(docs, Facts.of(loaded.matrix), lambda: loaded, cache, go_root=go_root, go_module=go_module,
                  site=site, support=support)


def check_snapshot(
    docs: str | Path,
    snapshot: str | Path,
    load: Callable[[], Loaded],
    *,
    go_root: str | Path | None = None,
    go_module: str | None = None,
    site: str | Path | None = None,
    support: Iterable[str] | None = None,
    cache_dir: str | Path | None = None,
) -> list[Finding]:
    """:func:`check_docs` over the matrix that ``load()`` reads from the snapshot file ``snapshot`` (the CLI's
    path): with ``cache_dir``, the matrix's :class:`Facts` are kept there by the file's SHA-256; when they are
    not, they come from the very bytes that were hashed, decoded and validated as the snapshot source does
    (:func:`matrix.sources.snapshot.decode`: the same errors), and that matrix words the findings that need
    it. ``load()`` is called without ``cache_dir``, when the file cannot be read here (it words the error),
    or for such a finding when the facts were kept. Errors are raised before the docs are read, as
    :func:`check_docs` after a load."""
    cache = _Cache(Path(cache_dir) if cache_dir is not None else None)
    path = Path(snapshot)
    try:
        data = path.read_bytes() if cache.file is not None else None
    except OSError:  # load() words it: no such snapshot file, cannot read snapshot (...)
        data = None
    if data is None:
        facts = Facts.of(load().matrix)
        return _check(docs, facts, load, cache, go_root=go_root, go_module=go_module, site=site,
                      support=support)
    decoded: list[SupportMatrix] = []

    def derive() -> Facts:
        from .sources.snapshot import decode

        decoded.append(decode(data, str(path)))
        return Facts.of(decoded[0])

    @functools.cache
    def whole() -> Loaded:
        if not decoded:
            return load()
        from .sources import Loaded

        return Loaded(decoded[0])

    ahead = _Ahead.start(Path(docs), cache)  # the pages are parsed there while this process derives the facts
    try:
        facts = cache.facts(hashlib.sha256(data).hexdigest(), derive)
        if ahead is not None:
            ahead.collect(cache)
        return _check(docs, facts, whole, cache, go_root=go_root, go_module=go_module, site=site,
                      support=support)
    finally:
        if ahead is not None:
            ahead.close()


class _Ahead:
    """A first run's pages read in two halves side by side on two CPUs: a forked child reads their front
    matter (YAML), fences (markdown-it) and the imports of their Go fences (tree-sitter) while this process
    decodes the snapshot, derives its facts and reads the macro calls (Jinja's parser). The parsers' imports
    are most of a first run; each process imports only its own.

    :meth:`collect` joins the halves into what :meth:`_Cache.page` would parse (``render_macros: false``
    drops the calls, as :func:`_parse_page` does) and puts each in the cache's entries, where
    :meth:`_Cache.page` looks first. A page either half could not read (an error, a value marshal does not
    keep) is simply absent: it is parsed here as without a child, and raises the same one-line error at the
    same page. Whatever goes wrong with the child (it cannot fork, dies, sends something unreadable) leaves
    every page to this process: findings never depend on it.

    Started only where it pays (:meth:`start`): a first run (the cache keeps no page), ``fork`` available
    and this process running one thread (:func:`matrix.workers.start_method`; a spawned interpreter would
    cost more than it saves), :attr:`MIN_PAGES` pages at least and a second CPU idle
    (:func:`matrix.workers.load`). ``AGNO_DOCS_WORKERS=0`` never starts it; ``=1`` does whenever it can."""

    #: Fewer pages than this: parsed here (the child's start and the pipe would not pay).
    MIN_PAGES = 8

    def __init__(self, pid: int, fd: int, paths: list[Path]) -> None:
        self.pid, self.fd, self.paths = pid, fd, paths

    @classmethod
    def start(cls, docs: Path, cache: _Cache) -> _Ahead | None:
        if cache.pages:  # not a first run: the pages an edit changed are parsed here
            return None
        from . import workers

        setting = workers.setting("check")
        if setting == 0 or workers.start_method() != "fork" or not docs.is_dir():
            return None
        if setting is None and (workers.cpus() < 2 or workers.load() > workers.cpus() - 1):
            return None
        pages, snippets = _files(docs)
        paths = [p for p in pages if p.suffix == ".md"]
        if not paths or (setting is None and len(paths) < cls.MIN_PAGES):
            return None
        try:
            r, w = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:
            os.close(r)
            os.close(w)
            return None
        if pid == 0:  # pragma: no cover - the child (what it sends is checked through what the parent keeps)
            os.close(r)
            code = 0
            try:
                _send(w, _child_half(docs, paths, [p for p in snippets if p.suffix == ".go"]))
            except BaseException:  # nothing leaves the child but what it sends
                code = 1
            os._exit(code)
        os.close(w)
        return cls(pid, r, paths)

    def collect(self, cache: _Cache) -> None:
        """Read the macro calls here, then join the child's half to them in ``cache``."""
        calls: dict[str, tuple[list[_Call], tuple[int, str] | None]] = {}
        for path in self.paths:
            try:
                text = _read(path)
                calls[_digest(text)] = _page_calls(text, _span(text))
            except Exception:  # any error is raised again, the same, when the page is read
                continue
        chunks: list[bytes] = []
        try:
            while chunk := os.read(self.fd, 1 << 20):
                chunks.append(chunk)
            pages, go, kinds = marshal.loads(b"".join(chunks))
        except (OSError, ValueError, EOFError, TypeError):
            return
        finally:
            self.close()
        if not (isinstance(pages, dict) and isinstance(go, dict)):
            return
        if cache.kinds_row is None and isinstance(kinds, tuple) and len(kinds) == 5:
            cache.kinds_row = kinds
        for key, (meta, key_lines, rows) in pages.items():
            if key in calls and key not in cache.pages:
                parsed: _Parsed = (meta, key_lines, rows, None, None)
                if meta.get("render_macros", True) is not False:
                    parsed = (meta, key_lines, rows, *calls[key])
                if _keeps(parsed):
                    cache.pages[key] = parsed
        for key, imports in go.items():
            cache.go.setdefault(key, imports)

    def close(self) -> None:
        """Close the pipe (a child still writing gets EPIPE and ends) and reap the child."""
        fd, self.fd = self.fd, -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        pid, self.pid = self.pid, 0
        if pid:
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def _child_half(docs: Path, paths: Iterable[Path],
                go_snippets: Iterable[Path]) -> tuple[dict[str, Any], dict[str, _GoImports], _Kinds]:
    """The child's half of :func:`_parse_page` for each page (front matter, its keys' lines, fences, by the
    text's digest), the imports of its Go fences and of the Go snippet files (by the code's digest) and the
    macro kinds (:func:`_macro_kinds`), as the cache keeps them."""
    pages: dict[str, Any] = {}
    go: dict[str, _GoImports] = {}
    for path in paths:
        try:
            text = _read(path)
            meta, key_lines, _ = _front_matter(text, _page_name(docs, path))
            half = (meta, key_lines, _fence_rows(text))
        except Exception:  # any error is raised again, the same, when the parent reads the page
            continue
        if not _keeps(half):
            continue
        pages[_digest(text)] = half
        for row in half[2]:
            fence = _Fence(*row)
            if fence.lang in ("go", "golang"):
                go.setdefault(_digest(fence.code), go_imports(fence.code))
    for path in go_snippets:
        with contextlib.suppress(Exception):  # read again, with the same error, by the parent
            code = _read(path)
            go.setdefault(_digest(code), go_imports(code))
    return pages, go, _macro_kinds()


def _send(fd: int, value: Any) -> None:
    from .workers import write_all

    write_all(fd, marshal.dumps(value))


def _check(docs: str | Path, facts: Facts, load: Callable[[], Loaded], cache: _Cache, *,
           go_root: str | Path | None, go_module: str | None, site: str | Path | None,
           support: Iterable[str] | None) -> list[Finding]:
    docs_dir = Path(docs)
    if not docs_dir.is_dir():
        raise UsageError("no such docs folder", where=str(docs_dir), hint="pass --docs DIR")
    root = Path(go_root) if go_root is not None else None
    if root is not None and not root.is_dir():
        raise UsageError("no such runtime tree", where=str(root),
                         hint="pass --go-root DIR (the agno-Go checkout)")
    runtime = Runtime.from_tree(root, facts) if root is not None else Runtime.from_matrix(facts)
    ctx = _Ctx(docs_dir, facts, load, runtime, root,
               go_module or _go_module_of(root) or facts.go_module or cache.profile()[0],
               frozenset(support) if support is not None else None, cache)
    findings: list[Finding] = [Finding("matrix", 1, msg, "matrix") for msg in facts.problems]
    pages, snippets = _files(docs_dir)
    ctx.snippet_files = frozenset(p.relative_to(docs_dir / SNIPPETS).as_posix() for p in snippets)
    for path in pages:
        if path.suffix == ".md":
            findings.extend(_check_page(ctx, path))
    findings.extend(_check_snippets(ctx, snippets))
    findings.extend(_check_not_in_go(ctx, Path(site) if site is not None else None))
    ctx.cache.save()
    return sorted(set(findings))


def _files(docs: Path) -> tuple[list[Path], list[Path]]:
    """Every file under ``docs`` outside ``<docs>/snippets`` and every file under it, each list sorted: the
    files ``sorted(p for p in docs.rglob("*") if p.is_file())`` lists (a folder behind a symlink is not
    entered), from one :func:`os.scandir` per folder instead of a ``stat`` per file."""
    pages: list[Path] = []
    snippets: list[Path] = []
    stack = [(docs, pages)]
    while stack:
        folder, out = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except PermissionError:  # as rglob: a folder that cannot be listed is skipped
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                inside = snippets if out is snippets or (folder == docs and entry.name == SNIPPETS) else out
                stack.append((Path(entry.path), inside))
            elif entry.is_file():
                out.append(Path(entry.path))
    return sorted(pages), sorted(snippets)


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
    """(front matter, key -> line, number of lines it takes); bad YAML raises a one-line UsageError.

    Read as mkdocs reads it: with libyaml's parser when PyYAML has it (``CSafeLoader``, six times faster
    here), else with the pure-Python one; both build the values with the same safe constructor. A body
    either rejects is worded by the pure-Python loader when it rejects it too, so the message and its line
    do not depend on whether libyaml is installed."""
    m = _FRONT.match(text)
    if not m:
        return {}, {}, 0
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    try:
        data = (yaml.load(m["body"], Loader=fast) if fast is not None else yaml.safe_load(m["body"])) or {}
    except yaml.YAMLError as exc:
        error = exc
        if fast is not None:
            try:
                yaml.safe_load(m["body"])
            except yaml.YAMLError as pure:
                error = pure
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise UsageError(f"front matter is not valid YAML ({getattr(error, 'problem', error)})",
                         where=f"{name}:{line}") from None
    lines: dict[str, int] = {}
    for k in _FRONT_KEY.finditer(m["body"]):
        lines.setdefault(k.group(1), m["body"].count("\n", 0, k.start()) + 2)
    return (data if isinstance(data, dict) else {}), lines, _span(text, m)


def _span(text: str, m: re.Match[str] | None = None) -> int:
    """The lines the front matter takes (0 without one); ``m``: :data:`_FRONT`'s match, when made already."""
    m = m if m is not None else _FRONT.match(text)
    return text.count("\n", 0, m.end()) + (0 if m.group(0).endswith("\n") else 1) if m else 0


def _parse_page(text: str, name: str) -> _Parsed:
    meta, key_lines, span = _front_matter(text, name)
    rows = _fence_rows(text)
    if meta.get("render_macros", True) is False:
        return meta, key_lines, rows, None, None
    return (meta, key_lines, rows, *_page_calls(text, span))


def _fence_rows(text: str) -> list[tuple[int, int, str, str]]:
    """The page's fences as (open, close, info, code), by markdown-it."""
    if "```" not in text and "~~~" not in text:
        return []
    from ._fences import fences

    return [(f.open, f.close, f.info, f.code) for f in fences(text)]


def _page_calls(text: str, span: int) -> tuple[list[_Call], tuple[int, str] | None]:
    """The macro calls of a page whose front matter takes ``span`` lines (blank lines in its place, so the
    calls keep their lines), and (line, message) when the page is not a valid macros template."""
    import jinja2

    lines = text.split("\n")
    body = "\n" * span + "\n".join(lines[span:])
    try:
        return _macro_calls(body), None
    except jinja2.TemplateSyntaxError as exc:
        return [], (exc.lineno, f"{exc.message}")


def _read_page(ctx: _Ctx, path: Path) -> tuple[_Page, list[Finding]]:
    name = ctx.name(path)
    text = _read(path)
    meta, key_lines, rows, calls, syntax = ctx.cache.page(text, name)
    lines = text.split("\n")
    blocks = [_Fence(*f) for f in rows]
    code = frozenset(n for f in blocks for n in range(f.open, f.close + 1))
    page = _Page(name, text, lines, meta, key_lines, blocks, code)
    problems: list[Finding] = []
    if calls is not None:
        page.calls = calls
        if syntax is not None:
            msg = f"the page is not a valid macros template ({syntax[1]})"
            problems.append(Finding(name, syntax[0], msg, "module-id"))
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
    yield from _check_text(ctx, page.name, page.text, page.lines, skip.__contains__)
    yield from _note_includes(ctx, page)


def _transcripts(blocks: Sequence[_Fence]) -> frozenset[int]:
    """Lines of ```` ```text ```` blocks: output samples (a finding message quoting a path), not claims."""
    return frozenset(n for f in blocks if f.lang == "text" for n in range(f.open, f.close + 1))


def _suggest(key: str, known: Iterable[str]) -> str:
    from .render.lookup import closest  # only when there is a finding to word

    near = closest(key, known)
    return f"; did you mean {near!r}?" if near else ""


def _macro_kinds() -> _Kinds:
    """Macro names by the kind of their arguments, and each macro's snippet positions (the registry's
    signature table: no renderer is imported; kept in the cache, keyed by the registry's source)."""
    from .render.registry import Arg, signatures, taking

    snippets = {name: tuple(i for i in range(len(m.args)) if m.kind(i) is Arg.SNIPPET)
                for name, m in signatures().items()}
    return (taking(Arg.MODULE_ID), taking(Arg.MODULE_ID, variadic=True), taking(Arg.FAMILY),
            taking(Arg.RECIPE), {k: v for k, v in snippets.items() if v})


def _check_macros(ctx: _Ctx, page: _Page) -> Iterator[Finding]:
    module_ids, variadic, family, recipe, _ = ctx.cache.kinds()
    facts = ctx.facts
    for fn, line, consts, kwargs in page.calls:
        first = consts[0] if consts else None
        if fn in recipe and first is not None and first not in facts.recipes:
            msg = f"unknown recipe {first!r} in {fn}(){_suggest(first, facts.recipes)}"
            yield Finding(page.name, line, msg, "recipe")
        if fn in family and first is not None and first not in facts.families:
            msg = f"unknown family {first!r} in {fn}(){_suggest(first, facts.families)}"
            yield Finding(page.name, line, msg, "module-id")
        ids = consts if fn in variadic else consts[:1] if fn in module_ids else []
        for mid in ids:
            if mid is not None and mid not in facts.modules:
                msg = f"unknown module id {mid!r} in {fn}(){_suggest(mid, facts.modules)}"
                yield Finding(page.name, line, msg, "module-id")
        for name in kwargs.get("features", "").split() if fn in variadic else ():
            if name not in facts.features:
                msg = f"unknown feature {name!r} in {fn}(){_suggest(name, facts.features)}"
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
    mod = ctx.facts.modules.get(mid)
    if mod is None:
        msg = f"claim {kind} names unknown module id {mid!r}{_suggest(mid, ctx.facts.modules)}"
        yield Finding(name, line, msg, "claim")
    elif kind == "go-supported" and not mod[1]:
        yield Finding(name, line, f"claims Go support for {mid!r}, which is {ctx.facts.describe(mid)}",
                      "claim")
    elif kind == "not-in-go" and mod[1]:
        yield Finding(name, line, f"claims {mid!r} is not in Go, but it is {ctx.facts.describe(mid)}",
                      "claim")


def _blocked_by(ctx: _Ctx, path: str) -> str:
    """What blocks a recipe, as the cookbook index words it (the whole matrix is loaded for it)."""
    from .render.cookbook import blockers

    matrix = ctx.load().matrix
    recipe = next(r for r in matrix.recipes if r.path == path)
    return ", ".join(f"{b.words} {b.name}" for b in blockers(matrix, recipe)) or "nothing the matrix names"


def _recipe_mark(ctx: _Ctx, name: str, line: int, path: str) -> Iterator[Finding]:
    recipe = ctx.facts.recipes.get(path)
    if recipe is None:
        yield Finding(name, line, f"marks {path!r} as running in Go, but it is not a recipe of the matrix"
                      f"{_suggest(path, ctx.facts.recipes)}", "recipe")
    elif not recipe[0]:
        yield Finding(name, line, f"marks recipe {path!r} as running in Go, but it does not run in Go "
                      f"(blocked by {_blocked_by(ctx, path)})", "recipe")


def _check_runs_in_go(ctx: _Ctx, page: _Page) -> Iterator[Finding]:
    """A "Runs in Go" mark written by hand next to a recipe path or a snippet: the matrix must back it."""
    if _RUNS_IN_GO_WORDS not in page.text:
        return
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
    recipe = ctx.facts.recipes.get(path)
    if recipe is None:
        msg = f"recipe {path!r} is not in the matrix{_suggest(path, ctx.facts.recipes)}"
        yield Finding(page.name, line, msg, "recipe")
        return
    go_tab = next((i for i, text in enumerate(page.lines, 1) if _GO_TAB.match(text)), None)
    if (go_tab is not None or example) and not recipe[0]:
        at = go_tab if go_tab is not None else page.key_lines.get("go_example", line)
        yield Finding(page.name, at, f"Go tab for recipe {path!r}, which does not run in Go (blocked by "
                      f"{_blocked_by(ctx, path)})", "recipe")
    if example:
        yield from _check_example(ctx, page, str(example), recipe[1])


def _check_example(ctx: _Ctx, page: _Page, ex: str, go_example: str | None) -> Iterator[Finding]:
    """``go_example`` in front matter: in the runtime tree, or (without one) the recipe's Go example
    (``go_example``: the matrix's, None when the page has no recipe or the recipe none)."""
    at = page.key_lines.get("go_example", 1)
    if ctx.go_root is not None:
        if not (ctx.go_root / ex).exists():
            msg = f"go_example {ex!r} does not exist in the runtime tree {ctx.go_root}"
            yield Finding(page.name, at, msg, "recipe")
    elif go_example is not None and go_example != ex:
        yield Finding(page.name, at, f"go_example {ex!r} is not the recipe's Go example in the matrix "
                      f"({go_example!r}); pass --go-root to check the runtime tree", "recipe")


# --- text: endpoints and planned terms -------------------------------------------------------------------


def _check_text(ctx: _Ctx, name: str, whole: str, lines: Sequence[str],
                skip: Callable[[int], bool]) -> Iterator[Finding]:
    """Endpoints and planned terms stated outside the planned mark (``skip(line)``: under it, or no claim);
    ``lines`` are ``whole`` split at ``\\n``.

    A pattern is searched only on the lines that have the words each of its matches contains: a term's on
    the lines :func:`_word_lines` finds in the whole text (one pass per term, not one per line), the
    endpoint pattern on lines with ``/`` and one of ``_ENDPOINT_WORDS``. A match across lines is no
    statement on a line.
    """
    for n, text in enumerate(lines, 1):
        if not skip(n) and "/" in text and any(w in text for w in _ENDPOINT_WORDS):
            yield from _check_endpoints(ctx, name, n, text)
    for what, said, evidence, words in PLANNED_TERMS:
        for n in _word_lines(whole, words):
            if not skip(n) and said.search(lines[n - 1]) and not ctx.runtime.has(evidence):
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
    snippet_args = ctx.cache.kinds()[4]
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
        if ref not in ctx.snippet_files and not (ctx.docs / SNIPPETS / ref).is_file():
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
            text = _read(path)
            yield from _check_text(ctx, name, text, text.split("\n"), every)


# --- Go code --------------------------------------------------------------------------------------------


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
    owner = next((mid for p, mid in ctx.facts.packages if pkg == p or pkg.startswith(p + "/")), None)
    missing = ctx.go_root is not None and not _is_package(ctx.go_root / pkg)
    if owner is not None:
        if not ctx.facts.modules[owner][1]:
            yield Finding(name, line, f'imports "{imp}", the package of {owner!r}, which is '
                          f"{ctx.facts.describe(owner)}", "go-import")
        elif missing:
            yield Finding(name, line, f'imports "{imp}", which does not exist in the runtime tree '
                          f"{ctx.go_root}", "go-import")
        return
    hint = _guess_module(ctx, pkg)
    if missing:
        yield Finding(name, line, f'imports "{imp}", which does not exist in the runtime tree '
                      f"{ctx.go_root}{hint}", "go-import")
    elif ctx.go_root is None and pkg not in _support(ctx):
        yield Finding(name, line, f'imports "{imp}", which is no module\'s Go package in the matrix and '
                      f"not a known support package{hint}; pass --go-root to check the runtime tree",
                      "go-import")


def _support(ctx: _Ctx) -> frozenset[str]:
    """Support packages: the caller's, else the default profile's (kept in the cache)."""
    return ctx.support if ctx.support is not None else ctx.cache.profile()[1]


def _is_package(d: Path) -> bool:
    return d.is_dir() and any(d.glob("*.go"))


def _guess_module(ctx: _Ctx, pkg: str) -> str:
    last = pkg.rsplit("/", 1)[-1]
    for mid, (status, in_go) in ctx.facts.modules.items():
        if mid.rsplit(".", 1)[-1] == last and not in_go:
            return f" ({mid!r} is {_status_label(status)}: {status})"
    return ""


# --- the "Not yet in Go" page --------------------------------------------------------------------------


def _not_in_go_text(ctx: _Ctx, count: int, site: Path | None) -> tuple[str, str] | Finding:
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
        return Finding(name, 1, f"the \"Not yet in Go\" page is missing; {count} not_migrated "
                       "modules must be listed there", "not-in-go")
    source = _read(page)
    if _LISTS_EVERY.search(source):
        return "", name  # the macro lists every python-only module (its renderer's tests prove it)
    import jinja2

    try:
        return render_page(source, ctx.load()), name
    except (AgnoDocsError, jinja2.TemplateError) as exc:  # a macro that fails is a finding, not a traceback
        return Finding(name, 1, f"cannot render the page's macros ({type(exc).__name__}: "
                       f"{' '.join(str(exc).split())})", "not-in-go")


#: A page source line that calls ``not_in_go(...)``, the renderer that lists every python-only module.
_LISTS_EVERY = re.compile(r"^[ \t]*\{\{-?\s*not_in_go\(", re.M)


def _check_not_in_go(ctx: _Ctx, site: Path | None) -> Iterator[Finding]:
    missing = ctx.facts.not_migrated()
    if not missing:
        return
    got = _not_in_go_text(ctx, len(missing), site)
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


"""``agno-docs check``: the docs must never claim what the runtime cannot do.

``check_docs(docs_dir, loaded, ...)`` returns :class:`Finding` records (``file:line: message``);
the CLI prints them and exits 1 when there is any. What is checked (docs/reference/checks.md
is the user-facing version of this list):

``module-id``
    A module id passed to a macro that takes one (``matrix.render.MODULE_ID_MACROS``:
    ``{{ module("tools.x") }}``, ``{{ support_box('tools.x') }}``) exists; else the closest id
    is suggested; so are every id of ``needs(...)`` (:data:`VARIADIC_MODULE_ID_MACROS`) and the
    family id of the family macros (:data:`FAMILY_MACROS`). Pages are parsed with Jinja's own
    parser (default delimiters, as mkdocs.yml configures none), so ``{% raw %}`` and comments are
    understood; pages with ``render_macros: false`` in their front matter are skipped.
``go-import``
    Every Go code block (fenced ```` ```go ```` in pages, ``*.go`` files under the docs folder,
    e.g. ``docs/snippets``) imports only runtime packages that exist and whose module is in Go.
    An import path under the runtime's Go module maps to the matrix module whose
    ``go.package`` is the longest prefix of it; that module must be migrated, partial or
    go_only. A package no module owns must exist in the runtime tree (``--go-root``) or, without
    a tree, be one of :data:`SUPPORT_PACKAGES`.
``claim``
    A page that states Go support for a module, in front matter (``go_support: [tools.x]``) or
    in a marked claim (``<!-- claim: go-supported tools.x tools.y -->``), names modules that are
    in Go; ``<!-- claim: not-in-go tools.x -->`` names modules that are not.
``matrix``
    A partial module says what is missing (notes) and a wont_port one why (reason). The model
    refuses a document without them at load time; this check reads the raw snapshot JSON too
    (:func:`check_raw_snapshot`), so ``check`` reports them as findings, and it also flags notes
    or reasons that are only whitespace, which the model lets through.
``recipe``
    A featured cookbook page (front matter ``recipe: <recipe path>``, optional ``go_example:
    <path in the runtime tree>``) names a recipe of the matrix; when it has a Go tab
    (``=== "Go"``) or a ``go_example``, the recipe is ``go_ready``; the ``go_example`` path exists
    in the runtime tree (``--go-root``); without a tree it must not contradict the recipe's Go
    example in the matrix (when the matrix knows one). A recipe path passed to a recipe macro
    (:data:`RECIPE_MACROS`) must be a recipe of the matrix.
``not-in-go``
    Every ``not_migrated`` module appears on the "Not yet in Go" page: the built page
    (``--site DIR``) if given, else the page source with its macros rendered by the engine
    (the same renderers the site uses, through a sandboxed Jinja environment).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import html
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
import jinja2.nodes
import jinja2.sandbox
import msgspec
import yaml

from .errors import UsageError
from .model import Module, Recipe, Status, SupportMatrix
from .profiles import load_profile
from .sources import Loaded

__all__ = [
    "DEFAULT_GO_MODULE",
    "SUPPORT_PACKAGES",
    "Finding",
    "check_docs",
    "check_matrix",
    "check_raw_snapshot",
]

#: The runtime's Go module path when no tree is at hand (the default profile's ``runtime.module``);
#: ``--go-module`` or the ``module`` line of ``--go-root``'s go.mod win over it.
_RUNTIME = load_profile().runtime
DEFAULT_GO_MODULE: str = _RUNTIME.module or ""

#: Runtime packages that are no module of the matrix but exist in the runtime tree (shared
#: types and helpers; the default profile's ``runtime.support``). Used only when no ``--go-root``
#: is given to check existence for real.
SUPPORT_PACKAGES: frozenset[str] = frozenset(_RUNTIME.support)

NOT_IN_GO_PAGE = "not-in-go.md"

#: Macros whose first argument is a cookbook recipe path (``matrix.render.cookbook``).
RECIPE_MACROS: frozenset[str] = frozenset({"recipe_status", "recipe_tabs"})
#: Macros whose every positional argument is a module id (``needs("core.agent", "models.openai")``).
VARIADIC_MODULE_ID_MACROS: frozenset[str] = frozenset({"needs"})
#: Macros whose first argument is a family id (``matrix.render.pages``).
FAMILY_MACROS: frozenset[str] = frozenset({"family_title", "family_table", "family_coverage",
                                           "not_in_go_link"})

_FRONT = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)(?:\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
_CLAIM = re.compile(r"<!--\s*claim:\s*(?P<kind>[\w-]+)(?P<ids>[^>]*?)\s*-->")
_GO_TAB = re.compile(r'^[ \t]*===[+!]?[ \t]+"Go"')
_IMPORT_ONE = re.compile(r'^\s*import\s+(?:[\w.]+\s+)?"(?P<path>[^"]+)"')
_IMPORT_OPEN = re.compile(r"^\s*import\s*\(")
_IMPORT_ITEM = re.compile(r'^\s*(?:[\w.]+\s+)?"(?P<path>[^"]+)"')


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


# --- docs --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class _Ctx:
    docs: Path
    matrix: SupportMatrix
    modules: dict[str, Module]
    recipes: dict[str, Recipe]
    go_root: Path | None
    go_module: str
    allow: frozenset[str]
    packages: list[tuple[str, Module]] = dataclasses.field(default_factory=list)
    families: frozenset[str] = frozenset()

    def name(self, path: Path) -> str:
        return (self.docs / path.relative_to(self.docs)).as_posix()


def check_docs(
    docs: str | Path,
    loaded: Loaded,
    *,
    go_root: str | Path | None = None,
    go_module: str | None = None,
    site: str | Path | None = None,
    support_packages: Iterable[str] = SUPPORT_PACKAGES,
) -> list[Finding]:
    """Every finding in the docs folder, sorted by file and line."""
    docs_dir = Path(docs)
    if not docs_dir.is_dir():
        raise UsageError("no such docs folder", where=str(docs_dir), hint="pass --docs DIR")
    root = Path(go_root) if go_root is not None else None
    if root is not None and not root.is_dir():
        raise UsageError("no such runtime tree", where=str(root),
                         hint="pass --go-root DIR (the agno-Go checkout)")
    matrix = loaded.matrix
    ctx = _Ctx(docs_dir, matrix, matrix.modules_by_id(), {r.path: r for r in matrix.recipes}, root,
               go_module or _go_module_of(root) or DEFAULT_GO_MODULE, frozenset(support_packages),
               _packages(matrix), frozenset(f.id for f in matrix.families))
    findings: list[Finding] = list(check_matrix(matrix))
    for path in sorted(docs_dir.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".md":
            findings.extend(_check_page(ctx, path))
        elif path.suffix == ".go":
            text = _read(path)
            findings.extend(_check_go(ctx, ctx.name(path), text, 1))
    findings.extend(_check_not_in_go(ctx, loaded, Path(site) if site is not None else None))
    return sorted(set(findings))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"not UTF-8 text (byte {exc.start})", where=str(path)) from None


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
    try:
        data = yaml.safe_load(m["body"]) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise UsageError(f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})",
                         where=f"{name}:{line}") from None
    lines: dict[str, int] = {}
    for i, line in enumerate(m["body"].splitlines(), 2):
        k = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if k:
            lines.setdefault(k.group(1), i)
    span = text.count("\n", 0, m.end()) + (0 if m.group(0).endswith("\n") else 1)
    return (data if isinstance(data, dict) else {}), lines, span


def _check_page(ctx: _Ctx, path: Path) -> Iterator[Finding]:
    name = ctx.name(path)
    text = _read(path)
    meta, key_lines, span = _front_matter(text, name)
    lines = text.split("\n")
    if meta.get("render_macros", True) is not False:
        body = "\n" * span + "\n".join(lines[span:])
        yield from _check_macros(ctx, name, body)
    yield from _check_claims(ctx, name, text, meta, key_lines)
    yield from _check_recipe(ctx, name, lines, meta, key_lines)
    for start, code in _go_blocks(lines):
        yield from _check_go(ctx, name, code, start)


def _suggest(key: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_macros(ctx: _Ctx, name: str, body: str) -> Iterator[Finding]:
    from .render import MODULE_ID_MACROS

    try:
        tree = jinja2.Environment().parse(body)
    except jinja2.TemplateSyntaxError as exc:
        msg = f"the page is not a valid macros template ({exc.message})"
        yield Finding(name, exc.lineno, msg, "module-id")
        return
    for call in tree.find_all(jinja2.nodes.Call):
        fn = call.node
        if not isinstance(fn, jinja2.nodes.Name) or not call.args:
            continue
        consts = [a.value if isinstance(a, jinja2.nodes.Const) and isinstance(a.value, str) else None
                  for a in call.args]
        first = consts[0]
        if fn.name in RECIPE_MACROS and first is not None and first not in ctx.recipes:
            msg = f"unknown recipe {first!r} in {fn.name}(){_suggest(first, ctx.recipes)}"
            yield Finding(name, call.lineno, msg, "recipe")
        if fn.name in FAMILY_MACROS and first is not None and first not in ctx.families:
            msg = f"unknown family {first!r} in {fn.name}(){_suggest(first, ctx.families)}"
            yield Finding(name, call.lineno, msg, "module-id")
        ids = (consts if fn.name in VARIADIC_MODULE_ID_MACROS
               else consts[:1] if fn.name in MODULE_ID_MACROS else [])
        for mid in ids:
            if mid is not None and mid not in ctx.modules:
                msg = f"unknown module id {mid!r} in {fn.name}(){_suggest(mid, ctx.modules)}"
                yield Finding(name, call.lineno, msg, "module-id")


def _ids(raw: object) -> list[str]:
    if isinstance(raw, str):
        return [p for p in re.split(r"[\s,]+", raw) if p]
    if isinstance(raw, list):
        return [str(v) for v in raw]
    return []


def _check_claims(ctx: _Ctx, name: str, text: str, meta: Mapping[str, Any],
                  key_lines: Mapping[str, int]) -> Iterator[Finding]:
    claims: list[tuple[int, str, str]] = []
    if "go_support" in meta:
        line = key_lines.get("go_support", 1)
        claims.extend((line, "go-supported", mid) for mid in _ids(meta["go_support"]))
    fenced = _fenced_lines(text.split("\n"))
    for m in _CLAIM.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if line in fenced or text[max(m.start() - 1, 0):m.start()] == "`":
            continue  # an example in a code block or span, not a claim
        kind = m["kind"]
        if kind not in ("go-supported", "not-in-go"):
            yield Finding(name, line, f"unknown claim {kind!r}; use go-supported or not-in-go", "claim")
            continue
        ids = _ids(m["ids"])
        if not ids:
            yield Finding(name, line, f"claim {kind} names no module", "claim")
        claims.extend((line, kind, mid) for mid in ids)
    for line, kind, mid in claims:
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


def _check_recipe(ctx: _Ctx, name: str, lines: Sequence[str], meta: Mapping[str, Any],
                  key_lines: Mapping[str, int]) -> Iterator[Finding]:
    if "recipe" not in meta:
        return
    path = str(meta["recipe"])
    line = key_lines.get("recipe", 1)
    recipe = ctx.recipes.get(path)
    if recipe is None:
        msg = f"recipe {path!r} is not in the matrix{_suggest(path, ctx.recipes)}"
        yield Finding(name, line, msg, "recipe")
        return
    go_tab = next((i for i, text in enumerate(lines, 1) if _GO_TAB.match(text)), None)
    example = meta.get("go_example")
    if (go_tab is not None or example) and not recipe.go_ready:
        at = go_tab if go_tab is not None else key_lines.get("go_example", line)
        yield Finding(name, at, f"Go tab for recipe {path!r}, which is not go_ready (blocked by "
                      f"{', '.join(recipe.blocked_by)})", "recipe")
    if example:
        ex = str(example)
        at = key_lines.get("go_example", line)
        if ctx.go_root is not None:
            if not (ctx.go_root / ex).exists():
                yield Finding(name, at, f"go_example {ex!r} does not exist in the runtime tree {ctx.go_root}",
                              "recipe")
        elif recipe.go_example is not None and recipe.go_example != ex:
            yield Finding(name, at, f"go_example {ex!r} is not the recipe's Go example in the matrix "
                          f"({recipe.go_example!r}); pass --go-root to check the runtime tree", "recipe")


def _fenced_lines(lines: Sequence[str]) -> set[int]:
    """1-based numbers of the lines inside (or opening/closing) fenced code blocks."""
    out: set[int] = set()
    for start, code in _fences(lines):
        out.update(range(start - 1, start + code.count("\n") + 2))
    return out


def _go_blocks(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """(first code line number, code) of each fenced Go block, at any indentation (tabs, admonitions)."""
    for start, code, lang in _fences(lines, with_lang=True):
        if lang in ("go", "golang"):
            yield start, code


def _fences(lines: Sequence[str], with_lang: bool = False) -> Iterator[Any]:
    """(first code line number, code[, language]) of each fenced block, at any indentation."""
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i].rstrip("\r"))
        if not m:
            i += 1
            continue
        fence, indent = m["fence"], m["indent"]
        words = m["info"].strip().lstrip("{").lstrip(".").split()
        lang = words[0].rstrip("}").lower() if words else ""
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            t = lines[j].rstrip("\r")
            if t.strip().startswith(fence[0] * len(fence)) and not t.strip().lstrip(fence[0]):
                break
            body.append(t[len(indent):] if t.startswith(indent) else t.lstrip())
            j += 1
        yield (i + 2, "\n".join(body), lang) if with_lang else (i + 2, "\n".join(body))
        i = j + 1


def _go_imports(code: str) -> Iterator[tuple[int, str]]:
    """(0-based line, import path) of every import in Go source; comments are skipped."""
    code = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), code, flags=re.S)
    in_block = False
    for n, raw in enumerate(code.split("\n")):
        line = raw  # a whole-line // comment never matches the import patterns
        if in_block:
            if line.strip().startswith(")"):
                in_block = False
                continue
            m = _IMPORT_ITEM.match(line)
            if m:
                yield n, m["path"]
            continue
        if _IMPORT_OPEN.match(line):
            in_block = True
            rest = line.split("(", 1)[1]
            m = _IMPORT_ITEM.match(rest)
            if m:
                yield n, m["path"]
            if ")" in rest:
                in_block = False
            continue
        m = _IMPORT_ONE.match(line)
        if m:
            yield n, m["path"]


def _packages(matrix: SupportMatrix) -> list[tuple[str, Module]]:
    """(Go package, module), longest package first, so the most specific owner wins."""
    pkgs = [(m.go.package.strip("/"), m) for m in matrix.modules if m.go is not None]
    return sorted(pkgs, key=lambda p: -len(p[0]))


def _check_go(ctx: _Ctx, name: str, code: str, first_line: int) -> Iterator[Finding]:
    prefix = ctx.go_module.rstrip("/") + "/"
    for n, imp in _go_imports(code):
        if not imp.startswith(prefix):
            continue
        pkg = imp[len(prefix):].strip("/")
        line = first_line + n
        owner = next((m for p, m in ctx.packages if pkg == p or pkg.startswith(p + "/")), None)
        if owner is not None:
            if not owner.status.in_go:
                yield Finding(name, line, f'imports "{imp}", the package of {owner.id!r}, which is '
                              f"{owner.status.label} ({owner.status.value})", "go-import")
            elif ctx.go_root is not None and not _is_package(ctx.go_root / pkg):
                yield Finding(name, line, f'imports "{imp}", which does not exist in the runtime tree '
                              f"{ctx.go_root}", "go-import")
            continue
        hint = _guess_module(ctx, pkg)
        if ctx.go_root is not None:
            if not _is_package(ctx.go_root / pkg):
                yield Finding(name, line, f'imports "{imp}", which does not exist in the runtime tree '
                              f"{ctx.go_root}{hint}", "go-import")
        elif pkg not in ctx.allow:
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


def _check_not_in_go(ctx: _Ctx, loaded: Loaded, site: Path | None) -> Iterator[Finding]:
    missing = sorted(m.id for m in ctx.matrix.modules if m.status is Status.NOT_MIGRATED)
    if not missing:
        return
    page = ctx.docs / NOT_IN_GO_PAGE
    name = page.as_posix()
    if site is not None:
        candidates = (site / "not-in-go" / "index.html", site / "not-in-go.html")
        built = next((p for p in candidates if p.is_file()), None)
        if built is None:
            yield Finding(name, 1, f"the built page is missing from {site} (looked for not-in-go/index.html "
                          "and not-in-go.html); build the site first", "not-in-go")
            return
        rendered = built.read_text(encoding="utf-8")
        source = built.as_posix()
    else:
        if not page.is_file():
            yield Finding(name, 1, f"the \"Not yet in Go\" page is missing; {len(missing)} not_migrated "
                          "modules must be listed there", "not-in-go")
            return
        try:
            rendered = render_page(_read(page), loaded)
        except Exception as exc:  # any macro failure is a finding, never a traceback
            yield Finding(name, 1, f"cannot render the page's macros ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())})", "not-in-go")
            return
        source = name
    text = html.unescape(rendered)
    for mid in missing:
        if not re.search(r"(?<![\w.-])" + re.escape(mid) + r"(?![\w-]|\.\w)", text):
            yield Finding(name, 1, f"not_migrated module {mid!r} is not listed on the \"Not yet in Go\" page "
                          f"({source})", "not-in-go")


def render_page(source: str, loaded: Loaded) -> str:
    """A page's Markdown with its macros rendered by the engine, in a sandbox (front matter dropped)."""
    from . import render

    m = _FRONT.match(source)
    body = source[m.end():] if m else source
    env = jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.ChainableUndefined, autoescape=False)
    env.globals.update({name: functools.partial(fn, loaded) for name, fn in render.macros().items()})
    return env.from_string(body).render()

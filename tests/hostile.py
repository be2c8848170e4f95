"""A hostile matrix: a payload in every string field of the contract, the fields read from its JSON Schema.

:func:`hostile_document` starts from a small matrix that exercises every part of the contract (the
modules, recipes and families the docs name, plus units, capabilities, parity runs, benchmarks and
diagnostics), then walks it along ``matrix.model.json_schema()`` and puts a payload into every
string the schema leaves free: values, list items, dict keys, strings inside ``Any`` values
(parity diffs), optional strings that were null. A field added to the contract is found by the
same walk, so it is covered without editing this file; a null optional object is generated from
its schema, and an empty list of strings gets one payload when the model accepts it.

Left as they are, because the model or the pages constrain them: strings with a ``pattern``,
``enum``, ``const`` or ``format`` (ids, statuses, times), and values that name something the docs
or the matrix refer to by name (a module id in a recipe's ``modules``, a recipe path a page shows).
:func:`string_locations` lists every free string location, so a test can check each one carries
the payload.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import msgspec

from matrix.errors import ContractError
from matrix.model import (
    BenchEnv,
    Benchmark,
    BenchSide,
    Capability,
    Coverage,
    Diagnostic,
    GoRef,
    Loc,
    ParityDiff,
    ParityResult,
    ParityStatus,
    ParitySummary,
    Provenance,
    PythonRef,
    Recipe,
    Source,
    SourceKind,
    Status,
    SupportMatrix,
    Unit,
    UnitKind,
    UnitState,
    json_schema,
)
from matrix.sources import snapshot

DOCS = Path(__file__).resolve().parent.parent / "docs"

#: Every kind of hostile text at once: a `javascript:` URL first (so a link check sees it), then
#: markup that would close the page title and run a script, an attribute break-out, a Jinja
#: expression, a script end tag, and invisible characters (NUL, right-to-left override, zero width).
PAYLOAD = ('javascript:alert(1)//</title><script>alert(1)</script>"><img src=x onerror=alert(1)>'
           "{{ 7*7 }}</script>\x00\u202e\u200b")
#: The same, as an http(s) address: where data may become a link, it must stay inside the attribute.
URL_PAYLOAD = 'https://x.invalid/"><img src=x onerror=alert(2)>' + PAYLOAD
#: What a reader must see of the payload: its text, invisible characters named.
SHOWN = ("</title><script>alert(1)</script>\"><img src=x onerror=alert(1)>{{ 7*7 }}</script>"
         "<U+0000><U+202E><U+200B>")

_CONSTRAINED = ("pattern", "enum", "const", "format")


def doc_references() -> set[str]:
    """Strings the docs pass to macros by name (module ids, recipe paths...): the pages must find them."""
    refs: set[str] = set()
    for page in DOCS.rglob("*.md"):
        if "snippets" in page.parts:
            continue
        for args in re.findall(r"\{\{\s*\w+\((.*?)\)\s*\}\}", page.read_text(encoding="utf-8"), re.S):
            refs.update(re.findall(r'"([^"]*)"', args))
    return refs


def base_matrix() -> SupportMatrix:
    """A small, valid matrix from the committed snapshot: what the docs name, plus every optional part."""
    real = snapshot.load()
    refs = doc_references()
    keep_recipes = [r for r in real.recipes if r.path in refs]
    keep_ids = refs | {m for r in keep_recipes for m in r.modules}
    seen: set[tuple[str, Status]] = set()
    modules = []
    for m in real.modules:  # the named modules, and one module of each status of each family
        if m.id in keep_ids or (m.family, m.status) not in seen:
            seen.add((m.family, m.status))
            modules.append(m)
    rich = next(m for m in modules if m.status is Status.PARTIAL)
    when = real.generated_at - timedelta(days=1)
    units = (
        Unit(name="search", state=UnitState.PORTED, python=Loc(path="agno/tools/x.py", line=3),
             go=Loc(path="pkg/agno/tools/x/x.go", line=9), go_name="Search", note="a remark"),
        Unit(name="news", state=UnitState.MISSING, python=Loc(path="agno/tools/x.py", line=7)),
        Unit(name="stubbed", state=UnitState.STUB, python=Loc(path="agno/tools/x.py", line=9),
             go=Loc(path="pkg/agno/tools/x/x.go", line=20), note="returns canned data"),
    )
    rich = msgspec.structs.replace(
        rich,
        python=PythonRef(path="agno/tools/x.py", symbols=("XTools",)),
        go=GoRef(package="pkg/agno/tools/x", symbols=("New",), also=("internal/x",)),
        coverage=Coverage(ported=1, total=3, missing=("news",), extra=("goextra",),
                          kind=UnitKind.FUNCTIONS, stubs=("stubbed",), units=units),
        capabilities=(Capability(name="streaming", python=True, go=False),),
        parity=ParitySummary(passed=1, failed=1, fixtures=("fx-fail", "fx-pass"),
                             first_failure="fx-fail: x"),
        reason="a reason", tracking="https://github.com/rexleimo/agno-Go/issues/1", since="1.2.9",
    )
    modules = [rich if m.id == rich.id else m for m in modules]
    parity = (
        ParityResult(fixture="fx-fail", status=ParityStatus.FAIL, metrics_match=False, ran_at=when,
                     modules=(rich.id,), source="results/fx.yaml",
                     diffs=(ParityDiff(path="outputs[0].content", python="short",
                                       go={"k": ["long " * 30]}),)),
        ParityResult(fixture="fx-pass", status=ParityStatus.PASS, metrics_match=True, modules=(rich.id,)),
    )
    env = BenchEnv(goos="linux", goarch="amd64", cpu="cpu", pkg="pkg/agno", python="3.12")
    benchmarks = (
        Benchmark(name="BenchmarkRun", measured_at=when, ratios={"ns/op": 0.5, "B/op": 0.5},
                  go=BenchSide(metrics={"ns/op": 100.0, "B/op": 8.0, "MB/s": 3.0}, runs=3, env=env),
                  python=BenchSide(metrics={"ns/op": 200.0, "B/op": 16.0}, env=env)),
    )
    recipe = Recipe(path="cookbook/hostile/recipe.py", title="a recipe", go_ready=False,
                    modules=(rich.id,), go_example="cmd/examples/x", blocked_by=(), features=("Agent.x",),
                    blocked_by_features=("Agent.x",), unmapped=("agno.x",),
                    local=("cookbook/hostile/other.py",))
    return msgspec.structs.replace(
        real,
        source=Source(kind=SourceKind.SCAN, url="https://runtime.invalid/", trees={"python": "agno@1"},
                      profile="agno"),
        baseline=Provenance(name="agno", version="2.9.0", commit="a" * 40, version_from="pyproject.toml",
                            repository="https://github.com/agno-agi/agno"),
        runtime=Provenance(name="agno-Go", version="1.2.9", commit="b" * 40, version_from="git tag",
                           repository="https://github.com/rexleimo/agno-Go"),
        modules=tuple(modules), recipes=(*keep_recipes, recipe), parity=parity, benchmarks=benchmarks,
        diagnostics=(Diagnostic(file="agno/x.py", message="unparsable", line=1),),
    )


class _Walk:
    """Walks a document along the schema, replacing free strings; records where it put a payload."""

    def __init__(self, payload: str, keep: set[str]) -> None:
        self.schema = json_schema()
        self.defs: dict[str, Any] = self.schema["$defs"]
        self.payload = payload
        self.keep = keep
        self.where: dict[str, str] = {}
        """JSON path of every payload placed -> its location (``Module.notes``)."""
        self.kept: set[str] = set()
        self.rejected: set[str] = set()
        """Locations where the model refused a payload the schema allows (datetimes)."""
        self.later: list[tuple[Callable[[], None], Callable[[], None]]] = []
        """(fill, undo) for slots a payload might break a rule in: an empty list of strings, a null
        optional object. Tried in a second pass, only where a location is not covered yet."""

    @property
    def hit(self) -> set[str]:
        return set(self.where.values())

    def text(self, value: str, loc: str, path: str) -> str:
        if value in self.keep:
            self.kept.add(loc)
            return value
        self.where[path] = loc
        return f"{self.payload} {value}"

    def resolve(self, schema: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return self.defs[name], name
        return schema, None

    def value(self, value: Any, schema: dict[str, Any], loc: str, path: str) -> Any:
        schema, name = self.resolve(schema)
        loc = name or loc
        if "anyOf" in schema:
            if value is None:
                free = [b for b in schema["anyOf"] if self.resolve(b)[0].get("type") == "string"]
                return self.value("was null", free[0], loc, path) if free else None
            for branch in schema["anyOf"]:
                if _fits(value, self.resolve(branch)[0]):
                    return self.value(value, branch, loc, path)
            raise AssertionError(f"{path}: {value!r} fits no branch of {loc}")
        if any(k in schema for k in _CONSTRAINED):
            return value
        kind = schema.get("type")
        if kind is None:  # Any: every string inside
            return self.any(value, loc, path)
        if kind == "string":
            return self.text(value, loc, path)
        if kind == "array":
            items = [self.value(v, schema["items"], f"{loc}[]", f"{path}[{i}]") for i, v in enumerate(value)]
            item, _ = self.resolve(schema["items"])
            if not items and item.get("type") == "string" and not any(k in item for k in _CONSTRAINED):
                self.later.append((lambda: items.append(self.text("was empty", f"{loc}[]", f"{path}[0]")),
                                   lambda: (items.clear(), self.where.pop(f"{path}[0]", None))))
            return items
        if kind == "object" and "properties" in schema:
            out: dict[str, Any] = {}
            for prop, sub in schema["properties"].items():
                at = f"{path}.{prop}"
                out[prop] = self.value(value.get(prop, sub.get("default")), sub, f"{loc}.{prop}", at)
                objects = [b for b in sub.get("anyOf", ()) if "$ref" in b]
                if out[prop] is None and objects:  # a null optional object: generated in the second pass
                    self.later.append(self._generated(out, prop, objects[0], at))
            return out
        if kind == "object":  # a dict: free string keys, values along its schema
            return {self.text(k, f"{loc}{{key}}", f"{path}{{{k}}}"):
                    self.value(v, schema["additionalProperties"], f"{loc}{{}}", f"{path}.{k}")
                    for k, v in value.items()}
        return value

    def _generated(self, out: dict[str, Any], prop: str, schema: dict[str, Any],
                   path: str) -> tuple[Callable[[], None], Callable[[], None]]:
        _, name = self.resolve(schema)

        def fill() -> None:
            out[prop] = self.value(self.generate(schema), schema, str(name), path)

        def undo() -> None:
            out[prop] = None
            for p in [p for p in self.where if p.startswith(path)]:
                del self.where[p]

        return fill, undo

    def any(self, value: Any, loc: str, path: str) -> Any:
        if isinstance(value, str):
            return self.text(value, loc, path)
        if isinstance(value, list):
            return [self.any(v, loc, f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, dict):
            return {self.text(k, loc, f"{path}{{{k}}}"): self.any(v, loc, f"{path}.{k}")
                    for k, v in value.items()}
        return value

    def generate(self, schema: dict[str, Any]) -> Any:
        """A minimal value for a schema (required properties only): for optional objects that were null."""
        schema, _ = self.resolve(schema)
        if "anyOf" in schema:
            return None
        for key, make in (("enum", lambda s: s["enum"][0]), ("const", lambda s: s["const"])):
            if key in schema:
                return make(schema)
        generators: dict[str, Callable[[dict[str, Any]], Any]] = {
            "string": lambda s: "generated", "integer": lambda s: s.get("minimum", 0),
            "number": lambda s: 1.0, "boolean": lambda s: False, "array": lambda s: [],
            "object": lambda s: {p: self.generate(s["properties"][p]) for p in s.get("required", ())}
            if "properties" in s else {},
        }
        return generators[schema.get("type", "string")](schema)


def _fits(value: Any, schema: dict[str, Any]) -> bool:
    kind = schema.get("type")
    types: dict[str, type | tuple[type, ...]] = {
        "string": str, "array": list, "object": dict, "integer": int, "number": (int, float),
        "boolean": bool, "null": type(None)}
    return kind is None or "properties" in schema or isinstance(value, types[kind])


def string_locations() -> set[str]:
    """Every place the contract has a free string: ``Module.notes``, ``Coverage.missing[]``,
    ``BenchSide.metrics{key}``, ``ParityDiff.python`` (strings inside Any)..."""
    schema = json_schema()
    defs: dict[str, Any] = schema["$defs"]
    out: set[str] = set()

    def walk(s: dict[str, Any], loc: str) -> Iterator[None]:
        if "$ref" in s:
            return
        if "anyOf" in s:
            for b in s["anyOf"]:
                yield from walk(b, loc)
            return
        kind = s.get("type")
        if any(k in s for k in _CONSTRAINED):
            return
        if kind is None or kind == "string":
            out.add(loc)
        elif kind == "array":
            yield from walk(s["items"], f"{loc}[]")
        elif kind == "object" and "properties" not in s and isinstance(s.get("additionalProperties"), dict):
            out.add(f"{loc}{{key}}")
            yield from walk(s["additionalProperties"], f"{loc}{{}}")

    for name, d in defs.items():
        for prop, sub in d.get("properties", {}).items():
            list(walk(sub, f"{name}.{prop}"))
    return out


def _at(doc: Any, path: str) -> tuple[Any, str | int]:
    """The container and key of a JSON path (``$.modules[3].since``) in a document."""
    found = re.findall(r"\.(\w+)|\[(\d+)\]", path)
    parts: list[str | int] = [int(i) if i else key for key, i in found]
    for part in parts[:-1]:
        doc = doc[part]
    return doc, parts[-1]


@dataclasses.dataclass(frozen=True)
class Hostile:
    doc: dict[str, Any]
    """The hostile matrix, as JSON data."""
    hit: set[str]
    """Locations that carry the payload."""
    kept: set[str]
    """Locations whose values name something (module ids, recipe paths the docs show): kept as they are."""
    rejected: set[str]
    """Locations the schema calls free strings but the model types (datetimes): kept as they are."""


def hostile_document(payload: str = PAYLOAD) -> Hostile:
    """The hostile matrix, and which locations carry the payload.

    Where the model rejects a string the schema calls free (a datetime is ``{"type": "string"}`` in
    the schema), that one value goes back to the base value and its location is not counted as hit.
    """
    base_doc = json.loads(snapshot.encode(base_matrix()))
    keep = doc_references() | {m["id"] for m in base_doc["modules"]}
    walk = _Walk(payload, keep)
    doc = walk.value(base_doc, walk.schema, "SupportMatrix", "$")
    base_doc = json.loads(snapshot.encode(base_matrix()))

    def valid() -> bool:
        for _ in range(len(walk.where) + 1):
            try:
                snapshot.decode(json.dumps(doc).encode(), "hostile")
                return True
            except ContractError as exc:
                if exc.path not in walk.where:
                    return False
                container, key = _at(doc, exc.path)
                original, _ = _at(base_doc, exc.path)
                container[key] = original[key]  # type: ignore[index]
                walk.rejected.add(walk.where.pop(exc.path))
        return False

    assert valid(), "the hostile matrix breaks the contract outside a free string"
    for fill, undo in walk.later:  # only where it covers something new, and the model agrees
        hit = walk.hit
        fill()
        if walk.hit == hit or not valid():
            undo()
    return Hostile(doc, walk.hit, walk.kept, walk.rejected)


def write_hostile(path: Path, payload: str = PAYLOAD) -> SupportMatrix:
    """Write the hostile matrix as a snapshot file (validated on the way) and return it."""
    matrix = snapshot.decode(json.dumps(hostile_document(payload).doc).encode(), str(path))
    snapshot.dump(matrix, path)
    return matrix

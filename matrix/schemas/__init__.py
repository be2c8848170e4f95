"""The JSON Schemas of the evidence formats, generated from the Structs that read them.

One source of truth: each format is a msgspec Struct next to its reader
(:class:`~matrix.sources.parity.ParityTestResult`, :class:`~matrix.sources.parity.ParityFixture`,
:class:`~matrix.sources.benchmarks.PythonBench`, :class:`~matrix.telemetry.TelemetryEvent`);
the files in this folder are rendered from them, and a test fails when a committed file differs::

    python -m matrix.schemas            # rewrite matrix/schemas/*.schema.json
    python -m matrix.schemas --check    # exit 1, naming the stale files, when one differs
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from ..sources._evidence_io import schema_hook
from ..sources.benchmarks import PythonBench
from ..sources.parity import ParityFixture, ParityTestResult
from ..telemetry import TelemetryEvent

FOLDER = Path(__file__).resolve().parent
BASE_ID = "https://docs.example.invalid/agno-go/schemas/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


@dataclasses.dataclass(frozen=True)
class Format:
    """One published schema: the Struct of one document and how a file holds documents."""

    name: str
    """File stem: ``<name>.schema.json``."""
    struct: type[msgspec.Struct]
    description: str
    wrapper: str | None = None
    """A file holds one document, a list, or ``{<wrapper>: [...]}``; None: exactly one document."""


FORMATS: tuple[Format, ...] = (
    Format(
        "parity-result",
        ParityTestResult,
        'A results file holds one result, a list of results, or {"results": [...]}; in a .jsonl file '
        "each line is one result. Unknown fields are ignored. Read by `agno-docs compute --parity DIR`.",
        wrapper="results",
    ),
    Format(
        "parity-fixture",
        ParityFixture,
        'A fixture file holds one fixture, a list, or {"fixtures": [...]}. A document without `status` is '
        "a fixture. Every module id (and models.<provider> for each provider) must exist in the matrix.",
        wrapper="fixtures",
    ),
    Format(
        "python-bench",
        PythonBench,
        "Read by `agno-docs bench --python FILE` and `agno-docs compute --bench-python FILE`. Names pair "
        "with Go benchmark names (the -N GOMAXPROCS suffix is stripped on both sides). Units are free "
        "text; ratios are computed for every unit present on both sides.",
    ),
    Format(
        "telemetry-event",
        TelemetryEvent,
        "`agno-docs telemetry-audit` requires runtime=go (top level, or attributes.runtime / "
        "resource.runtime / properties.runtime) and reports sensitive values anywhere in the event.",
    ),
)


def schema(fmt: Format) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one format."""
    (ref,), defs = msgspec.json.schema_components(
        [fmt.struct], schema_hook=schema_hook, ref_template="#/$defs/{name}"
    )
    for cls in _structs(fmt.struct):
        defs[cls.__name__].update(getattr(cls, "json_schema_extra", {}))
    doc: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": f"{BASE_ID}{fmt.name}.schema.json",
        "title": (fmt.struct.__doc__ or fmt.struct.__name__).strip().splitlines()[0].rstrip("."),
        "description": fmt.description,
    }
    if fmt.wrapper is None:
        doc.update(ref)
    else:
        many = {"type": "array", "items": ref}
        wrapped = {  # a document with `status` is a result, whatever else it holds
            "type": "object",
            "required": [fmt.wrapper],
            "not": {"required": ["status"]},
            "properties": {fmt.wrapper: many},
        }
        doc["oneOf"] = [ref, many, wrapped]
    doc["$defs"] = defs
    return doc


def render(fmt: Format) -> str:
    """The file's text: two-space JSON, keys in schema order, a final newline."""
    return json.dumps(schema(fmt), indent=2, ensure_ascii=False) + "\n"


def stale(folder: Path = FOLDER) -> list[Path]:
    """The schema files in ``folder`` that differ from what the Structs generate (or are missing)."""
    out = []
    for fmt in FORMATS:
        path = folder / f"{fmt.name}.schema.json"
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != render(fmt):
            out.append(path)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m matrix.schemas", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is stale")
    args = parser.parse_args(argv)
    paths = stale()
    if args.check:
        for path in paths:
            print(f"{path}: stale; run `python -m matrix.schemas`", file=sys.stderr)
        return 1 if paths else 0
    for fmt in FORMATS:
        path = FOLDER / f"{fmt.name}.schema.json"
        if path in paths:
            path.write_text(render(fmt), encoding="utf-8")
            print(f"wrote {path}")
    return 0


def _structs(kind: type[msgspec.Struct]) -> list[type[msgspec.Struct]]:
    """Every Struct class reachable from ``kind`` (its fields, their items and alternatives)."""
    found: list[type[msgspec.Struct]] = []
    todo: list[msgspec.inspect.Type] = [msgspec.inspect.type_info(kind)]
    while todo:
        t = todo.pop()
        if isinstance(t, msgspec.inspect.StructType):
            if t.cls in found:
                continue
            found.append(t.cls)
            todo += [f.type for f in t.fields]
        elif isinstance(t, msgspec.inspect.UnionType):
            todo += list(t.types)
        elif isinstance(t, msgspec.inspect.Metadata):
            todo.append(t.type)
        elif isinstance(t, msgspec.inspect.ListType | msgspec.inspect.VarTupleType):
            todo.append(t.item_type)
        elif isinstance(t, msgspec.inspect.DictType):
            todo.append(t.value_type)
    return found

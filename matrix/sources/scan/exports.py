"""A package's export table: which names its ``__init__.py`` hands out, and where they come from.

``from agno.db import DynamoDb`` does not import anything defined in ``agno/db/__init__.py``:
the package re-exports it. :func:`extract` lists, for one ``__init__.py``:

* each name a top-level import binds (``from agno.db.base import BaseDb`` -> ``BaseDb``
  from ``agno.db.base.BaseDb``; ``from .x import Y as Z`` -> ``Z`` from ``.x.Y``, relative
  targets keep their dots; ``import agno.x.y as m`` -> ``m`` from ``agno.x.y``), including
  imports under ``try`` or a plain ``if``, but not under ``if TYPE_CHECKING:`` (not at run time);
* ``from M import *`` as ``("*", "M")``;
* an alias of a name bound above (``MongoVectorDb = MongoDb`` -> ``MongoVectorDb`` from where
  ``MongoDb`` comes);

only targets in ``agno`` (or relative) are kept: ``typing.Any`` is nobody's feature.
* the lazy table of a module-level ``def __getattr__(name)``: each branch tested with
  ``name == "X"`` or ``name in ("X", "Y")`` that imports and returns a name
  (``from agno.db.dynamo import DynamoDb; return DynamoDb`` -> ``DynamoDb`` from
  ``agno.db.dynamo.DynamoDb``) or reads it from an imported module
  (``from agno.eval import accuracy; return getattr(accuracy, name)`` -> ``X`` from
  ``agno.eval.accuracy.X``); and a module-level dict of names to module paths that
  ``__getattr__`` subscripts with ``name`` (``_LAZY = {"X": "agno.x"}`` -> ``X`` from ``agno.x.X``).

Only ``__init__.py`` files are read (about 190 small files in the baseline, parsed whole with
``ast``); a file that does not parse exports nothing (the library extractor reports it).
"""

from __future__ import annotations

import ast

Exports = tuple[tuple[str, str], ...]


def extract(data: bytes) -> Exports:
    if b"import" not in data:
        return ()
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError):
        return ()
    out: dict[str, str] = {}
    tables: dict[str, dict[str, str]] = {}
    getattr_fn: ast.FunctionDef | None = None
    for node in _runtime_statements(tree.body):
        if isinstance(node, ast.ImportFrom | ast.Import):
            for name, target in _bindings(node):
                out.setdefault(name, target)
        elif isinstance(node, ast.FunctionDef) and node.name == "__getattr__" and node.args.args:
            getattr_fn = node
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            lhs = node.targets[0]
            if isinstance(lhs, ast.Name) and isinstance(node.value, ast.Name) and node.value.id in out:
                out.setdefault(lhs.id, out[node.value.id])  # MongoVectorDb = MongoDb
                continue
            table = _str_table(node.value)
            if table and isinstance(lhs, ast.Name):
                tables[lhs.id] = table
    if getattr_fn is not None:
        for name, target in _lazy(getattr_fn, tables):
            out.setdefault(name, target)
    return tuple((n, t) for n, t in out.items() if t.startswith(("agno.", ".")))


def _runtime_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Top-level statements, with those nested in ``try`` and ``if`` (not ``if TYPE_CHECKING``)."""
    out: list[ast.stmt] = []
    for node in body:
        if isinstance(node, ast.Try):
            out.extend(_runtime_statements(node.body))
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                out.extend(_runtime_statements(node.body))
                out.extend(_runtime_statements(node.orelse))
        else:
            out.append(node)
    return out


def _module(node: ast.ImportFrom) -> str:
    return "." * node.level + (node.module or "")


def _bindings(node: ast.ImportFrom | ast.Import) -> list[tuple[str, str]]:
    if isinstance(node, ast.Import):
        return [(a.asname, a.name) for a in node.names if a.asname]
    mod = _module(node)
    sep = "" if mod.endswith(".") else "."
    return [
        ("*", mod) if a.name == "*" else (a.asname or a.name, f"{mod}{sep}{a.name}") for a in node.names
    ]


def _str_table(value: ast.expr) -> dict[str, str]:
    if not isinstance(value, ast.Dict) or not value.keys:
        return {}
    out: dict[str, str] = {}
    for k, v in zip(value.keys, value.values, strict=True):
        if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
            return {}
        if not (isinstance(v, ast.Constant) and isinstance(v.value, str)):
            return {}
        out[k.value] = v.value
    return out


def _lazy(fn: ast.FunctionDef, tables: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    param = fn.args.args[0].arg
    out: list[tuple[str, str]] = []
    for node in ast.walk(fn):
        if isinstance(node, ast.If):
            names = _tested_names(node.test, param)
            if names:
                out.extend(_branch(node.body, names, param))
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            table = tables.get(node.value.id)
            if table and isinstance(node.slice, ast.Name) and node.slice.id == param:
                out.extend((k, f"{v}.{k}") for k, v in table.items())
    return out


def _tested_names(test: ast.expr, param: str) -> list[str]:
    """``name == "X"`` -> [X]; ``name in ("X", "Y")`` -> [X, Y]; anything else -> []."""
    if not (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.left, ast.Name)
        and test.left.id == param
    ):
        return []
    right = test.comparators[0]
    if isinstance(test.ops[0], ast.Eq) and isinstance(right, ast.Constant) and isinstance(right.value, str):
        return [right.value]
    if isinstance(test.ops[0], ast.In) and isinstance(right, ast.Tuple | ast.List | ast.Set):
        return [e.value for e in right.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _branch(body: list[ast.stmt], names: list[str], param: str) -> list[tuple[str, str]]:
    """What one ``if name ...:`` branch returns, for each name it tests."""
    bound: dict[str, str] = {}
    for node in body:
        if isinstance(node, ast.ImportFrom | ast.Import):
            for local, target in _bindings(node):
                bound[local] = target
            if isinstance(node, ast.Import):  # `import agno.x` binds `agno`, reached as agno.x...
                bound.update((a.name, a.name) for a in node.names if not a.asname)
        elif isinstance(node, ast.Return) and node.value is not None:
            v = node.value
            if isinstance(v, ast.Name) and v.id in bound:  # return DynamoDb
                return [(n, bound[v.id]) for n in names]
            if (  # return getattr(module, name)
                isinstance(v, ast.Call)
                and isinstance(v.func, ast.Name)
                and v.func.id == "getattr"
                and len(v.args) >= 2
                and isinstance(v.args[0], ast.Name)
                and v.args[0].id in bound
                and isinstance(v.args[1], ast.Name)
                and v.args[1].id == param
            ):
                return [(n, f"{bound[v.args[0].id]}.{n}") for n in names]
    return []

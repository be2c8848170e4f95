"""Read small YAML/JSON evidence documents and remember where each value sits.

Parity results and fixtures are written by people and shell scripts, so every
error must name the file *and* the line (or the JSON path when no line is known).
:func:`read_document` parses one file and returns the data plus a map from JSON
path (``$[0].modules[2]``) to its 1-based line.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from ..errors import SourceError, location

#: JSON path -> 1-based line number.
Lines = dict[str, int]


class EvidenceError(SourceError):
    """An evidence file (parity result or fixture, benchmark output) is malformed: ``file:line: what``."""

    def __init__(
        self,
        message: str,
        *,
        file: str,
        line: int | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.path = path
        where = location(file, line)
        if path:
            where = f"{where} at {path}"
        super().__init__(message, where=where, hint=hint)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError("no such file", where=str(path), hint="check the path") from None
    except UnicodeDecodeError as exc:
        raise EvidenceError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except OSError as exc:
        raise SourceError(f"cannot read ({exc.strerror})", where=str(path)) from None


def read_document(path: Path) -> tuple[Any, Lines]:
    """Parse one ``.json``/``.yaml``/``.yml`` file; a syntax error is an :class:`EvidenceError`."""
    text = read_text(path)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _json_lines(text, str(path))
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise EvidenceError(
                f"not valid JSON: {exc.msg} (column {exc.colno})",
                file=str(path),
                line=exc.lineno,
                hint="is the file truncated?",
            ) from None
        try:  # JSON is (almost always) YAML: reuse the YAML composer for line numbers.
            lines = _lines(yaml.compose(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            lines = {}
        return data, lines
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise EvidenceError(
            f"not valid YAML: {problem}",
            file=str(path),
            line=mark.line + 1 if mark else None,
            hint="is the file truncated?",
        ) from None
    except yaml.YAMLError as exc:
        raise EvidenceError(f"not valid YAML: {type(exc).__name__}", file=str(path)) from None
    finally:
        loader.dispose()
    return data, _lines(node) if node is not None else {}


def _json_lines(text: str, file: str) -> tuple[list[Any], Lines]:
    """One JSON document a line (what ``echo "{...}" >> results.jsonl`` writes); blank lines skipped."""
    docs: list[Any] = []
    lines: Lines = {"$": 1}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            docs.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise EvidenceError(
                f"not valid JSON: {exc.msg} (column {exc.colno})",
                file=file,
                line=lineno,
                hint="write one JSON object per line (is the line truncated?)",
            ) from None
        lines[f"$[{len(docs) - 1}]"] = lineno
    return docs, lines


def _lines(node: yaml.Node | None, path: str = "$", out: Lines | None = None) -> Lines:
    out = {} if out is None else out
    if node is None:
        return out
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            out[f"{path}.{name}"] = key.start_mark.line + 1
            _lines(value, f"{path}.{name}", out)
            out[f"{path}.{name}"] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, f"{path}[{i}]", out)
    return out


def line_of(lines: Lines, path: str) -> int | None:
    """The line of ``path``, or of its nearest parent that has one."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            break
        path = path[:cut]
    return lines.get("$")


def parse_iso8601(text: str) -> datetime | None:
    """An ISO 8601 time (a ``Z`` suffix accepted; a naive time is taken as UTC), or None if it is not one."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

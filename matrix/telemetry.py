"""Telemetry events: read them, audit them, redact them.

Events come as JSON lines (the stdout exporter: one JSON object per line) or from
the control plane (``GET /v1/runtime/go/telemetry/events``: a JSON array,
``{"events": [...]}``, or JSON lines). :func:`audit` reports

* every event whose ``runtime`` (top level, or ``attributes.runtime`` /
  ``resource.runtime``) is not ``go``;
* every value that carries something sensitive: API keys (``sk-...``), bearer
  tokens, AWS access keys, GitHub tokens, Slack tokens, Google API keys, private
  keys, e-mail addresses, and any non-empty value of a field named like
  ``password``/``secret``/``token``/``api_key``.

A :class:`Finding` never holds the secret: only its kind, the JSON path, and a
redacted form (``sk-…[redacted, 51 chars]``). :func:`redact` returns a copy of an
event with every sensitive value replaced that way, for sample payloads on pages.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import SourceError, UsageError

#: The value every event must carry in ``runtime``.
RUNTIME = "go"
#: Largest body read from a telemetry URL.
MAX_BYTES = 50 * 1024 * 1024


class TelemetryInputError(UsageError):
    """The events are not JSON lines or a JSON list of objects (exit 2)."""


@dataclasses.dataclass(frozen=True)
class Event:
    """One telemetry event and where it was read (``events.jsonl:12`` or ``URL[3]``)."""

    where: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        for key in ("event", "name", "type", "kind"):
            value = self.data.get(key)
            if isinstance(value, str) and value:
                return value
        return "(unnamed)"


@dataclasses.dataclass(frozen=True)
class Finding:
    """Something wrong with one event. ``shown`` is already redacted: safe to print anywhere."""

    where: str
    event: str
    path: str
    kind: str
    shown: str

    def text(self) -> str:
        return f"{self.where}: {self.path}: {self.kind}: {self.shown} (event {self.event})"


@dataclasses.dataclass(frozen=True)
class _Detector:
    kind: str
    pattern: re.Pattern[str]
    keep: int
    """How many leading characters of a match are shown (the recognisable prefix, never the secret)."""


_DETECTORS: tuple[_Detector, ...] = (
    _Detector(
        "private key",
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE "
            r"KEY-----|$)"
        ),
        11,
    ),
    _Detector("API key (sk-)", re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"), 3),
    _Detector("bearer token", re.compile(r"\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*", re.IGNORECASE), 7),
    _Detector("AWS access key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), 4),
    _Detector(
        "GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})"), 4
    ),
    _Detector("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9\-]{10,}"), 5),
    _Detector("Google API key", re.compile(r"\bAIza[0-9A-Za-z\-_]{35}\b"), 4),
    _Detector(
        "JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]+"), 3
    ),
    _Detector(
        "e-mail address",
        re.compile(r"\b[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}\b"),
        0,
    ),
)
_SENSITIVE_FIELD = re.compile(
    r"(pass(word|wd|phrase)?|secret|token|api[_\-]?key|apikey|access[_\-]?key|private[_\-]?key|authorization|"
    r"credential|cookie|session[_\-]?secret)s?$",
    re.IGNORECASE,
)
#: Values of sensitive fields that are already harmless.
_HARMLESS = re.compile(r"^(\*+|x+|-+|<redacted>|\[redacted\]|redacted|none|null|n/a|\s*)$", re.IGNORECASE)


def mask(kind: str, secret: str, keep: int = 0) -> str:
    """``sk-…[redacted, 51 chars]``: the first ``keep`` characters, never more than a quarter of the value."""
    keep = min(keep, len(secret) // 4)
    prefix = secret[:keep]
    return (
        f"{prefix}…[redacted, {len(secret)} chars]" if prefix else f"[{kind} redacted, {len(secret)} chars]"
    )


#: One pass that rejects most strings (names, ids, prose) before the detectors run one by one.
_ANY = re.compile("|".join(f"(?:{d.pattern.pattern})" for d in _DETECTORS), re.IGNORECASE)


def scan_string(text: str) -> list[tuple[str, str, str]]:
    """(kind, secret, masked) for each sensitive match in ``text``."""
    if not _ANY.search(text):
        return []
    return list(_scan_cached(text)) if len(text) <= 256 else _scan(text)


@functools.lru_cache(maxsize=4096)
def _scan_cached(text: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(_scan(text))


def _scan(text: str) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    taken: list[tuple[int, int]] = []
    for det in _DETECTORS:
        for m in det.pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            taken.append((m.start(), m.end()))
            out.append((det.kind, m.group(0), mask(det.kind, m.group(0), det.keep)))
    return out


def redact_text(text: str) -> str:
    """``text`` with every sensitive match replaced by its masked form."""
    for _, secret, masked in scan_string(text):
        text = text.replace(secret, masked)
    return text


def redact(value: Any, key: str | None = None) -> Any:
    """A copy of ``value`` with every sensitive string (or sensitive field) replaced by its masked form."""
    if isinstance(value, dict):
        return {redact_text(str(k)): redact(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    if isinstance(value, str) and scan_string(value):
        return redact_text(value)
    if key is not None and _SENSITIVE_FIELD.search(key) and _secret_value(value):
        return mask("value", str(value))
    return value


def audit(events: list[Event]) -> list[Finding]:
    """Every event without runtime=go and every sensitive value, in event order."""
    findings: list[Finding] = []
    for ev in events:
        name = redact_text(ev.name)
        runtime = _runtime(ev.data)
        if runtime != RUNTIME:
            shown = "missing" if runtime is None else f"is {redact_text(json.dumps(runtime))[:60]}"
            findings.append(Finding(ev.where, name, "$.runtime", "runtime is not go", shown))
        for path, key, value in _walk(ev.data, "$", None):
            matches = scan_string(value) if isinstance(value, str) else []
            for kind, _, masked in matches:
                findings.append(Finding(ev.where, name, path, kind, masked))
            if not matches and key is not None and _SENSITIVE_FIELD.search(key) and _secret_value(value):
                findings.append(
                    Finding(
                        ev.where,
                        name,
                        path,
                        f"sensitive field `{redact_text(key)}`",
                        mask("value", str(value)),
                    )
                )
    return findings


def parse_lines(text: str, origin: str) -> list[Event]:
    """JSON lines (blank lines skipped); a bad line is a :class:`TelemetryInputError` naming its number."""
    events = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:  # the message names a position, never the content
            raise TelemetryInputError(
                f"not a JSON object: {exc.msg} (column {exc.colno})",
                where=f"{origin}:{lineno}",
                hint="expected one JSON event per line (is the file truncated?)",
            ) from None
        if not isinstance(data, dict):
            raise TelemetryInputError(
                "not a JSON object", where=f"{origin}:{lineno}", hint="expected one JSON event per line"
            )
        events.append(Event(f"{origin}:{lineno}", data))
    return events


def parse_body(text: str, origin: str) -> list[Event]:
    """An endpoint body: a JSON array, ``{"events": [...]}``, or JSON lines."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TelemetryInputError(
                f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", where=origin
            ) from None
    elif stripped.startswith("{") and "\n{" not in stripped.rstrip():
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise TelemetryInputError(
                f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", where=origin
            ) from None
        if isinstance(data, dict) and isinstance(data.get("events"), list):
            data = data["events"]
        else:
            return [Event(f"{origin}[0]", data)] if isinstance(data, dict) else []
    else:
        return parse_lines(text, origin)
    if not isinstance(data, list):
        raise TelemetryInputError("expected a JSON list of events", where=origin)
    events = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            raise TelemetryInputError("not a JSON object", where=f"{origin}[{i}]")
        events.append(Event(f"{origin}[{i}]", item))
    return events


def read_events(target: str, *, token: str | None = None, timeout: float = 10.0) -> list[Event]:
    """Read events from a file (JSON lines) or an http(s) URL; unreadable is a :class:`SourceError`.

    For a URL, ``timeout`` is the total deadline of the request, and events are named after the
    URL without its user-info or query (either may carry a secret).
    """
    if target.startswith(("http://", "https://")):
        from ._net import display_url

        return parse_body(_fetch(target, token, timeout), display_url(target))
    path = Path(target)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(
            "no such file", where=target, hint="pass a JSON-lines file or the events URL"
        ) from None
    except UnicodeDecodeError:
        raise TelemetryInputError("not UTF-8 text", where=target) from None
    except OSError as exc:
        raise SourceError(f"cannot read ({exc.strerror})", where=target) from None
    if target.endswith(".json"):  # a saved endpoint body: a list, {"events": [...]}, one object or lines
        return parse_body(text, target)
    return parse_lines(text, target)


def _fetch(url: str, token: str | None, timeout: float) -> str:
    """GET the events URL, the whole exchange within ``timeout`` seconds (connect to last byte)."""
    import httpx

    from . import _net

    target = _net.http_url(url, what="telemetry URL", hint="pass a JSON-lines file or the events URL")
    where = _net.display_url(target)
    headers = {"Accept": "application/json, application/x-ndjson"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    deadline, limits = _net.Deadline(timeout), httpx.Timeout(timeout)
    try:
        with (
            _net.open_client(target, deadline) as client,
            client.stream("GET", target, headers=headers, timeout=limits) as resp,
        ):
            if resp.status_code != 200:
                raise SourceError(
                    _net.status_line(resp.status_code),
                    where=where,
                    hint="check the URL (…/v1/runtime/go/telemetry/events) and the token",
                )
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise SourceError(
                        f"response larger than {MAX_BYTES} bytes",
                        where=where,
                        hint="filter the events (?sessionId=...)",
                    )
    except httpx.HTTPError as exc:
        raise _net.failure(exc, where=where, deadline=deadline, timeout=limits,
                           knobs=_net.Knobs(url="the URL", deadline="--timeout")) from None
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise TelemetryInputError("the body is not UTF-8 text", where=where) from None


def _runtime(data: dict[str, Any]) -> Any:
    if "runtime" in data:
        return data["runtime"]
    for key in ("attributes", "resource", "properties"):
        block = data.get(key)
        if isinstance(block, dict) and "runtime" in block:
            return block["runtime"]
    return None


def _secret_value(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | float | dict | list):
        return False  # counts such as `max_tokens: 1024` are not secrets
    return not _HARMLESS.match(str(value))


def _walk(value: Any, path: str, key: str | None) -> Iterator[tuple[str, str | None, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            name = str(k)
            shown = redact_text(name)
            sub = (
                f"{path}.{shown}"
                if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_\-]*", shown)
                else f"{path}[{json.dumps(shown)}]"
            )
            yield from _walk(v, sub, name)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]", key)
    else:
        yield path, key, value

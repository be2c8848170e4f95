"""Telemetry events: read them, audit them, redact them.

Events come as JSON lines (the stdout exporter: one JSON object per line) or from
the control plane (``GET /v1/runtime/go/telemetry/events``: a JSON array,
``{"events": [...]}``, or JSON lines). Their format is :class:`TelemetryEvent`
(published as ``matrix/schemas/telemetry-event.schema.json``). :func:`audit` reports

* every event whose ``runtime`` (top level, or ``attributes.runtime`` /
  ``resource.runtime`` / ``properties.runtime``) is not ``go``, and every event
  that does not have the documented shape;
* every secret, wherever it sits (:func:`scan_string` for values and keys, the key
  vocabulary of :func:`classify_key` for fields): API keys (``sk-...``), bearer
  and basic credentials, AWS access keys, GitHub and Slack tokens, Google API keys,
  JSON Web Tokens, private keys, passwords in URLs, ``password=...`` in text,
  e-mail addresses, the same base64-encoded, and any value (a number too, for
  password-like keys) of a field named like a secret (``password``, ``secretKey``,
  ``dbPasswordHash``, ``pwd``, ``auth``, ``x-api-key``...) however deep under it;
  a secret used as a mapping key too.

A :class:`Finding` never holds the secret: only its kind, the JSON path, and a
redacted form (``sk-…[redacted, 51 chars]``). :func:`redact` returns a copy of an
event with every secret replaced that way (the published sample payloads); it and
:func:`audit` walk events with the same code, so what one finds the other hides.

Detection runs in time linear in the input: every pattern has a literal or bounded
start, bounded repeats (possessive where a run could be re-scanned) and no nested
unbounded quantifier; a substring pre-check skips a pattern whose marker is absent.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import enum
import functools
import heapq
import itertools
import json
import operator
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple

import msgspec

from .errors import SourceError, UsageError
from .sources._evidence_io import EvidenceError, convert

#: The value every event must carry in ``runtime``.
RUNTIME = "go"
#: Largest body read from a telemetry URL.
MAX_BYTES = 50 * 1024 * 1024
#: Deeper than this, a value is not audited but reported and hidden whole.
MAX_DEPTH = 64
#: Secrets of one kind listed per string; past them the rest of the string is hidden whole.
MAX_HITS = 100


class TelemetryInputError(UsageError):
    """The events are not JSON lines or a JSON list of objects (exit 2)."""


# --- the event format --------------------------------------------------------------------------------------


class RuntimeTags(msgspec.Struct, frozen=True):
    """``attributes``, ``resource`` or ``properties`` of an event: where an exporter may tag the runtime."""

    runtime: Literal["go"] | None = None


_NO_RUNTIME = "missing `runtime`"


def _tagged(tags: str) -> dict[str, Any]:
    return {"required": [tags], "properties": {tags: {"required": ["runtime"]}}}


class TelemetryEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A telemetry event (one JSON line of the stdout exporter).

    `agno-docs telemetry-audit` requires runtime=go (top level, or attributes.runtime /
    resource.runtime / properties.runtime) and reports sensitive values anywhere in the event.
    The event name is read from `event`, `name`, `type` or `kind`. Other fields are free.
    """

    json_schema_extra: ClassVar[dict[str, Any]] = {
        "anyOf": [
            {"required": ["runtime"]},
            _tagged("attributes"),
            _tagged("resource"),
            _tagged("properties"),
        ]
    }

    event: str | None = None
    runtime: Literal["go"] | None = None
    attributes: RuntimeTags | None = None
    resource: RuntimeTags | None = None
    properties: RuntimeTags | None = None
    timestamp: str | None = None
    session_id: str | None = None
    run_id: str | None = None
    data: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        tags = (self.attributes, self.resource, self.properties)
        if self.runtime is None and all(t is None or t.runtime is None for t in tags):
            raise ValueError(_NO_RUNTIME)


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


def mask(kind: str, secret: str, keep: int = 0) -> str:
    """``sk-…[redacted, 51 chars]``: the first ``keep`` characters, never more than a quarter of the value."""
    keep = min(keep, len(secret) // 4)
    prefix = secret[:keep]
    return (
        f"{prefix}…[redacted, {len(secret)} chars]" if prefix else f"[{kind} redacted, {len(secret)} chars]"
    )


# --- secrets in text ---------------------------------------------------------------------------------------


class Hit(NamedTuple):
    """One secret in a string: ``text[start:end]`` is replaced by ``masked``."""

    kind: str
    start: int
    end: int
    masked: str


@dataclasses.dataclass(frozen=True)
class _Detector:
    kind: str
    markers: tuple[str, ...]
    """Lower-case substrings one of which a match must contain: without them the pattern is not run."""
    pattern: re.Pattern[str]
    keep: int = 0
    """How many leading characters of the secret are shown (the recognisable prefix, never the secret)."""
    tail: re.Pattern[str] | None = None
    """A token longer than the pattern's bound goes on over these characters: the whole token is hidden."""
    check: Callable[[re.Match[str]], str | None] | None = None
    """The kind of a candidate match, or None when it is not a secret after all."""
    end: Callable[[re.Match[str]], int] | None = None
    """Where the secret ends, when the pattern only finds where it starts."""
    label: str = ""
    """What the mask calls the hidden text (default: ``kind``)."""


def _run(chars: str) -> re.Pattern[str]:
    return re.compile(f"[{chars}]*+")


def _pem_end(m: re.Match[str]) -> int:
    """A private key goes on to its END line (or to the end of the text when that is missing)."""
    text = m.string
    end = text.find("-----END ", m.end())
    if end < 0:
        return len(text)
    close = text.find("-----", end + 9)
    return len(text) if close < 0 else close + 5


def _basic(m: re.Match[str]) -> str | None:
    """``Basic <base64 of user:password>`` (the word "basic" followed by prose is not)."""
    decoded = _b64_text(m["token"])
    return "basic auth credentials" if decoded is not None and ":" in decoded else None


_KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _in_text(m: re.Match[str]) -> str | None:
    """``password=...`` / ``"apiKey": "..."`` inside a string: the whole key must name a secret.

    The pattern starts at a stem (``pass``, ``key``...); the key's first characters are the word
    characters just before it (at most 24).
    """
    if _HARMLESS.match(m["secret"].strip("\"'")):
        return None
    start = m.start()
    before = m.string[max(0, start - 24) : start]
    key = before[len(before.rstrip(_KEY_CHARS)) :] + m["stem"] + m["rest"]
    return f"sensitive field `{key}` in text" if classify_key(key) in _SECRET_CLASSES else None


def _b64_secret(m: re.Match[str]) -> str | None:
    """A base64 token that decodes to text holding a secret."""
    token = m.group(0)
    if token.islower() or token.isupper():  # an identifier or a hex digest, not encoded text
        return None
    decoded = _b64_text(token)
    if decoded is None or len(decoded) < 8:
        return None
    hits = _scan(decoded, _PLAIN)
    return f"base64-encoded {hits[0].kind}" if hits else None


def _any_case(words: tuple[str, ...]) -> str:
    """``(?:[pP][aA][sS][sS]|...)``: case-insensitive by construction (``re.I`` would be twice as slow)."""
    return "(?:" + "|".join("".join(f"[{c}{c.upper()}]" for c in w) for w in words) + ")"


#: Where a secret's name may start in ``key=value`` text (``classify_key`` decides on the whole key).
_STEMS = ("pass", "pwd", "secret", "token", "key", "auth", "cred", "cookie", "jwt")
_VALUE_END = r"""\s"'&;,)}\]["""
_DETECTORS: tuple[_Detector, ...] = (
    _Detector(
        "private key",
        ("-----begin",),
        re.compile(r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----"),
        11,
        end=_pem_end,
    ),
    _Detector(
        "API key (sk-)",
        ("sk-",),
        re.compile(r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{16,256}"),
        3,
        _run("A-Za-z0-9_-"),
    ),
    _Detector(
        "bearer token",
        ("bearer",),
        re.compile(r"(?i)(?<![A-Za-z0-9])bearer\s{1,8}[A-Za-z0-9\-._~+/]{8,4096}={0,3}"),
        7,
        _run("A-Za-z0-9\\-._~+/="),
    ),
    _Detector(
        "AWS access key",
        ("akia", "asia"),
        re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"),
        4,
    ),
    _Detector(
        "GitHub token",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
        re.compile(r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})"),
        4,
        _run("A-Za-z0-9_"),
    ),
    _Detector(
        "Slack token",
        ("xox",),
        re.compile(r"(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,255}"),
        5,
        _run("A-Za-z0-9-"),
    ),
    _Detector(
        "Google API key",
        ("aiza",),
        re.compile(r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"),
        4,
    ),
    _Detector(
        "JSON Web Token",
        ("eyj",),
        re.compile(
            r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{1,4096}"
        ),
        3,
        _run("A-Za-z0-9_-"),
    ),
    _Detector(
        "basic auth credentials",
        ("basic",),
        re.compile(
            r"(?i)(?<![A-Za-z0-9])basic\s{1,8}(?P<token>[A-Za-z0-9+/]{8,4096}={0,2})(?![A-Za-z0-9+/=])"
        ),
        6,
        check=_basic,
    ),
    _Detector(
        "password in a URL",
        ("://",),
        re.compile(
            r"(?i)(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}://[^\s/?#@:]{0,128}:(?P<secret>[^\s/?#@]{1,256})@"
        ),
        label="password",
    ),
    _Detector(
        "sensitive field in text",
        _STEMS,
        re.compile(
            rf"(?P<stem>{_any_case(_STEMS)})(?P<rest>[A-Za-z0-9_-]{{0,24}}+)"
            r"""["']?[ \t]{0,4}[=:][ \t]{0,4}"""
            rf"""(?P<secret>"[^"\r\n]{{1,512}}+"|'[^'\r\n]{{1,512}}+'|[^{_VALUE_END}]{{1,512}}+)"""
        ),
        check=_in_text,
        label="value",
    ),
    _Detector(
        "e-mail address",
        ("@",),
        re.compile(
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-])"
        ),
    ),
)
#: Base64 runs are decoded and scanned with the detectors above (once: not base64 within base64).
_BASE64 = _Detector(
    "base64-encoded secret",
    (),
    re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,8192}+={0,2}(?![A-Za-z0-9+/=_-])"),
    check=_b64_secret,
    label="base64 value",
)
_PLAIN = _DETECTORS
_ALL = (*_DETECTORS, _BASE64)
_MARKERS = frozenset(marker for det in _ALL for marker in det.markers)
#: Values that are already harmless: placeholders, and our own masks (redacting twice changes nothing).
_HARMLESS = re.compile(
    r"^(\*+|x+|-+|<redacted>|\[redacted\]|redacted|none|null|n/a|\s*"
    r"|[^\[\]…]{0,11}…\[redacted, \d+ chars\]|\[[^\[\]]{0,80} redacted, \d+ chars\])$",
    re.IGNORECASE,
)


def scan_string(text: str) -> list[Hit]:
    """Every secret in ``text``, in order; where two detectors overlap, the more specific one wins."""
    if len(text) <= 256:
        return list(_scan_cached(text))
    return _scan(text, _ALL)


def redact_text(text: str) -> str:
    """``text`` with every secret replaced by its masked form."""
    hits = scan_string(text)
    if not hits:
        return text
    out, pos = [], 0
    for h in hits:
        out += [text[pos : h.start], h.masked]
        pos = h.end
    out.append(text[pos:])
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def _scan_cached(text: str) -> tuple[Hit, ...]:
    return tuple(_scan(text, _ALL))


def _scan(text: str, detectors: tuple[_Detector, ...]) -> list[Hit]:
    lowered = text.lower()
    present = {marker for marker in _MARKERS if marker in lowered}
    taken: list[Hit] = []
    cut = len(text)
    for det in detectors:
        if det.markers and present.isdisjoint(det.markers):
            continue
        hits, cut = _matches(det, text, cut)
        taken = _merge([h for h in taken if h.start < cut], hits)
    start = max([cut, *(h.end for h in taken)])
    if start < len(text):  # past MAX_HITS secrets of one kind, the rest of the value is hidden whole
        rest = f"[more than {MAX_HITS} secrets: the rest redacted, {len(text) - start} chars]"
        taken.append(Hit(f"more than {MAX_HITS} secrets in one value", start, len(text), rest))
    return taken


def _merge(taken: list[Hit], new: list[Hit]) -> list[Hit]:
    """``taken`` plus each of ``new`` (both in order) that overlaps none of ``taken``: one linear pass."""
    kept: list[Hit] = []
    i = 0
    for hit in new:
        while i < len(taken) and taken[i].end <= hit.start:
            i += 1
        if i == len(taken) or taken[i].start >= hit.end:
            kept.append(hit)
    return list(heapq.merge(taken, kept, key=_START))


_START = operator.attrgetter("start")


def _matches(det: _Detector, text: str, stop: int) -> tuple[list[Hit], int]:
    """The hits of one detector in ``text[:stop]``, in order, none overlapping.

    The search resumes after each secret. After :data:`MAX_HITS` hits it stops: the second value
    is where (``stop`` when it did not).
    """
    hits: list[Hit] = []
    pos = 0
    group = "secret" if "secret" in det.pattern.groupindex else 0
    while (m := det.pattern.search(text, pos, stop)) is not None:
        kind = det.check(m) if det.check else det.kind
        if kind is None:  # a candidate that is not a secret after all
            pos = m.end()
            continue
        start, end = m.span(group)
        if text[start] in "\"'":  # a quoted value: the quotes stay
            start, end = start + 1, end - 1
        if det.end is not None:
            end = det.end(m)
        elif det.tail is not None and (more := det.tail.match(text, end)) is not None:
            end = more.end()
        if len(hits) == MAX_HITS:
            return hits, start
        hits.append(Hit(kind, start, end, mask(det.label or kind, text[start:end], det.keep)))
        pos = max(end, m.end(), pos + 1)
    return hits, stop


def _b64_text(token: str) -> str | None:
    """The text a base64 (or base64url) token encodes, or None when it is not printable text."""
    padded = token.translate(_URLSAFE).rstrip("=")
    padded += "=" * (-len(padded) % 4)
    try:
        text = base64.b64decode(padded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return text if text.isprintable() else None


_URLSAFE = str.maketrans("-_", "+/")


# --- secrets by name ---------------------------------------------------------------------------------------


class Sensitivity(enum.Enum):
    """What a key's name says about its value."""

    NONE = "none"
    METADATA = "metadata"
    """About a secret, not one (``token_type``, ``auth_method``, ``password_length``): never hidden."""
    SECRET = "secret"
    """A string is a secret (``api_key``, ``auth``, ``tokens``); a number is a count (``max_tokens``)."""
    PASSWORD = "password"
    """Any value is a secret, a number too (``password``, ``pwd``, ``secret``)."""


_SECRET_CLASSES = (Sensitivity.SECRET, Sensitivity.PASSWORD)
_PASSWORD_WORDS = frozenset({"password", "passwords", "passwd", "pwd", "passphrase", "passcode", "secret"})
_SECRET_WORDS = frozenset(
    {
        "pass", "secrets", "token", "tokens", "auth", "authorization", "credential", "credentials", "cookie",
        "cookies", "apikey", "apikeys", "accesskey", "privatekey", "secretkey", "sessionkey", "jwt", "bearer",
        "otp",
    }
)  # fmt: skip
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"), ("api", "keys"), ("access", "key"), ("private", "key"), ("signing", "key"),
        ("encryption", "key"), ("master", "key"), ("session", "key"), ("client", "key"),
    }
)  # fmt: skip
#: Inside a run-together word (``dbpassword``, ``myapikey``): only stems nothing innocent contains.
_PASSWORD_STEMS = ("password", "passwd", "passphrase")
_SECRET_STEMS = ("apikey", "accesskey", "privatekey", "secretkey", "credential", "authorization")
_METADATA_TAIL = frozenset(
    {
        "type", "kind", "method", "mode", "scheme", "format", "count", "length", "len", "size", "limit",
        "name", "names", "id", "ids", "url", "uri", "endpoint", "host", "provider", "policy", "required",
        "enabled", "set", "present", "expires", "expiry", "expiration", "ttl", "at", "version", "field",
        "path", "file", "label", "hint", "placeholder", "user", "username", "login", "status", "source",
        "algorithm", "alg",
    }
)  # fmt: skip
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def key_words(key: str) -> tuple[str, ...]:
    """``dbPasswordHash`` -> ``(db, password, hash)``; ``X-API-Key`` -> ``(x, api, key)``."""
    return tuple(w.lower() for w in _WORD.findall(key[:256]))


@functools.lru_cache(maxsize=4096)
def classify_key(key: str) -> Sensitivity:
    """What the name of a field says: lower-cased words (split at ``_-.``, blanks and camelCase)."""
    words = key_words(key)
    if not words:
        return Sensitivity.NONE
    if words[-1] in _METADATA_TAIL:
        return Sensitivity.METADATA
    if any(w in _PASSWORD_WORDS or any(s in w for s in _PASSWORD_STEMS) for w in words):
        return Sensitivity.PASSWORD
    if any(w in _SECRET_WORDS or any(s in w for s in _SECRET_STEMS) for w in words) or any(
        pair in _SECRET_PAIRS for pair in itertools.pairwise(words)
    ):
        return Sensitivity.SECRET
    return Sensitivity.NONE


# --- events ------------------------------------------------------------------------------------------------


def redact(value: Any, key: str | None = None) -> Any:
    """A copy of ``value`` with every secret (by pattern, by field name, as a key) replaced by its mask."""
    return _Walk().value(value, "$", _context(key, None), 0)


def audit(events: list[Event]) -> list[Finding]:
    """Every event without runtime=go or not in the event format, and every secret, in event order."""
    findings: list[Finding] = []
    for ev in events:
        name = redact_text(ev.name)
        findings += _format_findings(ev, name)
        walk = _Walk()
        walk.value(ev.data, "$", None, 0)
        findings += [Finding(ev.where, name, path, kind, shown) for path, kind, shown in walk.found]
    return findings


def parse_lines(text: str, origin: str) -> list[Event]:
    """JSON lines (blank lines skipped); a bad line is a :class:`TelemetryInputError` naming its number."""
    events = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{lineno}"
        data = _json(line, where, "expected one JSON event per line (is the file truncated?)")
        if not isinstance(data, dict):
            raise TelemetryInputError(
                "not a JSON object", where=where, hint="expected one JSON event per line"
            )
        events.append(Event(where, data))
    return events


def parse_body(text: str, origin: str) -> list[Event]:
    """An endpoint body: a JSON array, ``{"events": [...]}``, or JSON lines."""
    stripped = text.lstrip()
    if not stripped.startswith("[") and not (stripped.startswith("{") and "\n{" not in stripped.rstrip()):
        return parse_lines(text, origin)
    data = _json(text, origin, None)
    if isinstance(data, dict):
        if not isinstance(data.get("events"), list):
            return [Event(f"{origin}[0]", data)]
        data = data["events"]
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
    from . import _net

    target = _net.http_url(url, what="telemetry URL", hint="pass a JSON-lines file or the events URL")
    where = _net.display_url(target)
    headers = {"Accept": "application/json, application/x-ndjson"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    deadline, limits = _net.Deadline(timeout), _net.Timeouts.each(timeout)
    try:
        with _net.exchange("GET", target, headers=headers, deadline=deadline, timeouts=limits) as resp:
            if resp.status != 200:
                raise SourceError(
                    _net.status_line(resp.status),
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
    except _net.NetError as exc:
        raise _net.failure(exc, where=where, deadline=deadline, timeout=limits,
                           knobs=_net.Knobs(url="the URL", deadline="--timeout")) from None
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise TelemetryInputError("the body is not UTF-8 text", where=where) from None


def _json(text: str, where: str, hint: str | None) -> Any:
    """One JSON value; the message names a position, never the content."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        position = f"column {exc.colno}" if hint else f"line {exc.lineno}, column {exc.colno}"
        prefix = "not a JSON object" if hint else "not valid JSON"
        raise TelemetryInputError(f"{prefix}: {exc.msg} ({position})", where=where, hint=hint) from None
    except RecursionError:
        raise TelemetryInputError("not valid JSON: nested too deeply", where=where) from None
    except ValueError:  # an integer of more than 4300 digits
        raise TelemetryInputError("not valid JSON: a number too long to read", where=where) from None


def _format_findings(ev: Event, name: str) -> list[Finding]:
    """The event against :class:`TelemetryEvent`: a runtime that is not go, or another shape problem."""
    try:
        convert(ev.data, TelemetryEvent, file=ev.where, lines={})
    except EvidenceError as exc:
        runtime = _runtime(ev.data)
        out = []
        if runtime != RUNTIME:
            shown = "missing" if runtime is None else f"is {redact_text(json.dumps(runtime))[:60]}"
            out.append(Finding(ev.where, name, "$.runtime", "runtime is not go", shown))
        if exc.message != _NO_RUNTIME and not (exc.path or "").endswith(".runtime"):
            shown = redact_text(exc.message)[:120]
            out.append(Finding(ev.where, name, exc.path or "$", "not the event format", shown))
        return out
    return []


def _runtime(data: dict[str, Any]) -> Any:
    if "runtime" in data:
        return data["runtime"]
    for key in ("attributes", "resource", "properties"):
        block = data.get(key)
        if isinstance(block, dict) and "runtime" in block:
            return block["runtime"]
    return None


#: The nearest sensitive key above a value: its name and what it says.
_Context = tuple[str, Sensitivity] | None


def _context(key: str | None, above: _Context) -> _Context:
    """A metadata key shields what is under it; a secret's name makes everything under it secret."""
    if key is None:
        return above
    sensitivity = classify_key(key)
    if sensitivity is Sensitivity.METADATA:
        return None
    if sensitivity in _SECRET_CLASSES:
        return (key, sensitivity)
    return above


class _Walk:
    """One pass over a value: the redacted copy is returned, what was hidden is listed in ``found``."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str, str]] = []
        """(JSON path, kind, masked form) of each secret."""

    def value(self, value: Any, path: str, context: _Context, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self.found.append((path, f"nested deeper than {MAX_DEPTH} levels", "not audited"))
            return f"[not shown: nested deeper than {MAX_DEPTH} levels]"
        if isinstance(value, dict):
            return self._mapping(value, path, context, depth)
        if isinstance(value, list):
            return [self.value(v, f"{path}[{i}]", context, depth + 1) for i, v in enumerate(value)]
        if isinstance(value, str) and (hits := scan_string(value)):
            self.found += [(path, h.kind, h.masked) for h in hits]
            return redact_text(value)
        if context is not None and _secret_value(value, context[1]):
            shown = mask("value", str(value))
            self.found.append((path, f"sensitive field `{redact_text(context[0])}`", shown))
            return shown
        return value

    def _mapping(self, value: dict[Any, Any], path: str, context: _Context, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in value.items():
            key = str(k)
            shown = self._key(key, v, path, context)
            out[_unique(shown, out)] = self.value(v, _step(path, shown), _context(key, context), depth + 1)
        return out

    def _key(self, key: str, value: Any, path: str, context: _Context) -> str:
        """The key as shown: masked when it is a secret itself."""
        if hits := scan_string(key):
            shown = redact_text(key)
            self.found += [(_step(path, shown), f"{h.kind} used as a key", h.masked) for h in hits]
            return shown
        if _secret_key(key, value, context):
            shown = mask("key", key)
            self.found.append((_step(path, shown), "secret used as a key", shown))
            return shown
        return key


def _secret_key(key: str, value: Any, context: _Context) -> bool:
    """A key that is itself the secret: ``{"hunter2": "password"}``, or ``tokens: {"<token>": true}``."""
    member_of_a_set = context is not None and (value is None or isinstance(value, bool))
    names_a_secret = isinstance(value, str) and len(value) <= 40 and classify_key(value) in _SECRET_CLASSES
    if not (member_of_a_set or names_a_secret):
        return False
    return (
        _OPAQUE.search(key) is not None  # a token, not a field name such as `value` or `enabled`
        and classify_key(key) is Sensitivity.NONE
        and not _HARMLESS.match(key)
    )


#: Letters and digits mixed, or 16 characters without a blank: a token rather than a word.
_OPAQUE = re.compile(r"^(?:(?=[^0-9]{0,256}[0-9])(?=[^A-Za-z]{0,256}[A-Za-z])|[^ ]{16})")


def _secret_value(value: Any, sensitivity: Sensitivity) -> bool:
    if isinstance(value, str):
        return not _HARMLESS.match(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return sensitivity is Sensitivity.PASSWORD  # `password: 123456`; `max_tokens: 1024` is a count
    return False


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def _step(path: str, key: str) -> str:
    return f"{path}.{key}" if _PLAIN_KEY.fullmatch(key) else f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _unique(key: str, taken: dict[str, Any]) -> str:
    """Two masked keys of the same length would collide: number the second."""
    if key not in taken:
        return key
    n = 2
    while f"{key} #{n}" in taken:
        n += 1
    return f"{key} #{n}"

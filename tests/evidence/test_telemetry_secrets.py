"""Secret detection: every evasion the audit found (reliability review rows 124-127), the key vocabulary,
linear time on hostile 1 MB values, and redact() hiding exactly what audit() reports."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

from matrix import cli
from matrix.server import RuntimeServer
from matrix.sources import snapshot
from matrix.sources.api import TELEMETRY_PATH
from matrix.telemetry import (
    MAX_DEPTH,
    MAX_HITS,
    Event,
    Sensitivity,
    audit,
    classify_key,
    key_words,
    read_events,
    redact,
    scan_string,
)
from tests import factories
from tests.evidence.conftest import PLANTED_KEY

PW = "hunter2"
#: (field(s) planted in an event, [(JSON path, kind, shown)], the secret that must never be shown)
EVASIONS: list[tuple[str, dict[str, Any], list[tuple[str, str, str]], str]] = [
    (
        "nested value under a sensitive key",
        {"password": {"value": PW}},
        [("$.password.value", "sensitive field `password`", "[value redacted, 7 chars]")],
        PW,
    ),
    (
        "camelCase key",
        {"secretKey": PW},
        [("$.secretKey", "sensitive field `secretKey`", "[value redacted, 7 chars]")],
        PW,
    ),
    (
        "camelCase key, secret word inside",
        {"dbPasswordHash": "5f4dcc3b5aa765d6"},
        [("$.dbPasswordHash", "sensitive field `dbPasswordHash`", "[value redacted, 16 chars]")],
        "5f4dcc3b5aa765d6",
    ),
    ("pwd", {"pwd": PW}, [("$.pwd", "sensitive field `pwd`", "[value redacted, 7 chars]")], PW),
    ("auth", {"auth": PW}, [("$.auth", "sensitive field `auth`", "[value redacted, 7 chars]")], PW),
    (
        "password= inside a log line",
        {"log": f"login ok password={PW} user=bob"},
        [("$.log", "sensitive field `password` in text", "[value redacted, 7 chars]")],
        PW,
    ),
    (
        "JSON text inside a string",
        {"log": '{"apiKey": "k-9f8e7d6c5b", "ok": true}'},
        [("$.log", "sensitive field `apiKey` in text", "[value redacted, 12 chars]")],
        "k-9f8e7d6c5b",
    ),
    (
        "numeric password",
        {"db": {"password": 123456}},
        [("$.db.password", "sensitive field `password`", "[value redacted, 6 chars]")],
        "123456",
    ),
    (
        "secret used as a key, its value naming it",
        {"data": {"hunt3r2024": "password"}},
        [('$.data["[key redacted, 10 chars]"]', "secret used as a key", "[key redacted, 10 chars]")],
        "hunt3r2024",
    ),
    (
        "secret used as a key in a set under a sensitive key",
        {"api_keys": {"k8f2c9a1b": True}},
        [('$.api_keys["[key redacted, 9 chars]"]', "secret used as a key", "[key redacted, 9 chars]")],
        "k8f2c9a1b",
    ),
    (
        "API key used as a key",
        {"owners": {PLANTED_KEY: "alice"}},
        [
            (
                '$.owners["sk-…[redacted, 54 chars]"]',
                "API key (sk-) used as a key",
                "sk-…[redacted, 54 chars]",
            )
        ],
        PLANTED_KEY,
    ),
    (
        "base64 of key=value",
        {"blob": base64.b64encode(f"password={PW}".encode()).decode()},
        [
            (
                "$.blob",
                "base64-encoded sensitive field `password` in text",
                "[base64 value redacted, 24 chars]",
            )
        ],
        base64.b64encode(f"password={PW}".encode()).decode(),
    ),
    (
        "base64url of an API key",
        {"blob": base64.urlsafe_b64encode(PLANTED_KEY.encode()).decode().rstrip("=")},
        [("$.blob", "base64-encoded API key (sk-)", "[base64 value redacted, 72 chars]")],
        base64.urlsafe_b64encode(PLANTED_KEY.encode()).decode().rstrip("="),
    ),
    (
        "password in a URL",
        {"dsn": f"postgres://bob:{PW}@db.internal:5432/app"},
        [("$.dsn", "password in a URL", "[password redacted, 7 chars]")],
        PW,
    ),
    (
        "token in a query string",
        {"url": "https://api.example.com/v1/items?limit=5&access_token=tok_5d41402abc&x=1"},
        [("$.url", "sensitive field `access_token` in text", "[value redacted, 14 chars]")],
        "tok_5d41402abc",
    ),
    (
        "basic auth header",
        {"headers": {"X-Upstream": "Basic " + base64.b64encode(f"bob:{PW}".encode()).decode()}},
        [("$.headers.X-Upstream", "basic auth credentials", "Basic…[redacted, 22 chars]")],
        base64.b64encode(f"bob:{PW}".encode()).decode(),
    ),
]


@pytest.mark.parametrize(("case", "fields", "expected", "secret"), EVASIONS, ids=[e[0] for e in EVASIONS])
def test_each_evasion_is_found_and_redacted(
    case: str, fields: dict[str, Any], expected: list[tuple[str, str, str]], secret: str
) -> None:
    event = {"event": "e", "runtime": "go", **fields}
    found = [(f.path, f.kind, f.shown) for f in audit([Event("s.jsonl:1", event)])]
    assert found == expected
    redacted = json.dumps(redact(event), ensure_ascii=False)
    assert secret not in redacted
    assert secret not in " ".join(f"{p} {k} {s}" for p, k, s in found)


def test_the_reviews_planted_line_is_not_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reliability review defect 6, as it was run: `1 event(s) audited: clean`, exit 0, before."""
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"event":"e","runtime":"go","password":{"value":"hunter2"},"secretKey":"hunter2",'
        '"pwd":"hunter2","log":"password=hunter2"}\n'
    )
    assert cli.main(["telemetry-audit", str(path)]) == 1
    out = capsys.readouterr().out
    assert "hunter2" not in out
    assert out.splitlines()[-1] == "1 event(s) audited: 4 finding(s) in 1 event(s)"


NOT_SECRETS: dict[str, Any] = {
    "max_tokens": 1024,
    "input_tokens": 120,
    "token_count": 3,
    "token_type": "bearer",
    "auth_method": "oauth",
    "password_length": 12,
    "password_required": True,
    "tokenizer": "cl100k",
    "secretary": "Bob",
    "author": "Bob",
    "session_id": "s-1",
    "keyboard": "qwerty",
    "monkey": "business",
    "password": "***",
    "secret": "",
    "note": "the password policy is strict; basic setup done; see https://example.com:8443/docs",
    "auth": {"method": "oauth", "enabled": True},
    "counts": {"pass": 10, "fail": 2},
}


def test_counts_metadata_and_look_alikes_are_not_secrets() -> None:
    event = {"event": "e", "runtime": "go", **NOT_SECRETS}
    assert audit([Event("w", event)]) == []
    assert redact(event) == event


@pytest.mark.parametrize(
    ("key", "words", "sensitivity"),
    [
        ("dbPasswordHash", ("db", "password", "hash"), Sensitivity.PASSWORD),
        ("secretKey", ("secret", "key"), Sensitivity.PASSWORD),
        ("AWS_SECRET_ACCESS_KEY", ("aws", "secret", "access", "key"), Sensitivity.PASSWORD),
        ("X-API-Key", ("x", "api", "key"), Sensitivity.SECRET),
        ("APIKey", ("api", "key"), Sensitivity.SECRET),
        ("apikey", ("apikey",), Sensitivity.SECRET),
        ("myapikey", ("myapikey",), Sensitivity.SECRET),
        ("dbpassword", ("dbpassword",), Sensitivity.PASSWORD),
        ("pwd", ("pwd",), Sensitivity.PASSWORD),
        ("auth", ("auth",), Sensitivity.SECRET),
        ("Authorization", ("authorization",), Sensitivity.SECRET),
        ("set-cookie", ("set", "cookie"), Sensitivity.SECRET),
        ("refresh_token", ("refresh", "token"), Sensitivity.SECRET),
        ("max_tokens", ("max", "tokens"), Sensitivity.SECRET),
        ("token_count", ("token", "count"), Sensitivity.METADATA),
        ("authMethod", ("auth", "method"), Sensitivity.METADATA),
        ("password_length", ("password", "length"), Sensitivity.METADATA),
        ("author", ("author",), Sensitivity.NONE),
        ("secretary", ("secretary",), Sensitivity.NONE),
        ("tokenizer", ("tokenizer",), Sensitivity.NONE),
        ("keyboard", ("keyboard",), Sensitivity.NONE),
        ("", (), Sensitivity.NONE),
    ],
)
def test_key_vocabulary(key: str, words: tuple[str, ...], sensitivity: Sensitivity) -> None:
    assert key_words(key) == words
    assert classify_key(key) is sensitivity


def test_metadata_keys_shield_and_secret_keys_cover_what_is_under_them() -> None:
    event = {
        "runtime": "go",
        "credentials": {"type": "basic", "value": {"user": "bob", "pin": 4321, "list": ["a1", 7]}},
        "password": {"algorithm": "bcrypt", "hash": "$2b$12$abc"},
    }
    assert [(f.path, f.kind, f.shown) for f in audit([Event("w", event)])] == [
        ("$.credentials.value.list[0]", "sensitive field `credentials`", "[value redacted, 2 chars]"),
        ("$.password.hash", "sensitive field `password`", "[value redacted, 10 chars]"),
    ]


def test_redact_is_what_audit_reports_and_redacting_twice_changes_nothing() -> None:
    event = {"event": "e", "runtime": "go"}
    for _, fields, _, _ in EVASIONS:
        event.update(fields)
    once = redact(event)
    assert redact(once) == once
    assert audit([Event("w", once)]) == []


#: The review's ReDoS inputs (rows 126-127) and other 1 MB values built against each pattern.
HOSTILE = {
    "a. x40000 (row 126)": "a." * 40_000,
    "user.name x100000 (row 127)": "user.name" * 100_000,
    "a. 1 MB": "a." * 500_000,
    "a@ 1 MB": "a@" * 500_000,
    "labels after @": "@a.a.a.a.a.a.a.a.a.a1" * 50_000,
    "local parts of 64": ("a" * 63 + ".@") * 15_000,
    "e-mail addresses": "x@a.bc " * 150_000,
    "sk- repeated": "sk-" * 340_000,
    "one 1 MB token": "sk-" + "a" * 1_000_000,
    "bearer words": "bearer " * 150_000,
    "JWT starts": "eyJ" * 340_000,
    "key=value pairs": "password=a " * 95_000,
    "stems without separators": "token" * 200_000,
    "harmless pairs": "pass=x&" * 150_000,
    "PEM headers without end": "-----BEGIN RSA PRIVATE KEY-----" * 33_000,
    "base64 words": "QUFBQUFBQUFBQUFBQUFBQQ== " * 40_000,
    "URL userinfo": "a://b:c@" * 125_000,
    "basic words": "Basic QUFBQUFBQUE= " * 53_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_values_take_linear_time(text: str) -> None:
    """A hang guard only (the bound is generous; bench/telemetry.py measures)."""
    event = Event("w", {"event": "e", "runtime": "go", "note": text})
    started = time.perf_counter()
    audit([event])
    redact(event.data)
    assert time.perf_counter() - started < 10


def test_past_max_hits_the_rest_of_a_value_is_hidden_whole() -> None:
    text = "x@a.bc " * (MAX_HITS + 50) + "password=hunter2"
    hits = scan_string(text)
    assert len(hits) == MAX_HITS + 1
    assert hits[-1].kind == f"more than {MAX_HITS} secrets in one value"
    assert hits[-1].end == len(text) and "hunter2" not in json.dumps(redact({"note": text}))


def test_values_nested_deeper_than_the_limit_are_reported_and_hidden() -> None:
    deep: Any = PW
    for _ in range(MAX_DEPTH + 5):
        deep = {"a": deep}
    (finding,) = audit([Event("w", {"runtime": "go", "data": deep})])
    assert (finding.kind, finding.shown) == (f"nested deeper than {MAX_DEPTH} levels", "not audited")
    assert finding.path == "$.data" + ".a" * MAX_DEPTH
    assert PW not in json.dumps(redact(deep))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("[" * 100_000, "not valid JSON: nested too deeply"),
        ('{"n": ' + "9" * 5000 + "}", "not valid JSON: a number too long to read"),
    ],
    ids=["deep", "long number"],
)
def test_unreadable_json_is_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    path = tmp_path / "e.jsonl"
    path.write_text(line + "\n")
    assert cli.main(["telemetry-audit", str(path)]) == 2
    assert capsys.readouterr().err == f"agno-docs telemetry-audit: error: {path}:1: {message}\n"


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (
            {"runtime": "go", "timestamp": 17},
            [("$.timestamp", "not the event format", "expected a string, got an integer")],
        ),
        (
            {"runtime": "go", "data": [1]},
            [("$.data", "not the event format", "expected a mapping, got a list")],
        ),
        ({"attributes": {"runtime": "go"}}, []),
        ({"resource": {"runtime": "go", "service": "x"}}, []),
        ({"attributes": {"runtime": "python"}}, [("$.runtime", "runtime is not go", 'is "python"')]),
        (  # both problems: the runtime one is always reported, then the first other one
            {"data": "x", "timestamp": 1},
            [
                ("$.runtime", "runtime is not go", "missing"),
                ("$.data", "not the event format", "expected a mapping, got a string"),
            ],
        ),
    ],
)
def test_the_event_format(event: dict[str, Any], expected: list[tuple[str, str, str]]) -> None:
    assert [(f.path, f.kind, f.shown) for f in audit([Event("w", event)])] == expected


def test_findings_from_a_url_never_show_its_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text('{"event": "x"}\n')
    with RuntimeServer(snapshot.encode(factories.small()), telemetry=path) as srv:
        host = srv.url.removeprefix("http://")
        url = f"http://user:pw-hunter2@{host}{TELEMETRY_PATH}?token=abc123"
        assert [e.where for e in read_events(url)] == [f"http://{host}{TELEMETRY_PATH}[0]"]
        assert cli.main(["telemetry-audit", url]) == 1
    out, err = capsys.readouterr()
    assert "hunter2" not in out + err and "abc123" not in out + err

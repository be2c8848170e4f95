"""Telemetry audit: detections, redaction (the secret never reaches any output), exit codes, real loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matrix import cli
from matrix.server import RuntimeServer
from matrix.sources import snapshot
from matrix.sources.api import TELEMETRY_PATH
from matrix.telemetry import Event, audit, mask, parse_body, redact
from tests import factories
from tests.evidence.conftest import PLANTED_KEY

AWS = "AKIA" + "ABCDEFGHIJKLMNOP"
GITHUB = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
BEARER = "Bearer " + "eyJhbGciOi.Zm9vYmFy.c2lnbmF0dXJl"
SECRETS = (PLANTED_KEY, AWS, GITHUB, BEARER.split()[1], "hunter2-correct-horse", "alice@example.com")


def events_file(tmp_path: Path) -> Path:
    lines = [
        {"event": "agent.run", "runtime": "go", "data": {"model": "m", "max_tokens": 1024}},
        {"event": "agent.run", "data": {"model": "m"}},
        {"event": "os.launch", "runtime": "python", "data": {"config": {"openai_api_key": PLANTED_KEY}}},
        {"event": "team.run", "attributes": {"runtime": "go"}, "data": {"log": f"using {AWS} and {GITHUB}"}},
        {
            "event": "workflow.run",
            "runtime": "go",
            "data": {
                "headers": {"Authorization": BEARER},
                "password": "hunter2-correct-horse",
                "token": "***",
                "steps": [{"user": "alice@example.com"}],
            },
        },
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    return path


def test_audit_finds_everything_with_event_and_path(tmp_path: Path) -> None:
    path = events_file(tmp_path)
    from matrix.telemetry import read_events

    found = [(f.where.rsplit("/", 1)[-1], f.path, f.kind, f.shown) for f in audit(read_events(str(path)))]
    assert found == [
        ("events.jsonl:2", "$.runtime", "runtime is not go", "missing"),
        ("events.jsonl:3", "$.runtime", "runtime is not go", 'is "python"'),
        ("events.jsonl:3", "$.data.config.openai_api_key", "API key (sk-)", "sk-…[redacted, 54 chars]"),
        ("events.jsonl:4", "$.data.log", "AWS access key", "AKIA…[redacted, 20 chars]"),
        ("events.jsonl:4", "$.data.log", "GitHub token", "ghp_…[redacted, 40 chars]"),
        ("events.jsonl:5", "$.data.headers.Authorization", "bearer token", "Bearer …[redacted, 39 chars]"),
        ("events.jsonl:5", "$.data.password", "sensitive field `password`", "[value redacted, 21 chars]"),
        ("events.jsonl:5", "$.data.steps[0].user", "e-mail address", "[e-mail address redacted, 17 chars]"),
    ]


def test_cli_reports_and_never_prints_a_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = events_file(tmp_path)
    for fmt in ("text", "json"):
        assert cli.main(["telemetry-audit", str(path), "--format", fmt]) == 1
        out, err = capsys.readouterr()
        assert "sk-…[redacted, 54 chars]" in out
        for secret in SECRETS:
            assert secret not in out and secret not in err
        if fmt == "text":
            assert out.splitlines()[-1] == "5 event(s) audited: 8 finding(s) in 4 event(s)"


def test_clean_file_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok.jsonl"
    path.write_text('{"event": "agent.run", "runtime": "go", "data": {"token_count": 3, "secret": ""}}\n')
    assert cli.main(["telemetry-audit", str(path)]) == 0
    assert capsys.readouterr().out == "1 event(s) audited: clean\n"


@pytest.mark.parametrize(
    ("text", "code", "message"),
    [
        (
            '{"event": "a", "runtime": "go"}\n{"event": "b", "api_key": "' + "sk-" + "x" * 30 + '"\n',
            2,
            "{p}:2: not a JSON object: Expecting ',' delimiter (column 62); expected one JSON event per line "
            "(is the file truncated?)",
        ),
        ("[1, 2]\n", 2, "{p}:1: not a JSON object; expected one JSON event per line"),
    ],
)
def test_bad_input_exits_2_without_echoing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, code: int, message: str
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(text, encoding="utf-8")
    assert cli.main(["telemetry-audit", str(path)]) == code
    out, err = capsys.readouterr()
    assert err == f"agno-docs telemetry-audit: error: {message.format(p=path)}\n"
    assert "sk-xxx" not in out + err


def test_unreadable_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["telemetry-audit", "/nonexistent/events.jsonl"]) == 3
    assert capsys.readouterr().err == (
        "agno-docs telemetry-audit: error: /nonexistent/events.jsonl: no such file; "
        "pass a JSON-lines file or the events URL\n"
    )


def test_audit_over_real_loopback_http(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = events_file(tmp_path)
    with RuntimeServer(snapshot.encode(factories.small()), telemetry=path) as srv:
        url = srv.url + TELEMETRY_PATH
        assert cli.main(["telemetry-audit", url]) == 1
        out, err = capsys.readouterr()
        assert f"{url}[2]: $.data.config.openai_api_key: API key (sk-): sk-…[redacted, 54 chars]" in out
        for secret in SECRETS:
            assert secret not in out + err
        assert cli.main(["telemetry-audit", srv.url + "/v1/runtime/go/nothing"]) == 3


@pytest.mark.parametrize(
    ("body", "wheres"),
    [
        ('[{"runtime": "go"}, {"runtime": "go"}]', ["u[0]", "u[1]"]),
        ('{"events": [{"runtime": "go"}]}', ["u[0]"]),
        ('{"runtime": "go"}\n{"runtime": "go"}\n', ["u:1", "u:2"]),
        ('{"runtime": "go"}', ["u[0]"]),
    ],
)
def test_endpoint_body_shapes(body: str, wheres: list[str]) -> None:
    assert [e.where for e in parse_body(body, "u")] == wheres


def test_redact_keeps_shape_and_hides_values() -> None:
    event = {
        "event": "x",
        "data": {
            "password": "pw-123456",
            "note": f"key {PLANTED_KEY} end",
            "n": 3,
            "list": ["alice@example.com"],
        },
    }
    assert redact(event) == {
        "event": "x",
        "data": {
            "password": "[value redacted, 9 chars]",
            "note": "key sk-…[redacted, 54 chars] end",
            "n": 3,
            "list": ["[e-mail address redacted, 17 chars]"],
        },
    }


def test_mask_never_shows_more_than_a_quarter() -> None:
    assert mask("API key", "sk-abcdefgh", 3) == "sk…[redacted, 11 chars]"
    assert mask("value", "abc") == "[value redacted, 3 chars]"


def test_event_name_fallbacks() -> None:
    assert [Event("w", d).name for d in ({"name": "a"}, {"type": "b"}, {"kind": "c"}, {})] == [
        "a",
        "b",
        "c",
        "(unnamed)",
    ]


def test_a_saved_endpoint_body_in_a_json_file(tmp_path: Path) -> None:
    from matrix.telemetry import read_events

    path = tmp_path / "events.json"
    path.write_text('{\n  "events": [\n    {"runtime": "go"},\n    {"runtime": "python"}\n  ]\n}\n')
    found = [(f.where, f.shown) for f in audit(read_events(str(path)))]
    assert found == [(f"{path}[1]", 'is "python"')]

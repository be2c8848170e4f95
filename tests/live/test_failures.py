"""Every way a live fetch fails, over real HTTP on loopback: the exact line, and nothing written.

Each case runs ``agno-docs fetch`` against the reference server with one fault injected (or a
refused port, or a blackhole), and checks the one-line error, exit code 3, and that the
``--out`` file is untouched (absent, or its old bytes when it existed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from matrix.cli import main
from matrix.server import RuntimeServer
from matrix.sources.api import SUPPORT_MATRIX_PATH

HINT_DOWN = "is the runtime running? check AGNO_RUNTIME_URL"
HINT_5XX = "the runtime failed: try again later or check its logs"
HINT_BUSY = "the runtime is busy or starting: try again later"
TOO_BIG = ("the response is larger than the 1 MiB limit; "
           "raise AGNO_RUNTIME_MAX_BYTES if the matrix really is that big")
DEADLINE = "no complete answer within the 1.5 s deadline; check the runtime, or raise AGNO_RUNTIME_DEADLINE"

# (id, fault for the server, expected message after "<url>: ", extra env)
CASES: list[tuple[str, dict[str, Any], str, dict[str, str]]] = [
    ("500", {"status": 500}, f"HTTP 500 Internal Server Error; {HINT_5XX}", {}),
    ("502", {"status": 502}, f"HTTP 502 Bad Gateway; {HINT_5XX}", {}),
    ("503-retry-after", {"status": 503, "retry_after": "1", "times": 3},
     f"HTTP 503 Service Unavailable after 3 attempts; {HINT_BUSY}", {"AGNO_RUNTIME_DEADLINE": "4"}),
    ("503-retry-after-too-long", {"status": 503, "retry_after": "120"},
     "HTTP 503 Service Unavailable: the runtime asks to retry after 120 s, more than the 5 s this client "
     "waits; try again later", {}),
    ("429", {"status": 429}, f"HTTP 429 Too Many Requests after 3 attempts; {HINT_BUSY}", {}),
    ("404", {"status": 404}, "HTTP 404 Not Found; check AGNO_RUNTIME_URL: it should be the runtime's base "
     f"URL (the client adds {SUPPORT_MATRIX_PATH})", {}),
    ("401-no-token", {"status": 401},
     "HTTP 401 Unauthorized; the runtime wants a token: set AGNO_RUNTIME_TOKEN", {}),
    ("403-with-token", {"status": 403},
     "HTTP 403 Forbidden; the runtime refused the token in AGNO_RUNTIME_TOKEN: check or renew it",
     {"AGNO_RUNTIME_TOKEN": "s3cr3t-t0ken"}),
    ("redirect-other-host", {"redirect": "http://203.0.113.9:8080/v1/runtime/go/support-matrix"},
     "redirected to another host (http://203.0.113.9:8080/v1/runtime/go/support-matrix), not followed; "
     "set AGNO_RUNTIME_URL to the runtime itself", {}),
    ("invalid-json", {"body": "malformed"},
     "not valid JSON (JSON is malformed: object keys must be strings (byte 1))", {}),
    ("wrong-schema", {"body": "wrong_schema"}, "", {}),  # message checked below: it names the JSON path
    ("empty-modules", {"body": "empty_modules"}, "", {}),
    ("over-size-limit-declared", {"body": "huge", "huge_bytes": 2 * 1024 * 1024},
     TOO_BIG,
     {"AGNO_RUNTIME_MAX_BYTES": str(1024 * 1024)}),
    ("over-size-limit-streamed", {"body": "huge", "huge_bytes": 2 * 1024 * 1024, "declare_length": False},
     TOO_BIG,
     {"AGNO_RUNTIME_MAX_BYTES": str(1024 * 1024)}),
    ("truncated", {"body": "truncated"},
     "the connection closed before the response was complete; the runtime sent a truncated response: "
     "check its logs", {}),
    ("304-with-empty-cache", {"status": 304},
     "HTTP 304 Not Modified to a request that had nothing to revalidate; the runtime answered a conditional "
     "request that was not sent: check its ETag handling", {}),
    ("read-timeout", {"delay": 2.5}, "", {}),  # needs a read timeout below the deadline: see test below
    ("slow-drip", {"drip": 0.1, "drip_chunk": 8}, DEADLINE, {}),
]
SPECIAL = {
    "wrong-schema": "at $.modules[0].status: Invalid enum value 'ported'",
    "empty-modules": "at $: `modules` is empty: a matrix without modules is a failed source, not data",
}


def _fetch(url: str, out: Path, capsys: pytest.CaptureFixture[str], deadline: str = "1.5") -> tuple[int, str]:
    code = main(["fetch", "--url", url, "--out", str(out), "--deadline", deadline])
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


@pytest.fixture(params=["absent", "existing"])
def out(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "site" / "snapshot.json"
    if request.param == "existing":
        path.parent.mkdir()
        path.write_bytes(b"old bytes\n")
    return path


def _unchanged(out: Path) -> bool:
    siblings = sorted(p.name for p in out.parent.iterdir()) if out.parent.exists() else []
    if out.exists():
        return out.read_bytes() == b"old bytes\n" and siblings == [out.name]
    return siblings == []


@pytest.mark.parametrize(("case", "fault", "message", "env"), [c for c in CASES if c[0] != "read-timeout"],
                         ids=[c[0] for c in CASES if c[0] != "read-timeout"])
def test_fault(case: str, fault: dict[str, Any], message: str, env: dict[str, str], server: RuntimeServer,
               out: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    server.faults.set(**fault)
    url = server.url + SUPPORT_MATRIX_PATH
    code, err = _fetch(server.url, out, capsys, env.get("AGNO_RUNTIME_DEADLINE", "1.5"))
    expected = f"{url} {SPECIAL[case]}" if case in SPECIAL else f"{url}: {message}"
    assert err == f"agno-docs fetch: error: {expected}\n"
    assert code == 3
    assert _unchanged(out)
    assert "s3cr3t-t0ken" not in err


def test_503_retry_after_is_honoured_then_succeeds(server: RuntimeServer, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    server.faults.set(status=503, retry_after="1", times=1)
    code, err = _fetch(server.url, tmp_path / "s.json", capsys, "4")
    assert code == 0, err
    assert [r.path for r in server.requests] == [SUPPORT_MATRIX_PATH] * 2


def test_read_timeout(server: RuntimeServer, out: Path, capsys: pytest.CaptureFixture[str],
                      monkeypatch: pytest.MonkeyPatch) -> None:
    # The client's read timeout is 5 s; with a 1.5 s deadline the deadline caps it. Shrink the
    # policy's read timeout so a 1 s silence is a read timeout well inside a 3 s deadline.
    from matrix.sources import api

    monkeypatch.setattr(api.Policy, "from_settings",
                        classmethod(lambda cls, s: cls(deadline=s.deadline, read=0.5, max_bytes=s.max_bytes)))
    server.faults.set(delay=1.0)
    code, err = _fetch(server.url, out, capsys, "3")
    assert err == (f"agno-docs fetch: error: {server.url}{SUPPORT_MATRIX_PATH}: no data for 0.5 s "
                   "(read timeout); the runtime is stalled: check it\n")
    assert code == 3
    assert _unchanged(out)


def test_refused_connection(refused_url: str, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _fetch(refused_url, out, capsys)
    assert err == (f"agno-docs fetch: error: {refused_url}{SUPPORT_MATRIX_PATH}: connection refused "
                   f"after 3 attempts; {HINT_DOWN}\n")
    assert code == 3
    assert _unchanged(out)


def test_connect_timeout(blackhole_url: str, out: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    from matrix.sources import api

    monkeypatch.setattr(api.Policy, "from_settings",
                        classmethod(lambda cls, s: cls(deadline=s.deadline, connect=0.3,
                                                       max_bytes=s.max_bytes)))
    code, err = _fetch(blackhole_url, out, capsys, "3")
    assert err == (f"agno-docs fetch: error: {blackhole_url}{SUPPORT_MATRIX_PATH}: connect timed out (0.3 s) "
                   f"after 3 attempts; {HINT_DOWN}\n")
    assert code == 3
    assert _unchanged(out)


def test_connect_timeout_past_the_deadline(blackhole_url: str, out: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _fetch(blackhole_url, out, capsys, "0.5")
    assert err == (f"agno-docs fetch: error: {blackhole_url}{SUPPORT_MATRIX_PATH}: no complete answer within "
                   "the 0.5 s deadline; check the runtime, or raise AGNO_RUNTIME_DEADLINE\n")
    assert code == 3
    assert _unchanged(out)




def test_503_whose_retry_would_pass_the_deadline_reports_the_503(server: RuntimeServer, out: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    server.faults.set(status=503, retry_after="1")
    code, err = _fetch(server.url, out, capsys, "1.5")
    assert err == (f"agno-docs fetch: error: {server.url}{SUPPORT_MATRIX_PATH}: HTTP 503 Service Unavailable "
                   f"after 2 attempts; {HINT_BUSY}\n")
    assert code == 3
    assert _unchanged(out)

"""The client's decisions over a scripted exchange (no network): statuses, retries, redirects, 304.

Each case scripts the answers, runs :func:`fetch_matrix` with a recording ``sleep``, and checks the
outcome (the matrix, or the exact one-line error), every request made, and every wait.
Timeouts and slow peers are tested over real sockets in ``test_deadline.py`` and ``test_failures.py``.
"""

# ruff: noqa: E501  (tables of exact messages read better unbroken)

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from matrix import _net
from matrix._net import Response
from matrix.errors import SourceError
from matrix.sources import snapshot
from matrix.sources.api import SUPPORT_MATRIX_PATH, Fetched, Known, Policy, fetch_matrix
from tests import factories

URL = "http://rt.test:8765" + SUPPORT_MATRIX_PATH
GOOD = snapshot.encode(factories.small())
BUSY = "the runtime is busy or starting: try again later"
DOWN = "is the runtime running? check AGNO_RUNTIME_URL"
BROKEN = "a redirect whose Location is not a valid http(s) URL"
BROKEN_HINT = "the server sent a broken redirect: check its configuration"

Answer = Response | Exception


def ok(**headers: str) -> Response:
    return Response.of(200, {"Content-Length": str(len(GOOD)), **headers}, GOOD)


def status(code: int, **headers: str) -> Response:
    return Response.of(code, {k.replace("_", "-"): v for k, v in headers.items()}, b'{"error": "x"}')


def to(location: str | None, code: int = 302) -> Response:
    return Response.of(code, {} if location is None else {"Location": location})


DEFAULT = Policy()


@dataclasses.dataclass(frozen=True)
class Sent:
    """One request the client made: where, and with which headers (lower-case names)."""

    url: str
    headers: Mapping[str, str]


def _run(answers: list[Answer], *, known: Known | None = None, token: str | None = None,
         policy: Policy = DEFAULT) -> tuple[Fetched | SourceError, list[Sent], list[float]]:
    seen: list[Sent] = []
    slept: list[float] = []
    script = iter(answers)

    @contextlib.contextmanager
    def exchange(method: str, url: _net.Url, *, headers: Mapping[str, str], deadline: _net.Deadline,
                 timeouts: _net.Timeouts, body: bytes | None = None) -> Iterator[Response]:
        assert (method, body) == ("GET", None)
        seen.append(Sent(str(url), {k.lower(): v for k, v in headers.items()}))
        answer = next(script)
        if isinstance(answer, Exception):
            raise answer
        yield answer

    try:
        result: Fetched | SourceError = fetch_matrix(URL, token=token, policy=policy, known=known,
                                                     exchange=exchange, sleep=slept.append)
    except SourceError as exc:
        result = exc
    assert next(script, None) is None, "an answer was left unused"
    return result, seen, slept


# (id, answers, expected error after "<url>: " or None for success, expected waits)
CASES: list[tuple[str, list[Answer], str | None, list[float]]] = [
    ("200", [ok()], None, []),
    ("503-then-200", [status(503), ok()], None, [0.2]),
    ("429-then-503-then-200-backs-off", [status(429), status(503), ok()], None, [0.2, 0.4]),
    ("503-retry-after-1", [status(503, retry_after="1"), ok()], None, [1.0]),
    ("503-retry-after-past-date", [status(503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"), ok()], None, [0.0]),
    ("503-retry-after-junk-backs-off", [status(503, retry_after="soon"), ok()], None, [0.2]),
    ("503-three-times", [status(503)] * 3, f"HTTP 503 Service Unavailable after 3 attempts; {BUSY}", [0.2, 0.4]),
    ("429-retry-after-too-long", [status(429, retry_after="120")],
     "HTTP 429 Too Many Requests: the runtime asks to retry after 120 s, more than the 5 s this client "
     "waits; try again later", []),
    ("500-not-retried", [status(500)],
     "HTTP 500 Internal Server Error; the runtime failed: try again later or check its logs", []),
    ("418", [status(418)], "HTTP 418 I'm a Teapot; the runtime did not serve the support matrix", []),
    ("599-unknown-status", [status(599)], "HTTP 599; the runtime failed: try again later or check its logs", []),
    ("404", [status(404)], "HTTP 404 Not Found; check AGNO_RUNTIME_URL: it should be the runtime's base URL "
     f"(the client adds {SUPPORT_MATRIX_PATH})", []),
    ("401-no-token", [status(401)], "HTTP 401 Unauthorized; the runtime wants a token: set AGNO_RUNTIME_TOKEN",
     []),
    ("304-nothing-known", [status(304)], "HTTP 304 Not Modified to a request that had nothing to revalidate; "
     "the runtime answered a conditional request that was not sent: check its ETag handling", []),
    ("302-same-origin", [to("/moved"), ok()], None, []),
    ("307-absolute-same-origin", [to("http://rt.test:8765/other", 307), ok()], None, []),
    ("302-other-port", [to("http://rt.test:9999/x")],
     "redirected to another host (http://rt.test:9999/x), not followed; set AGNO_RUNTIME_URL to the runtime "
     "itself", []),
    ("302-to-https", [to("https://rt.test:8765/x")],
     "redirected to another host (https://rt.test:8765/x), not followed; set AGNO_RUNTIME_URL to the runtime "
     "itself", []),
    ("302-secret-in-location-not-shown", [to("http://u:pw@other.test/x?token=abc")],
     "redirected to another host (http://other.test/x), not followed; set AGNO_RUNTIME_URL to the runtime "
     "itself", []),
    ("302-without-location", [to(None)],
     "HTTP 302 Found without a Location header; the server redirected without saying where: check its "
     "configuration", []),
    ("302-blank-location", [to("  ")],
     "HTTP 302 Found without a Location header; the server redirected without saying where: check its "
     "configuration", []),
    ("302-unparsable-location", [to("http://[::1")],
     f"{BROKEN} (HTTP 302 Found); {BROKEN_HINT}", []),
    ("301-ftp-location", [to("ftp://rt.test/x", 301)],
     f"{BROKEN} (HTTP 301 Moved Permanently); {BROKEN_HINT}", []),
    ("redirect-loop", [to("/a"), to("/b"), to("/a"), to("/b")], "more than 3 redirects; set AGNO_RUNTIME_URL "
     "to the final URL", []),
    ("redirect-then-503-then-200", [to("/a"), status(503), ok()], None, [0.2]),
    ("connect-refused-three-times", [_net.ConnectFailed("[Errno 111] Connection refused")] * 3,
     f"connection refused after 3 attempts; {DOWN}", [0.2, 0.4]),
    ("connect-refused-then-200", [_net.ConnectFailed("[Errno 111] Connection refused"), ok()], None, [0.2]),
    ("dns-failure", [_net.ConnectFailed("[Errno -2] Name or service not known")] * 3,
     f"cannot connect (Name or service not known) after 3 attempts; {DOWN}", [0.2, 0.4]),
    ("connect-timeout", [_net.ConnectTimedOut("timed out")] * 3, f"connect timed out (3 s) after 3 attempts; "
     f"{DOWN}", [0.2, 0.4]),
    ("read-timeout-not-retried", [_net.ReadTimedOut("timed out")],
     "no data for 5 s (read timeout); the runtime is stalled: check it", []),
    ("closed-early", [_net.Truncated("Remote end closed connection without response")],
     "the connection closed before the response was complete; the runtime sent a truncated response: "
     "check its logs", []),
    ("not-http", [_net.NotHttp("BadStatusLine")],
     "the answer is not valid HTTP/1.1; is this an HTTP server? check AGNO_RUNTIME_URL", []),
    ("declared-too-big", [Response.of(200, {"Content-Length": str(257 * 2**20)}, b"x")],
     "the response is larger than the 256 MiB limit; raise AGNO_RUNTIME_MAX_BYTES if the matrix really is "
     "that big", []),
    ("not-json", [Response.of(200, {}, b"<html>login</html>")],
     "not valid JSON (JSON is malformed: invalid character (byte 0))", []),
]


@pytest.mark.parametrize(("case", "answers", "error", "waits"), CASES, ids=[c[0] for c in CASES])
def test_decision(case: str, answers: list[Answer], error: str | None, waits: list[float]) -> None:
    result, seen, slept = _run(answers)
    if error is None:
        assert isinstance(result, Fetched) and result.matrix == factories.small(), result
    else:
        assert str(result) == f"{URL}: {error}"
    assert len(seen) == len(answers)
    assert slept == waits


def test_redirects_keep_the_origin_and_the_headers() -> None:
    result, seen, _ = _run([to("/moved?x=1"), ok(etag='"e1"')], token="tok")
    assert isinstance(result, Fetched) and result.etag == '"e1"'
    assert [r.url for r in seen] == [URL, "http://rt.test:8765/moved?x=1"]
    assert {r.headers["authorization"] for r in seen} == {"Bearer tok"}
    assert {r.headers["accept"] for r in seen} == {"application/json"}


def test_304_reuses_the_known_copy_and_sends_if_none_match() -> None:
    known = Known(etag='"abc"', body=GOOD)
    result, seen, _ = _run([status(304)], known=known)
    assert isinstance(result, Fetched) and result.not_modified and result.body == GOOD
    assert seen[0].headers["if-none-match"] == '"abc"'


def test_a_streamed_body_past_the_limit_stops_reading() -> None:
    chunks_read: list[int] = []

    def body() -> Any:
        for i in range(100):
            chunks_read.append(i)
            yield b" " * 1024

    answer = Response.of(200, {}, body())
    result, _, _ = _run([answer], policy=Policy(max_bytes=10 * 1024))
    assert str(result).endswith("the response is larger than the 10 KiB limit; raise AGNO_RUNTIME_MAX_BYTES "
                                "if the matrix really is that big")
    assert len(chunks_read) == 11


def test_no_retry_when_the_wait_would_pass_the_deadline() -> None:
    result, seen, slept = _run([status(503, retry_after="2")], policy=Policy(deadline=1.0))
    assert str(result) == f"{URL}: HTTP 503 Service Unavailable; {BUSY}"
    assert (len(seen), slept) == (1, [])


def test_the_token_never_reaches_an_error() -> None:
    for answers in ([status(401)], [status(403)], [_net.ConnectFailed("refused")] * 3):
        result, _, _ = _run(answers, token="s3cret-tok")
        assert isinstance(result, SourceError) and "s3cret-tok" not in str(result)


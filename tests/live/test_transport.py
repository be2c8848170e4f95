"""The client's transport over real sockets: bodies (gzip, chunked, limits), TLS, proxies, headers, URLs.

``matrix._net`` speaks HTTP/1.1 through :mod:`http.client`; these cases pin what it does with
what a runtime (or a proxy) may really send, each with the exact one-line outcome.
"""

# ruff: noqa: E501  (tables of exact messages read better unbroken)

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from matrix import _net
from matrix.cli import main
from matrix.errors import SourceError, UsageError
from matrix.settings import DEFAULT_MAX_BYTES, Settings
from matrix.sources import api, load, snapshot
from tests import factories
from tests.live.hostile import Hostile
from tests.live.peers import ConnectProxy, Scripted, TlsRuntime, certificate, chunks

GOOD = snapshot.encode(factories.small())
EP = "/v1/runtime/go/support-matrix"
TOO_BIG = "the response is larger than the 1 MiB limit; raise AGNO_RUNTIME_MAX_BYTES if the matrix really is that big"


def _load(url: str, tmp_path: Path, **kw: object) -> object:
    api.clear_memo()
    return load(Settings.from_env({}, source="api", runtime_url=url, cache_dir=tmp_path / "cache", deadline=3,
                                  require_live=True, **kw)).matrix


def _error(url: str, tmp_path: Path, **kw: object) -> str:
    with pytest.raises(SourceError) as info:
        _load(url, tmp_path, **kw)
    return str(info.value)


def test_the_default_ceiling_is_256_mib() -> None:
    assert DEFAULT_MAX_BYTES == 256 * 2**20 == Settings().max_bytes == api.Policy().max_bytes
    assert Settings.from_env({"AGNO_RUNTIME_MAX_BYTES": "1048576"}).max_bytes == 2**20


# (id, answers from the server, max_bytes, expected error after "<url>: ", or None: the matrix arrives)
BODIES: list[tuple[str, list[tuple[int, dict[str, str], bytes | list[bytes]]], int | None, str | None]] = [
    ("identity", [(200, {}, GOOD)], None, None),
    ("chunked", [(200, {}, list(chunks(GOOD, 1000)))], None, None),
    ("gzip", [(200, {"Content-Encoding": "gzip"}, gzip.compress(GOOD))], None, None),
    ("gzip-chunked", [(200, {"Content-Encoding": "gzip"}, list(chunks(gzip.compress(GOOD), 100)))], None, None),
    ("declared-over-the-limit", [(200, {}, b" " * (2**20 + 1))], 2**20, TOO_BIG),
    ("chunked-over-the-limit", [(200, {}, [b" " * 65536] * 17)], 2**20, TOO_BIG),
    ("gzip-bomb", [(200, {"Content-Encoding": "gzip"}, gzip.compress(b" " * 64 * 2**20))], 2**20, TOO_BIG),
    ("gzip-within-the-limit-decoded-past-it", [(200, {"Content-Encoding": "gzip"}, gzip.compress(GOOD))], len(GOOD) - 1,
     f"the response is larger than the {len(GOOD) - 1} bytes limit; raise AGNO_RUNTIME_MAX_BYTES if the matrix really is that big"),
    ("gzip-corrupt", [(200, {"Content-Encoding": "gzip"}, b"\x1f\x8b\x08\x00garbage-garbage")], None,
     "the gzip body is corrupt; ask the runtime for an identity or gzip body"),
    ("gzip-cut-short", [(200, {"Content-Encoding": "gzip"}, gzip.compress(GOOD)[:-20])], None,
     "the connection closed before the response was complete; the runtime sent a truncated response: check its logs"),
    ("brotli", [(200, {"Content-Encoding": "br"}, b"\x0b\x02\x80{}\x03")], None,
     "the body is encoded as 'br', which this client does not read; ask the runtime for an identity or gzip body"),
]


@pytest.mark.parametrize(("case", "answers", "limit", "error"), BODIES, ids=[b[0] for b in BODIES])
def test_body(case: str, answers: list[tuple[int, dict[str, str], bytes | list[bytes]]], limit: int | None,
              error: str | None, tmp_path: Path) -> None:
    kw = {"max_bytes": limit} if limit else {}
    with Scripted(answers) as srv:
        if error is None:
            assert _load(srv.url, tmp_path, **kw) == factories.small()
        else:
            assert _error(srv.url, tmp_path, **kw) == f"{srv.url}{EP}: {error}"
        assert srv.requests[0]["accept-encoding"] == "gzip"


def test_a_304_body_is_never_read_whatever_its_encoding(tmp_path: Path) -> None:
    answers: list[tuple[int, dict[str, str], bytes | list[bytes]]] = [
        (200, {"ETag": '"e"'}, GOOD), (304, {"ETag": '"e"', "Content-Encoding": "br"}, b"")]
    with Scripted(answers) as srv:
        assert _load(srv.url, tmp_path) == _load(srv.url, tmp_path) == factories.small()
    assert [r.get("if-none-match") for r in srv.requests] == [None, '"e"']


HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
RAW: list[tuple[str, bytes, str]] = [
    ("chunked-cut-inside-a-chunk", HEAD + b"Transfer-Encoding: chunked\r\n\r\n400\r\n" + GOOD[:100],
     "the connection closed before the response was complete; the runtime sent a truncated response: check its logs"),
    ("length-cut-short", HEAD + b"Content-Length: 5000\r\n\r\n" + GOOD[:100],
     "the connection closed before the response was complete; the runtime sent a truncated response: check its logs"),
    ("closed-without-an-answer", b"",
     "the connection closed before the response was complete; the runtime sent a truncated response: check its logs"),
    ("status-line-not-http", b"SSH-2.0-OpenSSH_9.2\r\n\r\n",
     "the answer is not valid HTTP/1.1; is this an HTTP server? check AGNO_RUNTIME_URL"),
    ("a-header-line-over-64-kib", b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 70000 + b"\r\n\r\n",
     "the answer is not valid HTTP/1.1; is this an HTTP server? check AGNO_RUNTIME_URL"),
    ("over-100-headers", b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * 101 + b"\r\n",
     "the answer is not valid HTTP/1.1; is this an HTTP server? check AGNO_RUNTIME_URL"),
    ("redirect-with-a-broken-location", b"HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n",
     "a redirect whose Location is not a valid http(s) URL (HTTP 302 Found); the server sent a broken redirect: check its configuration"),
]


@pytest.mark.parametrize(("case", "payload", "error"), RAW, ids=[r[0] for r in RAW])
def test_raw_answer(case: str, payload: bytes, error: str, tmp_path: Path) -> None:
    with Hostile("raw", payload=payload) as peer:
        assert _error(peer.url, tmp_path) == f"{peer.url}{EP}: {error}"


def test_the_request_carries_what_it_should_and_nothing_else(tmp_path: Path) -> None:
    with Scripted([(200, {}, GOOD)]) as srv:
        _load(srv.url + "/?q=1", tmp_path, token="tok-1")
    (sent,) = srv.requests
    assert sent == {"host": f"127.0.0.1:{srv.port}", "user-agent": _net.USER_AGENT, "accept-encoding": "gzip",
                    "accept": "application/json", "authorization": "Bearer tok-1"}


@pytest.mark.parametrize("token", ["tok\nInjected: 1", "tok en", "tok\u00e9"])
def test_a_token_a_header_cannot_carry_is_a_usage_error_that_never_shows_it(token: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        _load("http://127.0.0.1:9", tmp_path, token=token)
    assert str(info.value) == ("AGNO_RUNTIME_TOKEN holds a character an HTTP header cannot carry (a space, a "
                               "line break or a non-ASCII letter); set it to the token alone")


@pytest.fixture
def tls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    cert, key = certificate(tmp_path)
    _net._ssl_context.cache_clear()
    yield cert, key
    _net._ssl_context.cache_clear()


def test_https_with_a_trusted_certificate_revalidates_with_a_304(tls: tuple[Path, Path], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls[0]))
    with TlsRuntime(GOOD, *tls) as rt:
        url = f"https://127.0.0.1:{rt.port}"
        assert _load(url, tmp_path) == factories.small()
        assert _load(url, tmp_path) == factories.small()
    assert rt.requests == [None, snapshot_etag()]


def snapshot_etag() -> str:
    from matrix.server import etag_of

    return etag_of(GOOD)


def test_https_with_an_untrusted_certificate_fails_at_once(tls: tuple[Path, Path], tmp_path: Path) -> None:
    with TlsRuntime(GOOD, *tls) as rt:
        error = _error(f"https://127.0.0.1:{rt.port}", tmp_path)
    assert re.fullmatch(rf"https://127\.0\.0\.1:{rt.port}{EP}: the TLS handshake failed \(self[- ]signed "
                        r"certificate\); check the runtime's certificate \(SSL_CERT_FILE names a CA bundle to "
                        r"trust\)", error), error
    assert (rt.connections, rt.requests) == (1, [])  # not retried: it would fail the same way


def test_an_https_runtime_through_an_http_proxy_is_a_tunnel(tls: tuple[Path, Path], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tls[0]))
    for var in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(var, raising=False)
    with TlsRuntime(GOOD, *tls) as rt, ConnectProxy(rt.port) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url.replace("http://", "http://me:p%40ss@"))
        assert _load("https://runtime.test", tmp_path) == factories.small()
    head = proxy.requests[0].decode()
    assert head.startswith("CONNECT runtime.test:443 HTTP/1.1\r\nHost: runtime.test:443\r\n")
    assert "\r\nProxy-Authorization: Basic bWU6cEBzcw==" in head  # me:p@ss
    assert rt.requests == [None]


def test_a_proxy_that_refuses_the_tunnel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    with ConnectProxy(9, status=407) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        assert _error("https://runtime.test", tmp_path) == (
            f"https://runtime.test{EP}: the proxy refused a tunnel (HTTP 407 Proxy Authentication Required); "
            "check HTTPS_PROXY / ALL_PROXY, or list the host in NO_PROXY")


def test_an_https_proxy_for_an_https_runtime_is_refused_in_one_line(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "https://user:secret@proxy.test:3128")
    with pytest.raises(UsageError) as info:
        _load("https://runtime.test", tmp_path)
    assert str(info.value) == ("the proxy 'https://proxy.test:3128' is an https:// proxy, which agno-docs uses "
                               "for http:// runtimes only; give the proxy as http://...: the tunnel to an https "
                               "runtime is encrypted end to end either way")


# (raw, parsed as str, or the UsageError's words after "runtime URL '<shown>' ")
URLS: list[tuple[str, str]] = [
    ("http://H:8/p?q=1#f", "http://h:8/p?q=1"),
    ("https://[::1]:8443/x", "https://[::1]:8443/x"),
    ("http://bücher.example/ä b", "http://xn--bcher-kva.example/%C3%A4%20b"),
    ("http://h:/x", "http://h/x"),
    ("http://u:pw@h/x", "http://h/x"),
    ("http://h:0/", "has a port outside 1-65535"),
    ("http://h:x/", "is not a valid URL"),
    ("http://[fe80::zz]/", "is not a valid URL"),
    ("http://a b/", "is not a valid URL"),
    ("http://h/\r\nX: 1", "is not a valid URL"),
    ("file:///etc/passwd", "is not an http(s) URL"),
    ("http:///x", "has no host"),
]


@pytest.mark.parametrize(("raw", "expected"), URLS)
def test_url(raw: str, expected: str) -> None:
    try:
        got = str(_net.http_url(raw, what="runtime URL", hint="h"))
    except UsageError as exc:
        got = str(exc).split("' ", 1)[1].removesuffix("; h")
    assert got == expected


def test_fetch_of_a_large_matrix_streams_it_within_the_ceiling(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Over the old 16 MiB limit (the real matrix reaches it at about 27,000 modules), chunked: fetched,
    validated and written."""
    base = factories.small()
    many = factories.matrix(*(factories.module(f"tools.t{i}") for i in range(36000)), families=base.families)
    body = snapshot.encode(many)
    assert len(body) > 16 * 2**20
    out = tmp_path / "big.json"
    with Scripted([(200, {"ETag": '"big"'}, list(chunks(body, 1 << 20)))]) as srv:
        assert main(["fetch", "--url", srv.url, "--out", str(out), "--deadline", "60"]) == 0
    assert out.read_bytes() == body
    assert capsys.readouterr().err.startswith(f"wrote {out}: 36000 modules")

"""The live source end to end over loopback: success, 304 reuse, memo, token hygiene, fallback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from matrix.cli import main
from matrix.errors import SourceError, UsageError
from matrix.model import SourceKind
from matrix.render.live import banner
from matrix.server import RuntimeServer
from matrix.settings import Settings
from matrix.sources import Loaded, load, snapshot
from matrix.sources.api import SUPPORT_MATRIX_PATH, display_url, endpoint_url
from tests import factories

TOKEN = "tok-9f8e7d6c5b4a"


def _settings(url: str, tmp_path: Path, **kw: object) -> Settings:
    return Settings.from_env(source="api", runtime_url=url, cache_dir=tmp_path / "cache", deadline=1.5, **kw)


def test_success_then_one_304_per_revalidation(server: RuntimeServer, tmp_path: Path, body: bytes) -> None:
    first = load(_settings(server.url, tmp_path))
    assert first.stale is None
    assert first.matrix == factories.small()
    second = load(_settings(server.url, tmp_path))
    assert second is first  # the process memo, revalidated
    assert [r.if_none_match for r in server.requests] == [None, server.etag]


def test_on_disk_cache_makes_a_new_process_cost_one_304(server: RuntimeServer, tmp_path: Path) -> None:
    from matrix.sources import api

    load(_settings(server.url, tmp_path))
    api.clear_memo()  # as if a new process
    again = load(_settings(server.url, tmp_path))
    assert again.matrix == factories.small()
    assert [r.if_none_match for r in server.requests] == [None, server.etag]


def test_a_changed_matrix_is_downloaded_again(server: RuntimeServer, tmp_path: Path) -> None:
    load(_settings(server.url, tmp_path))
    newer = factories.matrix(factories.module("tools.calculator"), factories.module("tools.wiki"))
    server.set_matrix(snapshot.encode(newer))
    assert load(_settings(server.url, tmp_path)).matrix == newer


def test_same_origin_redirect_is_followed(server: RuntimeServer, tmp_path: Path) -> None:
    server.faults.set(redirect=server.url + SUPPORT_MATRIX_PATH + "/", times=1)
    assert load(_settings(server.url, tmp_path)).stale is None


def test_token_is_sent_as_bearer_and_appears_nowhere_else(
    body: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AGNO_RUNTIME_TOKEN", TOKEN)
    with RuntimeServer(body, token=TOKEN) as srv:
        out = tmp_path / "snap.json"
        assert main(["fetch", "--url", srv.url, "--out", str(out)]) == 0
        loaded = load(_settings(srv.url, tmp_path))
        srv.stop()
        stale = load(_settings(srv.url, tmp_path))  # now failing: the reason must not carry it either
    assert {r.authorization for r in srv.requests} == {f"Bearer {TOKEN}"}
    assert loaded.stale is None and stale.stale is not None
    assert TOKEN not in stale.stale.reason and TOKEN not in banner(stale)
    assert TOKEN not in repr(_settings(srv.url, tmp_path))
    captured = capsys.readouterr()
    assert TOKEN not in captured.out + captured.err + caplog.text
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any("cache" in p.parts for p in files)
    for p in files:
        assert TOKEN.encode() not in p.read_bytes(), p


def test_wrong_token_names_the_variable_never_the_value(body: bytes, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGNO_RUNTIME_TOKEN", TOKEN)
    with RuntimeServer(body, token="another") as srv, pytest.raises(SourceError) as info:
        load(_settings(srv.url, tmp_path, require_live=True))
    assert str(info.value) == (f"{srv.url}{SUPPORT_MATRIX_PATH}: HTTP 401 Unauthorized; the runtime refused "
                               "the token in AGNO_RUNTIME_TOKEN: check or renew it")


def test_fallback_uses_the_last_fetched_matrix_with_a_banner(server: RuntimeServer, tmp_path: Path) -> None:
    from matrix.sources import api

    good = load(_settings(server.url, tmp_path))
    api.clear_memo()  # a later build, in a new process
    server.faults.set(status=500)
    data = load(_settings(server.url, tmp_path))
    url = f"{server.url}{SUPPORT_MATRIX_PATH}"
    reason = f"{url}: HTTP 500 Internal Server Error; the runtime failed: try again later or check its logs"
    assert data.matrix == good.matrix
    assert data.stale is not None
    assert (data.stale.reason, data.stale.url, data.stale.since) == (reason, url, factories.WHEN)
    html = banner(data, now=datetime(2026, 11, 4, 13, 0, tzinfo=UTC))
    assert html == (
        '<div class="agno-stale" role="status" data-stale-since="2026-11-01T12:00:00+00:00">'
        f"<strong>Stale data:</strong> the live support matrix could not be read from <code>{url}</code>. "
        "This page shows the last good snapshot, generated 2026-11-01 12:00 UTC (3 days ago). "
        f'<span class="agno-stale__reason">Reason: {reason}</span></div>'
    )


def test_fallback_without_cache_uses_the_configured_snapshot(refused_url: str, tmp_path: Path) -> None:
    snap = tmp_path / "committed.json"
    snapshot.dump(factories.small(), snap)
    data = load(_settings(refused_url, tmp_path, snapshot=snap))
    assert data.matrix == factories.small()
    assert data.stale is not None
    assert data.stale.reason == (f"{refused_url}{SUPPORT_MATRIX_PATH}: connection refused after 3 attempts; "
                                 "is the runtime running? check AGNO_RUNTIME_URL")


def test_no_last_good_snapshot_at_all_is_an_error(refused_url: str, tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        load(_settings(refused_url, tmp_path, snapshot=tmp_path / "none.json"))
    assert str(info.value) == (
        f"{refused_url}{SUPPORT_MATRIX_PATH}: connection refused after 3 attempts; is the runtime running? "
        f"check AGNO_RUNTIME_URL (and no last good snapshot: {tmp_path / 'none.json'}: no such snapshot "
        "file; pass an existing file or run `agno-docs compute`/`fetch` to make one)")


def test_require_live_fails_with_the_banner_line(server: RuntimeServer, tmp_path: Path) -> None:
    load(_settings(server.url, tmp_path))  # a good copy exists, and still must not be used
    server.faults.set(body="empty_modules")
    with pytest.raises(SourceError) as info:
        load(_settings(server.url, tmp_path, require_live=True))
    assert str(info.value) == (f"{server.url}{SUPPORT_MATRIX_PATH} at $: `modules` is empty: a matrix "
                               "without modules is a failed source, not data")
    assert load(_settings(server.url, tmp_path)).stale.reason == str(info.value)  # type: ignore[union-attr]


@pytest.mark.parametrize(("url", "message"), [
    (None, "AGNO_MATRIX_SOURCE=api but AGNO_RUNTIME_URL is not set; set it (or --url) to the runtime's base "
           "URL, e.g. http://127.0.0.1:8765"),
    ("ftp://x/y", "runtime URL 'ftp://x/y' is not an http(s) URL; set AGNO_RUNTIME_URL (or --url) to the "
                  "runtime's base URL, e.g. http://127.0.0.1:8765"),
])
def test_configuration_errors_are_usage_errors(url: str | None, message: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        load(Settings(source=SourceKind.API, runtime_url=url, cache_dir=tmp_path))
    assert str(info.value) == message


@pytest.mark.parametrize(("base", "endpoint"), [
    ("http://h:1", "http://h:1/v1/runtime/go/support-matrix"),
    ("http://h:1/", "http://h:1/v1/runtime/go/support-matrix"),
    ("https://h/api/", "https://h/api/v1/runtime/go/support-matrix"),
    ("http://h:1/v1/runtime/go/support-matrix", "http://h:1/v1/runtime/go/support-matrix"),
])
def test_endpoint_url(base: str, endpoint: str) -> None:
    assert endpoint_url(base) == endpoint


@pytest.mark.parametrize(("url", "shown"), [
    ("http://user:pw@h:8/p?token=x", "http://h:8/p"),
    ("https://user:pw@[::1]:8443/v1/x?token=x#frag", "https://[::1]:8443/v1/x"),
    ("http://h/p?token=x", "http://h/p"),
    # unparsable: scrubbed as text, never echoed whole
    ("http://user:pw-hunter2@[::1/x?token=abc", "http://[::1/x"),
    ("user:pw@host/x?q=1", "host/x"),
    ("http://h/\nforged line", "http://h/?forged?line"),
])
def test_display_url_drops_credentials_and_query(url: str, shown: str) -> None:
    assert display_url(url) == shown


def test_cli_source_flags_reach_the_api(server: RuntimeServer, capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    from matrix.commands._source import add_source_arguments, load_from_args

    parser = argparse.ArgumentParser()
    add_source_arguments(parser)
    loaded = load_from_args(parser.parse_args(["--source", "api", "--url", server.url, "--deadline", "2"]))
    assert isinstance(loaded, Loaded) and loaded.stale is None
    server.faults.set(status=502)
    load_from_args(parser.parse_args(["--source", "api", "--url", server.url]))
    assert capsys.readouterr().err == (f"warning: stale data: {server.url}{SUPPORT_MATRIX_PATH}: HTTP 502 "
                                       "Bad Gateway; the runtime failed: try again later or check its logs\n")


def test_fetch_writes_a_validated_snapshot(server: RuntimeServer, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "snap.json"
    out.write_bytes(b"old")
    assert main(["fetch", "--url", server.url, "--out", str(out)]) == 0
    assert snapshot.load(out) == factories.small()
    assert capsys.readouterr().err == (f"wrote {out}: 6 modules, runtime v0.0.1, "
                                       "generated 2026-11-01T12:00:00+00:00\n")


@pytest.mark.parametrize(("var", "raw", "message"), [
    ("AGNO_RUNTIME_DEADLINE", "soon",
     "AGNO_RUNTIME_DEADLINE='soon' is not a positive number of seconds; use e.g. 10"),
    ("AGNO_RUNTIME_DEADLINE", "0",
     "AGNO_RUNTIME_DEADLINE='0' is not a positive number of seconds; use e.g. 10"),
    ("AGNO_RUNTIME_MAX_BYTES", "1.5",
     "AGNO_RUNTIME_MAX_BYTES='1.5' is not a positive whole number; use e.g. 10"),
])
def test_bad_limits_are_usage_errors(var: str, raw: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        Settings.from_env({var: raw})
    assert str(info.value) == message


@pytest.mark.parametrize(("argv", "line"), [
    (["fetch", "--out", "x.json"],
     "agno-docs fetch: error: no runtime URL; pass --url or set AGNO_RUNTIME_URL"),
    (["serve-runtime", "--host", "0.0.0.0", "--port", "0"],
     "agno-docs serve-runtime: error: refusing to bind 0.0.0.0: not a loopback address; the reference server "
     "is for local previews and tests; pass --allow-remote to serve beyond this machine"),
])
def test_cli_usage_errors_exit_2(argv: list[str], line: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    snap = tmp_path / "m.json"
    snapshot.dump(factories.small(), snap)
    monkeypatch.setenv("AGNO_MATRIX_SNAPSHOT", str(snap))
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert capsys.readouterr().err == line + "\n"
    assert not (tmp_path / "x.json").exists()


def test_without_etag_every_build_downloads_but_the_copy_still_backs_a_fallback(
    server: RuntimeServer, tmp_path: Path,
) -> None:
    from matrix.sources import api

    other = factories.matrix(factories.module("tools.calculator"))
    server.set_matrix(snapshot.encode(other))
    server.faults.set(etag=False)
    assert load(_settings(server.url, tmp_path)).matrix == other
    assert load(_settings(server.url, tmp_path)).matrix == other
    assert [r.if_none_match for r in server.requests] == [None, None]
    api.clear_memo()
    server.faults.set(status=503, retry_after="60")
    data = load(_settings(server.url, tmp_path, snapshot=tmp_path / "absent.json"))
    assert data.matrix == other and data.stale is not None


@pytest.mark.parametrize(("text", "what"), [
    ("[Errno 111] Connection refused", "connection refused"),
    ("[Errno -2] Name or service not known", "cannot connect (Name or service not known)"),
    ("", "connection refused"),
])
def test_connect_failure_words(text: str, what: str) -> None:
    from matrix._net import connect_words

    assert connect_words(OSError(text) if text else OSError()) == what

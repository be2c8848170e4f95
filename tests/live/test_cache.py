"""The 304 fast path: a cached body is trusted only when its record vouches for exactly those bytes.

A new process (a build) that gets a 304 decodes the cached body without the model's cross-field
rules only when the record says those bytes (SHA-256) were validated under the current contract
and the 304 names the cached ETag; every other case validates in full, and a cached copy that
fails validation is dropped and fetched again. Which path ran is read from the model's switch
(``CROSS_FIELD_CHECKS``) at each decode: True is a full validation, False the fast path.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from matrix import model
from matrix.server import RuntimeServer
from matrix.settings import Settings
from matrix.sources import api, load, snapshot
from tests import factories
from tests.live.peers import Scripted

TOKEN_A, TOKEN_B = "tok-aaaa1111", "tok-bbbb2222"


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per decode of a document: True when the cross-field rules ran."""
    seen: list[bool] = []
    real = snapshot.decode

    def spy(data: bytes, origin: str) -> model.SupportMatrix:
        seen.append(model.CROSS_FIELD_CHECKS.get())
        return real(data, origin)

    monkeypatch.setattr(snapshot, "decode", spy)
    return seen


def _settings(url: str, tmp_path: Path, **kw: object) -> Settings:
    return Settings.from_env({}, source="api", runtime_url=url, cache_dir=tmp_path / "cache", deadline=3,
                             require_live=True, **kw)


def _new_process(url: str, tmp_path: Path, **kw: object) -> model.SupportMatrix:
    api.clear_memo()
    return load(_settings(url, tmp_path, **kw)).matrix


def _entry(tmp_path: Path) -> tuple[Path, Path]:
    metas = sorted((tmp_path / "cache" / "runtime").glob("*.meta.json"))
    assert len(metas) == 1, metas
    return metas[0].with_name(metas[0].name.replace(".meta.json", ".json")), metas[0]


def _broken_body() -> bytes:
    """Valid JSON, right types, but a cross-field rule broken: a partial module without notes."""
    doc = json.loads(snapshot.encode(factories.small()))
    for m in doc["modules"]:
        if m["status"] == "partial":
            del m["notes"]
    return json.dumps(doc).encode()


def test_a_304_in_a_new_process_skips_the_cross_field_checks(server: RuntimeServer, tmp_path: Path,
                                                            decodes: list[bool]) -> None:
    assert _new_process(server.url, tmp_path) == factories.small()
    assert _new_process(server.url, tmp_path) == factories.small()
    assert [r.if_none_match for r in server.requests] == [None, server.etag]
    assert decodes == [True, False]
    body, meta = _entry(tmp_path)
    record = json.loads(meta.read_text())
    assert record["sha256"] == hashlib.sha256(body.read_bytes()).hexdigest()
    assert record["contract"] == snapshot.contract_fingerprint() != ""


def test_a_tampered_body_is_no_entry(server: RuntimeServer, tmp_path: Path, decodes: list[bool]) -> None:
    _new_process(server.url, tmp_path)
    body, _ = _entry(tmp_path)
    body.write_bytes(_broken_body())  # its record still names the old digest
    assert _new_process(server.url, tmp_path) == factories.small()
    assert [r.if_none_match for r in server.requests] == [None, None]  # nothing was revalidated
    assert decodes == [True, True]
    assert snapshot.decode(body.read_bytes(), "cache") == factories.small()  # rewritten with what came


def test_an_entry_whose_record_does_not_vouch_is_validated_in_full_then_vouched_for(
    server: RuntimeServer, tmp_path: Path, decodes: list[bool],
) -> None:
    """An entry written by an earlier version (no contract) or under another contract (an upgrade)."""
    _new_process(server.url, tmp_path)
    _, meta = _entry(tmp_path)
    for contract in (None, "0" * 64):
        record = json.loads(meta.read_text())
        if contract is None:
            del record["contract"]
        else:
            record["contract"] = contract
        meta.write_text(json.dumps(record))
        decodes.clear()
        assert _new_process(server.url, tmp_path) == factories.small()
        assert _new_process(server.url, tmp_path) == factories.small()
        assert decodes == [True, False]  # validated in full once, recorded, then trusted
    assert [r.if_none_match for r in server.requests] == [None] + [server.etag] * 4


def test_a_cached_copy_that_fails_validation_is_fetched_again(server: RuntimeServer, tmp_path: Path,
                                                              decodes: list[bool]) -> None:
    _new_process(server.url, tmp_path)
    body, meta = _entry(tmp_path)
    broken = _broken_body()
    record = json.loads(meta.read_text())
    del record["contract"]  # as if written by hand or by another tool: not vouched for
    record["sha256"] = hashlib.sha256(broken).hexdigest()
    body.write_bytes(broken)
    meta.write_text(json.dumps(record))
    decodes.clear()
    assert _new_process(server.url, tmp_path) == factories.small()
    assert [r.if_none_match for r in server.requests] == [None, server.etag, None]
    assert decodes == [True, True]  # the cached copy failed, the fetched one passed
    assert body.read_bytes() == snapshot.encode(factories.small())


def test_a_304_naming_another_etag_is_validated_in_full(tmp_path: Path, decodes: list[bool]) -> None:
    good = snapshot.encode(factories.small())
    with Scripted([(200, {"ETag": '"a"'}, good), (304, {"ETag": 'W/"a"'}, b"")]) as srv:
        assert _new_process(srv.url, tmp_path) == factories.small()
        assert _new_process(srv.url, tmp_path) == factories.small()
    assert [r.get("if-none-match") for r in srv.requests] == [None, '"a"']
    assert decodes == [True, True]


def test_a_body_changed_under_the_same_etag_replaces_the_entry(tmp_path: Path, decodes: list[bool]) -> None:
    """A 200 that keeps the ETag but not the bytes: validated in full, and the record follows the bytes."""
    first, second = factories.small(), factories.matrix(factories.module("tools.calculator"))
    answers: list[tuple[int, dict[str, str], bytes | list[bytes]]] = [
        (200, {"ETag": '"same"'}, snapshot.encode(first)), (200, {"ETag": '"same"'}, snapshot.encode(second)),
        (304, {"ETag": '"same"'}, b"")]
    with Scripted(answers) as srv:
        assert _new_process(srv.url, tmp_path) == first
        assert _new_process(srv.url, tmp_path) == second
        assert _new_process(srv.url, tmp_path) == second
    assert [r.get("if-none-match") for r in srv.requests] == [None, '"same"', '"same"']
    assert decodes == [True, True, False]
    _, meta = _entry(tmp_path)
    assert json.loads(meta.read_text())["sha256"] == hashlib.sha256(snapshot.encode(second)).hexdigest()


def test_another_token_has_its_own_entry(server: RuntimeServer, tmp_path: Path, decodes: list[bool]) -> None:
    srv = server  # it takes any token
    _new_process(srv.url, tmp_path, token=TOKEN_A)
    _new_process(srv.url, tmp_path, token=TOKEN_B)  # A's entry is not B's: no revalidation
    _new_process(srv.url, tmp_path, token=TOKEN_A)
    assert [(r.authorization, r.if_none_match) for r in srv.requests] == [
        (f"Bearer {TOKEN_A}", None), (f"Bearer {TOKEN_B}", None), (f"Bearer {TOKEN_A}", srv.etag)]
    assert decodes == [True, True, False]
    files = sorted((tmp_path / "cache" / "runtime").iterdir())
    assert len(files) == 4
    for f in files:
        assert TOKEN_A.encode() not in f.read_bytes() and TOKEN_B.encode() not in f.read_bytes()


def test_the_fast_path_is_for_this_call_and_thread_only(server: RuntimeServer, tmp_path: Path) -> None:
    _new_process(server.url, tmp_path)
    _new_process(server.url, tmp_path)
    assert model.CROSS_FIELD_CHECKS.get() is True
    with pytest.raises(Exception, match="is `partial` but has no `notes`"):
        snapshot.decode(_broken_body(), "x")

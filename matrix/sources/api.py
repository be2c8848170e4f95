"""The live source: the runtime's control-plane API over HTTP, with the fallback policy.

    load_live(settings) -> Loaded     the site and CLI entry point: memoised, cached, falls back
    fetch_matrix(url, ...) -> Fetched one validated fetch, never a fallback (``agno-docs fetch``)
    Policy                            the limits of one fetch: deadline, timeouts, retries, size
    EtagCache                         the last validated body per URL and token, on disk

The client (:mod:`matrix._net`, on the standard library's :mod:`http.client`):

* one **total deadline** from connect to the last byte, retries, ``Retry-After`` waits and slow
  ("drip") status lines, headers and bodies included: every socket operation is capped by what is
  left of it (see :mod:`matrix._net` for how);
* bounded retries for connection errors and 429/503, honouring ``Retry-After`` up to a cap;
* conditional requests (``If-None-Match``) against an on-disk cache, so an unchanged matrix
  costs one 304 and no download;
* a response size limit (256 MiB by default): a declared ``Content-Length`` past it is refused
  before reading, and is otherwise read into one buffer of that size; a body without one (chunked,
  gzip) is counted as it arrives and reading stops past the limit;
* redirects followed only to the same origin (scheme, host, port);
* the body decoded and validated by :func:`matrix.sources.snapshot.decode` before use (an
  empty module list is a :class:`~matrix.errors.ContractError`, not data);
* the bearer token from ``AGNO_RUNTIME_TOKEN`` is sent in a header only: never in an error,
  a log line, the cache (whose file names use a hash of it) or the site.

A 304 in a new process (a build) reads the cached body and decodes it without redoing the
model's cross-field rules, but only when the cache's record says those exact bytes (SHA-256) were
validated under the same contract (:func:`~matrix.sources.snapshot.contract_fingerprint`) and
the 304 names the same ETag; anything else (an entry from an older version, another ETag, bytes
that changed) is validated in full, and a cached copy that fails validation is dropped and
fetched again. The record is written only after validation, and a body whose digest does not
match its record is no entry at all. What a digest cannot stop: someone who can write the cache
folder can write a body and its record together, as they could edit the build's own files.

Why not hishel: it stores the *request headers* of each entry, ``Authorization`` included, in
its SQLite file, which breaks "never cached in clear"; and it caches what was *received*, while
the fallback needs what was *validated*: a 200 with a broken body would become the entry whose
ETag we revalidate, and the last good matrix would need a second store anyway. The cache here is
that second store alone: it keeps only validated bodies, so a 304 always means "the copy you
validated is current".
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from .. import _net
from .._endpoints import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from .._net import BROKEN_REDIRECT, BROKEN_REDIRECT_HINT, Deadline, display_url, status_line
from ..errors import ContractError, SourceError, UsageError
from ..model import SupportMatrix
from ..settings import DEFAULT_DEADLINE, DEFAULT_MAX_BYTES
from . import Loaded, Stale
from . import snapshot as _snapshot

if TYPE_CHECKING:
    from ..settings import Settings

__all__ = ["BENCHMARKS_PATH", "SUPPORT_MATRIX_PATH", "TELEMETRY_PATH", "EtagCache", "Fetched", "Known",
           "Policy", "clear_memo", "display_url", "endpoint_url", "fetch_matrix", "load_live"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRIED = frozenset({429, 503})
"""Statuses that mean "busy, come back": retried like a connection error."""


class Policy(msgspec.Struct, frozen=True):
    """Limits of one live fetch. The deadline bounds everything; the timeouts bound one operation each."""

    deadline: float = DEFAULT_DEADLINE
    """Total seconds, from connect to the last byte, retries and waits included."""
    connect: float = 3.0
    read: float = 5.0
    """Longest silence while waiting for the status line, a header or the next body bytes."""
    write: float = 5.0
    retries: int = 2
    """Extra attempts after a connection error, a 429 or a 503."""
    backoff: float = 0.2
    """First wait between attempts when the server gives no ``Retry-After``; doubles each time."""
    retry_after_cap: float = 5.0
    """A ``Retry-After`` longer than this fails at once instead of waiting."""
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(deadline=settings.deadline, max_bytes=settings.max_bytes)

    @property
    def timeouts(self) -> _net.Timeouts:
        return _net.Timeouts(connect=self.connect, read=self.read, write=self.write)

    def backoff_after(self, attempt: int) -> float:
        """The wait after failed attempt number ``attempt`` (1-based) when the server names none."""
        return self.backoff * 2.0 ** (attempt - 1)


DEFAULT_POLICY = Policy()


class Fetched(msgspec.Struct, frozen=True):
    """A validated matrix and how it came."""

    matrix: SupportMatrix
    body: bytes
    etag: str | None
    not_modified: bool = False
    """True when the server answered 304 and the known copy was reused."""
    checked: bool = True
    """True when :func:`~matrix.sources.snapshot.decode` validated ``body`` in full during this fetch."""


class Known(msgspec.Struct, frozen=True):
    """A copy already validated, offered for revalidation (``If-None-Match``)."""

    etag: str
    body: bytes
    """The validated bytes (empty in the in-process memo, which keeps ``matrix`` instead)."""
    matrix: SupportMatrix | None = None
    """Already decoded (in-process memo); None when read from the disk cache."""
    trusted: bool = False
    """The cache's record says these bytes were validated under the current contract."""


# --- URLs -------------------------------------------------------------------------------------


def endpoint_url(base: str, path: str = SUPPORT_MATRIX_PATH) -> str:
    """The endpoint under a runtime base URL (a URL that already ends with ``path`` is kept)."""
    url = _net.http_url(base, what="runtime URL",
                        hint="set AGNO_RUNTIME_URL (or --url) to the runtime's base URL, e.g. http://127.0.0.1:8765")
    return str(_net.endpoint_url(url, path))


def _token_digest(token: str | None) -> str:
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


_TOKEN_CHARS = re.compile(r"^[\x21-\x7e]+$")


def _check_token(token: str | None) -> None:
    if token and not _TOKEN_CHARS.match(token):
        raise UsageError("AGNO_RUNTIME_TOKEN holds a character an HTTP header cannot carry "
                         "(a space, a line break or a non-ASCII letter)", hint="set it to the token alone")


# --- the on-disk cache of validated bodies --------------------------------------------------------


class EtagCache:
    """The last validated body per (URL, token) under ``<cache_dir>/runtime/``, with its ETag.

    Two files per entry, written atomically body first, and only for a body that was validated:
    the record (``.meta.json``) holds the body's SHA-256, so a torn pair or a body changed since
    reads as "no entry", and the contract it was validated under, so a later version of the model
    validates it again. File names are a hash of the URL and of a hash of the token: the token
    itself is never written.
    """

    def __init__(self, cache_dir: Path, url: str, token: str | None) -> None:
        key = hashlib.sha256(f"{url}\n{_token_digest(token)}".encode()).hexdigest()[:32]
        folder = Path(cache_dir) / "runtime"
        self.body_path = folder / f"{key}.json"
        self.meta_path = folder / f"{key}.meta.json"
        self.url = display_url(url)

    def read(self) -> tuple[Known, datetime] | None:
        """The cached copy and when it was fetched, or None (absent, torn, changed or unreadable)."""
        try:
            meta = json.loads(self.meta_path.read_bytes())
            body = self.body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None
        try:
            fetched_at = datetime.fromisoformat(str(meta["fetched_at"]))
            etag = str(meta["etag"])
        except (KeyError, ValueError):
            return None
        contract = _snapshot.contract_fingerprint()
        trusted = bool(contract) and meta.get("contract") == contract
        return Known(etag=etag, body=body, trusted=trusted), fetched_at

    def write(self, etag: str, body: bytes) -> None:
        """Keep ``body``, which the caller has just validated, and its ETag."""
        from .._io import write_atomic  # a 304 writes nothing: no import

        write_atomic(self.body_path, body)
        self._record(etag, body, datetime.now(UTC))

    def mark_validated(self, etag: str, body: bytes, fetched_at: datetime) -> None:
        """Record that the cached ``body`` was validated (in full) under the current contract."""
        self._record(etag, body, fetched_at)

    def _record(self, etag: str, body: bytes, fetched_at: datetime) -> None:
        from .._io import write_atomic

        meta = {"url": self.url, "etag": etag, "sha256": hashlib.sha256(body).hexdigest(),
                "contract": _snapshot.contract_fingerprint(), "fetched_at": fetched_at.isoformat()}
        write_atomic(self.meta_path, json.dumps(meta, indent=2) + "\n")


# --- answers ----------------------------------------------------------------------------------------


def _human_bytes(n: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds (delta or HTTP date), or None when absent or unreadable."""
    raw = headers.get("retry-after")
    if raw is None:
        return None
    raw = raw.strip()
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _status_error(code: int, where: str, token: str | None, attempts: int) -> SourceError:
    text = status_line(code) + (f" after {attempts} attempts" if attempts > 1 else "")
    if code in (401, 403):
        hint = ("the runtime refused the token in AGNO_RUNTIME_TOKEN: check or renew it" if token
                else "the runtime wants a token: set AGNO_RUNTIME_TOKEN")
    elif code == 404:
        hint = (f"check AGNO_RUNTIME_URL: it should be the runtime's base URL "
                f"(the client adds {SUPPORT_MATRIX_PATH})")
    elif code in RETRIED:
        hint = "the runtime is busy or starting: try again later"
    elif code >= 500:
        hint = "the runtime failed: try again later or check its logs"
    else:
        hint = "the runtime did not serve the support matrix"
    return SourceError(text, where=where, hint=hint)


class _Retry(msgspec.Struct, frozen=True):
    """Try again after ``wait`` seconds."""

    wait: float


class _Redirect(msgspec.Struct, frozen=True):
    """Ask again at ``url`` (same origin): not an attempt."""

    url: _net.Url


class _Again(msgspec.Struct, frozen=True):
    """Ask again, unconditionally: the known copy failed validation. Not an attempt."""


class _Fetch:
    """One :func:`fetch_matrix` call: the request loop and the decision for each answer."""

    def __init__(self, exchange: _net.Exchange, url: str, *, token: str | None, policy: Policy,
                 known: Known | None, deadline: Deadline, sleep: Callable[[float], None]) -> None:
        self.exchange, self.token, self.policy, self.known = exchange, token, policy, known
        self.deadline, self.sleep = deadline, sleep
        self.where = display_url(url)
        self.target = _net.http_url(url, what="runtime URL", hint="set AGNO_RUNTIME_URL (or --url) to the "
                                    "runtime's base URL, e.g. http://127.0.0.1:8765")
        self.origin = self.target.origin
        self.attempts = 0
        self.redirects = 0

    def run(self) -> Fetched:
        while True:
            if self.deadline.expired:
                raise self._out_of_time()
            self.attempts += 1
            step = self._attempt()
            if isinstance(step, Fetched):
                return step
            if isinstance(step, _Redirect | _Again):
                self.attempts -= 1
                if isinstance(step, _Redirect):
                    self.target = step.url
                continue
            if step.wait >= self.deadline.left():
                raise self._out_of_time()
            self.sleep(step.wait)

    def _attempt(self) -> Fetched | _Retry | _Redirect | _Again:
        try:
            with self.exchange("GET", self.target, headers=self._headers(), deadline=self.deadline,
                               timeouts=self.policy.timeouts) as resp:
                return self._answer(resp)
        except (_net.ConnectFailed, _net.ConnectTimedOut) as exc:
            return self._connect_failed(exc)
        except _net.BodyTooLarge:
            raise SourceError(f"the response is larger than the {_human_bytes(self.policy.max_bytes)} limit",
                              where=self.where,
                              hint="raise AGNO_RUNTIME_MAX_BYTES if the matrix really is that big") from None
        except _net.NetError as exc:
            raise _net.failure(exc, where=self.where, deadline=self.deadline,
                               timeout=self.policy.timeouts) from None

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.known is not None:
            headers["If-None-Match"] = self.known.etag
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _answer(self, resp: _net.Response) -> Fetched | _Retry | _Redirect | _Again:
        code = resp.status
        if code in REDIRECTS:
            return self._redirect(resp)
        if code in RETRIED and self.attempts <= self.policy.retries:
            return self._busy(resp)
        if code == 304:
            return self._not_modified(resp)
        if code != 200:
            raise _status_error(code, self.where, self.token, self.attempts)
        body = resp.read(self.policy.max_bytes)
        return Fetched(_snapshot.decode(body, self.where), body, resp.headers.get("etag"))

    def _redirect(self, resp: _net.Response) -> _Redirect:
        status = status_line(resp.status)
        location = resp.headers.get("location", "").strip()
        if not location:
            raise SourceError(f"{status} without a Location header", where=self.where,
                              hint="the server redirected without saying where: check its configuration")
        nxt = _net.join(self.target, location)
        if nxt is None:
            raise SourceError(f"{BROKEN_REDIRECT} ({status})", where=self.where, hint=BROKEN_REDIRECT_HINT)
        if nxt.origin != self.origin:
            raise SourceError(f"redirected to another host ({display_url(nxt)}), not followed",
                              where=self.where, hint="set AGNO_RUNTIME_URL to the runtime itself")
        self.redirects += 1
        if self.redirects > self.policy.max_redirects:
            raise SourceError(f"more than {self.policy.max_redirects} redirects", where=self.where,
                              hint="set AGNO_RUNTIME_URL to the final URL")
        return _Redirect(nxt)

    def _busy(self, resp: _net.Response) -> _Retry:
        """A 429 or 503 with attempts left: wait as asked (up to the cap), else back off."""
        after = _retry_after(resp.headers)
        if after is not None and after > self.policy.retry_after_cap:
            raise SourceError(
                f"{status_line(resp.status)}: the runtime asks to retry after {after:g} s, "
                f"more than the {self.policy.retry_after_cap:g} s this client waits", where=self.where,
                hint="try again later")
        wait = after if after is not None else self.policy.backoff_after(self.attempts)
        if wait >= self.deadline.left():  # no time left to retry: report what the runtime said
            raise _status_error(resp.status, self.where, self.token, self.attempts)
        return _Retry(wait)

    def _not_modified(self, resp: _net.Response) -> Fetched | _Again:
        known = self.known
        if known is None:
            raise SourceError("HTTP 304 Not Modified to a request that had nothing to revalidate",
                              where=self.where, hint="the runtime answered a conditional request "
                              "that was not sent: check its ETag handling")
        if known.matrix is not None:
            return Fetched(known.matrix, known.body, known.etag, not_modified=True, checked=False)
        named = resp.headers.get("etag")
        fast = known.trusted and (named is None or named == known.etag)
        try:
            if fast:
                matrix = _snapshot.decode_trusted(known.body, self.where)
            else:
                matrix = _snapshot.decode(known.body, self.where)
        except ContractError:  # tampered, or a stricter contract since: fetch the matrix itself
            self.known = None
            return _Again()
        return Fetched(matrix, known.body, known.etag, not_modified=True, checked=not fast)

    def _connect_failed(self, exc: _net.NetError) -> _Retry:
        wait = self.policy.backoff_after(self.attempts)
        if self.attempts <= self.policy.retries and wait < self.deadline.left():
            return _Retry(wait)
        if self.deadline.expired:
            raise self._out_of_time()
        raise _net.failure(exc, where=self.where, deadline=self.deadline, timeout=self.policy.timeouts,
                           attempts=self.attempts) from None

    def _out_of_time(self) -> SourceError:
        return SourceError(f"no complete answer within the {self.deadline.seconds:g} s deadline",
                           where=self.where, hint="check the runtime, or raise AGNO_RUNTIME_DEADLINE")


def fetch_matrix(
    url: str,
    *,
    token: str | None = None,
    policy: Policy = DEFAULT_POLICY,
    known: Known | None = None,
    exchange: _net.Exchange = _net.exchange,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """GET the support matrix at ``url`` (the full endpoint URL) and validate it.

    With ``known``, the request is conditional and a 304 reuses ``known``. Raises
    :class:`SourceError` (one line naming the URL) on any failure, within ``policy.deadline``
    (an ``exchange`` given by the caller, e.g. a test's scripted one, brings its own network).
    """
    _check_token(token)
    deadline = Deadline(policy.deadline)
    return _Fetch(exchange, url, token=token, policy=policy, known=known, deadline=deadline,
                  sleep=sleep).run()


# --- the site and CLI entry point -----------------------------------------------------------------


class _Memo(msgspec.Struct, frozen=True):
    known: Known
    loaded: Loaded


#: Validated matrices of this process, keyed by (endpoint, token digest): ``mkdocs serve`` calls
#: ``define_env`` on every rebuild, and each call then costs one conditional request.
_MEMO: dict[tuple[str, str], _Memo] = {}


def clear_memo() -> None:
    _MEMO.clear()


def load_live(settings: Settings) -> Loaded:
    """The matrix from the runtime, revalidated; on failure the last good one with a :class:`Stale`.

    In require-live mode any failure raises :class:`SourceError` with the same one line the
    banner would show. A missing or malformed URL is a :class:`UsageError` either way.
    """
    if not settings.runtime_url:
        raise UsageError("AGNO_MATRIX_SOURCE=api but AGNO_RUNTIME_URL is not set",
                         hint="set it (or --url) to the runtime's base URL, e.g. http://127.0.0.1:8765")
    url = endpoint_url(settings.runtime_url)
    key = (url, _token_digest(settings.token))
    cache = EtagCache(settings.cache_dir, url, settings.token)
    memo = _MEMO.get(key)
    known = memo.known if memo and memo.known.etag else None
    entry = None
    if known is None:
        entry = cache.read()
        known = entry[0] if entry else None
    if known is not None and not known.etag:
        known = None  # kept as the last good copy for a fallback, but nothing to revalidate
    try:
        fetched = fetch_matrix(url, token=settings.token, policy=Policy.from_settings(settings), known=known)
    except SourceError as exc:
        if settings.require_live:
            raise
        return _fallback(settings, cache, memo, str(exc), url)
    if memo is not None and fetched.not_modified and fetched.matrix is memo.loaded.matrix:
        return memo.loaded
    loaded = Loaded(fetched.matrix)
    with contextlib.suppress(OSError):  # the cache saves time and keeps the last good copy
        if not fetched.not_modified:
            cache.write(fetched.etag or "", fetched.body)
        elif fetched.checked and entry is not None:  # validated in full just now: the next 304 is fast
            cache.mark_validated(fetched.etag or "", fetched.body, entry[1])
    _MEMO[key] = _Memo(Known(fetched.etag or "", b"", fetched.matrix), loaded)  # the matrix, not its bytes
    return loaded


def _fallback(settings: Settings, cache: EtagCache, memo: _Memo | None, reason: str, url: str) -> Loaded:
    """The last good snapshot: this process's, else the cache's, else the configured snapshot."""
    matrix: SupportMatrix | None = memo.loaded.matrix if memo else None
    if matrix is None:
        entry = cache.read()
        if entry is not None:
            known = entry[0]
            decode = _snapshot.decode_trusted if known.trusted else _snapshot.decode
            try:
                matrix = decode(known.body, str(cache.body_path))
            except ContractError:
                matrix = None
    if matrix is None:
        try:
            matrix = _snapshot.load(settings.snapshot)
        except SourceError as exc:
            raise SourceError(f"{reason} (and no last good snapshot: {exc})") from None
    return Loaded(matrix, Stale(reason=reason, url=display_url(url), since=matrix.generated_at))

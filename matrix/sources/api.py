"""The live source: the runtime's control-plane API over HTTP, with the fallback policy.

    load_live(settings) -> Loaded     the site and CLI entry point: memoised, cached, falls back
    fetch_matrix(url, ...) -> Fetched one validated fetch, never a fallback (``agno-docs fetch``)
    Policy                            the limits of one fetch: deadline, timeouts, retries, size

The client (httpx, sync, built by :mod:`matrix._net`):

* one **total deadline** from connect to the last byte, retries, ``Retry-After`` waits and slow
  ("drip") status lines, headers and bodies included: every socket operation is capped by what is
  left of it (see :mod:`matrix._net` for how);
* bounded retries for connection errors and 429/503, honouring ``Retry-After`` up to a cap;
* conditional requests (``If-None-Match``) against an on-disk cache, so an unchanged matrix
  costs one 304 and no download;
* a response size limit: the body is streamed and reading stops past the limit;
* redirects followed only to the same origin (scheme, host, port);
* the body decoded and validated by :func:`matrix.sources.snapshot.decode` before use (an
  empty module list is a :class:`~matrix.errors.ContractError`, not data);
* the bearer token from ``AGNO_RUNTIME_TOKEN`` is sent in a header only: never in an error,
  a log line, the cache (whose file names use a hash of it) or the site.

Why not hishel: it stores the *request headers* of each entry, ``Authorization`` included, in
its SQLite file, which breaks "never cached in clear"; and it caches what was *received*, while
the fallback needs what was *validated*: a 200 with a broken body would become the entry whose
ETag we revalidate, and the last good matrix would need a second store anyway. The cache here is
that second store alone: it keeps only validated bodies, so a 304 always means "the copy you
validated is current".
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from .._endpoints import BENCHMARKS_PATH, SUPPORT_MATRIX_PATH, TELEMETRY_PATH
from .._io import write_atomic
from .._net import (
    BROKEN_REDIRECT,
    BROKEN_REDIRECT_HINT,
    Deadline,
    display_url,
    failure,
    http_url,
    open_client,
    status_line,
)
from .._net import endpoint_url as _endpoint
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


@dataclasses.dataclass(frozen=True)
class Policy:
    """Limits of one live fetch. The deadline bounds everything; the timeouts bound one operation each."""

    deadline: float = DEFAULT_DEADLINE
    """Total seconds, from connect to the last byte, retries and waits included."""
    connect: float = 3.0
    read: float = 5.0
    """Longest silence while waiting for the status line, a header or the next body bytes."""
    write: float = 5.0
    pool: float = 2.0
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
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def backoff_after(self, attempt: int) -> float:
        """The wait after failed attempt number ``attempt`` (1-based) when the server names none."""
        return self.backoff * 2.0 ** (attempt - 1)


@dataclasses.dataclass(frozen=True)
class Fetched:
    """A validated matrix and how it came."""

    matrix: SupportMatrix
    body: bytes
    etag: str | None
    not_modified: bool = False
    """True when the server answered 304 and the known copy was reused."""


@dataclasses.dataclass(frozen=True)
class Known:
    """A copy already validated, offered for revalidation (``If-None-Match``)."""

    etag: str
    body: bytes
    matrix: SupportMatrix | None = None
    """Already decoded (in-process memo); None when read from the disk cache."""


# --- URLs -------------------------------------------------------------------------------------


def endpoint_url(base: str, path: str = SUPPORT_MATRIX_PATH) -> str:
    """The endpoint under a runtime base URL (a URL that already ends with ``path`` is kept)."""
    url = http_url(base, what="runtime URL",
                   hint="set AGNO_RUNTIME_URL (or --url) to the runtime's base URL, e.g. http://127.0.0.1:8765")
    return str(_endpoint(url, path))


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, url.port or default)


def _token_digest(token: str | None) -> str:
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


# --- the on-disk cache of validated bodies --------------------------------------------------------


class EtagCache:
    """The last validated body per (URL, token) under ``<cache_dir>/runtime/``, with its ETag.

    Two files per entry, written atomically body first; the metadata holds the body's
    SHA-256, so a torn pair reads as "no entry". File names are a hash of the URL and of a
    hash of the token: the token itself is never written.
    """

    def __init__(self, cache_dir: Path, url: str, token: str | None) -> None:
        key = hashlib.sha256(f"{url}\n{_token_digest(token)}".encode()).hexdigest()[:32]
        folder = Path(cache_dir) / "runtime"
        self.body_path = folder / f"{key}.json"
        self.meta_path = folder / f"{key}.meta.json"
        self.url = display_url(url)

    def read(self) -> tuple[Known, datetime] | None:
        """The cached copy and when it was fetched, or None (absent, torn or unreadable)."""
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
        return Known(etag=etag, body=body), fetched_at

    def write(self, etag: str, body: bytes) -> None:
        meta = {"url": self.url, "etag": etag, "sha256": hashlib.sha256(body).hexdigest(),
                "fetched_at": datetime.now(UTC).isoformat()}
        write_atomic(self.body_path, body)
        write_atomic(self.meta_path, json.dumps(meta, indent=2) + "\n")


# --- answers ----------------------------------------------------------------------------------------


def _human_bytes(n: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def _retry_after(headers: httpx.Headers) -> float | None:
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


@dataclasses.dataclass(frozen=True)
class _Retry:
    """Try again after ``wait`` seconds."""

    wait: float


@dataclasses.dataclass(frozen=True)
class _Redirect:
    """Ask again at ``url`` (same origin): not an attempt."""

    url: httpx.URL


class _Fetch:
    """One :func:`fetch_matrix` call: the request loop and the decision for each answer."""

    def __init__(self, client: httpx.Client, url: str, *, token: str | None, policy: Policy,
                 known: Known | None, deadline: Deadline, sleep: Callable[[float], None]) -> None:
        self.client, self.token, self.policy, self.known = client, token, policy, known
        self.deadline, self.sleep = deadline, sleep
        self.where = display_url(url)
        self.target = httpx.URL(url)
        self.origin = _origin(self.target)
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
            if isinstance(step, _Redirect):
                self.target = step.url
                self.attempts -= 1
                continue
            if step.wait >= self.deadline.left():
                raise self._out_of_time()
            self.sleep(step.wait)

    def _attempt(self) -> Fetched | _Retry | _Redirect:
        try:
            with self.client.stream("GET", self.target, headers=self._headers(),
                                    timeout=self.policy.timeout) as resp:
                return self._answer(resp)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return self._connect_failed(exc)
        except httpx.HTTPError as exc:
            raise failure(exc, where=self.where, deadline=self.deadline,
                          timeout=self.policy.timeout) from None

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.known is not None:
            headers["If-None-Match"] = self.known.etag
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _answer(self, resp: httpx.Response) -> Fetched | _Retry | _Redirect:
        code = resp.status_code
        if code in REDIRECTS:
            return self._redirect(resp)
        if code in RETRIED and self.attempts <= self.policy.retries:
            return self._busy(resp)
        if code == 304:
            return self._not_modified()
        if code != 200:
            raise _status_error(code, self.where, self.token, self.attempts)
        body = self._body(resp)
        return Fetched(_snapshot.decode(body, self.where), body, resp.headers.get("etag"))

    def _redirect(self, resp: httpx.Response) -> _Redirect:
        status = status_line(resp.status_code)
        location = resp.headers.get("location", "").strip()
        if not location:
            raise SourceError(f"{status} without a Location header", where=self.where,
                              hint="the server redirected without saying where: check its configuration")
        try:
            nxt = self.target.join(location)
        except httpx.InvalidURL:
            nxt = None
        if nxt is None or nxt.scheme not in ("http", "https") or not nxt.host:
            raise SourceError(f"{BROKEN_REDIRECT} ({status})", where=self.where, hint=BROKEN_REDIRECT_HINT)
        if _origin(nxt) != self.origin:
            raise SourceError(f"redirected to another host ({display_url(nxt)}), not followed",
                              where=self.where, hint="set AGNO_RUNTIME_URL to the runtime itself")
        self.redirects += 1
        if self.redirects > self.policy.max_redirects:
            raise SourceError(f"more than {self.policy.max_redirects} redirects", where=self.where,
                              hint="set AGNO_RUNTIME_URL to the final URL")
        return _Redirect(nxt)

    def _busy(self, resp: httpx.Response) -> _Retry:
        """A 429 or 503 with attempts left: wait as asked (up to the cap), else back off."""
        after = _retry_after(resp.headers)
        if after is not None and after > self.policy.retry_after_cap:
            raise SourceError(
                f"{status_line(resp.status_code)}: the runtime asks to retry after {after:g} s, "
                f"more than the {self.policy.retry_after_cap:g} s this client waits", where=self.where,
                hint="try again later")
        wait = after if after is not None else self.policy.backoff_after(self.attempts)
        if wait >= self.deadline.left():  # no time left to retry: report what the runtime said
            raise _status_error(resp.status_code, self.where, self.token, self.attempts)
        return _Retry(wait)

    def _not_modified(self) -> Fetched:
        if self.known is None:
            raise SourceError("HTTP 304 Not Modified to a request that had nothing to revalidate",
                              where=self.where, hint="the runtime answered a conditional request "
                              "that was not sent: check its ETag handling")
        matrix = self.known.matrix or _snapshot.decode(self.known.body, self.where)
        return Fetched(matrix, self.known.body, self.known.etag, not_modified=True)

    def _body(self, resp: httpx.Response) -> bytes:
        """The body, streamed: refused past ``max_bytes`` (declared or counted)."""
        limit = self.policy.max_bytes
        too_big = SourceError(f"the response is larger than the {_human_bytes(limit)} limit",
                              where=self.where,
                              hint="raise AGNO_RUNTIME_MAX_BYTES if the matrix really is that big")
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks: list[bytes] = []
        total = 0
        for chunk in resp.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise too_big
            chunks.append(chunk)
            if self.deadline.expired:  # decoding (gzip) takes time too
                raise self._out_of_time()
        return b"".join(chunks)

    def _connect_failed(self, exc: httpx.HTTPError) -> _Retry:
        wait = self.policy.backoff_after(self.attempts)
        if self.attempts <= self.policy.retries and wait < self.deadline.left():
            return _Retry(wait)
        if self.deadline.expired:
            raise self._out_of_time()
        raise failure(exc, where=self.where, deadline=self.deadline, timeout=self.policy.timeout,
                      attempts=self.attempts) from None

    def _out_of_time(self) -> SourceError:
        return SourceError(f"no complete answer within the {self.deadline.seconds:g} s deadline",
                           where=self.where, hint="check the runtime, or raise AGNO_RUNTIME_DEADLINE")


def fetch_matrix(
    url: str,
    *,
    token: str | None = None,
    policy: Policy = Policy(),
    known: Known | None = None,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """GET the support matrix at ``url`` (the full endpoint URL) and validate it.

    With ``known``, the request is conditional and a 304 reuses ``known``. Raises
    :class:`SourceError` (one line naming the URL) on any failure, within ``policy.deadline``
    (a ``client`` given by the caller, e.g. over ``httpx.MockTransport``, brings its own network).
    """
    deadline = Deadline(policy.deadline)
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(open_client(httpx.URL(url), deadline))
        return _Fetch(client, url, token=token, policy=policy, known=known, deadline=deadline,
                      sleep=sleep).run()


# --- the site and CLI entry point -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Memo:
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
    if memo is not None and fetched.not_modified:
        return memo.loaded
    loaded = Loaded(fetched.matrix)
    if not fetched.not_modified:
        with contextlib.suppress(OSError):  # the cache saves time and keeps the last good copy
            cache.write(fetched.etag or "", fetched.body)
    _MEMO[key] = _Memo(Known(fetched.etag or "", fetched.body, fetched.matrix), loaded)
    return loaded


def _fallback(settings: Settings, cache: EtagCache, memo: _Memo | None, reason: str, url: str) -> Loaded:
    """The last good snapshot: this process's, else the cache's, else the configured snapshot."""
    matrix: SupportMatrix | None = memo.loaded.matrix if memo else None
    if matrix is None:
        entry = cache.read()
        if entry is not None:
            try:
                matrix = _snapshot.decode(entry[0].body, str(cache.body_path))
            except ContractError:
                matrix = None
    if matrix is None:
        try:
            matrix = _snapshot.load(settings.snapshot)
        except SourceError as exc:
            raise SourceError(f"{reason} (and no last good snapshot: {exc})") from None
    return Loaded(matrix, Stale(reason=reason, url=display_url(url), since=matrix.generated_at))

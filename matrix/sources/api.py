"""The live source: the runtime's control-plane API over HTTP, with the fallback policy.

    load_live(settings) -> Loaded     the site and CLI entry point: memoised, cached, falls back
    fetch_matrix(url, ...) -> Fetched one validated fetch, never a fallback (``agno-docs fetch``)

The client (httpx, sync) keeps every promise of DESIGN.md section 4:

* explicit connect/read/write/pool timeouts, each capped by what is left of one **total
  deadline** that also bounds retries, ``Retry-After`` waits and slow ("drip") bodies;
* bounded retries for connection errors and 429/503, honouring ``Retry-After`` up to a cap;
* conditional requests (``If-None-Match``) against an on-disk cache, so an unchanged matrix
  costs one 304 and no download;
* a response size limit: the body is streamed and reading stops past the limit;
* redirects followed only to the same origin (scheme, host, port);
* the body decoded and validated by :func:`matrix.sources.snapshot.decode` before use (an
  empty module list is a :class:`~matrix.errors.ContractError`, not data);
* the bearer token from ``AGNO_RUNTIME_TOKEN`` is sent in a header only: never in an error,
  a log line, the cache (whose file names use a hash of it) or the site.

Why not hishel (2.0.0 is installed; its ``CacheTransport`` was read before deciding): it
stores the *request headers* of each entry, ``Authorization`` included, in its SQLite file
(``hishel/_core/_storages/_packing.py`` packs ``request.headers``), which breaks "never cached
in clear"; and it caches what was *received*, while the fallback needs what was *validated*:
a 200 with a broken body would become the entry whose ETag we revalidate, and the last good
matrix would need a second store anyway. The cache here is that second store alone: it keeps
only validated bodies, so a 304 always means "the copy you validated is current".
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import hashlib
import http
import json
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .._io import write_atomic
from ..errors import ContractError, SourceError, UsageError
from ..model import SupportMatrix
from . import Loaded, Stale
from . import snapshot as _snapshot

# httpx's package imports its command-line client (httpx._main), which loads click and rich when
# they are installed: 20-200 ms per build for nothing (bench/live.py). Python's documented
# "None in sys.modules" blocks that one optional import; httpx then defines its fallback `main`
# (its own `except ImportError` branch). Nothing here uses httpx's CLI. The block is lifted right
# after, so a later `import httpx._main` elsewhere in the process still works.
_BLOCK_CLI = "httpx" not in sys.modules and "httpx._main" not in sys.modules
if _BLOCK_CLI:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]
import httpx  # noqa: E402  (after the CLI block above, on purpose)

if _BLOCK_CLI:
    del sys.modules["httpx._main"]

if TYPE_CHECKING:
    from ..settings import Settings

SUPPORT_MATRIX_PATH = "/v1/runtime/go/support-matrix"
BENCHMARKS_PATH = "/v1/runtime/go/benchmarks"
TELEMETRY_PATH = "/v1/runtime/go/telemetry/events"
USER_AGENT = "agno-docs (+support-matrix client)"


@dataclasses.dataclass(frozen=True)
class Policy:
    """Limits of one live fetch. Every timeout is also capped by what is left of ``deadline``."""

    deadline: float = 10.0
    """Total seconds, retries, waits and body included."""
    connect: float = 3.0
    read: float = 5.0
    """Longest silence while waiting for headers or the next body bytes."""
    write: float = 5.0
    pool: float = 2.0
    retries: int = 2
    """Extra attempts after a connection error, a 429 or a 503."""
    backoff: float = 0.2
    """First wait between attempts when the server gives no ``Retry-After``; doubles each time."""
    retry_after_cap: float = 5.0
    """A ``Retry-After`` longer than this fails at once instead of waiting."""
    max_bytes: int = 16 * 1024 * 1024
    max_redirects: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(deadline=settings.deadline, max_bytes=settings.max_bytes)


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
    try:
        url = httpx.URL(base.strip())
    except (httpx.InvalidURL, TypeError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise UsageError(f"runtime URL {display_url(base)!r} is not an http(s) URL",
                         hint="set AGNO_RUNTIME_URL (or --url) to the runtime's base URL, "
                         "e.g. http://127.0.0.1:8765")
    text = str(url.copy_with(query=None, fragment=None))
    if text.rstrip("/").endswith(path):
        return text.rstrip("/")
    return text.rstrip("/") + path


def display_url(url: str) -> str:
    """The URL as shown to people: no user-info, no query (either may carry a secret)."""
    try:
        u = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return "<invalid URL>"
    if not u.scheme or not u.host:
        return url.split("?", 1)[0].rsplit("@", 1)[-1]
    port = f":{u.port}" if u.port else ""
    return f"{u.scheme}://{u.host}{port}{u.path}"


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


# --- one fetch ------------------------------------------------------------------------------------


def _human_bytes(n: int) -> str:
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


def _status_line(code: int) -> str:
    try:
        return f"HTTP {code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def _retry_after(headers: httpx.Headers) -> float | None:
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
    text = _status_line(code) + (f" after {attempts} attempts" if attempts > 1 else "")
    if code in (401, 403):
        hint = ("the runtime refused the token in AGNO_RUNTIME_TOKEN: check or renew it" if token
                else "the runtime wants a token: set AGNO_RUNTIME_TOKEN")
    elif code == 404:
        hint = (f"check AGNO_RUNTIME_URL: it should be the runtime's base URL "
                f"(the client adds {SUPPORT_MATRIX_PATH})")
    elif code in (429, 503):
        hint = "the runtime is busy or starting: try again later"
    elif code >= 500:
        hint = "the runtime failed: try again later or check its logs"
    else:
        hint = "the runtime did not serve the support matrix"
    return SourceError(text, where=where, hint=hint)


def _connect_failure(exc: Exception) -> str:
    """``connection refused``, or the OS's words (``Name or service not known``) without the errno."""
    text = re.sub(r"^\[Errno -?\d+\]\s*", "", str(exc)).strip()
    if not text or "refused" in text.lower():
        return "connection refused"
    return f"cannot connect ({text})"


class _Clock:
    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.end = time.monotonic() + deadline

    def left(self) -> float:
        return self.end - time.monotonic()

    def error(self, where: str) -> SourceError:
        return SourceError(f"no complete answer within the {self.deadline:g} s deadline", where=where,
                           hint="check the runtime, or raise AGNO_RUNTIME_DEADLINE")


def _read_body(resp: httpx.Response, policy: Policy, clock: _Clock, where: str) -> bytes:
    too_big = SourceError(f"the response is larger than the {_human_bytes(policy.max_bytes)} limit",
                          where=where, hint="raise AGNO_RUNTIME_MAX_BYTES if the matrix really is that big")
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise too_big
    chunks: list[bytes] = []
    total = 0
    for chunk in resp.iter_bytes():
        total += len(chunk)
        if total > policy.max_bytes:
            raise too_big
        chunks.append(chunk)
        if clock.left() <= 0:
            raise clock.error(where)
    return b"".join(chunks)


def _timeouts(policy: Policy, left: float) -> httpx.Timeout:
    return httpx.Timeout(connect=min(policy.connect, left), read=min(policy.read, left),
                         write=min(policy.write, left), pool=min(policy.pool, left))


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
    :class:`SourceError` (one line naming the URL) on any failure, within ``policy.deadline``.
    """
    where = display_url(url)
    clock = _Clock(policy.deadline)
    own = client is None
    if client is None:
        client = new_client(url)
    try:
        return _fetch(client, url, where, token, policy, known, clock, sleep)
    finally:
        if own:
            client.close()


def new_client(url: str) -> httpx.Client:
    """A client for one runtime: httpx follows no redirect (we check them); no env proxy for loopback."""
    u = httpx.URL(url)
    loopback = u.host in ("127.0.0.1", "localhost", "::1")
    # verify=False only matters for https; a plain-http client then skips loading the CA bundle.
    return httpx.Client(follow_redirects=False, trust_env=not loopback,
                        verify=u.scheme == "https", headers={"User-Agent": USER_AGENT})


def _fetch(client: httpx.Client, url: str, where: str, token: str | None, policy: Policy,
           known: Known | None, clock: _Clock, sleep: Callable[[float], None]) -> Fetched:
    target = httpx.URL(url)
    origin = _origin(target)
    attempts = 0
    redirects = 0
    while True:
        attempts += 1
        left = clock.left()
        if left <= 0:
            raise clock.error(where)
        headers = {"Accept": "application/json"}
        if known is not None:
            headers["If-None-Match"] = known.etag
        if token:
            headers["Authorization"] = f"Bearer {token}"
        wait: float | None = None
        try:
            with client.stream("GET", target, headers=headers, timeout=_timeouts(policy, left)) as resp:
                code = resp.status_code
                if code in (301, 302, 303, 307, 308):
                    location = resp.headers.get("location", "")
                    nxt = target.join(location)
                    if _origin(nxt) != origin:
                        raise SourceError(
                            f"redirected to another host ({display_url(str(nxt))}), not followed",
                            where=where, hint="set AGNO_RUNTIME_URL to the runtime itself")
                    redirects += 1
                    if redirects > policy.max_redirects:
                        raise SourceError(f"more than {policy.max_redirects} redirects", where=where,
                                          hint="set AGNO_RUNTIME_URL to the final URL")
                    target = nxt
                    attempts -= 1
                    continue
                if code in (429, 503) and attempts <= policy.retries:
                    after = _retry_after(resp.headers)
                    if after is not None and after > policy.retry_after_cap:
                        raise SourceError(
                            f"{_status_line(code)}: the runtime asks to retry after {after:g} s, "
                            f"more than the {policy.retry_after_cap:g} s this client waits", where=where,
                            hint="try again later")
                    wait = after if after is not None else policy.backoff * 2 ** (attempts - 1)
                    if wait >= clock.left():  # no time left to retry: report what the runtime said
                        raise _status_error(code, where, token, attempts)
                elif code == 304:
                    if known is None:
                        raise SourceError("HTTP 304 Not Modified to a request that had nothing to revalidate",
                                          where=where, hint="the runtime answered a conditional request "
                                          "that was not sent: check its ETag handling")
                    matrix = known.matrix or _snapshot.decode(known.body, where)
                    return Fetched(matrix, known.body, known.etag, not_modified=True)
                elif code != 200:
                    raise _status_error(code, where, token, attempts)
                else:
                    body = _read_body(resp, policy, clock, where)
                    matrix = _snapshot.decode(body, where)
                    return Fetched(matrix, body, resp.headers.get("etag"))
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            what = _connect_failure(exc) if isinstance(exc, httpx.ConnectError) else (
                f"connect timed out ({min(policy.connect, left):g} s)")
            if attempts > policy.retries or clock.left() <= policy.backoff * 2 ** (attempts - 1):
                if clock.left() <= 0:
                    raise clock.error(where) from None
                suffix = f" after {attempts} attempts" if attempts > 1 else ""
                raise SourceError(f"{what}{suffix}", where=where,
                                  hint="is the runtime running? check AGNO_RUNTIME_URL") from None
            wait = policy.backoff * 2 ** (attempts - 1)
        except httpx.TimeoutException:
            if policy.read >= left or clock.left() <= 0:  # the deadline, not the read timeout, ran out
                raise clock.error(where) from None
            raise SourceError(f"no data for {min(policy.read, left):g} s (read timeout)", where=where,
                              hint="the runtime is stalled: check it") from None
        except httpx.RemoteProtocolError:
            raise SourceError("the connection closed before the response was complete", where=where,
                              hint="the runtime sent a truncated response: check its logs") from None
        except httpx.HTTPError as exc:
            raise SourceError(f"request failed ({type(exc).__name__})", where=where,
                              hint="check AGNO_RUNTIME_URL and the runtime") from None
        if wait is not None:
            if wait >= clock.left():
                raise clock.error(where)
            sleep(wait)


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

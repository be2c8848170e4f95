"""Source selection, one way for the site and the CLI.

Environment variables (readable from ``mkdocs.yml`` through ``!ENV``) and matching CLI flags:

==========================  ==================  ================================================
variable                    flag                meaning
==========================  ==================  ================================================
AGNO_MATRIX_SOURCE          --source            ``snapshot`` (default) | ``api`` | ``scan``
AGNO_MATRIX_SNAPSHOT        --snapshot          snapshot file (default: the embedded one)
AGNO_RUNTIME_URL            --url               control-plane base URL, for ``api``
AGNO_RUNTIME_TOKEN          (none)              bearer token; never printed, logged or cached
AGNO_MATRIX_REQUIRE_LIVE    --require-live      ``1``: any fallback is an error
AGNO_PYTHON_ROOT            --python-root       baseline tree, for ``scan``
AGNO_GO_ROOT                --go-root           runtime tree, for ``scan``
AGNO_PROFILE                --profile           scan profile (default: the Agno one)
AGNO_DOCS_CACHE             --cache-dir         cache folder (default ``.cache/agno-docs``)
AGNO_RUNTIME_DEADLINE       --deadline          total seconds for one live fetch, connect to last byte (10)
AGNO_RUNTIME_MAX_BYTES      (none)              largest response body accepted (256 MiB)
==========================  ==================  ================================================
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from pathlib import Path

from ._kinds import SourceKind
from .errors import UsageError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}

#: The defaults every consumer reads (the site, the CLI, the API client, ``compute``).
DEFAULT_SNAPSHOT = Path(__file__).resolve().parent / "data" / "snapshot.json"
"""The embedded snapshot: :data:`matrix.sources.snapshot.DEFAULT_SNAPSHOT`, named here so that choosing a
source imports no decoder (a test keeps the two equal)."""
DEFAULT_CACHE_DIR = Path(".cache/agno-docs")
DEFAULT_DEADLINE = 10.0
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
"""A ceiling, not a forecast: ~620 bytes a module puts it past 400,000 modules (the real matrix has 356)."""


@dataclasses.dataclass(frozen=True)
class Settings:
    source: SourceKind = SourceKind.SNAPSHOT
    snapshot: Path = DEFAULT_SNAPSHOT
    runtime_url: str | None = None
    token: str | None = dataclasses.field(default=None, repr=False)
    require_live: bool = False
    python_root: Path | None = None
    go_root: Path | None = None
    profile: Path | None = None
    cache_dir: Path = DEFAULT_CACHE_DIR
    deadline: float = DEFAULT_DEADLINE
    """Total seconds a live fetch may take, from connect to the last byte, retries included."""
    max_bytes: int = DEFAULT_MAX_BYTES
    """Largest response body the client reads; past it the fetch fails."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read the ``AGNO_*`` variables; ``overrides`` (CLI flags, macros config) win when not None."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        raw = env.get("AGNO_MATRIX_SOURCE", "").strip().lower()
        if raw:
            try:
                values["source"] = SourceKind(raw)
            except ValueError:
                raise UsageError(
                    f"AGNO_MATRIX_SOURCE={raw!r} is not a source",
                    hint="use snapshot, api or scan",
                ) from None
        for var, field in (
            ("AGNO_MATRIX_SNAPSHOT", "snapshot"),
            ("AGNO_PYTHON_ROOT", "python_root"),
            ("AGNO_GO_ROOT", "go_root"),
            ("AGNO_PROFILE", "profile"),
            ("AGNO_DOCS_CACHE", "cache_dir"),
        ):
            if env.get(var):
                values[field] = Path(env[var])
        if env.get("AGNO_RUNTIME_URL"):
            values["runtime_url"] = env["AGNO_RUNTIME_URL"]
        if env.get("AGNO_RUNTIME_TOKEN"):
            values["token"] = env["AGNO_RUNTIME_TOKEN"]
        for var, field, kind in (
            ("AGNO_RUNTIME_DEADLINE", "deadline", float),
            ("AGNO_RUNTIME_MAX_BYTES", "max_bytes", int),
        ):
            if env.get(var, "").strip():
                values[field] = parse_positive(env[var], var, kind)
        values["require_live"] = parse_bool(
            env.get("AGNO_MATRIX_REQUIRE_LIVE", ""), "AGNO_MATRIX_REQUIRE_LIVE"
        )
        for key, value in overrides.items():
            if value is not None:
                if key == "source" and isinstance(value, str):
                    value = SourceKind(value)
                elif key in {"snapshot", "python_root", "go_root", "profile", "cache_dir"}:
                    value = Path(str(value))
                values[key] = value
        return cls(**values)  # type: ignore[arg-type]


def parse_bool(raw: str, name: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UsageError(f"{name}={raw!r} is not a yes/no value", hint="use 1 or 0")


def positive_number(raw: str, kind: type[float] | type[int]) -> float | int | None:
    """``raw`` as a finite number above zero, or None: ``nan``, ``inf``, ``-1``, ``0`` and ``abc`` are not."""
    try:
        value = kind(raw.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def parse_positive(raw: str, name: str, kind: type[float] | type[int]) -> float | int:
    """A positive number from a variable; anything else is a one-line :class:`UsageError`.

    A deadline of ``inf`` (or ``nan``) would be no deadline at all, so neither is a number here.
    """
    value = positive_number(raw, kind)
    if value is None:
        noun = "a positive whole number" if kind is int else "a positive number of seconds"
        raise UsageError(f"{name}={raw!r} is not {noun}", hint="use e.g. 10")
    return value

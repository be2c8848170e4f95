"""The snapshot source: a committed (or fetched) JSON document, validated on load."""

from __future__ import annotations

import os
import re
from pathlib import Path

import msgspec

from .._io import write_atomic
from ..errors import ContractError, SourceError
from ..model import SupportMatrix

#: The embedded default source of the site and the CLI.
DEFAULT_SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "snapshot.json"

_AT = re.compile(r"^(?P<msg>.*) - at `(?P<path>\$[^`]*)`$")
_encoder = msgspec.json.Encoder(order="deterministic")


def decode(data: bytes, origin: str) -> SupportMatrix:
    """Decode and validate one document; ``origin`` (file or URL) names it in errors."""
    try:
        return msgspec.json.decode(data, type=SupportMatrix)
    except msgspec.ValidationError as exc:
        m = _AT.match(str(exc))
        if m:
            raise ContractError(m["msg"], origin=origin, path=m["path"]) from None
        raise ContractError(str(exc), origin=origin, path="$") from None
    except msgspec.DecodeError as exc:
        raise ContractError(f"not valid JSON ({exc})", origin=origin) from None


def load(path: str | os.PathLike[str] = DEFAULT_SNAPSHOT) -> SupportMatrix:
    """Read a snapshot file; a missing or unreadable file is a :class:`SourceError`."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise SourceError(
            "no such snapshot file",
            where=str(p),
            hint="pass an existing file or run `agno-docs compute`/`fetch` to make one",
        ) from None
    except OSError as exc:
        raise SourceError(f"cannot read snapshot ({exc.strerror})", where=str(p)) from None
    return decode(data, str(p))


def encode(matrix: SupportMatrix) -> bytes:
    """Stable, human-diffable JSON: deterministic key order, two-space indent, trailing newline."""
    return msgspec.json.format(_encoder.encode(matrix), indent=2) + b"\n"


def dump(matrix: SupportMatrix, path: str | os.PathLike[str]) -> None:
    """Write a snapshot atomically (the old file survives any failure)."""
    write_atomic(path, encode(matrix))

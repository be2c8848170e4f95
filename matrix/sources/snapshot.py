"""The snapshot source: a committed (or fetched) JSON document, validated on load.

    decode(data, origin)          validate one document (types, patterns, cross-field rules)
    decode_trusted(data, origin)  the same bytes again, once validated: the cross-field rules skipped
    contract_fingerprint()        what "validated" meant: changes with the model and msgspec
    load(path) / dump / encode    snapshot files
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path

import msgspec

from .. import model
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


def decode_trusted(data: bytes, origin: str) -> SupportMatrix:
    """Decode bytes that :func:`decode` accepted before, without redoing the cross-field rules.

    Only for bytes whose digest matches a record written right after :func:`decode` accepted
    them under the same :func:`contract_fingerprint` (the live source's cache keeps such records);
    anything else goes through :func:`decode`. msgspec still checks types, patterns and enum values
    (cheap); the rules in the model's ``__post_init__`` (about half the decode time at 27,000 modules)
    are skipped, in this thread only, for this call only.
    """
    token = model.CROSS_FIELD_CHECKS.set(False)
    try:
        return decode(data, origin)
    finally:
        model.CROSS_FIELD_CHECKS.reset(token)


@functools.cache
def contract_fingerprint() -> str:
    """A digest of what :func:`decode` accepts: the model's source and msgspec's version.

    A record made under another fingerprint (an upgrade of either) is not trusted: its bytes are
    validated again. Empty when the model's source cannot be read (then nothing is trusted).
    """
    try:
        source = Path(model.__file__).read_bytes()
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(b"%s\n%s" % (msgspec.__version__.encode(), source)).hexdigest()


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

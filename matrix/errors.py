"""One exception tree; every message is one line built from structured fields.

    AgnoDocsError              base; ``exit_code`` is what the CLI returns
    ├── UsageError        (2)  bad arguments, settings or configuration
    │   └── MarkerError   (2)  a README marker is missing, duplicated or misordered
    ├── SourceError       (3)  a source could not be read (file, URL, tree)
    │   └── ContractError (3)  a document breaks the schema_version 1 contract
    └── WriteError        (3)  an output could not be written (also an ``OSError``)

A place in a file is always written ``file:line`` (:func:`location`), as compilers and
``check`` print it, so editors and CI annotations can jump to it.

Findings of ``check`` and ``readme --check`` are not exceptions: they are results
that make the CLI exit 1.
"""

from __future__ import annotations


def location(file: str, line: int | None = None) -> str:
    """``README.md:12`` (or just the file when the line is unknown): the one location format."""
    return file if line is None else f"{file}:{line}"


class AgnoDocsError(Exception):
    """Base of every error this package raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}; {self.hint}" if self.hint else text


class UsageError(AgnoDocsError):
    """Bad arguments, settings or configuration (exit 2)."""

    exit_code = 2


class MarkerError(UsageError):
    """A structural mistake in a file with markers: ``README.md:12: end marker without a start marker``."""

    def __init__(self, message: str, *, file: str, line: int, hint: str | None = None) -> None:
        self.file = file
        self.line = line
        super().__init__(message, where=location(file, line), hint=hint)


class SourceError(AgnoDocsError):
    """A source (snapshot file, API URL, source tree) could not be read (exit 3)."""

    exit_code = 3


class ContractError(SourceError):
    """A document does not satisfy the contract; ``path`` is the JSON path (``$.modules[3].status``)."""

    def __init__(
        self, message: str, *, origin: str, path: str | None = None, hint: str | None = None
    ) -> None:
        self.origin = origin
        self.path = path
        where = f"{origin} at {path}" if path else origin
        super().__init__(message, where=where, hint=hint)


class WriteError(AgnoDocsError, OSError):
    """An output file could not be written, or must not be replaced (exit 3); nothing was changed.

    Also an :class:`OSError`, so best-effort writers (caches) that ignore OS errors still do.
    """

    exit_code = 3

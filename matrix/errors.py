"""One exception tree; every message is one line built from structured fields.

    AgnoDocsError              base; ``exit_code`` is what the CLI returns
    ├── UsageError        (2)  bad arguments, settings or configuration
    │   └── MarkerError   (2)  a README marker is missing, duplicated or misordered
    └── SourceError       (3)  a source could not be read (file, URL, tree)
        └── ContractError (3)  a document breaks the schema_version 1 contract

Findings of ``check`` and ``readme --check`` are not exceptions: they are results
that make the CLI exit 1.
"""

from __future__ import annotations


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
    """A structural mistake in a file with markers: ``README.md(12): Missing end marker``."""

    def __init__(self, message: str, *, file: str, line: int, hint: str | None = None) -> None:
        self.file = file
        self.line = line
        super().__init__(message, where=f"{file}({line})", hint=hint)


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

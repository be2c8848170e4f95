"""Where a matrix comes from, apart from the model: choosing a source (:mod:`matrix.settings`, the CLI's
source flags) then imports no decoder, so ``agno-docs check`` can answer from its cache without msgspec.
:mod:`matrix.model` re-exports it; it is the same class."""

from __future__ import annotations

import enum


class SourceKind(enum.StrEnum):
    API = "api"
    SCAN = "scan"
    SNAPSHOT = "snapshot"

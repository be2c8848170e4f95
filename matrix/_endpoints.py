"""The control-plane paths (``matrix/openapi.yaml``), shared by the client, the server and ``bench --submit``.

Kept apart from :mod:`matrix._net` so the server and ``bench`` without ``--submit`` never import the
HTTP client.
"""

from __future__ import annotations

SUPPORT_MATRIX_PATH = "/v1/runtime/go/support-matrix"
BENCHMARKS_PATH = "/v1/runtime/go/benchmarks"
TELEMETRY_PATH = "/v1/runtime/go/telemetry/events"

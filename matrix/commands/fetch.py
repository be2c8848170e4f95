"""``agno-docs fetch``: GET the matrix from the runtime control plane and write a validated snapshot."""

from __future__ import annotations

import argparse
import sys

from .._io import target
from ..errors import UsageError
from ..settings import DEFAULT_DEADLINE, Settings
from ..sources import snapshot
from ..sources.api import Policy, endpoint_url, fetch_matrix
from ._source import positive_seconds

HELP = ("Fetch the support matrix from the runtime's control plane (GET /v1/runtime/go/support-matrix), "
        "validate it and write it as a snapshot, atomically: on any failure the old file is left as it was. "
        "The bearer token is read from AGNO_RUNTIME_TOKEN. Never falls back: a failure exits 3.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", metavar="URL", default=None,
                        help="the runtime's base URL (or the full endpoint URL) [AGNO_RUNTIME_URL]")
    parser.add_argument("--out", metavar="FILE", required=True, help="the snapshot file to write")
    parser.add_argument("--deadline", metavar="SECONDS", type=positive_seconds, default=None,
                        help="total seconds, from connect to the last byte, retries included "
                        f"(default {DEFAULT_DEADLINE:g}) [AGNO_RUNTIME_DEADLINE]")


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env(runtime_url=args.url, deadline=args.deadline)
    if not settings.runtime_url:
        raise UsageError("no runtime URL", hint="pass --url or set AGNO_RUNTIME_URL")
    url = endpoint_url(settings.runtime_url)
    target(args.out)  # a directory, device or read-only file is refused before any request
    fetched = fetch_matrix(url, token=settings.token, policy=Policy.from_settings(settings))
    snapshot.dump(fetched.matrix, args.out)
    m = fetched.matrix
    runtime = m.runtime.version or m.runtime.commit or "?"
    print(f"wrote {args.out}: {len(m.modules)} modules, runtime {runtime}, "
          f"generated {m.generated_at.isoformat()}", file=sys.stderr)
    return 0

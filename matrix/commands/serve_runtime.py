"""``agno-docs serve-runtime``: the reference control-plane server on loopback."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import UsageError
from ..server import Fault, RuntimeServer
from ..sources.snapshot import DEFAULT_SNAPSHOT

HELP = ("Serve a snapshot over the control-plane contract (matrix/openapi.yaml) with ETags, for local "
        "previews (AGNO_MATRIX_SOURCE=api AGNO_RUNTIME_URL=http://127.0.0.1:PORT mkdocs serve) and tests. "
        "Binds loopback only unless --allow-remote. The --fault-* flags make every support-matrix request "
        "misbehave, to try the client's failure handling by hand.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--matrix", metavar="FILE", default=None,
                        help="snapshot to serve (default: $AGNO_MATRIX_SNAPSHOT or the embedded one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=port_number, default=8765,
                        help="TCP port, 1-65535 (default 8765; 0 picks a free one)")
    parser.add_argument("--telemetry", metavar="FILE", default=None,
                        help="JSON-lines file of telemetry events to serve")
    parser.add_argument("--require-token", action="store_true",
                        help="require 'Authorization: Bearer $AGNO_RUNTIME_TOKEN' on every endpoint")
    parser.add_argument("--allow-remote", action="store_true", help="allow binding a non-loopback address")
    faults = parser.add_argument_group("fault injection (support-matrix endpoint)")
    faults.add_argument("--fault-delay", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long before answering")
    faults.add_argument("--fault-status", type=int, default=None, metavar="CODE",
                        help="answer with this status")
    faults.add_argument("--fault-retry-after", default=None, metavar="VALUE",
                        help="Retry-After header sent with --fault-status")
    faults.add_argument("--fault-body", default=None,
                        choices=["malformed", "truncated", "huge", "wrong_schema", "empty_modules"],
                        help="serve a broken body")
    faults.add_argument("--fault-drip", type=float, default=0.0, metavar="SECONDS",
                        help="send the body 16 bytes at a time, this long apart")
    faults.add_argument("--fault-redirect", default=None, metavar="URL", help="answer 302 to this URL")


def port_number(raw: str) -> int:
    """argparse type: a TCP port, 0 (any free one) to 65535."""
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a TCP port (1-65535, or 0 for any free one)")
    return port


def run(args: argparse.Namespace) -> int:
    matrix = Path(args.matrix or os.environ.get("AGNO_MATRIX_SNAPSHOT") or DEFAULT_SNAPSHOT)
    token = os.environ.get("AGNO_RUNTIME_TOKEN") if args.require_token else None
    if args.require_token and not token:
        raise UsageError("--require-token but AGNO_RUNTIME_TOKEN is not set", hint="set it, or drop the flag")
    server = RuntimeServer.from_file(matrix, host=args.host, port=args.port,
                                     telemetry=Path(args.telemetry) if args.telemetry else None,
                                     token=token, allow_remote=args.allow_remote)
    fault = Fault(delay=args.fault_delay, status=args.fault_status, retry_after=args.fault_retry_after,
                  body=args.fault_body, drip=args.fault_drip, redirect=args.fault_redirect)
    if fault != Fault():
        server.faults.set(fault)
    print(f"serving {matrix} at {server.url} (GET /v1/runtime/go/support-matrix); Ctrl-C stops",
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        server.httpd.server_close()
    return 0

"""``agno-docs telemetry-audit``: find events without runtime=go and leaked secrets, never printing them."""

from __future__ import annotations

import argparse
import json
import os
import sys

from ..settings import DEFAULT_DEADLINE
from ..telemetry import audit, read_events
from ._source import positive_seconds

HELP = (
    "Audit telemetry events (a JSON-lines file from the stdout exporter, or the events URL "
    "…/v1/runtime/go/telemetry/events) for events without runtime=go and for sensitive values "
    "(API keys, bearer tokens, cloud keys, GitHub tokens, passwords, e-mail addresses). Findings name the "
    "event (file:line or URL[index]) and the JSON path, and show secrets redacted only. Exit 1 when anything "
    "is found, 0 when clean, 2 for input that is not JSON events, 3 when the file or URL cannot be read."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", metavar="FILE|URL", help="JSON-lines file, or the telemetry events URL")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--timeout", metavar="SECONDS", type=positive_seconds, default=DEFAULT_DEADLINE,
                        help="total seconds for a URL, from connect to the last byte "
                        f"(default {DEFAULT_DEADLINE:g})")


def run(args: argparse.Namespace) -> int:
    events = read_events(args.target, token=os.environ.get("AGNO_RUNTIME_TOKEN"), timeout=args.timeout)
    findings = audit(events)
    if args.format == "json":
        body = {"events": len(events), "findings": [f.__dict__ for f in findings]}
        sys.stdout.write(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        for f in findings:
            print(f.text())
        affected = len({f.where for f in findings})
        print(
            f"{len(events)} event(s) audited: {len(findings)} finding(s) in {affected} event(s)"
            if findings
            else f"{len(events)} event(s) audited: clean"
        )
    return 1 if findings else 0

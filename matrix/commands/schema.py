"""``agno-docs schema``: print (or write) the JSON Schema of the contract."""

from __future__ import annotations

import argparse
import json
import sys

from .._io import write_atomic
from ..model import json_schema

HELP = "Print the JSON Schema (draft 2020-12) of the schema_version 1 support-matrix document."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", help="write to this file (atomically) instead of standard output")


def run(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    if args.out:
        write_atomic(args.out, text)
    else:
        sys.stdout.write(text)
    return 0

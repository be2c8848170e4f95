"""``agno-docs readme FILE...``: regenerate the support matrix between markers."""

from __future__ import annotations

import argparse
import shlex
import sys

from ..readme import END, START, unified_diff, update
from ._source import add_source_arguments, load_from_args

HELP = (
    f"Regenerate the support matrix between the lines {START} and {END} in each FILE "
    "(arguments on the start marker pick the view: summary, family=<id>, status=<status>). Everything "
    "outside the markers is kept byte for byte. Exit 1 with --check when a file is out of date, 2 on a "
    "missing, duplicated or misordered marker."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", metavar="FILE", nargs="+", help="Markdown files with support-matrix markers")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; print a unified diff and exit 1 when any file is out of date")
    parser.add_argument("--diff", action="store_true", help="print a unified diff of what changes")
    add_source_arguments(parser)


def run(args: argparse.Namespace) -> int:
    matrix = load_from_args(args).matrix
    results = update(args.files, matrix, write=not args.check)
    stale = [r for r in results if r.changed]
    if args.check or args.diff:
        for r in stale:
            sys.stdout.write(unified_diff(r))
    if args.check:
        for r in stale:
            fix = f"agno-docs readme {shlex.quote(str(r.path))}"
            print(f"{r.path}: the support matrix is out of date; run `{fix}` to update it", file=sys.stderr)
        return 1 if stale else 0
    for r in stale:
        print(f"{r.path}: updated", file=sys.stderr)
    return 0

"""``agno-docs diff OLD NEW``: summarise the changes between two matrix documents."""

from __future__ import annotations

import argparse
import sys

from ..diff import FORMATS, Severity, diff, render
from ..sources import snapshot

HELP = (
    "Summarise what changed between two support-matrix documents (OLD and NEW JSON files): modules "
    "added or removed, status promoted or demoted, coverage, parity, notes, recipes and provenance, "
    "most important first. Exit 0, or 1 with --fail-on-warning when a module was demoted, removed or "
    "regressed."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the earlier matrix (e.g. the base branch's snapshot)")
    parser.add_argument("new", metavar="NEW", help="the later matrix (e.g. the pull request's snapshot)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), markdown (job summaries, release notes) or github "
                             "(workflow annotations: ::warning / ::notice)")
    parser.add_argument("--fail-on-warning", action="store_true",
                        help="exit 1 when any change is a warning (removed, demoted, coverage dropped, "
                             "parity regressed, recipe blocked)")


def run(args: argparse.Namespace) -> int:
    old = snapshot.load(args.old)
    new = snapshot.load(args.new)
    changes = diff(old, new)
    sys.stdout.write(render(changes, args.format, old=old, new=new))
    if args.fail_on_warning and any(c.severity is Severity.WARNING for c in changes):
        return 1
    return 0

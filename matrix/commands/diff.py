"""``agno-docs diff OLD NEW``: summarise the changes between two matrix documents."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Callable

from ..diff import FAIL_ON_GROUPS, FORMATS, ChangeKind, diff, matching, render
from ..sources import snapshot

HELP = (
    "Summarise what changed between two support-matrix documents (OLD and NEW JSON files): a line per "
    "family (units ported, modules by status) and for the cookbook (recipes that run in Go), then one "
    "record per change, most important first: modules, statuses, measured units (ported, missing, "
    "stub), capabilities, Go and Python paths and symbols, notes, parity, benchmarks, recipes' "
    "readiness and blockers, families and provenance. Exit 0, or 1 when --fail-on selects a change."
)

#: The smallest --max-bytes: room for the header, the summary and the closing count.
MIN_BYTES = 2000
_NAMES = [*FAIL_ON_GROUPS, *ChangeKind]


def _kinds(value: str) -> list[str]:
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in _NAMES]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown change kind {', '.join(map(repr, unknown)) or repr(value)}; use any, warning or a kind "
            "listed in --help"
        )
    return names


def _room(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < MIN_BYTES:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least {MIN_BYTES}")
    return n


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)


def _keep_kinds_whole(make: Callable[..., argparse.HelpFormatter]) -> Callable[..., argparse.HelpFormatter]:
    """The parser's own formatter, wrapping lines without breaking ``lost-unit`` at its hyphen."""

    def formatter(prog: str) -> argparse.HelpFormatter:
        made = make(prog=prog)
        setattr(made, "_split_lines", _wrap)  # noqa: B010 (argparse documents only the class names)
        setattr(made, "_fill_text", lambda text, width, indent: "\n".join(  # noqa: B010
            indent + line for line in _wrap(text, width - len(indent))))
        return made

    return formatter


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = _keep_kinds_whole(parser.formatter_class)
    parser.add_argument("old", metavar="OLD", help="the earlier matrix (e.g. the base branch's snapshot)")
    parser.add_argument("new", metavar="NEW", help="the later matrix (e.g. the pull request's snapshot)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default; one record per line, [kind] first), markdown (job summaries, "
                             "PR comments) or github (workflow annotations: ::warning / ::notice, at most "
                             "10 of each, the rest as log lines)")
    warnings = ", ".join(k.value for k in ChangeKind if k in FAIL_ON_GROUPS["warning"])
    others = ", ".join(k.value for k in ChangeKind if k not in FAIL_ON_GROUPS["warning"])
    parser.add_argument("--fail-on", metavar="KIND[,KIND]", type=_kinds, action="extend", default=[],
                        help="exit 1 when a change of one of these kinds exists (repeatable). KIND is "
                             f"'any', 'warning' (any of: {warnings}), or one kind: the warnings above or "
                             f"{others}")
    parser.add_argument("--fail-on-warning", action="store_true",
                        help="the same as --fail-on warning")
    parser.add_argument("--max-bytes", metavar="N", type=_room, default=None,
                        help="bound the markdown output to N bytes of UTF-8 (a GitHub comment holds 65536 "
                             "characters, a job summary 1 MiB); the records that do not fit are counted, "
                             "not shown")


def run(args: argparse.Namespace) -> int:
    old = snapshot.load(args.old)
    new = snapshot.load(args.new)
    changes = diff(old, new)
    sys.stdout.write(render(changes, args.format, old=old, new=new, max_bytes=args.max_bytes))
    names = [*args.fail_on, *(["warning"] if args.fail_on_warning else [])]
    hits = matching(changes, names)
    if hits:
        print(f"agno-docs diff: {len(hits)} change(s) selected by --fail-on {','.join(names)}, first: "
              f"[{hits[0].kind.value}] {hits[0].explain()}", file=sys.stderr)
        return 1
    return 0

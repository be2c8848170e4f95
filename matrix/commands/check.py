"""``agno-docs check``: the docs claim nothing the runtime cannot do."""

from __future__ import annotations

import argparse
import functools
import sys

from .._kinds import SourceKind
from ..check import Finding, check_docs, check_raw_snapshot, check_snapshot
from ..errors import ContractError
from ._source import add_source_arguments, load_from_args, settings_from_args

#: As the program's own command, the process ends as soon as ``run`` returns (``matrix.cli``), without
#: the collector running on the way: the findings are printed and the cache written and closed by then;
#: the interpreter's teardown of the parsers and the matrix, and the collector's passes over them, took
#: about 25 ms of a first run on the project's docs (212 -> 186 ms CPU, medians of 15 runs side by side).
EXIT_AT_ONCE = True

HELP = (
    "Check the docs against the support matrix and, with --go-root, the runtime tree: module ids, "
    "families and features in macros exist; Go code imports only packages that are in Go; Go-support "
    "claims hold; HTTP endpoints presented as available are served by the runtime, and what its "
    "migration spec only plans (the /v1/runtime/go control plane, the not_migrated error, runtime=go "
    "tagging) stands under the planned mark; recipes marked as running in Go (Go tabs, \"Runs in Go\") "
    "are go_ready; partial modules have notes and wont_port ones a reason; every not_migrated module is "
    "on the \"Not yet in Go\" page. Prints FILE:LINE: MESSAGE per finding; exit 1 when there is any. "
    "See docs/reference/checks.md."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--docs", metavar="DIR", default="docs", help="the docs folder (default: docs)")
    parser.add_argument("--site", metavar="DIR", default=None,
                        help="check the built \"Not yet in Go\" page in this site folder instead of "
                             "rendering its macros (e.g. site, after mkdocs build)")
    parser.add_argument("--go-module", metavar="PATH", default=None,
                        help="the runtime's Go module path (default: the module line of go.mod in --go-root, "
                             "else the matrix's runtime.module, else the profile's)")
    parser.add_argument("--format", choices=("text", "github"), default="text",
                        help="text: FILE:LINE: MESSAGE (default); github: workflow annotations on the lines")
    add_source_arguments(parser)  # its --go-root is also the tree Go imports and examples must exist in


def _print(findings: list[Finding], fmt: str) -> None:
    for f in findings:
        print(f.github() if fmt == "github" else f)


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    load = functools.cache(functools.partial(load_from_args, args))
    options = {"go_root": settings.go_root, "go_module": args.go_module, "site": args.site,
               "cache_dir": settings.cache_dir}
    try:
        if settings.source is SourceKind.SNAPSHOT:  # the matrix's facts kept by the snapshot's digest
            findings = check_snapshot(args.docs, settings.snapshot, load, **options)
        else:
            findings = check_docs(args.docs, load(), **options)
    except ContractError:
        # The model refuses a partial module without notes at load time: report such rules as findings.
        if settings.source is not SourceKind.SNAPSHOT or not settings.snapshot.is_file():
            raise
        findings = check_raw_snapshot(settings.snapshot.read_bytes(), settings.snapshot.as_posix())
        if not findings:
            raise
        _print(findings, args.format)
        print(f"{len(findings)} finding(s); the docs were not checked because the matrix does not load",
              file=sys.stderr)
        return 1
    _print(findings, args.format)
    if findings:
        print(f"{len(findings)} finding(s) in {args.docs}", file=sys.stderr)
        return 1
    return 0

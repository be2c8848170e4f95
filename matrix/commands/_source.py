"""The source options every command that needs a matrix shares (same defaults as the site).

Use it in a command module::

    from ._source import add_source_arguments, load_from_args

    def add_arguments(parser):
        add_source_arguments(parser)

    def run(args):
        loaded = load_from_args(args)        # Loaded(matrix, stale); SourceError exits 3
        ...

Flags win over the ``AGNO_*`` variables, which win over the defaults. The token has
no flag on purpose: a flag would show in ``ps`` and shell history; it is read from
``AGNO_RUNTIME_TOKEN`` only.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from .._kinds import SourceKind
from ..settings import DEFAULT_CACHE_DIR, DEFAULT_DEADLINE, Settings, positive_number

if TYPE_CHECKING:  # the sources (and their decoder) are imported when a matrix is loaded
    from ..sources import Loaded


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the shared source flags: ``--source``, ``--snapshot``, ``--url``, ``--require-live``, ...."""
    group = parser.add_argument_group(
        "matrix source",
        "where the support matrix comes from (flags override the AGNO_* environment variables; "
        "the bearer token is read from AGNO_RUNTIME_TOKEN only)",
    )
    group.add_argument("--source", choices=[k.value for k in SourceKind], default=None,
                       help="snapshot (default), api or scan [AGNO_MATRIX_SOURCE]")
    group.add_argument("--snapshot", metavar="FILE", default=None,
                       help="snapshot file (default: the embedded one) [AGNO_MATRIX_SNAPSHOT]")
    group.add_argument("--url", dest="runtime_url", metavar="URL", default=None,
                       help="control-plane base URL, for --source api [AGNO_RUNTIME_URL]")
    group.add_argument("--require-live", dest="require_live", action="store_const", const=True, default=None,
                       help="fail instead of using the last good snapshot [AGNO_MATRIX_REQUIRE_LIVE=1]")
    group.add_argument("--python-root", metavar="DIR", default=None,
                       help="baseline (Python) source tree, for --source scan [AGNO_PYTHON_ROOT]")
    group.add_argument("--go-root", metavar="DIR", default=None,
                       help="runtime (Go) source tree, for --source scan [AGNO_GO_ROOT]")
    group.add_argument("--profile", metavar="FILE", default=None,
                       help="scan profile (default: the Agno one) [AGNO_PROFILE]")
    group.add_argument("--cache-dir", metavar="DIR", default=None,
                       help=f"cache of validated API answers and scan facts (default {DEFAULT_CACHE_DIR}) "
                       "[AGNO_DOCS_CACHE]")
    group.add_argument("--deadline", metavar="SECONDS", type=positive_seconds, default=None,
                       help="total seconds for a live fetch, from connect to the last byte, retries "
                       f"included ({DEFAULT_DEADLINE:g}) [AGNO_RUNTIME_DEADLINE]")


def positive_seconds(raw: str) -> float:
    """argparse type: a finite number of seconds above zero (:func:`matrix.settings.positive_number`)."""
    value = positive_number(raw, float)
    if value is None:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive number of seconds")
    return float(value)


_FIELDS = ("source", "snapshot", "runtime_url", "require_live", "python_root", "go_root", "profile",
           "cache_dir", "deadline")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from the environment, with every source flag that was given overriding it."""
    overrides = {name: getattr(args, name, None) for name in _FIELDS}
    return Settings.from_env(**overrides)


def load_from_args(args: argparse.Namespace, *, stderr: TextIO | None = None) -> Loaded:
    """Load the selected matrix; a fallback to the last good snapshot is reported on stderr in one line."""
    from ..sources import load

    loaded = load(settings_from_args(args))
    if loaded.stale is not None:
        print(f"warning: stale data: {loaded.stale.reason}", file=stderr or sys.stderr)
    return loaded

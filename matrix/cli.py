"""``agno-docs``: a thin CLI over the engine.

Each subcommand lives in ``matrix/commands/<name>.py`` with ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``; modules are imported only
when their command runs, so a command pays only for what it uses (``--help``
imports none of them). One ``try`` here
maps the error tree to exit codes: 0 fine, 1 a check found something,
2 usage or configuration error, 3 a source could not be read or an output
could not be written.

Every error is one line, never a traceback. Errors are caught where they happen
and raised as the project's exception tree; as a last resort, an ``OSError`` or
``UnicodeError`` that escaped anyway (a bug: it should have been caught at its
root) is still one line and exit 3, never exit 1, which means "a check found
something".
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from .errors import AgnoDocsError

#: command name -> module under matrix.commands (the order is the order of ``--help``).
COMMANDS: dict[str, str] = {
    "compute": "compute",
    "fetch": "fetch",
    "readme": "readme",
    "check": "check",
    "diff": "diff",
    "serve-runtime": "serve_runtime",
    "bench": "bench",
    "telemetry-audit": "telemetry_audit",
    "schema": "schema",
}

# One-line descriptions, kept here so ``--help`` imports no command module.
SUMMARIES: dict[str, str] = {
    "compute": "compute the support matrix from a baseline and a runtime source tree",
    "fetch": "fetch the matrix from the runtime control plane and write a validated snapshot",
    "readme": "regenerate the support matrix between markers in README files",
    "check": "check that the docs claim nothing the runtime cannot do",
    "diff": "summarise the changes between two matrices",
    "serve-runtime": "serve a snapshot over the control-plane contract on loopback",
    "bench": "compare Go benchmark output with a Python baseline",
    "telemetry-audit": "audit telemetry events for missing runtime=go and leaked secrets",
    "schema": "print the JSON Schema of the matrix contract",
}


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage block): ``agno-docs fetch: error: ...; run ... --help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}; run `{self.prog} --help`\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="agno-docs",
        description="The Agno Go runtime support matrix: compute, fetch, check and publish it.",
        epilog="Exit codes: 0 fine, 1 a check found something, 2 usage or configuration error, "
        "3 a source could not be read.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        sub.add_parser(name, help=SUMMARIES[name], add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS:
        # Lets argparse print the usage, --help or "invalid choice" and exit 0/2 (built only then: each of
        # its parsers costs argparse's message lookups, a measurable part of a command as quick as `check`).
        try:
            _parser().parse_args(args_list)
        except SystemExit as exc:
            return int(exc.code or 0)
        return 2
    name = args_list[0]
    module = importlib.import_module(f"matrix.commands.{COMMANDS[name]}")
    at_once = argv is None and getattr(module, "EXIT_AT_ONCE", False)
    if at_once:
        gc.disable()  # the process ends at once after the command: collecting its cycles is wasted time
    parser = _Parser(prog=f"agno-docs {name}", description=module.HELP)
    module.add_arguments(parser)
    try:
        args = parser.parse_args(args_list[1:])
    except SystemExit as exc:
        return int(exc.code or 0)
    rc = _run(name, module, args)
    if at_once:
        _exit_at_once(rc)
    return rc


def _exit_at_once(rc: int) -> NoReturn:
    """End this process now, as the program's own command (``argv`` from ``sys.argv``), without
    freeing its heap object by object: a command whose module sets ``EXIT_AT_ONCE`` has written and
    closed everything it writes (``compute``: its cold run's facts took 35-50 ms to free; ``check``: the
    teardown of its parsers and matrix, about 25 ms). Such a command also runs without the cyclic
    garbage collector (:func:`main`): its heap is dropped whole here, so collecting cycles on the way
    is wasted time."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing left to say
            stream.flush()
    os._exit(rc)


def _run(name: str, module: Any, args: argparse.Namespace) -> int:
    try:
        return int(module.run(args))
    except AgnoDocsError as exc:
        print(f"agno-docs {name}: error: {_one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"agno-docs {name}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`agno-docs schema | head -1`)
        _silence_stdout()
        return 3
    except (OSError, UnicodeError) as exc:
        print(f"agno-docs {name}: error: {_unexpected(exc)}", file=sys.stderr)
        return 3


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def _unexpected(exc: OSError | UnicodeError) -> str:
    """One line for an error no layer turned into the project's tree (a bug to report, not a traceback)."""
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename is not None else ""
        what = f"{where}{exc.strerror}"
    else:
        what = str(exc) or type(exc).__name__
    return _one_line(f"{what} ({type(exc).__name__} not handled where it happened: please report it)")


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout is not a real file
        pass


if __name__ == "__main__":
    sys.exit(main())

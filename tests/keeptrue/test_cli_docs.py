"""Every ``agno-docs`` command is documented in docs/reference/cli.md and has working ``--help``.

The per-command sections of cli.md are generated from the argparse parsers; refresh them with::

    AGNO_UPDATE_DOCS=1 .venv/bin/python -m pytest tests/keeptrue/test_cli_docs.py
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
from pathlib import Path

import pytest

from matrix.cli import COMMANDS, SUMMARIES, main

CLI_MD = Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli.md"
_GENERATED = ("<!-- generated from the argparse parsers by tests/keeptrue/test_cli_docs.py; "
              "do not edit below -->")


def _parser(name: str) -> argparse.ArgumentParser:
    module = importlib.import_module(f"matrix.commands.{COMMANDS[name]}")
    parser = argparse.ArgumentParser(prog=f"agno-docs {name}", description=module.HELP,
                                     formatter_class=lambda prog: argparse.HelpFormatter(prog, width=100))
    module.add_arguments(parser)
    return parser


def _options(name: str) -> list[str]:
    return sorted({o for a in _parser(name)._actions for o in a.option_strings if o.startswith("--")})


def generated_sections() -> str:
    parts = [_GENERATED, ""]
    for name in COMMANDS:
        help_text = _parser(name).format_help().rstrip()
        parts += [f"## `agno-docs {name}`", "", SUMMARIES[name][:1].upper() + SUMMARIES[name][1:] + ".", "",
                  "```text", help_text, "```", ""]
    return "\n".join(parts)


def _sections(text: str) -> dict[str, str]:
    found = re.split(r"^## `agno-docs ([a-z-]+)`\s*$", text, flags=re.M)
    return dict(zip(found[1::2], found[2::2], strict=True))


def test_refresh_when_asked() -> None:
    if os.environ.get("AGNO_UPDATE_DOCS") != "1":
        pytest.skip("set AGNO_UPDATE_DOCS=1 to regenerate the command sections of docs/reference/cli.md")
    head = CLI_MD.read_text(encoding="utf-8").split(_GENERATED)[0]
    CLI_MD.write_text(head + generated_sections(), encoding="utf-8")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_is_documented_with_each_option(name: str) -> None:
    sections = _sections(CLI_MD.read_text(encoding="utf-8"))
    assert name in sections, f"docs/reference/cli.md has no section for `agno-docs {name}`"
    missing = [o for o in _options(name) if o not in sections[name]]
    assert not missing, f"`agno-docs {name}` options missing from cli.md: {missing}; see the docstring"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: agno-docs {name}") and len(out.splitlines()) > 3


def test_no_section_documents_a_command_that_does_not_exist() -> None:
    assert set(_sections(CLI_MD.read_text(encoding="utf-8"))) <= set(COMMANDS)

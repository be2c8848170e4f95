"""One table says what a status means; every status has a row, and the stylesheet colours each one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matrix.model import STATUS_ORDER, STATUS_TABLE, Status

CSS = (Path(__file__).resolve().parents[1] / "docs" / "assets" / "agno.css").read_text(encoding="utf-8")


def test_every_status_has_exactly_one_row_in_display_order() -> None:
    assert set(STATUS_TABLE) == set(Status)
    assert tuple(STATUS_TABLE) == STATUS_ORDER


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_the_stylesheet_defines_the_status_colour_and_its_uses(status: Status) -> None:
    token = status.info.token
    assert re.search(rf"--agno-{re.escape(token)}:\s*#[0-9a-f]{{6}}", CSS), f"--agno-{token} is not defined"
    for rule in (f".agno-badge--{token}", f".agno-bar__seg--{token}"):
        assert rule in CSS, f"{rule} has no rule in agno.css"


@pytest.mark.parametrize("status", list(Status), ids=str)
def test_the_row_is_self_consistent(status: Status) -> None:
    info = status.info
    assert info.label and info.tooltip.startswith(("runtime=", "not measured"))
    assert not (info.in_go and info.python_only)
    assert info.runtime == ("go" if info.in_go else "python-only" if info.python_only else "unknown")

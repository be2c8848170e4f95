"""Shared helpers for the evidence tests: sample paths, a matrix the samples fit, golden fragments.

Golden files live under ``tests/data/golden/evidence/``; ``AGNO_UPDATE_GOLDENS=1 pytest tests/evidence``
rewrites them instead of comparing (review with ``git diff``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from matrix.model import SupportMatrix
from tests import factories

DATA = Path(__file__).resolve().parent.parent / "data" / "evidence"
GOLDEN_DIR = Path(__file__).resolve().parent.parent / "data" / "golden" / "evidence"
#: Planted in tests only; built from pieces so no scanner mistakes this file for a leak.
PLANTED_KEY = "sk-" + "proj-" + "T3stK3yPlantedByAgnoDocs" + "0123456789abcdefABCDEF"


def sample_matrix() -> SupportMatrix:
    """factories.small() plus models.openai (the calculator fixture's provider)."""
    return factories.matrix(*factories.small().modules, factories.module("models.openai"))


def _normalise(text: str) -> str:
    text = re.sub(r">\s*<", ">\n<", text.strip())
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    update = os.environ.get("AGNO_UPDATE_GOLDENS", "") in {"1", "true", "yes"}

    def check(name: str, rendered: str) -> None:
        path = GOLDEN_DIR / name
        actual = _normalise(rendered)
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(
                f"{path}: no golden file; run `AGNO_UPDATE_GOLDENS=1 pytest tests/evidence` and review it"
            )
        assert actual == path.read_text(encoding="utf-8"), (
            f"{name} differs; refresh with AGNO_UPDATE_GOLDENS=1"
        )

    return check

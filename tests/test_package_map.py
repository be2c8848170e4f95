"""``matrix/__init__.py``: its docstring is the map of the package, so every module it names exists."""

from __future__ import annotations

import importlib
import re

import pytest

import matrix

NAMED = sorted(set(re.findall(r"``(matrix(?:\.\w+)+)``", matrix.__doc__ or "")))


def test_the_map_names_modules() -> None:
    assert len(NAMED) > 15, NAMED  # the pattern found the map, not nothing


@pytest.mark.parametrize("name", NAMED)
def test_every_module_the_map_names_exists(name: str) -> None:
    assert importlib.import_module(name).__name__ == name

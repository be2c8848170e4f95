"""The figures pages print, computed one way everywhere: status counts, shares, numbers, ratios.

Everything about what a status means comes from :data:`matrix.model.STATUS_TABLE` (through
``Status.info``); these helpers only count and format.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..model import Module, Status
from ..sources.benchmarks import higher_is_better

TIMES = "\u00d7"  # the multiplication sign ("4.1 times faster")


def counts(modules: Iterable[Module]) -> Counter[Status]:
    """How many modules have each status (the one status counter of the renderers)."""
    return Counter(m.status for m in modules)


def in_go_share(c: Counter[Status]) -> tuple[int, int]:
    """(in Go, baseline modules): statuses that count as in Go over every module the baseline has.

    Go-only modules are not baseline modules: they count in neither figure.
    """
    baseline = sum(n for s, n in c.items() if s is not Status.GO_ONLY)
    return sum(n for s, n in c.items() if s.in_go and s is not Status.GO_ONLY), baseline


def percent(part: int, whole: int) -> int:
    """Rounded down, so 99.6% never reads as 100%."""
    return (100 * part) // whole if whole else 0


def number(value: float) -> str:
    """``1,234`` for whole numbers, ``1,234.50`` from 1 up, three significant digits below 1."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"


def reading(unit: str, ratio: float, words: Any = None) -> str:
    """A Go / Python ratio in words: ``Go 4.1\u00d7 faster``, ``Go 7.5\u00d7 less``, ``same``
    (``words``: a :class:`matrix.render.words.Words`, for another language than English)."""
    from .words import Words

    w: Words = words or Words()
    if ratio == 0:
        return w.text("reading.zero")
    faster = ratio > 1 if higher_is_better(unit) else ratio < 1
    factor = ratio if ratio >= 1 else 1 / ratio
    if abs(factor - 1) < 0.005:
        return w.text("reading.same")
    times = f"{factor:.2g}{TIMES}"
    if unit.startswith(("B/", "allocs")):
        return w.text("reading.less" if faster else "reading.more", times=times)
    return w.text("reading.faster" if faster else "reading.slower", times=times)

"""matrix/workers.py: how busy the other CPUs are, read from the load average and /proc/loadavg."""

from __future__ import annotations

from pathlib import Path

import pytest

from matrix import workers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"5.18 5.55 4.73 3/227 3108\n", 2),  # the reader is one of the three running
        (b"0.00 0.01 0.05 1/120 99\n", 0),
        (b"0.00 0.01 0.05 0/120 99\n", 0),  # never below zero
        (b"0.00 0.01\n", None),  # too few fields
        (b"0.00 0.01 0.05 x/120 99\n", None),
    ],
)
def test_runnable_reads_the_fourth_field(tmp_path: Path, text: bytes, expected: int | None) -> None:
    path = tmp_path / "loadavg"
    path.write_bytes(text)
    assert workers.runnable(str(path)) == expected


def test_runnable_without_the_file_is_none(tmp_path: Path) -> None:
    assert workers.runnable(str(tmp_path / "missing")) is None


@pytest.mark.parametrize(
    ("average", "now", "expected"),
    [
        (1.6, 0, 0.0),  # the minute's average counts back-to-back runs of this command: idle now
        (0.4, 3, 0.4),  # a burst right now, idle over the minute
        (1.9, None, 1.9),  # no /proc/loadavg: the average alone
        (2.0, 0, 2.0),  # others kept both CPUs busy over the minute: nothing runnable is a lull
        (4.9, 1, 4.9),
    ],
)
def test_load_is_the_average_or_under_the_cpu_count_the_lesser_of_it_and_now(
    monkeypatch: pytest.MonkeyPatch, average: float, now: int | None, expected: float
) -> None:
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (average, 0.0, 0.0))
    monkeypatch.setattr(workers, "cpus", lambda: 2)
    monkeypatch.setattr(workers, "runnable", lambda: now)
    assert workers.load() == expected

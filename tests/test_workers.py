"""matrix/workers.py: how busy the other CPUs are (the load average, /proc/loadavg), and work split in two."""

from __future__ import annotations

import json
import os
import signal
import time
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


# --------------------------------------------------------------------------- in_two


def _pids(part: object) -> list[int]:
    return [os.getpid(), *part]  # type: ignore[misc]


def _enc(r: list[int]) -> bytes:
    return json.dumps(r).encode()


def _dec(b: bytes) -> list[int]:
    return json.loads(b)  # type: ignore[no-any-return]


def test_in_two_gives_both_parts_in_order_one_of_them_from_a_forked_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workers, "start_method", lambda: "fork")
    first, second = workers.in_two(list(range(100)), _pids, _enc, _dec)
    assert first[1:] + second[1:] == list(range(100))
    assert len(first) - 1 == round(100 * workers.CHILD_SHARE)
    assert first[0] != os.getpid() and second[0] == os.getpid()
    assert first[0] in workers._EXITING  # it said it was done: not waited for while it exits
    workers.reap()
    assert workers._EXITING == []
    with pytest.raises(ChildProcessError):  # reaped
        os.waitpid(first[0], os.WNOHANG)


def test_in_two_runs_both_parts_here_where_a_fork_is_not_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "start_method", lambda: "spawn")
    first, second = workers.in_two([1, 2, 3], _pids, _enc, _dec)
    assert (first, second) == ([os.getpid(), 1], [os.getpid(), 2, 3])


@pytest.mark.parametrize("how", ["raises", "killed", "no fork"])
def test_in_two_does_the_childs_part_here_when_the_child_fails(
    monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    me = os.getpid()

    def work(part: object) -> list[int]:
        if os.getpid() != me:  # the child
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            raise ValueError("boom")
        return _pids(part)

    def refuse() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(workers, "start_method", lambda: "fork")
    if how == "no fork":
        monkeypatch.setattr(workers.os, "fork", refuse)
    first, second = workers.in_two(list(range(10)), work, _enc, _dec)
    assert (first, second) == ([me, 0, 1, 2, 3], [me, *range(4, 10)])  # both here, in order


def test_in_two_raises_what_the_work_raises_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def work(part: object) -> list[int]:
        raise ValueError("the same error, wherever it runs")

    monkeypatch.setattr(workers, "start_method", lambda: "fork")
    with pytest.raises(ValueError, match="the same error"):
        workers.in_two([1, 2, 3], work, _enc, _dec)


def test_in_two_leaves_no_child_behind_when_this_part_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    me = os.getpid()
    pids: list[int] = []

    def work(part: object) -> list[int]:
        if os.getpid() == me:
            raise KeyboardInterrupt  # while the child still works on its part
        time.sleep(60)
        return []

    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(workers, "start_method", lambda: "fork")
    monkeypatch.setattr(workers.os, "fork", fork)
    with pytest.raises(KeyboardInterrupt):
        workers.in_two([1, 2, 3], work, _enc, _dec)
    assert len(pids) == 1
    with pytest.raises(ChildProcessError):  # killed and reaped, not left sleeping
        os.waitpid(pids[0], os.WNOHANG)

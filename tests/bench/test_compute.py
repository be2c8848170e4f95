"""bench/compute.py: the machine's two-process throughput and the rows written beside the cold figure."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import pytest

from bench import compute as compute_bench


@pytest.fixture
def compute() -> ModuleType:
    return compute_bench


def test_throughput_is_twice_the_work_in_the_pairs_time(compute: ModuleType) -> None:
    # two free cores: the pair takes as long as one alone; one core for both: twice as long
    assert compute._throughput([(0.3, 0.3), (0.3, 0.6), (0.2, 0.25)]) == pytest.approx([2.0, 1.0, 1.6])


def test_the_spin_loop_runs_and_is_timed(compute: ModuleType) -> None:
    alone, pair = compute._spin(dict(os.environ))
    assert alone > 0.05 and pair > 0.05  # a real loop ran, twice, not an empty process
    # (no range for the throughput itself: on a shared machine either timing may meet other work)


def test_the_rows_put_the_cold_figure_beside_one_process_and_the_two_cpu_floor(compute: ModuleType,
                                                                              tmp_path: Path) -> None:
    got = {"read": [(0.08, 0.08)] * 3, "cold": [(0.8, 1.2), (0.82, 1.2), (0.84, 1.2)],
           "cold-1p": [(1.2, 1.2)] * 3, "cold-w": [(0.8, 1.2)] * 3, "warm": [(0.07, 0.07)] * 3,
           "spin": [(0.3, 0.3), (0.3, 0.4), (0.3, 0.3)]}
    out = tmp_path / "compute.json"
    compute._write_json(out, got, True, 0.5, 3)
    rows = {r["what"].split(",")[0].split(" (")[0]: r for r in json.loads(out.read_text())["rows"]}
    cold = rows["`compute` cold"]
    assert cold["met"] is False and cold["measured"].startswith("0.820 s (0.800-0.840)")
    one = rows["`compute` cold in one process"]
    assert one["measured"].startswith("1.200 s") and "takes 0.68x (0.67-0.70) of it" in one["ratio"]
    two = rows["two CPUs on this machine: a CPU-bound loop run twice at once against once"]
    assert two["measured"] == "2.00x (1.50-2.00) one CPU's throughput"
    assert two["ratio"].startswith("one-process cold / that: 0.600 s") and two["met"] is None

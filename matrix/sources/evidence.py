"""Join evidence (parity runs, benchmarks) onto a computed matrix.

``compute`` calls :func:`apply_evidence` when ``--parity``, ``--bench-go`` or
``--bench-python`` are given. The result is validated again (``SupportMatrix``
checks every cross-field rule on construction), so a join can never produce a
document the contract rejects.
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from ..model import SupportMatrix
from .benchmarks import BenchFile, pair, read_bench_file
from .parity import join_parity, read_parity_dir

PathLike = str | os.PathLike[str]


def apply_evidence(
    matrix: SupportMatrix,
    *,
    parity_dir: PathLike | None = None,
    bench_go: PathLike | None = None,
    bench_python: PathLike | None = None,
) -> SupportMatrix:
    """``matrix`` with parity joined (modules of failing fixtures demoted) and benchmarks paired."""
    if parity_dir is not None:
        matrix = join_parity(matrix, read_parity_dir(Path(parity_dir)))
    if bench_go is not None or bench_python is not None:
        go: BenchFile | None = read_bench_file(bench_go) if bench_go is not None else None
        py: BenchFile | None = read_bench_file(bench_python) if bench_python is not None else None
        diagnostics = list(matrix.diagnostics)
        for side in (go, py):
            if side is not None:
                diagnostics += side.diagnostics
        matrix = msgspec.structs.replace(matrix, benchmarks=pair(go, py), diagnostics=tuple(diagnostics))
    # Re-run the contract's checks on the joined document (msgspec.structs.replace skips __post_init__).
    return msgspec.convert(msgspec.to_builtins(matrix), SupportMatrix)

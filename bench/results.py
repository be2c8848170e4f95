"""The figures a bench script writes with ``--json FILE``, in one shape that ``bench/report.py`` reads.

Each bench run writes one file (the committed ones live in ``bench/results/<bench>.json``; they
are measurements, derived data)::

    {"bench": "site", "command": "bench/site.py --rounds 5", "date": "2026-12-02",
     "cpus": 2, "load_average": {"start": 1.2, "end": 1.5},
     "rows": [{"what": "...", "target": "<= 4 s", "measured": "2.10 s (1.90-2.50)",
               "ratio": "1.05x (0.98-1.20) the same pages without generated content",
               "met": true}, ...],
     "raw": {...}}

``measured`` and ``ratio`` are text the bench formats from its own measurements (absolute figure
with its spread; the ratio to a baseline taken in the same rounds); ``met`` is true, false, or
null for a figure without a target. Nothing in the README's performance table is typed by hand.
"""

from __future__ import annotations

import datetime
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

SCHEMA_KEYS = ("bench", "command", "date", "cpus", "load_average", "rows")
ROW_KEYS = ("what", "target", "measured", "ratio", "met")


def row(what: str, target: str, measured: str, ratio: str = "", met: bool | None = None) -> dict[str, Any]:
    return {"what": what, "target": target, "measured": measured, "ratio": ratio, "met": met}


def command(argv: list[str] | None = None) -> str:
    """How this bench was called, as a user would type it from the repository root."""
    args = sys.argv[1:] if argv is None else argv
    script = Path(sys.argv[0]).resolve()
    try:
        name = script.relative_to(Path(__file__).resolve().parent.parent).as_posix()
    except ValueError:
        name = script.name
    args = [a for i, a in enumerate(args) if a != "--json" and (i == 0 or args[i - 1] != "--json")]
    return " ".join([name, *map(shlex.quote, args)])


def write(path: Path, bench: str, rows: list[dict[str, Any]], load_start: float,
          raw: Any = None, argv: list[str] | None = None) -> None:
    """Write the figures of one run to ``path`` (UTF-8 JSON, keys in a stable order)."""
    data = {
        "bench": bench,
        "command": command(argv),
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "load_average": {"start": round(load_start, 2), "end": round(os.getloadavg()[0], 2)},
        "rows": rows,
        "raw": raw,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def span(values: list[float], fmt: str = "{:.2f}", unit: str = "") -> str:
    """``median (min-max)`` of ``values``."""
    import statistics

    med = statistics.median(values)
    sep = " to " if fmt.startswith("{:+") else "-"
    return f"{fmt.format(med)}{unit} ({fmt.format(min(values))}{sep}{fmt.format(max(values))})"

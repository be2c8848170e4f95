"""Site build bench: the full build, beside the same pages without generated content, and at N x modules.

    .venv/bin/python bench/site.py [--rounds 5] [--scale 10] [--before DIR] [--json FILE] [--keep DIR]
                                   [--out DIR]

Three builds, ``mkdocs build --strict`` in a fresh process each (imports count, as for a user),
into a fresh folder each, in an order that rotates from round to round:

* ``site``: the site as it is, from the committed snapshot (every page, the generated family and
  module pages, every language the config builds);
* ``plain``: the same pages without generated content, the baseline: one untimed build of the
  site dumps every page's Markdown as it reached Markdown (macro output in place, front matter
  kept), the generated files (pages, nav, JSON exports) and the theme's HTML from ``extra``; the
  baseline builds that folder with the same theme, Markdown extensions and other plugins but no
  macros, no gen-files and no hooks. Its output is checked against the site's
  (``bench/site_diff.py``: files that differ apart from whitespace are reported);
* ``scaled``: the site from a synthetic matrix with every module repeated ``--scale`` times under
  new ids (``<id>_x2``...; recipes unchanged), passed as ``AGNO_MATRIX_SNAPSHOT``.

With ``--before DIR`` (a tree of the code before a change), its build is a fourth kind in the same
rounds and its output is diffed against the site's (``bench/site_diff.py``).

Ratios are taken within a round (``site / plain``, ``scaled / site``) and their median printed
beside the absolute medians, CPU time (user+sys of the build) and the load average at start and
end. Also reported: ``search/search_index.json`` at 1x and at N x (bytes and gzip), the largest
pages. Targets (issue 15): site <= 4 s; site / plain <= 1.3; scaled / site <= 3 at 10x; search
index < 400 KB at 1x.

Where the builds write: by default, a folder on a RAM-backed file system (``/dev/shm`` when it is a
tmpfs with 2 GB free; the system's temporary folder otherwise), so the figures are the build's and
not the disk's. On this project's benchmark machine (a VM's ext4 volume mounted with ``discard``),
creating a directory costs 0.03 to 0.8 ms of kernel time depending on what was deleted shortly
before (measured: the same 7,400 ``mkdir`` calls took 0.2 s to 6 s), and a build at 10x modules
creates 7,400 of them: the figure swung by several seconds between identical runs, and each round's
removal of the previous round's output slowed the next. ``--out DIR`` puts the builds under ``DIR``
instead (a disk, to measure it); the report names where they were written.

Bytecode: a normal installation runs from cached ``.pyc`` files. This environment may set
``PYTHONDONTWRITEBYTECODE=1`` (every build then recompiles the engine and the hooks); the bench points
``PYTHONPYCACHEPREFIX`` at its temporary folder (nothing is written into a checkout), primed by the
untimed first builds, as bench/compute.py and bench/check.py do. ``--no-bytecode`` measures without it.

Exit 0 when every target is met, 1 when one is not, 2 when a build fails or the arguments are bad.
Not a test: figures depend on the machine, so they are reported, never asserted in the suite.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import results  # noqa: E402
from bench.site_diff import compare  # noqa: E402

BUILD_TARGET_S = 4.0
PLAIN_RATIO = 1.3
SCALED_RATIO = 3.0
SEARCH_TARGET = 400_000
GENERATING_PLUGINS = ("macros", "gen-files")


#: Where the builds keep their bytecode (the bench's temporary folder), or None to leave it as it is.
_pycache: Path | None = None


def _env(snapshot: Path | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if _pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(_pycache)
    if snapshot is not None:
        env["AGNO_MATRIX_SNAPSHOT"] = str(snapshot)
    env.update(extra)
    return env


def build(out: Path, cwd: Path, env: dict[str, str], config: Path | None = None) -> tuple[float, float]:
    """One ``mkdocs build --strict`` in a new process: (wall s, CPU s of the process)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)]
    if config is not None:
        cmd += ["-f", str(config)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        output = (proc.stderr + proc.stdout).splitlines()
        lines = [ln for ln in output if ln.strip() and not ln.startswith("INFO")]
        raise SystemExit(f"bench/site.py: mkdocs build --strict{' -f ' + str(config) if config else ''} "
                         f"failed (exit {proc.returncode}): {' | '.join(lines[-3:])}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class _Tagged:
    """A value mkdocs.yml writes with a YAML tag (``!ENV``, ``!!python/name:``): kept out of our copies."""


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("", lambda loader, suffix, node: _Tagged())
_Loader.add_multi_constructor("!", lambda loader, suffix, node: _Tagged())
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: _Tagged())


def _config() -> dict[str, Any]:
    """mkdocs.yml as data (tagged values stand as :class:`_Tagged`: the derived configs INHERIT it)."""
    data = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    assert isinstance(data, dict)
    return data


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def _untagged(value: Any, where: str) -> Any:
    if isinstance(value, _Tagged):
        raise SystemExit(f"bench/site.py: mkdocs.yml: {where} holds a tagged value (!ENV...) that this bench "
                         "cannot copy into the baseline's plugin list")
    if isinstance(value, dict):
        return {k: _untagged(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_untagged(v, where) for v in value]
    return value


def _derived(folder: Path, **overrides: Any) -> Path:
    """A config in ``folder`` that INHERITs the site's mkdocs.yml with ``overrides`` (top-level keys)."""
    for name in ("docs", "overrides", "macros"):
        if not (folder / name).exists():
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump({"INHERIT": str(ROOT / "mkdocs.yml"), **overrides}, sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    return path


def make_plain(tmp: Path) -> Path:
    """The baseline project (see the module doc); returns its mkdocs.yml."""
    dump = tmp / "dump"
    work = tmp / "dumpsite"
    work.mkdir()
    config = _config()
    hooks = list(config.get("hooks", []))
    _derived(work, hooks=[*hooks, str(ROOT / "bench" / "_dump_hook.py")])
    build(tmp / "dump-out", work, _env(AGNO_BENCH_DUMP=str(dump), PYTHONPATH=str(ROOT)))

    plain = tmp / "plain"
    shutil.copytree(ROOT / "docs", plain / "docs")
    shutil.copytree(dump / "docs", plain / "docs", dirs_exist_ok=True)
    # the generated nav files are read by literate-nav, never published (macros/gen_files.py)
    from matrix.render.site import NAV_FILES

    plugins = [_untagged(p, f"plugin {_plugin_name(p)}") for p in config.get("plugins", [])
               if _plugin_name(p) not in GENERATING_PLUGINS]
    excluded = str(config.get("exclude_docs") or "") + "".join(f"/{n}\n" for n in NAV_FILES)
    return _derived(plain, plugins=plugins, hooks=[h for h in hooks if h != "macros/hooks.py"],
                    extra=json.loads((dump / "extra.json").read_text(encoding="utf-8")),
                    exclude_docs=excluded)


def scaled_snapshot(factor: int, path: Path) -> int:
    """The site's matrix with every module repeated ``factor`` times under new ids; the module count."""
    from matrix.settings import Settings
    from matrix.sources import load, snapshot

    matrix = load(Settings.from_env()).matrix
    copies = [msgspec.structs.replace(m, id=f"{m.id}_x{k}")
              for k in range(2, factor + 1) for m in matrix.modules]
    snapshot.dump(msgspec.structs.replace(matrix, modules=matrix.modules + tuple(copies)), path)
    return len(matrix.modules) * factor


#: The least room a RAM-backed folder must have to hold the builds (the first ones are kept).
RAM_ROOM = 2_000_000_000


def _mounts() -> list[tuple[str, str]]:
    """(mount point, file system type) of every mount."""
    try:
        lines = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [(f[1].replace("\\040", " "), f[2]) for f in (ln.split() for ln in lines) if len(f) >= 3]


def _file_system(path: Path, mounts: list[tuple[str, str]] | None = None) -> str:
    """The type of file system ``path`` is on (``tmpfs``, ``ext4``), or ``unknown``."""
    resolved = str(path.resolve())
    for point, kind in sorted(_mounts() if mounts is None else mounts, key=lambda m: len(m[0]), reverse=True):
        if resolved == point or resolved.startswith(point.rstrip("/") + "/"):
            return kind
    return "unknown"


def _ram_folder() -> Path | None:
    """``/dev/shm`` when it is a tmpfs with room for the builds, else None (the temporary folder)."""
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and _file_system(shm) == "tmpfs" and shutil.disk_usage(shm).free >= RAM_ROOM:
            return shm
    except OSError:
        pass
    return None


def _size(site: Path) -> tuple[int, int, str]:
    """The largest edition's search index (each edition has its own, macros/search_hooks.py): bytes,
    gzip bytes, and which (``en``, ``zh``...)."""
    sizes = []
    for path in sorted(site.rglob("search/search_index.json")):
        data = path.read_bytes()
        rel = path.relative_to(site).parts
        sizes.append((len(data), len(gzip.compress(data, 6)), rel[0] if len(rel) > 2 else "en"))
    return max(sizes)


def _pages(site: Path) -> tuple[int, int, list[tuple[int, str]]]:
    pages = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    return len(pages), sum(s for s, _ in pages), sorted(pages, reverse=True)[:4]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5, help="rounds of the three builds (default 5)")
    ap.add_argument("--scale", type=int, default=10, help="module multiplier, scaled build (default 10)")
    ap.add_argument("--json", type=Path, help="write the figures here (bench/results.py format)")
    ap.add_argument("--before", type=Path, metavar="DIR",
                    help="a tree of the code before a change (git archive main | tar -x -C DIR): its build "
                    "is timed in the same rounds (same snapshot; its own engine, macros and config) and "
                    "its output diffed against the site's")
    ap.add_argument("--keep", type=Path, help="keep the last round's three builds under this folder")
    ap.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is")
    ap.add_argument("--out", type=Path, metavar="DIR",
                    help="build under this folder (default: a RAM-backed one when there is one, see above)")
    args = ap.parse_args(argv)
    if args.rounds < 1 or args.scale < 2:
        print("bench/site.py: --rounds must be >= 1 and --scale >= 2", file=sys.stderr)
        return 2
    where = args.out if args.out is not None else _ram_folder()
    if where is not None and not where.is_dir():
        print(f"bench/site.py: --out {where}: no such folder", file=sys.stderr)
        return 2
    return _bench(args, argv, where)


def _bench(args: argparse.Namespace, argv: list[str] | None, where: Path | None) -> int:
    load_start = os.getloadavg()
    print(f"machine: {os.cpu_count()} CPUs, load average {load_start[0]:.2f} {load_start[1]:.2f} "
          f"{load_start[2]:.2f} at start (wall-clock figures: other work on the machine inflates them)")
    tmp = Path(tempfile.mkdtemp(prefix="agno-bench-site-", dir=where))
    written = _file_system(tmp)
    print(f"output: {tmp} ({written})")
    global _pycache
    _pycache = None if args.no_bytecode else tmp / "pycache"
    try:
        snap = tmp / f"matrix-x{args.scale}.json"
        modules = scaled_snapshot(args.scale, snap)
        plain_config = make_plain(tmp)
        kinds: dict[str, Callable[[Path], tuple[float, float]]] = {
            "site": lambda out: build(out, ROOT, _env()),
            "plain": lambda out: build(out, plain_config.parent, _env(PYTHONPATH=str(ROOT)), plain_config),
            "scaled": lambda out: build(out, ROOT, _env(snap)),
        }
        if args.before is not None:
            before = args.before.resolve()
            kinds["before"] = lambda out: build(out, before, _env(PYTHONPATH=str(before)))
        # untimed: one build of each (bytecode and file caches), kept for the checks below
        for kind, run in kinds.items():
            run(tmp / f"first-{kind}")
        compared, diffs = compare(tmp / "first-site", tmp / "first-plain")
        if "before" in kinds:
            compared_b, diffs_b = compare(tmp / "first-before", tmp / "first-site")
            print(f"before/after: the site against the build before the change, whitespace normalised: "
                  f"{len(diffs_b)} of {compared_b} files differ"
                  + "".join(f"\n  {n}: {w}" for n, w in diffs_b[:5]))
        print(f"baseline check: the plain build against the site, whitespace normalised: {len(diffs)} of "
              f"{compared} files differ" + "".join(f"\n  {n}: {w}" for n, w in diffs[:5]))
        got: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
        order = list(kinds)
        for i in range(args.rounds):
            for kind in order[i % len(order):] + order[: i % len(order)]:
                out = tmp / f"{kind}-{i}"
                got[kind].append(kinds[kind](out))
                if args.keep is None or i < args.rounds - 1:
                    shutil.rmtree(out, ignore_errors=True)
        load_end = os.getloadavg()

        walls = {k: [w for w, _ in v] for k, v in got.items()}
        cpus = {k: [c for _, c in v] for k, v in got.items()}

        def ratios(a: str, b: str, of: dict[str, list[float]]) -> list[float]:
            return [x / y for x, y in zip(of[a], of[b], strict=True)]

        vs_plain, vs_site = ratios("site", "plain", walls), ratios("scaled", "site", walls)
        cpu_plain, cpu_site = ratios("site", "plain", cpus), ratios("scaled", "site", cpus)
        site_s, plain_s = statistics.median(walls["site"]), statistics.median(walls["plain"])
        idx1, idxn = _size(tmp / "first-site"), _size(tmp / "first-scaled")
        pages1, bytes1, top1 = _pages(tmp / "first-site")
        pagesn, bytesn, _ = _pages(tmp / "first-scaled")
        met = {"build": site_s <= BUILD_TARGET_S, "plain": statistics.median(vs_plain) <= PLAIN_RATIO,
               "scaled": statistics.median(vs_site) <= SCALED_RATIO, "index": idx1[0] < SEARCH_TARGET}
        for kind in kinds:
            print(f"  {kind:7} wall {results.span(walls[kind], unit=' s')}, "
                  f"CPU {results.span(cpus[kind], unit=' s')}")
        same = ("baseline output identical apart from whitespace" if not diffs
                else f"baseline output differs in {len(diffs)} files")
        n = args.rounds
        rows = [
            results.row(f"full `mkdocs build --strict` from the snapshot ({pages1} HTML pages, written to "
                        f"{written})", "<= 4 s",
                        f"{results.span(walls['site'], unit=' s')}, CPU "
                        f"{statistics.median(cpus['site']):.2f} s",
                        f"{results.span(vs_plain, unit='x')} the same pages without generated content "
                        f"({plain_s:.2f} s)", met["build"]),
            results.row("build / the same pages without generated content (the Markdown as macros left it, "
                        "built without macros, gen-files and hooks)", "<= 1.3x",
                        f"{site_s:.2f} s / {plain_s:.2f} s",
                        f"{results.span(vs_plain, unit='x')} (CPU {results.span(cpu_plain, unit='x')}), "
                        f"paired over {n} rounds; {same}", met["plain"]),
            results.row(f"build at {args.scale}x modules ({modules:,}, synthetic copies, written to "
                        f"{written})",
                        "<= 3x the 1x build", results.span(walls["scaled"], unit=" s"),
                        f"{results.span(vs_site, unit='x')} the 1x build "
                        f"(CPU {results.span(cpu_site, unit='x')})",
                        met["scaled"]),
            results.row("search index at 1x, the largest edition's (each edition has its own "
                        "`search/search_index.json`)", "< 400 KB",
                        f"{idx1[0] / 1000:.0f} KB ({idx1[1] / 1000:.0f} KB gzip, {idx1[2]}); "
                        f"{idxn[0] / 1000:.0f} KB at {args.scale}x", "", met["index"]),
        ]
        names = ["build", "ratio", "scale", "search"]
        if "before" in kinds:
            vs_before, cpu_before = ratios("site", "before", walls), ratios("site", "before", cpus)
            rows.append(results.row(
                "build / the same site before this change (`--before`: main's tree, same snapshot)", "-",
                f"{site_s:.2f} s / {statistics.median(walls['before']):.2f} s",
                f"{results.span(vs_before, unit='x')} (CPU {results.span(cpu_before, unit='x')}), "
                f"paired over {n} rounds; output: {len(diffs_b)} of {compared_b} files differ apart from "
                "whitespace", None))
            names.append("before")
        for r, name in zip(rows, names, strict=True):
            verdict = {True: f"; target {r['target']} PASS", False: f"; target {r['target']} FAIL", None: ""}
            print(f"{name:7}: {r['measured']}; {r['ratio'] or '-'}{verdict[r['met']]}")
        print(f"pages  : {pages1} HTML pages, {bytes1:,} bytes at 1x ({pagesn} pages, {bytesn:,} bytes "
              f"at {args.scale}x); largest: " + ", ".join(f"{name} {size:,}" for size, name in top1))
        print(f"machine: load average {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f} at the end")
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            for kind in kinds:
                shutil.rmtree(args.keep / kind, ignore_errors=True)
                shutil.move(str(tmp / f"{kind}-{args.rounds - 1}"), args.keep / kind)
        if args.json:
            raw = {"rounds": n, "scale": args.scale, "written_to": written, "modules_scaled": modules,
                   "walls": walls, "cpus": cpus,
                   "search_index": {"1x": idx1, f"{args.scale}x": idxn},
                   "html_pages": {"1x": [pages1, bytes1], f"{args.scale}x": [pagesn, bytesn]},
                   "baseline_differs": [name for name, _ in diffs]}
            results.write(args.json, "site", rows, load_start[0], raw, argv)
        return 0 if all(met.values()) else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

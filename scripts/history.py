"""Compute one snapshot per runtime release into matrix/data/history/<version>.json.

    .venv/bin/python scripts/history.py --python-git /path/to/agno.git --go-git /path/to/agno-Go.git \
        [--tags v1.0.0 v1.1.0 ...] [--pair same|date] [--python-rev REV] [--out matrix/data/history]
        [--keep-recipes] [--keep-units]

Reads two local git repositories (bare or not; nothing is fetched). For each runtime tag, the
runtime tree is ``git archive``d at the tag and paired with one baseline commit for every
release (``--pair same``, the default: ``--python-rev``, HEAD unless given; use the commit of the
committed snapshot, so that "What's new" compares Go releases against the baseline the matrix
shows) or with the baseline commit that was current at the tag's date (``--pair date``: ``git
rev-list -1 --before``). The runtime version is the tag (``version_from``: ``git tag``) and its
date the tag's (``runtime.date``: the tagger date of an annotated tag, else its commit's date);
``baseline.date`` is the baseline commit's date. Recipes are dropped from history files unless
``--keep-recipes`` (size: about 0.8 MB of recipes per release), and so is each module's
unit-by-unit evidence unless ``--keep-units`` (about 1.5 MB per release): ``since`` and "What's
new" need only the statuses and the coverage counts with the missing names.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TAGS = ["v1.0.0", "v1.1.0", "v1.2.0", "v1.2.5", "v1.2.7", "v1.2.9"]


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", f"--git-dir={repo}", *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _gitdir(path: Path) -> Path:
    return path / ".git" if (path / ".git").is_dir() else path


def _archive(repo: Path, rev: str, dest: Path, paths: list[str]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.Popen(["git", f"--git-dir={repo}", "archive", rev, *paths], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"scripts/history.py: git archive {rev} {' '.join(paths)} failed in {repo}")


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from matrix.errors import AgnoDocsError
    from matrix.sources.scan import compute
    from matrix.sources.snapshot import dump

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python-git", type=Path, required=True)
    ap.add_argument("--go-git", type=Path, required=True)
    ap.add_argument("--tags", nargs="+", default=DEFAULT_TAGS)
    ap.add_argument("--pair", choices=["same", "date"], default="same")
    ap.add_argument("--python-rev", default="HEAD", help="the baseline commit of --pair same (default HEAD)")
    ap.add_argument("--out", type=Path, default=ROOT / "matrix" / "data" / "history")
    ap.add_argument("--keep-recipes", action="store_true")
    ap.add_argument("--keep-units", action="store_true")
    args = ap.parse_args()
    py_git, go_git = _gitdir(args.python_git), _gitdir(args.go_git)
    head = _git(py_git, "rev-parse", f"{args.python_rev}^{{commit}}")
    head_date = datetime.fromisoformat(_git(py_git, "log", "-1", "--format=%cI", head))
    with tempfile.TemporaryDirectory(prefix="agno-history-") as tmp:
        for tag in args.tags:
            go_commit = _git(go_git, "rev-parse", f"{tag}^{{commit}}")
            date = _git(go_git, "log", "-1", "--format=%cI", go_commit)
            tag_date = _git(go_git, "for-each-ref", f"refs/tags/{tag}", "--format=%(creatordate:iso-strict)")
            py_commit = (
                head if args.pair == "same" else _git(py_git, "rev-list", "-1", f"--before={date}", "HEAD")
            )
            go_dir, py_dir = Path(tmp) / f"go-{tag}", Path(tmp) / f"py-{py_commit[:12]}"
            _archive(go_git, go_commit, go_dir, [])
            if not py_dir.exists():
                _archive(py_git, py_commit, py_dir, ["libs/agno", "cookbook"])
            try:
                m = compute(
                    py_dir, go_dir, use_cache=False, quiet=True, python_commit=py_commit, go_commit=go_commit
                )
            except AgnoDocsError as exc:
                print(f"{tag}: skipped: {exc}", file=sys.stderr)
                continue
            version = tag.lstrip("v")
            modules = m.modules
            if not args.keep_units:
                modules = tuple(
                    msgspec.structs.replace(x, coverage=msgspec.structs.replace(x.coverage, units=()))
                    if x.coverage is not None else x
                    for x in m.modules
                )
            py_date = head_date if py_commit == head else datetime.fromisoformat(
                _git(py_git, "log", "-1", "--format=%cI", py_commit)
            )
            m = msgspec.structs.replace(
                m,
                runtime=msgspec.structs.replace(
                    m.runtime, version=version, version_from="git tag",
                    date=datetime.fromisoformat(tag_date or date),
                ),
                baseline=msgspec.structs.replace(m.baseline, date=py_date),
                recipes=m.recipes if args.keep_recipes else (),
                modules=modules,
            )
            out = args.out / f"{version}.json"
            dump(m, out)
            in_go = sum(1 for x in m.modules if x.status.in_go)
            print(
                f"{tag} ({date[:10]}) + agno {m.baseline.version} ({py_commit[:10]}): {len(m.modules)} "
                f"modules, {in_go} in Go -> {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Baseline and runtime provenance: version (and where it was read) and commit.

The commit is what git says is checked out at the tree's root (``git rev-parse HEAD``: a
clone, a linked worktree or a submodule alike; the repository must be the tree's own, not a
folder above it). Exported trees (``git archive``) have none: pass the commit explicitly
(``--python-commit``/``--go-commit`` or ``AGNO_PYTHON_COMMIT``/``AGNO_GO_COMMIT``).
The version comes from the first source of the profile's ``version_from`` that has one.
No git binary, a broken ``.git``, a file that is not UTF-8: that value is unknown (None),
never a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ...model import Provenance
from ...profiles import TreeSpec

_HEX = re.compile(r"^[0-9a-f]{40}$")
_CHANGELOG = re.compile(r"^##\s*\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?", re.M)
_PYPROJECT = re.compile(r"^\[project\][^\[]*?^version\s*=\s*[\"']([^\"']+)[\"']", re.M | re.S)
_CONST = re.compile(r"\bVersion\s*=\s*\"v?(\d+\.\d+\.\d+[^\"]*)\"")
#: Seconds one git command may take.
GIT_TIMEOUT = 10


def git_commit(root: Path) -> str | None:
    """The commit checked out at ``root``, or None (no ``.git`` there, no git, not a repository)."""
    if not (root / ".git").exists():
        return None
    out = _git(root, "rev-parse", "--show-toplevel", "HEAD")
    if out is None or len(out) != 2 or not _HEX.match(out[1]):
        return None
    top, commit = out
    return commit if _same_folder(Path(top), root) else None


def git_date(root: Path) -> datetime | None:
    """When the commit checked out at ``root`` was made (committer date), or None."""
    if not (root / ".git").exists():
        return None
    out = _git(root, "log", "-1", "--format=%cI", "HEAD")
    if not out:
        return None
    try:
        return datetime.fromisoformat(out[0])
    except ValueError:
        return None


def provenance(root: Path, spec: TreeSpec, commit: str | None) -> Provenance:
    version, version_from = _version(root, spec.version_from)
    found = git_commit(root)
    return Provenance(
        name=spec.name,
        version=version,
        version_from=version_from,
        commit=found or commit,
        repository=spec.repository,
        date=git_date(root) if found else None,
    )


def watched(root: Path, spec: TreeSpec) -> list[str] | None:
    """The paths :func:`provenance` depends on, for a record that must see them change; None when
    they cannot all be named (a ``.git`` that is a file: a linked worktree or a submodule).

    The version files of ``version_from``; and, with a ``.git`` folder, what git reads to answer
    (``HEAD``, ``packed-refs`` and every file and folder under ``refs``: a commit, a checkout or a
    new tag changes one of them); without one, the root itself (creating ``.git`` changes it).
    """
    out = [str(root)]
    for src in spec.version_from:
        kind, _, arg = src.partition(":")
        if arg and kind != "git-tag":
            out.append(str(root / arg))
    git = root / ".git"
    if git.is_symlink() or (git.exists() and not git.is_dir()):
        return None
    if git.is_dir():
        out += [str(git), str(git / "HEAD"), str(git / "packed-refs")]
        for top, _dirs, files in os.walk(git / "refs"):
            out.append(top)
            out.extend(os.path.join(top, f) for f in files)
    return out


# --- internals -------------------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> list[str] | None:
    """The output lines of ``git -C root args``, or None when git is missing, fails or hangs."""
    env = {
        **os.environ,
        "GIT_CEILING_DIRECTORIES": str(root.resolve().parent),  # never a repository above the tree
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
    }
    import subprocess  # here, not at the top: ~30 ms of imports a warm scan of a tree without git skips

    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", str(root), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            env=env,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    return [os.fsdecode(line) for line in done.stdout.splitlines() if line.strip()]


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _read(path: Path, errors: str = "strict") -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors=errors)
    except (OSError, UnicodeDecodeError):
        return None


def _from_pyproject(root: Path, arg: str) -> tuple[str, str] | None:
    """``[project] version`` (a literal one found fast, else through TOML); not UTF-8 is no version."""
    text = _read(root / arg)
    if text is None:
        return None
    m = _PYPROJECT.search(text)
    if m:
        return m.group(1), arg
    import tomllib  # only when the fast literal read fails

    try:
        project = tomllib.loads(text).get("project")
    except tomllib.TOMLDecodeError:
        return None
    version = project.get("version") if isinstance(project, dict) else None
    return (version, arg) if isinstance(version, str) else None


def _from_git_tag(root: Path, arg: str) -> tuple[str, str] | None:
    if not (root / ".git").exists():
        return None
    out = _git(root, "describe", "--tags", "--abbrev=0")
    return (out[0].strip(), "git tag (newest reachable)") if out and len(out) == 1 else None


def _from_const(root: Path, arg: str) -> tuple[str, str] | None:
    """A Go ``Version = "1.2.3"`` constant, or a file holding only the version."""
    text = _read(root / arg, errors="replace")
    if text is None:
        return None
    m = _CONST.search(text)
    version = m.group(1) if m else text.strip().lstrip("v")
    return (version, arg) if version and re.match(r"^\d+\.\d+", version) else None


def _from_changelog(root: Path, arg: str) -> tuple[str, str] | None:
    text = _read(root / arg, errors="replace")
    m = _CHANGELOG.search(text) if text is not None else None
    return (m.group(1), f"{arg} (newest entry)") if m else None


_READERS: dict[str, Callable[[Path, str], tuple[str, str] | None]] = {
    "pyproject": _from_pyproject,
    "git-tag": _from_git_tag,
    "const": _from_const,
    "changelog": _from_changelog,
}


def _version(root: Path, sources: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(version, where it was read) from the first of ``sources`` that has one."""
    for src in sources:
        kind, _, arg = src.partition(":")
        reader = _READERS.get(kind)
        found = reader(root, arg) if reader else None
        if found:
            return found
    return None, None

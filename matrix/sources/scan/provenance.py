"""Baseline and runtime provenance: version (and where it was read) and commit.

Commits come from the checkout's ``.git`` (read directly: ``HEAD``, loose refs,
``packed-refs``); for exported trees (``git archive``) pass them explicitly
(``--python-commit``/``--go-commit`` or ``AGNO_PYTHON_COMMIT``/``AGNO_GO_COMMIT``).
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from ...model import Provenance
from ...profiles import TreeSpec

_HEX = re.compile(r"^[0-9a-f]{40}$")
_CHANGELOG = re.compile(r"^##\s*\[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?", re.M)
_PYPROJECT = re.compile(r"^\[project\][^\[]*?^version\s*=\s*[\"']([^\"']+)[\"']", re.M | re.S)
_CONST = re.compile(r"\bVersion\s*=\s*\"v?(\d+\.\d+\.\d+[^\"]*)\"")


def git_commit(root: Path) -> str | None:
    git = root / ".git"
    if git.is_file():  # a worktree or submodule: "gitdir: <path>"
        text = git.read_text(errors="replace").strip()
        if text.startswith("gitdir:"):
            git = (root / text[7:].strip()).resolve()
    if not git.is_dir():
        return None
    try:
        head = (git / "HEAD").read_text().strip()
    except OSError:
        return None
    if _HEX.match(head):
        return head
    if head.startswith("ref:"):
        ref = head[4:].strip()
        try:
            value = (git / ref).read_text().strip()
            if _HEX.match(value):
                return value
        except OSError:
            pass
        try:
            for line in (git / "packed-refs").read_text().splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref and _HEX.match(parts[0]):
                    return parts[0]
        except OSError:
            pass
    return None


def _version(root: Path, sources: tuple[str, ...]) -> tuple[str | None, str | None]:
    for src in sources:
        kind, _, arg = src.partition(":")
        if kind == "pyproject":
            try:
                text = (root / arg).read_text()
            except OSError:
                continue
            m = _PYPROJECT.search(text)  # fast path: a literal version in [project]
            if m:
                return m.group(1), arg
            try:
                v = tomllib.loads(text).get("project", {}).get("version")
            except tomllib.TOMLDecodeError:
                continue
            if isinstance(v, str):
                return v, arg
        elif kind == "git-tag" and (root / ".git").exists():
            try:
                out = subprocess.run(
                    ["git", "-C", str(root), "describe", "--tags", "--abbrev=0"],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired):
                continue
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.strip(), "git tag (newest reachable)"
        elif kind == "const":
            path = root / arg
            try:
                text = path.read_text(errors="replace")
            except OSError:
                continue
            m = _CONST.search(text)
            v = m.group(1) if m else text.strip().lstrip("v")
            if v and re.match(r"^\d+\.\d+", v):
                return v, arg
        elif kind == "changelog":
            try:
                m = _CHANGELOG.search((root / arg).read_text(errors="replace"))
            except OSError:
                continue
            if m:
                return m.group(1), f"{arg} (newest entry)"
    return None, None


def provenance(root: Path, spec: TreeSpec, commit: str | None) -> Provenance:
    version, version_from = _version(root, spec.version_from)
    return Provenance(
        name=spec.name,
        version=version,
        version_from=version_from,
        commit=git_commit(root) or commit,
        repository=spec.repository,
    )

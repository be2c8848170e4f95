"""Provenance: the commit from git (clones, linked worktrees, never a repository above the tree),
versions from each source, and unreadable inputs (no git, non-UTF-8 files) as None, never a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import msgspec
import pytest

from matrix.profiles import TreeSpec, load_profile
from matrix.sources.scan import compute
from matrix.sources.scan.provenance import git_commit, provenance
from tests.scan.conftest import Trees

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def spec(*version_from: str) -> TreeSpec:
    """The shipped baseline spec, reading its version from ``version_from``."""
    return msgspec.structs.replace(load_profile().baseline, version_from=version_from)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(cwd), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return done.stdout.strip()


def repo(root: Path, files: dict[str, str] | None = None, tag: str | None = None) -> str:
    """A real repository at ``root`` with one commit; returns the commit."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, text in (files or {"README": "x\n"}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")
    if tag:
        git(root, "tag", tag)
    return git(root, "rev-parse", "HEAD")


def test_a_clone(tmp_path: Path) -> None:
    sha = repo(tmp_path / "r")
    assert git_commit(tmp_path / "r") == sha


def test_a_linked_worktree(tmp_path: Path) -> None:
    """The hand-written reader returned None here (reliability/code review 2.4)."""
    repo(tmp_path / "r")
    git(tmp_path / "r", "worktree", "add", "-q", "-b", "other", str(tmp_path / "wt"))
    (tmp_path / "wt" / "more").write_text("y\n")
    git(tmp_path / "wt", "add", "more")
    git(tmp_path / "wt", "commit", "-q", "-m", "two")
    assert (tmp_path / "wt" / ".git").is_file()
    assert git_commit(tmp_path / "wt") == git(tmp_path / "wt", "rev-parse", "HEAD")
    assert git_commit(tmp_path / "wt") != git_commit(tmp_path / "r")


@pytest.mark.parametrize(
    ("case", "make"),
    [
        ("a folder inside a repository", lambda root: None),
        ("a .git that is not a repository", lambda root: (root / "sub" / ".git").mkdir(parents=True)),
        (
            "a .git/HEAD that is not UTF-8",
            lambda root: _broken(root / "sub" / ".git", b"ref: refs/heads/\xff\xfe\n"),
        ),
        (
            "a .git file pointing at a non-UTF-8 path",
            lambda root: _gitfile(root / "sub", b"gitdir: /nope/\xff\n"),
        ),
    ],
)
def test_no_commit_of_its_own(tmp_path: Path, case: str, make: object) -> None:
    """Never the commit of a repository above the tree, never a traceback."""
    repo(tmp_path)
    (tmp_path / "sub").mkdir(exist_ok=True)
    assert callable(make)
    make(tmp_path)
    assert git_commit(tmp_path / "sub") is None


def _broken(git_dir: Path, head: bytes) -> None:
    git_dir.mkdir(parents=True)
    (git_dir / "HEAD").write_bytes(head)
    (git_dir / "objects").mkdir()
    (git_dir / "refs").mkdir()


def _gitfile(root: Path, text: bytes) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / ".git").write_bytes(text)


def test_without_a_git_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo(tmp_path / "r", tag="v1.2.3")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    tree = spec("git-tag")
    assert git_commit(tmp_path / "r") is None
    assert provenance(tmp_path / "r", tree, "a" * 40).commit == "a" * 40
    assert provenance(tmp_path / "r", tree, None).version is None


VERSIONS = [
    ({"pyproject.toml": '[project]\nname = "a"\nversion = "2.9.0"\n'}, ("2.9.0", "pyproject.toml")),
    (  # not a literal right under [project]: read through TOML
        {"pyproject.toml": '[project]\nname = "a"\n[project.urls]\nx = "y"\n'},
        (None, None),
    ),
    ({"pyproject.toml": "[project\n"}, (None, None)),
    ({"pyproject.toml": "project = 1\n"}, (None, None)),
    ({"pyproject.toml": b'[project]\nversion = "1.0"\n# caf\xe9\n'}, (None, None)),
    ({"VERSION": "v1.2.9\n"}, ("1.2.9", "VERSION")),
    ({"VERSION": 'package agno\n\nconst Version = "v1.2.9-rc1"\n'}, ("1.2.9-rc1", "VERSION")),
    ({"VERSION": b"\xff\xfe"}, (None, None)),
    (
        {"CHANGELOG.md": "# Changes\n\n## [1.4.2] - 2026\n\n## [1.4.1]\n"},
        ("1.4.2", "CHANGELOG.md (newest entry)"),
    ),
]


@pytest.mark.parametrize(("files", "expected"), VERSIONS)
def test_versions(
    tmp_path: Path, files: dict[str, str | bytes], expected: tuple[str | None, str | None]
) -> None:
    for rel, content in files.items():
        if isinstance(content, bytes):
            (tmp_path / rel).write_bytes(content)
        else:
            (tmp_path / rel).write_text(content)
    tree = spec("pyproject:pyproject.toml", "git-tag", "const:VERSION", "changelog:CHANGELOG.md")
    p = provenance(tmp_path, tree, None)
    assert (p.version, p.version_from) == expected


def test_version_from_the_newest_tag(tmp_path: Path) -> None:
    repo(tmp_path, tag="v1.2.3")
    tree = spec("git-tag")
    p = provenance(tmp_path, tree, None)
    assert (p.version, p.version_from, p.commit) == (
        "v1.2.3",
        "git tag (newest reachable)",
        git(tmp_path, "rev-parse", "HEAD"),
    )


def test_compute_stamps_the_commit_git_reports(trees: Trees) -> None:
    """A repository at the tree wins over --python-commit; a non-UTF-8 pyproject is no version."""
    sha = repo(trees.py, files={})
    (trees.py / "libs/agno/pyproject.toml").write_bytes(b'[project]\nversion = "9.8.7"\n# \xff\n')
    m = compute(
        trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True, python_commit="a" * 40
    )
    assert (m.baseline.commit, m.baseline.version) == (sha, None)

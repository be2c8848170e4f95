"""`agno-docs compute`'s express path (matrix.commands._express): the last output again, when nothing
it came from changed, and a full run after any change it watches."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

import matrix.sources.scan as scan_module
from matrix.cli import main
from matrix.commands import _express
from matrix.commands.compute import DEFAULT_CACHE_DIR
from matrix.settings import DEFAULT_CACHE_DIR as SETTINGS_CACHE_DIR

from .conftest import LIB, Trees

COMMIT = "a" * 40


def _cli(trees: Trees, out: Path, *extra: str) -> list[str]:
    return ["compute", "--python-root", str(trees.py), "--go-root", str(trees.go), "--profile",
            str(trees.profile), "--cache-dir", str(trees.cache), "--out", str(out), "--quiet", *extra]


class _Scans:
    """Counts the full runs (calls of the scan) while letting them happen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        real = scan_module.scan

        def counted(*a: object, **kw: object) -> object:
            self.n += 1
            return real(*a, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(scan_module, "scan", counted)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> _Scans:
    # The trees were written a moment ago: with the default window nothing would be recorded.
    monkeypatch.setattr(_express, "RACY_NS", 0)
    return _Scans(monkeypatch)


def _strip(data: bytes) -> bytes:
    return re.sub(rb'"generated_at": "[^"]*"', b"", data)


def test_a_second_run_replays_the_output(trees: Trees, scans: _Scans, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert main(_cli(trees, first)[:-1]) == 0  # not quiet: the summary line
    full = capsys.readouterr().err
    assert main(_cli(trees, second)[:-1]) == 0
    assert scans.n == 1
    assert _strip(second.read_bytes()) == _strip(first.read_bytes())
    assert re.search(rb'\n  "generated_at": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",\n', second.read_bytes())
    assert capsys.readouterr().err == full.replace("first.json", "second.json")
    assert full.startswith(f"wrote {first}: 53 modules (") and full.endswith("; 4 diagnostics\n")


def _edit_keeping_size_and_mtime(path: Path) -> None:
    st = path.stat()
    text = path.read_text()
    path.write_text(text.replace('"subtract"', '"subtrac_"'))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


CHANGES = {
    "a Go file edited, size and mtime kept": lambda t: _edit_keeping_size_and_mtime(
        t.go / "pkg/agno/tools/calculator/calculator.go"),
    "a library file deleted": lambda t: (t.py / LIB / "tools/calculator.py").unlink(),
    "a recipe added": lambda t: (t.py / "cookbook/91_tools/zz_new.py").write_text("import agno\n"),
    "a folder added": lambda t: (t.go / "pkg/agno/tools/zz").mkdir(),
    "the profile edited": lambda t: t.profile.write_text(t.profile.read_text() + "\n"),
    "a version file added": lambda t: (t.go / "VERSION").write_text("9.9.9\n"),
    "a .git folder made": lambda t: (t.py / ".git").mkdir(),
    "a Go file too big now left out": lambda t: (t.go / "pkg/agno/big.go").write_text("x" * 5_000_000),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_watched_change_means_a_full_run(trees: Trees, scans: _Scans, tmp_path: Path,
                                             change: str) -> None:
    out = tmp_path / "m.json"
    assert main(_cli(trees, out)) == 0
    assert main(_cli(trees, out)) == 0
    assert scans.n == 1
    CHANGES[change](trees)
    assert main(_cli(trees, out)) == 0
    assert scans.n == 2
    # ... and it matches a run without any cache.
    fresh = tmp_path / "fresh.json"
    assert main([*_cli(trees, fresh), "--no-cache"]) == 0
    assert _strip(out.read_bytes()) == _strip(fresh.read_bytes())


def test_other_options_or_evidence_mean_a_full_run(trees: Trees, scans: _Scans, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    history = tmp_path / "history"
    history.mkdir()
    assert main(_cli(trees, out, "--history", str(history))) == 0
    assert main(_cli(trees, out, "--history", str(history))) == 0
    assert scans.n == 1
    assert main(_cli(trees, out, "--history", str(history), "--python-commit", COMMIT)) == 0
    assert scans.n == 2
    (history / "notes.txt").write_text("a file added to the history folder\n")
    assert main(_cli(trees, out, "--history", str(history), "--python-commit", COMMIT)) == 0
    assert scans.n == 3
    assert main(_cli(trees, out, "--history", str(history), "--python-commit", COMMIT)) == 0
    assert scans.n == 3


def test_a_new_engine_means_a_full_run(trees: Trees, scans: _Scans, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    module = tmp_path / "engine_module.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(_express, "_engine", lambda: [str(module)])
    out = tmp_path / "m.json"
    assert main(_cli(trees, out)) == 0
    assert main(_cli(trees, out)) == 0
    assert scans.n == 1
    module.write_text("x = 2\n")  # an upgrade of a module the run imported
    assert main(_cli(trees, out)) == 0
    assert scans.n == 2


def test_nothing_is_recorded_when_a_path_changed_just_before_the_run(
    trees: Trees, scans: _Scans, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Racily clean: the trees were written less than 2 s ago, so a change during the run could hide."""
    monkeypatch.setattr(_express, "RACY_NS", 2_000_000_000)
    out = tmp_path / "m.json"
    assert main(_cli(trees, out)) == 0
    assert not list(trees.cache.glob("express-*"))
    assert main(_cli(trees, out)) == 0
    assert scans.n == 2


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\xfb\x00\x00"])
def test_a_damaged_record_means_a_full_run(trees: Trees, scans: _Scans, tmp_path: Path,
                                           damage: bytes) -> None:
    out = tmp_path / "m.json"
    assert main(_cli(trees, out)) == 0
    (record,) = trees.cache.glob("express-*.marshal")
    record.write_bytes(damage)
    assert main(_cli(trees, out)) == 0
    assert scans.n == 2
    assert main(_cli(trees, out)) == 0  # recorded again
    assert scans.n == 2


def test_no_cache_and_timings_run_the_scan(trees: Trees, scans: _Scans, tmp_path: Path) -> None:
    out = tmp_path / "m.json"
    assert main([*_cli(trees, out), "--no-cache"]) == 0
    assert not trees.cache.exists()
    assert main(_cli(trees, out)) == 0
    assert main([*_cli(trees, out), "--timings"]) == 0
    assert main([*_cli(trees, out), "--no-cache"]) == 0
    assert scans.n == 4


def test_a_git_file_is_not_recorded(trees: Trees, scans: _Scans, tmp_path: Path) -> None:
    """A linked worktree's ``.git`` is a file: its refs live elsewhere, so no record can watch them."""
    (trees.go / ".git").write_text("gitdir: /nowhere\n")
    out = tmp_path / "m.json"
    assert main(_cli(trees, out)) == 0
    assert not list(trees.cache.glob("express-*"))


def test_a_git_checkout_is_watched_through_its_refs(trees: Trees, scans: _Scans, tmp_path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(trees.go), *args], check=True, env=env, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "one")
    out = tmp_path / "m.json"
    assert main(_cli(trees, out)) == 0
    assert main(_cli(trees, out)) == 0
    assert scans.n == 1
    git("tag", "v9.9.9")  # a new tag: the runtime's version (git-tag) changes
    assert main(_cli(trees, out)) == 0
    assert scans.n == 2
    assert b'"version": "v9.9.9"' in out.read_bytes()
    git("commit", "-q", "--allow-empty", "-m", "two")  # a new commit
    assert main(_cli(trees, out)) == 0
    assert scans.n == 3


def test_the_default_cache_folder_is_the_settings_one() -> None:
    assert Path(DEFAULT_CACHE_DIR) == SETTINGS_CACHE_DIR


def test_relative_roots_are_watched_from_anywhere(trees: Trees, scans: _Scans, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "m.json"
    monkeypatch.chdir(tmp_path)
    relative = ["compute", "--python-root", "py", "--go-root", "go", "--profile", str(trees.profile),
                "--cache-dir", str(trees.cache), "--out", str(out), "--quiet"]
    assert main(relative) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(_cli(trees, out)) == 0  # the same trees, named from another folder
    assert scans.n == 1
    (trees.go / "pkg/agno/tools/calculator/calculator.go").unlink()
    assert main(_cli(trees, out)) == 0
    assert scans.n == 2


def test_the_record_keeps_the_walks_stat_of_each_file_and_looks_only_at_the_rest(
    trees: Trees, scans: _Scans, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files' ``lstat`` is the one the walk took before reading them (a later change shows in the
    next run's comparison); only folders, the engine and the rest are looked at when recording."""
    looked: list[str] = []
    real = _express._stat

    def stat(path: str) -> object:
        looked.append(path)
        return real(path)

    monkeypatch.setattr(_express, "_stat", stat)
    out = tmp_path / "m.json"
    assert main(_cli(trees, out)) == 0
    assert looked, "the record looked at nothing"
    calculator = str(trees.go / "pkg/agno/tools/calculator/calculator.go")
    assert calculator not in looked  # a walked file: its stat is the walk's
    assert str(trees.go / "pkg/agno/tools/calculator") in looked  # a folder: looked at when recording
    looked.clear()
    _edit_keeping_size_and_mtime(Path(calculator))
    assert main(_cli(trees, out)) == 0
    assert scans.n == 2  # the edit (a new ctime) shows: a full run

"""No tracebacks, ever (issue 11 item 7): each planted fault is one line and exit 2 or 3, never 1.

Exit 1 means "a check found something"; a crash must never look like that. Faults with a root fix
assert its exact line; the scan faults (non-UTF-8 metadata and file names, fixed at their root in
``matrix/sources/scan``) assert only what the CLI promises whatever the scan does: one line, an
exit code that is not 1, no traceback, nothing half-written.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from matrix.cli import main
from tests.evidence.conftest import DATA
from tests.scan.conftest import Trees, make_trees

GO = str(DATA / "go-bench-multi.txt")
SHA = "a" * 40


@pytest.mark.parametrize(("url", "line"), [
    ("http://[::1", "--submit 'http://[::1' is not a valid URL; e.g. --submit http://127.0.0.1:8080"),
    ("http://127.0.0.1:99999", "--submit 'http://127.0.0.1:99999' has a port outside 1-65535; "
     "e.g. --submit http://127.0.0.1:8080"),
    ("http://user:pw-hunter2@/?token=abc", "--submit 'http:///' has no host; e.g. --submit http://127.0.0.1:8080"),
    ("ftp://x", "--submit 'ftp://x' is not an http(s) URL; e.g. --submit http://127.0.0.1:8080"),
])
def test_an_unusable_submit_url(url: str, line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--go", GO, "--format", "json", "--submit", url]) == 2
    assert capsys.readouterr().err == f"agno-docs bench: error: {line}\n"


@pytest.mark.parametrize(("target", "line"), [
    ("http://[::1/events", "telemetry URL 'http://[::1/events' is not a valid URL; pass a JSON-lines file or "
     "the events URL"),
    ("http://127.0.0.1:70000/events", "telemetry URL 'http://127.0.0.1:70000/events' has a port outside "
     "1-65535; pass a JSON-lines file or the events URL"),
])
def test_an_unusable_telemetry_url(target: str, line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["telemetry-audit", target]) == 2
    assert capsys.readouterr().err == f"agno-docs telemetry-audit: error: {line}\n"


@pytest.mark.parametrize("url", ["http://[::1", "http://127.0.0.1:99999"])
def test_an_unusable_runtime_url(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--url", url, "--out", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"agno-docs fetch: error: runtime URL '{url}' ") and err.count("\n") == 1


def test_urls_with_secrets_are_shown_without_them(capsys: pytest.CaptureFixture[str]) -> None:
    """Reliability row 55: telemetry-audit and bench --submit printed user:password@ and ?token=."""
    secret = "http://user:pw-hunter2@127.0.0.1:9/v1/runtime/go/telemetry/events?token=abc123"
    assert main(["telemetry-audit", "--timeout", "2", secret]) == 3
    assert main(["bench", "--go", GO, "--format", "json", "--timeout", "2", "--submit",
                 "http://user:pw-hunter2@127.0.0.1:9/?token=abc123"]) == 3
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "agno-docs telemetry-audit: error: http://127.0.0.1:9/v1/runtime/go/telemetry/events: connection "
        "refused; is the runtime running? check the URL",
        "agno-docs bench: error: http://127.0.0.1:9/v1/runtime/go/benchmarks: connection refused; is the "
        "runtime running? check the --submit URL",
    ]


def test_an_unexpected_os_error_is_one_line_exit_3(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The last resort: an OSError that escaped every layer is still one line, exit 3."""
    module = importlib.import_module("matrix.commands.schema")

    def boom(args: object) -> int:
        raise PermissionError(13, "Permission denied", "/srv/x.json")

    monkeypatch.setattr(module, "run", boom)
    assert main(["schema"]) == 3
    assert capsys.readouterr().err == ("agno-docs schema: error: /srv/x.json: Permission denied "
                                       "(PermissionError not handled where it happened: please report it)\n")

    def undecodable(args: object) -> int:
        raise b"\xff".decode()  # type: ignore[func-returns-value]

    monkeypatch.setattr(module, "run", undecodable)
    assert main(["schema"]) == 3
    assert capsys.readouterr().err == (
        "agno-docs schema: error: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte "
        "(UnicodeDecodeError not handled where it happened: please report it)\n")


def _compute(tmp_path: Path, trees: Trees, *extra: str) -> dict[str, Any]:
    """``agno-docs compute`` in a child process (a crash there is a real traceback): it must succeed;
    returns the matrix it wrote."""
    out = tmp_path / "out" / "m.json"
    argv = [sys.executable, "-m", "matrix.cli", "compute", "--python-root", str(trees.py), "--go-root",
            str(trees.go), "--profile", str(trees.profile), "--out", str(out), "--quiet", *extra]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert (result.returncode, result.stderr) == (0, "")
    assert [p.name for p in tmp_path.rglob(".*.tmp")] == []
    doc: dict[str, Any] = json.loads(out.read_text())
    return doc


def test_non_utf8_pyproject(tmp_path: Path) -> None:
    trees = make_trees(tmp_path / "t")
    (trees.py / "libs/agno/pyproject.toml").write_bytes(b'[project]\nname = "agno"\nversion = "\xff\xfe"\n')
    doc = _compute(tmp_path, trees, "--no-cache", "--python-commit", SHA, "--go-commit", SHA)
    # The version cannot be read: it is unknown, not made up (the rest of the matrix is computed).
    assert (doc["baseline"]["version"], doc["baseline"]["version_from"]) == (None, None)
    assert doc["runtime"]["version"] == "1.4.2" and any(m["id"] == "tools.calculator" for m in doc["modules"])


def test_non_utf8_git_head(tmp_path: Path) -> None:
    trees = make_trees(tmp_path / "t")
    (trees.go / ".git").mkdir()
    (trees.go / ".git" / "HEAD").write_bytes(b"ref: refs/heads/\xff\n")
    doc = _compute(tmp_path, trees, "--no-cache")
    assert doc["runtime"]["commit"] is None  # no commit read from an unreadable HEAD
    assert doc["runtime"]["version"] == "1.4.2"


@pytest.mark.skipif(sys.platform == "darwin", reason="APFS refuses non-UTF-8 file names")
def test_non_utf8_file_names_with_the_cache_on(tmp_path: Path) -> None:
    trees = make_trees(tmp_path / "t")
    (trees.py / "libs/agno/agno/tools" / os.fsdecode(b"zz_\xff.py")).write_text("class Zz:\n    pass\n")
    for _ in range(2):  # cold, then from the cache
        doc = _compute(tmp_path, trees, "--cache-dir", str(tmp_path / "cache"), "--python-commit", SHA,
                       "--go-commit", SHA)
        assert {"file": "libs/agno/agno/tools/zz_\\xff.py", "line": None,
                "message": "the file name is not valid UTF-8: not read (rename it)"} in doc["diagnostics"]


@pytest.mark.parametrize(
    ("extra", "code", "err"),
    [
        # Success: the summary line reaches stderr (flushed) before the process ends without teardown.
        (("--python-commit", SHA, "--go-commit", SHA), 0,
         r"^wrote .*m\.json: \d+ modules \(.*\), \d+ recipes; \d+ diagnostics\n$"),
        # A usage error: its one line and exit 2, the same way.
        (("--python-commit", "abc"), 2,
         r"^agno-docs compute: error: --python-commit 'abc' is not a 40-character commit hash; "
         r"pass the full hash \(git rev-parse HEAD\)\n$"),
    ],
    ids=["written", "usage-error"],
)
def test_compute_as_the_program_exits_at_once_with_its_code_and_output(
        tmp_path: Path, extra: tuple[str, ...], code: int, err: str) -> None:
    import re

    trees = make_trees(tmp_path / "t")
    out = tmp_path / "out" / "m.json"
    argv = [sys.executable, "-m", "matrix.cli", "compute", "--python-root", str(trees.py), "--go-root",
            str(trees.go), "--profile", str(trees.profile), "--out", str(out), "--no-cache", *extra]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    assert result.returncode == code
    assert re.match(err, result.stderr), result.stderr
    assert out.exists() == (code == 0)
    if code == 0:
        assert json.loads(out.read_text())["modules"]  # complete, not cut short

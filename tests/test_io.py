"""Writes that respect their target (issue 11 item 3): ``matrix._io.write_atomic`` through the CLI.

Each case plants a target, runs a real writer (``schema --out``, ``readme``, ``fetch --out``) and
checks the one-line outcome, that the old bytes and the target's kind survived, and that no temp
file was left. Cases that need another user or a small file system run ``agno-docs`` in a child
process (``setpriv``, ``unshare``) and skip, saying why, where the machine does not allow it.
"""

# ruff: noqa: E501  (exact messages read better unbroken)

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from matrix._io import write_atomic
from matrix.cli import main
from matrix.errors import WriteError
from matrix.readme import END, START
from matrix.sources import snapshot
from tests import factories

OLD = b"old bytes\n"
REGULAR = "pass the path of a regular file (or of a file to create)"


def _plant_dir(p: Path) -> None:
    p.mkdir()


def _plant_fifo(p: Path) -> None:
    os.mkfifo(p)


def _plant_socket(p: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(p))
    s.close()


def _plant_dev_null_link(p: Path) -> None:
    p.symlink_to("/dev/null")


def _plant_read_only(p: Path) -> None:
    p.write_bytes(OLD)
    p.chmod(0o444)


def _plant_loop(p: Path) -> None:
    p.symlink_to(p.name)


REFUSED: list[tuple[str, Callable[[Path], None], str]] = [
    ("directory", _plant_dir, f"refusing to replace a directory; {REGULAR}"),
    ("fifo", _plant_fifo, f"refusing to replace a FIFO; {REGULAR}"),
    ("socket", _plant_socket, f"refusing to replace a socket; {REGULAR}"),
    ("symlink-to-dev-null", _plant_dev_null_link, f"refusing to replace a character device (/dev/null); {REGULAR}"),
    ("read-only", _plant_read_only,
     "refusing to replace a read-only file; make it writable first (chmod u+w) if it should be rewritten"),
    ("symlink-loop", _plant_loop, f"cannot inspect it (Too many levels of symbolic links); {REGULAR}"),
]


def _kind(p: Path) -> tuple[int, bytes | None]:
    st = p.lstat()
    return stat.S_IFMT(st.st_mode), p.read_bytes() if stat.S_ISREG(st.st_mode) else None


@pytest.mark.parametrize(("case", "plant", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_targets(case: str, plant: Callable[[Path], None], message: str, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.json"
    plant(out)
    before = _kind(out) if case != "symlink-loop" else None
    assert main(["schema", "--out", str(out)]) == 3
    assert capsys.readouterr().err == f"agno-docs schema: error: {out}: {message}\n"
    if before is not None:
        assert _kind(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_is_followed_and_the_target_keeps_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "real" / "snapshot.json"
    real.parent.mkdir()
    real.write_bytes(OLD)
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_atomic(link, b"new\n")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new\n" and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["snapshot.json"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to("made.json")
    write_atomic(link, "x")
    assert link.is_symlink() and (tmp_path / "made.json").read_text() == "x"
    assert stat.S_IMODE((tmp_path / "made.json").stat().st_mode) == 0o644


def test_a_symlinked_readme_is_written_through(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    snapshot.dump(factories.small(), tmp_path / "m.json")
    Path("docs").mkdir()
    Path("docs/target.md").write_text(f"top\n{START}\n{END}\n")
    Path("README.md").symlink_to("docs/target.md")
    assert main(["readme", "README.md", "--snapshot", "m.json"]) == 0
    assert Path("README.md").is_symlink()
    assert "| `tools.calculator` |" in Path("docs/target.md").read_text()
    assert main(["readme", "README.md", "--check", "--snapshot", "m.json"]) == 0
    assert capsys.readouterr().err == "README.md: updated\n"


def test_readme_refuses_before_writing_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    snapshot.dump(factories.small(), tmp_path / "m.json")
    for name in ("A.md", "B.md"):
        Path(name).write_text(f"{START}\n{END}\n")
    Path("B.md").chmod(0o444)
    assert main(["readme", "A.md", "B.md", "--snapshot", "m.json"]) == 3
    assert capsys.readouterr().err == (
        "agno-docs readme: error: B.md: refusing to replace a read-only file; make it writable first "
        "(chmod u+w) if it should be rewritten\n")
    assert Path("A.md").read_text() == f"{START}\n{END}\n"


def test_fetch_refuses_its_out_before_the_network(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fetch", "--url", "http://127.0.0.1:9", "--out", str(tmp_path)]) == 3
    assert capsys.readouterr().err == f"agno-docs fetch: error: {tmp_path}: refusing to replace a directory; {REGULAR}\n"


def test_an_error_while_writing_leaves_the_old_file_and_no_temp(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.json"
    out.write_bytes(OLD)

    def fail(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(WriteError) as info:
        write_atomic(out, b"new")
    assert str(info.value) == f"{out}: cannot write (Input/output error); the previous file is unchanged"
    assert isinstance(info.value, OSError)  # caches that ignore OSError keep ignoring it
    assert out.read_bytes() == OLD and sorted(os.listdir(tmp_path)) == ["out.json"]


@pytest.mark.parametrize(("durable", "syncs"), [(True, 2), (False, 0)])
def test_only_a_durable_write_syncs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool,
                                    syncs: int) -> None:
    """Caches are written with ``durable=False``: still atomic (a rename), not synced to the disk."""
    calls: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    out = tmp_path / "out.json"
    out.write_bytes(OLD)
    write_atomic(out, b"new", durable=durable)
    assert out.read_bytes() == b"new" and sorted(os.listdir(tmp_path)) == ["out.json"]
    assert len(calls) == syncs  # the file, then its folder


# --- other users and full disks: real, in a child process ----------------------------------------------

CLI = [sys.executable, "-m", "matrix.cli"]


def _as_nobody(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run a command as another user")
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *CLI, *argv],
                          cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder other users can reach (pytest's own tmp folders are private to root)."""
    base = Path(tempfile.mkdtemp(prefix="agno-docs-io-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base)


def _world_dir(base: Path, name: str, mode: int) -> Path:
    d = base / name
    d.mkdir()
    d.chmod(mode)
    return d


def test_a_folder_the_user_cannot_write(shared: Path) -> None:
    d = _world_dir(shared, "ro", 0o755)  # root's folder; the file in it is writable by anyone
    snapshot.dump(factories.small(), d / "m.json")
    readme = d / "R.md"
    readme.write_text(f"{START}\n{END}\n")
    readme.chmod(0o666)
    result = _as_nobody(["readme", str(readme), "--snapshot", str(d / "m.json")], d)
    assert (result.returncode, result.stderr) == (3, f"agno-docs readme: error: {readme}: cannot write in {d} "
                                                     "(Permission denied); check that the folder exists and is "
                                                     "writable\n")
    assert readme.read_text() == f"{START}\n{END}\n" and sorted(os.listdir(d)) == ["R.md", "m.json"]


def test_the_owner_is_kept_or_the_write_refused(shared: Path) -> None:
    d = _world_dir(shared, "shared", 0o777)
    mine = d / "theirs.json"
    mine.write_bytes(OLD)
    mine.chmod(0o666)  # root's file, writable by anyone: nobody may not make it theirs
    result = _as_nobody(["schema", "--out", str(mine)], d)
    assert (result.returncode, result.stderr) == (3, f"agno-docs schema: error: {mine}: cannot keep its owner "
                                                     "and group (0:0); run as the file's owner, or write to "
                                                     "another path\n")
    assert mine.read_bytes() == OLD and sorted(os.listdir(d)) == ["theirs.json"]
    theirs = d / "nobodys.json"
    theirs.write_bytes(OLD)
    os.chown(theirs, 65534, 65534)
    theirs.chmod(0o600)
    assert main(["schema", "--out", str(theirs)]) == 0  # root keeps nobody's ownership and mode
    st = theirs.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o600)
    assert theirs.read_bytes() != OLD


def test_disk_full(tmp_path: Path) -> None:
    """A 64 KiB tmpfs in a private mount namespace (``unshare``), filled, then a README rewrite."""
    if not shutil.which("unshare"):
        pytest.skip("needs unshare to mount a small file system")
    snapshot.dump(factories.small(), tmp_path / "m.json")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = (f"mount -t tmpfs -o size=64k tmpfs {mnt} && printf '{START}\\n{END}\\n' > {mnt}/R.md && "
              f"(head -c 1000000 /dev/zero > {mnt}/fill 2>/dev/null; true) && "
              f"{' '.join(CLI)} readme {mnt}/R.md --snapshot {tmp_path / 'm.json'}; echo rc=$?; "
              f"cat {mnt}/R.md; ls -a {mnt}")
    flags = "-m" if os.geteuid() == 0 else "-rm"
    try:
        result = subprocess.run(["unshare", flags, "sh", "-c", script], capture_output=True, text=True,
                                timeout=60, env={**os.environ,
                                                 "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    except OSError as exc:  # pragma: no cover - depends on the machine
        pytest.skip(f"cannot run unshare ({exc})")
    if "rc=" not in result.stdout:
        pytest.skip(f"this machine does not allow a private tmpfs: {result.stderr.strip()[:200]}")
    assert result.stderr == (f"agno-docs readme: error: {mnt}/R.md: cannot write (No space left on device); "
                             "the previous file is unchanged\n")
    assert result.stdout.splitlines() == ["rc=3", START, END, ".", "..", "R.md", "fill"]

"""What a scan reads (matrix/sources/scan/walk.py), planted in small trees: every file left out is counted.

Each hostile case is planted for real (a FIFO, a socket, symlinks to /dev/zero and out of the
tree, a 300 MB sparse file, binary and non-UTF-8 files and names, a deeply nested expression,
folders and files the user may not read) and the outcome asserted exactly: a diagnostic, or one
error line with exit 3. Cases that could hang run in a child process with a timeout, or under
an alarm.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from matrix.errors import SourceError
from matrix.sources.scan.walk import DEFAULT_LIMIT, FileStat, Skip, Tree, read

from .conftest import LIB, make_trees, write

BIG = 300 * 1024 * 1024


def _fifo(p: Path) -> None:
    os.mkfifo(p)


def _socket(p: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(p))
    s.close()  # the socket file stays


def _link(target: str | Path) -> Callable[[Path], None]:
    return lambda p: os.symlink(target, p)


def _sparse(p: Path) -> None:
    with open(p, "wb") as fh:
        fh.truncate(BIG)


def _fifo_behind_link(p: Path) -> None:
    os.mkfifo(p.parent / "pipe")
    os.symlink(p.parent / "pipe", p)


def _loop(p: Path) -> None:
    os.symlink(p.parent / "yy.py", p)
    os.symlink(p, p.parent / "yy.py")


# (case, plant(path of pkg/zz.py), diagnostics as (file, message), sorted)
LEFT_OUT: list[tuple[str, Callable[[Path], None], list[tuple[str, str]]]] = [
    ("fifo", _fifo, [("pkg/zz.py", "a FIFO, not a regular file: not read")]),
    ("socket", _socket, [("pkg/zz.py", "a socket, not a regular file: not read")]),
    ("dev-zero", _link("/dev/zero"), [("pkg/zz.py", "a symlink to /dev/zero, outside the tree: not read")]),
    ("fifo-behind-a-link", _fifo_behind_link,
     [("pkg/zz.py", "a symlink to a FIFO, not a regular file: not read")]),
    ("broken-link", _link("nowhere.py"), [("pkg/zz.py", "a broken symlink: not read")]),
    ("link-loop", _loop,
     [("pkg/yy.py", "a symlink loop: not read"), ("pkg/zz.py", "a symlink loop: not read")]),
    ("link-to-a-folder", _link("."), [("pkg/zz.py", "a symlink to a folder, not a regular file: not read")]),
    ("sparse-300-MB", _sparse, [("pkg/zz.py", f"{BIG:,} bytes, over the scan's limit of {DEFAULT_LIMIT:,} "
                                              "(scan.max_file_bytes in the profile): not read")]),
]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "t"
    write(root, {"pkg/a.py": "x = 1\n", "pkg/sub/b.py": "y = 2\n", "pkg/notes.txt": "not python\n"})
    return root


def _rels(files: list[FileStat]) -> list[str]:
    return sorted(f.rel for f in files)


def _skipped(t: Tree) -> list[tuple[str, str]]:
    return sorted((d.file, d.message) for d in t.skipped)


@pytest.mark.parametrize(("case", "plant", "expected"), LEFT_OUT, ids=[c[0] for c in LEFT_OUT])
def test_the_walk_leaves_out(
    tree: Path, case: str, plant: Callable[[Path], None], expected: list[tuple[str, str]]
) -> None:
    plant(tree / "pkg/zz.py")
    t = Tree(tree)
    assert _rels(t.walk("pkg", ".py")) == ["pkg/a.py", "pkg/sub/b.py"]
    assert _skipped(t) == expected


def test_a_link_out_of_the_tree_is_not_followed(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text("class Secret:\n    pass\n")
    os.symlink(outside, tree / "pkg/zz.py")
    t = Tree(tree)
    assert _rels(t.walk("pkg", ".py")) == ["pkg/a.py", "pkg/sub/b.py"]
    assert _skipped(t) == [("pkg/zz.py", f"a symlink to {outside}, outside the tree: not read")]


def test_a_link_inside_the_tree_is_read_from_its_target(tree: Path) -> None:
    os.symlink("sub/b.py", tree / "pkg/zz.py")
    t = Tree(tree)
    files = {f.rel: f for f in t.walk("pkg", ".py")}
    assert sorted(files) == ["pkg/a.py", "pkg/sub/b.py", "pkg/zz.py"]
    assert files["pkg/zz.py"].path == str(tree / "pkg/sub/b.py")
    assert read(files["pkg/zz.py"], DEFAULT_LIMIT) == b"y = 2\n"
    assert t.skipped == []


@pytest.mark.parametrize("target", [".", "/"], ids=["into-the-tree", "to-the-root"])
def test_symlinked_folders_are_not_followed(tree: Path, target: str) -> None:
    os.symlink(target, tree / "pkg/loop")
    t = Tree(tree)
    assert _rels(t.walk("pkg", ".py")) == ["pkg/a.py", "pkg/sub/b.py"]
    assert _skipped(t) == [("pkg/loop", "a symlinked folder: not followed (its files are not read)")]


@pytest.mark.skipif(sys.platform == "darwin", reason="APFS refuses non-UTF-8 file names")
def test_names_that_are_not_utf8_are_left_out(tree: Path) -> None:
    pkg = os.fsencode(tree / "pkg")
    with open(os.path.join(pkg, b"caf\xe9.py"), "w") as fh:
        fh.write("x = 1\n")
    os.mkdir(os.path.join(pkg, b"dir\xff"))
    with open(os.path.join(pkg, b"dir\xff", b"c.py"), "w") as fh:
        fh.write("z = 3\n")
    with open(os.path.join(pkg, b"readme\xe9.txt"), "w") as fh:  # not a .py file: nothing to say
        fh.write("x\n")
    t = Tree(tree)
    assert _rels(t.walk("pkg", ".py")) == ["pkg/a.py", "pkg/sub/b.py"]
    assert _skipped(t) == [
        ("pkg/caf\\xe9.py", "the file name is not valid UTF-8: not read (rename it)"),
        ("pkg/dir\\xff", "the folder name is not valid UTF-8: its files are not read (rename it)"),
    ]


def test_hidden_and_tool_folders_are_not_source(tree: Path) -> None:
    write(tree, {"pkg/.git/x.py": "", "pkg/__pycache__/x.py": "", "pkg/node_modules/x.py": "",
                 "pkg/.hidden.py": ""})
    t = Tree(tree)
    assert _rels(t.walk("pkg", ".py")) == ["pkg/a.py", "pkg/sub/b.py"]
    assert t.skipped == []


def test_the_limit_comes_from_the_caller(tree: Path) -> None:
    (tree / "pkg/big.py").write_text("x" * 65)
    t = Tree(tree, limit=64)
    assert _rels(t.walk("pkg", ".py", keep_prefix=False)) == ["a.py", "sub/b.py"]
    assert _skipped(t) == [
        ("pkg/big.py", "65 bytes, over the scan's limit of 64 (scan.max_file_bytes in the profile): not read")
    ]


def test_a_missing_top_folder_is_empty_not_an_error(tree: Path) -> None:
    t = Tree(tree)
    assert t.walk("internal", ".go") == []
    assert t.folders("cmd/examples") == []
    assert t.skipped == []


# --------------------------------------------------------------------------- read


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading blocks until a writer comes)."""

    def ring(signum: int, frame: object) -> None:
        raise TimeoutError(f"still blocked after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _stat(p: Path, rel: str = "pkg/zz.py") -> FileStat:
    st = p.stat()
    return FileStat(rel, str(p), st.st_size, st.st_mtime_ns)


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"x = 1\ny = 2\nz = '\x00'\n", "binary (NUL bytes), not source text: not read", 3),
        (b"# caf\xe9\nx = 1\n", "not UTF-8 text: not read", 1),
        (b"x = 1\n" + b"\xff\xfe" * 3, "not UTF-8 text: not read", 2),
    ],
    ids=["nul", "latin-1", "utf-16-bytes"],
)
def test_read_leaves_out_binary_files(tmp_path: Path, data: bytes, message: str, line: int) -> None:
    p = tmp_path / "zz.py"
    p.write_bytes(data)
    with pytest.raises(Skip) as skip:
        read(_stat(p), DEFAULT_LIMIT)
    assert (skip.value.message, skip.value.line) == (message, line)


def test_read_takes_utf8_text(tmp_path: Path) -> None:
    p = tmp_path / "ok.py"
    p.write_text("title = 'Café ☕'\n", encoding="utf-8")
    assert read(_stat(p), DEFAULT_LIMIT) == "title = 'Café ☕'\n".encode()


def _swap_fifo(p: Path) -> None:
    p.unlink()
    os.mkfifo(p)


def _swap_link(p: Path) -> None:
    p.rename(p.with_name("real.py"))
    os.symlink("real.py", p)


def _grow(p: Path) -> None:
    p.write_bytes(b"#" * 100)


# What changed between the walk and the read, and what read says.
SWAPS = [
    ("now-a-fifo", _swap_fifo, "a FIFO, not a regular file: not read"),
    ("now-a-symlink", _swap_link, "became a symlink while the scan read it: not read"),
    ("vanished", lambda p: p.unlink(), "vanished while the scan read it"),
    ("grew-past-the-limit", _grow,
     "100 bytes, over the scan's limit of 64 (scan.max_file_bytes in the profile): not read"),
]


@pytest.mark.parametrize(("case", "swap", "message"), SWAPS, ids=[s[0] for s in SWAPS])
def test_read_checks_again_what_the_walk_saw(
    tmp_path: Path, case: str, swap: Callable[[Path], None], message: str
) -> None:
    p = tmp_path / "zz.py"
    p.write_bytes(b"x = 1\n")
    f = _stat(p)
    swap(p)
    with _alarm(10), pytest.raises(Skip) as skip:
        read(f, 64)
    assert skip.value.message == message


def test_read_of_a_file_that_grew_within_the_limit(tmp_path: Path) -> None:
    p = tmp_path / "zz.py"
    p.write_bytes(b"x = 1\n")
    f = _stat(p)
    p.write_bytes(b"x = 1\n" * 10)
    assert read(f, 64) == b"x = 1\n" * 10


def test_read_does_not_trust_a_size_of_zero() -> None:
    """/proc files say 0 bytes and have more: read goes on until the end, or past the limit."""
    f = FileStat("status", "/proc/self/status", 0, 0)
    assert read(f, DEFAULT_LIMIT).startswith(b"Name:")
    with pytest.raises(Skip) as skip:
        read(f, 16)
    assert skip.value.message.endswith(
        " bytes, over the scan's limit of 16 (scan.max_file_bytes in the profile): not read"
    )


# --------------------------------------------------------------------------- compute, end to end

HOSTILE_DIAGNOSTICS = [
    {"file": f"{LIB}/tools/zz_bin.py", "line": 2, "message": "binary (NUL bytes), not source text: not read"},
    {"file": f"{LIB}/tools/zz_big.py", "line": None,
     "message": f"{BIG:,} bytes, over the scan's limit of {DEFAULT_LIMIT:,} (scan.max_file_bytes in the "
                "profile): not read"},
    {"file": f"{LIB}/tools/zz_caf\\xe9.py", "line": None,
     "message": "the file name is not valid UTF-8: not read (rename it)"},
    {"file": f"{LIB}/tools/zz_fifo.py", "line": None, "message": "a FIFO, not a regular file: not read"},
    {"file": f"{LIB}/tools/zz_passwd.py", "line": None,
     "message": "a symlink to /etc/passwd, outside the tree: not read"},
    {"file": f"{LIB}/tools/zz_zero.py", "line": None,
     "message": "a symlink to /dev/zero, outside the tree: not read"},
    {"file": "cookbook/91_tools/caf\\xe9.py", "line": None,
     "message": "the file name is not valid UTF-8: not read (rename it)"},
    {"file": "pkg/agno/tools/calculator/zz_\\xff.go", "line": None,
     "message": "the file name is not valid UTF-8: not read (rename it)"},
    {"file": "pkg/agno/tools/calculator/zz_latin.go", "line": 1, "message": "not UTF-8 text: not read"},
    {"file": f"{LIB}/tools/zz_deep/__init__.py", "line": 1,
     "message": "too deeply nested to parse (Python's parser gave up)"},
]


def _plant_everything(py: Path, go: Path) -> None:
    tools = py / LIB / "tools"
    os.mkfifo(tools / "zz_fifo.py")
    os.symlink("/dev/zero", tools / "zz_zero.py")
    os.symlink("/etc/passwd", tools / "zz_passwd.py")
    _sparse(tools / "zz_big.py")
    (tools / "zz_bin.py").write_bytes(b"class ZzBin:\n    x = '\x00\x01'\n")
    (tools / os.fsdecode(b"zz_caf\xe9.py")).write_text("class Zz:\n    pass\n")
    (py / "cookbook/91_tools" / os.fsdecode(b"caf\xe9.py")).write_text("from agno.agent import Agent\n")
    calc = go / "pkg/agno/tools/calculator"
    (calc / os.fsdecode(b"zz_\xff.go")).write_text("package calculator\n")
    (calc / "zz_latin.go").write_bytes(b"// caf\xe9\npackage calculator\n")
    (tools / "zz_deep").mkdir()
    (tools / "zz_deep/__init__.py").write_text("from agno.tools.calculator import CalculatorTools\n\n"
                                               "x = " + "-" * 20_000 + "1\n")


# agno-docs, printing its peak memory (KiB) on stdout when it ends (compute --quiet prints nothing there).
# VmHWM, not getrusage's ru_maxrss: Linux keeps ru_maxrss across fork and exec, so a child of a large
# pytest process would report the parent's size; VmHWM belongs to the address space exec made.
_MAIN = ("import re, sys\nfrom matrix.cli import main\nrc = main(sys.argv[1:])\n"
         "status = open('/proc/self/status').read()\n"
         "print(re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))\nsys.exit(rc)\n")


def _cli(*argv: str, user: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    prefix: list[str] = []
    if user is not None and os.geteuid() == 0:
        prefix = ["setpriv", "--reuid", user, "--regid", "nogroup", "--clear-groups"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CI": "1"}
    env.pop("AGNO_DOCS_CACHE", None)
    cmd = [*prefix, sys.executable, "-c", _MAIN, "compute", *argv]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, cwd=cwd)


@pytest.mark.skipif(sys.platform == "darwin", reason="APFS refuses non-UTF-8 file names")
def test_compute_on_a_hostile_tree_reads_only_what_it_should(tmp_path: Path) -> None:
    t = make_trees(tmp_path / "t")
    _plant_everything(t.py, t.go)
    out = tmp_path / "m.json"
    argv = ["--python-root", str(t.py), "--go-root", str(t.go), "--profile", str(t.profile),
            "--out", str(out), "--cache-dir", str(tmp_path / "cache"), "--quiet"]
    runs = []
    for _ in range(2):  # cold, then from the cache (its file names and skips included)
        result = _cli(*argv)
        assert (result.returncode, result.stderr) == (0, "")
        assert int(result.stdout) < 300_000  # KiB: the 300 MB file (and /dev/zero) never read
        runs.append(json.loads(out.read_text()))
    by_file = sorted(HOSTILE_DIAGNOSTICS, key=lambda d: d["file"])
    for m in runs:
        scanned = [d for d in m["diagnostics"] if "/zz" in d["file"] or "/caf" in d["file"]]
        assert sorted(scanned, key=lambda d: d["file"]) == by_file
        ids = {mod["id"] for mod in m["modules"]}
        assert not {"tools.zz_bin", "tools.zz_fifo", "tools.zz_zero", "tools.zz_passwd", "tools.zz_big"} & ids
    assert runs[0]["modules"] == runs[1]["modules"]


@pytest.fixture
def shared_trees() -> Iterator[tuple[Path, Path, Path]]:
    """Trees another user may read (tmp_path is private to root), and a folder it may write."""
    base = Path(tempfile.mkdtemp(prefix="agno-docs-walk-"))
    base.chmod(0o755)
    t = make_trees(base / "t")
    for p in (base / "t", *(base / "t").rglob("*")):
        p.chmod(0o755 if p.is_dir() else 0o644)
    out = base / "out"
    out.mkdir()
    out.chmod(0o777)
    try:
        yield t.py, t.go, out
    finally:
        for p in base.rglob("*"):
            with contextlib.suppress(OSError):
                p.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() == 0 and shutil.which("setpriv") is None, reason="root without setpriv")
@pytest.mark.parametrize(
    ("unreadable", "message"),
    [
        ("pkg/agno/models", "{go}/pkg/agno/models: cannot read this folder (Permission denied)"),
        (f"{LIB}/tools", "{py}/" + LIB + "/tools: cannot read this folder (Permission denied)"),
        ("pkg/agno/tools/calculator/calculator.go",
         "{go}/pkg/agno/tools/calculator/calculator.go: cannot read this file (Permission denied)"),
    ],
    ids=["go-folder", "library-folder", "go-file"],
)
def test_what_the_user_may_not_read_is_an_error_not_a_demotion(
    shared_trees: tuple[Path, Path, Path], unreadable: str, message: str
) -> None:
    py, go, out = shared_trees
    root = go if unreadable.startswith("pkg/") else py
    (root / unreadable).chmod(0)
    profile = py.parent / "profile.toml"
    result = _cli("--python-root", str(py), "--go-root", str(go), "--profile", str(profile), "--out",
                  str(out / "m.json"), "--no-cache", "--quiet", user="nobody", cwd=out)
    expected = message.format(py=py, go=go)
    assert (result.returncode, result.stderr) == (
        3,
        f"agno-docs compute: error: {expected}; make it readable for the user running the scan, or pass a "
        "checkout it can read\n",
    )
    assert not (out / "m.json").exists()


def test_a_folder_the_walk_may_not_list_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same in this process (root reads everything: the refusal is simulated at the system call)."""
    write(tmp_path, {"pkg/a.py": "", "pkg/sub/b.py": ""})
    real = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(SourceError) as err:
        Tree(tmp_path).walk("pkg", ".py")
    assert str(err.value) == (
        f"{tmp_path}/pkg/sub: cannot read this folder (Permission denied); make it readable for the user "
        "running the scan, or pass a checkout it can read"
    )

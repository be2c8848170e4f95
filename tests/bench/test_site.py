"""bench/site.py: where its builds are written (the figure must say whether a disk was in it)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_site", ROOT / "bench" / "site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_site", module)
    spec.loader.exec_module(module)
    return module


MOUNTS = [("/", "ext4"), ("/dev/shm", "tmpfs"), ("/dev", "tmpfs"), ("/work", "ext4"),
          ("/mnt/with space", "nfs")]


@pytest.mark.parametrize(("path", "kind"), [
    ("/dev/shm/agno-bench-site-x/site-0", "tmpfs"),
    ("/dev/shm", "tmpfs"),
    ("/dev/shmx/a", "tmpfs"),  # under /dev, not /dev/shm
    ("/work/main", "ext4"),
    ("/workx", "ext4"),  # under /, not /work
    ("/mnt/with space/a", "nfs"),
    ("/tmp/a", "ext4"),
])
def test_file_system_is_the_longest_mount_point_that_holds_the_path(
    site: ModuleType, path: str, kind: str
) -> None:
    assert site._file_system(Path(path), MOUNTS) == kind


def test_file_system_without_mounts_is_unknown(site: ModuleType) -> None:
    assert site._file_system(Path("/tmp"), []) == "unknown"


def test_mounts_decode_spaces(site: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    table = tmp_path / "mounts"
    table.write_text("/dev/vda / ext4 rw 0 0\nserver:/x /mnt/with\\040space nfs rw 0 0\n", encoding="utf-8")
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text",
                        lambda self, *a, **k: real(table if str(self) == "/proc/mounts" else self, *a, **k))
    assert site._mounts() == [("/", "ext4"), ("/mnt/with space", "nfs")]

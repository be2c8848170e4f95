"""`agno-docs compute` through matrix.cli.main, the facts cache, and profile validation."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import msgspec
import pytest

from matrix.cli import main
from matrix.errors import UsageError
from matrix.profiles import DEFAULT_PROFILE, load_profile
from matrix.sources.scan import cache as cache_module
from matrix.sources.scan import compute, scan
from matrix.sources.snapshot import load

from .conftest import LIB, Trees


def _cli(trees: Trees, *extra: str, out: Path | None = None) -> list[str]:
    return [
        "compute",
        "--python-root",
        str(trees.py),
        "--go-root",
        str(trees.go),
        "--profile",
        str(trees.profile),
        "--cache-dir",
        str(trees.cache),
        "--out",
        str(out or trees.cache / "m.json"),
        *extra,
    ]


def test_compute_writes_a_valid_snapshot(
    trees: Trees, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "matrix.json"
    assert main(_cli(trees, "--python-commit", "a" * 40, out=out)) == 0
    m = load(out)
    assert m.baseline.commit == "a" * 40
    assert m.source.kind.value == "scan"
    err = capsys.readouterr().err
    assert err.startswith(f"wrote {out}: 53 modules (")
    assert err.endswith(" 3 recipes; 4 diagnostics\n")
    assert json.loads(out.read_text())["schema_version"] == 1


def test_timings_on_request(trees: Trees, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_cli(trees, "--quiet", "--timings")) == 0
    err = capsys.readouterr().err
    assert re.fullmatch(
        r"timings \(ms, wall/CPU of this process\): start \d+/\d+, walk \d+/\d+, reuse \d+/\d+, "
        r"cache_lookup \d+/\d+, extract \d+/\d+, cache_save \d+/\d+, assemble \d+/\d+, finish \d+/\d+, "
        r"total \d+/\d+; counts: library \d+, cookbook \d+, go \d+, extracted \d+, modules \d+, recipes 3, "
        r"recipes_without_modules \d+, skipped 0, diagnostics 4; caches: library cold, cookbook cold, "
        r"go cold, result miss\n",
        err,
    ), err


def test_quiet_prints_nothing(trees: Trees, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_cli(trees, "--quiet")) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--python-root", "{tmp}/nope"],
            3,
            "agno-docs compute: error: {tmp}/nope: baseline root does not exist; pass --python-root with a "
            "checkout that contains libs/agno/agno\n",
        ),
        (
            ["--go-root", "{tmp}/nope"],
            3,
            "agno-docs compute: error: {tmp}/nope: runtime root does not exist; pass --go-root with a checkout "  # noqa: E501
            "that contains pkg or internal\n",
        ),
        (
            ["--profile", "{tmp}/nope.toml"],
            2,
            "agno-docs compute: error: {tmp}/nope.toml: no such profile file; pass --profile with an existing "  # noqa: E501
            "TOML file\n",
        ),
        (
            ["--go-commit", "abc"],
            2,
            "agno-docs compute: error: --go-commit 'abc' is not a 40-character commit hash; pass the full hash "  # noqa: E501
            "(git rev-parse HEAD)\n",
        ),
    ],
)
def test_cli_errors(
    trees: Trees, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    argv = _cli(trees)
    for i in range(0, len(args), 2):
        flag, value = args[i], args[i + 1].format(tmp=tmp_path)
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    assert main(argv) == code
    assert capsys.readouterr().err == message.format(tmp=tmp_path)


def test_cli_too_few_modules_exit_3(trees: Trees, capsys: pytest.CaptureFixture[str]) -> None:
    argv = _cli(trees)
    del argv[argv.index("--profile") : argv.index("--profile") + 2]  # the shipped profile
    assert main(argv) == 3
    assert capsys.readouterr().err == (
        f"agno-docs compute: error: {trees.py}: family 'models' has 4 baseline modules, the profile expects "
        "at least 30; pass --python-root with a full checkout of agno, or lower families.models.min_expected "
        "in agno.toml\n"
    )


# --------------------------------------------------------------------------- cache


def _run(trees: Trees, **kw: object) -> dict[str, str]:
    t = scan(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True, **kw).timings  # type: ignore[arg-type]
    return {**t.cache, "extracted": str(t.counts["extracted"])}


class _Clock:
    """The caches' clock, ``offset`` ns ahead of the real one (:func:`_age`)."""

    offset = 0

    @classmethod
    def time_ns(cls) -> int:
        return time.time_ns() + cls.offset


@pytest.fixture(autouse=True)
def _cache_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    _Clock.offset = 0
    monkeypatch.setattr(cache_module, "time", _Clock)


def _age(*roots: Path, seconds: int = 60) -> None:
    """Every file ``seconds`` older: not "racily clean" (modified just before the cache was written).

    The mtime is set back, and the caches' clock put ``seconds`` ahead: the ctime, which the file
    system sets to the real clock (``utime`` included), is then as old, as seen by the caches.
    """
    for root in roots:
        for f in [root] if root.is_file() else root.rglob("*"):
            st = f.stat()
            os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))
    _Clock.offset += seconds * 1_000_000_000


def test_cache_cold_then_warm(trees: Trees) -> None:
    _age(trees.py, trees.go)
    first = _run(trees)
    assert first == {
        "library": "cold",
        "cookbook": "cold",
        "go": "cold",
        "result": "miss",
        "extracted": first["extracted"],
    }
    assert int(first["extracted"]) > 50
    # Nothing changed: the walk finds the files the result was made from; no facts cache is opened.
    assert _run(trees) == {
        "library": "unneeded",
        "cookbook": "unneeded",
        "go": "unneeded",
        "result": "hit",
        "extracted": "0",
    }


def test_a_touched_file_is_rehashed_and_the_result_kept(trees: Trees) -> None:
    _age(trees.py, trees.go)
    _run(trees)
    path = trees.py / LIB / "tools/calculator.py"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))
    assert _run(trees) == {
        "library": "warm",
        "cookbook": "warm",
        "go": "warm",
        "result": "same-content",
        "extracted": "0",
    }
    assert _run(trees)["result"] == "hit"  # the new mtime is in the result file now


def test_a_file_left_out_is_cached_as_such(trees: Trees) -> None:
    binary = trees.py / LIB / "tools/zz_bin.py"
    binary.write_bytes(b"class ZzBin:\n    x = 1\n\x00\n")
    _age(trees.py, trees.go)

    def left_out() -> list[tuple[str, int | None, str]]:
        m = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
        diags = [(d.file, d.line, d.message) for d in m.diagnostics if "zz_bin" in d.file]
        assert ("tools.zz_bin" in m.modules_by_id()) == (not diags)  # a module exactly when it was read
        return diags

    expected = [(f"{LIB}/tools/zz_bin.py", 3, "binary (NUL bytes), not source text: not read")]
    assert left_out() == expected
    assert _run(trees)["result"] == "hit"
    assert left_out() == expected  # from the result file
    path = trees.py / LIB / "tools/calculator.py"  # another file touched: the facts caches are read
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert left_out() == expected  # from the library facts cache, not read again
    binary.write_bytes(b"class ZzBin:\n    x = 2\n\x00\n")  # changed, still binary: read again
    _age(binary)
    assert left_out() == expected
    binary.write_text("class ZzBin:\n    x = 3\n")  # text now: a file like the others
    _age(binary)
    assert left_out() == []


def test_files_just_modified_are_rehashed_not_trusted(trees: Trees) -> None:
    """Racily clean: a file modified within 2 s of the cache write could change again unseen."""
    _run(trees)
    assert _run(trees)["result"] == "same-content"


def test_cache_sees_a_change(trees: Trees) -> None:
    _run(trees)
    before = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
    assert before.modules_by_id()["tools.calculator"].status.value == "migrated"
    path = trees.go / "pkg/agno/tools/calculator/calculator.go"
    text = path.read_text().replace('"subtract"', '"minus"')
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    stats = _run(trees)
    assert (stats["extracted"], stats["result"]) == ("1", "miss")
    after = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
    assert after.modules_by_id()["tools.calculator"].notes == (
        "missing 1 of 2 functions: subtract; Go adds minus."
    )


def test_cache_same_content_new_mtime_is_a_hit(trees: Trees) -> None:
    _run(trees)
    path = trees.py / LIB / "tools/calculator.py"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - 10_000_000_000))
    assert _run(trees)["extracted"] == "0"


def _same_size_edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` (as long) in the file, then put its mtime back as it was."""
    assert len(old) == len(new)
    st = path.stat()
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def _rename_over(path: Path, old: str, new: str) -> None:
    """The same edit written to another file renamed over this one (a new inode), mtime put back."""
    st = path.stat()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(path.read_text().replace(old, new))
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, path)


CALC_GO = "pkg/agno/tools/calculator/calculator.go"


@pytest.mark.parametrize(("change", "extracted", "result"), [
    ("edit keeping size and mtime", "1", "miss"),
    ("edit renamed over it", "1", "miss"),
    ("file deleted", "0", "miss"),
    ("file added", "1", "miss"),
    ("profile changed", "0", "miss"),
])
def test_the_fast_path_sees_every_change_it_promises_to(trees: Trees, change: str, extracted: str,
                                                        result: str) -> None:
    """What the stat fast path trusts: (size, mtime, ctime, inode) unchanged means content unchanged.
    Each change below keeps a warm run from reusing the result, and the matrix shows the change."""
    _age(trees.py, trees.go)
    _run(trees)
    assert _run(trees)["result"] == "hit"
    calc = trees.go / CALC_GO
    if change == "edit keeping size and mtime":
        _same_size_edit(calc, '"subtract"', '"subtrac_"')
    elif change == "edit renamed over it":
        _rename_over(calc, '"subtract"', '"subtrac_"')
    elif change == "file deleted":
        calc.unlink()
    elif change == "file added":
        (trees.py / "cookbook/91_tools/zz_new_recipe.py").write_text("from agno.agent import Agent\n")
    else:
        text = trees.profile.read_text()
        trees.profile.write_text(text.replace('title = "Toolkits"', 'title = "Tool kits"', 1))
        assert trees.profile.read_text() != text
    # The caches' clock is 60 s ahead (_age): the change looks older than the cache, not racily clean,
    # so only the stat values compared can show it.
    got = _run(trees)
    assert (got["extracted"], got["result"]) == (extracted, result)
    m = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
    calc_notes = m.modules_by_id()["tools.calculator"].notes
    if change.startswith("edit"):
        assert calc_notes == "missing 1 of 2 functions: subtract; Go adds subtrac_."
    elif change == "file deleted":
        assert m.modules_by_id()["tools.calculator"].status.value == "not_migrated"
    elif change == "file added":
        assert any(r.path.endswith("zz_new_recipe.py") for r in m.recipes)
    else:
        assert next(f for f in m.families if f.id == "tools").title == "Tool kits"


def test_a_new_engine_version_ignores_the_old_caches(trees: Trees, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(trees.py, trees.go)
    _run(trees)
    monkeypatch.setattr(cache_module, "FACTS_VERSION", 10_000)
    got = _run(trees)
    assert (got["library"], got["go"], got["result"]) == ("version-mismatch", "version-mismatch", "miss")
    assert int(got["extracted"]) > 50


@pytest.mark.parametrize("damage", ["garbage", "truncate", "version"])
def test_corrupt_or_stale_cache_is_rebuilt(trees: Trees, damage: str) -> None:
    _age(trees.py, trees.go)
    reference = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
    for f in trees.cache.glob("*.msgpack"):
        raw = f.read_bytes()
        if damage == "garbage":
            f.write_bytes(b"\x00not msgpack at all")
        elif damage == "truncate":
            f.write_bytes(raw[: len(raw) // 2])
        else:
            doc = msgspec.msgpack.decode(raw)
            if isinstance(doc, dict) and "version" in doc:
                doc["version"] = -1
            f.write_bytes(msgspec.msgpack.encode(doc))
    stats = _run(trees)
    expected = {"garbage": "corrupt", "truncate": "corrupt", "version": "version-mismatch"}[damage]
    assert (stats["library"], stats["result"]) == (expected, "miss")
    again = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
    assert again.modules == reference.modules and again.recipes == reference.recipes
    assert _run(trees)["result"] == "hit"


def test_a_cache_that_msgpack_cannot_hold_is_not_written(tmp_path: Path) -> None:
    """A file name with surrogate escapes (bytes that are not UTF-8) never reaches the cache from the
    walk; should one come, the cache is not written (the next run is cold), and nothing is raised."""
    from matrix.sources.scan.cache import FactCache
    from matrix.sources.scan.facts import PyFacts
    from matrix.sources.scan.walk import FileStat

    c: FactCache[PyFacts] = FactCache(tmp_path, "k", "library", PyFacts)
    c.put(FileStat(os.fsdecode(b"caf\xe9.py"), "/x", 1, 1), b"0" * 20, PyFacts())
    c.save()
    assert list(tmp_path.iterdir()) == []


def test_no_cache_writes_nothing(trees: Trees) -> None:
    assert main(_cli(trees, "--no-cache", "--quiet")) == 0
    assert [p.name for p in trees.cache.iterdir()] == ["m.json"]


def test_cli_uses_agno_docs_cache(trees: Trees, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGNO_DOCS_CACHE", str(tmp_path / "envcache"))
    argv = _cli(trees, "--quiet")
    del argv[argv.index("--cache-dir") : argv.index("--cache-dir") + 2]
    assert main(argv) == 0
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "envcache").iterdir()) == [
        "cookbook",
        "go",
        "library",
        "profile",
        "result",
    ]


# --------------------------------------------------------------------------- profiles


def test_shipped_profile_loads() -> None:
    prof = load_profile()
    assert [f.id for f in prof.families] == [
        "core",
        "models",
        "tools",
        "vectordb",
        "db",
        "embedders",
        "chunking",
        "readers",
        "rerankers",
        "loaders",
        "reasoning",
        "guardrails",
        "os",
    ]
    tools = next(f for f in prof.families if f.id == "tools")
    assert tools.aliases["duckduckgo"] == "search"
    assert tools.names["google/gmail"] == "gmail"


BASE = """name = "t"
[baseline]
name = "agno"
[runtime]
name = "agno-Go"
[families.core]
title = "Core"
python = ["agent"]
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BASE.replace('name = "t"\n', ""), "{f}: name: missing required key; fix the profile"),
        (
            BASE + 'units = "classes"\n',
            "{f}: families.core.units: expected one of 'capabilities', 'endpoints', 'fields', 'functions', "
            "'groups', 'symbols', got 'classes'; fix the profile",
        ),
        (
            BASE + 'granularity = "pkg"\n',
            "{f}: families.core.granularity: expected one of 'dir', 'file', got 'pkg'; fix the profile",
        ),
        (
            BASE + "min_expected = -1\n",
            "{f}: families.core.min_expected: expected a non-negative integer, got -1; fix the profile",
        ),
        (
            BASE + "colour = 1\n",
            "{f}: families.core.colour: unknown key (not part of the profile format); fix the profile",
        ),
        (
            BASE + "aliases = { google = 1 }\n",
            "{f}: families.core.aliases.google: expected `str`, got `int` (1); fix the profile",
        ),
        (
            BASE + 'go_granularity = "type"\n',
            "{f}: families.core.go_type_suffix: go_granularity 'type' needs go_type_suffix; fix the profile",
        ),
        (
            BASE.replace('python = ["agent"]\n', ""),
            "{f}: families.core.python: a family needs `python` folders or `modules`; fix the profile",
        ),
        (
            BASE.replace('title = "Core"\n', ""),
            "{f}: families.core.title: missing required key; fix the profile",
        ),
        (
            BASE.replace("[families.core]", "[families.Core]"),
            "{f}: families.Core: family ids are lower-case letters, digits and underscores; fix the profile",
        ),
        (
            BASE + "[families.core.modules]\nagent = { go = [] }\n",
            "{f}: families.core.modules.agent.python: missing required key; fix the profile",
        ),
        (
            BASE + "[families.core.modules]\nagent = { python = [\"a\"], units = \"fields\" }\n",
            "{f}: families.core.modules.agent.classes: units 'fields' needs classes; fix the profile",
        ),
        (
            BASE + 'units = "capabilities"\n',
            "{f}: families.core.capabilities: units 'capabilities' needs capabilities; fix the profile",
        ),
        (
            BASE + 'units = "capabilities"\n[families.core.capabilities.stream]\npython = { methods = ["("] }\n',  # noqa: E501
            "{f}: families.core.capabilities.stream.python.methods: not a valid regular expression (missing ), "  # noqa: E501
            "unterminated subpattern at position 0); fix the profile",
        ),
        (
            BASE + 'units = "capabilities"\n[families.core.capabilities.stream]\ngo = { methods = ["X"] }\n',
            "{f}: families.core.capabilities.stream.python: a capability needs a Python marker (or "
            "from_family); fix the profile",
        ),
        (
            BASE + '[families.core.capabilities.emb]\nfrom_family = "nope"\n',
            "{f}: families.core.capabilities.emb.from_family: no family 'nope'; fix the profile",
        ),
        (
            BASE + 'units = "functions"\n',
            "{f}: rules.python.toolkit_base: units 'functions' needs the toolkit base class; fix the profile",
        ),
        (
            BASE + "[families.core.modules.db]\npython = [\"db\"]\nunits = \"groups\"\ngroups_from = \"x\"\n",
            "{f}: families.core.modules.db.groups_from: no family 'x'; fix the profile",
        ),
        (
            BASE + "[families.core.groups.s]\npython = \"x\"\n",
            "{f}: families.core.groups.s.go: missing required key; fix the profile",
        ),
        (
            BASE + "[rules.go]\nstub_words = [\"(\"]\n",
            "{f}: rules.go.stub_words[0]: not a valid regular expression (missing ), unterminated subpattern "
            "at position 0); fix the profile",
        ),
        (
            BASE + "[rules.python]\nroute = \"@x\"\n",
            "{f}: rules.python.route: the regex needs the named groups `method` and `path`; fix the profile",
        ),
        (
            BASE + "[[cookbook.examples]]\nrecipes = []\n",
            "{f}: cookbook.examples[0].go: missing required key; fix the profile",
        ),
        ("name = \n", "{f}: not valid TOML (Invalid value (at line 1, column 8)); fix the profile"),
        (
            BASE.replace('[runtime]\nname = "agno-Go"\n', ""),
            "{f}: runtime: missing required table; fix the profile",
        ),
        (
            BASE + "[runtime.x]\n",
            "{f}: runtime.x: unknown key (not part of the profile format); fix the profile",
        ),
        (
            BASE + "[scan]\nmax_file_bytes = 0\n",
            "{f}: scan.max_file_bytes: expected `int` >= 1; fix the profile",
        ),
    ],
)
def test_profile_errors(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "p.toml"
    f.write_text(text)
    with pytest.raises(UsageError) as err:
        load_profile(f)
    assert str(err.value) == message.format(f=f)


def test_the_profile_sets_the_file_size_limit(trees: Trees) -> None:
    limit = (trees.py / LIB / "tools/calculator.py").stat().st_size - 1
    text = trees.profile.read_text()
    scan_table = f'name = "agno"\n\n[scan]\nmax_file_bytes = {limit}\n'
    trees.profile.write_text(text.replace('name = "agno"\n', scan_table, 1))
    assert load_profile(trees.profile).scan.max_file_bytes == limit
    m = compute(trees.py, trees.go, profile=trees.profile, use_cache=False, quiet=True)
    calc = [d for d in m.diagnostics if d.file == f"{LIB}/tools/calculator.py"]
    assert [d.message for d in calc] == [
        f"{limit + 1:,} bytes, over the scan's limit of {limit:,} (scan.max_file_bytes in the profile): "
        "not read"
    ]
    assert "tools.calculator" not in m.modules_by_id()


def test_profile_minimal_is_valid(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text(BASE)
    prof = load_profile(f)
    assert (prof.name, prof.baseline.root, prof.families[0].granularity) == ("t", ".", "file")
    assert (prof.runtime.roots, prof.families[0].units) == ((".",), "symbols")
    assert prof.scan.max_file_bytes == 4 * 1024 * 1024


def test_default_profile_is_the_shipped_file() -> None:
    assert DEFAULT_PROFILE.name == "agno.toml"
    assert re.search(r"(?m)^\[families\.tools\]$", DEFAULT_PROFILE.read_text())


# --------------------------------------------------------------------------- progress


class _Tty:
    def __init__(self) -> None:
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("ci", "quiet", "shown"), [(None, False, True), ("1", False, False), (None, True, False)]
)
def test_progress_only_on_an_interactive_terminal(
    trees: Trees, monkeypatch: pytest.MonkeyPatch, ci: str | None, quiet: bool, shown: bool
) -> None:
    import sys

    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=quiet)
    assert ("agno-docs compute: walking the trees" in tty.text) is shown
    assert ("agno-docs compute: assembling the matrix" in tty.text) is shown
    assert tty.text.endswith("\r\033[K") is shown


# --------------------------------------------------------------------------- settings


def test_scan_source_through_settings(trees: Trees) -> None:
    from matrix.settings import Settings
    from matrix.sources import load as load_source

    env = {
        "AGNO_MATRIX_SOURCE": "scan",
        "AGNO_PYTHON_ROOT": str(trees.py),
        "AGNO_GO_ROOT": str(trees.go),
        "AGNO_PROFILE": str(trees.profile),
        "AGNO_DOCS_CACHE": str(trees.cache),
    }
    loaded = load_source(Settings.from_env(env))
    assert loaded.stale is None
    assert loaded.matrix.modules_by_id()["tools.duckduckgo"].status.value == "partial"
    del env["AGNO_GO_ROOT"]
    with pytest.raises(UsageError) as err:
        load_source(Settings.from_env(env))
    assert str(err.value) == (
        "AGNO_MATRIX_SOURCE=scan: AGNO_GO_ROOT is not set; set AGNO_PYTHON_ROOT and AGNO_GO_ROOT to the "
        "two checkouts"
    )


# --------------------------------------------------------------------------- worker process


def test_a_worker_process_gives_the_same_matrix(trees: Trees, monkeypatch: pytest.MonkeyPatch) -> None:
    import matrix.sources.scan.extract as extract

    _age(trees.py, trees.go)
    single = scan(trees.py, trees.go, profile=trees.profile, use_cache=False, quiet=True, workers=0)
    assert "worker" not in single.timings.counts
    monkeypatch.setattr(extract, "CHUNK", 2)
    pooled = scan(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True, workers=1)
    counts = pooled.timings.counts
    assert counts["worker"] + counts["taken_back"] == counts["go"] + counts["cookbook"]
    assert counts["worker"] > 0  # the worker process did extract something
    # forked when this process runs one thread (a session's browser tests keep Playwright's alive)
    assert pooled.timings.cache["worker"] == extract.start_method()
    assert (pooled.matrix.modules, pooled.matrix.recipes, pooled.matrix.diagnostics) == (
        single.matrix.modules,
        single.matrix.recipes,
        single.matrix.diagnostics,
    )
    # Provenance, read while the worker extracts, is the same as read at the end.
    assert (pooled.matrix.baseline, pooled.matrix.runtime) == (single.matrix.baseline, single.matrix.runtime)
    # What the worker extracted went into the cache like the rest.
    assert _run(trees)["result"] == "hit"


@pytest.mark.parametrize(("env", "n", "expected"), [(None, 10, 0), (None, 10_000, 1), ("0", 10_000, 0),
                                                     ("1", 10, 1), ("", 10_000, 1)])
def test_workers_by_the_amount_of_work(
    trees: Trees, monkeypatch: pytest.MonkeyPatch, env: str | None, n: int, expected: int
) -> None:
    import matrix.sources.scan as scan_module

    if env is None:
        monkeypatch.delenv("AGNO_DOCS_WORKERS", raising=False)
    else:
        monkeypatch.setenv("AGNO_DOCS_WORKERS", env)
    monkeypatch.setattr(scan_module, "_cpus", lambda: 2)
    monkeypatch.setattr(scan_module, "_load", lambda: 0.4)
    run = scan_module._start(trees.py, trees.go, trees.profile, None, False, True, None)
    assert scan_module._pool_size(run, n) == expected
    monkeypatch.setattr(scan_module, "_load", lambda: 1.6)  # the other CPU is busy: by itself, never
    assert scan_module._pool_size(run, n) == (expected if env else 0)
    monkeypatch.setattr(scan_module, "_load", lambda: 0.0)
    monkeypatch.setattr(scan_module, "_cpus", lambda: 1)  # one CPU: by itself, never
    assert scan_module._pool_size(run, n) == (expected if env else 0)


def test_the_worker_is_forked_only_from_a_single_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies only the calling thread: with another thread alive (``mkdocs serve``) a lock it
    held could stay locked in the child for ever, so the worker is spawned then."""
    import threading

    from matrix.sources.scan.extract import start_method

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert start_method() == "spawn"  # this thread and the other one (and any a test session keeps)
    finally:
        stop.set()
        other.join()
    # one thread (the CLI); the test session may keep others alive (Playwright's), so it is told so
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert start_method() == "fork"


def test_workers_setting_is_checked(trees: Trees, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "2")
    assert main(_cli(trees)) == 2
    assert capsys.readouterr().err == (
        "agno-docs compute: error: AGNO_DOCS_WORKERS: expected 0 or 1, got '2'; unset it to let the scan "
        "decide by the amount of work\n"
    )

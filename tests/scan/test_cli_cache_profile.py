"""`agno-docs compute` through matrix.cli.main, the facts cache, and profile validation."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import msgspec
import pytest

from matrix.cli import main
from matrix.errors import UsageError
from matrix.profiles import DEFAULT_PROFILE, load_profile
from matrix.sources.scan import LAST_TIMINGS, compute
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
    compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True, **kw)  # type: ignore[arg-type]
    return {**LAST_TIMINGS.cache, "extracted": str(LAST_TIMINGS.counts["extracted"])}


def test_cache_cold_then_warm(trees: Trees) -> None:
    first = _run(trees)
    assert first == {
        "library": "cold",
        "cookbook": "cold",
        "go": "cold",
        "result": "miss",
        "extracted": first["extracted"],
    }
    assert int(first["extracted"]) > 50
    assert _run(trees) == {
        "library": "warm",
        "cookbook": "warm",
        "go": "warm",
        "result": "hit",
        "extracted": "0",
    }


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


@pytest.mark.parametrize("damage", ["garbage", "truncate", "version"])
def test_corrupt_or_stale_cache_is_rebuilt(trees: Trees, damage: str) -> None:
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
    assert stats["library"] == expected
    again = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
    assert again.modules == reference.modules and again.recipes == reference.recipes
    assert _run(trees)["library"] == "warm"


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
    ],
)
def test_profile_errors(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "p.toml"
    f.write_text(text)
    with pytest.raises(UsageError) as err:
        load_profile(f)
    assert str(err.value) == message.format(f=f)


def test_profile_minimal_is_valid(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text(BASE)
    prof = load_profile(f)
    assert (prof.name, prof.baseline.root, prof.families[0].granularity) == ("t", ".", "file")
    assert (prof.runtime.roots, prof.families[0].units) == ((".",), "symbols")


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


# --------------------------------------------------------------------------- fork


def test_forked_extraction_gives_the_same_matrix(trees: Trees, monkeypatch: pytest.MonkeyPatch) -> None:
    import matrix.sources.scan as scan

    single = compute(trees.py, trees.go, profile=trees.profile, use_cache=False, quiet=True)
    monkeypatch.setattr(scan, "_FORK_MIN", 1)
    monkeypatch.setattr(scan, "_SHARE", 2)
    forked = compute(trees.py, trees.go, profile=trees.profile, cache_dir=trees.cache, quiet=True)
    assert "extract_go_cookbook_wait" in LAST_TIMINGS.phases  # the fork path ran
    assert (forked.modules, forked.recipes, forked.diagnostics) == (
        single.modules,
        single.recipes,
        single.diagnostics,
    )
    # What the child extracted went into the cache like the rest.
    assert _run(trees)["extracted"] == "0"

"""``agno-docs check``: plant each kind of drift in a clean docs tree and assert the exact finding."""

# ruff: noqa: E501  (tables of exact messages read better unbroken)

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import matrix.check as check_module
import matrix.workers
from matrix.check import check_docs, check_matrix, check_raw_snapshot, check_snapshot, render_page
from matrix.cli import main
from matrix.errors import UsageError
from matrix.model import Coverage, Loc, Recipe, Status, SupportMatrix, Unit, UnitKind, UnitState
from matrix.sources import Loaded, snapshot
from tests import factories
from tests.keeptrue.conftest import CLEAN_DOCS, GO, make_matrix, write_tree

NO_ROOT = "; pass --go-root to check the runtime tree"

# (case id, files to write over the clean tree, exact findings)
DRIFT: list[tuple[str, dict[str, str], list[str]]] = [
    ("module id typo, double quotes", {"page.md": 'Intro\n\n{{ module("tools.calculater") }}\n'},
     ["docs/page.md:3: unknown module id 'tools.calculater' in module(); did you mean 'tools.calculator'?"]),
    ("module id typo after front matter, single quotes",
     {"page.md": "---\ntitle: T\n---\n\n{{ support_box('tools.duckduckgoo') }}\n"},
     ["docs/page.md:5: unknown module id 'tools.duckduckgoo' in support_box(); did you mean 'tools.duckduckgo'?"]),
    ("module id with nothing close", {"page.md": "{{ module('vectordb.zzz') }}\n"},
     ["docs/page.md:1: unknown module id 'vectordb.zzz' in module()"]),
    ("every id of needs()", {"page.md": '{{ needs("tools.calculator",\n "tools.shel", "x.y") }}\n'},
     ["docs/page.md:1: unknown module id 'tools.shel' in needs(); did you mean 'tools.shell'?",
      "docs/page.md:1: unknown module id 'x.y' in needs()"]),
    ("family macro", {"page.md": "\n\n{{ family_table('tool') }}\n"},
     ["docs/page.md:3: unknown family 'tool' in family_table(); did you mean 'tools'?"]),
    ("page that is not a valid template", {"page.md": "one\n{{ module('tools.calculator') \n"},
     ["docs/page.md:2: the page is not a valid macros template (unexpected end of template, expected 'end of "
      "print statement'.)"]),
    ("go block imports a not_migrated module's package",
     {"page.md": f'# P\n\n```go\nimport "{GO}/pkg/agno/tools/shell"\n```\n'},
     [f'docs/page.md:4: imports "{GO}/pkg/agno/tools/shell", which is no module\'s Go package in the matrix and '
      f"not a known support package ('tools.shell' is Not yet in Go: not_migrated){NO_ROOT}"]),
    ("go snippet imports the package of a wont_port module",
     {"snippets/legacy.go": f'package main\n\nimport (\n\t"os"\n\tl "{GO}/pkg/agno/tools/legacy"\n)\n'},
     [f"docs/snippets/legacy.go:5: imports \"{GO}/pkg/agno/tools/legacy\", the package of 'tools.legacy', "
      "which is Won't port (wont_port)"]),
    ("indented go block in a tab",
     {"page.md": f'=== "Go"\n\n    ```golang title="x.go"\n    import "{GO}/pkg/agno/nothing"\n    ```\n'},
     [f'docs/page.md:4: imports "{GO}/pkg/agno/nothing", which is no module\'s Go package in the matrix and '
      f"not a known support package{NO_ROOT}"]),
    ("front matter claims Go support for a not_migrated module",
     {"page.md": "---\ntitle: T\ngo_support:\n  - tools.calculator\n  - tools.shell\n---\n# T\n"},
     ["docs/page.md:3: claims Go support for 'tools.shell', which is Not yet in Go (not_migrated)"]),
    ("marked claim for a wont_port module",
     {"page.md": "# T\n\nText.\n<!-- claim: go-supported tools.legacy -->\n"},
     ["docs/page.md:4: claims Go support for 'tools.legacy', which is Won't port (wont_port)"]),
    ("not-in-go claim for a migrated module", {"page.md": "<!-- claim: not-in-go tools.calculator -->\n"},
     ["docs/page.md:1: claims 'tools.calculator' is not in Go, but it is In Go (migrated)"]),
    ("claim naming an unknown module", {"page.md": "<!-- claim: go-supported tools.calc -->\n"},
     ["docs/page.md:1: claim go-supported names unknown module id 'tools.calc'; did you mean "
      "'tools.calculator'?"]),
    ("unknown claim kind", {"page.md": "\n<!-- claim: supported tools.calculator -->\n"},
     ["docs/page.md:2: unknown claim 'supported'; use go-supported, not-in-go or runs-in-go"]),
    ("featured entry with a Go tab for a recipe that is not go_ready",
     {"cookbook/shell.md": '---\nrecipe: cookbook/shell.py\n---\n\n=== "Python"\n\n    x\n\n=== "Go"\n\n    y\n'},
     ["docs/cookbook/shell.md:9: Go tab for recipe 'cookbook/shell.py', which does not run in Go (blocked by "
      "module tools.shell)"]),
    ("featured entry with a go_example for a recipe that is not go_ready",
     {"cookbook/shell.md": "---\nrecipe: cookbook/shell.py\ngo_example: cmd/examples/shell\n---\n"},
     ["docs/cookbook/shell.md:3: Go tab for recipe 'cookbook/shell.py', which does not run in Go (blocked by "
      "module tools.shell)"]),
    ("featured entry contradicting the matrix's go_example",
     {"cookbook/calc.md": "---\nrecipe: cookbook/calc.py\ngo_example: cmd/examples/other\n---\n"},
     ["docs/cookbook/calc.md:3: go_example 'cmd/examples/other' is not the recipe's Go example in the matrix "
      f"('cmd/examples/calc'){NO_ROOT}"]),
    ("featured entry for an unknown recipe", {"cookbook/x.md": "---\nrecipe: cookbook/calk.py\n---\n"},
     ["docs/cookbook/x.md:2: recipe 'cookbook/calk.py' is not in the matrix; did you mean 'cookbook/calc.py'?"]),
    ("recipe macro with an unknown recipe and snippet",
     {"page.md": '\n{{ recipe_tabs("cookbook/shel.py", "a.py") }}\n'},
     ["docs/page.md:2: includes snippet 'a.py', which is not in docs/snippets",
      "docs/page.md:2: unknown recipe 'cookbook/shel.py' in recipe_tabs(); did you mean 'cookbook/shell.py'?"]),
    ("not_migrated module missing from the Not yet in Go page", {"not-in-go.md": "# Not yet in Go\n\nNone.\n"},
     ["docs/not-in-go.md:1: not_migrated module 'tools.shell' is not listed on the \"Not yet in Go\" page "
      "(docs/not-in-go.md)"]),
    ("a longer id does not count as listing the module", {"not-in-go.md": "tools.shell_extra\n"},
     ["docs/not-in-go.md:1: not_migrated module 'tools.shell' is not listed on the \"Not yet in Go\" page "
      "(docs/not-in-go.md)"]),
]


@pytest.mark.parametrize(("files", "expected"), [(f, e) for _, f, e in DRIFT], ids=[c for c, _, _ in DRIFT])
def test_each_drift_is_found_with_its_exact_message(docs: Path, loaded: Loaded, files: dict[str, str],
                                                     expected: list[str]) -> None:
    assert [str(f) for f in check_docs(docs, loaded)] == []
    write_tree(docs, files)
    assert [str(f) for f in check_docs(docs, loaded)] == expected


@pytest.mark.parametrize(("files", "expected"), [(f, e) for _, f, e in DRIFT], ids=[c for c, _, _ in DRIFT])
def test_each_drift_is_found_the_same_from_the_cache(docs: Path, loaded: Loaded, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
                                                     expected: list[str]) -> None:
    cache = tmp_path / "cache"
    write_tree(docs, files)
    assert [str(f) for f in check_docs(docs, loaded, cache_dir=cache)] == expected  # parsed, then kept
    assert len(_kept(cache).pages) == len([p for p in docs.rglob("*.md") if "snippets" not in p.parts])

    def not_again(text: str, name: str) -> None:
        raise AssertionError(f"{name} was parsed again")

    monkeypatch.setattr(check_module, "_parse_page", not_again)
    monkeypatch.setattr(check_module, "go_imports", not_again)
    assert [str(f) for f in check_docs(docs, loaded, cache_dir=cache)] == expected  # read from the cache


def test_a_page_edited_after_a_run_is_parsed_again(docs: Path, loaded: Loaded, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert check_docs(docs, loaded, cache_dir=cache) == []
    write_tree(docs, {"index.md": "\n{{ module('tools.shel') }}\n", "snippets/calc.go": f'import "{GO}/pkg/agno/x"\n'})
    assert [str(f) for f in check_docs(docs, loaded, cache_dir=cache)] == [
        "docs/index.md:2: unknown module id 'tools.shel' in module(); did you mean 'tools.shell'?",
        f'docs/snippets/calc.go:1: imports "{GO}/pkg/agno/x", which is no module\'s Go package in the matrix and not '
        f"a known support package{NO_ROOT}",
    ]
    assert len(_kept(cache).pages) == 3  # the old index.md is gone


def _kept(folder: Path) -> check_module._Cache:
    """The cache in ``folder`` as the next run reads it."""
    return check_module._Cache(folder)


def _body(file: Path) -> tuple[object, ...]:
    data = file.read_bytes()
    assert data.startswith(check_module._Cache.MAGIC)
    body = marshal.loads(data[len(check_module._Cache.MAGIC) + 64:])
    assert isinstance(body, tuple)
    return body


def _write_body(file: Path, body: object, *, digest: bytes | None = None) -> None:
    raw = marshal.dumps(body)
    file.write_bytes(check_module._Cache.MAGIC + (digest or hashlib.sha256(raw).hexdigest().encode()) + raw)


def _no_calls(body: tuple[object, ...]) -> tuple[object, ...]:
    """The body with every page's macro calls emptied: trusted, this would hide a finding."""
    engine, pages, *rest = body
    assert isinstance(pages, dict)
    return (engine, {k: (*v[:3], [], None) for k, v in pages.items()}, *rest)


@pytest.mark.parametrize("state", ["garbage", "wrong shape", "other engine", "damaged", "truncated", "a folder",
                                   "unwritable"])
def test_a_cache_that_cannot_be_used_is_a_cold_start(docs: Path, loaded: Loaded, tmp_path: Path, state: str) -> None:
    write_tree(docs, {"page.md": "{{ module('zzz.qqq') }}\n"})
    expected = ["docs/page.md:1: unknown module id 'zzz.qqq' in module()"]
    cache = tmp_path / "cache"
    assert [str(f) for f in check_docs(docs, loaded, cache_dir=cache)] == expected
    file = cache / "check.cache"
    if state == "garbage":
        file.write_bytes(b"\xc1 not a cache")
    elif state == "wrong shape":
        _write_body(file, {"parsers": 1, "pages": [], "go": {}})
    elif state == "other engine":  # what another version of the engine or the parsers kept is not trusted
        _write_body(file, ("another", *_no_calls(_body(file))[1:]))
    elif state == "damaged":  # changed after it was written: its digest no longer matches
        good = file.read_bytes()[len(check_module._Cache.MAGIC):][:64]
        _write_body(file, _no_calls(_body(file)), digest=good)
    elif state == "truncated":
        file.write_bytes(file.read_bytes()[:-10])
    elif state == "a folder":
        file.unlink()
        file.mkdir()
    else:  # a folder that cannot be made (tests may run as root, who may write anywhere)
        cache = tmp_path / "a-file" / "cache"
        cache.parent.write_text("")
    assert [str(f) for f in check_docs(docs, loaded, cache_dir=cache)] == expected
    assert [str(f) for f in check_docs(docs, loaded, cache_dir=cache)] == expected
    if state not in ("a folder", "unwritable"):  # replaced by a good one
        assert len(_kept(cache).pages) == 4


@pytest.mark.parametrize(("value", "kept"), [("updated: 2026-12-01", False), ("x: .nan", False),
                                             ("n: 1180591620717411303424", True), ("1: x", True),
                                             ("tags: !!set {a}", True)])
def test_front_matter_that_would_not_read_back_the_same_is_not_kept(docs: Path, loaded: Loaded, tmp_path: Path,
                                                                    value: str, kept: bool) -> None:
    """A date cannot be kept, a NaN reads back unequal: such pages are parsed every time."""
    write_tree(docs, {"page.md": f"---\n{value}\ngo_support: tools.shell\n---\n"})
    expected = ["docs/page.md:3: claims Go support for 'tools.shell', which is Not yet in Go (not_migrated)"]
    for _ in range(2):
        assert [str(f) for f in check_docs(docs, loaded, cache_dir=tmp_path / "cache")] == expected
    assert len(_kept(tmp_path / "cache").pages) == (4 if kept else 3)  # every page, or every page but page.md


# --- the CLI's path: what the checks read from the matrix, kept by the snapshot's digest --------------------


def _counting(loaded: Loaded) -> tuple[Callable[[], Loaded], list[str]]:
    """A ``load`` for :func:`check_snapshot` that records each call."""
    calls: list[str] = []

    def load() -> Loaded:
        calls.append("load")
        return loaded

    return load, calls


def _not_again(*args: object) -> None:
    raise AssertionError(f"called again with {args!r}")


@pytest.mark.parametrize(("files", "expected"), [(f, e) for _, f, e in DRIFT], ids=[c for c, _, _ in DRIFT])
def test_each_drift_is_found_the_same_from_the_snapshots_facts(docs: Path, loaded: Loaded, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch, files: dict[str, str],
                                                              expected: list[str]) -> None:
    """The CLI's path gives check_docs' findings, parsed and then from the cache (pages and the matrix's facts)."""
    snap = snapshot_file(tmp_path, loaded)
    write_tree(docs, files)
    cache = tmp_path / "cache"
    load, calls = _counting(loaded)
    assert [str(f) for f in check_snapshot(docs, snap, load, cache_dir=cache)] == expected
    assert calls == [] and _kept(cache).facts_row is not None  # from the bytes it hashed, not from load()
    monkeypatch.setattr(check_module, "_parse_page", _not_again)
    monkeypatch.setattr(check_module, "go_imports", _not_again)
    monkeypatch.setattr(check_module.Facts, "of", _not_again)
    assert [str(f) for f in check_snapshot(docs, snap, load, cache_dir=cache)] == expected


def snapshot_file(tmp_path: Path, loaded: Loaded, name: str = "m.json") -> Path:
    path = tmp_path / name
    snapshot.dump(loaded.matrix, path)
    return path


def test_a_run_from_the_cache_loads_no_matrix(docs: Path, loaded: Loaded, tmp_path: Path) -> None:
    """With every page and the snapshot kept, the matrix is not loaded at all (the "Not yet in Go" page calls
    not_in_go(), which lists every python-only module, so it need not be rendered); without a cache it is
    loaded once by the caller's ``load``; on the first run with one, it is decoded from the bytes whose
    digest keys the facts (a file replaced between the two cannot key one matrix's facts by another's
    digest)."""
    write_tree(docs, {"not-in-go.md": "{{ not_in_go() }}\n"})
    snap = snapshot_file(tmp_path, loaded)
    load, calls = _counting(loaded)
    assert check_snapshot(docs, snap, load) == [] and calls == ["load"]  # no cache folder
    calls.clear()
    assert check_snapshot(docs, snap, load, cache_dir=tmp_path / "c") == [] and calls == []
    assert _kept(tmp_path / "c").facts_row == (hashlib.sha256(snap.read_bytes()).hexdigest(),
                                               check_module.Facts.of(loaded.matrix).row())
    assert check_snapshot(docs, snap, load, cache_dir=tmp_path / "c") == [] and calls == []


def test_a_finding_that_needs_the_whole_matrix_loads_it_once(docs: Path, loaded: Loaded, tmp_path: Path) -> None:
    """What blocks a recipe is worded from the whole matrix: on the first run, the one decoded for the facts;
    once the facts are kept, the one ``load()`` reads (once per run, whatever the number of findings)."""
    write_tree(docs, {"cookbook/shell.md": '---\nrecipe: cookbook/shell.py\n---\n\n=== "Go"\n\n    y\n',
                      "page.md": "cookbook/shell.py Runs in Go\n"})
    expected = ["docs/cookbook/shell.md:5: Go tab for recipe 'cookbook/shell.py', which does not run in Go (blocked "
                "by module tools.shell)",
                "docs/page.md:1: marks recipe 'cookbook/shell.py' as running in Go, but it does not run in Go "
                "(blocked by module tools.shell)"]
    snap = snapshot_file(tmp_path, loaded)
    load, calls = _counting(loaded)
    for run_calls in ([], ["load"]):
        assert [str(f) for f in check_snapshot(docs, snap, load, cache_dir=tmp_path / "c")] == expected
        assert calls == run_calls
        calls.clear()


def test_the_kept_facts_follow_the_snapshot(docs: Path, loaded: Loaded, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A snapshot that changed (here: tools.calculator no longer in Go) is read again, and so is the old one."""
    snap = snapshot_file(tmp_path, loaded)
    args = ["check", "--docs", str(docs), "--snapshot", str(snap), "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 0
    demoted = make_matrix()
    demoted = factories.matrix(*(factories.module("tools.calculator", Status.NOT_MIGRATED)
                                 if m.id == "tools.calculator" else m for m in demoted.modules),
                               recipes=demoted.recipes)
    expected = [str(f) for f in check_docs(docs, Loaded(demoted))]  # what the uncached path finds
    assert len(expected) >= 3
    snapshot.dump(demoted, snap)
    capsys.readouterr()
    assert main(args) == 1
    assert capsys.readouterr().out.splitlines() == expected
    snapshot.dump(loaded.matrix, snap)
    assert main(args) == 0
    assert capsys.readouterr().out == ""


def test_kept_facts_are_trusted_only_under_the_same_engine(docs: Path, loaded: Loaded, tmp_path: Path) -> None:
    """Facts kept under this engine are used as they are (a tampered row shows through: the test can fail);
    under another engine (another version of this module, the model, its words or an upgrade of msgspec)
    they are derived again."""
    snap = snapshot_file(tmp_path, loaded)
    cache = tmp_path / "c"
    load, _ = _counting(loaded)
    assert check_snapshot(docs, snap, load, cache_dir=cache) == []
    file = cache / "check.cache"
    engine, pages, go, (digest, row), kinds, profile = _body(file)
    modules = dict(row[3])
    modules["tools.shell"] = ("migrated", True)
    tampered = (digest, (*row[:3], modules, *row[4:]))
    _write_body(file, (engine, pages, go, tampered, kinds, profile))
    assert [str(f) for f in check_snapshot(docs, snap, load, cache_dir=cache)] == [
        "docs/index.md:9: claims 'tools.shell' is not in Go, but it is In Go (migrated)"]
    _write_body(file, ("another", pages, go, tampered, kinds, profile))
    assert check_snapshot(docs, snap, load, cache_dir=cache) == []
    assert _body(file)[3] == (digest, row)  # derived again


def test_a_snapshot_that_no_longer_loads_is_reported_as_before(docs: Path, loaded: Loaded, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Facts kept for a good snapshot do not hide a later one that the model refuses."""
    snap = snapshot_file(tmp_path, loaded)
    args = ["check", "--docs", str(docs), "--snapshot", str(snap), "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 0
    snap.write_bytes(_raw_snapshot(tmp_path).read_bytes())
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out.count("\n") == 2 and "tools.duckduckgo' is partial but has no notes" in out
    assert err == "2 finding(s); the docs were not checked because the matrix does not load\n"
    snap.unlink()
    assert main(args) == 3
    assert capsys.readouterr().err.startswith(f"agno-docs check: error: {snap}: no such snapshot file")


def test_the_file_listing_is_rglobs(tmp_path: Path) -> None:
    """check lists the docs with os.scandir: the same files as rglob + is_file, split at <docs>/snippets."""
    docs = write_tree(tmp_path / "docs", {"a.md": "", ".hidden.md": "", "b/c.md": "", "b/snippets/d.go": "",
                                          "snippets/e.go": "", "snippets/f/g.py": "", "z.txt": ""})
    outside = write_tree(tmp_path / "outside", {"h.md": ""})
    (docs / "linked-folder").symlink_to(outside, target_is_directory=True)
    (docs / "linked-file.md").symlink_to(outside / "h.md")
    (docs / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    every = sorted(p for p in docs.rglob("*") if p.is_file())
    assert check_module._files(docs) == ([p for p in every if docs / "snippets" not in p.parents],
                                         [p for p in every if docs / "snippets" in p.parents])
    assert [p.name for p in check_module._files(docs)[1]] == ["e.go", "g.py"]


@pytest.mark.parametrize(("text", "words", "lines"), [
    ("nothing to see here\nat all", "not_migrated", []),
    ("not_migrated\nIt raises NOT_MIGRATED\n", "not_migrated", [1, 2]),
    ("every event carries Runtime=Go\n\nruntime=go and RUNTIME=GO", "runtime=go", [1, 3]),
    ("ASCII text without it: runtime = go", "runtime=go", []),
    ("中文\n: not_migrated error", "not_migrated", [2]),
    ("non-ASCII text without it: 中文", "not_migrated", []),
    ("中文\r\nthe not_m\u0131grated error (a dotless i, which re.I folds with i)", "not_migrated", [2]),
    ("\u0130: the NOT_M\u0130GRATED error (a dotted capital I, which re.I folds with i)", "not_migrated", [1]),
])
def test_a_term_is_searched_on_every_line_where_it_can_match(text: str, words: str, lines: list[int]) -> None:
    assert check_module._word_lines(text, words) == lines
    for what, said, _, needs in check_module.PLANNED_TERMS:
        if needs == words:
            matched = [n for n, line in enumerate(text.split("\n"), 1) if said.search(line)]
            assert set(matched) <= set(lines), f"{what}: a line where its pattern matches is skipped"


def test_each_planned_term_names_words_its_pattern_needs() -> None:
    for what, said, _, words in check_module.PLANNED_TERMS:
        assert words == words.lower() and words in said.pattern, what


def test_the_settings_name_the_sources_default_snapshot() -> None:
    from matrix import settings

    assert settings.DEFAULT_SNAPSHOT == snapshot.DEFAULT_SNAPSHOT


_IMPORTED = """
import sys
from matrix.cli import main
code = main(sys.argv[1:])
print(code, " ".join(sorted(m for m in sys.modules if m.split(".")[0] in
      ("jinja2", "markdown_it", "yaml", "tree_sitter", "msgspec", "matrix"))))
"""


def test_check_imports_only_what_it_uses(tmp_path: Path) -> None:
    """No renderer, template environment or telemetry reader; once every page and the snapshot's facts are
    kept, no parser, no model, no source and no msgspec at all (the import time of ``check`` is most of its
    run time: bench/check.py)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    docs = write_tree(tmp_path / "docs", {k: v for k, v in CLEAN_DOCS.items() if k != "not-in-go.md"})
    write_tree(docs, {"not-in-go.md": "{{ not_in_go() }}\n"})
    snapshot.dump(make_matrix(), tmp_path / "m.json")
    cmd = [sys.executable, "-c", _IMPORTED, "check", "--docs", str(docs), "--snapshot", str(tmp_path / "m.json"),
           "--cache-dir", str(tmp_path / "c")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env["AGNO_DOCS_WORKERS"] = "0"  # every page parsed in this process (see the test below for the other way)
    runs = [subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]
    for code, *modules in runs:
        assert code == "0"
        assert not [m for m in modules if m.startswith(("matrix.render.", "matrix.telemetry", "matrix.diff"))
                    and m not in ("matrix.render.registry", "matrix.render._html", "matrix.render.text")]
        assert "jinja2.sandbox" not in modules
    cold, warm = set(runs[0][1:]), set(runs[1][1:])
    assert {"jinja2", "markdown_it", "yaml", "tree_sitter", "msgspec", "matrix.model", "matrix.sources"} <= cold
    # a first run decodes the snapshot's bytes for its facts: no Loaded (whose site inputs import their
    # reader); its fences come from matrix._fences, without README regeneration
    assert not cold & {"matrix.sources.site", "matrix.readme"}
    assert not {m for m in warm if m.split(".")[0] in ("jinja2", "markdown_it", "yaml", "tree_sitter", "msgspec")}
    assert sorted(warm) == ["matrix", "matrix._endpoints", "matrix._kinds", "matrix.check", "matrix.cli",
                            "matrix.commands", "matrix.commands._source", "matrix.commands.check",
                            "matrix.errors", "matrix.settings"]


def test_a_first_run_with_the_pages_read_ahead_imports_only_jinja_of_the_parsers(tmp_path: Path) -> None:
    """The child reads front matter, fences and Go imports: this process imports none of their parsers."""
    import subprocess
    import sys

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system: pages are always parsed in the checking process")
    root = Path(__file__).resolve().parents[2]
    docs = write_tree(tmp_path / "docs", {k: v for k, v in CLEAN_DOCS.items() if k != "not-in-go.md"})
    write_tree(docs, {"not-in-go.md": "{{ not_in_go() }}\n"})  # not rendered: its macro lists every module
    snapshot.dump(make_matrix(), tmp_path / "m.json")
    cmd = [sys.executable, "-c", _IMPORTED, "check", "--docs", str(docs), "--snapshot", str(tmp_path / "m.json"),
           "--cache-dir", str(tmp_path / "c")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    code, *modules = subprocess.run(cmd, cwd=root, env={**env, "AGNO_DOCS_WORKERS": "1"}, capture_output=True,
                                    text=True, check=True).stdout.split()
    assert code == "0"
    assert {"jinja2", "msgspec", "matrix.model", "matrix.workers"} <= set(modules)
    assert not {m for m in modules if m.split(".")[0] in ("markdown_it", "yaml", "tree_sitter")}
    assert "matrix.render.registry" not in modules  # the macro kinds came from the child too
    assert len(check_module._Cache(tmp_path / "c").pages) == len([k for k in CLEAN_DOCS if k.endswith(".md")
                                                                  and not k.startswith("snippets/")])


GO_ROOT_DRIFT: list[tuple[str, dict[str, str], str]] = [
    ("imported package missing from the tree", {"snippets/x.go": f'import "{GO}/pkg/agno/tools/shell"\n'},
     "docs/snippets/x.go:1: imports \"{go}/pkg/agno/tools/shell\", which does not exist in the runtime tree {root}"
     " ('tools.shell' is Not yet in Go: not_migrated)"),
    ("subpackage of a migrated module missing from the tree",
     {"snippets/x.go": f'\nimport "{GO}/pkg/agno/tools/calculator/v2"\n'},
     'docs/snippets/x.go:2: imports "{go}/pkg/agno/tools/calculator/v2", which does not exist in the runtime tree '
     "{root}"),
    ("go_example missing from the tree",
     {"cookbook/calc.md": "---\nrecipe: cookbook/calc.py\ngo_example: cmd/examples/gone\n---\n"},
     "docs/cookbook/calc.md:3: go_example 'cmd/examples/gone' does not exist in the runtime tree {root}"),
]


@pytest.mark.parametrize(("files", "expected"), [(f, e) for _, f, e in GO_ROOT_DRIFT],
                         ids=[c for c, _, _ in GO_ROOT_DRIFT])
def test_with_a_runtime_tree_existence_is_checked_for_real(docs: Path, loaded: Loaded, go_root: Path,
                                                           files: dict[str, str], expected: str) -> None:
    assert check_docs(docs, loaded, go_root=go_root) == []
    write_tree(docs, files)
    assert [str(f) for f in check_docs(docs, loaded, go_root=go_root)] == [
        expected.format(go=GO, root=go_root)]


def test_a_runtime_tree_accepts_support_packages_the_allow_list_lacks(docs: Path, loaded: Loaded,
                                                                      go_root: Path) -> None:
    write_tree(go_root, {"pkg/agno/internal/x.go": "package internal\n"})
    write_tree(docs, {"snippets/x.go": f'import "{GO}/pkg/agno/internal"\n'})
    assert check_docs(docs, loaded, go_root=go_root) == []
    assert len(check_docs(docs, loaded)) == 1


def test_claims_in_code_are_examples(docs: Path, loaded: Loaded) -> None:
    write_tree(docs, {"page.md": "Write `<!-- claim: go-supported tools.shell -->`:\n\n```md\n"
                                 "<!-- claim: go-supported tools.shell -->\n```\n"})
    assert check_docs(docs, loaded) == []


def test_pages_that_turn_macros_off_are_not_parsed(docs: Path, loaded: Loaded) -> None:
    write_tree(docs, {"page.md": "---\nrender_macros: false\n---\n{{ module('tools.nope') }} {{ broken\n"})
    assert check_docs(docs, loaded) == []


def test_the_not_in_go_page_is_rendered_through_the_engine(docs: Path, loaded: Loaded) -> None:
    # The clean page lists tools.shell only through a macro: the check sees the rendered output.
    text = render_page((docs / "not-in-go.md").read_text(), loaded)
    assert 'data-module="tools.shell"' in text
    write_tree(docs, {"not-in-go.md": "{{ module('tools.calculator') }}\n"})
    assert [f.kind for f in check_docs(docs, loaded)] == ["not-in-go"]


def test_a_page_whose_macros_fail_is_a_finding(docs: Path, loaded: Loaded) -> None:
    write_tree(docs, {"not-in-go.md": "tools.shell {{ module('zzz.qqq') }}\n"})
    found = [str(f) for f in check_docs(docs, loaded)]
    assert len(found) == 2
    assert found[0].startswith("docs/not-in-go.md:1: cannot render the page's macros (UsageError: ")
    assert found[1] == "docs/not-in-go.md:1: unknown module id 'zzz.qqq' in module()"


def test_the_built_page_is_checked_with_site(docs: Path, loaded: Loaded, tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_tree(site, {"not-in-go/index.html": "<code>tools.calculator</code>"})
    assert [str(f) for f in check_docs(docs, loaded, site=site)] == [
        "docs/not-in-go.md:1: not_migrated module 'tools.shell' is not listed on the \"Not yet in Go\" page "
        f"({site.as_posix()}/not-in-go/index.html)"]
    write_tree(site, {"not-in-go/index.html": "<code>tools.shell</code>"})
    assert check_docs(docs, loaded, site=site) == []


def test_blank_notes_and_reasons_in_a_loaded_matrix() -> None:
    m = factories.matrix(factories.module("tools.a", Status.PARTIAL, notes="  "),
                         factories.module("tools.b", Status.WONT_PORT, reason="\n"),
                         factories.module("tools.c", Status.PARTIAL, notes="missing: x"))
    assert [str(f) for f in check_matrix(m)] == [
        "matrix:1: module 'tools.a' is partial but has no notes saying what is missing",
        "matrix:1: module 'tools.b' is wont_port but has no reason",
    ]


def _raw_snapshot(tmp_path: Path) -> Path:
    doc = json.loads(snapshot.encode(make_matrix()))
    for mod in doc["modules"]:
        if mod["id"] == "tools.duckduckgo":
            del mod["notes"]
        if mod["id"] == "tools.legacy":
            mod["reason"] = ""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, indent=2))
    return path


def test_raw_snapshot_rules_report_the_line_of_the_module(tmp_path: Path) -> None:
    path = _raw_snapshot(tmp_path)
    text = path.read_text().splitlines()
    line_of = {mid: next(i for i, t in enumerate(text, 1) if f'"id": "{mid}"' in t)
               for mid in ("tools.duckduckgo", "tools.legacy")}
    assert [str(f) for f in check_raw_snapshot(path.read_bytes(), "bad.json")] == [
        f"bad.json:{line_of['tools.duckduckgo']}: module 'tools.duckduckgo' is partial but has no notes saying "
        "what is missing",
        f"bad.json:{line_of['tools.legacy']}: module 'tools.legacy' is wont_port but has no reason",
    ]


def test_cli_reports_raw_snapshot_findings_and_exits_1(tmp_path: Path, docs: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = _raw_snapshot(tmp_path)
    assert main(["check", "--docs", str(docs), "--snapshot", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.count("\n") == 2 and "tools.duckduckgo' is partial but has no notes" in out
    assert err == "2 finding(s); the docs were not checked because the matrix does not load\n"


def test_cli_exit_codes(tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snap = tmp_path / "m.json"
    snapshot.dump(make_matrix(), snap)
    assert main(["check", "--docs", str(docs), "--snapshot", str(snap)]) == 0
    assert capsys.readouterr().out == ""
    write_tree(docs, {"page.md": "{{ module('zzz.qqq') }}\n"})
    assert main(["check", "--docs", str(docs), "--snapshot", str(snap)]) == 1
    out, err = capsys.readouterr()
    assert out == "docs/page.md:1: unknown module id 'zzz.qqq' in module()\n"
    assert err == "1 finding(s) in docs\n"
    assert main(["check", "--docs", "nowhere", "--snapshot", str(snap)]) == 2
    assert capsys.readouterr().err == (
        "agno-docs check: error: nowhere: no such docs folder; pass --docs DIR\n")
    assert main(["check", "--docs", str(docs), "--snapshot", str(tmp_path / "none.json")]) == 3


@pytest.mark.parametrize("case", ["clean", "a finding", "matrix rules", "usage error", "no snapshot"])
def test_check_as_the_program_exits_at_once_as_main_returns(tmp_path: Path, docs: Path, case: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m matrix.cli check`` ends without teardown and without the collector (EXIT_AT_ONCE): the same
    exit code, stdout and stderr as ``main()`` in this process, and a complete cache the next run reads."""
    import gc
    import subprocess
    import sys

    snap = tmp_path / "m.json"
    snapshot.dump(make_matrix(), snap)
    if case == "a finding":
        write_tree(docs, {"page.md": "{{ module('zzz.qqq') }}\n"})
    elif case == "matrix rules":
        snap = _raw_snapshot(tmp_path)
    elif case == "no snapshot":
        snap = tmp_path / "none.json"
    args = ["check", "--docs", str(docs) if case != "usage error" else str(tmp_path / "nowhere"), "--snapshot",
            str(snap), "--cache-dir"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    run = subprocess.run([sys.executable, "-m", "matrix.cli", *args, str(tmp_path / "program")], env=env,
                         capture_output=True, text=True, timeout=120)
    code = main([*args, str(tmp_path / "in-process")])
    out, err = capsys.readouterr()
    assert gc.isenabled()  # only the program's own process runs without the collector
    assert (run.returncode, run.stdout, run.stderr) == (code, out, err)
    assert code == {"clean": 0, "a finding": 1, "matrix rules": 1, "usage error": 2, "no snapshot": 3}[case]
    if code < 2 and case != "matrix rules":  # what the program kept is what this process kept
        assert _body(tmp_path / "program" / "check.cache") == _body(tmp_path / "in-process" / "check.cache")


FRONT_MATTER_READ: list[str] = [
    "title: T\ngo_support: [tools.calculator, tools.shell]\n",
    "recipe: cookbook/calc.py\ngo_example: 'cmd/examples/calc'\nrender_macros: false\n",
    "go_support:\n  - tools.calculator\n  - \"tools.shell\"\n",
    "a: &x {b: 1, c: [yes, no, ~, 0x1F, 1.5e3]}\nd: *x\ne: |\n  two\n  lines\nf: >\n  folded\n  text\n",
    "title: \u4e2d\u6587 \u2014 caf\u00e9\r\nupdated: 2026-12-01\r\n",
    "a: 1\na: 2\n",
    "- just\n- a list\n",
    "",
]
FRONT_MATTER_REFUSED: list[tuple[str, str]] = [
    ("title: [unclosed\n", "docs/page.md:2: front matter is not valid YAML (expected ',' or ']', but got '<stream end>')"),
    ("a: b: c\n", "docs/page.md:2: front matter is not valid YAML (mapping values are not allowed here)"),
    ("x: 1\n  y: 2\n", "docs/page.md:3: front matter is not valid YAML (mapping values are not allowed here)"),
    ("a:\n\t- b\n", "docs/page.md:3: front matter is not valid YAML (found character '\\t' that cannot start any token)"),
    ("- a\nb: c\n", "docs/page.md:3: front matter is not valid YAML (expected <block end>, but found '?')"),
    ("x: !!python/object:os.system 1\n", "docs/page.md:2: front matter is not valid YAML (could not determine a "
     "constructor for the tag 'tag:yaml.org,2002:python/object:os.system')"),
    ("x: \x07\n", "docs/page.md:1: front matter is not valid YAML (unacceptable character #x0007: special characters "
     "are not allowed\n  in \"<unicode string>\", position 3)"),
]


def _without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader")


@pytest.mark.parametrize("body", FRONT_MATTER_READ)
def test_front_matter_reads_the_same_with_or_without_libyaml(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml's parser (as mkdocs reads front matter) and the pure-Python one give the same values and lines."""
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML is built without libyaml here: only the pure-Python loader exists")
    text = f"---\n{body}---\n# Page\n"
    fast = check_module._front_matter(text, "docs/page.md")
    _without_libyaml(monkeypatch)
    assert check_module._front_matter(text, "docs/page.md") == fast


@pytest.mark.parametrize(("body", "message"), FRONT_MATTER_REFUSED, ids=[b for b, _ in FRONT_MATTER_REFUSED])
def test_bad_front_matter_is_the_same_one_line_error_with_or_without_libyaml(
        body: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for libyaml in (True, False):  # libyaml's parser refuses each too, in its own words
        if not libyaml:
            _without_libyaml(monkeypatch)
        with pytest.raises(UsageError) as got:
            check_module._front_matter(f"---\n{body}---\n", "docs/page.md")
        assert str(got.value) == message


def test_bad_front_matter_is_a_one_line_usage_error(docs: Path, loaded: Loaded) -> None:
    write_tree(docs, {"page.md": "---\ntitle: [unclosed\n---\n"})
    with pytest.raises(UsageError, match=r"^docs/page\.md:2: front matter is not valid YAML"):
        check_docs(docs, loaded)


def test_the_projects_own_docs_are_clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[2]
    if not (root / "matrix" / "data" / "snapshot.json").is_file():
        pytest.skip("matrix/data/snapshot.json has not been computed yet")
    monkeypatch.chdir(root)
    for var in ("AGNO_MATRIX_SOURCE", "AGNO_MATRIX_SNAPSHOT", "AGNO_GO_ROOT"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AGNO_DOCS_CACHE", str(tmp_path / "cache"))
    for _ in ("parsed", "from the cache"):
        code = main(["check", "--docs", "docs"])
        assert (code, capsys.readouterr().out) == (0, "")
    assert (tmp_path / "cache" / "check.cache").is_file()


def test_github_format_annotates_the_line(tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snap = tmp_path / "m.json"
    snapshot.dump(make_matrix(), snap)
    write_tree(docs, {"page.md": "\n{{ module('zzz.qqq') }}\n"})
    assert main(["check", "--docs", str(docs), "--snapshot", str(snap), "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        "::error file=docs/page.md,line=2,title=agno-docs check (module-id)::unknown module id 'zzz.qqq' in module()\n")


def test_a_drift_planted_in_a_copy_of_the_projects_docs_is_found(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = Path(__file__).resolve().parents[2]
    if not (root / "matrix" / "data" / "snapshot.json").is_file():
        pytest.skip("matrix/data/snapshot.json has not been computed yet")
    import shutil

    shutil.copytree(root / "docs", tmp_path / "docs")
    monkeypatch.chdir(tmp_path)
    index = Path("docs/index.md")
    lines = index.read_text(encoding="utf-8").split("\n")
    lines.append('{{ module("tools.calculater") }}')
    index.write_text("\n".join(lines), encoding="utf-8")
    found = [str(f) for f in check_docs("docs", Loaded(snapshot.load()))]
    assert found == [f"docs/index.md:{len(lines)}: unknown module id 'tools.calculater' in module(); did you mean "
                     "'tools.calculator'?"]


# --- today vs target: endpoints, planned terms and "Runs in Go" marks -----------------------------------

RT = "agno-go v0.0.1 (bbbbbbb)"
MARK = "{{ planned(...) }} or {{ planned_badge() }}"


def truth_matrix() -> SupportMatrix:
    """The clean matrix plus an AgentOS router measured by endpoints and a team measured by fields, with
    a recipe that uses a team mode Go lacks."""
    base = make_matrix()
    agents = factories.module("os.agents", Status.PARTIAL, notes="missing: GET /agents/{}", coverage=Coverage(
        kind=UnitKind.ENDPOINTS, ported=1, total=2, missing=("GET /agents/{}",),
        extra=("POST /api/v1/agents/:id/run/stream",),
        units=(Unit(name="POST /agents/{}/runs", state=UnitState.PORTED, go=Loc(path="pkg/agentos/server.go", line=4),
                    go_name="POST /api/v1/agents/:id/run"),
               Unit(name="GET /agents/{}", state=UnitState.MISSING))))
    team = factories.module("core.team", Status.PARTIAL, notes="missing: Team.mode=tasks", coverage=Coverage(
        kind=UnitKind.FIELDS, ported=1, total=2, missing=("Team.mode=tasks",),
        units=(Unit(name="Team.members", state=UnitState.PORTED), Unit(name="Team.mode=tasks", state=UnitState.MISSING))))
    tasks = Recipe(path="cookbook/teams/tasks.py", title="Tasks", go_ready=False, modules=("core.team",),
                   features=("Team.members", "Team.mode=tasks"), blocked_by_features=("Team.mode=tasks",))
    team_ok = Recipe(path="cookbook/teams/basic.py", title="Basic", go_ready=True, modules=("core.team",),
                     features=("Team.members",))
    return factories.matrix(*base.modules, agents, team, recipes=(*base.recipes, tasks, team_ok))


@pytest.fixture
def truth() -> Loaded:
    return Loaded(truth_matrix())


def _endpoint(where: str, shown: str, near: str = "") -> str:
    hint = f"; the nearest it serves is {near}" if near else ""
    return f"{where}: presents {shown} as available, but {RT} serves no such endpoint{hint}; fix it, or put it " \
           f"under the planned mark ({MARK})"


def _planned(where: str, what: str, rt: str = RT, tree: str = " (pass --go-root to check the tree)") -> str:
    return f"{where}: states {what} as today's behaviour, but {rt} has no such thing{tree}; put it under the " \
           f"planned mark ({MARK})"


SESSION = "GET /v1/runtime/go/sessions/{id}"
CURL = 'curl -sS "$AGNO_RUNTIME_URL/v1/runtime/go/sessions/s-1" | jq .\n'

TRUTH: list[tuple[str, dict[str, str], list[str]]] = [
    ("a planned endpoint shown as available", {"page.md": f"# API\n\nFetch a record with `{SESSION}`.\n"},
     [_endpoint("docs/page.md:3", SESSION)]),
    ("under the planned admonition", {"page.md": f"# API\n\n{{{{ planned('the control plane') }}}}\n    `{SESSION}`\n\n"
                                                 "    More about it.\n"}, []),
    ("after the planned admonition ends", {"page.md": f"{{{{ planned() }}}}\n    x\n\n`{SESSION}`\n"},
     [_endpoint("docs/page.md:4", SESSION)]),
    ("the badge marks its own line", {"page.md": f"{{{{ planned_badge() }}}} `{SESSION}`\n"}, []),
    ("the badge marks only its own line", {"page.md": f"{{{{ planned_badge() }}}}\n`{SESSION}`\n"},
     [_endpoint("docs/page.md:2", SESSION)]),
    ("a snippet included as available",
     {"snippets/run.sh": CURL, "page.md": '# Run\n\n```sh\n--8<-- "run.sh"\n```\n'},
     [_endpoint("docs/snippets/run.sh:1", "/v1/runtime/go/sessions/s-1")]),
    ("a snippet included under the planned mark",
     {"snippets/run.sh": CURL, "page.md": '{{ planned() }}\n\n    ```sh\n    --8<-- "run.sh"\n    ```\n'}, []),
    ("a snippet included both ways counts as available",
     {"snippets/run.sh": CURL, "page.md": '{{ planned() }}\n\n    ```sh\n    --8<-- "run.sh"\n    ```\n',
      "other.md": '```sh\n--8<-- "run.sh"\n```\n'},
     [_endpoint("docs/snippets/run.sh:1", "/v1/runtime/go/sessions/s-1")]),
    ("the runtime's endpoint with its method", {"page.md": "curl -X POST http://127.0.0.1:8080/api/v1/agents/a1/run "
                                                           "-d '{}'\n`POST /api/v1/agents/{id}/run/stream`\n"}, []),
    ("the runtime's endpoint with another method", {"page.md": "`GET /api/v1/agents/a1/run`\n"},
     [_endpoint("docs/page.md:1", "GET /api/v1/agents/a1/run", "POST /api/v1/agents/:id/run")]),
    ("a prefix named in prose is no endpoint", {"page.md": "Routes live under `/api/v1` and `/v1/runtime/go/...`.\n"},
     []),
    ("an output transcript is no claim", {"page.md": f"```text\ndocs/x.md:1: presents {SESSION} as available\n```\n"},
     []),
    ("the not_migrated error as today's behaviour", {"page.md": "# X\nStart-up fails with a `not_migrated` error.\n"},
     [_planned("docs/page.md:2", "the not_migrated error")]),
    ("the not_migrated status is no error", {"page.md": "Modules with status `not_migrated` are listed below.\n"}, []),
    ("runtime=go as a property of every event", {"page.md": "Every event carries `runtime=go`.\n"},
     [_planned("docs/page.md:1", "telemetry tagged runtime=go")]),
    ("an audit of runtime=go is no claim", {"page.md": "It reports every event without `runtime=go`.\n"}, []),
    ("a planned term deep in a page, in capitals, and on a later line too",  # the page-wide pre-filter finds each
     {"page.md": "# X\n" + "Text.\n" * 300 + "A call REFUSES with NOT_MIGRATED.\nAll events say runtime=go.\n"
                 "It raises not_migrated.\n"},
     [_planned("docs/page.md:302", "the not_migrated error"), _planned("docs/page.md:303", "telemetry tagged runtime=go"),
      _planned("docs/page.md:304", "the not_migrated error")]),
    ("a statement split across lines is no statement on a line",  # the page matches as a whole, no line does
     {"page.md": "Every event\ncarries `runtime=go`.\n`not_migrated`\nerror\n"}, []),
    ("Runs in Go next to a recipe that uses a team mode Go lacks",
     {"page.md": "# Teams\n\nRuns in Go: `cookbook/teams/tasks.py`\n"},
     ["docs/page.md:3: marks recipe 'cookbook/teams/tasks.py' as running in Go, but it does not run in Go "
      "(blocked by feature Team.mode=tasks)"]),
    ("a runs-in-go claim for that recipe", {"page.md": "<!-- claim: runs-in-go cookbook/teams/tasks.py -->\n"},
     ["docs/page.md:1: marks recipe 'cookbook/teams/tasks.py' as running in Go, but it does not run in Go "
      "(blocked by feature Team.mode=tasks)"]),
    ("Runs in Go for a recipe that does", {"page.md": "Runs in Go: `cookbook/teams/basic.py`\n"}, []),
    ("Runs in Go on a Python sample", {"snippets/x.py": "print(1)\n", "page.md": "Runs in Go: `x.py`\n"},
     ["docs/page.md:1: marks the Python sample 'x.py' as running in Go; mark the recipe it stands for (the matrix "
      "decides that), or show a Go sample"]),
    ("a Go tab names the feature that blocks the recipe",
     {"cookbook/t.md": '---\nrecipe: cookbook/teams/tasks.py\n---\n\n=== "Go"\n\n    x\n'},
     ["docs/cookbook/t.md:5: Go tab for recipe 'cookbook/teams/tasks.py', which does not run in Go (blocked by "
      "feature Team.mode=tasks)"]),
    ("a feature needs() does not know", {"page.md": "{{ needs('core.team', features='Team.members Team.mode=taks') }}\n"},
     ["docs/page.md:1: unknown feature 'Team.mode=taks' in needs(); did you mean 'Team.mode=tasks'?"]),
]


@pytest.mark.parametrize(("files", "expected"), [(f, e) for _, f, e in TRUTH], ids=[c for c, _, _ in TRUTH])
def test_today_vs_target(docs: Path, truth: Loaded, files: dict[str, str], expected: list[str]) -> None:
    assert [str(f) for f in check_docs(docs, truth)] == []
    write_tree(docs, files)
    assert [str(f) for f in check_docs(docs, truth)] == expected


SERVER_GO = """package agentos

func (s *Server) registerRoutes() {
\tv1 := s.router.Group("/api/v1")
\tagents := v1.Group("/agents")
\tagents.POST("/:id/run", s.handleAgentRun)
}
"""


def test_with_a_runtime_tree_routes_and_strings_are_read_from_it(docs: Path, truth: Loaded, go_root: Path) -> None:
    write_tree(go_root, {"pkg/agentos/server.go": SERVER_GO})
    write_tree(docs, {"page.md": f"`{SESSION}`\n`POST /api/v1/agents/a1/run`\n`POST /api/v1/agents/a1/run/stream`\n"
                                 "A python-only module raises `not_migrated` at start-up.\n"})
    found = [str(f) for f in check_docs(docs, truth, go_root=go_root)]
    rt = go_root.name
    assert found == [
        f"docs/page.md:1: presents {SESSION} as available, but {rt} serves no such endpoint; fix it, or put it "
        f"under the planned mark ({MARK})",
        f"docs/page.md:3: presents POST /api/v1/agents/a1/run/stream as available, but {rt} serves no such "
        f"endpoint; the nearest it serves is POST /api/v1/agents/:id/run; fix it, or put it under the planned mark "
        f"({MARK})",
        _planned("docs/page.md:4", "the not_migrated error", rt, ""),
    ]
    # Once the tree has the error code, stating it is no longer a claim of the plan.
    write_tree(go_root, {"pkg/agno/errors.go": 'package agno\n\nconst NotMigrated = "not_migrated"\n'})
    assert [str(f) for f in check_docs(docs, truth, go_root=go_root)] == found[:2]


def test_a_go_example_page_without_a_recipe_is_checked_against_the_tree(docs: Path, truth: Loaded,
                                                                        go_root: Path) -> None:
    write_tree(docs, {"examples/x.md": "---\ngo_example: cmd/examples/gone\n---\n# X\n"})
    assert [str(f) for f in check_docs(docs, truth, go_root=go_root)] == [
        f"docs/examples/x.md:2: go_example 'cmd/examples/gone' does not exist in the runtime tree {go_root}"]
    assert check_docs(docs, truth) == []


def test_the_planned_macros_are_the_registrys() -> None:
    from matrix.render.registry import registry

    assert {"planned", "planned_badge", "needs"} <= set(registry())


def test_the_reference_page_has_a_section_per_check() -> None:
    """docs/reference/checks.md names every kind of CHECKS, in a heading of its own."""
    from matrix.check import CHECKS

    page = (Path(__file__).resolve().parents[2] / "docs" / "reference" / "checks.md").read_text(encoding="utf-8")
    kinds = re.findall(r"^### .*\(`([\w-]+)`\)\s*$", page, re.M)
    assert kinds == list(CHECKS)


# --- a first run's pages read ahead in a forked child ----------------------------------------------------


@pytest.fixture
def ahead(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pages read ahead (``AGNO_DOCS_WORKERS=1``); the pids of the children started, checked to be reaped."""
    if not hasattr(os, "fork"):
        pytest.skip("no fork on this system: pages are always parsed in the checking process")
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "1")
    monkeypatch.setattr(matrix.workers, "start_method", lambda: "fork")  # a test server's thread may linger
    started: list[int] = []
    real = check_module._Ahead.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[check_module._Ahead], docs: Path, cache: check_module._Cache) -> check_module._Ahead | None:
        got = real(cls, docs, cache)
        if got is not None:
            started.append(got.pid)
        return got

    monkeypatch.setattr(check_module._Ahead, "start", classmethod(start))
    yield started
    for pid in started:  # each child was waited for: none is left running or a zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _here_only(real: Callable[..., object]) -> Callable[..., object]:
    """``real`` in a forked child; an AssertionError in this process."""
    parent = os.getpid()

    def guarded(*args: object) -> object:
        if os.getpid() == parent:
            raise AssertionError(f"parsed in the checking process: {args!r}"[:200])
        return real(*args)

    return guarded


@pytest.mark.parametrize(("files", "expected"), [(f, e) for _, f, e in DRIFT], ids=[c for c, _, _ in DRIFT])
def test_each_drift_is_found_the_same_with_the_pages_read_ahead(docs: Path, loaded: Loaded, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch, ahead: list[int],
                                                                files: dict[str, str], expected: list[str]) -> None:
    """A first run on the CLI's path reads front matter, fences and Go imports in the child (this process
    parses no page itself) and finds what a run without it finds, and keeps the very same entries."""
    snap = snapshot_file(tmp_path, loaded)
    write_tree(docs, files)
    parse_page, go_imports = check_module._parse_page, check_module.go_imports
    monkeypatch.setattr(check_module, "_parse_page", _here_only(parse_page))
    monkeypatch.setattr(check_module, "go_imports", _here_only(go_imports))
    assert [str(f) for f in check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "ahead")] == expected
    assert len(ahead) == 1
    monkeypatch.setattr(check_module, "_parse_page", parse_page)
    monkeypatch.setattr(check_module, "go_imports", go_imports)
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "0")
    assert [str(f) for f in check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "here")] == expected
    assert _body(tmp_path / "ahead" / "check.cache") == _body(tmp_path / "here" / "check.cache")


def test_pages_the_child_cannot_keep_are_parsed_here(docs: Path, loaded: Loaded, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, ahead: list[int]) -> None:
    """A date in front matter (marshal does not keep it) and a page that turns macros off: the first is parsed
    here, the second comes from the child without its calls; findings as without the child."""
    snap = snapshot_file(tmp_path, loaded)
    write_tree(docs, {"dated.md": "---\ndate: 2024-05-01\n---\n{{ module('tools.shel') }}\n",
                      "raw.md": "---\nrender_macros: false\n---\n{{ module('tools.nothing') }} {{ broken\n"})
    parsed: list[str] = []
    real = check_module._parse_page
    monkeypatch.setattr(check_module, "_parse_page", lambda text, name: parsed.append(name) or real(text, name))
    got = [str(f) for f in check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "c")]
    assert got == ["docs/dated.md:4: unknown module id 'tools.shel' in module(); did you mean 'tools.shell'?"]
    assert parsed == ["docs/dated.md"] and len(ahead) == 1


def test_a_page_that_does_not_parse_raises_the_same_error_with_the_pages_read_ahead(
        docs: Path, loaded: Loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: list[int]) -> None:
    snap = snapshot_file(tmp_path, loaded)
    write_tree(docs, {"bad.md": "---\ntitle: [unclosed\n---\n# B\n"})
    with pytest.raises(UsageError) as with_child:
        check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "a")
    assert len(ahead) == 1
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "0")
    with pytest.raises(UsageError) as without:
        check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "b")
    assert str(with_child.value) == str(without.value)
    assert str(without.value).startswith("docs/bad.md:2: front matter is not valid YAML")


def test_a_child_that_fails_leaves_every_page_to_this_process(docs: Path, loaded: Loaded, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               ahead: list[int]) -> None:
    snap = snapshot_file(tmp_path, loaded)
    write_tree(docs, {"page.md": "{{ module('tools.shel') }}\n"})

    def dies(*args: object) -> object:
        raise RuntimeError("the child fails")

    monkeypatch.setattr(check_module, "_child_half", dies)
    got = [str(f) for f in check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "c")]
    assert got == ["docs/page.md:1: unknown module id 'tools.shel' in module(); did you mean 'tools.shell'?"]
    assert len(ahead) == 1
    assert len(_kept(tmp_path / "c").pages) == len([p for p in docs.rglob("*.md") if "snippets" not in p.parts])


def test_pages_are_read_ahead_only_on_a_first_run_with_enough_pages(docs: Path, loaded: Loaded, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    ahead: list[int]) -> None:
    snap = snapshot_file(tmp_path, loaded)
    cache = tmp_path / "c"
    check_snapshot(docs, snap, lambda: loaded, cache_dir=cache)
    write_tree(docs, {"index.md": "# edited\n"})
    check_snapshot(docs, snap, lambda: loaded, cache_dir=cache)  # the cache keeps pages: one is parsed here
    assert len(ahead) == 1
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "0")
    check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "off")
    monkeypatch.delenv("AGNO_DOCS_WORKERS")
    monkeypatch.setattr(matrix.workers, "load", lambda: 0.0)
    monkeypatch.setattr(matrix.workers, "cpus", lambda: 2)
    pages = len([p for p in docs.rglob("*.md") if "snippets" not in p.parts])
    monkeypatch.setattr(check_module._Ahead, "MIN_PAGES", pages + 1)
    check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "few")
    assert len(ahead) == 1
    monkeypatch.setattr(check_module._Ahead, "MIN_PAGES", pages)
    check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "enough")
    assert len(ahead) == 2
    monkeypatch.setattr(matrix.workers, "load", lambda: 1.5)  # no CPU left idle
    check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "busy")
    assert len(ahead) == 2
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "2")
    with pytest.raises(UsageError, match="AGNO_DOCS_WORKERS"):
        check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "bad")


def test_pages_are_not_read_ahead_while_another_thread_runs(docs: Path, loaded: Loaded, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies only the calling thread (a lock another one held could stay locked in the child):
    with a second thread alive (``mkdocs serve``) every page is parsed in this process."""
    import threading

    snap = snapshot_file(tmp_path, loaded)
    monkeypatch.setenv("AGNO_DOCS_WORKERS", "1")
    forks: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or os.getpid())  # never forks: counts the attempt
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert check_snapshot(docs, snap, lambda: loaded, cache_dir=tmp_path / "c") == []
    finally:
        stop.set()
        other.join()
    assert forks == []
    assert len(_kept(tmp_path / "c").pages) == len([p for p in docs.rglob("*.md") if "snippets" not in p.parts])

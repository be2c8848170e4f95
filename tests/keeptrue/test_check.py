"""``agno-docs check``: plant each kind of drift in a clean docs tree and assert the exact finding."""

# ruff: noqa: E501  (tables of exact messages read better unbroken)

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matrix.check import check_docs, check_matrix, check_raw_snapshot, render_page
from matrix.cli import main
from matrix.errors import UsageError
from matrix.model import Status
from matrix.sources import Loaded, snapshot
from tests import factories
from tests.keeptrue.conftest import GO, make_matrix, write_tree

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
     ["docs/page.md:2: unknown claim 'supported'; use go-supported or not-in-go"]),
    ("featured entry with a Go tab for a recipe that is not go_ready",
     {"cookbook/shell.md": '---\nrecipe: cookbook/shell.py\n---\n\n=== "Python"\n\n    x\n\n=== "Go"\n\n    y\n'},
     ["docs/cookbook/shell.md:9: Go tab for recipe 'cookbook/shell.py', which is not go_ready (blocked by "
      "tools.shell)"]),
    ("featured entry with a go_example for a recipe that is not go_ready",
     {"cookbook/shell.md": "---\nrecipe: cookbook/shell.py\ngo_example: cmd/examples/shell\n---\n"},
     ["docs/cookbook/shell.md:3: Go tab for recipe 'cookbook/shell.py', which is not go_ready (blocked by "
      "tools.shell)"]),
    ("featured entry contradicting the matrix's go_example",
     {"cookbook/calc.md": "---\nrecipe: cookbook/calc.py\ngo_example: cmd/examples/other\n---\n"},
     ["docs/cookbook/calc.md:3: go_example 'cmd/examples/other' is not the recipe's Go example in the matrix "
      f"('cmd/examples/calc'){NO_ROOT}"]),
    ("featured entry for an unknown recipe", {"cookbook/x.md": "---\nrecipe: cookbook/calk.py\n---\n"},
     ["docs/cookbook/x.md:2: recipe 'cookbook/calk.py' is not in the matrix; did you mean 'cookbook/calc.py'?"]),
    ("recipe macro with an unknown recipe", {"page.md": '\n{{ recipe_tabs("cookbook/shel.py", "a.py") }}\n'},
     ["docs/page.md:2: unknown recipe 'cookbook/shel.py' in recipe_tabs(); did you mean 'cookbook/shell.py'?"]),
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
    write_tree(docs, {"not-in-go.md": "tools.shell {{ module('tools.nope') }}\n"})
    found = [str(f) for f in check_docs(docs, loaded)]
    assert len(found) == 2
    assert found[0].startswith("docs/not-in-go.md:1: cannot render the page's macros (UsageError: ")
    assert found[1] == "docs/not-in-go.md:1: unknown module id 'tools.nope' in module()"


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
    write_tree(docs, {"page.md": "{{ module('tools.zzz') }}\n"})
    assert main(["check", "--docs", str(docs), "--snapshot", str(snap)]) == 1
    out, err = capsys.readouterr()
    assert out == "docs/page.md:1: unknown module id 'tools.zzz' in module()\n"
    assert err == "1 finding(s) in docs\n"
    assert main(["check", "--docs", "nowhere", "--snapshot", str(snap)]) == 2
    assert capsys.readouterr().err == (
        "agno-docs check: error: nowhere: no such docs folder; pass --docs DIR\n")
    assert main(["check", "--docs", str(docs), "--snapshot", str(tmp_path / "none.json")]) == 3


def test_bad_front_matter_is_a_one_line_usage_error(docs: Path, loaded: Loaded) -> None:
    write_tree(docs, {"page.md": "---\ntitle: [unclosed\n---\n"})
    with pytest.raises(UsageError, match=r"^docs/page\.md:2: front matter is not valid YAML"):
        check_docs(docs, loaded)


def test_the_projects_own_docs_are_clean(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parents[2]
    if not (root / "matrix" / "data" / "snapshot.json").is_file():
        pytest.skip("matrix/data/snapshot.json has not been computed yet")
    monkeypatch.chdir(root)
    for var in ("AGNO_MATRIX_SOURCE", "AGNO_MATRIX_SNAPSHOT", "AGNO_GO_ROOT"):
        monkeypatch.delenv(var, raising=False)
    code = main(["check", "--docs", "docs"])
    assert (code, capsys.readouterr().out) == (0, "")


def test_github_format_annotates_the_line(tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snap = tmp_path / "m.json"
    snapshot.dump(make_matrix(), snap)
    write_tree(docs, {"page.md": "\n{{ module('tools.zzz') }}\n"})
    assert main(["check", "--docs", str(docs), "--snapshot", str(snap), "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        "::error file=docs/page.md,line=2,title=agno-docs check (module-id)::unknown module id 'tools.zzz' in module()\n")


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

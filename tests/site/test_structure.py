"""The committed pages match the real snapshot: known ids only; nothing generated is committed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import tree_sitter
import tree_sitter_go
import yaml

from matrix.model import ParityStatus, SupportMatrix
from matrix.render import MODULE_ID_MACROS
from matrix.sources.parity import read_parity_dir
from tests.site.conftest import DOCS, mkdocs_config

#: Pages this part owns that name modules or recipes through macros.
PAGES = sorted(
    p for p in DOCS.rglob("*.md")
    if "snippets" not in p.parts and p.name not in {"parity.md", "benchmarks.md", "telemetry.md", "matrix.md"}
    and p.relative_to(DOCS).as_posix() != "reference/api.md"
)
_CALL = re.compile(r"\{\{\s*(\w+)\((.*?)\)\s*\}\}", re.S)
_STR = re.compile(r'"([^"]*)"')


def _calls(name: str) -> list[tuple[str, str, list[str]]]:
    out = []
    for page in PAGES:
        for macro, args in _CALL.findall(page.read_text(encoding="utf-8")):
            if macro == name:
                positional = re.sub(r'\w+\s*=\s*"[^"]*"', "", args)  # not keyword arguments (features=)
                out.append((page.relative_to(DOCS).as_posix(), macro, _STR.findall(positional)))
    return out


def test_family_pages_badges_and_exports_are_generated_not_committed() -> None:
    """Family pages, their nav, the badges and the JSON exports come from the matrix at build time."""
    for folder in ("families", "badges", "api"):
        assert not (DOCS / folder).exists(), f"docs/{folder}/ is generated at build time; do not commit it"
    cfg = mkdocs_config()
    assert "extra_templates" not in cfg
    names = [next(iter(p)) if isinstance(p, dict) else p for p in cfg["plugins"]]
    # macros (define_env asks the engine for the files) runs before gen-files writes them, and
    # literate-nav reads the generated families/SUMMARY.md last.
    assert names.index("macros") < names.index("gen-files") < names.index("literate-nav")
    assert {"Families": "families/"} in cfg["nav"]


@pytest.mark.parametrize("macro", sorted(MODULE_ID_MACROS | {"needs"}))
def test_module_ids_in_pages_exist(real: SupportMatrix, macro: str) -> None:
    known = set(real.modules_by_id())
    for page, _, ids in _calls(macro):
        for mid in ids:
            if "/" not in mid and mid.count(".") == 1:
                assert mid in known, f"docs/{page}: {macro}({mid!r}) names a module the snapshot lacks"


def test_recipes_in_pages_and_front_matter_exist(real: SupportMatrix) -> None:
    known = {r.path for r in real.recipes}
    for page, _, args in _calls("recipe_tabs") + _calls("recipe_status"):
        assert args and args[0] in known, f"docs/{page}: unknown recipe {args[:1]}"
    for name in ("recipe_tabs",):
        for page, _, args in _calls(name):
            for snippet in args[1:]:
                assert (DOCS / "snippets" / snippet).is_file(), f"docs/{page}: no snippet {snippet}"
    featured = {p: front for p in PAGES if "recipe" in (front := _front_matter(p))}
    assert len(featured) >= 3
    for p, front in featured.items():
        assert front["recipe"] in known, f"{p}: front matter recipe is not in the snapshot"
        assert str(front.get("go_example", "cmd/examples/")).startswith("cmd/examples/"), p


def _front_matter(page: Path) -> dict[str, object]:
    text = page.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    data = yaml.safe_load(text[4:text.index("\n---\n", 3)])
    return data if isinstance(data, dict) else {}


def test_snippets_included_by_pages_exist() -> None:
    for page in PAGES:
        for name in re.findall(r'--8<-- "([^"]+)"', page.read_text(encoding="utf-8")):
            assert (DOCS / "snippets" / name).is_file(), f"{page}: no snippet {name}"


SNIPPETS = DOCS / "snippets"
#: Snippet folders of the pages tested here (other folders belong to the evidence pages).
OWN_SNIPPETS = [p for d in ("quickstart", "cookbook", "examples") for p in sorted((SNIPPETS / d).rglob("*"))
                if p.is_file()]


def _sid(p: Path) -> str:
    return p.relative_to(SNIPPETS).as_posix()


@pytest.mark.parametrize("path", [p for p in OWN_SNIPPETS if p.suffix == ".go"], ids=_sid)
def test_go_samples_parse(path: Path) -> None:
    tree = tree_sitter.Parser(tree_sitter.Language(tree_sitter_go.language())).parse(path.read_bytes())
    assert not tree.root_node.has_error, f"{path}: not valid Go"
    assert tree.root_node.children[0].type == "comment", f"{path}: start with a comment saying what it shows"


def _sample(name: str) -> object:
    return json.loads((SNIPPETS / name).read_text(encoding="utf-8"))


def test_json_samples_are_read_by_the_engine_or_agree_with_each_other(tmp_path: Path) -> None:
    """Each JSON sample says what its page says it does (the real readers, not only json.loads)."""
    assert sorted(_sid(p) for p in OWN_SNIPPETS if p.suffix == ".json") == [
        "quickstart/parity-result.json", "quickstart/session-record.json"]
    # The parity result is one `agno-docs compute --parity` reads: a failing run with its diff.
    shutil.copy(SNIPPETS / "quickstart" / "parity-result.json", tmp_path / "result.json")
    [result] = read_parity_dir(tmp_path).results
    assert (result.fixture, result.status, result.metrics_match) == (
        "research_strategy", ParityStatus.FAIL, True)
    assert [d.path for d in result.diffs] == ["outputs[1].content"]
    # The planned SessionRecord: every field the Quickstart's table explains is in the sample.
    record = _sample("quickstart/session-record.json")
    assert isinstance(record, dict) and record["runtime"] == "go"
    table = re.findall(r"^[ \t]*\| `(\w+)` \|", (DOCS / "quickstart.md").read_text(encoding="utf-8"), re.M)
    assert table and set(table) <= set(record), set(table) - set(record)


def test_every_snippet_is_used() -> None:
    used = set()
    for page in PAGES:
        used.update(re.findall(r'--8<-- "([^"]+)"', page.read_text(encoding="utf-8")))
        for _, _, args in [c for c in _calls("recipe_tabs") if c[0] == page.relative_to(DOCS).as_posix()]:
            used.update(args[1:])
    assert [_sid(p) for p in OWN_SNIPPETS if _sid(p) not in used] == []

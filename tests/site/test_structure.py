"""The committed pages match the real snapshot: a page, nav entry and badge per family; known ids only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from matrix.model import SupportMatrix
from matrix.render import MODULE_ID_MACROS
from matrix.render.pages import exports, template_text
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
                out.append((page.relative_to(DOCS).as_posix(), macro, _STR.findall(args)))
    return out


def test_every_family_has_a_page_a_nav_entry_and_a_badge(real: SupportMatrix) -> None:
    cfg = mkdocs_config()
    nav = repr(cfg["nav"])
    for fam in real.families:
        page = DOCS / "families" / f"{fam.id}.md"
        assert page.exists(), f"docs/families/{fam.id}.md is missing"
        assert f'family_table("{fam.id}")' in page.read_text(encoding="utf-8")
        assert f"families/{fam.id}.md" in nav, f"families/{fam.id}.md is not in the nav"
    stray = {p.stem for p in (DOCS / "families").glob("*.md")} - {f.id for f in real.families}
    assert not stray, f"family pages with no family in the snapshot: {sorted(stray)}"


def test_extra_templates_are_exactly_the_exports(real: SupportMatrix) -> None:
    expected = sorted(exports(real))
    assert sorted(mkdocs_config()["extra_templates"]) == expected
    for path in expected:
        assert (DOCS / path).read_text(encoding="utf-8") == template_text(path), path


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
    ts = pytest.importorskip("tree_sitter")
    tsg = pytest.importorskip("tree_sitter_go")
    tree = ts.Parser(ts.Language(tsg.language())).parse(path.read_bytes())
    assert not tree.root_node.has_error, f"{path}: not valid Go"
    assert tree.root_node.children[0].type == "comment", f"{path}: start with a comment saying what it shows"


@pytest.mark.parametrize("path", [p for p in OWN_SNIPPETS if p.suffix == ".json"], ids=_sid)
def test_json_samples_parse(path: Path) -> None:
    json.loads(path.read_text(encoding="utf-8"))


def test_every_snippet_is_used() -> None:
    used = set()
    for page in PAGES:
        used.update(re.findall(r'--8<-- "([^"]+)"', page.read_text(encoding="utf-8")))
        for _, _, args in [c for c in _calls("recipe_tabs") if c[0] == page.relative_to(DOCS).as_posix()]:
            used.update(args[1:])
    assert [_sid(p) for p in OWN_SNIPPETS if _sid(p) not in used] == []

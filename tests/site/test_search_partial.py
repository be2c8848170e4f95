"""The theme override of Material's search partial stays Material's partial plus a dialog name."""

from __future__ import annotations

from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "overrides" / "partials" / "search.html"
THEIRS = Path(material.__file__).resolve().parent / "templates" / "partials" / "search.html"
NAMED = ('<div class="md-search" data-md-component="search" role="dialog" '
         'aria-label="{{ lang.t(\'search\') }}">')


def _body(text: str) -> list[str]:
    """The template without its leading Jinja comment."""
    return text.split("-#}\n", 1)[1].splitlines()


def test_override_is_materials_partial_with_the_dialog_named() -> None:
    ours, theirs = _body(OURS.read_text(encoding="utf-8")), _body(THEIRS.read_text(encoding="utf-8"))
    assert NAMED in ours, "the search dialog lost its aria-label"
    unnamed = [line.replace(' aria-label="{{ lang.t(\'search\') }}"', "", 1) if line == NAMED else line
               for line in ours]
    assert unnamed == theirs, (
        f"{THEIRS} changed: copy it to {OURS} again and add the aria-label to its role=dialog element")

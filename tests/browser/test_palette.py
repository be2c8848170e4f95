"""The colour palette toggle (overrides/partials/palette.html): Material's partial with the form taken
out of Material's "palette" component and a script that applies the palette as the header is parsed.

The point of the change is what a page load no longer does: mark <body> data-md-color-switching and
remove it again (each a restyle of the whole document, as Material's stylesheet matches
`[data-md-color-switching] *`). The toggle itself must behave as Material's did."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import material
import pytest

from tests.browser.conftest import Browse

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "overrides" / "partials" / "palette.html"
THEIRS = Path(material.__file__).resolve().parent / "templates" / "partials" / "palette.html"

# Every change of a <body> attribute's value, from the first script on (installed before the page's own).
_RECORD_JS = """
(() => {
  const seen = window.__agnoBodyAttrs = [];
  const watch = () => new MutationObserver(list => {
    for (const m of list) {
      const now = document.body.getAttribute(m.attributeName);
      if (now !== m.oldValue) seen.push(m.attributeName + '=' + now);
    }
  }).observe(document.body, { attributes: true, attributeOldValue: true });
  if (document.body) watch();
  else new MutationObserver((_, self) => {
    if (document.body) { self.disconnect(); watch(); }
  }).observe(document, { childList: true, subtree: true });
})();
"""

_STATE_JS = """() => ({
  scheme: document.body.getAttribute('data-md-color-scheme'),
  switching: document.body.hasAttribute('data-md-color-switching'),
  labels: [...document.querySelectorAll('[data-agno-palette] label')].map(l => !l.hidden),
  checked: document.querySelector('[data-agno-palette] input:checked')?.id ?? null,
  saved: JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.endsWith('.__palette')))
    || 'null'),
  themeColor: document.querySelector('meta[name=theme-color]')?.content ?? null,
  colorScheme: document.querySelector('meta[name=color-scheme]')?.content ?? null,
})"""


def _body(text: str) -> list[str]:
    """The template without its leading Jinja comment."""
    return text.split("-#}\n", 1)[1].splitlines()


def test_override_is_materials_partial_with_the_form_unmounted_and_a_script() -> None:
    ours, theirs = _body(OURS.read_text(encoding="utf-8")), _body(THEIRS.read_text(encoding="utf-8"))
    form_end = ours.index("</form>") + 1
    assert ours[0] == '<form class="md-header__option" data-agno-palette>', ours[0]
    restored = [line.replace("data-agno-palette", 'data-md-component="palette"', 1) if i == 0 else line
                for i, line in enumerate(ours[:form_end])]
    assert restored == theirs, (
        f"{THEIRS} changed: copy it to {OURS} again (form marked data-agno-palette instead of "
        "data-md-component=\"palette\"), and check the script below it still does what Material's "
        "palette component does")
    script = "\n".join(ours[form_end:])
    assert script.strip().startswith("<script>") and script.strip().endswith("</script>"), script[:80]


def _recording(browse: Browse, path: str, scheme: str) -> Any:
    page = browse.page(path, color_scheme=scheme)
    page.context.add_init_script(_RECORD_JS)
    page.goto(browse.base_url + path, wait_until="load")
    return page


def _settled(page: Any) -> dict[str, Any]:
    # The meta tags follow a frame after load (or after a switch).
    page.wait_for_function("() => document.querySelector('meta[name=theme-color]')?.content")
    page.wait_for_function("() => !document.body.hasAttribute('data-md-color-switching')")
    state: dict[str, Any] = page.evaluate(_STATE_JS)
    return state


@pytest.mark.parametrize(("scheme", "body", "shown"), [("light", "default", [True, False]),
                                                       ("dark", "slate", [False, True])])
def test_a_load_applies_the_palette_without_restyling_the_page(browse: Browse, scheme: str, body: str,
                                                               shown: list[bool]) -> None:
    page = _recording(browse, "/matrix/", scheme)
    state = _settled(page)
    assert state["scheme"] == body
    assert state["labels"] == shown, "the toggle shows the label that switches to the other option"
    assert state["checked"] is None, "as with Material's component, no option is checked until one is chosen"
    assert state["saved"]["index"] == shown.index(True)
    assert state["saved"]["color"]["scheme"] == body
    assert state["colorScheme"] == scheme
    assert re.fullmatch(r"#[0-9a-f]{6}", state["themeColor"]), state["themeColor"]
    changed: list[str] = page.evaluate("() => window.__agnoBodyAttrs")
    assert not [c for c in changed if c.startswith("data-md-color-switching")], changed
    # Only what differs from the served attributes is set, before the content is parsed.
    assert [c.split("=")[0] for c in changed] == (["data-md-color-media"] if scheme == "light" else
                                                  ["data-md-color-media", "data-md-color-scheme"]), changed


def test_the_toggle_switches_and_the_choice_holds_on_the_next_page(browse: Browse) -> None:
    page = _recording(browse, "/", "light")
    _settled(page)
    page.click("[data-agno-palette] label:not([hidden])")
    state = _settled(page)
    assert (state["scheme"], state["labels"], state["checked"]) == ("slate", [False, True], "__palette_1")
    assert (state["saved"]["index"], state["colorScheme"]) == (1, "dark")
    changed: list[str] = page.evaluate("() => window.__agnoBodyAttrs")
    assert "data-md-color-switching=" in changed and "data-md-color-switching=null" in changed, changed
    page.goto(browse.base_url + "/cookbook/", wait_until="load")
    assert _settled(page)["scheme"] == "slate", "a light browser keeps the reader's dark choice"
    # Enter on the focused option moves on, as with Material's component.
    page.focus("#__palette_0")  # the first option of the group, where Tab lands when none is checked
    page.keyboard.press("Enter")
    state = _settled(page)
    assert (state["scheme"], state["checked"], state["saved"]["index"]) == ("default", "__palette_0", 0)
    assert page.evaluate("() => document.activeElement.id") == "__palette_0"


def test_the_chinese_edition_and_the_404_page_have_the_toggle(browse: Browse) -> None:
    for path in ("/zh/", "/404.html"):
        page = browse.page(path, color_scheme="dark")
        page.wait_for_load_state("load")
        assert _settled(page)["scheme"] == "slate", path

"""module(), support_box(), status_badge(): goldens, escaping, and the unknown-id message."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import markdown
import pytest

from matrix.errors import UsageError
from matrix.model import Coverage, ParitySummary, Status
from matrix.render import macros
from matrix.sources import Loaded
from tests import factories
from tests.render.conftest import NASTY

SMALL = Loaded(factories.small())
EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "pymdownx.superfences"]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def as_page(fragment: str) -> _Text:
    """What a reader gets: the macro output through Markdown, then parsed as HTML."""
    parser = _Text()
    parser.feed(markdown.markdown(fragment, extensions=EXTENSIONS))
    return parser


def test_every_status_badge_and_box(golden: Callable[[str, str], None]) -> None:
    m = macros()
    out = [m["module"](SMALL, x.id) + "\n" + m["support_box"](SMALL, x.id) for x in SMALL.matrix.modules]
    golden("badges.html", "\n".join(out))


@pytest.mark.parametrize(
    ("status", "text", "tooltip"),
    [
        (Status.MIGRATED, "In Go", "runtime=go: every measured unit is ported to Go and none is a stub"),
        (Status.NOT_MIGRATED, "Not yet in Go", "runtime=python-only"),
        (Status.WONT_PORT, "Won't port", "runtime=python-only: not planned for Go (see reason)"),
        (Status.GO_ONLY, "Go only", "runtime=go: exists only in the Go runtime"),
    ],
)
def test_badge_words_and_tooltip_as_a_reader_sees_them(status: Status, text: str, tooltip: str) -> None:
    page = as_page(macros()["status_badge"](SMALL, status.value))
    assert "".join(page.parts) == text
    assert ("title", tooltip) in page.attrs


def test_python_only_module_reads_not_yet_in_go() -> None:
    page = as_page(macros()["module"](SMALL, "tools.shell"))
    assert "".join(page.parts) == "Shell Not yet in Go"
    assert ("title", "runtime=python-only") in page.attrs
    box = as_page(macros()["support_box"](SMALL, "tools.shell"))
    assert ("data-runtime", "python-only") in box.attrs


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        ("tools.duckduckgoo", "agno-docs macro: unknown module id 'tools.duckduckgoo'; "
                              "closest known id: 'tools.duckduckgo'"),
        ("tool.shell", "agno-docs macro: unknown module id 'tool.shell'; closest known id: 'tools.shell'"),
        ("models.gml", "agno-docs macro: unknown module id 'models.gml'; closest known id: 'models.glm'"),
    ],
)
def test_unknown_module_id_names_the_closest_one(asked: str, message: str) -> None:
    for name in ("module", "support_box"):
        with pytest.raises(UsageError) as info:
            macros()[name](SMALL, asked)
        assert str(info.value) == message


def test_unknown_status_lists_the_known_ones() -> None:
    with pytest.raises(UsageError) as info:
        macros()["status_badge"](SMALL, "done")
    assert str(info.value) == ("agno-docs macro: unknown status 'done'; use one of migrated, partial, "
                               "not_migrated, wont_port, go_only, unknown")


def test_values_from_data_show_as_text_never_as_markup() -> None:
    mod = factories.module("tools.evil", Status.PARTIAL, title=NASTY, notes=NASTY, tracking=NASTY,
                           since=NASTY, coverage=Coverage(ported=0, total=1, missing=(NASTY,)),
                           parity=ParitySummary(failed=1, first_failure=NASTY))
    data = Loaded(factories.matrix(mod))
    inline = macros()["module"](data, "tools.evil")
    box = macros()["support_box"](data, "tools.evil")
    for raw in (inline, box):
        assert "<script" not in raw and "{{" not in raw and "{%" not in raw and "|" not in raw
    page = as_page(inline)
    assert "".join(page.parts) == f"{NASTY} Partial"
    assert set(page.tags) <= {"p", "span", "a"}
    # The one link is the module's page (built from the id, never from data); the tracking value is
    # not an http(s) address, so it stays text.
    hrefs = [v for k, v in page.attrs if k == "href"]
    assert hrefs == ["modules/tools/evil/"]
    boxed = as_page(box)
    assert "".join(boxed.parts).count(NASTY) == 4  # title, since, tracking, notes
    assert set(boxed.tags) <= {"p", "div", "strong", "code", "dl", "dt", "dd", "span", "a"}
    assert [v for k, v in boxed.attrs if k == "href"] == ["modules/tools/evil/"]
    assert ("title", f"first failure: {NASTY}") in boxed.attrs  # the first parity failure, as a tooltip


@pytest.mark.parametrize(
    ("tracking", "link"),
    [
        ("https://github.com/rexleimo/agno-Go/issues/7", True),
        ("http://example.invalid/7", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
    ],
)
def test_tracking_becomes_a_link_only_for_http_urls(tracking: str, link: bool) -> None:
    data = Loaded(factories.matrix(factories.module("tools.shell", Status.NOT_MIGRATED, tracking=tracking)))
    page = as_page(macros()["support_box"](data, "tools.shell"))
    assert (("href", tracking) in page.attrs) is link
    assert tracking in "".join(page.parts)

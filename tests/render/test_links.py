"""links: module pages and site pages relative to the page being rendered; safe source and report URLs."""

from __future__ import annotations

import pytest

from matrix.model import Provenance, Status
from matrix.render import links
from matrix.render.links import Here
from matrix.render.templating import default
from tests import factories


@pytest.mark.parametrize(
    ("page", "dirs", "href"),
    [
        ("", True, "modules/tools/calculator/"),
        ("matrix/", True, "../modules/tools/calculator/"),
        ("families/tools/", True, "../../modules/tools/calculator/"),
        ("modules/tools/calculator/", True, "./"),
        ("modules/tools/shell/", True, "../calculator/"),
        ("modules/vectordb/pgvector/", True, "../../tools/calculator/"),
        ("matrix.html", False, "modules/tools/calculator.html"),
        ("families/tools.html", False, "../modules/tools/calculator.html"),
    ],
)
def test_module_href_is_relative_to_the_page(page: str, dirs: bool, href: str) -> None:
    assert links.module_href("tools.calculator", Here(page, dirs)) == href
    with links.at(page, directory_urls=dirs):
        assert links.module_href("tools.calculator") == href
        assert links.module_href(factories.module("tools.calculator", Status.MIGRATED)) == href


@pytest.mark.parametrize(
    ("page", "url", "href"),
    [
        ("", "", "./"),
        ("", "matrix/", "matrix/"),
        ("matrix/", "", "../"),
        ("families/tools/", "not-in-go/", "../../not-in-go/"),
        ("modules/tools/calculator/", "families/tools/", "../../../families/tools/"),
        ("modules/tools/calculator/", "api/support-matrix.json", "../../../api/support-matrix.json"),
    ],
)
def test_page_href(page: str, url: str, href: str) -> None:
    assert links.page_href(url, Here(page)) == href


def test_outside_a_page_addresses_are_relative_to_the_site_root() -> None:
    assert links.here() == Here("", True)
    assert links.module_href("vectordb.pgvector") == "modules/vectordb/pgvector/"
    with links.at("matrix/"):
        with links.at("families/db/"):
            assert links.module_href("db.postgres") == "../../modules/db/postgres/"
        assert links.module_href("db.postgres") == "../modules/db/postgres/"
    assert links.here() == Here("", True)


def test_the_template_filter_is_the_same_helper() -> None:
    t = default()
    m = factories.module("tools.calculator", Status.MIGRATED)
    with links.at("families/tools/"):
        out = t.render("module_badge.html.jinja", module=m)
    assert 'href="../../modules/tools/calculator/"' in out


GO = Provenance(name="agno-Go", commit="c16f1035f9e5b635af82274519e026571409e042",
                repository="https://github.com/rexleimo/agno-Go")


@pytest.mark.parametrize(
    ("side", "path", "line", "url"),
    [
        (GO, "pkg/agno/tools/calculator/calculator.go", 22,
         "https://github.com/rexleimo/agno-Go/blob/c16f1035f9e5b635af82274519e026571409e042/"
         "pkg/agno/tools/calculator/calculator.go#L22"),
        (GO, "pkg/agno/tools/calculator", None,
         "https://github.com/rexleimo/agno-Go/blob/c16f1035f9e5b635af82274519e026571409e042/pkg/agno/tools/calculator"),
        (GO, "pkg/a b/#x.go", 3,
         "https://github.com/rexleimo/agno-Go/blob/c16f1035f9e5b635af82274519e026571409e042/pkg/a%20b/%23x.go#L3"),
        (Provenance(name="x", commit="abc1234", repository="https://example.org/r.git/"), "a.py", 1,
         "https://example.org/r/blob/abc1234/a.py#L1"),
        # Never a link: not https, not a hex commit, a path that leaves the tree.
        (Provenance(name="x", commit="abc1234", repository="javascript:alert(1)"), "a.py", 1, None),
        (Provenance(name="x", commit="abc1234", repository="http://example.org/r"), "a.py", 1, None),
        (Provenance(name="x", commit="abc1234", repository='https://e.org/r"><script>'), "a.py", 1, None),
        (Provenance(name="x", commit="main", repository="https://e.org/r"), "a.py", 1, None),
        (Provenance(name="x", commit=None, repository="https://e.org/r"), "a.py", 1, None),
        (Provenance(name="x", commit="abc1234", repository=None), "a.py", 1, None),
        (GO, "../../etc/passwd", 1, None),
        (GO, "/etc/passwd", 1, None),
        (GO, "", 1, None),
    ],
)
def test_source_url(side: Provenance, path: str, line: int | None, url: str | None) -> None:
    assert links.source_url(side, path, line) == url


@pytest.mark.parametrize(
    ("template", "runtime", "url"),
    [
        (None, GO, "https://github.com/rexleimo/agno-Go/issues/new?title=Support%20matrix%20data%3A%20tools.x"),
        ("https://e.org/report?module={id}&t={title}", GO,
         "https://e.org/report?module=tools.x&t=Support%20matrix%20data%3A%20tools.x"),
        (None, Provenance(name="agno-Go"), None),
        ("javascript:alert({id})", GO, None),
    ],
)
def test_report_url(template: str | None, runtime: Provenance, url: str | None) -> None:
    assert links.report_url(template, factories.module("tools.x", Status.NOT_MIGRATED), runtime) == url

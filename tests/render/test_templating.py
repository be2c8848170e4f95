"""The template environment: autoescape by construction, the layout rule, overrides by name."""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import Markup

from matrix.errors import UsageError
from matrix.model import Status
from matrix.render import inline_error, macros
from matrix.render.templating import TEMPLATE_DIR, Templates, component_names, default
from matrix.sources import Loaded
from tests import factories

HOSTILE = '</title><script>alert(1)</script>"><img src=x onerror=alert(1)> {{ 7*7 }} *md* \x00\u202e'


def test_every_component_is_a_jinja_file_and_markup_lives_only_there() -> None:
    names = component_names()
    assert len(names) > 30
    assert all(n.endswith((".html.jinja", ".md.jinja", ".svg.jinja")) for n in names)
    for name in names:
        default().env.get_template(name)  # every template compiles


def test_the_environment_autoescapes_every_value() -> None:
    env = default().env
    assert env.autoescape is True
    out = env.from_string(
        "<p title=\"{{ v }}\">{{ v }}</p>{{ v|e }}{{ v|escape }}{{ [v, v]|join(', ') }}").render(v=HOSTILE)
    assert "<script" not in out and "<img" not in out and "{{" not in out and "*md*" not in out
    assert "\x00" not in out and "\u202e" not in out and "&lt;U+202E&gt;" in out
    assert out.count("&lt;/title&gt;") == 6  # attribute, text, |e, |escape, twice in |join


class _HTML:
    """Not markup, but says it is (``__html__``): printed escaped, never trusted."""

    def __html__(self) -> str:
        return "<b>trusted?</b>"

    def __str__(self) -> str:
        return "<b>str</b>"


@pytest.mark.parametrize(("value", "printed"), [
    (HOSTILE, None),
    (None, ""),
    (Markup("<b>ok</b>"), "<b>ok</b>"),
    (7, "7"),
    (_HTML(), "&lt;b&gt;str&lt;/b&gt;"),
])
def test_values_print_as_escape_of_finalize_printed_them(value: object, printed: str | None) -> None:
    # the environment prints finalize(x) where Jinja printed escape(finalize(x)): the same text
    from markupsafe import escape

    from matrix.render.templating import markup

    env = default().env
    source = env.compile("{{ v }}<p title=\"{{ v }}\">{% autoescape false %}{{ v }}{% endautoescape %}</p>",
                         raw=True)
    assert "escape(environment.finalize(" not in source and "environment.finalize(" in source
    out = env.from_string("{{ v }}").render(v=value)
    assert out == str(escape(markup(value)))
    if printed is not None:
        assert out == printed
    off = env.from_string("{% autoescape false %}{{ v }}{% endautoescape %}").render(v=value)
    assert off == str(markup(value))  # Jinja's own code where autoescape is switched off


def test_rendered_components_are_not_escaped_twice() -> None:
    t = default()
    badge = t.render("status_badge.html.jinja", status=Status.NOT_MIGRATED)
    assert isinstance(badge, Markup)
    assert t.env.from_string("<p>{{ b }}</p>").render(b=badge) == f"<p>{badge}</p>"


@pytest.mark.parametrize(("target", "encoded"), [
    ("families/", "families/"),
    ("../not-in-go.md", "../not-in-go.md"),
    ("mod-models.aws_bedrock", "mod-models.aws_bedrock"),
    ('x") [y](javascript:alert(1)', "x%22%29%20%5By%5D%28javascript:alert%281%29"),
    ("{{ 7*7 }}", "%7B%7B%207%2A7%20%7D%7D"),
])
def test_url_filter_keeps_link_targets_inside_the_link(target: str, encoded: str) -> None:
    assert default().env.from_string("{{ t|url }}").render(t=target) == encoded


def test_one_line_templates_lose_layout_markdown_ones_keep_their_lines(tmp_path: Path) -> None:
    badge = "<span>\n  <b>{{ status.label }}</b>\n  {{ ' ' }}x\n</span>\n"
    (tmp_path / "status_badge.html.jinja").write_text(badge)
    (tmp_path / "needs.md.jinja").write_text("line one\n\n    indented {{ view }}\n")
    t = Templates([tmp_path])
    assert t.render("status_badge.html.jinja", status=Status.MIGRATED) == "<span><b>In Go</b> x</span>"
    assert t.render("needs.md.jinja", view="<v>") == "line one\n\n    indented &lt;v&gt;"


def test_a_site_override_replaces_one_component_everywhere_it_is_used(tmp_path: Path) -> None:
    (tmp_path / "status_badge.html.jinja").write_text(
        '<mark class="site-badge" data-status="{{ status.value }}">{{ status.label }}</mark>')
    data = Loaded(factories.small())
    site = macros(Templates([tmp_path]))
    engine = macros()
    # The badge is drawn by the override in every component that includes it.
    for name, args in (("status_badge", ("partial",)), ("module", ("tools.shell",)),
                       ("support_box", ("tools.shell",)), ("interactive_matrix", ())):
        assert '<mark class="site-badge"' in site[name](data, *args), name
        assert '<mark class="site-badge"' not in engine[name](data, *args), name
    assert site["provenance"](data) == engine["provenance"](data)  # other components untouched


@pytest.mark.parametrize(("files", "message"), [
    ({"status_badge.html": "x"}, "'status_badge.html' overrides no component"),
    ({"badge.html.jinja": "x"}, "'badge.html.jinja' overrides no component"),
])
def test_an_override_that_matches_no_component_is_an_error(tmp_path: Path, files: dict[str, str],
                                                            message: str) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(UsageError) as info:
        Templates([tmp_path])
    hint = "use the name of one of the engine's templates: "
    assert str(info.value).startswith(f"{tmp_path}: {message}; {hint}")


def test_a_missing_override_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        Templates([tmp_path / "nope"])
    assert str(info.value) == (f"{tmp_path / 'nope'}: no such template folder; create it, or stop naming it "
                               "as the site's template overrides")


def test_the_engine_templates_are_package_data() -> None:
    assert TEMPLATE_DIR.is_dir() and TEMPLATE_DIR.parent.name == "render"
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    assert '"render/templates/*.jinja"' in pyproject


def test_the_inline_error_marker_is_escaped() -> None:
    assert inline_error("module(): unknown module id '<x>'") == (
        '<span class="agno-error" role="alert">module(): unknown module id &#39;&lt;x&gt;&#39;</span>')

"""Stub detection on Go functions: what gives a stub away, and what a real port looks like."""

from __future__ import annotations

import re

import pytest

from matrix.sources.scan import go
from matrix.sources.scan.rules import GoRules
from matrix.sources.scan.stubs import Packages, verdict

RULES = GoRules(
    io=re.compile(r"^http\.(Get|NewRequest\w*)$|\.Do$|^os\.(ReadFile|WriteFile)$|[Cc]lient\.\w+$"),
    stub=re.compile(r"\bplaceholder\b|\bmock(ed)?\b|\bnot (yet )?implemented\b|\bin a real implementation\b", re.I),  # noqa: E501
    canned=re.compile(r"https?://(?:www\.)?example\.(?:com|org)\b"),
)


def _judge(body: str, *, python_io: bool = False, stub_calls: tuple[str, ...] = ()) -> str | None:
    """The verdict on ``func (t *T) target(...)`` in a package that also has the helpers below."""
    src = f"""package p

import "net/http"

type T struct{{ client *http.Client }}

func (t *T) fetch(u string) error {{
\tresp, err := t.client.Get(u)
\t_ = resp
\treturn err
}}

func (t *T) pure(x int) int {{ return x * 2 }}

func (t *T) Invoke() error {{ return t.fetch("u") }}

{body}
"""
    facts = go.extract(src.encode(), RULES)
    pkgs = Packages({"p/p.go": facts}, ["p/p.go"])
    target = next(f for f in facts.funcs if f.name == "target")
    return verdict(target, "p", pkgs, python_io=python_io, stub_calls=stub_calls)


@pytest.mark.parametrize(
    ("body", "kw", "expected"),
    [
        # canned data in a string literal
        ('func (t *T) target() map[string]string {\n\treturn map[string]string{"url": "https://example.com/a"}\n}',
         {}, "returns canned data (https://example.com)"),
        # stub words in a comment of a function that never calls out
        ("func (t *T) target() string {\n\t// For now, return a mock response\n\treturn \"ok\"\n}",
         {}, "says 'mock' and never calls out"),
        # ... in its doc comment
        ("// target is a placeholder for audio probing.\nfunc (t *T) target() error { return nil }",
         {}, "says 'placeholder' and never calls out"),
        # ... in a string
        ('func (t *T) target() error {\n\treturn errors.New("probing not implemented")\n}',
         {}, "says 'not implemented' and never calls out"),
        # a real call with a remark is a simplified port, not a stub
        ("func (t *T) target() error {\n\t// in a real implementation, parse the HTML\n\treturn t.fetch(\"u\")\n}",  # noqa: E501
         {}, None),
        # a streaming method that only calls the non-streaming one
        ("func (t *T) target() error { return t.Invoke() }", {"stub_calls": ("Invoke",)},
         "only delegates to Invoke"),
        # never calls out while Python does I/O; through a helper it does
        ("func (t *T) target() int { return t.pure(2) }", {"python_io": True},
         "never calls out, while its Python counterpart does I/O"),
        ("func (t *T) target() error { return t.fetch(\"u\") }", {"python_io": True}, None),
        ("func (t *T) target() error {\n\t_, err := http.Get(\"https://api.real.dev\")\n\treturn err\n}",
         {"python_io": True}, None),
        # pure code whose Python counterpart is pure too (a calculator)
        ("func (t *T) target(a, b float64) float64 { return a + b }", {}, None),
        # identifiers are not words: a variable named placeholder is fine
        ("func (t *T) target(s string) string {\n\tplaceholder := \"{{\" + s + \"}}\"\n\treturn placeholder\n}",  # noqa: E501
         {}, None),
    ],
    ids=["canned", "mock-comment", "doc-comment", "string", "remark-with-io", "delegates", "no-io",
         "io-via-helper", "io-direct", "pure", "identifier"],
)
def test_verdict(body: str, kw: dict[str, object], expected: str | None) -> None:
    assert _judge(body, **kw) == expected  # type: ignore[arg-type]


def test_a_multi_line_call_chain_is_still_a_call_out() -> None:
    body = (
        "func (t *T) target(ctx context.Context) error {\n"
        "\t_, err := t.svc.Values.Update(\"id\").\n\t\tContext(ctx).\n\t\tDo()\n\treturn err\n}"
    )
    assert _judge(body, python_io=True) is None

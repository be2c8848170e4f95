"""A second profile over trees in another layout: the engine needs no change (issue 9, item 5).

The runtime's Go module is under ``go/``; providers are thin packages under
``go/pkg/providers/<name>`` whose methods come from a shared client in ``go/internal/llm`` (its
evidence is attributed to them through their import); toolkits live under ``go/internal`` and
register with another API. A ``doc.go``-only provider and a build-tagged one count as nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from matrix.model import Status, SupportMatrix
from matrix.sources.scan import compute

from .conftest import write

PROFILE = Path(__file__).with_name("split_layout.toml")

PY = {
    "src/agentlib/__init__.py": "",
    "src/agentlib/providers/base.py": "class Provider:\n    def complete(self):\n        raise NotImplementedError\n",  # noqa: E501
    "src/agentlib/providers/openai/chat.py": """
        from agentlib.providers.base import Provider


        class OpenAIChat(Provider):
            def complete(self, prompt):
                return self._post(prompt)["tool_calls"]

            def complete_stream(self, prompt):
                yield from ()
    """,
    "src/agentlib/providers/mistral/chat.py": "class Mistral:\n    def complete(self, p):\n        pass\n",
    "src/agentlib/providers/claude/chat.py": "class Claude:\n    def complete(self, p):\n        pass\n",
    "src/agentlib/tools/calc.py": """
        class ToolBox:
            pass


        class Calc(ToolBox):
            def __init__(self):
                super().__init__(tools=[self.add, self.mul])

            def add(self, a, b):
                return a + b

            def mul(self, a, b):
                return a * b
    """,
}

GO = {
    "go/go.mod": "module example.com/split\n\ngo 1.22\n",
    "go/internal/llm/client.go": """
        package llm

        import (
        \t"context"
        \t"net/http"
        )

        type Client struct{ http *http.Client }

        func NewClient(key string) *Client { return &Client{http: &http.Client{}} }

        func (c *Client) Invoke(ctx context.Context, req *http.Request) error {
        \t_, err := c.http.Do(req)
        \treturn err
        }

        func (c *Client) InvokeStream(ctx context.Context, req *http.Request) error {
        \tvar chunk struct{ ToolCalls []string }
        \t_ = chunk.ToolCalls
        \t_, err := c.http.Do(req)
        \treturn err
        }
    """,
    "go/pkg/providers/openai/openai.go": """
        package openai

        import "example.com/split/internal/llm"

        // Chat is OpenAI over the shared client.
        type Chat struct{ *llm.Client }

        func New(key string) *Chat { return &Chat{Client: llm.NewClient(key)} }
    """,
    "go/pkg/providers/mistral/doc.go": "// Package mistral will hold the Mistral provider.\npackage mistral\n",  # noqa: E501
    "go/pkg/providers/claude/claude.go": """
        //go:build claude

        package claude

        type Claude struct{}

        func (c *Claude) Invoke() error { return nil }
    """,
    "go/internal/tools/calc/calc.go": """
        package calc

        import "example.com/split/pkg/tools"

        type Calc struct{}

        func Register(reg *tools.Registry) {
        \tc := &Calc{}
        \treg.Add(tools.Spec{ID: "add", Fn: c.add})
        \treg.Add(tools.Spec{ID: "mul", Fn: c.mul})
        }

        func (c *Calc) add(a, b float64) float64 { return a + b }

        // mul is a placeholder.
        func (c *Calc) mul(a, b float64) float64 { return 0 }
    """,
}


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> SupportMatrix:
    root = tmp_path_factory.mktemp("split")
    write(root / "py", PY)
    write(root / "go", GO)
    return compute(root / "py", root / "go", profile=PROFILE, cache_dir=root / "cache", quiet=True)


def test_statuses_in_the_other_layout(matrix: SupportMatrix) -> None:
    assert [(m.id, m.status, m.go.package if m.go else None) for m in matrix.modules] == [
        ("providers.claude", Status.NOT_MIGRATED, "go/pkg/providers/claude"),
        ("providers.mistral", Status.NOT_MIGRATED, "go/pkg/providers/mistral"),
        ("providers.openai", Status.MIGRATED, "go/pkg/providers/openai"),
        ("tools.calc", Status.PARTIAL, "go/internal/tools/calc"),
    ]


def test_a_thin_provider_gets_the_shared_packages_evidence(matrix: SupportMatrix) -> None:
    openai = matrix.modules_by_id()["providers.openai"]
    assert openai.go is not None and openai.go.also == ("go/internal/llm",)
    assert openai.coverage is not None
    evidence = {u.name: (u.state.value, u.go.path if u.go else None, u.go.line if u.go else None, u.go_name)
                for u in openai.coverage.units}
    assert evidence == {
        "complete": ("ported", "go/internal/llm/client.go", 12, "Client.Invoke"),
        "streaming": ("ported", "go/internal/llm/client.go", 17, "Client.InvokeStream"),
        "tools": ("ported", "go/internal/llm/client.go", None, "ToolCalls"),
    }


def test_doc_only_and_build_tagged_packages_count_as_nothing(matrix: SupportMatrix) -> None:
    by = matrix.modules_by_id()
    assert by["providers.mistral"].notes == (
        "the Go package go/pkg/providers/mistral declares nothing exported."
    )
    assert by["providers.claude"].notes == (
        "Go code behind a build constraint a default build excludes (//go:build claude) does not count."
    )


def test_registrations_through_the_profiles_query(matrix: SupportMatrix) -> None:
    calc = matrix.modules_by_id()["tools.calc"]
    assert calc.coverage is not None
    assert [(u.name, u.state.value, u.go.path if u.go else None) for u in calc.coverage.units] == [
        ("add", "ported", "go/internal/tools/calc/calc.go"),
        ("mul", "stub", "go/internal/tools/calc/calc.go"),
    ]
    assert calc.notes == "1 of 2 are stubs in Go: mul (says 'placeholder' and never calls out)."

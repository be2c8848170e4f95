"""Small baseline and runtime trees written by the tests (never copies of the real code).

``trees`` builds one baseline (``py/``) and one runtime (``go/``) laid out like the real
repositories, with one or two modules per family and every alias kind, and a profile
that is the shipped Agno profile with its ``min_expected`` guards set to zero.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from matrix.profiles import DEFAULT_PROFILE

LIB = "libs/agno/agno"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text).lstrip("\n"))


def toolkit(cls: str, base: str, tools: list[str], *, extra: str = "") -> str:
    """A toolkit class written in the baseline's style (tools listed in __init__)."""
    methods = "".join(f"\n    def {t}(self) -> str:\n        return '{t}'\n" for t in tools)
    refs = ", ".join(f"self.{t}" for t in tools)
    imp = "from agno.tools import Toolkit\n" if base == "Toolkit" else ""
    return (
        f"{imp}\n\nclass {cls}({base}):\n    def __init__(\n        self,\n        **kwargs,\n    ):\n"
        f"        tools = [\n            {refs}\n        ]\n{extra}"
        f"        super().__init__(name='{cls.lower()}', tools=tools, **kwargs)\n{methods}"
    )


def go_toolkit(pkg: str, names: list[str]) -> str:
    regs = "".join(
        f'\n\tt.RegisterFunction(&toolkit.Function{{\n\t\tName:        "{n}",\n\t\tDescription: "d",\n\t}})'
        for n in names
    )
    return (
        f'package {pkg}\n\nimport "example.com/toolkit"\n\ntype Tools struct{{ *toolkit.Toolkit }}\n\n'
        f"func New() *Tools {{\n\tt := &Tools{{}}{regs}\n\treturn t\n}}\n"
    )


BASELINE: dict[str, str] = {
    "libs/agno/pyproject.toml": '[project]\nname = "agno"\nversion = "9.8.7"\n',
    f"{LIB}/agent/__init__.py": "from agno.agent.agent import Agent\n",
    f"{LIB}/agent/agent.py": "class Agent:\n    pass\n",
    f"{LIB}/tracing/setup.py": "def setup_tracing() -> None:\n    pass\n",
    f"{LIB}/models/__init__.py": "",
    f"{LIB}/models/base.py": "class Model:\n    def invoke_stream(self):\n        pass\n",
    f"{LIB}/models/openai/__init__.py": "from agno.models.openai.chat import OpenAIChat\n",
    f"{LIB}/models/openai/chat.py": """
        from agno.models.base import Model


        class OpenAIChat(Model):
            supports_native_structured_outputs: bool = True

            def invoke_stream(self):
                pass

            def parse_tool_calls(self, data):
                pass
    """,
    f"{LIB}/models/google/gemini.py": "from agno.models.base import Model\n\n\nclass Gemini(Model):\n"
    "    def invoke(self):\n        pass\n",
    f"{LIB}/models/mistral/mistral.py": "class MistralChat:\n    pass\n",
    f"{LIB}/tools/__init__.py": "from agno.tools.toolkit import Toolkit\n",
    f"{LIB}/tools/toolkit.py": "class Toolkit:\n    def __init__(self, name, tools=()):\n        self.tools = tools\n",  # noqa: E501
    f"{LIB}/tools/websearch.py": """
        from agno.tools import Toolkit


        class WebSearchTools(Toolkit):
            def __init__(
                self,
                enable_news: bool = True,
                **kwargs,
            ):
                tools = []
                tools.append(self.web_search)
                if enable_news:
                    tools.append(self.search_news)
                super().__init__(name="websearch", tools=tools, **kwargs)

            def web_search(self, query: str) -> str:
                return query

            def search_news(self, query: str) -> str:
                return query
    """,
    f"{LIB}/tools/duckduckgo.py": """
        from agno.tools.websearch import WebSearchTools


        class DuckDuckGoTools(WebSearchTools):
            def __init__(self, **kwargs):
                super().__init__(backend="duckduckgo", **kwargs)
                self.duckduckgo_search = self.web_search
    """,
    f"{LIB}/tools/calculator.py": toolkit("CalculatorTools", "Toolkit", ["add", "subtract"]),
    f"{LIB}/tools/eleven_labs.py": toolkit("ElevenLabsTools", "Toolkit", ["text_to_speech", "get_voices"]),
    f"{LIB}/tools/google/__init__.py": "",
    f"{LIB}/tools/google/gmail.py": toolkit("GmailTools", "Toolkit", ["send_email"]),
    f"{LIB}/tools/gmail.py": '"""Backward-compatibility stub."""\n\nfrom agno.tools.google.gmail import *\n',
    f"{LIB}/tools/python.py": toolkit("PythonTools", "Toolkit", ["run_python_code"]),
    f"{LIB}/tools/mcp/__init__.py": "from agno.tools.mcp.mcp import MCPTools\n",
    f"{LIB}/tools/mcp/mcp.py": "from agno.tools import Toolkit\n\n\nclass MCPTools(Toolkit):\n"
    "    def __init__(self, **kwargs):\n        super().__init__(name='mcp', **kwargs)\n",
    f"{LIB}/tools/broken.py": "from agno.tools import Toolkit\n\n\nclass BrokenTools(Toolkit:\n    pass\n",
    f"{LIB}/vectordb/chroma/__init__.py": "from agno.vectordb.chroma.chromadb import ChromaDb\n",
    f"{LIB}/vectordb/chroma/chromadb.py": "class ChromaDb:\n    pass\n",
    f"{LIB}/vectordb/pgvector/pgvector.py": "class PgVector:\n    pass\n",
    f"{LIB}/db/surrealdb/surrealdb.py": "class SurrealDb:\n    pass\n",
    f"{LIB}/db/sqlite/sqlite.py": "class SqliteDb:\n    pass\n",
    f"{LIB}/knowledge/embedder/base.py": "class Embedder:\n    pass\n",
    f"{LIB}/knowledge/embedder/sentence_transformer.py": "class SentenceTransformerEmbedder:\n    pass\n",
    f"{LIB}/knowledge/embedder/openai.py": "class OpenAIEmbedder:\n    pass\n",
    f"{LIB}/knowledge/chunking/fixed.py": "class FixedSizeChunking:\n    pass\n",
    f"{LIB}/knowledge/chunking/semantic.py": "class SemanticChunking:\n    pass\n",
    f"{LIB}/knowledge/reader/pdf_reader.py": "class PDFReader:\n    pass\n",
    f"{LIB}/knowledge/reranker/cohere.py": "class CohereReranker:\n    pass\n",
    f"{LIB}/knowledge/loaders/s3.py": "class S3Loader:\n    pass\n",
    f"{LIB}/reasoning/openai.py": "def get_openai_reasoning() -> None:\n    pass\n",
    f"{LIB}/reasoning/groq.py": "def get_groq_reasoning() -> None:\n    pass\n",
    f"{LIB}/guardrails/base.py": "class BaseGuardrail:\n    pass\n",
    f"{LIB}/guardrails/prompt_injection.py": "class PromptInjectionGuardrail:\n    pass\n",
    f"{LIB}/guardrails/pii.py": "class PIIDetectionGuardrail:\n    pass\n",
    f"{LIB}/os/app.py": "class AgentOS:\n    pass\n",
    f"{LIB}/os/interfaces/a2a/a2a.py": "class A2A:\n    pass\n",
    f"{LIB}/os/interfaces/slack/slack.py": "class Slack:\n    pass\n",
    f"{LIB}/os/routers/health.py": "def get_health_router() -> None:\n    pass\n",
    "cookbook/__init__.py": "",
    "cookbook/91_tools/duckduckgo_tools.py": '''
        """DuckDuckGo search: an agent that searches the web.

        More text.
        """

        from agno.agent import Agent
        from agno.models.openai import OpenAIChat
        from agno.tools.duckduckgo import (
            DuckDuckGoTools,
        )

        agent = Agent(model=OpenAIChat(), tools=[DuckDuckGoTools()])
    ''',
    "cookbook/91_tools/gmail_old_path.py": "from agno.agent import Agent\nfrom agno.tools.gmail import GmailTools\n",  # noqa: E501
    "cookbook/91_tools/knowledge_pdf.py": "import agno.knowledge.reader.pdf_reader\nfrom agno.agent import Agent\n",  # noqa: E501
    "cookbook/misc/helper.py": "import os\n\nprint(os.getcwd())\n",
    "cookbook/misc/utils_only.py": "from agno.utils.log import logger\n",
    "cookbook/misc/broken_import.py": "from agno.agent import (Agent,,)\n",
}

RUNTIME: dict[str, str] = {
    "CHANGELOG.md": "# Changelog\n\n## [1.4.2] - 2026-01-01\n\n- things\n\n## [1.4.1] - 2025-12-01\n",
    "pkg/agno/agent/agent.go": "package agent\n\ntype Agent struct{}\n\nfunc New() *Agent { return &Agent{} }\n",  # noqa: E501
    "pkg/agno/agent/agent_test.go": "package agent\n\nthis is not go\n",
    "pkg/agno/models/base.go": "package models\n\ntype Model interface {\n\tInvoke() error\n}\n",
    "pkg/agno/models/openai/openai.go": """
        package openai

        type OpenAI struct{}

        func (o *OpenAI) Invoke() error { return nil }

        func (o *OpenAI) InvokeStream() error {
        \tvar r struct{ ToolCalls []string }
        \t_ = r.ToolCalls
        \treturn nil
        }
    """,
    "pkg/agno/models/gemini/gemini.go": "package gemini\n\ntype Gemini struct{}\n\nfunc (g Gemini) Invoke() error { return nil }\n",  # noqa: E501
    "pkg/agno/models/glm/glm.go": "package glm\n\ntype GLM struct{}\n",
    "pkg/agno/tools/toolkit/toolkit.go": "package toolkit\n\ntype Toolkit struct{}\n",
    "pkg/agno/tools/search/search.go": go_toolkit("search", ["search"]),
    "pkg/agno/tools/calculator/calculator.go": go_toolkit("calculator", ["add", "subtract"]),
    "pkg/agno/tools/elevenlabs/elevenlabs.go": go_toolkit(
        "elevenlabs", ["generate_speech", "get_voices", "clone"]
    ),
    "pkg/agno/tools/gmail/gmail.go": go_toolkit("gmail", ["send_email"]),
    "pkg/agno/tools/http/http.go": go_toolkit("http", ["http_get"]),
    "pkg/agno/mcp/toolkit/toolkit.go": "package toolkit\n\ntype MCPToolkit struct{}\n",
    "pkg/agno/tools/broken/broken.go": "package broken\n\nfunc Broken( {\n",
    "pkg/agno/vectordb/base.go": "package vectordb\n\ntype VectorDB interface{}\n",
    "pkg/agno/vectordb/chromadb/chromadb.go": "package chromadb\n\ntype ChromaDB struct{}\n",
    "pkg/agno/db/surreal/surreal.go": "package surreal\n\ntype Store struct{}\n",
    "pkg/agno/embeddings/sentencetransformer/st.go": "package sentencetransformer\n\ntype Embedder struct{}\n",  # noqa: E501
    "pkg/agno/knowledge/chunker.go": "package knowledge\n\ntype Chunker interface{}\n\n"
    "type CharacterChunker struct{}\n\ntype SentenceChunker struct{}\n",
    "pkg/agno/reasoning/openai/detector.go": "package openai\n\ntype Detector struct{}\n",
    "pkg/agno/guardrails/base.go": "package guardrails\n\ntype Guardrail interface{}\n",
    "pkg/agno/guardrails/prompt_injection.go": "package guardrails\n\ntype PromptInjectionGuardrail struct{}\n",  # noqa: E501
    "pkg/agentos/server.go": "package agentos\n\ntype Server struct{}\n\nfunc (s *Server) handleHealth() {}\n",  # noqa: E501
    "pkg/agentos/a2a/a2a.go": "package a2a\n\ntype A2A struct{}\n",
    "cmd/examples/search_agent/main.go": "package main\n\nfunc main() {}\n",
}


@dataclass
class Trees:
    py: Path
    go: Path
    profile: Path
    cache: Path


def relaxed_profile(tmp_path: Path) -> Path:
    """The shipped profile with every ``min_expected`` guard at zero."""
    text = re.sub(r"(?m)^min_expected = \d+$", "min_expected = 0", DEFAULT_PROFILE.read_text())
    p = tmp_path / "profile.toml"
    p.write_text(text)
    return p


def make_trees(tmp_path: Path) -> Trees:
    py, go = tmp_path / "py", tmp_path / "go"
    write(py, BASELINE)
    write(go, RUNTIME)
    return Trees(py=py, go=go, profile=relaxed_profile(tmp_path), cache=tmp_path / "cache")


@pytest.fixture
def trees(tmp_path: Path) -> Trees:
    return make_trees(tmp_path)

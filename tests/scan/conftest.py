"""Small baseline and runtime trees written by the tests (never copies of the real code).

``trees`` builds one baseline (``py/``) and one runtime (``go/``) laid out like the real
repositories, with one or two modules per family and per rule the units pin (a stub, a
doc-only package, a build-tagged file, a concept mismatch, an endpoint subset, an enum
parameter...), and a profile that is the shipped Agno profile with its ``min_expected``
guards set to zero.
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


def toolkit(cls: str, base: str, tools: list[str], *, extra: str = "", body: str = "'{t}'") -> str:
    """A toolkit class written in the baseline's style (tools listed in __init__)."""
    methods = "".join(f"\n    def {t}(self) -> str:\n        return {body.format(t=t)}\n" for t in tools)
    refs = ", ".join(f"self.{t}" for t in tools)
    imp = "from agno.tools import Toolkit\n" if base == "Toolkit" else ""
    return (
        f"{imp}\n\nclass {cls}({base}):\n    def __init__(\n        self,\n        **kwargs,\n    ):\n"
        f"        tools = [\n            {refs}\n        ]\n{extra}"
        f"        super().__init__(name='{cls.lower()}', tools=tools, **kwargs)\n{methods}"
    )


def go_toolkit(pkg: str, names: list[str], body: str = "return n, nil") -> str:
    """A Go toolkit that registers ``names``, each with its own handler (``h_<name>``)."""
    regs = "".join(
        f'\n\tt.RegisterFunction(&toolkit.Function{{\n\t\tName:        "{n}",\n\t\tDescription: "d",\n'
        f"\t\tHandler:     t.h_{n},\n\t}})"
        for n in names
    )
    handlers = "".join(
        f"\nfunc (t *Tools) h_{n}(ctx context.Context, args map[string]interface{{}}) (interface{{}}, error) {{\n"  # noqa: E501
        f'\tn := "{n}"\n\t{body}\n}}\n'
        for n in names
    )
    return (
        f'package {pkg}\n\nimport (\n\t"context"\n\t"net/http"\n\n\t"example.com/agnogo/pkg/agno/tools/toolkit"\n)\n\n'  # noqa: E501
        f"var _ = http.MethodGet\n\ntype Tools struct{{ *toolkit.BaseToolkit }}\n\n"
        f"func New() *Tools {{\n\tt := &Tools{{}}{regs}\n\treturn t\n}}\n{handlers}"
    )


BASELINE: dict[str, str] = {
    "libs/agno/pyproject.toml": '[project]\nname = "agno"\nversion = "9.8.7"\n',
    # --- core: fields units (Agent, Team with an enum parameter, the @tool decorator) ---
    f"{LIB}/agent/__init__.py": "from agno.agent.agent import Agent\n",
    f"{LIB}/agent/agent.py": """
        from dataclasses import dataclass
        from typing import Literal, Optional


        @dataclass(init=False)
        class Agent:
            model: Optional[str] = None

            def __init__(
                self,
                *,
                model: Optional[str] = None,
                name: Optional[str] = None,
                tools: Optional[list] = None,
                knowledge: Optional[object] = None,
                reasoning: Literal["off", "on"] = "off",
            ):
                self.model = model
    """,
    f"{LIB}/team/__init__.py": "from agno.team.team import Team\n",
    f"{LIB}/team/mode.py": """
        from enum import Enum


        class TeamMode(str, Enum):
            coordinate = "coordinate"
            broadcast = "broadcast"
    """,
    f"{LIB}/team/team.py": """
        from dataclasses import dataclass
        from typing import List, Optional

        from agno.team.mode import TeamMode


        @dataclass
        class Team:
            members: List[object]
            mode: Optional[TeamMode] = None
            respond_directly: bool = False
    """,
    f"{LIB}/memory/manager.py": """
        from dataclasses import dataclass
        from typing import Optional


        @dataclass
        class MemoryManager:
            model: Optional[object] = None
            db: Optional[object] = None
            memory_capture_instructions: Optional[str] = None
    """,
    f"{LIB}/tracing/setup.py": "def setup_tracing() -> None:\n    pass\n",
    f"{LIB}/run/base.py": """
        from dataclasses import dataclass
        from typing import Optional


        @dataclass
        class RunContext:
            run_id: str
            session_id: Optional[str] = None
    """,
    f"{LIB}/run/agent.py": """
        from dataclasses import dataclass


        @dataclass
        class RunOutput:
            content: str = ""
    """,
    f"{LIB}/cloud/aws.py": "class S3Bucket:\n    pass\n",
    f"{LIB}/db/base.py": """
        class BaseDb:
            def get_session(self):
                raise NotImplementedError

            def get_user_memories(self):
                raise NotImplementedError
    """,
    f"{LIB}/db/__init__.py": "",
    f"{LIB}/vectordb/base.py": """
        class VectorDb:
            def search(self):
                raise NotImplementedError
    """,
    f"{LIB}/tools/__init__.py": "from agno.tools.toolkit import Toolkit\n",
    f"{LIB}/tools/toolkit.py": """
        class Toolkit:
            def __init__(self, name, tools=()):
                self.tools = tools
    """,
    f"{LIB}/tools/function.py": """
        from dataclasses import dataclass
        from typing import Optional


        @dataclass
        class Function:
            name: str
            description: Optional[str] = None
    """,
    f"{LIB}/tools/decorator.py": """
        from typing import Optional


        def tool(*, name: Optional[str] = None, requires_confirmation: Optional[bool] = None):
            pass
    """,
    # --- a package no family covers and the profile does not exclude ---
    f"{LIB}/newpkg/thing.py": "class Thing:\n    pass\n",
    f"{LIB}/utils/log.py": "def log() -> None:\n    pass\n",  # excluded by the profile
    # --- model providers: capabilities ---
    f"{LIB}/models/__init__.py": "",
    f"{LIB}/models/base.py": "class Model:\n    def invoke_stream(self):\n        pass\n",
    f"{LIB}/models/openai/__init__.py": "from agno.models.openai.chat import OpenAIChat\n",
    f"{LIB}/models/openai/chat.py": """
        from agno.models.base import Model


        class OpenAIChat(Model):
            supports_native_structured_outputs: bool = True

            def invoke(self):
                pass

            def invoke_stream(self):
                pass

            def parse_tool_calls(self, data):
                pass
    """,
    f"{LIB}/models/cohere/chat.py": """
        from agno.models.base import Model


        class Cohere(Model):
            def invoke(self):
                pass

            def invoke_stream(self):
                pass
    """,
    f"{LIB}/models/google/gemini.py": "from agno.models.base import Model\n\n\nclass Gemini(Model):\n"
    "    def invoke(self):\n        pass\n",
    f"{LIB}/models/mistral/mistral.py": "class MistralChat:\n    def invoke(self):\n        pass\n",
    # --- toolkits: functions (and two capability overrides) ---
    f"{LIB}/tools/websearch.py": """
        import requests

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
                return self._get(query)

            def search_news(self, query: str) -> str:
                return query

            def _get(self, q: str) -> str:
                return requests.get(q).text
    """,
    f"{LIB}/tools/duckduckgo.py": """
        from agno.tools.websearch import WebSearchTools


        class DuckDuckGoTools(WebSearchTools):
            def __init__(self, **kwargs):
                super().__init__(backend="duckduckgo", **kwargs)
                self.duckduckgo_search = self.web_search
    """,
    f"{LIB}/tools/calculator.py": toolkit("CalculatorTools", "Toolkit", ["add", "subtract"]),
    f"{LIB}/tools/weather.py": toolkit("WeatherTools", "Toolkit", ["get_weather"], body="httpx.get('{t}')"),
    f"{LIB}/tools/eleven_labs.py": toolkit("ElevenLabsTools", "Toolkit", ["text_to_speech", "get_voices"]),
    f"{LIB}/tools/google/__init__.py": "",
    f"{LIB}/tools/google/gmail.py": toolkit("GmailTools", "Toolkit", ["send_email"]),
    f"{LIB}/tools/gmail.py": '"""Backward-compatibility stub."""\n\nfrom agno.tools.google.gmail import *\n',
    f"{LIB}/tools/python.py": toolkit("PythonTools", "Toolkit", ["run_python_code"]),
    f"{LIB}/tools/mcp/__init__.py": "from agno.tools.mcp.mcp import MCPTools\n",
    f"{LIB}/tools/mcp/mcp.py": """
        from typing import Literal, Optional

        from agno.tools import Toolkit


        class MCPTools(Toolkit):
            def __init__(
                self, transport: Optional[Literal["stdio", "sse"]] = None, include_tools=None, **kwargs
            ):
                super().__init__(name='mcp', **kwargs)

            async def call(self, session):
                return await session.call_tool("x")
    """,
    f"{LIB}/tools/api.py": """
        from typing import Literal

        from agno.tools import Toolkit


        class ApiTools(Toolkit):
            def __init__(self, **kwargs):
                super().__init__(name="api", tools=[self.make_request], **kwargs)

            def make_request(self, endpoint: str, method: Literal["GET", "POST"] = "GET") -> str:
                return endpoint
    """,
    f"{LIB}/tools/broken.py": "from agno.tools import Toolkit\n\n\nclass BrokenTools(Toolkit:\n    pass\n",
    # --- vector DBs and storage DBs: capability groups ---
    f"{LIB}/vectordb/chroma/__init__.py": "from agno.vectordb.chroma.chromadb import ChromaDb\n",
    f"{LIB}/vectordb/chroma/chromadb.py": """
        from agno.vectordb.base import VectorDb


        class ChromaDb(VectorDb):
            def create(self):
                pass

            def insert(self, docs):
                pass

            def search(self, query):
                pass
    """,
    f"{LIB}/vectordb/pgvector/pgvector.py": "class PgVector:\n    def search(self, q):\n        pass\n",
    f"{LIB}/vectordb/redis/redisdb.py": "class RedisDb:\n    def search(self, q):\n        pass\n",
    f"{LIB}/db/surrealdb/surrealdb.py": "class SurrealDb:\n    def get_session(self):\n        pass\n",
    f"{LIB}/db/sqlite/sqlite.py": """
        from agno.db.base import BaseDb


        class SqliteDb(BaseDb):
            def get_session(self):
                pass

            def upsert_session(self):
                pass

            def get_user_memories(self):
                pass
    """,
    f"{LIB}/db/in_memory/in_memory_db.py": """
        from agno.db.base import BaseDb


        class InMemoryDb(BaseDb):
            def get_session(self):
                pass
    """,
    # --- knowledge families ---
    f"{LIB}/knowledge/embedder/base.py": "class Embedder:\n    def get_embedding(self, t):\n        pass\n",
    f"{LIB}/knowledge/embedder/sentence_transformer.py": """
        from agno.knowledge.embedder.base import Embedder


        class SentenceTransformerEmbedder(Embedder):
            def get_embedding(self, text):
                pass
    """,
    f"{LIB}/knowledge/embedder/openai.py": """
        from agno.knowledge.embedder.base import Embedder


        class OpenAIEmbedder(Embedder):
            def get_embedding(self, text):
                pass

            async def async_get_embedding(self, text):
                pass
    """,
    f"{LIB}/knowledge/chunking/strategy.py": "class ChunkingStrategy:\n    def chunk(self, d):\n        pass\n",  # noqa: E501
    f"{LIB}/knowledge/chunking/fixed.py": """
        from agno.knowledge.chunking.strategy import ChunkingStrategy


        class FixedSizeChunking(ChunkingStrategy):
            def chunk(self, document):
                pass
    """,
    f"{LIB}/knowledge/chunking/document.py": """
        from agno.knowledge.chunking.strategy import ChunkingStrategy


        class DocumentChunking(ChunkingStrategy):
            def chunk(self, document):
                pass
    """,
    f"{LIB}/knowledge/chunking/semantic.py": """
        from agno.knowledge.chunking.strategy import ChunkingStrategy


        class SemanticChunking(ChunkingStrategy):
            def chunk(self, document):
                pass
    """,
    f"{LIB}/knowledge/reader/base.py": "class Reader:\n    def read(self, f):\n        pass\n",
    f"{LIB}/knowledge/reader/pdf_reader.py": """
        from agno.knowledge.reader.base import Reader


        class PDFReader(Reader):
            def read(self, f):
                pass
    """,
    f"{LIB}/knowledge/reader/text_reader.py": """
        from agno.knowledge.reader.base import Reader


        class TextReader(Reader):
            def read(self, f):
                pass

            async def async_read(self, f):
                pass
    """,
    f"{LIB}/knowledge/reranker/cohere.py": "class CohereReranker:\n    pass\n",
    f"{LIB}/knowledge/loaders/s3.py": "class S3Loader:\n    pass\n",
    f"{LIB}/reasoning/openai.py": """
        def is_openai_reasoning_model(model) -> bool:
            return True


        def get_openai_reasoning(agent, messages):
            return None
    """,
    f"{LIB}/reasoning/groq.py": "def get_groq_reasoning(agent, messages):\n    return None\n",
    f"{LIB}/reasoning/step.py": "class ReasoningStep:\n    pass\n",
    f"{LIB}/guardrails/base.py": "class BaseGuardrail:\n    pass\n",
    f"{LIB}/guardrails/prompt_injection.py": "class PromptInjectionGuardrail:\n    pass\n",
    f"{LIB}/guardrails/pii.py": "class PIIDetectionGuardrail:\n    pass\n",
    # --- AgentOS: endpoints ---
    f"{LIB}/os/app.py": """
        class AgentOS:
            def __init__(self, agents=None, teams=None, tracing: bool = False):
                self.agents = agents
    """,
    f"{LIB}/os/interfaces/a2a/a2a.py": "class A2A:\n    pass\n",
    f"{LIB}/os/interfaces/slack/router.py": """
        def attach(router):
            @router.post("/events")
            async def events():
                pass
    """,
    f"{LIB}/os/routers/agents/router.py": """
        def get_agent_router(router):
            @router.post(
                "/agents/{agent_id}/runs",
                operation_id="create_agent_run",
            )
            async def create_run(agent_id: str):
                pass

            @router.get("/agents")
            async def list_agents():
                pass

            @router.get("/agents/{agent_id}")
            async def get_agent(agent_id: str):
                pass
    """,
    f"{LIB}/os/routers/health.py": """
        def get_health_router(router, health_endpoint: str = "/health"):
            @router.get(health_endpoint, operation_id="health_check")
            async def health_check():
                pass
    """,
    # --- recipes ---
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
    "go.mod": "module example.com/agnogo\n\ngo 1.22\n",
    "CHANGELOG.md": "# Changelog\n\n## [1.4.2] - 2026-01-01\n\n- things\n\n## [1.4.1] - 2025-12-01\n",
    "pkg/agno/agent/agent.go": """
        package agent

        type ReasoningMode string

        const (
        \tReasoningOff ReasoningMode = "off"
        )

        type Config struct {
        \tModel     string
        \tName      string
        \tToolkits  []string
        \tReasoning ReasoningMode
        \tsecret    string
        }

        type Agent struct{ cfg Config }

        type RunOutput struct {
        \tContent string
        }

        func New(c Config) *Agent { return &Agent{cfg: c} }
    """,
    "pkg/agno/agent/agent_test.go": "package agent\n\nthis is not go\n",
    "pkg/agno/team/team.go": """
        package team

        type TeamMode string

        const (
        \tModeParallel  TeamMode = "parallel"
        \tModeBroadcast TeamMode = "broadcast"
        )

        type Config struct {
        \tAgents []string
        \tMode   TeamMode
        }
    """,
    "pkg/agno/run/context.go": "package run\n\ntype RunContext struct {\n\tRunID string\n}\n",
    "pkg/agno/memory/memory.go": """
        package memory

        type InMemory struct{ messages []string }

        func NewInMemory(size int) *InMemory { return &InMemory{} }

        func (m *InMemory) Add(msg string) { m.messages = append(m.messages, msg) }
    """,
    "pkg/agno/cloud/cloud.go": "package cloud\n\ntype NoopDeployer struct{}\n",
    "pkg/agno/session/storage.go": """
        package session

        import "context"

        type Storage interface {
        \tGet(ctx context.Context, id string) (string, error)
        \tCreate(ctx context.Context, id string) error
        }
    """,
    "pkg/agno/session/memory_storage.go": """
        package session

        import "context"

        type MemoryStorage struct{ m map[string]string }

        func (s *MemoryStorage) Get(ctx context.Context, id string) (string, error) { return s.m[id], nil }
    """,
    "pkg/agno/models/base.go": "package models\n\ntype Model interface {\n\tInvoke() error\n}\n",
    "pkg/agno/models/openai/openai.go": """
        package openai

        import "context"

        type OpenAI struct{}

        func (o *OpenAI) Invoke(ctx context.Context) error { return nil }

        func (o *OpenAI) InvokeStream(ctx context.Context) error {
        \tvar r struct{ ToolCalls []string }
        \t_ = r.ToolCalls
        \treturn nil
        }
    """,
    "pkg/agno/models/cohere/cohere.go": """
        package cohere

        import "context"

        type Cohere struct{}

        func (c *Cohere) Invoke(ctx context.Context) error { return nil }

        // InvokeStream sends the whole answer as one chunk.
        func (c *Cohere) InvokeStream(ctx context.Context) error { return c.Invoke(ctx) }
    """,
    "pkg/agno/models/gemini/gemini.go": "package gemini\n\ntype Gemini struct{}\n\nfunc (g Gemini) Invoke() error { return nil }\n",  # noqa: E501
    "pkg/agno/models/glm/glm.go": "package glm\n\ntype GLM struct{}\n\nfunc (g GLM) Invoke() error { return nil }\n",  # noqa: E501
    "pkg/agno/tools/toolkit/toolkit.go": """
        package toolkit

        type Function struct {
        \tName        string
        \tDescription string
        \tHandler     interface{}
        }

        type BaseToolkit struct{ name string }

        func (t *BaseToolkit) RegisterFunction(f *Function) {}
    """,
    "pkg/agno/tools/search/search.go": go_toolkit("search", ["search"], "resp, err := http.Get(n)\n\treturn resp, err"),  # noqa: E501
    "pkg/agno/tools/calculator/calculator.go": go_toolkit("calculator", ["add", "subtract"]),
    "pkg/agno/tools/weather/weather.go": go_toolkit("weather", ["get_weather"], 'return map[string]string{"temp": "20"}, nil'),  # noqa: E501
    "pkg/agno/tools/websearch/websearch.go": go_toolkit(
        "websearch", ["web_search"],
        '// This is a placeholder implementation.\n\treturn map[string]string{"url": "https://example.com/" + n}, nil',  # noqa: E501
    ),
    "pkg/agno/tools/elevenlabs/elevenlabs.go": go_toolkit(
        "elevenlabs", ["generate_speech", "get_voices", "clone"], "resp, err := http.Get(n)\n\treturn resp, err"  # noqa: E501
    ),
    "pkg/agno/tools/gmail/gmail.go": go_toolkit("gmail", ["send_email"], "resp, err := http.Get(n)\n\treturn resp, err"),  # noqa: E501
    "pkg/agno/tools/http/http.go": go_toolkit("http", ["http_get"], "resp, err := http.Get(n)\n\treturn resp, err"),  # noqa: E501
    "pkg/agno/tools/broken/broken.go": "package broken\n\ntype Tools struct{}\n\nfunc Broken( {\n",
    "pkg/agno/mcp/client/stdio.go": "package client\n\ntype StdioTransport struct{}\n",
    "pkg/agno/mcp/toolkit/toolkit.go": """
        package toolkit

        type Config struct {
        \tIncludeTools []string
        }

        type MCPToolkit struct{}
    """,
    "pkg/agno/vectordb/base.go": """
        package vectordb

        import "context"

        type VectorDB interface {
        \tQuery(ctx context.Context, q string) error
        }
    """,
    "pkg/agno/vectordb/chromadb/chromadb.go": """
        package chromadb

        import "context"

        type ChromaDB struct{}

        func (c *ChromaDB) CreateCollection(ctx context.Context, name string) error { return nil }

        func (c *ChromaDB) Add(ctx context.Context, docs []string) error { return nil }

        func (c *ChromaDB) Query(ctx context.Context, q string) error { return nil }
    """,
    "pkg/agno/vectordb/pgvector/doc.go": "// Package pgvector will hold a PgVector store.\npackage pgvector\n",  # noqa: E501
    "pkg/agno/vectordb/redisdb/redis.go": """
        //go:build redis

        package redisdb

        import "context"

        type RedisDB struct{}

        func (r *RedisDB) Query(ctx context.Context, q string) error { return nil }
    """,
    "pkg/agno/db/surreal/surreal.go": """
        package surreal

        import "context"

        type Store struct{}

        func (s *Store) Get(ctx context.Context, id string) error { return nil }
    """,
    "pkg/agno/db/sqlite/storage.go": """
        package sqlite

        import "context"

        type Storage struct{}

        func (s *Storage) Create(ctx context.Context, id string) error { return nil }

        func (s *Storage) Get(ctx context.Context, id string) error { return nil }
    """,
    "pkg/agno/embeddings/sentencetransformer/st.go": """
        package sentencetransformer

        import "context"

        type Embedder struct{}

        func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) { return nil, nil }
    """,
    "pkg/agno/knowledge/chunker.go": """
        package knowledge

        type Chunker interface{ Chunk(d string) []string }

        type CharacterChunker struct{}

        func (c *CharacterChunker) Chunk(d string) []string { return nil }

        type ParagraphChunker struct{}

        func (c *ParagraphChunker) Chunk(d string) []string { return nil }

        type SentenceChunker struct{}

        func (c *SentenceChunker) Chunk(d string) []string { return nil }
    """,
    "pkg/agno/knowledge/document.go": """
        package knowledge

        type TextLoader struct{ path string }

        func NewTextLoader(p string) *TextLoader { return &TextLoader{path: p} }

        func (l *TextLoader) Load() ([]string, error) { return nil, nil }
    """,
    "pkg/agno/reasoning/openai/detector.go": """
        package openai

        import "context"

        type Detector struct{}

        func (d *Detector) IsReasoningModel(m string) bool { return true }

        type Extractor struct{}

        func (e *Extractor) Extract(ctx context.Context, r string) (string, error) { return r, nil }
    """,
    "pkg/agno/guardrails/base.go": "package guardrails\n\ntype Guardrail interface{}\n",
    "pkg/agno/guardrails/prompt_injection.go": "package guardrails\n\ntype PromptInjectionGuardrail struct{}\n",  # noqa: E501
    "pkg/agentos/server.go": """
        package agentos

        import "github.com/gin-gonic/gin"

        type Config struct {
        \tPrefix string
        }

        type Server struct {
        \trouter *gin.Engine
        \tconfig Config
        }

        func (s *Server) RegisterAgent(id string) error { return nil }

        func (s *Server) routes() {
        \tbase := s.router.Group(s.config.Prefix)
        \tif group := s.healthGroup(); group != nil {
        \t\tgroup.GET("", s.handleHealth)
        \t}
        \tv1 := base.Group("/api/v1")
        \t{
        \t\tagents := v1.Group("/agents")
        \t\tagents.GET("", s.handleListAgents)
        \t\tagents.POST("/:id/run", s.handleAgentRun)
        \t\tagents.POST("/:id/run/stream", s.handleAgentRun)
        \t}
        }

        func (s *Server) healthGroup() *gin.RouterGroup { return s.router.Group("/health") }

        func (s *Server) handleHealth(c *gin.Context) {}

        func (s *Server) handleListAgents(c *gin.Context) {}

        func (s *Server) handleAgentRun(c *gin.Context) {}
    """,
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
    text = re.sub(r"(?m)^min_expected = \d+", "min_expected = 0", DEFAULT_PROFILE.read_text())
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

"""Rules added by the audit of the Go-ready claims, each pinned on a small tree written here.

Library side (``assemble``): a file belongs to the module whose path holds it most closely.
Units (``units``, ``stubs``): a container parameter's enum members are no units; an alias falls back
to the plain name; a method that only calls an interface no runtime type implements is a stub.
Recipes (``recipes``, ``cookbook``, ``exports``): the rules 4b, 5, 6, 7b to 7f of the recipes
module docstring (imports the baseline does not have, integrations, ancestor folders, unmeasured
names, keywords followed to a base class or to the Go config, implied defaults, dict built-in
tools, methods and attributes of instances).
"""

from __future__ import annotations

import re
import textwrap

import msgspec
import pytest

from matrix.model import Coverage, GoRef, Recipe, Status, Unit, UnitKind, UnitState
from matrix.profiles import load_profile
from matrix.sources.scan import cookbook, exports, go, python
from matrix.sources.scan.assemble import Inputs, _own_files, _PyMod, _title
from matrix.sources.scan.facts import DEEP, Use
from matrix.sources.scan.recipes import recipes
from matrix.sources.scan.rules import GoRules
from matrix.sources.scan.stubs import Packages, verdict
from matrix.sources.scan.units import _CONTAINER, _lookup
from tests.factories import module

P, M = UnitState.PORTED, UnitState.MISSING

# --------------------------------------------------------------------------- library side


def test_a_file_belongs_to_the_module_that_names_it_most_closely() -> None:
    fam = load_profile().family("models")
    assert fam is not None
    folder = _PyMod(fam, "openai", ["models/openai"], ["models/openai/chat.py", "models/openai/responses.py"])
    responses = _PyMod(
        fam, "openai_responses", ["models/openai/responses.py"], ["models/openai/responses.py"]
    )
    core = _PyMod(fam, "knowledge", ["knowledge"], ["knowledge/knowledge.py", "knowledge/embedder/x.py"])
    embedder = _PyMod(fam, "x", ["knowledge/embedder/x.py"], ["knowledge/embedder/x.py"])
    _own_files([folder, responses, core, embedder])
    assert folder.files == ["models/openai/chat.py"]
    assert responses.files == ["models/openai/responses.py"]
    assert core.files == ["knowledge/knowledge.py"]
    assert embedder.files == ["knowledge/embedder/x.py"]


# --------------------------------------------------------------------------- units and stubs


@pytest.mark.parametrize(
    ("annotation", "container"),
    [
        ("Optional[List[RunEvent]]", True),
        ("List[Union[RunEvent, TeamRunEvent]]", True),
        ("dict", True),
        ("Optional[TeamMode]", False),
        ('Literal["json", "yaml"]', False),
        ("Listing", False),
    ],
)
def test_a_container_parameter_has_no_unit_per_enum_member(annotation: str, container: bool) -> None:
    assert bool(_CONTAINER.match(annotation)) is container


def test_an_alias_falls_back_to_the_name() -> None:
    """``Team.mode=broadcast`` aliased to ``leader_follower``: the name still matches."""
    assert (
        _lookup("broadcast", "leader_follower", {"leader_follower": 1, "broadcast": 2}) == "leader_follower"
    )
    assert _lookup("broadcast", "leader_follower", {"broadcast": 2}) == "broadcast"
    assert _lookup("broadcast", "leader_follower", {"sequential": 2}) is None


GO_RULES = GoRules(
    io=re.compile(r"^http\.Get$|(?<![oO]nce)\.Do$"),
    stub=re.compile(r"\bmock\b", re.I),
    canned=None,
)

ENCODER = """package st

type Encoder interface {
\tEncode(texts []string) [][]float32
}

type Embedder struct {
\tonce  sync.Once
\tmodel Encoder
}

func (e *Embedder) ensure() { e.once.Do(func() {}) }

func (e *Embedder) Embed(texts []string) [][]float32 {
\te.ensure()
\treturn e.model.Encode(texts)
}
"""


@pytest.mark.parametrize(
    ("implementation", "expected"),
    [
        ("", "only calls Encoder.Encode, which no type of the runtime implements (the program supplies it)"),
        (
            "package other\n\ntype Local struct{}\n\n"
            "func (l *Local) Encode(t []string) [][]float32 { return nil }\n",
            None,
        ),
    ],
    ids=["no-implementation", "implemented-elsewhere"],
)
def test_a_method_calling_only_an_unimplemented_interface_is_a_stub(
    implementation: str, expected: str | None
) -> None:
    files = {"st/st.go": go.extract(ENCODER.encode(), GO_RULES)}
    if implementation:
        files["other/other.go"] = go.extract(implementation.encode(), GO_RULES)
    pkgs = Packages(files, list(files))
    embed = next(f for f in files["st/st.go"].funcs if f.name == "Embed")
    ensure = next(f for f in files["st/st.go"].funcs if f.name == "ensure")
    assert not ensure.io  # sync.Once's Do calls nothing out
    assert verdict(embed, "st", pkgs) == expected


def test_shipped_io_rule_does_not_take_once_do_for_a_call_out() -> None:
    rx = [re.compile(r) for r in load_profile().rules.go.io]
    assert any(r.search("client.Do") for r in rx)
    assert not any(r.search("e.once.Do") for r in rx)


# --------------------------------------------------------------------------- recipes

LIBRARY = {
    "agent/__init__.py": "from agno.agent.agent import Agent\nfrom agno.run.agent import RunOutput\n",
    "agent/agent.py": "class Agent:\n"
    "    def __init__(self, model=None, tools=None, markdown=False):\n        pass\n",
    "run/__init__.py": "",
    "run/agent.py": "class RunOutput:\n    pass\n\n\nclass RunEvent:\n    pass\n",
    "team/__init__.py": "from .team import Team\nfrom .mode import TeamMode\n",
    "team/team.py": "class Team:\n    pass\n",
    "team/mode.py": "from enum import Enum\n\n\nclass TeamMode(str, Enum):\n    tasks = 'tasks'\n",
    "eval/__init__.py": "from agno.eval.suite import Case, cli\n",
    "eval/suite.py": "class Case:\n    pass\n\n\ndef cli(cases):\n    pass\n",
    "models/base.py": "class Model:\n    retries: int = 0\n",
    "models/openai/__init__.py": "from agno.models.openai.chat import OpenAIChat\n"
    "from agno.models.openai.responses import OpenAIResponses\n",
    "models/openai/chat.py": "from agno.models.base import Model\n\n\nclass OpenAIChat(Model):\n"
    "    temperature = None\n",
    "models/openai/responses.py": "from agno.models.base import Model\n\n\n"
    "class OpenAIResponses(Model):\n    pass\n",
    "models/anthropic/__init__.py": "from agno.models.anthropic.claude import Claude\n",
    "models/anthropic/claude.py": "from agno.models.base import Model\n\n\nclass Claude(Model):\n"
    "    betas = None\n",
    "models/groq/__init__.py": "from agno.models.groq.groq import Groq\n",
    "models/groq/groq.py": "from agno.models.openai.chat import OpenAIChat\n\n\n"
    "class Groq(OpenAIChat):\n    pass\n",
    "vectordb/mongodb/__init__.py": "from agno.vectordb.mongodb.mongodb import MongoDb\n\n"
    "MongoVectorDb = MongoDb\n",
    "vectordb/mongodb/mongodb.py": "class MongoDb:\n    pass\n",
    "tracing/__init__.py": "def setup_tracing():\n    pass\n",
    "utils/log.py": "logger = None\n",
    "utils/http.py": "def set_default_sync_client(c):\n    pass\n",
}

DOTTED = {
    "agno.agent": "core.agent",
    "agno.run": "core.run",
    "agno.team": "core.team",
    "agno.eval": "core.eval",
    "agno.models.base": "core.model",
    "agno.models.openai": "models.openai",
    "agno.models.openai.responses": "models.openai_responses",
    "agno.models.anthropic": "models.anthropic",
    "agno.models.groq": "models.groq",
    "agno.vectordb.mongodb": "vectordb.mongodb",
    "agno.tracing": "core.tracing",
}


def fields(*units: tuple[str, UnitState]) -> Coverage:
    us = tuple(Unit(name=n, state=s) for n, s in units)
    return Coverage(
        kind=UnitKind.FIELDS,
        ported=sum(u.state is P for u in us),
        total=len(us),
        missing=tuple(u.name for u in us if u.state is M),
        units=us,
    )


MODULES = [
    module(
        "core.agent",
        Status.PARTIAL,
        go=GoRef(package="pkg/agent"),
        coverage=fields(("Agent.model", P), ("Agent.tools", P), ("Agent.markdown", M)),
    ),
    module("core.run", Status.PARTIAL, coverage=fields(("RunOutput.content", P), ("RunOutput.metrics", M))),
    module("core.team", Status.PARTIAL, coverage=fields(("Team.mode", P), ("Team.mode=tasks", M))),
    module("core.eval", Status.PARTIAL, coverage=fields(("AccuracyEval.input", P))),
    module("core.model", Status.PARTIAL, coverage=fields(("Model.id", P), ("Model.retries", M))),
    module("core.tracing", Status.NOT_MIGRATED),
    module("models.openai", Status.PARTIAL),
    module("models.openai_responses", Status.NOT_MIGRATED),
    module("models.anthropic", Status.PARTIAL, go=GoRef(package="pkg/models/anthropic")),
    module("models.groq", Status.MIGRATED, go=GoRef(package="pkg/models/groq")),
    module("vectordb.mongodb", Status.NOT_MIGRATED),
]

GO = {
    "pkg/agent/agent.go": "package agent\n\ntype Config struct{ UserID string }\n\ntype Agent struct{}\n\n"
    "func (a *Agent) Run(input string) error { return nil }\n\n"
    "func (a *Agent) RunStream(input string) error { return nil }\n",
    "pkg/models/anthropic/config/config.go": "package anthropic\n\ntype Config struct {\n"
    "\tAPIKey string\n\tBetas  []string\n}\n",
    "pkg/models/groq/groq.go": "package groq\n\ntype Config struct{ APIKey string }\n",
}


def scan(cook: dict[str, str], *, integrations: dict[str, str] | None = None) -> dict[str, Recipe]:
    py = {
        rel: python.extract(textwrap.dedent(src).encode(), deep=DEEP, init=rel.endswith("__init__.py"))
        for rel, src in LIBRARY.items()
    }
    rc = {f"cookbook/{rel}": cookbook.extract(textwrap.dedent(src).encode()) for rel, src in cook.items()}
    gofacts = {rel: go.extract(src.encode()) for rel, src in GO.items()}
    prof = msgspec.structs.replace(
        load_profile(),
        neutral=("agno.utils.log",),
        examples=(),
        integrations=integrations
        if integrations is not None
        else {"agentops": "core.tracing", "composio_agno": ""},
    )
    inp = Inputs(
        profile=prof, py=py, recipes=rc, go=gofacts, go_examples=frozenset(), python_root="py", go_root="go"
    )
    out, _ = recipes(inp, DOTTED, {}, MODULES, [])
    return {r.path.removeprefix("cookbook/"): r for r in out}


def one(source: str) -> Recipe:
    return scan({"s/r.py": source})["s/r.py"]


def blockers(r: Recipe) -> dict[str, tuple[str, ...]]:
    return {"modules": r.blocked_by, "features": r.blocked_by_features, "unmapped": r.unmapped}


def expect(
    modules: tuple[str, ...] = (), features: tuple[str, ...] = (), unmapped: tuple[str, ...] = ()
) -> dict[str, tuple[str, ...]]:
    return {"modules": modules, "features": features, "unmapped": unmapped}


OK = (
    "from agno.agent import Agent\nfrom agno.models.openai import OpenAIChat\n\n"
    "agent = Agent(model=OpenAIChat())\n"
)

RULES = [
    pytest.param(  # rule 5: a name the package neither defines nor exports: the import fails in Python
        "from agno.models.openai import OpenAIChatty\n",
        expect(unmapped=("agno.models.openai.OpenAIChatty",)),
        id="absent-name",
    ),
    pytest.param(  # ... while an alias assignment in the package's __init__ is followed (exports.py)
        "from agno.vectordb.mongodb import MongoVectorDb\n",
        expect(modules=("vectordb.mongodb",)),
        id="alias-assignment",
    ),
    pytest.param(  # rule 5: a non-neutral helper beside a neutral one is named precisely
        OK + "from agno.utils.http import set_default_sync_client\nfrom agno.utils.log import logger\n",
        expect(unmapped=("agno.utils.http",)),
        id="unmapped-beside-neutral",
    ),
    pytest.param(  # rule 4b: a third-party package that instruments the baseline uses its module
        OK + "import agentops\n\nagentops.init()\n",
        expect(modules=("core.tracing",)),
        id="integration-module",
    ),
    pytest.param(  # rule 4b: ... or blocks by itself when no module stands for it
        OK + "from composio_agno import ComposioToolSet\n",
        expect(unmapped=("composio_agno",)),
        id="integration-unmapped",
    ),
    pytest.param(  # rule 7b: a class of a fields module that no unit measures
        OK + "from agno.eval import Case, cli\n\nCase(agent=agent)\ncli([])\n",
        expect(features=("Case", "cli")),
        id="unmeasured-names",
    ),
    pytest.param(  # rule 7b: an enum whose members are units, and a declared class, are measured
        "from agno.team import Team, TeamMode\nfrom agno.models.openai import OpenAIChat\n\n"
        "Team(model=OpenAIChat(), mode=TeamMode.tasks)\n",
        expect(features=("Team.mode=tasks",)),
        id="enum-is-measured",
    ),
    pytest.param(  # rule 7c: a keyword of a provider class is the unit of the base class declaring it
        "from agno.agent import Agent\nfrom agno.models.groq import Groq\n\nAgent(model=Groq(retries=3))\n",
        expect(features=("Model.retries",)),
        id="inherited-keyword",
    ),
    pytest.param(  # rule 7c: a class's own keyword, found in its Go Config (in a package below the module's)
        "from agno.agent import Agent\nfrom agno.models.anthropic import Claude\n\n"
        "Agent(model=Claude(betas=['x']))\n",
        expect(),
        id="config-keyword-in-go",
    ),
    pytest.param(  # rule 7c: ... not found there
        "from agno.agent import Agent\nfrom agno.models.groq import Groq\n\n"
        "Agent(model=Groq(temperature=0.1))\n",
        expect(features=("Groq.temperature",)),
        id="config-keyword-missing",
    ),
    pytest.param(  # rule 7d: a call that leaves the model out runs on the baseline's default model
        "from agno.agent import Agent\n\nagent = Agent(model=None)\n",
        expect(modules=("models.openai_responses",)),
        id="implied-default",
    ),
    pytest.param(  # rule 7e: a dict where Go takes typed values
        OK + "Agent(model=OpenAIChat(), tools=[{'type': 'browser_search'}])\n",
        expect(features=("Agent.tools=dict",)),
        id="dict-builtin-tool",
    ),
    pytest.param(  # rule 7f: methods called on an instance, with the profile's Go spellings
        OK + "agent.print_response('hi', stream=True, markdown=True)\nagent.run('x', images=[1])\n",
        expect(features=("Agent.run(images)",)),
        id="instance-methods",
    ),
    pytest.param(  # rule 7f: a method with no Go counterpart
        OK + "agent.continue_run(run_id='r')\n",
        expect(features=("Agent.continue_run()", "Agent.continue_run(run_id)")),
        id="instance-method-missing",
    ),
    pytest.param(  # rule 7f: attributes of an instance found through isinstance and a plain assignment
        OK
        + "from agno.agent import RunOutput\n\nfor e in agent.run('x'):\n    if isinstance(e, RunOutput):\n"
        "        response = e\nprint(response.metrics.duration, response.content)\n",
        expect(features=("RunOutput.metrics",)),
        id="instance-attributes",
    ),
    pytest.param(  # a recipe's own subclass passes its keywords to the imported class
        OK + "class MyAgent(Agent):\n    pass\n\n\nMyAgent(model=OpenAIChat(), markdown=True)\n",
        expect(features=("Agent.markdown",)),
        id="local-subclass",
    ),
]


@pytest.mark.parametrize(("source", "expected"), RULES)
def test_rule(source: str, expected: dict[str, tuple[str, ...]]) -> None:
    assert blockers(one(source)) == expected


def test_ported_features_are_listed_too() -> None:
    r = one(OK + "agent.print_response('hi', stream=True)\n")
    assert r.go_ready
    assert r.features == ("Agent.model", "Agent.print_response()", "Agent.print_response(stream)")


def test_local_imports_from_a_folder_above() -> None:
    """Rule 6: a package run as ``python -m evals`` from ``demo`` imports ``agents.x`` and ``db``."""
    found = scan(
        {
            "demo/db.py": "from agno.eval import Case\n",
            "demo/agents/guard.py": "from agno.vectordb.mongodb import MongoDb\n",
            "demo/evals/cases.py": "from agents.guard import x\nfrom db import get_db\n"
            "from agno.agent import Agent\n"
            "Agent(model=None)\n",
            "other/db.py": "from agno.agent import Agent\n",
        }
    )
    cases = found["demo/evals/cases.py"]
    assert cases.local == ("cookbook/demo/agents/guard.py", "cookbook/demo/db.py")
    assert blockers(cases) == expect(
        modules=("models.openai_responses", "vectordb.mongodb"), features=("Case",)
    )


def test_alias_exports() -> None:
    table = exports.extract(b"from agno.x.y import A\n\nB = A\nC = undefined\n")
    assert table == (("A", "agno.x.y.A"), ("B", "agno.x.y.A"))


@pytest.mark.parametrize(
    ("source", "uses", "attrs"),
    [
        (  # a dict literal (or a list starting with one) is recorded as {}
            "from agno.agent import Agent\nAgent(tools=[\n    {'type': 't'}\n], x={'a': 1}, y=[1])\n",
            (
                Use("agno.agent.Agent"),
                Use("agno.agent.Agent", "tools", "{}"),
                Use("agno.agent.Agent", "x", "{}"),
                Use("agno.agent.Agent", "y"),
            ),
            (),
        ),
        (  # instances: an assignment of a call, an annotation, a copy; a name bound to two classes is not
            "from agno.agent import Agent, RunOutput\nfrom agno.team import Team\n"
            "a = Agent()\nout: RunOutput = a.run('x')\nout.content\nt = Agent()\nt = Team()\nt.run()\n"
            "b = a\nb.arun(stream=True)\nc = a.run('y')\n",  # a plain copy holds the same instance
            (Use("agno.agent.Agent"), Use("agno.agent.Agent().run"), Use("agno.team.Team"),
             Use("agno.agent.Agent().arun"), Use("agno.agent.Agent().arun", "stream")),
            ("agno.agent.RunOutput().content",),
        ),
        (  # a recipe's subclass: its calls are the base class's; its instances are the recipe's code
            "from agno.tools import Toolkit\nclass T(Toolkit):\n    pass\n"
            "t = T(include_tools=['a'])\nt.mine()\n",
            (Use("agno.tools.Toolkit"), Use("agno.tools.Toolkit", "include_tools")),
            (),
        ),
        (  # no chain and no call after a name: only an instance can come of it
            "from agno.agent import Agent, RunOutput\n"
            "def f(r: RunOutput):\n    r.content\n"
            "if isinstance(e, RunOutput):\n    e.status\n"
            "x: Optional[RunOutput] = None\nx.metrics\n"
            "a = Agent()\na .run(stream=True)\nkinds = [Agent, RunOutput]\nlast = Agent",
            (Use("agno.agent.Agent"), Use("agno.agent.Agent().run"), Use("agno.agent.Agent().run", "stream")),
            ("agno.agent.RunOutput().content", "agno.agent.RunOutput().status",
             "agno.agent.RunOutput().metrics"),
        ),
        (  # a copy: `<name> = <var>` or `<name> =<var>` ending its line (blanks after it)
            "from agno.agent import Agent\na = Agent()\nb = a\nc =a\nd =  a\ne = a \t\r\nf = a.run\nx == a\n"
            "b.arun()\nc.print_response()\nd.nope()\ne.continue_run()\ng = a",
            (Use("agno.agent.Agent"), Use("agno.agent.Agent().arun"),
             Use("agno.agent.Agent().print_response"), Use("agno.agent.Agent().continue_run")),
            ("agno.agent.Agent().run",),
        ),
    ],
    ids=["dict-values", "instances", "subclass", "no-chain", "copies"],
)
def test_cookbook_uses(source: str, uses: tuple[Use, ...], attrs: tuple[str, ...]) -> None:
    rf = cookbook.extract(source.encode())
    assert (set(rf.uses), set(rf.attrs)) == (set(uses), set(attrs))


def test_shipped_profile_declares_the_audited_boundaries() -> None:
    """The boundaries the audit found, as profile data (not as special cases in the engine)."""
    prof = load_profile()
    models, core, os_ = prof.family("models"), prof.family("core"), prof.family("os")
    assert models is not None and core is not None and os_ is not None
    assert models.modules["openai_responses"].python == (
        "models/openai/responses.py",
        "models/openai/open_responses.py",
    )
    assert "agent/remote.py" in os_.modules["remote"].python
    assert core.modules["agent"].python == ("agent",) and core.modules["agents"].python == ("agents",)
    assert core.modules["agent"].classes[0].implied == {"model": "agno.models.openai.OpenAIResponses"}
    assert all(not c.go for c in core.modules["media"].classes)
    assert models.config_types == ("Config",)
    assert prof.integrations["agentops"] == "core.tracing"


@pytest.mark.parametrize(
    ("name", "symbols", "title"),
    [
        ("evals", ["EvalRunInput", "EvalSchema"], "Evals"),  # not "EvalS"
        ("approvals", ["ApprovalResolve"], "Approvals"),
        ("duckduckgo", ["DuckDuckGoTools"], "DuckDuckGo"),
        ("pdf", ["PDFReader"], "PDF"),
        ("openai", ["OpenAIChat"], "OpenAI"),
        ("pd", ["PDFReader"], "Pd"),  # inside an acronym
        ("google_drive", ["GoogleDriveTools"], "Google Drive"),
        ("x2", ["X2Tools"], "X2"),
    ],
)
def test_title_takes_whole_words_of_a_class_name(name: str, symbols: list[str], title: str) -> None:
    assert _title(name, symbols) == title

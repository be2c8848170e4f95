"""Recipe readiness (scan/recipes.py), with the facts it reads (scan/cookbook.py, scan/exports.py).

Each rule of the recipes module docstring has a row here. The library and the recipes are small
trees written below (never the real code); the modules carry measured units the way the core
modules do (``Agent.output_schema``, ``Team.mode=tasks``, ``tool(requires_confirmation)``).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import msgspec
import pytest

from matrix.errors import UsageError
from matrix.model import Coverage, Module, Recipe, Status, Unit, UnitKind, UnitState
from matrix.profiles import load_profile
from matrix.sources.scan import cookbook, exports, python
from matrix.sources.scan.assemble import Inputs
from matrix.sources.scan.facts import Use
from matrix.sources.scan.recipes import recipes
from tests.factories import module

LIBRARY = {
    "agent/__init__.py": "from agno.agent.agent import Agent\n",
    "agent/agent.py": "class Agent:\n"
    "    def __init__(self, model=None, output_schema=None, markdown=False):\n"
    "        pass\n",
    "team/__init__.py": "from .team import Team\nfrom .mode import TeamMode\n",
    "team/team.py": "class Team:\n    pass\n",
    "team/mode.py": "from enum import Enum\n\n\nclass TeamMode(str, Enum):\n    tasks = 'tasks'\n"
    "    route = 'route'\n",
    "tools/__init__.py": "from agno.tools.decorator import tool\nfrom agno.tools.toolkit import Toolkit\n",
    "tools/decorator.py": "def tool(*args, **kwargs):\n    pass\n",
    "tools/toolkit.py": "class Toolkit:\n    pass\n",
    "tools/old_name.py": "from agno.tools.toolkit import *\n",  # a re-export stub
    "db/__init__.py": textwrap.dedent('''
        from agno.db.base import BaseDb


        def __getattr__(name: str):
            """Lazy: importing agno.db must not need boto3."""
            if name == "DynamoDb":
                from agno.db.dynamo import DynamoDb

                return DynamoDb
            raise AttributeError(name)
    '''),
    "db/base.py": "class BaseDb:\n    pass\n",
    "db/dynamo/__init__.py": "from agno.db.dynamo.dynamo import DynamoDb\n",
    "db/dynamo/dynamo.py": "class DynamoDb:\n    pass\n",
    "eval/__init__.py": textwrap.dedent("""
        def __getattr__(name):
            if name in ("AccuracyEval", "AccuracyResult"):
                from agno.eval import accuracy

                return getattr(accuracy, name)
            raise AttributeError(name)
    """),
    "eval/accuracy.py": "class AccuracyEval:\n    pass\n",
    "guardrails/pii.py": "class PIIDetectionGuardrail:\n    pass\n",
    "environments/__init__.py": "class Environment:\n    pass\n",
    "utils/log.py": "logger = None\n",
}

DOTTED = {  # what assemble() derives from the modules' baseline paths
    "agno.agent": "core.agent",
    "agno.team": "core.team",
    "agno.tools.decorator": "core.toolkit",
    "agno.tools.toolkit": "core.toolkit",
    "agno.tools": "core.toolkit",
    "agno.db": "core.db",
    "agno.db.base": "core.db",
    "agno.db.dynamo": "db.dynamo",
    "agno.eval": "core.eval",
    "agno.eval.accuracy": "evals.accuracy",
    "agno.guardrails.pii": "guardrails.pii",
}


def fields(*units: tuple[str, UnitState]) -> Coverage:
    us = tuple(Unit(name=n, state=s) for n, s in units)
    return Coverage(
        kind=UnitKind.FIELDS,
        ported=sum(u.state is UnitState.PORTED for u in us),
        total=len(us),
        missing=tuple(u.name for u in us if u.state is UnitState.MISSING),
        stubs=tuple(u.name for u in us if u.state is UnitState.STUB),
        units=us,
    )


P, M, S = UnitState.PORTED, UnitState.MISSING, UnitState.STUB
MODULES = [
    module(
        "core.agent", coverage=fields(("Agent.model", P), ("Agent.output_schema", M), ("Agent.markdown", M))
    ),
    module("core.team", coverage=fields(("Team.mode", P), ("Team.mode=route", P), ("Team.mode=tasks", M))),
    module(
        "core.toolkit",
        coverage=fields(("Toolkit.name", P), ("tool(name)", P), ("tool(requires_confirmation)", S)),
    ),
    module("core.db"),
    module("db.dynamo", Status.NOT_MIGRATED),
    module("core.eval"),
    module("evals.accuracy", Status.NOT_MIGRATED),
    module("guardrails.pii", Status.NOT_MIGRATED),
]


def scan(
    cook: dict[str, str], *, mods: list[Module] = MODULES, neutral: tuple[str, ...] = ("agno.utils",)
) -> tuple[dict[str, Recipe], int]:
    py = {
        rel: python.extract(textwrap.dedent(src).encode(), deep=False, init=rel.endswith("__init__.py"))
        for rel, src in LIBRARY.items()
    }
    rc = {f"cookbook/{rel}": cookbook.extract(textwrap.dedent(src).encode()) for rel, src in cook.items()}
    prof = msgspec.structs.replace(load_profile(), neutral=neutral, examples=())
    inp = Inputs(
        profile=prof, py=py, recipes=rc, go={}, go_examples=frozenset(), python_root="py", go_root="go"
    )
    out, skipped = recipes(inp, DOTTED, {}, mods, [])
    return {r.path.removeprefix("cookbook/"): r for r in out}, skipped


def one(source: str, **kw: object) -> Recipe:
    found, _ = scan({"r.py": source}, **kw)  # type: ignore[arg-type]
    return found["r.py"]


def summary(r: Recipe) -> dict[str, object]:
    return {
        "go_ready": r.go_ready,
        "modules": r.modules,
        "blocked_by": r.blocked_by,
        "features": r.features,
        "blocked_by_features": r.blocked_by_features,
        "unmapped": r.unmapped,
    }


def expect(modules: tuple[str, ...] = ("core.agent",), **kw: object) -> dict[str, object]:
    out: dict[str, object] = {
        "modules": modules,
        "blocked_by": (),
        "features": (),
        "blocked_by_features": (),
        "unmapped": (),
    }
    out.update(kw)
    out["go_ready"] = not (out["blocked_by"] or out["blocked_by_features"] or out["unmapped"])
    return {
        k: out[k]
        for k in ("go_ready", "modules", "blocked_by", "features", "blocked_by_features", "unmapped")
    }


RULES = [
    pytest.param(  # rule 1: a docstring shows code, it imports nothing
        '''
        """Agent with tools.

        More tools:
            from agno.guardrails.pii import PIIDetectionGuardrail
            @tool(requires_confirmation=True)
        """
        from agno.agent import Agent

        agent = Agent(model=None)
        ''',
        expect(),
        id="docstring-imports-nothing",
    ),
    pytest.param(  # rule 1: nor does a comment or a plain string
        "from agno.agent import Agent\n# from agno.db import DynamoDb\nx = 'Agent(output_schema=1)'\n",
        expect(),
        id="comment-and-string",
    ),
    pytest.param(  # rule 2: a lazy __getattr__ re-export is the module that defines the class
        "from agno.agent import Agent\nfrom agno.db import DynamoDb\n",
        expect(("core.agent", "db.dynamo"), blocked_by=("db.dynamo",)),
        id="lazy-getattr-reexport",
    ),
    pytest.param(  # rule 2: `return getattr(module, name)` branches, `name in (...)` tests
        "from agno.eval import AccuracyEval\n\nAccuracyEval()\n",
        expect(("evals.accuracy",), blocked_by=("evals.accuracy",)),
        id="lazy-getattr-module-table",
    ),
    pytest.param(  # rule 2: a name the package defines itself stays with it
        "from agno.db import BaseDb\n",
        expect(("core.db",)),
        id="package-name",
    ),
    pytest.param(  # rule 2: relative re-exports (`from .team import Team`)
        "from agno.team import Team\n\nTeam()\n",
        expect(("core.team",)),
        id="relative-reexport",
    ),
    pytest.param(  # rule 2: a re-export stub follows the module it re-exports
        "from agno.tools.old_name import Toolkit\n",
        expect(("core.toolkit",)),
        id="stub",
    ),
    pytest.param(  # rule 5: an import that maps to no module blocks and says so
        "from agno.agent import Agent\nfrom agno.environments import Environment\n",
        expect(unmapped=("agno.environments",)),
        id="unmapped",
    ),
    pytest.param(  # rule 5: a package the library does not have at all
        "from agno.agent import Agent\nfrom agno.nowhere.deep import Thing\n",
        expect(unmapped=("agno.nowhere",)),
        id="unmapped-missing-package",
    ),
    pytest.param(  # rule 4: neutral helpers neither map nor block
        "from agno.agent import Agent\nfrom agno.utils.log import logger\n\nlogger.info('x')\n",
        expect(),
        id="neutral",
    ),
    pytest.param(  # rule 7: a keyword on a core class whose unit is missing
        "from agno.agent import Agent\n\nAgent(model=m, output_schema=Report)\n",
        expect(features=("Agent.model", "Agent.output_schema"), blocked_by_features=("Agent.output_schema",)),
        id="constructor-keyword",
    ),
    pytest.param(  # rule 7: the class is resolved through the recipe's own alias
        "from agno.agent import Agent as A\n\nA(\n    # a comment\n    output_schema=Report,\n)\n",
        expect(features=("Agent.output_schema",), blocked_by_features=("Agent.output_schema",)),
        id="alias",
    ),
    pytest.param(  # rule 7: None / False ask for nothing
        "from agno.agent import Agent\n\nAgent(model=m, markdown=False, output_schema=None)\n",
        expect(features=("Agent.model",)),
        id="false-and-none-ask-nothing",
    ),
    pytest.param(  # rule 7: a keyword the coverage does not list is not measured: no feature
        "from agno.agent import Agent\n\nAgent(model=m, telemetry=True)\n",
        expect(features=("Agent.model",)),
        id="unlisted-keyword",
    ),
    pytest.param(  # rule 7: a keyword of a nested call belongs to that call
        "from agno.agent import Agent\n\nAgent(model=Other(output_schema=1, markdown=True))\n",
        expect(features=("Agent.model",)),
        id="nested-call",
    ),
    pytest.param(  # rule 7: an enum member as the value
        "from agno.team import Team, TeamMode\n\nTeam(mode=TeamMode.tasks)\n",
        expect(
            ("core.team",),
            features=("Team.mode", "Team.mode=tasks"),
            blocked_by_features=("Team.mode=tasks",),
        ),
        id="enum-keyword",
    ),
    pytest.param(  # rule 7: a plain string as the value
        "from agno.team import Team\n\nTeam(mode='tasks')\n",
        expect(
            ("core.team",),
            features=("Team.mode", "Team.mode=tasks"),
            blocked_by_features=("Team.mode=tasks",),
        ),
        id="string-keyword",
    ),
    pytest.param(  # rule 7: a value Go has
        'from agno.team import Team\n\nTeam(mode="route")\n',
        expect(("core.team",), features=("Team.mode", "Team.mode=route")),
        id="ported-value",
    ),
    pytest.param(  # rule 7: an enum member read anywhere
        "from agno.team import Team, TeamMode\n\nmode = TeamMode.tasks\nTeam(mode=mode)\n",
        expect(
            ("core.team",),
            features=("Team.mode", "Team.mode=tasks"),
            blocked_by_features=("Team.mode=tasks",),
        ),
        id="enum-member",
    ),
    pytest.param(  # rule 7: decorator keywords; a stub counts as nothing
        "from agno.tools import tool\n\n\n@tool(name='x', requires_confirmation=True)\ndef f():\n    pass\n",
        expect(
            ("core.toolkit",),
            features=("tool(name)", "tool(requires_confirmation)"),
            blocked_by_features=("tool(requires_confirmation)",),
        ),
        id="decorator-keyword",
    ),
    pytest.param(  # rule 7: a bare decorator names no keyword
        "from agno.tools import tool\n\n\n@tool\ndef f():\n    pass\n",
        expect(("core.toolkit",)),
        id="bare-decorator",
    ),
]


@pytest.mark.parametrize(("source", "expected"), RULES)
def test_rule(source: str, expected: dict[str, object]) -> None:
    assert summary(one(source)) == expected


def test_symbols_unit_is_a_feature() -> None:
    """An imported class that is itself a unit (kind ``symbols``) is a feature."""
    symbols = Coverage(
        kind=UnitKind.SYMBOLS,
        ported=0,
        total=1,
        missing=("AccuracyEval",),
        units=(Unit(name="AccuracyEval", state=M),),
    )
    mods = [m for m in MODULES if m.id != "evals.accuracy"]
    mods.append(module("evals.accuracy", Status.PARTIAL, coverage=symbols))
    r = one("from agno.eval import AccuracyEval\n", mods=mods)
    assert summary(r) == expect(
        ("evals.accuracy",), features=("AccuracyEval",), blocked_by_features=("AccuracyEval",)
    )


def test_local_recipes_inherit_their_blockers() -> None:
    """Rule 6: a recipe importing its siblings (transitively, cycles stop) carries their blockers."""
    found, _ = scan(
        {
            "q/guard.py": "from agno.agent import Agent\n"
            "from agno.guardrails.pii import PIIDetectionGuardrail\n"
            "agent = Agent()\n",
            "q/team.py": "from agno.team import Team, TeamMode\n"
            "from run import x\nteam = Team(mode=TeamMode.tasks)\n",
            "q/run.py": "from guard import agent\nfrom team import team\n"
            "from agno.db import BaseDb\nimport pydantic\n",
            "q/pkg/helper.py": "from agno.environments import Environment\n",
            "q/uses_pkg.py": "from agno.agent import Agent\nfrom pkg.helper import Environment\n",
            "q/only_local.py": "import os\nfrom guard import agent\n",
            "q/plain.py": "import os\n\nprint(os.getcwd())\n",
        }
    )
    run = found["q/run.py"]
    assert run.local == ("cookbook/q/guard.py", "cookbook/q/team.py")
    assert summary(run) == expect(
        ("core.agent", "core.db", "core.team", "guardrails.pii"),
        blocked_by=("guardrails.pii",),
        features=("Team.mode", "Team.mode=tasks"),
        blocked_by_features=("Team.mode=tasks",),
    )
    assert found["q/team.py"].local == ("cookbook/q/run.py",)  # a cycle: run -> team -> run
    assert found["q/team.py"].blocked_by == ("guardrails.pii",)
    assert found["q/uses_pkg.py"].unmapped == ("agno.environments",)  # a module under a folder beside it
    assert found["q/only_local.py"].blocked_by == ("guardrails.pii",)  # no agno import of its own
    assert "q/plain.py" not in found


def test_neutral_only_is_not_a_recipe() -> None:
    """Rule 9: a file whose agno imports are all neutral is counted, not listed."""
    found, skipped = scan(
        {"u.py": "from agno.utils.log import logger\n", "a.py": "from agno.agent import Agent\n"}
    )
    assert (sorted(found), skipped) == (["a.py"], 1)
    found, skipped = scan({"u.py": "from agno.utils.log import logger\n"}, neutral=())
    assert (found["u.py"].unmapped, skipped) == (("agno.utils",), 0)


# --------------------------------------------------------------------------- the facts


@pytest.mark.parametrize(
    ("source", "uses", "attrs"),
    [
        (
            "from agno.team import Team, TeamMode as TM\n"
            "t = Team(mode=TM.tasks, db=None, name='a, b', **kw)\n",
            (
                Use("agno.team.Team"),
                Use("agno.team.Team", "mode", "tasks"),
                Use("agno.team.Team", "name", ""),
            ),
            ("agno.team.TeamMode.tasks",),
        ),
        (
            "import agno.vectordb.pgvector as pg\nv = pg.PgVector(table_name='t',  # why\n)\n",
            (
                Use("agno.vectordb.pgvector.PgVector"),
                Use("agno.vectordb.pgvector.PgVector", "table_name", "t"),
            ),
            (),
        ),
        (
            "from agno.tools import tool\n\n@tool(requires_confirmation=True)\ndef f(): ...\n",
            (Use("agno.tools.tool"), Use("agno.tools.tool", "requires_confirmation")),
            (),
        ),
        (  # strings, comments, import lines and `x.Agent` are not uses
            "from agno.agent import Agent\n'''Agent(a=1)'''\n# Agent(b=2)\nx.Agent(c=3)\nAgentOS(d=4)\n",
            (),
            (),
        ),
        (  # keywords of nested calls, lists and lambdas are not this call's
            "from agno.agent import Agent\n"
            "Agent(tools=[f(a=1)], hooks={'k': g(b=2)}, key=lambda x: x == 1)\n",
            (
                Use("agno.agent.Agent"),
                Use("agno.agent.Agent", "tools"),
                Use("agno.agent.Agent", "hooks", "{}"),  # a dict literal
                Use("agno.agent.Agent", "key"),
            ),
            (),
        ),
    ],
)
def test_cookbook_uses(source: str, uses: tuple[Use, ...], attrs: tuple[str, ...]) -> None:
    facts = cookbook.extract(source.encode())
    assert (facts.uses, facts.attrs) == (uses, attrs)


def test_cookbook_imports_in_strings_are_ignored() -> None:
    source = (
        b'"""\nfrom agno.tools.exa import ExaTools\n"""\n'
        b'from agno.agent import Agent\ns = """\nimport agno.x\n"""\n'
    )
    assert cookbook.extract(source).imports == ("agno.agent.Agent",)


def test_cookbook_local_candidates() -> None:
    source = b"import os, pydantic\nfrom agent_with_tools import agent\nfrom .helpers import x\n"
    source += b"from a.b import c\n"
    assert cookbook.extract(source).local == ("pydantic", "agent_with_tools.agent", ".helpers.x", "a.b.c")


@pytest.mark.parametrize(
    ("source", "table"),
    [
        (
            "from agno.db.base import BaseDb\nimport agno.x.y as m\n",
            (("BaseDb", "agno.db.base.BaseDb"), ("m", "agno.x.y")),
        ),
        ("from .team import Team as T\nfrom . import mode\n", (("T", ".team.Team"), ("mode", ".mode"))),
        ("from agno.tools.google.gmail import *\n", (("*", "agno.tools.google.gmail"),)),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from agno.x import Y\n", ()),
        ("try:\n    from agno.x import Y\nexcept ImportError:\n    pass\n", (("Y", "agno.x.Y"),)),
        (
            LIBRARY["db/__init__.py"],
            (("BaseDb", "agno.db.base.BaseDb"), ("DynamoDb", "agno.db.dynamo.DynamoDb")),
        ),
        (
            LIBRARY["eval/__init__.py"],
            (
                ("AccuracyEval", "agno.eval.accuracy.AccuracyEval"),
                ("AccuracyResult", "agno.eval.accuracy.AccuracyResult"),
            ),
        ),
        (
            "import importlib\n_LAZY = {'PgVector': 'agno.vectordb.pgvector'}\n\n\ndef __getattr__(name):\n"
            "    return getattr(importlib.import_module(_LAZY[name]), name)\n",
            (("PgVector", "agno.vectordb.pgvector.PgVector"),),
        ),
        ("from agno.x import (Y,,)\n", ()),  # does not parse: exports nothing
    ],
)
def test_exports(source: str, table: tuple[tuple[str, str], ...]) -> None:
    assert exports.extract(textwrap.dedent(source).encode()) == table


def test_library_records_exports_of_init_files_only() -> None:
    src = b"from agno.agent.agent import Agent\n"
    assert python.extract(src, deep=False, init=True).exports == (("Agent", "agno.agent.agent.Agent"),)
    assert python.extract(src, deep=False).exports == ()


# --------------------------------------------------------------------------- the profile


PROFILE = """name = "t"
[baseline]
name = "agno"
[runtime]
name = "agno-Go"
[families.core]
title = "Core"
python = ["agent"]
[cookbook]
"""


def test_profile_neutral(tmp_path: Path) -> None:
    f = tmp_path / "p.toml"
    f.write_text(PROFILE + 'neutral = ["agno.utils", "agno.exceptions"]\n')
    assert load_profile(f).neutral == ("agno.utils", "agno.exceptions")
    f.write_text(PROFILE + 'neutral = ["agno.utils", "agno/x"]\n')
    with pytest.raises(UsageError) as err:
        load_profile(f)
    assert str(err.value) == (
        f"{f}: cookbook.neutral[1]: expected a dotted package name like 'agno.utils', got 'agno/x'; "
        "fix the profile"
    )


def test_shipped_profile_neutral() -> None:
    """Helpers and the errors a hook raises; not agno.utils.http nor the run-control exceptions."""
    neutral = load_profile().neutral
    assert "agno.utils.log" in neutral and "agno.exceptions.InputCheckError" in neutral
    assert not any(n in ("agno.utils", "agno.exceptions", "agno.utils.http") for n in neutral)

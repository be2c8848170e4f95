"""The macro registry: every macro once, argument kinds that match the signatures, one-line errors."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable

import pytest

from matrix import render
from matrix.errors import UsageError
from matrix.render import Arg, macros, registry, taking
from matrix.render.registry import Signature, signatures
from matrix.sources import Loaded
from tests import factories

DATA = Loaded(factories.small())
registry_module = importlib.import_module("matrix.render.registry")  # ``render.registry`` is the function


@pytest.mark.parametrize("name", sorted(registry()))
def test_every_macro_is_typed_and_its_kinds_match_its_parameters(name: str) -> None:
    macro = registry()[name]
    params = list(inspect.signature(macro.fn).parameters.values())[2:]  # after (templates, data)
    positional = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    assert len(positional) == len(macro.args), (name, [p.name for p in positional], macro.args)
    assert macro.variadic is any(p.kind is p.VAR_POSITIONAL for p in params)
    assert macro.fn.__name__ != "<lambda>" and macro.fn.__doc__, name
    hints = inspect.get_annotations(macro.fn)
    assert "return" in hints and all(p.name in hints for p in params), name


def test_check_reads_which_macros_take_module_ids_from_the_registry() -> None:
    assert frozenset({"module", "support_box", "parity_badge"}) == render.MODULE_ID_MACROS
    assert taking(Arg.MODULE_ID, variadic=True) == {"needs"}
    assert registry()["needs"].kind(5) is Arg.MODULE_ID  # variadic: every argument is an id
    assert taking(Arg.RECIPE) == {"recipe_status", "recipe_tabs"}
    assert taking(Arg.FAMILY) == {"family_title", "family_table", "family_coverage", "not_in_go_link"}


@pytest.mark.parametrize(("name", "args", "kwargs", "message"), [
    ("module", (), {}, "agno-docs macro: module(): missing a required argument: 'module_id'; "
                       "it takes: module id"),
    ("module", ("tools.shell", "x"), {}, "agno-docs macro: module(): too many positional arguments; "
                                         "it takes: module id"),
    ("provenance", ("x",), {}, "agno-docs macro: provenance(): too many positional arguments; "
                               "it takes: no arguments"),
    ("needs", ("tools.shell",), {"url": "x"}, "agno-docs macro: needs(): got an unexpected keyword argument "
                                              "'url'; it takes: module id, ..."),
    ("porting_priority", ("25",), {}, "agno-docs macro: porting_priority(): argument 1 must be a whole "
                                      "number, not '25'"),
    ("parity_badge", ("tools.nope",), {}, "agno-docs macro: unknown module id 'tools.nope'; "
                                          "closest known id: 'tools.shell'"),
    ("module", ("zzzz.qqqqqqqq",), {}, "agno-docs macro: unknown module id 'zzzz.qqqqqqqq'; no known id is "
                                       "close to it; the support matrix page lists them all"),
    ("family_table", ("nope",), {}, "agno-docs macro: unknown family 'nope'; known families: models, tools"),
    ("telemetry_catalogue", ("x.jsonl",), {}, "agno-docs macro: telemetry sample 'x.jsonl' was not loaded; "
                                              "the site loads: none; list the file in mkdocs.yml "
                                              "extra.agno.telemetry_samples"),
])
def test_a_wrong_call_is_one_usage_error(name: str, args: tuple[object, ...], kwargs: dict[str, object],
                                         message: str) -> None:
    with pytest.raises(UsageError) as info:
        macros()[name](DATA, *args, **kwargs)
    assert str(info.value) == message



def test_the_signature_table_is_each_macros_own() -> None:
    assert {name: m.signature for name, m in registry().items()} == signatures()
    assert list(registry()) == list(signatures())  # same order: the modules' order


@pytest.mark.parametrize(("change", "message"), [
    (lambda t: t.update(module=Signature((Arg.FAMILY,))),
     "macro 'module' (matrix.render.badges) is not in matrix.render.registry.SIGNATURES as "
     "Signature(args=(<Arg.MODULE_ID: 'module id'>,), variadic=False); make the two agree"),
    (lambda t: t.pop("needs"),
     "macro 'needs' (matrix.render.quickstart) is not in matrix.render.registry.SIGNATURES as "
     "Signature(args=(<Arg.MODULE_ID: 'module id'>,), variadic=True); make the two agree"),
    (lambda t: t.update(gone=Signature()),
     "matrix.render.registry.SIGNATURES names macros no render module defines: gone"),
])
def test_a_table_that_disagrees_with_the_renderers_stops_the_registry(
        monkeypatch: pytest.MonkeyPatch, change: Callable[[dict[str, Signature]], object],
        message: str) -> None:
    table = dict(registry_module.SIGNATURES)
    change(table)
    monkeypatch.setattr(registry_module, "SIGNATURES", table)
    with pytest.raises(RuntimeError) as info:
        registry()
    assert str(info.value) == message

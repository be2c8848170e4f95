"""A module's notes (matrix/notes.py): the scan's English composed from parts, said again in Chinese
only when the note is exactly that composition, and read in linear time whatever a peer sends."""

# ruff: noqa: E501, RUF001  (Chinese text uses full-width punctuation; exact notes read better unbroken)

from __future__ import annotations

import time
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest

from matrix.model import Coverage, GoRef, Module, Status, Unit, UnitKind, UnitState
from matrix.notes import Part, compose, extra_stub, localized, phrase, say, summary, unit_note
from matrix.profiles import load_profile
from tests.factories import module

GO = GoRef(package="pkg/agno/tools/demo", symbols=("Demo", "New"))


def _cov(kind: UnitKind = UnitKind.FUNCTIONS, ported: tuple[str, ...] = (), missing: tuple[str, ...] = (),
         stubs: dict[str, str] | None = None, extra: tuple[str, ...] = ()) -> Coverage:
    stubs = stubs or {}
    units = ([Unit(name=n, state=UnitState.PORTED) for n in ported]
             + [Unit(name=n, state=UnitState.MISSING) for n in missing]
             + [Unit(name=n, state=UnitState.STUB, note=why) for n, why in stubs.items()])
    return Coverage(ported=len(ported), total=len(units), missing=missing, stubs=tuple(stubs), kind=kind,
                    units=tuple(units), extra=extra)


def _scanned(cov: Coverage, *, status: Status = Status.PARTIAL, extra_stubs: dict[str, str] | None = None,
             caveats: tuple[Part, ...] = (), reason: str = "", go: GoRef = GO) -> Module:
    """A module whose notes are what the scan composes from these facts."""
    said = {e: extra_stub(e, why) for e, why in (extra_stubs or {}).items()}
    declared = [Part("note.wont_port_code", {"reason": reason})] if reason else []
    notes = compose([summary(cov, go.package, go.symbols, said), list(caveats), declared])
    return module("tools.demo", status, go=go, coverage=cov, notes=notes)


def test_the_english_is_the_scans_own_words() -> None:
    cov = _cov(ported=("a",), missing=("b", "c"), stubs={"d": "says 'mock' and never calls out"},
               extra=("x", "y"))
    m = _scanned(cov, extra_stubs={"y": "returns canned data (https://example.com)"})
    assert m.notes == ("missing 2 of 4 functions: b, c; 1 of 4 are stubs in Go: d (says 'mock' and never calls out); "
                       "Go adds x, y (stub: returns canned data (https://example.com)).")
    none = _scanned(_cov(kind=UnitKind.CAPABILITIES, missing=("embed",)), status=Status.NOT_MIGRATED)
    assert none.notes == "none of the 1 baseline capabilities is in Go; the Go package pkg/agno/tools/demo holds Demo, New instead."
    assert compose([[], []]) == "" and summary(_cov(ported=("a",)), "p", ()) == []


def test_chinese_says_the_same_parts_with_the_holes_read_off_the_note() -> None:
    cov = _cov(ported=("a",), missing=("b", "c"), stubs={"d": "says 'mock' and never calls out"},
               extra=("x", "y"))
    m = _scanned(cov, extra_stubs={"y": "returns canned data (https://example.com)"})
    assert localized(m, "zh") == ("缺少 2 个函数（共 4 个）：b、c；1 个（共 4 个）在 Go 中是桩实现：d（写着 'mock'，从不对外调用）；"
                                  "Go 另有 x、y（桩实现：返回固定数据（https://example.com））。")
    assert localized(m, "en") == m.notes


def test_caveats_and_a_contradicted_wont_port_are_read_too() -> None:
    build = Part("note.build_constraint", {"tags": "//go:build redis"})
    exported = Part("note.nothing_exported", {"package": "pkg/agno/vectordb/redis"})
    m = _scanned(_cov(missing=("a",)), status=Status.NOT_MIGRATED, caveats=(build, exported),
                 reason="needs a C library. Really")
    assert m.notes == ("none of the 1 baseline functions is in Go; the Go package pkg/agno/tools/demo holds Demo, New instead. "
                       "Go code behind a build constraint a default build excludes (//go:build redis) does not count; "
                       "the Go package pkg/agno/vectordb/redis declares nothing exported. "
                       "The profile declares it wont_port (needs a C library. Really), but Go code exists.")
    assert localized(m, "zh") == ("基线的 1 个函数都不在 Go 中；Go 包 pkg/agno/tools/demo 中有的是 Demo、New。"
                                  "默认构建排除的构建约束（//go:build redis）之后的 Go 代码不计入；"
                                  "Go 包 pkg/agno/vectordb/redis 没有声明任何导出的内容。"
                                  "配置把它声明为 wont_port（needs a C library. Really），但 Go 代码存在。")
    only = module("vectordb.redis", Status.NOT_MIGRATED, go=GO, notes=compose([[build]]))
    assert localized(only, "zh") == "默认构建排除的构建约束（//go:build redis）之后的 Go 代码不计入。"


def test_go_only_and_unknown_notes() -> None:
    go_only = module("models.glm", Status.GO_ONLY, notes=say(Part("note.go_only")))
    assert localized(go_only, "zh") == "只存在于 Go 运行时中：没有对应的基线模块"
    units = Part("units.plural.groups")
    unknown = module("db.odd", Status.UNKNOWN, go=GO, notes=compose(
        [[Part("note.cannot_compare", {"units": units, "why": "the store's class is built at run time"})]]))
    assert unknown.notes == "Go code exists but capability groups cannot be compared: the store's class is built at run time."
    assert localized(unknown, "zh") == "Go 代码存在，但无法比较能力组：the store's class is built at run time。"
    empty = module("db.empty", Status.UNKNOWN, go=GO, notes=compose([[Part("note.nothing_to_compare", {"units": units})]]))
    assert localized(empty, "zh") == "Go 代码存在，但基线模块中没有可比较的能力组。"


@pytest.mark.parametrize("notes", [
    "missing 1 of 3 functions: b, c.",  # the count disagrees with the module's coverage
    "missing 2 of 3 functions: b, c; Go adds z.",  # a Go-only unit the coverage does not name
    "missing 2 of 3 functions: b, c. Checked by hand.",  # a sentence of somebody else's
    "see the tracking issue",
    "missing 2 of 3 functions: b, c; parity: 1 of 2 failing",  # the parity join's addition
])
def test_a_note_that_is_not_the_scans_composition_is_shown_as_given(notes: str) -> None:
    m = module("tools.demo", Status.PARTIAL, go=GO, coverage=_cov(ported=("a",), missing=("b", "c")), notes=notes)
    assert localized(m, "zh") == notes


def test_reading_a_hostile_note_takes_linear_time() -> None:
    """Go-only units that may each be a stub, and a note where each one's tell could end at any of
    thirty places: a reader that backtracks over holes tries billions of splits (more than 20 s
    measured); this one refuses it at once."""
    extra = tuple(f"x{i}" for i in range(12))
    cov = _cov(ported=("a",), missing=("b",), extra=extra)
    ends = "".join(f"), x{i} (stub: " for i in range(1, 12))
    hostile = "missing 1 of 2 functions: b; Go adds x0 (stub: " + ends * 30 + ")!"
    m = module("tools.demo", Status.PARTIAL, go=GO, coverage=cov, notes=hostile)
    start = time.perf_counter()
    assert localized(m, "zh") == hostile
    assert time.perf_counter() - start < 2.0


def test_a_units_note_what_gives_a_stub_away_said_again_and_the_profiles_remark_kept() -> None:
    delegates = say(Part("unit_note.delegates", {"callee": "Invoke"}))
    assert delegates == "only delegates to Invoke"
    assert unit_note(delegates, "zh") == "只是转交给 Invoke" and unit_note(delegates, "en") == delegates
    remark = "Go has no async/await: InvokeStream takes a context.Context and returns a channel"
    said_remark = "Go 没有 async/await：InvokeStream 接受 context.Context，并返回一个 channel"
    assert unit_note(f"{delegates}; {remark}", "zh") == f"只是转交给 Invoke；{said_remark}"
    edited = "Go has no async/await: InvokeStream takes a context"  # a profile edited since: as given
    assert unit_note(f"{delegates}; {edited}", "zh") == f"只是转交给 Invoke；{edited}"
    canned = say(Part("unit_note.canned", {"data": "https://example.com"}))
    assert unit_note(canned, "zh") == "返回固定数据（https://example.com）"
    assert unit_note(say(Part("unit_note.see", {"module": "embedders.openai"})), "zh") == "见 embedders.openai"
    assert unit_note(remark, "zh") == said_remark and unit_note(edited, "zh") == edited
    assert unit_note("returns canned data (a) b)", "zh") == "returns canned data (a) b)"  # not the message's shape

    cov = _cov(ported=("invoke",), stubs={"streaming": f"{delegates}; {remark}"})
    m = _scanned(cov)
    assert m.notes == f"1 of 2 are stubs in Go: streaming ({delegates}; {remark})."
    assert localized(m, "zh") == f"1 个（共 2 个）在 Go 中是桩实现：streaming（只是转交给 Invoke；{said_remark}）。"


def _profile_words(node: Any) -> Iterator[str]:
    """Every remark (``note``) and won't-port reason a profile file holds."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "wont_port" and isinstance(value, dict):
                yield from value.values()
            elif key == "note" and isinstance(value, str):
                yield value
            else:
                yield from _profile_words(value)


def test_every_word_of_the_shipped_profile_has_its_chinese() -> None:
    with open(load_profile().path, "rb") as f:
        words = sorted(set(_profile_words(tomllib.load(f))))
    assert len(words) >= 10
    untranslated = [w for w in words if phrase(w, "zh") == w]
    assert not untranslated, f"add these to [phrase] in matrix/messages.toml: {untranslated}"
    reason = "Wraps a LangChain (Python) retriever."
    assert phrase(reason, "zh") == "封装一个 LangChain（Python）检索器。" and phrase(reason, "en") == reason
    wont = module("vectordb.langchaindb", Status.NOT_MIGRATED, go=GO, notes=compose(
        [[Part("note.build_constraint", {"tags": "//go:build lc"})], [Part("note.wont_port_code", {"reason": reason})]]))
    assert localized(wont, "zh") == ("默认构建排除的构建约束（//go:build lc）之后的 Go 代码不计入。"
                                     "配置把它声明为 wont_port（封装一个 LangChain（Python）检索器。），但 Go 代码存在。")

"""The message catalogue (matrix/i18n.py): complete in both languages, validated on load, exact errors."""

# ruff: noqa: E501  (Chinese text uses full-width punctuation; exact messages read better unbroken)

from __future__ import annotations

from pathlib import Path

import pytest

from matrix.errors import UsageError
from matrix.i18n import LANGS, Catalogue, catalogue, lang_of, placeholders
from matrix.model import STATUS_ORDER, UnitKind


def test_every_message_has_every_language_and_the_same_placeholders() -> None:
    c = catalogue()
    assert len(c.messages) > 200
    for key, msg in c.messages.items():
        assert msg.en.strip() and msg.zh.strip(), key
        assert placeholders(msg.zh) == placeholders(msg.en), key
        if msg.en_one is not None:
            assert placeholders(msg.en_one) == placeholders(msg.en), key


def test_the_status_table_and_unit_kinds_name_words_that_exist() -> None:
    c = catalogue()
    for status in STATUS_ORDER:
        for lang in LANGS:
            assert c.text(f"{status.info.key}.label", lang)
            assert c.text(f"{status.info.key}.tooltip", lang).startswith(("runtime=", "not measured", "未测量"))
    for kind in UnitKind:
        assert c.has(f"units.word.{kind.value}") and c.has(f"units.count.{kind.value}")


def test_runtime_tags_and_codes_stay_as_they_are_in_chinese() -> None:
    c = catalogue()
    assert c.text("status.not_migrated.label", "zh") == "尚未迁移到 Go"
    assert c.text("status.not_migrated.tooltip", "zh") == "runtime=python-only"
    for key, msg in c.messages.items():
        for tag in ("runtime=go", "runtime=python-only", "not_migrated", "agno-docs", "/v1/runtime/go"):
            assert (tag in msg.en) == (tag in msg.zh), (key, tag)


@pytest.mark.parametrize(("n", "en", "zh"), [
    (0, "0 functions", "0 个函数"), (1, "1 function", "1 个函数"), (2, "2 functions", "2 个函数")])
def test_counts_pick_the_english_form_chinese_has_one(n: int, en: str, zh: str) -> None:
    assert catalogue().text("units.count.functions", "en", n=n) == en
    assert catalogue().text("units.count.functions", "zh", n=n) == zh


BAD: list[tuple[str, str]] = [
    ("[a\n", "C.toml: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 3)"),
    ('[x]\ny = {en = "a"}\n', 'C.toml: message \'x.y\': Object missing required field `zh`; write it as '
                              '{en = "...", zh = "..."} (en_one: English for one)'),
    ('x = {en = "a", zh = "b", fr = "c"}\n', "C.toml: message 'x': Object contains unknown field `fr`; write it "
                                              'as {en = "...", zh = "..."} (en_one: English for one)'),
    ('x = {en = "{n} a", zh = "b"}\n', "C.toml: x.zh names [], x.en names ['n']; every form of a message takes "
                                       "the same placeholders"),
    ('x = {en = "a", zh = "b {n}"}\n', "C.toml: x.zh names ['n'], x.en names []; every form of a message takes "
                                       "the same placeholders"),
    ('x = {en = "{n} a", en_one = "a", zh = "{n} b"}\n', "C.toml: x.en_one names [], x.en names ['n']; every "
                                                          "form of a message takes the same placeholders"),
    ('x = {en = " ", zh = "b"}\n', "C.toml: x has an empty form; write the words in every language"),
    ("x = 3\n", "C.toml: message 'x': Expected `object`, got `int`; write it as {en = \"...\", zh = \"...\"} "
                "(en_one: English for one)"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m.split(": ", 1)[1][:40] for _, m in BAD])
def test_a_broken_catalogue_is_one_line_naming_the_file_and_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    Path("C.toml").write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        Catalogue.load("C.toml")
    assert str(info.value) == message


def test_unknown_keys_languages_and_missing_values_are_usage_errors() -> None:
    c = catalogue()
    with pytest.raises(UsageError, match=r"no message 'nope'; add it, with every language"):
        c.text("nope", "en")
    with pytest.raises(UsageError, match=r"no such language 'fr'"):
        c.text("filter.search", "fr")
    with pytest.raises(UsageError, match=r"message 'units.count.functions' needs 'n'"):
        c.text("units.count.functions", "en")
    with pytest.raises(UsageError, match=r"cannot read the message catalogue"):
        Catalogue.load("/nonexistent/messages.toml")


@pytest.mark.parametrize(("value", "code"), [(None, "en"), ("", "en"), ("zh", "zh"), ("zh-CN", "zh"),
                                             ("zh_Hans", "zh"), ("EN", "en")])
def test_language_codes(value: object, code: str) -> None:
    assert lang_of(value) == code


def test_an_unknown_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        lang_of("fr")
    assert str(info.value) == "agno-docs: no such language 'fr'; use one of: en, zh"

"""The message catalogue: every word the engine generates, in every language the site is built in.

One data file, ``matrix/messages.toml``, read once and validated: each message is a table with one
string per language (``en``, ``zh``) and, for English words that change with a count, ``en_one`` (the
form for exactly one; Chinese has one form). Placeholders are ``{name}``; every form of a message
names the same ones, so a translation can neither drop a figure nor ask for one that is not given.

Keys are dotted paths (``status.not_migrated.label``). The status table (``matrix.model.STATUS_TABLE``)
says what a status means and names its words by key; the family titles of the matrix are data, so
``family.<id>`` is only a translation of them (English comes from the matrix itself).

The language is an argument everywhere (:class:`Lang`, passed down from the site build by
``macros/``, or from ``agno-docs readme --lang``), never a global: one process can render both
editions. What a template prints comes through :class:`matrix.render.templating.Templates`, which
escapes the catalogue's text and every value placed into it.
"""

from __future__ import annotations

import functools
import string
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import msgspec

from .errors import UsageError

__all__ = ["CATALOGUE", "DEFAULT", "LANGS", "Catalogue", "Lang", "Message", "catalogue", "lang_of",
           "placeholders"]

#: The languages every message has, default first. The site's language switcher lists the same.
LANGS: tuple[str, ...] = ("en", "zh")
DEFAULT = "en"
Lang = Literal["en", "zh"]

#: The catalogue shipped with the engine (package data).
CATALOGUE = Path(__file__).resolve().parent / "messages.toml"


class Message(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One message in every language; ``en_one`` is English for a count of exactly one (``n``)."""

    en: str
    zh: str
    en_one: str | None = None


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` placeholders of a message (``{{``/``}}`` are literal braces)."""
    return frozenset(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def lang_of(value: object) -> Lang:
    """A language code the catalogue has, from a build or a command line (``zh``, ``zh-CN``, ``en``)."""
    code = str(value or DEFAULT).strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGS:
        raise UsageError(f"no such language {value!r}", where="agno-docs",
                         hint=f"use one of: {', '.join(LANGS)}")
    return code  # type: ignore[return-value]


def _leaves(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict) and not ({"en", "zh"} & value.keys()):
            yield from _leaves(value, key + ".")
        else:
            yield key, value


class Catalogue:
    """Messages by key; :meth:`text` is a message in one language with its placeholders filled."""

    def __init__(self, messages: Mapping[str, Message], origin: str = "messages.toml") -> None:
        self.messages = dict(messages)
        self.origin = origin
        for key, msg in self.messages.items():
            want = placeholders(msg.en)
            for form in ("zh", "en_one"):
                text = getattr(msg, form)
                if text is not None and placeholders(text) != want:
                    raise UsageError(
                        f"{key}.{form} names {sorted(placeholders(text))}, {key}.en names {sorted(want)}",
                        where=origin, hint="every form of a message takes the same placeholders")
            if not all(m.strip() for m in (msg.en, msg.zh)):
                raise UsageError(f"{key} has an empty form", where=origin,
                                 hint="write the words in every language")

    @classmethod
    def load(cls, path: str | Path = CATALOGUE) -> Catalogue:
        """Read and validate a catalogue file; any mistake is one line naming the file and the key."""
        where = str(path)
        try:
            raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise UsageError(f"cannot read the message catalogue: {exc.strerror}", where=where) from None
        except tomllib.TOMLDecodeError as exc:
            raise UsageError(f"not valid TOML: {exc}", where=where) from None
        messages: dict[str, Message] = {}
        for key, value in _leaves(raw):
            try:
                messages[key] = msgspec.convert(value, Message)
            except msgspec.ValidationError as exc:
                raise UsageError(f"message {key!r}: {exc}", where=where,
                                 hint='write it as {en = "...", zh = "..."} (en_one: English for one)'
                                 ) from None
        return cls(messages, where)

    def template(self, key: str, lang: str, n: int | None = None) -> str:
        """The raw message (placeholders unfilled) in ``lang``; ``n`` picks English's one-form."""
        try:
            msg = self.messages[key]
        except KeyError:
            raise UsageError(f"no message {key!r}", where=self.origin,
                             hint="add it, with every language, to the message catalogue") from None
        if lang == "en":
            return msg.en_one if n == 1 and msg.en_one is not None else msg.en
        if lang == "zh":
            return msg.zh
        raise UsageError(f"no such language {lang!r}", where=self.origin,
                         hint=f"use one of: {', '.join(LANGS)}")

    def text(self, key: str, lang: str, /, **values: object) -> str:
        """The message in ``lang`` as plain text (for the CLI, README tables, logs): ``n`` picks the form."""
        n = values.get("n")
        try:
            return self.template(key, lang, n if isinstance(n, int) else None).format_map(values)
        except KeyError as exc:
            raise UsageError(f"message {key!r} needs {exc.args[0]!r}", where=self.origin) from None

    def has(self, key: str) -> bool:
        return key in self.messages


@functools.cache
def catalogue() -> Catalogue:
    """The engine's catalogue, read once per process."""
    return Catalogue.load(CATALOGUE)

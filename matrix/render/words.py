"""The catalogue as templates use it: ``t("key", n=3)`` in the language of the build.

Every template of a :class:`~matrix.render.templating.Templates` has ``t``, a :class:`Words` for that
environment's language. ``t(key, **values)`` is safe markup: the message's own words are escaped like
any value (:func:`matrix.render.text.esc`), and so is every value placed into it, unless it is
already markup (a rendered component, or a ``{% set %}`` block of the template). A translation can
therefore never inject markup, and data never becomes markup by passing through a message.

``t.label(status)``, ``t.tip(status)``, ``t.family(family)`` and ``t.units(kind, n)`` are the
words of the status table, the family titles and the unit kinds. ``t.note(module)``,
``t.unit_note(text)`` and ``t.reason(module)`` are a module's notes, a unit's note and a won't-port
reason in the language where :mod:`matrix.notes` can say them again (as given otherwise).
``t.js(prefix)`` gives the messages under ``prefix`` for a page's script (which never holds words
of its own).
"""

from __future__ import annotations

import functools
import string
from typing import Any

from markupsafe import Markup

from ..errors import UsageError
from ..i18n import Catalogue, catalogue, lang_of
from ..notes import localized, phrase, unit_note
from .text import esc

__all__ = ["Words"]

_FORMATTER = string.Formatter()


@functools.lru_cache(maxsize=4096)
def _parsed(template: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    """A message's pieces, its literal text already escaped (a site prints the same messages
    thousands of times: every row of the cookbook index, every module page)."""
    return tuple((esc(literal), field, spec, conv)
                 for literal, field, spec, conv in _FORMATTER.parse(template))


def _safe(value: object) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup("") if value is None else Markup(esc(value))


class Words:
    """The catalogue in one language, for templates and renderers."""

    def __init__(self, lang: str = "en", messages: Catalogue | None = None) -> None:
        self.lang = lang_of(lang)
        self.catalogue = messages or catalogue()
        #: Messages without values, as markup (a module page prints a dozen per row of its tables).
        self._bare: dict[str, Markup] = {}
        #: Notes said in the language, by module id and notes (a module's are shown on several pages).
        self._notes: dict[tuple[str, str], str] = {}
        self._unit_notes: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"Words({self.lang!r})"

    def text(self, key: str, /, **values: object) -> str:
        """Plain text (no escaping): for values a template prints (and so escapes) itself."""
        return self.catalogue.text(key, self.lang, **values)

    def __call__(self, key: str, /, **values: object) -> Markup:
        if not values:
            bare = self._bare.get(key)
            if bare is None:
                bare = self._bare[key] = self._message(key, values)
            return bare
        return self._message(key, values)

    def _message(self, key: str, values: dict[str, object]) -> Markup:
        n = values.get("n")
        template = self.catalogue.template(key, self.lang, n if isinstance(n, int) else None)
        out: list[str] = []
        for literal, field, spec, conv in _parsed(template):
            out.append(literal)
            if field is None:
                continue
            if field not in values:
                raise UsageError(f"message {key!r} needs {field!r}", where=self.catalogue.origin)
            value = values[field]
            if spec or conv:
                value = _FORMATTER.format_field(_FORMATTER.convert_field(value, conv), spec or "")
            out.append(_safe(value))
        return Markup("".join(out))

    # The status table's words, by the key each status names.
    def label(self, status: Any) -> str:
        return self.text(f"{status.info.key}.label")

    def tip(self, status: Any) -> str:
        return self.text(f"{status.info.key}.tooltip")

    def family(self, family: Any) -> str:
        """A family's title: the matrix's own in English, the catalogue's translation otherwise."""
        key = f"family.{family.id}"
        if self.lang == "en" or not self.catalogue.has(key):
            return str(family.title)
        return self.text(key)

    def units(self, kind: Any, n: int | None = None) -> str:
        """What a module's units are, in words (``functions``; ``1 function`` with a count)."""
        value = getattr(kind, "value", kind)
        if n is None:
            return self.text(f"units.word.{value}")
        return self.text(f"units.count.{value}", n=n)

    def note(self, module: Any) -> str:
        """``module``'s notes in this language (as given where they are not the scan's own words);
        ``""`` when it has none."""
        notes = module.notes
        if not notes:
            return ""
        key = (module.id, notes)
        said = self._notes.get(key)
        if said is None:
            said = self._notes[key] = localized(module, self.lang, self.catalogue) or ""
        return said

    def unit_note(self, text: str) -> str:
        """A unit's note in this language (what gives a stub away; the profile's remark as given)."""
        said = self._unit_notes.get(text)
        if said is None:
            said = self._unit_notes[text] = unit_note(text, self.lang, self.catalogue)
        return said

    def reason(self, module: Any) -> str:
        """Why ``module`` is not planned for Go, in this language where the phrasebook has its words."""
        return phrase(module.reason or "", self.lang, self.catalogue)

    def js(self, prefix: str) -> dict[str, str]:
        """The raw messages under ``prefix.`` (placeholders unfilled), for a script to fill in."""
        head = prefix + "."
        return {k[len(head):]: self.catalogue.template(k, self.lang)
                for k in self.catalogue.messages if k.startswith(head)}

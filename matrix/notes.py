"""A module's notes: composed by the scan from the catalogue's ``note.*`` messages, and said again in
the reader's language.

The contract's ``notes`` is one string in English, whoever wrote it (the scan, the control plane, a
hand edit, the parity join). The scan writes it from :class:`Part` s (a message and its values) in
up to three sentences: what the measured units show (:func:`summary`), the caveats of the Go code
it found, and a won't-port declaration that Go code contradicts.

:func:`localized` gives a module's note in another language only when the note is exactly what that
composition gives for the module. It composes the English again from the module's own fields, with
a :class:`Hole` for each value the contract does not keep (a build tag, a reason, what gives away a
Go-only stub) and an :class:`Either` where the module does not say which words were used; reads
the holes off the note with one anchored pattern; and composes the same parts in the other language.
Any other note is shown as given, in English: a translation never says what the note does not.

A hole ends where the literal text after it first appears (the pattern never backtracks over it), so
reading a note costs time linear in its length, whatever a peer sends.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import re
import string
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeAlias

from .i18n import Catalogue, catalogue
from .model import Coverage, Module, Status, UnitKind, UnitState

__all__ = ["Either", "Hole", "Part", "compose", "extra_stub", "localized", "phrase", "say", "summary",
           "unit_note"]


@dataclasses.dataclass(frozen=True, slots=True)
class Part:
    """One message of a note and its values (a list is said with the language's list separator)."""

    key: str
    values: Mapping[str, Value] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Hole:
    """A value the contract does not keep: read off the note."""


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Either:
    """One of these values, whichever the note says."""

    choices: tuple[Value, ...]


Value: TypeAlias = "str | int | Part | Hole | Either | Sequence[Value]"
Sentence = Sequence[Part]

_FORMATTER = string.Formatter()


def _units(kind: UnitKind) -> Part:
    return Part(f"units.plural.{kind.value}")


def extra_stub(name: str, why: Value) -> Part:
    """A Go-only unit that is a stub, and what gives it away."""
    return Part("note.extra_stub", {"name": name, "why": why})


def summary(cov: Coverage, package: str, symbols: Sequence[str],
            extras: Mapping[str, Value] | None = None) -> list[Part]:
    """What a module's measured units show (nothing when every unit is ported): what is missing,
    which Go counterparts are stubs (with what gives each away), what Go adds, or what the Go
    package holds instead. ``extras`` says a Go-only unit otherwise than by its name (a stub:
    :func:`extra_stub`)."""
    if cov.ported == cov.total:
        return []
    said = extras or {}
    units = _units(cov.kind)
    stubs = [Part("note.stub_unit", {"name": u.name, "why": str(u.note)})
             for u in cov.units if u.state is UnitState.STUB]
    extra = [said.get(e, e) for e in cov.extra]
    if cov.ported:
        parts = []
        if cov.missing:
            parts.append(Part("note.missing", {"n": len(cov.missing), "total": cov.total, "units": units,
                                               "names": cov.missing}))
        if stubs:
            parts.append(Part("note.stubs", {"n": len(stubs), "total": cov.total, "names": stubs}))
        if extra:
            parts.append(Part("note.adds", {"names": extra}))
        return parts
    parts = [Part("note.none", {"total": cov.total, "units": units})]
    if stubs:
        parts.append(Part("note.none_stubs", {"names": stubs}))
    if extra:
        parts.append(Part("note.offers", {"names": extra}))
    elif symbols:
        parts.append(Part("note.holds", {"package": package, "names": tuple(symbols[:8])}))
    else:
        parts.append(Part("note.holds_nothing", {"package": package}))
    return parts


def say(part: Part, lang: str = "en", cat: Catalogue | None = None) -> str:
    """One part in words."""
    cat = cat or catalogue()
    return cat.text(part.key, lang, **{k: _said(v, lang, cat) for k, v in part.values.items()})


def _said(value: Value, lang: str, cat: Catalogue) -> object:
    if isinstance(value, Part):
        return say(value, lang, cat)
    if isinstance(value, (str, int)):
        return value
    if isinstance(value, (Hole, Either)):
        raise TypeError(f"a {type(value).__name__} has no words; read the note first")
    return cat.text("list.sep", lang).join(str(_said(v, lang, cat)) for v in value)


def compose(sentences: Sequence[Sentence], lang: str = "en", cat: Catalogue | None = None) -> str:
    """Sentences of parts as a note (``""`` when every sentence is empty): the parts of a sentence
    joined by the language's separator, each sentence's own full stops dropped, then one after each."""
    cat = cat or catalogue()
    part_sep = cat.text("note.join.part", lang)
    said = [part_sep.join(say(p, lang, cat) for p in s).rstrip(".") for s in sentences if s]
    if not said:
        return ""
    return cat.text("note.join.sentence", lang).join(said) + cat.text("note.join.end", lang)


# Reading a note: the English of a shape as one pattern, holes and choices as groups.

_Token: TypeAlias = "str | Hole | Either"


def _tokens(value: Value, cat: Catalogue) -> list[_Token]:
    """``value`` in English as literal text, holes and choices, in order."""
    if isinstance(value, (Hole, Either)):
        return [value]
    if isinstance(value, (str, int)):
        return [str(value)]
    if isinstance(value, Part):
        n = value.values.get("n")
        out: list[_Token] = []
        template = cat.template(value.key, "en", n if isinstance(n, int) else None)
        for literal, field, spec, conv in _FORMATTER.parse(template):
            out.append(literal)
            if field is not None:
                v = value.values[field]
                if (spec or conv) and isinstance(v, (str, int)):
                    out.append(_FORMATTER.format_field(_FORMATTER.convert_field(v, conv), spec or ""))
                else:
                    out.extend(_tokens(v, cat))
        return out
    sep = cat.text("list.sep", "en")
    return [t for i, v in enumerate(value) for t in ([sep] if i else []) + _tokens(v, cat)]


def _sentence_tokens(sentences: Sequence[Sentence], cat: Catalogue) -> list[_Token]:
    part_sep, sentence_sep = cat.text("note.join.part", "en"), cat.text("note.join.sentence", "en")
    out: list[_Token] = []
    for i, s in enumerate(s for s in sentences if s):
        out.extend([sentence_sep] if i else [])
        for j, p in enumerate(s):
            out.extend(([part_sep] if j else []) + _tokens(p, cat))
    return [*out, cat.text("note.join.end", "en")] if out else out


def _lead(tokens: Sequence[_Token], cat: Catalogue) -> str:
    """The literal text ``tokens`` surely start with (up to the first hole; into a choice only as
    far as all its choices agree)."""
    out = []
    for t in tokens:
        if isinstance(t, str):
            out.append(t)
            continue
        if isinstance(t, Either):
            # character by character is what is meant here: these are words, not paths
            out.append(os.path.commonprefix([_lead(_tokens(c, cat), cat) for c in t.choices]))  # noqa: RUF071
        break
    return "".join(out)


class _Reader:
    """One shape's pattern; groups ``h<N>`` are holes, ``c<N>_<K>`` the choice a note made."""

    def __init__(self, tokens: list[_Token], cat: Catalogue) -> None:
        self.cat = cat
        self.names: dict[int, str] = {}
        self.pattern = re.compile(self._pattern(tokens, ""), re.S)

    def _pattern(self, tokens: Sequence[_Token], follow: str) -> str:
        out = []
        for i, t in enumerate(tokens):
            if isinstance(t, str):
                out.append(re.escape(t))
                continue
            rest = tokens[i + 1:]
            after = _lead(rest, self.cat) + (follow if all(isinstance(r, str) for r in rest) else "")
            name = self.names[id(t)] = f"{'h' if isinstance(t, Hole) else 'c'}{len(self.names)}"
            if isinstance(t, Hole):
                # up to the first place the text after it appears: one way to end, no backtracking
                body = f"(?:(?!{re.escape(after)}).)+" if after else ".+"
                out.append(f"(?P<{name}>{body})")
            else:
                out.append("(?:" + "|".join(f"(?P<{name}_{k}>{self._pattern(_tokens(c, self.cat), after)})"
                                            for k, c in enumerate(t.choices)) + ")")
        return "".join(out)

    def read(self, text: str) -> re.Match[str] | None:
        return self.pattern.fullmatch(text)

    def fill(self, value: Value, m: re.Match[str]) -> Value:
        """``value`` with every hole and choice as the note has it."""
        if isinstance(value, Hole):
            return m.group(self.names[id(value)])
        if isinstance(value, Either):
            name = self.names[id(value)]
            k = next(k for k in range(len(value.choices)) if m.group(f"{name}_{k}") is not None)
            return self.fill(value.choices[k], m)
        if isinstance(value, Part):
            return Part(value.key, {k: self.fill(v, m) for k, v in value.values.items()})
        if isinstance(value, (str, int)):
            return value
        return tuple(self.fill(v, m) for v in value)


def _lead_of(key: str, cat: Catalogue) -> str:
    """A message's English up to its first value."""
    return next(iter(_FORMATTER.parse(cat.template(key, "en"))))[0]


def _shapes(m: Module, notes: str, cat: Catalogue) -> Iterator[list[Sentence]]:
    """Every composition the scan could have given ``m`` that ``notes`` may be (each optional
    sentence only where its words are in ``notes``), with holes where the contract keeps nothing."""
    def said(key: str) -> bool:
        return _lead_of(key, cat) in notes

    firsts: list[Sentence] = []
    if m.coverage is not None and m.go is not None:
        # each Go-only unit is said by its name, or by its name and what gives it away as a stub
        extras = {e: Either((extra_stub(e, Hole()), e)) for e in m.coverage.extra}
        firsts.append(summary(m.coverage, m.go.package, m.go.symbols, extras))
    if m.status is Status.UNKNOWN:
        kinds = Either(tuple(_units(k) for k in UnitKind))
        firsts += [[Part(key, {"units": kinds, "why": Hole()})] if key == "note.cannot_compare"
                   else [Part(key, {"units": kinds})]
                   for key in ("note.cannot_compare", "note.nothing_to_compare") if said(key)]
    firsts.append([])
    caveats: list[Sentence] = [[]]
    if said("note.build_constraint"):
        caveats.append([Part("note.build_constraint", {"tags": Hole()})])
    if said("note.nothing_exported"):
        caveats += [[*c, Part("note.nothing_exported", {"package": Hole()})] for c in caveats]
    declared: list[Sentence] = [[]]
    if said("note.wont_port_code"):
        declared.append([Part("note.wont_port_code", {"reason": Hole()})])
    for first, caveat, wp in itertools.product(firsts, caveats, declared):
        if first or caveat or wp:
            yield [first, caveat, wp]


#: A unit's note: one of the ``unit_note.*`` messages, then perhaps the profile's remark after the
#: part separator (kept as given). With a remark first: a value at the end would take it in.
_UNIT_NOTES: tuple[tuple[Part, Hole | None], ...] = tuple(
    (part, remark)
    for part in (Part("unit_note.canned", {"data": Hole()}), Part("unit_note.delegates", {"callee": Hole()}),
                 Part("unit_note.says", {"marker": Hole()}), Part("unit_note.no_io"),
                 Part("unit_note.unimplemented", {"missing": Hole()}),
                 Part("unit_note.see", {"module": Hole()}))
    for remark in (Hole(), None))


@functools.lru_cache(maxsize=4)
def _unit_note_readers(cat: Catalogue) -> tuple[tuple[Part, Hole | None, _Reader], ...]:
    part_sep = cat.text("note.join.part", "en")
    return tuple((part, remark, _Reader(_tokens(part, cat) + ([part_sep, remark] if remark else []), cat))
                 for part, remark in _UNIT_NOTES)


@functools.lru_cache(maxsize=4)
def _phrasebook(cat: Catalogue) -> dict[str, str]:
    return {msg.en: key for key, msg in cat.messages.items() if key.startswith("phrase.")}


def phrase(text: str, lang: str, cat: Catalogue | None = None) -> str:
    """A text of the profile (a unit's remark, a won't-port reason) in ``lang`` when the catalogue's
    phrasebook (``phrase.*``) has exactly these English words; as given otherwise (a profile edited
    since, another profile, the control plane's words)."""
    if not text or lang == "en":
        return text
    cat = cat or catalogue()
    key = _phrasebook(cat).get(text)
    return text if key is None else cat.template(key, lang)


def unit_note(text: str, lang: str, cat: Catalogue | None = None) -> str:
    """A unit's note in ``lang``: what gives a stub away or the module that measures the unit, then
    perhaps the profile's remark, or the remark alone (:func:`phrase`); any other note as given."""
    if not text or lang == "en":
        return text
    cat = cat or catalogue()
    for part, remark, reader in _unit_note_readers(cat):
        match = reader.read(text)
        if match is not None:
            said = say(reader.fill(part, match), lang, cat)  # type: ignore[arg-type]
            if remark is None:
                return said
            said_remark = phrase(match.group(reader.names[id(remark)]), lang, cat)
            return said + cat.text("note.join.part", lang) + said_remark
    return phrase(text, lang, cat)


def _unit_notes_said(value: Value, lang: str, cat: Catalogue) -> Value:
    """``value`` with what gives each stub away said in ``lang``."""
    if isinstance(value, Part):
        values = {k: _unit_notes_said(v, lang, cat) for k, v in value.values.items()}
        why, reason = values.get("why"), values.get("reason")
        if value.key in ("note.stub_unit", "note.extra_stub") and isinstance(why, str):
            values["why"] = unit_note(why, lang, cat)
        if value.key == "note.wont_port_code" and isinstance(reason, str):
            values["reason"] = phrase(reason, lang, cat)
        return Part(value.key, values)
    if isinstance(value, (str, int, Hole, Either)):
        return value
    return tuple(_unit_notes_said(v, lang, cat) for v in value)


def localized(m: Module, lang: str, cat: Catalogue | None = None) -> str | None:
    """``m``'s notes in ``lang``: said again there when they are what the scan composes for ``m``,
    as given otherwise (English, from wherever they came)."""
    notes = m.notes
    if not notes or lang == "en":
        return notes
    cat = cat or catalogue()
    go_only = Part("note.go_only")
    if notes == say(go_only, "en", cat):
        return say(go_only, lang, cat)
    for shape in _shapes(m, notes, cat):
        tokens = _sentence_tokens(shape, cat)
        words = [t for t in tokens if isinstance(t, str)]
        if len(words) == len(tokens):  # nothing to read: the same words or not
            if "".join(words) == notes:
                return _composed(shape, lang, cat)
            continue
        reader = _Reader(tokens, cat)
        match = reader.read(notes)
        if match is not None:
            return _composed([[reader.fill(p, match) for p in s] for s in shape], lang, cat)
    return notes


def _composed(shape: Sequence[Sequence[Value]], lang: str, cat: Catalogue) -> str:
    return compose([[_unit_notes_said(p, lang, cat) for p in s] for s in shape], lang, cat)  # type: ignore[misc]

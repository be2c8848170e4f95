"""Regenerate the support matrix between markers in README (or any Markdown) files, like cog.

A block is everything between a start and an end marker, each alone on its line::

    <!-- support-matrix:start summary -->
    (generated: replaced on every run)
    <!-- support-matrix:end -->

Arguments on the start marker select the view (:class:`View`): none for every module,
``summary`` for counts per family, ``family=<id>`` for one family's modules,
``status=<status>[,<status>...]`` to keep some statuses; ``lang=<language>`` writes the block's
words in that language (``en``, the default, or ``zh``: the message catalogue, ``matrix/i18n.py``;
ids and status codes stay as they are). They combine (``family=tools status=not_migrated lang=zh``).
A file may hold several blocks, one after the other.

Promises (property-tested in ``tests/keeptrue``): every byte outside the blocks is kept,
line endings and a UTF-8 byte order mark included (the block uses the start marker's line
ending, LF or CRLF); a second run changes nothing; ``check`` mode never writes. Markers inside
code blocks, fenced or indented by four spaces, are text, not markers, so a README can show them:
which lines are code is CommonMark's answer (markdown-it-py's block tokens and their line
``map``), not a hand-made fence scanner. A fence that is never closed and swallows markers is an
error naming the fence's line. A missing, duplicated or misordered marker, a malformed one or an
unknown view argument is a :class:`~matrix.errors.MarkerError` (``README.md:12: ...``, exit 2).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from pathlib import Path

from ._fences import Fence, fences
from ._io import target, write_atomic
from .errors import MarkerError, UsageError
from .i18n import LANGS, catalogue
from .model import STATUS_ORDER, Module, Status, SupportMatrix
from .notes import localized, phrase
from .render._html import esc

__all__ = ["Block", "Fence", "FileResult", "View", "fences", "parse", "regenerate", "render_view",
           "unified_diff", "update"]

START = "<!-- support-matrix:start -->"
END = "<!-- support-matrix:end -->"
_MARKER = re.compile(r"^[ \t]*<!--\s*support-matrix:(?P<rest>.*)$")
_START = re.compile(r"^start(?P<args>(?:[ \t]+[^\s>-][^\s>]*)*)[ \t]*-->[ \t]*$")
_END = re.compile(r"^end[ \t]*-->[ \t]*$")
_BOM = "\ufeff"
_LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")
_HINT_VIEW = "use summary, family=<family id>, status=<status>[,<status>...] or lang=<language>"
_HINT_PAIR = f"each block is a line {START} and, below it, a line {END}"


@dataclasses.dataclass(frozen=True)
class View:
    """What a block shows. ``summary``: counts per family; else one row per module."""

    summary: bool = False
    family: str | None = None
    statuses: tuple[Status, ...] = ()
    lang: str = "en"

    @classmethod
    def parse(cls, args: str, *, file: str, line: int) -> View:
        summary, family, lang = False, None, "en"
        statuses: tuple[Status, ...] = ()
        for token in args.split():
            key, eq, value = token.partition("=")
            if not eq and key == "summary":
                summary = True
            elif eq and key == "family" and value:
                family = value
            elif eq and key == "lang" and value:
                if value not in LANGS:
                    raise MarkerError(f"unknown language in {token!r} on the start marker", file=file,
                                      line=line, hint=f"languages are {', '.join(LANGS)}")
                lang = value
            elif eq and key == "status" and value:
                try:
                    statuses = tuple(Status(v) for v in value.split(","))
                except ValueError:
                    known = ", ".join(s.value for s in STATUS_ORDER)
                    raise MarkerError(f"unknown status in {token!r} on the start marker",
                                      file=file, line=line, hint=f"statuses are {known}") from None
            else:
                raise MarkerError(f"unknown view argument {token!r} on the start marker",
                                  file=file, line=line, hint=_HINT_VIEW)
        return cls(summary=summary, family=family, statuses=statuses, lang=lang)


@dataclasses.dataclass(frozen=True)
class Block:
    """One marked block: 1-based line numbers of its markers, its view and line ending."""

    start: int
    end: int
    view: View
    newline: str


def _split(text: str) -> list[str]:
    """Lines with their endings; only LF ends a line (a CR before it belongs to the ending)."""
    return _LINES.findall(text)


def _strip_eol(line: str) -> str:
    return line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith("\n") else line


@dataclasses.dataclass(frozen=True)
class _Code:
    """Which lines of a file are code (1-based), and the fence left open at the end, if any."""

    lines: frozenset[int]
    unclosed_at: int | None = None
    unclosed_markup: str = ""


def _code(text: str, count: int) -> _Code:
    """The code lines of ``text`` (``count`` lines, LF-ended) by CommonMark's rules."""
    # markdown-it also ends a line at a lone CR; a space keeps its line numbers equal to ours.
    source = re.sub(r"\r(?!\n)", " ", text.removeprefix(_BOM))
    lines: set[int] = set()
    unclosed_at, markup = None, ""
    from markdown_it import MarkdownIt

    for token in MarkdownIt("commonmark").parse(source):
        if token.type not in ("fence", "code_block") or token.map is None:
            continue
        start, end = token.map  # 0-based, end exclusive
        lines.update(range(start + 1, end + 1))
        if token.type == "fence" and end >= count and unclosed_at is None:
            last = _strip_eol(_split(source)[end - 1]) if end - 1 > start else ""
            closing = re.compile(rf"[ \t>]*{re.escape(token.markup[0])}{{{len(token.markup)},}}[ \t]*")
            if not closing.fullmatch(last):
                unclosed_at, markup = start + 1, token.markup
    return _Code(frozenset(lines), unclosed_at, markup)


def parse(text: str, file: str) -> list[Block]:
    """The blocks of ``text`` (``file`` names it in errors); a structural mistake is a MarkerError."""
    blocks: list[Block] = []
    open_at: tuple[int, View, str] | None = None
    lines = _split(text)
    code = _code(text, len(lines))
    for n, raw in enumerate(lines, 1):
        line = _strip_eol(raw)
        m = _MARKER.match(line.removeprefix(_BOM) if n == 1 else line)
        if not m:
            continue
        if n in code.lines:
            if code.unclosed_at is not None and n > code.unclosed_at:
                raise MarkerError(f"this code fence is never closed, so the support-matrix marker on line "
                                  f"{n} is text", file=file, line=code.unclosed_at,
                                  hint=f"close the fence with a line {code.unclosed_markup} before the "
                                  "markers")
            continue
        rest = m["rest"]
        if (s := _START.match(rest)) is not None:
            if open_at is not None:
                raise MarkerError(f"second start marker before the end of the block opened on line "
                                  f"{open_at[0]}", file=file, line=n, hint=_HINT_PAIR)
            view = View.parse(s["args"], file=file, line=n)
            open_at = (n, view, raw[len(line):] or "\n")
        elif _END.match(rest):
            if open_at is None:
                raise MarkerError("end marker without a start marker above it",
                                  file=file, line=n, hint=_HINT_PAIR)
            blocks.append(Block(open_at[0], n, open_at[1], open_at[2]))
            open_at = None
        else:
            raise MarkerError("malformed support-matrix marker", file=file, line=n,
                              hint=f"write {START} (view arguments before -->) or {END}, alone on the line")
    if open_at is not None:
        raise MarkerError("start marker has no end marker", file=file, line=open_at[0], hint=_HINT_PAIR)
    if not blocks:
        raise MarkerError("no support-matrix markers", file=file, line=1,
                          hint=f"add a line {START} and a line {END} where the matrix goes")
    return blocks


def render_view(matrix: SupportMatrix, view: View, *, file: str = "README.md", line: int = 1) -> list[str]:
    """The generated lines (without line endings) for one view of ``matrix``."""
    families = {f.id: f for f in matrix.families}
    if view.family is not None and view.family not in families:
        raise MarkerError(f"unknown family {view.family!r} on the start marker", file=file, line=line,
                          hint="families are " + ", ".join(sorted(families)))
    modules = [m for m in matrix.modules
               if (view.family is None or m.family == view.family)
               and (not view.statuses or m.status in view.statuses)]
    order = {f.id: (f.order, f.id) for f in matrix.families}
    from .diff import describe_provenance  # here, not at import: check reads fences without the diff rules

    words = _Words(view.lang)
    stamp = "<!-- " + words("readme.stamp", baseline=esc(describe_provenance(matrix.baseline)),
                              runtime=esc(describe_provenance(matrix.runtime))) + " -->"
    out = [stamp, ""]
    titles = {f.id: words.family(f.id, f.title) for f in matrix.families}
    if view.summary:
        out += _summary(modules, order, titles, words)
    else:
        out += _table(modules, order, titles if view.family is None else None, words)
    out.append("")
    return out


class _Words:
    """The catalogue's words in one language, as plain text (the block escapes what comes from data)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        return catalogue().text(key, self.lang, **values)

    def family(self, fid: str, title: str) -> str:
        key = f"family.{fid}"
        return title if self.lang == "en" or not catalogue().has(key) else self(key)


def _summary(modules: list[Module], order: dict[str, tuple[int, str]], titles: dict[str, str],
             words: _Words) -> list[str]:
    fams = sorted({m.family for m in modules}, key=lambda f: order[f])
    head = [words("readme.family"), *(words(f"{s.info.key}.label") for s in STATUS_ORDER),
            words("readme.total")]  # our own words, not data
    rows = ["| " + " | ".join(head) + " |",
            "| --- |" + " ---: |" * (len(head) - 1)]
    totals = dict.fromkeys(STATUS_ORDER, 0)
    for fam in fams:
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for m in modules:
            if m.family == fam:
                counts[m.status] += 1
                totals[m.status] += 1
        cells = [esc(titles[fam]), *(str(counts[s]) for s in STATUS_ORDER), str(sum(counts.values()))]
        rows.append("| " + " | ".join(cells) + " |")
    cells = [f"**{words('readme.all')}**", *(f"**{totals[s]}**" for s in STATUS_ORDER),
             f"**{sum(totals.values())}**"]
    rows.append("| " + " | ".join(cells) + " |")
    return rows


def _table(modules: list[Module], order: dict[str, tuple[int, str]],
           titles: dict[str, str] | None, words: _Words) -> list[str]:
    with_family = titles is not None
    head = ([words("readme.family")] if with_family else []) + [
        words("readme.module"), words("readme.status"), words("readme.coverage"), words("readme.notes")]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    if not modules:
        return [words("readme.none_view"), ""] if not with_family else [words("readme.none"), ""]
    for m in sorted(modules, key=lambda m: (order[m.family], m.id)):
        coverage = f"{m.coverage.ported}/{m.coverage.total}" if m.coverage else ""
        note = (localized(m, words.lang) if m.status is Status.PARTIAL
                else phrase(m.reason or "", words.lang) if m.status is Status.WONT_PORT else "")
        cells = ([esc(titles[m.family])] if titles is not None else []) + [
            f"`{m.id}`", words(f"{m.status.info.key}.label"), coverage, esc(note or "")]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def regenerate(text: str, matrix: SupportMatrix, file: str) -> str:
    """``text`` with every block regenerated from ``matrix``; the rest is kept byte for byte."""
    lines = _split(text)
    blocks = parse(text, file)
    out: list[str] = []
    pos = 0  # index into lines of the next line not yet copied
    for b in blocks:
        out.extend(lines[pos:b.start])  # up to and including the start marker
        body = render_view(matrix, b.view, file=file, line=b.start)
        out.extend(line + b.newline for line in body)
        pos = b.end - 1  # the end marker line is copied as it is
    out.extend(lines[pos:])
    return "".join(out)


@dataclasses.dataclass(frozen=True)
class FileResult:
    path: Path
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError("no such file", where=str(path), hint="pass an existing Markdown file") from None
    except OSError as exc:
        raise UsageError(f"cannot read ({exc.strerror})", where=str(path)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"not UTF-8 text (byte {exc.start})", where=str(path),
                         hint="save the file as UTF-8") from None


def update(paths: Sequence[str | Path], matrix: SupportMatrix, *, write: bool) -> list[FileResult]:
    """Regenerate every file; all are read and checked before any is written (atomically)."""
    results = []
    for p in paths:
        path = Path(p)
        old = _read(path)
        results.append(FileResult(path, old, regenerate(old, matrix, str(path))))
    if write:
        changed = [r for r in results if r.changed]
        for r in changed:  # every target is checked (regular, writable) before any is written
            target(r.path)
        for r in changed:
            write_atomic(r.path, r.new.encode("utf-8"))
    return results


def unified_diff(result: FileResult) -> str:
    """A unified diff of one file, ``a/FILE`` to ``b/FILE``."""
    name = result.path.as_posix()
    a, b = (name, name) if result.path.is_absolute() else (f"a/{name}", f"b/{name}")
    out = []
    for line in difflib.unified_diff(_split(result.old), _split(result.new), a, b):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)

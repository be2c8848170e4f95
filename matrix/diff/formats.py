"""Rendering: one sentence per record, three layouts (``text``, ``markdown``, ``github``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from ..errors import UsageError
from ..model import Provenance, SupportMatrix
from .records import Change, ChangeKind, Severity, Words, clean, describe_provenance, say, sentence
from .summary import summarise

Format = Literal["text", "markdown", "github"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "github")

# ---------------------------------------------------------------------------------------------
# Rendering: one sentence per record, three layouts.


def _header(old: SupportMatrix, new: SupportMatrix) -> Words:
    def moved(a: Provenance, b: Provenance) -> Words:
        x, y = describe_provenance(a), describe_provenance(b)
        return say("{} (unchanged)", x) if x == y else say("{} -> {}", x, y)

    ga, gb = old.generated_at.isoformat(), new.generated_at.isoformat()
    generated = say("generated {}", ga) if ga == gb else say("generated {} -> {}", ga, gb)
    return say("runtime {}; baseline {}; {}", moved(old.runtime, new.runtime),
               moved(old.baseline, new.baseline), generated)


_NO_CHANGES = "No changes to the support matrix."


def render(changes: Sequence[Change], fmt: str = "text", *, old: SupportMatrix | None = None,
           new: SupportMatrix | None = None, max_bytes: int | None = None) -> str:
    """Format ``changes`` as ``text``, ``markdown`` or ``github`` annotations; ends with a newline.

    With ``old`` and ``new``, a header (runtime, baseline, generation times) and the summary come
    first. ``max_bytes`` bounds the Markdown in UTF-8 bytes (a PR comment holds 65,536 characters, a
    job summary 1 MiB), so the output fits either: records that do
    not fit are counted instead of shown.
    """
    context: list[Words] = []
    if old is not None and new is not None:
        context = [_header(old, new), *summarise(old, new, changes).lines()]
    if fmt == "text":
        lines = [sentence(w) for w in context]
        lines += [f"[{c.kind.value}] {c.explain()}" for c in changes] or [_NO_CHANGES]
        return "\n".join(lines) + "\n"
    if fmt == "markdown":
        return _markdown(changes, context, max_bytes)
    if fmt == "github":
        return _github(changes, context)
    raise UsageError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")


def md_code(value: str) -> str:
    """A Markdown code span its content cannot close: the fence is one backtick longer than the
    longest run inside, padded when the content starts or ends with a backtick or a space."""
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value[:1] in ("`", " ") or value[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


#: Groups longer than this fold into a <details> element in Markdown.
_FOLD = 10


@functools.cache
def _fold() -> Any:
    """The markup folding a long group (a template, like all markup; only counts go in)."""
    import jinja2

    loader = jinja2.FileSystemLoader(Path(__file__).resolve().parent.parent / "render" / "templates")
    return jinja2.Environment(loader=loader, autoescape=False).get_template("diff_fold.md.jinja").module


def _markdown(changes: Sequence[Change], context: Sequence[Words], max_bytes: int | None) -> str:
    def md(words: Words) -> str:
        return sentence(words, md_code)

    out: list[str] = []
    size = 0
    limit = None if max_bytes is None else max_bytes - _RESERVE

    def fits(lines: Sequence[str]) -> bool:
        """Add the lines when they fit in the budget (UTF-8 bytes, newlines included)."""
        nonlocal size
        cost = sum(len(line.encode()) + 1 for line in lines)
        if limit is not None and size + cost > limit:
            return False
        out.extend(lines)
        size += cost
        return True

    head = ["## Support matrix changes", ""]
    if context:
        head += [md(context[0]), "", *(f"- {md(w)}" for w in context[1:]), ""]
    complete = all(fits([line]) for line in head)
    groups: dict[ChangeKind, list[Change]] = {}
    for c in changes:
        groups.setdefault(c.kind, []).append(c)
    if complete and not changes:
        complete = fits([_NO_CHANGES])
    elif complete:
        complete = fits(["Changes: " + ", ".join(f"{len(v)} {k.value}" for k, v in groups.items()), ""])
    shown = 0
    for kind, items in groups.items() if complete else ():
        icon = "⚠️ " if kind.severity is Severity.WARNING else ""
        block = [f"### {icon}{kind.heading} ({len(items)})", ""]
        fold = len(items) > _FOLD
        if fold:
            block += [_fold().open(len(items)), ""]
        opened = False
        for c in items:
            if not fits([*([] if opened else block), f"- {c.explain(md_code)}"]):
                complete = False
                break
            opened, shown = True, shown + 1
        if opened:
            out.extend(["", _fold().close(), ""] if fold else [""])  # within the reserve
        if not complete:
            break
    if not complete:
        out.append(f"**{len(changes) - shown} more changes are not shown** (this summary is limited to "
                   f"{max_bytes} bytes); run `agno-docs diff OLD NEW` for the complete list.")
    return "\n".join(out).rstrip("\n") + "\n"


#: Bytes kept free for the closing count and a group's closing tags when ``max_bytes`` is set.
_RESERVE = 300


#: GitHub shows at most 10 annotations of each type per step; the rest go to the log as plain lines.
ANNOTATIONS_PER_TYPE = 10


def gh_data(text: str) -> str:
    """Escape workflow-command data (the message): ``%``, CR and LF, as the runner unescapes them."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(text: str) -> str:
    """Escape a workflow-command property value: as data, plus ``:`` and ``,``."""
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(changes: Sequence[Change], context: Sequence[Words]) -> str:
    lines = [sentence(w) for w in context]
    used = {Severity.WARNING: 0, Severity.NOTICE: 0}
    # Keep one notice for the closing count when some records do not fit.
    room = {Severity.WARNING: ANNOTATIONS_PER_TYPE, Severity.NOTICE: ANNOTATIONS_PER_TYPE - 1}
    overflow = 0
    for c in changes:
        if used[c.severity] < room[c.severity]:
            used[c.severity] += 1
            title = f"{c.kind.heading}: {clean(c.subject)}"
            lines.append(f"::{c.severity.value} title={gh_property(title)}::{gh_data(c.explain())}")
        else:
            overflow += 1
            lines.append(f"[{c.kind.value}] {c.explain()}")
    if not changes:
        lines.append(f"::notice title=Support matrix::{_NO_CHANGES}")
    elif overflow:
        lines.append(f"::notice title=Support matrix::{overflow} more changes are listed in the log above, "
                     "without annotations (GitHub shows 10 of each type per step)")
    return "\n".join(lines) + "\n"

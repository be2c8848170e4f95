"""What's new in Go: the differences between consecutive release snapshots.

The sources load one snapshot per runtime release (``Loaded.site.history``, oldest first);
``matrix.diff.diff`` turns each consecutive pair into typed change records, shown here grouped by
kind. With fewer than two snapshots the page says so plainly. Templates: ``whats_new``,
``release_changes``, ``code``.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

from markupsafe import Markup

from ..diff import Change, diff
from ..model import SupportMatrix
from ..sources import Loaded
from . import views
from .registry import Macro
from .templating import Templates, markup

#: Groups longer than this fold into a <details> element.
FOLD_CHANGES = 12


@dataclasses.dataclass(frozen=True, slots=True)
class ChangeGroup:
    heading: str
    items: tuple[Markup, ...]
    """Each change's sentence, its values set as code and its free text escaped."""
    folded: bool


@dataclasses.dataclass(frozen=True, slots=True)
class Release:
    old: views.Side
    new: views.Side
    date: str
    """When the newer snapshot was generated (ISO date)."""
    groups: tuple[ChangeGroup, ...]


def sentence(t: Templates, change: Change) -> Markup:
    """A change's sentence; every value in it went through the ``code`` template or the escaping.

    ``Change.explain`` builds the sentence from its own words and the pieces it is given; the
    pieces from data are already safe markup, so the sentence is too.
    """
    return Markup(change.explain(code=lambda v: t.render("code.html.jinja", value=v), text=markup))


def groups(t: Templates, changes: Sequence[Change]) -> tuple[ChangeGroup, ...]:
    by_heading: dict[str, list[Markup]] = {}
    for c in changes:
        by_heading.setdefault(c.kind.heading, []).append(sentence(t, c))
    return tuple(ChangeGroup(h, tuple(items), len(items) > FOLD_CHANGES) for h, items in by_heading.items())


def releases(t: Templates, history: Sequence[SupportMatrix]) -> list[Release]:
    """One release per consecutive pair, newest first."""
    out = []
    for old, new in reversed(list(itertools.pairwise(history))):
        out.append(Release(views.side(old.runtime), views.side(new.runtime),
                           new.generated_at.date().isoformat(), groups(t, diff(old, new))))
    return out


def whats_new(t: Templates, history: Sequence[SupportMatrix]) -> Markup:
    """One section per release, newest first, each against the release before it."""
    return t.render("whats_new.md.jinja", releases=releases(t, history), have=len(history))


def _whats_new(t: Templates, data: Loaded) -> Markup:
    """The changes between consecutive runtime releases."""
    return whats_new(t, data.site.history)


MACROS: tuple[Macro, ...] = (Macro("whats_new", _whats_new),)

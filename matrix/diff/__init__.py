"""What changed between two support matrices, as typed records that explain themselves.

    diff(old, new)            -> list[Change]   every change, most important first
    summarise(old, new, ...)  -> Summary        per family: units ported, modules by status; cookbook
    render(changes, fmt, ...) -> str            text | markdown | github, one sentence per record
    matching(changes, names)  -> list[Change]   the changes that ``--fail-on`` names select

Every field of the contract has a rule: a module's status, title, paths and symbols on both sides,
its measured units (ported, missing, stub; added or removed; where each side defines them),
capabilities (Python and Go evidence), parity summary, notes, reason, tracking and since; each
recipe's readiness, blockers (modules, features, unmapped imports), uses and Go example; parity
results, benchmark figures and ratios, diagnostics, families, the baseline and runtime provenance
and the source. A change no rule describes still yields an ``other-change`` record, so a new
contract field is never silently dropped (and a test built from the JSON Schema fails until the
field gets its own rule).

A record's sentence (:attr:`Change.words`) interleaves our own words (plain ``str``) with
:class:`Value` items (ids, names, notes: anything that came from a matrix). Each format decides
only how a value looks: ``text`` prints it, ``markdown`` puts it in a code span that it cannot
close, ``github`` escapes workflow-command syntax. Before that, :func:`clean` keeps every value
on one line and inert everywhere: line breaks and runs of whitespace fold to one space, control,
bidi and zero-width characters become visible ``\\u202e`` escapes, the legacy runner command
prefix ``##[`` is broken, and very long values are cut with a count of what was left out.

Where things are:

    records.py   the kinds (one closed set, most important first), :class:`Change`, the wording
                 (:func:`say`, :class:`Value`, :func:`clean`), ``--fail-on`` selection (:func:`matching`)
    rules.py     :func:`diff` and one rule per contract part (families, modules and their units,
                 capabilities and parity summary, recipes, parity results, benchmarks, diagnostics,
                 provenance, source); :data:`RULED` and the ``other-change`` safety net
    summary.py   :func:`summarise`: per family and for the cookbook
    formats.py   :func:`render`: text, markdown (a byte budget, long groups folded), github annotations

    >>> changes = diff(old_matrix, new_matrix)                              # doctest: +SKIP
    >>> print(render(changes, "markdown", old=old_matrix, new=new_matrix))  # doctest: +SKIP
"""

from .formats import ANNOTATIONS_PER_TYPE, FORMATS, Format, gh_data, gh_property, md_code, render
from .records import (
    FAIL_ON_GROUPS,
    VALUE_LIMIT,
    Change,
    ChangeKind,
    Direction,
    Severity,
    Value,
    clean,
    describe_provenance,
    matching,
    say,
    status_direction,
)
from .rules import RATIO_MOVE, RULED, diff
from .summary import CookbookSummary, FamilySummary, Summary, summarise

__all__ = [
    "ANNOTATIONS_PER_TYPE",
    "FAIL_ON_GROUPS",
    "FORMATS",
    "RATIO_MOVE",
    "RULED",
    "VALUE_LIMIT",
    "Change",
    "ChangeKind",
    "CookbookSummary",
    "Direction",
    "FamilySummary",
    "Format",
    "Severity",
    "Summary",
    "Value",
    "clean",
    "describe_provenance",
    "diff",
    "gh_data",
    "gh_property",
    "matching",
    "md_code",
    "render",
    "say",
    "status_direction",
    "summarise",
]

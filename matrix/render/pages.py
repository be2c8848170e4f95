"""Home, family pages, "Not yet in Go", the provenance stamp, the schema reference and the exports.

Views are built here from the matrix; the templates (``overall``, ``family_progress``,
``family_coverage``, ``family_table``, ``not_in_go``, ``not_migrated_error``, ``python_only_ids``,
``schema_fields``, ``provenance``...) lay them out. Where MkDocs must resolve a page link the
template writes Markdown (``family_progress``, ``not_in_go``); everything else is HTML.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ..model import STATUS_ORDER, Family, Module, Status, SupportMatrix, json_schema
from ..sources import Loaded
from ..sources.snapshot import encode
from . import links, lookup, views
from .figures import counts, in_go_share, percent
from .interactive import short_note
from .registry import Arg, Macro
from .templating import Templates, markup
from .views import Units
from .views import unit_counts as units
from .words import Words

# --- figures -------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class StatusCount:
    status: Status
    count: int
    width: str
    """Share of all modules, in % with three decimals (a bar segment's width)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Progress:
    """Statuses of a set of modules: what the progress bar and the counts show."""

    parts: tuple[StatusCount, ...]
    """Statuses present, in display order."""
    in_go: int
    baseline: int
    percent: int
    go_only: int


def progress(c: Counter[Status]) -> Progress:
    total = sum(c.values())
    parts = tuple(StatusCount(s, c[s], f"{100 * c[s] / total:.3f}") for s in STATUS_ORDER if c[s])
    done, base = in_go_share(c)
    return Progress(parts, done, base, percent(done, base), c[Status.GO_ONLY])


def families(matrix: SupportMatrix) -> list[tuple[Family, list[Module]]]:
    """Families in display order, each with its modules."""
    by_family: dict[str, list[Module]] = {f.id: [] for f in matrix.families}
    for m in matrix.modules:
        by_family[m.family].append(m)
    return [(f, by_family[f.id]) for f in sorted(matrix.families, key=lambda f: (f.order, f.id))]


@dataclasses.dataclass(frozen=True, slots=True)
class FamilyProgress:
    family: Family
    progress: Progress
    units: Units


def provenance(t: Templates, matrix: SupportMatrix) -> Markup:
    """The stamp every page carries: what baseline and runtime this page describes, and from where."""
    return t.render("provenance.html.jinja", stamp=views.provenance(matrix))


def overall(t: Templates, matrix: SupportMatrix) -> Markup:
    """Home: measured units ported, modules fully and partly in Go, the bar of statuses."""
    mods = matrix.modules
    return t.render("overall.html.jinja", progress=progress(counts(mods)), units=units(mods, t.words))


def family_progress(t: Templates, matrix: SupportMatrix, link_base: str = "families/") -> Markup:
    """A Markdown table (so MkDocs resolves the page links), one row per family."""
    rows = [FamilyProgress(f, progress(counts(mods)), units(mods, t.words)) for f, mods in families(matrix)]
    return t.render("family_progress.md.jinja", rows=rows, link_base=link_base)


# --- family pages --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class FamilyRow:
    module: Module
    measured: str
    """``4 of 8 functions ported, 1 stub``; empty when nothing was measured."""
    parity: views.ParityView | None
    """Only when a parity fixture ran for the module."""


def family_row(m: Module, words: Words | None = None) -> FamilyRow:
    parity = views.parity(m.parity, words=words)
    return FamilyRow(m, views.measured(m, words), parity if parity.state != "none" else None)


def family_rows(matrix: SupportMatrix, family: str, words: Words | None = None) -> list[FamilyRow]:
    lookup.family(matrix, family)
    ordered = sorted(matrix.family_modules(family), key=lambda m: (STATUS_ORDER.index(m.status), m.id))
    return [family_row(m, words) for m in ordered]


@dataclasses.dataclass(frozen=True, slots=True)
class FamilyTable:
    rows: tuple[FamilyRow, ...]
    parity: bool
    """Some module of the family has a parity run (else the column is left out)."""
    go: bool
    """Some module of the family has a Go package (else the column is left out)."""


def family_table_view(matrix: SupportMatrix, family: str, words: Words | None = None) -> FamilyTable:
    rows = tuple(family_rows(matrix, family, words))
    return FamilyTable(rows, any(r.parity is not None for r in rows),
                       any(r.module.go is not None for r in rows))


@dataclasses.dataclass(frozen=True, slots=True)
class FamilyCoverage:
    family: Family
    progress: Progress
    units: Units


def family_coverage_view(matrix: SupportMatrix, family: str, words: Words | None = None) -> FamilyCoverage:
    fam = lookup.family(matrix, family)
    mods = matrix.family_modules(family)
    return FamilyCoverage(fam, progress(counts(mods)), units(mods, words))


def family_table(t: Templates, matrix: SupportMatrix, family: str) -> Markup:
    """Every module of a family, one row each, its name linking to its page (the module page carries
    the evidence; the table is left out of the search index, which finds the module pages)."""
    return t.render("family_table.html.jinja", table=family_table_view(matrix, family, t.words))


def family_coverage(t: Templates, matrix: SupportMatrix, family: str) -> Markup:
    """The family's status bar and its function-level coverage over the modules that have any."""
    return t.render("family_coverage.html.jinja", figure=family_coverage_view(matrix, family, t.words))


# --- "Not yet in Go" -----------------------------------------------------------------------------


def blocked_counts(matrix: SupportMatrix) -> Counter[str]:
    """How many recipes each module blocks."""
    out: Counter[str] = Counter()
    for r in matrix.recipes:
        out.update(r.blocked_by)
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class PythonOnlyRow:
    module: Module
    href: str
    """The module's own page (:func:`matrix.render.links.module_href`)."""
    blocks: int
    """Recipes it blocks."""
    reason: str
    """Why it is not in Go (a won't-port reason, or what the scan found; cut like the matrix's notes)."""
    tracking_url: str | None
    badge: bool
    """Its status differs from the page's subject (not yet in Go): a won't-port module shows its badge."""
    stand_ins: tuple[Module, ...] = ()
    """Modules in Go named as its replacement (none is recorded in the matrix yet)."""


@dataclasses.dataclass(frozen=True, slots=True)
class PythonOnlyGroup:
    family: Family
    rows: tuple[PythonOnlyRow, ...]
    in_go: tuple[tuple[Module, str], ...]
    """The family's modules in Go (or partly), with their page: named, not claimed as replacements
    (the first :data:`ALTERNATIVES_SHOWN`; the family page, linked above them, has every one)."""
    reason: bool
    """Some row has a reason (else the column is left out)."""
    stand_ins: bool
    """Some row names a stand-in."""
    tracking: bool
    """Some row has a tracking link."""
    in_go_more: int = 0
    """The family's modules in Go beyond those named."""


@dataclasses.dataclass(frozen=True, slots=True)
class NotInGo:
    groups: tuple[PythonOnlyGroup, ...]
    unknown: int
    """Modules with no evidence either way (said when nothing is python-only)."""
    total: int
    """Python-only modules listed."""
    page_size: int = 0
    """Rows a family's table shows at first with JavaScript (0: every row). A longer family is served
    with its first rows live and every row in a noscript copy (what a browser without
    JavaScript shows), so the page lays out a few rows per family however long the list grows."""


#: Rows per family on "Not yet in Go" before its "show more" (assets/matrix.js).
GROUP_PAGE_SIZE = 10
#: Modules in Go named per family on "Not yet in Go" (the rest are counted: the family page lists them).
ALTERNATIVES_SHOWN = 20


def not_in_go_view(matrix: SupportMatrix, words: Words | None = None) -> NotInGo:
    w = words or Words()
    blocks = blocked_counts(matrix)
    groups = []
    for fam, mods in families(matrix):
        missing = sorted((m for m in mods if m.status.python_only), key=lambda m: m.id)
        if not missing:
            continue
        rows = tuple(
            PythonOnlyRow(m, links.module_href(m), blocks[m.id], short_note(w.reason(m) or w.note(m)),
                          lookup.web_url(m.tracking), m.status is not Status.NOT_MIGRATED)
            for m in missing)
        in_go = tuple((m, links.module_href(m))
                      for m in sorted(mods, key=lambda m: m.id) if m.status.in_go)
        groups.append(PythonOnlyGroup(fam, rows, in_go[:ALTERNATIVES_SHOWN],
                                      reason=any(r.reason for r in rows),
                                      stand_ins=any(r.stand_ins for r in rows),
                                      tracking=any(r.module.tracking for r in rows),
                                      in_go_more=max(0, len(in_go) - ALTERNATIVES_SHOWN)))
    unknown = sum(1 for m in matrix.modules if m.status is Status.UNKNOWN)
    return NotInGo(tuple(groups), unknown, sum(len(g.rows) for g in groups), GROUP_PAGE_SIZE)


def not_in_go(t: Templates, matrix: SupportMatrix, link_base: str = "families/") -> Markup:
    """Every python-only module, grouped by family, one line each, with a family and search filter.

    Each family's table and alternatives are rendered here as components of their own, not included
    by the Markdown template: a site puts each aside while Markdown reads the page (at 10x modules
    Markdown's HTML passes over the tables took 0.5 s a page)."""
    view = not_in_go_view(matrix, t.words)
    parts = tuple((t.render("python_only_table.html.jinja", group=g, view=view),
                   t.render("alternatives.html.jinja", group=g)) for g in view.groups)
    return t.render("not_in_go.md.jinja", view=view, link_base=link_base, parts=parts)


@dataclasses.dataclass(frozen=True, slots=True)
class NotInGoLink:
    family: Family
    python_only: int
    unknown: int


def not_in_go_link_view(matrix: SupportMatrix, family: str) -> NotInGoLink:
    fam = lookup.family(matrix, family)
    mods = matrix.family_modules(family)
    return NotInGoLink(fam, sum(1 for m in mods if m.status.python_only),
                       sum(1 for m in mods if m.status is Status.UNKNOWN))


def not_in_go_link(t: Templates, matrix: SupportMatrix, family: str, url: str = "../not-in-go.md") -> Markup:
    """A sentence for a family page: a link to its python-only modules, or that there are none."""
    return t.render("not_in_go_link.md.jinja", link=not_in_go_link_view(matrix, family), url=url)


@dataclasses.dataclass(frozen=True, slots=True)
class NotMigratedSample:
    """A documented sample of the start-up error, with a module that raises it today."""

    text: tuple[str, ...]
    """The start-up error, line by line."""
    body: tuple[str, ...]
    """The API's 422 body, line by line."""


def not_migrated_sample(matrix: SupportMatrix) -> NotMigratedSample | None:
    first = next((m for m in matrix.modules if m.status is Status.NOT_MIGRATED), None)
    if first is None:
        return None
    text = (
        f'agno-go: start-up failed: module "{first.id}" is not_migrated (runtime=python-only)',
        f"  the Go runtime {matrix.runtime.version or ''} has no port of {first.title}; "
        "see the Not yet in Go page for alternatives",
    )
    body = json.dumps(
        {"error": {"code": "not_migrated", "module": first.id, "runtime": "python-only",
                   "message": f"module {first.id} is not available in the Go runtime"}},
        indent=2,
    )
    return NotMigratedSample(text, tuple(body.split("\n")))


def not_migrated_error(t: Templates, matrix: SupportMatrix) -> Markup:
    """What the start-up error looks like, shown with a module that raises it today."""
    return t.render("not_migrated_error.md.jinja", sample=not_migrated_sample(matrix))


def python_only_ids(t: Templates, matrix: SupportMatrix, link: str = "not-in-go.md") -> Markup:
    """The modules that raise ``not_migrated`` today, as Markdown links to their "Not yet in Go" entries."""
    ids = sorted(m.id for m in matrix.modules if m.status is Status.NOT_MIGRATED)
    return t.render("python_only_ids.md.jinja", ids=ids, link=link)


# --- schema reference ----------------------------------------------------------------------------


_LIMITS = ("pattern", "minimum", "maximum", "default")


def _type(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " | ".join(_type(p) for p in prop["anyOf"])
    if "enum" in prop:
        return " | ".join(json.dumps(v) for v in prop["enum"])
    if "const" in prop:
        return json.dumps(prop["const"])
    t = prop.get("type", "any")
    if t == "array":
        return f"array of {_type(prop.get('items', {}))}"
    if t == "object" and "additionalProperties" in prop:
        return f"object of {_type(prop['additionalProperties'])}"
    fmt = prop.get("format")
    return f"{t} ({fmt})" if fmt else str(t)


@dataclasses.dataclass(frozen=True, slots=True)
class SchemaField:
    name: str
    type: str
    required: bool
    limits: str


@dataclasses.dataclass(frozen=True, slots=True)
class SchemaObject:
    name: str
    description: str | None
    fields: tuple[SchemaField, ...]
    enum: tuple[str, ...] | None
    """The JSON values of an enum (no fields then)."""


def schema_objects(schema: dict[str, Any]) -> list[SchemaObject]:
    """One entry per object or enum of the schema, the root first."""
    defs: dict[str, Any] = schema.get("$defs", {})
    root = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else None
    names = ([root] if root else []) + sorted(n for n in defs if n != root)
    out = []
    for name in names:
        d = defs[name]
        if "properties" not in d:
            if "enum" in d:
                out.append(SchemaObject(name, None, (), tuple(json.dumps(v) for v in d["enum"])))
            continue
        req = set(d.get("required", ()))
        fields = tuple(
            SchemaField(field, _type(prop), field in req,
                        ", ".join(f"{k}={prop[k]}" for k in _LIMITS if k in prop))
            for field, prop in d["properties"].items()
        )
        out.append(SchemaObject(name, d.get("description") or None, fields, None))
    return out


def schema_fields(t: Templates, schema: dict[str, Any]) -> Markup:
    """One table per object of the schema: field, type, required, constraints."""
    return t.render("schema_fields.md.jinja", objects=schema_objects(schema))


# --- exports -------------------------------------------------------------------------------------

#: shields.io colour by the lowest share (in %) that earns it; below 10%: red.
_COLOURS: Sequence[tuple[int, str]] = (
    (90, "brightgreen"), (70, "green"), (50, "yellowgreen"), (30, "yellow"), (10, "orange"),
)


def shield(label: str, c: Counter[Status]) -> str:
    """A shields.io endpoint document (schemaVersion 1)."""
    done, base = in_go_share(c)
    pct = percent(done, base)
    colour = next((col for floor, col in _COLOURS if pct >= floor), "red")
    doc = {"schemaVersion": 1, "label": label, "message": f"{pct}% ({done}/{base})", "color": colour}
    return json.dumps(doc, sort_keys=True) + "\n"


def exports(matrix: SupportMatrix) -> dict[str, str]:
    """Files the site publishes at stable URLs, by path under the site root (JSON, not markup);
    computed once per matrix object (every edition of a build exports the same matrix)."""
    return dict(lookup.per_matrix(matrix, "exports", _exports))


def _exports(matrix: SupportMatrix) -> dict[str, str]:
    out = {
        "api/support-matrix.json": encode(matrix).decode(),
        "api/support-matrix.schema.json": json.dumps(json_schema(), indent=2, sort_keys=True) + "\n",
        "badges/overall.json": shield("in Go", counts(matrix.modules)),
    }
    for fam, mods in families(matrix):
        out[f"badges/{fam.id}.json"] = shield(f"{fam.title} in Go", counts(mods))
    return out


# --- macros --------------------------------------------------------------------------------------


def _provenance(t: Templates, data: Loaded) -> Markup:
    """The provenance stamp."""
    return provenance(t, data.matrix)


def _overall(t: Templates, data: Loaded) -> Markup:
    """Home: the share of baseline modules in Go, a bar and the counts by status."""
    return overall(t, data.matrix)


def _family_progress(t: Templates, data: Loaded, link_base: str = "families/") -> Markup:
    """Home: one row per family, linking to its page under ``link_base``."""
    return family_progress(t, data.matrix, link_base)


def _family_title(t: Templates, data: Loaded, family: str) -> Markup:
    """A family's title, as text."""
    return markup(lookup.family(data.matrix, family).title)


def _family_table(t: Templates, data: Loaded, family: str) -> Markup:
    """Every module of a family, one row each."""
    return family_table(t, data.matrix, family)


def _family_coverage(t: Templates, data: Loaded, family: str) -> Markup:
    """A family's share in Go and its unit coverage."""
    return family_coverage(t, data.matrix, family)


def _not_in_go(t: Templates, data: Loaded, link_base: str = "families/") -> Markup:
    """Every python-only module, by family, filterable, with what is in Go in its family."""
    return not_in_go(t, data.matrix, link_base)


def _not_migrated_error(t: Templates, data: Loaded) -> Markup:
    """A documented sample of the ``not_migrated`` start-up error."""
    return not_migrated_error(t, data.matrix)


def _not_in_go_link(t: Templates, data: Loaded, family: str, url: str = "../not-in-go.md") -> Markup:
    """A family's sentence linking to its python-only modules."""
    return not_in_go_link(t, data.matrix, family, url)


def _not_migrated_ids(t: Templates, data: Loaded, link: str = "not-in-go.md") -> Markup:
    """The ids of the modules that raise ``not_migrated``, linked."""
    return python_only_ids(t, data.matrix, link)


def _schema_fields(t: Templates, data: Loaded) -> Markup:
    """The contract's JSON Schema as tables."""
    return schema_fields(t, json_schema())


def _module_count(t: Templates, data: Loaded) -> Markup:
    """How many modules the matrix has."""
    return markup(len(data.matrix.modules))


MACROS: tuple[Macro, ...] = (
    Macro("provenance", _provenance),
    Macro("overall_progress", _overall),
    Macro("family_progress", _family_progress, (Arg.LINK,)),
    Macro("family_title", _family_title, (Arg.FAMILY,)),
    Macro("family_table", _family_table, (Arg.FAMILY,)),
    Macro("family_coverage", _family_coverage, (Arg.FAMILY,)),
    Macro("not_in_go", _not_in_go, (Arg.LINK,)),
    Macro("not_migrated_error", _not_migrated_error),
    Macro("not_in_go_link", _not_in_go_link, (Arg.FAMILY, Arg.LINK)),
    Macro("not_migrated_ids", _not_migrated_ids, (Arg.LINK,)),
    Macro("schema_fields", _schema_fields),
    Macro("module_count", _module_count),
)

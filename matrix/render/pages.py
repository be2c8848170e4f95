"""Home, family pages, "Not yet in Go", the provenance stamp, the schema reference and the exports.

Pure functions of the matrix. Tables are emitted as HTML blocks (so Markdown never
re-reads data values) except where Markdown links must be resolved by MkDocs; there
every value is escaped with :func:`~matrix.render._html.esc`, which makes it
Markdown- and Jinja-inert.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import UsageError
from ..model import STATUS_ORDER, Module, Status, SupportMatrix, json_schema
from ..sources.snapshot import encode
from . import MacroFn
from ._html import attrs, esc, status_badge
from .badges import anchor, coverage_text, go_package_text, parity_text, tracking_link

# --- figures -------------------------------------------------------------------------------------


def counts(modules: Iterable[Module]) -> Counter[Status]:
    return Counter(m.status for m in modules)


def in_go_share(c: Counter[Status]) -> tuple[int, int]:
    """(in Go, baseline modules): migrated + partial over every module the baseline has (go-only excluded)."""
    baseline = sum(c.values()) - c[Status.GO_ONLY]
    return c[Status.MIGRATED] + c[Status.PARTIAL], baseline


def percent(part: int, whole: int) -> int:
    """Rounded down, so 99.6% never reads as 100%."""
    return (100 * part) // whole if whole else 0


def _seg_attrs(status: Status, n: int, total: int) -> str:
    return attrs(class_=f"agno-bar__seg agno-bar__seg--{status.info.token}",
                 style=f"width:{100 * n / total:.3f}%", title=f"{n} {status.label}")


def progress_bar(c: Counter[Status]) -> str:
    """A stacked bar, one segment per status present, widths in % of the modules."""
    total = sum(c.values())
    label = ", ".join(f"{c[s]} {s.label}" for s in STATUS_ORDER if c[s])
    segs = "".join(
        f"<span{_seg_attrs(s, c[s], total)}></span>" for s in STATUS_ORDER if c[s]
    )
    return f"<span{attrs(class_='agno-bar', role='img', aria_label=label)}>{segs}</span>"


def counts_text(c: Counter[Status]) -> str:
    return " ".join(f"{status_badge(s)}&nbsp;{c[s]}" for s in STATUS_ORDER if c[s])


def _family_title(matrix: SupportMatrix, family: str) -> str:
    for f in matrix.families:
        if f.id == family:
            return f.title
    known = ", ".join(f.id for f in matrix.families)
    raise UsageError(f"unknown family {family!r}", where="agno-docs macro", hint=f"known families: {known}")


def _families(matrix: SupportMatrix) -> list[tuple[str, str, list[Module]]]:
    by_family: dict[str, list[Module]] = {f.id: [] for f in matrix.families}
    for m in matrix.modules:
        by_family[m.family].append(m)
    return [(f.id, f.title, by_family[f.id]) for f in sorted(matrix.families, key=lambda f: (f.order, f.id))]


# --- provenance ----------------------------------------------------------------------------------


def _ref(name: str, version: str | None, commit: str | None) -> str:
    text = f"<strong>{esc(name)}</strong> {esc(version or 'version unknown')}"
    if commit:
        text += f" (<code{attrs(title=commit)}>{esc(commit[:12])}</code>)"
    return text


def provenance(matrix: SupportMatrix) -> str:
    """The stamp every page carries: what baseline and runtime this page describes, and from where."""
    b, r, s = matrix.baseline, matrix.runtime, matrix.source
    where = s.url or ", ".join(f"{k}={v}" for k, v in sorted(s.trees.items())) or None
    src = esc(s.kind.value) + (f" <code>{esc(where)}</code>" if where else "")
    return (
        f"<p{attrs(class_='agno-stamp', data_baseline_commit=b.commit, data_runtime_commit=r.commit)}>"
        f"Baseline {_ref(b.name, b.version, b.commit)} &middot; "
        f"Runtime {_ref(r.name, r.version, r.commit)} &middot; "
        f"source: {src} &middot; generated {esc(matrix.generated_at.isoformat(timespec='seconds'))}</p>"
    )


# --- home ----------------------------------------------------------------------------------------


def overall(matrix: SupportMatrix) -> str:
    c = counts(matrix.modules)
    done, base = in_go_share(c)
    return (
        "<div class=\"agno-overall\"><p class=\"agno-overall__figure\">"
        f"<strong>{percent(done, base)}%</strong>"
        f" of the {base} baseline modules run in Go ({done} in Go or partial)"
        f"{f', plus {c[Status.GO_ONLY]} Go-only' if c[Status.GO_ONLY] else ''}.</p>"
        f"{progress_bar(c)}<p>{counts_text(c)}</p></div>"
    )


def family_progress(matrix: SupportMatrix, link_base: str = "families/") -> str:
    """A Markdown table (so MkDocs resolves the page links), one row per family."""
    lines = ["| Family | In Go | Progress | Modules by status |", "| --- | ---: | --- | --- |"]
    for fid, title, mods in _families(matrix):
        c = counts(mods)
        done, base = in_go_share(c)
        link = f"[{esc(title)}]({link_base}{fid}.md)"
        share = f"{percent(done, base)}% ({done}/{base})"
        lines.append(f"| {link} | {share} | {progress_bar(c)} | {counts_text(c)} |")
    return "\n".join(lines)


# --- family pages --------------------------------------------------------------------------------


def _capabilities(m: Module) -> str:
    if not m.capabilities:
        return "&mdash;"

    def mark(v: bool | None) -> str:
        return "?" if v is None else ("yes" if v else "no")

    return ", ".join(
        f"<span{attrs(class_='agno-cap', title=f'python: {mark(c.python)}, go: {mark(c.go)}')}>"
        f"{esc(c.name)}{'' if c.go else ' (not in Go)'}</span>"
        for c in m.capabilities
    )


def _note(m: Module) -> str:
    text = m.notes or m.reason
    return esc(text) if text else ""


def family_table(matrix: SupportMatrix, family: str) -> str:
    _family_title(matrix, family)
    rows = []
    for m in sorted(matrix.family_modules(family), key=lambda m: (STATUS_ORDER.index(m.status), m.id)):
        rows.append(
            f"<tr{attrs(id=anchor(m.id), data_status=m.status.value)}>"
            f"<td><span{attrs(title=m.id)}>{esc(m.title)}</span><br><code>{esc(m.id)}</code></td>"
            f"<td>{status_badge(m.status)}</td><td>{go_package_text(m)}</td><td>{coverage_text(m)}</td>"
            f"<td>{parity_text(m)}</td><td>{_capabilities(m)}</td><td>{_note(m)}</td></tr>"
        )
    return (
        "<table class=\"agno-table\"><thead><tr><th>Module</th><th>Status</th><th>Go package</th>"
        "<th>Functions</th><th>Parity</th><th>Capabilities</th><th>Notes</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def family_coverage(matrix: SupportMatrix, family: str) -> str:
    """The family's status bar and its function-level coverage over the modules that have any."""
    title = _family_title(matrix, family)
    mods = matrix.family_modules(family)
    c = counts(mods)
    done, base = in_go_share(c)
    measured = [m.coverage for m in mods if m.coverage is not None]
    ported = sum(x.ported for x in measured)
    total = sum(x.total for x in measured)
    fn = (
        f"Function coverage over the {len(measured)} modules with function-level evidence: "
        f"<strong>{ported}/{total} ({percent(ported, total)}%)</strong>."
        if total
        else "No function-level evidence for this family."
    )
    return (
        f"<div class=\"agno-figure\"><p><strong>{percent(done, base)}%</strong> of the {base} baseline "
        f"{esc(title)} modules run in Go.</p>{progress_bar(c)}<p>{counts_text(c)}</p><p>{fn}</p></div>"
    )


# --- "Not yet in Go" -----------------------------------------------------------------------------


def blocked_counts(matrix: SupportMatrix) -> Counter[str]:
    """How many recipes each module blocks."""
    out: Counter[str] = Counter()
    for r in matrix.recipes:
        out.update(r.blocked_by)
    return out


def python_only(matrix: SupportMatrix) -> list[tuple[str, str, list[Module], list[Module]]]:
    """Per family: (id, title, python-only modules, modules in Go that may stand in)."""
    out = []
    for fid, title, mods in _families(matrix):
        missing = sorted((m for m in mods if m.status.python_only), key=lambda m: m.id)
        if missing:
            out.append((fid, title, missing, [m for m in mods if m.status.in_go]))
    return out


def not_in_go(matrix: SupportMatrix, link_base: str = "families/") -> str:
    blocks = blocked_counts(matrix)
    groups = python_only(matrix)
    if not groups:
        unknown = sum(1 for m in matrix.modules if m.status is Status.UNKNOWN)
        if unknown:
            return f"No module is known to be python-only; {unknown} have no evidence either way."
        return "Every baseline module has Go code today."
    parts = []
    for fid, title, missing, alternatives in groups:
        rows = "".join(
            f"<tr{attrs(id=anchor(m.id), data_status=m.status.value)}>"
            f"<td>{esc(m.title)}<br><code>{esc(m.id)}</code></td>"
            f"<td>{status_badge(m.status)}</td><td>{blocks[m.id]}</td>"
            f"<td>{esc(m.reason) if m.reason else ''}</td><td>{tracking_link(m)}</td></tr>"
            for m in missing
        )
        alt = (
            "In Go in this family (may stand in): "
            + ", ".join(f"<code>{esc(m.id)}</code>" for m in sorted(alternatives, key=lambda m: m.id))
            if alternatives
            else "No module of this family is in Go yet."
        )
        parts.append(
            f"## {esc(title)} {{ #family-{fid} }}\n\n"
            f"{len(missing)} python-only modules. [All {esc(title)} modules]({link_base}{fid}.md).\n\n"
            "<table class=\"agno-table\"><thead><tr><th>Module</th><th>Status</th><th>Recipes blocked</th>"
            f"<th>Reason</th><th>Tracking</th></tr></thead><tbody>{rows}</tbody></table>\n\n"
            f"<p class=\"agno-alternatives\">{alt}</p>\n"
        )
    return "\n".join(parts)


def _pre(text: str) -> str:
    """Escaped text for a <pre> block: lines kept (as &#10;, so the HTML block has no blank line)."""
    return "&#10;".join(esc(line) for line in text.split("\n"))


def not_in_go_link(matrix: SupportMatrix, family: str, url: str = "../not-in-go.md") -> str:
    """A sentence for a family page: a link to its python-only modules, or that there are none."""
    title = _family_title(matrix, family)
    mods = matrix.family_modules(family)
    n = sum(1 for m in mods if m.status.python_only)
    unknown = sum(1 for m in mods if m.status is Status.UNKNOWN)
    if not n:
        if unknown:
            return (f"No module of {esc(title)} is known to be python-only; "
                    f"{unknown} have no evidence either way.")
        return f"Every baseline module of {esc(title)} has Go code."
    link = f"[Not yet in Go]({url}#family-{family})"
    return f"The {n} python-only modules of {esc(title)}, and what to do instead: {link}."


def not_migrated_error(matrix: SupportMatrix) -> str:
    """What the start-up error looks like, shown with a module that raises it today."""
    first = next((m for m in matrix.modules if m.status is Status.NOT_MIGRATED), None)
    if first is None:
        return "<p>No module is <code>not_migrated</code> today, so the runtime raises no such error.</p>"
    text = (
        f'agno-go: start-up failed: module "{first.id}" is not_migrated (runtime=python-only)\n'
        f"  the Go runtime {matrix.runtime.version or ''} has no port of {first.title!s}; "
        "see the Not yet in Go page for alternatives"
    )
    body = json.dumps(
        {"error": {"code": "not_migrated", "module": first.id, "runtime": "python-only",
                   "message": f"module {first.id} is not available in the Go runtime"}},
        indent=2,
    )
    return (
        f"<pre class=\"agno-error\"><code>{_pre(text)}</code></pre>\n\n"
        "<p>Through the control-plane API the same refusal comes back as an HTTP 422 body:</p>\n\n"
        f"<pre class=\"agno-error\"><code>{_pre(body)}</code></pre>"
    )


def python_only_ids(matrix: SupportMatrix, link: str = "not-in-go.md") -> str:
    """The modules that raise ``not_migrated`` today, as Markdown links to their "Not yet in Go" entries."""
    ids = sorted(m.id for m in matrix.modules if m.status is Status.NOT_MIGRATED)
    if not ids:
        return "None: no module raises <code>not_migrated</code> today."
    items = ", ".join(f"[<code>{esc(i)}</code>]({link}#{anchor(i)})" for i in ids)
    return f"{len(ids)} modules: {items}."


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


def schema_fields(schema: dict[str, Any]) -> str:
    """One table per object of the schema: field, type, required, constraints."""
    defs: dict[str, Any] = schema.get("$defs", {})
    root = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else None
    names = ([root] if root else []) + sorted(n for n in defs if n != root)
    parts = []
    for name in names:
        d = defs[name]
        if "properties" not in d:
            if "enum" in d:
                values = ", ".join(f"<code>{esc(json.dumps(v))}</code>" for v in d["enum"])
                parts.append(f"### {esc(name)}\n\nOne of: {values}")
            continue
        req = set(d.get("required", ()))
        rows = []
        for field, prop in d["properties"].items():
            limits = ", ".join(f"{k}={prop[k]}" for k in _LIMITS if k in prop)
            rows.append(f"<tr><td><code>{esc(field)}</code></td><td><code>{esc(_type(prop))}</code></td>"
                        f"<td>{'yes' if field in req else 'no'}</td><td>{esc(limits)}</td></tr>")
        desc = f"<p>{esc(d['description'])}</p>" if d.get("description") else ""
        parts.append(
            f"### {esc(name)}\n\n{desc}<table class=\"agno-table\"><thead><tr><th>Field</th><th>Type</th>"
            "<th>Required</th>"
            f"<th>Constraints / default</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return "\n\n".join(parts)


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
    """Files the site publishes, by path under the site root (rendered through ``extra_templates``)."""
    out = {
        "api/support-matrix.json": encode(matrix).decode(),
        "api/support-matrix.schema.json": json.dumps(json_schema(), indent=2, sort_keys=True) + "\n",
        "badges/overall.json": shield("in Go", counts(matrix.modules)),
    }
    for fid, title, mods in _families(matrix):
        out[f"badges/{fid}.json"] = shield(f"{title} in Go", counts(mods))
    return out


def export_templates(matrix: SupportMatrix) -> list[str]:
    """The template file each export needs under ``docs/`` (what ``extra_templates`` must list)."""
    return sorted(exports(matrix))


def template_text(path: str) -> str:
    """The committed content of the template for one export (no trailing newline: the value has it)."""
    return '{{ config.extra.agno_exports["' + path + '"] }}'


# --- macros --------------------------------------------------------------------------------------


MACROS: dict[str, MacroFn] = {
    "provenance": lambda data: provenance(data.matrix),
    "overall_progress": lambda data: overall(data.matrix),
    "family_progress": lambda data, link_base="families/": family_progress(data.matrix, link_base),
    "family_title": lambda data, family: esc(_family_title(data.matrix, family)),
    "family_table": lambda data, family: family_table(data.matrix, family),
    "family_coverage": lambda data, family: family_coverage(data.matrix, family),
    "not_in_go": lambda data, link_base="families/": not_in_go(data.matrix, link_base),
    "not_migrated_error": lambda data: not_migrated_error(data.matrix),
    "not_in_go_link": lambda data, family, url="../not-in-go.md": not_in_go_link(data.matrix, family, url),
    "not_migrated_ids": lambda data, link="not-in-go.md": python_only_ids(data.matrix, link),
    "schema_fields": lambda data: schema_fields(json_schema()),
    "module_count": lambda data: str(len(data.matrix.modules)),
}


"""Compare two built sites file by file, whitespace aside.

    .venv/bin/python bench/site_diff.py BEFORE_DIR AFTER_DIR [--show 3] [--json FILE]

For the macros' placeholder mechanism (macros/slots.py): build the site before and after a change
into two folders and run this. Every HTML file is compared after normalising whitespace (runs of
whitespace become one space, whitespace between tags is dropped); the search index
(``search/search_index.json``) is compared entry by entry with the same normalisation of ``text``
and ``title``; every other file is compared byte for byte (``sitemap.xml.gz`` is skipped: gzip
stamps the time). Prints one line per differing file with the first difference in context.

Exit 0 when nothing differs, 1 when something does, 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

_WS = re.compile(r"\s+")
_BETWEEN_TAGS = re.compile(r">\s+<")
SKIP = {"sitemap.xml.gz"}


def normalise(text: str) -> str:
    return _BETWEEN_TAGS.sub("><", _WS.sub(" ", text)).replace("> ", ">").replace(" <", "<").strip()


def _search(path: Path) -> str:
    data = json.loads(path.read_text(encoding="utf-8"))
    docs = [{k: normalise(v) if isinstance(v, str) else v for k, v in d.items()} for d in data["docs"]]
    return json.dumps({"config": data.get("config"), "docs": docs}, indent=0, sort_keys=True)


def _first_difference(a: str, b: str, width: int = 90) -> str:
    i = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    lo = max(0, i - width // 2)
    return f"at char {i}: before …{a[lo:i + width // 2]!r}… after …{b[lo:i + width // 2]!r}…"


def compare(before: Path, after: Path) -> tuple[int, list[tuple[str, str]]]:
    """(files compared, [(relative path, why)]) for every file that differs or exists on one side."""
    names_a = {p.relative_to(before).as_posix() for p in before.rglob("*") if p.is_file()}
    names_b = {p.relative_to(after).as_posix() for p in after.rglob("*") if p.is_file()}
    out = [(n, "only before") for n in sorted(names_a - names_b)]
    out += [(n, "only after") for n in sorted(names_b - names_a)]
    compared = 0
    for name in sorted(names_a & names_b):
        if Path(name).name in SKIP:
            continue
        compared += 1
        a, b = before / name, after / name
        if name.endswith(".html"):
            ta, tb = (normalise(p.read_text(encoding="utf-8")) for p in (a, b))
        elif name.endswith("search_index.json"):
            ta, tb = _search(a), _search(b)
        else:
            if a.read_bytes() == b.read_bytes():
                continue
            ta, tb = "binary", "differs"
        if ta != tb:
            out.append((name, _first_difference(ta, tb)))
    return compared, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--show", type=int, default=10, help="differences to print")
    ap.add_argument("--json", type=Path, help="write the result as JSON here")
    args = ap.parse_args(argv)
    for d in (args.before, args.after):
        if not d.is_dir():
            print(f"bench/site_diff.py: {d}: no such folder (build the site into it first)", file=sys.stderr)
            return 2
    compared, diffs = compare(args.before, args.after)
    html = sum(1 for p in args.after.rglob("*.html"))
    print(f"compared {compared} files ({html} HTML pages) of {args.before} and {args.after}, "
          f"whitespace normalised: {len(diffs)} differ")
    for name, why in diffs[: args.show]:
        print(f"  {name}: {why}")
    if args.json:
        files = [{"path": n, "why": w} for n, w in diffs]
        result = {"compared": compared, "html_pages": html, "differ": len(diffs), "files": files}
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())

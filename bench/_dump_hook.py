"""MkDocs hook used by bench/site.py only: dump the site as hand-written pages (no generated content).

Loaded next to ``macros/hooks.py`` in one untimed build. After the macros and the slots hook ran,
each page's Markdown (placeholders expanded back to their HTML, front matter restored) is written
under ``$AGNO_BENCH_DUMP/docs/``; after the build, the generated files that are not pages (the
JSON exports, the families nav) and what the theme templates take from ``extra`` are written
too. bench/site.py builds that folder without the macros, gen-files and hooks as its baseline.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from mkdocs.plugins import event_priority

from macros import slots

OUT = Path(os.environ["AGNO_BENCH_DUMP"])


@event_priority(-100)
def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    stash = slots.current()
    text = stash.expand(markdown) if stash is not None else markdown
    meta = {k: v for k, v in page.meta.items()}
    front = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" if meta else ""
    dest = OUT / "docs" / page.file.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(front + text, encoding="utf-8")
    return markdown


def on_post_build(config: Any, **kwargs: Any) -> None:
    stash = slots.current()
    extra = config["extra"]
    for path, text in extra.get("agno_files", {}).items():
        dest = OUT / "docs" / path
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(stash.expand(text) if stash is not None else text, encoding="utf-8")
    # what the theme templates read from extra (the provenance stamp, the stale banner, generated
    # pages' fragments...): every agno_* value but the generated files, as plain JSON
    theme = {k: v for k, v in extra.items() if k.startswith("agno_") and k != "agno_files"}
    (OUT / "extra.json").write_text(json.dumps(theme, default=str), encoding="utf-8")

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
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.plugins import event_priority

from macros import _later_pass, shell, slots

OUT = Path(os.environ["AGNO_BENCH_DUMP"])


@event_priority(-100)
def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    if shell.is_frame(page):  # the module pages are dumped one by one (on_post_page)
        return markdown
    i18n = config.plugins.get("i18n")
    lang = getattr(i18n, "current_language", None) or getattr(i18n, "default_language", None)
    src = page.file.src_uri
    if i18n is not None and lang != i18n.default_language and not src.endswith(f".{lang}.md"):
        if getattr(page.file, "generated_by", None) != "mkdocs-gen-files":
            return markdown  # a page shown in the default language: the plugin makes it again
        src = src[: -len(".md")] + f".{lang}.md"  # a generated page in this edition's language
    stash = slots.current()
    text = stash.expand(markdown) if stash is not None else markdown
    meta = {k: v for k, v in page.meta.items()}
    front = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" if meta else ""
    dest = OUT / "docs" / src
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(front + text, encoding="utf-8")
    return markdown


_H2 = re.compile(r'<h2 data-search-exclude id="([^"]+)">(.*?)<a class="headerlink"[^>]*>[^<]*</a></h2>')
_H1 = re.compile(r"<h1 [^>]*>.*?</h1>")


@event_priority(-100)  # after macros/hooks.py wrote the module pages into their frame
def on_post_page(output: str, page: Any, config: Any, **kwargs: Any) -> str:
    """Module pages, as a hand-written page would hold them: the title and the sections' headings in
    Markdown (so the TOC and search see them as before), the rest as raw HTML."""
    if shell.is_frame(page):
        suffix = ".md" if page.url.startswith("modules/") else f".{page.url.split('/', 1)[0]}.md"
        for m in shell.written_pages:
            meta = {"search": {"boost": m.boost}, "tags": list(m.tags)}
            body = _H2.sub(lambda h: f"\n\n## {h[2]} {{ #{h[1]} data-search-exclude }}\n\n",
                           _H1.sub("", m.html, 1))
            text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"
            dest = OUT / "docs" / (m.url.rstrip("/") + suffix)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(f"{text}# {m.title}\n\n{body}\n", encoding="utf-8")
    return output


def on_post_build(config: Any, **kwargs: Any) -> None:
    stash = slots.current()
    extra = config["extra"]
    for path, text in extra.get("agno_files", {}).items():
        if path == shell.FRAME:
            continue
        dest = OUT / "docs" / path
        if not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(stash.expand(text) if stash is not None else text, encoding="utf-8")
    # what the theme templates read from extra (the provenance stamp, the stale banner, generated
    # pages' fragments...): every agno_* value but the generated files, as plain JSON
    theme = {k: v for k, v in extra.items() if k.startswith("agno_") and k != "agno_files"}
    # one `extra` for the baseline's every edition: the default edition's (its pass ends last, after
    # the others', so the first written is kept); the other editions' stamp differs in the baseline
    if not (OUT / "extra.json").exists() or not _later_pass(config):
        (OUT / "extra.json").write_text(json.dumps(theme, default=str), encoding="utf-8")

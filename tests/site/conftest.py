"""Shared helpers for the site tests: the real snapshot, mkdocs.yml, parsed HTML."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from matrix.model import SupportMatrix
from matrix.sources import snapshot

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name; their values do not matter here."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config() -> dict[str, Any]:
    data = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def real() -> SupportMatrix:
    """The committed snapshot (the site's default source): missing or invalid fails, never skips."""
    return snapshot.load()


class Page(HTMLParser):
    """Tags with their attributes, and the text, of one HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.elements if a.get("id")}  # type: ignore[misc]

    def with_attr(self, name: str, value: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if a.get(name) == value]


def build(out: Path, **env_vars: str) -> Path:
    """``mkdocs build --strict`` of the real site into ``out`` (both editions); on failure, the build's
    last lines. The build's log is kept beside it, in ``<out>.log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env.update(env_vars, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out.with_suffix(".log").write_text(proc.stderr, encoding="utf-8")
    return out


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, real: SupportMatrix) -> Path:
    """The real site, built once for the session's site tests."""
    return build(tmp_path_factory.mktemp("site") / "site")

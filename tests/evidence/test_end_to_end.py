"""End to end: ``agno-docs compute`` on a small tree + evidence, then a site build against that matrix.

The trees, the profile and the evidence are written here (never copied from the real repositories).
The site is a small MkDocs project that uses this repository's ``macros`` module and its real Parity,
Benchmarks and Telemetry pages, so the pages are checked as published, without depending on pages
other helpers own (which name modules of the real trees).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from matrix import cli
from matrix.model import Status
from matrix.render.evidence import parity_anchor
from matrix.sources import snapshot
from tests.evidence.conftest import DATA

ROOT = Path(__file__).resolve().parent.parent.parent

PROFILE = """\
name = "tiny"
[baseline]
name = "tiny-py"
root = "lib"
[runtime]
name = "tiny-go"
roots = ["pkg"]
[rules.python]
toolkit_base = "Toolkit"
[rules.go]
registration = '''
(call_expression
  function: (selector_expression field: (field_identifier) @_r)
  arguments: (argument_list (unary_expression operand: (composite_literal body: (literal_value) @fields)))
  (#eq? @_r "RegisterFunction"))
'''
[families.tools]
title = "Tools"
order = 0
units = "functions"
python = ["tools"]
go = ["pkg/tools"]
"""

PY_TOOL = """\
class {cls}({base}):
    def __init__(self):
        super().__init__(name="{name}", tools=[self.{fn}])

    def {fn}(self, value):
        return value
"""

GO_TOOL = """\
package {name}

type Toolkit struct{{}}

func (t *Toolkit) RegisterFunction(f *toolkit.Function) {{}}

func New() *Toolkit {{
	t := &Toolkit{{}}
	t.RegisterFunction(&toolkit.Function{{Name: "{fn}"}})
	return t
}}
"""


def small_trees(tmp: Path) -> tuple[Path, Path, Path]:
    py, go = tmp / "py", tmp / "go"
    (py / "lib" / "tools").mkdir(parents=True)
    (py / "lib" / "tools" / "base.py").write_text(
        "class Toolkit:\n    def __init__(self, name, tools):\n        self.name = name\n"
    )
    for name, cls, fn in (
        ("calculator", "CalculatorTools", "add"),
        ("duckduckgo", "DuckDuckGoTools", "search"),
    ):
        (py / "lib" / "tools" / f"{name}.py").write_text(
            "from .base import Toolkit\n\n\n" + PY_TOOL.format(cls=cls, base="Toolkit", name=name, fn=fn)
        )
        (go / "pkg" / "tools" / name).mkdir(parents=True)
        (go / "pkg" / "tools" / name / f"{name}.go").write_text(GO_TOOL.format(name=name, fn=fn))
    profile = tmp / "tiny.toml"
    profile.write_text(PROFILE)
    return py, go, profile


def evidence(tmp: Path) -> Path:
    parity = tmp / "parity"
    (parity / "fixtures").mkdir(parents=True)
    (parity / "fixtures" / "tools.yaml").write_text(
        "- fixture: calc-ok\n  workflow: single-agent\n  modules: [tools.calculator]\n"
        "- fixture: search-broken\n  agents: [researcher]\n  modules: [tools.duckduckgo]\n"
    )
    (parity / "calc-ok.json").write_text(
        '{"fixture": "calc-ok", "runtime": "go", "status": "pass", '
        '"metrics_match": true, "timestamp": 1763629200}\n'
    )
    (parity / "search-broken.yaml").write_text(
        "fixture: search-broken\nstatus: fail\nruntime: go\nmetrics_match: false\ndiffs:\n"
        '  - path: outputs[0].content\n    python: "<b>bold</b> | {{ 7*7 }}"\n    go: ""\n'
    )
    return parity


def build(tmp: Path, matrix_file: Path) -> Path:
    docs = tmp / "docs"
    (docs / "reference").mkdir(parents=True)
    for page in ("parity.md", "benchmarks.md", "telemetry.md", "reference/evidence-formats.md"):
        shutil.copy(ROOT / "docs" / page, docs / page)
    (docs / "index.md").write_text(
        "# Matrix\n\n"
        '<p id="calc">{{ parity_badge("tools.calculator", "parity/") }}</p>\n\n'
        '<p id="ddg">{{ parity_badge("tools.duckduckgo", "parity/") }}</p>\n'
    )
    config = tmp / "mkdocs.yml"
    config.write_text(f"""\
site_name: e2e
site_url: https://example.invalid/
docs_dir: {docs}
site_dir: {tmp / "site"}
strict: true
theme: {{name: material, font: false}}
plugins:
  - macros:
      module_name: {ROOT / "macros"}
      on_error_fail: true
      on_undefined: strict
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.snippets: {{base_path: ["{ROOT / "docs" / "snippets"}"], check_paths: true}}
""")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env.update(AGNO_MATRIX_SNAPSHOT=str(matrix_file), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return tmp / "site"


@pytest.mark.slow
def test_compute_with_evidence_then_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    py, go, profile = small_trees(tmp_path)
    out = tmp_path / "matrix.json"
    code = cli.main(
        [
            "compute",
            "--python-root",
            str(py),
            "--go-root",
            str(go),
            "--profile",
            str(profile),
            "--no-cache",
            "--quiet",
            "--parity",
            str(evidence(tmp_path)),
            "--bench-go",
            str(DATA / "go-bench-multi.txt"),
            "--bench-python",
            str(DATA / "python-bench.json"),
            "--out",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr().err
    matrix = snapshot.load(out)
    by_id = matrix.modules_by_id()
    # The failing fixture demoted the module it covers; the passing one is evidence.
    assert by_id["tools.duckduckgo"].status is Status.PARTIAL
    assert by_id["tools.duckduckgo"].notes == (
        "parity fixture search-broken failed: search-broken: "
        'outputs[0].content (python="<b>bold</b> | {{ 7*7 }}", go="")'
    )
    assert by_id["tools.calculator"].status is Status.MIGRATED
    assert by_id["tools.calculator"].parity is not None and by_id["tools.calculator"].parity.passed == 1
    assert len(matrix.benchmarks) == 5

    site = build(tmp_path, out)
    parity = (site / "parity" / "index.html").read_text()
    assert f'id="{parity_anchor("search-broken")}"' in parity
    assert "2 fixture(s): 1 pass, 1 fail, 0 error." in parity
    assert "&lt;b&gt;bold&lt;/b&gt; &#124; &#123;&#123; 7&#42;7 &#125;&#125;" in parity
    assert "<b>bold</b>" not in parity and "49" not in parity  # nothing evaluated or injected
    assert "No parity results recorded" not in parity
    bench = (site / "benchmarks" / "index.html").read_text()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="agno-bench-chart"' in bench
    assert "<td>ns/op</td><td>2,400</td><td>50,000</td><td>0.048</td><td>Go 21\u00d7 faster</td>" in bench
    assert "No benchmarks recorded" not in bench
    home = (site / "index.html").read_text()
    assert f'href="parity/&#35;{parity_anchor("search-broken")}"' in home
    assert ">parity: 1 of 1 failing</a>" in home and ">parity 1/1 pass</a>" in home
    telemetry = (site / "telemetry" / "index.html").read_text()
    assert "sk-EXAMPLE" not in telemetry and "sk-…&#91;redacted, 50 chars&#93;" in telemetry


@pytest.mark.slow
def test_site_without_evidence_says_so(tmp_path: Path) -> None:
    from tests import factories

    out = tmp_path / "matrix.json"
    snapshot.dump(
        factories.matrix(factories.module("tools.calculator"), factories.module("tools.duckduckgo")), out
    )
    site = build(tmp_path, out)
    assert "No parity results recorded in this snapshot." in (site / "parity" / "index.html").read_text()
    bench = (site / "benchmarks" / "index.html").read_text()
    assert "No benchmarks recorded in this snapshot." in bench and "agno-bench-chart" not in bench
    assert ">no parity run</span>" in (site / "index.html").read_text()


@pytest.mark.slow
def test_whole_site_with_sample_evidence_on_the_committed_snapshot(tmp_path: Path) -> None:
    """The real mkdocs.yml, the committed snapshot and the sample evidence: the pages show it."""
    from matrix.sources.evidence import apply_evidence

    committed = snapshot.load(snapshot.DEFAULT_SNAPSHOT)
    named = {"tools.calculator", "tools.duckduckgo", "models.openai", "models.glm"}
    assert named <= set(committed.modules_by_id()), "sample parity fixtures name modules the snapshot lacks"
    joined = apply_evidence(
        committed,
        parity_dir=DATA / "parity",
        bench_go=DATA / "go-bench-multi.txt",
        bench_python=DATA / "python-bench.json",
    )
    out = tmp_path / "matrix.json"
    snapshot.dump(joined, out)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGNO_")}
    env.update(AGNO_MATRIX_SNAPSHOT=str(out), NO_MKDOCS_2_WARNING="1")
    site = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "--strict", "-d", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    parity = (site / "parity" / "index.html").read_text()
    assert (
        "3 fixture(s): 1 pass, 1 fail, 1 error." in parity and "Why there are no parity results" not in parity
    )
    assert f'id="{parity_anchor("search-news")}"' in parity
    matrix_page = (site / "matrix" / "index.html").read_text()
    assert f"&#35;{parity_anchor('search-news')}" in matrix_page  # the failing badge links to the diff
    assert ">parity 1/1 pass</a>" in matrix_page
    bench = (site / "benchmarks" / "index.html").read_text()
    assert 'class="agno-bench-chart"' in bench and "Why there are no benchmarks" not in bench


def test_compute_stops_on_a_fixture_naming_an_unknown_module(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    py, go, profile = small_trees(tmp_path)
    parity = tmp_path / "parity"
    parity.mkdir()
    (parity / "fx.yaml").write_text("fixture: f\nmodules:\n  - tools.calculator\n  - tools.shell\n")
    out = tmp_path / "matrix.json"
    argv = [
        "compute",
        "--python-root",
        str(py),
        "--go-root",
        str(go),
        "--profile",
        str(profile),
        "--no-cache",
        "--quiet",
        "--parity",
        str(parity),
        "--out",
        str(out),
    ]
    assert cli.main(argv) == 3
    assert capsys.readouterr().err == (
        f"agno-docs compute: error: {parity / 'fx.yaml'}:4 at $.modules[1]: fixture 'f' names module "
        "'tools.shell', which the matrix does not have; use a module id from the matrix, "
        "e.g. `tools.calculator` (see matrix.json)\n"
    )
    assert not out.exists()  # nothing written on failure

# One entry point per task. `make site` and `make test` are the README's two commands.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
AXE    := node_modules/axe-core/axe.min.js

.PHONY: setup site serve test lint check snapshot bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,lint]'
	touch $@

$(AXE): package.json package-lock.json   ## axe-core for the accessibility tests (npm registry)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(STAMP) $(AXE)

site: $(STAMP)            ## build the site from the committed snapshot (no network)
	$(PY) -m mkdocs build --strict

serve: $(STAMP)           ## preview on http://127.0.0.1:8000
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

test: $(STAMP) $(AXE)     ## the whole test suite
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check matrix macros tests bench
	$(PY) -m mypy

check: lint test          ## everything CI runs

clean:
	rm -rf site .cache .pytest_cache .mypy_cache .ruff_cache node_modules

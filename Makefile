# The two commands of the quickstart: `make serve` and `make test`.
# Both create .venv on first use; the stamp files re-install when pyproject.toml changes.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
WORKSPACE ?= demo-workspace
PORT ?= 8866
PYTEST_ARGS ?=

.PHONY: serve test lint bench demo clean

# The JupyterLab extension (labextension/) is built by the package's build hook, with npm,
# whenever pip installs the project and its sources changed. Without Node.js the install still
# succeeds (the Voila app works on its own), and JupyterLab just shows no Supervision cards.
LABEXT_SOURCES := labextension/package.json $(wildcard labextension/src/*.ts labextension/style/*)
NODE_NOTE := note: Node.js and npm were not found, so the JupyterLab extension is not built \
(JupyterLab will show no Supervision cards; serve works without it). Install Node.js 20.19 or \
later and npm (Debian/Ubuntu: apt-get install nodejs npm), then run: touch labextension/package.json && make

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml $(LABEXT_SOURCES) | $(VENV)/bin/python
	@command -v npm >/dev/null 2>&1 || echo "$(NODE_NOTE)" >&2
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LABEXT_SOURCES) | $(VENV)/bin/python
	@command -v npm >/dev/null 2>&1 || echo "$(NODE_NOTE)" >&2
	$(PY) -m pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

$(WORKSPACE)/supervision-workbook.toml: | $(VENV)/.installed
	$(VENV)/bin/supervision-workbook demo $(WORKSPACE)

demo: $(WORKSPACE)/supervision-workbook.toml

serve: $(VENV)/.installed $(WORKSPACE)/supervision-workbook.toml
	$(VENV)/bin/supervision-workbook serve $(WORKSPACE) --port $(PORT)

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

bench: $(VENV)/.installed-test
	$(VENV)/bin/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(WORKSPACE) .pytest_cache build dist
	rm -rf labextension/node_modules labextension/lib labextension/tsconfig.tsbuildinfo \
		src/supervision_workbook/lab/labextension

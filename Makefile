# The two commands of the quickstart: `make serve` and `make test`.
# Both create .venv on first use; the stamp files re-install when pyproject.toml changes.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
WORKSPACE ?= demo-workspace
PORT ?= 8866
PYTEST_ARGS ?=

.PHONY: serve test lint bench demo clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
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

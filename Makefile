# duban: two commands for a fresh machine.
#   make demo   sets up .venv and runs the main job
#   make test   sets up .venv and runs the whole test suite (lint, types, tests)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: setup demo test lint bench clean

$(BIN)/duban: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/duban

setup: $(BIN)/duban

demo: setup
	@for f in $(SHARED)/corpus/*.txt; do $(BIN)/duban parse "$$f" --format summary || true; done
	DUBAN_DEMO_CORPUS=$(SHARED)/corpus $(BIN)/duban serve --demo --db sqlite:///$(CURDIR)/.demo/duban.db

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest -n 2

bench: setup
	$(BIN)/python bench/parse_bench.py
	$(BIN)/python bench/api_bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info

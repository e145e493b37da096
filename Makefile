# duban: two commands for a fresh machine.
#   make demo   sets up .venv and runs the main job
#   make test   sets up .venv and runs the whole test suite (lint, types, tests)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: setup system demo test lint bench clean

# Debian packages the tests need (the browser, the office converter, CJK fonts), installed only where missing.
SYSTEM_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui libgl1 libglib2.0-0

$(BIN)/duban: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/duban

setup: $(BIN)/duban

system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else echo "缺少系统软件包，请先安装：sudo apt-get install $$missing"; exit 1; fi; \
	fi

demo: setup
	@for f in $(SHARED)/corpus/*.txt; do $(BIN)/duban parse "$$f" --format summary || true; done
	DUBAN_DEMO_CORPUS=$(SHARED)/corpus $(BIN)/duban serve --demo --db sqlite:///$(CURDIR)/.demo/duban.db

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: setup system lint
	DUBAN_REQUIRE_SOFFICE=1 $(BIN)/pytest -n 2

bench: setup
	$(BIN)/python bench/parse_bench.py
	$(BIN)/python bench/api_bench.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info

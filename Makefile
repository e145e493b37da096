# duban: two commands for a fresh machine.
#   make demo   sets up .venv, builds the web app and serves it with demo data
#   make test   sets up .venv and runs the whole test suite (lint, types, tests)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: setup system demo test lint bench clean dist types

# Debian packages the tests need (the browser, the office converter, CJK fonts, nginx in front of two servers),
# installed only where missing.
SYSTEM_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui libgl1 libglib2.0-0 nginx

$(BIN)/duban: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/duban

# The web app (frontend/, Vue 3 + Vite) is built into the package; rebuilt only when its sources or lock change.
WEB := frontend
APP_OUT := src/duban/web/static/app
APP_STAMP := $(APP_OUT)/.built
ifneq ($(wildcard $(WEB)/package.json),)
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) $(wildcard $(WEB)/*.json $(WEB)/*.ts $(WEB)/*.html $(WEB)/*.js)
WEB_DEPS := $(WEB)/node_modules/.package-lock.json
WEB_BUILD := $(APP_STAMP)
endif

$(WEB)/node_modules/.package-lock.json: $(WEB)/package.json $(wildcard $(WEB)/package-lock.json)
	npm ci --prefix $(WEB) --no-audit --no-fund --loglevel=error
	touch $@

$(APP_STAMP): $(WEB_DEPS) $(WEB_SOURCES)
	npm run build --prefix $(WEB) -- --outDir $(CURDIR)/$(APP_OUT) --emptyOutDir
	touch $@

setup: $(BIN)/duban $(WEB_BUILD)

system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else echo "缺少系统软件包，请先安装：sudo apt-get install $$missing"; exit 1; fi; \
	fi

demo: setup
	@for f in $(SHARED)/corpus/*.txt; do $(BIN)/duban parse "$$f" --format summary || true; done
	@mkdir -p .demo
	DUBAN_DEMO_CORPUS=$(SHARED)/corpus $(BIN)/duban serve --demo --db sqlite:///$(CURDIR)/.demo/duban.db

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
ifneq ($(WEB_DEPS),)
	npm run typecheck --prefix $(WEB)
endif

# PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the browser tests drive Debian's /usr/bin/chromium, never a downloaded one.
test: setup system lint
ifneq ($(WEB_DEPS),)
	npm test --prefix $(WEB)
endif
	DUBAN_REQUIRE_SOFFICE=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pytest -n 2

# The front end's API types (frontend/src/api/schema.d.ts and openapi.json) from the response models in
# src/duban/web/schemas/; tests/web/test_api_types.py fails in `make test` when they are stale.
types: setup
	$(BIN)/python -m duban.web.api_types

bench: setup
	$(BIN)/python bench/parse_bench.py
	$(BIN)/python bench/api_bench.py
	$(BIN)/python bench/web_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/outputs_bench.py

# The offline bundle for an intranet (deploy/build_dist.py): dist/duban-VERSION-linux-x86_64-pyXY.tar.gz with
# the wheel (web app inside), a wheelhouse of every runtime dependency, install.sh, deploy/ and checksums.
DIST_PYTHON ?= 3.11
dist: setup
	$(BIN)/python deploy/build_dist.py --python $(DIST_PYTHON) --out dist

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info $(APP_OUT) $(WEB)/node_modules

# Kokemustori. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: bench-tools mutation mutation-changed install lock upgrade check-lock system-packages api-contract restore-drill run test lint format check-translations messages compilemessages migrate demo bench screenshots clean worker periodic

# Installs come from uv.lock (exact versions with hashes); pyproject.toml keeps the ranges.
# uv itself is bootstrapped into .tools/ from requirements-uv.txt (pinned, hashed).
TOOLS ?= .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never

$(UV): requirements-uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --require-hashes -r requirements-uv.txt
	touch $@

# --locked: refuses to install when uv.lock does not match pyproject.toml (run `make lock`).
$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	$(UV) sync --locked --extra dev --python $(PYTHON) --quiet
	touch $@

install: $(VENV)/.installed

# After changing pyproject.toml: `make lock` records the new ranges with as few changes as it
# can; `make upgrade` moves every package to the newest release the ranges allow. Commit uv.lock.
lock: $(UV)
	$(UV) lock --python $(PYTHON)

upgrade: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

# CI: the committed lock file matches pyproject.toml.
check-lock: $(UV)
	$(UV) lock --check --python $(PYTHON)

compilemessages: install
	$(PY) manage.py compile_translations

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate compilemessages
	$(PY) manage.py load_demo_data

# The background worker (e-mails, reminders) runs beside the server; Ctrl-C stops both.
# HOST and PORT choose the address (`make run PORT=8080`); e-mail links follow them unless
# SITE_URL is set.
run: demo
	@echo "Kokemustori at http://$(HOST):$(PORT)/ — demo logins are in README.md"
	@export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(PY) manage.py outbox_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 0' INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The browser tests need Debian's Chromium and npm (for axe-core); the PDFs (WeasyPrint) need
# Pango and the DejaVu fonts they embed. As root they are installed with apt-get when missing;
# otherwise this says what to install.
CHROMIUM ?= /usr/bin/chromium
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-packages:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	for package in $(PDF_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing$$missing (apt-get)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make test needs:$$missing — install with: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

# axe-core for the accessibility checks of the browser tests (npm registry; test-only).
node_modules/.installed: package.json package-lock.json | system-packages
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: install compilemessages system-packages node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

# schemathesis against the OpenAPI schema: anonymous, as the demo orderer and as the demo
# expert, every check, a fixed seed and a bounded number of examples (see schemathesis.toml).
API_EXAMPLES ?= 30
api-contract: install compilemessages
	$(PY) scripts/api_contract.py --examples $(API_EXAMPLES)

lint: install
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks
	$(BIN)/lint-imports --no-cache
	$(PY) scripts/local_imports.py

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# Re-extract the message catalogues (needs GNU gettext) after changing texts.
messages: install
	cd src/kokemustori && ../../$(PY) ../../manage.py makemessages --no-location --no-obsolete -l fi -l sv -l en --ignore "static/*"

check-translations: install
	$(PY) manage.py check_translations

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache

screenshots: install compilemessages
	$(PY) scripts/screenshots.py

# Matching latency at 1k, 10k and 100k experts on PostgreSQL, then the main pages' requests
# per second against a bare view on the same gunicorn, then the reports page with 100k experts
# and 200k orders of history (needs PostgreSQL, Redis, wrk; README).
bench: install bench-tools
	$(PY) benchmarks/bench_matching.py
	$(PY) benchmarks/bench_pages.py
	$(PY) benchmarks/bench_reports.py

# wrk, the HTTP load generator of the page benchmark (Debian's package).
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing wrk (apt-get)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "make bench needs wrk — install with: sudo apt-get install wrk" >&2; exit 1; fi; }

# Backup drill (README, Backups): dump a PostgreSQL database, restore it into a fresh one,
# compare every table's row count and log in on the copy; removes all it made. Without
# DRILL_SOURCE it seeds a throw-away source with the demo data on DATABASE_URL's server
# (default postgres://postgres@127.0.0.1:5432).
restore-drill: install
	$(PY) scripts/restore_drill.py $(if $(DRILL_SOURCE),--source "$(DRILL_SOURCE)")

# Background work outside `make run`: the worker (tasks, and the e-mail outbox swept every
# minute; survives database outages), and the periodic job (cron, 15 min).
worker: install
	$(PY) manage.py outbox_worker

periodic: install
	$(PY) manage.py periodic

# Mutation testing of the modules that protect people (README "Mutation testing"); operators
# run the whole set nightly. MODULES="src/kokemustori/x/y.py ..." runs only those;
# `make mutation-changed BASE=origin/main` only the modules (or their tests) changed since BASE.
MODULES ?=
BASE ?= main
mutation: install
	$(PY) scripts/mutation.py $(MODULES)

mutation-changed: install
	$(PY) scripts/mutation.py --changed $(BASE)

# Kokemustori. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format check-translations messages compilemessages migrate demo bench screenshots clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

compilemessages: install
	$(PY) manage.py compile_translations

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate compilemessages
	$(PY) manage.py load_demo_data

run: demo
	@echo "Kokemustori at http://$(HOST):$(PORT)/ — demo logins are in README.md"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install compilemessages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: install
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# Re-extract the message catalogues (needs GNU gettext) after changing texts.
messages: install
	cd src/kokemustori && ../../$(PY) ../../manage.py makemessages --no-location --no-obsolete -l fi -l sv -l en --ignore "static/*"

check-translations: install
	$(PY) manage.py check_translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

screenshots: install compilemessages
	$(PY) scripts/screenshots.py

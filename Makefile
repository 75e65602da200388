# The DSI Hub's entry points. `make run` and `make test` need nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install run test lint format migrations-check messages bench

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m dsi_hub.dev run

test: install
	$(PY) -m dsi_hub.dev test $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

migrations-check: install
	DJANGO_DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Refresh the translation catalogues after changing interface strings (needs GNU gettext).
messages: install
	DJANGO_DEBUG=true $(PY) manage.py makemessages --all --no-obsolete --ignore=.venv --ignore=.data
	DJANGO_DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

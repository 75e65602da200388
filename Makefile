# The DSI Hub's entry points. `make run` and `make test` need nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install run test lint format migrations-check messages bench fuzz

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Python packages from PyPI, then the front-end packages from the npm registry (dsi_hub/vendor.py:
# pinned, checked, no Node.js needed; a second run does nothing).
install: $(VENV)/.installed
	$(PY) -m dsi_hub.vendor

run: install
	$(PY) -m dsi_hub.dev run

# The whole suite on TEST_WORKERS processes (pytest-xdist), each with its own test database,
# Redis database (TEST_REDIS_DB + n) and folders. One process, no xdist: make test TEST_WORKERS=0
TEST_WORKERS ?= 2
test: install
	$(PY) -m dsi_hub.dev test -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Fuzz the open-data API from its own OpenAPI schema (schemathesis): the tests marked `fuzz`, also
# part of `make test`. FUZZ_EXAMPLES generated requests per operation (100 unless given):
# make fuzz FUZZ_EXAMPLES=1000
fuzz: install
	$(PY) -m dsi_hub.dev test -m fuzz $(PYTEST_ARGS)

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

# The directory's benchmark (bench/run.py): seeds a separate database (dsi_bench), serves the hub
# with gunicorn and drives it over HTTP. Needs Postgres and Redis (BENCH_DATABASE_URL,
# BENCH_REDIS_URL). Smaller: make bench BENCH_ORGANISATIONS=2000 BENCH_PROJECTS=2000 BENCH_SECONDS=3
# List URLs no one asked before run BENCH_DISTINCT_SECONDS per list and number of clients;
# BENCH_PARTS=warm,distinct,sql runs only those, BENCH_SEED_DATA=0 only reads the database.
BENCH_ORGANISATIONS ?= 100000
BENCH_PROJECTS ?= 100000
BENCH_SECONDS ?= 20
BENCH_DISTINCT_SECONDS ?= 60
bench: install
	BENCH_ORGANISATIONS=$(BENCH_ORGANISATIONS) BENCH_PROJECTS=$(BENCH_PROJECTS) \
	BENCH_SECONDS=$(BENCH_SECONDS) BENCH_DISTINCT_SECONDS=$(BENCH_DISTINCT_SECONDS) \
	$(PY) -m bench.run

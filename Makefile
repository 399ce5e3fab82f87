# Ứng Cứu: the two commands are `make run` and `make test`; the rest are chores they call.
SHELL := /bin/bash
.DEFAULT_GOAL := run
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell scripts/find-python)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | md5sum | cut -c1-12)
PG_URL ?= postgres://postgres@127.0.0.1:5432/ungcuu
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv messages lint check fmt test-sqlite test-postgres bench bench-pages bench-concurrency bench-alerts bench-documents demo

# The local demo/development mode (settings.py, "Security baseline"): a random key kept in var/, plain
# HTTP on 127.0.0.1, and the demo logins. A production server never sets it.
run demo check bench bench-pages bench-concurrency bench-alerts bench-documents: export UNGCUU_DEMO := 1

$(STAMP):
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found (see message above)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,redis]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

messages: venv
	$(PY) scripts/compile-messages.py

## make run: install, migrate SQLite, load the demo province if empty, serve web + worker on :8000
run: messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py collectstatic --no-input -v 0
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

demo: messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo --if-empty

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

fmt: venv
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

check: messages
	# mypy starts with the modules that carry rules (STYLE: services, jobs, access, reports).
	# A rule module may be a package (preparedness/services/): its modules are found by their folder.
	$(PY) -m mypy $$(find ungcuu \( -path '*/migrations' -o -path '*/tests' -o -path ungcuu/core \) -prune -o \( -name services.py -o -name jobs.py -o -name access.py -o -name validators.py -o -name 'builders.py' -o -path '*/services/*.py' \) -print) ungcuu/core
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check-translations.py

test-sqlite: messages
	scripts/run-pytest sqlite

test-postgres: messages
	scripts/run-pytest postgres "$(PG_URL)"

## make test: what CI runs. Installs what it needs, then lint, checks, and the suite on SQLite and PostgreSQL.
test:
	scripts/ensure-system-packages
	$(MAKE) lint check
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

bench: messages
	DATABASE_URL="$(PG_URL)" $(PY) bench/run.py
	$(MAKE) bench-pages

## make bench-pages: issue 18's table (docs/performance.md). Loads the demo into PG_URL_PAGES and a SQLite file
## when they are empty, grows them (bench/grow.py, seed 18) to BENCH_SIZE / BENCH_SIZE_SQLITE incidents, then
## runs every page and intake against gunicorn on loopback (bench/pages.py).
BENCH_SIZE ?= 1000000
BENCH_SIZE_SQLITE ?= 100000
PG_URL_PAGES ?= postgres://postgres@127.0.0.1:5432/ungcuu_perf
SQLITE_PAGES ?= sqlite:///$(CURDIR)/var/bench-pages.sqlite3
bench-pages: messages
	psql "$(dir $(PG_URL_PAGES))postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$(notdir $(PG_URL_PAGES))'" | grep -q 1 \
		|| psql "$(dir $(PG_URL_PAGES))postgres" -c 'CREATE DATABASE "$(notdir $(PG_URL_PAGES))"'
	DATABASE_URL="$(PG_URL_PAGES)" $(PY) bench/pages.py --grow $(BENCH_SIZE)
	DATABASE_URL="$(SQLITE_PAGES)" $(PY) bench/pages.py --grow $(BENCH_SIZE_SQLITE)

## make bench-concurrency: 8 API clients x 100 reports against gunicorn, on SQLite then PostgreSQL (PG_URL_BENCH)
PG_URL_BENCH ?= postgres://postgres@127.0.0.1:5432/ungcuu_bench
bench-concurrency: messages
	env -u DATABASE_URL $(PY) bench/concurrency.py
	DATABASE_URL="$(PG_URL_BENCH)" $(PY) bench/concurrency.py

## make bench-alerts: monitoring alerts through POST /api/v1/alerts/ on gunicorn, SQLite then PostgreSQL
## (PG_URL_ALERTS is dropped and created again); prints alerts/s next to the targets (issue 16).
PG_URL_ALERTS ?= postgres://postgres@127.0.0.1:5432/ungcuu_alerts_bench
bench-alerts: messages
	PG_URL="$(PG_URL_ALERTS)" $(PY) bench/alerts.py

## make bench-documents: every official document in every format, cold and warm, on the demo province loaded
## into a fresh SQLite file (issue 14; docs/documents.md). DOC_RUNS warm runs per row.
DOC_RUNS ?= 5
bench-documents: messages
	env -u DATABASE_URL $(PY) bench/documents.py --runs $(DOC_RUNS)

# The two commands: `make run` (the demo: web, Celery worker and beat) and `make test` (the whole suite).
# `make test-fast` is the everyday lane: the same without the tests that start processes or servers.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
MO := locale/zh_Hans/LC_MESSAGES/django.mo

# What `make test` runs against unless the environment says otherwise.
test test-fast lint checks pytest pytest-fast: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/safety_portal
test test-fast lint checks pytest pytest-fast: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/15

# pytest-xdist workers; each has its own test database and Redis databases (tests/parallel.py). The spawning
# tests are marked `spawns` (tests/lanes.py) and go first, so loadgroup hands out the short ones last.
PYTEST_WORKERS ?= 2
PYTEST := pytest -n $(PYTEST_WORKERS) --dist loadgroup
# Exit 5 is pytest's "no test ran": a lane that ran nothing fails, and says so.
NO_TEST_RAN = || { status=$$?; [ $$status != 5 ] || echo "pytest ran no test: the lane selected nothing."; exit $$status; }

.PHONY: run test test-fast setup services lint checks pytest pytest-fast clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required: make PYTHON=/path/to/python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(MO): locale/zh_Hans/LC_MESSAGES/django.po $(VENV)/.installed
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q gettext >/dev/null; } \
		|| { echo "msgfmt is missing: install GNU gettext"; exit 1; }
	python manage.py compilemessages --locale zh_Hans --ignore '.venv' --ignore 'node_modules'

setup: $(VENV)/.installed node_modules/.installed $(MO)

# The demo shows what users see: DEBUG off (the portal's own error pages, never Django's debug page), over
# plain HTTP on this machine, its static files collected and served by WhiteNoise.
run: export DEBUG ?= false
run: export SECRET_KEY ?= demo-only-secret-of-make-run-never-used-in-a-deployment
run: export ALLOWED_HOSTS ?= 127.0.0.1,localhost,[::1]
run: export SECURE_SSL_REDIRECT ?= false
run: export SESSION_COOKIE_SECURE ?= false
run: export CSRF_COOKIE_SECURE ?= false
run: export SECURE_HSTS_SECONDS ?= 0
run: setup
	python manage.py collectstatic --noinput --verbosity 0
	python manage.py migrate --noinput
	python manage.py seed_demo
	python manage.py sweep_deadlines
	honcho start --procfile Procfile

services:
	scripts/ensure-services.sh

lint: setup
	ruff check .
	ruff format --check .
	# The house's layering (pyproject.toml, [tool.importlinter]): a floor imports only the floors below it.
	lint-imports

checks: setup services
	python manage.py makemigrations --check --dry-run
	DEBUG=false ALLOWED_HOSTS=portal.example.org \
		SECRET_KEY="$$(python -c 'from django.core.management.utils import get_random_secret_key as k; print(k())')" \
		python manage.py check --deploy --fail-level WARNING
	# Medium and high findings fail; each one left is justified where it stands (# nosec BXXX # why).
	bandit -c pyproject.toml -r . --severity-level medium --quiet
	# Known vulnerabilities fail; where the vulnerability database is out of reach it says loudly that it did not audit.
	scripts/audit-dependencies.sh

pytest: setup services
	$(PYTEST) $(PYTEST_ARGS) $(NO_TEST_RAN)

pytest-fast: setup services
	$(PYTEST) -m "not spawns" $(PYTEST_ARGS) $(NO_TEST_RAN)

test: setup services lint checks pytest

test-fast: setup services lint checks pytest-fast

clean:
	rm -rf $(VENV) node_modules var/staticfiles

# On demand only, never part of `make test`: the deadline sweep on 1,000,000 generated hazards (and 250k and 500k
# for memory against size), against DATABASE_URL; see docs/benchmarks.md. Generation is skipped when done already.
bench: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
bench: $(VENV)/.installed
	python bench/generate_hazards.py --hazards 1000000 --overdue 50000 --if-missing
	DATABASE_URL=$(DATABASE_URL)_250k python bench/generate_hazards.py --hazards 250000 --overdue 50000 --if-missing
	DATABASE_URL=$(DATABASE_URL)_500k python bench/generate_hazards.py --hazards 500000 --overdue 50000 --if-missing
	python bench/sweep_benchmark.py $(BENCH_ARGS)

# On demand only: the dashboards, the ledger and the Excel export at province scale (1,000,000 hazards, 100,000
# enterprises) against BENCH_PROVINCE_URL; see docs/benchmarks.md.
BENCH_PROVINCE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench_province
bench-dashboard: $(VENV)/.installed node_modules/.installed
	DATABASE_URL=$(BENCH_PROVINCE_URL) python bench/generate_hazards.py --hazards 1000000 --enterprises 100000 \
		--overdue 50000 --overdue-days 200 --if-missing
	DATABASE_URL=$(BENCH_PROVINCE_URL) python manage.py migrate --noinput
	DEBUG=false SECRET_KEY=bench-collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput -v 0
	DATABASE_URL=$(BENCH_PROVINCE_URL) python bench/dashboard_benchmark.py $(BENCH_ARGS)

# On demand only: the quarterly ranking of the same province (see docs/benchmarks.md).
bench-ranking: $(VENV)/.installed
	DATABASE_URL=$(BENCH_PROVINCE_URL) python bench/generate_hazards.py --hazards 1000000 --enterprises 100000 \
		--overdue 50000 --overdue-days 200 --if-missing
	DATABASE_URL=$(BENCH_PROVINCE_URL) python manage.py migrate --noinput
	DATABASE_URL=$(BENCH_PROVINCE_URL) python bench/ranking_benchmark.py $(BENCH_ARGS)

# On demand only: wrk against gunicorn on loopback, as logged-in users: the hazard page and the ledger beside a
# bare view (see docs/benchmarks.md). Needs wrk (apt-get install wrk); generates its data when missing.
BENCH_LOAD_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench_load
bench-load: $(VENV)/.installed node_modules/.installed $(MO)
	DATABASE_URL=$(BENCH_LOAD_URL) python bench/load_benchmark.py $(BENCH_ARGS)

.PHONY: bench bench-dashboard bench-ranking bench-load

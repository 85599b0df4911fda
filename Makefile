# Two commands for a fresh machine (Python 3.11+, Node 18+):
#   make run   – set up, migrate the SQLite database, seed demo data, serve on :8000
#   make test  – set up, lint, check migrations and deploy settings, run every test
#   make loadtest – seed PostgreSQL with 10,000 people, serve with gunicorn, run locust
#                   headless against 127.0.0.1 and print each page against the floor page
#   make scaletest – two instances behind nginx, PgBouncer and a read replica; one killed mid-run
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Production-like variables used only to run `check --deploy` during tests.
DEPLOY_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$(shell date +%s)-not-a-real-secret-key-0123456789abcdef \
	DJANGO_ALLOWED_HOSTS=cp.example.org DATABASE_URL=sqlite:///deploy-check.sqlite3

.PHONY: setup run test lint bench loadtest scaletest clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

run: setup
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING

# The tests run in parallel (pytest-xdist), a process per core (TEST_WORKERS=1 for
# one process); every browser test goes to the same process, so a run starts one browser.
TEST_WORKERS ?= auto

test: lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup

bench: setup
	$(PY) -m pytest -m slow -p no:randomly -s

# The [load] extra (locust) is installed only for this target, so `make test` stays lean.
$(VENV)/.installed-load: $(VENV)/.installed
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev,load]"
	touch $@

# Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cp_loadtest);
# LOADTEST_SECONDS, LOADTEST_USERS, LOADTEST_PEOPLE: see benchmarks/loadtest/run.py.
loadtest: setup $(VENV)/.installed-load
	$(PY) benchmarks/loadtest/run.py

# Two app instances behind nginx, PgBouncer, a primary and a replica built by
# pg_basebackup, all throwaway on 127.0.0.1 (installs nginx and pgbouncer when
# missing); kills one instance mid-run. See benchmarks/scaletest/run.py.
scaletest: setup $(VENV)/.installed-load
	$(PY) benchmarks/scaletest/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles

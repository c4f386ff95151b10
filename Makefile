# The two commands of the README:
#   make run   — a working portal with demo data on SQLite, tasks run eagerly
#   make test  — lint, type check, migration check and the whole test suite
# Both need only Python 3.11+ and make. PYTHON and PORT may be overridden.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: run test venv deps dev-deps catalogs lint typecheck messages clean bench bench-projects bench-indicators loadtest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Reinstall only when a requirements file changed.
$(VENV)/.deps: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

catalogs: | $(VENV)/bin/python
	$(PY) -m bureau.lib.catalogs

run: deps catalogs
	DEBUG=true $(PY) manage.py migrate --noinput -v0
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "Portal: http://127.0.0.1:$(PORT)/  (API docs: http://127.0.0.1:$(PORT)/api/docs/)"
	@echo ""
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: dev-deps
	DEBUG=true $(VENV)/bin/mypy bureau enterprises projects indicators talent

# The suite runs in parallel (pytest-xdist): one worker per core, at most 4.
# Each worker has its own test database, media directory and Redis database
# (bureau/settings_test.py). A whole test class (or a module of test
# functions) stays on one worker, in pytest-django's order (TestCase classes
# before transactional ones): --dist loadscope --no-loadscope-reorder.
# TEST_WORKERS=0 runs it serially; PYTEST_ARGS adds options, e.g. -x.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
test: dev-deps catalogs lint typecheck
	DJANGO_SETTINGS_MODULE=bureau.settings_test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --maxprocesses=4 --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

# Benchmarks (not tests): a throwaway PostgreSQL database, created empty first,
# e.g. createdb -h 127.0.0.1 -U postgres bureau_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bureau_bench
bench: dev-deps catalogs
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/enterprises.py

BENCH_PROJECTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bureau_bench_projects
bench-projects: dev-deps catalogs
	DATABASE_URL=$(BENCH_PROJECTS_DATABASE_URL) $(PY) bench/projects.py

BENCH_INDICATORS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bureau_bench_indicators
bench-indicators: dev-deps catalogs
	DATABASE_URL=$(BENCH_INDICATORS_DATABASE_URL) $(PY) bench/indicators.py

# Load test (not a test): the three benchmark data sets in one PostgreSQL
# database (created if missing), gunicorn, locust headless at 1, 10 and 50 users.
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bureau_loadtest
LOADTEST_ARGS ?=
loadtest: dev-deps catalogs
	LOADTEST_DATABASE_URL=$(LOADTEST_DATABASE_URL) $(PY) bench/loadtest.py $(LOADTEST_ARGS)

# Developers: refresh the .po files after changing translatable strings
# (needs GNU gettext's xgettext).
messages: dev-deps
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache

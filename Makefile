# Tongxin — two commands do all set-up: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages migrate demo worker clean load

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

messages: $(STAMP)
	$(PY) manage.py compile_translations

migrate: messages
	$(PY) manage.py migrate --noinput

demo: migrate
	@if command -v npm >/dev/null; then \
		$(PY) manage.py load_regions --prefix 3308 || echo "load_regions failed: townships and villages are not loaded"; \
	else echo "npm not found: skipping load_regions (Quzhou and its counties are built in)"; fi
	$(PY) manage.py seed_demo

# The portal on http://127.0.0.1:8000 with a Celery worker and beat; Ctrl-C stops all of it.
run: demo
	@echo "Serving http://127.0.0.1:8000 — log in as admin / tongxin-demo (see README)."
	@trap 'kill 0' INT TERM; \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(VENV)/bin/celery -A config worker --beat --loglevel=INFO \
		--concurrency=2 --schedule=var/celerybeat-schedule & \
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000 & \
	wait

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The whole suite: lint, migrations in step with models, then pytest (browser tests included).
test: lint messages
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# Fifty people for a minute on gunicorn, PostgreSQL and Redis; prints the figures and checks that
# no appeal was lost or doubled (bench/load.py, bench/README.md). Needs both servers on loopback.
load: messages
	$(PY) bench/load.py

clean:
	rm -rf var staticfiles .pytest_cache .ruff_cache

# Twitchlog developer commands. `make run` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run demo test lint pytest bench check-deploy screenshots example-pdf clean

$(PY):
	@PYTHON=$$(scripts/find-python) && "$$PYTHON" -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## Run the app on SQLite at http://127.0.0.1:8000 (DEMO=1 also loads demo data).
run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	@if [ -n "$(DEMO)" ]; then $(PY) manage.py seed_demo; fi
	$(PY) manage.py runserver $(HOST):$(PORT)

## Same as `make run`, with a demo account and 12 weeks of episodes.
demo:
	$(MAKE) run DEMO=1

## Everything CI runs: lint, migrations check, deploy check, the whole pytest suite.
test: lint check-deploy pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.dev
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 40 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	ALLOWED_HOSTS=twitchlog.example SECURE_SSL_REDIRECT=1 EMAIL_HOST=smtp.twitchlog.example \
	$(PY) manage.py check --deploy --fail-level WARNING

pytest: $(VENV)/.dev node_modules/.installed
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Speed figures against floors measured in the same run (see scripts/bench.py).
bench: $(VENV)/.dev
	$(PY) scripts/bench.py

## Phone screenshots of the main pages into docs/.
screenshots: $(VENV)/.dev
	$(VENV)/bin/pytest tests/browser/test_screenshots.py --screenshots

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache

## The example doctor summary in docs/ (PDF + page 1 as PNG), built from the demo data.
example-pdf: $(VENV)/.runtime
	$(PY) scripts/example_pdf.py

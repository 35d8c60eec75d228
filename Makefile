# Twitchlog developer commands. `make run` and `make test` are the two a newcomer needs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# make test: test processes running side by side (one per core; WORKERS=1 for one).
WORKERS ?= auto
# make loadtest: simulated phone users and how long they keep at it.
USERS ?= 50
DURATION ?= 60s

.PHONY: run demo test lint pytest test-calendar test-postgres system-deps lock bench loadtest \
	check-deploy screenshots example-pdf lighthouse clean messages translations

# The lock files are what gets installed (--require-hashes); requirements*.in are what we edit.
$(PY):
	@PYTHON=$$(scripts/find-python) && "$$PYTHON" -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements-dev.txt
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --silent
	touch $@

## System packages the tests need (Chromium, poppler, Node, PostgreSQL, ...): apt-get as root.
system-deps:
	@scripts/install-deps

## Run the app on SQLite at http://127.0.0.1:8000 with a task worker and the scheduler
## (Procfile; DEMO=1 also loads demo data; PORT=8001 for another port). Ctrl-C stops all three.
run: $(VENV)/.runtime translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py vapid_keys
	@if [ -n "$(DEMO)" ]; then $(PY) manage.py seed_demo --url http://$(HOST):$(PORT)/; fi
	HOST=$(HOST) $(VENV)/bin/honcho start -f Procfile --port $(PORT)

## Same as `make run`, with a demo account and 12 weeks of episodes (always the same password).
demo:
	$(MAKE) run DEMO=1

## Everything CI runs: lint (ruff, import layers), migrations and deploy checks, the whole
## suite on SQLite, the calendar sweep, then the non-browser suite again on a throwaway
## PostgreSQL.
test: lint check-deploy pytest test-calendar test-postgres

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.dev
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 40 /dev/urandom | base64 | tr -dc a-zA-Z0-9) \
	ALLOWED_HOSTS=twitchlog.example SECURE_SSL_REDIRECT=1 EMAIL_HOST=smtp.twitchlog.example \
	SITE_URL=https://twitchlog.example VAPID_SUBJECT=mailto:admin@twitchlog.example \
	$(PY) manage.py check --deploy --fail-level WARNING

## The whole suite on SQLite (browser tests included); PYTEST_ARGS="-k history" for a part.
pytest: system-deps $(VENV)/.dev node_modules/.installed translations
	$(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)

## The tests marked `calendar` once at each instant of the sweep in tests/clock.py: every
## weekday, both ends of a day, the clock changes in London and New York, New Year, 29 Feb.
test-calendar: system-deps $(VENV)/.dev translations
	$(VENV)/bin/pytest -n $(WORKERS) -m calendar --sweep --no-cov -q $(PYTEST_ARGS)

## The non-browser suite on a throwaway PostgreSQL 15 (see scripts/with-postgres).
test-postgres: system-deps $(VENV)/.dev translations
	scripts/with-postgres $(VENV)/bin/pytest -n $(WORKERS) -m "not browser" --no-cov -q $(PYTEST_ARGS)

## The catalogs compiled (.mo files are not in git) and the pseudo-locales made from them.
translations: $(VENV)/.runtime
	@$(PY) manage.py compile_translations

## Gather every marked message into the catalogs of the languages below (for the translators),
## then compile. File names without line numbers: a moved line changes no catalog.
LOCALES := de es fr pt_BR
MAKEMESSAGES = $(PY) manage.py makemessages --no-obsolete --add-location file \
	--ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'static/vendor/*' \
	--ignore 'tests/*' --ignore 'scripts/*' $(foreach l,$(LOCALES),-l $(l))
messages: $(VENV)/.dev
	$(MAKEMESSAGES) -d django
	$(MAKEMESSAGES) -d djangojs
	$(PY) manage.py compile_translations

## Rewrite the hash-pinned locks from requirements*.in (UPGRADE=1: newest allowed versions).
# Needs only the venv's Python and the pinned uv, so it works while the locks are broken.
# --universal --python-version 3.12: one lock for every supported Python (3.12 and newer).
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.12 \
	--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: | $(PY)
	$(PIP) install --quiet "$$(grep -E '^uv==' requirements-dev.in)"
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in --constraint requirements.txt -o requirements-dev.txt

## Speed figures against floors measured in the same run (see scripts/bench.py); POSTGRES=1
## runs them on a throwaway PostgreSQL instead of SQLite, CPU=1 times CPU time (a busy machine).
bench: $(VENV)/.dev translations
	$(PY) scripts/bench.py $(if $(POSTGRES),--postgres) $(if $(CPU),--cpu)

## Two gunicorn servers on one throwaway PostgreSQL under a mixed phone workload (locust).
loadtest: system-deps $(VENV)/.dev
	scripts/with-postgres $(PY) scripts/loadtest.py --users $(USERS) --duration $(DURATION)

## Phone screenshots of the main pages into docs/.
screenshots: system-deps $(VENV)/.dev node_modules/.installed translations
	$(VENV)/bin/pytest tests/browser/test_screenshots.py --screenshots

## Lighthouse (mobile) on / and /trends/, logged in, against gunicorn with DEBUG=0.
lighthouse: system-deps $(VENV)/.dev node_modules/.installed translations
	$(PY) scripts/lighthouse.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache

## The example doctor summary in docs/ (PDF + page 1 as PNG), built from the demo data.
example-pdf: $(VENV)/.runtime translations
	$(PY) scripts/example_pdf.py

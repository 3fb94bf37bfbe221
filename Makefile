# Guichet — the two commands are `make run` and `make test`; both set up everything
# they need on a fresh machine. See README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
PORT ?= 8000
PYTEST_ARGS ?=
# Development by default; production sets DEBUG=false in its environment (see docs).
export DEBUG ?= true

.PHONY: help install db db-stop db-status migrate messages makemessages static demo run serve backup restore backup-drill test browser checkers redis wrk lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 16

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(STAMP) ## Create .venv and install the Python packages

db: $(STAMP) ## Start the local PostgreSQL cluster (unless DATABASE_URL is set)
	@$(PY) -m guichet.localdb start

db-stop: $(STAMP) ## Stop the local PostgreSQL cluster
	@$(PY) -m guichet.localdb stop

db-status: $(STAMP) ## Say whether the local cluster runs, and where it lives
	@$(PY) -m guichet.localdb status

migrate: db
	$(MANAGE) migrate --noinput

messages: $(STAMP) ## Compile the translations (.po -> .mo)
	@$(MANAGE) compilemessages --ignore=.venv --ignore=var > /dev/null

makemessages: $(STAMP) ## Extract the strings to translate into locale/*/django.po
	$(MANAGE) makemessages -l ar -l fr -l es --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=tests --ignore=bench

static: $(STAMP)
	@$(MANAGE) collectstatic --noinput --verbosity 0

demo: migrate
	@if $(MANAGE) help load_demo > /dev/null 2>&1; then $(MANAGE) load_demo; fi

run: migrate messages static demo ## Set everything up and serve on http://127.0.0.1:$(PORT)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

serve: export DEBUG = false
serve: db messages static ## Serve with gunicorn and production settings (needs SECRET_KEY, ALLOWED_HOSTS)
	$(MANAGE) migrate --noinput
	$(VENV)/bin/gunicorn guichet.wsgi --bind $${BIND:-127.0.0.1:$(PORT)} \
	  --workers $${WORKERS:-3} --access-logfile - --forwarded-allow-ips="$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

backup: db ## Dump the database into var/backups/ (pg_dump)
	$(MANAGE) backup $(FILE)

restore: db ## Restore FILE=path.dump, replacing the database's content (pg_restore)
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/guichet-….dump"; exit 2; }
	$(MANAGE) restore "$(FILE)" --yes

backup-drill: db ## Back up, restore into a scratch database, compare row counts
	$(MANAGE) backup_drill

browser: ## Install Debian's Chromium, Java and npm for the test suite when they are missing
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java > /dev/null || missing="$$missing default-jre-headless"; \
	command -v npm > /dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing$$missing for the test suite"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing > /dev/null; \
	  else \
	    echo "The browser and HTML checks need:$$missing (sudo apt-get install -y$$missing)"; \
	  fi; \
	fi

redis: ## Install Debian's redis-server (the tests of several app servers) when it is missing
	@if ! command -v redis-server > /dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing redis-server for the tests of several application servers"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server > /dev/null; \
	  else \
	    echo "Tests need Redis: sudo apt-get install -y redis-server"; \
	  fi; \
	fi

# The W3C Nu HTML checker (vnu.jar) that the suite runs on every page, from the npm
# registry, pinned by package-lock.json. Its install script, which would download a
# Java runtime, is not run: the machine's Java runs the jar.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm > /dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "npm is missing: the HTML checks will be skipped (sudo apt-get install -y npm)"; \
	fi

checkers: browser $(NODE_STAMP) ## Install the test suite's HTML checker (node_modules/, npm ci)

test: db messages static checkers redis ## Set everything up and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

wrk: ## Install Debian's wrk (the HTTP benchmark) when it is missing
	@if ! command -v wrk > /dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing wrk for the HTTP benchmark"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk > /dev/null; \
	  else \
	    echo "The HTTP benchmark needs wrk: sudo apt-get install -y wrk"; \
	  fi; \
	fi

bench: db messages static wrk ## Run the benchmarks under bench/ and print their figures
	@export DEBUG=false HTTPS=false ALLOWED_HOSTS=testserver \
	  SECRET_KEY=bench-only-$$(head -c 48 /dev/urandom | base64 | tr -dc a-zA-Z0-9); \
	  status=0; \
	  PAGE_CACHE_ENABLED=false $(PY) bench/catalogue.py || status=1; \
	  $(PY) bench/search_quality.py || status=1; \
	  $(PY) bench/stats.py || status=1; \
	  $(PY) bench/web.py || status=1; \
	  $(PY) bench/export.py || status=1; \
	  $(PY) bench/lighthouse.py || status=1; \
	  exit $$status

lint: $(STAMP) ## Check the code: ruff check, ruff format, bandit, pip-audit (see README)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r guichet associations services referrals
	$(PY) .ci/audit.py

format: $(STAMP) ## Format the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: db-stop ## Stop the cluster and remove .venv, node_modules and var/ (the local database too)
	rm -rf $(VENV) node_modules var

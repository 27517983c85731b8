# Pacesetter — the two commands of the README, and a few for the deployed shape.
#   make run   set up and run the whole suite, embedded (SQLite, no servers), demo data, portal on :8000
#   make test  set up and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PACKAGES := shared gateway pledge-service evaluation-service grading-service notification-service suite
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test setup run-local clean constraints bench screenshots audit

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python constraints.txt requirements-dev.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	$(BIN)/pip install --quiet -c constraints.txt $(foreach p,$(PACKAGES),-e ./$(p)) -r requirements-dev.txt
	touch $(STAMP)

# Browser tests drive Debian's Chromium (never a browser download), with a Chinese font so that screenshots show
# the pages as a user sees them (not boxes); root can install both here.
CHROMIUM := /usr/bin/chromium /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then (apt-get install -y chromium fonts-wqy-zenhei >/dev/null 2>&1 || \
	  (apt-get update >/dev/null && apt-get install -y chromium fonts-wqy-zenhei >/dev/null)); \
	else echo "Chromium or its Chinese font missing: sudo apt-get install -y chromium fonts-wqy-zenhei"; fi

# The printed forms (issue 21): LibreOffice turns their DOCX into PDF, with Chinese fonts to embed (Noto CJK);
# poppler draws a template's preview (pdftoppm) and the tests read the PDFs back (pdftotext, pdffonts).
FORMS_TOOLS := /usr/bin/soffice /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc /usr/bin/pdftoppm

$(FORMS_TOOLS):
	@if [ "$$(id -u)" = 0 ]; then (apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null 2>&1 || \
	  (apt-get update >/dev/null && apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils >/dev/null)); \
	else echo "LibreOffice, its Chinese fonts or poppler missing: sudo apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils"; fi

# The pages (portal, kiosk, display): a Vue 3 + Element Plus project in portal/, its packages from the npm
# registry (package-lock.json), built by Vite into portal/dist, which the gateway serves (no CDN).
NPM_STAMP := portal/node_modules/.installed
PORTAL_BUILD := portal/dist/index.html
PORTAL_SOURCES := $(shell find portal/src portal/public -type f 2>/dev/null) $(wildcard portal/*.html) portal/vite.config.js

/usr/bin/npm:
	@if [ "$$(id -u)" = 0 ]; then (apt-get install -y npm >/dev/null 2>&1 || \
	  (apt-get update >/dev/null && apt-get install -y npm >/dev/null)); \
	else echo "npm missing: sudo apt-get install -y npm"; exit 1; fi

$(NPM_STAMP): portal/package.json portal/package-lock.json | /usr/bin/npm
	cd portal && npm ci --no-audit --no-fund --loglevel=error
	touch $(NPM_STAMP)

$(PORTAL_BUILD): $(NPM_STAMP) $(PORTAL_SOURCES)
	cd portal && npm run --silent build -- --logLevel warn

setup: $(STAMP) $(PORTAL_BUILD) $(FORMS_TOOLS)

run: setup
	$(BIN)/pacesetter-embedded --demo-activity

# Every part under supervisord, started again when it exits. From another terminal: .venv/bin/pacesetter-local
# ctl status | stop <part> | start <part>, scale <worker> N; every part's settings in var/local/local.env (README).
run-local: setup
	$(BIN)/pacesetter-local

test: setup $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/python tools/audit.py
	cd portal && npm test --silent
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Known vulnerabilities in the locked dependencies (pip-audit, npm audit), less tools/audit-exceptions.txt.
# AUDIT_REQUIRED=1 fails where the vulnerability database cannot be reached, instead of saying NOT AUDITED.
audit: setup
	$(BIN)/python tools/audit.py

# Every page of every role at 1440×900 and 390×844 on a campus-sized suite, into artifacts/screenshots/
# (the browser tests' own pictures land there too). Needs the local PostgreSQL and RabbitMQ, like make test.
screenshots: setup $(CHROMIUM)
	$(BIN)/python -m pytest tests/browser/test_campus_scale.py $(PYTEST_ARGS)

clean:
	rm -rf var

# Benchmarks of issue 10 against local PostgreSQL and RabbitMQ (never run by CI): prints a table and writes
# bench/results/<date>-bench.md/.json. BENCH_ARGS=--quick for a run of about a minute. Needs wrk (Debian).
BENCH_ARGS ?=

/usr/bin/wrk:
	@if [ "$$(id -u)" = 0 ]; then (apt-get install -y wrk >/dev/null 2>&1 || \
	  (apt-get update >/dev/null && apt-get install -y wrk >/dev/null)); \
	else echo "wrk missing: sudo apt-get install -y wrk"; exit 1; fi

# BENCH_ARGS: --quick (about a minute), --scale campus|system (data volumes, cached in benchvol_* databases;
# --volumes fresh|drop), --only SCENARIO,... — see bench/README.md.
bench: setup /usr/bin/wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Pin what the suite was tested with, after changing a dependency.
constraints: setup
	{ echo "# Versions the suite is tested with (pip install -c constraints.txt). Regenerate: make constraints"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^-e' | grep -vi '^pacesetter'; } > constraints.txt

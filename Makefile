# Capacity: `make run` sets everything up and serves the demo; `make test` runs every test.
# Both install what they need (Debian packages only when missing) and are fast once set up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# `capacity run` refuses a host other machines can reach unless CAPACITY_ALLOW_PUBLIC_DEV=1 (README: Security and operations).
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core, at most 4; TEST_WORKERS=0 runs in this process (for a debugger).
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(min(4, len(os.sched_getaffinity(0))))" 2>/dev/null || echo 1)

# Debian packages: Pango and HarfBuzz for WeasyPrint (libharfbuzz-subset0 halves its time);
# python3-venv for the virtual environment; poppler-utils for the PDF checks in the tests;
# chromium for the browser tests (Playwright drives /usr/bin/chromium: it never downloads a browser;
# its bundled node needs libatomic1, which a minimal Debian lacks); postgresql-client for the backup tests
# on PostgreSQL (`capacity backup` uses pg_dump and pg_restore).
DEBS_RUN := python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
DEBS_TEST := $(DEBS_RUN) poppler-utils chromium libatomic1 postgresql-client

# axe-core (accessibility checks in the browser tests), from the npm registry into a git-ignored folder.
AXE_CORE := .cache/node/node_modules/axe-core/axe.min.js
AXE_CORE_VERSION := 4

PO_FILES := $(wildcard capacity/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test setup setup-test translations wheel extract-messages bench previews clean debs-run debs-test

run: setup
	CAPACITY_ENV=$${CAPACITY_ENV:-development} $(BIN)/capacity db upgrade
	CAPACITY_ENV=$${CAPACITY_ENV:-development} $(BIN)/capacity demo
	@echo "Capacity is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	CAPACITY_ENV=$${CAPACITY_ENV:-development} $(BIN)/capacity run --host $(HOST) --port $(PORT)

# ruff checks a small, stated rule set before the tests: syntax errors (E9, F7), invalid comparisons (F63),
# undefined names (F82), unused imports (F401) and unused variables (F841) - mistakes, not taste.
RUFF_RULES := E9,F63,F7,F82,F401,F841

test: setup-test
	$(BIN)/ruff check --quiet --select $(RUFF_RULES) capacity tests benchmarks
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

setup: debs-run $(VENV)/.installed-run translations
setup-test: debs-test $(VENV)/.installed-test translations $(AXE_CORE)

debs-run:
	@bash .ci/ensure-debian-packages $(DEBS_RUN)
debs-test:
	@bash .ci/ensure-debian-packages $(DEBS_TEST)

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed-run: $(VENV)/.created setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.created setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(AXE_CORE):
	@command -v npm >/dev/null 2>&1 || bash .ci/ensure-debian-packages npm
	npm install --prefix .cache/node --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_CORE_VERSION)
	test -f $@ && touch $@

translations: $(MO_FILES)

# The wheel to install elsewhere (README: Production) into dist/. It carries the compiled catalogues, so they are
# built first; build/ goes first too, because setuptools would pack files left there by an earlier build.
wheel: $(VENV)/.installed-run translations
	rm -rf build
	$(BIN)/python -m pip wheel --no-deps -w dist .

%.mo: %.po $(VENV)/.created
	$(BIN)/pybabel compile --statistics -i $< -o $@

# For developers: refresh the catalogues after changing user-facing text.
extract-messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file --project=Capacity -o capacity/translations/messages.pot .
	$(BIN)/pybabel update -i capacity/translations/messages.pot -d capacity/translations --no-fuzzy-matching
	$(BIN)/python -m capacity.i18n.catalogues capacity/translations/en/LC_MESSAGES/messages.po

bench: setup-test
	$(BIN)/python -m benchmarks

# PNG previews of the reports and screenshots of the app for the README, from the demo data.
previews: setup-test
	$(BIN)/python -m capacity.reporting.previews

clean:
	rm -rf $(VENV) $(MO_FILES) .pytest_cache

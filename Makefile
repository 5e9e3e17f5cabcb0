# The two commands a new user types: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

BASE_URL ?=

.PHONY: site test strict serve schema golden audit clean help chromium

site: $(VENV)/.runtime  ## Install what the build needs and build the site into _site/
	$(PY) build.py

strict: $(VENV)/.runtime  ## Build, failing on warnings too (as CI and publishing do); BASE_URL=... sets the address
	$(PY) build.py --strict $(if $(BASE_URL),--base-url $(BASE_URL))

serve: $(VENV)/.runtime  ## Preview the site at http://127.0.0.1:8000/, rebuilt on every save (never touches _site/)
	$(PY) build.py serve

help:  ## List these targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## /\1\t/' | expand -t 10

test: $(VENV)/.dev chromium  ## Install the test needs (Chromium too, on Debian as root) and run every test
	$(VENV)/bin/ruff check trialsite tests build.py
	$(VENV)/bin/mypy
	$(PY) -m pytest

schema: $(VENV)/.runtime  ## Regenerate the JSON Schemas in schema/
	$(PY) -m trialsite.schema

golden: $(VENV)/.dev  ## Refresh the committed expected output of the tiny test project
	$(PY) -m pytest tests/test_golden.py --update-golden

# The browser tests drive Debian's Chromium (Playwright's own download does not work offline). As root on a Debian
# machine it is installed when missing; otherwise the one command to run is printed, and the tests do not start.
chromium:  ## Install Chromium for the browser tests when missing (Debian, as root)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "make test needs Chromium for the browser tests; install it with: sudo apt-get install chromium" >&2; exit 1; fi; }

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

audit: $(VENV)/.dev chromium  ## Lighthouse (mobile) on every page of _site/ (installs Lighthouse with npm into .cache/)
	$(PY) scripts/audit.py

clean:  ## Remove the built site, the cache (.cache/) and .venv/
	rm -rf _site .cache $(VENV)

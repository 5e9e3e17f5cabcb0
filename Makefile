# The two commands a new user types: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

BASE_URL ?=

.PHONY: site test strict serve schema golden clean help

site: $(VENV)/.runtime  ## Install what the build needs and build the site into _site/
	$(PY) build.py

strict: $(VENV)/.runtime  ## Build, failing on warnings too (as CI and publishing do); BASE_URL=... sets the address
	$(PY) build.py --strict $(if $(BASE_URL),--base-url $(BASE_URL))

serve: $(VENV)/.runtime  ## Preview the site at http://127.0.0.1:8000/, rebuilt on every save (never touches _site/)
	$(PY) build.py serve

help:  ## List these targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## /\1\t/' | expand -t 10

test: $(VENV)/.dev  ## Install the test needs and run every test
	@command -v chromium >/dev/null 2>&1 || { echo "make test needs Chromium: apt-get install chromium" >&2; exit 1; }
	@command -v java >/dev/null 2>&1 || { echo "make test needs Java for the HTML validator: apt-get install default-jre-headless" >&2; exit 1; }
	$(VENV)/bin/ruff check trialsite tests build.py
	$(VENV)/bin/mypy
	$(PY) -m pytest

schema: $(VENV)/.runtime  ## Regenerate the JSON Schemas in schema/
	$(PY) -m trialsite.schema

golden: $(VENV)/.dev  ## Refresh the committed expected output of the tiny test project
	$(PY) -m pytest tests/test_golden.py --update-golden

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

clean:
	rm -rf _site $(VENV)

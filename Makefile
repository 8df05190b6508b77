# LINk Governance: the conventional Plone make targets.
#   make start   install what is missing, create the demo site if missing, serve on http://127.0.0.1:8080
#   make test    the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BUILDOUT_CFG ?= buildout.cfg
SITE_ID ?= links
FORCE ?=
DEMO ?= 1
export TZ := Europe/London

BUILDOUT_SOURCES := $(BUILDOUT_CFG) $(wildcard profiles/*.cfg) src/links.content/pyproject.toml src/links.policy/pyproject.toml

.PHONY: help
help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/bin/buildout:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 (e.g. 'apt-get install python3.11 python3.11-venv')."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-buildout.txt

.installed.cfg: $(VENV)/bin/buildout $(BUILDOUT_SOURCES)
	./scripts/system-deps.sh runtime
	$(VENV)/bin/buildout -N -c $(BUILDOUT_CFG)
	@touch .installed.cfg

.PHONY: install
install: .installed.cfg ## Build: virtualenv, buildout, system libraries for PDFs

.PHONY: create-site
create-site: install ## Create the site 'links' with demo content (FORCE=1 recreates it, DEMO=0 leaves out demo data)
	FORCE=$(FORCE) DEMO=$(DEMO) SITE_ID=$(SITE_ID) bin/instance run scripts/create_site.py

.PHONY: start
start: create-site ## Install and create what is missing, then serve on http://127.0.0.1:8080 (foreground)
	@echo "Serving http://127.0.0.1:8080/$(SITE_ID) (demo users in README.md). Ctrl+C stops."
	bin/instance fg

.PHONY: handover-export
handover-export: ## Export the whole site into one signed handover archive (ARCHIVE=path, ENCRYPT_TO=age1... optional)
	SITE_ID=$(SITE_ID) ARCHIVE=$(ARCHIVE) ENCRYPT_TO=$(ENCRYPT_TO) bin/instance run scripts/handover_export.py

.PHONY: handover-import
handover-import: ## Verify and import a handover archive into a fresh site: make handover-import ARCHIVE=... FINGERPRINT=...
	@test -n "$(ARCHIVE)" || { echo "Give the archive: make handover-import ARCHIVE=path/to/archive.zip FINGERPRINT=..."; exit 2; }
	SITE_ID=$(SITE_ID) ARCHIVE="$(ARCHIVE)" FINGERPRINT="$(FINGERPRINT)" IDENTITY="$(IDENTITY)" \
	INSECURE_NO_FINGERPRINT="$(INSECURE_NO_FINGERPRINT)" ADMIN_ROLES="$(ADMIN_ROLES)" \
	PASSWORD_HASHES="$(PASSWORD_HASHES)" ALL_REGISTRY_RECORDS="$(ALL_REGISTRY_RECORDS)" \
	bin/instance run scripts/handover_import.py

.PHONY: handover-keygen
handover-keygen: ## Successor: make an age key pair to receive an encrypted archive (IDENTITY=path optional)
	IDENTITY="$(IDENTITY)" bin/zopepy scripts/handover_keygen.py

.PHONY: test
test: install tests/axe/node_modules ## Run the whole test suite (installs chromium and poppler-utils for browser and PDF tests)
	./scripts/system-deps.sh test
	bin/pytest tests $(PYTEST_ARGS)

# axe-core (pinned in tests/axe/package-lock.json) for the browser tests' accessibility checks.
tests/axe/node_modules: tests/axe/package.json tests/axe/package-lock.json
	./scripts/system-deps.sh test
	npm ci --prefix tests/axe --no-audit --no-fund
	@touch tests/axe/node_modules

RUFF := $(VENV)/bin/ruff
$(RUFF): profiles/versions.cfg
	$(VENV)/bin/pip install --quiet "ruff==$$(awk '$$1 == "ruff" {print $$3}' profiles/versions.cfg)"
	@touch $(RUFF)

PYROMA := .venv-lint/bin/pyroma
$(PYROMA): requirements-lint.txt
	python3.11 -m venv .venv-lint
	.venv-lint/bin/pip install --quiet --disable-pip-version-check -r requirements-lint.txt
	@touch $(PYROMA)

.PHONY: lint
lint: install $(RUFF) $(PYROMA) ## ruff, zpretty and pyroma (package metadata, 10/10) in check mode
	$(RUFF) check src tests scripts benchmarks
	$(RUFF) format --check src tests scripts benchmarks
	find src -name '*.zcml' -o -name '*.xml' | grep -v '/locales/' | xargs bin/zpretty --check
	for package in src/links.content src/links.policy; do $(PYROMA) --min 10 --quiet $$package || exit 1; done

.PHONY: format
format: install $(RUFF) ## Format Python with ruff and XML/ZCML with zpretty
	$(RUFF) check --fix src tests scripts benchmarks
	$(RUFF) format src tests scripts benchmarks
	find src -name '*.zcml' -o -name '*.xml' | grep -v '/locales/' | xargs bin/zpretty -i

.PHONY: reminders
reminders: ## Send the daily statutory-clock reminders for SITE_ID (run it from cron once a day)
	bin/instance run scripts/send_reminders.py $(SITE_ID)

.PHONY: rotate-keys
rotate-keys: ## Replace the seal key and PDF certificate of SITE_ID (audited): make rotate-keys REASON="..."
	@test -n "$(REASON)" || { echo 'Say why: make rotate-keys REASON="certificate expires soon"'; exit 2; }
	bin/instance run scripts/rotate_keys.py $(SITE_ID) --reason "$(REASON)"

.PHONY: bench
bench: ## Print benchmark figures: install, site creation and start-up times first
	./scripts/bench.sh

.PHONY: clean
clean: ## Remove the build (keeps var/: the database and keys)
	rm -rf $(VENV) bin develop-eggs eggs parts .installed.cfg src/*/src/*.egg-info

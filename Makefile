# LINk Governance: the conventional Plone make targets.
#   make start   install what is missing, start the ZEO server and a Zope client in the background,
#                create the demo site if missing, serve on http://localhost:8080/links
#   make stop    stop both
#   make test    the whole test suite (needs no running server)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BUILDOUT_CFG ?= buildout.cfg
SITE_ID ?= links
FORCE ?=
DEMO ?=
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
create-site: install ## Create the site 'links' with demo content (FORCE=1 recreates it, DEMO=0 leaves out demo data; never demo data in production)
	FORCE=$(FORCE) DEMO=$(DEMO) SITE_ID=$(SITE_ID) ./scripts/site.sh run scripts/create_site.py

.PHONY: start
start: install ## Start the ZEO server and a Zope client in the background (creates the site if missing)
	FORCE=$(FORCE) DEMO=$(DEMO) SITE_ID=$(SITE_ID) ./scripts/site.sh start

.PHONY: stop
stop: ## Stop the Zope client and the ZEO server that 'make start' started
	./scripts/site.sh stop

.PHONY: status
status: ## Say whether the ZEO server and the Zope client run
	./scripts/site.sh status

.PHONY: fg
fg: install ## Debug: the ZEO server in the background, the Zope client in the foreground (Ctrl+C stops the client)
	./scripts/site.sh run scripts/create_site.py
	bin/zeoserver start >/dev/null; bin/instance fg

.PHONY: handover-export
handover-export: ## Export the whole site into one signed handover archive (ARCHIVE=path, ENCRYPT_TO=age1... optional)
	SITE_ID=$(SITE_ID) ARCHIVE=$(ARCHIVE) ENCRYPT_TO=$(ENCRYPT_TO) ./scripts/site.sh run scripts/handover_export.py

.PHONY: handover-import
handover-import: ## Verify and import a handover archive into a fresh site: make handover-import ARCHIVE=... FINGERPRINT=...
	@test -n "$(ARCHIVE)" || { echo "Give the archive: make handover-import ARCHIVE=path/to/archive.zip FINGERPRINT=..."; exit 2; }
	SITE_ID=$(SITE_ID) ARCHIVE="$(ARCHIVE)" FINGERPRINT="$(FINGERPRINT)" IDENTITY="$(IDENTITY)" \
	INSECURE_NO_FINGERPRINT="$(INSECURE_NO_FINGERPRINT)" ADMIN_ROLES="$(ADMIN_ROLES)" \
	PASSWORD_HASHES="$(PASSWORD_HASHES)" ALL_REGISTRY_RECORDS="$(ALL_REGISTRY_RECORDS)" \
	./scripts/site.sh run scripts/handover_import.py

.PHONY: handover-keygen
handover-keygen: ## Successor: make an age key pair to receive an encrypted archive (IDENTITY=path optional)
	IDENTITY="$(IDENTITY)" bin/zopepy scripts/handover_keygen.py

# axe-core for the browser tests' accessibility checks (package.json pins it; npm comes with system-deps).
node_modules/.package-lock.json: package.json package-lock.json
	./scripts/system-deps.sh test
	npm ci --no-audit --no-fund --ignore-scripts

.PHONY: test
test: install node_modules/.package-lock.json ## Run the whole test suite (installs chromium and poppler-utils for browser and PDF tests)
	./scripts/system-deps.sh test
	./scripts/system-deps.sh cluster
	bin/pytest tests $(PYTEST_ARGS)

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
	./scripts/site.sh run scripts/send_reminders.py $(SITE_ID)

.PHONY: audit-checkpoint
audit-checkpoint: ## Sign a checkpoint of SITE_ID's audit trail and e-mail it to the witnesses (cron, daily)
	./scripts/site.sh run scripts/audit_checkpoint.py $(SITE_ID)

.PHONY: rotate-keys
rotate-keys: ## Replace the seal key and PDF certificate of SITE_ID (audited): make rotate-keys REASON="..."
	@test -n "$(REASON)" || { echo 'Say why: make rotate-keys REASON="certificate expires soon"'; exit 2; }
	./scripts/site.sh run scripts/rotate_keys.py $(SITE_ID) --reason "$(REASON)"

.PHONY: verify-audit
verify-audit: ## Verify the audit trail of SITE_ID (chains, checkpoints, witnessed versions and signatures)
	./scripts/site.sh run scripts/verify_audit.py $(SITE_ID)

.PHONY: start-cluster
start-cluster: ## RelStorage build only: CLIENTS Zope clients (default 2) on PostgreSQL behind HAProxy on the configured address
	./scripts/system-deps.sh cluster
	SITE_ID=$(SITE_ID) DEMO=$(DEMO) ./scripts/cluster.sh start $(or $(CLIENTS),2)

.PHONY: stop-cluster
stop-cluster: ## Stop the clients and HAProxy that 'make start-cluster' started
	./scripts/cluster.sh stop

.PHONY: backup
backup: ## Back up database, blobs, keys and audit folder into BACKUP_ROOT/<date> (default var/backups) with a SHA-256 manifest
	./scripts/backup.sh backup $(BACKUP_ROOT)

.PHONY: restore
restore: ## Restore a backup into the stopped deployment: make restore BACKUP=var/backups/<date>
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/<date>"; exit 2; }
	./scripts/backup.sh restore "$(BACKUP)"

.PHONY: bench
bench: ## Print benchmark figures: install, site creation and start-up times first
	./scripts/bench.sh

.PHONY: clean
clean: ## Remove the build (keeps var/: the database and keys)
	rm -rf $(VENV) bin develop-eggs eggs parts .installed.cfg src/*/src/*.egg-info

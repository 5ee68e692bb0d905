# Chancery: `make run` serves the app with the seeds loaded; `make test` runs every test.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The developer's commands (run, seed, test, schema, bench) run in debug mode; a deployment
# sets DEBUG itself and does not use make. Unset or empty DEBUG means off (config/settings.py).
export DEBUG ?= 1

.PHONY: run serve test lint bench load setup migrate seed schema clean browser vendor audit replica

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py import_seeds

# On a fresh database the curated seeds load first and the bundled datasets follow in a
# background process while the server starts (seeds/importer/firstrun.py); otherwise as `make seed`.
# The account first: on SQLite the background import holds the write lock until it finishes.
run: migrate
	$(PY) manage.py ensure_editor
	$(PY) manage.py import_seeds --curated-first
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production mode on gunicorn (config/gunicorn.conf.py; docs/deploy.md): DEBUG off, static files
# by whitenoise, workers from WEB_CONCURRENCY. SECRET_KEY from the environment, else one kept in
# var/secret-key (made once). Loads no data: `make seed` for the seeds; the check says so when the
# database is empty or has no account (seeds/checks.py).
SERVE_ENV = DEBUG=0 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret-key)}"
serve: migrate
	@test -n "$$SECRET_KEY" || test -s var/secret-key || \
		(umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key)
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(SERVE_ENV) $(PY) manage.py check --deploy --database default --fail-level WARNING
	$(SERVE_ENV) HOST=$(HOST) PORT=$(PORT) exec $(VENV)/bin/gunicorn --config config/gunicorn.conf.py

# One pytest-xdist worker per CPU (TEST_WORKERS=0 for one process), each with a test database of
# its own (test_<name>_gw0, ...). loadgroup keeps tests marked xdist_group("gunicorn") on one
# worker: each starts gunicorn after collecting static files into the one STATIC_ROOT.
TEST_WORKERS ?= auto
test: setup browser
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=10

# The browser tests drive Debian's Chromium. Installed here when missing and we are root
# (as on CI); elsewhere they skip, and say so loudly.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "!!! /usr/bin/chromium is missing and cannot be installed here (not root or no apt-get):"; \
		echo "!!! the browser tests will be SKIPPED. Install Debian's chromium to run them."; \
	fi

# Browser libraries are vendored under core/static/vendor/ (served locally, never from a CDN).
# package.json / package-lock.json pin them; this refreshes the copies after a version bump.
VENDOR := core/static/vendor
vendor:
	npm ci --no-audit --no-fund
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/vis-timeline $(VENDOR)/graphiql $(VENDOR)/react $(VENDOR)/js-cookie \
		$(VENDOR)/timelinejs/js $(VENDOR)/timelinejs/css/icons
	cp node_modules/vis-timeline/dist/vis-timeline-graph2d.min.js node_modules/vis-timeline/dist/vis-timeline-graph2d.min.css \
		node_modules/vis-timeline/LICENSE.md node_modules/vis-timeline/LICENSE.MIT.txt node_modules/vis-timeline/LICENSE.Apache-2.0.txt $(VENDOR)/vis-timeline/
	cp node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css node_modules/graphiql/LICENSE $(VENDOR)/graphiql/
	cp node_modules/react/umd/react.production.min.js node_modules/react-dom/umd/react-dom.production.min.js $(VENDOR)/react/
	cp node_modules/react/LICENSE $(VENDOR)/react/LICENSE
	cp node_modules/js-cookie/dist/js.cookie.min.js node_modules/js-cookie/LICENSE $(VENDOR)/js-cookie/
	# TimelineJS: only for checking that its exports draw (tests/pages/test_timelinejs_browser.py);
	# its CSS finds its icon font at ../css/icons/, so the folder layout is kept.
	TL=node_modules/@knight-lab/timelinejs; cp $$TL/dist/js/timeline.js $$TL/dist/js/timeline.js.LICENSE.txt $$TL/LICENSE $(VENDOR)/timelinejs/js/ && \
		cp $$TL/dist/css/timeline.css $(VENDOR)/timelinejs/css/ && cp $$TL/dist/css/icons/* $(VENDOR)/timelinejs/css/icons/ && \
		mv $(VENDOR)/timelinejs/js/LICENSE $(VENDOR)/timelinejs/LICENSE
	sed -i -e "s|//# sourceMappingURL=.*||" -e "s|/\*# sourceMappingURL=.*\*/||" $(VENDOR)/*/*.min.js $(VENDOR)/*/*.min.css \
		$(VENDOR)/timelinejs/js/timeline.js $(VENDOR)/timelinejs/css/timeline.css

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

schema: setup
	$(PY) manage.py export_schema config.schema:schema --path schema.graphql

# Scale benchmark on PostgreSQL (database chancery_bench): BENCH_EVENTS=50000 or BENCH_ARGS=--quick to shrink.
bench: setup
	$(PY) -m bench.run $(BENCH_ARGS)

# Bounded loopback load on the production server (bench/loadtest.py): 2,000 mixed requests at
# concurrency 8 with 8 concurrent editors, backward and treaty walks, and an import of 8,000
# events writing meanwhile, on SQLite and then on PostgreSQL (LOAD_ARGS to change).
load: setup
	$(PY) -m bench.loadtest --database sqlite $(LOAD_ARGS)
	$(PY) -m bench.loadtest --database postgres $(LOAD_ARGS)

# A throwaway PostgreSQL primary with a streaming standby on free ports (bench/replicas.py), to try
# DATABASE_REPLICA_URLS by hand (docs/deploy.md "Scaling out"); Ctrl-C stops and deletes both.
replica: setup
	$(PY) -m bench.replicas

# The record pages' overview counts (events.memberships), rebuilt from the link tables: after a
# restore or any write made outside the app (edits keep them in step themselves).
memberships: migrate
	$(PY) manage.py rebuild_memberships

clean:
	rm -rf $(VENV) var/

# Accuracy audit (audit/, docs/datasets.md "Accuracy"): SEED and N records per dataset drawn from
# the raw files, each looked up through /graphql/ and compared with an independent reading.
# Runs on its own SQLite database (var/audit.sqlite3), imported on first use ("Up to date" after).
SEED ?= 1
N    ?= 40
AUDIT_ENV = DATABASE_URL=sqlite:///$(CURDIR)/var/audit.sqlite3
audit: setup
	$(AUDIT_ENV) $(PY) manage.py migrate --noinput --verbosity 0
	$(AUDIT_ENV) $(PY) manage.py import_seeds --verbosity 0
	$(AUDIT_ENV) $(PY) -m audit --seed $(SEED) -n $(N)

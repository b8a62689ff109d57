# The two commands: `make run` (serve the tracker with its sample record) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app

.PHONY: run test install lint bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Migrate instance/tracker.db, load the sample record on first start, serve http://127.0.0.1:5000
run: install
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	TRACKER_RUN_SCHEDULER_IN_PROCESS=1 $(FLASK) serve

## The whole suite on SQLite, then again on PostgreSQL when TRACKER_TEST_DATABASE_URL is set
test: install
	env -u TRACKER_TEST_DATABASE_URL $(BIN)/pytest
	@if [ -n "$$TRACKER_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TRACKER_TEST_DATABASE_URL)"; \
		$(BIN)/pytest; \
	fi

## Common mistakes: unused names, undefined names, ambiguous names (ruff, its default rules)
lint: install
	$(BIN)/ruff check tracker tests bench

## Benchmarks (see README, Performance)
bench: install
	$(BIN)/python bench/bench_pages.py --sizes 1000,100000

clean:
	rm -rf $(VENV) instance

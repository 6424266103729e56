# Samenzaak — the commands a developer types are the ones CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck pytest conformance bench clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP) ## Migrate the embedded SQLite database (./data), create an admin client, serve on :8000
	$(BIN)/samenzaak bootstrap --demo
	$(BIN)/samenzaak serve --no-migrate

test: lint typecheck pytest ## ruff, mypy and the whole test suite (SQLite; PostgreSQL too with SAMENZAAK_TEST_POSTGRES_URL)

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

typecheck: $(STAMP) ## mypy, strict on src/
	$(BIN)/mypy

pytest: $(STAMP) ## the test suite only
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) ## Benchmark a local server (SQLite); e.g. BENCH_ARGS="--postgres URL --load-zaken 1000000 -- --duration 20"
	$(BIN)/python bench/run_local.py $(BENCH_ARGS)

clean: ## Remove the virtualenv and caches (not ./data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

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
	$(BIN)/ruff check src tests scripts bench conformance
	$(BIN)/ruff format --check src tests scripts bench conformance

typecheck: $(STAMP) ## mypy, strict on src/
	$(BIN)/mypy

pytest: $(STAMP) ## the test suite only
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) ## Benchmark a local server (SQLite); e.g. BENCH_ARGS="--postgres URL --load-zaken 1000000 -- --duration 20"
	$(BIN)/python bench/run_local.py $(BENCH_ARGS)

clean: ## Remove the virtualenv and caches (not ./data)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# VNG's Postman suite against a fresh server (needs node + npm; newman is installed on first use).
.PHONY: conformance-ci conformance-quick fuzz
CONFORMANCE_ARGS ?=
CONFORMANCE_QUICK_FOLDERS ?= ac
FUZZ_EXAMPLES ?= 200

conformance: $(STAMP) ## VNG's Postman suite (both collections) against a fresh server; see conformance/README.md
	$(BIN)/python conformance/run.py $(CONFORMANCE_ARGS)

conformance-ci: $(STAMP) ## what CI runs: the whole "ZGW api tests" collection and every OAS folder but NRC (docs/conformance.md)
	$(BIN)/python conformance/run.py --collection api $(CONFORMANCE_ARGS)
	$(BIN)/python conformance/run.py --collection oas --folder ZRC --folder DRC --folder ZTC --folder BRC --folder AC $(CONFORMANCE_ARGS)

conformance-quick: $(STAMP) ## only the "ZGW api tests" folders in CONFORMANCE_QUICK_FOLDERS (default: ac)
	$(BIN)/python conformance/run.py --collection api $(foreach f,$(CONFORMANCE_QUICK_FOLDERS),--folder $(f)) $(CONFORMANCE_ARGS)

fuzz: $(STAMP) ## schemathesis against the official specs, FUZZ_EXAMPLES examples per operation
	SAMENZAAK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest tests/fuzz $(PYTEST_ARGS)

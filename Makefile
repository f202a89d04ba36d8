# Set-up commands work on a fresh machine with Python 3.11 and make: each installs what it needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Both cores: the suite is mostly waiting on real servers and jobs (override: make pytest PYTEST_ARGS=...).
PYTEST_ARGS ?= -n auto

.PHONY: demo test lint typecheck check-contract generate pytest bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## demo: start a local server, avatarise fixtures/iris.csv, print the metrics and avatars
demo: $(STAMP)
	$(BIN)/python examples/demo.py

## test: lint, type-check, contract check and the whole test suite
test: lint typecheck check-contract pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check-contract: $(STAMP)
	$(BIN)/python scripts/check_contract.py

## generate: export openapi.json from the server and regenerate generated/
generate: $(STAMP)
	$(BIN)/python scripts/export_openapi.py
	$(BIN)/python scripts/generate_client.py

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: speed and memory benchmarks (prints figures, writes bench/results.json)
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache

# The verbs people use. Every target that needs Python depends on `setup`, so any of
# them works as the first command on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DUCKDB_PATH ?= $(CURDIR)/warehouse/intercom.duckdb
DBT := INTERCOM_DUCKDB_PATH=$(DUCKDB_PATH) DO_NOT_TRACK=1 $(BIN)/dbt
DBT_DIRS := --project-dir dbt_project --profiles-dir .
export AIRBYTE_OFFLINE_MODE := 1
export DO_NOT_TRACK := 1

.PHONY: help setup demo extract build test docs bench clean

help: ## Show the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(STAMP) ## Create .venv and install the project (no-op when up to date)

# uv installs the ~200 packages PyAirbyte needs several times faster than pip. It
# compiles their bytecode up front: where PYTHONDONTWRITEBYTECODE is set, every process
# (CLI, connector, dbt) would otherwise compile PyAirbyte and the CDK again, ~5 s each.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'
	touch $(STAMP)

demo: setup ## Simulator → extract → dbt build → summary, offline
	$(BIN)/intercom-elt demo --duckdb-path $(DUCKDB_PATH)

extract: setup ## Extract your workspace (needs INTERCOM_ACCESS_TOKEN)
	$(BIN)/intercom-elt extract --duckdb-path $(DUCKDB_PATH)

build: setup ## dbt build (models + tests) on the DuckDB file
	$(DBT) build $(DBT_DIRS)

test: setup ## Run the test suite (offline, against the simulator)
	$(BIN)/python -m pytest

docs: setup ## Build the dbt docs site into dbt_project/target
	$(DBT) docs generate $(DBT_DIRS)
	@echo "Docs in dbt_project/target/index.html (serve: $(DBT) docs serve $(DBT_DIRS))"

bench: setup ## Benchmarks (ratios, not timed tests)
	$(BIN)/python -m bench

clean: ## Remove the venv, the warehouse and dbt's outputs
	rm -rf $(VENV) warehouse dbt_project/target dbt_project/logs dbt_project/dbt_packages

# importcanon — developer tasks. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
UV     := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
STAMP  := $(VENV)/.installed
CACHE  ?= .cache

.PHONY: bench docs env demo test test-realworld lint typecheck imports quality bench clean

$(STAMP): requirements/dev.txt pyproject.toml
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet -r requirements/dev.txt
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	@touch $(STAMP)

env: $(STAMP)

demo: env
	@echo "== importcanon check (examples/ml_playground) =="
	cd examples/ml_playground && ../../$(BIN)/importcanon check --no-cache --exit-zero
	@echo "== importcanon status =="
	cd examples/ml_playground && ../../$(BIN)/importcanon status --no-cache || true

test: env
	$(BIN)/pytest

test-realworld: env
	$(BIN)/pytest -m realworld tests/realworld -s

lint: env
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: env
	$(BIN)/mypy

imports: env
	$(BIN)/lint-imports
	$(BIN)/importcanon check --no-cache

quality: lint typecheck imports test

BENCH_VENV := .cache/bench/venv

bench: env
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(BENCH_VENV)
	VIRTUAL_ENV=$(BENCH_VENV) $(UV) pip install --quiet -r requirements/bench.txt
	$(BIN)/python bench/run.py --tach $(BENCH_VENV)/bin/tach
	$(BENCH_VENV)/bin/python bench/plot.py

clean:
	rm -rf $(VENV) .importcanon_cache .pytest_cache .mypy_cache .ruff_cache

docs: env
	$(BIN)/importcanon rule --all > docs/rules.md

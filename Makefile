# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test verify venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

venv: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,demo,notebooks]"

demo: venv
	$(BIN)/autograd-core demo

test: venv
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) demo-out .pytest_cache .hypothesis

verify: venv
	$(BIN)/autograd-core verify

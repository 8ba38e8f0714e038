# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# The package is installed into .venv once, and again only when pyproject.toml changes: the
# stamp .venv/.installed records the last install, so later runs need no network
# (delete it to force a reinstall).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test verify venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Order-only on the interpreter: its timestamp is the system Python's, not the venv's.
# The warning filter drops setuptools' boxed notice that folders named like our packages in the
# working folder take precedence: autograd-core itself says so when that happens.
$(INSTALLED): pyproject.toml | $(BIN)/python
	PYTHONWARNINGS="ignore:Editable installation" \
		$(BIN)/python -m pip install --quiet -e ".[dev,demo,notebooks,mnist1d]"
	touch $@

venv: $(INSTALLED)

demo: venv
	$(BIN)/autograd-core demo

test: venv
	$(BIN)/python -m pytest

verify: venv
	$(BIN)/autograd-core verify

clean:
	rm -rf $(VENV) demo-out .pytest_cache .hypothesis

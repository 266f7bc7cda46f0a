# The two commands of the README, and a few more for everyday work.
# Everything runs in a virtual environment created on first use in .venv/.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Decap's local backend, for the test that writes a fiche through the browser editor.
DECAP_SERVER := tests/editor/node_modules/.bin/decap-server
# remark, which checks the front matter of the fiches while typing (VS Code) and in the tests.
REMARK := node_modules/.bin/remark

.PHONY: site test check lint bench serve-site clean

# Build the example site into site/ (creating the environment if needed).
site: $(STAMP)
	$(BIN)/fichotheque build

# Run every test: lint, types, the validator, the CLI, real builds, real Chromium.
test: $(STAMP) $(DECAP_SERVER) $(REMARK)
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/ruff format --check scripts tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Check the knowledge base, warnings included.
check: $(STAMP)
	$(BIN)/fichotheque check --strict

# Fichothèque against Material for MkDocs at 100, 1,000 and 10,000 fiches (long: see README).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --sizes $(or $(SIZES),100,1000,10000)

lint: $(STAMP)
	$(BIN)/ruff check scripts tests benchmarks
	$(BIN)/ruff format --check scripts tests benchmarks
	$(BIN)/mypy

# Look at the built site on http://localhost:8000/ (no rebuild on change yet).
serve-site: site
	$(BIN)/python -m http.server --directory site 8000

$(DECAP_SERVER): tests/editor/package-lock.json
	npm ci --prefix tests/editor --no-audit --no-fund --loglevel=error
	touch $(DECAP_SERVER)

$(REMARK): package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(REMARK)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache

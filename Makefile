# cppcc_study — the two commands a new user needs are `make report` and `make test`.
# Both create .venv and install everything on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help setup report test test-fast lint benchmarks clean-outputs test-update

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml scripts/setup.sh
	@bash scripts/setup.sh "$(PYTHON)" "$(VENV)"
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv, install the package, its tools and fonts

report: setup  ## build the annual comparison reports from the bundled demo corpus
	$(BIN)/cppcc-study build

test: setup  ## run the whole test suite (slow end-to-end tests included)
	$(BIN)/python -m pytest

test-fast: setup  ## the test suite without the slow end-to-end tests
	$(BIN)/python -m pytest -m "not slow"

lint: setup  ## ruff over the package and tests
	$(BIN)/ruff check src tests benchmarks

benchmarks: setup  ## print the speed figures with their floors
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/grid_speed.py
	$(BIN)/python benchmarks/report_speed.py

test-update: setup  ## refresh the golden (snapshot) files after an intended change
	CPPCC_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests -k golden

clean-outputs:  ## remove everything the pipeline wrote (raw data untouched)
	rm -rf reports/build reports/[0-9][0-9][0-9][0-9] reports/source
	find data/processed -mindepth 1 ! -name .gitkeep -delete

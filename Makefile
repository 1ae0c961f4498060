# The two set-up commands of the README:
#   make run    installs the Debian libraries Qt draws its window with (or names them), JSD Desk
#               in .venv, and starts the app on its default store
#               (make run DEMO=1 first fills a fresh store with demo data)
#   make test   installs everything (Debian packages and a PostgreSQL server too) and runs the
#               whole test suite; pytest's output is kept in build/pytest.log
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
# Prerequisites in the order written: the Debian packages (python3-venv among them) come before
# the venv is made.
.NOTPARALLEL:

$(BIN)/jsd-desk: pyproject.toml setup.py
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

.PHONY: install run test system system-run lint bench package deb
install: $(BIN)/jsd-desk

run: system-run install
	$(BIN)/python -m jsd_desk.app $(if $(DEMO),--demo)

system:
	./scripts/setup-system.sh

# Only the libraries the window needs (scripts/system-packages.txt, WHO = run).
system-run:
	./scripts/setup-system.sh --run

test: system install
	mkdir -p build
	url=$$(./scripts/start-postgres.sh); \
	JSD_TEST_PG_URL=$$url QT_QPA_PLATFORM=offscreen \
	  $(BIN)/python -m pytest --durations=15 $(PYTEST_ARGS) 2>&1 | tee build/pytest.log

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# One table of every benchmark's ratio against its same-run baseline (build/bench/summary.json,
# summary.md); make bench QUICK=1 for small sizes.
bench: install
	$(BIN)/python -m benchmarks $(if $(QUICK),--quick)

# The Linux one-folder app (build/pkg/dist/jsd-desk), smoke-tested; `make deb` adds the .deb.
package: install
	PY=$(abspath $(BIN)/python) packaging/build-linux.sh

deb: install
	PY=$(abspath $(BIN)/python) packaging/build-linux.sh --deb

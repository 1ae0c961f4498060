# The two set-up commands of the README:
#   make run    installs JSD Desk in .venv and starts the app on its default store
#               (make run DEMO=1 first fills a fresh store with demo data)
#   make test   installs everything (Debian packages too) and runs the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/jsd-desk: pyproject.toml setup.py
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $@

.PHONY: install run test system lint bench
install: $(BIN)/jsd-desk

run: install
	$(BIN)/python -m jsd_desk.app $(if $(DEMO),--demo)

system:
	./scripts/setup-system.sh

test: system install
	JSD_TEST_PG_URL=$$(./scripts/start-postgres.sh) QT_QPA_PLATFORM=offscreen \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

bench: install
	$(BIN)/python -m benchmarks

# ClusterLab developer commands. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format bench bench-quality bench-families bench-nulls bench-methods bench-method-speed browser clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[web,report,dask,dev]"
	@touch $(STAMP)

install: $(STAMP)

# The web app on http://$(HOST):$(PORT)/ with the bundled samples one click away (runs kept in .clusterlab-data/).
run: install
	$(BIN)/clusterlab serve --host $(HOST) --port $(PORT)

# Browser tests need Debian's chromium; install it when missing (root or sudo), as CI does on a clean machine.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
		|| { echo "Could not install chromium (need root or passwordless sudo)."; [ "$$CI" != "true" ] || exit 1; }; \
	fi

test: install browser
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not browser and not slow and not dask"

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/clusterlab
	$(BIN)/lint-imports --no-cache
	$(BIN)/hadolint Dockerfile

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The speed benchmark (about 4 minutes; docs/speed.md). Its extras: matplotlib for the reference's
# charts, faiss-cpu for the kernel line. 10M rows: $(BIN)/python -m bench.speed --only large --large "" --huge
bench: install
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python -m bench.speed

bench-quality: install
	$(BIN)/python -m bench.quality

bench-families: install  # generated tables of the held-back kinds, 4 seeds each (about 5 minutes)
	$(BIN)/python -m bench.families

bench-nulls: install  # 132 generated tables without groups, none may be more than weak (about 6 minutes)
	$(BIN)/python -m bench.nulls

bench-methods: install  # every method at the true k on the labelled sets
	$(BIN)/python -m bench.quality --methods kmeans,gmm,hierarchical,hdbscan,kmedoids

bench-method-speed: install  # every method's time at 100,000 rows, as a ratio to --method kmeans (docs/speed.md)
	$(BIN)/python -m bench.speed --only methods

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache results test-artifacts

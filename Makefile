# Two commands for a newcomer: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
DEMO_DB := var/demo.sqlite3
DEMO_PEOPLE ?= 30000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install demo demo-data serve test test-fast lint format migrations-check messages bench bench-smoke clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# The lock file pins every package with its hash; the project itself installs editable on top.
$(VENV)/.installed: $(BIN)/uv requirements.lock pyproject.toml
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo-data: install
	mkdir -p var
	rm -f $(DEMO_DB)
	HOMEWARD_DATABASE_URL=sqlite:///$(DEMO_DB) $(BIN)/homeward demo-setup --people $(DEMO_PEOPLE) --seed 1

demo: demo-data
	HOMEWARD_DATABASE_URL=sqlite:///$(DEMO_DB) HOMEWARD_DEBUG=1 $(BIN)/homeward runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/homeward makemigrations --check --dry-run
	$(BIN)/pytest -n 2

test-fast: install
	$(BIN)/pytest -n 2 -m "not browser"

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

migrations-check: install
	$(BIN)/homeward makemigrations --check --dry-run

messages: install
	cd src/homeward && ../../$(BIN)/homeward makemessages -l hy -l ru -l az --no-obsolete && ../../$(BIN)/homeward compilemessages

bench: install
	$(BIN)/python bench/registry.py

bench-smoke: install
	$(BIN)/python bench/registry.py --smoke

clean:
	rm -rf $(VENV) var .pytest_cache

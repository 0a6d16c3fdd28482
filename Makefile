# Opgroeiruimte Live. `make run` serves on http://localhost:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate translations lint format bench clean

$(BIN)/activate: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(BIN)/activate

install: $(BIN)/activate translations

translations: $(BIN)/activate
	$(BIN)/pybabel compile --domain messages --directory app/locale --statistics 2>&1 | tail -n 2

migrate: install
	$(BIN)/alembic upgrade head

run: migrate
	@echo "Opgroeiruimte Live: http://localhost:$(PORT)"
	$(BIN)/uvicorn app.main:create_app --factory --host $(HOST) --port $(PORT) --proxy-headers

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q -rs $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench.live_path $(BENCH_ARGS)

extract: $(BIN)/activate
	$(BIN)/pybabel extract --mapping babel.cfg --keywords N_ --no-location --sort-output --project "Opgroeiruimte Live" \
		--output app/locale/messages.pot .
	$(BIN)/pybabel update --domain messages --input-file app/locale/messages.pot --output-dir app/locale --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

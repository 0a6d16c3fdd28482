# Opgroeiruimte Live. `make run` serves on http://localhost:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev migrate translations lint format bench lock clean

# Installs come from lock files with hashes (pip-compile --generate-hashes, see `make lock`): `make run` installs
# only the runtime dependencies, `make test` adds the development and test tools.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime translations

install-dev: $(VENV)/.dev translations

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile --domain messages --directory app/locale --statistics 2>&1 | tail -n 2

migrate: install
	$(BIN)/alembic upgrade head

run: migrate
	@$(BIN)/python -m app addresses --host $(HOST) --port $(PORT)
	$(BIN)/uvicorn app.main:create_app --factory --host $(HOST) --port $(PORT) --proxy-headers

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q -rs $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python -m bench.live_path $(BENCH_ARGS)

extract: $(VENV)/.runtime
	$(BIN)/pybabel extract --mapping babel.cfg --keywords N_ --no-location --sort-output --project "Opgroeiruimte Live" \
		--output app/locale/messages.pot .
	$(BIN)/pybabel update --domain messages --input-file app/locale/messages.pot --output-dir app/locale --no-fuzzy-matching

# After changing dependencies in pyproject.toml: pin and hash them again with uv in a throwaway environment. The locks
# are universal (markers for other Python versions and platforms) and include the build backend (setuptools).
lock:
	$(PYTHON) -m venv /tmp/opgroeiruimte-lock
	/tmp/opgroeiruimte-lock/bin/pip install --quiet uv
	echo "setuptools>=69" > /tmp/opgroeiruimte-lock/build.in
	for extra in "" dev; do \
	  /tmp/opgroeiruimte-lock/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	    --custom-compile-command "make lock" $${extra:+--extra $$extra} pyproject.toml /tmp/opgroeiruimte-lock/build.in \
	    -o requirements$${extra:+-$$extra}.lock; \
	  sed -i 's|-r /tmp/opgroeiruimte-lock/build.in|the build backend (pyproject.toml)|' requirements$${extra:+-$$extra}.lock; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Energie-Advisor: two commands do all set-up on a fresh Debian machine with Python 3.11.
#   make run   - venv, install, start the Streamlit app with the (synthetic) demo household
#   make test  - venv, install (incl. Debian's Chromium for browser tests), run the whole suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test venv system-deps lint bench fuzz clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages: Chromium for the browser tests; Pango for WeasyPrint PDF reports.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! ldconfig -p | grep -q libpangoft2; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] && echo "" || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	fi

run: venv
	$(BIN)/streamlit run app/Home.py --server.port $(PORT)

test: venv system-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: venv
	$(BIN)/ruff check advisor app tests benchmarks

bench: venv
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# long fuzz run of the readers and the injected-defect check (10-30 min; not part of `make test`)
fuzz: venv
	$(BIN)/python benchmarks/fuzz_readers.py && $(BIN)/python benchmarks/fuzz_mutants.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# OneClick Insight: `make site` builds the website, `make test` runs the tests.
# Both start from nothing but Python 3.11 and the package registries.

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
RAW := $(addprefix data/raw/,market_file.csv market_money.csv market_time.csv money.csv)
RESULTS_STAMP := results/.built
# Real Quarto, where installed, must use the project's interpreter.
export QUARTO_PYTHON := $(CURDIR)/$(PY)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test results fetch-data bench serve chromium clean
.DELETE_ON_ERROR:

site: results
	@if command -v quarto >/dev/null 2>&1; then \
	  echo "quarto found: quarto render"; quarto render; \
	else \
	  echo "quarto not on PATH: fallback renderer (render/README.md)"; \
	  $(PY) -m render --depends analysis --depends results; \
	fi

test: results chromium
	$(PY) -m pytest

# fetch-data runs first, then a sub-make sees the raw files' real timestamps.
results: fetch-data
	@$(MAKE) --no-print-directory $(RESULTS_STAMP)

# PROVENANCE.json (where the raw files came from) is rewritten only when it changes.
$(RESULTS_STAMP): $(STAMP) $(RAW) $(wildcard data/raw/PROVENANCE.json) $(wildcard analysis/*.py)
	$(PY) -m analysis build-results
	@touch $@

# Always checks the raw files' SHA-256 (cheap); copies only what is missing or wrong,
# so the CSVs' timestamps change only when their content does.
fetch-data: $(STAMP)
	$(PY) -m analysis fetch-data

# The .pth file puts the project root on the venv's path, so `analysis` imports from
# any working directory (chapters execute in their own folder, as under Quarto).
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -c "import pathlib, sysconfig; pathlib.Path(sysconfig.get_path('purelib'), 'oneclick_insight.pth').write_text('$(CURDIR)\n')"
	@touch $@

# Debian's Chromium drives the browser tests (Playwright's own browser download is not used).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

bench: results
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

serve: site
	$(PY) -m http.server --directory _site --bind 127.0.0.1 8000

clean:
	rm -rf _site results .quarto-fallback .pytest_cache

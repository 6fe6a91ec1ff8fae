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

.PHONY: site public test results fetch-data bench serve chromium clean
.DELETE_ON_ERROR:

# The site is rebuilt only when something it is made from changed: a Make-level stamp over
# the pages, the config and its profiles, analysis/, render/, scripts/, assets/ and results/
# (not Quarto's `freeze`, which would not see a change in results/: it keys on the page's
# source only). The stamp also records the renderer and profile, so switching either rebuilds.
PROFILE ?= internal
# The output folder of each profile (project.output-dir in _quarto.yml / _quarto-public.yml).
SITE_DIR := $(if $(filter public,$(PROFILE)),_site-public,_site)
SITE_STAMP := $(SITE_DIR)/.built
SITE_CONFIG := .tools/site-config-$(PROFILE)
SITE_SOURCES = _quarto.yml $(wildcard _quarto-*.yml) $(wildcard *.qmd chapters/*.qmd) \
  $(shell find analysis render scripts assets -type f -not -path '*/__pycache__/*' -not -path 'assets/vendor/*') \
  $(wildcard results/*) $(RESULTS_STAMP)

site: results
	@renderer="$$(scripts/find_quarto.sh)"; \
	if [ -n "$$renderer" ]; then \
	  echo "renderer: Quarto $$("$$renderer" --version) ($$renderer), profile $(PROFILE)"; \
	else \
	  echo "renderer: fallback renderer (render/README.md; no quarto on PATH or in QUARTO_BUNDLE), profile $(PROFILE)"; \
	fi; \
	mkdir -p .tools; echo "$$renderer $(PROFILE)" | cmp -s - $(SITE_CONFIG) || echo "$$renderer $(PROFILE)" > $(SITE_CONFIG); \
	$(MAKE) --no-print-directory QUARTO="$$renderer" $(SITE_STAMP)

$(SITE_STAMP): $(SITE_CONFIG) $(SITE_SOURCES)
	@if [ -n "$(QUARTO)" ]; then \
	  "$(QUARTO)" render --profile $(PROFILE); \
	else \
	  $(PY) -m render --profile $(PROFILE) --depends analysis --depends results; \
	fi
	@echo "$(QUARTO) $(PROFILE)" > $@

# The browser and page tests build the site with `make site` (and `make public`): with Quarto
# when scripts/find_quarto.sh finds it, else with the fallback renderer; this says which.
test: results chromium
	@renderer="$$(scripts/find_quarto.sh)"; \
	if [ -n "$$renderer" ]; then echo "tests render with: Quarto $$("$$renderer" --version) ($$renderer)"; \
	else echo "tests render with: the fallback renderer (no quarto on PATH or in QUARTO_BUNDLE)"; fi
	$(PY) -m pytest

# fetch-data runs first, then a sub-make sees the raw files' real timestamps.
results: fetch-data
	@$(MAKE) --no-print-directory $(RESULTS_STAMP)

# PROVENANCE.json (where the raw files came from) is rewritten only when it changes.
$(RESULTS_STAMP): $(STAMP) $(RAW) $(wildcard data/raw/PROVENANCE.json) $(shell find analysis -name "*.py" -not -path "*/__pycache__/*")
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

# The site without customer-level pages and downloads, as the publish workflow renders it.
public:
	@$(MAKE) --no-print-directory site PROFILE=public

clean:
	rm -rf _site _site-public results .quarto-fallback .pytest_cache .tools/site-config-*

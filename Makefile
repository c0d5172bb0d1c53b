# Everything bootstraps .venv by itself: a fresh machine needs only python3 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)
ADDR   ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1
ARTIFACTS ?= test-artifacts
# pytest processes: one per core (pytest-xdist; an idle one takes tests from a busy one).
# WORKERS=0 runs the tests in this process.
WORKERS ?= auto
# Targets depend on this; `BOOTSTRAP=` reuses an existing VENV as it is (used by the tests).
BOOTSTRAP ?= $(STAMP)
# mkdocs (the plugin) or zensical (which builds `studyguide export`'s plugin-free copy).
ENGINE ?= mkdocs
EXPORT := .export

.PHONY: help serve site test quick lint typecheck check links pytest browser schema bench clean
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[links,zensical]' --group dev
	@rm -f $(VENV)/.installed-*
	@touch $@

# --dirty: an edit rebuilds only the pages it changes (studyguide keeps the result equal to a
# clean build's; see src/studyguide/incremental.py). With Zensical, the export is rewritten on
# each edit of the data or docs/, and `zensical serve` reloads.
serve: $(BOOTSTRAP) ## build and serve with live reload; ADDR=127.0.0.1:8001 for another port, ENGINE=zensical
ifeq ($(ENGINE),zensical)
	$(BIN)/python scripts/serve_export.py --export $(EXPORT) --dev-addr $(ADDR)
else
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr $(ADDR)
endif

# Build beside the old site, then swap it in with one rename (site/ links to the newest build):
# a failed or interrupted build never leaves a partial site, or none.
site: $(BOOTSTRAP) ## build the static site into site/ (ENGINE=zensical builds it with Zensical)
	rm -rf .site.tmp
ifeq ($(ENGINE),zensical)
	$(BIN)/studyguide export $(EXPORT)
	rm -rf $(EXPORT)/site
	cd $(EXPORT) && ../$(BIN)/zensical build --clean --strict
	mv $(EXPORT)/site .site.tmp
else
	$(BIN)/mkdocs build --strict --site-dir .site.tmp
endif
	$(BIN)/python scripts/swap_site.py .site.tmp site

links: $(BOOTSTRAP) ## check every resource URL; writes link-report.json for the site
	$(BIN)/studyguide links --json link-report.json

check: $(BOOTSTRAP) ## validate resources.yaml and tracks/
	$(BIN)/studyguide check

lint: $(BOOTSTRAP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(BOOTSTRAP)
	$(BIN)/mypy

schema: $(BOOTSTRAP) ## regenerate the editor copies of the JSON Schemas in schema/
	$(BIN)/studyguide schema --out schema/resources.schema.json
	$(BIN)/studyguide schema --track --out schema/track.schema.json

# The browser tests need Debian's chromium; install it where it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v apt-get >/dev/null 2>&1 || { \
	  echo "error: the browser tests need Chromium; install your system's chromium package" \
	    "(Debian: apt-get install chromium) and run make test again" >&2; exit 1; }
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
	  echo "installing Debian's chromium for the browser tests: $${SUDO:+sudo }apt-get install chromium"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || { echo "error: chromium is still missing" >&2; exit 1; }

pytest: $(BOOTSTRAP) browser
	STUDYGUIDE_ARTIFACTS=$(abspath $(ARTIFACTS)) $(BIN)/pytest -n $(WORKERS) --dist worksteal
	@echo "screenshots and reports: $(abspath $(ARTIFACTS))"

# The fast loop, for every save: no browser and no site built in a subprocess.
quick: lint typecheck $(BOOTSTRAP) ## lint, types, import layers, and the pure, golden and in-process tests (about a minute)
	$(BIN)/pytest -n $(WORKERS) --dist worksteal -m "not slow and not browser" -q

test: lint typecheck check $(BOOTSTRAP) ## run every check (several minutes; installs Chromium if missing)
	rm -rf $(ARTIFACTS)/strict-site && $(BIN)/mkdocs build --strict --quiet --site-dir $(ARTIFACTS)/strict-site
	$(MAKE) --no-print-directory pytest

bench: $(BOOTSTRAP) ## print build and link-checker figures
	$(BIN)/python benchmarks/bench_build.py
	$(BIN)/python benchmarks/bench_links.py
	@echo "Lighthouse (needs npm): $(BIN)/python benchmarks/bench_lighthouse.py"

clean:
	rm -rf site .site.tmp .site.new .site-builds .cache $(EXPORT) $(ARTIFACTS) .mypy_cache .ruff_cache .pytest_cache

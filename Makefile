# One place for set-up, lint and tests (the README's commands call these).
PYTHON ?= python3
APT_PACKAGES = chromium fonts-noto-core fonts-dejavu-core fontconfig libreoffice-writer-nogui fonts-liberation2

.PHONY: run test deps system-deps lint check bench bench-quick

run:
	$(PYTHON) -m pip install -q -r requirements.txt
	$(PYTHON) -m streamlit run app.py

# Debian packages for the browser tests, PNG export and rendering the draft report with
# LibreOffice (skipped when already there).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ -z "$$(fc-list :lang=vi 2>/dev/null)" ] || ! command -v soffice >/dev/null; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(APT_PACKAGES); \
	fi

deps: system-deps
	$(PYTHON) -m pip install -q -r requirements-dev.txt

LINT_PATHS = kpi views tests app.py appkit.py appkit_upload_guard.py $(wildcard bench)

lint:
	$(PYTHON) -m ruff check $(LINT_PATHS)
	$(PYTHON) -m ruff format --check $(LINT_PATHS)

check: lint
	$(PYTHON) -m pytest -q

# CI runs the benchmarks at small sizes only to know they still run (no timed assertions).
test: deps check bench-quick

bench:
	$(PYTHON) bench/run.py --json bench/results/latest.json

bench-quick:
	$(PYTHON) bench/run.py --quick

# Shortcuts for those who have make; nothing needs it. The README's two commands are
# `python3 start.py` and `python3 start.py test` (Windows: `py start.py`, `py start.py test`):
# they make the project's own .venv and never install into the system Python.
PYTHON ?= python3
# For the developer targets below (lint, check, bench): .venv's interpreter when there is one.
VENV_PYTHON ?= $(if $(wildcard .venv/bin/python),.venv/bin/python,$(PYTHON))
# import-linter's command (requirements-dev.txt): the layers of kpi/ in .importlinter.
LINT_IMPORTS ?= $(if $(wildcard .venv/bin/lint-imports),.venv/bin/lint-imports,lint-imports)
# The same lists as start.py's APT_PACKAGES and LINT_PATHS (tests/test_setup.py checks it).
APT_PACKAGES = chromium fonts-noto-core fonts-dejavu-core fontconfig libreoffice-writer-nogui fonts-liberation2
LINT_PATHS = kpi views tests app.py appkit bench start.py

.PHONY: run test install lint check test-fast bench bench-quick

run:
	$(PYTHON) start.py $(ARGS)

test:
	$(PYTHON) start.py test $(ARGS)

install:
	$(PYTHON) start.py install

lint:
	$(VENV_PYTHON) -m ruff check $(LINT_PATHS)
	$(VENV_PYTHON) -m ruff format --check $(LINT_PATHS)
	$(LINT_IMPORTS)

check: lint
	$(VENV_PYTHON) -m pytest -q

# lint, then every test but the browser ones (the `browser` marker, pyproject.toml): the quick loop.
test-fast: lint
	$(VENV_PYTHON) -m pytest -q -m "not browser"

bench:
	$(VENV_PYTHON) bench/run.py --json bench/results/latest.json

bench-quick:
	$(VENV_PYTHON) bench/run.py --quick

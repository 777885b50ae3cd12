# One-command entry points for the course. Each target creates .venv when it is
# missing and (re)installs the package only when pyproject.toml or environment.yml changed.
#   make lab        JupyterLab on notebooks/
#   make dashboard  Voila dashboards (code hidden) on http://127.0.0.1:8866
#   make test       unit tests, every notebook under nbval, real-browser dashboard tests
#   make bench      one benchmark table (timings live there, never in tests)
#   make clean      remove caches and test artifacts (make distclean also removes .venv)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8866
# seconds one notebook cell may run under nbval (the dashboard's settings are in voila.json:
# preheated kernels, 60 s per cell, idle kernels freed after 15 minutes)
CELL_TIMEOUT ?= 120
PYTEST_ARGS ?=
# Jupyter refuses to run as root unless told (containers, CI machines)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# pytest exits 5 when it collected no test: not an error here
define pytest
	set +e; $(1); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; rc=0; fi; exit $$rc
endef

.PHONY: install lab dashboard test test-fast test-browser bench clean distclean

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# environment.yml's exact pins constrain pip too, so every fresh .venv gets the tested versions
$(STAMP): pyproject.toml environment.yml | $(PY)
	sed -n 's/^  - \([A-Za-z0-9_.-]*\)=\([0-9][^ ]*\).*/\1==\2/p' environment.yml \
		| sed -e 's/^matplotlib-base==/matplotlib==/' -e 's/^python-zlib-ng==/zlib-ng==/' | grep -v '^python==' > $(VENV)/constraints.txt
	$(PY) -m pip install -e ".[test]" -c $(VENV)/constraints.txt
	touch $(STAMP)

# The dashboards' Voila template (voila.json names it: the markdown's mathematics is typeset
# after the widgets are drawn) is found through JUPYTER_PATH.
TEMPLATES = JUPYTER_PATH=$(CURDIR)/share/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH}

lab: $(STAMP)
	$(TEMPLATES) $(VENV)/bin/jupyter lab $(ROOT_FLAG) notebooks/

dashboard: $(STAMP)
	@echo "Landing page: http://127.0.0.1:$(PORT)/voila/render/00-start-here.ipynb"
	$(PY) scripts/dashboard.py notebooks/ --port=$(PORT)

# Unit and app tests plus every notebook (nbval, one kernel per notebook, two workers).
# PYTHONWARNINGS reaches the notebook kernels, so a numpy RuntimeWarning fails a cell.
test-fast: $(STAMP)
	$(call pytest,PYTHONWARNINGS=error::RuntimeWarning $(PY) -m pytest -n 2 --dist loadscope \
		-m "not browser" --nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) \
		tests notebooks $(PYTEST_ARGS))

# Every notebook as a Voila dashboard in headless Chromium (skips without chromium unless CI=true).
test-browser: $(STAMP)
	$(call pytest,$(PY) -m pytest -m browser tests $(PYTEST_ARGS))

test: test-fast test-browser

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf artifacts .pytest_cache .hypothesis build *.egg-info
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

# One-command entry points for the course. Each target creates .venv when it is missing and
# (re)installs only when pyproject.toml or environment.yml changed, with environment.yml's pins.
#   make lab          JupyterLab on notebooks/00-start-here.ipynb (installs the lab, not the test tools)
#   make dashboard    Voila dashboards (code hidden) on http://127.0.0.1:8866
#   make test         unit tests, every notebook under nbval, real-browser dashboard tests
#                     (with an axe-core accessibility scan of every dashboard: npm installs it)
#   make test-latest  unit, app and notebook tests in .venv-latest: the newest releases that
#                     pyproject.toml allows, no pins (an upstream change is seen when it ships)
#   make bench        one benchmark table (timings live there, never in tests)
#   make clean        remove caches and test artifacts (make distclean also removes the venvs)

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# what is installed: $(STAMP) the test tools (and the lab), $(LAB_STAMP) the lab alone
STAMP := $(VENV)/.installed
LAB_STAMP := $(VENV)/.installed-lab
CONSTRAINTS := $(VENV)/constraints.txt
# axe-core, the accessibility engine the dashboard scan runs in each page (npm: package-lock.json)
AXE := node_modules/axe-core/axe.min.js
LATEST := .venv-latest
# quiet: the lines a learner needs (JupyterLab's address) are not lost in pip's output
PIP_INSTALL := -m pip install -q --disable-pip-version-check
PORT ?= 8866
# seconds one notebook cell may run under nbval (the dashboard's settings are in voila.json:
# one preheated kernel per lesson, 60 s per cell, kernels of closed pages freed after 90 s idle)
CELL_TIMEOUT ?= 120
PYTEST_ARGS ?=
# Jupyter refuses to run as root unless told (containers, CI machines)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# pytest exits 5 when it collected no test: not an error here
define pytest
	set +e; $(1); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; rc=0; fi; exit $$rc
endef

.PHONY: install lab dashboard test test-fast test-browser test-latest bench clean distclean

install: $(STAMP) $(AXE)

# The pins (environment.yml) need Python 3.11 or newer: say so before pip fails on them.
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
		f"The course needs Python 3.11 or newer; $(PYTHON) is {sys.version.split()[0]}. Try: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

# environment.yml's exact pins constrain pip too, so every fresh .venv gets the tested versions.
# tests/test_environment_files.py compares the installed versions with them where this file exists.
$(CONSTRAINTS): environment.yml | $(PY)
	sed -n 's/^  - \([A-Za-z0-9_.-]*\)=\([0-9][^ ]*\).*/\1==\2/p' environment.yml \
		| sed -e 's/^matplotlib-base==/matplotlib==/' -e 's/^python-zlib-ng==/zlib-ng==/' | grep -v '^python==' > $@

$(LAB_STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "Installing the course and JupyterLab into $(VENV) (the first time takes a few minutes)"
	$(PY) $(PIP_INSTALL) -e ".[lab]" -c $(CONSTRAINTS)
	touch $@

# The test extra holds the lab too. In a git clone, nbstripout becomes the notebooks' git filter
# (.gitattributes names it): a commit takes a notebook without its outputs and execution counts.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	@echo "Installing the course, JupyterLab and the test tools into $(VENV) (the first time takes a few minutes)"
	$(PY) $(PIP_INSTALL) -e ".[test]" -c $(CONSTRAINTS)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git config filter.nbstripout.clean "$(abspath $(PY)) -m nbstripout --keep-id" && \
		git config filter.nbstripout.smudge cat && \
		git config diff.ipynb.textconv "$(abspath $(PY)) -m nbstripout --keep-id -t"; fi
	touch $@ $(LAB_STAMP)

# The one test tool from npm (the lab never needs node): axe-core, at package-lock.json's version
# and checksum. Without npm the accessibility scan skips, except under CI=true, where this fails.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: tests/test_accessibility.py will skip (apt-get install npm)"; \
		test "$$CI" != true; \
	fi

# The course's Voila template (the markdown's mathematics is typeset after the widgets are
# drawn) is found through JUPYTER_PATH, for Voila opened from JupyterLab.
TEMPLATES = JUPYTER_PATH=$(CURDIR)/share/jupyter$${JUPYTER_PATH:+:$$JUPYTER_PATH}

# notebooks/ is the file browser's root; the address JupyterLab prints (and opens) is the landing page
lab: $(LAB_STAMP)
	@echo
	@echo "Starting JupyterLab. If no browser window opens, copy the address printed below"
	@echo "(http://localhost:8888/lab/tree/00-start-here.ipynb?token=...). Ctrl-C stops JupyterLab."
	@echo
	$(TEMPLATES) $(VENV)/bin/jupyter lab $(ROOT_FLAG) --log-level=WARN \
		--LabApp.default_url=/lab/tree/00-start-here.ipynb notebooks/

dashboard: $(LAB_STAMP)
	@echo "Landing page: http://127.0.0.1:$(PORT)/voila/render/00-start-here.ipynb"
	$(PY) scripts/dashboard.py notebooks/ --port=$(PORT)

# Unit and app tests plus every notebook (nbval, one kernel per notebook, two workers).
# PYTHONWARNINGS reaches the notebook kernels, so a numpy RuntimeWarning fails a cell.
test-fast: $(STAMP)
	$(VENV)/bin/lint-imports
	$(call pytest,PYTHONWARNINGS=error::RuntimeWarning $(PY) -m pytest -n 2 --dist loadscope \
		-m "not browser" --nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) \
		tests notebooks $(PYTEST_ARGS))

# Every notebook as a Voila dashboard in headless Chromium (skips without chromium unless CI=true).
test-browser: $(STAMP) $(AXE)
	$(call pytest,$(PY) -m pytest -m browser tests $(PYTEST_ARGS))

test: test-fast test-browser

# The tests of test-fast in a second venv with the newest releases pyproject.toml allows (what pip
# gives a learner: no pins, upgraded on every run; pip's cache keeps that quick). The browser
# tests stay with the pinned run.
test-latest:
	@test -x $(LATEST)/bin/python || $(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python $(PIP_INSTALL) --upgrade --upgrade-strategy eager -e ".[test]"
	@$(LATEST)/bin/python -m pip list --disable-pip-version-check 2>/dev/null \
		| grep -iE '^(numpy|matplotlib|contourpy|ipympl|ipywidgets|jupyterlab|voila|scikit-learn|zlib-ng|nbval|pytest) ' \
		| sed 's/^/test-latest: /'
	$(call pytest,PYTHONWARNINGS=error::RuntimeWarning $(LATEST)/bin/python -m pytest -n 2 --dist loadscope \
		-m "not browser" --nbval-lax --nbval-current-env --nbval-cell-timeout=$(CELL_TIMEOUT) \
		tests notebooks $(PYTEST_ARGS))

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf artifacts .pytest_cache .hypothesis build *.egg-info
	find . -name __pycache__ -not -path "./.venv*" -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path "./.venv*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(LATEST) node_modules

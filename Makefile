# Two entry points, each sets itself up: `make test` and `make demo`.
# TORCH names the PyTorch pair to install first; override it for another platform,
# e.g. make test TORCH="torch torchvision"
PYTHON ?= python3
VENV   ?= .venv
TORCH  ?= torch==2.14.1 torchvision==0.29.1
JOBS   ?= 2
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.inpaint_nb-installed

.PHONY: install test slow demo lab export docs browser

$(STAMP): setup.py settings.ini
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "inpaint_nb needs Python 3.10 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(TORCH)
	$(BIN)/python -m pip install -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Every notebook as a test, as nbdev_test runs it (one notebook alone: nbdev_test --path nbs/00_core.ipynb);
# the executed notebooks are kept in _docs/_run for the docs site.
test: $(STAMP)
	$(BIN)/python tools/run_notebooks.py --jobs $(JOBS)

slow: $(STAMP)
	$(BIN)/python tools/run_notebooks.py --jobs $(JOBS) --flags slow --out _docs/_slow

demo: $(STAMP)
	$(BIN)/inpaint_nb demo

lab: $(STAMP)
	$(BIN)/jupyter lab nbs/

export: $(STAMP)
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py

# The documentation site in _docs: every notebook as a page with its outputs (runs the notebooks
# changed since the last run first). Open _docs/index.html.
docs: $(STAMP)
	$(BIN)/python tools/run_notebooks.py --jobs $(JOBS) --stale
	$(BIN)/python tools/make_docs.py

# In a real browser: every explorer (Voila), the explorer app, the filtering study in JupyterLab and the
# docs site. Needs Chromium at /usr/bin/chromium: apt-get install -y --no-install-recommends chromium
# (Playwright's own browser download is never used).
browser: docs
	$(BIN)/python tools/browser_check.py

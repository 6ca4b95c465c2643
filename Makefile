# The two quick-start commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install docs browser sarif-multitool goldens bench

# Install appaudit (editable, with the test tools) into a private virtualenv.
install: $(STAMP)

$(STAMP): setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Scan the bundled demo session: findings on the terminal, report.json and report.html written here
# (from the pages' markup: the demo's output does not depend on a browser being installed).
# (The session is also saved as session.har, for the tests: scanning both would print
# every traffic finding twice.)
demo: install
	$(BIN)/appaudit scan examples/demo-session/session.mitm examples/demo-session/pages \
		examples/demo-session/ui --app examples/demo-session/app.yaml -f text -f json -f html -o . --fail-on never \
		--render never

# Run the whole test suite (CI runs exactly this through .ci/run).
test: install browser sarif-multitool
	$(BIN)/ruff check --quiet .
	$(BIN)/python -m pytest -q

# Debian's headless Chromium for the browser end-to-end tests (which skip without it), with
# a CJK font so Chinese page text is legible in the report screenshot; installed only
# where we may (root), as on CI.
browser:
	@[ "$$(id -u)" != 0 ] || { command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1; } || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

# Microsoft's SARIF Multitool (pinned in .ci/package.json) for the SARIF validation test,
# into .ci/node_modules; node and npm are installed where we may (root), as on CI. The
# test fails rather than skips when CI=true and the Multitool is missing.
sarif-multitool:
	@command -v npm >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null)
	@[ -x .ci/node_modules/.bin/sarif-multitool ] || ! command -v npm >/dev/null || \
		npm ci --prefix .ci --no-audit --no-fund --silent

# Rewrite the report writers' golden outputs (tests/golden/) and the HTML report
# screenshot (docs/html-report.png) from the current code; review the diff before committing.
goldens: install browser
	APPAUDIT_UPDATE_GOLDENS=1 $(BIN)/python -m pytest -q -p no:warnings tests/test_reports.py tests/test_report_browser.py

# The issue-23 benchmarks (docs/performance.md): appaudit against its baselines as whole
# processes, one table of ratios and goals; workloads are generated into a cache folder.
# APPAUDIT_BENCH_SCALE=0.25 runs them on a quarter of the data.
bench: install
	$(BIN)/python -m tests.benchmarks.issue23

# Regenerate docs/checks.md from the checks' declarations and docs/profiles.md from profiles/*.yaml.
docs: install
	$(BIN)/appaudit checks --format markdown > docs/checks.md
	$(BIN)/appaudit profiles --format markdown > docs/profiles.md

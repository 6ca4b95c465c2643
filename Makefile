# The two quick-start commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install docs browser

# Install appaudit (editable, with the test tools) into a private virtualenv.
install: $(STAMP)

$(STAMP): setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Scan the bundled demo session: findings on the terminal, report.json written here.
# (The session is also saved as session.har, for the tests: scanning both would print
# every traffic finding twice.)
demo: install
	$(BIN)/appaudit scan examples/demo-session/session.mitm examples/demo-session/pages \
		examples/demo-session/ui --app examples/demo-session/app.yaml -f text -f json -o . --fail-on never

# Run the whole test suite (CI runs exactly this through .ci/run).
test: install browser
	$(BIN)/python -m pytest -q

# Debian's headless Chromium for the browser end-to-end test (which skips without it);
# installed only where we may (root), as on CI.
browser:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# Regenerate docs/checks.md from the checks' declarations and docs/profiles.md from profiles/*.yaml.
docs: install
	$(BIN)/appaudit checks --format markdown > docs/checks.md
	$(BIN)/appaudit profiles --format markdown > docs/profiles.md

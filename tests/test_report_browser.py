"""The HTML report in Debian's headless Chromium, offline: the demo session's report
renders with no console error (a CSP violation is one), its filter hides and shows
findings, the page is whole without scripts, and a hostile capture's report runs no
injected script. ``make goldens`` also stores the screenshot the README shows."""
import json
import os
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, Browser
from tests.report_captures import MARKER, hostile_capture, scan_to

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")]

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo-session"
SCREENSHOT = ROOT / "docs" / "html-report.png"
SHOWN = "document.querySelectorAll('.finding:not([hidden])').length"


@pytest.fixture(scope="module")
def browser():
    with Browser() as browser:
        yield browser


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    cwd = os.getcwd()
    os.chdir(ROOT)  # the report names the inputs as a user in the repository would
    try:
        result = scan_to(out, [DEMO.relative_to(ROOT) / "session.mitm", DEMO.relative_to(ROOT) / "pages",
                               DEMO.relative_to(ROOT) / "ui"], "--app", str(DEMO.relative_to(ROOT) / "app.yaml"),
                         formats=("html", "json"))
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return out / "report.html"


def _findings_in(report_html):
    """How many findings the same scan's JSON report holds: the page must show them all."""
    return len(json.loads(report_html.with_suffix(".json").read_text(encoding="utf-8"))["findings"])


def test_demo_report_renders_without_console_errors_and_filters(browser, demo_report, tmp_path):
    browser.events.clear()
    browser.open(demo_report.as_uri())
    total = browser.evaluate("document.querySelectorAll('.finding').length")
    assert total == _findings_in(demo_report) and browser.evaluate(SHOWN) == total
    assert browser.evaluate("document.getElementById('filters').hidden") is False
    assert browser.evaluate("document.getElementById('shown').textContent") == f"{total} shown"
    # Every part of the page is laid out (the CSP allowed the stylesheet): a finding has a border.
    assert browser.evaluate("getComputedStyle(document.querySelector('.finding')).borderLeftWidth") == "4px"

    high = browser.evaluate("document.querySelectorAll('.finding[data-severity=high]').length")
    browser.evaluate("document.querySelector('input[name=severity][value=high]').click()")
    assert browser.evaluate(SHOWN) == total - high
    assert browser.evaluate("[...document.querySelectorAll('.finding:not([hidden])')].every(f => f.dataset.severity !== 'high')")
    browser.evaluate("document.querySelector('input[name=severity][value=high]').click()")
    browser.evaluate("const s = document.querySelector('select[name=check]'); s.value = 'UI006';"
                     "s.dispatchEvent(new Event('change', {bubbles: true}))")
    assert browser.evaluate(SHOWN) == browser.evaluate("document.querySelectorAll('.finding[data-check=UI006]').length") == 2
    assert browser.evaluate("document.querySelectorAll('.check-group:not([hidden])').length") == 1
    browser.evaluate("const t = document.querySelector('select[name=check]'); t.value = '';"
                     "t.dispatchEvent(new Event('change', {bubbles: true}))")
    assert browser.evaluate(SHOWN) == total
    assert browser.errors() == []

    shot = SCREENSHOT if os.environ.get("APPAUDIT_UPDATE_GOLDENS") == "1" else tmp_path / "report.png"
    browser.screenshot(shot)
    assert shot.read_bytes().startswith(b"\x89PNG")


def test_page_is_whole_with_scripts_off(browser, demo_report):
    browser.send("Emulation.setScriptExecutionDisabled", value=True)
    try:
        browser.open(demo_report.as_uri())
        assert browser.evaluate("document.getElementById('filters').hidden") is True
        assert browser.evaluate(SHOWN) == _findings_in(demo_report)
    finally:
        browser.send("Emulation.setScriptExecutionDisabled", value=False)


def test_hostile_capture_report_runs_no_injected_script(browser, tmp_path):
    out = tmp_path / "out"
    assert scan_to(out, hostile_capture(tmp_path / "in"), formats=("html",)).exit_code == 0
    # The marker is what an injected script would set; the page's own script sets nothing on window.
    browser.events.clear()
    browser.open((out / "report.html").as_uri())
    assert browser.evaluate(f"typeof window.{MARKER}") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert browser.evaluate("document.querySelectorAll('script').length") == 1
    assert browser.evaluate("[...document.querySelectorAll('*')].filter("
                            "e => [...e.attributes].some(a => a.name.startsWith('on'))).length") == 0
    assert browser.evaluate("getComputedStyle(document.body).display") == "block"
    assert browser.evaluate(SHOWN) > 0 and browser.errors() == []
    # The same check does see a script that runs: a page that sets the marker.
    (tmp_path / "control.html").write_text(f"<script>window.{MARKER}=1</script>")
    browser.open((tmp_path / "control.html").as_uri())
    assert browser.evaluate(f"window.{MARKER}") == 1

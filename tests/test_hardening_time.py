"""Time budgets: a record (flow, page, uiautomator dump) over its budget is an error of
the scan, and the scan and the live proxy go on with the rest (issue 24, High 4)."""
import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from mitmproxy.test import taddons

from appaudit.checks.ui001_redirect_popup import RedirectPopup
from appaudit.scanner import timelimit
from appaudit.scanner.addon import AppAudit
from appaudit.scanner.cli import main
from appaudit.scanner.output import EXIT_INCOMPLETE, exit_code
from appaudit.scanner.report_document import build_report
from tests.helpers import make_flow

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
REAL_CHECK_HTML = RedirectPopup.check_html


def spins_on_marked_pages(self, page):
    """A check stuck on one page in its own Python code, as a quadratic loop would be."""
    if "SPIN" in page.source:
        while True:
            pass
    return REAL_CHECK_HTML(self, page)


@pytest.fixture
def short_budget(monkeypatch):
    monkeypatch.setattr(timelimit, "RECORD_SECONDS", 2.0)
    monkeypatch.setattr(RedirectPopup, "check_html", spins_on_marked_pages)


def test_time_limit_interrupts_python_code_and_leaves_no_stray_exception():
    started = time.monotonic()
    with pytest.raises(timelimit.OverTime):
        with timelimit.time_limit(0.2):
            while True:
                pass
    assert time.monotonic() - started < 2
    with timelimit.time_limit(0.05):
        pass
    time.sleep(0.2)  # a budget ended in time must not fire later


def test_a_page_over_its_budget_is_an_error_and_the_others_are_judged(tmp_path, short_budget):
    slow = tmp_path / "slow.html"
    slow.write_text("<html><body><p>SPIN</p></body></html>", encoding="utf-8")
    good = PAGES / "ui001" / "pos-modal-whole-popup-handler.html"
    started = time.monotonic()
    result = CliRunner().invoke(main, ["scan", "-f", "json", str(slow), str(good)])
    assert time.monotonic() - started < 10
    report = json.loads(result.stdout)
    assert result.exit_code == EXIT_INCOMPLETE
    assert report["errors"] == [{"input": str(slow), "message": "page: not judged: over the time budget of 2 s"}]
    assert [f["check"] for f in report["findings"]] == ["UI001"]


def test_the_proxy_reports_a_page_over_budget_and_checks_the_flows_after_it(short_budget, tmp_path):
    addon = AppAudit()
    with taddons.context(addon) as tctx:
        tctx.configure(addon, appaudit_report=str(tmp_path / "r.json"))
        slow = make_flow("GET", "https://news.example.com/", response_body="<html><body>SPIN" + "x" * 2**20 + "</body></html>",
                         response_headers={"content-type": "text/html"})
        phones = [make_flow("POST", f"http://api.example.com/login/{i}", json={"phone": "13912345678"})
                  for i in range(100)]
        for flow in [slow, *phones]:
            addon.request(flow)
            addon.response(flow)
        started = time.monotonic()
        addon.done()
        assert time.monotonic() - started < 20
        report = build_report(addon.result())
    assert "flow 0: not judged: over the time budget of 2 s" in [e["message"] for e in report["errors"]]
    assert sum(f.get("occurrences", {}).get("count", 1) for f in report["findings"] if f["check"] == "DH001") == 100
    assert exit_code(report, None) == EXIT_INCOMPLETE


def test_a_proxy_that_gives_up_on_a_stuck_check_exits_incomplete(monkeypatch):
    """A check blocked inside C (no Python instruction to interrupt) is given up on at
    shutdown; the flows it did not reach are errors, so the gate cannot pass."""
    import threading

    from appaudit.checks.dh001_cleartext_sensitive_data import CleartextSensitiveData
    from appaudit.scanner import addon as addon_module

    stuck = threading.Event()
    monkeypatch.setattr(addon_module, "STALL_SECONDS", 0.3)
    monkeypatch.setattr(CleartextSensitiveData, "check_flow", lambda self, flow: stuck.wait(10) and ())
    addon = AppAudit()
    with taddons.context(addon):
        for i in range(3):
            flow = make_flow("POST", f"http://api.example.com/login/{i}", json={"phone": "13912345678"})
            addon.request(flow)
            addon.response(flow)
        addon.done()
        stuck.set()
        report = build_report(addon.result())
    assert any("3 flows were not checked" in e["message"] for e in report["errors"])
    assert exit_code(report, None) == EXIT_INCOMPLETE


def test_the_proxy_backlog_is_bounded_in_bytes_and_nothing_is_lost(monkeypatch):
    """While the checks are held up, flows past the byte bound wait in a temporary file,
    not in memory; all of them are checked in the end."""
    import gc
    import threading

    from appaudit.checks.dh001_cleartext_sensitive_data import CleartextSensitiveData
    from appaudit.scanner import addon as addon_module

    real = CleartextSensitiveData.check_flow
    release = threading.Event()
    monkeypatch.setattr(addon_module, "MAX_BACKLOG_BYTES", 2 * 2**20)
    monkeypatch.setattr(CleartextSensitiveData, "check_flow", lambda self, flow: release.wait(30) and real(self, flow))
    addon = AppAudit()
    with taddons.context(addon):
        for i in range(40):  # 40 flows of 500 KB: 20 MB, ten times the bound
            flow = make_flow("POST", f"http://api.example.com/login/{i}", json={"phone": "13912345678", "pad": "x" * 500_000})
            addon.request(flow)
            addon.response(flow)
            del flow
        gc.collect()
        assert addon.checker.queued_bytes <= 2 * 2**20
        release.set()
        addon.done()
        report = build_report(addon.result())
    assert report["errors"] == []
    flows = [flow for f in report["findings"] if f["check"] == "DH001"
             for flow in f.get("occurrences", {}).get("flows", [f["location"]["flow"]])]
    assert sorted(flows) == list(range(40))

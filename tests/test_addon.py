"""The mitmproxy addon, driven through mitmproxy's own test context (taddons/tflow):
options, live publication, marking, flow order equal to the save addon's, and never
harming or stalling traffic."""
import asyncio
import json
import logging
import sys
import threading
import time
from pathlib import Path

import pytest
from mitmproxy import exceptions, websocket
from mitmproxy.addons.save import Save
from mitmproxy.test import taddons, tflow
from wsproto.frame_protocol import Opcode

from appaudit.scanner import addon as addon_module
from appaudit.checks.dh001_cleartext_sensitive_data import CleartextSensitiveData
from appaudit.scanner.addon import AppAudit, finding_line
from appaudit.scanner.check import all_checks
from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.profile_loader import load_profile
from appaudit.scanner.report_document import build_report
from tests.helpers import make_flow

PHONE = "13912345678"
MASKED_PHONE = "139****5678"


@pytest.fixture
def only_dh001(tmp_path):
    """A profile with DH001 alone, so these tests count findings of one known check."""
    path = tmp_path / "dh001.yaml"
    path.write_text("name: dh001-only\ninclude: [DH001]\n")
    return str(path)


@pytest.fixture
def audit():
    """The addon in mitmproxy's test context; done() is always called so its worker ends."""
    addon = AppAudit()
    with taddons.context(addon) as tctx:
        yield addon, tctx
        addon.done()


def phone_flow(url="http://api.shop.example.com/v1/login"):
    return make_flow("POST", url, json={"user": {"phone": PHONE}}, response_json={"ok": True})


def complete(addon, *flows):
    for flow in flows:
        addon.request(flow)
        addon.response(flow)


def appaudit_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "appaudit"]


# Options

def test_bad_profile_is_an_options_error(audit, tmp_path):
    addon, tctx = audit
    profile = tmp_path / "p.yaml"
    profile.write_text("include: [DH999]\n")
    with pytest.raises(exceptions.OptionsError, match="unknown check id 'DH999'"):
        tctx.configure(addon, appaudit_profile=str(profile))
    with pytest.raises(exceptions.OptionsError, match="no-such-profile"):
        tctx.configure(addon, appaudit_profile="no-such-profile")


def test_bad_app_file_is_an_options_error_naming_the_key(audit, tmp_path):
    addon, tctx = audit
    app = tmp_path / "app.yaml"
    app.write_text("first_party: [demoshop.com]\nthird_partys: []\n")
    with pytest.raises(exceptions.OptionsError, match="third_partys"):
        tctx.configure(addon, appaudit_app=str(app))
    with pytest.raises(exceptions.OptionsError):
        tctx.configure(addon, appaudit_app=str(tmp_path / "missing.yaml"))


def test_report_format_follows_the_extension_or_the_format_option(audit, tmp_path):
    addon, tctx = audit
    tctx.configure(addon, appaudit_report=str(tmp_path / "r.json"))
    with pytest.raises(exceptions.OptionsError, match="cannot tell the format of .*r.report"):
        tctx.configure(addon, appaudit_report=str(tmp_path / "r.report"))
    tctx.configure(addon, appaudit_report=str(tmp_path / "r.report"), appaudit_format="json")
    with pytest.raises(exceptions.OptionsError, match="unknown format 'yaml'"):
        tctx.configure(addon, appaudit_format="yaml")


def test_profile_cannot_change_once_flows_were_checked(audit, only_dh001):
    addon, tctx = audit
    tctx.configure(addon, appaudit_profile=only_dh001)
    complete(addon, phone_flow())
    with pytest.raises(exceptions.OptionsError, match="cannot change once traffic has been seen"):
        tctx.configure(addon, appaudit_profile="default")
    assert tctx.options.appaudit_profile == only_dh001


# Findings: logged once, masked, marked, reported

def test_findings_are_logged_marked_and_reported_masked(audit, only_dh001, tmp_path, caplog):
    addon, tctx = audit
    caplog.set_level(logging.INFO, logger="appaudit")
    tctx.configure(addon, appaudit_profile=only_dh001, appaudit_report=str(tmp_path / "r.json"))
    leaking, clean = phone_flow(), make_flow("GET", "https://api.shop.example.com/v1/config", response_json={"ok": True})
    complete(addon, leaking, clean)
    addon.done()

    report = json.loads((tmp_path / "r.json").read_text())
    [finding] = report["findings"]
    assert (finding["check"], finding["location"]["flow"], finding["location"]["field"]) == ("DH001", 0, "user.phone")
    assert report["inputs"] == [{"path": "live", "kind": "flows", "sha256": "", "records": 2}]
    lines = appaudit_lines(caplog)
    assert [line for line in lines if "DH001" in line] == [finding_line(finding)]
    assert MASKED_PHONE in finding_line(finding) and PHONE not in "\n".join(lines)
    assert leaking.marked == ":warning:" and "DH001" in leaking.comment and PHONE not in leaking.comment
    assert not clean.marked and not clean.comment


def test_reveal_shows_values_in_the_log(audit, only_dh001, caplog):
    addon, tctx = audit
    caplog.set_level(logging.INFO, logger="appaudit")
    tctx.configure(addon, appaudit_profile=only_dh001, appaudit_reveal=True)
    complete(addon, phone_flow())
    addon.done()
    assert any(PHONE in line for line in appaudit_lines(caplog) if "DH001" in line)


def test_existing_mark_and_comment_are_kept(audit, only_dh001):
    addon, tctx = audit
    tctx.configure(addon, appaudit_profile=only_dh001)
    flow = phone_flow()
    flow.marked, flow.comment = ":star:", "checked by hand"
    complete(addon, flow)
    addon.done()
    assert flow.marked == ":star:"
    assert flow.comment.startswith("checked by hand\n") and "DH001" in flow.comment


def test_findings_are_published_while_the_proxy_runs(only_dh001, caplog):
    """With a running event loop, a finding is logged and its flow marked as soon as the
    worker has checked it, long before shutdown."""
    caplog.set_level(logging.INFO, logger="appaudit")

    async def session():
        addon = AppAudit()
        with taddons.context(addon) as tctx:
            tctx.configure(addon, appaudit_profile=only_dh001)
            flow = phone_flow()
            complete(addon, flow)
            for _ in range(250):
                if flow.marked:
                    break
                await asyncio.sleep(0.02)
            live = list(appaudit_lines(caplog))
            addon.done()
            return flow, live

    flow, live = asyncio.run(session())
    assert flow.marked and any("DH001" in line for line in live)


def test_websocket_flow_is_checked_once_at_its_end(audit, only_dh001):
    addon, tctx = audit
    tctx.configure(addon, appaudit_profile=only_dh001)
    flow = tflow.twebsocketflow()
    flow.websocket.messages.append(
        websocket.WebSocketMessage(Opcode.TEXT, True, json.dumps({"phone": PHONE}).encode(), 946681206))
    addon.request(flow)
    addon.response(flow)  # the handshake: messages are still to come
    assert addon.checker.submitted == 0
    addon.websocket_end(flow)
    addon.done()
    [finding] = addon.result().findings
    assert (finding.location.part, finding.location.field) == ("request.body", "ws[3].phone")


def test_html_responses_are_checked_as_pages(audit, tmp_path):
    """The page checks see HTML served through the proxy (any UI check that exists)."""
    ui_checks = [c for c in all_checks().values() if c.category == "ui"]
    if not ui_checks:
        pytest.skip("no UI check exists yet")
    addon, tctx = audit
    profile = tmp_path / "ui.yaml"
    profile.write_text(f"name: ui\ninclude: [{', '.join(c.id for c in ui_checks)}]\n")
    tctx.configure(addon, appaudit_profile=str(profile))
    page = make_flow("GET", "https://shop.example.com/promo", response_headers={"Content-Type": "text/html; charset=utf-8"},
                     response_body=FAKE_CLOSE_PAGE)
    complete(addon, page)
    addon.done()
    expected = scan_flows_directly([page], str(profile))
    assert [f.fingerprint for f in addon.result().findings] == [f.fingerprint for f in expected]


FAKE_CLOSE_PAGE = """<!doctype html><html lang="zh"><body>
<div class="popup" style="position:fixed;top:0;left:0;width:100%;height:100%">
  <a href="https://ads.other-site.example/landing" class="close">×</a>
  <label><input type="checkbox" name="marketing" checked> 同意接收个性化推荐和营销信息</label>
</div></body></html>"""


def scan_flows_directly(flows, profile):
    from appaudit.scanner.engine import InputScan
    from appaudit.scanner.loading import Input

    session = InputScan(ScanSettings(profile=load_profile(profile)), Input(path="live", kind="flows"))
    findings = []
    for index, flow in enumerate(flows):
        findings += session.flow(flow, index)
    return findings + session.finish()


# One engine, two front doors

def test_live_report_equals_a_scan_of_the_saved_file(tmp_path):
    """The addon and mitmproxy's save addon see the same events; the flows left
    unfinished at shutdown are written by the save addon in its own order, and the
    addon must hand them to the engine in that same order."""
    saved = tmp_path / "session.mitm"
    save, addon = Save(), AppAudit()
    with taddons.context(save, addon) as tctx:
        tctx.configure(save, save_stream_file=str(saved))
        tctx.configure(addon, appaudit_report=str(tmp_path / "live.json"))
        unfinished = [make_flow("POST", f"http://api.shop.example.com/v1/poll/{i}", json={"phone": PHONE}, status=0)
                      for i in range(12)]
        ws = tflow.twebsocketflow()
        tcp = tflow.ttcpflow()
        done = [phone_flow(), make_flow("GET", "https://api.shop.example.com/v1/me",
                                        response_json={"user": {"mobile": PHONE, "email": "li.lei@example.com"}})]
        errored = make_flow("POST", "http://api.shop.example.com/v1/upload", json={"tel": PHONE}, status=0)
        errored.error = tflow.terr()
        for each in (save, addon):
            for flow in unfinished + done + [ws, errored]:
                each.request(flow)
            each.tcp_start(tcp)
        for event, flow in [("response", done[1]), ("response", ws), ("tcp_end", tcp), ("error", errored),
                            ("websocket_end", ws), ("response", done[0])]:
            for each in (addon, save):  # scripts run before the save addon in mitmdump -s
                getattr(each, event)(flow)
        addon.done()
        save.done()

    live = json.loads((tmp_path / "live.json").read_text())
    scanned = build_report(scan([str(saved)], ScanSettings(profile=load_profile("default"))))
    assert live["inputs"][0]["path"] == str(saved) and live["inputs"][0]["records"] == 17
    assert live["findings"] and live["findings"] == scanned["findings"]
    assert live["checks"] == scanned["checks"]
    assert any("/v1/poll/" in f["location"]["url"] for f in live["findings"])


def test_input_is_named_after_the_save_file(audit, tmp_path):
    addon, tctx = audit
    tctx.options.add_option("save_stream_file", str, "", "")
    tctx.options.update(save_stream_file="+" + str(tmp_path / "s.mitm"))
    complete(addon, phone_flow())
    assert addon.checker.input.path == str(tmp_path / "s.mitm")


# Never harm, never stall

DH001_CHECK_FLOW = CleartextSensitiveData.check_flow


def takes_10_ms(self, flow):
    time.sleep(0.01)
    return DH001_CHECK_FLOW(self, flow)


def wait_for_progress(addon, flows, seconds=5.0):
    deadline = time.monotonic() + seconds
    while addon.checker.progress < flows and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_failing_check_leaves_the_flow_untouched_and_is_logged(audit, only_dh001, monkeypatch, caplog, tmp_path):
    addon, tctx = audit
    caplog.set_level(logging.INFO, logger="appaudit")

    def broken(self, flow):
        raise ValueError("boom")

    monkeypatch.setattr(CleartextSensitiveData, "check_flow", broken)
    tctx.configure(addon, appaudit_profile=only_dh001, appaudit_report=str(tmp_path / "r.json"))
    flow = phone_flow()
    before = flow.get_state()
    complete(addon, flow)
    addon.done()
    assert flow.get_state() == before
    assert any("check DH001 failed at flow 0: ValueError: boom" in line for line in appaudit_lines(caplog))
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["errors"] and report["checks"] == [
        {"check": "DH001", "input": "live", "status": "error", "reason": report["checks"][0]["reason"]}]


def test_a_slow_check_does_not_stall_the_proxy(audit, only_dh001, monkeypatch):
    addon, tctx = audit
    release = threading.Event()

    def slow(self, flow):
        release.wait(10)
        return DH001_CHECK_FLOW(self, flow)

    monkeypatch.setattr(CleartextSensitiveData, "check_flow", slow)
    tctx.configure(addon, appaudit_profile=only_dh001)
    started = time.monotonic()
    complete(addon, *[phone_flow(f"http://api.shop.example.com/v1/login/{i}") for i in range(20)])
    assert time.monotonic() - started < 1.0  # every hook returned while the first check was blocked
    assert addon.checker.findings == []
    release.set()
    addon.done()
    # The same field of one host in every flow: one finding with 20 occurrences.
    [finding] = addon.checker.findings
    assert finding.occurrences.count == 20


def test_checks_make_way_for_traffic_and_catch_up_at_shutdown(audit, only_dh001, monkeypatch):
    """While traffic flows the worker pauses after each flow for (1 - share) / share times
    what it spent; done() ends the pauses and checks the backlog at full speed."""
    addon, tctx = audit
    monkeypatch.setattr(CleartextSensitiveData, "check_flow", takes_10_ms)
    monkeypatch.setattr(addon_module, "CHECK_SHARE", 0.001)  # a 10 s pause after each flow
    monkeypatch.setattr(addon_module, "QUIET_SECONDS", 60)
    tctx.configure(addon, appaudit_profile=only_dh001)
    complete(addon, *[phone_flow(f"http://api.shop.example.com/v1/login/{i}") for i in range(3)])
    wait_for_progress(addon, 1)
    time.sleep(0.3)
    assert addon.checker.progress == 1
    started = time.monotonic()
    addon.done()
    assert addon.checker.progress == 3 and time.monotonic() - started < 5


def test_checks_run_at_full_speed_when_traffic_is_quiet(audit, only_dh001, monkeypatch):
    addon, tctx = audit
    monkeypatch.setattr(CleartextSensitiveData, "check_flow", takes_10_ms)
    monkeypatch.setattr(addon_module, "CHECK_SHARE", 0.001)
    monkeypatch.setattr(addon_module, "QUIET_SECONDS", 0)
    tctx.configure(addon, appaudit_profile=only_dh001)
    complete(addon, *[phone_flow(f"http://api.shop.example.com/v1/login/{i}") for i in range(3)])
    wait_for_progress(addon, 3)
    assert addon.checker.progress == 3


def test_shutdown_gives_up_on_a_stuck_check(audit, only_dh001, monkeypatch, tmp_path):
    addon, tctx = audit
    stuck = threading.Event()
    monkeypatch.setattr(addon_module, "STALL_SECONDS", 0.3)
    monkeypatch.setattr(CleartextSensitiveData, "check_flow", lambda self, flow: stuck.wait(10) and ())
    tctx.configure(addon, appaudit_profile=only_dh001, appaudit_report=str(tmp_path / "r.json"))
    complete(addon, phone_flow(), phone_flow())
    addon.done()
    stuck.set()
    report = json.loads((tmp_path / "r.json").read_text())
    assert "without progress; 2 flows were not checked" in report["errors"][0]["message"]


def test_addon_loads_as_a_mitmproxy_script(monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))  # mitmproxy leaves the script's folder on it
    with taddons.context() as tctx:
        loaded = tctx.script(str(Path(addon_module.__file__)))
    assert [type(a).__name__ for a in loaded.addons] == ["AppAudit"]

"""A repeated behaviour is one finding that lists every occurrence (issue 17): the
engine merges the findings of one input that share a subject (the fingerprint) into
the first, whose ``occurrences`` hold the exact count, the flows and the time span."""
import json

from click.testing import CliRunner
from mitmproxy import io
from mitmproxy.addons.save import Save
from mitmproxy.test import taddons

from appaudit.reports import text_report
from appaudit.scanner.addon import AppAudit
from appaudit.scanner.cli import main
from appaudit.scanner.engine import ScanSettings, scan
from appaudit.scanner.model import MAX_OCCURRENCE_FLOWS, data_label
from appaudit.scanner.profile_loader import load_profile
from appaudit.scanner.report_document import build_report
from tests.helpers import T0, app_from_yaml, flow_findings, make_flow

IMEI = "490154203237518"
ANDROID_ID = "9774d56d682e549c"
PHONE = "13912345678"
APP_YAML = """\
name: Demo Shop
first_party: [demoshop.com]
third_parties:
  - name: Umeng
    domains: [umeng.com]
    data: [android_id]
consent:
  url: "https://api.demoshop.com/v1/privacy/consent*"
"""
APP = app_from_yaml(APP_YAML)


def appsflyer(t):
    """AppsFlyer's launch event, with the device's identifiers."""
    return make_flow("POST", "https://launches.appsflyersdk.com/api/v6.12/androidevent?app_id=com.demoshop.app",
                     json={"imei": IMEI, "android_id": ANDROID_ID, "af_events_api": "1"}, timestamp=t)


def config(t):
    return make_flow("GET", "https://api.demoshop.com/v1/config", response_json={"ok": True}, timestamp=t)


def consent(t):
    return make_flow("POST", "https://api.demoshop.com/v1/privacy/consent", json={"agree": True}, timestamp=t)


def session(extra_launches: int = 0, *, shift: float = 0.0) -> list:
    """AppsFlyer at flows 1, 2, 4 before consent (flow 5) and 6, 8 after it; then
    ``extra_launches`` more launches. Flow i happens at T0 + 10 i (+ shift)."""
    kinds = [config, appsflyer, appsflyer, config, appsflyer, consent, appsflyer, config, appsflyer]
    kinds += [appsflyer] * extra_launches
    return [kind(T0 + shift + 10 * i) for i, kind in enumerate(kinds)]


def by_title(findings) -> dict:
    return {f.title: f for f in findings}


def occurrences(finding) -> tuple:
    o = finding.occurrences
    return o.count, o.flows, o.first, o.last


# The engine

def test_an_sdk_receiving_identifiers_in_many_flows_is_one_finding_per_subject_with_every_occurrence():
    findings = by_title(flow_findings(["DH007", "DH009", "DH010"], session(), app=APP))
    assert set(findings) == {
        "AppsFlyer contacted",
        "IMEI sent to undeclared third party AppsFlyer",
        "Android ID sent to undeclared third party AppsFlyer",
        "AppsFlyer contacted before the user consented",
        "IMEI sent to AppsFlyer before the user consented",
        "Android ID sent to AppsFlyer before the user consented",
    }
    # DH007 holds before and after consent; DH009 only before (flow 5 is the consent).
    every = (5, [1, 2, 4, 6, 8], T0 + 10, T0 + 80)
    before = (3, [1, 2, 4], T0 + 10, T0 + 40)
    assert occurrences(findings["IMEI sent to undeclared third party AppsFlyer"]) == every
    assert occurrences(findings["Android ID sent to undeclared third party AppsFlyer"]) == every
    assert occurrences(findings["AppsFlyer contacted before the user consented"]) == before
    assert occurrences(findings["IMEI sent to AppsFlyer before the user consented"]) == before
    assert occurrences(findings["AppsFlyer contacted"]) == every  # the inventory, from its summary at the end
    # The location is the first occurrence.
    assert {f.location.flow for f in findings.values()} == {1}
    assert findings["IMEI sent to AppsFlyer before the user consented"].location.field == "imei"


def test_a_subject_met_once_has_one_occurrence():
    findings = flow_findings("DH007", [config(T0), appsflyer(T0 + 5)], app=APP)
    assert [occurrences(f) for f in findings] == [(1, [1], T0 + 5, T0 + 5)] * 2


def search(t, phone=PHONE, host="search.demoshop.com", field="q"):
    return make_flow("GET", f"https://{host}/api/search?{field}={phone}&page=1", timestamp=t)


def test_a_phone_number_in_the_query_of_200_searches_is_one_finding_with_200_occurrences():
    findings = flow_findings("DH002", [search(T0 + i) for i in range(200)])
    assert len(findings) == 1
    assert occurrences(findings[0]) == (200, list(range(200)), T0, T0 + 199)


def test_another_field_or_host_is_another_subject_and_another_value_in_the_field_is_not():
    # As inside one flow (one finding per field and data type), the value does not make
    # the subject: a rotating token or a moving location is one behaviour.
    flows = [search(T0), search(T0 + 1, phone="13800138000"), search(T0 + 2, field="mobile"),
             search(T0 + 3, host="m.demoshop.com"), search(T0 + 4)]
    findings = flow_findings("DH002", flows)
    assert [(f.location.flow, f.occurrences.count) for f in findings] == [(0, 3), (2, 1), (3, 1)]
    assert findings[0].occurrences.flows == [0, 1, 4]
    assert findings[0].evidence.value == PHONE


def test_the_flow_list_is_capped_and_the_count_stays_exact():
    total = MAX_OCCURRENCE_FLOWS + 50
    [finding] = flow_findings("DH002", [search(T0 + i) for i in range(total)])
    assert finding.occurrences.count == total
    assert finding.occurrences.flows == list(range(MAX_OCCURRENCE_FLOWS))
    assert (finding.occurrences.first, finding.occurrences.last) == (T0, T0 + total - 1)


def test_an_insecure_cookie_set_on_every_response_is_one_finding():
    def login(t, sid):
        return make_flow("POST", "https://api.demoshop.com/v1/login", timestamp=t,
                         response_headers=[("Set-Cookie", f"SESSIONID={sid}; Path=/")])
    flows = [login(T0 + i, f"7f3a9c2e8b1d4f6a{i:016d}") for i in range(3)]
    [finding] = flow_findings("DH005", flows)
    assert occurrences(finding) == (3, [0, 1, 2], T0, T0 + 2)


# The report

def write_capture(path, flows):
    with open(path, "wb") as f:
        writer = io.FlowWriter(f)
        for flow in flows:
            writer.add(flow)


def scan_report(tmp_path, name, flows, *extra) -> tuple[int, dict]:
    capture = tmp_path / f"{name}.mitm"
    write_capture(capture, flows)
    (tmp_path / "app.yaml").write_text(APP_YAML)
    out = tmp_path / f"{name}.json"
    result = CliRunner().invoke(main, ["scan", str(capture), "-a", str(tmp_path / "app.yaml"), "-f", "json",
                                       "-o", str(out), *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(out.read_text())


def test_the_json_report_carries_the_occurrences(tmp_path):
    _, report = scan_report(tmp_path, "s", session())
    [dh009_sdk] = [f for f in report["findings"] if f["title"] == "AppsFlyer contacted before the user consented"]
    assert dh009_sdk["occurrences"] == {"count": 3, "flows": [1, 2, 4], "first": T0 + 10, "last": T0 + 40}
    assert dh009_sdk["location"]["flow"] == 1
    assert len({f["fingerprint"] for f in report["findings"]}) == len(report["findings"])


def test_ten_more_occurrences_recaptured_later_keep_the_fingerprint_and_the_baseline_suppresses_them(tmp_path):
    _, known = scan_report(tmp_path, "known", session())
    # The same behaviour captured again a day later, with ten more launches.
    _, again = scan_report(tmp_path, "again", session(10, shift=86400))
    before = {f["fingerprint"]: f["occurrences"]["count"] for f in known["findings"] if "occurrences" in f}
    after = {f["fingerprint"]: f["occurrences"]["count"] for f in again["findings"] if "occurrences" in f}
    assert before.keys() == after.keys()
    imei = next(f["fingerprint"] for f in known["findings"] if f["title"] == "IMEI sent to undeclared third party AppsFlyer")
    assert (before[imei], after[imei]) == (5, 15)

    code, suppressed = scan_report(tmp_path, "suppressed", session(10, shift=86400), "--baseline", str(tmp_path / "known.json"))
    assert suppressed["summary"]["suppressed"] == len(again["findings"])
    assert [f for f in suppressed["findings"] if f["fingerprint"] in before] == []
    # A behaviour the baseline does not know still shows: AppsFlyer now also gets the phone number.
    new = make_flow("POST", "https://launches.appsflyersdk.com/api/v6.12/androidevent", json={"phone": PHONE},
                    timestamp=T0 + 86400 + 500)
    code, partly = scan_report(tmp_path, "partly", session(10, shift=86400) + [new], "--baseline", str(tmp_path / "known.json"))
    assert code == 1
    assert {f["evidence"]["data_type"] for f in partly["findings"]} == {"phone"}


def test_the_terminal_report_shows_how_often_and_when(tmp_path):
    _, report = scan_report(tmp_path, "s", session())
    text = text_report.render(report)
    assert "  DH009 AppsFlyer contacted before the user consented ×3\n" in text
    assert "in flows 1, 2, 4 between 2025-11-24 16:00:10 and 16:00:40 UTC (30 s)" in text
    assert "  DH007 IMEI sent to undeclared third party AppsFlyer ×5\n" in text
    once = text_report.render(build_report_of(flow_findings("DH007", [appsflyer(T0)], app=APP)))
    assert "×" not in once and "in flows" not in once


def test_the_terminal_report_shortens_a_long_flow_list():
    line = text_report.repetition_line({"count": 1200, "flows": list(range(1000)), "first": T0, "last": T0 + 7260})
    assert line.startswith("in flows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (1190 more) between ")
    assert line.endswith("(2 h 1 min)")


def build_report_of(findings) -> dict:
    from appaudit.scanner.engine import ScanResult
    from appaudit.scanner.profile_loader import Profile

    return build_report(ScanResult(profile=Profile(name="test", enabled=("DH007",)), app=APP, findings=findings))


# The live proxy

def test_the_live_proxy_prints_a_subject_once_and_reports_the_same_occurrences_as_a_scan(tmp_path, caplog):
    saved = tmp_path / "session.mitm"
    (tmp_path / "app.yaml").write_text(APP_YAML)
    flows = session(3)
    save, addon = Save(), AppAudit()
    with caplog.at_level("INFO", logger="appaudit"), taddons.context(save, addon) as tctx:
        tctx.configure(save, save_stream_file=str(saved))
        tctx.configure(addon, appaudit_report=str(tmp_path / "live.json"), appaudit_app=str(tmp_path / "app.yaml"))
        for flow in flows:
            for each in (addon, save):
                each.request(flow)
                each.response(flow)
        addon.done()
        save.done()
    logged = [r.getMessage() for r in caplog.records if r.name == "appaudit" and " DH0" in r.getMessage()]
    assert sum("AppsFlyer contacted before the user consented" in line for line in logged) == 1
    assert sum("IMEI sent to undeclared third party" in line for line in logged) == 1

    # mitmweb shows every occurrence: the repeating flows are marked and say so.
    assert flows[6].marked and "IMEI sent to undeclared third party AppsFlyer (again: occurrence 4, first in flow 1)" \
        in flows[6].comment
    assert not flows[3].marked  # the app's own config request

    live = json.loads((tmp_path / "live.json").read_text())
    app = app_from_yaml(APP_YAML)
    scanned = build_report(scan([str(saved)], ScanSettings(profile=load_profile("default"), app=app)))
    assert live["findings"] == scanned["findings"]
    imei = next(f for f in live["findings"] if f["title"] == "IMEI sent to undeclared third party AppsFlyer")
    assert imei["occurrences"] == {"count": 8, "flows": [1, 2, 4, 6, 8, 9, 10, 11], "first": T0 + 10, "last": T0 + 110}


# Titles

def test_data_type_labels_read_as_english():
    assert data_label("android_id", article=True, start=True) == "An Android ID"
    assert data_label("imei", article=True) == "an IMEI"
    assert data_label("imei", start=True) == "IMEI"
    assert data_label("mac_address", article=True) == "a MAC address"
    assert data_label("email", article=True) == "an e-mail address"
    assert data_label("phone", article=True, start=True) == "A phone number"
    [finding] = [f for f in flow_findings("DH007", [appsflyer(T0)], app=APP) if f.evidence.data_type == "android_id"]
    assert finding.message.startswith("An Android ID goes to AppsFlyer")


def test_dh008_title_names_the_type_with_its_article():
    umeng = make_flow("POST", "https://ulogs.umeng.com/unify_logs", json={"header": {"imei": IMEI}})
    [finding] = flow_findings("DH008", [umeng], app=APP)
    assert finding.title == "Umeng receives an IMEI, which is not declared for it"

"""Third-party sharing and consent (DH007–DH010), with realistic SDK request shapes."""
import base64
import gzip
import json
from urllib.parse import urlencode

from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status

from tests.helpers import T0, app_from_yaml, flow_findings, make_flow, settings_for

ANDROID_ID = "9774d56d682e549c"
OAID = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"

APP = app_from_yaml("""\
name: Demo Shop
first_party: [demoshop.com, demoshop-cdn.net]
third_parties:
  - name: Umeng
    domains: [umeng.com, umengcloud.com]
    data: [android_id, advertising_id]
consent:
  url: "https://api.demoshop.com/v1/privacy/consent*"
""")


def umeng_log(t, **extra):
    """Umeng's unified log upload: a JSON envelope with the device's identifiers."""
    header = {"android_id": ANDROID_ID, "oaid": OAID, "appkey": "5f8e1a2b3c4d5e6f7a8b9c0d", **extra}
    return make_flow("POST", "https://ulogs.umeng.com/unify_logs", json={"header": header, "body": {}}, timestamp=t)


def pangle_ad(t):
    """A Pangle (穿山甲) ad request carrying the device id."""
    return make_flow("POST", "https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/",
                     json={"device": {"android_id": ANDROID_ID, "os": "android"}, "app": {"appid": "5001121"}},
                     timestamp=t)


def config(t):
    return make_flow("GET", "https://api.demoshop.com/v1/config?v=3.2.0", response_json={"ok": True}, timestamp=t)


def consent(t):
    return make_flow("POST", "https://api.demoshop.com/v1/privacy/consent", json={"version": "2026-11", "agree": True},
                     timestamp=t)


def test_dh007_undeclared_sdk_receiving_device_id_fires_once():
    findings = flow_findings("DH007", [pangle_ad(T0), pangle_ad(T0 + 1)], app=APP)
    assert [(f.evidence.data_type, f.location.flow, f.location.field) for f in findings] == \
        [("android_id", 0, "device.android_id")]
    assert findings[0].evidence.details["party_kind"] == "sdk"
    assert "Pangle" in findings[0].evidence.details["party"]


def test_dh007_unknown_third_party_domain_fires_and_declared_first_party_do_not():
    unknown = make_flow("POST", "https://collect.some-tracker.example/c", json={"imei": "490154203237518"})
    first_party_cdn = make_flow("POST", "https://img.demoshop-cdn.net/u", json={"android_id": ANDROID_ID})
    declared = umeng_log(T0)
    findings = flow_findings("DH007", [unknown, first_party_cdn, declared], app=APP)
    assert [(f.evidence.data_type, f.location.flow) for f in findings] == [("imei", 0)]


def test_dh007_without_app_file_uses_top_level_pages_as_first_party():
    page = make_flow("GET", "https://www.shop.example.co.uk/", headers={"Sec-Fetch-Dest": "document", "Accept": "text/html"},
                     response_body="<html><body>hi</body></html>", response_headers={"Content-Type": "text/html"})
    own_api = make_flow("POST", "https://api.shop.example.co.uk/v1/track", json={"android_id": ANDROID_ID})
    other = make_flow("POST", "https://t.other-tracker.example/c", json={"android_id": ANDROID_ID})
    findings = flow_findings("DH007", [page, own_api, other])
    assert [f.location.flow for f in findings] == [2]


def test_dh007_without_app_file_or_pages_judges_only_known_sdks():
    api = make_flow("POST", "https://api.someapp.example/v1/track", json={"android_id": ANDROID_ID})
    findings = flow_findings("DH007", [api, pangle_ad(T0)])
    assert [f.location.flow for f in findings] == [1]


def test_dh008_declared_party_receiving_undeclared_type():
    lat_lng = umeng_log(T0, lat="39.908722", lng="116.397499")
    findings = flow_findings("DH008", [umeng_log(T0), lat_lng], app=APP)
    assert [(f.evidence.data_type, f.location.flow) for f in findings] == [("location", 1)]


def test_dh008_not_applicable_without_declared_parties():
    session = InputScan(settings_for("DH008"), Input(path="x", kind="flows"))
    [outcome] = session.outcomes()
    assert outcome.status is Status.NOT_APPLICABLE


def test_dh009_sdk_and_data_before_consent_fire_and_after_consent_do_not():
    flows = [config(T0), umeng_log(T0 + 1), pangle_ad(T0 + 2), consent(T0 + 3), umeng_log(T0 + 4), pangle_ad(T0 + 5)]
    findings = flow_findings("DH009", flows, app=APP)
    assert all(f.location.flow in (1, 2) for f in findings)
    sdk_findings = {f.evidence.details.get("sdk") for f in findings if f.evidence.data_type is None}
    assert len(sdk_findings) == 2
    assert {"android_id", "advertising_id"} <= {f.evidence.data_type for f in findings}


def test_dh009_first_party_traffic_without_personal_data_before_consent_is_silent():
    flows = [config(T0), make_flow("GET", "https://img.demoshop-cdn.net/banner.jpg", timestamp=T0 + 1), consent(T0 + 2)]
    assert flow_findings("DH009", flows, app=APP) == []


def test_dh009_consent_time():
    app = app_from_yaml("consent:\n  time: '2025-11-24T16:00:00+00:00'\n")
    moment = app.consent.time
    flows = [umeng_log(moment - 10), umeng_log(moment + 10)]
    findings = flow_findings("DH009", flows, app=app)
    assert {f.location.flow for f in findings} == {0}


def test_dh009_not_applicable_without_consent_moment():
    session = InputScan(settings_for("DH009", app=app_from_yaml("name: x\n")), Input(path="x", kind="flows"))
    [outcome] = session.outcomes()
    assert outcome.status is Status.NOT_APPLICABLE and "consent" in outcome.reason


def test_dh010_one_info_finding_per_sdk_with_counts():
    flows = [config(T0), umeng_log(T0 + 1), pangle_ad(T0 + 2), umeng_log(T0 + 3), umeng_log(T0 + 4)]
    findings = flow_findings("DH010", flows, app=APP)
    counts = {f.evidence.details["sdk"]: (f.evidence.details["flows"], f.location.flow) for f in findings}
    assert sorted(counts.values()) == [(1, 2), (3, 1)]
    assert all(f.severity.label == "info" for f in findings)


def test_dh010_first_party_and_unknown_hosts_are_not_sdks():
    flows = [config(T0), make_flow("GET", "https://cdn.jsdelivr.example/x.js")]
    assert flow_findings("DH010", flows, app=APP) == []


def test_analytics_payload_base64_gzip_json_in_form_field():
    payload = {"device": {"imei": "490154203237518", "oaid": OAID, "mac": "3c:22:fb:12:34:56",
                          "lat": 39.908722, "lng": 116.397499}}
    blob = base64.b64encode(gzip.compress(json.dumps(payload).encode())).decode()
    flow = make_flow("POST", "https://sdk.tracker-unknown.example/v2/log", body=urlencode({"data": blob, "appkey": "x1"}),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    page = make_flow("GET", "https://www.demoshop.com/", headers={"Sec-Fetch-Dest": "document"},
                     response_body="<html></html>", response_headers={"Content-Type": "text/html"})
    findings = flow_findings("DH007", [page, flow])
    assert {"imei", "advertising_id", "mac_address", "location"} <= {f.evidence.data_type for f in findings}
    assert all(f.evidence.encoding[:2] == ("base64", "json") for f in findings)


def test_dh007_local_network_hosts_are_not_third_parties():
    flows = [make_flow("POST", f"http://{host}:8080/api/track", json={"android_id": ANDROID_ID})
             for host in ("127.0.0.1", "192.168.1.20", "10.0.0.5", "localhost")]
    assert flow_findings("DH007", flows, app=APP) == []

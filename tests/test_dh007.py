"""DH007 undisclosed-third-party: positives and hard negatives."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
from urllib.parse import urlencode

import pytest
from appaudit.scanner.model import Severity

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import (
    ANDROID_ID,
    GAID,
    IMEI,
    OAID,
    PHONE,
    T0,
    UA,
    by_type,
    demo_app,
    flow_findings,
    form,
    make_flow,
    page_flow,
    pangle_ad,
    types,
    umeng_flow,
    umeng_log,
)

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


@pytest.mark.parametrize("case", flow_cases("dh007"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH007")


def test_unknown_third_party_receives_phone():
    flow = form("https://collect.some-tracker.cn/v1/e", {"mobile": PHONE, "ev": "reg"})
    found = by_type(flow_findings("DH007", flow, app=demo_app()), "phone")
    assert found and found[0].severity == Severity.HIGH


def test_undeclared_known_sdk_receives_device_id():
    flow = make_flow("POST", "https://android.bugly.qq.com/rqd/async?aid=9b2c6f0e-7d4a-4e51-8a3c-2f1d0e9b8a76&p=1&k=1",
                     json={"deviceId": ANDROID_ID, "android_id": ANDROID_ID, "model": "22081212C"})
    assert "android_id" in types(flow_findings("DH007", flow, app=demo_app()))


def test_first_party_subdomain_and_cdn_are_silent():
    flows = [form("https://passport.api.demoshop.com/v1/bind", {"mobile": PHONE, "imei": IMEI}),
             make_flow("GET", f"https://img.demoshop-cdn.net/avatar?uid=1&android_id={ANDROID_ID}")]
    assert not flow_findings("DH007", flows, app=demo_app())


def test_declared_party_with_declared_data_is_silent():
    assert not flow_findings(["DH007", "DH008"], umeng_flow({"android_id": ANDROID_ID, "oaid": OAID}), app=demo_app())


def test_co_uk_registrable_domain():
    yaml_text = "name: UK Shop\nfirst_party: [demoshop.co.uk]\n"
    ours = form("https://api.demoshop.co.uk/v1/account", {"phone": "+447911123456"})
    theirs = form("https://collect.othershop.co.uk/v1/account", {"phone": "+447911123456"})
    found = flow_findings("DH007", [ours, theirs], app=demo_app(yaml_text))
    assert {f.location.flow for f in found} == {1}


def test_com_cn_registrable_domain():
    yaml_text = "name: CN Shop\nfirst_party: [www.demoshop.com.cn]\n"
    ours = form("https://m.demoshop.com.cn/api/user", {"mobile": PHONE})
    theirs = form("https://api.data-partner.com.cn/sync", {"mobile": PHONE})
    found = flow_findings("DH007", [ours, theirs], app=demo_app(yaml_text))
    assert {f.location.flow for f in found} == {1}


def test_github_io_private_suffix():
    yaml_text = "name: Pages app\nfirst_party: [alice.github.io]\n"
    ours = form("https://alice.github.io/api/echo", {"email": "li.si@example.com.cn"})
    theirs = form("https://bob.github.io/collect", {"email": "li.si@example.com.cn"})
    found = flow_findings("DH007", [ours, theirs], app=demo_app(yaml_text))
    assert {f.location.flow for f in found} == {1}


def test_lookalike_domain_is_not_first_party():
    flow = form("https://demoshop.com.evil-cdn.cn/c", {"mobile": PHONE})
    assert flow_findings("DH007", flow, app=demo_app())


def test_no_app_file_known_sdk_with_data():
    flow = make_flow("GET", f"https://app-measurement.com/a?gmp_app_id=1:123:android:abc&adid={GAID}")
    assert "advertising_id" in types(flow_findings("DH007", flow))


def test_no_app_file_top_level_page_defines_first_party():
    page = page_flow("https://www.shopdemo.cn/", "<!DOCTYPE html><html><head><title>首页</title></head><body>商城</body></html>",
                     headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                              "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", "User-Agent": UA})
    ours = form("https://api.shopdemo.cn/v1/login", {"mobile": PHONE})
    theirs = form("https://log.unknown-partner.cn/v1/e", {"mobile": PHONE})
    found = flow_findings("DH007", [page, ours, theirs])
    assert {f.location.flow for f in found} == {2}


def test_declared_party_on_second_domain():
    assert not flow_findings(["DH007", "DH008"], make_flow("POST", "https://ulogs.umengcloud.com/unify_logs",
                                                           json={"header": {"oaid": OAID}}), app=demo_app())


def test_canary_to_unknown_party():
    flow = make_flow("GET", "https://collect.some-tracker.cn/p?h=" + hashlib.md5(b"13912345678").hexdigest())
    found = flow_findings("DH007", flow, app=demo_app())
    assert any(f.evidence.data_type == "canary" and f.evidence.canary == "phone" for f in found)


def test_data_in_third_party_response_is_not_sent():
    flow = make_flow("GET", "https://apis.map.qq.com/ws/location/v1/ip?key=OB4BZ-D4W3U-B7VVO-4PJWW-6TKDJ-WPB77",
                     response_json={"status": 0, "result": {"ip": "111.206.145.41",
                                                            "location": {"lat": 39.90469, "lng": 116.40717}}})
    assert not [f for f in flow_findings("DH007", flow, app=demo_app()) if f.evidence.data_type == "location"]


def test_port_and_case_in_host():
    flow = form("https://Collect.Some-Tracker.cn:8443/v1/e", {"mobile": PHONE})
    assert flow_findings("DH007", flow, app=demo_app())


def test_sentry_envelope_carries_no_email():
    dsn = "https://e3b0c44298fc1c149afbf4c8996fb924@o450123.ingest.sentry.io/5512345"
    envelope = "\n".join([
        json.dumps({"event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "dsn": dsn, "sent_at": "2024-11-25T02:12:33.123Z",
                    "sdk": {"name": "sentry.java.android", "version": "7.3.0"}}),
        json.dumps({"type": "event", "content_type": "application/json"}),
        json.dumps({"event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "level": "error", "platform": "java",
                    "release": "com.demoshop.app@3.2.1+321",
                    "exception": {"values": [{"type": "NullPointerException", "value": "Attempt to invoke virtual method"}]},
                    "contexts": {"device": {"model": "22081212C", "manufacturer": "Xiaomi"}}}),
    ])
    flow = make_flow("POST", "https://o450123.ingest.sentry.io/api/5512345/envelope/", body=envelope, headers={
        "Content-Type": "application/x-sentry-envelope",
        "X-Sentry-Auth": "Sentry sentry_version=7, sentry_client=sentry.java.android/7.3.0, sentry_key=e3b0c44298fc1c149afbf4c8996fb924"})
    assert not by_type(flow_findings(["DH007", "DH009"], flow, app=demo_app()), "email")


def test_dh007_undeclared_sdk_receiving_device_id_fires_once():
    findings = flow_findings("DH007", [pangle_ad(T0), pangle_ad(T0 + 1)], app=demo_app())
    assert [(f.evidence.data_type, f.location.flow, f.location.field) for f in findings] == \
        [("android_id", 0, "device.android_id")]
    assert findings[0].evidence.details["party_kind"] == "sdk"
    assert "Pangle" in findings[0].evidence.details["party"]


def test_dh007_unknown_third_party_domain_fires_and_declared_first_party_do_not():
    unknown = make_flow("POST", "https://collect.some-tracker.example/c", json={"imei": "490154203237518"})
    first_party_cdn = make_flow("POST", "https://img.demoshop-cdn.net/u", json={"android_id": ANDROID_ID})
    declared = umeng_log(T0)
    findings = flow_findings("DH007", [unknown, first_party_cdn, declared], app=demo_app())
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
    assert flow_findings("DH007", flows, app=demo_app()) == []

"""DH001 cleartext-sensitive-data: positives and hard negatives."""
import gzip

import pytest

from appaudit.scanner.model import Severity
from tests.helpers import app_from_yaml, flow_findings, make_flow


def dh001(*flows, app=None):
    return flow_findings("DH001", flows, app=app)


@pytest.mark.parametrize("flow,data_type,part,field", [
    (make_flow("POST", "http://api.shop.example.com/v1/login", json={"user": {"phone": "13912345678"}}),
     "phone", "request.body", "user.phone"),
    (make_flow("POST", "http://api.shop.example.com/v1/contact", json={"contact": "+44 20 7946 0958"}),
     "phone", "request.body", "contact"),
    (make_flow("POST", "http://api.shop.example.com/v1/profile", body="email=li.lei%40example.com&x=1",
               headers={"Content-Type": "application/x-www-form-urlencoded"}),
     "email", "request.body", "email"),
    (make_flow("GET", "http://api.shop.example.com/v1/me", response_json={"data": {"mobile": "13912345678"}}),
     "phone", "response.body", "data.mobile"),
    (make_flow("POST", "http://log.shop.example.com/c", body=gzip.compress(b'{"tel":"13912345678"}'),
               headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}),
     "phone", "request.body", "tel"),
])
def test_personal_data_over_http_fires(flow, data_type, part, field):
    findings = dh001(flow)
    assert [(f.evidence.data_type, f.location.part, f.location.field) for f in findings] == [(data_type, part, field)]
    finding = findings[0]
    assert finding.check == "DH001" and finding.severity is Severity.HIGH
    assert finding.location.flow == 0 and finding.location.url == flow.request.pretty_url


def test_id_card_over_http_is_critical():
    flow = make_flow("POST", "http://api.shop.example.com/v1/realname", json={"idcard": "11010519491231002X"})
    [finding] = dh001(flow)
    assert finding.evidence.data_type == "id_card" and finding.severity is Severity.CRITICAL


def test_websocket_over_ws_counts_as_cleartext():
    flow = make_flow("GET", "ws://push.shop.example.com/socket", json={"phone": "13912345678"})
    assert [f.evidence.data_type for f in dh001(flow)] == ["phone"]


def test_canary_is_found_over_http():
    app = app_from_yaml('canaries:\n  name: "张三"\n')
    flow = make_flow("POST", "http://api.shop.example.com/v1/order", json={"receiver": "张三"})
    [finding] = dh001(flow, app=app)
    assert finding.evidence.data_type == "canary" and finding.evidence.canary == "name"


@pytest.mark.parametrize("flow", [
    # The same data over HTTPS is DH001's negative (other checks judge HTTPS).
    make_flow("POST", "https://api.shop.example.com/v1/login", json={"user": {"phone": "13912345678"}}),
    make_flow("GET", "wss://push.shop.example.com/socket", json={"phone": "13912345678"}),
    # Over HTTP, but nothing personal: order numbers, timestamps, prices, versions, masked values.
    make_flow("POST", "http://api.shop.example.com/v1/order", json={
        "order_no": "20231122153012345678", "ts": 1700000000123, "price": "13800.00", "version": "10.2.13",
        "phone": "139****5678", "id_card": "110101********1234", "count": 12345678901,
        "trace_id": "5f0c7a3e-2b1d-4c9e-8f6a-0d1e2f3a4b5c"}),
    make_flow("GET", "http://cdn.shop.example.com/img/banner.png", response_body=b"\x89PNG\r\n\x1a\n" + b"\0" * 50,
              response_headers={"Content-Type": "image/png"}),
])
def test_hard_negatives_stay_silent(flow):
    assert dh001(flow) == []


def test_same_value_in_same_field_is_one_finding():
    flow = make_flow("POST", "http://api.shop.example.com/v1/a", json={"phone": "13912345678"})
    findings = flow_findings("DH001", [flow], input="x.mitm")
    assert len(findings) == 1

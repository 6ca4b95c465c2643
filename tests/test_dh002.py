"""DH002 sensitive-data-in-url: positives and hard negatives."""
import hashlib

import pytest
from appaudit.scanner.model import Severity

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import ID_CARD, JWT, PHONE, by_type, demo_app, flow_findings, form, make_flow, types

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


@pytest.mark.parametrize("case", flow_cases("dh002"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH002")


def dh002(*flows):
    return flow_findings("DH002", flows)


@pytest.mark.parametrize("url,data_type,field,severity", [
    ("https://api.shop.example.com/v1/search?mobile=13912345678&page=1", "phone", "mobile", Severity.MEDIUM),
    ("https://api.shop.example.com/v1/users/13912345678/orders", "phone", "path[2]", Severity.MEDIUM),
    ("https://api.shop.example.com/v1/verify?idcard=11010519491231002X", "id_card", "idcard", Severity.HIGH),
    ("http://api.shop.example.com/v1/login?user=li&password=hunter2hunter2", "password", "password", Severity.HIGH),
    ("https://api.shop.example.com/v1/sub?email=li.lei%40example.com", "email", "email", Severity.MEDIUM),
])
def test_personal_data_in_url_fires_on_any_scheme(url, data_type, field, severity):
    findings = dh002(make_flow("GET", url))
    assert [(f.evidence.data_type, f.location.part, f.location.field) for f in findings] == [(data_type, "request.url", field)]
    assert findings[0].severity is severity


@pytest.mark.parametrize("flow", [
    make_flow("POST", "https://api.shop.example.com/v1/login", json={"mobile": "13912345678"}),  # body, not URL
    make_flow("GET", "https://api.shop.example.com/v1/orders/20231122153012345678?ts=1700000000123&v=10.2.13"),
    make_flow("GET", "https://api.shop.example.com/v1/users/139****5678/orders?price=13800.00"),
    make_flow("GET", "https://api.shop.example.com/v1/items?trace=5f0c7a3e-2b1d-4c9e-8f6a-0d1e2f3a4b5c"),
])
def test_hard_negatives_stay_silent(flow):
    assert dh002(flow) == []


def test_phone_in_https_path():
    found = by_type(flow_findings("DH002", make_flow("GET", f"https://api.demoshop.com/v1/users/{PHONE}/coupons")), "phone")
    assert found and found[0].location.part == "request.url"
    assert found[0].severity == Severity.MEDIUM


def test_id_card_in_https_query_is_high():
    found = by_type(flow_findings("DH002", make_flow("GET", f"https://api.demoshop.com/v1/ticket/query?idNo={ID_CARD}&trainNo=G1")), "id_card")
    assert found and found[0].severity == Severity.HIGH


def test_access_token_in_query():
    flow = make_flow("GET", "https://api.demoshop.com/v1/user/info?access_token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOjEwMDg2LCJleHAiOjE3MzI1OTk5OTl9.kXb3bG7V3V0y1P4q9Yw1oO2t5pA7xQ8mN3rL6sD2fE0")
    found = by_type(flow_findings("DH002", flow), "credential")
    assert found and found[0].severity == Severity.HIGH


def test_body_only_is_not_dh002():
    assert not flow_findings("DH002", form("https://api.demoshop.com/v1/login", {"mobile": PHONE, "password": "Zs@123456"}))


def test_cache_buster_and_paging_are_not_dh002():
    assert not flow_findings("DH002", make_flow("GET", "https://api.demoshop.com/v1/feed?page=2&size=20&_=1732512345678&traceId=0af7651916cd43dd8448eb211c80319c"))


def test_email_in_query():
    assert "email" in types(flow_findings("DH002", make_flow("GET", "https://api.demoshop.com/v1/subscribe?email=li.si%40example.com.cn")))


def test_token_in_wss_query():
    flow = make_flow("GET", f"https://im.demoshop.com/ws?token={JWT}&v=2", status=101, headers={"Upgrade": "websocket"})
    assert "credential" in types(flow_findings("DH002", flow))


def test_jsessionid_in_url_path():
    flow = make_flow("GET", "https://www.demoshop.com/cart/view.do;jsessionid=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E?itemId=10086")
    assert "credential" in types(flow_findings("DH002", flow))


def test_canaries_and_secrets_in_https_url():
    flows = [make_flow("GET", "https://api.demoshop.com/v1/x?ph=" + hashlib.md5(b"13912345678").hexdigest()),
             make_flow("GET", "https://api.demoshop.com/v1/login?username=zhangsan&password=Zs%40123456"),
             make_flow("GET", "https://api.demoshop.com/v1/x?sid=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E")]
    found = flow_findings("DH002", flows, app=demo_app())
    assert {(f.location.flow, f.evidence.data_type) for f in found} == {(0, "canary"), (1, "password"), (2, "credential")}
    assert {f.severity for f in found if f.location.flow in (1, 2)} == {Severity.HIGH}

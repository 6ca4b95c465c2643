"""DH004 cleartext-credentials."""
import base64

import pytest
from appaudit.scanner.model import Severity
from mitmproxy import websocket
from wsproto.frame_protocol import Opcode

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import JWT, T0, flow_findings, form, http_post_json, make_flow, types

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


@pytest.mark.parametrize("case", flow_cases("dh004"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH004")


def dh004(*flows):
    return flow_findings("DH004", flows)


@pytest.mark.parametrize("flow,data_type,part", [
    (make_flow("POST", "http://api.shop.example.com/v1/login", json={"username": "li", "password": "Hunter2!x"}),
     "password", "request.body"),
    (make_flow("GET", "http://api.shop.example.com/v1/me",
               headers={"Authorization": "Basic " + base64.b64encode(b"li:Hunter2!x").decode()}),
     "credential", "request.headers"),
    (make_flow("GET", "http://api.shop.example.com/v1/me",
               headers={"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlX2hlcmU"}),
     "credential", "request.headers"),
    (make_flow("GET", "http://api.shop.example.com/v1/me", headers={"Cookie": "JSESSIONID=8F3A2C91B7D64E0F9A1B2C3D4E5F6A7B"}),
     "credential", "request.cookies"),
])
def test_credentials_over_http_fire_critical(flow, data_type, part):
    findings = dh004(flow)
    assert (data_type, part) in [(f.evidence.data_type, f.location.part) for f in findings]
    assert all(f.severity is Severity.CRITICAL for f in findings)


@pytest.mark.parametrize("flow", [
    make_flow("POST", "https://api.shop.example.com/v1/login", json={"username": "li", "password": "Hunter2!x"}),
    make_flow("GET", "http://api.shop.example.com/v1/list", headers={"Cookie": "theme=dark; lang=zh-CN"}),
    make_flow("POST", "http://api.shop.example.com/v1/login", json={"username": "li", "password": ""}),
    make_flow("GET", "http://api.shop.example.com/v1/help?topic=password-reset"),
])
def test_hard_negatives_stay_silent(flow):
    assert dh004(flow) == []


def test_basic_auth_over_http():
    auth = "Basic " + base64.b64encode(b"admin:Admin@2024").decode()
    found = flow_findings("DH004", make_flow("GET", "http://192.168.1.1/cgi-bin/luci", headers={"Authorization": auth}))
    assert found and all(f.severity == Severity.CRITICAL for f in found)
    assert found[0].location.part == "request.headers"


def test_bearer_over_http():
    assert flow_findings("DH004", make_flow("GET", "http://api.demoshop.cn/v1/orders", headers={"Authorization": f"Bearer {JWT}"}))


def test_session_cookie_over_http():
    found = flow_findings("DH004", make_flow("GET", "http://www.demoshop.cn/my", headers={
        "Cookie": "JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E; lang=zh-CN"}))
    assert found and found[0].location.part == "request.cookies"


def test_session_cookie_set_over_http():
    found = flow_findings("DH004", make_flow("POST", "http://www.demoshop.cn/login", response_headers={
        "Set-Cookie": "PHPSESSID=9k3j2h1g0f8d7s6a5p4o3i2u1y; path=/"}))
    assert found and found[0].location.part == "response.headers"


def test_password_form_over_http():
    assert "password" in types(flow_findings("DH004", form("http://bbs.example.cn/member.php?mod=logging&action=login",
                                                           {"username": "zhangsan", "password": "Zs@123456", "loginsubmit": "yes"})))


def test_same_over_https_is_silent():
    flows = [
        make_flow("GET", "https://api.demoshop.com/v1/orders", headers={"Authorization": f"Bearer {JWT}",
                                                                       "Cookie": "JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E"}),
        form("https://passport.demoshop.com/login", {"username": "zhangsan", "password": "Zs@123456"}),
    ]
    assert not flow_findings("DH004", flows)


def test_non_session_cookies_over_http_are_silent():
    assert not flow_findings("DH004", make_flow("GET", "http://www.demoshop.cn/", headers={
        "Cookie": "lang=zh-CN; theme=dark; city=110100; Hm_lvt_7a3960b6f067eb0085b7f96ff5e660b0=1732512345"}))


def test_token_in_json_body():
    flow = http_post_json("http://api.demoshop.cn/v1/cart/add", {"token": "a3f8c2e1d4b7960f5e2a1c3b8d7f6e09", "skuId": 1})
    assert "credential" in types(flow_findings("DH004", flow))


def test_x_access_token_header():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/orders", headers={"X-Access-Token": "7d9f2c1e8a3b4f6d0e5c2a9b8f7e6d1c"})
    assert flow_findings("DH004", flow)


def test_access_token_issued_in_http_response():
    flow = form("http://oauth.demoshop.cn/token", {"grant_type": "client_credentials"},
                response_json={"access_token": "7d9f2c1e8a3b4f6d0e5c2a9b8f7e6d1c5b4a3f2e", "token_type": "bearer", "expires_in": 7200})
    found = flow_findings("DH004", flow)
    assert {f.location.field for f in found} == {"access_token"}


def test_password_over_ws():
    flow = make_flow("GET", "http://im.demoshop.cn/ws", status=101, headers={"Upgrade": "websocket"})
    flow.websocket = websocket.WebSocketData(messages=[websocket.WebSocketMessage(
        Opcode.TEXT, True, b'{"cmd":"login","user":"zhangsan","password":"Zs@123456"}', T0 + 1)])
    assert "password" in types(flow_findings("DH004", flow))

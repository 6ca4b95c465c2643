"""DH004 cleartext-credentials."""
import base64

import pytest

from appaudit.scanner.model import Severity
from tests.helpers import flow_findings, make_flow


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

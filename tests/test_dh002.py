"""DH002 sensitive-data-in-url: positives and hard negatives."""
import pytest

from appaudit.scanner.model import Severity
from tests.helpers import flow_findings, make_flow


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

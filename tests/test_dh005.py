"""DH005 insecure-cookie."""
import pytest

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import flow_findings, make_flow

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


@pytest.mark.parametrize("case", flow_cases("dh005"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH005")


def with_cookie(set_cookie, url="https://api.shop.example.com/v1/login"):
    return make_flow("POST", url, response_headers=[("Set-Cookie", set_cookie)])


@pytest.mark.parametrize("set_cookie,missing", [
    ("SESSIONID=8F3A2C91B7D64E0F9A1B2C3D; Path=/", ["Secure", "HttpOnly"]),
    ("JSESSIONID=8F3A2C91B7D64E0F9A1B2C3D; Path=/; HttpOnly", ["Secure"]),
    ("sid=s%3Aq1w2e3r4t5y6u7i8o9p0; Path=/; Secure", ["HttpOnly"]),
    # Not session-like by name, but a long random value is what session ids look like.
    ("x9=Qm9vbGVhbkZhbHNlVHJ1ZU5vbmVabzE3Yk; Path=/; Secure", ["HttpOnly"]),
    ("x9=Qm9vbGVhbkZhbHNlVHJ1ZU5vbmVabzE3Yk; Path=/; Secure; Max-Age=7200", ["HttpOnly"]),
    # A session name wins over a structured value.
    ("ASP.NET_SessionId=uid=Qm9vbGVh&sig=bkZhbHNlVHJ1; Path=/; Secure", ["HttpOnly"]),
])
def test_session_cookie_without_flags_fires(set_cookie, missing):
    [finding] = flow_findings("DH005", [with_cookie(set_cookie)])
    assert finding.evidence.details["missing"] == missing
    assert finding.location.part == "response.headers"


def test_over_plain_http_only_httponly_is_judged():
    [finding] = flow_findings("DH005", [with_cookie("PHPSESSID=a81b2c3d4e5f60718293a4b5", url="http://api.shop.example.com/")])
    assert finding.evidence.details["missing"] == ["HttpOnly"]


def test_reported_once_per_cookie_and_host():
    flows = [with_cookie("SESSIONID=8F3A2C91B7D64E0F9A1B2C3D") for _ in range(3)]
    assert len(flow_findings("DH005", flows)) == 1


@pytest.mark.parametrize("set_cookie", [
    "SESSIONID=8F3A2C91B7D64E0F9A1B2C3D; Path=/; Secure; HttpOnly; SameSite=Lax",
    "theme=dark; Path=/",
    "lang=zh-CN; Path=/",
    "_ga=GA1.2.1234567890.1700000000; Path=/",
    "csrftoken=Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Jh0GfEd; Path=/; Secure",  # read by scripts on purpose
    "SESSIONID=; Path=/; Max-Age=0",  # deletion
    "sessionid=deleted; expires=Thu, 01 Jan 1970 00:00:00 GMT",
])
def test_hard_negatives_stay_silent(set_cookie):
    assert flow_findings("DH005", [with_cookie(set_cookie)]) == []


@pytest.mark.parametrize("set_cookie", [
    "acw_tc=0bc1a3f217640000001234567e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d;path=/;HttpOnly;Max-Age=1800",
    "SERVERID=3e1b2c4d5f6a7b8c9d0e1f2a3b4c5d6e|1764000000|1764000000;Path=/",
    "cna=AbCdEfGhIjKlMnOpQrStUvWx1234; Domain=.shop.example.com; Path=/; Secure",
    # A visitor-id record (key=value pairs with its timestamps and signature), not an opaque id.
    "B=i=0cW9yN2xkOTh4&r=Zb3Q9&t=1364000000&v=2&s=a8F3kQ9zX7wP2mN5; Path=/; Secure",
    # A random value kept for two years identifies the browser, not a login.
    "vid=Qm9vbGVhbkZhbHNlVHJ1ZU5vbmVabzE3Yk; Path=/; Secure; Max-Age=63072000",
])
def test_firewall_load_balancer_and_analytics_ids_are_not_sessions(set_cookie):
    assert flow_findings("DH005", [with_cookie(set_cookie)]) == []


@pytest.mark.parametrize("set_cookie", [
    "BDUSS=Zk1XNjRzTmFsV0x5~eVpDQzN0Wm5HMkw4; path=/; domain=.shop.example.com",
    "SESSDATA=3b7e1a2c%2C1779552000%2C8f2e1*b1; Path=/",
    "skey=@Ab3dE5fGh; Path=/",
])
def test_well_known_login_cookies_and_rfc6265_values_are_judged(set_cookie):
    [finding] = flow_findings("DH005", [with_cookie(set_cookie)])
    assert "HttpOnly" in finding.evidence.details["missing"]


def set_cookie(*cookies, url="https://www.demoshop.com/login"):
    return make_flow("POST", url, response_headers=[("Set-Cookie", c) for c in cookies])


def test_session_without_secure():
    assert len(flow_findings("DH005", set_cookie("SESSIONID=9f86d081884c7d659a2feaa0c55ad015; Path=/; HttpOnly"))) == 1


def test_session_without_httponly():
    assert len(flow_findings("DH005", set_cookie("sid=s%3AjW7Kf2pQ9xL1mN4b.Xy3kP0qR8sT2uV5wZ; Path=/; Secure; SameSite=Lax"))) == 1


def test_long_random_value_unnamed():
    assert flow_findings("DH005", set_cookie("_m_h5_tk=a3f8c2e1d4b7960f5e2a1c3b8d7f6e09_1732512345678; Path=/; Domain=.demoshop.com"))


def test_fully_flagged_session_is_fine():
    assert not flow_findings("DH005", set_cookie("JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E; Path=/; Secure; HttpOnly; SameSite=Lax"))


def test_deleted_session_cookie_is_fine():
    assert not flow_findings("DH005", set_cookie("SESSIONID=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0",
                                                 "token=; Max-Age=0; Path=/"))


def test_csrf_cookie_without_httponly_is_fine():
    assert not flow_findings("DH005", set_cookie("csrftoken=Kq2Ne9ZLx7bR4tP1sV8wY3mC6fH0jD5g; Path=/; Secure; SameSite=Lax",
                                                 "XSRF-TOKEN=eyJpdiI6IkxRS2g3; Path=/; Secure"))


def test_preference_cookies_are_fine():
    assert not flow_findings("DH005", set_cookie("lang=zh-CN; Path=/", "theme=dark; Path=/; Max-Age=31536000"))


def test_once_per_cookie_name_and_host():
    flows = [set_cookie(f"SESSIONID=9f86d081884c7d659a2feaa0c55ad01{i}; Path=/; HttpOnly") for i in range(3)]
    assert len(flow_findings("DH005", flows)) == 1


def test_two_session_cookies_in_one_response():
    found = flow_findings("DH005", set_cookie("SESSIONID=9f86d081884c7d659a2feaa0c55ad015; Path=/",
                                    "remember_token=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg; Path=/; Max-Age=2592000"))
    assert len(found) == 2


def test_http_session_cookie_without_httponly():
    assert flow_findings("DH005", set_cookie("JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E; Path=/", url="http://www.demoshop.cn/login"))


def test_lowercase_attributes_count():
    assert not flow_findings("DH005", set_cookie("sessionid=9f86d081884c7d659a2feaa0c55ad015; path=/; secure; httponly; samesite=lax"))


def test_expires_in_past_is_deletion():
    assert not flow_findings("DH005", set_cookie("SESSIONID=; Path=/; Expires=Thu, 01-Jan-1970 00:00:01 GMT"))


def test_taobao_style_cookie2():
    assert flow_findings("DH005", set_cookie("cookie2=1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d; Path=/; Domain=.demoshop.com; HttpOnly"))


def test_analytics_timestamp_cookie():
    assert not flow_findings("DH005", set_cookie("Hm_lvt_7a3960b6f067eb0085b7f96ff5e660b0=1732512345,1732598765; Path=/; Expires=Wed, 25 Nov 2025 10:00:00 GMT"))

"""DH003 weak-transport: legacy TLS on either side, and active mixed content."""
import pytest

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import flow_findings, make_flow, page_flow

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


@pytest.mark.parametrize("case", flow_cases("dh003"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH003")


def dh003(*flows):
    return flow_findings("DH003", flows)


PROMO = "https://m.shop.example.com/promo"


def test_legacy_tls_on_server_side_fires_once_per_host():
    flows = [make_flow("GET", f"https://legacy.shop.example.com/{i}", tls_version="TLSv1.3", server_tls_version="TLSv1")
             for i in range(3)]
    findings = dh003(*flows)
    assert [(f.evidence.details["side"], f.evidence.details["tls_version"], f.location.flow) for f in findings] == \
        [("server", "TLSv1", 0)]


def test_legacy_tls_on_client_side_fires():
    [finding] = dh003(make_flow("GET", "https://api.shop.example.com/", tls_version="TLSv1.1", server_tls_version="TLSv1.3"))
    assert finding.evidence.details["side"] == "client"


def test_modern_tls_is_silent():
    assert dh003(make_flow("GET", "https://api.shop.example.com/", tls_version="TLSv1.2", server_tls_version="TLSv1.3")) == []


def test_https_page_loading_script_and_posting_form_over_http():
    html = """<!DOCTYPE html><html><body>
<script src="http://cdn.tracker.example.net/t.js"></script>
<form id="login" action="http://login.shop.example.com/submit" method="post"><input name="p" type="password"></form>
</body></html>"""
    findings = dh003(page_flow(PROMO, html))
    got = sorted((f.evidence.details["element"], f.location.selector) for f in findings)
    assert got == [("form", "#login"), ("script", "html > body > script")]
    assert all(f.location.part == "response.body" and f.location.line for f in findings)


def test_mixed_content_negatives():
    html = """<html><body>
<a href="http://other.example.com/">plain links are navigation, not content</a>
<img src="http://img.example.com/a.png">
<script src="//cdn.shop.example.com/app.js"></script>
<script src="/static/app.js"></script>
<link rel="canonical" href="http://m.shop.example.com/promo">
<form action="/search"></form>
</body></html>"""
    assert dh003(page_flow(PROMO, html)) == []
    # The same page over plain HTTP is DH001's business, not mixed content.
    assert dh003(page_flow("http://m.shop.example.com/", '<script src="http://x.example.com/a.js"></script>')) == []


def test_client_tls10():
    found = flow_findings("DH003", make_flow("GET", "https://legacy.demoshop.com/api", tls_version="TLSv1", server_tls_version="TLSv1.2"))
    assert len(found) == 1


def test_server_tls11_client_tls13():
    found = flow_findings("DH003", make_flow("GET", "https://old-gw.demoshop.com/api", tls_version="TLSv1.3", server_tls_version="TLSv1.1"))
    assert len(found) == 1


def test_tls12_and_tls13_are_fine():
    assert not flow_findings("DH003", [make_flow("GET", "https://a.demoshop.com/", tls_version="TLSv1.2"),
                             make_flow("GET", "https://b.demoshop.com/", tls_version="TLSv1.3", server_tls_version="TLSv1.2")])


def test_once_per_host_and_side():
    # TLS 1.0 on both sides of five flows to one host: one finding per side
    flows = [make_flow("GET", f"https://legacy.demoshop.com/api/{i}", tls_version="TLSv1") for i in range(5)]
    assert len(flow_findings("DH003", flows)) == 2


def test_https_page_loading_script_over_http():
    html = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>限时秒杀</title>
    <link rel="stylesheet" href="https://cdn.demoshop-cdn.net/css/app.3f2a9c.css">
    <script src="http://cdn.demoshop-cdn.net/js/vendor.8b1e.js"></script></head>
    <body><div id="app"></div></body></html>"""
    assert len(flow_findings("DH003", page_flow("https://m.demoshop.com/promo/1111", html))) == 1


def test_https_page_posting_form_over_http():
    html = """<html><body><div class="container"><form class="form-signin" method="post" action="http://passport.demoshop.com/login">
    <input type="text" class="form-control" name="username" placeholder="手机号/邮箱">
    <input type="password" class="form-control" name="password"><button class="btn btn-primary btn-block" type="submit">登录</button>
    </form></div></body></html>"""
    assert len(flow_findings("DH003", page_flow("https://www.demoshop.com/login", html))) == 1


def test_links_and_protocol_relative_are_not_mixed_content():
    html = """<html><head><script src="//cdn.demoshop-cdn.net/js/app.js"></script>
    <script src="/static/js/chunk-vendors.js"></script></head>
    <body><a href="http://www.beian.gov.cn/portal/registerSystemInfo">京公网安备 11010502030143号</a>
    <a href="http://beian.miit.gov.cn/">京ICP备12345678号-1</a></body></html>"""
    assert not flow_findings("DH003", page_flow("https://www.demoshop.com/", html))


def test_http_page_with_http_script_is_not_dh003():
    html = '<html><head><script src="http://cdn.demoshop-cdn.net/js/app.js"></script></head><body></body></html>'
    assert not flow_findings("DH003", page_flow("http://www.demoshop.com/", html))


@pytest.mark.parametrize("markup", [
    '<iframe src="http://ad.example-union.cn/show?id=1" width="320" height="50"></iframe>',
    '<link rel="stylesheet" href="http://cdn.demoshop-cdn.net/css/app.css">',
    '<script type="text/javascript" charset="utf-8" src="http://res.example-sdk.cn/open/js/sdk-1.6.0.js"></script>',
])
def test_active_mixed_content(markup):
    html = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="app" data-v-app="">{markup}</div></body></html>'
    assert len(flow_findings("DH003", page_flow("https://m.demoshop.com/activity/618", html))) == 1


def test_hint_links_are_not_mixed_content():
    html = """<html><head><link rel="dns-prefetch" href="http://img.demoshop-cdn.net">
    <link rel="preconnect" href="http://api.demoshop.com"><link rel="canonical" href="http://www.demoshop.com/item/1">
    <meta property="og:url" content="http://www.demoshop.com/item/1"><meta property="og:image" content="http://img.demoshop-cdn.net/1.jpg">
    </head><body><form action="/search" method="get"><input name="q"></form></body></html>"""
    assert not flow_findings("DH003", page_flow("https://www.demoshop.com/item/1", html))


def test_wss_with_tls10():
    flow = make_flow("GET", "https://push.demoshop.com/ws", status=101, tls_version="TLSv1", server_tls_version="TLSv1.3",
                     headers={"Upgrade": "websocket"})
    assert len(flow_findings("DH003", flow)) == 1


def test_sslv3():
    assert flow_findings("DH003", make_flow("GET", "https://legacy.demoshop.com/", tls_version="TLSv1.3", server_tls_version="SSLv3"))


def test_plain_http_is_not_weak_tls():
    assert not flow_findings("DH003", make_flow("GET", "http://api.demoshop.cn/v1/config"))


def test_button_formaction_over_http():
    html = ('<html><body><form action="/login" method="post"><input name="username"><input type="password" name="password">'
            '<button type="submit" formaction="http://passport.demoshop.com/login">登录</button></form></body></html>')
    assert len(flow_findings("DH003", page_flow("https://www.demoshop.com/login", html))) == 1

"""UI004 auto-redirect: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest
from appaudit.scanner.model import Status

from tests.fixtures.pages.cases import FIXTURES, cases, check_case, page_status
from tests.helpers import assert_at, flow_findings, make_flow, one, page_findings, run_page, silent, zh

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

CASES = cases("ui004")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI004")


def redirects(source, url="https://www.example.com/"):
    return [(f.location.selector, f.evidence.details["kind"], f.evidence.details["trigger"])
            for f in page_findings("UI004", source, url=url)]


@pytest.mark.parametrize("content", ["0; url=https://other.example.org/", "5;URL='https://other.example.org/'",
                                     "3,url=https://other.example.org/", "1; https://other.example.org/"])
def test_meta_refresh_forms(content):
    source = f'<head><meta http-equiv="refresh" content="{content}"></head>'
    assert redirects(source) == [("html > head > meta", "other_site", "meta refresh")]


def test_a_refresh_without_a_url_reloads_the_same_page():
    assert redirects('<head><meta http-equiv="refresh" content="30"></head>') == []


def test_each_destination_of_one_script_is_its_own_finding():
    source = """<script>location.href = 'https://a.example.org/';
      window.open('https://b.example.net/x?t=' + Date.now());</script>"""
    found = page_findings("UI004", source, url="https://www.example.com/")
    assert sorted(f.evidence.details["destination"] for f in found) == \
        ["https://a.example.org/", "https://b.example.net/x?t="]
    assert len({f.fingerprint for f in found}) == 2


def test_navigation_in_a_load_handler_or_a_timer_counts_but_not_on_a_click():
    assert redirects("<script>$(function(){ location.replace('weixin://dl/x'); });</script>", url=None) == \
        [("html > head > script", "deep_link", "page load")]
    assert redirects("<button onclick=\"location.href='weixin://dl/x'\">Open</button>", url=None) == []


def test_an_app_frame_opens_the_app_but_a_web_frame_does_not():
    assert redirects('<iframe src="https://www.youtube.com/embed/x"></iframe>') == []
    assert redirects('<iframe src="alipays://platformapi/startapp?appId=1"></iframe>', url=None) == \
        [("html > body > iframe", "deep_link", "frame source")]


def test_uiautomator_dumps_have_nothing_to_judge():
    assert page_findings("UI004", '<hierarchy><node bounds="[0,0][10,10]"/></hierarchy>', kind="uiautomator") == []


def test_the_declaration():
    from appaudit.checks.ui004_auto_redirect import AutoRedirect
    assert (AutoRedirect.id, AutoRedirect.severity.label) == ("UI004", "medium")


def test_pages_in_flows_are_judged_against_the_flow_url():
    from tests.helpers import flow_findings, make_flow
    body = '<html><head><meta http-equiv="refresh" content="0;url=https://m.example-shop.cn/home"></head></html>'
    same = make_flow(url="https://www.example-shop.cn/login", response_headers={"content-type": "text/html"},
                     response_body=body)
    other = make_flow(url="https://www.other-site.cn/", response_headers={"content-type": "text/html; charset=utf-8"},
                      response_body=body)
    found = flow_findings("UI004", [same, other])
    assert [(f.location.flow, f.location.url, f.location.selector) for f in found] == \
        [(1, "https://www.other-site.cn/", "html > head > meta")]


def test_an_unjudgeable_redirect_makes_the_page_not_applicable_not_passed():
    refresh = '<head><meta http-equiv="refresh" content="0; url=https://www.example.org/"></head>'
    assert page_status("UI004", refresh, None) == "not_applicable"
    assert page_status("UI004", refresh, "https://www.example.org/start") == "pass"
    assert page_status("UI004", "<p>plain</p>", None) == "not_applicable"
    assert page_status("UI004", "<p>plain</p>", "https://www.example.org/") == "pass"


def test_an_app_screen_is_not_applicable():
    # A dump carries no script, meta refresh or timer: UI004 has no app-screen reading,
    # so it says it could not judge (it used to pass such dumps without looking).
    dump = (FIXTURES / "ui001" / "pos-splash-whole-clickable.xml").read_text(encoding="utf-8")
    assert page_status("UI004", dump, None, kind="uiautomator") == "not_applicable"
    assert page_status("UI001", dump, None, kind="uiautomator") == "fail"  # judged: UI001 reads app screens


def test_ui004_load_handler_with_timer_to_taobao_short_link():
    html = zh("""
<div class="coupon"><h1>领取淘宝内部优惠券</h1><p>3秒后自动跳转……</p></div>
<script>
window.onload = function () {
  setTimeout(function () {
    location.replace("https://m.tb.cn/h.5Qx1abc?sm=ad");
  }, 3000);
};
</script>
""")
    run = run_page("UI004", html, url="https://m.example-coupon.cn/q/88")
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_body_onload_opens_jd_app_without_origin():
    html = zh("<p>正在打开京东App……</p>").replace(
        "<body>", """<body onload="window.location.href='openapp.jdmobile://virtual?params=%7B%22category%22%3A%22jump%22%2C%22des%22%3A%22productDetail%22%2C%22skuId%22%3A%22100012043978%22%7D'">""")
    run = run_page("UI004", html)
    assert_at(run.page, one(run, "UI004"), css="body")


def test_ui004_jquery_ready_redirect():
    html = zh("""
<script src="https://cdn.bootcdn.net/ajax/libs/jquery/3.6.0/jquery.min.js"></script>
<script>
$(function () {
  window.location.href = "https://www.other-mall.com/landing?channel=bd";
});
</script>
""")
    run = run_page("UI004", html, url="https://www.example-blog.cn/")
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_same_site_meta_refresh_after_login_is_silent():
    html = zh("<p>登录成功，3秒后跳转到个人中心……</p>",
              head='<meta http-equiv="refresh" content="3;url=https://www.example.com.cn/user/center">')
    run = run_page("UI004", html, url="https://passport.example.com.cn/login?redirect=%2Fuser%2Fcenter")
    silent(run)
    assert run.status("UI004") is Status.PASS


def test_ui004_refresh_to_web_address_without_origin_is_not_applicable():
    html = zh("<p>跳转中</p>", head='<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">')
    run = run_page("UI004", html)
    silent(run)
    assert run.status("UI004") is Status.NOT_APPLICABLE


def test_ui004_html_in_json_response_is_not_a_page():
    flow = make_flow("GET", "https://api.example-shop.cn/v1/cms/block?id=9", response_json={
        "code": 0, "data": {"html": '<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">'}})
    assert not flow_findings("UI004", [flow])


@pytest.mark.parametrize("content", [
    "0; URL='https://www.example-casino.com/'",
    "0;URL=\"https://www.example-casino.com/\"",
    "5; https://www.example-casino.com/",
    "0.5;url=https://www.example-casino.com/",
])
def test_ui004_meta_refresh_syntax_variants(content):
    html = zh("<p>正在跳转……</p>", head=f"<meta http-equiv=\"refresh\" content='{content}'>" if '"' in content
              else f'<meta http-equiv="refresh" content="{content}">')
    run = run_page("UI004", html, url="https://www.example-edu.cn/")
    assert len(run.of("UI004")) == 1, run.describe()


@pytest.mark.parametrize("script", [
    "window.location = 'https://www.other-mall.com/';",
    "document.location.href = \"https://www.other-mall.com/\";",
    "window.location.replace('https://www.other-mall.com/');",
    "setTimeout(\"location.href='https://www.other-mall.com/'\", 2000);",
    "var target = 'https://www.other-mall.com/landing';\nwindow.location.href = target;",
    "if (/MicroMessenger/i.test(navigator.userAgent)) {\n  document.body.className = 'wx';\n} else {\n  location.href = 'https://www.other-mall.com/';\n}",
    "document.addEventListener('DOMContentLoaded', function () { window.open('https://www.other-mall.com/', '_self'); });",
])
def test_ui004_script_redirect_variants(script):
    html = zh(f"<p>加载中</p>\n<script>\n{script}\n</script>")
    run = run_page("UI004", html, url="https://www.example-blog.cn/")
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_deep_link_at_top_level_without_origin():
    html = zh("<p>正在打开微信……</p>\n<script>\nlocation.href = 'weixin://dl/business/?t=AbCdEf123';\n</script>")
    run = run_page("UI004", html)
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_link_clicked_by_script_on_load():
    html = zh("""
<a id="jump" href="https://www.other-mall.com/landing?ch=3" style="display:none">跳转</a>
<script>window.addEventListener('load', function () { document.getElementById('jump').click(); });</script>""")
    run = run_page("UI004", html, url="https://www.example-blog.cn/")
    assert len(run.of("UI004")) == 1, run.describe()



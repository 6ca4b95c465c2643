"""UI004 auto-redirect: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import FIXTURES, cases, check_case, page_status
from tests.helpers import page_findings

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

"""UI005 shake-to-redirect: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import page_findings

CASES = cases("ui005")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI005")


def shake_details(body: str):
    found = page_findings("UI005", f"<script>{body}</script>", url="https://www.example.com/")
    return [f.evidence.details for f in found]


def test_thresholds_are_compared_with_the_standard():
    low, = shake_details("window.addEventListener('devicemotion', function (e) {"
                         " if (Math.abs(e.accelerationIncludingGravity.x) > 12) location.href = 'taobao://x'; });")
    assert low["below_standard"] is True and low["thresholds"][0]["quantity"] == "acceleration"
    high, = shake_details("window.addEventListener('deviceorientation', function (e) {"
                          " if (e.gamma < -40) location.href = 'taobao://x'; });")
    assert high["below_standard"] is False and high["thresholds"][0]["value"] == 40.0
    unknown, = shake_details("var THRESHOLD = 3000; window.addEventListener('devicemotion', function (e) {"
                             " var speed = delta(e); if (speed > THRESHOLD) location.href = 'taobao://x'; });")
    assert unknown["below_standard"] is None and unknown["thresholds"][0]["quantity"] == "unknown"


def test_navigation_to_a_computed_url_still_counts():
    details, = shake_details("window.ondevicemotion = function (e) { if (e.acceleration.y > 20) location.href = next(); };")
    assert details["destination"] == "computed at run time"


def test_motion_that_only_moves_within_the_page_is_not_navigation():
    assert shake_details("window.addEventListener('devicemotion', function () { location.href = '#top'; });") == []
    assert shake_details("window.addEventListener('devicemotion', function () { location.reload(); });") == []


def test_a_click_that_navigates_is_not_a_shake():
    assert shake_details("document.body.addEventListener('click', function () { location.href = 'taobao://x'; });") == []


def test_a_dump_prompt_needs_an_ad_or_a_jump():
    def dump(text: str, clickable: str = "false") -> str:
        return (f'<hierarchy><node bounds="[0,0][1080,2340]"><node resource-id="com.x:id/card" clickable="{clickable}" '
                f'bounds="[0,0][1080,2000]"><node text="{text}" bounds="[100,1800][900,1900]"/></node></node></hierarchy>')
    assert page_findings("UI005", dump("摇一摇 跳转详情页"), kind="uiautomator")
    assert page_findings("UI005", dump("Shake your phone to learn more"), kind="uiautomator")
    assert page_findings("UI005", dump("摇一摇"), kind="uiautomator") == []
    assert page_findings("UI005", dump("摇一摇 广告"), kind="uiautomator") == []   # not clickable: no ad area
    assert page_findings("UI005", dump("摇一摇 广告", clickable="true"), kind="uiautomator")


def test_the_declaration():
    from appaudit.checks.ui005_shake_to_redirect import ShakeToRedirect
    assert (ShakeToRedirect.id, ShakeToRedirect.severity.label) == ("UI005", "medium")
    assert "T/TAF 078.7-2022" in ShakeToRedirect.regulations

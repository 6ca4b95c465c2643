"""UI002 fake-close-button: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import page_findings

CASES = cases("ui002")

# A pop-up drawn over the page: fixed, stacked above it, covering most of the screen.
COVERING = "position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI002")


def selectors(source, url="https://www.example.com/", **kwargs):
    return [f.location.selector for f in page_findings("UI002", source, url=url, **kwargs)]


def test_a_close_control_that_is_itself_a_link_away():
    assert selectors('<div class="modal"><p>Hi</p><a id="c" href="https://ads.example.net/">关闭</a></div>') == ["#c"]


def test_cancelling_the_link_makes_it_a_real_close():
    for cancel in ("event.preventDefault()", "return false", "event.returnValue = false"):
        source = f'<a href="https://ads.example.net/"><img src="/a.png"><span onclick="{cancel}">×</span></a>'
        assert selectors(source) == [], cancel


def test_stopping_propagation_alone_still_follows_the_link():
    # In a browser stopPropagation keeps the click from other handlers, not from the
    # enclosing link: the tap still opens the ad.
    source = ('<a href="https://ads.example.net/"><img src="/a.png">'
              '<span id="x" onclick="event.stopPropagation(); hide()">×</span></a>')
    assert selectors(source) == ["#x"]


def test_a_stop_on_an_ancestor_inside_the_link_also_stops_it():
    source = """<a href="https://ads.example.net/"><img src="/a.png">
      <span onclick="event.preventDefault()"><i id="x" class="icon-close"></i></span></a>"""
    assert selectors(source) == []


def test_close_controls_that_stay_on_the_page_or_site_are_real():
    for href in ("#", "javascript:void(0)", "/home", "https://m.example.com/"):
        assert selectors(f'<div class="popup"><p>Hi</p><a href="{href}" class="close">×</a></div>') == [], href


def test_a_lone_x_needs_a_popup_or_an_ad_around_it():
    assert selectors('<footer><a href="https://x.com/acme">X</a></footer>') == []
    assert selectors('<footer><a href="https://ads.example.net/">X</a></footer>') == []
    popup = f'<div class="popup" style="{COVERING}"><p>Hi</p><a id="x" href="https://ads.example.net/">X</a></div>'
    assert selectors(popup) == ["#x"]
    assert selectors('<a href="https://ads.example.net/"><img src="/a.png"><b id="x">X</b></a>') == ["#x"]


def test_a_hidden_close_control_that_is_never_shown_is_ignored():
    source = '<a href="https://ads.example.net/"><img src="/a.png"><span style="display:none">×</span></a>'
    assert selectors(source) == []


def test_a_dump_close_node_that_handles_its_own_tap_is_not_fake():
    source = """<hierarchy rotation="0"><node bounds="[0,0][1080,2340]" clickable="false">
      <node resource-id="com.x:id/ad_root" clickable="true" bounds="[0,0][1080,2000]">
        <node text="广告" clickable="false" bounds="[0,1900][100,1950]"/>
        <node resource-id="com.x:id/iv_close" clickable="true" bounds="[960,40][1060,140]"/>
      </node></node></hierarchy>"""
    assert selectors(source, url=None, kind="uiautomator") == []
    assert selectors(source.replace('id/iv_close" clickable="true"', 'id/iv_close" clickable="false"'),
                     url=None, kind="uiautomator") == ["hierarchy > node > node > node:nth-of-type(2)"]


def test_the_declaration():
    from appaudit.checks.ui002_fake_close_button import FakeCloseButton
    assert (FakeCloseButton.id, FakeCloseButton.severity.label) == ("UI002", "high")

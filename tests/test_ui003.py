"""UI003 obstructed-close: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import page_findings

CASES = cases("ui003")

# A pop-up drawn over the page: fixed, stacked above it, covering most of the screen.
COVERING = "position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI003")


def problems(source, url="https://www.example.com/", **kwargs):
    return [(f.location.selector, f.evidence.details["problem"]) for f in page_findings("UI003", source, url=url, **kwargs)]


def popup(inner: str, style: str = "") -> str:
    return f'<style>{style}</style><div class="popup" id="p" style="{COVERING}"><p>Limited offer</p>{inner}</div>'


def test_an_adequate_close_control_is_fine():
    assert problems(popup('<button id="c" class="close" style="width:32px;height:32px">×</button>')) == []


def test_size_is_judged_only_when_the_css_states_it():
    assert problems(popup('<button id="c" class="close">×</button>')) == []
    assert problems(popup('<button id="c" class="close" style="width:20px;height:30px">×</button>')) == [("#c", "tiny")]
    assert problems(popup('<a id="c" class="close"><img src="/x.png" width="16" height="16"></a>')) == [("#c", "tiny")]
    assert problems(popup('<span id="c" style="font-size:12px">关闭</span>')) == [("#c", "tiny")]
    assert problems(popup('<span id="c" style="font-size:12px;padding:8px">关闭</span>')) == []


def test_one_good_close_control_is_enough():
    source = popup('<span id="tiny" style="width:8px;height:8px">×</span><button>我知道了</button>')
    assert problems(source) == []


def test_invisible_close_controls():
    assert problems(popup('<button id="c" class="close" style="opacity:.1">×</button>')) == [("#c", "invisible")]
    assert problems(popup('<span id="c" style="font-size:6px;padding:10px">close</span>')) == [("#c", "invisible")]
    white = f'<div class="popup" style="background:#fff;{COVERING}"><p>Hi</p><span id="c" style="color:#fafafa">关闭</span></div>'
    assert problems(white) == [("#c", "invisible")]


def test_contrast_is_not_judged_over_pictures():
    source = """<div class="popup" style="background:#fff"><img src="/ad.jpg">
      <span id="c" style="position:absolute;top:0;right:0;color:#fff">×</span></div>"""
    assert problems(source) == []


def test_a_close_control_revealed_by_a_timer_is_delayed():
    source = popup('<button id="c" class="close hidden">×</button>', ".hidden{display:none}") + \
        "<script>setTimeout(function(){ document.getElementById('c').classList.remove('hidden') }, 4000)</script>"
    found = page_findings("UI003", source, url="https://www.example.com/")
    assert [(f.location.selector, f.evidence.details["problem"], f.evidence.details["delay_ms"]) for f in found] == \
        [("#c", "delayed", 4000)]


def test_a_close_control_revealed_only_on_a_click_is_hidden():
    source = popup('<button id="c" class="close" style="display:none">×</button><button id="more">More</button>') + \
        "<script>document.getElementById('more').onclick = function(){ $('#c').show() }</script>"
    assert problems(source) == [("#c", "hidden")]


def test_a_popup_revealed_after_a_delay_keeps_its_own_close_control():
    source = """<div class="popup" id="p" style="display:none"><p>Hi</p><button class="close">×</button></div>
      <script>setTimeout(function(){ document.getElementById('p').style.display = 'block' }, 2000)</script>"""
    assert problems(source) == []


def test_dump_sizes_use_the_given_density_or_an_estimate_that_never_makes_them_smaller():
    source = """<hierarchy rotation="0"><node bounds="[0,0][1080,2340]" clickable="false">
      <node resource-id="com.x:id/splash_ad" clickable="true" bounds="[0,0][1080,2100]"/>
      <node text="跳过" clickable="true" bounds="[900,80][1040,210]"/></node></hierarchy>"""
    # 140x130 px: 53x49 dp if the 1080 px screen is 411 dp wide (estimated), 47x43 dp at 480 dpi
    assert page_findings("UI003", source, kind="uiautomator") == []
    found = page_findings("UI003", source, kind="uiautomator", dpi=480)
    assert [(f.evidence.details["problem"], f.evidence.details["density_estimated"]) for f in found] == [("tiny", False)]
    smaller = source.replace("[900,80][1040,210]", "[960,80][1040,160]")
    found = page_findings("UI003", smaller, kind="uiautomator")
    assert found[0].evidence.details["density_estimated"] is True
    assert "estimated" in found[0].evidence.details["density"]


def test_the_declaration():
    from appaudit.checks.ui003_obstructed_close import ObstructedClose
    assert (ObstructedClose.id, ObstructedClose.severity.label) == ("UI003", "medium")
    assert "WCAG 2.2 SC 2.5.8" in ObstructedClose.regulations

"""UI008 link-blocking: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import page_findings

CASES = cases("ui008")



@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI008")


def test_an_interstitial_needs_no_known_origin():
    page = "<h1 id='t'>已停止访问该网页</h1><p>如需浏览，请复制链接到浏览器打开。</p>"
    [finding] = page_findings("UI008", page)
    assert finding.location.selector == "#t"
    assert finding.evidence.details["kind"] == "interstitial"


def test_pointer_events_restored_on_the_link_keeps_it_alive():
    page = ('<div style="pointer-events: none"><a id="x" style="pointer-events: auto" '
            'href="https://www.example-other.com/">other</a></div>')
    assert page_findings("UI008", page, url="https://www.example.com/post") == []


def test_a_dead_link_names_what_disables_it():
    page = '<a id="x" href="https://www.example-other.com/" onclick="event.preventDefault()">other</a>'
    [finding] = page_findings("UI008", page, url="https://www.example.com/post")
    assert finding.evidence.details["disabled_by"] == "preventDefault in a click handler"
    assert finding.evidence.details["destination"] == "https://www.example-other.com/"


@pytest.mark.parametrize("callback, dead", [
    ("event_callback: function () { document.location = url; }", False),  # Google's outbound-link tracking
    ("event_callback: function () { console.log(url); }", True),
])
def test_a_cancelled_link_opened_from_a_callback_of_the_called_function_is_alive(callback, dead):
    page = ('<a id="x" href="https://www.example-other.com/" onclick="track(this.href); return false;">other</a>'
            f"<script>function track(url) {{ gtag('event', 'click', {{ {callback} }}); }}</script>")
    assert bool(page_findings("UI008", page, url="https://www.example.com/post")) is dead


def test_a_handler_that_hands_the_address_to_other_code_does_not_block_the_link():
    switcher = ('<p>Article</p><a id="l" href="https://bn-in.social.example/" onclick=\'require("IntlUtils").'
                'setCookieLocale("bn_IN", "https:\\/\\/bn-in.social.example\\/"); return false;\'>বাংলা</a>')
    assert page_findings("UI008", switcher, url="https://phish.example.top/") == []
    dead = '<p>Article</p><a id="l" href="https://other.example.org/" onclick="return false;">Other</a>'
    assert [f.location.selector for f in page_findings("UI008", dead, url="https://www.example.com/")] == ["#l"]

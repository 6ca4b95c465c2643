"""UI006 preselected-consent: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import page_findings

CASES = cases("ui006")



@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI006")


def findings(source: str, url: str = "https://www.example.com/signup"):
    return page_findings("UI006", source, url=url)


@pytest.mark.parametrize("label, fires", [
    ("Yes, send me offers and newsletters", True),
    ("No, do not send me offers", False),
])
def test_a_preselected_radio_button_counts_only_when_it_opts_in(label, fires):
    page = f'<form><label><input type="radio" name="offers" checked> {label}</label><button>Sign up</button></form>'
    assert bool(findings(page)) is fires


def test_by_continuing_is_implied_consent_when_no_continue_button_explains_it():
    page = ('<div class="cookie-notice" style="position: fixed; bottom: 0">'
            '<p id="notice">By continuing, you agree to our use of cookies.</p><button>OK</button></div>')
    [finding] = findings(page)
    assert finding.location.selector == "#notice"
    assert finding.evidence.details["problem"] == ["implied"]


def test_a_settings_page_shows_state_but_a_cookie_dialog_on_it_still_asks():
    toggle = '<label><input type="checkbox" checked> {}</label>'
    settings_page = ("<html><head><title>Privacy settings</title></head><body><h1>Privacy settings</h1>"
                     + toggle.format("Personalised ads") + "</body></html>")
    assert findings(settings_page) == []
    with_dialog = settings_page.replace(
        "</body>", '<div id="cmp" role="dialog"><p>Cookies</p>'
                   '<input type="checkbox" id="ads" checked><label for="ads">Advertising cookies</label>'
                   "<button>Accept</button><button>Reject</button></div></body>")
    assert [f.location.selector for f in findings(with_dialog)] == ["#ads"]


def test_a_prechecked_bundled_box_is_one_finding_naming_both_problems():
    page = ('<form><input type="checkbox" id="all" checked><label for="all">I agree to the Terms of Service and '
            'to receive marketing emails</label></form>')
    [finding] = findings(page)
    assert finding.evidence.details["problem"] == ["pre-checked", "bundled"]
    assert finding.evidence.details["bundled"] == ["marketing"]


def test_the_label_beside_a_checkbox_stops_at_the_next_checkbox():
    page = ('<form><p><input type="checkbox" id="a" checked> Email me my receipt '
            '<input type="checkbox" id="b"> Personalised recommendations</p></form>')
    assert findings(page) == []

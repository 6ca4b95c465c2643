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


def test_priced_lines_of_a_list_are_items_but_a_lone_priced_option_is_judged():
    lines = "".join(f'<li><input type="checkbox" name="sku" checked><span>{title}</span><span>¥{price}</span></li>'
                    for title, price in (("营销管理（第16版）", "89.0"), ("防窥膜 隐私保护钢化膜", "19.9")))
    assert findings(f'<ul class="cart">{lines}</ul>') == []
    renewal = '<label><input type="checkbox" id="renew" checked> 连续包月自动续费 ¥15/月</label>'
    assert [f.location.selector for f in findings(f'<ul class="cart">{lines}</ul>{renewal}')] == ["#renew"]


@pytest.mark.parametrize("checked, fires", [("on", True), ("off", False)])
def test_a_radio_answer_is_judged_with_its_groups_question(checked, fires):
    radios = "".join(f'<label><input type="radio" name="ads" id="{value}"{" checked" if value == checked else ""}> '
                     f'{answer}</label>' for value, answer in (("on", "开启"), ("off", "关闭")))
    assert [f.location.selector for f in findings(f'<div role="dialog"><p>个性化广告：</p>{radios}</div>')] == \
        (["#on"] if fires else [])


def test_a_radio_groups_question_may_be_its_fieldsets_legend():
    legend = ('<fieldset><legend>Personalised ads</legend>'
              '<label><input type="radio" name="a" id="yes" checked> Yes</label>'
              '<label><input type="radio" name="a"> No</label></fieldset>')
    assert [f.location.selector for f in findings(legend)] == ["#yes"]


def test_a_checkbox_state_kept_in_a_ui_librarys_class_is_read():
    ant = ('<label class="ant-checkbox-wrapper ant-checkbox-wrapper-checked">'
           '<span class="ant-checkbox ant-checkbox-checked"><input type="checkbox" class="ant-checkbox-input" id="mkt">'
           '</span><span>Send me marketing emails</span></label>')
    assert [f.location.selector for f in findings(ant)] == ["#mkt"]
    assert findings(ant.replace(" ant-checkbox-checked", "").replace(" ant-checkbox-wrapper-checked", "")) == []

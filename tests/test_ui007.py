"""UI007 forced-personalisation: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from appaudit.scanner.pagemodel.consent import is_accept_label, is_decline_label
from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import page_findings

CASES = cases("ui007")



@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI007")


def dump(*buttons: tuple[str, str]) -> str:
    """A privacy dialog dump with the given (label, bounds) buttons."""
    node = ('<node text="{}" class="android.widget.{}" clickable="{}" checkable="false" checked="false" '
            'enabled="true" resource-id="" content-desc="" bounds="{}"{}>')
    rows = "".join(node.format(label, "Button", "true", bounds, " />") for label, bounds in buttons)
    return ("<hierarchy>" + node.format("", "FrameLayout", "false", "[0,0][1080,2340]", "")
            + node.format("", "LinearLayout", "false", "[90,600][990,1800]", "")
            + node.format("欢迎使用！请阅读《隐私政策》了解我们如何处理您的个人信息。", "TextView", "false",
                          "[130,640][950,1200]", " />")
            + rows + "</node></node></hierarchy>")


def test_a_decline_button_of_similar_size_in_a_dump_is_enough():
    page = dump(("同意", "[130,1500][950,1620]"), ("不同意", "[130,1640][950,1760]"))
    assert page_findings("UI007", page, kind="uiautomator") == []


def test_a_tiny_decline_target_in_a_dump_is_reported_at_the_decline():
    page = dump(("同意", "[130,1500][950,1620]"), ("不同意", "[500,1650][560,1680]"))
    [finding] = page_findings("UI007", page, kind="uiautomator")
    assert finding.location.selector == "hierarchy > node > node > node:nth-of-type(3)"
    assert finding.evidence.details["problem"] == "weak decline"


def test_a_decline_hidden_inside_the_prompt_is_reported_as_hidden():
    page = ('<div class="modal" role="dialog"><p>我们使用Cookie改善体验。</p><button>接受全部</button>'
            '<div class="more" style="display: none"><button id="reject">全部拒绝</button></div></div>')
    [finding] = page_findings("UI007", page, url="https://www.example.cn/a")
    assert finding.location.selector == "#reject"
    assert finding.evidence.details["weakness"] == ["hidden"]


def test_a_locked_strictly_necessary_option_is_not_forced_personalisation():
    page = ('<h1>Settings</h1><label><input type="checkbox" checked disabled> Strictly necessary cookies</label>'
            '<label><input type="checkbox"> Personalised ads</label>')
    assert page_findings("UI007", page, url="https://www.example.com/settings") == []


@pytest.mark.parametrize("label", ["不同意", "不同意，退出App", "拒绝并退出", "不同意，仅浏览", "No, thanks"])
def test_a_decline_may_say_what_follows_it(label):
    assert is_decline_label(label) and not is_accept_label(label)


@pytest.mark.parametrize("label", ["同意并继续", "同意，继续使用", "合并付款"])
def test_what_follows_an_accept_does_not_make_it_a_decline(label):
    assert not is_decline_label(label)


def test_an_action_accepts_by_what_it_shows_when_its_aria_label_says_neither():
    banner = ('<div class="cc-window" role="dialog" id="cc">We use cookies. <a class="cc-btn" role="button" '
              'aria-label="dismiss cookie message">Got it!</a></div>')
    [finding] = page_findings("UI007", banner, url="https://www.example.com/")
    assert finding.location.selector == "#cc"

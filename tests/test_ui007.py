"""UI007 forced-personalisation: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

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

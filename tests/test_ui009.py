"""UI009 missing-site-registration: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile, load_profile
from appaudit.scanner.yamlfile import ConfigError
from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import flow_findings, make_flow, settings_for

CASES = cases("ui009")



@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI009")


ENGLISH_HOME = "<html lang='en'><body><h1>Gear for every trail</h1><p>Tents, packs and boots.</p></body></html>"
CHINESE_HOME = ("<html lang='zh-CN'><body><h1>示例商城</h1>"
                "<p>全场包邮，新用户首单立减十元，会员积分可以抵扣现金。</p></body></html>")


def scan(source: str, url: str | None, settings: dict | None = None):
    """Findings and the check's outcome for one page, under a profile with ``settings``."""
    profile = Profile(name="test", enabled=("UI009",), settings={"UI009": settings} if settings else {})
    session = InputScan(settings_for("UI009", profile=profile), Input(path="page.html", kind="html"))
    found = session.page(Page(source=source, input="page.html", url=url))
    [outcome] = session.outcomes()
    return found, outcome


@pytest.mark.parametrize("target, expected", [("china", 0), ("all", 1)])
def test_target_all_judges_pages_not_aimed_at_china(target, expected):
    found, _ = scan(ENGLISH_HOME, "https://www.example-outdoors.com/", {"target": target})
    assert len(found) == expected


def test_target_none_makes_the_check_not_applicable():
    found, outcome = scan(CHINESE_HOME, "https://www.example.cn/", {"target": "none"})
    assert found == [] and outcome.status is Status.NOT_APPLICABLE and "UI009.target to none" in outcome.reason


def test_an_unknown_target_is_a_profile_error(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("settings:\n  UI009:\n    target: mainland\n")
    with pytest.raises(ConfigError) as caught:
        load_profile(str(path))
    assert caught.value.problems == [f"{path}:3: settings.UI009.target: 'mainland' is not one of china, all, none"]


def test_page_without_origin_is_not_applicable():
    found, outcome = scan(CHINESE_HOME, None, {})
    assert found == [] and outcome.status is Status.NOT_APPLICABLE and "origin is unknown" in outcome.reason


@pytest.mark.parametrize("path, judged", [
    ("/", True), ("", True), ("/index.php?from=ad", True), ("/default.aspx", True),
    ("/news/2024/05/1.html", False), ("/index/list", False),
])
def test_only_home_pages_in_a_capture_are_judged(path, judged):
    flow = make_flow("GET", "https://www.example.cn" + path, response_body=CHINESE_HOME,
                     response_headers={"content-type": "text/html; charset=utf-8"})
    assert len(flow_findings("UI009", [flow])) == int(judged)


def test_with_an_unknown_origin_a_zh_lang_alone_is_not_enough():
    page = "<html lang='zh-CN'><body><h1>Example Store</h1><p>Tents, packs, boots and more gear.</p></body></html>"
    assert scan(page, None)[0] == []
    assert len(scan(page, "https://www.example.com/")[0]) == 1

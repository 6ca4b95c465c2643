"""UI009 missing-site-registration: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest
from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile, load_profile
from appaudit.scanner.yamlfile import ConfigError

from tests.fixtures.appscreens import SETTINGS_DUMP
from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import en, flow_findings, html_flow, make_flow, one, run_dump, run_page, settings_for, silent, zh

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

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


def test_ui009_chinese_home_page_on_cn_without_icp():
    html = zh("""
<header><a href="/">示例商城</a></header>
<main><h1>欢迎来到示例商城</h1><p>正品保障 · 七天无理由退货</p></main>
<footer><p>© 2024 示例商城 版权所有</p><p>客服热线：400-800-8888</p></footer>
""", title="示例商城 - 首页")
    run = run_page("UI009", html, url="https://www.example-shop.cn/")
    finding = one(run, "UI009")
    assert finding.location.url == "page.html"  # a page file: the contract's location.url is its path


def test_ui009_zh_lang_home_page_on_com_without_icp():
    html = zh("<main><h1>在线工具箱</h1><p>免费的在线图片压缩工具</p></main><footer>© 2024 工具箱</footer>")
    run = run_page("UI009", html, url="https://www.example-tools.com/index.html")
    assert len(run.of("UI009")) == 1, run.describe()


def test_ui009_icp_number_present_but_hidden():
    html = zh("""
<main><h1>示例科技有限公司</h1></main>
<footer>
  <p>© 2024 示例科技</p>
  <p id="beian" style="display:none"><a href="https://beian.miit.gov.cn/" target="_blank">京ICP备12345678号-1</a></p>
</footer>
""")
    run = run_page("UI009", html, url="https://www.example-tech.cn/")
    assert len(run.of("UI009")) == 1, run.describe()


def test_ui009_icp_number_the_colour_of_the_footer():
    html = zh("""
<main><h1>示例游戏官网</h1></main>
<footer style="background:#000000;color:#888">
  <p>© 2024 示例游戏 健康游戏忠告</p>
  <p style="color:#000000;font-size:12px">沪ICP备20231234号-3</p>
</footer>
""")
    run = run_page("UI009", html, url="https://www.example-game.cn/")
    assert len(run.of("UI009")) == 1, run.describe()


def test_ui009_origin_from_saved_from_comment():
    html = zh("<main><h1>示例职业技术学院</h1><p>学院概况 · 招生就业 · 教学科研 · 校园风光 · 通知公告</p></main>"
              "<footer>地址：江苏省南京市栖霞区文苑路1号</footer>",
              pre="<!-- saved from url=(0028)https://www.example-edu.cn/ -->\n")
    assert len(run_page("UI009", html).of("UI009")) == 1


def test_ui009_home_page_in_a_flow_carries_flow_and_url():
    html = zh("<main><h1>示例资讯</h1><ul><li>国内要闻：多地出台消费提振措施</li><li>科技：国产大模型发布新版本</li></ul></main>"
              "<footer>© 2024 示例资讯 版权所有</footer>", title="示例资讯")
    flows = [make_flow("GET", "https://www.example-info.cn/static/app.js", response_body="console.log(1)",
                       response_headers={"content-type": "application/javascript"}),
             html_flow("https://www.example-info.cn/", html)]
    found = [f for f in flow_findings("UI009", flows) if f.check == "UI009"]
    assert len(found) == 1
    assert found[0].location.flow == 1 and found[0].location.url == "https://www.example-info.cn/"


def test_ui009_icp_number_in_the_footer_is_silent():
    html = zh("""
<main><h1>示例商城</h1></main>
<footer class="footer">
  <p>© 2024 北京示例科技有限公司</p>
  <p><a href="https://beian.miit.gov.cn/" target="_blank" rel="noreferrer">京ICP备12345678号-1</a>
     <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=11010802012345" target="_blank"><img src="/img/gongan.png" alt="">京公网安备 11010802012345号</a></p>
</footer>
""")
    run = run_page("UI009", html, url="https://www.example-shop.cn/")
    silent(run)
    assert run.status("UI009") is Status.PASS


def test_ui009_page_without_origin_is_not_applicable():
    run = run_page("UI009", zh("<main><h1>首页</h1></main>"))
    silent(run)
    assert run.status("UI009") is Status.NOT_APPLICABLE


def test_ui009_dump_is_not_applicable():
    run = run_dump("UI009", SETTINGS_DUMP)
    silent(run)
    assert run.status("UI009") is Status.NOT_APPLICABLE


def test_ui009_profile_target_all_and_none():
    english = en("<main><h1>Example Bakery</h1><p>Fresh bread every morning in Manchester.</p></main>")
    run = run_page("UI009", english, url="https://www.example-bakery.co.uk/",
                   profile=Profile(name="all", settings={"UI009": {"target": "all"}}))
    assert len(run.of("UI009")) == 1, run.describe()
    chinese = zh("<main><h1>示例商城</h1><p>正品保障 · 七天无理由退货 · 全场包邮</p></main><footer>© 2024 示例商城</footer>")
    silent(run_page("UI009", chinese, url="https://www.example-shop.cn/",
                    profile=Profile(name="none", settings={"UI009": {"target": "none"}})))


def test_ui009_home_page_with_query_string_is_judged():
    html = zh("<main><h1>示例装修网</h1><p>免费设计 · 免费报价 · 十年质保，十万业主的选择。</p></main><footer>© 2024 示例装修网</footer>")
    run = run_page("UI009", html, url="https://www.example-deco.cn/?from=baidu&bd_vid=1234")
    assert len(run.of("UI009")) == 1, run.describe()


@pytest.mark.parametrize("hiding", ['hidden=""', 'style="font-size:1px"', 'style="visibility:hidden"'])
def test_ui009_icp_number_unreadable_variants(hiding):
    html = zh(f"""
<main><h1>示例物流有限公司</h1><p>同城配送 · 冷链运输 · 仓储服务，全国三百个城市当日达。</p></main>
<footer><p>© 2024 示例物流</p><p id="icp" {hiding}>苏ICP备2021012345号-2</p></footer>""")
    run = run_page("UI009", html, url="https://www.example-logistics.cn/")
    assert len(run.of("UI009")) == 1, run.describe()



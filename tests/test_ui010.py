"""UI010 brand-impersonation: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest
from appaudit.checks.ui010_brand_impersonation import lookalike_reason
from appaudit.scanner.engine import InputScan
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile

from tests.fixtures.pages.cases import FIXTURE_APP, cases, check_case
from tests.helpers import (
    app_from_yaml,
    assert_at,
    en,
    flow_findings,
    html_flow,
    one,
    page_findings,
    run_page,
    settings_for,
    silent,
    zh,
)

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

CASES = cases("ui010")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI010")


PHISHING_TITLE = "<html><head><title>Demo Shop - Sign in</title></head><body><h1>Sign in</h1></body></html>"


def outcome_and_findings(source: str, url: str, *, profile_brands: list[dict] | None = None, app=None):
    profile = Profile(name="test", enabled=("UI010",), brands=profile_brands or [])
    session = InputScan(settings_for("UI010", profile=profile, app=app), Input(path="page.html", kind="html"))
    found = session.page(Page(source=source, input="page.html", url=url))
    [outcome] = session.outcomes()
    return outcome, found


def test_brands_may_come_from_the_profile():
    brands = [{"name": "Demo Shop", "domains": ("demoshop.com",), "aliases": ()}]
    _, [finding] = outcome_and_findings(PHISHING_TITLE, "https://login-center.example.top/", profile_brands=brands)
    assert finding.evidence.details["brand"] == "Demo Shop"
    assert finding.location.selector == "html > head > title"


def test_without_protected_brands_the_check_is_not_applicable():
    outcome, found = outcome_and_findings(PHISHING_TITLE, "https://login-center.example.top/")
    assert found == [] and outcome.status is Status.NOT_APPLICABLE and "brands" in outcome.reason


def test_pages_of_the_apps_own_first_party_domains_are_not_judged():
    app = app_from_yaml("first_party: [demoshop-cdn.net]\nbrands:\n  - name: Demo Shop\n    domains: [demoshop.com]\n")
    _, found = outcome_and_findings(PHISHING_TITLE, "https://static.demoshop-cdn.net/login", app=app)
    assert found == []


@pytest.mark.parametrize("host, reason", [
    ("dem0shop.com", "imitates demoshop.com"),
    ("xn--dmoshop-7gg.com", "imitates demoshop.com (it reads dеmoshop.com)"),
    ("demoshop.net", "imitates demoshop.com"),
    ("www.demoshop-sale.top", "carries the brand name “demoshop”"),
    ("demoshop.com.account-verify.top", "carries the brand name “demoshop”"),
    ("www.example-travel.com", None),
])
def test_lookalike_domains(host, reason):
    assert lookalike_reason(host, FIXTURE_APP.brands[0]) == reason


def test_on_a_lookalike_domain_a_mere_mention_is_enough():
    page = "<html><head><title>Demo Shop 周年庆 全场1折 限时抢购</title></head><body></body></html>"
    assert page_findings("UI010", page, url="https://www.example-sale.top/", app=FIXTURE_APP) == []
    [finding] = page_findings("UI010", page, url="https://www.demoshop-sale.top/", app=FIXTURE_APP)
    assert finding.evidence.details["lookalike"] == "carries the brand name “demoshop”"


def test_og_type_news_marks_an_article_and_without_it_the_headline_presents_the_brand():
    page = ('<html><head><meta property="og:type" content="{}"><title>支付宝：安全中心</title></head>'
            '<body><h1>支付宝：安全中心</h1></body></html>')
    assert page_findings("UI010", page.format("news"), url="https://www.example-portal.cn/a", app=FIXTURE_APP) == []
    [finding] = page_findings("UI010", page.format("website"), url="https://www.example-portal.cn/a", app=FIXTURE_APP)
    assert finding.evidence.details["brand"] == "Alipay"


BRANDS_APP = app_from_yaml("""
name: Demo Shop
first_party: [demoshop.com, demoshop-cdn.net]
brands:
  - name: Demo Shop
    domains: [demoshop.com]
    aliases: [DemoShop, 德模商城]
  - name: 支付宝
    domains: [alipay.com, alipayobjects.com]
    aliases: [Alipay]
  - name: 淘宝
    domains: [taobao.com, tmall.com, tb.cn]
    aliases: [淘宝网, Taobao]
""")


def test_ui010_taobao_title_on_look_alike_domain():
    html = zh("<div class='search'><input placeholder='搜索宝贝'></div>", title="淘宝网 - 淘！我喜欢")
    run = run_page("UI010", html, url="https://taobao-vip.top/", app=BRANDS_APP)
    assert_at(run.page, one(run, "UI010"), css="title")


def test_ui010_alipay_site_name_on_unrelated_domain():
    html = zh("""<form class="login" action="/api/verify" method="post">
<input name="account" placeholder="手机号/邮箱"><input type="password" name="pwd"><button>登录</button></form>""",
              title="账户安全验证", head='<meta property="og:site_name" content="支付宝">')
    run = run_page("UI010", html, url="https://secure-verify.example-net.top/login", app=BRANDS_APP)
    assert_at(run.page, one(run, "UI010"), css='meta[property="og:site_name"]')


def test_ui010_logo_alt_on_look_alike_domain():
    html = en("""<header><a href="/" class="logo"><img id="site-logo" class="logo" src="/img/logo.png" alt="Demo Shop"></a></header>
<main><h2>Clearance - up to 90% off</h2></main>""", title="Clearance")
    run = run_page("UI010", html, url="https://www.demoshop-sale.top/", app=BRANDS_APP)
    assert_at(run.page, one(run, "UI010"), css="#site-logo")


def test_ui010_official_flagship_store_headline():
    html = zh("<main><h1 id='shop-name'>德模商城官方旗舰店</h1><p>全场包邮 正品保证</p></main>", title="店铺首页")
    run = run_page("UI010", html, url="https://shop.example-store.com/s/9", app=BRANDS_APP)
    assert_at(run.page, one(run, "UI010"), css="#shop-name")


def test_ui010_punycode_homoglyph_domain():
    host = "www." + "d\u0435moshop.com".encode("idna").decode("ascii")  # Cyrillic е
    assert host.startswith("www.xn--")
    html = en("<main><h1 id='hl'>Welcome to Demo Shop</h1></main>", title="Welcome")
    run = run_page("UI010", html, url=f"https://{host}/", app=BRANDS_APP)
    assert_at(run.page, one(run, "UI010"), css="#hl")


def test_ui010_digit_look_alike_domain_sign_in():
    html = en("<main><form><input name='email'><input type='password'><button>Sign in</button></form></main>",
              title="Demo Shop – Sign in")
    run = run_page("UI010", html, url="https://account.dem0shop.com/signin", app=BRANDS_APP)
    assert len(run.of("UI010")) == 1, run.describe()


def test_ui010_phishing_page_in_a_flow():
    html = zh("<main><h1>支付宝</h1><p>您的账户存在风险，请立即验证身份</p></main>", title="支付宝 - 登录")
    findings = [f for f in flow_findings(("UI010",), [html_flow("http://alipay-verify.example-cdn.top/login", html)],
                                         app=BRANDS_APP) if f.check == "UI010"]
    assert findings
    assert all(f.location.flow == 0 and f.location.url == "http://alipay-verify.example-cdn.top/login" for f in findings)


def test_ui010_oauth_login_buttons_are_silent():
    html = zh("""
<main class="login"><h1>登录示例资讯</h1>
  <a class="oauth wechat" href="https://open.weixin.qq.com/connect/qrconnect?appid=wx123&amp;scope=snsapi_login"><img src="/img/wechat.png" alt="微信">微信登录</a>
  <a class="oauth alipay" href="https://openauth.alipay.com/oauth2/publicAppAuthorize.htm?app_id=2021"><img src="/img/alipay-logo.png" alt="支付宝">支付宝登录</a>
  <a class="oauth taobao" href="https://oauth.taobao.com/authorize?client_id=1">Sign in with Taobao</a>
  <button class="btn">Sign in with Alipay</button>
</main>
""", title="登录 - 示例资讯")
    silent(run_page("UI010", html, url="https://passport.example-info.cn/login", app=BRANDS_APP))


def test_ui010_news_article_naming_a_brand_is_silent():
    html = zh("""
<article>
<h1>淘宝双11成交额再创新高</h1>
<p>11月12日消息，淘宝和天猫公布今年双11数据。分析人士认为，支付宝的交易峰值也创下纪录。</p>
<p><a href="https://www.taobao.com/">淘宝网</a>官方尚未回应。</p>
</article>
""", title="淘宝双11成交额再创新高 - 示例新闻网")
    silent(run_page("UI010", html, url="https://news.example-news.cn/2024/11/12/1.html", app=BRANDS_APP))


def test_ui010_review_headline_english_is_silent():
    html = en("<article><h1>Why I stopped shopping at Demo Shop</h1><p>Three late deliveries in a row…</p></article>",
              title="Why I stopped shopping at Demo Shop | Example Blog")
    silent(run_page("UI010", html, url="https://blog.example-writer.com/2024/demo-shop", app=BRANDS_APP))


def test_ui010_brand_on_its_own_and_first_party_domains_is_silent():
    page = zh("<main><h1>淘宝网</h1></main>", title="淘宝网 - 淘！我喜欢")
    silent(run_page("UI010", page, url="https://world.taobao.com/", app=BRANDS_APP))
    own = en("<header><img class='logo' alt='Demo Shop' src='/logo.png'></header><h1>Demo Shop</h1>", title="Demo Shop")
    silent(run_page("UI010", own, url="https://static.demoshop-cdn.net/promo/index.html", app=BRANDS_APP))


def test_ui010_payment_logos_in_footer_are_silent():
    html = zh("""
<main><h1>示例户外用品</h1></main>
<footer><p>支持以下支付方式：</p>
  <img src="/img/pay/alipay.png" alt="支付宝"> <img src="/img/pay/wechatpay.png" alt="微信支付"> <img src="/img/pay/unionpay.png" alt="银联">
</footer>
""", title="示例户外用品")
    silent(run_page("UI010", html, url="https://www.example-outdoor.cn/", app=BRANDS_APP))


def test_ui010_without_origin_or_brands_is_not_applicable():
    page = zh("<main><h1>支付宝</h1></main>", title="支付宝 - 登录")
    run = run_page("UI010", page, app=BRANDS_APP)
    silent(run)
    assert run.status("UI010") is Status.NOT_APPLICABLE
    run = run_page("UI010", page, url="https://alipay-verify.example.top/")
    silent(run)
    assert run.status("UI010") is Status.NOT_APPLICABLE


def test_ui010_bracketed_brand_in_title_segment():
    html = zh("<main><p>全场一折起，限时抢购</p></main>", title="【淘宝网】官方旗舰店-正品保障")
    run = run_page("UI010", html, url="https://www.tb-outlet.top/", app=BRANDS_APP)
    assert len(run.of("UI010")) == 1, run.describe()


def test_ui010_english_alias_in_title_on_unrelated_domain():
    html = en("<form><input name='user'><input type='password'><button>Log in</button></form>", title="Alipay | Log in")
    run = run_page("UI010", html, url="https://secure-account-check.example.top/", app=BRANDS_APP)
    assert len(run.of("UI010")) == 1, run.describe()


def test_ui010_brand_domain_used_as_a_subdomain_label():
    html = zh("<main><h2>账户验证</h2><p>请输入您的账户信息</p></main>", title="安全中心")
    html = html.replace("<main>", "<header><img class='logo' src='/img/taobao-logo.png' alt='logo'></header><main>")
    run = run_page("UI010", html, url="https://taobao.com.login-verify.top/", app=BRANDS_APP)
    assert len(run.of("UI010")) == 1, run.describe()


def test_ui010_help_page_title_and_partner_logos_are_silent():
    html = zh("""
<main><h1>支付方式说明</h1><p>本店支持支付宝、微信支付和银联。</p>
<section class="partners"><h2>合作伙伴</h2><img src="/img/p/taobao.png" alt="淘宝"><img src="/img/p/alipay.png" alt="支付宝"></section></main>""",
              title="支付宝付款说明 - 示例商城帮助中心")
    silent(run_page("UI010", html, url="https://help.example-mall.cn/pay", app=BRANDS_APP))


def test_ui010_brand_on_a_second_owned_domain_is_silent():
    html = zh("<main><h1>淘宝</h1></main>", title="天猫 - 淘宝")
    silent(run_page("UI010", html, url="https://www.tmall.com/", app=BRANDS_APP))


def test_ui010_short_brand_domain_does_not_make_every_domain_a_look_alike():
    html = zh("<article><h1>如何在淘宝开店：新手完整指南</h1><p>第一步，注册淘宝账号……</p></article>",
              title="如何在淘宝开店 - 电商学院")
    for host in ("https://www.atb.cn/edu/1.html", "https://www.tbnews.cn/a/1.html"):
        silent(run_page("UI010", html, url=host, app=BRANDS_APP))


def test_ui010_application_name_meta_on_unrelated_domain():
    html = zh("<main><p>请输入支付密码完成验证</p></main>", title="安全验证",
              head='<meta name="application-name" content="支付宝">')
    run = run_page("UI010", html, url="https://pay-check.example-secure.top/", app=BRANDS_APP)
    assert len(run.of("UI010")) == 1, run.describe()


def test_ui010_portal_news_page_with_keyword_title_is_silent():
    # portal news pages (Sina, 163 ...) use og:type "news", no <article>, "标题|关键词_频道_网站" titles
    html = zh("""
<div class="main-content w1240">
  <h1 class="main-title">支付宝：春节期间转账不收手续费</h1>
  <div class="date-source"><span class="date">2024年02月05日 10:21</span><a href="/" class="source">示例财经</a></div>
  <div class="article" id="artibody"><p>2月5日，支付宝宣布春节期间个人转账免收手续费。</p><p>此前，支付宝曾多次推出类似活动。</p></div>
</div>""", title="支付宝：春节期间转账不收手续费|支付宝|转账_示例财经_示例网",
              head='<meta property="og:type" content="news">\n<meta property="og:title" content="支付宝：春节期间转账不收手续费">')
    silent(run_page("UI010", html, url="https://finance.example-portal.com.cn/roll/2024-02-05/doc-abc123.shtml",
                    app=BRANDS_APP))

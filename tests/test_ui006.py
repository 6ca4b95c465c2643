"""UI006 preselected-consent: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.appscreens import PRIVACY_DIALOG_DUMP
from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import _ancestors, assert_at, en, located, one, page_findings, run_dump, run_page, silent, zh

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

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


COOKIE_PREFS = en("""
<div id="cookie-banner" class="cookie-banner fixed-bottom bg-light p-3 shadow" role="dialog" aria-label="Cookie preferences">
  <p>We use cookies to improve your experience and for marketing.</p>
  <div class="form-check"><input class="form-check-input" type="checkbox" id="c-necessary" checked disabled><label class="form-check-label" for="c-necessary">Strictly necessary</label></div>
  <div class="form-check"><input class="form-check-input" type="checkbox" id="c-analytics" checked><label class="form-check-label" for="c-analytics">Analytics</label></div>
  <div class="form-check"><input class="form-check-input" type="checkbox" id="c-marketing" checked><label class="form-check-label" for="c-marketing">Marketing</label></div>
  <button class="btn btn-primary" id="c-save">Save preferences</button>
  <button class="btn btn-primary" id="c-reject">Reject all</button>
</div>
""", title="Example Store")


def test_ui006_registration_with_pre_ticked_privacy_agreement():
    html = zh("""
<form class="register-form" action="/api/register" method="post">
  <input type="tel" name="mobile" placeholder="请输入手机号" maxlength="11">
  <input type="text" name="code" placeholder="短信验证码">
  <label class="agree"><input type="checkbox" id="agree-policy" name="agree" checked> 我已阅读并同意<a href="/agreement">《用户服务协议》</a>和<a href="/privacy">《隐私政策》</a></label>
  <button type="submit" class="btn-register">注册</button>
</form>
""", title="注册")
    run = run_page("UI006", html, url="https://passport.example-shop.cn/register")
    assert_at(run.page, one(run, "UI006"), near="#agree-policy")


def test_ui006_marketing_sms_pre_ticked():
    html = zh("""
<form action="/order/submit" method="post">
  <div class="addr">收货地址：北京市海淀区中关村大街1号</div>
  <label><input type="checkbox" name="sms_marketing" id="sms-mkt" checked="checked"> 接收优惠活动短信及营销推送</label>
  <button type="submit">提交订单</button>
</form>
""", title="确认订单")
    run = run_page("UI006", html, url="https://www.example-shop.cn/order/confirm")
    assert_at(run.page, one(run, "UI006"), near="#sms-mkt")


def test_ui006_cookie_preferences_analytics_and_marketing_pre_ticked_necessary_not():
    run = run_page("UI006", COOKIE_PREFS, url="https://www.example-store.co.uk/")
    found = run.of("UI006")
    assert len(found) == 2, run.describe()
    targets = {run.page.document.select_one("#c-analytics"), run.page.document.select_one("#c-marketing")}
    hit = set()
    for finding in found:
        element = located(run.page, finding)
        match = [t for t in targets if element is t or t in _ancestors(element, 1) or element in _ancestors(t, 1)
                 or (element.name == "label" and element.get("for") == t.get("id"))]
        assert match, finding.location.selector
        hit.update(match)
    assert hit == targets


def test_ui006_bundled_consent_in_one_unticked_checkbox():
    html = zh("""
<div class="login-box">
  <input type="tel" placeholder="手机号">
  <label><input type="checkbox" id="agree-bundle"> 我已阅读并同意《用户协议》《隐私政策》，并同意接收营销短信及个性化广告推送</label>
  <button class="btn-login">获取验证码</button>
</div>
""")
    run = run_page("UI006", html, url="https://m.example-shop.cn/login")
    assert_at(run.page, one(run, "UI006"), near="#agree-bundle")


def test_ui006_implied_consent_by_continued_use_chinese():
    html = zh("""
<div class="privacy-tip" id="privacy-tip" style="position:fixed;bottom:0;left:0;width:100%;background:#333;color:#fff">
  我们使用Cookie及相关技术改善您的浏览体验，继续使用即表示您同意我们的<a href="/privacy">《隐私政策》</a>。
</div>
""")
    run = run_page("UI006", html, url="https://www.example-news.cn/")
    assert_at(run.page, one(run, "UI006"), near="#privacy-tip")


def test_ui006_implied_consent_by_continuing_to_browse_english():
    html = en("""
<div id="cookie-notice" class="cookie-notice" style="position:fixed;bottom:0;width:100%">
  By continuing to use this site you agree to our use of cookies. <a href="/cookies">Learn more</a>
</div>
""")
    run = run_page("UI006", html, url="https://www.example-news.com/")
    assert_at(run.page, one(run, "UI006"), near="#cookie-notice")


def test_ui006_auto_renewal_pre_ticked():
    html = zh("""
<div class="vip-pay">
  <div class="plan active">连续包月 ¥15/月</div>
  <input type="checkbox" id="auto-renew" checked> <label for="auto-renew">到期自动续费，可随时取消</label>
  <button class="btn-pay">立即支付</button>
</div>
""", title="开通会员")
    run = run_page("UI006", html, url="https://vip.example-video.cn/pay")
    element = located(run.page, one(run, "UI006"))
    assert element.get("id") == "auto-renew" or element.get("for") == "auto-renew"


def test_ui006_aria_switch_for_personalised_ads_on_in_consent_dialog():
    html = zh("""
<div class="privacy-dialog" role="dialog" id="privacy-dialog">
  <h3>隐私保护提示</h3>
  <p>为向您提供更好的服务，我们会根据《隐私政策》收集和使用您的个人信息。</p>
  <div class="switch-row"><span>个性化广告推荐</span><div role="switch" aria-checked="true" id="sw-ad" class="switch is-on" tabindex="0"></div></div>
  <button class="btn-agree">同意</button><button class="btn-disagree">不同意</button>
</div>
""")
    run = run_page("UI006", html, url="https://m.example-video.cn/")
    assert_at(run.page, one(run, "UI006"), near="#sw-ad")


def test_ui006_share_data_with_partners_pre_ticked_english():
    html = en("""
<form action="/signup" method="post">
  <input type="email" name="email" placeholder="Email">
  <div><input type="checkbox" id="share-partners" name="share" checked> <label for="share-partners">Share my data with trusted partners for marketing</label></div>
  <button type="submit">Create account</button>
</form>
""")
    run = run_page("UI006", html, url="https://www.example-travel.com/signup")
    element = located(run.page, one(run, "UI006"))
    assert element.get("id") == "share-partners" or element.get("for") == "share-partners"


def test_ui006_dump_privacy_dialog_with_pre_checked_box():
    run = run_dump("UI006", PRIVACY_DIALOG_DUMP)
    assert_at(run.page, one(run, "UI006"), attrs={"resource-id": "com.example.shop:id/cb_agree"})


def test_ui006_disabled_and_checked_necessary_option_is_silent():
    html = zh("""
<div class="cookie-settings" role="dialog" id="cookie-settings">
  <h3>Cookie设置</h3>
  <label><input type="checkbox" checked disabled> 必要Cookie（始终启用）</label>
  <label><input type="checkbox" name="analytics"> 分析Cookie</label>
  <label><input type="checkbox" name="ads"> 广告Cookie</label>
  <button class="btn" id="accept-all">全部接受</button>
  <button class="btn" id="reject-all">全部拒绝</button>
  <button class="btn" id="save">保存设置</button>
</div>
""")
    run = run_page(("UI006", "UI007"), html, url="https://www.example-shop.cn/")
    silent(run)


def test_ui006_vant_checkbox_rendered_checked():
    html = zh("""
<div class="login-page">
  <div class="van-cell van-field"><input type="tel" class="van-field__control" placeholder="请输入手机号"></div>
  <div role="checkbox" tabindex="0" aria-checked="true" class="van-checkbox" id="agree">
    <div class="van-checkbox__icon van-checkbox__icon--round van-checkbox__icon--checked"><i class="van-badge__wrapper van-icon van-icon-success"></i></div>
    <span class="van-checkbox__label">我已阅读并同意<a href="/agreement">《用户协议》</a>和<a href="/privacy">《隐私政策》</a></span>
  </div>
  <button class="van-button van-button--primary van-button--block"><div class="van-button__content"><span class="van-button__text">登录</span></div></button>
</div>""")
    run = run_page("UI006", html, url="https://m.example-shop.cn/login")
    assert_at(run.page, one(run, "UI006"), near="#agree")


def test_ui006_element_ui_checkbox_saved_checked():
    # a saved Vue page keeps the state only in Element UI's is-checked classes
    html = zh("""
<form class="el-form">
  <label class="el-checkbox is-checked" id="mkt"><span class="el-checkbox__input is-checked"><span class="el-checkbox__inner"></span><input type="checkbox" aria-hidden="false" class="el-checkbox__original" value=""></span><span class="el-checkbox__label">同意接收营销短信和优惠活动推送</span></label>
  <button type="button" class="el-button el-button--primary"><span>提交</span></button>
</form>""")
    run = run_page("UI006", html, url="https://www.example-shop.cn/register")
    assert_at(run.page, one(run, "UI006"), near="#mkt", depth=2)


def test_ui006_checkbox_with_adjacent_span_text():
    html = zh("""
<div class="agreement"><input type="checkbox" checked class="agree-cb" id="cb"><span>同意《隐私政策》及《个人信息共享清单》</span></div>
<button class="submit">下一步</button>""")
    run = run_page("UI006", html, url="https://m.example-bank.cn/open")
    assert_at(run.page, one(run, "UI006"), near="#cb")


def test_ui006_personalised_ads_radio_preselected_on():
    html = zh("""
<div class="privacy-dialog" role="dialog">
  <p>个性化广告：</p>
  <label><input type="radio" name="personal_ad" value="1" id="pa-on" checked> 开启</label>
  <label><input type="radio" name="personal_ad" value="0" id="pa-off"> 关闭</label>
  <button>确定</button>
</div>""")
    run = run_page("UI006", html, url="https://m.example-video.cn/")
    assert_at(run.page, one(run, "UI006"), near="#pa-on")


def test_ui006_newsletter_subscription_pre_ticked_english():
    html = en("""
<form action="/checkout" method="post">
  <label><input type="checkbox" name="newsletter" id="nl" checked> Subscribe to our newsletter for offers and promotions</label>
  <label><input type="checkbox" name="keep" checked> Keep me signed in</label>
  <button type="submit">Place order</button>
</form>""")
    run = run_page("UI006", html, url="https://www.example-store.com/checkout")
    assert_at(run.page, one(run, "UI006"), near="#nl")


def test_ui006_implied_consent_continue_browsing_variant():
    html = zh("""
<div class="cookie-tip" id="cookie-tip" style="position:fixed;bottom:0;width:100%">本网站使用Cookie。您继续浏览本网站，即视为您同意我们使用Cookie。<a href="/cookie">了解更多</a></div>""")
    run = run_page("UI006", html, url="https://www.example-bank.cn/")
    assert_at(run.page, one(run, "UI006"), near="#cookie-tip")


def test_ui006_cart_items_named_like_purposes_are_silent():
    html = zh("""
<div class="cart">
  <label class="select-all"><input type="checkbox" checked> 全选</label>
  <div class="cart-item"><input type="checkbox" name="sku" value="1001" checked><span class="title">个性化定制马克杯 刻字情侣款 送礼</span><span class="price">¥39.9</span></div>
  <div class="cart-item"><input type="checkbox" name="sku" value="1002" checked><span class="title">营销管理（第16版）科特勒 正版教材</span><span class="price">¥89.0</span></div>
  <div class="cart-item"><input type="checkbox" name="sku" value="1003" checked><span class="title">防窥膜 隐私保护钢化膜 适用iPhone15</span><span class="price">¥19.9</span></div>
  <button class="settle">结算(3)</button>
</div>""", title="购物车")
    silent(run_page("UI006", html, url="https://cart.example-shop.cn/"))


@pytest.mark.parametrize("text", [
    "By using this site, you agree to our use of cookies.",
    "By using our website you consent to our Cookie Policy.",
    "使用本网站即表示您同意我们使用Cookie。",
])
def test_ui006_implied_consent_by_use_variants(text):
    html = (en if text.startswith("By") else zh)(
        f'<div id="notice" class="cookie-notice" style="position:fixed;bottom:0;width:100%">{text} <a href="/cookies">Learn more</a></div>')
    run = run_page("UI006", html, url="https://www.example-news.com/")
    assert_at(run.page, one(run, "UI006"), near="#notice")

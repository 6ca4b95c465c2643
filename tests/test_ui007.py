"""UI007 forced-personalisation: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest
from appaudit.scanner.pagemodel.consent import is_accept_label, is_decline_label

from tests.fixtures.appscreens import PRIVACY_DIALOG_DUMP
from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import assert_at, dump, en, located, node, one, page_findings, run_dump, run_page, silent, zh

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

CASES = cases("ui007")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI007")


def privacy_dialog(*buttons: tuple[str, str]) -> str:
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
    page = privacy_dialog(("同意", "[130,1500][950,1620]"), ("不同意", "[130,1640][950,1760]"))
    assert page_findings("UI007", page, kind="uiautomator") == []


def test_a_tiny_decline_target_in_a_dump_is_reported_at_the_decline():
    page = privacy_dialog(("同意", "[130,1500][950,1620]"), ("不同意", "[500,1650][560,1680]"))
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


def test_ui007_privacy_prompt_with_only_agree():
    html = zh("""
<div class="privacy-modal" role="dialog" id="privacy-modal" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:3000;background:rgba(0,0,0,.5)">
  <div class="privacy-box">
    <h3>个人信息保护指引</h3>
    <div class="privacy-content">欢迎使用示例App！我们依据最新法律法规要求，制定了<a href="/privacy">《隐私政策》</a>，请您仔细阅读并充分理解。</div>
    <button class="btn-agree" id="btn-agree" style="width:100%;height:44px;font-size:16px">同意并继续</button>
  </div>
</div>
""")
    run = run_page("UI007", html, url="https://m.example-shop.cn/")
    assert_at(run.page, one(run, "UI007"), within="#privacy-modal")


def test_ui007_cookie_banner_accept_all_and_manage_settings_only():
    html = en("""
<div id="cookie-bar" class="cookie-bar" role="region" aria-label="Cookie consent" style="position:fixed;bottom:0;left:0;right:0;z-index:1000">
  <p>We and our 842 partners use cookies to personalise ads and content.</p>
  <button id="accept-all" class="btn btn-primary btn-lg">Accept all</button>
  <a href="/cookie-settings" class="manage">Manage settings</a>
</div>
""")
    run = run_page("UI007", html, url="https://www.example-news.com/")
    assert_at(run.page, one(run, "UI007"), within="#cookie-bar")


def test_ui007_decline_tiny_and_pale():
    html = zh("""
<div class="privacy-modal" role="dialog" id="privacy-modal" style="position:fixed;top:20%;left:5%;width:90%;z-index:3000;background:#ffffff">
  <h3>温馨提示</h3>
  <p>我们将依据《隐私政策》向您提供个性化推荐服务。</p>
  <button id="btn-agree" style="display:block;width:100%;height:48px;font-size:17px;background:#ff5000;color:#fff">同意</button>
  <a id="btn-disagree" href="javascript:;" style="font-size:9px;color:#f7f7f7">不同意</a>
</div>
""")
    run = run_page("UI007", html, url="https://m.example-shop.cn/")
    assert_at(run.page, one(run, "UI007"), css="#btn-disagree")


def test_ui007_personalisation_switch_on_and_disabled():
    html = zh("""
<div class="settings">
  <h2>推荐设置</h2>
  <div class="row"><label for="sw-personal">个性化推荐</label><input type="checkbox" role="switch" id="sw-personal" checked disabled></div>
  <div class="row"><label for="sw-night">夜间模式</label><input type="checkbox" role="switch" id="sw-night"></div>
</div>
""", title="设置")
    run = run_page("UI007", html, url="https://m.example-video.cn/settings")
    element = located(run.page, one(run, "UI007"))
    assert element.get("id") == "sw-personal" or element.get("for") == "sw-personal"


def test_ui007_feed_with_settings_but_no_personalisation_switch():
    html = zh("""
<section class="feed"><h2>猜你喜欢</h2><ul><li>商品一</li><li>商品二</li></ul></section>
<section class="settings">
  <h2>设置</h2>
  <label><input type="checkbox" role="switch" checked> 视频自动播放</label>
  <label><input type="checkbox" role="switch"> 夜间模式</label>
  <label><input type="checkbox" role="switch" checked> 消息通知</label>
</section>
""")
    run = run_page("UI007", html, url="https://m.example-shop.cn/me")
    located(run.page, one(run, "UI007"))


def test_ui007_dump_privacy_dialog_with_only_agree():
    run = run_dump("UI007", PRIVACY_DIALOG_DUMP)
    element = located(run.page, one(run, "UI007"))
    assert element.get("resource-id") in ("com.example.shop:id/privacy_dialog", "android:id/content",
                                          "com.example.shop:id/btn_agree")


def test_ui007_feed_with_settings_that_can_turn_personalisation_off_is_silent():
    html = zh("""
<section class="feed"><h2>猜你喜欢</h2><ul><li>商品一</li></ul></section>
<section class="settings">
  <h2>隐私设置</h2>
  <label><input type="checkbox" role="switch" name="personalised" checked> 个性化推荐</label>
  <label><input type="checkbox" role="switch" name="autoplay" checked> 视频自动播放</label>
</section>
""")
    silent(run_page(("UI006", "UI007"), html, url="https://m.example-shop.cn/me"))


def test_ui007_agree_and_plain_not_now_link_is_silent():
    html = zh("""
<div class="privacy-modal" role="dialog" style="position:fixed;top:20%;left:5%;width:90%;z-index:3000;background:#fff">
  <h3>个人信息保护指引</h3>
  <p>请仔细阅读《用户协议》与《隐私政策》。</p>
  <button class="btn-agree" style="font-size:16px">同意</button>
  <a class="btn-later" href="javascript:;" style="font-size:15px;color:#666">暂不使用</a>
</div>
""")
    silent(run_page("UI007", html, url="https://m.example-shop.cn/"))


def test_ui007_cookieconsent_info_banner_with_only_got_it():
    html = en("""
<div role="dialog" aria-live="polite" aria-label="cookieconsent" aria-describedby="cookieconsent:desc" class="cc-window cc-banner cc-type-info cc-theme-block cc-bottom" id="cc">
<span id="cookieconsent:desc" class="cc-message">This website uses cookies to ensure you get the best experience on our website. <a aria-label="learn more about cookies" role="button" tabindex="0" class="cc-link" href="https://cookiesandyou.com" rel="noopener noreferrer nofollow" target="_blank">Learn more</a></span>
<div class="cc-compliance"><a aria-label="dismiss cookie message" role="button" tabindex="0" class="cc-btn cc-dismiss">Got it!</a></div></div>""")
    run = run_page("UI007", html, url="https://www.example-blog.com/")
    assert_at(run.page, one(run, "UI007"), within="#cc")


def test_ui007_vant_dialog_with_only_confirm():
    html = zh("""
<div class="van-overlay" style="z-index: 2001;"></div>
<div role="dialog" aria-labelledby="用户隐私保护提示" class="van-popup van-popup--center van-dialog" style="z-index: 2002;" id="vd">
  <div class="van-dialog__header">用户隐私保护提示</div>
  <div class="van-dialog__content"><div class="van-dialog__message van-dialog__message--has-title">感谢您使用本应用。我们将依据《隐私政策》收集和使用您的设备信息，用于为您提供个性化推荐。</div></div>
  <div class="van-hairline--top van-dialog__footer"><button type="button" class="van-button van-button--default van-button--large van-dialog__confirm"><div class="van-button__content"><span class="van-button__text">同意</span></div></button></div>
</div>""")
    run = run_page("UI007", html, url="https://m.example-video.cn/")
    assert_at(run.page, one(run, "UI007"), within="#vd")


def test_ui007_agree_and_disagree_and_exit_is_silent():
    html = zh("""
<div class="privacy-modal" role="dialog" style="position:fixed;top:20%;left:5%;width:90%;z-index:3000;background:#fff">
  <h3>温馨提示</h3><p>请阅读《隐私政策》。</p>
  <button class="btn btn-default">不同意并退出</button><button class="btn btn-primary">同意</button>
</div>""")
    silent(run_page("UI007", html, url="https://m.example-shop.cn/"))


@pytest.mark.parametrize("decline", [
    "暂不同意", "仅使用基本功能", "不同意并退出", "不同意，退出App", "拒绝并退出", "不同意，仅浏览",
])
def test_ui007_chinese_decline_variants_are_silent(decline):
    html = zh(f"""
<div class="privacy-modal" role="dialog" style="position:fixed;top:20%;left:5%;width:90%;z-index:3000;background:#fff">
  <h3>个人信息保护提示</h3><p>请阅读《隐私政策》，我们将据此为您提供个性化推荐。</p>
  <button class="btn btn-primary">同意</button> <button class="btn btn-default">{decline}</button>
</div>""")
    silent(run_page("UI007", html, url="https://m.example-shop.cn/"))


def test_ui007_dump_privacy_dialog_with_disagree_text_button_is_silent():
    xml = dump(
        node((0, 0, 1080, 2400), rid="com.example.shop:id/dim", cls="android.view.View"),
        node((60, 600, 1020, 1800),
             node((120, 660, 960, 760), text="温馨提示", cls="android.widget.TextView"),
             node((120, 780, 960, 1400), text="我们依据《隐私政策》收集和使用您的个人信息，请您仔细阅读。", cls="android.widget.TextView",
                  index=1),
             node((120, 1450, 960, 1580), text="同意并继续", rid="com.example.shop:id/btn_agree", cls="android.widget.Button",
                  clickable=True, index=2),
             node((380, 1620, 700, 1720), text="不同意", rid="com.example.shop:id/tv_disagree", cls="android.widget.TextView",
                  clickable=True, index=3),
             rid="com.example.shop:id/privacy_dialog", cls="android.widget.LinearLayout", index=1),
    )
    silent(run_dump(("UI006", "UI007"), xml))


@pytest.mark.parametrize("hiding", ["display:none", "opacity:0.2", "visibility:hidden"])
def test_ui007_decline_hidden_or_faint(hiding):
    html = zh(f"""
<div class="privacy-modal" role="dialog" id="pm" style="position:fixed;top:20%;left:5%;width:90%;z-index:3000;background:#fff">
  <h3>个人信息保护指引</h3><p>请仔细阅读《隐私政策》。</p>
  <button id="ok" style="font-size:16px">同意</button>
  <button id="no" style="font-size:16px;{hiding}">不同意</button>
</div>""")
    run = run_page("UI007", html, url="https://m.example-shop.cn/")
    element = located(run.page, one(run, "UI007"))
    assert element is run.page.document.select_one("#no") or element is run.page.document.select_one("#pm")

"""UI003 obstructed-close: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.appscreens import SPLASH_DUMP
from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import assert_at, dump, en, located, node, one, page_findings, run_dump, run_page, silent, zh

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

CASES = cases("ui003")

# A pop-up drawn over the page: fixed, stacked above it, covering most of the screen.
COVERING = "position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI003")


def problems(source, url="https://www.example.com/", **kwargs):
    return [(f.location.selector, f.evidence.details["problem"]) for f in page_findings("UI003", source, url=url, **kwargs)]


def popup(inner: str, style: str = "") -> str:
    return f'<style>{style}</style><div class="popup" id="p" style="{COVERING}"><p>Limited offer</p>{inner}</div>'


def test_an_adequate_close_control_is_fine():
    assert problems(popup('<button id="c" class="close" style="width:32px;height:32px">×</button>')) == []


def test_size_is_judged_only_when_the_css_states_it():
    assert problems(popup('<button id="c" class="close">×</button>')) == []
    assert problems(popup('<button id="c" class="close" style="width:20px;height:30px">×</button>')) == [("#c", "tiny")]
    assert problems(popup('<a id="c" class="close"><img src="/x.png" width="16" height="16"></a>')) == [("#c", "tiny")]
    assert problems(popup('<span id="c" style="font-size:12px">关闭</span>')) == [("#c", "tiny")]
    assert problems(popup('<span id="c" style="font-size:12px;padding:8px">关闭</span>')) == []


def test_one_good_close_control_is_enough():
    source = popup('<span id="tiny" style="width:8px;height:8px">×</span><button>我知道了</button>')
    assert problems(source) == []


def test_invisible_close_controls():
    assert problems(popup('<button id="c" class="close" style="opacity:.1">×</button>')) == [("#c", "invisible")]
    assert problems(popup('<span id="c" style="font-size:6px;padding:10px">close</span>')) == [("#c", "invisible")]
    white = f'<div class="popup" style="background:#fff;{COVERING}"><p>Hi</p><span id="c" style="color:#fafafa">关闭</span></div>'
    assert problems(white) == [("#c", "invisible")]


def test_contrast_is_not_judged_over_pictures():
    source = """<div class="popup" style="background:#fff"><img src="/ad.jpg">
      <span id="c" style="position:absolute;top:0;right:0;color:#fff">×</span></div>"""
    assert problems(source) == []


def test_a_close_control_revealed_by_a_timer_is_delayed():
    source = popup('<button id="c" class="close hidden">×</button>', ".hidden{display:none}") + \
        "<script>setTimeout(function(){ document.getElementById('c').classList.remove('hidden') }, 4000)</script>"
    found = page_findings("UI003", source, url="https://www.example.com/")
    assert [(f.location.selector, f.evidence.details["problem"], f.evidence.details["delay_ms"]) for f in found] == \
        [("#c", "delayed", 4000)]


def test_a_close_control_revealed_only_on_a_click_is_hidden():
    source = popup('<button id="c" class="close" style="display:none">×</button><button id="more">More</button>') + \
        "<script>document.getElementById('more').onclick = function(){ $('#c').show() }</script>"
    assert problems(source) == [("#c", "hidden")]


def test_a_popup_revealed_after_a_delay_keeps_its_own_close_control():
    source = """<div class="popup" id="p" style="display:none"><p>Hi</p><button class="close">×</button></div>
      <script>setTimeout(function(){ document.getElementById('p').style.display = 'block' }, 2000)</script>"""
    assert problems(source) == []


def test_dump_sizes_use_the_given_density_or_an_estimate_that_never_makes_them_smaller():
    source = """<hierarchy rotation="0"><node bounds="[0,0][1080,2340]" clickable="false">
      <node resource-id="com.x:id/splash_ad" clickable="true" bounds="[0,0][1080,2100]"/>
      <node text="跳过" clickable="true" bounds="[900,80][1040,210]"/></node></hierarchy>"""
    # 140x130 px: 53x49 dp if the 1080 px screen is 411 dp wide (estimated), 47x43 dp at 480 dpi
    assert page_findings("UI003", source, kind="uiautomator") == []
    found = page_findings("UI003", source, kind="uiautomator", dpi=480)
    assert [(f.evidence.details["problem"], f.evidence.details["density_estimated"]) for f in found] == [("tiny", False)]
    smaller = source.replace("[900,80][1040,210]", "[960,80][1040,160]")
    found = page_findings("UI003", smaller, kind="uiautomator")
    assert found[0].evidence.details["density_estimated"] is True
    assert "estimated" in found[0].evidence.details["density"]


def test_the_declaration():
    from appaudit.checks.ui003_obstructed_close import ObstructedClose
    assert (ObstructedClose.id, ObstructedClose.severity.label) == ("UI003", "medium")
    assert "WCAG 2.2 SC 2.5.8" in ObstructedClose.regulations


def test_ui003_dump_splash_with_tiny_skip_node():
    run = run_dump("UI003", SPLASH_DUMP, dpi=440)  # 90 x 40 px at 2.75x = 33 x 15 dp
    assert_at(run.page, one(run, "UI003"), attrs={"resource-id": "com.example.news:id/skip_view"})


def test_ui003_lottery_popup_without_any_close_control():
    html = zh("""
<div class="popup-mask" id="lottery" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:999;background:rgba(0,0,0,.7)">
  <div class="popup-box" id="lottery-box">
    <img src="/img/lottery.png" alt="幸运大抽奖">
    <a href="/lottery/draw" class="popup-btn">立即抽奖</a>
  </div>
</div>
""")
    run = run_page("UI003", html, url="https://m.example-shop.cn/")
    assert_at(run.page, one(run, "UI003"), within="#lottery")


def test_ui003_countdown_before_closing_chinese():
    html = zh("""
<div class="splash" id="splash" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999">
  <img src="/splash/ad.jpg" alt="">
  <span class="countdown" id="countdown" style="position:absolute;top:40px;right:16px;font-size:14px">5秒后关闭</span>
</div>
<script>
var n = 5, t = setInterval(function () {
  n--; document.getElementById('countdown').innerText = n + '秒后关闭';
  if (n <= 0) { clearInterval(t); document.getElementById('splash').style.display = 'none'; }
}, 1000);
</script>
""")
    run = run_page("UI003", html, url="https://m.example-news.cn/")
    assert_at(run.page, one(run, "UI003"), within="#splash")


def test_ui003_skip_in_5_countdown_english():
    html = en("""
<div class="interstitial-ad" id="interstitial" role="dialog" style="position:fixed;inset:0;z-index:2147483647;background:#000">
  <video src="/ads/preroll.mp4" autoplay muted playsinline></video>
  <div class="skip-countdown" id="skip-countdown" style="position:absolute;bottom:24px;right:0;padding:10px 16px;color:#fff;background:rgba(0,0,0,.6)">Skip in 5</div>
</div>
""")
    run = run_page("UI003", html, url="https://www.example-tube.com/watch?v=abc")
    assert_at(run.page, one(run, "UI003"), within="#interstitial")


def test_ui003_weui_confirm_dialog_with_cancel_is_silent():
    html = zh("""
<div class="js_dialog" id="iosDialog1" style="opacity: 1;">
  <div class="weui-mask"></div>
  <div class="weui-dialog" role="dialog">
    <div class="weui-dialog__hd"><strong class="weui-dialog__title">提示</strong></div>
    <div class="weui-dialog__bd">确定要退出登录吗？</div>
    <div class="weui-dialog__ft">
      <a href="javascript:" class="weui-dialog__btn weui-dialog__btn_default" onclick="document.getElementById('iosDialog1').style.display='none'">取消</a>
      <a href="javascript:" class="weui-dialog__btn weui-dialog__btn_primary" onclick="logout()">确定</a>
    </div>
  </div>
</div>
""", head='<link rel="stylesheet" href="https://res.wx.qq.com/open/libs/weui/2.5.16/weui.min.css">')
    run = run_page(("UI001", "UI002", "UI003"), html, url="https://h5.example-shop.cn/user/settings")
    silent(run)


def test_ui003_privacy_dialog_is_left_to_ui006_ui007():
    html = zh("""
<div class="privacy-modal" role="dialog" id="privacy-modal" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:3000;background:rgba(0,0,0,.5)">
  <div class="privacy-box"><h3>个人信息保护指引</h3>
  <p>请您仔细阅读《用户协议》和《隐私政策》。</p>
  <button class="btn-agree">同意</button> <button class="btn-reject">不同意</button></div>
</div>
""")
    run = run_page("UI003", html, url="https://m.example-shop.cn/")
    silent(run)


def test_ui003_dpi_converts_dump_pixels_to_dp():
    def ad(size):
        return dump(node((90, 600, 990, 1800),
                         node((90, 600, 990, 1650), rid="com.example.shop:id/ad_image", cls="android.widget.ImageView"),
                         node((980 - size, 610, 980, 610 + size), desc="关闭", rid="com.example.shop:id/ad_close",
                              cls="android.widget.ImageView", clickable=True, index=1),
                         node((100, 1700, 200, 1740), text="广告", rid="com.example.shop:id/ad_tag",
                              cls="android.widget.TextView", index=2),
                         rid="com.example.shop:id/ad_dialog", cls="android.widget.FrameLayout", index=1))
    # 100 px: 33 dp at 480 dpi (3x) is tiny; 100 dp at 160 dpi (1x) is not
    tiny = run_dump("UI003", ad(100), dpi=480)
    assert_at(tiny.page, one(tiny, "UI003"), attrs={"resource-id": "com.example.shop:id/ad_close"})
    silent(run_dump("UI003", ad(100), dpi=160))


def test_ui003_small_icon_inside_a_big_close_button_is_silent():
    html = zh("""
<div class="popup" id="pop" style="position:fixed;top:20%;left:10%;width:80%;z-index:100;background:#fff">
  <button class="pop-close" style="position:absolute;top:0;right:0;width:44px;height:44px;background:transparent;border:0"
          onclick="document.getElementById('pop').style.display='none'"><img src="/img/close.png" width="16" height="16" alt="关闭"></button>
  <p>签到成功，获得10积分</p>
</div>""")
    silent(run_page(("UI002", "UI003"), html, url="https://www.example-shop.cn/"))


def test_ui003_countdown_can_close_after_seconds():
    html = zh("""
<div class="splash-ad" id="splash" style="position:fixed;inset:0;z-index:9999;background:#000">
  <img src="/splash/car.jpg" alt="">
  <div class="tip" style="position:absolute;top:36px;right:12px;color:#fff;font-size:13px"><span id="sec">5</span>s后可关闭</div>
</div>""")
    run = run_page("UI003", html, url="https://m.example-auto.cn/")
    assert_at(run.page, one(run, "UI003"), within="#splash")


def test_ui003_dump_countdown_skip_that_is_not_clickable_yet():
    xml = dump(
        node((0, 0, 1080, 2400),
             node((0, 0, 1080, 2100), rid="com.example.video:id/splash_img", cls="android.widget.ImageView",
                  pkg="com.example.video"),
             node((840, 100, 1040, 190), text="5s后可跳过", rid="com.example.video:id/tv_countdown",
                  cls="android.widget.TextView", pkg="com.example.video", index=1),
             rid="com.example.video:id/splash_root", cls="android.widget.FrameLayout", pkg="com.example.video"),
        pkg="com.example.video")
    run = run_dump("UI003", xml)
    element = located(run.page, one(run, "UI003"))
    assert element.get("resource-id") in ("com.example.video:id/tv_countdown", "com.example.video:id/splash_root")

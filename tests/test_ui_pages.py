"""Whole pages through every UI check: ordinary pages no check may flag, and where page
findings point (selectors, lines, flows, HAR entries)."""
from __future__ import annotations

import json

import pytest
from appaudit.scanner.engine import ScanSettings, scan_file
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile

from tests.fixtures.appscreens import SETTINGS_DUMP
from tests.helpers import (
    UA_WECHAT,
    UI_ALL,
    assert_at,
    dump,
    en,
    flow_findings,
    make_flow,
    node,
    one,
    run_dump,
    run_page,
    silent,
    zh,
)

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501


BOOTSTRAP_MODAL = en("""
<a class="visually-hidden-focusable" href="#main">Skip to main content</a>
<nav class="navbar navbar-expand-lg bg-body-tertiary"><div class="container-fluid"><a class="navbar-brand" href="/">Example Store</a></div></nav>
<main id="main" class="container"><h1>New arrivals</h1></main>
<div class="modal fade show" id="newsletterModal" tabindex="-1" aria-labelledby="newsletterModalLabel" aria-modal="true" role="dialog" style="display: block;">
  <div class="modal-dialog modal-dialog-centered">
    <div class="modal-content">
      <div class="modal-header">
        <h1 class="modal-title fs-5" id="newsletterModalLabel">Spring sale is on</h1>
        <button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="Close"></button>
      </div>
      <div class="modal-body">
        <a href="https://www.example-store.com/sale/spring"><img src="/img/spring-sale.jpg" class="img-fluid" alt="Spring sale"></a>
      </div>
      <div class="modal-footer">
        <button type="button" class="btn btn-secondary" data-bs-dismiss="modal">No thanks</button>
        <a href="/sale/spring" class="btn btn-primary">Shop now</a>
      </div>
    </div>
  </div>
</div>
<div class="modal-backdrop fade show"></div>
<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js"></script>
""", title="Example Store", head='<link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/css/bootstrap.min.css" rel="stylesheet">')


FOOTER_BADGES = en("""
<main id="main"><h1>Example Recipes</h1><p>Thousands of recipes, tested in our kitchen.</p></main>
<footer class="site-footer">
  <p>Get the app</p>
  <a href="https://apps.apple.com/us/app/example-recipes/id1234567890"><img src="/img/badges/app-store.svg" alt="Download on the App Store" height="40"></a>
  <a href="https://play.google.com/store/apps/details?id=com.example.recipes&amp;hl=en"><img src="/img/badges/google-play.png" alt="Get it on Google Play" height="40"></a>
  <a href="market://details?id=com.example.recipes">Android</a>
  <p>&copy; 2024 Example Recipes Ltd.</p>
</footer>
""", title="Example Recipes")


X_HIDES_DIALOG = zh("""
<div class="popup" id="coupon-pop" style="position:fixed;top:20%;left:10%;width:80%;z-index:1000;background:#fff;border-radius:8px">
  <span class="popup-close" id="coupon-close" style="position:absolute;top:8px;right:8px;width:32px;height:32px;font-size:24px;line-height:32px;text-align:center;color:#333" onclick="document.getElementById('coupon-pop').style.display='none'">×</span>
  <h3>新人专享优惠券</h3>
  <p>满100减20，限今日领取</p>
  <a href="/coupon/receive?id=2024" class="btn">立即领取</a>
</div>
""", title="领券中心")


COUPON_DIALOG_DUMP = dump(
    node((0, 0, 1080, 2400), rid="com.example.shop:id/dim", cls="android.view.View"),
    node((90, 700, 990, 1700),
         node((150, 760, 930, 860), text="新人专享优惠券", rid="com.example.shop:id/tv_title", cls="android.widget.TextView"),
         node((150, 900, 930, 1300), text="满100减20 · 全场通用", rid="com.example.shop:id/tv_desc",
              cls="android.widget.TextView", index=1),
         node((240, 1450, 840, 1580), text="立即领取", rid="com.example.shop:id/btn_receive", cls="android.widget.Button",
              clickable=True, index=2),
         node((836, 710, 980, 854), desc="关闭", rid="com.example.shop:id/btn_close", cls="android.widget.ImageButton",
              clickable=True, index=3),
         rid="com.example.shop:id/coupon_dialog", cls="android.widget.LinearLayout", index=1),
)


def test_bootstrap_modal_with_btn_close_and_skip_link_is_silent():
    run = run_page(("UI001", "UI002", "UI003", "UI004"), BOOTSTRAP_MODAL, url="https://www.example-store.com/")
    silent(run)


def test_app_store_badges_in_footer_are_silent():
    run = run_page(("UI001", "UI002", "UI004"), FOOTER_BADGES, url="https://www.example-recipes.com/")
    silent(run)


def test_x_that_hides_its_dialog_is_silent():
    run = run_page(("UI001", "UI002", "UI003"), X_HIDES_DIALOG, url="https://www.example-shop.cn/activity/coupon")
    silent(run)


def test_wechat_share_guide_overlay_is_silent():
    html = zh("""
<div class="share-mask" id="share-mask" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:999;background:rgba(0,0,0,.8)" onclick="this.style.display='none'">
  <img src="/static/img/share-arrow.png" style="position:absolute;top:10px;right:20px;width:80px" alt="">
  <p style="color:#fff;font-size:18px;margin-top:120px;text-align:center">点击右上角 ··· 分享给好友或朋友圈</p>
</div>
<div class="act"><h1>邀请好友助力，免费领取会员</h1></div>
""", title="好友助力")
    run = run_page(("UI001", "UI002", "UI003", "UI008"), html, url="https://h5.example-shop.cn/act/invite")
    silent(run)


def test_dump_normal_dialog_with_proper_close_button_is_silent():
    run = run_dump(("UI001", "UI002", "UI003"), COUPON_DIALOG_DUMP, dpi=440)  # 144 px = 52 dp
    silent(run)


def test_dump_settings_screen_with_switchable_personalisation_is_silent():
    silent(run_dump(("UI006", "UI007"), SETTINGS_DUMP))


def test_consent_banner_with_equal_buttons_and_unticked_options_is_silent():
    html = zh("""
<div class="cookie-consent" role="dialog" id="consent" style="position:fixed;bottom:0;left:0;width:100%;z-index:999;background:#fff">
  <p>我们及合作伙伴使用Cookie以提供个性化内容和广告。您可以选择接受或拒绝。</p>
  <label><input type="checkbox" name="personal"> 个性化推荐</label>
  <label><input type="checkbox" name="marketing"> 营销推广</label>
  <button class="btn btn-outline" id="reject">拒绝</button>
  <button class="btn btn-outline" id="accept">接受</button>
</div>
""")
    run = run_page(("UI006", "UI007", "UI003"), html, url="https://www.example-shop.cn/")
    silent(run)


def test_english_consent_banner_equal_accept_and_reject_is_silent():
    html = en("""
<div id="onetrust-banner-sdk" class="otFlat" role="region" aria-label="Cookie banner" style="position:fixed;bottom:0;width:100%;z-index:2147483645">
  <div id="onetrust-policy-text">We use cookies for analytics and personalised advertising. <a href="/cookie-policy">Cookie Policy</a></div>
  <div id="onetrust-button-group">
    <button id="onetrust-reject-all-handler">Reject All</button>
    <button id="onetrust-accept-btn-handler">Accept All Cookies</button>
    <button id="onetrust-pc-btn-handler" class="cookie-setting-link">Cookies Settings</button>
  </div>
</div>
""")
    silent(run_page(("UI006", "UI007"), html, url="https://www.example-store.co.uk/"))


@pytest.mark.parametrize("framework,markup", [
    ("bootstrap4", """<div class="modal fade show" id="m" role="dialog" style="display:block"><div class="modal-dialog"><div class="modal-content">
<div class="modal-header"><h5 class="modal-title">提示</h5><button type="button" class="close" data-dismiss="modal" aria-label="Close"><span aria-hidden="true">&times;</span></button></div>
<div class="modal-body"><p>您有一张优惠券即将过期</p></div></div></div></div>"""),
    ("element-ui", """<div class="el-dialog__wrapper" style="z-index: 2001;"><div role="dialog" aria-modal="true" aria-label="提示" class="el-dialog" style="margin-top: 15vh; width: 30%;">
<div class="el-dialog__header"><span class="el-dialog__title">提示</span><button type="button" aria-label="Close" class="el-dialog__headerbtn"><i class="el-dialog__close el-icon el-icon-close"></i></button></div>
<div class="el-dialog__body"><span>您的会员即将到期，是否续费？</span></div>
<div class="el-dialog__footer"><span class="dialog-footer"><button type="button" class="el-button el-button--default"><span>取 消</span></button><button type="button" class="el-button el-button--primary"><span>确 定</span></button></span></div></div></div>"""),
    ("ant-design", """<div class="ant-modal-root"><div class="ant-modal-mask"></div><div tabindex="-1" class="ant-modal-wrap" role="dialog">
<div role="document" class="ant-modal" style="width: 520px;"><div class="ant-modal-content"><button type="button" aria-label="Close" class="ant-modal-close"><span class="ant-modal-close-x"><span role="img" aria-label="close" class="anticon anticon-close ant-modal-close-icon"><svg viewBox="64 64 896 896" focusable="false" data-icon="close" width="1em" height="1em" fill="currentColor" aria-hidden="true"><path d="M563.8 512l262.5-312.9"></path></svg></span></span></button>
<div class="ant-modal-body"><p>Your session will expire in 5 minutes.</p></div></div></div></div></div>"""),
    ("layui", """<div class="layui-layer-shade" times="1" style="z-index:19891014; background-color:#000; opacity:0.3;"></div>
<div class="layui-layer layui-layer-dialog" id="layui-layer1" type="dialog" times="1" showtime="0" contype="string" style="z-index: 19891015; width: 360px; top: 200px; left: 500px;">
<div class="layui-layer-title">信息</div><div id="" class="layui-layer-content">操作成功</div><span class="layui-layer-setwin"><a class="layui-layer-ico layui-layer-close layui-layer-close1" href="javascript:;"></a></span>
<div class="layui-layer-btn layui-layer-btn-"><a class="layui-layer-btn0">确定</a></div></div>"""),
    ("vant", """<div class="van-overlay" style="z-index: 2001;"></div><div class="van-popup van-popup--center van-popup--round" style="z-index: 2002;">
<div class="coupon"><p>恭喜获得新人券</p><a href="/coupon/list">去使用</a></div>
<i role="button" tabindex="0" class="van-badge__wrapper van-icon van-icon-cross van-popup__close-icon van-popup__close-icon--top-right"></i></div>"""),
])
def test_framework_dialogs_with_their_own_close_controls_are_silent(framework, markup):
    run = run_page(("UI001", "UI002", "UI003"), zh(markup), url="https://www.example-admin.cn/dashboard")
    silent(run)


def test_page_inside_a_har_carries_flow_index_and_url(tmp_path):
    page = zh('<div class="order"><p>收货人：李四</p><p id="tel">13812345678</p></div>', title="订单详情")
    entries = []
    for url, mime, text in [("https://m.example-shop.cn/api/cart", "application/json", '{"code":0}'),
                            ("https://m.example-shop.cn/order/detail?id=88", "text/html; charset=utf-8", page)]:
        entries.append({
            "startedDateTime": "2024-05-20T10:00:00.000+08:00", "time": 120,
            "request": {"method": "GET", "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
                        "headers": [{"name": "User-Agent", "value": UA_WECHAT}], "queryString": [],
                        "headersSize": -1, "bodySize": 0},
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
                         "headers": [{"name": "Content-Type", "value": mime}],
                         "content": {"size": len(text.encode()), "mimeType": mime, "text": text},
                         "redirectURL": "", "headersSize": -1, "bodySize": len(text.encode())},
            "cache": {}, "timings": {"send": 1, "wait": 100, "receive": 19}})
    har = {"log": {"version": "1.2", "creator": {"name": "Charles Proxy", "version": "4.6.6"}, "entries": entries}}
    path = tmp_path / "session.har"
    path.write_text(json.dumps(har, ensure_ascii=False), encoding="utf-8-sig")
    result = scan_file(str(path), "har", ScanSettings(profile=Profile(name="t", enabled=("UI011",))))
    found = [f for f in result.findings if f.check == "UI011"]
    assert len(found) == 1
    loc = found[0].location
    assert loc.flow == 1 and loc.url == "https://m.example-shop.cn/order/detail?id=88"
    assert_at(Page(source=page, input="x", url=loc.url), found[0], css="#tel")


def test_product_grid_with_hover_masks_linking_to_tmall_is_silent():
    # rebate / shopping-guide sites: every card links to Tmall and carries a CSS hover mask
    cards = "\n".join(f"""  <li class="goods-item"><a href="https://detail.tmall.com/item.htm?id=61234567890{i}" target="_blank">
    <img src="/g/{i}.jpg" alt="商品{i}"><div class="mask"><span class="price">券后 ¥{19 + i}.9</span><span>去抢购</span></div></a></li>"""
                      for i in range(4))
    html = zh(f'<ul class="goods-list">\n{cards}\n</ul>', head="""<style>
.goods-item{position:relative;float:left;width:25%}
.goods-item .mask{position:absolute;left:0;right:0;bottom:0;height:40px;background:rgba(0,0,0,.5);color:#fff;opacity:0;transition:opacity .3s}
.goods-item:hover .mask{opacity:1}
</style>""", title="9块9包邮 - 示例折扣")
    silent(run_page(("UI001", "UI002", "UI003"), html, url="https://www.example-rebate.cn/"))


def test_floating_customer_service_sidebar_is_silent():
    html = zh("""
<main><h1>示例机械制造有限公司</h1><p>专业生产数控机床二十年。</p></main>
<div class="side-layer" id="side-layer" style="position:fixed;right:10px;bottom:120px;z-index:999;width:60px">
  <a href="tel:4008001234" class="item">电话咨询</a>
  <a href="javascript:;" class="item" onclick="openKefu()">在线客服</a>
  <a href="#top" class="item">返回顶部</a>
</div>
<script>function openKefu(){ document.getElementById('kefu-box').style.display = 'block'; }</script>
<div id="kefu-box" style="display:none">客服窗口</div>""")
    silent(run_page(("UI001", "UI002", "UI003"), html, url="https://www.example-machine.cn/"))


def test_closed_dialog_opened_only_by_a_button_is_silent():
    html = en("""
<button id="open-dl" onclick="document.getElementById('app-dl').showModal()">Get the app</button>
<dialog id="app-dl">
  <a href="https://apps.apple.com/us/app/example/id1234567890"><img src="/img/qr.png" alt="Scan to download" width="240" height="240"></a>
  <form method="dialog"><button>Close</button></form>
</dialog>""")
    silent(run_page(("UI001", "UI003"), html, url="https://www.example-notes.com/"))


def test_social_icon_links_to_x_are_not_close_controls():
    html = en("""
<footer class="footer">
  <a href="https://x.com/example" class="social" aria-label="Example on X"><i class="bi bi-twitter-x"></i></a>
  <a href="https://twitter.com/example" class="social"><i class="fa-brands fa-x-twitter"></i></a>
  <a href="https://www.weibo.com/example" class="social"><i class="iconfont icon-weibo"></i></a>
  <a href="https://www.linkedin.com/company/example" class="social"><i class="bi bi-linkedin"></i></a>
</footer>""", head='<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap-icons@1.11.3/font/bootstrap-icons.min.css">')
    silent(run_page("UI002", html, url="https://www.example-startup.com/"))


def test_json_sent_as_text_html_is_not_a_page():
    # many PHP back ends answer JSON with Content-Type: text/html
    flow = make_flow("GET", "https://api.example-shop.cn/user/info.php?uid=88",
                     response_headers={"content-type": "text/html; charset=utf-8"},
                     response_body='{"code":0,"data":{"uid":88,"mobile":"13812345678","idcard":"440304199003074510"}}')
    assert not [f for f in flow_findings(UI_ALL, [flow]) if f.check.startswith("UI")]


def test_pretty_printed_dump_lines_point_at_the_node():
    xml = dump(
        node((0, 0, 1080, 2400), rid="com.example.shop:id/dim", cls="android.view.View"),
        node((90, 600, 990, 1800),
             node((90, 600, 990, 1650), rid="com.example.shop:id/dialog_ad_image", cls="android.widget.ImageView"),
             node((900, 610, 1040, 750), desc="关闭", rid="com.example.shop:id/iv_close", cls="android.widget.ImageView",
                  index=1),
             node((100, 1700, 200, 1740), text="广告", rid="com.example.shop:id/tv_ad_tag", cls="android.widget.TextView",
                  index=2),
             rid="com.example.shop:id/dialog_ad_root", cls="android.widget.RelativeLayout", clickable=True, index=1),
    ).replace("><node", ">\n<node").replace("></node>", ">\n</node>")
    run = run_dump("UI002", xml)
    element = assert_at(run.page, one(run, "UI002"), attrs={"resource-id": "com.example.shop:id/iv_close"})
    line = xml.splitlines()[one(run, "UI002").location.line - 1]
    assert 'resource-id="com.example.shop:id/iv_close"' in line, line
    assert element.name == "node"


def test_bootstrap3_closed_modal_with_store_links_is_silent():
    # Bootstrap 3's documented markup has no aria-hidden; bootstrap.css hides .modal until .in
    html = zh("""
<button type="button" class="btn btn-primary" data-toggle="modal" data-target="#dlModal">下载App</button>
<div class="modal fade" id="dlModal" tabindex="-1" role="dialog" aria-labelledby="dlModalLabel">
  <div class="modal-dialog" role="document"><div class="modal-content">
    <div class="modal-header"><button type="button" class="close" data-dismiss="modal" aria-label="Close"><span aria-hidden="true">&times;</span></button>
      <h4 class="modal-title" id="dlModalLabel">扫码下载</h4></div>
    <div class="modal-body"><a href="https://apps.apple.com/cn/app/id1234567890"><img src="/img/qr-ios.png" alt="iOS下载" width="300"></a></div>
  </div></div>
</div>""", head='<link rel="stylesheet" href="https://cdn.bootcdn.net/ajax/libs/twitter-bootstrap/3.4.1/css/bootstrap.min.css">')
    silent(run_page(("UI001", "UI003"), html, url="https://www.example-notes.cn/"))


def test_app_landing_page_splash_hero_is_no_popup():
    html = en("""
<section class="splash" id="hero">
  <h1>Example Notes</h1>
  <p>Capture ideas anywhere. Sync them everywhere.</p>
  <a href="https://apps.apple.com/us/app/example-notes/id1234567890"><img src="/img/badges/app-store.svg" alt="Download on the App Store" height="48"></a>
  <a href="https://play.google.com/store/apps/details?id=com.example.notes"><img src="/img/badges/google-play.png" alt="Get it on Google Play" height="48"></a>
  <img src="/img/phone-mockup.png" alt="Example Notes on a phone" width="360">
</section>
<section class="features"><h2>Features</h2><p>Offline mode, tags, search.</p></section>""")
    silent(run_page(("UI001", "UI003"), html, url="https://www.example-notes.com/"))


def test_close_buttons_that_close_the_webview_or_go_back_are_silent():
    html = zh("""
<div class="result-pop" id="result" style="position:fixed;top:25%;left:10%;width:80%;z-index:100;background:#fff">
  <p>报名成功！</p>
  <a href="javascript:history.back()" class="btn-close" style="display:block;width:40px;height:40px">关闭</a>
</div>
<div class="footer-bar"><button id="wx-close" style="width:120px;height:44px">关闭</button></div>
<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>
<script>
document.getElementById('wx-close').addEventListener('click', function () {
  if (window.WeixinJSBridge) { WeixinJSBridge.call('closeWindow'); } else { wx.closeWindow(); }
});
</script>""")
    silent(run_page(("UI002", "UI003"), html, url="https://h5.example-edu.cn/signup/ok"))

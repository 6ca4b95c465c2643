"""UI002 fake-close-button: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest
from appaudit.scanner.model import Status

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import assert_at, dump, en, located, node, one, page_findings, run_dump, run_page, silent, zh

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

CASES = cases("ui002")

# A pop-up drawn over the page: fixed, stacked above it, covering most of the screen.
COVERING = "position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI002")


def selectors(source, url="https://www.example.com/", **kwargs):
    return [f.location.selector for f in page_findings("UI002", source, url=url, **kwargs)]


def test_a_close_control_that_is_itself_a_link_away():
    assert selectors('<div class="modal"><p>Hi</p><a id="c" href="https://ads.example.net/">关闭</a></div>') == ["#c"]


def test_cancelling_the_link_makes_it_a_real_close():
    for cancel in ("event.preventDefault()", "return false", "event.returnValue = false"):
        source = f'<a href="https://ads.example.net/"><img src="/a.png"><span onclick="{cancel}">×</span></a>'
        assert selectors(source) == [], cancel


def test_stopping_propagation_alone_still_follows_the_link():
    # In a browser stopPropagation keeps the click from other handlers, not from the
    # enclosing link: the tap still opens the ad.
    source = ('<a href="https://ads.example.net/"><img src="/a.png">'
              '<span id="x" onclick="event.stopPropagation(); hide()">×</span></a>')
    assert selectors(source) == ["#x"]


def test_a_stop_on_an_ancestor_inside_the_link_also_stops_it():
    source = """<a href="https://ads.example.net/"><img src="/a.png">
      <span onclick="event.preventDefault()"><i id="x" class="icon-close"></i></span></a>"""
    assert selectors(source) == []


def test_close_controls_that_stay_on_the_page_or_site_are_real():
    for href in ("#", "javascript:void(0)", "/home", "https://m.example.com/"):
        assert selectors(f'<div class="popup"><p>Hi</p><a href="{href}" class="close">×</a></div>') == [], href


def test_a_lone_x_needs_a_popup_or_an_ad_around_it():
    assert selectors('<footer><a href="https://x.com/acme">X</a></footer>') == []
    assert selectors('<footer><a href="https://ads.example.net/">X</a></footer>') == []
    popup = f'<div class="popup" style="{COVERING}"><p>Hi</p><a id="x" href="https://ads.example.net/">X</a></div>'
    assert selectors(popup) == ["#x"]
    assert selectors('<a href="https://ads.example.net/"><img src="/a.png"><b id="x">X</b></a>') == ["#x"]


def test_a_hidden_close_control_that_is_never_shown_is_ignored():
    source = '<a href="https://ads.example.net/"><img src="/a.png"><span style="display:none">×</span></a>'
    assert selectors(source) == []


def test_a_dump_close_node_that_handles_its_own_tap_is_not_fake():
    source = """<hierarchy rotation="0"><node bounds="[0,0][1080,2340]" clickable="false">
      <node resource-id="com.x:id/ad_root" clickable="true" bounds="[0,0][1080,2000]">
        <node text="广告" clickable="false" bounds="[0,1900][100,1950]"/>
        <node resource-id="com.x:id/iv_close" clickable="true" bounds="[960,40][1060,140]"/>
      </node></node></hierarchy>"""
    assert selectors(source, url=None, kind="uiautomator") == []
    assert selectors(source.replace('id/iv_close" clickable="true"', 'id/iv_close" clickable="false"'),
                     url=None, kind="uiautomator") == ["hierarchy > node > node > node:nth-of-type(2)"]


def test_the_declaration():
    from appaudit.checks.ui002_fake_close_button import FakeCloseButton
    assert (FakeCloseButton.id, FakeCloseButton.severity.label) == ("UI002", "high")


def test_ui002_x_inside_the_ads_link():
    html = zh("""
<div class="float-ad" id="float-ad" style="position:fixed;right:10px;bottom:10px;width:300px;height:250px;z-index:999">
  <a href="https://ad.doubleclick.net/ddm/trackclk/N1234.5678EXAMPLE/B2345678.3;dc_trk_aid=123;dc_trk_cid=456" target="_blank" id="float-ad-link">
    <img src="https://tpc.googlesyndication.com/simgad/1234567890" width="300" height="250" alt="">
    <span class="ad-close" id="float-ad-close" style="position:absolute;top:0;right:0;width:30px;height:30px;font-size:24px">×</span>
  </a>
</div>
<article><h1>央行宣布降准0.5个百分点</h1></article>
""", title="财经频道")
    run = run_page("UI002", html, url="https://finance.example-news.cn/a/1.html")
    assert_at(run.page, one(run, "UI002"), css="#float-ad-close")


def test_ui002_close_png_that_goes_to_a_product_page():
    html = zh("""
<div class="modal redpacket" id="red-packet" style="position:fixed;top:15%;left:10%;width:80%;z-index:900">
  <img src="/static/img/redpacket.png" alt="恭喜获得红包">
  <img id="rp-close" class="rp-close" src="/static/img/close.png" alt="" width="32" height="32"
       onclick="window.location.href='https://item.jd.com/100012043978.html'">
</div>
""")
    run = run_page("UI002", html, url="https://www.example-shop.cn/")
    assert_at(run.page, one(run, "UI002"), css="#rp-close")


def test_ui002_skip_button_opening_app_store_without_origin():
    html = zh("""
<div class="splash" id="splash" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999">
  <img src="/splash/douyin.jpg" alt="">
  <button id="skip-btn" class="skip" style="position:absolute;top:40px;right:16px;padding:8px 16px"
          onclick="location.href='market://details?id=com.ss.android.ugc.aweme'">跳过</button>
</div>
""")
    run = run_page("UI002", html)
    assert_at(run.page, one(run, "UI002"), css="#skip-btn")


def test_ui002_aria_label_close_bound_by_id_opens_a_window():
    html = en("""
<div class="interstitial" role="dialog" id="promo" style="position:fixed;inset:0;z-index:10000;background:#fff">
  <button id="promo-close" aria-label="Close" class="promo-close" style="width:44px;height:44px"><svg viewBox="0 0 24 24" width="24" height="24"><path d="M18 6 6 18M6 6l12 12"/></svg></button>
  <img src="/promo/vpn.png" alt="Fast VPN - 70% off">
</div>
<script>
  document.getElementById('promo-close').onclick = function () {
    window.open('https://track.adnetwork-example.com/click?cid=8812&sub=weather', '_blank');
  };
</script>
""", title="Example Weather")
    run = run_page("UI002", html, url="https://www.example-weather.com/")
    assert_at(run.page, one(run, "UI002"), css="#promo-close")


def test_ui002_not_interested_link_downloads_an_apk():
    html = zh("""
<div class="feed">
  <div class="feed-item"><h3>第一章 重生</h3></div>
  <div class="feed-ad" id="feed-ad-3">
    <img src="/ad/3.jpg" alt="">
    <p>热门手游，登录送VIP10</p>
    <a id="ad3-dislike" class="dislike" href="https://cdn.example-ads.cn/apk/xianxia_v1.0.8_release.apk">不感兴趣</a>
  </div>
</div>
""")
    run = run_page("UI002", html, url="https://m.example-novel.cn/")
    assert_at(run.page, one(run, "UI002"), css="#ad3-dislike")


def test_ui002_close_link_bound_by_addeventlistener_opens_wechat():
    html = zh("""
<div class="pop-wrap" id="wx-pop" style="position:fixed;top:30%;left:5%;width:90%;z-index:100">
  <a href="javascript:;" id="btnClose" class="pop-close" style="display:inline-block;width:40px;height:40px">关闭</a>
  <img src="/img/follow-gzh.png" alt="关注公众号领福利">
</div>
<script>
document.getElementById('btnClose').addEventListener('click', function (e) {
  location.assign('weixin://dl/business/?t=Xk2zQ8abcd');
});
</script>
""")
    run = run_page("UI002", html)
    assert_at(run.page, one(run, "UI002"), css="#btnClose")


def test_ui002_jquery_close_handler_navigates_to_another_site():
    html = zh("""
<div class="layer-ad" id="layer-ad" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:500">
  <img src="/ad/layer.jpg" alt="">
  <a class="j-close" id="j-close" href="javascript:void(0)" style="position:absolute;top:20px;right:20px;width:36px;height:36px">X</a>
</div>
<script src="//cdn.bootcdn.net/ajax/libs/jquery/3.6.0/jquery.min.js"></script>
<script>
$('#j-close').on('click', function () {
  window.location.href = 'https://union-click.jd.com/jdc?e=&p=JF8BAMkJK1olXwEAUV5eCU8TAF8IGl0dXQMCZF1bAA';
});
</script>
""")
    run = run_page("UI002", html, url="https://www.example-blog.cn/")
    assert_at(run.page, one(run, "UI002"), css="#j-close")


def test_ui002_close_image_with_duplicate_ids_selector_is_exact():
    # ad snippets pasted twice: both close icons carry id="close"; only the second is fake
    html = zh("""
<div class="popup" id="p1" style="position:fixed;top:10%;left:5%;width:90%;z-index:100">
  <img id="close" src="/img/icon-close.png" width="32" height="32" onclick="document.getElementById('p1').style.display='none'">
  <p>签到领积分</p>
</div>
<div class="popup" id="p2" style="position:fixed;top:50%;left:5%;width:90%;z-index:101">
  <a href="https://s.click.taobao.com/t?e=abc"><img src="/img/ad2.jpg"><img id="close" src="/img/icon-close.png" width="32" height="32"></a>
</div>
""")
    run = run_page("UI002", html, url="https://www.example-shop.cn/")
    finding = one(run, "UI002")
    element = located(run.page, finding)
    assert element.name == "img" and element.get("id") == "close"
    assert run.page.document.select_one("#p2") in element.parents


def test_ui002_id_that_is_no_css_identifier_selector_still_exact():
    # React's useId() writes ids such as ":r5:"
    html = en("""
<div role="dialog" class="promo-modal" style="position:fixed;inset:0;z-index:50">
  <a href="https://ads.example-network.com/c/991"><img src="/ad.png" alt=""><span id=":r5:" aria-label="Close" style="display:inline-block;width:32px;height:32px">✕</span></a>
</div>
""")
    run = run_page("UI002", html, url="https://www.example-news.com/")
    element = located(run.page, one(run, "UI002"))
    assert element.get("id") == ":r5:" or element.find(id=":r5:") is not None


def test_ui002_dump_close_icon_inside_clickable_ad_container():
    xml = dump(
        node((0, 0, 1080, 2400), rid="com.example.shop:id/dim", cls="android.view.View"),
        node((90, 600, 990, 1800),
             node((90, 600, 990, 1650), rid="com.example.shop:id/dialog_ad_image", cls="android.widget.ImageView"),
             node((900, 610, 1040, 750), desc="关闭", rid="com.example.shop:id/iv_close", cls="android.widget.ImageView",
                  index=1),
             node((100, 1700, 200, 1740), text="广告", rid="com.example.shop:id/tv_ad_tag", cls="android.widget.TextView",
                  index=2),
             rid="com.example.shop:id/dialog_ad_root", cls="android.widget.RelativeLayout", clickable=True, index=1),
    )
    run = run_dump("UI002", xml)
    assert_at(run.page, one(run, "UI002"), attrs={"resource-id": "com.example.shop:id/iv_close"})


def test_ui002_jquery_close_that_hides_is_silent():
    html = zh("""
<div class="pop" id="pop" style="position:fixed;top:20%;left:10%;width:80%;z-index:100;background:#fff">
  <a href="javascript:void(0)" class="pop-close" style="display:block;width:32px;height:32px">关闭</a>
  <p>关注我们的公众号，第一时间获取优惠信息</p>
</div>
<script src="https://cdn.bootcdn.net/ajax/libs/jquery/3.6.0/jquery.min.js"></script>
<script>$('.pop-close').click(function () { $('#pop').hide(); return false; });</script>
""")
    run = run_page(("UI002", "UI003"), html, url="https://www.example-shop.cn/")
    silent(run)


def test_ui002_chinese_skip_link_to_content_is_silent():
    html = zh("""
<a href="#content" class="skip-link">跳到主要内容</a>
<a href="#nav" class="skip-link">跳过导航</a>
<nav id="nav"><a href="/">首页</a></nav>
<main id="content"><h1>政务服务</h1></main>
""", title="政务服务网")
    run = run_page(("UI002", "UI004"), html, url="https://www.example.gov.cn/")
    silent(run)


def test_ui002_close_link_to_web_address_without_origin_is_not_applicable():
    html = zh("""
<div class="popup" style="position:fixed;top:20%;left:10%;width:80%;z-index:100">
  <img src="/ad.jpg" alt="">
  <a class="close" href="https://www.some-site.com/promo" style="display:block;width:32px;height:32px">×</a>
</div>
""")
    run = run_page("UI002", html)
    silent(run)
    assert run.status("UI002") is Status.NOT_APPLICABLE


def test_ui002_close_that_hides_and_also_opens_the_ad():
    html = zh("""
<div class="pop" id="pop" style="position:fixed;top:20%;left:10%;width:80%;z-index:200">
  <img src="/ad/pop.jpg" alt="">
  <span id="pop-x" title="关闭" style="display:block;width:32px;height:32px"
        onclick="document.getElementById('pop').style.display='none';window.open('https://mos.m.taobao.com/union/huichang?pid=mm_1_2_3')">✖</span>
</div>
""")
    run = run_page("UI002", html, url="https://www.example-blog.cn/")
    assert_at(run.page, one(run, "UI002"), css="#pop-x")



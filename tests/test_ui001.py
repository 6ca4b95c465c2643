"""UI001 redirect-popup: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest
from appaudit.scanner.model import Status
from appaudit.scanner.page import Page

from tests.fixtures.appscreens import SPLASH_DUMP
from tests.fixtures.pages.cases import cases, check_case, page_status
from tests.helpers import assert_at, en, flow_findings, html_flow, make_flow, one, page_findings, run_dump, run_page, silent, zh

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

CASES = cases("ui001")

# A pop-up drawn over the page: fixed, stacked above it, covering most of the screen.
COVERING = "position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI001")


POPUP = """<div class="popup" style="position: fixed; inset: 0; z-index: 999">
  <a id="creative" href="{href}"><img src="/ad.jpg"></a>
  <button class="close" aria-label="Close" onclick="this.parentNode.remove()">×</button></div>"""


def findings(source, **kwargs):
    return [f for f in page_findings("UI001", source, **kwargs)]


def test_an_app_store_is_judged_even_when_the_page_url_is_unknown():
    found = findings(POPUP.format(href="https://apps.apple.com/app/id1"), url=None)
    assert [(f.location.selector, f.evidence.details["kind"]) for f in found] == [("#creative", "app_store")]


def test_another_site_needs_the_page_url():
    assert findings(POPUP.format(href="https://promo.example.org/"), url=None) == []
    found = findings(POPUP.format(href="https://promo.example.org/"), url="https://news.example.com/")
    assert found[0].evidence.details["destination"] == "https://promo.example.org/"


def test_a_same_site_creative_is_not_a_redirect():
    assert findings(POPUP.format(href="https://shop.example.com/sale"), url="https://www.example.com/") == []


def test_a_small_button_beside_the_content_is_not_the_main_area():
    source = """<div class="modal"><h2>Our app is here</h2>
      <p>Read offline, get alerts for the stories you follow and save articles for later.</p>
      <a id="get" href="https://play.google.com/store/apps/details?id=x">Get</a>
      <button class="btn-close" aria-label="Close"></button></div>"""
    assert findings(source, url="https://news.example.com/") == []


def test_a_popup_shown_only_after_a_click_is_not_judged():
    source = """<button id="open">Offers</button>
      <div class="popup" id="p" style="display:none"><a href="market://details?id=x"><img src="/o.png"></a></div>
      <script>document.getElementById('open').onclick = function () { $('#p').show(); };</script>"""
    assert findings(source, url=None) == []


BOOTSTRAP_MODAL = """<div class="{classes}" id="dl" role="dialog"{style}><div class="modal-dialog">
  <div class="modal-content"><a id="store" href="https://apps.apple.com/app/id1"><img src="/qr.png" width="300"></a>
  </div></div></div>{extra}"""


@pytest.mark.parametrize("classes, extra", [
    ("modal fade", ""),
    ("modal", '<a class="btn" data-bs-toggle="modal" href="#dl">Get the app</a>'),
])
def test_a_closed_bootstrap_modal_is_not_shown(classes, extra):
    # bootstrap.css hides .modal until "in" / "show"; Bootstrap 3 marks a closed one with nothing else
    assert findings(BOOTSTRAP_MODAL.format(classes=classes, style="", extra=extra), url=None) == []


@pytest.mark.parametrize("classes, style, extra", [
    ("modal fade", "", "<script>$(function () { $('#dl').modal('show'); });</script>"),
    ("modal fade show", ' style="display: block"', ""),
])
def test_a_bootstrap_modal_open_or_opened_on_load_is_judged(classes, style, extra):
    source = BOOTSTRAP_MODAL.format(classes=classes, style=style, extra=extra)
    assert [f.location.selector for f in findings(source, url=None)] == ["#store"]


def test_a_popup_shown_by_a_timer_is_judged():
    source = f"""<div class="popup" id="p" style="display:none;{COVERING}">
          <a id="l" href="market://details?id=x"><img src="/o.png"></a></div>""" + """
      <script>setTimeout(function () { $('#p').fadeIn(); }, 1500);</script>"""
    assert [f.location.selector for f in findings(source, url=None)] == ["#l"]


def test_the_declaration():
    from appaudit.checks.ui001_redirect_popup import RedirectPopup
    assert (RedirectPopup.id, RedirectPopup.name, RedirectPopup.severity.label) == ("UI001", "redirect-popup", "high")


def test_a_web_destination_that_cannot_be_judged_makes_the_page_not_applicable():
    assert page_status("UI001", POPUP.format(href="https://promo.example.org/"), None) == "not_applicable"
    assert page_status("UI001", POPUP.format(href="https://promo.example.org/"), "https://www.example.com/") == "fail"
    # Without the page's own URL the check could not look for other sites: not "pass".
    assert page_status("UI001", POPUP.format(href="/promo"), None) == "not_applicable"
    assert page_status("UI001", POPUP.format(href="/promo"), "https://www.example.com/") == "pass"
    assert page_status("UI001", "<p>No pop-up here</p>", None) == "not_applicable"


TAOBAO_SPLASH = zh("""
<div id="splash" class="splash-ad">
  <a id="splash-link" href="https://s.click.taobao.com/t?e=m%3D2%26s%3DabcDEF12&amp;pid=mm_123_456_789">
    <img src="https://img.alicdn.com/imgextra/i1/O1CN01splash.jpg" alt="双11狂欢节 全场5折起">
  </a>
  <span id="splash-skip" class="splash-skip" onclick="document.getElementById('splash').style.display='none'">跳过</span>
</div>
<main id="main"><h1>今日要闻</h1><p>国内新闻 国际新闻 财经 科技</p></main>
""", title="示例新闻 - 首页", head="""<style>
.splash-ad{position:fixed;top:0;left:0;right:0;bottom:0;z-index:9999;background:#000}
.splash-ad img{width:100%;height:100%;object-fit:cover}
.splash-skip{position:absolute;top:40px;right:16px;padding:8px 16px;border-radius:16px;background:rgba(0,0,0,.5);color:#fff;font-size:14px}
</style>""")


def test_ui001_taobao_style_splash_ad_linking_to_taobao():
    run = run_page("UI001", TAOBAO_SPLASH, url="https://m.example-news.cn/")
    assert_at(run.page, one(run, "UI001"), within="#splash")


def test_ui001_vue_rendered_popup_bound_by_addeventlistener():
    html = zh("""
<div id="app" data-v-app="">
  <div data-v-7a1c3e2f="" class="home"><div data-v-7a1c3e2f="" class="video-list">热门视频</div></div>
  <div data-v-5e3b9a10="" id="tc" class="tanchuang-mask" style="position: fixed; top: 0px; left: 0px; width: 100%; height: 100%; z-index: 2000; background: rgba(0, 0, 0, 0.6);">
    <div data-v-5e3b9a10="" class="tanchuang-content"><img data-v-5e3b9a10="" class="tanchuang-img" src="/static/img/618.png" alt="618大促 满300减50"></div>
    <i data-v-5e3b9a10="" id="tc-close" class="tanchuang-close iconfont icon-close" style="display:block;width:32px;height:32px;font-size:28px;color:#fff" onclick="event.stopPropagation();document.getElementById('tc').style.display='none'">&#xe601;</i>
  </div>
</div>
<script>
document.getElementById('tc').addEventListener('click', function () {
  window.location.href = 'https://pro.m.jd.com/mall/active/618/index.html?utm_source=example&utm_medium=tc';
});
</script>
""", title="示例视频")
    run = run_page("UI001", html, url="https://www.example-video.cn/")
    assert_at(run.page, one(run, "UI001"), within="#tc")


def test_ui001_role_dialog_deep_link_judged_without_origin():
    html = zh("""
<div class="modal-mask" role="dialog" aria-modal="true" id="open-app">
  <div class="modal-body" id="open-app-body" onclick="location.href='taobao://m.tb.cn/h.5Qx1abc?sm=7d9e'">
    <img src="/img/open-app-banner.png" alt="打开淘宝App，领取专属红包">
    <p>打开App查看更多好货</p>
  </div>
  <button class="modal-close" style="width:36px;height:36px" onclick="document.getElementById('open-app').remove()">×</button>
</div>
""")
    run = run_page("UI001", html)  # no origin at all: a deep link is judged anyway
    assert_at(run.page, one(run, "UI001"), within="#open-app")


def test_ui001_dialog_element_linking_to_app_store_english():
    html = en("""
<dialog open id="get-app" class="app-interstitial">
  <a id="get-app-link" href="https://apps.apple.com/us/app/example-recipes/id1234567890">
    <img src="/img/app-promo.png" alt="Get the Example Recipes app" width="320" height="480">
    <p>Cook faster with our app</p>
  </a>
  <form method="dialog"><button class="dialog-close" style="padding:12px 20px">Not now</button></form>
</dialog>
<main id="main"><h1>Weeknight pasta</h1></main>
""", title="Example Recipes")
    run = run_page("UI001", html, url="https://www.example-recipes.com/pasta")
    assert_at(run.page, one(run, "UI001"), within="#get-app")


def test_ui001_popup_to_other_site_from_flow_url():
    html = zh("""
<div class="popup-layer" id="pop" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:1000">
  <a href="https://union-click.jd.com/jdc?e=618&amp;p=JF8BAN4JG1wR" id="pop-link"><img src="/ad/jd618.jpg" alt="京东618"></a>
</div>
<p>正文内容</p>
""")
    flows = [make_flow("GET", "https://api.example-news.cn/v1/config", response_json={"ok": True}),
             html_flow("https://m.example-news.cn/article/20240601/1.html", html)]
    findings = [f for f in flow_findings("UI001", flows) if f.check == "UI001"]
    assert len(findings) == 1
    loc = findings[0].location
    assert loc.flow == 1
    assert loc.url == "https://m.example-news.cn/article/20240601/1.html"
    assert_at(Page(source=html, input="x", url=loc.url), findings[0], within="#pop")


def test_ui001_popup_to_same_site_from_flow_url_is_silent():
    html = zh("""
<div class="popup-layer" id="pop" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:1000">
  <a href="https://www.example-news.cn/topic/618" id="pop-link"><img src="/ad/618.jpg" alt="618专题"></a>
  <span class="pop-close" style="position:absolute;top:10px;right:10px;width:32px;height:32px" onclick="this.parentNode.style.display='none'">×</span>
</div>
""")
    findings = flow_findings("UI001", [html_flow("https://m.example-news.cn/", html)])
    assert not [f for f in findings if f.check == "UI001"]


def test_ui001_popup_to_web_address_without_origin_is_not_applicable():
    html = zh("""
<div class="popup-layer" id="pop" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:1000">
  <a href="https://www.other-mall.com/landing?id=77"><img src="/ad/big.jpg" alt="大促"></a>
</div>
""")
    run = run_page("UI001", html)
    silent(run)
    assert run.status("UI001") is Status.NOT_APPLICABLE


def test_ui001_dump_splash_whose_whole_area_is_clickable():
    run = run_dump("UI001", SPLASH_DUMP)
    assert_at(run.page, one(run, "UI001"), attrs={"resource-id": "com.example.news:id/splash_ad_container"})


def test_ui001_popup_to_tencent_app_store_without_origin():
    # WeChat H5 pages send users to 应用宝's micro-download page
    html = zh("""
<div class="guide-pop" id="guide-pop" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:999">
  <a href="https://a.app.qq.com/o/simple.jsp?pkgname=com.example.novel&amp;ckey=CK1234"><img src="/img/pop-download.png" alt="下载App 免费看全本"></a>
</div>
""")
    run = run_page("UI001", html)
    assert_at(run.page, one(run, "UI001"), within="#guide-pop")


def test_ui001_pinyin_guanggao_popup_with_android_intent():
    html = zh("""
<div class="guanggao-tc" id="gg" style="position:absolute;top:0;left:0;width:100%;height:100%;z-index:888">
  <a href="intent://details?id=com.example.game#Intent;scheme=market;package=com.android.vending;end"><img src="/gg/game.jpg" alt="传奇手游 开局送VIP"></a>
</div>
""")
    run = run_page("UI001", html, url="https://m.example-novel.cn/")
    assert_at(run.page, one(run, "UI001"), within="#gg")


def test_ui001_huawei_and_xiaomi_store_links_in_a_splash():
    for store in ("https://appgallery.huawei.com/app/C100123456", "https://app.mi.com/details?id=com.example.game"):
        html = zh(f"""
<div class="splash" id="splash" style="position:fixed;inset:0;z-index:9999">
  <a href="{store}"><img src="/splash/game.jpg" alt="新游上线"></a>
</div>""")
        run = run_page("UI001", html)
        assert_at(run.page, one(run, "UI001"), within="#splash")


def test_ui001_smart_app_banner_meta_and_lightbox_are_silent():
    html = en("""
<div class="lightbox" id="lightbox" role="dialog" style="position:fixed;inset:0;z-index:1050;background:rgba(0,0,0,.9)">
  <a href="/gallery/2"><img src="/gallery/1-large.jpg" alt="Photo 1 of 12"></a>
  <button class="lightbox-close" aria-label="Close" style="width:44px;height:44px" onclick="document.getElementById('lightbox').hidden=true">×</button>
</div>
""", head='<meta name="apple-itunes-app" content="app-id=1234567890">')
    silent(run_page(("UI001", "UI002", "UI003", "UI004"), html, url="https://www.example-photos.com/gallery/1"))


def test_ui001_popup_revealed_by_jquery_fadein_on_ready():
    html = zh("""
<div class="tanchuang" id="tc" style="display:none;position:fixed;top:0;left:0;width:100%;height:100%;z-index:1000">
  <a href="https://union-click.jd.com/jdc?e=&amp;p=AyIGZRprFQ"><img src="/tc/jd.jpg" alt="京东年货节"></a>
  <span class="tc-close" style="position:absolute;top:10px;right:10px;width:32px;height:32px" onclick="$('#tc').hide()">×</span>
</div>
<script src="https://cdn.bootcdn.net/ajax/libs/jquery/3.6.0/jquery.min.js"></script>
<script>$(function () { $('#tc').fadeIn(300); });</script>""")
    run = run_page("UI001", html, url="https://www.example-blog.cn/")
    assert_at(run.page, one(run, "UI001"), within="#tc")


def test_ui001_popup_shown_by_timer_with_image_opening_window():
    html = zh("""
<div class="popup" id="pp" style="display:none;position:fixed;top:10%;left:5%;width:90%;z-index:500">
  <img src="/ad/pdd.jpg" style="width:100%" alt="" onclick="window.open('https://mobile.yangkeduo.com/promotion_op.html?type=27')">
  <span class="close" style="position:absolute;top:0;right:0;width:30px;height:30px" onclick="document.getElementById('pp').style.display='none'">×</span>
</div>
<script>setTimeout(function () { document.getElementById('pp').style.display = 'block'; }, 3000);</script>""")
    run = run_page("UI001", html, url="https://www.example-news.cn/")
    assert_at(run.page, one(run, "UI001"), within="#pp")

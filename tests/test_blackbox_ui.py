"""Black-box tests of the UI checks UI001-UI011 against the contract (CONTRACT.md), the
issue texts (#5, #6) and the catalogue (docs/checks.md), written the way an outside
tester would: realistic Chinese and English pages, HTML inside captured flows and
Android ``uiautomator dump`` XML; positives that must be reported and hard negatives
that must stay silent. Every finding must carry ``location.selector`` selecting exactly
the offending element, ``location.line`` and ``location.snippet``."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from appaudit.scanner.engine import InputScan, ScanSettings, scan_file
from appaudit.scanner.loading import Input
from appaudit.scanner.model import Status
from appaudit.scanner.page import Page
from appaudit.scanner.profile_loader import Profile
from tests.helpers import app_from_yaml, make_flow, settings_for

UI_ALL = tuple(f"UI{n:03d}" for n in range(1, 12))


# ---------------------------------------------------------------- harness

class Run:
    def __init__(self, findings, outcomes, page):
        self.findings = findings
        self.outcomes = outcomes
        self.page = page

    def of(self, check: str) -> list:
        return [f for f in self.findings if f.check == check]

    def status(self, check: str) -> Status:
        return self.outcomes[check]

    def describe(self) -> str:
        return "\n".join(f"{f.check} {f.location.selector!r} {f.title}" for f in self.findings) or "(none)"


def run_page(checks, source: str, *, url: str | None = None, kind: str = "html", app=None,
             dpi: float | None = None, profile: Profile | None = None, input: str = "page.html") -> Run:
    ids = (checks,) if isinstance(checks, str) else tuple(checks)
    if profile is not None:
        profile = Profile(name=profile.name, enabled=ids, settings=profile.settings, brands=profile.brands)
    settings = settings_for(ids, app=app, dpi=dpi, profile=profile)
    scan = InputScan(settings, Input(path=input, kind=kind))
    page = Page(source=source, input=input, kind=kind, url=url)
    findings = scan.page(page) + scan.finish()
    outcomes = {o.check: o.status for o in scan.outcomes()}
    broken = {o.check: o.reason for o in scan.outcomes() if o.status is Status.ERROR}
    assert not broken and not scan.input.problems, (broken, scan.input.problems)
    return Run(findings, outcomes, page)


def flow_findings(checks, flows, *, app=None, input: str = "session.mitm") -> list:
    """Run checks over flows as one input (as tests.helpers does), failing on a check error."""
    ids = (checks,) if isinstance(checks, str) else tuple(checks)
    scan = InputScan(settings_for(ids, app=app), Input(path=input, kind="flows"))
    findings = []
    for index, flow in enumerate(flows):
        findings += scan.flow(flow, index)
    findings += scan.finish()
    broken = {o.check: o.reason for o in scan.outcomes() if o.status is Status.ERROR}
    assert not broken and not scan.input.problems, (broken, scan.input.problems)
    return findings


def run_dump(checks, xml: str, *, dpi: float | None = 440, app=None) -> Run:
    return run_page(checks, xml, kind="uiautomator", dpi=dpi, app=app, input="window_dump.xml")


def one(run: Run, check: str):
    found = run.of(check)
    assert len(found) == 1, f"expected one {check} finding, got:\n{run.describe()}"
    return found[0]


def silent(run: Run, *checks: str) -> None:
    checks = checks or tuple(run.outcomes)
    found = [f for f in run.findings if f.check in checks]
    assert not found, "expected no findings, got:\n" + "\n".join(
        f"{f.check} {f.location.selector!r} {f.title} | {f.location.snippet}" for f in found)


def located(page: Page, finding):
    """The finding's selector selects exactly one element of the page; its line is the
    line of that element's start tag; its snippet is an excerpt of that element."""
    loc = finding.location
    assert loc.selector, f"{finding.check} finding without a selector"
    hits = page.document.select(loc.selector)
    assert len(hits) == 1, f"selector {loc.selector!r} selects {len(hits)} elements"
    element = hits[0]
    assert isinstance(loc.line, int) and loc.line >= 1, f"no line for {loc.selector!r}"
    source_line = page.source.splitlines()[loc.line - 1]
    assert f"<{element.name}".lower() in source_line.lower(), (loc.line, source_line[:120])
    assert loc.snippet and loc.snippet.lstrip().startswith(f"<{element.name}"), loc.snippet
    return element


def _ancestors(element, depth):
    node = element
    for _ in range(depth):
        node = node.parent
        if node is None:
            return
        yield node


def assert_at(page: Page, finding, *, css: str | None = None, within: str | None = None,
              near: str | None = None, depth: int = 1, attrs: dict | None = None):
    """Where the finding points: exactly ``css``; the element ``within`` or inside it;
    ``near`` (that element, its parent/child up to ``depth`` levels); or (dumps) the node
    with these attributes."""
    element = located(page, finding)
    if css is not None:
        target = page.document.select_one(css)
        assert element is target, f"{finding.location.selector!r} is not {css!r}"
    if within is not None:
        target = page.document.select_one(within)
        assert element is target or target in element.parents, \
            f"{finding.location.selector!r} is outside {within!r}"
    if near is not None:
        target = page.document.select_one(near)
        assert element is target or element in _ancestors(target, depth) or target in _ancestors(element, depth), \
            f"{finding.location.selector!r} is not {near!r}"
    if attrs is not None:
        for key, value in attrs.items():
            assert element.get(key) == value, (finding.location.selector, key, element.get(key))
    return element


def html_flow(url: str, html: str | bytes, *, content_type: str = "text/html; charset=utf-8", headers=None):
    response_headers = [("content-type", content_type), ("server", "Tengine")] + list(headers or [])
    return make_flow("GET", url, headers={"user-agent": UA_WECHAT, "accept": "text/html"},
                     response_headers=response_headers, response_body=html)


UA_WECHAT = ("Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 "
             "(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 "
             "MMWEBSDK/20230405 MicroMessenger/8.0.35.2360(0x2800235B) WeChat/arm64 Weixin NetType/WIFI "
             "Language/zh_CN ABI/arm64")


def zh(body: str, *, title: str = "示例", head: str = "", lang: str = "zh-CN", pre: str = "") -> str:
    return f"""{pre}<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<title>{title}</title>
{head}
</head>
<body>
{body}
</body>
</html>
"""


def en(body: str, *, title: str = "Example", head: str = "", lang: str = "en", pre: str = "") -> str:
    return zh(body, title=title, head=head, lang=lang, pre=pre)


# uiautomator dumps as `adb shell uiautomator dump` writes them: one line, every attribute.
def node(bounds, *children, text="", rid="", cls="android.view.View", pkg="com.example.shop", desc="",
         checkable=False, checked=False, clickable=False, enabled=True, focusable=None, scrollable=False,
         selected=False, index=0) -> str:
    b = lambda v: "true" if v else "false"  # noqa: E731
    focusable = clickable if focusable is None else focusable
    x1, y1, x2, y2 = bounds
    attrs = (f'index="{index}" text="{text}" resource-id="{rid}" class="{cls}" package="{pkg}" '
             f'content-desc="{desc}" checkable="{b(checkable)}" checked="{b(checked)}" '
             f'clickable="{b(clickable)}" enabled="{b(enabled)}" focusable="{b(focusable)}" focused="false" '
             f'scrollable="{b(scrollable)}" long-clickable="false" password="false" selected="{b(selected)}" '
             f'bounds="[{x1},{y1}][{x2},{y2}]"')
    if not children:
        return f"<node {attrs} />"
    return f"<node {attrs}>" + "".join(children) + "</node>"


def dump(*children, pkg="com.example.shop") -> str:
    root = node((0, 0, 1080, 2400),
                node((0, 0, 1080, 2400),
                     node((0, 0, 1080, 2400), *children, rid="android:id/content", cls="android.widget.FrameLayout",
                          pkg=pkg),
                     cls="android.widget.LinearLayout", pkg=pkg),
                cls="android.widget.FrameLayout", pkg=pkg)
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            f'<hierarchy rotation="0">{root}</hierarchy>')


def status_bar_and_title(title: str, pkg="com.example.shop") -> str:
    return node((0, 0, 1080, 220),
                node((48, 110, 600, 190), text=title, rid=f"{pkg}:id/title", cls="android.widget.TextView", pkg=pkg),
                rid=f"{pkg}:id/toolbar", cls="android.view.ViewGroup", pkg=pkg)


# ================================================================ UI001 redirect-popup

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


def test_ui001_invisible_fullscreen_tap_area_downloading_apk():
    html = zh("""
<div class="page"><h1>第八章 仙门大比</h1><p>林凡深吸一口气，缓缓走上擂台……</p></div>
<div id="hotspot" style="position:fixed;left:0;top:0;width:100vw;height:100vh;z-index:99;opacity:0"
     onclick="window.location.href='https://dl.example-ads.com/pkg/xianxia_v2.3.1.apk'"></div>
""", title="仙门 - 第八章")
    run = run_page("UI001", html, url="https://m.example-novel.cn/book/88/8.html")
    assert_at(run.page, one(run, "UI001"), css="#hotspot")


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


def test_bootstrap_modal_with_btn_close_and_skip_link_is_silent():
    run = run_page(("UI001", "UI002", "UI003", "UI004"), BOOTSTRAP_MODAL, url="https://www.example-store.com/")
    silent(run)


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


def test_app_store_badges_in_footer_are_silent():
    run = run_page(("UI001", "UI002", "UI004"), FOOTER_BADGES, url="https://www.example-recipes.com/")
    silent(run)


X_HIDES_DIALOG = zh("""
<div class="popup" id="coupon-pop" style="position:fixed;top:20%;left:10%;width:80%;z-index:1000;background:#fff;border-radius:8px">
  <span class="popup-close" id="coupon-close" style="position:absolute;top:8px;right:8px;width:32px;height:32px;font-size:24px;line-height:32px;text-align:center;color:#333" onclick="document.getElementById('coupon-pop').style.display='none'">×</span>
  <h3>新人专享优惠券</h3>
  <p>满100减20，限今日领取</p>
  <a href="/coupon/receive?id=2024" class="btn">立即领取</a>
</div>
""", title="领券中心")


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


def test_ui001_popup_to_web_address_without_origin_is_not_applicable():
    html = zh("""
<div class="popup-layer" id="pop" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:1000">
  <a href="https://www.other-mall.com/landing?id=77"><img src="/ad/big.jpg" alt="大促"></a>
</div>
""")
    run = run_page("UI001", html)
    silent(run)
    assert run.status("UI001") is Status.NOT_APPLICABLE


SPLASH_DUMP = dump(
    node((0, 0, 1080, 2400),
         node((0, 0, 1080, 2100), rid="com.example.news:id/splash_ad_image", cls="android.widget.ImageView",
              pkg="com.example.news"),
         node((240, 1880, 840, 2000), text="点击跳转详情页或第三方应用", rid="com.example.news:id/splash_ad_action",
              cls="android.widget.TextView", pkg="com.example.news", index=1),
         node((40, 2300, 110, 2340), text="广告", rid="com.example.news:id/ad_tag", cls="android.widget.TextView",
              pkg="com.example.news", index=2),
         node((950, 110, 1040, 150), text="跳过", rid="com.example.news:id/skip_view", cls="android.widget.TextView",
              pkg="com.example.news", clickable=True, index=3),
         rid="com.example.news:id/splash_ad_container", cls="android.widget.FrameLayout", pkg="com.example.news",
         clickable=True),
    pkg="com.example.news")


def test_ui001_dump_splash_whose_whole_area_is_clickable():
    run = run_dump("UI001", SPLASH_DUMP)
    assert_at(run.page, one(run, "UI001"), attrs={"resource-id": "com.example.news:id/splash_ad_container"})


def test_ui003_dump_splash_with_tiny_skip_node():
    run = run_dump("UI003", SPLASH_DUMP, dpi=440)  # 90 x 40 px at 2.75x = 33 x 15 dp
    assert_at(run.page, one(run, "UI003"), attrs={"resource-id": "com.example.news:id/skip_view"})


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


def test_dump_normal_dialog_with_proper_close_button_is_silent():
    run = run_dump(("UI001", "UI002", "UI003"), COUPON_DIALOG_DUMP, dpi=440)  # 144 px = 52 dp
    silent(run)


# ================================================================ UI002 fake-close-button

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


def test_ui002_x_inside_ad_link_that_stops_the_click_is_silent():
    html = zh("""
<div class="banner" id="banner-wrap" style="position:fixed;bottom:0;left:0;width:100%;z-index:90">
  <a href="https://ad.example-ads.cn/c?id=1" id="banner-ad"><img src="/b.jpg" alt="">
    <span id="banner-close" style="position:absolute;top:0;right:0;width:32px;height:32px"
          onclick="event.stopPropagation();event.preventDefault();document.getElementById('banner-wrap').style.display='none'">×</span></a>
</div>
""")
    run = run_page("UI002", html, url="https://www.example-news.cn/")
    silent(run)


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


def test_ui002_question_about_turning_off_auto_renewal_is_no_close_control():
    html = zh("""
<div class="vip-faq">
  <h2>常见问题</h2>
  <a href="https://support.apple.com/zh-cn/118428" target="_blank">如何关闭自动续费？</a>
  <a href="/help/skip-ads">会员能跳过广告吗？</a>
</div>
""", title="会员中心")
    run = run_page("UI002", html, url="https://vip.example-video.cn/faq")
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


# ================================================================ UI003 obstructed-close

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


def test_ui003_close_styled_tiny_by_a_style_block():
    html = zh("""
<div class="ad-layer" id="ad-layer">
  <img src="/ad/full.jpg" alt="">
  <span class="ad-close" id="ad-close" onclick="closeAd()">×</span>
</div>
<script>function closeAd(){ document.querySelector('.ad-layer').style.display = 'none'; }</script>
""", head="""<style>
.ad-layer{position:fixed;top:0;left:0;width:100%;height:100%;z-index:1000;background:#000}
.ad-layer .ad-close{position:absolute;top:6px;right:6px;width:12px;height:12px;font-size:10px;line-height:12px;color:#999}
</style>""")
    run = run_page("UI003", html, url="https://m.example-news.cn/")
    assert_at(run.page, one(run, "UI003"), css="#ad-close")


def test_ui003_nearly_transparent_close():
    html = en("""
<div class="modal-ad" id="modal-ad" role="dialog" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:800;background:#111">
  <img src="/ads/casino.jpg" alt="">
  <button id="ad-dismiss" aria-label="Close" style="position:absolute;top:12px;right:12px;width:32px;height:32px;opacity:0.05"
          onclick="document.getElementById('modal-ad').remove()">✕</button>
</div>
""")
    run = run_page("UI003", html, url="https://www.example-games.com/")
    assert_at(run.page, one(run, "UI003"), css="#ad-dismiss")


def test_ui003_close_revealed_only_after_a_timer():
    html = zh("""
<div class="modal-ad" id="modal-ad" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:500;background:rgba(0,0,0,.6)">
  <img src="/ad/big.png" alt="">
  <a id="modal-ad-close" class="close" href="javascript:void(0)" style="display:none;width:32px;height:32px"
     onclick="document.getElementById('modal-ad').style.display='none'">关闭</a>
</div>
<script>
setTimeout(function () { document.getElementById('modal-ad-close').style.display = 'block'; }, 5000);
</script>
""")
    run = run_page("UI003", html, url="https://www.example-video.cn/")
    assert_at(run.page, one(run, "UI003"), css="#modal-ad-close")


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


def test_ui003_close_the_colour_of_its_background():
    html = zh("""
<div class="popup" id="vip-pop" style="position:fixed;top:15%;left:8%;width:84%;z-index:300;background:#ffffff;border-radius:12px">
  <span id="vip-pop-close" style="position:absolute;top:8px;right:8px;width:32px;height:32px;font-size:22px;color:#ffffff"
        onclick="document.getElementById('vip-pop').style.display='none'">×</span>
  <h3>开通会员 首月仅需6元</h3>
  <a href="/vip/buy" class="btn-buy">立即开通</a>
</div>
""")
    run = run_page("UI003", html, url="https://www.example-video.cn/")
    assert_at(run.page, one(run, "UI003"), css="#vip-pop-close")


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


# ================================================================ UI004 auto-redirect

def test_ui004_meta_refresh_to_another_site():
    html = zh("""<p>页面加载中……</p>""", head='<meta http-equiv="refresh" content="0;url=https://www.example-casino.com/?from=seo">')
    run = run_page("UI004", html, url="https://www.example-edu.cn/news/123.html")
    assert_at(run.page, one(run, "UI004"), css="meta[http-equiv=refresh]")


def test_ui004_load_handler_with_timer_to_taobao_short_link():
    html = zh("""
<div class="coupon"><h1>领取淘宝内部优惠券</h1><p>3秒后自动跳转……</p></div>
<script>
window.onload = function () {
  setTimeout(function () {
    location.replace("https://m.tb.cn/h.5Qx1abc?sm=ad");
  }, 3000);
};
</script>
""")
    run = run_page("UI004", html, url="https://m.example-coupon.cn/q/88")
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_body_onload_opens_jd_app_without_origin():
    html = zh("<p>正在打开京东App……</p>").replace(
        "<body>", """<body onload="window.location.href='openapp.jdmobile://virtual?params=%7B%22category%22%3A%22jump%22%2C%22des%22%3A%22productDetail%22%2C%22skuId%22%3A%22100012043978%22%7D'">""")
    run = run_page("UI004", html)
    assert_at(run.page, one(run, "UI004"), css="body")


def test_ui004_hidden_iframe_with_app_deep_link():
    html = zh("""
<div class="video"><h1>热门视频</h1></div>
<iframe id="wake" src="snssdk1128://aweme/detail/7123456789012345678" style="display:none" width="0" height="0"></iframe>
""")
    run = run_page("UI004", html, url="https://m.example-video.cn/v/1")
    assert_at(run.page, one(run, "UI004"), css="#wake")


def test_ui004_jquery_ready_redirect():
    html = zh("""
<script src="https://cdn.bootcdn.net/ajax/libs/jquery/3.6.0/jquery.min.js"></script>
<script>
$(function () {
  window.location.href = "https://www.other-mall.com/landing?channel=bd";
});
</script>
""")
    run = run_page("UI004", html, url="https://www.example-blog.cn/")
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_same_site_meta_refresh_after_login_is_silent():
    html = zh("<p>登录成功，3秒后跳转到个人中心……</p>",
              head='<meta http-equiv="refresh" content="3;url=https://www.example.com.cn/user/center">')
    run = run_page("UI004", html, url="https://passport.example.com.cn/login?redirect=%2Fuser%2Fcenter")
    silent(run)
    assert run.status("UI004") is Status.PASS


def test_ui004_relative_meta_refresh_is_silent():
    html = en("<p>Signed in. Redirecting…</p>", head='<meta http-equiv="Refresh" content="2; URL=/account/orders">')
    run = run_page("UI004", html, url="https://accounts.example-store.com/signin")
    silent(run)


def test_ui004_meta_refresh_without_url_reloads_itself_is_silent():
    html = zh("<p>实时比分</p>", head='<meta http-equiv="refresh" content="60">')
    run = run_page("UI004", html, url="https://live.example-sports.cn/")
    silent(run)


def test_ui004_navigation_on_click_is_user_action():
    html = zh("""
<button id="go" onclick="goShop()">去购买</button>
<a href="javascript:void(0)" onclick="location.href='https://item.taobao.com/item.htm?id=6123'">淘宝购买</a>
<script>
function goShop() { window.location.href = 'https://shop.other-mall.com/p/1'; }
</script>
""")
    run = run_page("UI004", html, url="https://www.example-review.cn/p/1")
    silent(run)


def test_ui004_frame_buster_to_itself_is_silent():
    html = en("""
<script>
if (top !== self) { top.location = self.location; }
</script>
<h1>Online banking</h1>
""")
    run = run_page("UI004", html, url="https://ebank.example-bank.com/")
    silent(run)


def test_ui004_commented_out_redirects_are_silent():
    html = zh("""
<!-- <meta http-equiv="refresh" content="0;url=https://old.other-site.com/"> -->
<script>
  // window.location.href = 'https://old.other-site.com/';
  /* setTimeout(function(){ location.replace('https://old.other-site.com/') }, 1000); */
  console.log('loaded');
</script>
<p>欢迎</p>
""")
    run = run_page("UI004", html, url="https://www.example.cn/about")
    silent(run)


def test_ui004_refresh_to_web_address_without_origin_is_not_applicable():
    html = zh("<p>跳转中</p>", head='<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">')
    run = run_page("UI004", html)
    silent(run)
    assert run.status("UI004") is Status.NOT_APPLICABLE


def test_ui004_html_in_json_response_is_not_a_page():
    flow = make_flow("GET", "https://api.example-shop.cn/v1/cms/block?id=9", response_json={
        "code": 0, "data": {"html": '<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">'}})
    assert not flow_findings("UI004", [flow])


# ---------------------------------------------------------------- the page's origin

def test_origin_from_saved_from_comment():
    page = zh("<p>跳转中</p>", head='<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">',
              pre="<!-- saved from url=(0040)https://www.example-news.cn/a/2024/1.html -->\n")
    run = run_page("UI004", page)
    assert len(run.of("UI004")) == 1, run.describe()
    same = page.replace("https://www.other-site.com/", "https://m.example-news.cn/a/2024/1.html")
    silent(run_page("UI004", same))


def test_origin_from_canonical_link():
    head = ('<link rel="canonical" href="https://www.example-news.cn/a/1.html">\n'
            '<meta http-equiv="refresh" content="0;url={}">')
    silent(run_page("UI004", zh("<p>x</p>", head=head.format("https://m.example-news.cn/a/1.html"))))
    run = run_page("UI004", zh("<p>x</p>", head=head.format("https://www.other-site.com/")))
    assert len(run.of("UI004")) == 1, run.describe()


def test_origin_from_og_url():
    head = ('<meta property="og:url" content="https://www.example-recipes.com/pasta">\n'
            '<meta http-equiv="refresh" content="0;url={}">')
    silent(run_page("UI004", en("<p>x</p>", head=head.format("https://www.example-recipes.com/pasta?amp=0"))))
    run = run_page("UI004", en("<p>x</p>", head=head.format("https://recipes.other-site.com/")))
    assert len(run.of("UI004")) == 1, run.describe()


def test_origin_saved_from_comes_before_canonical():
    page = en("<p>x</p>", pre="<!-- saved from url=(0029)https://www.example-a.com/p/1 -->\n",
              head='<link rel="canonical" href="https://www.example-b.com/p/1">\n'
                   '<meta http-equiv="refresh" content="0;url=https://www.example-b.com/p/2">')
    run = run_page("UI004", page)
    assert len(run.of("UI004")) == 1, run.describe()  # the origin is example-a.com


def test_origin_base_url_comes_before_the_page(tmp_path):
    path = tmp_path / "saved.html"
    path.write_text(en("<p>x</p>", pre="<!-- saved from url=(0029)https://www.example-a.com/p/1 -->\n",
                       head='<meta http-equiv="refresh" content="0;url=https://www.example-b.com/p/2">'),
                    encoding="utf-8")
    ids = ("UI004",)
    with_base = scan_file(str(path), "html", ScanSettings(profile=Profile(name="t", enabled=ids),
                                                          base_url="https://www.example-b.com/p/1"))
    assert not [f for f in with_base.findings if f.check == "UI004"]
    without = scan_file(str(path), "html", ScanSettings(profile=Profile(name="t", enabled=ids)))
    assert len([f for f in without.findings if f.check == "UI004"]) == 1


def test_cli_base_url_on_a_saved_page(tmp_path):
    path = tmp_path / "landing.html"
    path.write_text(zh("<p>跳转中</p>", head='<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">'),
                    encoding="utf-8")
    out = tmp_path / "r.json"
    appaudit = Path(sys.executable).with_name("appaudit")
    base = [str(appaudit), "scan", str(path), "-f", "json", "-o", str(out), "--fail-on", "never"]
    subprocess.run(base, check=True, capture_output=True, timeout=120)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "UI004" not in report["summary"]["by_check"]
    subprocess.run(base + ["--base-url", "https://www.example-shop.cn/"], check=True, capture_output=True, timeout=120)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["summary"]["by_check"].get("UI004") == 1


def test_flow_url_is_the_origin_whatever_the_page_claims():
    html = zh("<p>x</p>", head='<link rel="canonical" href="https://www.other-site.com/">\n'
                               '<meta http-equiv="refresh" content="0;url=https://www.other-site.com/x">')
    findings = [f for f in flow_findings("UI004", [html_flow("https://www.example-shop.cn/", html)]) if f.check == "UI004"]
    assert len(findings) == 1
    assert findings[0].location.flow == 0 and findings[0].location.url == "https://www.example-shop.cn/"


# ================================================================ UI005 shake-to-redirect

def test_ui005_devicemotion_below_reference_threshold_navigates():
    html = zh("""
<div class="shake-tip"><img src="/img/shake.gif" alt=""><p>摇一摇，跳转详情页或第三方应用</p></div>
<script>
window.addEventListener('devicemotion', function (e) {
  var a = e.accelerationIncludingGravity;
  if (Math.abs(a.x) > 12 || Math.abs(a.y) > 12 || Math.abs(a.z) > 12) {
    window.location.href = 'https://ad.example-ads.cn/landing?cid=5521';
  }
}, false);
</script>
""")
    run = run_page("UI005", html, url="https://h5.example-news.cn/")
    finding = one(run, "UI005")
    located(run.page, finding)
    told = (repr(finding.evidence.details) + " " + finding.message).lower()
    assert "12" in told
    assert any(word in told for word in ("below", "under", "lower", "低于", "less than", "< 15", "<15")), told


def test_ui005_deviceorientation_opens_taobao():
    html = zh("""
<script>
window.ondeviceorientation = function (event) {
  if (Math.abs(event.beta) > 20 || Math.abs(event.gamma) > 20) {
    location.assign('taobao://s.taobao.com/search?q=%E9%9B%B6%E9%A3%9F');
  }
};
</script>
""")
    run = run_page("UI005", html)
    assert len(run.of("UI005")) == 1, run.describe()


def test_ui005_shake_js_library():
    html = zh("""
<script src="/static/js/shake.js"></script>
<script>
var myShakeEvent = new Shake({ threshold: 8, timeout: 1000 });
myShakeEvent.start();
window.addEventListener('shake', function () {
  location.href = 'https://activity.example-ads.com/shake/prize?u=1';
}, false);
</script>
""")
    run = run_page("UI005", html, url="https://h5.example-shop.cn/act/shake")
    assert len(run.of("UI005")) == 1, run.describe()


def test_ui005_dump_splash_with_shake_prompt():
    xml = dump(
        node((0, 0, 1080, 2400),
             node((0, 0, 1080, 2100), rid="com.example.news:id/splash_image", cls="android.widget.ImageView",
                  pkg="com.example.news"),
             node((300, 1700, 780, 1900), text="摇动手机 跳转详情页或第三方应用", rid="com.example.news:id/shake_tip",
                  cls="android.widget.TextView", pkg="com.example.news", index=1),
             node((900, 100, 1040, 180), text="跳过", rid="com.example.news:id/skip", cls="android.widget.TextView",
                  pkg="com.example.news", clickable=True, index=2),
             node((40, 2300, 110, 2340), text="广告", cls="android.widget.TextView", pkg="com.example.news", index=3),
             rid="com.example.news:id/splash_container", cls="android.widget.FrameLayout", pkg="com.example.news"),
        pkg="com.example.news")
    run = run_dump("UI005", xml)
    element = located(run.page, one(run, "UI005"))
    assert element.get("resource-id") in ("com.example.news:id/shake_tip", "com.example.news:id/splash_container")


def test_ui005_article_mentioning_shake_is_silent():
    html = zh("""
<article>
<h1>工信部：开屏广告“摇一摇”不得过于灵敏</h1>
<p>近日，工信部发布通知，要求开屏广告中的“摇一摇”等交互方式不得误导用户跳转。据了解，不少用户反映，走路时手机轻轻一晃，
就会被“摇一摇”广告带到第三方应用。</p>
<p>延伸阅读：<a href="https://www.miit.gov.cn/">工业和信息化部</a></p>
</article>
""", title="摇一摇广告整治")
    run = run_page("UI005", html, url="https://news.example-news.cn/a/2023/0801.html")
    silent(run)


def test_ui005_game_reading_device_motion_without_navigating_is_silent():
    html = en("""
<canvas id="maze" width="360" height="640"></canvas>
<a href="https://www.example-games.com/leaderboard">Leaderboard</a>
<script>
var ball = {x: 180, y: 320, vx: 0, vy: 0};
window.addEventListener('devicemotion', function (e) {
  var a = e.accelerationIncludingGravity;
  ball.vx += -a.x * 0.5; ball.vy += a.y * 0.5;
  if (Math.abs(a.x) > 12) { navigator.vibrate(30); }
});
window.addEventListener('deviceorientation', function (e) {
  document.getElementById('maze').style.transform = 'rotate(' + e.gamma + 'deg)';
});
document.getElementById('maze').addEventListener('click', function () {
  window.location.href = 'https://store.example-games.com/maze-premium';
});
</script>
""", title="Tilt Maze")
    run = run_page("UI005", html, url="https://games.example-arcade.com/maze")
    silent(run)


def test_ui005_dump_settings_with_shake_feedback_is_silent():
    xml = dump(
        status_bar_and_title("设置"),
        node((0, 240, 1080, 400),
             node((48, 280, 700, 360), text="摇一摇反馈问题", cls="android.widget.TextView"),
             node((900, 280, 1040, 360), rid="com.example.shop:id/switch_shake_feedback", cls="android.widget.Switch",
                  checkable=True, checked=True, clickable=True, index=1),
             cls="android.widget.LinearLayout", clickable=True, index=1),
    )
    silent(run_dump("UI005", xml))


# ================================================================ UI006 preselected-consent

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


PRIVACY_DIALOG_DUMP = dump(
    node((0, 0, 1080, 2400), rid="com.example.shop:id/dim", cls="android.view.View"),
    node((60, 500, 1020, 1900),
         node((120, 560, 960, 660), text="用户协议与隐私政策", rid="com.example.shop:id/tv_title", cls="android.widget.TextView"),
         node((120, 680, 960, 1500), text="欢迎使用示例商城！我们将通过《用户协议》和《隐私政策》帮助您了解我们收集、使用、存储和共享个人信息的情况，以及您享有的相关权利。",
              rid="com.example.shop:id/tv_content", cls="android.widget.TextView", index=1),
         node((120, 1540, 960, 1620), text="我已阅读并同意《用户协议》和《隐私政策》", rid="com.example.shop:id/cb_agree",
              cls="android.widget.CheckBox", checkable=True, checked=True, clickable=True, index=2),
         node((120, 1680, 960, 1820), text="同意", rid="com.example.shop:id/btn_agree", cls="android.widget.Button",
              clickable=True, index=3),
         rid="com.example.shop:id/privacy_dialog", cls="android.widget.LinearLayout", index=1),
)


def test_ui006_dump_privacy_dialog_with_pre_checked_box():
    run = run_dump("UI006", PRIVACY_DIALOG_DUMP)
    assert_at(run.page, one(run, "UI006"), attrs={"resource-id": "com.example.shop:id/cb_agree"})


def test_ui006_remember_me_and_auto_login_are_silent():
    html = zh("""
<form class="login" action="/login" method="post">
  <input type="text" name="username" placeholder="用户名/手机号">
  <input type="password" name="password" placeholder="密码">
  <label><input type="checkbox" name="remember" checked> 记住密码</label>
  <label><input type="checkbox" name="autologin" checked> 下次自动登录</label>
  <label><input type="checkbox" name="remember-me" checked> Remember me</label>
  <button type="submit">登录</button>
  <p class="tip">登录即代表同意<a href="/agreement">《用户协议》</a>和<a href="/privacy">《隐私政策》</a></p>
</form>
""", title="登录")
    run = run_page("UI006", html, url="https://passport.example-shop.cn/login")
    silent(run)


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


def test_ui006_by_continuing_you_agree_above_a_continue_button_is_silent():
    html = en("""
<form action="/checkout/pay" method="post" class="checkout">
  <p class="small">By continuing, you agree to our <a href="/terms">Terms of Service</a> and acknowledge our <a href="/privacy">Privacy Policy</a>.</p>
  <button type="submit" class="btn btn-primary">Continue</button>
</form>
""")
    run = run_page("UI006", html, url="https://www.example-store.com/checkout")
    silent(run)


def test_ui006_refusal_option_ticked_is_silent():
    html = zh("""
<form action="/settings/save">
  <label><input type="checkbox" name="no_marketing" checked> 不接收营销短信</label>
  <label><input type="checkbox" name="no_personal" checked> 不参与个性化推荐</label>
  <button type="submit">保存</button>
</form>
""")
    silent(run_page("UI006", html, url="https://www.example-shop.cn/user/privacy"))


SETTINGS_DUMP = dump(
    status_bar_and_title("隐私设置"),
    node((0, 240, 1080, 420),
         node((48, 260, 800, 330), text="个性化推荐", cls="android.widget.TextView"),
         node((48, 335, 800, 400), text="开启后，将根据你的偏好为你推荐内容", cls="android.widget.TextView", index=1),
         node((900, 290, 1040, 370), rid="com.example.shop:id/switch_personal_rec", cls="android.widget.Switch",
              checkable=True, checked=True, clickable=True, index=2),
         cls="android.widget.RelativeLayout", clickable=True, index=1),
    node((0, 420, 1080, 600),
         node((48, 440, 800, 510), text="个性化广告", cls="android.widget.TextView"),
         node((900, 470, 1040, 550), rid="com.example.shop:id/switch_personal_ad", cls="android.widget.Switch",
              checkable=True, checked=True, clickable=True, index=1),
         cls="android.widget.RelativeLayout", clickable=True, index=2),
)


def test_dump_settings_screen_with_switchable_personalisation_is_silent():
    silent(run_dump(("UI006", "UI007"), SETTINGS_DUMP))


# ================================================================ UI007 forced-personalisation

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


def test_ui007_feed_without_settings_on_the_page_is_silent():
    html = zh("""
<section class="feed"><h2>为你推荐</h2><ul><li>商品一</li><li>商品二</li></ul></section>
""")
    silent(run_page("UI007", html, url="https://m.example-shop.cn/"))


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


# ================================================================ UI008 link-blocking

def test_ui008_wechat_stopped_visiting_interstitial():
    html = zh("""
<div class="weui-msg">
  <div class="weui-msg__icon-area"><i class="weui-icon-warn weui-icon_msg"></i></div>
  <div class="weui-msg__text-area" id="msg">
    <h2 class="weui-msg__title">已停止访问该网页</h2>
    <p class="weui-msg__desc">如需浏览，请长按网址复制后使用浏览器访问</p>
    <p class="weui-msg__desc">https://item.taobao.com/item.htm?id=612345678901</p>
  </div>
</div>
""", title="已停止访问", head='<link rel="stylesheet" href="https://res.wx.qq.com/open/libs/weui/2.5.16/weui.min.css">')
    run = run_page("UI008", html, url="https://weixin110.qq.com/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi")
    located(run.page, one(run, "UI008"))


def test_ui008_open_in_browser_guide():
    html = zh("""
<div class="open-tip" id="open-tip" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:999;background:rgba(0,0,0,.85)">
  <img src="/static/img/arrow-right-top.png" alt="">
  <p>微信内无法下载应用</p>
  <p>请点击右上角 ··· 选择“在浏览器打开”</p>
</div>
""")
    run = run_page("UI008", html, url="https://d.example-game.cn/dl")
    assert_at(run.page, one(run, "UI008"), within="#open-tip")


def test_ui008_copy_link_to_browser_overlay():
    html = zh("""
<div class="mask" id="copy-mask" style="position:fixed;inset:0;z-index:99;background:rgba(0,0,0,.7)">
  <div class="box"><p>暂不支持在抖音内打开该链接</p><p>请复制链接到浏览器打开</p>
  <button onclick="copy('https://www.example-shop.cn/item/8')">复制链接</button></div>
</div>
""")
    run = run_page("UI008", html, url="https://h5.example-video.cn/out?u=https%3A%2F%2Fwww.example-shop.cn%2Fitem%2F8")
    assert_at(run.page, one(run, "UI008"), within="#copy-mask")


def test_ui008_open_this_link_in_your_browser_english():
    html = en("""
<div class="interstitial" id="blocked">
  <h2>This link can't be opened here</h2>
  <p>Please open this link in your browser.</p>
  <code>https://www.other-shop.com/deals</code>
</div>
""")
    run = run_page("UI008", html, url="https://l.example-chat.com/out")
    assert_at(run.page, one(run, "UI008"), within="#blocked")


def test_ui008_link_to_taobao_dead_by_return_false():
    html = zh("""
<div class="goods"><h1>同款推荐</h1>
  <a id="tb-link" href="https://item.taobao.com/item.htm?id=612345678901" onclick="return false;">去淘宝看看</a>
  <a href="/goods/2">店内同款</a>
</div>
""")
    run = run_page("UI008", html, url="https://www.example-mall.cn/goods/1")
    assert_at(run.page, one(run, "UI008"), css="#tb-link")


def test_ui008_links_to_other_sites_dead_by_pointer_events_class():
    html = zh("""
<div class="comment"><p>这个在拼多多更便宜：</p><a class="ext-link" id="pdd" href="https://mobile.yangkeduo.com/goods.html?goods_id=1234">拼多多链接</a></div>
""", head="<style>.comment .ext-link{pointer-events:none;color:#999;text-decoration:none}</style>")
    run = run_page("UI008", html, url="https://bbs.example-mall.cn/t/99")
    assert_at(run.page, one(run, "UI008"), css="#pdd")


def test_ui008_pointer_events_inherited_from_container():
    html = zh("""
<div class="note-body" style="pointer-events:none">
  <p>链接：<a id="dy" href="https://www.douyin.com/video/7301234567890123456">抖音视频</a></p>
</div>
""")
    run = run_page("UI008", html, url="https://www.example-notes.cn/n/5")
    assert_at(run.page, one(run, "UI008"), css="#dy")


def test_ui008_click_cancelled_by_preventdefault_listener():
    html = zh("""
<p>原文链接：<a id="origin-link" href="https://www.zhihu.com/question/123456">知乎原文</a></p>
<script>
document.getElementById('origin-link').addEventListener('click', function (e) {
  e.preventDefault();
  alert('暂不支持打开外部链接');
});
</script>
""")
    run = run_page("UI008", html, url="https://m.example-news.cn/a/7")
    assert_at(run.page, one(run, "UI008"), css="#origin-link")


def test_ui008_dump_link_blocked_screen():
    xml = dump(
        status_bar_and_title("温馨提示", pkg="com.example.chat"),
        node((100, 800, 980, 900), text="已停止访问该网页", rid="com.example.chat:id/tv_title",
             cls="android.widget.TextView", pkg="com.example.chat", index=1),
        node((100, 920, 980, 1040), text="复制链接到浏览器打开", rid="com.example.chat:id/tv_desc",
             cls="android.widget.TextView", pkg="com.example.chat", index=2),
        node((240, 1200, 840, 1320), text="复制链接", rid="com.example.chat:id/btn_copy", cls="android.widget.Button",
             pkg="com.example.chat", clickable=True, index=3),
        pkg="com.example.chat")
    run = run_dump("UI008", xml)
    located(run.page, one(run, "UI008"))


def test_ui008_real_malware_warning_chinese_is_silent():
    html = zh("""
<div class="weui-msg">
  <h2 class="weui-msg__title">已停止访问该网页</h2>
  <p class="weui-msg__desc">经腾讯安全网址安全中心检测，该网页含有病毒、木马等恶意程序，可能盗取您的账号密码等信息，为保护您的安全，已停止访问。</p>
</div>
""", title="安全警告")
    silent(run_page("UI008", html, url="https://weixin110.qq.com/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi"))


def test_ui008_real_phishing_warning_english_is_silent():
    html = en("""
<div class="interstitial-wrapper" id="main-content">
  <h1>Deceptive site ahead</h1>
  <p>Attackers on www.examp1e-bank-login.com may trick you into doing something dangerous like installing software
  or revealing your personal information (for example, passwords, phone numbers or credit cards). This site is reported
  as phishing.</p>
  <button id="primary-button">Back to safety</button>
  <a id="proceed-link" href="#">visit this unsafe site</a>
</div>
""", title="Security error")
    silent(run_page("UI008", html, url="https://safety.example-browser.com/warning"))


def test_ui008_links_that_ask_or_use_window_open_or_stay_on_site_are_silent():
    html = zh("""
<a href="https://www.other-site.com/article/1" onclick="return confirm('即将离开本站，是否继续？')">外部文章</a>
<a id="wo" href="https://www.other-site.com/article/2">外部文章2</a>
<a href="/tab/2" onclick="switchTab(2);return false;">第二页</a>
<a href="/page/3" style="pointer-events:none;color:#ccc">下一页</a>
<a href="market://details?id=com.example.app" onclick="return false">应用商店</a>
<script>
document.getElementById('wo').addEventListener('click', function (e) {
  e.preventDefault();
  window.open(this.href, '_blank', 'noopener');
});
function switchTab(n) { document.querySelectorAll('.tab')[n].classList.add('active'); }
</script>
""")
    silent(run_page("UI008", html, url="https://www.example-news.cn/"))


def test_ui008_dead_link_without_origin_is_silent():
    html = zh('<a href="https://item.taobao.com/item.htm?id=6123" onclick="return false;">淘宝</a>')
    silent(run_page("UI008", html))


def test_ui008_news_article_quoting_the_blocking_message_is_silent():
    paragraphs = "\n".join(
        f"<p>第{i}段：互联互通是互联网行业高质量发展的必然要求。多年来，用户在即时通讯软件中打开电商链接时，常常看到“已停止访问该网页”"
        f"或“请在浏览器中打开”等提示，不得不复制链接到浏览器打开。工信部要求各平台按时解除屏蔽，保障合法网址链接正常访问。</p>"
        for i in range(1, 9))
    html = zh(f"<article><h1>工信部：限期解除网址链接屏蔽</h1>{paragraphs}</article>", title="解除屏蔽 - 科技频道")
    silent(run_page("UI008", html, url="https://tech.example-news.cn/a/2021/0917.html"))


# ================================================================ UI009 missing-site-registration

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


def test_ui009_icp_licence_number_without_link_is_silent():
    html = zh("<main><h1>示例门户</h1></main><footer><span>粤ICP证030173号</span> <span>粤B2-20090059</span></footer>")
    silent(run_page("UI009", html, url="https://www.example-portal.com/"))


def test_ui009_filing_link_with_a_picture_counts():
    html = zh("""<main><h1>示例</h1></main>
<footer><a href="https://beian.miit.gov.cn/#/Integrated/index"><img src="/img/icp.png" alt="备案号"></a></footer>""")
    silent(run_page("UI009", html, url="https://www.example-img.cn/"))


def test_ui009_english_page_hosted_outside_china_is_silent():
    html = en("<main><h1>Example Bakery</h1><p>Fresh bread every morning in Manchester.</p></main>"
              "<footer>&copy; 2024 Example Bakery Ltd. Registered in England No. 01234567</footer>", lang="en-GB")
    run = run_page("UI009", html, url="https://www.example-bakery.co.uk/")
    silent(run)


def test_ui009_traditional_chinese_page_in_taiwan_is_silent():
    html = zh("<main><h1>範例書店</h1><p>歡迎光臨，線上購書享免運費優惠。</p></main><footer>© 2024 範例書店股份有限公司</footer>",
              lang="zh-Hant-TW", title="範例書店")
    silent(run_page("UI009", html, url="https://www.example-books.com.tw/"))


def test_ui009_article_page_is_not_judged():
    html = zh("<article><h1>如何选购空气净化器</h1><p>选购时应关注CADR值……</p></article>")
    silent(run_page("UI009", html, url="https://www.example-shop.cn/news/2024/05/air.html"))


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


# ================================================================ UI010 brand-impersonation

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


# ================================================================ UI011 personal-data-exposed-in-page

ID_A = "440304199003074510"
ID_B = "320106198808161232"
CARD = "6222020200112233446"  # ICBC, Luhn-valid


def test_ui011_order_page_shows_full_mobile_number():
    html = zh("""
<div class="order-detail">
  <div class="addr-card">
    <p class="name">收货人：李四</p>
    <p class="phone" id="consignee-phone">13812345678</p>
    <p class="addr">广东省深圳市南山区科技园南区</p>
  </div>
  <p>订单编号：202405201234567890</p>
</div>
""", title="订单详情")
    run = run_page("UI011", html, url="https://m.example-shop.cn/order/detail?id=88")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "phone"
    assert_at(run.page, finding, css="#consignee-phone")


def test_ui011_winners_list_one_finding_per_row():
    rows = "\n".join(f"<tr><td>用户{i}</td><td>{phone}</td><td>iPhone 15</td></tr>"
                     for i, phone in enumerate(["13912345678", "15012345678", "18600001111"], 1))
    html = zh(f"""<h2>中奖名单</h2>
<table class="table table-striped" id="winners"><thead><tr><th>昵称</th><th>手机号</th><th>奖品</th></tr></thead>
<tbody>
{rows}
</tbody></table>""", title="中奖名单")
    run = run_page("UI011", html, url="https://act.example-shop.cn/lottery/winners")
    found = run.of("UI011")
    assert len(found) == 3, run.describe()
    elements = {id(located(run.page, f)) for f in found}
    assert len(elements) == 3
    assert all(f.evidence.data_type == "phone" for f in found)


def test_ui011_id_card_and_bank_card_on_profile_page():
    html = zh(f"""
<dl class="profile">
  <dt>真实姓名</dt><dd>王五</dd>
  <dt>身份证号</dt><dd id="idno">{ID_A}</dd>
  <dt>银行卡号</dt><dd id="cardno">{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:16]} {CARD[16:]}</dd>
</dl>
""", title="实名信息")
    run = run_page("UI011", html, url="https://www.example-pay.cn/account/realname")
    by_type = {f.evidence.data_type: f for f in run.of("UI011")}
    assert set(by_type) == {"id_card", "bank_card"}, run.describe()
    assert_at(run.page, by_type["id_card"], css="#idno")
    assert_at(run.page, by_type["bank_card"], css="#cardno")


def test_ui011_pre_filled_visible_text_field():
    html = zh(f"""
<form class="edit-profile">
  <label>手机号 <input type="tel" id="mobile" name="mobile" value="13912345678"></label>
  <label>身份证 <input type="text" id="idcard" name="idcard" value="{ID_B}"></label>
</form>
""")
    run = run_page("UI011", html, url="https://m.example-shop.cn/user/edit")
    by_type = {f.evidence.data_type: f for f in run.of("UI011")}
    assert set(by_type) == {"phone", "id_card"}, run.describe()
    assert_at(run.page, by_type["phone"], css="#mobile")
    assert_at(run.page, by_type["id_card"], css="#idcard")


def test_ui011_page_in_a_gzip_gbk_flow():
    html = zh("""<div class="user"><span class="label">绑定手机：</span><span id="bind-phone">15012345678</span></div>""",
              title="账号设置").replace('charset="utf-8"', 'charset="gbk"')
    body = gzip.compress(html.encode("gbk"))
    flow = make_flow("GET", "https://bbs.example-forum.cn/home.php?mod=spacecp&ac=profile",
                     response_headers=[("content-type", "text/html; charset=GBK"), ("content-encoding", "gzip")],
                     response_body=body)
    found = [f for f in flow_findings(("UI011",), [make_flow("GET", "https://bbs.example-forum.cn/favicon.ico"), flow])
             if f.check == "UI011"]
    assert len(found) == 1
    loc = found[0].location
    assert loc.flow == 1 and loc.url == "https://bbs.example-forum.cn/home.php?mod=spacecp&ac=profile"
    assert_at(Page(source=html, input="x", url=loc.url), found[0], css="#bind-phone")


def test_ui011_dump_order_detail_with_full_phone():
    xml = dump(
        status_bar_and_title("订单详情"),
        node((48, 300, 1032, 380), text="收货人：李四", rid="com.example.shop:id/tv_consignee", cls="android.widget.TextView",
             index=1),
        node((48, 390, 1032, 470), text="13812345678", rid="com.example.shop:id/tv_phone", cls="android.widget.TextView",
             index=2),
        node((48, 480, 1032, 560), text="广东省深圳市南山区科技园", rid="com.example.shop:id/tv_address",
             cls="android.widget.TextView", index=3),
    )
    run = run_dump("UI011", xml)
    assert_at(run.page, one(run, "UI011"), attrs={"resource-id": "com.example.shop:id/tv_phone"})


def test_ui011_help_page_with_masked_numbers_is_silent():
    html = zh("""
<div class="help">
  <h2>为什么我的手机号显示为 138****5678？</h2>
  <p>为保护您的隐私，页面中的手机号、身份证号（如 110101********1234）和银行卡号（**** **** **** 1234、6222 **** **** 3446）均做脱敏显示。</p>
  <p>手机号格式示例：13800138000。身份证号示例：11010519491231002X。</p>
</div>
""", title="帮助中心")
    silent(run_page("UI011", html, url="https://help.example-shop.cn/faq/privacy"))


def test_ui011_script_hidden_and_hidden_field_values_are_silent():
    html = zh(f"""
<div id="app"></div>
<script>window.__INITIAL_STATE__ = {{"user": {{"mobile": "13912345678", "idCard": "{ID_A}"}}}};</script>
<input type="hidden" name="mobile" value="13912345678">
<div class="debug" style="display:none">13912345678</div>
<template id="tpl"><p>{ID_B}</p></template>
""")
    silent(run_page("UI011", html, url="https://m.example-shop.cn/user"))


def test_ui011_site_hotline_and_footer_contact_are_silent():
    html = zh("""
<main><h1>联系我们</h1></main>
<div class="contact-box"><p>客服热线：<a href="tel:4008208820">400-820-8820</a></p><p>销售电话：13912345678</p></div>
<footer><address>北京市朝阳区建国路88号 联系人：王经理 15012345678</address><p>商务合作：<a href="tel:18600001111">186 0000 1111</a></p></footer>
""", title="联系我们")
    silent(run_page("UI011", html, url="https://www.example-company.cn/contact"))


def test_ui011_order_and_tracking_numbers_are_silent():
    html = zh("""
<ul class="orders">
  <li>订单号：202405201234567890</li>
  <li>物流单号：SF1234567890123</li>
  <li>交易流水号：4200001234202405201234567890</li>
  <li>商品编码：6901234567892</li>
  <li>价格：¥13812.00</li>
</ul>
""")
    silent(run_page("UI011", html, url="https://m.example-shop.cn/orders"))


# ================================================================ second wave: more real-world markup

# ---------------------------------------------------------------- UI001

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


# ---------------------------------------------------------------- UI002

def test_ui002_pinyin_guanbi_icon_inside_ad_link():
    html = zh("""
<div class="tc-ad" id="tc-ad" style="position:fixed;bottom:60px;right:10px;width:120px;z-index:99">
  <a href="https://s.click.taobao.com/t?e=m%3D2%26s%3Dxyz" target="_blank">
    <img src="/ad/hongbao.gif" width="120" height="120" alt="">
    <i class="iconfont icon-guanbi" id="tc-ad-close" style="position:absolute;top:0;right:0;font-size:24px;width:28px;height:28px"></i>
  </a>
</div>
""")
    run = run_page("UI002", html, url="https://www.example-news.cn/")
    assert_at(run.page, one(run, "UI002"), css="#tc-ad-close")


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


def test_ui002_skip_ad_link_around_text():
    html = zh("""
<div class="video-ad" id="video-ad" style="position:absolute;top:0;left:0;width:100%;height:100%;z-index:20">
  <video src="/ad/pre.mp4" autoplay muted></video>
  <a id="skip-ad" href="https://vip.example-video-partner.com/buy?from=skip" style="position:absolute;top:10px;right:10px;padding:6px 12px">跳过广告</a>
</div>
""")
    run = run_page("UI002", html, url="https://www.example-video.cn/play/1")
    assert_at(run.page, one(run, "UI002"), css="#skip-ad")


def test_ui002_quantity_times_sign_in_product_link_is_silent():
    html = zh("""
<ul class="order-goods">
  <li><a href="https://detail.tmall.com/item.htm?id=612345678901"><img src="/g/1.jpg" alt=""><span class="title">纯棉T恤 白色 XL</span><span class="qty">×2</span></a></li>
  <li><a href="https://item.jd.com/100012043978.html"><span class="title">保温杯</span><span class="qty">x1</span></a></li>
</ul>
""", title="订单详情")
    silent(run_page("UI002", html, url="https://www.example-rebate.cn/order/1"))


def test_ui002_skip_the_line_link_is_no_close_control():
    html = en("""
<section class="tickets"><h2>Visiting the museum</h2>
  <a class="btn" href="https://tickets.example-partner.com/museum">Skip the line: buy tickets online</a>
  <a href="https://maps.example-maps.com/?q=museum">Closed on Mondays – see opening hours</a>
</section>""")
    silent(run_page("UI002", html, url="https://www.example-city-guide.com/museum"))


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


def test_ui003_small_icon_inside_a_big_close_button_is_silent():
    html = zh("""
<div class="popup" id="pop" style="position:fixed;top:20%;left:10%;width:80%;z-index:100;background:#fff">
  <button class="pop-close" style="position:absolute;top:0;right:0;width:44px;height:44px;background:transparent;border:0"
          onclick="document.getElementById('pop').style.display='none'"><img src="/img/close.png" width="16" height="16" alt="关闭"></button>
  <p>签到成功，获得10积分</p>
</div>""")
    silent(run_page(("UI002", "UI003"), html, url="https://www.example-shop.cn/"))


# ---------------------------------------------------------------- UI003

def test_ui003_close_revealed_by_removing_a_hidden_class():
    html = zh("""
<div class="ad-mask" id="ad-mask" style="position:fixed;inset:0;z-index:900;background:rgba(0,0,0,.6)">
  <img src="/ad/game.png" alt="">
  <span class="ad-close hidden" id="ad-close" style="width:32px;height:32px" onclick="document.getElementById('ad-mask').remove()">×</span>
</div>
<script>
var closeBtn = document.getElementById('ad-close');
setTimeout(() => { closeBtn.classList.remove('hidden'); }, 3000);
</script>
""", head="<style>.hidden{display:none !important}</style>")
    run = run_page("UI003", html, url="https://m.example-game.cn/")
    assert_at(run.page, one(run, "UI003"), css="#ad-close")


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


# ---------------------------------------------------------------- UI004

@pytest.mark.parametrize("content", [
    "0; URL='https://www.example-casino.com/'",
    "0;URL=\"https://www.example-casino.com/\"",
    "5; https://www.example-casino.com/",
    "0.5;url=https://www.example-casino.com/",
])
def test_ui004_meta_refresh_syntax_variants(content):
    html = zh("<p>正在跳转……</p>", head=f"<meta http-equiv=\"refresh\" content='{content}'>" if '"' in content
              else f'<meta http-equiv="refresh" content="{content}">')
    run = run_page("UI004", html, url="https://www.example-edu.cn/")
    assert len(run.of("UI004")) == 1, run.describe()


@pytest.mark.parametrize("script", [
    "window.location = 'https://www.other-mall.com/';",
    "document.location.href = \"https://www.other-mall.com/\";",
    "window.location.replace('https://www.other-mall.com/');",
    "setTimeout(\"location.href='https://www.other-mall.com/'\", 2000);",
    "var target = 'https://www.other-mall.com/landing';\nwindow.location.href = target;",
    "if (/MicroMessenger/i.test(navigator.userAgent)) {\n  document.body.className = 'wx';\n} else {\n  location.href = 'https://www.other-mall.com/';\n}",
    "document.addEventListener('DOMContentLoaded', function () { window.open('https://www.other-mall.com/', '_self'); });",
])
def test_ui004_script_redirect_variants(script):
    html = zh(f"<p>加载中</p>\n<script>\n{script}\n</script>")
    run = run_page("UI004", html, url="https://www.example-blog.cn/")
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_img_onerror_redirect():
    html = zh('<img src="/x.gif" style="display:none" onerror="location.href=\'https://www.other-mall.com/?u=1\'">')
    run = run_page("UI004", html, url="https://www.example-blog.cn/")
    assert_at(run.page, one(run, "UI004"), css="img")


def test_ui004_deep_link_at_top_level_without_origin():
    html = zh("<p>正在打开微信……</p>\n<script>\nlocation.href = 'weixin://dl/business/?t=AbCdEf123';\n</script>")
    run = run_page("UI004", html)
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_pc_to_mobile_site_redirect_is_silent():
    html = zh("<p>示例门户</p>\n<script>\nif (/Android|iPhone/i.test(navigator.userAgent)) { location.replace('https://m.example-portal.cn/'); }\n</script>",
              head='<meta http-equiv="mobile-agent" content="format=html5;url=https://m.example-portal.cn/">')
    silent(run_page("UI004", html, url="https://www.example-portal.cn/"))


# ---------------------------------------------------------------- UI005

CLASSIC_SHAKE = """
var SHAKE_THRESHOLD = 3000;
var last_update = 0;
var x = 0, y = 0, z = 0, last_x = 0, last_y = 0, last_z = 0;
function deviceMotionHandler(eventData) {
  var acceleration = eventData.accelerationIncludingGravity;
  var curTime = new Date().getTime();
  if ((curTime - last_update) > 100) {
    var diffTime = curTime - last_update;
    last_update = curTime;
    x = acceleration.x; y = acceleration.y; z = acceleration.z;
    var speed = Math.abs(x + y + z - last_x - last_y - last_z) / diffTime * 10000;
    if (speed > SHAKE_THRESHOLD) {
      %s
    }
    last_x = x; last_y = y; last_z = z;
  }
}
if (window.DeviceMotionEvent) {
  window.addEventListener('devicemotion', deviceMotionHandler, false);
}
"""


def test_ui005_classic_copied_shake_snippet_with_named_handler():
    script = CLASSIC_SHAKE % 'window.location.href = "https://m.example-ads.cn/prize";'
    html = zh("<div class='shake'>摇一摇有惊喜</div>\n<script>" + script + "</script>")
    run = run_page("UI005", html, url="https://h5.example-shop.cn/")
    assert len(run.of("UI005")) == 1, run.describe()


def test_ui005_shake_handler_calling_a_jump_function():
    script = CLASSIC_SHAKE % "jump();" + "\nfunction jump() { location.href = 'tmall://page.tm/shop?shopId=123'; }\n"
    run = run_page("UI005", zh(f"<script>{script}</script>"))
    assert len(run.of("UI005")) == 1, run.describe()


def test_ui005_shake_lottery_staying_on_the_page_is_silent():
    script = CLASSIC_SHAKE % ("document.getElementById('audio').play();\n"
                              "      fetch('/api/lottery/draw', {method: 'POST'}).then(r => r.json())"
                              ".then(d => { document.getElementById('result').innerText = d.prize; });")
    html = zh(f"<audio id='audio' src='/shake.mp3'></audio><p id='result'></p>\n<script>{script}</script>")
    silent(run_page("UI005", html, url="https://h5.example-shop.cn/shake"))


# ---------------------------------------------------------------- UI006

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


def test_ui006_click_agree_means_agree_and_default_address_are_silent():
    html = zh("""
<div class="privacy-dialog" role="dialog"><p>点击“同意”即表示您已阅读并同意《用户协议》和《隐私政策》。</p><button>同意</button><button>不同意</button></div>
<form class="address"><label><input type="checkbox" name="is_default" checked> 设为默认收货地址</label>
<label><input type="checkbox" name="points" checked> 使用积分抵扣</label></form>""")
    silent(run_page("UI006", html, url="https://m.example-shop.cn/address/new"))


# ---------------------------------------------------------------- UI007

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


def test_ui007_banner_with_accept_and_close_x_is_silent():
    html = en("""
<div class="cookie-banner" role="dialog" style="position:fixed;bottom:0;width:100%">
  <p>We use cookies for analytics. <a href="/privacy">Privacy policy</a></p>
  <button class="btn">Accept</button>
  <button class="close" aria-label="Close" style="width:32px;height:32px">×</button>
</div>""")
    silent(run_page("UI007", html, url="https://www.example-docs.com/"))


def test_ui007_agree_and_disagree_and_exit_is_silent():
    html = zh("""
<div class="privacy-modal" role="dialog" style="position:fixed;top:20%;left:5%;width:90%;z-index:3000;background:#fff">
  <h3>温馨提示</h3><p>请阅读《隐私政策》。</p>
  <button class="btn btn-default">不同意并退出</button><button class="btn btn-primary">同意</button>
</div>""")
    silent(run_page("UI007", html, url="https://m.example-shop.cn/"))


# ---------------------------------------------------------------- UI008

def test_ui008_leaving_site_confirmation_pages_are_silent():
    zhihu = zh("""
<div class="content"><p class="title">即将离开知乎</p><p class="info">您即将离开知乎，请注意您的帐号和财产安全。</p>
<p class="link">https://www.example-blog.cn/post/1</p><a class="button" href="https://www.example-blog.cn/post/1">继续访问</a></div>""",
               title="知乎 - 安全中心")
    silent(run_page("UI008", zhihu, url="https://link.zhihu.com/?target=https%3A//www.example-blog.cn/post/1"))
    wechat = zh("""
<div class="weui-msg"><h2 class="weui-msg__title">非微信官方网页</h2>
<p class="weui-msg__desc">请确认是否继续访问：https://www.example-shop.cn/act/1</p>
<a class="weui-btn weui-btn_primary" href="https://www.example-shop.cn/act/1">继续访问</a></div>""")
    silent(run_page("UI008", wechat, url="https://weixin110.qq.com/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi"))


def test_ui008_all_external_links_disabled_by_jquery():
    html = zh("""
<div class="post">
  <a id="l1" href="https://www.douyin.com/video/7301234567890123456">抖音原视频</a>
  <a id="l2" href="https://mobile.yangkeduo.com/goods.html?goods_id=1">拼多多链接</a>
  <a id="l3" href="/post/2">下一篇</a>
</div>
<script src="https://cdn.bootcdn.net/ajax/libs/jquery/3.6.0/jquery.min.js"></script>
<script>
$('a[href^="http"]').on('click', function (e) { e.preventDefault(); alert('外部链接暂不支持打开'); });
</script>""")
    run = run_page("UI008", html, url="https://www.example-community.cn/post/1")
    found = run.of("UI008")
    assert found, run.describe()
    targets = {id(run.page.document.select_one("#l1")), id(run.page.document.select_one("#l2"))}
    assert {id(located(run.page, f)) for f in found} <= targets | {id(run.page.document.select_one("div.post"))}


# ---------------------------------------------------------------- UI009

def test_ui009_split_icp_number_in_footer_is_silent():
    html = zh("""
<main><h1>示例律师事务所</h1><p>专业 · 诚信 · 高效，为您提供全方位法律服务。</p></main>
<footer><p>备案号：<span>京ICP备</span><span>12345678号-1</span></p></footer>""")
    silent(run_page("UI009", html, url="https://www.example-law.cn/"))


def test_ui009_fullwidth_icp_number_is_silent():
    html = zh("""
<main><h1>示例茶叶有限公司</h1><p>百年老字号，专注西湖龙井，产地直发。</p></main>
<footer><p>浙ICP备２０２３０１２３４５号－１</p></footer>""")
    silent(run_page("UI009", html, url="https://www.example-tea.cn/"))


def test_ui009_home_page_with_query_string_is_judged():
    html = zh("<main><h1>示例装修网</h1><p>免费设计 · 免费报价 · 十年质保，十万业主的选择。</p></main><footer>© 2024 示例装修网</footer>")
    run = run_page("UI009", html, url="https://www.example-deco.cn/?from=baidu&bd_vid=1234")
    assert len(run.of("UI009")) == 1, run.describe()


# ---------------------------------------------------------------- UI010

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


# ---------------------------------------------------------------- UI011

@pytest.mark.parametrize("shown", ["138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+86-13812345678"])
def test_ui011_phone_written_with_separators(shown):
    html = zh(f'<div class="addr"><p>收货人：李四</p><p id="tel">{shown}</p><p>深圳市南山区</p></div>')
    run = run_page("UI011", html, url="https://m.example-shop.cn/order/1")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "phone"
    assert_at(run.page, finding, css="#tel")


def test_ui011_partially_masked_and_placeholder_values_are_silent():
    html = zh("""
<p>手机：138****5678 / 1381234**** / 138 **** 5678</p>
<p>身份证：4403**********4510</p>
<input type="tel" placeholder="请输入手机号，如13800138000">
<p>银行卡尾号 3446</p>""")
    silent(run_page("UI011", html, url="https://m.example-shop.cn/me"))


def test_ui011_dump_prefilled_edit_text():
    xml = dump(
        status_bar_and_title("实名认证"),
        node((48, 300, 1032, 420), text="王五", rid="com.example.shop:id/et_name", cls="android.widget.EditText",
             clickable=True, index=1),
        node((48, 440, 1032, 560), text=ID_A, rid="com.example.shop:id/et_id_card", cls="android.widget.EditText",
             clickable=True, index=2),
    )
    run = run_dump("UI011", xml)
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "id_card"
    assert_at(run.page, finding, attrs={"resource-id": "com.example.shop:id/et_id_card"})


# ---------------------------------------------------------------- HAR input

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


# ================================================================ third wave: everyday pages that must stay quiet

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


def test_ui004_everyday_analytics_and_https_upgrade_snippets_are_silent():
    html = zh("""
<p>示例企业官网</p>
<script>
if (location.protocol === 'http:') { location.href = 'https://' + location.host + location.pathname + location.search; }
</script>
<script>
var _hmt = _hmt || [];
(function() {
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?0123456789abcdef0123456789abcdef";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
})();
</script>
<script>
(function(){
    var bp = document.createElement('script');
    var curProtocol = window.location.protocol.split(':')[0];
    if (curProtocol === 'https') { bp.src = 'https://zz.bdstatic.com/linksubmit/push.js'; }
    else { bp.src = 'http://push.zhanzhang.baidu.com/push.js'; }
    var s = document.getElementsByTagName("script")[0];
    s.parentNode.insertBefore(bp, s);
})();
</script>
<script type="text/javascript">document.write(unescape("%3Cspan id='cnzz_stat_icon_1279'%3E%3C/span%3E%3Cscript src='https://s9.cnzz.com/z_stat.php%3Fid%3D1279' type='text/javascript'%3E%3C/script%3E"));</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXXXXX"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-XXXXXXX');</script>
<script>
if (!localStorage.getItem('token')) { location.href = '/login?redirect=' + encodeURIComponent(location.href); }
</script>""")
    silent(run_page("UI004", html, url="https://www.example-corp.cn/"))


def test_ui004_sso_redirect_within_the_same_site_is_silent():
    html = zh("<script>location.href = 'https://passport.example-corp.cn/login?service=' + encodeURIComponent(location.href);</script>")
    silent(run_page("UI004", html, url="https://oa.example-corp.cn/"))


def test_ui005_code_sample_in_an_article_is_silent():
    html = zh("""
<article><h1>H5“摇一摇”跳转广告是怎么实现的？</h1>
<p>下面这段代码监听 devicemotion 事件，加速度超过阈值就跳转：</p>
<pre><code class="language-js">window.addEventListener('devicemotion', function (e) {
  var a = e.accelerationIncludingGravity;
  if (Math.abs(a.x) &gt; 12) { window.location.href = 'https://ad.example.com/'; }
});</code></pre>
<p>工信部要求此类交互不得过于灵敏。</p></article>""", title="技术博客")
    silent(run_page("UI005", html, url="https://blog.example-dev.cn/p/shake"))


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


def test_ui007_cookiebot_deny_is_silent():
    cookiebot = en("""
<div id="CybotCookiebotDialog" role="dialog" aria-modal="true" aria-labelledby="CybotCookiebotDialogBodyContentTitle" style="position:fixed;bottom:0;z-index:2147483631">
  <h2 id="CybotCookiebotDialogBodyContentTitle">This website uses cookies</h2>
  <div id="CybotCookiebotDialogBodyContentText">We use cookies to personalise content and ads, to provide social media features and to analyse our traffic.</div>
  <button id="CybotCookiebotDialogBodyButtonDecline" class="CybotCookiebotDialogBodyButton">Deny</button>
  <button id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowallSelection" class="CybotCookiebotDialogBodyButton">Allow selection</button>
  <button id="CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll" class="CybotCookiebotDialogBodyButton">Allow all</button>
</div>""")
    silent(run_page("UI007", cookiebot, url="https://www.example-shop.de/"))


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


def test_ui008_outbound_tracking_handlers_are_silent():
    html = zh("""
<a href="https://www.example-partner.com/" onclick="_hmt.push(['_trackEvent', 'nav', 'click', 'partner']); return true;">合作伙伴</a>
<a href="https://www.example-partner.com/deal" onclick="trackOutboundLink('https://www.example-partner.com/deal'); return false;">限时优惠</a>
<script>
var trackOutboundLink = function (url) {
  gtag('event', 'click', {
    'event_category': 'outbound', 'event_label': url, 'transport_type': 'beacon',
    'event_callback': function () { document.location = url; }
  });
};
</script>""")
    silent(run_page("UI008", html, url="https://www.example-blog.cn/"))


def test_ui008_toast_container_letting_clicks_through_to_its_toasts_is_silent():
    html = en("""
<div class="toast-container position-fixed bottom-0 end-0 p-3" style="pointer-events:none">
  <div class="toast show" role="alert" style="pointer-events:auto">
    <div class="toast-body">Your order shipped. <a href="https://www.example-courier.com/track/1Z999">Track it</a></div>
  </div>
</div>
<style>.btn.disabled, a[aria-disabled="true"] { pointer-events: none; }</style>
<a class="btn" href="https://www.example-partner.com/">Partner</a>""")
    silent(run_page("UI008", html, url="https://www.example-store.com/orders"))


def test_ui010_short_brand_domain_does_not_make_every_domain_a_look_alike():
    html = zh("<article><h1>如何在淘宝开店：新手完整指南</h1><p>第一步，注册淘宝账号……</p></article>",
              title="如何在淘宝开店 - 电商学院")
    for host in ("https://www.atb.cn/edu/1.html", "https://www.tbnews.cn/a/1.html"):
        silent(run_page("UI010", html, url=host, app=BRANDS_APP))


def test_ui011_corporate_registration_numbers_are_silent():
    html = zh("""
<footer>
  <p>统一社会信用代码：91110108551385082Q</p>
  <p>营业执照注册号：110108012345678</p>
  <p>京ICP备12345678号-1 京公网安备11010802012345号</p>
  <p>增值电信业务经营许可证：京B2-20190001</p>
</footer>
<div class="stats">累计用户 138,123,456,78 人 · 订单 1716182400000</div>""")
    silent(run_page("UI011", html, url="https://www.example-corp.cn/"))


def test_location_url_of_a_saved_file_is_its_path(tmp_path):
    path = tmp_path / "saved-page.html"
    path.write_text(zh("<p>跳转中</p>", head='<link rel="canonical" href="https://www.example-news.cn/a/1.html">\n'
                                            '<meta http-equiv="refresh" content="0;url=https://www.other-site.com/">'),
                    encoding="utf-8")
    result = scan_file(str(path), "html", ScanSettings(profile=Profile(name="t", enabled=("UI004",))))
    found = [f for f in result.findings if f.check == "UI004"]
    assert len(found) == 1
    assert found[0].location.url == str(path)  # contract: "location.url (the flow's URL, or the file's path)"


# ================================================================ fourth wave: scripts, variants and capture quirks

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


def test_ui004_link_clicked_by_script_on_load():
    html = zh("""
<a id="jump" href="https://www.other-mall.com/landing?ch=3" style="display:none">跳转</a>
<script>window.addEventListener('load', function () { document.getElementById('jump').click(); });</script>""")
    run = run_page("UI004", html, url="https://www.example-blog.cn/")
    assert len(run.of("UI004")) == 1, run.describe()


def test_ui004_script_templates_and_json_ld_are_not_run():
    html = zh("""
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization", "url": "https://www.other-site.com/", "sameAs": ["https://weibo.com/example"]}</script>
<script type="text/template" id="tpl-item"><a onclick="location.href='https://www.other-site.com/'">{{ title }}</a>
<script>location.href = 'https://www.other-site.com/';</script></script>
<p>示例</p>""")
    silent(run_page("UI004", html, url="https://www.example-corp.cn/"))


def test_ui005_arrow_function_handler_enabled_after_ios_permission():
    html = zh("""
<button id="start">点击开启摇一摇</button>
<script>
const onShake = (e) => {
  const { x, y, z } = e.acceleration;
  if (Math.abs(x) > 10 || Math.abs(y) > 10 || Math.abs(z) > 10) {
    window.location.href = 'https://ad.example-ads.cn/shake?slot=9';
  }
};
document.getElementById('start').addEventListener('click', () => {
  if (typeof DeviceMotionEvent.requestPermission === 'function') {
    DeviceMotionEvent.requestPermission().then((state) => {
      if (state === 'granted') window.addEventListener('devicemotion', onShake);
    });
  } else {
    window.addEventListener('devicemotion', onShake);
  }
});
</script>""")
    run = run_page("UI005", html, url="https://h5.example-news.cn/")
    assert len(run.of("UI005")) == 1, run.describe()


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


def test_ui008_copy_then_open_in_browser_variant():
    html = zh("""
<div class="dy-tip" id="dy-tip"><p>该链接暂不支持在App内打开</p><p>请复制链接后在浏览器中打开</p><button>一键复制</button></div>""")
    run = run_page("UI008", html, url="https://h5.example-video.cn/out")
    assert_at(run.page, one(run, "UI008"), within="#dy-tip")


@pytest.mark.parametrize("hiding", ['hidden=""', 'style="font-size:1px"', 'style="visibility:hidden"'])
def test_ui009_icp_number_unreadable_variants(hiding):
    html = zh(f"""
<main><h1>示例物流有限公司</h1><p>同城配送 · 冷链运输 · 仓储服务，全国三百个城市当日达。</p></main>
<footer><p>© 2024 示例物流</p><p id="icp" {hiding}>苏ICP备2021012345号-2</p></footer>""")
    run = run_page("UI009", html, url="https://www.example-logistics.cn/")
    assert len(run.of("UI009")) == 1, run.describe()


def test_ui009_icp_number_in_an_image_alt_is_silent():
    html = zh("""
<main><h1>示例摄影工作室</h1><p>婚纱摄影 · 儿童摄影 · 商业拍摄，欢迎到店咨询。</p></main>
<footer><img src="/img/icp.png" alt="浙ICP备2022012345号-1" height="16"></footer>""")
    silent(run_page("UI009", html, url="https://www.example-photo.cn/"))


def test_ui010_application_name_meta_on_unrelated_domain():
    html = zh("<main><p>请输入支付密码完成验证</p></main>", title="安全验证",
              head='<meta name="application-name" content="支付宝">')
    run = run_page("UI010", html, url="https://pay-check.example-secure.top/", app=BRANDS_APP)
    assert len(run.of("UI010")) == 1, run.describe()


def test_ui011_textarea_prefilled_with_address_and_phone():
    html = zh('<form><label>收货信息</label><textarea id="addr" name="address">李四 13812345678 广东省深圳市南山区科技园南区</textarea></form>')
    run = run_page("UI011", html, url="https://m.example-shop.cn/address/edit")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "phone"
    assert_at(run.page, finding, css="#addr")


def test_ui011_id_card_ending_in_x_and_invisible_copy():
    html = zh("""
<table class="table"><tr><th>姓名</th><th>证件号码</th></tr>
<tr><td>赵六</td><td id="id-x">33010619850612100X</td></tr></table>
<span style="visibility:hidden">13812345678</span>""")
    run = run_page("UI011", html, url="https://www.example-hotel.cn/checkin/list")
    finding = one(run, "UI011")
    assert finding.evidence.data_type == "id_card"
    assert_at(run.page, finding, css="#id-x")


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


# ================================================================ fifth wave: pages that only look like pop-ups

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


# ================================================================ sixth wave: news portals and order pages as they are built

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


def test_ui011_complainant_phone_on_a_complaints_list():
    html = zh("""
<ul class="complaint-list">
  <li class="item"><p class="title">商家拒不退款</p><p id="c1">投诉人：王女士 13812345678</p><p>投诉对象：某某电商</p></li>
</ul>""", title="投诉列表")
    run = run_page("UI011", html, url="https://www.example-complaints.cn/list")
    assert_at(run.page, one(run, "UI011"), css="#c1")


def test_ui011_vant_contact_card_on_checkout():
    html = zh("""
<div class="van-cell van-cell--center van-cell--borderless van-contact-card van-contact-card--edit" role="button" tabindex="0">
  <div class="van-cell__value van-cell__value--alone van-contact-card__value">
    <div>姓名：张三</div><div id="cc-tel">电话：13912345678</div>
  </div>
</div>
<div class="van-submit-bar"><button class="van-button van-button--danger van-submit-bar__button">提交订单</button></div>""",
              title="确认订单")
    run = run_page("UI011", html, url="https://m.example-shop.cn/checkout")
    assert_at(run.page, one(run, "UI011"), css="#cc-tel")


def test_ui011_home_service_order_details():
    html = zh("""
<div class="order-page">
  <div class="service-info"><h3>保洁服务 · 3小时</h3><p id="svc-contact">联系人：李四 15012345678</p><p>服务地址：北京市朝阳区望京街道</p></div>
</div>""", title="订单详情")
    run = run_page("UI011", html, url="https://m.example-daojia.cn/order/77")
    assert_at(run.page, one(run, "UI011"), css="#svc-contact")

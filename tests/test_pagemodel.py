"""The page model under the UI checks: destinations, the approximate CSS cascade, the
reading of scripts, uiautomator geometry and the shared control vocabulary."""
from __future__ import annotations

import gc
import weakref

import pytest

from appaudit.scanner.page import Page
from appaudit.scanner.pagemodel.controls import (close_controls, countdown_in, is_close_text, name_tokens, names_close,
                                        popups, tap_outcome, xml_ad_containers, xml_close_nodes, xml_routes_to)
from appaudit.scanner.pagemodel.destinations import Destination, Kind, classify
from appaudit.scanner.pagemodel.scripts import HIDE, NAVIGATE, STOP, scripts_of
from appaudit.scanner.pagemodel.style import (HIDDEN, SHOWN, UNKNOWN, contrast_ratio, declared_background, declared_value,
                                              is_rendered, is_visible, shown_state,
                                              specificity_of, style_of, viewport_coverage)
from appaudit.scanner.pagemodel.uiautomator import bounds_of, density_of, screen_of, tap_target


def html(source: str, url: str | None = "https://www.example.com/") -> Page:
    return Page(source=source, input="t.html", url=url)


def first(page: Page, selector: str):
    found = page.document.select(selector)
    assert len(found) == 1, selector
    return found[0]


# --- destinations --------------------------------------------------------------------------

PAGE = "https://www.example.com/news/1"


@pytest.mark.parametrize("target, page_url, kind", [
    ("#main", PAGE, Kind.SAME_PAGE),
    ("", PAGE, Kind.SAME_PAGE),
    ("javascript:void(0)", PAGE, Kind.SAME_PAGE),
    ("about:blank", None, Kind.SAME_PAGE),
    ("mailto:help@example.com", PAGE, Kind.CONTACT),
    ("tel:+8610123456", None, Kind.CONTACT),
    ("/account", PAGE, Kind.SAME_SITE),
    ("/account", None, Kind.SAME_SITE),            # relative: the page's own site, whatever it is
    ("https://m.example.com/x", PAGE, Kind.SAME_SITE),
    ("HTTPS://WWW.EXAMPLE.COM/", PAGE, Kind.SAME_SITE),
    ("https://example.org/", PAGE, Kind.OTHER_SITE),
    ("https://evil-example.com/", PAGE, Kind.OTHER_SITE),
    ("//cdn.other-site.net/a", PAGE, Kind.OTHER_SITE),
    ("https://example.org/", None, Kind.UNKNOWN),   # origin unknown: cannot say
    ("https://shop.example.co.uk/", "https://news.example.co.uk/", Kind.SAME_SITE),
    ("https://other.co.uk/", "https://news.example.co.uk/", Kind.OTHER_SITE),
    ("itms-apps://apps.apple.com/app/id1", None, Kind.APP_STORE),
    ("market://details?id=com.x", None, Kind.APP_STORE),
    ("mimarket://details?id=com.x", None, Kind.APP_STORE),
    ("appmarket://details?id=com.x", None, Kind.APP_STORE),
    ("tmast://appdetails?pname=com.x", None, Kind.APP_STORE),
    ("https://apps.apple.com/cn/app/id123", PAGE, Kind.APP_STORE),
    ("https://apps.apple.com/cn/app/id123", None, Kind.APP_STORE),
    ("https://play.google.com/store/apps/details?id=com.x", None, Kind.APP_STORE),
    ("https://play.google.com/books/reader", PAGE, Kind.OTHER_SITE),   # Google Play, but not the store path
    ("https://m.app.mi.com/details?id=com.x", None, Kind.APP_STORE),
    ("https://a.app.qq.com/o/simple.jsp?pkgname=com.x", None, Kind.APP_STORE),
    ("https://sj.qq.com/appdetail/com.x", None, Kind.APP_STORE),
    ("https://appgallery.huawei.com/app/C100", None, Kind.APP_STORE),
    ("https://app.meizu.com/apps/public/detail?package_name=com.x", None, Kind.APP_STORE),
    ("https://store.oppomobile.com/product/0000.html", None, Kind.APP_STORE),
    ("https://h5coml.vivo.com.cn/h5coml/appdetail_h5/browser_v2/index.html?appId=1", None, Kind.APP_STORE),
    ("https://www.qq.com/", "https://news.qq.com/", Kind.SAME_SITE),   # qq.com itself is not a store
    ("weixin://dl/business/?t=x", None, Kind.DEEP_LINK),
    ("taobao://item.taobao.com/item.htm?id=1", PAGE, Kind.DEEP_LINK),
    ("tbopen://m.taobao.com/tbopen/index.html", None, Kind.DEEP_LINK),
    ("openapp.jdmobile://virtual?params=%7B%7D", None, Kind.DEEP_LINK),
    ("snssdk1128://aweme/detail/1", None, Kind.DEEP_LINK),
    ("pinduoduo://com.xunmeng.pinduoduo/", None, Kind.DEEP_LINK),
    ("alipays://platformapi/startapp?appId=1", None, Kind.DEEP_LINK),
    ("intent://scan/#Intent;scheme=zxing;package=com.google.zxing.client.android;end", None, Kind.DEEP_LINK),
    ("intent://details?id=com.x#Intent;scheme=market;package=com.android.vending;end", None, Kind.APP_STORE),
    ("/downloads/app-release.apk", None, Kind.DOWNLOAD),
    ("https://cdn.example.org/app.ipa?v=2", PAGE, Kind.DOWNLOAD),
    ("itms-services://?action=download-manifest&url=https://x/m.plist", None, Kind.DOWNLOAD),
    ("\t/acc\nount ", PAGE, Kind.SAME_SITE),   # browsers drop tabs and newlines in URLs
])
def test_destinations_are_classified_against_the_page_url(target, page_url, kind):
    assert classify(target, page_url).kind is kind


def test_only_other_sites_stores_apps_and_downloads_leave():
    leaving = {k for k in Kind if Destination(url="x", kind=k).leaves}
    assert leaving == {Kind.OTHER_SITE, Kind.APP_STORE, Kind.DEEP_LINK, Kind.DOWNLOAD}


def test_relative_destinations_are_resolved_against_the_page():
    assert classify("../x?a=1", "https://www.example.com/a/b/c").url == "https://www.example.com/a/x?a=1"


# --- the cascade -------------------------------------------------------------------------------

def test_specificity_counts_ids_classes_and_types():
    assert specificity_of("#a .b > p:hover") == (1, 2, 1)
    assert specificity_of("a[href]:not(.x)") == (0, 2, 1)
    assert specificity_of(":is(#a, .b) p") == (1, 0, 1)
    assert specificity_of(":where(#a) p") == (0, 0, 1)
    assert specificity_of("ul li:nth-child(2n+1)") == (0, 1, 2)


def test_stylesheet_structure_survives_braces_in_comments_and_strings():
    page = html("""<html><head><style>
      /* .a { display: none } */ .a { color: red; }
      .b::after { content: "}"; } .b { content: '{'; display: block; width: 7px }
      @import url(x.css); @media(max-width: 600px) { .c { width: 9px } }
      @media (min-width: 900px) { .c { width: 99px } } @font-face { font-family: x }
      .d:before, .d { height: 3px } .e { width: 5px
    </style></head><body><p class="a">a</p><p class="b">b</p><p class="c">c</p>
    <p class="d">d</p><p class="e">e</p></body></html>""")
    assert is_visible(page, first(page, ".a")) and declared_value(page, first(page, ".a"), "color") == "red"
    assert declared_value(page, first(page, ".b"), "width") == "7px"
    assert declared_value(page, first(page, ".c"), "width") == "9px"  # the phone-width query only
    assert declared_value(page, first(page, ".d"), "height") == "3px"  # the pseudo-element dropped, not the list
    assert declared_value(page, first(page, ".e"), "width") == "5px"  # a block left open runs to the end


def test_selectors_are_filed_by_what_cssselect2_reads():
    page = html(r"""<html><head><style>
      .sm\:hidden { display: none }
      #nav .item:not(.x, .y) > a { color: blue }
      .tip + .body span { color: green }
    </style></head><body><div class="sm:hidden">x</div>
    <div id="nav"><p class="item"><a href="#">a</a></p></div>
    <p class="tip">t</p><div class="body"><span>s</span></div><div class="body"><span id="far">f</span></div>
    </body></html>""")
    assert not is_visible(page, first(page, "div.sm\\:hidden"))
    assert declared_value(page, first(page, "#nav a"), "color") == "blue"
    assert declared_value(page, first(page, ".tip + .body span"), "color") == "green"
    assert declared_value(page, first(page, "#far"), "color") is None  # not next to a .tip


def test_rules_needing_classes_absent_from_the_page_are_left_out_and_no_others():
    page = html("""<html><head><style>
      .absent, p.here { color: red }
      .absent p { display: none }
      p:not(.absent) { width: 4px }
      #nowhere, [data-x] { height: 2px }
      .here.absent { color: blue }
    </style></head><body><p class="here" data-x="1">x</p></body></html>""")
    element = first(page, "p")
    assert declared_value(page, element, "color") == "red"  # one selector of the list can match
    assert is_visible(page, element)
    assert declared_value(page, element, "width") == "4px"  # a class required absent is no requirement
    assert declared_value(page, element, "height") == "2px"  # attribute selectors are parsed as ever


def test_shorthands_are_asked_for_under_their_longhands():
    page = html("""<html><head><style>
      .a { background: rgba(0, 0, 0, .5) url(x.png); padding: 1px 2px; inset: 0; font: bold 20px/1 serif }
      .a { background-image: none } /* background-color: red */
    </style></head><body><div class="a">x</div></body></html>""")
    element = first(page, ".a")
    assert declared_value(page, element, "background-color") == "rgba(0, 0, 0, .5)"
    assert declared_value(page, element, "background-image") == "none"  # the later rule wins
    assert declared_value(page, element, "padding-left") == "2px" and declared_value(page, element, "left") == "0"
    assert declared_value(page, element, "font-size") == "20px"


CASCADE = """<html><head><style>
  #box { color: rgb(0, 0, 255); }
  .box { color: red; width: 50%; }
  div.box.late { color: green; }
  p { color: #333 !important; }
  .pad { padding: 2px 4px; width: 10px; height: 10px; }
  .bb { box-sizing: border-box; padding: 4px; width: 20px; height: 20px; }
  @media (min-width: 768px) { .box { display: none; } }
  @media (max-width: 600px) { .narrow { visibility: hidden; } }
  @media print { .box { display: none; } }
  @media (prefers-color-scheme: dark) { .box { background: #000; } }
  a::before { content: "x"; color: red; }
  a:hover { color: red; }
  .big { font-size: 20px; } .half { font-size: .5em; }
  .overlay { position: fixed; inset: 0; }
  .card { position: absolute; width: 90vw; height: 50vh; }
  }}} broken { ; }
</style></head><body>
<div id="box" class="box late" style="width: 100px">
  <p style="color: blue">text</p><span>inherits</span></div>
<div class="pad" id="pad"></div><div class="bb" id="bb"></div>
<div class="narrow" id="narrow"><b>child</b></div>
<a href="#" id="link">link</a>
<div class="big"><div class="half"><span id="em">x</span></div></div>
<div class="overlay" id="overlay"></div><div class="card" id="card"></div>
<p hidden id="hidden-attr">x</p><dialog id="closed-dialog">x</dialog>
<div style="opacity: 0" id="transparent"><span id="in-transparent">x</span></div>
</body></html>"""


def test_cascade_orders_by_importance_inline_specificity_and_order():
    page = html(CASCADE)
    box = style_of(page, first(page, "#box"))
    assert box.color == (0.0, 0.0, 1.0, 1.0)          # the id rule beats later class rules
    assert box.width == 100.0                          # inline beats the stylesheet
    assert style_of(page, first(page, "#box p")).color[:3] == pytest.approx((0.2, 0.2, 0.2))  # !important beats inline


def test_inherited_properties_come_from_the_parent():
    page = html(CASCADE)
    assert style_of(page, first(page, "#box span")).color == (0.0, 0.0, 1.0, 1.0)
    assert style_of(page, first(page, "#narrow b")).visibility == "hidden"
    # font-size inherits the computed size: .5em of 20px, not .5em again
    assert style_of(page, first(page, "#em")).font_size == 10.0


def test_media_queries_apply_as_on_a_phone():
    page = html(CASCADE)
    assert style_of(page, first(page, "#box")).display == "block"        # min-width: 768px does not apply
    assert style_of(page, first(page, "#narrow")).visibility == "hidden"  # max-width: 600px applies
    assert style_of(page, first(page, "#box")).background_color[3] == 0.0  # dark scheme not assumed


def test_pseudo_elements_and_states_are_skipped():
    page = html(CASCADE)
    assert style_of(page, first(page, "#link")).values.get("color") is None


def test_sizes_and_coverage():
    page = html(CASCADE)
    assert style_of(page, first(page, "#pad")).border_box == (18.0, 14.0)
    assert style_of(page, first(page, "#bb")).border_box == (20.0, 20.0)
    assert viewport_coverage(page, first(page, "#overlay")) == 1.0
    assert viewport_coverage(page, first(page, "#card")) == pytest.approx(0.45)


def test_visibility():
    page = html(CASCADE)
    assert not is_rendered(page, first(page, "#hidden-attr"))
    assert not is_rendered(page, first(page, "#closed-dialog"))
    assert not is_visible(page, first(page, "#in-transparent"))
    assert not is_visible(page, first(page, "#narrow b"))
    assert is_visible(page, first(page, "#box span"))


def test_declared_value_answers_one_property_without_the_whole_style():
    page = html(CASCADE)
    assert declared_value(page, first(page, "#overlay"), "position") == "fixed"
    assert declared_value(page, first(page, "#box"), "position") is None


def test_backgrounds_blend_and_contrast():
    page = html("""<div style="background: #fff"><div style="background: rgba(0,0,0,.5)">
        <span id="s">x</span></div></div><p id="bare">x</p>""")
    colour, owner = declared_background(page, first(page, "#s"))
    assert colour[:3] == pytest.approx((0.5, 0.5, 0.5))
    assert owner.name == "div"
    assert declared_background(page, first(page, "#bare")) is None   # nothing declared: unknown
    assert contrast_ratio((0, 0, 0, 1), (1, 1, 1, 1)) == pytest.approx(21.0)
    assert contrast_ratio((1, 1, 1, 1), (1, 1, 1, 1)) == pytest.approx(1.0)


# --- scripts -----------------------------------------------------------------------------------

def effects_on(page: Page, selector: str, action: str):
    element = first(page, selector)
    return [e for h in scripts_of(page).handlers_on(element) for e in h.effects if e.action == action]


def test_navigation_urls_are_read_from_literals_constants_and_attributes():
    page = html("""<a id="a" onclick="location.href = AD + '?from=x'">a</a>
        <div id="b" data-url="https://b.example.org/" onclick="window.open(this.dataset.url)">b</div>
        <span id="c" onclick="location.assign(`https://c.example.org/${id}/x`)">c</span>
        <script>var AD = "https://ad.example.net/l";</script>""")
    assert [e.url for e in effects_on(page, "#a", NAVIGATE)] == ["https://ad.example.net/l?from=x"]
    assert [e.url for e in effects_on(page, "#b", NAVIGATE)] == ["https://b.example.org/"]
    assert [e.url for e in effects_on(page, "#c", NAVIGATE)] == ["https://c.example.org/"]


def test_things_that_look_like_navigation_but_are_not():
    page = html("""<script>
        // location.href = 'https://commented.example.org/';
        var s = "location.href = 'https://string.example.org/'";
        var u = location.href.replace('http:', 'https:');
        data.location = 'Beijing';
        location.hash = '#x';
        if (location.href == 'https://compare.example.org/') {}
    </script>""")
    assert [a.effect for a in scripts_of(page).automatic if a.effect.action == NAVIGATE] == []


def test_timers_nest_and_click_handlers_are_not_automatic():
    page = html("""<button id="b">go</button><script>
        window.onload = function () { setTimeout(function () { setTimeout(go, 500); }, 1000); };
        function go() { location.replace('https://later.example.org/'); }
        document.getElementById('b').addEventListener('click', function () {
            setTimeout(function () { location.href = 'https://clicked.example.org/'; }, 10);
        });
        setTimeout("window.location = 'https://string-code.example.org/'", 2000);
    </script>""")
    automatic = [(a.effect.url, a.effect.delay_ms) for a in scripts_of(page).automatic if a.effect.action == NAVIGATE]
    assert sorted(automatic) == [("https://later.example.org/", 1500), ("https://string-code.example.org/", 2000)]
    clicked = effects_on(page, "#b", NAVIGATE)
    assert [(e.url, e.timed) for e in clicked] == [("https://clicked.example.org/", True)]


def test_hiding_revealing_and_stopping():
    page = html("""<div id="dlg"><span id="x" onclick="closeIt(this)">×</span>
        <a id="y" href="https://ad.example.org/">ad <b id="z">×</b></a>
        <button id="w" style="display:none">close</button></div>
        <script>
        function closeIt(el) { el.parentNode.style.display = 'none'; }
        $('#dlg').on('click', '#z', function (e) { e.stopPropagation(); return false; });
        setTimeout(function () { document.querySelector('#w').classList.remove('hidden'); $('#w').show(); }, 3000);
        </script>""")
    hidden = effects_on(page, "#x", HIDE)
    assert [e.elements[0].get("id") for e in hidden] == ["dlg"]
    assert effects_on(page, "#z", STOP)
    reveals = scripts_of(page).reveals(first(page, "#w"), automatic_only=True)
    assert {e.delay_ms for e in reveals} == {3000} and len(reveals) == 2


def test_motion_handlers_and_their_comparisons():
    page = html("""<script>
        var LIMIT = 14;
        window.addEventListener('devicemotion', onShake);
        function onShake(e) { if (Math.abs(e.acceleration.x) > LIMIT && 30 < e.rotationRate.beta) { open_(); } }
        function open_() { window.open('https://m.example.org/'); }
    </script>""")
    handler, = scripts_of(page).motion_handlers
    assert [e.url for e in handler.navigations] == ["https://m.example.org/"]
    assert {(c.expression, c.operator, c.value) for c in handler.comparisons} == {
        ("Math.abs(e.acceleration.x) > LIMIT", ">", 14.0), ("30 < e.rotationRate.beta", ">", 30.0)}


def test_scripted_submits_and_clicks_navigate():
    page = html("""<form action="https://post.example.org/"></form><a id="l" href="weixin://x">w</a>
        <script>document.forms[0].submit(); $('#l').trigger('click');</script>""")
    urls = {a.effect.url for a in scripts_of(page).automatic if a.effect.action == NAVIGATE}
    assert urls == {"https://post.example.org/", "weixin://x"}


def test_unreadable_scripts_do_not_break_the_page():
    page = html("<script>function ( { [ ' unterminated /* ; location.href = </script>"
                "<div onclick='}}}{{'>x</div><script type=\"application/ld+json\">{\"location\": 1}</script>")
    scripts = scripts_of(page)
    assert scripts.automatic == []


# --- uiautomator -------------------------------------------------------------------------------

DUMP = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">
<node index="0" class="android.widget.FrameLayout" clickable="false" bounds="[0,0][1080,2340]">
  <node index="0" resource-id="com.x:id/ad_root" clickable="true" bounds="[0,0][1080,2000]">
    <node index="0" text="广告" clickable="false" bounds="[20,1900][100,1950]"/>
    <node index="1" resource-id="com.x:id/iv_close" content-desc="关闭" clickable="false" bounds="[980,40][1040,100]"/>
  </node>
  <node index="1" text="跳过" resource-id="com.x:id/skip" clickable="true" bounds="[900,2100][1060,2200]"/>
</node></hierarchy>"""


def dump() -> Page:
    return Page(source=DUMP, input="d.xml", kind="uiautomator")


def test_bounds_screen_and_density():
    page = dump()
    assert screen_of(page).width == 1080
    estimated = density_of(page, None)
    assert estimated.estimated and estimated.dpi == pytest.approx(1080 * 160 / 411)
    assert estimated.dp(1080) == pytest.approx(411)
    given = density_of(page, 480)
    assert not given.estimated and given.dp(144) == 48
    node = page.document.find_all("node")[3]
    assert (bounds_of(node).width, bounds_of(node).height) == (60, 60)


def test_landscape_dumps_estimate_from_the_narrow_side():
    page = Page(source='<hierarchy rotation="1"><node bounds="[0,0][2340,1080]"/></hierarchy>', input="l.xml",
                kind="uiautomator")
    assert density_of(page, None).dp(1080) == pytest.approx(411)


def test_taps_on_unclickable_nodes_go_to_the_clickable_ancestor():
    page = dump()
    root, ad, label, close, skip = page.document.find_all("node")
    assert tap_target(close) is ad and tap_target(skip) is skip
    assert xml_ad_containers(page) == [ad]
    assert xml_close_nodes(page) == [close, skip]
    assert xml_routes_to(page, close) is ad
    assert xml_routes_to(page, skip) is None


# --- controls ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["×", "✕", "关闭", "跳过", "跳过 5", "5s | 跳过", "跳过广告", "Close", "skip ad",
                                  "SKIP", "不感兴趣", "×关闭", "关闭广告", "关 闭", "× 5s"])
def test_close_words(text):
    assert is_close_text(text)


@pytest.mark.parametrize("text", ["X", "x", "Skip to main content", "Close my account", "关闭后将错过优惠", "广告",
                                  "disclose", "closed", "立即下载", "5", "", "×2", "× 3"])
def test_not_close_words(text):
    assert not is_close_text(text)


def test_close_names_are_matched_as_whole_tokens():
    assert name_tokens("btnClose icon-close_2x") == ["btn", "close", "icon", "close", "2x"]
    assert names_close("icon-close") and names_close("guanbi.png") and names_close("fa fa-times")
    assert names_close("van-icon van-icon-cross") and names_close("iv_close")
    assert not names_close("disclosure") and not names_close("closed-caption") and not names_close("x-large")


def test_a_cross_icon_is_the_cross_right_after_the_icon_prefix():
    assert names_close("bi bi-x-lg") and names_close("iconfont icon-x") and names_close("bi-x-circle-fill")
    assert not names_close("bi bi-twitter-x") and not names_close("fa-brands fa-x-twitter")


@pytest.mark.parametrize("text, found", [("5秒后关闭", True), ("3s 后可跳过", True), ("Skip in 5", True),
                                         ("You can skip this ad in 3", True), ("请等待5秒", True),
                                         ("5秒后自动关闭", True), ("Ad closes in 5", True),
                                         ("跳过 5", False), ("5 秒杀", False), ("closes in style", False)])
def test_countdowns(text, found):
    assert (countdown_in(text) is not None) is found


def test_close_controls_are_the_outermost_close_looking_elements():
    page = html("""<div class="close-wrap"><img src="/i/close.png"></div>
        <a href="https://ad.example.org/"><img src="/ad.jpg"><span class="x">×</span></a>""")
    controls = {c.element.get("class")[0] if c.element.get("class") else c.element.name: c.source
                for c in close_controls(page)}
    assert controls == {"close-wrap": "class", "x": "text"}   # the ad link itself is not a close control


def test_popups_are_outermost_shown_and_not_backdrops():
    page = html("""<style>.modal-backdrop{position:fixed;inset:0;z-index:1040}
        .navbar{position:fixed;top:0;left:0;right:0;z-index:1030;height:56px}
        .later{display:none}
        .modal, .popup{position:fixed;top:10%;left:5%;right:5%;bottom:10%;z-index:1000}</style>
        <div class="modal-backdrop"></div><nav class="navbar"><a href="/">Home</a></nav>
        <div class="modal" id="m"><div class="modal-dialog"><p>Hi</p></div></div>
        <div class="popup later" id="later"><p>Later</p></div>
        <div class="popup" id="never" style="display:none"><p>Never</p></div>
        <script>setTimeout(function(){ document.getElementById('later').style.display='block'; }, 800);</script>""")
    found = {p.element.get("id"): p.delay_ms for p in popups(page)}
    assert found == {"m": None, "later": 800}


def test_tap_outcome_follows_the_click_up_the_tree():
    page = html("""<a id="ad" href="https://ad.example.org/"><span id="plain">×</span>
        <span id="stopped" onclick="event.stopPropagation()">×</span>
        <span id="cancelled" onclick="event.preventDefault()">×</span></a>
        <div onclick="location.href='market://details?id=x'"><b id="inner">×</b></div>
        <a id="home" href="/home">×</a>
        <form action="https://post.example.org/"><button id="submit" type="submit">×</button>
        <button id="untyped">×</button></form>""")
    assert tap_outcome(page, first(page, "#plain")).via is first(page, "#ad")
    assert tap_outcome(page, first(page, "#stopped")).via is first(page, "#ad")  # the link still follows
    assert tap_outcome(page, first(page, "#cancelled")).destination is None
    assert tap_outcome(page, first(page, "#inner")).destination.kind is Kind.APP_STORE
    assert tap_outcome(page, first(page, "#home")).destination is None
    assert tap_outcome(page, first(page, "#submit")).how == "form submit"
    assert tap_outcome(page, first(page, "#untyped")).destination is None


def test_rules_filed_by_ancestor_still_match_through_every_combinator():
    page = html("""<style>
      .list .item .price { color: #111111 }
      #cart > li > span { color: #222222 }
      .a + .b .c { color: #333333 }
      .m .n ~ .o { color: #444444 }
      .absent .price { color: #999999 }
    </style>
    <ul class="list" id="cart"><li class="item"><span class="price" id="p">1</span></li></ul>
    <div class="a"></div><div class="b"><i class="c" id="c">x</i></div>
    <div class="m"><b class="n"></b><b class="o" id="o">y</b></div>""")
    assert declared_value(page, first(page, "#p"), "color") == "#222222"  # the id rule wins on specificity
    assert style_of(page, first(page, "#c")).values["color"] == "#333333"
    assert style_of(page, first(page, "#o")).values["color"] == "#444444"


def test_close_controls_named_by_svg_title_labelledby_hidden_text_or_another_language():
    page = html("""<button id="svg"><svg><title>Schließen</title><path d="M0 0"/></svg></button>
        <button id="by" aria-labelledby="lbl"><svg></svg></button><span id="lbl">Close dialog</span>
        <button id="sr"><span class="visually-hidden">Close</span><svg></svg></button>
        <button id="ja">閉じる</button><button id="ko">닫기</button><button id="fr">Fermer</button>
        <a id="logo" href="https://x.com/share"><svg class="svg-inline--fa fa-x" data-prefix="fab"></svg></a>""")
    found = {c.element.get("id"): c.source for c in close_controls(page)}
    assert {k: found.get(k) for k in ("svg", "by", "sr", "ja", "ko", "fr")} == \
        {"svg": "text", "by": "aria-labelledby", "sr": "text", "ja": "text", "ko": "text", "fr": "text"}
    assert "logo" not in found   # Font Awesome's brands set: the X logo, not a cross


def test_a_popup_is_what_the_page_draws_over_the_content_not_what_it_is_called():
    page = html("""<style>.card{position:relative;width:300px;height:170px}
        .card .overlay{position:absolute;top:0;left:0;width:100%;height:100%}</style>
        <div class="card"><img src="/thumb.jpg"><div class="overlay" id="thumb"><p>Play</p></div></div>
        <div class="modal-popup-mask" id="named"><p>Comments</p></div>
        <div id="drawn" style="position:fixed;top:20%;left:5%;width:90%;height:50%;z-index:1000"><p>Offer</p></div>""")
    assert {p.element.get("id") for p in popups(page)} == {"drawn"}


def test_a_panel_whose_state_a_saved_page_cannot_tell_is_unknown_and_not_a_popup():
    missing_css = '<link rel="stylesheet" href="https://cdn.example.com/site.css">'
    dialog = '<div role="dialog" aria-modal="true" class="invisible fixed inset-0" id="d"><p>Sign up</p></div>'
    assert [p.element.get("id") for p in popups(html(dialog))] == ["d"]
    saved = html(missing_css + dialog)
    assert shown_state(saved, first(saved, "#d")) == UNKNOWN and popups(saved) == []
    stated = html(missing_css + dialog.replace('id="d"', 'id="d" style="display:block"'))
    assert shown_state(stated, first(stated, "#d")) == SHOWN
    hidden = html(dialog.replace('id="d"', 'id="d" hidden'))
    assert shown_state(hidden, first(hidden, "#d")) == HIDDEN and popups(hidden) == []


def test_a_finished_page_is_not_kept_alive_by_the_module_caches():
    """The cascade's and the close vocabulary's caches are keyed by plain strings: a bs4
    string as a key would keep its whole document alive after the page (issue 23: peak
    memory grew with the number of pages scanned)."""
    page = html("<style>.a { color: red } .x { display: none }</style>"
                "<div class='a'><button class='close' aria-label='关闭'>×</button></div>")
    assert declared_value(page, first(page, ".a"), "color") == "red"
    close_controls(page)
    document = weakref.ref(page.document)
    del page
    gc.collect()
    assert document() is None

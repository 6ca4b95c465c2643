"""UI008 link-blocking: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import (
    assert_at,
    dump,
    en,
    located,
    node,
    one,
    page_findings,
    run_dump,
    run_page,
    silent,
    status_bar_and_title,
    zh,
)

# Pages and screens are written inline as data, one line as the source has it.
# ruff: noqa: E501

CASES = cases("ui008")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI008")


def test_an_interstitial_needs_no_known_origin():
    page = "<h1 id='t'>已停止访问该网页</h1><p>如需浏览，请复制链接到浏览器打开。</p>"
    [finding] = page_findings("UI008", page)
    assert finding.location.selector == "#t"
    assert finding.evidence.details["kind"] == "interstitial"


def test_pointer_events_restored_on_the_link_keeps_it_alive():
    page = ('<div style="pointer-events: none"><a id="x" style="pointer-events: auto" '
            'href="https://www.example-other.com/">other</a></div>')
    assert page_findings("UI008", page, url="https://www.example.com/post") == []


def test_a_dead_link_names_what_disables_it():
    page = '<a id="x" href="https://www.example-other.com/" onclick="event.preventDefault()">other</a>'
    [finding] = page_findings("UI008", page, url="https://www.example.com/post")
    assert finding.evidence.details["disabled_by"] == "preventDefault in a click handler"
    assert finding.evidence.details["destination"] == "https://www.example-other.com/"


@pytest.mark.parametrize("callback, dead", [
    ("event_callback: function () { document.location = url; }", False),  # Google's outbound-link tracking
    ("event_callback: function () { console.log(url); }", True),
])
def test_a_cancelled_link_opened_from_a_callback_of_the_called_function_is_alive(callback, dead):
    page = ('<a id="x" href="https://www.example-other.com/" onclick="track(this.href); return false;">other</a>'
            f"<script>function track(url) {{ gtag('event', 'click', {{ {callback} }}); }}</script>")
    assert bool(page_findings("UI008", page, url="https://www.example.com/post")) is dead


def test_a_handler_that_hands_the_address_to_other_code_does_not_block_the_link():
    switcher = ('<p>Article</p><a id="l" href="https://bn-in.social.example/" onclick=\'require("IntlUtils").'
                'setCookieLocale("bn_IN", "https:\\/\\/bn-in.social.example\\/"); return false;\'>বাংলা</a>')
    assert page_findings("UI008", switcher, url="https://phish.example.top/") == []
    dead = '<p>Article</p><a id="l" href="https://other.example.org/" onclick="return false;">Other</a>'
    assert [f.location.selector for f in page_findings("UI008", dead, url="https://www.example.com/")] == ["#l"]


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


def test_ui008_news_article_quoting_the_blocking_message_is_silent():
    paragraphs = "\n".join(
        f"<p>第{i}段：互联互通是互联网行业高质量发展的必然要求。多年来，用户在即时通讯软件中打开电商链接时，常常看到“已停止访问该网页”"
        f"或“请在浏览器中打开”等提示，不得不复制链接到浏览器打开。工信部要求各平台按时解除屏蔽，保障合法网址链接正常访问。</p>"
        for i in range(1, 9))
    html = zh(f"<article><h1>工信部：限期解除网址链接屏蔽</h1>{paragraphs}</article>", title="解除屏蔽 - 科技频道")
    silent(run_page("UI008", html, url="https://tech.example-news.cn/a/2021/0917.html"))


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


def test_ui008_copy_then_open_in_browser_variant():
    html = zh("""
<div class="dy-tip" id="dy-tip"><p>该链接暂不支持在App内打开</p><p>请复制链接后在浏览器中打开</p><button>一键复制</button></div>""")
    run = run_page("UI008", html, url="https://h5.example-video.cn/out")
    assert_at(run.page, one(run, "UI008"), within="#dy-tip")

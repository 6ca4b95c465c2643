"""UI005 shake-to-redirect: the fixture table, then the rules one at a time."""
from __future__ import annotations

import pytest

from tests.fixtures.pages.cases import cases, check_case
from tests.helpers import dump, located, node, one, page_findings, run_dump, run_page, silent, status_bar_and_title, zh

CASES = cases("ui005")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.path.name)
def test_fixture_produces_exactly_the_expected_findings(case):
    check_case(case, "UI005")


def shake_details(body: str):
    found = page_findings("UI005", f"<script>{body}</script>", url="https://www.example.com/")
    return [f.evidence.details for f in found]


def test_thresholds_are_compared_with_the_standard():
    low, = shake_details("window.addEventListener('devicemotion', function (e) {"
                         " if (Math.abs(e.accelerationIncludingGravity.x) > 12) location.href = 'taobao://x'; });")
    assert low["below_standard"] is True and low["thresholds"][0]["quantity"] == "acceleration"
    high, = shake_details("window.addEventListener('deviceorientation', function (e) {"
                          " if (e.gamma < -40) location.href = 'taobao://x'; });")
    assert high["below_standard"] is False and high["thresholds"][0]["value"] == 40.0
    unknown, = shake_details("var THRESHOLD = 3000; window.addEventListener('devicemotion', function (e) {"
                             " var speed = delta(e); if (speed > THRESHOLD) location.href = 'taobao://x'; });")
    assert unknown["below_standard"] is None and unknown["thresholds"][0]["quantity"] == "unknown"


def test_navigation_to_a_computed_url_still_counts():
    details, = shake_details("window.ondevicemotion = function (e) { if (e.acceleration.y > 20) location.href = next(); };")
    assert details["destination"] == "computed at run time"


def test_motion_that_only_moves_within_the_page_is_not_navigation():
    assert shake_details("window.addEventListener('devicemotion', function () { location.href = '#top'; });") == []
    assert shake_details("window.addEventListener('devicemotion', function () { location.reload(); });") == []


def test_a_click_that_navigates_is_not_a_shake():
    assert shake_details("document.body.addEventListener('click', function () { location.href = 'taobao://x'; });") == []


def test_a_dump_prompt_needs_an_ad_or_a_jump():
    def dump(text: str, clickable: str = "false") -> str:
        return (f'<hierarchy><node bounds="[0,0][1080,2340]"><node resource-id="com.x:id/card" clickable="{clickable}" '
                f'bounds="[0,0][1080,2000]"><node text="{text}" bounds="[100,1800][900,1900]"/></node></node></hierarchy>')
    assert page_findings("UI005", dump("摇一摇 跳转详情页"), kind="uiautomator")
    assert page_findings("UI005", dump("Shake your phone to learn more"), kind="uiautomator")
    assert page_findings("UI005", dump("摇一摇"), kind="uiautomator") == []
    assert page_findings("UI005", dump("摇一摇 广告"), kind="uiautomator") == []   # not clickable: no ad area
    assert page_findings("UI005", dump("摇一摇 广告", clickable="true"), kind="uiautomator")


def test_the_declaration():
    from appaudit.checks.ui005_shake_to_redirect import ShakeToRedirect
    assert (ShakeToRedirect.id, ShakeToRedirect.severity.label) == ("UI005", "medium")
    assert "T/TAF 078.7-2022" in ShakeToRedirect.regulations


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

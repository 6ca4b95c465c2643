"""Black-box precision review: realistic whole sessions and pages through ALL checks.

Written from the contract (shared/CONTRACT.md) and docs/checks.md only, the way an
outside tester would: clean sessions a well-behaved app or site produces must give no
finding at all (beyond the DH010 inventory of SDKs the app declares and really
contacts); each dirty variant introduces one violation and exactly that must be found.
"""
from __future__ import annotations

import base64
import gzip
import json
import urllib.parse

import pytest

from appaudit.scanner.profile_loader import Profile
from tests.helpers import T0, app_from_yaml, flow_findings, make_flow, page_findings

ALL = Profile.default().enabled


# --------------------------------------------------------------------------- helpers

def run_flows(flows, app=None):
    return flow_findings(ALL, flows, app=app, input="session.mitm")


def run_page(source, url=None, *, kind="html", app=None, dpi=None):
    return page_findings(ALL, source, url=url, kind=kind, app=app, dpi=dpi,
                         input="page.xml" if kind == "uiautomator" else "page.html")


def describe(findings):
    return [
        (f.check, f.evidence.data_type, f.location.url, f.location.part, f.location.field,
         f.location.selector, f.title)
        for f in findings
    ]


def non_inventory(findings):
    return [f for f in findings if f.check != "DH010"]


def inventory_names(findings):
    return sorted(f.title + " | " + f.message for f in findings if f.check == "DH010")


def luhn_complete(prefix: str) -> str:
    """prefix + the Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return prefix + str((10 - total % 10) % 10)


def b64url(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()


JWT = ".".join([
    b64url({"alg": "RS256", "typ": "JWT", "kid": "yx-2026-11"}),
    b64url({"sub": "u_8848123", "iss": "https://passport.youxuanmall.com", "aud": "yx-app",
            "iat": 1764000000, "exp": 1764007200, "scope": "order:read goods:read"}),
    "Qm9mZ2FQb3N0ZXJpb3JTaWduYXR1cmVWYWx1ZUZvclRlc3RpbmdPbmx5XzEyMzQ1Njc4OTA",
])

UA_ANDROID = ("Mozilla/5.0 (Linux; Android 13; M2012K11AC Build/TKQ1.220829.002; wv) "
              "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile "
              "Safari/537.36 YouxuanMall/5.12.3")
OKHTTP = "okhttp/4.12.0"
PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
ANDROID_ID = "3f9a1c2b7d4e6f80"
OAID = "9b5c1d2e-7f3a-4c8b-a1d6-2e4f6a8b0c1d"


# =========================================================================== session 1
# An e-commerce app: consent first, declared Umeng (device ids) and AMap (location).

SHOP_APP = """
name: 优选商城
first_party: [youxuanmall.com, yxcdn.com]
third_parties:
  - name: Umeng
    domains: [umeng.com, umengcloud.com]
    data: [android_id, advertising_id]
    purpose: analytics
  - name: AMap
    domains: [amap.com]
    data: [location]
    purpose: reverse geocoding of the delivery address
consent:
  url: "https://api.youxuanmall.com/v1/privacy/consent*"
canaries:
  phone: "13912345678"
  name: "张三"
brands:
  - name: 优选商城
    domains: [youxuanmall.com]
"""


def shop_app():
    return app_from_yaml(SHOP_APP)


def umeng_flow(ts, *, extra_header=None):
    header = {
        "appkey": "5f8e3c2ab4d1e07a6c9b2d31", "app_version": "5.12.3", "version_code": 51203,
        "os": "Android", "os_version": "13", "device_model": "M2012K11AC",
        "device_manufacturer": "Xiaomi", "resolution": "1080*2400", "carrier": "中国移动",
        "access": "wifi", "channel": "huawei", "sdk_version": "9.6.5", "sdk_type": "Android",
        "android_id": ANDROID_ID, "oaid": OAID, "timezone": 8, "language": "zh",
        "country": "CN", "session_id": "7E5B1F0A2C3D4E5F60718293A4B5C6D7",
    }
    header.update(extra_header or {})
    body = {
        "header": header,
        "content": {"analytics": {"sessions": [{
            "id": "7E5B1F0A2C3D4E5F60718293A4B5C6D7", "start_time": 1764000010123,
            "end_time": 1764000071456, "duration": 61333,
            "pages": [{"page_name": "HomeActivity", "duration": 5231},
                      {"page_name": "GoodsListActivity", "duration": 40210}],
        }], "ekv": [{"id": "click_banner", "ts": 1764000020555, "du": 0,
                     "kv": {"banner_id": "bn_20261129_03", "pos": 2}}]}},
    }
    return make_flow("POST", "https://ulogs.umeng.com/unify_logs", json=body,
                     headers={"User-Agent": OKHTTP, "Msg-Type": "envelope/json",
                              "X-Umeng-UTC": "1764000071456", "X-Umeng-Sdk": "Android/9.6.5"},
                     response_json={"code": 0, "msg": "ok"}, timestamp=ts)


def shop_login_flow(ts, scheme="https"):
    return make_flow(
        "POST", f"{scheme}://api.youxuanmall.com/v1/passport/login",
        headers={"User-Agent": OKHTTP, "X-App-Version": "5.12.3", "X-Platform": "android",
                 "X-Request-Id": "b1946ac9-2492-4b25-8e3c-0d5f7a9e3c11"},
        json={"mobile": "13912345678", "password": "Yx#2026pass", "loginType": "password",
              "captchaTicket": "t03xYk9Q2mRzLwN7pV5c", "deviceName": "Redmi K40"},
        response_headers=[("Set-Cookie", "YXSESSID=8d0f2c7a9b1e4d6f83a5c2e1b7d9f0a4; Path=/; "
                                         "Domain=.youxuanmall.com; Secure; HttpOnly; SameSite=Lax"),
                          ("Cache-Control", "no-store")],
        response_json={"code": 0, "msg": "登录成功", "data": {
            "token": JWT, "expiresIn": 7200,
            "user": {"uid": 8848123, "nickname": "张三", "mobile": "139****5678",
                     "avatar": "https://img.yxcdn.com/avatar/2026/11/0f3e9a.jpg", "level": "V3",
                     "registerTime": "2023-05-17 20:41:09"}}},
        timestamp=ts)


def shop_orders_flow(ts, receiver_extra=None):
    receiver = {"name": "张三", "mobile": "139****5678", "address": "上海市黄浦区人民大道***号"}
    receiver.update(receiver_extra or {})
    return make_flow(
        "GET", "https://api.youxuanmall.com/v1/orders?status=all&page=1&pageSize=10",
        headers={"Authorization": f"Bearer {JWT}", "User-Agent": OKHTTP},
        response_json={"code": 0, "data": {"total": 2, "list": [
            {"orderNo": "2026112910123456789", "createTime": "2026-11-29 10:12:34",
             "payTime": 1764382354000, "amount": "128.00", "freight": "0.00",
             "payChannel": "wechat", "status": "待发货", "receiver": receiver,
             "items": [{"skuId": 100012345678, "title": "澳洲进口牛排 家庭装 1.2kg",
                        "price": "128.00", "qty": 1}],
             "logistics": {"company": "顺丰速运", "trackingNo": "SF1402938475612"}},
            {"orderNo": "2026111720987654321", "createTime": "2026-11-17 20:09:11",
             "payTime": 1763381351000, "amount": "59.90", "freight": "6.00",
             "payChannel": "alipay", "status": "已完成",
             "receiver": {"name": "张三", "mobile": "139****5678",
                          "address": "上海市黄浦区人民大道***号"},
             "items": [{"skuId": 100023456789, "title": "有机纯牛奶 250ml*12盒",
                        "price": "53.90", "qty": 1}],
             "logistics": {"company": "中通快递", "trackingNo": "78451236985214"}},
        ]}},
        timestamp=ts)


ACTIVITY_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1,user-scalable=no">
<title>双12年终好价节 - 优选商城</title>
<link rel="stylesheet" href="https://img.yxcdn.com/h5/vant@4.8.0/index.css">
<link rel="stylesheet" href="https://img.yxcdn.com/h5/activity/double12.3f9a1c.css">
</head>
<body>
<div id="app" data-v-app="">
  <div class="van-nav-bar van-hairline--bottom" data-v-7ba5bd90=""><div class="van-nav-bar__content">
    <div class="van-nav-bar__left"><i class="van-badge__wrapper van-icon van-icon-arrow-left van-nav-bar__arrow"></i></div>
    <div class="van-nav-bar__title van-ellipsis">双12年终好价节</div></div></div>
  <div class="countdown" data-v-7ba5bd90="">距活动结束 <span class="van-count-down">02:13:45</span></div>
  <div class="van-notice-bar"><div class="van-notice-bar__wrap"><div class="van-notice-bar__content">满299减50，跨店可用，活动时间 2026-12-01 00:00 至 2026-12-12 23:59</div></div></div>
  <div class="van-grid" data-v-7ba5bd90="">
    <div class="van-grid-item" style="flex-basis: 50%;"><a class="van-grid-item__content" href="/goods/100012345678.html">
      <img class="goods-img" src="https://img.yxcdn.com/goods/2026/11/8f14e45fceea167a5a36dedd4bea2543.jpg" alt="澳洲进口牛排">
      <p class="goods-title">澳洲进口牛排 家庭装 1.2kg</p>
      <p class="goods-price"><span class="yen">¥</span>128.00 <del>¥199.00</del></p>
      <p class="goods-sales">已售 23415 件 · 好评率 98%</p></a></div>
    <div class="van-grid-item" style="flex-basis: 50%;"><a class="van-grid-item__content" href="/goods/100023456789.html">
      <img class="goods-img" src="https://img.yxcdn.com/goods/2026/11/c9f0f895fb98ab9159f51fd0297e236d.jpg" alt="有机纯牛奶">
      <p class="goods-title">有机纯牛奶 250ml*12盒</p>
      <p class="goods-price"><span class="yen">¥</span>53.90 <del>¥69.90</del></p>
      <p class="goods-sales">已售 100万+ 件</p></a></div>
  </div>
  <div class="rules"><h3>活动规则</h3><ol>
    <li>活动时间：2026年12月1日00:00:00至2026年12月12日23:59:59。</li>
    <li>优惠券每人限领1张，订单号以“2026”开头的订单均可参与。</li>
    <li>如有疑问请联系在线客服或拨打客服热线 400-820-1234（9:00-21:00）。</li></ol></div>
  <div class="van-tabbar van-tabbar--fixed"><a class="van-tabbar-item van-tabbar-item--active" href="/">首页</a>
    <a class="van-tabbar-item" href="/category">分类</a><a class="van-tabbar-item" href="/cart">购物车</a>
    <a class="van-tabbar-item" href="/user">我的</a></div>
</div>
<script src="https://img.yxcdn.com/h5/vue@3.4.21/vue.global.prod.js"></script>
<script src="https://img.yxcdn.com/h5/activity/double12.3f9a1c.js"></script>
</body>
</html>
"""


def shop_session(*, umeng_before_consent=False, umeng_extra=None, login_scheme="https",
                 receiver_extra=None, extra_flows=()):
    t = T0
    flows = [
        make_flow("GET", "https://conf.youxuanmall.com/v3/app/config?platform=android&ver=5.12.3&channel=huawei",
                  headers={"User-Agent": OKHTTP, "Accept-Encoding": "gzip"},
                  response_headers={"Content-Encoding": "gzip", "Content-Type": "application/json;charset=UTF-8"},
                  response_body=gzip.compress(json.dumps({
                      "code": 0, "data": {"minVersion": "5.0.0", "latest": "5.12.3",
                                          "apiBase": "https://api.youxuanmall.com", "cdn": "https://img.yxcdn.com",
                                          "features": {"liveStream": True, "miniGame": False},
                                          "splash": {"id": 20261129, "image": "https://img.yxcdn.com/splash/d12.webp",
                                                     "start": 1764000000, "end": 1765555199},
                                          "configVersion": "c7a1f3e9b2d4"}}, ensure_ascii=False).encode()),
                  timestamp=t),
        make_flow("GET", "https://api.youxuanmall.com/v1/privacy/policy?lang=zh-CN",
                  headers={"User-Agent": OKHTTP},
                  response_json={"code": 0, "data": {"version": "2026-11-01",
                                                     "url": "https://m.youxuanmall.com/privacy.html",
                                                     "summary": "我们会依据《个人信息保护法》处理您的个人信息……"}},
                  timestamp=t + 1),
        make_flow("POST", "https://api.youxuanmall.com/v1/privacy/consent?scene=first_launch",
                  headers={"User-Agent": OKHTTP},
                  json={"agreed": True, "policyVersion": "2026-11-01", "ts": 1764000005123},
                  response_json={"code": 0, "msg": "ok"}, timestamp=t + 5),
    ]
    umeng = umeng_flow(t + 6, extra_header=umeng_extra)
    if umeng_before_consent:
        flows.insert(1, umeng_flow(t + 0.5, extra_header=umeng_extra))
    else:
        flows.append(umeng)
    flows += [
        shop_login_flow(t + 20, scheme=login_scheme),
        make_flow(
            "GET", "https://api.youxuanmall.com/v2/goods/list?categoryId=3012&page=1&pageSize=20&sort=sales",
            headers={"Authorization": f"Bearer {JWT}", "User-Agent": OKHTTP,
                     "X-Trace-Id": "4bf92f3577b34da6a3ce929d0e0e4736"},
            response_json={"code": 0, "data": {"total": 1385, "page": 1, "list": [
                {"skuId": 100012345678, "spuId": 8811223, "title": "澳洲进口牛排 家庭装 1.2kg",
                 "price": "128.00", "originalPrice": "199.00", "sales": 23415, "rating": 4.9,
                 "thumb": f"data:image/png;base64,{PNG_1PX}",
                 "imageHash": "8f14e45fceea167a5a36dedd4bea2543",
                 "shop": {"shopId": 600123, "name": "优选官方旗舰店", "lat": 31.230416,
                          "lng": 121.473701, "distance": "1.2km", "city": "上海"},
                 "tags": ["包邮", "7天无理由"], "updateTime": "2026-11-28T23:10:05+08:00"},
                {"skuId": 100023456789, "spuId": 8811987, "title": "有机纯牛奶 250ml*12盒",
                 "price": "53.90", "originalPrice": "69.90", "sales": 1002345, "rating": 4.8,
                 "thumb": f"data:image/png;base64,{PNG_1PX}",
                 "imageHash": "c9f0f895fb98ab9159f51fd0297e236d",
                 "shop": {"shopId": 600456, "name": "牧场直供店", "lat": 39.908722,
                          "lng": 116.397499, "distance": "1068km", "city": "北京"},
                 "tags": ["新品"], "updateTime": "2026-11-28T21:44:51+08:00"},
            ]}}, timestamp=t + 22),
        make_flow(
            "POST", "https://restapi.amap.com/v3/geocode/regeo",
            headers={"User-Agent": OKHTTP, "Content-Type": "application/x-www-form-urlencoded"},
            body="location=121.473701%2C31.230416&radius=1000&extensions=base&output=json",
            response_json={"status": "1", "info": "OK", "infocode": "10000", "regeocode": {
                "formatted_address": "上海市黄浦区南京东路街道人民大道",
                "addressComponent": {"province": "上海市", "district": "黄浦区", "adcode": "310101",
                                     "citycode": "021"}}},
            timestamp=t + 25),
        shop_orders_flow(t + 30, receiver_extra=receiver_extra),
        make_flow("GET", "https://img.yxcdn.com/goods/2026/11/8f14e45fceea167a5a36dedd4bea2543.jpg"
                         "?x-oss-process=image/resize,w_750/format,webp",
                  headers={"User-Agent": OKHTTP, "Referer": "https://m.youxuanmall.com/"},
                  response_headers={"Content-Type": "image/webp", "ETag": '"8F14E45FCEEA167A5A36DEDD4BEA2543"',
                                    "x-oss-request-id": "6748A1B2C3D4E5F6A7B8C9D0"},
                  response_body=b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(range(32)),
                  timestamp=t + 31),
        make_flow("GET", "https://m.youxuanmall.com/activity/double12.html?from=banner&spm=a2c6h.1.0.0",
                  headers={"User-Agent": UA_ANDROID},
                  response_headers={"Content-Type": "text/html; charset=utf-8"},
                  response_body=ACTIVITY_PAGE, timestamp=t + 40),
    ]
    flows += list(extra_flows)
    return flows


def _shop_inventory_ok(findings):
    names = inventory_names(findings)
    assert len(names) == 2, names
    assert any("Umeng" in n or "umeng" in n.lower() for n in names), names
    assert any("AMap" in n or "amap" in n.lower() or "高德" in n for n in names), names


def test_shop_session_clean_gives_only_the_declared_sdk_inventory():
    findings = run_flows(shop_session(), app=shop_app())
    assert non_inventory(findings) == [], describe(non_inventory(findings))
    _shop_inventory_ok(findings)


def test_shop_dirty_umeng_before_consent_is_dh009_only():
    findings = run_flows(shop_session(umeng_before_consent=True), app=shop_app())
    assert {f.check for f in non_inventory(findings)} == {"DH009"}, describe(non_inventory(findings))
    assert any(f.location.url.startswith("https://ulogs.umeng.com") for f in findings if f.check == "DH009")
    _shop_inventory_ok(findings)


def test_shop_dirty_umeng_receives_location_is_dh008_only():
    findings = run_flows(shop_session(umeng_extra={"lat": 31.230416, "lng": 121.473701}), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH008"}, describe(bad)
    assert {f.evidence.data_type for f in bad} == {"location"}, describe(bad)


def test_shop_dirty_login_over_http_is_cleartext_data_and_credentials():
    findings = run_flows(shop_session(login_scheme="http"), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH001", "DH004"}, describe(bad)
    assert all(f.location.url.startswith("http://api.youxuanmall.com/v1/passport/login") for f in bad)
    assert "password" in {f.evidence.data_type for f in bad if f.check == "DH004"}


def test_shop_dirty_full_id_card_in_order_response_is_dh006_only():
    # 跨境订单 (cross-border order) needs real-name data; the server returns it unmasked.
    findings = run_flows(shop_session(receiver_extra={"idCard": "11010519491231002X"}), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH006"}, describe(bad)
    assert {f.evidence.data_type for f in bad} == {"id_card"}


def sensorsdata_flow(ts):
    events = [{
        "distinct_id": "u_8848123", "anonymous_id": ANDROID_ID, "type": "track",
        "event": "$AppViewScreen", "time": 1764000050123, "_track_id": 193847261,
        "properties": {"$app_version": "5.12.3", "$manufacturer": "Xiaomi", "$model": "M2012K11AC",
                       "$os": "Android", "$os_version": "13", "$screen_height": 2400,
                       "$screen_width": 1080, "$wifi": True, "$carrier": "中国移动",
                       "$network_type": "WIFI", "$device_id": ANDROID_ID,
                       "$screen_name": "com.youxuan.mall.GoodsListActivity", "$lib": "Android",
                       "$lib_version": "6.8.0", "$is_first_day": False},
        "lib": {"$lib": "Android", "$lib_version": "6.8.0", "$lib_method": "code"},
    }]
    data = base64.b64encode(gzip.compress(json.dumps(events, ensure_ascii=False).encode())).decode()
    body = urllib.parse.urlencode({"crc": "-1718466358", "gzip": "1", "data_list": data})
    return make_flow("POST", "https://sdk.sensorsdata.cn/sa?project=production",
                     headers={"User-Agent": OKHTTP, "Content-Type": "application/x-www-form-urlencoded"},
                     body=body, response_body="", timestamp=ts)


def test_shop_dirty_undeclared_sensorsdata_gets_android_id_is_dh007():
    findings = run_flows(shop_session(extra_flows=[sensorsdata_flow(T0 + 50)]), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH007"}, describe(bad)
    assert all("sensorsdata.cn" in f.location.url for f in bad)
    assert "android_id" in {f.evidence.data_type for f in bad}, describe(bad)
    assert len(inventory_names(findings)) == 3


# =========================================================================== session 2
# A bank's app: nothing but its own HTTPS API, masked numbers everywhere.

BANK_APP = """
name: 恒信银行
first_party: [hengxinbank.com]
third_parties: []
consent:
  time: "2025-11-24T00:00:00+08:00"
"""

BANK_JWT = ".".join([
    b64url({"alg": "ES256", "typ": "JWT"}),
    b64url({"sub": "C0029384756", "sid": "c1b0e2f4-7a3d-4e59-b8c6-1d2e3f405162",
            "iat": 1764000000, "exp": 1764000900, "acr": "urn:hxb:mfa"}),
    "MEUCIQDx7kO1c2pE3nV8yH4bW0aZsQ9rT6uJ5fL2gK1mN3oPwIgA4bC6dE8fG0hI2jK4lM6nO8pQ0rS2tU4vW6xY8zA",
])


def bank_session(*, session_cookie_flags="Secure; HttpOnly", server_tls=None, card_lookup_in_url=False):
    t = T0 + 3600
    to_card = luhn_complete("621700123456789012")  # 19-digit UnionPay debit (CCB range)
    api = "https://mbank.hengxinbank.com/api/v2"
    auth = {"Authorization": f"Bearer {BANK_JWT}", "User-Agent": "HXBank/8.2.0 (iPhone; iOS 17.5; Scale/3.00)",
            "X-Device-Fingerprint": "6f1e2d3c4b5a69788796a5b4c3d2e1f0", "Accept-Language": "zh-Hans-CN;q=1"}
    flows = [
        make_flow("POST", f"{api}/auth/session",
                  headers={"User-Agent": auth["User-Agent"]},
                  json={"loginName": "zhang***", "credentialType": "SMS_OTP", "otpRef": "OTP-7731",
                        "otp": "******"},
                  response_headers=[
                      ("Set-Cookie", f"JSESSIONID=A1F3C5E7B9D2046813579BDF02468ACE; Path=/; {session_cookie_flags}; SameSite=Strict"),
                      ("Set-Cookie", "XSRF-TOKEN=5c3e9a71-0b2d-4f68-9e1a-7d4c2b8f6a03; Path=/; Secure; SameSite=Strict"),
                      ("Set-Cookie", "hx_lang=zh_CN; Path=/; Max-Age=31536000; Secure"),
                      ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
                  ],
                  response_json={"retCode": "000000", "retMsg": "交易成功", "accessToken": BANK_JWT,
                                 "expiresIn": 900, "customerNo": "C0029384756"},
                  server_tls_version=server_tls, timestamp=t),
        make_flow("GET", f"{api}/accounts?type=all", headers=auth,
                  response_json={"retCode": "000000", "data": {
                      "customer": {"name": "张*", "idNo": "110105********002X", "mobile": "139****5678",
                                   "riskLevel": "C3", "lastLogin": "2026-11-28 21:03:11"},
                      "accounts": [
                          {"accountNo": "6217 **** **** 0123", "alias": "工资卡", "cardType": "借记卡",
                           "balance": "52,318.66", "available": "52,318.66", "currency": "CNY",
                           "openBranch": "上海分行营业部", "status": "正常"},
                          {"accountNo": "6259 **** **** 8866", "alias": "信用卡", "cardType": "贷记卡",
                           "creditLimit": "50,000.00", "billAmount": "3,208.40", "dueDate": "2026-12-08"}]}},
                  timestamp=t + 3),
        make_flow("GET", f"{api}/transactions?acct=ACC7f3a9c2e&from=2026-11-01&to=2026-11-29&page=1&size=20",
                  headers=auth,
                  response_json={"retCode": "000000", "data": {"total": 2, "list": [
                      {"serialNo": "20261128123456789012345", "time": "2026-11-28T12:30:11+08:00",
                       "amount": "-128.00", "balanceAfter": "52,318.66", "summary": "快捷支付",
                       "counterparty": "上海拉扎斯信息科技有限公司", "counterpartyAccount": "3100****8866",
                       "channel": "网联", "memo": "饿了么订单 1593847261029384756"},
                      {"serialNo": "20261125098765432109876", "time": "2026-11-25T09:00:02+08:00",
                       "amount": "18,500.00", "balanceAfter": "52,446.66", "summary": "代发工资",
                       "counterparty": "上海某某科技有限公司", "counterpartyAccount": "3101****0021",
                       "channel": "批量代发", "memo": "2026年11月工资"}]}},
                  timestamp=t + 5),
        make_flow("POST", f"{api}/transfer/preview", headers=auth,
                  json={"fromAccountId": "ACC7f3a9c2e", "toAccountNo": to_card, "toName": "李四",
                        "amount": "2000.00", "currency": "CNY", "remark": "还款"},
                  response_json={"retCode": "000000", "data": {
                      "toBank": "中国建设银行", "toAccountMasked": f"{to_card[:4]} **** **** {to_card[-4:]}",
                      "fee": "0.00", "arrival": "实时到账", "needSms": True, "previewId": "PV2026112910300001"}},
                  timestamp=t + 20),
        make_flow("GET", "https://static.hengxinbank.com/mbank/v8/js/app.3f9a1c7e.js",
                  headers={"User-Agent": auth["User-Agent"]},
                  response_headers={"Content-Type": "application/javascript; charset=utf-8",
                                    "Cache-Control": "public, max-age=31536000, immutable"},
                  response_body="!function(){var e={version:'8.2.0',build:20261120};window.HXB=e}();",
                  timestamp=t + 21),
    ]
    if card_lookup_in_url:
        flows.append(make_flow("GET", f"{api}/card/bin?cardNo={to_card}", headers=auth,
                               response_json={"retCode": "000000", "data": {"bank": "中国建设银行", "type": "借记卡"}},
                               timestamp=t + 19))
    return flows


def bank_app():
    return app_from_yaml(BANK_APP)


def test_bank_session_clean_has_no_findings():
    findings = run_flows(bank_session(), app=bank_app())
    assert findings == [], describe(findings)


def test_bank_dirty_session_cookie_without_httponly_is_dh005_only():
    findings = run_flows(bank_session(session_cookie_flags="Secure"), app=bank_app())
    assert {f.check for f in findings} == {"DH005"}, describe(findings)
    assert len(findings) == 1, describe(findings)


def test_bank_dirty_server_side_tls11_is_dh003_only():
    findings = run_flows(bank_session(server_tls="TLSv1.1"), app=bank_app())
    assert {f.check for f in findings} == {"DH003"}, describe(findings)


def test_bank_dirty_card_number_in_query_is_dh002_only():
    findings = run_flows(bank_session(card_lookup_in_url=True), app=bank_app())
    assert {f.check for f in findings} == {"DH002"}, describe(findings)
    assert {f.evidence.data_type for f in findings} == {"bank_card"}


# =========================================================================== session 3
# A food-delivery app: the device's location goes to the first party (declared purpose),
# shops come back with coordinates and their own phone lines; Getui push and Tencent LBS
# are declared.

FOOD_APP = """
name: 快送外卖
first_party: [kuaisong.cn]
third_parties:
  - name: 个推 Getui
    domains: [getui.com, igexin.com]
    data: [android_id, advertising_id]
    purpose: push
  - name: 腾讯位置服务
    domains: [map.qq.com]
    data: [location]
    purpose: address search
consent:
  time: "2025-11-24T00:00:00+08:00"
canaries:
  phone: "13912345678"
"""


def food_app():
    return app_from_yaml(FOOD_APP)


def food_session(*, location_scheme="https", getui_extra=None, early_location=False):
    t = T0 + 7200
    hdr = {"User-Agent": "KuaiSong/10.4.1 (Android 14; SM-S9180)", "X-Client-Id": "ks-android",
           "Authorization": f"Bearer {JWT}"}
    getui = {"cid": "7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d", "appid": "Xk2Lm9Qr7Tz1Vw3Yb5Nc8",
             "android_id": ANDROID_ID, "oaid": OAID, "brand": "samsung", "model": "SM-S9180",
             "sdkVersion": "3.3.6.0", "ts": 1764007220000}
    getui.update(getui_extra or {})
    flows = []
    if early_location:
        flows.append(make_flow("POST", "https://api.kuaisong.cn/v1/location/report", headers=hdr,
                               json={"lat": 31.230416, "lng": 121.473701, "accuracy": 35.0,
                                     "provider": "gps", "ts": 1700000000000},
                               response_json={"code": 0}, timestamp=1_700_000_000.0))
    flows += [
        make_flow("POST", f"{location_scheme}://api.kuaisong.cn/v1/location/report", headers=hdr,
                  json={"lat": 31.230416, "lng": 121.473701, "accuracy": 35.0, "provider": "gps",
                        "ts": 1764007200000},
                  response_json={"code": 0, "data": {"cityId": 310100, "cityName": "上海"}},
                  timestamp=t),
        make_flow("POST", "https://api.kuaisong.cn/v2/shops/nearby", headers=hdr,
                  json={"latitude": 31.230416, "longitude": 121.473701, "page": 1, "sort": "distance"},
                  response_json={"code": 0, "data": {"hasMore": True, "shops": [
                      {"shopId": 70012345, "name": "老盛昌汤包(人民广场店)", "latitude": 31.231102,
                       "longitude": 121.475203, "distance": 180, "phone": "021-63221234",
                       "deliveryFee": "3.00", "minOrder": "20.00", "monthSales": 2345, "score": 4.8,
                       "logo": "https://img.kuaisong.cn/shop/70012345/logo.png"},
                      {"shopId": 70098765, "name": "南翔馒头店(城隍庙店)", "latitude": 31.227813,
                       "longitude": 121.492381, "distance": 1850, "phone": "021-63554206",
                       "deliveryFee": "5.00", "minOrder": "30.00", "monthSales": 5120, "score": 4.7,
                       "logo": "https://img.kuaisong.cn/shop/70098765/logo.png"},
                      {"shopId": 70055511, "name": "瑞幸咖啡(来福士店)", "latitude": 31.232671,
                       "longitude": 121.474991, "distance": 260, "phone": "400-100-6688",
                       "deliveryFee": "0.00", "minOrder": "0.00", "monthSales": 9000, "score": 4.9,
                       "logo": "https://img.kuaisong.cn/shop/70055511/logo.png"}]}},
                  timestamp=t + 2),
        make_flow("POST", "https://sdk-open-phone.getui.com/api.php?format=json&t=1",
                  headers={"User-Agent": "Dalvik/2.1.0 (Linux; U; Android 14; SM-S9180)"},
                  json={"action": "register", **getui},
                  response_json={"result": "ok", "cid": getui["cid"], "pushType": "getui"},
                  timestamp=t + 3),
        make_flow("POST", "https://apis.map.qq.com/ws/place/v1/suggestion",
                  headers={"User-Agent": "KuaiSong/10.4.1", "Content-Type": "application/json"},
                  json={"keyword": "人民广场", "region": "上海", "location": "31.230416,121.473701",
                        "page_size": 10},
                  response_json={"status": 0, "message": "query ok", "data": [
                      {"id": "13016498428486587541", "title": "人民广场", "address": "上海市黄浦区人民大道",
                       "location": {"lat": 31.23136, "lng": 121.47004}, "adcode": 310101}]},
                  timestamp=t + 4),
        make_flow("POST", "https://api.kuaisong.cn/v2/order/create", headers=hdr,
                  json={"addressId": 556677, "shopId": 70012345, "items": [
                      {"skuId": 900112, "name": "鲜肉小笼 8只", "price": "22.00", "qty": 1}],
                        "remark": "不要辣，谢谢", "payType": "alipay", "couponId": "CP20261129001"},
                  response_json={"code": 0, "data": {"orderId": "1593847261029384756",
                                                     "payAmount": "25.00", "expireAt": 1764009020,
                                                     "payInfo": "alipay_sdk=alipay-sdk-java-4.38.0&app_id=2021000123456789&biz_content=%7B%22out_trade_no%22%3A%221593847261029384756%22%7D&sign_type=RSA2&sign=Nm9T"}},
                  timestamp=t + 30),
        make_flow("GET", "https://api.kuaisong.cn/v2/order/1593847261029384756/rider", headers=hdr,
                  response_json={"code": 0, "data": {"riderName": "王师傅", "riderPhone": "95017转8821",
                                                     "eta": "12:42", "status": "配送中"}},
                  timestamp=t + 600),
    ]
    return flows


def _food_inventory_ok(findings):
    names = inventory_names(findings)
    assert len(names) == 2, names


def test_food_session_clean_gives_only_the_declared_sdk_inventory():
    findings = run_flows(food_session(), app=food_app())
    assert non_inventory(findings) == [], describe(non_inventory(findings))
    _food_inventory_ok(findings)


def test_food_dirty_location_over_http_is_dh001_and_its_bearer_dh004():
    # The app's Bearer header rides along on the cleartext request: DH004 is right too.
    findings = run_flows(food_session(location_scheme="http"), app=food_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH001", "DH004"}, describe(bad)
    assert {f.evidence.data_type for f in bad if f.check == "DH001"} == {"location"}, describe(bad)
    assert {f.evidence.data_type for f in bad if f.check == "DH004"} == {"credential"}, describe(bad)


def test_food_dirty_getui_gets_location_is_dh008_only():
    findings = run_flows(food_session(getui_extra={"lat": "31.230416", "lon": "121.473701"}), app=food_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH008"}, describe(bad)
    assert {f.evidence.data_type for f in bad} == {"location"}


def test_food_dirty_location_sent_before_consent_time_is_dh009_only():
    findings = run_flows(food_session(early_location=True), app=food_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH009"}, describe(bad)
    assert {f.evidence.data_type for f in bad} == {"location"}


# =========================================================================== pages

NEWS_HOME = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>新闻日报 - 权威新闻 即时资讯</title>
<meta name="keywords" content="新闻,时政,财经,科技">
<link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css" rel="stylesheet">
<style>
  .cookie-bar{position:fixed;left:0;right:0;bottom:0;z-index:1080;background:#212529;color:#fff;padding:12px 16px}
  .cookie-bar .btn{min-width:96px}
  footer{background:#f8f9fa;color:#6c757d;font-size:13px}
</style>
</head>
<body>
<nav class="navbar navbar-expand-lg bg-body-tertiary">
  <div class="container-fluid">
    <a class="navbar-brand" href="/"><img src="/static/img/logo.png" alt="新闻日报" width="120" height="32"></a>
    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainNav" aria-controls="mainNav" aria-expanded="false" aria-label="Toggle navigation"><span class="navbar-toggler-icon"></span></button>
    <div class="collapse navbar-collapse" id="mainNav">
      <ul class="navbar-nav me-auto mb-2 mb-lg-0">
        <li class="nav-item"><a class="nav-link active" aria-current="page" href="/">首页</a></li>
        <li class="nav-item"><a class="nav-link" href="/politics/">时政</a></li>
        <li class="nav-item"><a class="nav-link" href="/finance/">财经</a></li>
        <li class="nav-item"><a class="nav-link" href="/tech/">科技</a></li>
      </ul>
      <button type="button" class="btn btn-outline-primary btn-sm" data-bs-toggle="modal" data-bs-target="#subscribeModal">订阅早报</button>
    </div>
  </div>
</nav>
<main class="container my-4">
  <div class="row">
    <div class="col-md-8">
      <div class="card mb-3"><div class="card-body">
        <h5 class="card-title"><a href="/news/2026/11/29/123456.html">国务院常务会议部署进一步扩大内需</a></h5>
        <p class="card-text text-muted">2026-11-29 09:30 · 来源：新华社 · 阅读 128万</p></div></div>
      <div class="card mb-3"><div class="card-body">
        <h5 class="card-title"><a href="/finance/2026/11/29/123457.html">“双12”临近 电商平台价格战升温</a></h5>
        <p class="card-text text-muted">2026-11-29 08:10 · 本报记者 李明 · 阅读 56万</p></div></div>
      <nav aria-label="分页"><ul class="pagination"><li class="page-item active"><a class="page-link" href="/?page=1">1</a></li>
        <li class="page-item"><a class="page-link" href="/?page=2">2</a></li><li class="page-item"><a class="page-link" href="/?page=3">3</a></li></ul></nav>
    </div>
    <aside class="col-md-4">
      <div class="list-group">
        <a class="list-group-item list-group-item-action" href="https://weibo.com/xinwenribao" target="_blank" rel="noopener">官方微博</a>
        <a class="list-group-item list-group-item-action" href="https://www.gov.cn/" target="_blank" rel="noopener">中国政府网</a>
        <a class="list-group-item list-group-item-action" href="https://www.12377.cn/" target="_blank" rel="noopener">网上有害信息举报</a>
      </div>
    </aside>
  </div>
</main>
<div class="modal fade" id="subscribeModal" tabindex="-1" aria-labelledby="subscribeModalLabel" aria-hidden="true">
  <div class="modal-dialog"><div class="modal-content">
    <div class="modal-header"><h1 class="modal-title fs-5" id="subscribeModalLabel">订阅新闻早报</h1>
      <button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="关闭"></button></div>
    <div class="modal-body"><form action="/api/subscribe" method="post">
      <input type="email" class="form-control" name="email" placeholder="name@example.com">
      <div class="form-check mt-2"><input class="form-check-input" type="checkbox" id="weekly" name="weekly">
        <label class="form-check-label" for="weekly">同时订阅周末特刊</label></div></form></div>
    <div class="modal-footer"><button type="button" class="btn btn-secondary" data-bs-dismiss="modal">取消</button>
      <button type="submit" class="btn btn-primary">订阅</button></div>
  </div></div>
</div>
%(banner)s
%(ad)s
<footer class="py-4 mt-5 text-center">
  <p>新闻日报社 版权所有 © 2008-2026 · 地址：上海市静安区威海路755号 · 违法和不良信息举报电话：021-22899999</p>
  <p>%(icp)s <a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=31010602000123" target="_blank">沪公网安备 31010602000123号</a>
    · 互联网新闻信息服务许可证：31120180001</p>
</footer>
<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/js/bootstrap.bundle.min.js"></script>
<script>
  document.getElementById('cookieAccept') && document.getElementById('cookieAccept').addEventListener('click', function () {
    localStorage.setItem('cookie_consent', 'all'); document.getElementById('cookieBar').remove();
  });
  document.getElementById('cookieReject') && document.getElementById('cookieReject').addEventListener('click', function () {
    localStorage.setItem('cookie_consent', 'necessary'); document.getElementById('cookieBar').remove();
  });
</script>
</body>
</html>
"""

ICP = '<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">沪ICP备2021012345号-1</a>'
EQUAL_BANNER = """<div class="cookie-bar d-flex align-items-center justify-content-between" id="cookieBar" role="region" aria-label="Cookie 提示">
  <span>我们使用 Cookie 来改善您的阅读体验并进行统计分析。详见《<a class="link-light" href="/privacy.html">隐私政策</a>》。</span>
  <span><button type="button" class="btn btn-outline-light btn-sm" id="cookieReject">拒绝</button>
  <button type="button" class="btn btn-light btn-sm" id="cookieAccept">接受</button></span>
</div>"""
ACCEPT_ONLY_BANNER = """<div class="cookie-bar d-flex align-items-center justify-content-between" id="cookieBar" role="region" aria-label="Cookie 提示">
  <span>我们使用 Cookie 来改善您的阅读体验并进行个性化推荐。继续浏览前请确认。详见《<a class="link-light" href="/privacy.html">隐私政策</a>》。</span>
  <span><button type="button" class="btn btn-light btn-sm" id="cookieAccept">接受</button></span>
</div>"""
FAKE_CLOSE_AD = """<div class="container"><div class="ad-banner position-relative" id="adSlot3">
  <a href="https://s.click.taobao.com/t?e=m%3D2%26s%3DabcXYZ" target="_blank" rel="nofollow">
    <img src="https://img.alicdn.com/imgextra/i4/ad_970x90.jpg" alt="广告" width="970" height="90">
    <span class="ad-close position-absolute top-0 end-0">×</span>
  </a></div></div>"""

NEWS_URL = "https://www.xinwen-daily.cn/"


def news_home(banner=EQUAL_BANNER, icp=ICP, ad=""):
    return NEWS_HOME % {"banner": banner, "icp": icp, "ad": ad}


def test_news_home_clean_has_no_findings():
    findings = run_page(news_home(), url=NEWS_URL)
    assert findings == [], describe(findings)


def test_news_home_also_clean_when_captured_in_a_flow():
    flow = make_flow("GET", NEWS_URL, headers={"User-Agent": UA_ANDROID},
                     response_headers={"Content-Type": "text/html; charset=utf-8",
                                       "Set-Cookie": "Hm_lvt_0a1b2c=1764000000; Path=/; Secure"},
                     response_body=news_home())
    findings = run_flows([flow])
    assert findings == [], describe(findings)


def test_news_home_dirty_without_icp_is_ui009_only():
    findings = run_page(news_home(icp=""), url=NEWS_URL)
    assert {f.check for f in findings} == {"UI009"}, describe(findings)


def test_news_home_dirty_accept_only_banner_is_ui007_only():
    findings = run_page(news_home(banner=ACCEPT_ONLY_BANNER), url=NEWS_URL)
    assert {f.check for f in findings} == {"UI007"}, describe(findings)


def test_news_home_dirty_fake_close_inside_ad_link_is_ui002_only():
    findings = run_page(news_home(ad=FAKE_CLOSE_AD), url=NEWS_URL)
    assert {f.check for f in findings} == {"UI002"}, describe(findings)


NEWS_ARTICLE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>“双12”临近 电商平台价格战升温_财经_新闻日报</title>
<meta property="og:type" content="article">
<meta property="og:site_name" content="新闻日报">
<meta property="og:title" content="“双12”临近 电商平台价格战升温">
<meta property="og:url" content="https://www.xinwen-daily.cn/finance/2026/11/29/123457.html">
<meta property="article:published_time" content="2026-11-29T08:10:00+08:00">
<link rel="canonical" href="https://www.xinwen-daily.cn/finance/2026/11/29/123457.html">
<link href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css" rel="stylesheet">
</head>
<body>
<main class="container my-4">
<article class="col-lg-8 mx-auto">
  <h1 class="display-6">“双12”临近 电商平台价格战升温</h1>
  <p class="text-muted">2026-11-29 08:10 · 本报记者 李明 · 责任编辑：王芳</p>
  <p>随着“双12”临近，淘宝、京东、拼多多等平台纷纷推出满减活动。淘宝相关负责人表示，今年将投入百亿补贴；
     微信支付与支付宝也同步推出立减金。业内人士认为，价格战将持续至年底。</p>
  <p>据统计，截至11月28日，主要平台累计订单量同比增长23.5%%，客单价为128.6元。某平台订单号
     2026112810000012345 显示，一名消费者在0点抢购成功。</p>
  <blockquote class="blockquote"><p>“消费者要理性消费，注意核对商品价格。”</p></blockquote>
  <p>市场监管部门提醒，消费者如遇价格欺诈可拨打12315热线投诉，或登录全国12315平台
     <a href="https://www.12315.cn/" target="_blank">www.12315.cn</a>。</p>
  <div class="alert alert-secondary">%(extra)s</div>
  <div class="share">分享到：<a href="https://service.weibo.com/share/share.php?url=https%%3A%%2F%%2Fwww.xinwen-daily.cn%%2Ffinance%%2F2026%%2F11%%2F29%%2F123457.html" target="_blank">微博</a>
    <a href="javascript:void(0)" onclick="showQrcode()">微信</a></div>
</article>
</main>
<footer class="text-center py-3">沪ICP备2021012345号-1 · 违法和不良信息举报电话：021-22899999</footer>
<script>function showQrcode(){document.getElementById('qr').style.display='block'}</script>
<div id="qr" style="display:none">用微信“扫一扫”分享</div>
</body>
</html>
"""

ARTICLE_URL = "https://www.xinwen-daily.cn/finance/2026/11/29/123457.html"
NEWS_BRANDS_APP = """
name: 新闻日报
first_party: [xinwen-daily.cn]
brands:
  - name: 淘宝
    domains: [taobao.com, tmall.com]
  - name: 支付宝
    domains: [alipay.com]
"""


def test_news_article_mentioning_brands_and_sample_id_is_clean():
    extra = "办理实名认证时请填写本人身份证号，例如：11010519491231002X（仅为格式示例）。"
    findings = run_page(NEWS_ARTICLE % {"extra": extra}, url=ARTICLE_URL,
                        app=app_from_yaml(NEWS_BRANDS_APP))
    assert findings == [], describe(findings)


def test_news_article_dirty_winner_list_with_full_phone_is_ui011_only():
    extra = "中奖名单：张** 13912345678，李** 13800138000，以上中奖用户请于7日内领取。"
    findings = run_page(NEWS_ARTICLE % {"extra": extra}, url=ARTICLE_URL,
                        app=app_from_yaml(NEWS_BRANDS_APP))
    assert {f.check for f in findings} == {"UI011"}, describe(findings)
    assert {f.evidence.data_type for f in findings} == {"phone"}


LOGIN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 - 优选商城</title>
<link rel="stylesheet" href="https://img.yxcdn.com/web/element-plus@2.4.4/index.css">
</head>
<body>
<div id="app" data-v-app="">
<div class="login-wrap" data-v-1f2e3d4c="">
  <div class="login-logo"><img src="https://img.yxcdn.com/web/logo/yx-logo.svg" alt="优选商城"></div>
  <form class="el-form el-form--default el-form--label-top login-form" action="/passport/login" method="post">
    <div class="el-form-item is-required"><label class="el-form-item__label" for="mobile">手机号</label>
      <div class="el-input"><div class="el-input__wrapper"><input class="el-input__inner" id="mobile" name="mobile" type="tel" maxlength="11" autocomplete="tel" placeholder="请输入手机号"></div></div></div>
    <div class="el-form-item is-required"><label class="el-form-item__label" for="password">密码</label>
      <div class="el-input"><div class="el-input__wrapper"><input class="el-input__inner" id="password" name="password" type="password" autocomplete="current-password" placeholder="请输入密码"></div></div></div>
    <div class="el-form-item"><label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><input class="el-checkbox__original" type="checkbox" name="remember" checked><span class="el-checkbox__inner"></span></span><span class="el-checkbox__label">记住我（7天内自动登录）</span></label></div>
    <div class="el-form-item agreement"><label class="el-checkbox%(agree_cls)s"><span class="el-checkbox__input%(agree_cls)s"><input class="el-checkbox__original" type="checkbox" name="agree" value="1"%(agree_attr)s><span class="el-checkbox__inner"></span></span><span class="el-checkbox__label">我已阅读并同意<a href="/agreement.html" target="_blank">《用户服务协议》</a>和<a href="/privacy.html" target="_blank">《隐私政策》</a></span></label></div>
    <button type="submit" class="el-button el-button--primary el-button--large login-btn"><span>登录</span></button>
  </form>
  <div class="el-divider el-divider--horizontal"><div class="el-divider__text is-center">其他登录方式</div></div>
  <div class="oauth">
    <a class="oauth-btn wechat" href="https://open.weixin.qq.com/connect/qrconnect?appid=wx1a2b3c4d5e6f7a8b&amp;redirect_uri=https%%3A%%2F%%2Fpassport.youxuanmall.com%%2Foauth%%2Fwechat&amp;response_type=code&amp;scope=snsapi_login&amp;state=9f8e7d"><img src="https://img.yxcdn.com/web/icon/wechat.svg" alt="微信">微信登录</a>
    <a class="oauth-btn alipay" href="https://openauth.alipay.com/oauth2/publicAppAuthorize.htm?app_id=2021000123456789&amp;scope=auth_user&amp;redirect_uri=https%%3A%%2F%%2Fpassport.youxuanmall.com%%2Foauth%%2Falipay"><img src="https://img.yxcdn.com/web/icon/alipay.svg" alt="支付宝">支付宝登录</a>
    <a class="oauth-btn qq" href="https://graph.qq.com/oauth2.0/authorize?response_type=code&amp;client_id=101234567&amp;redirect_uri=https%%3A%%2F%%2Fpassport.youxuanmall.com%%2Foauth%%2Fqq"><img src="https://img.yxcdn.com/web/icon/qq.svg" alt="QQ">QQ登录</a>
  </div>
  <p class="tips">登录遇到问题？请联系客服 <a href="tel:4008201234">400-820-1234</a></p>
</div>
</div>
</body>
</html>
"""

LOGIN_BRANDS_APP = """
name: 优选商城
first_party: [youxuanmall.com, yxcdn.com]
brands:
  - name: 优选商城
    domains: [youxuanmall.com]
  - name: 支付宝
    domains: [alipay.com]
  - name: 微信
    domains: [weixin.qq.com, qq.com]
"""


def login_page(precheck=False):
    return LOGIN_PAGE % {"agree_cls": " is-checked" if precheck else "",
                         "agree_attr": " checked" if precheck else ""}


def test_login_page_with_oauth_buttons_and_remember_me_is_clean():
    findings = run_page(login_page(), url="https://passport.youxuanmall.com/login?redirect=%2Forder",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


def test_login_page_dirty_prechecked_privacy_agreement_is_ui006_only():
    findings = run_page(login_page(precheck=True), url="https://passport.youxuanmall.com/login",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert {f.check for f in findings} == {"UI006"}, describe(findings)


def test_login_page_dirty_on_lookalike_domain_is_ui010_only():
    findings = run_page(login_page(), url="https://www.youxuanmall-vip.top/login",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert {f.check for f in findings} == {"UI010"}, describe(findings)


PRODUCT_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,viewport-fit=cover">
<title>澳洲进口牛排 家庭装 1.2kg - 优选商城</title>
<meta property="og:type" content="product">
<link rel="stylesheet" href="https://img.yxcdn.com/h5/vant@4.8.0/index.css">
</head>
<body>
<div id="app" data-v-app="">
  <div class="van-swipe goods-swipe"><div class="van-swipe__track">
    <div class="van-swipe-item"><img src="https://img.yxcdn.com/goods/2026/11/8f14e45fceea167a5a36dedd4bea2543.jpg" alt="商品主图1"></div></div>
    <div class="van-swipe__indicators"><i class="van-swipe__indicator van-swipe__indicator--active"></i></div></div>
  <div class="van-cell-group goods-info">
    <div class="goods-price"><span class="price">¥128.00</span> <del>¥199.00</del> <span class="van-tag van-tag--danger">限时特惠</span></div>
    <div class="goods-title">澳洲进口牛排 家庭装 1.2kg 谷饲200天 原切</div>
    <div class="goods-meta">商品编号：100012345678 · 月销 2.3万 · 库存 1288</div>
  </div>
  <div class="van-cell van-cell--clickable"><div class="van-cell__title">配送</div><div class="van-cell__value">上海市黄浦区 · 现货，23:00前下单，预计明天送达</div></div>
  <div class="reviews"><h3>商品评价（12,306）</h3>
    <div class="review"><span class="user">1**8</span><span class="stars">★★★★★</span><p>肉质很好，孩子很喜欢，已经第三次回购了。</p><span class="meta">2026-11-27 · 规格：1.2kg</span></div>
    <div class="review"><span class="user">张**</span><span class="stars">★★★★☆</span><p>物流很快，包装完好。</p><span class="meta">2026-11-26 · 买家 138****5678</span></div>
  </div>
  <div class="recommend"><h3>猜你喜欢</h3><div class="van-grid">
    <div class="van-grid-item"><a href="/goods/100023456789.html">有机纯牛奶 250ml*12盒 ¥53.90</a></div>
    <div class="van-grid-item"><a href="/goods/100034567890.html">智利车厘子 2.5kg JJ级 ¥239.00</a></div></div></div>
  <div class="van-popup van-popup--bottom van-popup--round" style="display: none;" role="dialog" aria-modal="true">
    <div class="coupon-title">领取优惠券</div><div class="coupon">满299减50</div>
    <i role="button" tabindex="0" class="van-badge__wrapper van-icon van-icon-cross van-popup__close-icon van-popup__close-icon--top-right"></i></div>
  <div class="shop-service">店铺客服热线：<a href="tel:021-60123456">021-60123456</a></div>
  <div class="van-action-bar"><div class="van-action-bar-icon" role="button">客服</div>
    <div class="van-action-bar-icon" role="button">购物车</div>
    <button class="van-button van-button--warning van-action-bar-button--first">加入购物车</button>
    <button class="van-button van-button--danger van-action-bar-button--last">立即购买</button></div>
</div>
</body>
</html>
"""


def test_product_page_vant_is_clean():
    findings = run_page(PRODUCT_PAGE, url="https://item.youxuanmall.com/100012345678.html",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


COOKIE_PREFS_EN = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Cookie preferences | Wanderly Travel</title>
<meta property="og:url" content="https://www.wanderly-travel.co.uk/">
<style>
 #cookie-modal{position:fixed;inset:0;z-index:9999;background:rgba(0,0,0,.5)}
 #cookie-modal .panel{background:#fff;max-width:560px;margin:10vh auto;padding:24px;border-radius:8px}
 .btn{display:inline-block;padding:10px 18px;font-size:15px;border-radius:4px;min-width:120px}
 .btn-primary{background:#0b5fff;color:#fff}.btn-secondary{background:#0b5fff;color:#fff}
</style></head>
<body>
<header><a href="/"><img src="/img/wanderly.svg" alt="Wanderly Travel"></a></header>
<main><h1>Find your next trip</h1><p>Flights, hotels and holidays from £99.</p></main>
<div id="cookie-modal" role="dialog" aria-modal="true" aria-labelledby="cm-title">
 <div class="panel">
  <h2 id="cm-title">We value your privacy</h2>
  <p>We use cookies to run this site, to measure how it is used and, with your permission, to show you relevant ads.</p>
  <fieldset><legend>Manage preferences</legend>
   <label><input type="checkbox" name="necessary" checked disabled> Strictly necessary (always on)</label><br>
   <label><input type="checkbox" name="analytics"> Analytics cookies</label><br>
   <label><input type="checkbox" name="marketing"%(marketing)s> Marketing and personalised advertising</label>
  </fieldset>
  <button class="btn btn-secondary" id="reject-all" type="button">Reject all</button>
  <button class="btn btn-primary" id="accept-all" type="button">Accept all</button>
  <button class="btn btn-secondary" id="save" type="button">Save preferences</button>
 </div>
</div>
<footer><p>&copy; 2026 Wanderly Travel Ltd. Registered in England No. 01234567. ATOL 12345.</p>
<p>Customer service: <a href="tel:+442071234567">+44 20 7123 4567</a></p></footer>
</body></html>
"""


def test_english_cookie_modal_with_equal_choices_is_clean():
    findings = run_page(COOKIE_PREFS_EN % {"marketing": ""}, url="https://www.wanderly-travel.co.uk/")
    assert findings == [], describe(findings)


def test_english_cookie_modal_dirty_prechecked_marketing_is_ui006_only():
    findings = run_page(COOKIE_PREFS_EN % {"marketing": " checked"}, url="https://www.wanderly-travel.co.uk/")
    assert {f.check for f in findings} == {"UI006"}, describe(findings)


WECHAT_H5 = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,user-scalable=no">
<title>邀请好友 领30元无门槛券</title>
<script src="https://res.wx.qq.com/open/js/jweixin-1.6.0.js"></script>
<style>body{margin:0;background:#ff4d4f}.share-tip{position:fixed;top:0;right:0;z-index:99;display:none}</style>
</head>
<body>
<div class="invite">
  <img class="banner" src="https://img.yxcdn.com/h5/invite/banner_750.png" alt="邀请有礼">
  <p class="rule">每成功邀请1位新用户下单，您和好友各得30元无门槛券，上不封顶。</p>
  <button class="btn-share" onclick="document.querySelector('.share-tip').style.display='block'">立即邀请</button>
  <ul class="records"><li>138****8000 刚刚领取了30元券</li><li>186****1234 3分钟前领取了30元券</li></ul>
</div>
<div class="share-tip" onclick="this.style.display='none'"><img src="https://img.yxcdn.com/h5/invite/arrow.png" alt="点击右上角分享给好友"></div>
<script>
wx.config({debug:false,appId:'wx1a2b3c4d5e6f7a8b',timestamp:1764000000,nonceStr:'Wm3WZYTPz0wzccnW',signature:'0f9de62fce790f9a083d5c99e95740ceb90c27ed',jsApiList:['updateAppMessageShareData','updateTimelineShareData']});
wx.ready(function(){wx.updateAppMessageShareData({title:'送你30元无门槛券',desc:'优选商城新人专享',link:'https://m.youxuanmall.com/h5/invite?code=YX8848',imgUrl:'https://img.yxcdn.com/h5/invite/share.png'})});
</script>
</body></html>
"""


def test_wechat_h5_invite_page_is_clean():
    flow = make_flow("GET", "https://m.youxuanmall.com/h5/invite?code=YX8848&from=singlemessage&isappinstalled=0",
                     headers={"User-Agent": UA_ANDROID + " MicroMessenger/8.0.49.2600(0x28003133) NetType/WIFI Language/zh_CN"},
                     response_headers={"Content-Type": "text/html; charset=utf-8"},
                     response_body=WECHAT_H5)
    findings = run_flows([flow], app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


# --------------------------------------------------------------------------- uiautomator

def node(bounds, *, cls="android.widget.FrameLayout", text="", rid="", desc="", clickable=False,
         checkable=False, checked=False, children="", pkg="com.youxuan.mall"):
    b = "[%d,%d][%d,%d]" % bounds
    return (f'<node index="0" text="{text}" resource-id="{rid}" class="{cls}" package="{pkg}" '
            f'content-desc="{desc}" checkable="{str(checkable).lower()}" checked="{str(checked).lower()}" '
            f'clickable="{str(clickable).lower()}" enabled="true" focusable="{str(clickable).lower()}" '
            f'focused="false" scrollable="false" long-clickable="false" password="false" selected="false" '
            f'bounds="{b}">{children}</node>')


def dump(*children):
    return ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
            '<hierarchy rotation="0">' + node((0, 0, 1080, 2400), children="".join(children)) + "</hierarchy>")


def privacy_dialog_dump(with_decline=True):
    buttons = (
        node((120, 1560, 525, 1680), cls="android.widget.Button", text="不同意",
             rid="com.youxuan.mall:id/btn_disagree", clickable=True)
        + node((555, 1560, 960, 1680), cls="android.widget.Button", text="同意",
               rid="com.youxuan.mall:id/btn_agree", clickable=True)
    ) if with_decline else node((120, 1560, 960, 1680), cls="android.widget.Button", text="同意并继续",
                               rid="com.youxuan.mall:id/btn_agree", clickable=True)
    dialog = node((90, 700, 990, 1720), cls="android.widget.LinearLayout",
                  rid="com.youxuan.mall:id/privacy_dialog", children=(
                      node((130, 740, 950, 820), cls="android.widget.TextView", text="个人信息保护指引",
                           rid="com.youxuan.mall:id/tv_title")
                      + node((130, 840, 950, 1520), cls="android.widget.TextView",
                             rid="com.youxuan.mall:id/tv_content",
                             text="欢迎使用优选商城！我们依据最新的法律法规要求，制定了《用户协议》和《隐私政策》。"
                                  "请您在使用前仔细阅读并充分理解。为向您提供商品浏览、下单购买等服务，我们需要收集您的设备信息、"
                                  "订单信息。未经您同意，我们不会向第三方提供您的个人信息。")
                      + buttons))
    return dump(node((0, 0, 1080, 2400), rid="android:id/content", children=dialog))


def splash_dump(skip_bounds=(840, 110, 1040, 260)):
    return dump(node((0, 0, 1080, 2400), rid="com.youxuan.mall:id/splash_container", children=(
        node((0, 0, 1080, 2000), cls="android.widget.ImageView", rid="com.youxuan.mall:id/splash_ad_image",
             desc="开屏广告图片")
        + node((40, 1930, 130, 1975), cls="android.widget.TextView", text="广告",
               rid="com.youxuan.mall:id/ad_label")
        + node((240, 1760, 840, 1900), cls="android.widget.TextView", text="点击跳转详情页或第三方应用",
               rid="com.youxuan.mall:id/splash_click_bar", clickable=True)
        + node(skip_bounds, cls="android.widget.TextView", text="跳过",
               rid="com.youxuan.mall:id/splash_skip", clickable=True)
        + node((0, 2000, 1080, 2400), cls="android.widget.ImageView", rid="com.youxuan.mall:id/splash_logo",
               desc="优选商城"))))


def test_privacy_dialog_dump_with_agree_and_disagree_is_clean():
    findings = run_page(privacy_dialog_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe(findings)


def test_privacy_dialog_dump_dirty_without_decline_is_ui007_only():
    findings = run_page(privacy_dialog_dump(with_decline=False), kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI007"}, describe(findings)


def test_splash_dump_with_real_skip_is_clean():
    findings = run_page(splash_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe(findings)


def test_splash_dump_dirty_tiny_skip_is_ui003_only():
    # 20 x 13 dp at 480 dpi: the "as small as ants" close button.
    findings = run_page(splash_dump(skip_bounds=(980, 110, 1040, 150)), kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI003"}, describe(findings)


# =========================================================================== session 4
# A video app: own API signed with sign=/nonce in the query, HLS playlists, danmaku, a
# real-name check that echoes the user's own ID number, the user's own profile, an avatar
# upload, a logout that deletes the session cookie, and Firebase Crashlytics declared.

VIDEO_APP = """
name: 星河视频
first_party: [xinghe-video.com, xhvcdn.com]
third_parties:
  - name: Firebase Crashlytics
    domains: [crashlytics.com, crashlyticsreports-pa.googleapis.com]
    data: [android_id]
    purpose: crash reporting
consent:
  url: "https://api.xinghe-video.com/x/privacy/agree*"
canaries:
  phone: "13912345678"
  email: "zhangsan.test@163.com"
"""


def video_app():
    return app_from_yaml(VIDEO_APP)


def video_session(*, extra_flows=(), echo_id=True, logout_cookie=None, own_profile_extra=None):
    t = T0 + 10_000
    ua = "XingheVideo/7.58.0 os/android model/PJD110 mobi_app/android build/7580300 channel/oppo"
    hdr = {"User-Agent": ua, "Authorization": f"Bearer {JWT}", "X-Xh-Buvid": "XY4C1D2E3F4A5B6C7D8E9F0A1B2C3D4E5F6A7",
           "X-Xh-Trace-Id": "d2f4e1a0b3c5476899aabbccddeeff00:d2f4e1a0b3c54768:0:0"}
    sign = "1c5e7ff4b2e3d9a0c8f6b1a2d3e4f5a6"
    profile = {"mid": 3546789012, "uname": "张三的小号", "mobile": "13912345678",
               "email": "zhangsan.test@163.com", "level": 5, "vipStatus": 1,
               "vipDueDate": 1795536000000, "face": "https://i0.xhvcdn.com/face/9f8e7d6c.jpg",
               "birthday": "1990-03-07", "sign": "生活明朗，万物可爱"}
    profile.update(own_profile_extra or {})
    own_id = "11010519491231002X"
    flows = [
        make_flow("POST", "https://api.xinghe-video.com/x/privacy/agree?appkey=1d8b6e7d45233436&ts=1764010000",
                  headers={"User-Agent": ua}, json={"version": 12, "agree": 1},
                  response_json={"code": 0, "message": "0", "ttl": 1}, timestamp=t),
        make_flow("GET", f"https://app.xinghe-video.com/x/v2/feed/index?appkey=1d8b6e7d45233436&build=7580300"
                         f"&idx=1764010001&pull=true&ts=1764010001&nonce=8f2a0c&sign={sign}",
                  headers=hdr,
                  response_json={"code": 0, "data": {"items": [
                      {"card_type": "small_cover_v2", "title": "【4K】航拍上海外滩夜景 | 城市天际线",
                       "cover": "https://i0.xhvcdn.com/archive/5b1a3c9e7d.jpg", "avid": 113456789012347,
                       "bvid": "BV1Xw4m1e7Ab", "cid": 1384567890, "duration": 263,
                       "play": 1283345, "danmaku": 8823, "pubdate": 1763901234,
                       "owner": {"mid": 1122334455, "name": "城市漫游者"}},
                      {"card_type": "small_cover_v2", "title": "30分钟学会红烧肉，零失败家常做法",
                       "cover": "https://i0.xhvcdn.com/archive/9c2d4e6f8a.jpg", "avid": 113456789012355,
                       "bvid": "BV1Hs4y1M7cd", "cid": 1384567999, "duration": 1840,
                       "play": 562001, "danmaku": 2310, "pubdate": 1763801234,
                       "owner": {"mid": 2233445566, "name": "厨房日记"}}]}},
                  timestamp=t + 1),
        make_flow("GET", "https://upos-sz-mirrorcos.xhvcdn.com/upgcxcode/90/78/1384567890/1384567890-1-30080.m3u8"
                         "?e=ig8euxZM2rNcNbdlhoNvNC8BqJIzNbfqXBvEqxTEto8BTrNvN0GvT90W5JZMkX_YN0MvXg8gNEV4NC8xNEV4N03eN0B5tZlqNxTEto8BTrNvNeZVuJ10Kj_g2UB02J0mN0B5tZlqNCNEto8BTrNvNC7MTX502C8f2jmMQJ6mqF2fka1mqx6gqj0eN0B599M%3D"
                         "&uipk=5&deadline=1764017201&gen=playurlv2&os=cosbv&oi=2071799809&trid=a1b2c3d4e5f6&mid=3546789012&platform=android&upsig=9f1e2d3c4b5a69788796a5b4c3d2e1f0",
                  headers={"User-Agent": ua},
                  response_headers={"Content-Type": "application/vnd.apple.mpegurl"},
                  response_body="#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n"
                                "#EXTINF:6.000,\nseg-00000.ts\n#EXTINF:6.000,\nseg-00001.ts\n#EXT-X-ENDLIST\n",
                  timestamp=t + 3),
        make_flow("GET", "https://api.xinghe-video.com/x/v2/dm/list?oid=1384567890&type=1&segment_index=1",
                  headers=hdr,
                  response_json={"code": 0, "data": {"elems": [
                      {"id": 1623456789012345678, "progress": 15230, "mode": 1, "fontsize": 25,
                       "color": 16777215, "midHash": "a1b2c3d4", "content": "前方高能！！",
                       "ctime": 1763905678, "weight": 10},
                      {"id": 1623456789012399999, "progress": 61002, "mode": 1, "fontsize": 25,
                       "color": 16646914, "midHash": "9e8f7a6b", "content": "外滩yyds，上次去是2019年",
                       "ctime": 1763906789, "weight": 8}]}},
                  timestamp=t + 4),
        make_flow("GET", "https://api.xinghe-video.com/x/v2/account/myinfo", headers=hdr,
                  response_json={"code": 0, "data": profile}, timestamp=t + 10),
        make_flow("POST", "https://api.xinghe-video.com/x/v2/account/realname/verify", headers=hdr,
                  json={"realName": "张三", "idNo": own_id, "idType": 1},
                  response_json={"code": 0, "data": {"status": "pending", "realName": "张*",
                                                     "idNo": own_id if echo_id else "110105********002X",
                                                     "submitTime": "2026-11-29 10:30:11"}},
                  timestamp=t + 20),
        make_flow("POST", "https://api.xinghe-video.com/x/v2/account/face/upload", headers={
            **hdr, "Content-Type": "multipart/form-data; boundary=----XhBoundary7MA4YWxkTrZu0gW"},
                  body=("------XhBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"biz\"\r\n\r\nface\r\n"
                        "------XhBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"file\"; filename=\"IMG_20261129_103011.jpg\"\r\n"
                        "Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0JFIF-bytes\r\n------XhBoundary7MA4YWxkTrZu0gW--\r\n"),
                  response_json={"code": 0, "data": {"url": "https://i0.xhvcdn.com/face/9f8e7d6c.jpg",
                                                     "md5": "d41d8cd98f00b204e9800998ecf8427e"}},
                  timestamp=t + 30),
        make_flow("POST", "https://crashlyticsreports-pa.googleapis.com/v1/firelog/legacy/batchlog",
                  headers={"User-Agent": "datatransport/3.1.9 android/", "Content-Type": "application/json",
                           "Content-Encoding": "gzip"},
                  body=gzip.compress(json.dumps({"logRequest": [{"clientInfo": {"clientType": "ANDROID_FIREBASE",
                      "androidClientInfo": {"sdkVersion": 33, "model": "PJD110", "hardware": "qcom",
                                            "device": "OP5D0DL1", "product": "PJD110",
                                            "osBuild": "PJD110_14.0.0.600(CN01)", "manufacturer": "OnePlus",
                                            "fingerprint": "OnePlus/PJD110/OP5D0DL1:14/UKQ1.230924.001/T.R4T2.1a2b3c4-5d6e:user/release-keys",
                                            "locale": "zh_CN", "country": "CN", "mccMnc": "46000",
                                            "applicationBuild": "7580300"}},
                      "logSource": 1300, "requestTimeMs": 1764010040123, "requestUptimeMs": 402331,
                      "logEvent": [{"eventTimeMs": 1764010039000, "eventUptimeMs": 401208,
                                    "sourceExtension": {"android_id": ANDROID_ID,
                                                        "crash": "java.lang.IllegalStateException: Fragment not attached"}}]}]}).encode()),
                  response_json={"nextRequestWaitMillis": 60000}, timestamp=t + 40),
        make_flow("POST", "https://passport.xinghe-video.com/x/passport-login/revoke", headers=hdr,
                  body="access_key=&csrf=5c3e9a71", status=200,
                  response_headers=[("Set-Cookie", logout_cookie or
                                     "XHSESSDATA=deleted; Path=/; Domain=.xinghe-video.com; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0")],
                  response_json={"code": 0}, timestamp=t + 50),
    ]
    flows += list(extra_flows)
    return flows


def test_video_session_clean_gives_only_the_declared_crashlytics_inventory():
    findings = run_flows(video_session(), app=video_app())
    assert non_inventory(findings) == [], describe(non_inventory(findings))
    assert len(inventory_names(findings)) == 1, inventory_names(findings)


def test_video_dirty_sentry_undeclared_gets_email_is_dh007():
    sentry = make_flow("POST", "https://o450123.ingest.sentry.io/api/5512345/envelope/",
                       headers={"User-Agent": "sentry.java.android/7.3.0",
                                "X-Sentry-Auth": "Sentry sentry_version=7,sentry_client=sentry.java.android/7.3.0,sentry_key=0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
                       body='{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","sent_at":"2026-11-29T02:31:00.000Z"}\n'
                            '{"type":"event"}\n'
                            + json.dumps({"event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "level": "error",
                                          "platform": "java", "release": "com.xinghe.video@7.58.0+7580300",
                                          "user": {"id": "3546789012", "email": "zhangsan.test@163.com"},
                                          "contexts": {"os": {"name": "Android", "version": "14"}},
                                          "exception": {"values": [{"type": "IllegalStateException",
                                                                    "value": "Fragment not attached"}]}}),
                       response_json={"id": "9ec79c33ec9942ab8353589fcb2e04dc"}, timestamp=T0 + 10_060)
    findings = run_flows(video_session(extra_flows=[sentry]), app=video_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH007"}, describe(bad)
    assert {f.evidence.data_type for f in bad} >= {"canary"} or {f.evidence.data_type for f in bad} >= {"email"}, describe(bad)
    assert len(inventory_names(findings)) == 2


def test_video_dirty_logout_sets_session_cookie_without_flags_is_dh005_only():
    findings = run_flows(video_session(logout_cookie="XHSESSDATA=a8f5f167f44f4964e6c998dee827110c%2C1779562200%2C3b7e1%2Ab1; Path=/; Domain=.xinghe-video.com; Max-Age=15552000"),
                         app=video_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH005"}, describe(bad)


def test_video_dirty_profile_lists_followers_phones_is_dh006_only():
    others = {"recentFans": [{"mid": 1122334455 + i, "uname": f"粉丝{i}", "mobile": m}
                             for i, m in enumerate(["13800138000", "13700137000", "18612345678"])]}
    findings = run_flows(video_session(own_profile_extra=others), app=video_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH006"}, describe(bad)
    assert {f.evidence.data_type for f in bad} == {"phone"}, describe(bad)


# =========================================================================== more pages

SHOP_HOME = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>优选商城 - 品质生活 优选到家</title>
<link rel="stylesheet" href="https://img.yxcdn.com/h5/vant@4.8.0/index.css">
<style>
 .splash{position:fixed;top:0;left:0;width:100%%;height:100%%;z-index:3000;background:#000}
 .splash img{width:100%%;height:100%%;object-fit:cover}
 .splash .skip{position:absolute;top:48px;right:16px;padding:6px 14px;font-size:14px;color:#fff;background:rgba(0,0,0,.45);border-radius:16px;min-width:64px;min-height:32px}
</style></head>
<body>
<div class="splash" id="splash">
  <img src="https://img.yxcdn.com/splash/d12.webp" alt="双12年终好价节">
  <button class="skip" id="skipBtn" type="button">跳过</button>
</div>
<div id="app" data-v-app="">
  <form class="van-search" action="/search"><div class="van-search__content"><input class="van-field__control" type="search" name="q" placeholder="搜索商品"></div></form>
  <div class="van-swipe"><div class="van-swipe-item"><a href="/activity/double12.html"><img src="https://img.yxcdn.com/banner/d12_750x300.jpg" alt="双12"></a></div></div>
  <div class="feed"><h3>为你推荐</h3>
    <a href="/goods/100012345678.html">澳洲进口牛排 ¥128.00</a>
    <a href="/goods/100023456789.html">有机纯牛奶 ¥53.90</a></div>
  <div class="partner">合作伙伴：<a href="https://www.sf-express.com/" target="_blank" onclick="gtag('event','click',{event_category:'outbound',event_label:this.href,transport_type:'beacon',event_callback:function(){document.location='https://www.sf-express.com/'}});return false;">顺丰速运</a>
    <a href="https://www.12315.cn/" onclick="return confirm('即将离开优选商城，是否继续？')">全国12315平台</a></div>
  <footer class="footer">
    <p>上海优选电子商务有限公司 · 客服热线 400-820-1234 · 地址：上海市黄浦区人民大道200号</p>
    <p><a href="https://beian.miit.gov.cn/" target="_blank"><img src="https://img.yxcdn.com/web/icp.png" alt="ICP备案号" width="180" height="16"></a>
       营业执照 · 增值电信业务经营许可证：沪B2-20210123</p>
  </footer>
</div>
<script>
 var timer = setTimeout(hideSplash, 5000);
 function hideSplash(){ clearTimeout(timer); document.getElementById('splash').style.display = 'none'; }
 document.getElementById('skipBtn').addEventListener('click', hideSplash);
 window.addEventListener('devicemotion', function (e) {
   var a = e.accelerationIncludingGravity; if (Math.abs(a.x) > 25) { document.body.classList.add('tilt'); }
 });
</script>
</body></html>
"""


def test_shop_home_with_closable_splash_icp_link_and_tracked_outbound_links_is_clean():
    findings = run_page(SHOP_HOME % (), url="https://m.youxuanmall.com/",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


SETTINGS_AND_CART = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>购物车 - 优选商城</title>
<link rel="stylesheet" href="https://unpkg.com/element-ui@2.15.14/lib/theme-chalk/index.css"></head>
<body>
<div id="app">
 <div class="cart">
  <h2>购物车（3）</h2>
  <label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><span class="el-checkbox__inner"></span><input type="checkbox" class="el-checkbox__original" checked></span><span class="el-checkbox__label">营销管理（第16版） ¥89.0</span></label>
  <label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><span class="el-checkbox__inner"></span><input type="checkbox" class="el-checkbox__original" checked></span><span class="el-checkbox__label">数据分析实战：个性化推荐系统 ¥69.0</span></label>
  <label class="el-checkbox is-checked"><span class="el-checkbox__input is-checked"><span class="el-checkbox__inner"></span><input type="checkbox" class="el-checkbox__original" checked></span><span class="el-checkbox__label">隐私计算导论 ¥59.0</span></label>
  <p>合计：¥217.0 <button class="el-button el-button--danger">去结算</button></p>
 </div>
 <div class="settings">
  <h2>隐私设置</h2>
  <div class="el-form-item"><label class="el-form-item__label">个性化推荐</label>
   <div role="switch" class="el-switch is-checked" aria-checked="true"><input type="checkbox" name="personalized" class="el-switch__input" checked><span class="el-switch__core"></span></div>
   <p class="hint">关闭后，将不再基于您的浏览记录推荐商品</p></div>
  <div class="el-form-item"><label class="el-form-item__label">个性化广告</label>
   <div role="switch" class="el-switch is-checked" aria-checked="true"><input type="checkbox" name="ads" class="el-switch__input" checked><span class="el-switch__core"></span></div></div>
  <div class="el-form-item"><label class="el-form-item__label">接收营销短信</label>
   <div role="switch" class="el-switch" aria-checked="false"><input type="checkbox" name="sms" class="el-switch__input"><span class="el-switch__core"></span></div></div>
 </div>
</div></body></html>
"""


def test_cart_and_privacy_settings_with_switches_on_are_clean():
    findings = run_page(SETTINGS_AND_CART, url="https://www.youxuanmall.com/cart",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


SECURITY_WARNING = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>安全提示</title></head>
<body><div class="weui-msg">
 <div class="weui-msg__icon-area"><i class="weui-icon-warn weui-icon_msg"></i></div>
 <div class="weui-msg__text-area"><h2 class="weui-msg__title">已停止访问该网页</h2>
  <p class="weui-msg__desc">经用户投诉，该网页包含欺诈信息（诈骗、虚假中奖），为维护绿色上网环境，已停止访问。</p></div>
 <div class="weui-msg__opr-area"><a href="javascript:history.back()" class="weui-btn weui-btn_primary">返回</a></div>
</div>
<footer>粤ICP备10211739号</footer></body></html>
"""


def test_wechat_fraud_warning_interstitial_is_clean():
    findings = run_page(SECURITY_WARNING, url="https://weixin110.qq.com/cgi-bin/mmspamsupport-bin/newredirectconfirmcgi?main_type=2")
    assert findings == [], describe(findings)


def test_same_site_refresh_after_login_is_clean():
    page = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta http-equiv="refresh" content="2;url=https://www.youxuanmall.com/user/center">'
            '<title>登录成功 - 优选商城</title></head><body><p>登录成功，2秒后自动跳转到个人中心……</p>'
            '<p><a href="/user/center">立即跳转</a></p></body></html>')
    findings = run_page(page, url="https://passport.youxuanmall.com/login/success",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


def settings_dump():
    def row(y, title, rid, checked):
        return node((0, y, 1080, y + 180), cls="android.widget.RelativeLayout", clickable=True, children=(
            node((48, y + 40, 800, y + 140), cls="android.widget.TextView", text=title)
            + node((900, y + 55, 1032, y + 125), cls="android.widget.Switch", rid=f"com.youxuan.mall:id/{rid}",
                   text="", checkable=True, checked=checked, clickable=True)))
    return dump(node((0, 0, 1080, 2400), cls="android.widget.LinearLayout", children=(
        node((0, 80, 1080, 240), cls="android.widget.TextView", text="隐私设置",
             rid="com.youxuan.mall:id/toolbar_title")
        + row(260, "个性化推荐", "sw_personalized", True)
        + row(440, "个性化广告", "sw_ad", True)
        + row(620, "允许通过手机号找到我", "sw_find_by_phone", False)
        + node((48, 820, 1032, 900), cls="android.widget.TextView",
               text="关闭个性化推荐后，首页将展示非个性化内容")
        + node((48, 940, 1032, 1040), cls="android.widget.TextView", text="客服电话 400-820-1234"))))


def test_privacy_settings_dump_with_switches_on_is_clean():
    findings = run_page(settings_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe(findings)


@pytest.mark.parametrize("cookie", [
    "BDUSS=VhVmJ2eXhHUU1-N2Fkc0FuMFdzZ1ZyQ0tiM3pOMlBXfmZ5R0pTaXZlQ0V~eVpnRVFBQUFBJCQAAAAAAAAAAAEAAAB",
    "SESSDATA=a8f5f167f44f4964e6c998dee827110c%2C1779562200%2C3b7e1*b1",
])
def test_session_cookie_with_tilde_or_star_in_value_without_flags_is_dh005(cookie):
    flow = make_flow("GET", "https://passport.xinghe-video.com/x/passport-login/web/qrcode/poll?qrcode_key=9f8e7d6c",
                     response_headers=[("Set-Cookie", cookie + "; Path=/; Domain=.xinghe-video.com; Max-Age=15552000")],
                     response_json={"code": 0, "data": {"status": "confirmed"}})
    findings = run_flows([flow], app=video_app())
    assert {f.check for f in findings} == {"DH005"}, describe(findings)


def test_food_shops_with_merchants_mobile_numbers_are_not_dh006():
    flows = food_session()
    shops_flow = make_flow(
        "POST", "https://api.kuaisong.cn/v2/shops/nearby",
        headers={"User-Agent": "KuaiSong/10.4.1 (Android 14; SM-S9180)", "Authorization": f"Bearer {JWT}"},
        json={"latitude": 31.230416, "longitude": 121.473701, "page": 2, "sort": "distance"},
        response_json={"code": 0, "data": {"hasMore": False, "shops": [
            {"shopId": 70033001, "name": "阿强烧烤(新闸路店)", "latitude": 31.2381, "longitude": 121.4632,
             "distance": 1320, "phone": "13761234567", "deliveryFee": "4.00", "score": 4.6},
            {"shopId": 70033002, "name": "李姐麻辣烫", "latitude": 31.2355, "longitude": 121.4701,
             "distance": 640, "phone": "18917654321", "deliveryFee": "2.00", "score": 4.5},
            {"shopId": 70033003, "name": "王记生煎", "latitude": 31.2299, "longitude": 121.4811,
             "distance": 790, "phone": "13501234567", "deliveryFee": "3.00", "score": 4.7}]}},
        timestamp=T0 + 7210)
    findings = run_flows(flows + [shops_flow], app=food_app())
    assert non_inventory(findings) == [], describe(non_inventory(findings))


def test_app_images_and_config_over_plain_http_without_personal_data_are_clean():
    flows = [
        make_flow("GET", "http://img.kuaisong.cn/shop/70012345/logo.png?imageView2/1/w/120/h/120",
                  headers={"User-Agent": "okhttp/3.14.9"},
                  response_headers={"Content-Type": "image/png", "Cache-Control": "max-age=2592000"},
                  response_body=base64.b64decode(PNG_1PX), timestamp=T0 + 7200),
        make_flow("GET", "http://conf.kuaisong.cn/android/10.4.1/hotfix.json?ts=1764007200",
                  headers={"User-Agent": "okhttp/3.14.9"},
                  response_json={"patchVersion": 3, "md5": "9e107d9d372bb6826bd81d3542a419d6",
                                 "url": "https://dl.kuaisong.cn/patch/10.4.1-3.jar", "size": 182334,
                                 "minSdk": 23, "publishTime": "2026-11-27 18:00:00"},
                  timestamp=T0 + 7201),
    ]
    findings = run_flows(flows, app=food_app())
    assert findings == [], describe(findings)


MIXED_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>门店列表 - 快送外卖</title>
<link rel="stylesheet" href="https://static.kuaisong.cn/web/css/app.6d1e.css">
%(script)s
</head><body>
<h1>合作门店</h1>
<ul><li><img src="http://img.kuaisong.cn/shop/70012345/logo.png" alt="老盛昌" width="60" height="60"> 老盛昌汤包 · 电话 021-63221234</li>
<li><img src="http://img.kuaisong.cn/shop/70098765/logo.png" alt="南翔" width="60" height="60"> 南翔馒头店</li></ul>
<p>旧版网站：<a href="http://old.kuaisong.cn/">old.kuaisong.cn</a></p>
<footer>沪ICP备19001234号-2</footer>
</body></html>
"""


def test_https_page_with_passive_http_images_and_http_links_is_clean():
    flow = make_flow("GET", "https://www.kuaisong.cn/shops/list.html",
                     response_headers={"Content-Type": "text/html; charset=utf-8"},
                     response_body=MIXED_PAGE % {"script": ""})
    findings = run_flows([flow], app=food_app())
    assert findings == [], describe(findings)


def test_https_page_loading_a_script_over_http_is_dh003_only():
    flow = make_flow("GET", "https://www.kuaisong.cn/shops/list.html",
                     response_headers={"Content-Type": "text/html; charset=utf-8"},
                     response_body=MIXED_PAGE % {"script": '<script src="http://static.kuaisong.cn/web/js/jquery-1.12.4.min.js"></script>'})
    findings = run_flows([flow], app=food_app())
    assert {f.check for f in findings} == {"DH003"}, describe(findings)


COUPON_DIALOG = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>优选商城</title>
<link rel="stylesheet" href="https://unpkg.com/element-ui@2.15.14/lib/theme-chalk/index.css">
<style>.v-modal{position:fixed;left:0;top:0;width:100%%;height:100%%;opacity:.5;background:#000;z-index:2000}</style>
</head><body>
<div class="el-dialog__wrapper" style="z-index: 2001;">
  <div role="dialog" aria-modal="true" aria-label="新人专享" class="el-dialog el-dialog--center" style="margin-top: 15vh; width: 420px;">
    <div class="el-dialog__header"><span class="el-dialog__title">新人专享</span>
      <button type="button" aria-label="Close" class="el-dialog__headerbtn"><i class="el-dialog__close el-icon el-icon-close"></i></button></div>
    <div class="el-dialog__body"><p>恭喜获得新人礼包：满99减20元券 × 3</p>%(body)s</div>
    <div class="el-dialog__footer"><button type="button" class="el-button el-button--default"><span>暂不需要</span></button>
      <a href="/coupon/center" class="el-button el-button--primary"><span>去使用</span></a></div>
  </div></div>
<div class="v-modal" tabindex="0" style="z-index: 2000;"></div>
<div id="app"><h1>优选商城</h1><a href="/goods/100012345678.html">澳洲进口牛排</a></div>
<script>
document.querySelector('.el-dialog__headerbtn').addEventListener('click', function(){ document.querySelector('.el-dialog__wrapper').style.display='none'; document.querySelector('.v-modal').remove(); });
</script>
</body></html>
"""


def test_element_ui_coupon_dialog_with_working_close_and_same_site_link_is_clean():
    findings = run_page(COUPON_DIALOG % {"body": ""}, url="https://www.youxuanmall.com/goods/list",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


def test_element_ui_dialog_whose_body_is_a_taobao_deeplink_is_ui001_only():
    body = ('<a href="taobao://s.taobao.com/search?q=%%E7%%89%%9B%%E6%%8E%%92" style="display:block">'
            '<img src="https://img.yxcdn.com/ad/tb_420x300.jpg" alt="打开淘宝领红包" width="380" height="300"></a>')
    findings = run_page(COUPON_DIALOG % {"body": body}, url="https://www.youxuanmall.com/goods/list",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert {f.check for f in findings} == {"UI001"}, describe(findings)


# --------------------------------------------------------------------------- plain-HTTP sites
# Many Chinese sites are still served over http://. A page that carries no user's data
# must not raise DH001 (high) because of a form placeholder or the site's own contact.

def _http_page_flow(html, url="http://www.xinwen-daily.cn/"):
    return make_flow("GET", url, headers={"User-Agent": UA_ANDROID},
                     response_headers={"Content-Type": "text/html; charset=utf-8"}, response_body=html)


def test_http_home_page_without_placeholders_or_contacts_is_clean():
    html = news_home().replace('placeholder="name@example.com"', 'placeholder="请输入邮箱地址"')
    findings = run_flows([_http_page_flow(html)])
    assert findings == [], describe(findings)


def test_http_home_page_with_example_email_placeholder_is_clean():
    findings = run_flows([_http_page_flow(news_home())])
    assert findings == [], describe(findings)


@pytest.mark.parametrize("where", ["page", "faq"])
def test_http_site_own_contact_email_is_not_personal_data(where):
    if where == "page":
        html = news_home(icp=ICP + ' · 投稿邮箱：<a href="mailto:tougao@xinwen-daily.cn">tougao@xinwen-daily.cn</a>')
        html = html.replace('placeholder="name@example.com"', 'placeholder="请输入邮箱地址"')
        flows = [_http_page_flow(html)]
    else:
        flows = [make_flow("GET", "http://api.kuaisong.cn/v1/help/faq",
                           response_json={"code": 0, "faq": [{"q": "如何联系客服？",
                                                              "a": "发送邮件至 support@kuaisong.cn 或拨打 400-100-6688"}]})]
    findings = run_flows(flows, app=food_app() if where == "faq" else None)
    assert findings == [], describe(findings)


def test_http_page_kefu_mobile_in_footer_is_not_personal_data():
    html = news_home(icp=ICP + ' · 客服手机：13816881234（工作日 9:00-18:00）')
    html = html.replace('placeholder="name@example.com"', 'placeholder="请输入邮箱地址"')
    findings = run_flows([_http_page_flow(html)])
    assert findings == [], describe(findings)


def test_http_page_showing_a_users_order_with_full_phone_is_dh001_and_ui011():
    html = ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>订单详情</title></head><body>'
            '<div class="order"><p>订单号：2026112910123456789</p><p>收货人：张三</p>'
            '<p class="mobile">联系电话：13912345678</p><p>收货地址：上海市黄浦区人民大道200号</p></div></body></html>')
    findings = run_flows([_http_page_flow(html, url="http://m.kuaisong.cn/order/detail?id=1593847261029384756")],
                         app=food_app())
    assert {f.check for f in findings} == {"DH001", "UI011"}, describe(findings)


# --------------------------------------------------------------------------- more UI cases

H5_SPLASH = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>今日头条资讯 - 聚合阅读</title>
<style>
 #splash-ad{position:fixed;top:0;left:0;right:0;bottom:0;z-index:9999;background:#fff}
 #splash-ad .ad-img{display:block;width:100vw;height:85vh}
 #splash-ad .skip{position:absolute;top:40px;right:16px;width:72px;height:32px;line-height:32px;font-size:14px;color:#fff;background:rgba(0,0,0,.5);border-radius:16px;text-align:center}
 #splash-ad .ad-tag{position:absolute;left:12px;bottom:16vh;font-size:10px;color:#fff;background:rgba(0,0,0,.3)}
</style></head>
<body>
<div id="splash-ad" class="splash-ad">
  %(main)s
  <span class="ad-tag">广告</span>
  <div class="skip" id="skip" role="button" onclick="document.getElementById('splash-ad').style.display='none'">跳过</div>
</div>
<div class="feed"><h2>热点</h2><a href="/a/7312345678901234567">冬季流感高发 专家提醒做好防护</a></div>
<footer>京ICP备12025439号-3</footer>
</body></html>
"""


def test_h5_splash_ad_with_plain_image_and_working_skip_is_clean():
    main = '<img class="ad-img" src="https://img.yxcdn.com/splash/d12.webp" alt="双12年终好价节">'
    findings = run_page(H5_SPLASH % {"main": main}, url="https://m.jinri-zixun.cn/")
    assert findings == [], describe(findings)


def test_h5_splash_ad_whose_whole_image_opens_taobao_app_is_ui001_only():
    main = ('<a href="tbopen://m.taobao.com/tbopen/index.html?action=ali.open.nav&amp;module=h5&amp;'
            'h5Url=https%%3A%%2F%%2Fs.click.taobao.com%%2Ft%%3Fe%%3Dm%%253D2" class="ad-link">'
            '<img class="ad-img" src="https://img.alicdn.com/imgextra/splash_1080x1920.jpg" alt="淘宝双12 领红包"></a>')
    findings = run_page(H5_SPLASH % {"main": main}, url="https://m.jinri-zixun.cn/")
    assert {f.check for f in findings} == {"UI001"}, describe(findings)


SIGNUP_EN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Create your account | Wanderly Travel</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css"></head>
<body class="bg-light">
<main class="container py-5" style="max-width:420px">
  <h1 class="h3 mb-3">Create your account</h1>
  <form method="post" action="/account/signup">
    <div class="form-floating mb-2"><input type="email" class="form-control" id="email" name="email" placeholder="you@example.com"><label for="email">Email address</label></div>
    <div class="form-floating mb-2"><input type="password" class="form-control" id="pw" name="password" placeholder="Password"><label for="pw">Password</label></div>
    <div class="form-check mb-2"><input class="form-check-input" type="checkbox" id="news" name="newsletter"><label class="form-check-label" for="news">Send me deals and travel inspiration by email</label></div>
    <div class="form-check mb-3"><input class="form-check-input" type="checkbox" id="remember" name="remember" checked><label class="form-check-label" for="remember">Remember me</label></div>
    <p class="small text-muted">By continuing, you agree to our <a href="/terms">Terms of Service</a> and acknowledge our <a href="/privacy">Privacy Notice</a>.</p>
    <button class="w-100 btn btn-lg btn-primary" type="submit">Continue</button>
  </form>
  <div class="text-center my-3 text-muted">or</div>
  <a class="w-100 btn btn-outline-dark mb-2" href="https://accounts.google.com/o/oauth2/v2/auth?client_id=1234-abc.apps.googleusercontent.com&amp;response_type=code&amp;scope=openid%20email&amp;redirect_uri=https%3A%2F%2Fwww.wanderly-travel.co.uk%2Foauth%2Fgoogle">Continue with Google</a>
  <a class="w-100 btn btn-outline-dark" href="https://appleid.apple.com/auth/authorize?client_id=uk.co.wanderly&amp;response_type=code&amp;redirect_uri=https%3A%2F%2Fwww.wanderly-travel.co.uk%2Foauth%2Fapple">Sign in with Apple</a>
</main></body></html>
"""


def test_english_signup_with_by_continuing_and_remember_me_is_clean():
    app = app_from_yaml("""
name: Wanderly
first_party: [wanderly-travel.co.uk]
brands:
  - name: Google
    domains: [google.com]
  - name: Apple
    domains: [apple.com]
""")
    findings = run_page(SIGNUP_EN, url="https://www.wanderly-travel.co.uk/account/signup", app=app)
    assert findings == [], describe(findings)


MISC_SAME_SITE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>优选商城</title>
<script>
  window.onload = function () {
    if (/Android|iPhone/i.test(navigator.userAgent) && location.hostname === 'www.youxuanmall.com') {
      location.replace('https://m.youxuanmall.com' + location.pathname + location.search);
    }
    setTimeout(function () { document.getElementById('backTop').classList.add('show'); }, 3000);
  };
</script></head>
<body>
<div class="tips">打开微信“摇一摇”，参与门店周年庆抽奖（仅限到店顾客）。</div>
<a href="https://www.sf-express.com/" onclick="event.preventDefault(); window.open(this.href, '_blank', 'noopener');">顺丰查件</a>
<a id="backTop" href="#top">返回顶部</a>
<div class="pay">支持：<img src="https://img.yxcdn.com/web/pay/alipay.png" alt="支付宝"> 支付宝
  <img src="https://img.yxcdn.com/web/pay/wxpay.png" alt="微信支付"> 微信支付
  <img src="https://img.yxcdn.com/web/pay/unionpay.png" alt="银联云闪付"> 云闪付</div>
<footer>沪ICP备2021012345号-1 · 客服热线 400-820-1234</footer>
</body></html>
"""


def test_same_site_mobile_redirect_shake_text_and_payment_logos_are_clean():
    findings = run_page(MISC_SAME_SITE, url="https://www.youxuanmall.com/",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


def test_vant_popup_shown_with_cross_icon_and_same_site_link_is_clean():
    page = PRODUCT_PAGE.replace('style="display: none;" role="dialog"', 'role="dialog" style="z-index: 2001;"') \
                       .replace('<div class="coupon">满299减50</div>',
                                '<a class="coupon" href="/coupon/center?id=CP2026">满299减50 立即领取</a>')
    findings = run_page(page, url="https://item.youxuanmall.com/100012345678.html",
                        app=app_from_yaml(LOGIN_BRANDS_APP))
    assert findings == [], describe(findings)


def order_dump(phone="139****5678"):
    def tv(bounds, text, rid=""):
        return node(bounds, cls="android.widget.TextView", text=text, rid=rid and f"com.kuaisong.app:id/{rid}",
                    pkg="com.kuaisong.app")
    return dump(node((0, 0, 1080, 2400), cls="android.widget.ScrollView", pkg="com.kuaisong.app", children=(
        tv((48, 120, 1032, 200), "订单详情", "title")
        + tv((48, 240, 1032, 300), "订单号 1593847261029384756", "order_no")
        + tv((48, 320, 1032, 380), "下单时间 2026-11-29 12:10:33", "order_time")
        + tv((48, 420, 1032, 480), "收货人 张三", "receiver_name")
        + tv((48, 500, 1032, 560), phone, "receiver_phone")
        + tv((48, 580, 1032, 640), "上海市黄浦区人民大道200号", "receiver_address")
        + tv((48, 700, 1032, 760), "实付 ¥25.00", "pay_amount")
        + tv((48, 800, 1032, 860), "骑手 王师傅 95017转8821", "rider")
        + node((48, 2200, 1032, 2340), cls="android.widget.Button", text="联系客服 400-100-6688",
               rid="com.kuaisong.app:id/btn_kefu", clickable=True, pkg="com.kuaisong.app"))))


def test_order_detail_dump_with_masked_phone_is_clean():
    findings = run_page(order_dump(), kind="uiautomator", dpi=480)
    assert findings == [], describe(findings)


def test_order_detail_dump_with_full_phone_is_ui011_only():
    findings = run_page(order_dump(phone="13912345678"), kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI011"}, describe(findings)


def test_splash_dump_whose_whole_screen_is_the_ad_link_is_ui001():
    xml = dump(node((0, 0, 1080, 2400), rid="com.youxuan.mall:id/splash_container", clickable=True, children=(
        node((0, 0, 1080, 2000), cls="android.widget.ImageView", rid="com.youxuan.mall:id/splash_ad_image",
             desc="开屏广告图片")
        + node((40, 1930, 130, 1975), cls="android.widget.TextView", text="广告", rid="com.youxuan.mall:id/ad_label")
        + node((240, 1760, 840, 1900), cls="android.widget.TextView", text="点击跳转详情页或第三方应用",
               rid="com.youxuan.mall:id/splash_click_bar")
        + node((840, 110, 1040, 260), cls="android.widget.TextView", text="跳过",
               rid="com.youxuan.mall:id/splash_skip", clickable=True))))
    findings = run_page(xml, kind="uiautomator", dpi=480)
    assert {f.check for f in findings} == {"UI001"}, describe(findings)


# --------------------------------------------------------------------------- infrastructure cookies
# Chinese sites sit behind Aliyun WAF / SLB and load Alibaba's and Google's analytics; the
# cookies those set are not session cookies.

def _cookie_flow(set_cookie, url="https://www.xinwen-daily.cn/"):
    return make_flow("GET", url, headers={"User-Agent": UA_ANDROID},
                     response_headers=[("Set-Cookie", set_cookie), ("Content-Type", "text/plain")],
                     response_body="ok")


@pytest.mark.parametrize("set_cookie", [
    "_ga=GA1.2.1234567890.1764000000; Path=/; Domain=.xinwen-daily.cn; Max-Age=63072000; Secure",
    "SERVERID=3e1b2c4d5f6a7b8c9d0e1f2a3b4c5d6e|1764000000|1764000000;Path=/",
    "Hm_lpvt_0a1b2c3d4e5f60718293a4b5c6d7e8f9=1764000000; Path=/; Secure",
    "__cf_bm=Qm9mZ2FQb3N0ZXJpb3JTaWduYXR1cmVWYWx1ZUZvclRlc3Q-1764000000-1.0.1.1-AbCdEfGh; path=/; "
    "expires=Sat, 29-Nov-26 10:30:00 GMT; domain=.xinwen-daily.cn; HttpOnly; Secure; SameSite=None",
])
def test_infrastructure_and_analytics_cookies_are_not_dh005(set_cookie):
    findings = run_flows([_cookie_flow(set_cookie)])
    assert findings == [], describe(findings)


@pytest.mark.parametrize("url,set_cookie", [
    ("https://www.xinwen-daily.cn/", "acw_tc=0bc1a3b817640000012345678e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978;path=/;HttpOnly;Max-Age=1800"),
    ("https://log.mmstat.com/eg.js", "cna=AbCdEfGhIjK1MnOpQrStUv12; Domain=.mmstat.com; Path=/; "
                                     "Expires=Thu, 29-Nov-2046 10:00:00 GMT; SameSite=None; Secure"),
])
def test_waf_and_tracker_id_cookies_are_not_session_cookies(url, set_cookie):
    findings = [f for f in run_flows([_cookie_flow(set_cookie, url=url)]) if f.check != "DH010"]
    assert findings == [], describe(findings)


# --------------------------------------------------------------------------- ordinary URLs
# Presigned storage URLs, spm/utm tracking, JSONP callbacks, request signatures, share
# links and Baidu Tongji beacons carry no personal data in their query.

ORDINARY_URLS = [
 "https://yx-img.oss-cn-shanghai.aliyuncs.com/avatar/2026/11/0f3e9a.jpg?Expires=1764003600&OSSAccessKeyId=LTAI5tQm9xYzAbCdEfGhIjKl&Signature=Qm9mZ2FQb3N0ZXJpb3JTaWc%3D",
 "https://yx-upload.s3.ap-east-1.amazonaws.com/u/0f3e9a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261129%2Fap-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261129T101500Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
 "https://www.youxuanmall.com/search?q=%E7%89%9B%E6%8E%92&spm=a2h0c.8166622.PhoneSokuUgc_1.dtitle&utm_source=wechat&from=singlemessage",
 "https://api.youxuanmall.com/v1/jsonp/stock?skuIds=100012345678,100023456789&callback=jQuery1124017640000001230_1764000000123&_=1764000000124",
 "https://api.youxuanmall.com/v1/goods/detail?skuId=100012345678&t=1764000000&nonce=Wm3WZYTPz0wzccnW&sign=0f9de62fce790f9a083d5c99e95740ce",
 "https://m.youxuanmall.com/share?inviteCode=YX8848&shareUid=8848123&ts=1764000000123",
 "https://api.youxuanmall.com/v1/coupon/list?version=5.12.3&build=51203&osVersion=13&screen=1080x2400",
 "https://hm.baidu.com/hm.gif?cc=1&ck=1&cl=24-bit&ds=1080x2400&vl=2000&ep=5123%2C188&et=3&ja=0&ln=zh-cn&lo=0&lt=1764000000&rnd=1384567890&si=0a1b2c3d4e5f60718293a4b5c6d7e8f9&v=1.3.2&lv=2&sn=12345&r=0&ww=390&u=https%3A%2F%2Fm.youxuanmall.com%2F",
]


@pytest.mark.parametrize("url", ORDINARY_URLS)
def test_ordinary_urls_with_signatures_and_tracking_params_are_clean(url):
    flow = make_flow("GET", url, headers={"User-Agent": UA_ANDROID}, response_body="", timestamp=T0 + 100)
    consent = shop_session()[2]  # the consent flow comes first: Baidu Tongji is contacted after it
    assert "/privacy/consent" in consent.request.url
    findings = [f for f in run_flows([consent, flow], app=shop_app()) if f.check != "DH010"]
    assert findings == [], describe(findings)


def test_app_calling_wechat_userinfo_with_access_token_in_query_is_dh002_credential():
    flow = make_flow("GET", "https://api.weixin.qq.com/sns/userinfo?access_token=81_Lb7xQm9aZpK2vT3yH8nR5cW1eF6gJ0dS4uI7oP2lN9mB3vC5xZ8qA1wE6rT4yU&openid=oXyZ1AbCdEfGhIjKlMnOpQrStUv&lang=zh_CN",
                     headers={"User-Agent": OKHTTP},
                     response_json={"openid": "oXyZ1AbCdEfGhIjKlMnOpQrStUv", "nickname": "张三", "sex": 0,
                                    "province": "", "city": "", "country": "", "headimgurl": ""},
                     timestamp=T0 + 100)
    app = app_from_yaml(SHOP_APP.replace("consent:", """  - name: WeChat Open Platform
    domains: [api.weixin.qq.com, open.weixin.qq.com]
    data: [credential]
    purpose: WeChat login
consent:"""))
    findings = [f for f in run_flows(shop_session(extra_flows=[flow]), app=app) if f.check != "DH010"]
    assert {f.check for f in findings} == {"DH002"}, describe(findings)
    assert {f.evidence.data_type for f in findings} == {"credential"}, describe(findings)

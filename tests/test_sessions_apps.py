"""Realistic whole app sessions (a shop, a bank, food delivery, a video app) through every
check: the clean session a well-behaved app produces gives no finding beyond the DH010
inventory of the SDKs it declares and contacts; each dirty variant adds one violation and
exactly that is found."""
from __future__ import annotations

import base64
import gzip
import json
import urllib.parse

import pytest
from stdnum import luhn

from tests.helpers import (
    T0,
    UA_ANDROID,
    all_flow_findings,
    app_fixture,
    app_from_yaml,
    b64url,
    describe_findings,
    inventory_names,
    make_flow,
    non_inventory,
)

# Whole sessions and pages are written inline as data, one line as captured.
# ruff: noqa: E501

JWT = ".".join([
    b64url({"alg": "RS256", "typ": "JWT", "kid": "yx-2026-11"}),
    b64url({"sub": "u_8848123", "iss": "https://passport.youxuanmall.com", "aud": "yx-app",
            "iat": 1764000000, "exp": 1764007200, "scope": "order:read goods:read"}),
    "Qm9mZ2FQb3N0ZXJpb3JTaWduYXR1cmVWYWx1ZUZvclRlc3RpbmdPbmx5XzEyMzQ1Njc4OTA",
])


OKHTTP = "okhttp/4.12.0"


PNG_1PX = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


ANDROID_ID = "3f9a1c2b7d4e6f80"


OAID = "9b5c1d2e-7f3a-4c8b-a1d6-2e4f6a8b0c1d"


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


def shop_umeng_flow(ts, *, extra_header=None):
    """The shop app's Umeng envelope as the SDK sends it: the device's ids and a session."""
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
    umeng = shop_umeng_flow(t + 6, extra_header=umeng_extra)
    if umeng_before_consent:
        flows.insert(1, shop_umeng_flow(t + 0.5, extra_header=umeng_extra))
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
    to_card = "621700123456789012" + luhn.calc_check_digit("621700123456789012")  # 19-digit UnionPay debit (CCB range)
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


def _cookie_flow(set_cookie, url="https://www.xinwen-daily.cn/"):
    return make_flow("GET", url, headers={"User-Agent": UA_ANDROID},
                     response_headers=[("Set-Cookie", set_cookie), ("Content-Type", "text/plain")],
                     response_body="ok")


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


def test_shop_session_clean_gives_only_the_declared_sdk_inventory():
    findings = all_flow_findings(shop_session(), app=shop_app())
    assert non_inventory(findings) == [], describe_findings(non_inventory(findings))
    _shop_inventory_ok(findings)


def test_shop_dirty_umeng_before_consent_is_dh009_only():
    findings = all_flow_findings(shop_session(umeng_before_consent=True), app=shop_app())
    assert {f.check for f in non_inventory(findings)} == {"DH009"}, describe_findings(non_inventory(findings))
    assert any(f.location.url.startswith("https://ulogs.umeng.com") for f in findings if f.check == "DH009")
    _shop_inventory_ok(findings)


def test_shop_dirty_umeng_receives_location_is_dh008_only():
    findings = all_flow_findings(shop_session(umeng_extra={"lat": 31.230416, "lng": 121.473701}), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH008"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad} == {"location"}, describe_findings(bad)


def test_shop_dirty_login_over_http_is_cleartext_data_and_credentials():
    findings = all_flow_findings(shop_session(login_scheme="http"), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH001", "DH004"}, describe_findings(bad)
    assert all(f.location.url.startswith("http://api.youxuanmall.com/v1/passport/login") for f in bad)
    assert "password" in {f.evidence.data_type for f in bad if f.check == "DH004"}


def test_shop_dirty_full_id_card_in_order_response_is_dh006_only():
    # 跨境订单 (cross-border order) needs real-name data; the server returns it unmasked.
    findings = all_flow_findings(shop_session(receiver_extra={"idCard": "11010519491231002X"}), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH006"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad} == {"id_card"}


def test_shop_dirty_undeclared_sensorsdata_gets_android_id_is_dh007():
    findings = all_flow_findings(shop_session(extra_flows=[sensorsdata_flow(T0 + 50)]), app=shop_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH007"}, describe_findings(bad)
    assert all("sensorsdata.cn" in f.location.url for f in bad)
    assert "android_id" in {f.evidence.data_type for f in bad}, describe_findings(bad)
    assert len(inventory_names(findings)) == 3


def test_bank_session_clean_has_no_findings():
    findings = all_flow_findings(bank_session(), app=bank_app())
    assert findings == [], describe_findings(findings)


def test_bank_dirty_session_cookie_without_httponly_is_dh005_only():
    findings = all_flow_findings(bank_session(session_cookie_flags="Secure"), app=bank_app())
    assert {f.check for f in findings} == {"DH005"}, describe_findings(findings)
    assert len(findings) == 1, describe_findings(findings)


def test_bank_dirty_server_side_tls11_is_dh003_only():
    findings = all_flow_findings(bank_session(server_tls="TLSv1.1"), app=bank_app())
    assert {f.check for f in findings} == {"DH003"}, describe_findings(findings)


def test_bank_dirty_card_number_in_query_is_dh002_only():
    findings = all_flow_findings(bank_session(card_lookup_in_url=True), app=bank_app())
    assert {f.check for f in findings} == {"DH002"}, describe_findings(findings)
    assert {f.evidence.data_type for f in findings} == {"bank_card"}


def test_food_session_clean_gives_only_the_declared_sdk_inventory():
    findings = all_flow_findings(food_session(), app=app_fixture("kuaisong"))
    assert non_inventory(findings) == [], describe_findings(non_inventory(findings))
    _food_inventory_ok(findings)


def test_food_dirty_location_over_http_is_dh001_and_its_bearer_dh004():
    # The app's Bearer header rides along on the cleartext request: DH004 is right too.
    findings = all_flow_findings(food_session(location_scheme="http"), app=app_fixture("kuaisong"))
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH001", "DH004"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad if f.check == "DH001"} == {"location"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad if f.check == "DH004"} == {"credential"}, describe_findings(bad)


def test_food_dirty_getui_gets_location_is_dh008_only():
    findings = all_flow_findings(food_session(getui_extra={"lat": "31.230416", "lon": "121.473701"}), app=app_fixture("kuaisong"))
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH008"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad} == {"location"}


def test_food_dirty_location_sent_before_consent_time_is_dh009_only():
    findings = all_flow_findings(food_session(early_location=True), app=app_fixture("kuaisong"))
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH009"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad} == {"location"}


def test_video_session_clean_gives_only_the_declared_crashlytics_inventory():
    findings = all_flow_findings(video_session(), app=video_app())
    assert non_inventory(findings) == [], describe_findings(non_inventory(findings))
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
    findings = all_flow_findings(video_session(extra_flows=[sentry]), app=video_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH007"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad} >= {"canary"} or {f.evidence.data_type for f in bad} >= {"email"}, describe_findings(bad)
    assert len(inventory_names(findings)) == 2


def test_video_dirty_logout_sets_session_cookie_without_flags_is_dh005_only():
    findings = all_flow_findings(video_session(logout_cookie="XHSESSDATA=a8f5f167f44f4964e6c998dee827110c%2C1779562200%2C3b7e1%2Ab1; Path=/; Domain=.xinghe-video.com; Max-Age=15552000"),
                                 app=video_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH005"}, describe_findings(bad)


def test_video_dirty_profile_lists_followers_phones_is_dh006_only():
    others = {"recentFans": [{"mid": 1122334455 + i, "uname": f"粉丝{i}", "mobile": m}
                             for i, m in enumerate(["13800138000", "13700137000", "18612345678"])]}
    findings = all_flow_findings(video_session(own_profile_extra=others), app=video_app())
    bad = non_inventory(findings)
    assert {f.check for f in bad} == {"DH006"}, describe_findings(bad)
    assert {f.evidence.data_type for f in bad} == {"phone"}, describe_findings(bad)


@pytest.mark.parametrize("cookie", [
    "BDUSS=VhVmJ2eXhHUU1-N2Fkc0FuMFdzZ1ZyQ0tiM3pOMlBXfmZ5R0pTaXZlQ0V~eVpnRVFBQUFBJCQAAAAAAAAAAAEAAAB",
    "SESSDATA=a8f5f167f44f4964e6c998dee827110c%2C1779562200%2C3b7e1*b1",
])
def test_session_cookie_with_tilde_or_star_in_value_without_flags_is_dh005(cookie):
    flow = make_flow("GET", "https://passport.xinghe-video.com/x/passport-login/web/qrcode/poll?qrcode_key=9f8e7d6c",
                     response_headers=[("Set-Cookie", cookie + "; Path=/; Domain=.xinghe-video.com; Max-Age=15552000")],
                     response_json={"code": 0, "data": {"status": "confirmed"}})
    findings = all_flow_findings([flow], app=video_app())
    assert {f.check for f in findings} == {"DH005"}, describe_findings(findings)


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
    findings = all_flow_findings(flows + [shops_flow], app=app_fixture("kuaisong"))
    assert non_inventory(findings) == [], describe_findings(non_inventory(findings))


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
    findings = all_flow_findings(flows, app=app_fixture("kuaisong"))
    assert findings == [], describe_findings(findings)


@pytest.mark.parametrize("set_cookie", [
    "_ga=GA1.2.1234567890.1764000000; Path=/; Domain=.xinwen-daily.cn; Max-Age=63072000; Secure",
    "SERVERID=3e1b2c4d5f6a7b8c9d0e1f2a3b4c5d6e|1764000000|1764000000;Path=/",
    "Hm_lpvt_0a1b2c3d4e5f60718293a4b5c6d7e8f9=1764000000; Path=/; Secure",
    "__cf_bm=Qm9mZ2FQb3N0ZXJpb3JTaWduYXR1cmVWYWx1ZUZvclRlc3Q-1764000000-1.0.1.1-AbCdEfGh; path=/; "
    "expires=Sat, 29-Nov-26 10:30:00 GMT; domain=.xinwen-daily.cn; HttpOnly; Secure; SameSite=None",
])
def test_infrastructure_and_analytics_cookies_are_not_dh005(set_cookie):
    findings = all_flow_findings([_cookie_flow(set_cookie)])
    assert findings == [], describe_findings(findings)


@pytest.mark.parametrize("url,set_cookie", [
    ("https://www.xinwen-daily.cn/", "acw_tc=0bc1a3b817640000012345678e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a6978;path=/;HttpOnly;Max-Age=1800"),
    ("https://log.mmstat.com/eg.js", "cna=AbCdEfGhIjK1MnOpQrStUv12; Domain=.mmstat.com; Path=/; "
                                     "Expires=Thu, 29-Nov-2046 10:00:00 GMT; SameSite=None; Secure"),
])
def test_waf_and_tracker_id_cookies_are_not_session_cookies(url, set_cookie):
    findings = [f for f in all_flow_findings([_cookie_flow(set_cookie, url=url)]) if f.check != "DH010"]
    assert findings == [], describe_findings(findings)


@pytest.mark.parametrize("url", ORDINARY_URLS)
def test_ordinary_urls_with_signatures_and_tracking_params_are_clean(url):
    flow = make_flow("GET", url, headers={"User-Agent": UA_ANDROID}, response_body="", timestamp=T0 + 100)
    consent = shop_session()[2]  # the consent flow comes first: Baidu Tongji is contacted after it
    assert "/privacy/consent" in consent.request.url
    findings = [f for f in all_flow_findings([consent, flow], app=shop_app()) if f.check != "DH010"]
    assert findings == [], describe_findings(findings)


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
    findings = [f for f in all_flow_findings(shop_session(extra_flows=[flow]), app=app) if f.check != "DH010"]
    assert {f.check for f in findings} == {"DH002"}, describe_findings(findings)
    assert {f.evidence.data_type for f in findings} == {"credential"}, describe_findings(findings)

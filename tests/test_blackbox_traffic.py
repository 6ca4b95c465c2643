"""Black-box tests of the traffic checks DH001-DH010 and of capture loading, written
from CONTRACT.md and the issue texts (#2, #3, #4) the way an outside tester would:
realistic Chinese and English payloads, real SDK request shapes, HAR files as browsers
and proxies write them, and broken inputs run through the CLI."""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from mitmproxy import io as mitmio
from mitmproxy import websocket
from stdnum import luhn
from stdnum.cn import ric
from wsproto.frame_protocol import Opcode

from appaudit.scanner.model import Severity
from tests.helpers import T0, app_from_yaml, flow_findings, make_flow


# ---------------------------------------------------------------------------------
# Test data: valid values (checked here, so a typo cannot make a test vacuous)
# ---------------------------------------------------------------------------------
PHONE = "13800138000"                  # China Mobile
PHONE_2 = "18612345678"
PHONE_3 = "15012345678"
ID_CARD = "11010519491231002X"         # the textbook example, X check digit
ID_CARD_2 = "440305199003071236"       # Shenzhen Nanshan
ID_CARD_BAD = "440305199003071235"     # same with a wrong check digit
CARD_UNIONPAY = "6228480012345678903"  # ABC debit, 19 digits, Luhn-valid
CARD_VISA = "4367420123456781"         # CCB Visa, 16 digits
CARD_BAD = "6228480012345678904"       # Luhn fails
IMEI = "866912034567890"
MEID = "A1000021E5D8C3"
IMSI = "460001234567890"
ICCID = "89860116841001234565"
MAC = "A4:50:46:1C:2B:3D"
ANDROID_ID = "3f2a9c1b7e4d6a08"
GAID = "38400000-8cf0-11bd-b23e-10b96e40000d"
IDFA = "6D92078A-8246-4BA4-AE5B-76104861E7DC"
OAID = "f1e2d3c4-b5a6-4798-8a1b-2c3d4e5f6a7b"
PASSPORT = "E12345678"

assert ric.is_valid(ID_CARD) and ric.is_valid(ID_CARD_2) and not ric.is_valid(ID_CARD_BAD)
assert luhn.is_valid(CARD_UNIONPAY) and luhn.is_valid(CARD_VISA) and not luhn.is_valid(CARD_BAD)
assert luhn.is_valid(IMEI) and luhn.is_valid(ICCID)

APP_YAML = """
name: Demo Shop
first_party: [demoshop.com, demoshop-cdn.net]
third_parties:
  - name: Umeng
    domains: [umeng.com, umengcloud.com]
    data: [android_id, advertising_id]
    purpose: analytics
  - name: AMap
    domains: [amap.com]
    data: [location]
    purpose: maps
consent:
  url: "https://api.demoshop.com/v1/privacy/consent*"
canaries:
  phone: "13912345678"
  name: "张三"
  address: "上海市浦东新区世纪大道100号"
  email: "zs_test@163.com"
"""


def app(text: str = APP_YAML):
    return app_from_yaml(text)


def run(checks, flows, **kw):
    return flow_findings(checks, flows if isinstance(flows, list) else [flows], **kw)


def types(findings, check=None):
    return {f.evidence.data_type for f in findings if check is None or f.check == check}


def by_type(findings, data_type, check=None):
    return [f for f in findings if f.evidence.data_type == data_type and (check is None or f.check == check)]


def canaries(findings):
    return {f.evidence.canary for f in findings if f.evidence.data_type == "canary"}


def http_post_json(url, obj, **kw):
    return make_flow("POST", url, json=obj, **kw)


def form(url, fields: dict, method="POST", **kw):
    headers = kw.pop("headers", {})
    headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8", **headers}
    return make_flow(method, url, headers=headers, body=urllib.parse.urlencode(fields), **kw)


UA = "Mozilla/5.0 (Linux; Android 13; 22081212C Build/TKQ1.220829.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47"


# =================================================================================
# DH001: every data type, in every place, over plain HTTP
# =================================================================================

class TestDH001Places:
    def test_phone_in_nested_json_array(self):
        flow = http_post_json("http://api.demoshop.cn/v2/address/save", {
            "code": 0, "data": {"addressList": [
                {"consignee": "王小明", "mobile": PHONE, "detail": "朝阳区建国路88号"},
            ]}})
        found = by_type(run("DH001", flow), "phone")
        assert len(found) == 1
        assert found[0].location.part == "request.body"
        assert found[0].location.field == "data.addressList[0].mobile"
        assert found[0].severity == Severity.HIGH

    def test_phone_in_query_is_dh001_and_dh002(self):
        flow = make_flow("GET", f"http://m.demoshop.cn/api/sms/send?mobile={PHONE}&type=login&_=1732512345678")
        found = run(["DH001", "DH002"], flow)
        assert {(f.check, f.location.part, f.location.field) for f in by_type(found, "phone")} == {
            ("DH001", "request.url", "mobile"), ("DH002", "request.url", "mobile")}

    def test_international_phone_e164_in_form(self):
        flow = form("http://api.example.com/v1/register", {"country_code": "1", "tel": "+14155552671", "lang": "en"})
        assert by_type(run("DH001", flow), "phone")

    def test_uk_national_number_form(self):
        flow = form("http://api.example.co.uk/account", {"phone": "+44 7911 123456"})
        assert by_type(run("DH001", flow), "phone")

    def test_email_url_encoded_in_cookie(self):
        flow = make_flow("GET", "http://www.demoshop.cn/cart", headers={
            "Cookie": "lang=zh-CN; user_email=zhangsan%40example.com; cna=Ax8VHQx1ZnYCAXjHh2XK0Zq5"})
        found = by_type(run("DH001", flow), "email")
        assert found and found[0].location.part == "request.cookies"

    def test_imei_in_custom_header(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/config", headers={
            "User-Agent": UA, "X-Device-Imei": IMEI})
        found = by_type(run("DH001", flow), "imei")
        assert found and found[0].location.part == "request.headers"

    def test_id_card_in_form_is_critical(self):
        flow = form("http://api.demoshop.cn/v1/realname/verify", {"realName": "张三", "idCard": ID_CARD})
        found = by_type(run("DH001", flow), "id_card")
        assert found and found[0].severity == Severity.CRITICAL
        assert found[0].location.field == "idCard"

    def test_id_card_in_multipart(self):
        boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n张三\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"id_no\"\r\n\r\n{ID_CARD_2}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"front\"; filename=\"front.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0JFIF\r\n"
            f"--{boundary}--\r\n").encode("utf-8", "surrogateescape")
        flow = make_flow("POST", "http://kyc.demoshop.cn/upload", body=body,
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        found = by_type(run("DH001", flow), "id_card")
        assert found and found[0].location.part == "request.body"

    def test_bank_card_in_xml_is_critical(self):
        xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><appid>wx2421b1c4370ec43b</appid>"
               f"<bank_card_no>{CARD_UNIONPAY}</bank_card_no><true_name>张三</true_name>"
               "<nonce_str>5K8264ILTKCH16CQ2502SI8ZNMTM67VS</nonce_str></xml>")
        flow = make_flow("POST", "http://pay.demoshop.cn/bindcard", body=xml, headers={"Content-Type": "text/xml"})
        found = by_type(run("DH001", flow), "bank_card")
        assert found and found[0].severity == Severity.CRITICAL

    def test_visa_card_in_json(self):
        flow = http_post_json("http://pay.example.com/v1/cards", {"card": {"number": CARD_VISA, "exp": "12/27"}})
        assert by_type(run("DH001", flow), "bank_card")

    @pytest.mark.parametrize("key,value,data_type", [
        ("meid", MEID, "meid"),
        ("imsi", IMSI, "imsi"),
        ("iccid", ICCID, "iccid"),
        ("mac", MAC, "mac_address"),
        ("wifi_mac", MAC.lower().replace(":", "-"), "mac_address"),
        ("android_id", ANDROID_ID, "android_id"),
        ("oaid", OAID, "advertising_id"),
        ("idfa", IDFA, "advertising_id"),
        ("gaid", GAID, "advertising_id"),
        ("passport_no", PASSPORT, "passport"),
    ])
    def test_device_and_document_ids_by_key(self, key, value, data_type):
        flow = http_post_json("http://log.demoshop.cn/v1/device/report", {
            "header": {"app_key": "5f8e9a1b2c3d4e5f6a7b8c9d", "os": "Android", "os_version": "13"},
            "device": {key: value}})
        assert data_type in types(run("DH001", flow))

    def test_pinyin_keys(self):
        flow = form("http://api.demoshop.cn/user/update", {"shoujihao": PHONE, "shenfenzheng": ID_CARD})
        assert {"phone", "id_card"} <= types(run("DH001", flow))

    def test_location_sent_by_device(self):
        flow = http_post_json("http://api.demoshop.cn/v1/nearby", {"lat": 39.908823, "lng": 116.397470, "city": "北京"})
        assert "location" in types(run("DH001", flow))

    def test_location_amap_style_query(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/stores?location=116.397470,39.908823&radius=3000")
        assert "location" in types(run("DH001", flow))

    def test_password_in_login_form_is_one_critical_dh004_finding(self):
        # One secret, one finding: credentials are DH004's, not also DH001's.
        flow = form("http://passport.demoshop.cn/login", {"username": "zhangsan", "password": "Zs@123456", "captcha": "8K2M"})
        found = by_type(run(("DH001", "DH004"), flow), "password")
        assert [(f.check, f.severity) for f in found] == [("DH004", Severity.CRITICAL)]

    def test_plain_text_body(self):
        flow = make_flow("POST", "http://feedback.demoshop.cn/submit", headers={"Content-Type": "text/plain; charset=utf-8"},
                         body=f"用户反馈：快递一直没到，请联系我，手机号：{PHONE}，谢谢")
        assert "phone" in types(run("DH001", flow))

    def test_phone_in_response_body(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/user/profile",
                         response_json={"code": 0, "data": {"nickname": "小明", "mobile": PHONE}})
        found = by_type(run("DH001", flow), "phone")
        assert found and found[0].location.part == "response.body"

    def test_one_finding_per_field(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/user/profile",
                         response_json={"mobile": PHONE, "contact": {"mobile": PHONE}})
        fields = sorted(f.location.field for f in by_type(run("DH001", [flow, flow]), "phone") if f.location.flow == 0)
        assert fields == ["contact.mobile", "mobile"]


class TestDH001Encodings:
    def test_json_inside_string_field(self):
        inner = json.dumps({"$phone": PHONE, "$os": "Android"})
        flow = http_post_json("http://sa.demoshop.cn:8106/sa?project=production",
                              {"type": "track", "event": "Login", "properties": inner})
        assert "phone" in types(run("DH001", flow))

    def test_base64_json_in_form_field_gzip_body(self):
        # an analytics SDK: data=<base64 JSON> in a form, whole body gzip-compressed
        events = [{"event": "$AppStart", "distinct_id": "u_10086", "lib": {"$lib": "Android"},
                   "properties": {"$imei": IMEI, "$oaid": OAID, "$android_id": ANDROID_ID}}]
        payload = base64.b64encode(json.dumps(events).encode()).decode()
        body = gzip.compress(urllib.parse.urlencode({"data": payload, "gzip": "0"}).encode())
        flow = make_flow("POST", "http://track.analytics-demo.cn/sa", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"})
        assert {"imei", "advertising_id", "android_id"} <= types(run("DH001", flow))

    def test_url_encoded_json_in_form_field(self):
        blob = urllib.parse.quote(json.dumps({"imei": IMEI, "mac": MAC, "ts": 1732512345678}))
        flow = make_flow("POST", "http://hm.example-stat.cn/app.gif", body=f"v=1&e={blob}",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert {"imei", "mac_address"} <= types(run("DH001", flow))

    def test_base64_urlsafe_json_in_query(self):
        blob = base64.urlsafe_b64encode(json.dumps({"phone": PHONE}).encode()).decode().rstrip("=")
        flow = make_flow("GET", f"http://px.example-ads.cn/t.gif?d={blob}")
        assert "phone" in types(run("DH001", flow))

    def test_gzip_json_request(self):
        body = gzip.compress(json.dumps({"user": {"email": "li.si@example.com.cn"}}).encode())
        flow = make_flow("POST", "http://api.demoshop.cn/v1/sync", body=body, headers={
            "Content-Type": "application/json", "Content-Encoding": "gzip"})
        assert "email" in types(run("DH001", flow))

    def test_websocket_over_ws(self):
        flow = make_flow("GET", "http://im.demoshop.cn/ws", status=101, headers={
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
            response_headers={"Upgrade": "websocket", "Connection": "Upgrade",
                              "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="})
        flow.websocket = websocket.WebSocketData(messages=[
            websocket.WebSocketMessage(Opcode.TEXT, True, json.dumps({"cmd": "bind", "mobile": PHONE}).encode(), T0 + 1),
            websocket.WebSocketMessage(Opcode.TEXT, False, b'{"cmd":"ack","code":0}', T0 + 1.1),
        ])
        assert "phone" in types(run("DH001", flow))

    def test_websocket_over_wss_is_not_cleartext(self):
        flow = make_flow("GET", "https://im.demoshop.cn/ws", status=101, headers={"Upgrade": "websocket"})
        flow.websocket = websocket.WebSocketData(messages=[
            websocket.WebSocketMessage(Opcode.TEXT, True, json.dumps({"mobile": PHONE}).encode(), T0 + 1)])
        assert not run("DH001", flow)


class TestCanaries:
    @pytest.mark.parametrize("encode", [
        pytest.param(lambda v: v, id="plain"),
        pytest.param(lambda v: urllib.parse.quote(v), id="url-encoded"),
        pytest.param(lambda v: base64.b64encode(v.encode()).decode(), id="base64"),
        pytest.param(lambda v: v.encode().hex(), id="hex-lower"),
        pytest.param(lambda v: v.encode().hex().upper(), id="hex-upper"),
        pytest.param(lambda v: hashlib.md5(v.encode()).hexdigest(), id="md5"),
        pytest.param(lambda v: hashlib.md5(v.encode()).hexdigest().upper(), id="MD5"),
        pytest.param(lambda v: hashlib.sha1(v.encode()).hexdigest(), id="sha1"),
        pytest.param(lambda v: hashlib.sha1(v.encode()).hexdigest().upper(), id="SHA1"),
        pytest.param(lambda v: hashlib.sha256(v.encode()).hexdigest(), id="sha256"),
        pytest.param(lambda v: hashlib.sha256(v.encode()).hexdigest().upper(), id="SHA256"),
    ])
    def test_address_canary_in_every_encoding(self, encode):
        value = encode("上海市浦东新区世纪大道100号")
        flow = http_post_json("http://api.demoshop.cn/v1/order/create", {"receiver": {"addr": value}, "skuId": 10086})
        found = [f for f in run("DH001", flow, app=app()) if f.evidence.data_type == "canary"]
        assert {f.evidence.canary for f in found} == {"address"}

    def test_base64_urlsafe_canary(self):
        value = "上海市浦东新区世纪大道100号"
        std = base64.b64encode(value.encode()).decode()
        safe = base64.urlsafe_b64encode(value.encode()).decode()
        assert std != safe
        flow = make_flow("GET", f"http://px.example-ads.cn/c?a={safe}")
        assert "address" in canaries(run("DH001", flow, app=app()))

    def test_md5_phone_canary_in_header(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/home", headers={
            "X-Ph-Md5": hashlib.md5(b"13912345678").hexdigest()})
        found = [f for f in run("DH001", flow, app=app()) if f.evidence.canary == "phone"]
        assert found and found[0].location.part == "request.headers"

    def test_sha256_email_canary_upper_in_cookie(self):
        digest = hashlib.sha256(b"zs_test@163.com").hexdigest().upper()
        flow = make_flow("GET", "http://www.demoshop.cn/", headers={"Cookie": f"em={digest}; lang=zh"})
        assert "email" in canaries(run("DH001", flow, app=app()))

    def test_name_canary_url_encoded_in_path(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/search/user/%E5%BC%A0%E4%B8%89/orders")
        assert "name" in canaries(run("DH001", flow, app=app()))

    def test_canary_in_response(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/address/default",
                         response_json={"data": {"address": "上海市浦东新区世纪大道100号", "consignee": "张三"}})
        assert {"address", "name"} <= canaries(run("DH001", flow, app=app()))

    def test_other_address_is_not_canary(self):
        flow = http_post_json("http://api.demoshop.cn/v1/order/create", {"addr": "上海市浦东新区世纪大道1000号"})
        assert not canaries(run("DH001", flow, app=app()))


# =================================================================================
# Hard negatives: must stay silent even over plain HTTP
# =================================================================================

class TestHardNegatives:
    CHECKS = ["DH001", "DH002", "DH006"]

    def silent(self, flow):
        found = run(self.CHECKS, flow)
        assert not found, [(f.check, f.evidence.data_type, f.location.field, f.evidence.value) for f in found]

    def test_order_numbers(self):
        order = "202411251234567890"
        assert not ric.is_valid(order) and not luhn.is_valid(order)
        self.silent(make_flow("GET", f"http://api.demoshop.cn/v1/orders/{order}?tradeNo=4200002345202411251234567891",
                              response_json={"orderNo": order, "payNo": "4200002345202411251234567891",
                                             "status": "PAID", "totalFee": 13800}))

    def test_timestamps(self):
        self.silent(http_post_json("http://log.demoshop.cn/v1/event", {
            "ts": 1732512345678, "client_time": "1732512345678", "t": 1732512345, "serverTime": "1732512345"}))

    def test_trace_ids_and_plain_uuids(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/home", headers={
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "X-B3-TraceId": "463ac35c9f6413ad48485a3953bb6124", "X-B3-SpanId": "a2fb4a1d1a96d312",
            "X-Request-Id": "f47ac10b-58cc-4372-a567-0e02b2c3d479"},
            response_json={"requestId": "9b2c6f0e-7d4a-4e51-8a3c-2f1d0e9b8a76", "span_id": "b7ad6b7169203331",
                           "cartId": "3d1f2b4c-5a6e-4f70-9b81-a2c3d4e5f607"}))

    def test_invalid_phone_numbers_in_phone_fields(self):
        self.silent(form("http://api.demoshop.cn/v1/sms", {"mobile": "12345678901", "tel": "10086", "phone": "138001380"}))

    def test_id_with_wrong_checksum(self):
        self.silent(form("http://api.demoshop.cn/v1/realname", {"idCard": ID_CARD_BAD}))

    def test_card_failing_luhn(self):
        self.silent(http_post_json("http://pay.demoshop.cn/bind", {"cardNo": CARD_BAD, "bankName": "中国农业银行"}))

    def test_versions_and_prices(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/upgrade?app_version=13.8.0.1380&os_version=13&build=138001",
                              response_json={"latest": "13.8.1", "sdk_ver": "6.3.0.13800", "price": "138.00",
                                             "originalPrice": 13800138.00, "sales": 13800, "skuId": 100012345678}))

    def test_masked_values(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/user/profile", response_json={
            "mobile": "138****5678", "idCard": "110101********1234", "bankCard": "6228 **** **** 8903",
            "bankCard2": "622848******8903", "idNo": "4403**********1236", "email": "zha***@163.com"}))

    def test_masked_email_with_mask_inside_local_part(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/user/profile", response_json={
            "email": "z***n@example.com", "bindEmail": "l****i@qq.com"}))

    def test_sentry_dsn_is_not_an_email(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/config", response_json={
            "sentry_dsn": "https://e3b0c44298fc1c149afbf4c8996fb924@o450123.ingest.sentry.io/5512345",
            "ftp": "ftp://anonymous@ftp.demoshop.cn/pub/"}))

    def test_shop_coordinates_in_catalogue_response(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/stores?city=110100", response_json={"stores": [
            {"name": "朝阳大悦城店", "lat": 39.924563, "lng": 116.518512, "distance": 1200},
            {"name": "国贸店", "lat": 39.909263, "lng": 116.461296, "distance": 3400}]}))

    def test_seller_ids_in_image_urls(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/item/detail", response_json={
            "images": ["http://img.alicdn.com/imgextra/i4/2208857268871/O1CN01xYzAbC1Xk2R3s4t5u_!!2208857268871.jpg",
                       "http://gw.alicdn.com/bao/uploaded/i1/13800138000123/O1CN01AbC.jpg_300x300.jpg"],
            "barcode": "6901234567892"}))

    def test_span_id_is_not_android_id(self):
        self.silent(http_post_json("http://apm.demoshop.cn/v1/spans", {"spans": [
            {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "GET /home"}]}))

    def test_placeholder_device_ids(self):
        # what Android / iOS hand out when the app may not read the real value
        self.silent(http_post_json("http://log.demoshop.cn/v1/device", {
            "mac": "02:00:00:00:00:00", "idfa": "00000000-0000-0000-0000-000000000000",
            "oaid": "00000000-0000-0000-0000-000000000000"}))


# =================================================================================
# DH002 sensitive data in URL
# =================================================================================

class TestDH002:
    def test_phone_in_https_path(self):
        found = by_type(run("DH002", make_flow("GET", f"https://api.demoshop.com/v1/users/{PHONE}/coupons")), "phone")
        assert found and found[0].location.part == "request.url"
        assert found[0].severity == Severity.MEDIUM

    def test_id_card_in_https_query_is_high(self):
        found = by_type(run("DH002", make_flow("GET", f"https://api.demoshop.com/v1/ticket/query?idNo={ID_CARD}&trainNo=G1")), "id_card")
        assert found and found[0].severity == Severity.HIGH

    def test_access_token_in_query(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/user/info?access_token=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOjEwMDg2LCJleHAiOjE3MzI1OTk5OTl9.kXb3bG7V3V0y1P4q9Yw1oO2t5pA7xQ8mN3rL6sD2fE0")
        found = by_type(run("DH002", flow), "credential")
        assert found and found[0].severity == Severity.HIGH

    def test_body_only_is_not_dh002(self):
        assert not run("DH002", form("https://api.demoshop.com/v1/login", {"mobile": PHONE, "password": "Zs@123456"}))

    def test_cache_buster_and_paging_are_not_dh002(self):
        assert not run("DH002", make_flow("GET", "https://api.demoshop.com/v1/feed?page=2&size=20&_=1732512345678&traceId=0af7651916cd43dd8448eb211c80319c"))


# =================================================================================
# DH003 weak transport
# =================================================================================

def page_flow(url, html, **kw):
    return make_flow("GET", url, response_headers={"Content-Type": "text/html; charset=utf-8"}, response_body=html, **kw)


class TestDH003:
    def test_client_tls10(self):
        found = run("DH003", make_flow("GET", "https://legacy.demoshop.com/api", tls_version="TLSv1", server_tls_version="TLSv1.2"))
        assert len(found) == 1

    def test_server_tls11_client_tls13(self):
        found = run("DH003", make_flow("GET", "https://old-gw.demoshop.com/api", tls_version="TLSv1.3", server_tls_version="TLSv1.1"))
        assert len(found) == 1

    def test_tls12_and_tls13_are_fine(self):
        assert not run("DH003", [make_flow("GET", "https://a.demoshop.com/", tls_version="TLSv1.2"),
                                 make_flow("GET", "https://b.demoshop.com/", tls_version="TLSv1.3", server_tls_version="TLSv1.2")])

    def test_once_per_host_and_side(self):
        # TLS 1.0 on both sides of five flows to one host: one finding per side
        flows = [make_flow("GET", f"https://legacy.demoshop.com/api/{i}", tls_version="TLSv1") for i in range(5)]
        assert len(run("DH003", flows)) == 2

    def test_https_page_loading_script_over_http(self):
        html = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>限时秒杀</title>
        <link rel="stylesheet" href="https://cdn.demoshop-cdn.net/css/app.3f2a9c.css">
        <script src="http://cdn.demoshop-cdn.net/js/vendor.8b1e.js"></script></head>
        <body><div id="app"></div></body></html>"""
        assert len(run("DH003", page_flow("https://m.demoshop.com/promo/1111", html))) == 1

    def test_https_page_posting_form_over_http(self):
        html = """<html><body><div class="container"><form class="form-signin" method="post" action="http://passport.demoshop.com/login">
        <input type="text" class="form-control" name="username" placeholder="手机号/邮箱">
        <input type="password" class="form-control" name="password"><button class="btn btn-primary btn-block" type="submit">登录</button>
        </form></div></body></html>"""
        assert len(run("DH003", page_flow("https://www.demoshop.com/login", html))) == 1

    def test_links_and_protocol_relative_are_not_mixed_content(self):
        html = """<html><head><script src="//cdn.demoshop-cdn.net/js/app.js"></script>
        <script src="/static/js/chunk-vendors.js"></script></head>
        <body><a href="http://www.beian.gov.cn/portal/registerSystemInfo">京公网安备 11010502030143号</a>
        <a href="http://beian.miit.gov.cn/">京ICP备12345678号-1</a></body></html>"""
        assert not run("DH003", page_flow("https://www.demoshop.com/", html))

    def test_http_page_with_http_script_is_not_dh003(self):
        html = '<html><head><script src="http://cdn.demoshop-cdn.net/js/app.js"></script></head><body></body></html>'
        assert not run("DH003", page_flow("http://www.demoshop.com/", html))


# =================================================================================
# DH004 cleartext credentials
# =================================================================================

JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1aWQiOjEwMDg2LCJleHAiOjE3MzI1OTk5OTl9.kXb3bG7V3V0y1P4q9Yw1oO2t5pA7xQ8mN3rL6sD2fE0"


class TestDH004:
    def test_basic_auth_over_http(self):
        auth = "Basic " + base64.b64encode(b"admin:Admin@2024").decode()
        found = run("DH004", make_flow("GET", "http://192.168.1.1/cgi-bin/luci", headers={"Authorization": auth}))
        assert found and all(f.severity == Severity.CRITICAL for f in found)
        assert found[0].location.part == "request.headers"

    def test_bearer_over_http(self):
        assert run("DH004", make_flow("GET", "http://api.demoshop.cn/v1/orders", headers={"Authorization": f"Bearer {JWT}"}))

    def test_session_cookie_over_http(self):
        found = run("DH004", make_flow("GET", "http://www.demoshop.cn/my", headers={
            "Cookie": "JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E; lang=zh-CN"}))
        assert found and found[0].location.part == "request.cookies"

    def test_session_cookie_set_over_http(self):
        found = run("DH004", make_flow("POST", "http://www.demoshop.cn/login", response_headers={
            "Set-Cookie": "PHPSESSID=9k3j2h1g0f8d7s6a5p4o3i2u1y; path=/"}))
        assert found and found[0].location.part == "response.headers"

    def test_password_form_over_http(self):
        assert "password" in types(run("DH004", form("http://bbs.example.cn/member.php?mod=logging&action=login",
                                                     {"username": "zhangsan", "password": "Zs@123456", "loginsubmit": "yes"})))

    def test_same_over_https_is_silent(self):
        flows = [
            make_flow("GET", "https://api.demoshop.com/v1/orders", headers={"Authorization": f"Bearer {JWT}",
                                                                           "Cookie": "JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E"}),
            form("https://passport.demoshop.com/login", {"username": "zhangsan", "password": "Zs@123456"}),
        ]
        assert not run("DH004", flows)

    def test_non_session_cookies_over_http_are_silent(self):
        assert not run("DH004", make_flow("GET", "http://www.demoshop.cn/", headers={
            "Cookie": "lang=zh-CN; theme=dark; city=110100; Hm_lvt_7a3960b6f067eb0085b7f96ff5e660b0=1732512345"}))


# =================================================================================
# DH005 insecure cookie
# =================================================================================

def set_cookie(*cookies, url="https://www.demoshop.com/login"):
    return make_flow("POST", url, response_headers=[("Set-Cookie", c) for c in cookies])


class TestDH005:
    def test_session_without_secure(self):
        assert len(run("DH005", set_cookie("SESSIONID=9f86d081884c7d659a2feaa0c55ad015; Path=/; HttpOnly"))) == 1

    def test_session_without_httponly(self):
        assert len(run("DH005", set_cookie("sid=s%3AjW7Kf2pQ9xL1mN4b.Xy3kP0qR8sT2uV5wZ; Path=/; Secure; SameSite=Lax"))) == 1

    def test_long_random_value_unnamed(self):
        assert run("DH005", set_cookie("_m_h5_tk=a3f8c2e1d4b7960f5e2a1c3b8d7f6e09_1732512345678; Path=/; Domain=.demoshop.com"))

    def test_fully_flagged_session_is_fine(self):
        assert not run("DH005", set_cookie("JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E; Path=/; Secure; HttpOnly; SameSite=Lax"))

    def test_deleted_session_cookie_is_fine(self):
        assert not run("DH005", set_cookie("SESSIONID=deleted; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0",
                                           "token=; Max-Age=0; Path=/"))

    def test_csrf_cookie_without_httponly_is_fine(self):
        assert not run("DH005", set_cookie("csrftoken=Kq2Ne9ZLx7bR4tP1sV8wY3mC6fH0jD5g; Path=/; Secure; SameSite=Lax",
                                           "XSRF-TOKEN=eyJpdiI6IkxRS2g3; Path=/; Secure"))

    def test_preference_cookies_are_fine(self):
        assert not run("DH005", set_cookie("lang=zh-CN; Path=/", "theme=dark; Path=/; Max-Age=31536000"))

    def test_once_per_cookie_name_and_host(self):
        flows = [set_cookie(f"SESSIONID=9f86d081884c7d659a2feaa0c55ad01{i}; Path=/; HttpOnly") for i in range(3)]
        assert len(run("DH005", flows)) == 1

    def test_two_session_cookies_in_one_response(self):
        found = run("DH005", set_cookie("SESSIONID=9f86d081884c7d659a2feaa0c55ad015; Path=/",
                                        "remember_token=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg; Path=/; Max-Age=2592000"))
        assert len(found) == 2


# =================================================================================
# DH006 unmasked data in responses
# =================================================================================

class TestDH006:
    def test_full_id_card_in_profile_response(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/user/realname",
                         response_json={"code": 0, "data": {"realName": "张三", "idCard": ID_CARD, "verified": True}})
        found = by_type(run("DH006", flow), "id_card")
        assert found and found[0].location.part == "response.body"

    def test_full_bank_card_in_response(self):
        flow = make_flow("GET", "https://pay.demoshop.com/v1/cards",
                         response_json={"cards": [{"bank": "中国农业银行", "cardNo": CARD_UNIONPAY, "type": "DEBIT"}]})
        assert "bank_card" in types(run("DH006", flow))

    def test_passport_in_booking_response(self):
        flow = make_flow("GET", "https://api.trip-demo.com/v1/passengers",
                         response_json={"passengers": [{"name": "ZHANG/SAN", "passportNo": PASSPORT, "nationality": "CN"}]})
        assert "passport" in types(run("DH006", flow))

    def test_other_peoples_phones(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/group/1024/members", response_json={"members": [
            {"nick": "小明", "mobile": PHONE}, {"nick": "小红", "mobile": PHONE_2}, {"nick": "小刚", "mobile": PHONE_3}]})
        assert "phone" in types(run("DH006", flow))

    def test_masked_response_is_fine(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/user/realname", response_json={
            "realName": "张*", "idCard": "110105********002X", "cards": [{"cardNo": "6228 **** **** 8903"}]})
        assert not run("DH006", flow)

    def test_echo_of_submitted_value_is_fine(self):
        flow = make_flow("POST", "https://api.demoshop.com/v1/realname/verify",
                         json={"realName": "张三", "idCard": ID_CARD},
                         response_json={"code": 0, "data": {"idCard": ID_CARD, "result": "一致"}})
        assert not run("DH006", flow)

    def test_shop_contacts_are_fine(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/shops/nearby", response_json={"shops": [
            {"shopName": "小明生鲜超市", "contactPhone": PHONE}, {"shopName": "红红水果店", "contactPhone": PHONE_2},
            {"shopName": "刚子烧烤", "contactPhone": PHONE_3}]})
        assert not run("DH006", flow)

    def test_own_phone_alone_is_fine(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/user/profile", response_json={"nickname": "小明", "mobile": PHONE})
        assert not run("DH006", flow)


# =================================================================================
# DH007-DH010 third parties and consent
# =================================================================================

def umeng_flow(data: dict, timestamp=T0 + 120):
    return http_post_json("https://ulogs.umeng.com/unify_logs", {
        "header": {"appkey": "5f8e9a1b2c3d4e5f6a7b8c9d", "app_version": "3.2.1", "os": "Android", **data},
        "content": {"analytics": {"sessions": []}}}, timestamp=timestamp)


def consent_flow(timestamp=T0):
    return http_post_json("https://api.demoshop.com/v1/privacy/consent?ver=3", {"agree": True, "policyVersion": "2024-10"},
                          timestamp=timestamp)


class TestDH007:
    def test_unknown_third_party_receives_phone(self):
        flow = form("https://collect.some-tracker.cn/v1/e", {"mobile": PHONE, "ev": "reg"})
        found = by_type(run("DH007", flow, app=app()), "phone")
        assert found and found[0].severity == Severity.HIGH

    def test_undeclared_known_sdk_receives_device_id(self):
        flow = make_flow("POST", "https://android.bugly.qq.com/rqd/async?aid=9b2c6f0e-7d4a-4e51-8a3c-2f1d0e9b8a76&p=1&k=1",
                         json={"deviceId": ANDROID_ID, "android_id": ANDROID_ID, "model": "22081212C"})
        assert "android_id" in types(run("DH007", flow, app=app()))

    def test_first_party_subdomain_and_cdn_are_silent(self):
        flows = [form("https://passport.api.demoshop.com/v1/bind", {"mobile": PHONE, "imei": IMEI}),
                 make_flow("GET", f"https://img.demoshop-cdn.net/avatar?uid=1&android_id={ANDROID_ID}")]
        assert not run("DH007", flows, app=app())

    def test_declared_party_with_declared_data_is_silent(self):
        assert not run(["DH007", "DH008"], umeng_flow({"android_id": ANDROID_ID, "oaid": OAID}), app=app())

    def test_co_uk_registrable_domain(self):
        yaml_text = "name: UK Shop\nfirst_party: [demoshop.co.uk]\n"
        ours = form("https://api.demoshop.co.uk/v1/account", {"phone": "+447911123456"})
        theirs = form("https://collect.othershop.co.uk/v1/account", {"phone": "+447911123456"})
        found = run("DH007", [ours, theirs], app=app(yaml_text))
        assert {f.location.flow for f in found} == {1}

    def test_com_cn_registrable_domain(self):
        yaml_text = "name: CN Shop\nfirst_party: [www.demoshop.com.cn]\n"
        ours = form("https://m.demoshop.com.cn/api/user", {"mobile": PHONE})
        theirs = form("https://api.data-partner.com.cn/sync", {"mobile": PHONE})
        found = run("DH007", [ours, theirs], app=app(yaml_text))
        assert {f.location.flow for f in found} == {1}

    def test_github_io_private_suffix(self):
        yaml_text = "name: Pages app\nfirst_party: [alice.github.io]\n"
        ours = form("https://alice.github.io/api/echo", {"email": "li.si@example.com.cn"})
        theirs = form("https://bob.github.io/collect", {"email": "li.si@example.com.cn"})
        found = run("DH007", [ours, theirs], app=app(yaml_text))
        assert {f.location.flow for f in found} == {1}

    def test_lookalike_domain_is_not_first_party(self):
        flow = form("https://demoshop.com.evil-cdn.cn/c", {"mobile": PHONE})
        assert run("DH007", flow, app=app())

    def test_no_app_file_known_sdk_with_data(self):
        flow = make_flow("GET", f"https://app-measurement.com/a?gmp_app_id=1:123:android:abc&adid={GAID}")
        assert "advertising_id" in types(run("DH007", flow))

    def test_no_app_file_top_level_page_defines_first_party(self):
        page = page_flow("https://www.shopdemo.cn/", "<!DOCTYPE html><html><head><title>首页</title></head><body>商城</body></html>",
                         headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                                  "Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate", "User-Agent": UA})
        ours = form("https://api.shopdemo.cn/v1/login", {"mobile": PHONE})
        theirs = form("https://log.unknown-partner.cn/v1/e", {"mobile": PHONE})
        found = run("DH007", [page, ours, theirs])
        assert {f.location.flow for f in found} == {2}


class TestDH008:
    def test_declared_party_gets_undeclared_location(self):
        flow = umeng_flow({"android_id": ANDROID_ID, "lat": "31.230416", "lng": "121.473701"})
        found = run("DH008", flow, app=app())
        assert types(found) == {"location"} and found[0].severity == Severity.MEDIUM

    def test_declared_party_gets_canary_phone_counts_as_phone(self):
        flow = umeng_flow({"android_id": ANDROID_ID, "uphone": hashlib.md5(b"13912345678").hexdigest()})
        found = run(["DH007", "DH008"], flow, app=app())
        assert {f.check for f in found} == {"DH008"}

    def test_canary_phone_declared_as_phone_is_fine(self):
        yaml_text = APP_YAML.replace("data: [android_id, advertising_id]", "data: [android_id, advertising_id, phone]")
        flow = umeng_flow({"android_id": ANDROID_ID, "uphone": hashlib.md5(b"13912345678").hexdigest()})
        assert not run("DH008", flow, app=app(yaml_text))

    def test_amap_gets_location_only(self):
        flow = make_flow("GET", "https://restapi.amap.com/v3/geocode/regeo?key=0123456789abcdef0123456789abcdef&location=121.473701,31.230416")
        assert not run(["DH007", "DH008"], flow, app=app())

    def test_needs_app_file(self):
        assert not run("DH008", umeng_flow({"lat": "31.230416", "lng": "121.473701"}))


class TestDH009:
    def test_sdk_before_consent_url(self):
        flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30), consent_flow(T0),
                 umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 + 30)]
        found = run("DH009", flows, app=app())
        assert found and {f.location.flow for f in found} == {0}

    def test_first_party_personal_data_before_consent(self):
        flows = [make_flow("GET", f"https://api.demoshop.com/v1/init?imei={IMEI}", timestamp=T0 - 30), consent_flow(T0)]
        assert {f.location.flow for f in run("DH009", flows, app=app())} == {0}

    def test_first_party_without_personal_data_before_consent_is_fine(self):
        flows = [make_flow("GET", "https://api.demoshop.com/v1/config?channel=huawei&ver=3.2.1", timestamp=T0 - 30,
                           response_json={"privacyVersion": "2024-10", "splash": []}),
                 make_flow("GET", "https://img.demoshop-cdn.net/splash/1111.jpg", timestamp=T0 - 20),
                 consent_flow(T0)]
        assert not run("DH009", flows, app=app())

    def test_consent_url_glob_does_not_match_other_paths(self):
        # a GET of the policy text is not the consent
        flows = [make_flow("GET", "https://api.demoshop.com/v1/privacy/policy.html", timestamp=T0 - 60),
                 umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)]
        assert {f.location.flow for f in run("DH009", flows, app=app())} == {1}

    def test_consent_time(self):
        yaml_text = 'name: Demo\nfirst_party: [demoshop.com]\nconsent:\n  time: "2025-11-25T00:00:00+08:00"\n'
        assert T0 == 1_764_000_000.0  # 2025-11-24T16:00:00Z
        flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 5),
                 umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 + 5)]
        assert {f.location.flow for f in run("DH009", flows, app=app(yaml_text))} == {0}

    def test_capture_that_never_consents_is_all_before(self):
        flows = [make_flow("GET", "https://api.demoshop.com/v1/config", timestamp=T0 - 60),
                 umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)]
        assert {f.location.flow for f in run("DH009", flows, app=app())} == {1}

    def test_not_applicable_without_consent_moment(self):
        flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)]
        assert not run("DH009", flows, app=app("name: Demo\nfirst_party: [demoshop.com]\n"))
        assert not run("DH009", flows)


SDK_ENDPOINTS = [
    "https://ulogs.umeng.com/unify_logs",
    "https://stats.jpush.cn/v3/report",
    "https://android.bugly.qq.com/rqd/async?aid=1",
    "https://mi.gdt.qq.com/gdt_mview.fcg?posid=123",
    "https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/",
    "https://hmma.baidu.com/app.gif",
    "https://app-measurement.com/a",
    "https://launches.appsflyersdk.com/api/v6.9/androidevent?app_id=com.demoshop",
    "https://app.adjust.com/session",
    "https://o450123.ingest.sentry.io/api/5512345/envelope/",
    "https://graph.facebook.com/v17.0/1234567890/activities",
    "https://restapi.amap.com/v3/geocode/regeo",
    "https://api.geetest.com/gettype.php?gt=019924a82c70bb123aae90d483087f94",
    "https://apis.map.qq.com/ws/geocoder/v1/",
]


class TestDH010:
    @pytest.mark.parametrize("url", SDK_ENDPOINTS)
    def test_known_sdk_endpoint(self, url):
        found = run("DH010", make_flow("POST", url, body=b"\x1f\x8b"))
        assert len(found) == 1 and found[0].severity == Severity.INFO

    def test_one_per_sdk_with_count(self):
        flows = [make_flow("GET", "https://www.demoshop.com/")] + [
            make_flow("POST", "https://ulogs.umeng.com/unify_logs", timestamp=T0 + i) for i in range(1, 4)]
        found = run("DH010", flows)
        assert len(found) == 1
        assert found[0].location.flow == 1
        assert "3" in found[0].message

    def test_not_an_sdk(self):
        flows = [make_flow("GET", "https://www.demoshop.com/"), make_flow("GET", "https://notbugly.qq.com/x"),
                 make_flow("GET", "https://umeng.com.demoshop.cn/x")]
        assert not run("DH010", flows)


# =================================================================================
# Loading: HAR variants and broken inputs, through the CLI
# =================================================================================

def har_entry(url, method="GET", *, req_headers=(), post=None, status=200, resp_headers=(), content=None,
              started="2024-11-25T10:12:33.123+08:00", **extra):
    entry = {
        "startedDateTime": started, "time": 52.3,
        "request": {"method": method, "url": url, "httpVersion": "HTTP/1.1",
                    "headers": [{"name": k, "value": v} for k, v in req_headers],
                    "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
        "response": {"status": status, "statusText": "OK", "httpVersion": "HTTP/1.1",
                     "headers": [{"name": k, "value": v} for k, v in resp_headers], "cookies": [],
                     "content": content or {"size": 0, "mimeType": "text/plain"}, "redirectURL": "",
                     "headersSize": -1, "bodySize": -1},
        "cache": {}, "timings": {"blocked": 0.5, "dns": -1, "connect": -1, "send": 0.1, "wait": 50.2, "receive": 1.5, "ssl": -1},
    }
    if post is not None:
        entry["request"]["postData"] = post
    entry.update(extra)
    return entry


def har(entries, creator="WebInspector", version="537.36"):
    return {"log": {"version": "1.2", "creator": {"name": creator, "version": version},
                    "pages": [], "entries": entries}}


def scan(tmp_path, *inputs, extra=()):
    out = tmp_path / "out.json"
    proc = subprocess.run(
        [sys.executable, "-m", "appaudit", "scan", *map(str, inputs), "-f", "json", "-o", str(out), *extra],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    report = json.loads(out.read_text("utf-8")) if out.exists() else None
    return proc, report


def findings_of(report, check, data_type=None):
    return [f for f in report["findings"] if f["check"] == check and (data_type is None or f["evidence"]["data_type"] == data_type)]


class TestHarLoading:
    def test_chrome_style_har(self, tmp_path):
        entry = har_entry("http://api.demoshop.cn/v1/login", "POST",
                          req_headers=[("Content-Type", "application/json;charset=UTF-8"), ("User-Agent", UA)],
                          post={"mimeType": "application/json;charset=UTF-8", "text": json.dumps({"mobile": PHONE, "smsCode": "123456"})},
                          _initiator={"type": "script"}, _priority="High", _resourceType="xhr",
                          serverIPAddress="122.14.229.1", connection="443")
        path = tmp_path / "chrome.har"
        path.write_text(json.dumps(har([har_entry("https://www.demoshop.com/"), entry])), "utf-8")
        proc, report = scan(tmp_path, path)
        assert "Traceback" not in proc.stderr
        found = findings_of(report, "DH001", "phone")
        assert found and found[0]["location"]["flow"] == 1 and found[0]["location"]["field"] == "mobile"
        assert report["inputs"][0]["records"] == 2
        assert PHONE not in json.dumps(report, ensure_ascii=False)  # masked by default

    def test_firefox_har_with_bom(self, tmp_path):
        entry = har_entry(f"http://api.demoshop.cn/v1/user?idCard={ID_CARD}", req_headers=[("Host", "api.demoshop.cn")])
        path = tmp_path / "firefox.har"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(har([entry], creator="Firefox", version="132.0")).encode())
        proc, report = scan(tmp_path, path)
        assert not report["errors"]
        assert findings_of(report, "DH002", "id_card")

    def test_charles_style_minimal_entries(self, tmp_path):
        entry = {"startedDateTime": "2024-11-25T10:12:33.123+08:00", "time": 10,
                 "request": {"method": "GET", "url": f"http://api.demoshop.cn/v1/device?imei={IMEI}",
                             "httpVersion": "HTTP/1.1", "headers": [], "queryString": [{"name": "imei", "value": IMEI}],
                             "cookies": []},
                 "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [],
                              "cookies": [], "content": {"size": 0}}}
        path = tmp_path / "charles.har"
        path.write_text(json.dumps(har([entry], creator="Charles Proxy", version="4.6.7")), "utf-8")
        proc, report = scan(tmp_path, path)
        assert not report["errors"], report["errors"]
        assert findings_of(report, "DH001", "imei")

    def test_postdata_params_only(self, tmp_path):
        entry = har_entry("http://api.demoshop.cn/v1/sms/send", "POST",
                          req_headers=[("Content-Type", "application/x-www-form-urlencoded")],
                          post={"mimeType": "application/x-www-form-urlencoded",
                                "params": [{"name": "mobile", "value": PHONE}, {"name": "scene", "value": "login"}]})
        path = tmp_path / "params.har"
        path.write_text(json.dumps(har([entry])), "utf-8")
        proc, report = scan(tmp_path, path)
        assert findings_of(report, "DH001", "phone")

    def test_base64_response_content(self, tmp_path):
        body = json.dumps({"data": {"realName": "张三", "idCard": ID_CARD}}, ensure_ascii=False).encode()
        entry = har_entry("https://api.demoshop.com/v1/user/realname",
                          resp_headers=[("Content-Type", "application/json")],
                          content={"size": len(body), "mimeType": "application/json", "encoding": "base64",
                                   "text": base64.b64encode(body).decode()})
        path = tmp_path / "b64.har"
        path.write_text(json.dumps(har([entry])), "utf-8")
        proc, report = scan(tmp_path, path)
        assert findings_of(report, "DH006", "id_card")

    def test_har_recognised_by_content_not_extension(self, tmp_path):
        entry = har_entry(f"http://api.demoshop.cn/v1/user?mobile={PHONE}")
        path = tmp_path / "export.json"
        path.write_text(json.dumps(har([entry])), "utf-8")
        proc, report = scan(tmp_path, path)
        assert report["inputs"] and report["inputs"][0]["kind"] != "html"
        assert findings_of(report, "DH002", "phone")


class TestBrokenInputs:
    def good_har(self, tmp_path):
        path = tmp_path / "good.har"
        path.write_text(json.dumps(har([har_entry(f"http://api.demoshop.cn/v1/user?mobile={PHONE}")])), "utf-8")
        return path

    @pytest.mark.parametrize("name,content", [
        ("truncated.har", json.dumps(har([har_entry("https://a.demoshop.com/")]))[:120].encode()),
        ("notahar.har", b'{"log": {"version": "1.2", "entries": "oops"}}'),
        ("empty.har", b""),
        ("garbage.mitm", bytes(range(256)) * 4),
        ("weird.json", b'{"foo": [1, 2, 3]}'),
    ])
    def test_one_error_line_and_others_still_scanned(self, tmp_path, name, content):
        bad = tmp_path / name
        bad.write_bytes(content)
        proc, report = scan(tmp_path, bad, self.good_har(tmp_path))
        assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
        errors = report["errors"]
        assert len(errors) == 1 and name in errors[0]["input"], errors
        assert errors[0]["message"] and "\n" not in errors[0]["message"]
        assert findings_of(report, "DH001", "phone")
        assert proc.returncode == 3

    def test_all_broken_exits_2(self, tmp_path):
        (tmp_path / "a.har").write_text("{not json", "utf-8")
        (tmp_path / "b.mitm").write_bytes(b"\x00\x01\x02garbage")
        proc, report = scan(tmp_path, tmp_path / "a.har", tmp_path / "b.mitm")
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr

    def test_truncated_flow_file_keeps_flows_before_damage(self, tmp_path):
        path = tmp_path / "session.mitm"
        with path.open("wb") as fh:
            writer = mitmio.FlowWriter(fh)
            for i in range(3):
                writer.add(make_flow("GET", f"http://api.demoshop.cn/v1/item/{i}?mobile={PHONE}", timestamp=T0 + i))
        data = path.read_bytes()
        path.write_bytes(data[: len(data) - 200])
        proc, report = scan(tmp_path, path)
        assert "Traceback" not in proc.stderr
        assert len(report["errors"]) == 1 and "session.mitm" in report["errors"][0]["input"]
        # The three requests send the phone in the same query field of one host: one
        # finding, whose occurrences name the flows read before the damage.
        flows = {flow for f in findings_of(report, "DH002", "phone") for flow in f["occurrences"]["flows"]}
        assert {0, 1} <= flows

    def test_folder_of_mixed_inputs(self, tmp_path):
        folder = tmp_path / "capture"
        (folder / "sub").mkdir(parents=True)
        (folder / "sub" / "s.har").write_text(json.dumps(har([har_entry(f"http://api.demoshop.cn/u?mobile={PHONE}")])), "utf-8")
        (folder / "broken.har").write_text('{"log": ', "utf-8")
        proc, report = scan(tmp_path, folder)
        assert len(report["errors"]) == 1 and "broken.har" in report["errors"][0]["input"]
        assert any("s.har" in i["path"] for i in report["inputs"])
        assert proc.returncode == 3


# =================================================================================
# Second round: more shapes an auditor meets in real captures
# =================================================================================

class TestMoreDetection:
    def test_phone_with_country_code_and_spaces(self):
        flow = form("http://api.demoshop.cn/v1/contact", {"tel": "+86 138 0013 8000"})
        assert "phone" in types(run("DH001", flow))

    def test_phone_as_json_number(self):
        flow = http_post_json("http://api.demoshop.cn/v1/bind", {"mobile": 13800138000, "areaCode": 86})
        assert "phone" in types(run("DH001", flow))

    def test_hong_kong_mobile(self):
        flow = http_post_json("http://api.demoshop.hk/v1/register", {"phone": "+852 9123 4567"})
        assert "phone" in types(run("DH001", flow))

    def test_id_card_lower_case_x(self):
        flow = form("http://api.demoshop.cn/v1/realname", {"cert_no": ID_CARD.lower()})
        assert "id_card" in types(run("DH001", flow))

    def test_bank_card_typed_with_spaces_in_text(self):
        flow = http_post_json("http://kefu.demoshop.cn/v1/msg", {"content": "退款请打到我的卡 6228 4800 1234 5678 903 谢谢"})
        assert "bank_card" in types(run("DH001", flow))

    def test_emails_in_json_string_array(self):
        flow = http_post_json("http://api.example.com/v1/invite", {"to": ["li.si@example.com.cn", "wang.wu@163.com"]})
        fields = {f.location.field for f in by_type(run("DH001", flow), "email")}
        assert fields == {"to[0]", "to[1]"}

    def test_imei_under_did_key(self):
        assert "imei" in types(run("DH001", http_post_json("http://log.demoshop.cn/v1/a", {"did": IMEI, "ch": "huawei"})))

    def test_adid_key(self):
        assert "advertising_id" in types(run("DH001", http_post_json("http://ad.demoshop.cn/v1/req", {"adid": GAID, "lmt": 0})))

    def test_latitude_longitude_query(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/weather?latitude=31.230416&longitude=121.473701")
        assert "location" in types(run("DH001", flow))

    def test_pinyin_password_key_with_md5_value(self):
        flow = form("http://api.demoshop.cn/v1/login", {"zhanghao": "zhangsan", "mima": hashlib.md5(b"Zs@123456").hexdigest()})
        assert "password" in types(run("DH004", flow))

    def test_mac_and_iccid_in_plain_text_log(self):
        text = f"2024-11-25 10:12:33.123 I/NetInfo: wifi bssid={MAC.lower()} sim iccid {ICCID} state=READY"
        flow = make_flow("POST", "http://crash.demoshop.cn/upload/log", body=text, headers={"Content-Type": "text/plain"})
        assert {"mac_address", "iccid"} <= types(run("DH001", flow))

    def test_passport_with_chinese_label_in_text(self):
        flow = make_flow("POST", "http://visa.trip-demo.cn/v1/note", headers={"Content-Type": "text/plain; charset=utf-8"},
                         body=f"申请人：张三\n护照号码：{PASSPORT}\n出行日期：2024-12-20")
        assert "passport" in types(run("DH001", flow))

    def test_mtop_style_urlencoded_json_in_query(self):
        data = urllib.parse.quote(json.dumps({"mobile": PHONE, "bizCode": "login"}, separators=(",", ":")))
        flow = make_flow("GET", "https://h5api.m.demoshop.com/h5/mtop.user.sendcode/1.0/?jsv=2.6.1&appKey=12574478"
                                f"&t=1732512345678&sign=8f3b2a1c9d7e6f5a4b3c2d1e0f9a8b7c&api=mtop.user.sendcode&v=1.0&data={data}")
        found = run("DH002", flow)
        assert types(found) == {"phone"}

    def test_growingio_style_event_batch(self):
        events = [{"t": "vst", "s": "6a1f3c2e-7b8d-4e9f-a0b1-c2d3e4f5a6b7", "tm": 1732512345678, "av": "3.2.1",
                   "imei": IMEI, "oaid": OAID, "androidId": ANDROID_ID, "lat": 31.230416, "lng": 121.473701},
                  {"t": "page", "p": "MainActivity", "tm": 1732512346000, "s": "6a1f3c2e-7b8d-4e9f-a0b1-c2d3e4f5a6b7"}]
        body = gzip.compress(json.dumps(events).encode())
        flow = make_flow("POST", "http://api.growingio.example.cn/v3/projects/91eaf9b283361032/collect?stm=1732512346001",
                         body=body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
        assert types(run("DH001", flow)) == {"imei", "advertising_id", "android_id", "location"}

    def test_same_field_one_finding_even_with_two_values(self):
        flow = http_post_json("http://kefu.demoshop.cn/v1/msg", {"remark": f"电话{PHONE}，备用{PHONE_2}，再说一遍{PHONE}"})
        assert len(by_type(run("DH001", flow), "phone")) == 1

    def test_repeated_form_key(self):
        flow = make_flow("POST", "http://api.demoshop.cn/v1/sms", body=f"mobile={PHONE}&mobile={PHONE}",
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert len(by_type(run("DH001", flow), "phone")) == 1

    def test_location_url_is_full_request_url(self):
        url = f"http://api.demoshop.cn/v1/sms/send?mobile={PHONE}&type=login"
        found = run("DH001", make_flow("GET", url))
        assert found and found[0].location.url == url and found[0].location.method == "GET"


class TestMoreCanaries:
    def test_sha256_phone_in_gzip_body(self):
        body = gzip.compress(json.dumps({"u": {"ph": hashlib.sha256(b"13912345678").hexdigest()}}).encode())
        flow = make_flow("POST", "http://log.demoshop.cn/v1/e", body=body,
                         headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
        assert "phone" in canaries(run("DH001", flow, app=app()))

    def test_canary_in_websocket_message(self):
        flow = make_flow("GET", "http://im.demoshop.cn/ws", status=101, headers={"Upgrade": "websocket"})
        flow.websocket = websocket.WebSocketData(messages=[websocket.WebSocketMessage(
            Opcode.TEXT, True, json.dumps({"cmd": "profile", "nick": "张三"}, ensure_ascii=False).encode(), T0 + 1)])
        assert "name" in canaries(run("DH001", flow, app=app()))

    def test_canary_in_xml(self):
        xml = "<?xml version='1.0' encoding='UTF-8'?><req><user><addr>上海市浦东新区世纪大道100号</addr></user></req>"
        flow = make_flow("POST", "http://api.demoshop.cn/v1/xml", body=xml, headers={"Content-Type": "application/xml; charset=utf-8"})
        assert "address" in canaries(run("DH001", flow, app=app()))

    def test_canary_in_response_header(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/me", response_headers={"X-User-Name": "%E5%BC%A0%E4%B8%89"})
        found = [f for f in run("DH001", flow, app=app()) if f.evidence.canary == "name"]
        assert found and found[0].location.part == "response.headers"

    def test_unrelated_md5_is_not_canary(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/feed?sign=" + hashlib.md5(b"appKey=12574478&t=1732512345678").hexdigest())
        assert not run("DH001", flow, app=app())


class TestMoreHardNegatives:
    CHECKS = ["DH001", "DH002", "DH004", "DH006"]

    def silent(self, flow, **kw):
        found = run(self.CHECKS, flow, **kw)
        assert not found, [(f.check, f.evidence.data_type, f.location.field, f.evidence.value) for f in found]

    def test_placeholder_values_for_ids(self):
        self.silent(http_post_json("http://log.demoshop.cn/v1/device", {
            "imei": "", "android_id": "unknown", "oaid": "null", "imsi": "", "mac": "", "idfa": "undefined"}))

    def test_emulator_imei_of_zeros(self):
        self.silent(http_post_json("http://log.demoshop.cn/v1/device", {"imei": "000000000000000", "meid": "00000000000000"}))

    def test_password_policy_config(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/register/config", response_json={
            "password_min_length": 8, "passwordMaxLength": 20, "needPassword": True, "hasPayPwd": False,
            "pwdStrength": "weak", "token_type": "bearer", "tokenExpire": 7200, "show_password_toggle": 1}))

    def test_bearer_null_before_login(self):
        self.silent(make_flow("GET", "http://api.demoshop.cn/v1/home", headers={"Authorization": "Bearer null"}))

    def test_order_number_in_text(self):
        self.silent(make_flow("POST", "http://kefu.demoshop.cn/v1/msg", headers={"Content-Type": "text/plain; charset=utf-8"},
                              body="您好，订单号：202411251234567890，运单号：SF1400123456789，请尽快发货"))

    def test_passport_like_code_without_context(self):
        self.silent(http_post_json("http://api.demoshop.cn/v1/coupon/redeem", {"couponCode": PASSPORT, "skuId": "E10086"}))

    def test_base64_image_upload(self):
        png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8).decode()
        self.silent(http_post_json("http://api.demoshop.cn/v1/avatar", {"image": f"data:image/png;base64,{png}"}))

    def test_jd_style_sku_in_path(self):
        self.silent(make_flow("GET", "http://item.demoshop.cn/100012345678.html?bbtf=1"))


class TestMoreDH002:
    def test_email_in_query(self):
        assert "email" in types(run("DH002", make_flow("GET", "https://api.demoshop.com/v1/subscribe?email=li.si%40example.com.cn")))

    def test_token_in_wss_query(self):
        flow = make_flow("GET", f"https://im.demoshop.com/ws?token={JWT}&v=2", status=101, headers={"Upgrade": "websocket"})
        assert "credential" in types(run("DH002", flow))


class TestMoreDH003:
    @pytest.mark.parametrize("markup", [
        '<iframe src="http://ad.example-union.cn/show?id=1" width="320" height="50"></iframe>',
        '<link rel="stylesheet" href="http://cdn.demoshop-cdn.net/css/app.css">',
        '<script type="text/javascript" charset="utf-8" src="http://res.example-sdk.cn/open/js/sdk-1.6.0.js"></script>',
    ])
    def test_active_mixed_content(self, markup):
        html = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><div id="app" data-v-app="">{markup}</div></body></html>'
        assert len(run("DH003", page_flow("https://m.demoshop.com/activity/618", html))) == 1

    def test_hint_links_are_not_mixed_content(self):
        html = """<html><head><link rel="dns-prefetch" href="http://img.demoshop-cdn.net">
        <link rel="preconnect" href="http://api.demoshop.com"><link rel="canonical" href="http://www.demoshop.com/item/1">
        <meta property="og:url" content="http://www.demoshop.com/item/1"><meta property="og:image" content="http://img.demoshop-cdn.net/1.jpg">
        </head><body><form action="/search" method="get"><input name="q"></form></body></html>"""
        assert not run("DH003", page_flow("https://www.demoshop.com/item/1", html))

    def test_wss_with_tls10(self):
        flow = make_flow("GET", "https://push.demoshop.com/ws", status=101, tls_version="TLSv1", server_tls_version="TLSv1.3",
                         headers={"Upgrade": "websocket"})
        assert len(run("DH003", flow)) == 1

    def test_sslv3(self):
        assert run("DH003", make_flow("GET", "https://legacy.demoshop.com/", tls_version="TLSv1.3", server_tls_version="SSLv3"))

    def test_plain_http_is_not_weak_tls(self):
        assert not run("DH003", make_flow("GET", "http://api.demoshop.cn/v1/config"))


class TestMoreDH004:
    def test_token_in_json_body(self):
        flow = http_post_json("http://api.demoshop.cn/v1/cart/add", {"token": "a3f8c2e1d4b7960f5e2a1c3b8d7f6e09", "skuId": 1})
        assert "credential" in types(run("DH004", flow))

    def test_x_access_token_header(self):
        flow = make_flow("GET", "http://api.demoshop.cn/v1/orders", headers={"X-Access-Token": "7d9f2c1e8a3b4f6d0e5c2a9b8f7e6d1c"})
        assert run("DH004", flow)

    def test_access_token_issued_in_http_response(self):
        flow = form("http://oauth.demoshop.cn/token", {"grant_type": "client_credentials"},
                    response_json={"access_token": "7d9f2c1e8a3b4f6d0e5c2a9b8f7e6d1c5b4a3f2e", "token_type": "bearer", "expires_in": 7200})
        found = run("DH004", flow)
        assert {f.location.field for f in found} == {"access_token"}

    def test_password_over_ws(self):
        flow = make_flow("GET", "http://im.demoshop.cn/ws", status=101, headers={"Upgrade": "websocket"})
        flow.websocket = websocket.WebSocketData(messages=[websocket.WebSocketMessage(
            Opcode.TEXT, True, b'{"cmd":"login","user":"zhangsan","password":"Zs@123456"}', T0 + 1)])
        assert "password" in types(run("DH004", flow))


class TestMoreDH005:
    def test_http_session_cookie_without_httponly(self):
        assert run("DH005", set_cookie("JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E; Path=/", url="http://www.demoshop.cn/login"))

    def test_lowercase_attributes_count(self):
        assert not run("DH005", set_cookie("sessionid=9f86d081884c7d659a2feaa0c55ad015; path=/; secure; httponly; samesite=lax"))

    def test_expires_in_past_is_deletion(self):
        assert not run("DH005", set_cookie("SESSIONID=; Path=/; Expires=Thu, 01-Jan-1970 00:00:01 GMT"))

    def test_taobao_style_cookie2(self):
        assert run("DH005", set_cookie("cookie2=1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d; Path=/; Domain=.demoshop.com; HttpOnly"))

    def test_analytics_timestamp_cookie(self):
        assert not run("DH005", set_cookie("Hm_lvt_7a3960b6f067eb0085b7f96ff5e660b0=1732512345,1732598765; Path=/; Expires=Wed, 25 Nov 2025 10:00:00 GMT"))


class TestMoreDH006:
    def test_id_card_inside_message_text(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/realname/status",
                         response_json={"code": 0, "msg": f"您的身份证号{ID_CARD}已通过实名认证"})
        assert "id_card" in types(run("DH006", flow))

    def test_several_peoples_emails(self):
        flow = make_flow("GET", "https://api.example.com/v1/project/7/members", response_json={"members": [
            {"name": "Li Si", "email": "li.si@example.com.cn"}, {"name": "Wang Wu", "email": "wang.wu@163.com"},
            {"name": "Zhao Liu", "email": "zhao.liu@qq.com"}]})
        assert "email" in types(run("DH006", flow))

    def test_echo_of_query_value(self):
        flow = make_flow("GET", f"https://api.demoshop.com/v1/realname/check?idCard={ID_CARD}",
                         response_json={"idCard": ID_CARD, "match": True})
        assert not run("DH006", flow)

    def test_severity_high(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/user/realname", response_json={"idCard": ID_CARD_2})
        found = run("DH006", flow)
        assert found and found[0].severity == Severity.HIGH


class TestMoreParties:
    def test_declared_party_on_second_domain(self):
        assert not run(["DH007", "DH008"], make_flow("POST", "https://ulogs.umengcloud.com/unify_logs",
                                                     json={"header": {"oaid": OAID}}), app=app())

    def test_canary_to_unknown_party(self):
        flow = make_flow("GET", "https://collect.some-tracker.cn/p?h=" + hashlib.md5(b"13912345678").hexdigest())
        found = run("DH007", flow, app=app())
        assert any(f.evidence.data_type == "canary" and f.evidence.canary == "phone" for f in found)

    def test_data_in_third_party_response_is_not_sent(self):
        flow = make_flow("GET", "https://apis.map.qq.com/ws/location/v1/ip?key=OB4BZ-D4W3U-B7VVO-4PJWW-6TKDJ-WPB77",
                         response_json={"status": 0, "result": {"ip": "111.206.145.41",
                                                                "location": {"lat": 39.90469, "lng": 116.40717}}})
        assert not [f for f in run("DH007", flow, app=app()) if f.evidence.data_type == "location"]

    def test_port_and_case_in_host(self):
        flow = form("https://Collect.Some-Tracker.cn:8443/v1/e", {"mobile": PHONE})
        assert run("DH007", flow, app=app())

    def test_consent_glob_with_wildcard_host(self):
        yaml_text = ('name: Demo\nfirst_party: [demoshop.com]\nconsent:\n'
                     '  url: "https://*.demoshop.com/v1/privacy/agree*"\n')
        flows = [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 10),
                 make_flow("POST", "https://passport.demoshop.com/v1/privacy/agree", timestamp=T0),
                 umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 + 10)]
        assert {f.location.flow for f in run("DH009", flows, app=app(yaml_text))} == {0}

    def test_dh009_does_not_grow_with_repeats(self):
        one = run("DH009", [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30)], app=app())
        many = run("DH009", [umeng_flow({"android_id": ANDROID_ID}, timestamp=T0 - 30 + i) for i in range(4)], app=app())
        assert one and len(many) == len(one)

    def test_dh010_names_category(self):
        found = run("DH010", make_flow("POST", "https://ulogs.umeng.com/unify_logs"))
        assert found and "analytics" in (found[0].title + found[0].message).lower()

    def test_dh010_sdk_from_app_file(self):
        yaml_text = ("name: Demo\nfirst_party: [demoshop.com]\nsdks:\n"
                     "  - id: acme-push\n    name: Acme Push\n    vendor: Acme\n    category: push\n"
                     "    domains: [push.acme-cloud.cn]\n")
        found = run("DH010", make_flow("POST", "https://gw.push.acme-cloud.cn/v2/register"), app=app(yaml_text))
        assert len(found) == 1 and "Acme Push" in (found[0].title + found[0].message)


class TestMoreHar:
    def test_chrome_http2_pseudo_headers_and_failed_entry(self, tmp_path):
        h2 = har_entry(f"https://api.demoshop.com/v1/user?mobile={PHONE}",
                       req_headers=[(":authority", "api.demoshop.com"), (":method", "GET"),
                                    (":path", f"/v1/user?mobile={PHONE}"), (":scheme", "https"),
                                    ("accept", "application/json, text/plain, */*"), ("user-agent", UA)],
                       resp_headers=[("content-type", "application/json")],
                       content={"size": 2, "mimeType": "application/json", "text": "{}"})
        h2["request"]["httpVersion"] = "http/2.0"
        h2["response"]["httpVersion"] = "http/2.0"
        blocked = har_entry("http://ad.example-union.cn/show.js", _error="net::ERR_BLOCKED_BY_CLIENT")
        blocked["response"].update({"status": 0, "statusText": "", "httpVersion": ""})
        path = tmp_path / "h2.har"
        path.write_text(json.dumps(har([h2, blocked])), "utf-8")
        proc, report = scan(tmp_path, path)
        assert "Traceback" not in proc.stderr
        assert not report["errors"], report["errors"]
        assert findings_of(report, "DH002", "phone")
        assert report["inputs"][0]["records"] == 2

    def test_fiddler_har_with_pages_and_utc_times(self, tmp_path):
        entry = har_entry("http://api.demoshop.cn/v1/login", "POST", started="2024-11-25T02:12:33.1234567Z",
                          req_headers=[("Content-Type", "application/json")],
                          post={"mimeType": "application/json", "text": json.dumps({"email": "li.si@example.com.cn", "password": "Zs@123456"})},
                          pageref="page_1", comment="")
        doc = har([entry], creator="Fiddler", version="5.0.20204.45441")
        doc["log"]["pages"] = [{"startedDateTime": "2024-11-25T02:12:30.000Z", "id": "page_1", "title": "登录", "pageTimings": {}}]
        path = tmp_path / "fiddler.har"
        path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        proc, report = scan(tmp_path, path)
        assert not report["errors"], report["errors"]
        assert findings_of(report, "DH004", "password") and findings_of(report, "DH001", "email")

    def test_unencoded_chinese_in_url(self, tmp_path):
        entry = har_entry(f"http://api.demoshop.cn/v1/search?q=手机&mobile={PHONE}")
        path = tmp_path / "cn.har"
        path.write_text(json.dumps(har([entry]), ensure_ascii=False), "utf-8")
        proc, report = scan(tmp_path, path)
        assert not report["errors"], report["errors"]
        assert findings_of(report, "DH002", "phone")

    def test_har_entry_without_request_keeps_the_rest(self, tmp_path):
        good = har_entry(f"http://api.demoshop.cn/v1/user?mobile={PHONE}")
        bad = {"startedDateTime": "2024-11-25T10:12:33.123+08:00", "time": 1, "response": good["response"]}
        path = tmp_path / "partial.har"
        path.write_text(json.dumps(har([good, bad])), "utf-8")
        proc, report = scan(tmp_path, path)
        assert "Traceback" not in proc.stderr
        assert findings_of(report, "DH002", "phone")
        assert len(report["errors"]) <= 1 and all("partial.har" in e["input"] for e in report["errors"])

    def test_html_file_named_har_is_scanned_as_html(self, tmp_path):
        path = tmp_path / "page.har"
        path.write_text('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>首页</title></head>'
                        '<body><p>欢迎</p></body></html>', "utf-8")
        proc, report = scan(tmp_path, path)
        assert not report["errors"], report["errors"]
        assert report["inputs"][0]["kind"] == "html"

    def test_missing_path_exits_2_without_traceback(self, tmp_path):
        proc, report = scan(tmp_path, tmp_path / "nope.har")
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr
        assert "nope.har" in proc.stderr + proc.stdout + json.dumps(report or {})


class TestThirdRound:
    def test_sentry_envelope_carries_no_email(self):
        dsn = "https://e3b0c44298fc1c149afbf4c8996fb924@o450123.ingest.sentry.io/5512345"
        envelope = "\n".join([
            json.dumps({"event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "dsn": dsn, "sent_at": "2024-11-25T02:12:33.123Z",
                        "sdk": {"name": "sentry.java.android", "version": "7.3.0"}}),
            json.dumps({"type": "event", "content_type": "application/json"}),
            json.dumps({"event_id": "9ec79c33ec9942ab8353589fcb2e04dc", "level": "error", "platform": "java",
                        "release": "com.demoshop.app@3.2.1+321",
                        "exception": {"values": [{"type": "NullPointerException", "value": "Attempt to invoke virtual method"}]},
                        "contexts": {"device": {"model": "22081212C", "manufacturer": "Xiaomi"}}}),
        ])
        flow = make_flow("POST", "https://o450123.ingest.sentry.io/api/5512345/envelope/", body=envelope, headers={
            "Content-Type": "application/x-sentry-envelope",
            "X-Sentry-Auth": "Sentry sentry_version=7, sentry_client=sentry.java.android/7.3.0, sentry_key=e3b0c44298fc1c149afbf4c8996fb924"})
        assert not by_type(run(["DH007", "DH009"], flow, app=app()), "email")

    def test_button_formaction_over_http(self):
        html = ('<html><body><form action="/login" method="post"><input name="username"><input type="password" name="password">'
                '<button type="submit" formaction="http://passport.demoshop.com/login">登录</button></form></body></html>')
        assert len(run("DH003", page_flow("https://www.demoshop.com/login", html))) == 1

    @pytest.mark.parametrize("url", [
        "https://sdk.open.phone.igexin.com/api.php",
        "https://fp-it.fengkongcloud.com/deviceprofile/v4",
        "https://fp.tongdun.net/android3_8/profile.json",
        "https://mobads.baidu.com/cpro/ui/mads.php",
        "https://mobilegw.alipay.com/mgw.htm",
        "https://gateway.95516.com/gateway/api/appTransReq.do",
        "https://graph.qq.com/user/get_user_info",
        "https://api.growingio.com/v3/projects/91eaf9b283361032/collect",
        "https://register.xmpush.xiaomi.com/pass/v2/register",
    ])
    def test_more_chinese_sdks(self, url):
        assert len(run("DH010", make_flow("POST", url))) == 1

    def test_chrome_har_with_content_encoding_and_decoded_text(self, tmp_path):
        # Chrome keeps the content-encoding header but stores the decoded text
        body = json.dumps({"data": {"realName": "张三", "idCard": ID_CARD}}, ensure_ascii=False)
        entry = har_entry("https://api.demoshop.com/v1/user/realname",
                          resp_headers=[("content-type", "application/json;charset=UTF-8"), ("content-encoding", "br")],
                          content={"size": len(body.encode()), "mimeType": "application/json", "text": body, "compression": 312})
        path = tmp_path / "br.har"
        path.write_text(json.dumps(har([entry]), ensure_ascii=False), "utf-8")
        proc, report = scan(tmp_path, path)
        assert findings_of(report, "DH006", "id_card")

    def test_location_placeholders_are_silent(self):
        flow = http_post_json("http://api.demoshop.cn/v1/nearby", {"lat": "4.9E-324", "lng": "4.9E-324", "latitude": 0.0, "longitude": 0.0})
        assert not run("DH001", flow)

    def test_cert_fingerprint_and_business_numbers_are_silent(self):
        flows = [
            http_post_json("http://risk.demoshop.cn/v1/check", {
                "certSha1": "AB:CD:EF:12:34:56:78:90:AB:CD:EF:12:34:56:78:90:AB:CD:EF:12", "pkg": "com.demoshop.app"}),
            make_flow("GET", "http://api.demoshop.cn/v1/about", response_json={
                "serviceHotline": "400-820-8820", "bankHotline": "95588", "creditCode": "91110000802100433B"}),
            make_flow("GET", "http://api.demoshop.cn/v1/jsonp?callback=jQuery1124012345678901234567_1732512345678&_=1732512345679"),
            make_flow("GET", "http://api.demoshop.cn/v1/home", response_json={
                "logo": "https://img.demoshop-cdn.net/logo@2x.png", "icon": "/static/avatar@3x.webp"}),
        ]
        assert not run(["DH001", "DH002"], flows)

    def test_snowflake_ids_outside_card_ranges(self):
        def luhn_valid(prefix):
            base = prefix + "1234567890123456789"[: 18 - len(prefix)]
            return base + luhn.calc_check_digit(base)
        ids = {"id": luhn_valid("18"), "authorId": luhn_valid("17"), "aweme_id": luhn_valid("73")}
        assert all(luhn.is_valid(v) and len(v) == 19 for v in ids.values())
        flow = make_flow("GET", "http://api.demoshop.cn/v1/feed", response_json={"items": [ids]})
        assert not run(["DH001", "DH006"], flow)


class TestFourthRound:
    def test_gbk_form_canary(self):
        body = ("name=" + urllib.parse.quote("张三".encode("gbk")) + "&addr="
                + urllib.parse.quote("上海市浦东新区世纪大道100号".encode("gbk")) + "&submit=%CC%E1%BD%BB")
        flow = make_flow("POST", "http://www.demoshop.cn/member/address.php", body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=GBK"})
        assert {"name", "address"} <= canaries(run("DH001", flow, app=app()))

    def test_gbk_text_canary(self):
        flow = make_flow("POST", "http://www.demoshop.cn/feedback", headers={"Content-Type": "text/plain; charset=GBK"},
                         body="姓名：张三，地址：上海市浦东新区世纪大道100号".encode("gbk"))
        assert {"name", "address"} <= canaries(run("DH001", flow, app=app()))

    def test_json_unicode_escapes_canary(self):
        flow = make_flow("POST", "http://api.demoshop.cn/v1/address", headers={"Content-Type": "application/json"},
                         body=json.dumps({"consignee": "张三", "detail": "上海市浦东新区世纪大道100号"}))  # \\uXXXX escapes
        assert {"name", "address"} <= canaries(run("DH001", flow, app=app()))

    def test_base64_gzip_json_in_string_depth(self):
        blob = base64.b64encode(gzip.compress(json.dumps({"ext": json.dumps({"imei": IMEI})}).encode())).decode()
        flow = make_flow("POST", "http://log.demoshop.cn/up", body="data=" + urllib.parse.quote(blob),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert "imei" in types(run("DH001", flow))

    def test_xml_attributes(self):
        flow = make_flow("POST", "http://api.demoshop.cn/v1/dev", headers={"Content-Type": "application/xml"},
                         body=f'<req><device imei="{IMEI}" oaid="{OAID}"/></req>')
        assert {"imei", "advertising_id"} <= types(run("DH001", flow))

    def test_sdk_contacted_before_consent_without_data(self):
        flows = [make_flow("GET", "https://ulogs.umeng.com/unify_logs", timestamp=T0 - 10), consent_flow(T0)]
        assert {f.location.flow for f in run("DH009", flows, app=app())} == {0}

    def test_unknown_cdn_and_first_party_session_before_consent_are_fine(self):
        flows = [make_flow("GET", "https://img.some-cdn-vendor.cn/imgextra/i1/splash.jpg", timestamp=T0 - 20),
                 make_flow("GET", "https://api.demoshop.com/v1/config", timestamp=T0 - 10, headers={
                     "Authorization": f"Bearer {JWT}", "Cookie": "JSESSIONID=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E"}),
                 consent_flow(T0)]
        assert not run("DH009", flows, app=app())

    def test_same_persons_phone_repeated_in_order_list(self):
        flow = make_flow("GET", "https://api.demoshop.com/v1/orders", response_json={"orders": [
            {"orderNo": f"2024112500{i}", "receiver": "张三", "receiverPhone": PHONE} for i in range(3)]})
        assert not run("DH006", flow)

    def test_damaged_captures_in_folder_are_reported(self, tmp_path):
        folder = tmp_path / "capture"
        folder.mkdir()
        (folder / "good.har").write_text(json.dumps(har([har_entry(f"http://api.demoshop.cn/u?mobile={PHONE}")])), "utf-8")
        (folder / "phone-2.mitm").write_bytes(bytes(range(7, 256)) * 2)
        (folder / "empty.har").write_bytes(b"")
        (folder / "notes.txt").write_text("测试机：小米13，Android 13\n", "utf-8")
        proc, report = scan(tmp_path, folder)
        names = sorted(Path(e["input"]).name for e in report["errors"])
        assert names == ["empty.har", "phone-2.mitm"]

    def test_jsessionid_in_url_path(self):
        flow = make_flow("GET", "https://www.demoshop.com/cart/view.do;jsessionid=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E?itemId=10086")
        assert "credential" in types(run("DH002", flow))

    def test_canaries_and_secrets_in_https_url(self):
        flows = [make_flow("GET", "https://api.demoshop.com/v1/x?ph=" + hashlib.md5(b"13912345678").hexdigest()),
                 make_flow("GET", "https://api.demoshop.com/v1/login?username=zhangsan&password=Zs%40123456"),
                 make_flow("GET", "https://api.demoshop.com/v1/x?sid=8E1B2C3D4F5A6B7C8D9E0F1A2B3C4D5E")]
        found = run("DH002", flows, app=app())
        assert {(f.location.flow, f.evidence.data_type) for f in found} == {(0, "canary"), (1, "password"), (2, "credential")}
        assert {f.severity for f in found if f.location.flow in (1, 2)} == {Severity.HIGH}

"""DH001 cleartext-sensitive-data: positives and hard negatives."""
import base64
import gzip
import hashlib
import json
import urllib.parse

import pytest
from appaudit.scanner.model import Severity
from mitmproxy import websocket
from stdnum import luhn
from wsproto.frame_protocol import Opcode

from tests.fixtures.flows.cases import cases as flow_cases
from tests.fixtures.flows.cases import check_case as check_flow_case
from tests.helpers import (
    ANDROID_ID,
    CARD_UNIONPAY,
    CARD_VISA,
    GAID,
    ICCID,
    ID_CARD,
    ID_CARD_2,
    IDFA,
    IMEI,
    IMSI,
    MAC,
    MEID,
    OAID,
    PASSPORT,
    PHONE,
    PHONE_2,
    T0,
    UA,
    app_from_yaml,
    by_type,
    canaries,
    demo_app,
    flow_findings,
    form,
    http_post_json,
    make_flow,
    types,
)

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


@pytest.mark.parametrize("case", flow_cases("dh001"), ids=lambda c: c.name)
def test_flow_fixture_produces_exactly_the_expected_findings(case):
    check_flow_case(case, "DH001")


def dh001(*flows, app=None):
    return flow_findings("DH001", flows, app=app)


@pytest.mark.parametrize("flow,data_type,part,field", [
    (make_flow("POST", "http://api.shop.example.com/v1/login", json={"user": {"phone": "13912345678"}}),
     "phone", "request.body", "user.phone"),
    (make_flow("POST", "http://api.shop.example.com/v1/contact", json={"contact": "+44 20 7946 0958"}),
     "phone", "request.body", "contact"),
    (make_flow("POST", "http://api.shop.example.com/v1/profile", body="email=li.lei%40example.com&x=1",
               headers={"Content-Type": "application/x-www-form-urlencoded"}),
     "email", "request.body", "email"),
    (make_flow("GET", "http://api.shop.example.com/v1/me", response_json={"data": {"mobile": "13912345678"}}),
     "phone", "response.body", "data.mobile"),
    (make_flow("POST", "http://log.shop.example.com/c", body=gzip.compress(b'{"tel":"13912345678"}'),
               headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}),
     "phone", "request.body", "tel"),
])
def test_personal_data_over_http_fires(flow, data_type, part, field):
    findings = dh001(flow)
    assert [(f.evidence.data_type, f.location.part, f.location.field) for f in findings] == [(data_type, part, field)]
    finding = findings[0]
    assert finding.check == "DH001" and finding.severity is Severity.HIGH
    assert finding.location.flow == 0 and finding.location.url == flow.request.pretty_url


def test_id_card_over_http_is_critical():
    flow = make_flow("POST", "http://api.shop.example.com/v1/realname", json={"idcard": "11010519491231002X"})
    [finding] = dh001(flow)
    assert finding.evidence.data_type == "id_card" and finding.severity is Severity.CRITICAL


def test_websocket_over_ws_counts_as_cleartext():
    flow = make_flow("GET", "ws://push.shop.example.com/socket", json={"phone": "13912345678"})
    assert [f.evidence.data_type for f in dh001(flow)] == ["phone"]


def test_canary_is_found_over_http():
    app = app_from_yaml('canaries:\n  name: "张三"\n')
    flow = make_flow("POST", "http://api.shop.example.com/v1/order", json={"receiver": "张三"})
    [finding] = dh001(flow, app=app)
    assert finding.evidence.data_type == "canary" and finding.evidence.canary == "name"


@pytest.mark.parametrize("flow", [
    # The same data over HTTPS is DH001's negative (other checks judge HTTPS).
    make_flow("POST", "https://api.shop.example.com/v1/login", json={"user": {"phone": "13912345678"}}),
    make_flow("GET", "wss://push.shop.example.com/socket", json={"phone": "13912345678"}),
    # Over HTTP, but nothing personal: order numbers, timestamps, prices, versions, masked values.
    make_flow("POST", "http://api.shop.example.com/v1/order", json={
        "order_no": "20231122153012345678", "ts": 1700000000123, "price": "13800.00", "version": "10.2.13",
        "phone": "139****5678", "id_card": "110101********1234", "count": 12345678901,
        "trace_id": "5f0c7a3e-2b1d-4c9e-8f6a-0d1e2f3a4b5c"}),
    make_flow("GET", "http://cdn.shop.example.com/img/banner.png", response_body=b"\x89PNG\r\n\x1a\n" + b"\0" * 50,
              response_headers={"Content-Type": "image/png"}),
])
def test_hard_negatives_stay_silent(flow):
    assert dh001(flow) == []


def test_same_value_in_same_field_is_one_finding():
    flow = make_flow("POST", "http://api.shop.example.com/v1/a", json={"phone": "13912345678"})
    findings = flow_findings("DH001", [flow], input="x.mitm")
    assert len(findings) == 1


def test_phone_in_nested_json_array():
    flow = http_post_json("http://api.demoshop.cn/v2/address/save", {
        "code": 0, "data": {"addressList": [
            {"consignee": "王小明", "mobile": PHONE, "detail": "朝阳区建国路88号"},
        ]}})
    found = by_type(flow_findings("DH001", flow), "phone")
    assert len(found) == 1
    assert found[0].location.part == "request.body"
    assert found[0].location.field == "data.addressList[0].mobile"
    assert found[0].severity == Severity.HIGH


def test_phone_in_query_is_dh001_and_dh002():
    flow = make_flow("GET", f"http://m.demoshop.cn/api/sms/send?mobile={PHONE}&type=login&_=1732512345678")
    found = flow_findings(["DH001", "DH002"], flow)
    assert {(f.check, f.location.part, f.location.field) for f in by_type(found, "phone")} == {
        ("DH001", "request.url", "mobile"), ("DH002", "request.url", "mobile")}


def test_international_phone_e164_in_form():
    flow = form("http://api.example.com/v1/register", {"country_code": "1", "tel": "+14155552671", "lang": "en"})
    assert by_type(flow_findings("DH001", flow), "phone")


def test_uk_national_number_form():
    flow = form("http://api.example.co.uk/account", {"phone": "+44 7911 123456"})
    assert by_type(flow_findings("DH001", flow), "phone")


def test_email_url_encoded_in_cookie():
    flow = make_flow("GET", "http://www.demoshop.cn/cart", headers={
        "Cookie": "lang=zh-CN; user_email=zhangsan%40example.com; cna=Ax8VHQx1ZnYCAXjHh2XK0Zq5"})
    found = by_type(flow_findings("DH001", flow), "email")
    assert found and found[0].location.part == "request.cookies"


def test_imei_in_custom_header():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/config", headers={
        "User-Agent": UA, "X-Device-Imei": IMEI})
    found = by_type(flow_findings("DH001", flow), "imei")
    assert found and found[0].location.part == "request.headers"


def test_id_card_in_form_is_critical():
    flow = form("http://api.demoshop.cn/v1/realname/verify", {"realName": "张三", "idCard": ID_CARD})
    found = by_type(flow_findings("DH001", flow), "id_card")
    assert found and found[0].severity == Severity.CRITICAL
    assert found[0].location.field == "idCard"


def test_id_card_in_multipart():
    boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n张三\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"id_no\"\r\n\r\n{ID_CARD_2}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"front\"; filename=\"front.jpg\"\r\n"
        f"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0JFIF\r\n"
        f"--{boundary}--\r\n").encode("utf-8", "surrogateescape")
    flow = make_flow("POST", "http://kyc.demoshop.cn/upload", body=body,
                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    found = by_type(flow_findings("DH001", flow), "id_card")
    assert found and found[0].location.part == "request.body"


def test_bank_card_in_xml_is_critical():
    xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><appid>wx2421b1c4370ec43b</appid>"
           f"<bank_card_no>{CARD_UNIONPAY}</bank_card_no><true_name>张三</true_name>"
           "<nonce_str>5K8264ILTKCH16CQ2502SI8ZNMTM67VS</nonce_str></xml>")
    flow = make_flow("POST", "http://pay.demoshop.cn/bindcard", body=xml, headers={"Content-Type": "text/xml"})
    found = by_type(flow_findings("DH001", flow), "bank_card")
    assert found and found[0].severity == Severity.CRITICAL


def test_visa_card_in_json():
    flow = http_post_json("http://pay.example.com/v1/cards", {"card": {"number": CARD_VISA, "exp": "12/27"}})
    assert by_type(flow_findings("DH001", flow), "bank_card")


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
def test_device_and_document_ids_by_key(key, value, data_type):
    flow = http_post_json("http://log.demoshop.cn/v1/device/report", {
        "header": {"app_key": "5f8e9a1b2c3d4e5f6a7b8c9d", "os": "Android", "os_version": "13"},
        "device": {key: value}})
    assert data_type in types(flow_findings("DH001", flow))


def test_pinyin_keys():
    flow = form("http://api.demoshop.cn/user/update", {"shoujihao": PHONE, "shenfenzheng": ID_CARD})
    assert {"phone", "id_card"} <= types(flow_findings("DH001", flow))


def test_location_sent_by_device():
    flow = http_post_json("http://api.demoshop.cn/v1/nearby", {"lat": 39.908823, "lng": 116.397470, "city": "北京"})
    assert "location" in types(flow_findings("DH001", flow))


def test_location_amap_style_query():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/stores?location=116.397470,39.908823&radius=3000")
    assert "location" in types(flow_findings("DH001", flow))


def test_password_in_login_form_is_one_critical_dh004_finding():
    # One secret, one finding: credentials are DH004's, not also DH001's.
    flow = form("http://passport.demoshop.cn/login", {"username": "zhangsan", "password": "Zs@123456", "captcha": "8K2M"})
    found = by_type(flow_findings(("DH001", "DH004"), flow), "password")
    assert [(f.check, f.severity) for f in found] == [("DH004", Severity.CRITICAL)]


def test_plain_text_body():
    flow = make_flow("POST", "http://feedback.demoshop.cn/submit", headers={"Content-Type": "text/plain; charset=utf-8"},
                     body=f"用户反馈：快递一直没到，请联系我，手机号：{PHONE}，谢谢")
    assert "phone" in types(flow_findings("DH001", flow))


def test_phone_in_response_body():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/user/profile",
                     response_json={"code": 0, "data": {"nickname": "小明", "mobile": PHONE}})
    found = by_type(flow_findings("DH001", flow), "phone")
    assert found and found[0].location.part == "response.body"


def test_one_finding_per_field():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/user/profile",
                     response_json={"mobile": PHONE, "contact": {"mobile": PHONE}})
    fields = sorted(f.location.field for f in by_type(flow_findings("DH001", [flow, flow]), "phone") if f.location.flow == 0)
    assert fields == ["contact.mobile", "mobile"]


def test_json_inside_string_field():
    inner = json.dumps({"$phone": PHONE, "$os": "Android"})
    flow = http_post_json("http://sa.demoshop.cn:8106/sa?project=production",
                          {"type": "track", "event": "Login", "properties": inner})
    assert "phone" in types(flow_findings("DH001", flow))


def test_base64_json_in_form_field_gzip_body():
    # an analytics SDK: data=<base64 JSON> in a form, whole body gzip-compressed
    events = [{"event": "$AppStart", "distinct_id": "u_10086", "lib": {"$lib": "Android"},
               "properties": {"$imei": IMEI, "$oaid": OAID, "$android_id": ANDROID_ID}}]
    payload = base64.b64encode(json.dumps(events).encode()).decode()
    body = gzip.compress(urllib.parse.urlencode({"data": payload, "gzip": "0"}).encode())
    flow = make_flow("POST", "http://track.analytics-demo.cn/sa", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip"})
    assert {"imei", "advertising_id", "android_id"} <= types(flow_findings("DH001", flow))


def test_url_encoded_json_in_form_field():
    blob = urllib.parse.quote(json.dumps({"imei": IMEI, "mac": MAC, "ts": 1732512345678}))
    flow = make_flow("POST", "http://hm.example-stat.cn/app.gif", body=f"v=1&e={blob}",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert {"imei", "mac_address"} <= types(flow_findings("DH001", flow))


def test_base64_urlsafe_json_in_query():
    blob = base64.urlsafe_b64encode(json.dumps({"phone": PHONE}).encode()).decode().rstrip("=")
    flow = make_flow("GET", f"http://px.example-ads.cn/t.gif?d={blob}")
    assert "phone" in types(flow_findings("DH001", flow))


def test_gzip_json_request():
    body = gzip.compress(json.dumps({"user": {"email": "li.si@example.com.cn"}}).encode())
    flow = make_flow("POST", "http://api.demoshop.cn/v1/sync", body=body, headers={
        "Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert "email" in types(flow_findings("DH001", flow))


def test_websocket_over_ws():
    flow = make_flow("GET", "http://im.demoshop.cn/ws", status=101, headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="},
        response_headers={"Upgrade": "websocket", "Connection": "Upgrade",
                          "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="})
    flow.websocket = websocket.WebSocketData(messages=[
        websocket.WebSocketMessage(Opcode.TEXT, True, json.dumps({"cmd": "bind", "mobile": PHONE}).encode(), T0 + 1),
        websocket.WebSocketMessage(Opcode.TEXT, False, b'{"cmd":"ack","code":0}', T0 + 1.1),
    ])
    assert "phone" in types(flow_findings("DH001", flow))


def test_websocket_over_wss_is_not_cleartext():
    flow = make_flow("GET", "https://im.demoshop.cn/ws", status=101, headers={"Upgrade": "websocket"})
    flow.websocket = websocket.WebSocketData(messages=[
        websocket.WebSocketMessage(Opcode.TEXT, True, json.dumps({"mobile": PHONE}).encode(), T0 + 1)])
    assert not flow_findings("DH001", flow)


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
def test_address_canary_in_every_encoding(encode):
    value = encode("上海市浦东新区世纪大道100号")
    flow = http_post_json("http://api.demoshop.cn/v1/order/create", {"receiver": {"addr": value}, "skuId": 10086})
    found = [f for f in flow_findings("DH001", flow, app=demo_app()) if f.evidence.data_type == "canary"]
    assert {f.evidence.canary for f in found} == {"address"}


def test_base64_urlsafe_canary():
    value = "上海市浦东新区世纪大道100号"
    std = base64.b64encode(value.encode()).decode()
    safe = base64.urlsafe_b64encode(value.encode()).decode()
    assert std != safe
    flow = make_flow("GET", f"http://px.example-ads.cn/c?a={safe}")
    assert "address" in canaries(flow_findings("DH001", flow, app=demo_app()))


def test_md5_phone_canary_in_header():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/home", headers={
        "X-Ph-Md5": hashlib.md5(b"13912345678").hexdigest()})
    found = [f for f in flow_findings("DH001", flow, app=demo_app()) if f.evidence.canary == "phone"]
    assert found and found[0].location.part == "request.headers"


def test_sha256_email_canary_upper_in_cookie():
    digest = hashlib.sha256(b"zs_test@163.com").hexdigest().upper()
    flow = make_flow("GET", "http://www.demoshop.cn/", headers={"Cookie": f"em={digest}; lang=zh"})
    assert "email" in canaries(flow_findings("DH001", flow, app=demo_app()))


def test_name_canary_url_encoded_in_path():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/search/user/%E5%BC%A0%E4%B8%89/orders")
    assert "name" in canaries(flow_findings("DH001", flow, app=demo_app()))


def test_canary_in_response():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/address/default",
                     response_json={"data": {"address": "上海市浦东新区世纪大道100号", "consignee": "张三"}})
    assert {"address", "name"} <= canaries(flow_findings("DH001", flow, app=demo_app()))


def test_other_address_is_not_canary():
    flow = http_post_json("http://api.demoshop.cn/v1/order/create", {"addr": "上海市浦东新区世纪大道1000号"})
    assert not canaries(flow_findings("DH001", flow, app=demo_app()))


def test_phone_with_country_code_and_spaces():
    flow = form("http://api.demoshop.cn/v1/contact", {"tel": "+86 138 0013 8000"})
    assert "phone" in types(flow_findings("DH001", flow))


def test_phone_as_json_number():
    flow = http_post_json("http://api.demoshop.cn/v1/bind", {"mobile": 13800138000, "areaCode": 86})
    assert "phone" in types(flow_findings("DH001", flow))


def test_hong_kong_mobile():
    flow = http_post_json("http://api.demoshop.hk/v1/register", {"phone": "+852 9123 4567"})
    assert "phone" in types(flow_findings("DH001", flow))


def test_id_card_lower_case_x():
    flow = form("http://api.demoshop.cn/v1/realname", {"cert_no": ID_CARD.lower()})
    assert "id_card" in types(flow_findings("DH001", flow))


def test_bank_card_typed_with_spaces_in_text():
    flow = http_post_json("http://kefu.demoshop.cn/v1/msg", {"content": "退款请打到我的卡 6228 4800 1234 5678 903 谢谢"})
    assert "bank_card" in types(flow_findings("DH001", flow))


def test_emails_in_json_string_array():
    flow = http_post_json("http://api.example.com/v1/invite", {"to": ["li.si@example.com.cn", "wang.wu@163.com"]})
    fields = {f.location.field for f in by_type(flow_findings("DH001", flow), "email")}
    assert fields == {"to[0]", "to[1]"}


def test_imei_under_did_key():
    assert "imei" in types(flow_findings("DH001", http_post_json("http://log.demoshop.cn/v1/a", {"did": IMEI, "ch": "huawei"})))


def test_adid_key():
    assert "advertising_id" in types(flow_findings("DH001", http_post_json("http://ad.demoshop.cn/v1/req", {"adid": GAID, "lmt": 0})))


def test_latitude_longitude_query():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/weather?latitude=31.230416&longitude=121.473701")
    assert "location" in types(flow_findings("DH001", flow))


def test_pinyin_password_key_with_md5_value():
    flow = form("http://api.demoshop.cn/v1/login", {"zhanghao": "zhangsan", "mima": hashlib.md5(b"Zs@123456").hexdigest()})
    assert "password" in types(flow_findings("DH004", flow))


def test_mac_and_iccid_in_plain_text_log():
    text = f"2024-11-25 10:12:33.123 I/NetInfo: wifi bssid={MAC.lower()} sim iccid {ICCID} state=READY"
    flow = make_flow("POST", "http://crash.demoshop.cn/upload/log", body=text, headers={"Content-Type": "text/plain"})
    assert {"mac_address", "iccid"} <= types(flow_findings("DH001", flow))


def test_passport_with_chinese_label_in_text():
    flow = make_flow("POST", "http://visa.trip-demo.cn/v1/note", headers={"Content-Type": "text/plain; charset=utf-8"},
                     body=f"申请人：张三\n护照号码：{PASSPORT}\n出行日期：2024-12-20")
    assert "passport" in types(flow_findings("DH001", flow))


def test_mtop_style_urlencoded_json_in_query():
    data = urllib.parse.quote(json.dumps({"mobile": PHONE, "bizCode": "login"}, separators=(",", ":")))
    flow = make_flow("GET", "https://h5api.m.demoshop.com/h5/mtop.user.sendcode/1.0/?jsv=2.6.1&appKey=12574478"
                            f"&t=1732512345678&sign=8f3b2a1c9d7e6f5a4b3c2d1e0f9a8b7c&api=mtop.user.sendcode&v=1.0&data={data}")
    found = flow_findings("DH002", flow)
    assert types(found) == {"phone"}


def test_growingio_style_event_batch():
    events = [{"t": "vst", "s": "6a1f3c2e-7b8d-4e9f-a0b1-c2d3e4f5a6b7", "tm": 1732512345678, "av": "3.2.1",
               "imei": IMEI, "oaid": OAID, "androidId": ANDROID_ID, "lat": 31.230416, "lng": 121.473701},
              {"t": "page", "p": "MainActivity", "tm": 1732512346000, "s": "6a1f3c2e-7b8d-4e9f-a0b1-c2d3e4f5a6b7"}]
    body = gzip.compress(json.dumps(events).encode())
    flow = make_flow("POST", "http://api.growingio.example.cn/v3/projects/91eaf9b283361032/collect?stm=1732512346001",
                     body=body, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert types(flow_findings("DH001", flow)) == {"imei", "advertising_id", "android_id", "location"}


def test_same_field_one_finding_even_with_two_values():
    flow = http_post_json("http://kefu.demoshop.cn/v1/msg", {"remark": f"电话{PHONE}，备用{PHONE_2}，再说一遍{PHONE}"})
    assert len(by_type(flow_findings("DH001", flow), "phone")) == 1


def test_repeated_form_key():
    flow = make_flow("POST", "http://api.demoshop.cn/v1/sms", body=f"mobile={PHONE}&mobile={PHONE}",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert len(by_type(flow_findings("DH001", flow), "phone")) == 1


def test_location_url_is_full_request_url():
    url = f"http://api.demoshop.cn/v1/sms/send?mobile={PHONE}&type=login"
    found = flow_findings("DH001", make_flow("GET", url))
    assert found and found[0].location.url == url and found[0].location.method == "GET"


def test_sha256_phone_in_gzip_body():
    body = gzip.compress(json.dumps({"u": {"ph": hashlib.sha256(b"13912345678").hexdigest()}}).encode())
    flow = make_flow("POST", "http://log.demoshop.cn/v1/e", body=body,
                     headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert "phone" in canaries(flow_findings("DH001", flow, app=demo_app()))


def test_canary_in_websocket_message():
    flow = make_flow("GET", "http://im.demoshop.cn/ws", status=101, headers={"Upgrade": "websocket"})
    flow.websocket = websocket.WebSocketData(messages=[websocket.WebSocketMessage(
        Opcode.TEXT, True, json.dumps({"cmd": "profile", "nick": "张三"}, ensure_ascii=False).encode(), T0 + 1)])
    assert "name" in canaries(flow_findings("DH001", flow, app=demo_app()))


def test_canary_in_xml():
    xml = "<?xml version='1.0' encoding='UTF-8'?><req><user><addr>上海市浦东新区世纪大道100号</addr></user></req>"
    flow = make_flow("POST", "http://api.demoshop.cn/v1/xml", body=xml, headers={"Content-Type": "application/xml; charset=utf-8"})
    assert "address" in canaries(flow_findings("DH001", flow, app=demo_app()))


def test_canary_in_response_header():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/me", response_headers={"X-User-Name": "%E5%BC%A0%E4%B8%89"})
    found = [f for f in flow_findings("DH001", flow, app=demo_app()) if f.evidence.canary == "name"]
    assert found and found[0].location.part == "response.headers"


def test_unrelated_md5_is_not_canary():
    flow = make_flow("GET", "http://api.demoshop.cn/v1/feed?sign=" + hashlib.md5(b"appKey=12574478&t=1732512345678").hexdigest())
    assert not flow_findings("DH001", flow, app=demo_app())


def test_location_placeholders_are_silent():
    flow = http_post_json("http://api.demoshop.cn/v1/nearby", {"lat": "4.9E-324", "lng": "4.9E-324", "latitude": 0.0, "longitude": 0.0})
    assert not flow_findings("DH001", flow)


def test_cert_fingerprint_and_business_numbers_are_silent():
    flows = [
        http_post_json("http://risk.demoshop.cn/v1/check", {
            "certSha1": "AB:CD:EF:12:34:56:78:90:AB:CD:EF:12:34:56:78:90:AB:CD:EF:12", "pkg": "com.demoshop.app"}),
        make_flow("GET", "http://api.demoshop.cn/v1/about", response_json={
            "serviceHotline": "400-820-8820", "bankHotline": "95588", "creditCode": "91110000802100433B"}),
        make_flow("GET", "http://api.demoshop.cn/v1/jsonp?callback=jQuery1124012345678901234567_1732512345678&_=1732512345679"),
        make_flow("GET", "http://api.demoshop.cn/v1/home", response_json={
            "logo": "https://img.demoshop-cdn.net/logo@2x.png", "icon": "/static/avatar@3x.webp"}),
    ]
    assert not flow_findings(["DH001", "DH002"], flows)


def test_snowflake_ids_outside_card_ranges():
    def luhn_valid(prefix):
        base = prefix + "1234567890123456789"[: 18 - len(prefix)]
        return base + luhn.calc_check_digit(base)
    ids = {"id": luhn_valid("18"), "authorId": luhn_valid("17"), "aweme_id": luhn_valid("73")}
    assert all(luhn.is_valid(v) and len(v) == 19 for v in ids.values())
    flow = make_flow("GET", "http://api.demoshop.cn/v1/feed", response_json={"items": [ids]})
    assert not flow_findings(["DH001", "DH006"], flow)


def test_gbk_form_canary():
    body = ("name=" + urllib.parse.quote("张三".encode("gbk")) + "&addr="
            + urllib.parse.quote("上海市浦东新区世纪大道100号".encode("gbk")) + "&submit=%CC%E1%BD%BB")
    flow = make_flow("POST", "http://www.demoshop.cn/member/address.php", body=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=GBK"})
    assert {"name", "address"} <= canaries(flow_findings("DH001", flow, app=demo_app()))


def test_gbk_text_canary():
    flow = make_flow("POST", "http://www.demoshop.cn/feedback", headers={"Content-Type": "text/plain; charset=GBK"},
                     body="姓名：张三，地址：上海市浦东新区世纪大道100号".encode("gbk"))
    assert {"name", "address"} <= canaries(flow_findings("DH001", flow, app=demo_app()))


def test_json_unicode_escapes_canary():
    flow = make_flow("POST", "http://api.demoshop.cn/v1/address", headers={"Content-Type": "application/json"},
                     body=json.dumps({"consignee": "张三", "detail": "上海市浦东新区世纪大道100号"}))  # \\uXXXX escapes
    assert {"name", "address"} <= canaries(flow_findings("DH001", flow, app=demo_app()))


def test_base64_gzip_json_in_string_depth():
    blob = base64.b64encode(gzip.compress(json.dumps({"ext": json.dumps({"imei": IMEI})}).encode())).decode()
    flow = make_flow("POST", "http://log.demoshop.cn/up", body="data=" + urllib.parse.quote(blob),
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "imei" in types(flow_findings("DH001", flow))


def test_xml_attributes():
    flow = make_flow("POST", "http://api.demoshop.cn/v1/dev", headers={"Content-Type": "application/xml"},
                     body=f'<req><device imei="{IMEI}" oaid="{OAID}"/></req>')
    assert {"imei", "advertising_id"} <= types(flow_findings("DH001", flow))

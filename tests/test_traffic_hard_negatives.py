"""Values that look personal but are not (order numbers, versions, prices, masked and
placeholder values, checksum failures): no data-handling check may flag them."""
from __future__ import annotations

import base64

from stdnum import luhn
from stdnum.cn import ric

from tests.helpers import CARD_BAD, ID_CARD_BAD, PASSPORT, flow_findings, form, http_post_json, make_flow

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501

PERSONAL_DATA_CHECKS = ["DH001", "DH002", "DH004", "DH006"]


def no_personal_data_finding(flow, **kw):
    found = flow_findings(PERSONAL_DATA_CHECKS, flow, **kw)
    assert not found, [(f.check, f.evidence.data_type, f.location.field, f.evidence.value) for f in found]


def test_order_numbers():
    order = "202411251234567890"
    assert not ric.is_valid(order) and not luhn.is_valid(order)
    no_personal_data_finding(make_flow("GET", f"http://api.demoshop.cn/v1/orders/{order}?tradeNo=4200002345202411251234567891",
                                       response_json={"orderNo": order, "payNo": "4200002345202411251234567891",
                                                      "status": "PAID", "totalFee": 13800}))


def test_timestamps():
    no_personal_data_finding(http_post_json("http://log.demoshop.cn/v1/event", {
        "ts": 1732512345678, "client_time": "1732512345678", "t": 1732512345, "serverTime": "1732512345"}))


def test_trace_ids_and_plain_uuids():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/home", headers={
        "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "X-B3-TraceId": "463ac35c9f6413ad48485a3953bb6124", "X-B3-SpanId": "a2fb4a1d1a96d312",
        "X-Request-Id": "f47ac10b-58cc-4372-a567-0e02b2c3d479"},
        response_json={"requestId": "9b2c6f0e-7d4a-4e51-8a3c-2f1d0e9b8a76", "span_id": "b7ad6b7169203331",
                       "cartId": "3d1f2b4c-5a6e-4f70-9b81-a2c3d4e5f607"}))


def test_invalid_phone_numbers_in_phone_fields():
    no_personal_data_finding(form("http://api.demoshop.cn/v1/sms", {"mobile": "12345678901", "tel": "10086", "phone": "138001380"}))


def test_id_with_wrong_checksum():
    no_personal_data_finding(form("http://api.demoshop.cn/v1/realname", {"idCard": ID_CARD_BAD}))


def test_card_failing_luhn():
    no_personal_data_finding(http_post_json("http://pay.demoshop.cn/bind", {"cardNo": CARD_BAD, "bankName": "中国农业银行"}))


def test_versions_and_prices():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/upgrade?app_version=13.8.0.1380&os_version=13&build=138001",
                                       response_json={"latest": "13.8.1", "sdk_ver": "6.3.0.13800", "price": "138.00",
                                                      "originalPrice": 13800138.00, "sales": 13800, "skuId": 100012345678}))


def test_masked_values():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/user/profile", response_json={
        "mobile": "138****5678", "idCard": "110101********1234", "bankCard": "6228 **** **** 8903",
        "bankCard2": "622848******8903", "idNo": "4403**********1236", "email": "zha***@163.com"}))


def test_masked_email_with_mask_inside_local_part():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/user/profile", response_json={
        "email": "z***n@example.com", "bindEmail": "l****i@qq.com"}))


def test_sentry_dsn_is_not_an_email():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/config", response_json={
        "sentry_dsn": "https://e3b0c44298fc1c149afbf4c8996fb924@o450123.ingest.sentry.io/5512345",
        "ftp": "ftp://anonymous@ftp.demoshop.cn/pub/"}))


def test_shop_coordinates_in_catalogue_response():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/stores?city=110100", response_json={"stores": [
        {"name": "朝阳大悦城店", "lat": 39.924563, "lng": 116.518512, "distance": 1200},
        {"name": "国贸店", "lat": 39.909263, "lng": 116.461296, "distance": 3400}]}))


def test_seller_ids_in_image_urls():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/item/detail", response_json={
        "images": ["http://img.alicdn.com/imgextra/i4/2208857268871/O1CN01xYzAbC1Xk2R3s4t5u_!!2208857268871.jpg",
                   "http://gw.alicdn.com/bao/uploaded/i1/13800138000123/O1CN01AbC.jpg_300x300.jpg"],
        "barcode": "6901234567892"}))


def test_span_id_is_not_android_id():
    no_personal_data_finding(http_post_json("http://apm.demoshop.cn/v1/spans", {"spans": [
        {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "GET /home"}]}))


def test_placeholder_device_ids():
    # what Android / iOS hand out when the app may not read the real value
    no_personal_data_finding(http_post_json("http://log.demoshop.cn/v1/device", {
        "mac": "02:00:00:00:00:00", "idfa": "00000000-0000-0000-0000-000000000000",
        "oaid": "00000000-0000-0000-0000-000000000000"}))


def test_placeholder_values_for_ids():
    no_personal_data_finding(http_post_json("http://log.demoshop.cn/v1/device", {
        "imei": "", "android_id": "unknown", "oaid": "null", "imsi": "", "mac": "", "idfa": "undefined"}))


def test_emulator_imei_of_zeros():
    no_personal_data_finding(http_post_json("http://log.demoshop.cn/v1/device", {"imei": "000000000000000", "meid": "00000000000000"}))


def test_password_policy_config():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/register/config", response_json={
        "password_min_length": 8, "passwordMaxLength": 20, "needPassword": True, "hasPayPwd": False,
        "pwdStrength": "weak", "token_type": "bearer", "tokenExpire": 7200, "show_password_toggle": 1}))


def test_bearer_null_before_login():
    no_personal_data_finding(make_flow("GET", "http://api.demoshop.cn/v1/home", headers={"Authorization": "Bearer null"}))


def test_order_number_in_text():
    no_personal_data_finding(make_flow("POST", "http://kefu.demoshop.cn/v1/msg", headers={"Content-Type": "text/plain; charset=utf-8"},
                                       body="您好，订单号：202411251234567890，运单号：SF1400123456789，请尽快发货"))


def test_passport_like_code_without_context():
    no_personal_data_finding(http_post_json("http://api.demoshop.cn/v1/coupon/redeem", {"couponCode": PASSPORT, "skuId": "E10086"}))


def test_base64_image_upload():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8).decode()
    no_personal_data_finding(http_post_json("http://api.demoshop.cn/v1/avatar", {"image": f"data:image/png;base64,{png}"}))


def test_jd_style_sku_in_path():
    no_personal_data_finding(make_flow("GET", "http://item.demoshop.cn/100012345678.html?bbtf=1"))

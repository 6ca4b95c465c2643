#!/usr/bin/env python3
"""Write the bundled demo session of "Demo Shop", a fictional Android shopping app.

This script is the source of truth for examples/demo-session/: the mitmproxy flow file
(``session.mitm``), the same session as HAR 1.2 through mitmproxy's own HAR export
(``session.har``), saved pages (``pages/``), one ``uiautomator dump`` (``ui/splash.xml``)
and the app description (``app.yaml``). Flow ids, connection ids, timestamps and gzip
bodies are fixed, so two runs write the same bytes with the same mitmproxy and zlib
(both files record mitmproxy's version).

Everything is fictional: the device identifiers, the test account, the ID card and bank
card numbers (computed to be checksum-valid, so that validating detectors accept them),
the non-vendor domains, and the IP addresses (documentation ranges, RFC 5737). The SDK
hosts and paths are the vendors' public endpoints; their payloads are simplified to
readable JSON/form bodies (the real SDKs mostly encrypt them).

    python examples/demo-session/make_demo.py [OUTPUT_FOLDER]

README.md next to this file tells the story and lists the findings each part is for.
"""
from __future__ import annotations

import base64
import email.utils
import gzip
import hashlib
import json
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from mitmproxy import connection, http, io
from mitmproxy.addons.savehar import SaveHar
from stdnum import luhn
from stdnum.cn import ric

HERE = Path(__file__).resolve().parent
CHINA_TIME = timezone(timedelta(hours=8))
SESSION_START = datetime(2026, 11, 22, 9, 58, tzinfo=CHINA_TIME).timestamp()
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://demoshop.com/demo-session")


def resident_id(first17: str) -> str:
    """A PRC resident ID number with its GB 11643 check digit (stdnum wants a placeholder)."""
    return first17 + ric.calc_check_digit(first17 + "0")


def luhn_completed(prefix: str) -> str:
    return prefix + luhn.calc_check_digit(prefix)


def fixed_id(name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, name))


# The test phone.
ANDROID_ID = "a3f5c2e81b7d4096"
OAID = "5c2f8e1a-7b3d-4c6e-9f01-2a4b6c8d0e13"
IMEI = luhn_completed("86891203123456")
MAC = "3c:28:6d:4a:9e:17"
LATITUDE, LONGITUDE = 39.909214, 116.461873  # next to the test account's address
APP_USER_AGENT = "okhttp/4.12.0 DemoShop/5.2.0 (Android 14; Pixel 7)"
WEBVIEW_USER_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/UQ1A.240205.004; wv) "
                      "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 "
                      "Mobile Safari/537.36 DemoShop/5.2.0")

# The test account; app.yaml declares phone, name and address as canaries.
PHONE = "13912345678"
MASKED_PHONE = f"{PHONE[:3]}****{PHONE[-4:]}"
NAME = "张三"
ADDRESS = "北京市朝阳区建国路88号"
PASSWORD = "Demo#2026pass"
ID_CARD = resident_id("11010519900307123")  # Chaoyang district, born 1990-03-07
MASKED_ID_CARD = f"{ID_CARD[:6]}********{ID_CARD[-4:]}"
BANK_CARD = luhn_completed("622202100012345678")  # 19 digits, UnionPay range 62
MASKED_BANK_CARD = f"{BANK_CARD[:4]} **** **** {BANK_CARD[-4:]}"
SESSION_COOKIE = "7f3a9c2e5b8d41f6a0c3e7b9d2f4a6c8"
ORDER_NO = "20261122100512345678"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


BEARER_TOKEN = ".".join((
    _b64url(b'{"alg":"HS256","typ":"JWT"}'),
    _b64url(b'{"uid":100861,"exp":1795917480}'),
    _b64url(hashlib.sha256(b"demo-session-signature").digest()),
))

ICP_NUMBER = "京ICP备12345678号-1"


# --------------------------------------------------------------------------------------
# Building flows
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Upstream:
    """A server the phone talks to: its address and, for https, the TLS version it negotiates."""

    ip: str
    tls_version: str = "TLSv1.3"


SERVERS = {
    "api.demoshop.com": Upstream(ip="203.0.113.10"),
    "m.demoshop.com": Upstream(ip="203.0.113.11"),
    "log.demoshop.com": Upstream(ip="203.0.113.12"),
    "legacy.demoshop.com": Upstream(ip="203.0.113.20"),
    "search.demoshop.com": Upstream(ip="203.0.113.21"),
    "pay-legacy.demoshop.com": Upstream(ip="203.0.113.30", tls_version="TLSv1"),
    "img.demoshop-cdn.net": Upstream(ip="198.51.100.40"),
    "static.demoshop-cdn.net": Upstream(ip="198.51.100.41"),
    "ulogs.umeng.com": Upstream(ip="192.0.2.50"),
    "stats.jpush.cn": Upstream(ip="192.0.2.60"),
    "api-access.pangolin-sdk-toutiao.com": Upstream(ip="192.0.2.70"),
    "tdcv3.talkingdata.net": Upstream(ip="192.0.2.80"),
    "android.bugly.qq.com": Upstream(ip="192.0.2.90", tls_version="TLSv1.2"),
}
PHONE_IP = "192.168.31.23"
PROXY_ADDRESS = ("192.168.31.2", 8080)
CIPHERS = {"TLSv1.3": "TLS_AES_128_GCM_SHA256", "TLSv1.2": "ECDHE-RSA-AES128-GCM-SHA256",
           "TLSv1": "ECDHE-RSA-AES128-SHA"}


class SessionRecorder:
    """The flows of one session, in order. Each origin gets one client and one server
    connection that its flows share, as a phone with keep-alive behind mitmproxy would."""

    def __init__(self) -> None:
        self.flows: list[http.HTTPFlow] = []
        self._connections: dict[str, tuple[connection.Client, connection.Server]] = {}

    def exchange(self, at: float, method: str, url: str, *, headers: list[tuple[str, str]],
                 body: bytes = b"", status: int = 200,
                 response_headers: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
                 response_body: bytes = b"") -> None:
        """Record one request/response ``at`` seconds into the session. A body is given
        decoded; a Content-Encoding header in the headers makes mitmproxy compress it."""
        start = SESSION_START + at
        parts = urlsplit(url)
        client, server = self._connection(parts.scheme, parts.hostname, start)
        flow = http.HTTPFlow(client, server)
        flow.id = fixed_id(f"flow-{len(self.flows)}")
        flow.timestamp_created = start
        flow.request = http.Request.make(method, url, body, header_block([("Host", parts.netloc)] + headers))
        flow.request.timestamp_start, flow.request.timestamp_end = start, start + 0.02
        flow.response = http.Response.make(status, response_body, header_block(
            [("Date", email.utils.formatdate(start, usegmt=True))] + list(response_headers)))
        flow.response.timestamp_start, flow.response.timestamp_end = start + 0.12, start + 0.15
        self.flows.append(flow)

    def _connection(self, scheme: str, host: str, start: float) -> tuple[connection.Client, connection.Server]:
        origin = f"{scheme}://{host}"
        if origin not in self._connections:
            number = len(self._connections)
            upstream = SERVERS[host]
            encrypted = scheme == "https"
            port = 443 if encrypted else 80
            client = connection.Client(
                id=fixed_id(f"client-{origin}"),
                peername=(PHONE_IP, 40100 + number), sockname=PROXY_ADDRESS,
                timestamp_start=start - 0.3, timestamp_end=start + 120.0,
                timestamp_tls_setup=start - 0.2 if encrypted else None,
                tls=encrypted, tls_version="TLSv1.3" if encrypted else None,
                cipher=CIPHERS["TLSv1.3"] if encrypted else None,
                sni=host if encrypted else None, alpn=b"http/1.1" if encrypted else None,
            )
            server = connection.Server(
                id=fixed_id(f"server-{origin}"),
                address=(host, port), peername=(upstream.ip, port),
                sockname=(PROXY_ADDRESS[0], 50100 + number),
                timestamp_start=start - 0.28, timestamp_tcp_setup=start - 0.25,
                timestamp_tls_setup=start - 0.21 if encrypted else None,
                timestamp_end=start + 120.0,
                tls=encrypted, tls_version=upstream.tls_version if encrypted else None,
                cipher=CIPHERS[upstream.tls_version] if encrypted else None,
                sni=host if encrypted else None, alpn=b"http/1.1" if encrypted else None,
            )
            self._connections[origin] = (client, server)
        return self._connections[origin]


def header_block(pairs: list[tuple[str, str]]) -> http.Headers:
    return http.Headers([(name.encode(), value.encode()) for name, value in pairs])


def json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def app_headers(flow_name: str, *, consented: bool = False, logged_in: bool = False,
                content_type: str | None = None, gzip_body: bool = False) -> list[tuple[str, str]]:
    """The native app's headers to its own API: a UUID request id always; the device id
    only after consent; the bearer token and session cookie once logged in."""
    headers = [("User-Agent", APP_USER_AGENT), ("Accept", "application/json"),
               ("Accept-Encoding", "gzip"), ("X-App-Version", "5.2.0"),
               ("X-Request-Id", fixed_id(f"request-{flow_name}"))]
    if consented:
        headers.append(("X-Device-Id", ANDROID_ID))
    if logged_in:
        headers += [("Authorization", f"Bearer {BEARER_TOKEN}"), ("Cookie", f"SESSIONID={SESSION_COOKIE}")]
    if content_type:
        headers.append(("Content-Type", content_type))
    if gzip_body:
        headers.append(("Content-Encoding", "gzip"))
    return headers


def sdk_headers(content_type: str, *extra: tuple[str, str], gzip_body: bool = False) -> list[tuple[str, str]]:
    headers = [("User-Agent", "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 7 Build/UQ1A.240205.004)"),
               ("Content-Type", content_type), ("Accept-Encoding", "gzip"), *extra]
    if gzip_body:
        headers.append(("Content-Encoding", "gzip"))
    return headers


def webview_headers(accept: str, *, referer: str | None = None) -> list[tuple[str, str]]:
    headers = [("User-Agent", WEBVIEW_USER_AGENT), ("Accept", accept),
               ("Accept-Encoding", "gzip, deflate"), ("Accept-Language", "zh-CN,zh;q=0.9"),
               ("X-Requested-With", "com.demoshop.app")]
    if referer:
        headers.append(("Referer", referer))
    return headers


def api_response(flow_name: str, data: object, *, compress: bool = True,
                 extra: tuple[tuple[str, str], ...] | list[tuple[str, str]] = ()) -> dict:
    """A first-party JSON answer in the API's envelope, with a trace id header."""
    headers = [("Server", "Tengine"), ("Content-Type", "application/json;charset=UTF-8"),
               ("X-Trace-Id", hashlib.sha1(flow_name.encode()).hexdigest()[:24]), *extra]
    if compress:
        headers.append(("Content-Encoding", "gzip"))
    return {"response_headers": headers,
            "response_body": json_bytes({"code": 0, "msg": "ok", "data": data})}


def sdk_response(body: object, *extra: tuple[str, str]) -> dict:
    return {"response_headers": [("Server", "nginx"), ("Content-Type", "application/json"), *extra],
            "response_body": json_bytes(body)}


def static_response(content_type: str, body: bytes, *, compress: bool = False) -> dict:
    headers = [("Server", "Tengine"), ("Content-Type", content_type),
               ("Cache-Control", "public, max-age=2592000"), ("ETag", f'"{hashlib.md5(body).hexdigest()}"')]
    if compress:
        headers.append(("Content-Encoding", "gzip"))
    return {"response_headers": headers, "response_body": body}


def image_bytes(kind: str, name: str) -> bytes:
    """A small stand-in image: the format's magic bytes and deterministic filler."""
    filler = b"".join(hashlib.sha256(f"{name}-{i}".encode()).digest() for i in range(12))
    if kind == "jpeg":
        return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + filler + b"\xff\xd9"
    if kind == "png":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + filler
    return b"RIFF" + (len(filler) + 4).to_bytes(4, "little") + b"WEBPVP8 " + filler


def encrypted_stand_in(name: str, size: int) -> bytes:
    """Opaque bytes for an SDK payload that is encrypted on the wire."""
    out = b""
    while len(out) < size:
        out += hashlib.sha256(f"{name}-{len(out)}".encode()).digest()
    return out[:size]


# --------------------------------------------------------------------------------------
# The SDK payloads (shapes simplified from what the SDKs send)
# --------------------------------------------------------------------------------------

UMENG_APPKEY = "6571a3f0b2f6fa00ba8c1d2e"
PANGLE_APP_ID = "5001121"


def umeng_log(event: str, at: float, *, with_location: bool = False) -> bytes:
    header = {
        "appkey": UMENG_APPKEY, "channel": "huawei", "package_name": "com.demoshop.app",
        "app_version": "5.2.0", "version_code": 5200, "sdk_type": "Android", "sdk_version": "9.6.8",
        "os": "Android", "os_version": "14", "device_model": "Pixel 7", "device_brand": "google",
        "resolution": "2340*1080", "timezone": 8, "locale": "zh_CN", "access": "wifi",
        "android_id": ANDROID_ID, "oaid": OAID,
    }
    if with_location:
        header.update(latitude=f"{LATITUDE:.6f}", longitude=f"{LONGITUDE:.6f}", loc_time=int((SESSION_START + at) * 1000))
    event_time = int((SESSION_START + at) * 1000)
    return json_bytes({
        "header": header,
        "analytics": {"ekv": [{"id": event, "ts": event_time, "du": 0}],
                      "sessions": [{"id": fixed_id("umeng-session").replace("-", ""),
                                    "start_time": int(SESSION_START * 1000)}]},
    })


def jpush_report(kind: str, at: float) -> bytes:
    return json_bytes({"platform": "a", "sdk_ver": "5.4.0", "appkey": "d8e2f41a9b3c5e7f60a1b2c3",
                       "type": kind, "android_id": ANDROID_ID, "os_ver": "14", "model": "Pixel 7",
                       "itime": int(SESSION_START + at)})


def pangle_device() -> dict:
    return {"android_id": ANDROID_ID, "oaid": OAID, "os": "Android", "os_version": "14",
            "vendor": "Google", "model": "Pixel 7", "conn_type": 4, "screen_width": 1080,
            "screen_height": 2340, "language": "zh"}


def talkingdata_form(at: float) -> bytes:
    """TalkingData-style collection: JSON, gzip-compressed, base64-encoded, in a form field."""
    payload = json_bytes({
        "appKey": "E5A2F0C97D8B4C1E9A3B6D0F2C4E8A71", "sdkVersion": "4.0.71", "platform": "Android",
        "ts": int((SESSION_START + at) * 1000),
        "device": {"imei": IMEI, "oaid": OAID, "mac": MAC, "model": "Pixel 7", "osVersion": "14"},
        "location": {"lat": LATITUDE, "lng": LONGITUDE, "accuracy": 25.0},
        "events": [{"name": "app_foreground", "count": 1}],
    })
    wrapped = base64.b64encode(gzip.compress(payload, mtime=0)).decode()
    return urlencode({"data": wrapped, "v": "2", "c": "gzip"}).encode()


# --------------------------------------------------------------------------------------
# The session: launch → splash → SDKs before consent → consent → login → browse → order
# --------------------------------------------------------------------------------------

API = "https://api.demoshop.com"
PROMO_URL = "https://m.demoshop.com/promo/1111"
PANGLE_QUERY = urlencode({"aid": PANGLE_APP_ID, "device_platform": "android", "version_code": "5200"})


def record_session() -> list[http.HTTPFlow]:
    s = SessionRecorder()

    # Launch, before the privacy dialog has been answered.
    s.exchange(0.0, "GET", f"{API}/v1/config?platform=android&app_version=5.2.0&channel=huawei",
               headers=app_headers("config"),
               **api_response("config", {
                   "min_version": "5.0.0", "latest_version": "5.2.1", "privacy_policy_version": "2026.10",
                   "consent_required": True, "server_time": int(SESSION_START),
                   "splash": {"id": "sp_1111_01", "image": "https://img.demoshop-cdn.net/splash/1111-1080x2340.webp",
                              "duration_ms": 5000},
                   "features": {"live": True, "ar_try_on": False}}))
    s.exchange(0.4, "GET", "https://img.demoshop-cdn.net/splash/1111-1080x2340.webp",
               headers=[("User-Agent", APP_USER_AGENT), ("Accept", "image/webp,*/*")],
               **static_response("image/webp", image_bytes("webp", "splash")))
    s.exchange(0.9, "POST", "https://ulogs.umeng.com/unify_logs",
               headers=sdk_headers("application/json", ("Msg-Type", "envelope/json")),
               body=umeng_log("$$_launch", 0.9), **sdk_response({"code": 0, "imprint": "ok"}))
    s.exchange(1.2, "POST", "https://stats.jpush.cn/v3/report",
               headers=sdk_headers("application/json", ("X-App-Key", "d8e2f41a9b3c5e7f60a1b2c3")),
               body=jpush_report("device_register", 1.2), **sdk_response({"code": 0, "msg": "success"}))
    s.exchange(1.6, "POST", f"https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/settings/?{PANGLE_QUERY}",
               headers=sdk_headers("application/json; charset=utf-8"),
               body=json_bytes({"app_id": PANGLE_APP_ID, "package_name": "com.demoshop.app",
                                "sdk_version": "5.9.1.6", "ts": int((SESSION_START + 1.6) * 1000),
                                "device": pangle_device()}),
               **sdk_response({"code": 0, "message": "", "data": {"settings_version": "1795300000"}}))
    s.exchange(2.3, "GET", "https://m.demoshop.com/legal/privacy-policy.html?v=2026.10",
               headers=webview_headers("text/html,application/xhtml+xml,*/*;q=0.8"),
               **static_response("text/html; charset=utf-8", privacy_policy_page().encode(), compress=True))
    s.exchange(2.5, "GET", "https://static.demoshop-cdn.net/css/legal.css",
               headers=webview_headers("text/css,*/*;q=0.1", referer="https://m.demoshop.com/legal/privacy-policy.html?v=2026.10"),
               **static_response("text/css", b"body{font:15px/1.7 sans-serif;margin:0 16px}table{border-collapse:collapse}\n",
                                 compress=True))

    # The user taps 同意: this request is the consent moment app.yaml names.
    s.exchange(14.0, "POST", f"{API}/v1/privacy/consent",
               headers=app_headers("consent", content_type="application/json"),
               body=json_bytes({"policy_version": "2026.10", "agreed": True, "personalised_ads": False,
                                "agreed_at": int((SESSION_START + 14.0) * 1000)}),
               **api_response("consent", {"recorded": True}))

    # After consent: the declared analytics SDK with exactly its declared data, the home feed.
    s.exchange(14.6, "POST", "https://ulogs.umeng.com/unify_logs",
               headers=sdk_headers("application/json", ("Msg-Type", "envelope/json")),
               body=umeng_log("$$_launch", 14.6), **sdk_response({"code": 0, "imprint": "ok"}))
    feed = [{"goods_id": 10086 + i, "title": title, "price": price, "sales": sales, "version": "v3",
             "image": f"https://img.demoshop-cdn.net/goods/{10086 + i}/main-750.jpg"}
            for i, (title, price, sales) in enumerate([
                ("家用空气炸锅 5L 大容量", "399.00", 12034), ("无线降噪耳机 Pro", "1299.00", 8421),
                ("智能扫地机器人 X7", "13800.00", 311), ("不锈钢保温杯 500ml", "89.90", 30567)])]
    s.exchange(15.0, "GET", f"{API}/v1/home/feed?page=1&size=20",
               headers=app_headers("feed", consented=True),
               **api_response("feed", {"items": feed, "has_more": True, "ts": int((SESSION_START + 15.0) * 1000)}))
    for i, item in enumerate(feed):
        s.exchange(15.4 + 0.1 * i, "GET", item["image"],
                   headers=[("User-Agent", APP_USER_AGENT), ("Accept", "image/webp,image/*")],
                   **static_response("image/jpeg", image_bytes("jpeg", f"goods-{item['goods_id']}")))

    # Login: an SMS code request with the phone in the URL, then the HTTPS login.
    s.exchange(31.0, "GET", f"{API}/v1/auth/sms-code?{urlencode({'mobile': PHONE, 'scene': 'login'})}",
               headers=app_headers("sms-code", consented=True),
               **api_response("sms-code", {"sent": True, "resend_after": 60}))
    s.exchange(52.0, "POST", f"{API}/v1/auth/login",
               headers=app_headers("login", consented=True, content_type="application/json"),
               body=json_bytes({"mobile": PHONE, "password": PASSWORD, "sms_code": "482913", "device_id": ANDROID_ID}),
               **api_response("login", {"token": BEARER_TOKEN, "expires_in": 604800,
                                        "user": {"uid": 100861, "nickname": "小张", "mobile": MASKED_PHONE}},
                              extra=[("Set-Cookie", f"SESSIONID={SESSION_COOKIE}; Path=/; Domain=.demoshop.com"),
                                     ("Set-Cookie", f"refresh_token={hashlib.sha256(b'refresh').hexdigest()[:40]}; "
                                                    "Path=/v1/auth; Secure; HttpOnly; SameSite=Strict"),
                                     ("Set-Cookie", "ab_bucket=B; Path=/; Max-Age=2592000")]))
    # The old points system still signs in over plain http, with the same credentials.
    s.exchange(52.8, "POST", "http://legacy.demoshop.com/api/login.do",
               headers=[("User-Agent", APP_USER_AGENT), ("Content-Type", "application/x-www-form-urlencoded")],
               body=urlencode({"mobile": PHONE, "password": PASSWORD, "from": "app"}).encode(),
               response_headers=[("Server", "Apache-Coyote/1.1"), ("Content-Type", "application/json;charset=UTF-8")],
               response_body=json_bytes({"ret": 0, "msg": "ok", "points": 1280}))
    s.exchange(53.5, "GET", f"{API}/v1/user/profile",
               headers=app_headers("profile", consented=True, logged_in=True),
               **api_response("profile", {
                   "uid": 100861, "nickname": "小张", "mobile": MASKED_PHONE, "real_name": NAME,
                   "verified": True, "id_card": ID_CARD, "bank_card": BANK_CARD, "bank_name": "工商银行",
                   "member_level": 3, "registered_at": "2023-05-18 20:14:09"}))
    s.exchange(54.0, "GET", f"{API}/v1/user/addresses",
               headers=app_headers("addresses", consented=True, logged_in=True),
               **api_response("addresses", {"items": [
                   {"address_id": 55012, "receiver": NAME, "mobile": MASKED_PHONE, "province": "北京市",
                    "city": "北京市", "district": "朝阳区", "detail": "建国路88号", "is_default": True}]}))
    s.exchange(54.3, "POST", "https://stats.jpush.cn/v3/report",
               headers=sdk_headers("application/json", ("X-App-Key", "d8e2f41a9b3c5e7f60a1b2c3")),
               body=jpush_report("user_login", 54.3), **sdk_response({"code": 0, "msg": "success"}))

    # Browsing: a search, the legacy http suggestion endpoint, nearby stores.
    s.exchange(70.0, "GET", f"{API}/v1/search?{urlencode({'kw': '空气炸锅', 'page': 1})}",
               headers=app_headers("search", consented=True, logged_in=True),
               **api_response("search", {"total": 2, "items": [
                   {"goods_id": 10086, "title": "家用空气炸锅 5L 大容量", "price": "399.00"},
                   {"goods_id": 10120, "title": "空气炸锅 可视窗口款", "price": "459.00"}],
                   "request_id": fixed_id("search-request")}))
    s.exchange(70.4, "GET", f"http://search.demoshop.com/api/suggest?{urlencode({'kw': '空气', 'mobile': PHONE})}",
               headers=[("User-Agent", APP_USER_AGENT), ("Accept", "application/json"),
                        ("Cookie", f"SESSIONID={SESSION_COOKIE}; ab_bucket=B")],
               response_headers=[("Server", "nginx/1.14.0"), ("Content-Type", "application/json")],
               response_body=json_bytes({"q": "空气", "s": ["空气炸锅", "空气净化器", "空气加湿器"]}))
    s.exchange(78.0, "GET", f"{API}/v1/stores/nearby?city=110100",
               headers=app_headers("stores", consented=True, logged_in=True),
               **api_response("stores", {"items": [
                   {"store_id": 201, "name": "Demo Shop 国贸体验店", "tel": "010-65881234",
                    "lat": 39.909874, "lng": 116.458012, "open": "10:00-22:00"},
                   {"store_id": 202, "name": "Demo Shop 三里屯店", "tel": "010-64172345",
                    "lat": 39.933621, "lng": 116.454478, "open": "10:00-22:00"}]}))
    # The declared analytics SDK also receives the device location (gzip-compressed body).
    s.exchange(78.5, "POST", "https://ulogs.umeng.com/unify_logs",
               headers=sdk_headers("application/json", ("Msg-Type", "envelope/json"), gzip_body=True),
               body=umeng_log("view_nearby_stores", 78.5, with_location=True),
               **sdk_response({"code": 0, "imprint": "ok"}))
    # An ad SDK the privacy policy does not list, with device ids and an MD5 of the phone.
    s.exchange(80.0, "POST", f"https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/?{PANGLE_QUERY}",
               headers=sdk_headers("application/json; charset=utf-8"),
               body=json_bytes({
                   "request_id": fixed_id("pangle-get-ads"), "ad_sdk_version": "5.9.1.6", "source_type": "app",
                   "app": {"appid": PANGLE_APP_ID, "name": "Demo Shop", "package_name": "com.demoshop.app"},
                   "device": pangle_device(),
                   "user": {"gender": 0, "custom_data": {"phone_md5": hashlib.md5(PHONE.encode()).hexdigest()}},
                   "adslots": [{"id": "887654321", "adtype": 5, "ad_count": 1,
                                "accepted_size": [{"width": 690, "height": 388}]}],
                   "ts": int((SESSION_START + 80.0) * 1000)}),
               **sdk_response({"status_code": 20001, "message": "no ad", "request_id": fixed_id("pangle-get-ads")}))

    # The double-11 campaign opens in the app's WebView.
    s.exchange(95.0, "GET", "https://m.demoshop.com/s/1111",
               headers=webview_headers("text/html,application/xhtml+xml,*/*;q=0.8"), status=302,
               response_headers=[("Server", "Tengine"), ("Location", PROMO_URL)])
    s.exchange(95.2, "GET", PROMO_URL,
               headers=webview_headers("text/html,application/xhtml+xml,*/*;q=0.8")
               + [("Cookie", f"SESSIONID={SESSION_COOKIE}; ab_bucket=B")],
               **static_response("text/html; charset=utf-8", promo_page().encode(), compress=True))
    s.exchange(95.5, "GET", "https://static.demoshop-cdn.net/css/promo-1111.css",
               headers=webview_headers("text/css,*/*;q=0.1", referer=PROMO_URL),
               **static_response("text/css", b".goods{display:flex;flex-wrap:wrap}.goods li{width:50%}\n", compress=True))
    s.exchange(95.6, "GET", "http://static.demoshop-cdn.net/js/promo-countdown.js",
               headers=webview_headers("*/*", referer=PROMO_URL),
               **static_response("application/javascript",
                                 b"(function(){var end=Date.parse('2026-11-12T00:00:00+08:00');"
                                 b"setInterval(function(){var el=document.getElementById('countdown');"
                                 b"if(el){el.textContent=Math.max(0,Math.floor((end-Date.now())/1000));}},1000);})();\n"))
    for i, name in enumerate(("banner.jpg", "partner-game-ad.jpg")):
        s.exchange(95.8 + 0.1 * i, "GET", f"https://img.demoshop-cdn.net/promo/1111/{name}",
                   headers=webview_headers("image/avif,image/webp,image/*,*/*;q=0.8", referer=PROMO_URL),
                   **static_response("image/jpeg", image_bytes("jpeg", f"promo-{name}")))

    # Another undeclared SDK: JSON, gzip-compressed, base64-encoded, in a data= form field.
    s.exchange(101.0, "POST", "https://tdcv3.talkingdata.net/g/d",
               headers=sdk_headers("application/x-www-form-urlencoded"),
               body=talkingdata_form(101.0), **sdk_response({"code": 0}))
    # The app's own analytics, gzip-compressed: first party, after consent.
    s.exchange(102.0, "POST", "https://log.demoshop.com/v1/track",
               headers=app_headers("track", consented=True, logged_in=True, content_type="application/json",
                                   gzip_body=True),
               body=json_bytes({"device_id": ANDROID_ID, "oaid": OAID, "uid": 100861, "events": [
                   {"event": "page_view", "page": "promo_1111", "ts": int((SESSION_START + 95.2) * 1000)},
                   {"event": "search", "kw": "空气炸锅", "ts": int((SESSION_START + 70.0) * 1000)}]}),
               **api_response("track", {"accepted": 2}, compress=False))

    # Product detail, cart, saved cards, order.
    s.exchange(110.0, "GET", f"{API}/v1/goods/10086",
               headers=app_headers("goods", consented=True, logged_in=True),
               **api_response("goods", {"goods_id": 10086, "title": "家用空气炸锅 5L 大容量", "price": "399.00",
                                        "origin_price": "599.00", "stock": 1200, "spec_version": "10.2.13",
                                        "images": ["https://img.demoshop-cdn.net/goods/10086/detail-1.jpg"],
                                        "updated_at": 1795000000}))
    s.exchange(110.3, "GET", "https://img.demoshop-cdn.net/goods/10086/detail-1.jpg",
               headers=[("User-Agent", APP_USER_AGENT), ("Accept", "image/webp,image/*")],
               **static_response("image/jpeg", image_bytes("jpeg", "goods-10086-detail-1")))
    s.exchange(118.0, "POST", f"{API}/v1/cart/add",
               headers=app_headers("cart", consented=True, logged_in=True, content_type="application/json"),
               body=json_bytes({"goods_id": 10086, "sku_id": 1008601, "count": 1}),
               **api_response("cart", {"cart_count": 1}))
    s.exchange(125.0, "GET", f"{API}/v1/wallet/cards",
               headers=app_headers("cards", consented=True, logged_in=True),
               **api_response("cards", {"items": [{"card_id": 7, "bank_name": "工商银行", "card_type": "debit",
                                                   "card_no": MASKED_BANK_CARD, "tail": BANK_CARD[-4:]}]}))
    s.exchange(131.0, "POST", f"{API}/v1/order/create",
               headers=app_headers("order-create", consented=True, logged_in=True, content_type="application/json"),
               body=json_bytes({"items": [{"sku_id": 1008601, "count": 1}], "address": {
                   "receiver": NAME, "mobile": PHONE, "detail": ADDRESS}, "pay_type": "card", "card_id": 7,
                   "coupon_id": None, "client_ts": int((SESSION_START + 131.0) * 1000)}),
               **api_response("order-create", {"order_no": ORDER_NO, "amount": "399.00",
                                               "created_at": "2026-11-22 10:00:11"}))
    # The payment gateway's upstream server still negotiates TLS 1.0.
    s.exchange(132.0, "POST", "https://pay-legacy.demoshop.com/gateway/prepay",
               headers=app_headers("prepay", consented=True, logged_in=True,
                                   content_type="application/x-www-form-urlencoded"),
               body=urlencode({"order_no": ORDER_NO, "amount": "399.00", "card_id": "7", "nonce": "k3J9xQ2m",
                               "sign": hashlib.md5(f"{ORDER_NO}399.00".encode()).hexdigest().upper()}).encode(),
               **api_response("prepay", {"pay_status": "SUCCESS", "trade_no": "4200001234202611221000517788"},
                              compress=False))
    s.exchange(133.0, "GET", f"{API}/v1/order/{ORDER_NO}",
               headers=app_headers("order-detail", consented=True, logged_in=True),
               **api_response("order-detail", {
                   "order_no": ORDER_NO, "status": "paid", "amount": "399.00", "paid_at": "2026-11-22 10:00:13",
                   "receiver": {"name": "张*", "mobile": MASKED_PHONE, "address": "北京市朝阳区建国路**号"},
                   "customs": {"id_card": MASKED_ID_CARD}, "card": {"card_no": MASKED_BANK_CARD},
                   "logistics": {"company": "顺丰速运", "tracking_no": "SF1402938475612"}}))
    s.exchange(133.4, "POST", "https://ulogs.umeng.com/unify_logs",
               headers=sdk_headers("application/json", ("Msg-Type", "envelope/json")),
               body=umeng_log("pay_success", 133.4), **sdk_response({"code": 0, "imprint": "ok"}))
    # A crash-reporting SDK; its payload is encrypted and carries nothing readable.
    s.exchange(140.0, "POST", "https://android.bugly.qq.com/rqd/async",
               headers=sdk_headers("application/octet-stream"),
               body=encrypted_stand_in("bugly", 733),
               response_headers=[("Server", "nginx"), ("Content-Type", "application/octet-stream")],
               response_body=encrypted_stand_in("bugly-response", 96))
    s.exchange(141.0, "GET", f"{API}/v1/message/unread",
               headers=app_headers("unread", consented=True, logged_in=True),
               **api_response("unread", {"count": 3, "latest_at": 1795313100}))
    s.exchange(141.5, "GET", "https://img.demoshop-cdn.net/avatar/default-128.png",
               headers=[("User-Agent", APP_USER_AGENT), ("Accept", "image/webp,image/*"),
                        ("If-None-Match", f'"{hashlib.md5(image_bytes("png", "avatar")).hexdigest()}"')],
               status=304, response_headers=[("Server", "Tengine"), ("Cache-Control", "public, max-age=2592000")])
    return s.flows


# --------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------

ICP_FOOTER = f"""<footer class="site-footer">
  <p>© 2026 Demo Shop 版权所有</p>
  <p><a href="https://beian.miit.gov.cn/" target="_blank">{ICP_NUMBER}</a></p>
</footer>"""


def saved_page(url: str, *, title: str, body: str, style: str, head: str = "") -> str:
    """A page as a browser saves it: the "saved from" comment names its URL."""
    return f"""<!DOCTYPE html>
<!-- saved from url=({len(url):04d}){url} -->
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{head}
<title>{title}</title>
<style>
{style.strip()}
</style>
</head>
<body>
{body.strip()}
</body>
</html>
"""


def privacy_policy_page() -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo Shop 隐私政策</title>
<link rel="stylesheet" href="https://static.demoshop-cdn.net/css/legal.css">
</head>
<body>
<main id="main">
  <h1>Demo Shop 隐私政策</h1>
  <p>版本：2026.10　生效日期：2026年10月15日</p>
  <h2>一、我们如何收集和使用您的个人信息</h2>
  <p>在您注册、登录、下单时，我们会收集您的手机号码、收货人姓名、收货地址，用于完成交易与配送。</p>
  <h2>二、第三方SDK目录</h2>
  <table id="sdk-list">
    <tr><th>SDK名称</th><th>提供方</th><th>收集的信息</th><th>目的</th></tr>
    <tr><td>友盟统计 SDK</td><td>友盟同欣（北京）科技有限公司</td><td>Android ID、OAID</td><td>统计分析</td></tr>
    <tr><td>极光推送 SDK</td><td>深圳市和讯华谷信息技术有限公司</td><td>Android ID</td><td>消息推送</td></tr>
  </table>
  <h2>三、您的权利</h2>
  <p>您可以在“我的-设置-隐私”中查阅、更正、删除您的个人信息，或撤回同意。</p>
</main>
{ICP_FOOTER}
</body>
</html>
"""


def promo_page() -> str:
    """The campaign page served in flow order: a pop-up ad whose whole picture links to
    an app store, with an "×" drawn inside that link; its script comes over plain http."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>双11 狂欢购 - Demo Shop</title>
<link rel="stylesheet" href="https://static.demoshop-cdn.net/css/promo-1111.css">
<script src="http://static.demoshop-cdn.net/js/promo-countdown.js"></script>
<style>
.ad-mask {{ position: fixed; top: 0; left: 0; right: 0; bottom: 0; z-index: 9999; background: rgba(0, 0, 0, 0.7); }}
.ad-box {{ position: absolute; top: 15%; left: 10%; width: 80%; }}
.ad-link {{ display: block; position: relative; }}
.ad-link img {{ width: 100%; border-radius: 12px; }}
.ad-close {{ position: absolute; top: 8px; right: 8px; font-size: 24px; color: #ffffff; }}
#ad-dismiss {{ display: block; margin: 16px auto 0; width: 96px; height: 36px; font-size: 14px;
              color: #ffffff; background: #333333; border: 0; border-radius: 18px; }}
</style>
</head>
<body>
<header><img src="https://img.demoshop-cdn.net/promo/1111/banner.jpg" alt="双11 狂欢购 满300减50"></header>
<main id="main">
  <p>距活动结束还有 <span id="countdown">--</span> 秒</p>
  <ul class="goods">
    <li><a href="https://m.demoshop.com/goods/10086">家用空气炸锅 5L 大容量 ¥399.00</a></li>
    <li><a href="https://m.demoshop.com/goods/10087">无线降噪耳机 Pro ¥1299.00</a></li>
  </ul>
</main>
<div class="ad-mask" id="ad-popup">
  <div class="ad-box">
    <a class="ad-link" id="ad-link" href="https://app.mi.com/details?id=com.luckygame.partner&amp;ref=demoshop_1111">
      <img src="https://img.demoshop-cdn.net/promo/1111/partner-game-ad.jpg" alt="下载游戏 领100元红包">
      <span class="ad-close">×</span>
    </a>
    <button type="button" id="ad-dismiss" onclick="document.getElementById('ad-popup').style.display = 'none'">不感兴趣</button>
  </div>
</div>
{ICP_FOOTER}
</body>
</html>
"""


def pages() -> dict[str, str]:
    """The saved pages by file name (what each is for is in README.md)."""
    return {
        "coupon-interstitial.html": saved_page(
            "https://m.demoshop.com/activity/coupon-rain", title="天天领券 - Demo Shop",
            style="""
.popup-mask { position: fixed; top: 0; left: 0; width: 100%; height: 100%; z-index: 1000; background: rgba(0, 0, 0, 0.6); }
.popup { position: absolute; top: 20%; left: 8%; width: 84%; padding: 24px 16px; background: #ffffff; border-radius: 12px; text-align: center; }
.popup img { width: 100%; }
.claim { width: 80%; height: 44px; font-size: 17px; color: #ffffff; background: #e4393c; border: 0; border-radius: 22px; }
.countdown { font-size: 12px; color: #999999; }
#popup-close { display: none; position: absolute; top: 6px; right: 6px; width: 12px; height: 12px; font-size: 10px; line-height: 12px; color: #f2f2f2; background: #ffffff; }
""",
            body=f"""
<main id="main">
  <h1>天天领券</h1>
  <ul class="coupons"><li>满199减20</li><li>满399减50</li><li>家电品类 9 折</li></ul>
</main>
<div class="popup-mask" id="coupon-popup">
  <div class="popup" role="dialog" aria-label="新人专享券包">
    <img src="https://img.demoshop-cdn.net/activity/coupon-rain/new-user-888.png" alt="新人专享 888 元券包">
    <button type="button" class="claim" onclick="claimCoupons()">立即领取</button>
    <p class="countdown" id="countdown">5秒后可关闭</p>
    <span id="popup-close" aria-label="关闭">×</span>
  </div>
</div>
{ICP_FOOTER}
<script>
var secondsLeft = 5;
var timer = setInterval(function () {{
  secondsLeft -= 1;
  document.getElementById('countdown').textContent = secondsLeft + '秒后可关闭';
  if (secondsLeft <= 0) {{
    clearInterval(timer);
    document.getElementById('popup-close').style.display = 'block';
  }}
}}, 1000);
document.getElementById('popup-close').onclick = function () {{
  document.getElementById('coupon-popup').style.display = 'none';
}};
function claimCoupons() {{
  fetch('/api/activity/coupon-rain/claim', {{ method: 'POST', credentials: 'include' }});
}}
</script>
"""),
        "guide-auto-redirect.html": saved_page(
            "https://m.demoshop.com/guide/air-fryer", title="空气炸锅怎么选？- Demo Shop 导购",
            style="article { padding: 16px; font-size: 16px; line-height: 1.7; }",
            body=f"""
<article id="main">
  <h1>空气炸锅怎么选？看这三点就够了</h1>
  <p>容量：两口之家选 3L 左右，三到四口之家选 5L 以上。</p>
  <p>功率：1400W 以上升温更快，烤制更均匀。</p>
  <p>内胆：优先选择不粘涂层、可拆洗的内胆。</p>
  <p><a href="https://m.demoshop.com/goods/10086">查看本文推荐的 5L 空气炸锅</a></p>
</article>
{ICP_FOOTER}
<script>
setTimeout(function () {{
  window.location.replace('https://www.lucky-draw-partner.cn/landing?src=demoshop_guide');
}}, 3000);
</script>
"""),
        "login-success.html": saved_page(
            "https://passport.demoshop.com/login/success", title="登录成功 - Demo Shop",
            style="main { padding: 48px 16px; text-align: center; }",
            head='\n<meta http-equiv="refresh" content="2;url=https://m.demoshop.com/user/orders">',
            body=f"""
<main id="main">
  <h1>登录成功</h1>
  <p>2 秒后返回“我的订单”，如未跳转请<a href="https://m.demoshop.com/user/orders">点击这里</a>。</p>
</main>
{ICP_FOOTER}
"""),
        "shake-ad.html": saved_page(
            "https://m.demoshop.com/ad/shake?slot=home_float", title="摇一摇 赢好礼 - Demo Shop",
            style="""
.shake-card { margin: 24px 16px; padding: 24px; text-align: center; background: #fff4e5; border-radius: 12px; }
.shake-tip { font-size: 20px; color: #e4393c; }
""",
            body=f"""
<main id="main">
  <section class="shake-card">
    <img src="https://img.demoshop-cdn.net/ad/shake/phone-shake.png" alt="摇动手机">
    <p class="shake-tip">摇一摇 跳转详情页或第三方应用</p>
    <p>合作方游戏 新人礼包</p>
  </section>
</main>
{ICP_FOOTER}
<script>
window.addEventListener('devicemotion', function (event) {{
  var a = event.accelerationIncludingGravity || {{}};
  if (Math.abs(a.x) > 10 || Math.abs(a.y) > 10 || Math.abs(a.z) > 10) {{
    window.location.href = 'https://m.lucky-game.cn/download?channel=demoshop_shake';
  }}
}});
</script>
"""),
        "privacy-consent.html": saved_page(
            "https://m.demoshop.com/privacy/consent?v=2026.10", title="用户协议与隐私政策 - Demo Shop",
            style="""
.consent { margin: 16px; padding: 20px; background: #ffffff; border-radius: 12px; }
.consent button { width: 100%; height: 44px; margin-top: 12px; font-size: 16px; border-radius: 22px; }
#agree { color: #ffffff; background: #e4393c; border: 0; }
#disagree { color: #666666; background: #ffffff; border: 1px solid #cccccc; }
""",
            body=f"""
<main id="main">
  <section class="consent" aria-labelledby="consent-title">
    <h1 id="consent-title">用户协议与隐私政策</h1>
    <p>欢迎使用 Demo Shop！我们依据<a href="https://m.demoshop.com/legal/privacy-policy.html">《隐私政策》</a>收集和使用您的个人信息，请您仔细阅读。</p>
    <label><input type="checkbox" id="marketing-consent" name="marketing" checked> 接收个性化推荐和营销短信</label>
    <p class="bundled-notice">继续使用即表示同意《用户协议》《隐私政策》及《会员营销活动规则》。</p>
    <button type="button" id="agree">同意并继续</button>
    <button type="button" id="disagree">不同意</button>
  </section>
</main>
{ICP_FOOTER}
"""),
        "personalisation-prompt.html": saved_page(
            "https://m.demoshop.com/settings/recommend-intro", title="个性化推荐 - Demo Shop",
            style="""
.onboarding { padding: 48px 24px; text-align: center; }
#personalise-agree { width: 100%; height: 44px; font-size: 16px; color: #ffffff; background: #e4393c; border: 0; border-radius: 22px; }
""",
            body=f"""
<main id="main" class="onboarding">
  <h1>为你开启个性化推荐</h1>
  <p>Demo Shop 会根据你的浏览、搜索和购买记录，为你推荐可能感兴趣的商品和广告。</p>
  <button type="button" id="personalise-agree">同意</button>
</main>
{ICP_FOOTER}
"""),
        "link-blocked.html": saved_page(
            "https://m.demoshop.com/link/intercept?target=https%3A%2F%2Fitem.partner-mall.com%2Fp%2F5566",
            title="即将离开 Demo Shop",
            style="""
.intercept { padding: 48px 24px; text-align: center; }
.target-url { word-break: break-all; color: #999999; }
#copy-link { width: 100%; height: 44px; font-size: 16px; color: #ffffff; background: #e4393c; border: 0; border-radius: 22px; }
""",
            body=f"""
<main id="main" class="intercept">
  <h1>该网页暂不支持在 Demo Shop 内打开</h1>
  <p>该链接由第三方提供，为保障您的账户安全，已停止访问。</p>
  <p class="target-url">https://item.partner-mall.com/p/5566</p>
  <p>请复制链接，在浏览器中打开。</p>
  <button type="button" id="copy-link" onclick="navigator.clipboard.writeText('https://item.partner-mall.com/p/5566')">复制链接</button>
  <p><a href="https://m.demoshop.com/">返回首页</a></p>
</main>
{ICP_FOOTER}
<script>
document.addEventListener('click', function (event) {{
  var link = event.target.closest('a');
  if (link && !/(^|\\.)demoshop\\.com$/.test(link.hostname) && link.hostname !== 'beian.miit.gov.cn') {{
    event.preventDefault();
    alert('该链接暂不支持打开，请复制后在浏览器中打开');
  }}
}}, true);
</script>
"""),
        "tuan-home.html": saved_page(
            "https://tuan.demoshop.com/", title="Demo Shop 团购 - 每日好价",
            style=".deals li { margin: 8px 0; }",
            body="""
<header><h1>Demo Shop 团购</h1></header>
<main id="main">
  <ul class="deals">
    <li><a href="https://tuan.demoshop.com/deal/3301">鲜切水果拼盘 4 人份 ¥49.90</a></li>
    <li><a href="https://tuan.demoshop.com/deal/3302">双人火锅套餐 ¥168.00</a></li>
  </ul>
</main>
<footer class="site-footer"><p>© 2026 Demo Shop 团购</p><p><a href="https://tuan.demoshop.com/about">关于我们</a></p></footer>
"""),
        "home.html": saved_page(
            "https://www.demoshop.com/", title="Demo Shop - 品质好物 正品低价",
            style="""
.app-banner { display: flex; justify-content: space-between; padding: 8px 16px; background: #fff4e5; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 16px; }
""",
            body=f"""
<a class="skip-link" href="#main">跳过导航</a>
<div class="app-banner" id="app-banner">
  <a href="https://app.mi.com/details?id=com.demoshop.app">下载 Demo Shop App，新人领 888 元券</a>
  <span class="banner-close" aria-label="关闭" onclick="document.getElementById('app-banner').style.display = 'none'">×</span>
</div>
<nav><a href="https://www.demoshop.com/">首页</a> <a href="https://www.demoshop.com/category">分类</a> <a href="https://www.demoshop.com/cart">购物车</a></nav>
<main id="main">
  <h1>Demo Shop</h1>
  <ul class="goods">
    <li><a href="https://www.demoshop.com/goods/10086">家用空气炸锅 5L 大容量 ¥399.00</a></li>
    <li><a href="https://www.demoshop.com/goods/10088">智能扫地机器人 X7 ¥13800.00</a></li>
  </ul>
</main>
<footer class="site-footer">
  <p>客服热线：400-820-8820（9:00-21:00）</p>
  <p>下载 App：<a href="https://apps.apple.com/cn/app/id1234567890">App Store</a> · <a href="https://app.mi.com/details?id=com.demoshop.app">小米应用商店</a></p>
  <p>© 2026 Demo Shop 版权所有</p>
  <p><a href="https://beian.miit.gov.cn/" target="_blank">{ICP_NUMBER}</a> · 京公网安备 11010502012345号</p>
</footer>
"""),
        "counterfeit-store.html": saved_page(
            "https://www.demoshop-sale.top/", title="Demo Shop 官方旗舰店 - 双11 全场1折起",
            style=".hero { padding: 16px; text-align: center; background: #e4393c; color: #ffffff; }",
            body="""
<header class="hero">
  <img src="/static/logo-demoshop.png" alt="Demo Shop">
  <h1>Demo Shop 官方旗舰店</h1>
  <p>官方授权 · 正品保障 · 全场1折起</p>
</header>
<main id="main">
  <ul class="goods">
    <li><a href="/item/1">家用空气炸锅 5L 大容量 <s>¥399.00</s> ¥39.90</a></li>
    <li><a href="/item/2">无线降噪耳机 Pro <s>¥1299.00</s> ¥129.00</a></li>
  </ul>
  <p><a href="/pay">立即抢购</a></p>
</main>
<footer class="site-footer"><p>Demo Shop 官方旗舰店 版权所有</p></footer>
"""),
        "order-detail.html": saved_page(
            f"https://m.demoshop.com/user/order/{ORDER_NO}", title="订单详情 - Demo Shop",
            style="dl { display: grid; grid-template-columns: 6em 1fr; gap: 4px 8px; padding: 16px; }",
            body=f"""
<main id="main">
  <h1>订单详情</h1>
  <dl class="order-info">
    <dt>订单编号</dt><dd>{ORDER_NO}</dd>
    <dt>下单时间</dt><dd>2026-11-22 10:00:11</dd>
    <dt>实付金额</dt><dd>¥399.00</dd>
    <dt>下单账号</dt><dd>{MASKED_PHONE}</dd>
    <dt>支付方式</dt><dd>工商银行储蓄卡（尾号{BANK_CARD[-4:]}）</dd>
    <dt>物流单号</dt><dd>顺丰速运 SF1402938475612</dd>
  </dl>
  <h2>收货信息</h2>
  <dl class="receiver">
    <dt>收货人</dt><dd>{NAME}</dd>
    <dt>手机号</dt><dd id="receiver-phone">{PHONE}</dd>
    <dt>地址</dt><dd>{ADDRESS}</dd>
  </dl>
  <h2>跨境清关信息</h2>
  <dl class="customs">
    <dt>证件类型</dt><dd>居民身份证</dd>
    <dt>证件号码</dt><dd id="customs-id-card">{ID_CARD}</dd>
  </dl>
</main>
{ICP_FOOTER}
"""),
        "help-shipping.html": help_shipping_page(),
    }


def help_shipping_page() -> str:
    """The clean English page: its origin comes from <link rel=canonical>."""
    return """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shipping and delivery - Demo Shop Help Center</title>
<link rel="canonical" href="https://global.demoshop.com/help/shipping">
<style>
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 16px; }
.modal { position: fixed; top: 20%; left: 10%; width: 80%; z-index: 1050; padding: 24px; color: #222222; background: #ffffff; border-radius: 8px; }
.btn-close { position: absolute; top: 8px; right: 8px; width: 32px; height: 32px; font-size: 20px; color: #222222; background: #ffffff; border: 0; }
.cookie-banner { position: fixed; bottom: 0; left: 0; right: 0; padding: 16px; color: #222222; background: #f5f5f5; }
.cookie-banner button { min-width: 120px; height: 40px; font-size: 15px; }
</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<header><a href="https://global.demoshop.com/">Demo Shop</a> · <a href="https://global.demoshop.com/help">Help Center</a></header>
<main id="main">
  <h1>Shipping and delivery</h1>
  <p>Orders placed before 3 p.m. (China Standard Time) ship the same day. You will find the tracking number,
     for example SF1402938475612, on the order page once the parcel has left our warehouse.</p>
  <h2>Delivery times</h2>
  <table>
    <tr><th>Region</th><th>Standard</th><th>Express</th></tr>
    <tr><td>Mainland China</td><td>2-4 days</td><td>1-2 days</td></tr>
    <tr><td>Hong Kong, Macao</td><td>3-5 days</td><td>2-3 days</td></tr>
    <tr><td>Rest of the world</td><td>7-15 days</td><td>4-7 days</td></tr>
  </table>
  <p>Orders over ¥299.00 ship free within mainland China. See <a href="https://global.demoshop.com/help/returns">returns</a>.</p>
</main>
<div class="modal" role="dialog" aria-labelledby="holiday-title" id="holiday-notice">
  <button type="button" class="btn-close" aria-label="Close" onclick="document.getElementById('holiday-notice').hidden = true">×</button>
  <h2 id="holiday-title">Holiday shipping</h2>
  <p>Parcels ordered between 1 and 3 January ship on 4 January.
     <a href="https://global.demoshop.com/help/holiday-calendar">See the delivery calendar</a>.</p>
</div>
<section class="cookie-banner" aria-label="Cookie preferences">
  <p>We use cookies to keep you signed in and, if you allow it, to measure and personalise.</p>
  <label><input type="checkbox" name="analytics"> Analytics cookies</label>
  <label><input type="checkbox" name="advertising"> Advertising cookies</label>
  <button type="button" id="cookies-accept">Accept all</button>
  <button type="button" id="cookies-reject">Reject all</button>
  <button type="button" id="cookies-save">Save choices</button>
</section>
<footer>
  <p>Get the app: <a href="https://apps.apple.com/app/id1234567890">App Store</a> ·
     <a href="https://play.google.com/store/apps/details?id=com.demoshop.app">Google Play</a></p>
  <p>© 2026 Demo Shop</p>
</footer>
</body>
</html>
"""


# --------------------------------------------------------------------------------------
# The uiautomator dump and the app description
# --------------------------------------------------------------------------------------

def ui_node(index: int, cls: str, bounds: str, *, text: str = "", resource_id: str = "",
            content_desc: str = "", clickable: bool = False, children: str = "") -> str:
    """One <node> with the attributes uiautomator writes, in its order."""
    flag = "true" if clickable else "false"
    attributes = (f'index="{index}" text="{text}" resource-id="{resource_id}" class="{cls}" '
                  f'package="com.demoshop.app" content-desc="{content_desc}" checkable="false" '
                  f'checked="false" clickable="{flag}" enabled="true" focusable="{flag}" focused="false" '
                  f'scrollable="false" long-clickable="false" password="false" selected="false" '
                  f'bounds="{bounds}"')
    if not children:
        return f"<node {attributes} />"
    return f"<node {attributes}>{children}</node>"


def splash_dump() -> str:
    """The launch splash ad: the whole picture (87% of the screen) is one clickable
    container; the "跳过" countdown inside it is 72×42 px and not clickable itself."""
    app = "com.demoshop.app:id/"
    ad_container = ui_node(
        0, "android.widget.FrameLayout", "[0,0][1080,2040]", resource_id=app + "splash_ad_container",
        content_desc="广告", clickable=True, children="".join((
            ui_node(0, "android.widget.ImageView", "[0,0][1080,2040]", resource_id=app + "splash_ad_image"),
            ui_node(1, "android.widget.TextView", "[240,1780][840,1900]", text="点击跳转详情页或第三方应用",
                    resource_id=app + "splash_ad_action"),
            ui_node(2, "android.widget.TextView", "[36,1960][108,2010]", text="广告",
                    resource_id=app + "splash_ad_label"),
            ui_node(3, "android.widget.TextView", "[978,96][1050,138]", text="跳过 3",
                    resource_id=app + "splash_skip"),
        )))
    splash = ui_node(
        0, "android.widget.FrameLayout", "[0,0][1080,2340]", resource_id=app + "splash_root",
        children=ad_container + ui_node(1, "android.widget.ImageView", "[0,2040][1080,2340]",
                                         resource_id=app + "splash_brand", content_desc="Demo Shop"))
    content = ui_node(0, "android.widget.FrameLayout", "[0,0][1080,2340]", resource_id="android:id/content",
                      children=splash)
    root = ui_node(0, "android.widget.FrameLayout", "[0,0][1080,2340]",
                   children=ui_node(0, "android.widget.LinearLayout", "[0,0][1080,2340]", children=content))
    return f"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">{root}</hierarchy>"


def app_description() -> str:
    return f"""# Demo Shop's privacy disclosure, as the scanner reads it (see CONTRACT.md, "App description").
# Its privacy policy lists two SDKs; the session also contacts three that it does not list.
name: Demo Shop
first_party: [demoshop.com, demoshop-cdn.net]
third_parties:
  - name: Umeng
    domains: [umeng.com, umengcloud.com]
    data: [android_id, advertising_id]
    purpose: analytics
  - name: JPush
    domains: [jpush.cn, jiguang.cn]
    data: [android_id]
    purpose: push notifications
consent:
  url: "https://api.demoshop.com/v1/privacy/consent*"
canaries:                 # the test account used for the session
  phone: "{PHONE}"
  name: "{NAME}"
  address: "{ADDRESS}"
brands:
  - name: Demo Shop
    domains: [demoshop.com]
"""


# --------------------------------------------------------------------------------------

def write_demo(folder: Path) -> None:
    flows = record_session()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "session.mitm", "wb") as f:
        writer = io.FlowWriter(f)
        for flow in flows:
            writer.add(flow)
    har = SaveHar().make_har(flows)
    (folder / "session.har").write_text(json.dumps(har, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "pages").mkdir(exist_ok=True)
    for name, source in pages().items():
        (folder / "pages" / name).write_text(source, encoding="utf-8")
    (folder / "ui").mkdir(exist_ok=True)
    (folder / "ui" / "splash.xml").write_text(splash_dump(), encoding="utf-8")
    (folder / "app.yaml").write_text(app_description(), encoding="utf-8")


if __name__ == "__main__":
    write_demo(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)

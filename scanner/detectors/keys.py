"""What a field's name says about its value.

Keys are compared by normalised tokens, never by substring: ``androidId``,
``ANDROID_ID`` and ``android-id`` all read as ("android", "id"), while ``platform``
stays one token and so never means ``lat``. A key means what its head says (the last
tokens, after fillers such as ``no``/``number``/``1``): ``user_phone`` is a phone,
``phone_type`` is not. A handful of long, unambiguous terms are also recognised at the
end of a single glued token (``loginpwd``, ``deviceimei``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from appaudit.scanner import datatypes

# The kinds of context a key gives. Most are data types; the rest say how to read
# the value (DEVICE: an IMEI, MEID or Android ID; OAID: the formats OAID comes in).
PHONE = "phone"
ID_CARD = "id_card"
ID_DOCUMENT = "id_document"  # 证件号 / cert_no: an ID card or a passport number
BANK_CARD = "bank_card"
PASSPORT = "passport"
IMEI = "imei"  # an IMEI or, on CDMA phones, the MEID in the same slot
IMSI = "imsi"
ICCID = "iccid"
MAC = "mac_address"
ANDROID_ID = "android_id"
DEVICE = "device"
ADVERTISING_ID = "advertising_id"
OAID = "oaid"
LATITUDE = "latitude"
LONGITUDE = "longitude"
COORDINATES = "coordinates"  # one value holding both ("39.9042,116.4074")
PASSWORD = "password"
CREDENTIAL = "credential"
AUTHORIZATION = "authorization"
COOKIE = "cookie"
NOT_PERSONAL = "not_personal"  # order numbers, timestamps, prices, hashes...
IDENTIFIER = "identifier"  # user_id, itemId, id: a number there is a record's id, not a phone or card

# Key names of the kinds that are not one data type; each data type declares its
# own key names (scanner.datatypes).
_TERMS = {
    **dict.fromkeys(("certno", "certnum", "certnumber", "idno", "zhengjianhao"), ID_DOCUMENT),
    # Ambiguous device names (device_id, hardware_id) are read only with the value's
    # shape; cid, uid, sid, mid, muid, uuid and guid name SDK-made or account ids and
    # are never mapped to a device id.
    **dict.fromkeys(("did", "device", "deviceid", "devid", "hardwareid"), DEVICE),
    "oaid": OAID,
    **dict.fromkeys(("lat", "latitude", "weidu"), LATITUDE),
    **dict.fromkeys(("lng", "lon", "long", "longitude", "jingdu"), LONGITUDE),
    **dict.fromkeys(("location", "loc", "latlng", "latlon", "lnglat", "lonlat", "gps", "coordinate",
                     "coord", "zuobiao", "geolocation"), COORDINATES),
    **dict.fromkeys(("authorization", "proxyauthorization"), AUTHORIZATION),
    "cookie": COOKIE,
    **dict.fromkeys(("order", "orderid", "orderno", "trade", "tradeno", "outtradeno", "trace", "traceid",
                     "span", "spanid", "request", "requestid", "req", "reqid", "txn", "transaction",
                     "serial", "seq", "sequence", "nonce", "timestamp", "time", "ts", "date", "version", "ver",
                     "price", "amount", "fee", "total", "sign", "signature", "hash", "md5", "sha1", "sha256",
                     "checksum", "crc", "etag", "count", "size", "length", "sku", "goods", "product",
                     "invoice", "waybill", "batch", "coupon",
                     # Cache-busters and ad-request counters (ord=, cb=, rnd=, correlator=),
                     # ad slots and placements, and HTTP validators and timing headers
                     # (ETag, Last-Modified, If-None-Match, Expires, Age, trace headers).
                     "ord", "cb", "rnd", "rand", "random", "cachebuster", "cachebust", "buster", "bust",
                     "correlator", "t", "slot", "slotid", "adslot", "placement", "placementid", "adunit",
                     "modified", "since", "match", "expires", "expire", "expiry", "age", "traceparent",
                     "tracestate", "correlation", "correlationid", "ray"), NOT_PERSONAL),
}

# Long terms that are recognised at the end of a glued lowercase token ("loginpwd").
_SUFFIX_TERMS = sorted(
    ("pwd", "passwd", "password", "mima", "imei", "meid", "imsi", "iccid", "oaid", "idfa", "gaid",
     "androidid", "sessionid", "accesstoken", "refreshtoken", "authtoken", "idcard", "sfz", "shenfenzheng",
     "phone", "mobile", "shouji", "latitude", "longitude", "passport", "huzhao", "bankcard", "cardno",
     "deviceid", "macaddress", "token"),
    key=len, reverse=True)
# Glued names that start with a session cookie's name (ASPSESSIONIDQQGGQGPC).
_PREFIX_TERMS = {"aspsessionid": CREDENTIAL}

# Chinese names, matched at the end of the name (联系电话, 支付密码), after 号码/号.
_CJK_TERMS = {"证件": ID_DOCUMENT, "经度": LONGITUDE, "纬度": LATITUDE, "坐标": COORDINATES, "设备": DEVICE}
_CJK_SUFFIXES = ("号码", "号", "")

# Tokens after the head that do not change its meaning (phone_number, imei1, card_no).
_FILLER = frozenset({"no", "num", "number", "nr", "str", "string", "value", "val", "txt", "text", "raw",
                     "full", "plain"})
# Words before a credential term that make it something else (page_token, push_token).
_NOT_AUTH_MODIFIERS = frozenset({"page", "next", "prev", "previous", "continuation", "cursor", "sync",
                                 "push", "device", "fcm", "apns", "gcm", "jpush", "csrf", "xsrf", "verify",
                                 "captcha"})
# Words before a password or credential term that make the field a flag (has_password).
_FLAG_MODIFIERS = frozenset({"is", "has", "need", "needs", "enable", "enabled", "show", "use", "can",
                             "allow", "require", "required", "support", "supports", "set", "no", "with"})
_SECRET_KINDS = frozenset({PASSWORD, CREDENTIAL})

# Credential names that say "session": a party's own session with its client. Sent to
# another party (an ad exchange's sid, a beacon's session_id) they are not the user's
# login with the site or app.
_SESSION_TERMS = frozenset({"session", "sessionid", "sessid", "sid", "jsessionid", "phpsessid", "xsessionid"})


def names_session(key: str | None) -> bool:
    """Whether ``key`` names a session id (session_id, sid, JSESSIONID), not a token."""
    tokens = key_tokens(key or "")
    return bool(tokens) and ("".join(tokens[-2:]) in _SESSION_TERMS or tokens[-1] in _SESSION_TERMS)


_TOKEN = re.compile(r"[\u3400-\u9fff]+|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def key_tokens(key: str) -> tuple[str, ...]:
    """Lowercase tokens of a key: separators dropped, camelCase and letter/digit
    boundaries split ("deviceIMEI2" -> ("device", "imei", "2"))."""
    return tuple(t.lower() for t in _TOKEN.findall(key))


@lru_cache(maxsize=8192)
def key_kind(key: str | None) -> str | None:
    """The kind of value a key names (one of the constants above), or None."""
    if not key:
        return None
    tokens = key_tokens(key)
    if not tokens and key.strip("_"):
        return None
    if not tokens:  # "_", "__": jQuery's and others' cache-busting timestamp
        return NOT_PERSONAL
    end = len(tokens)
    while end and (tokens[end - 1] in _FILLER or tokens[end - 1].isdigit()):
        end -= 1
    # "card_no" only means something with its filler; "phone_number" only without.
    for head in dict.fromkeys((tokens[:end], tokens)):
        if head:
            found = _head_kind(head)
            if found is not _NO_MATCH:
                return found
    return IDENTIFIER if tokens[-1] == "id" else None


datatypes.when_changed(key_kind.cache_clear)

_NO_MATCH = object()


def _head_kind(head: tuple[str, ...]):
    """The kind named by the last tokens of ``head``; None when a term matched but
    its modifiers undo it (has_password); _NO_MATCH when no term matched."""
    for n in (3, 2, 1):
        if n <= len(head):
            kind = _term_kind("".join(head[-n:]))
            if kind:
                return kind if _modifiers_allow(kind, head[:-n]) else None
    last = _strip_glued_filler(head[-1])
    for prefix, kind in _PREFIX_TERMS.items():
        if last.startswith(prefix):
            return kind
    for term in _SUFFIX_TERMS:
        if last.endswith(term) and len(last) > len(term):
            kind = _named_kind(term)
            modifier = last[:-len(term)]
            if kind == CREDENTIAL and any(modifier.endswith(m) for m in _NOT_AUTH_MODIFIERS):
                return None
            return kind if _modifiers_allow(kind, head[:-1]) else None
    return _NO_MATCH


def _term_kind(term: str) -> str | None:
    if term[0] >= "\u3400":
        return _cjk_kind(term)
    kind = _named_kind(term)
    if kind is None and len(term) > 3 and term.endswith("s"):
        kind = _named_kind(term[:-1])  # phones, coordinates
    if kind is None and term != _strip_glued_filler(term):
        kind = _named_kind(_strip_glued_filler(term))  # idcardno, mobileno
    return kind


def _named_kind(term: str) -> str | None:
    return datatypes.KEY_NAMES.get(term) or _TERMS.get(term)


def _strip_glued_filler(token: str) -> str:
    for filler in ("number", "num", "no"):
        if token.endswith(filler) and len(token) > len(filler) + 2:
            return token[:-len(filler)]
    return token


def _cjk_kind(term: str) -> str | None:
    for suffix in _CJK_SUFFIXES:
        if term.endswith(suffix):
            base = term[:len(term) - len(suffix)]
            for word, kind in (*datatypes.KEY_NAMES.items(), *_CJK_TERMS.items()):
                if word[0] >= "\u3400" and base.endswith(word):
                    return kind
    return None


def _modifiers_allow(kind: str, before: tuple[str, ...]) -> bool:
    if kind not in _SECRET_KINDS:
        return True
    if before and before[0] in _FLAG_MODIFIERS:
        return False
    return not (kind == CREDENTIAL and any(t in _NOT_AUTH_MODIFIERS for t in before))

"""The data types: one declaration per type, read by everything that knows about them.

A data type is the contract's ``evidence.data_type``. Its declaration says how it
reads in a sentence (label and article), how much of a value a report may show
(``keep_ends``), which field names announce it (``key_names``, compared as
``scanner.detectors.keys`` normalises keys: ``androidId`` and ``android_id`` are both
"androidid"), how a value under such a key is confirmed (``validators``), and whether
context-free search of page text reports it (``on_page``). The model's labels,
masking, key reading and value typing all read this registry; adding a type is one
:func:`register` call (see README, "Extending appaudit").
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from appaudit.scanner.detectors import values


@dataclass(frozen=True, kw_only=True)
class DataType:
    name: str
    label: str  # "phone number": how findings name it
    article: str = "a"  # "an" for "an IMEI", "an e-mail address"
    # Characters a masked value keeps at its start and end; None hides it whole.
    keep_ends: tuple[int, int] | None = (2, 2)
    # False for values with no structure to show (tokens, canaries): at most two
    # characters are kept, since their ends reveal as much as their middle.
    structured: bool = True
    key_names: tuple[str, ...] = ()  # normalised field names; Chinese names match at the end
    # Key kind -> how a whole value under such a key is confirmed as this type. The
    # kinds are this type's own name (its key_names) or a kind of keys.py that names
    # several types ("device": an IMEI, MEID or Android ID).
    validators: Mapping[str, Callable[[str], bool]] = field(default_factory=dict)
    on_page: bool = False


_REGISTRY: dict[str, DataType] = {}
_KEY_NAMES: dict[str, str] = {}  # key name -> data type
_ON_CHANGE: list[Callable[[], None]] = []  # caches of answers that read the registry


def register(data_type: DataType) -> DataType:
    """Add a data type; its key names and validators take effect at once."""
    _add(data_type)
    _changed()
    return data_type


def _add(data_type: DataType) -> None:
    if data_type.name in _REGISTRY:
        raise ValueError(f"data type {data_type.name!r} is already registered")
    taken = [name for name in data_type.key_names if name in _KEY_NAMES]
    if taken:
        raise ValueError(f"key names {taken} already announce {_KEY_NAMES[taken[0]]!r}")
    _REGISTRY[data_type.name] = data_type
    _KEY_NAMES.update(dict.fromkeys(data_type.key_names, data_type.name))


def unregister(name: str) -> None:
    """Remove a data type (a test's own, once the test is done)."""
    data_type = _REGISTRY.pop(name)
    for key_name in data_type.key_names:
        del _KEY_NAMES[key_name]
    _changed()


def when_changed(forget: Callable[[], None]) -> None:
    """Have ``forget`` called when a type is registered or removed: a cache of what
    keys name or values are must not outlive the registry it read."""
    _ON_CHANGE.append(forget)


def _changed() -> None:
    for forget in _ON_CHANGE:
        forget()


def get(name: str | None) -> DataType | None:
    return _REGISTRY.get(name or "")


def registered() -> tuple[DataType, ...]:
    """Every data type, in the order declared (the contract's order first)."""
    return tuple(_REGISTRY.values())


# The data type each key name announces (read-only).
KEY_NAMES = MappingProxyType(_KEY_NAMES)


def typed_by_context(kind: str | None, value: str) -> str | None:
    """The data type of a whole value whose key (or label) names ``kind``: the first
    type, in declaration order, that reads that kind and whose validator accepts the
    value (an ID-document number is an ID card number before a passport number)."""
    for data_type in _REGISTRY.values():
        validator = data_type.validators.get(kind or "")
        if validator and validator(value):
            return data_type.name
    return None


def _without_separators(validator: Callable[[str], bool]) -> Callable[[str], bool]:
    """Numbers written in groups ("6222 0212 3456 7890") are checked without them."""
    return lambda value: validator(value.replace(" ", "").replace("-", ""))


def _bare_mac(value: str) -> bool:
    return values.is_mac_address(value, bare=True)


# The contract's data types, in its order.
for _declared in (
    DataType(name="phone", label="phone number", keep_ends=(3, 4), on_page=True,
             key_names=("phone", "mobile", "tel", "telephone", "cellphone", "msisdn", "shouji", "shoujihao",
                        "dianhua", "mobilephone", "手机", "电话"),
             validators={"phone": values.is_phone_in_phone_field}),
    DataType(name="email", label="e-mail address", article="an", on_page=True),
    DataType(name="id_card", label="ID card number", article="an", keep_ends=(6, 4), on_page=True,
             key_names=("idcard", "idnumber", "sfz", "sfzh", "sfzhm", "shenfenzheng", "shenfenzhenghao",
                        "identitycard", "residentid", "身份证"),
             validators=dict.fromkeys(("id_card", "id_document"), _without_separators(values.is_id_card))),
    DataType(name="bank_card", label="bank card number", keep_ends=(6, 4), on_page=True,
             key_names=("bankcard", "cardno", "cardnum", "cardnumber", "bankno", "bankaccount", "yinhangka",
                        "creditcard", "debitcard", "银行卡", "卡号"),
             validators={"bank_card": _without_separators(values.is_bank_card)}),
    DataType(name="passport", label="passport number", keep_ends=(1, 2),
             key_names=("passport", "huzhao", "huzhaohao", "护照"),
             validators=dict.fromkeys(("passport", "id_document"), values.is_passport)),
    # An MEID sits in the same fields as an IMEI (on CDMA phones): the IMEI's key names
    # announce both.
    DataType(name="imei", label="IMEI", article="an", key_names=("imei", "meid", "deviceimei"),
             validators=dict.fromkeys(("imei", "device"), values.is_imei)),
    DataType(name="meid", label="MEID", article="an",
             validators=dict.fromkeys(("imei", "device"), values.is_meid)),
    DataType(name="imsi", label="IMSI", article="an", keep_ends=(3, 2), key_names=("imsi", "subscriberid"),
             validators={"imsi": values.is_imsi}),
    DataType(name="iccid", label="ICCID", article="an", keep_ends=(4, 2),
             key_names=("iccid", "simserial", "simserialnumber", "simserialno"),
             validators={"iccid": values.is_iccid}),
    DataType(name="mac_address", label="MAC address", keep_ends=(2, 0),
             key_names=("mac", "macaddress", "macaddr", "wifimac", "wlanmac", "btmac", "bluetoothmac"),
             validators={"mac_address": _bare_mac}),
    # Names the major SDKs use on the wire (vendor docs and open-source SDK code; see
    # docs/identifier-names.md). Ambiguous names (adid, aid, advertiser_id) are read only
    # with the value's shape: a UUID for an advertising ID, 16 hex digits for an Android ID.
    DataType(name="android_id", label="Android ID", article="an", key_names=("androidid", "aid", "ssaid", "andi"),
             validators=dict.fromkeys(("android_id", "device"), values.is_android_id)),
    DataType(name="advertising_id", label="advertising ID", article="an", keep_ends=(4, 0),
             key_names=("idfa", "gaid", "adid", "aaid", "ifa", "advertisingid", "googleadid", "adverid", "rdid",
                        "madid", "aifa", "advertiserid", "amazonaid", "fireadid", "advertisingtrackingid", "rida",
                        "tifa", "vida"),
             validators={"advertising_id": values.is_advertising_uuid, "oaid": values.is_oaid}),
    # Read from latitude/longitude pairs and "lat,lng" values (detectors.detector).
    DataType(name="location", label="location", keep_ends=(2, 0)),
    DataType(name="password", label="password", keep_ends=None,
             key_names=("password", "passwd", "pwd", "pswd", "mima", "passcode", "密码")),
    # API keys (apikey, accesskey) identify an app, not a person, and publishable ones
    # travel in URLs by design (map tiles, presigned downloads): not credentials here.
    DataType(name="credential", label="credential", structured=False,
             key_names=("token", "accesstoken", "refreshtoken", "idtoken", "authtoken", "sessiontoken", "session",
                        "sessionid", "sessid", "sid", "jsessionid", "phpsessid", "auth", "secret", "clientsecret",
                        "appsecret", "xsessionid")),
    DataType(name="canary", label="test-account value", structured=False),
):
    _add(_declared)

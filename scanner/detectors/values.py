"""Validators: does this exact string have the structure of a data type?

Checksums and registries confirm what they can (phonenumbers, python-stdnum, Luhn,
the public-suffix list); shapes alone (UUIDs, hex strings) are only trusted where the
caller has key context (``scanner.datatypes`` says which validator a key calls for).
Each function takes the candidate as found and answers yes or no; none of them
searches inside a longer text (see ``scanner.detectors.text``).
"""
from __future__ import annotations

import datetime
import re
from functools import lru_cache

import phonenumbers
import tldextract
from stdnum import imei as stdnum_imei
from stdnum import luhn
from stdnum import meid as stdnum_meid
from stdnum.cn import ric

_MASK_RUN = re.compile(r"[*＊•●]{2,}|(?<=\d)[xX]{3,}(?=\d)")
# Values that fill a field without being one: booleans, nulls, placeholders.
PLACEHOLDERS = frozenset({"", "0", "1", "-", "null", "none", "nil", "undefined", "true", "false", "yes", "no",
                          "n/a", "na", "deleted", "unknown", "default"})


def is_masked(value: str) -> bool:
    """Whether a value has been masked for display: a run of mask characters
    ("138****5678", "6222 **** **** 1234", "z***@x.com") or digits around xxx."""
    return bool(_MASK_RUN.search(value))


# --- phone -------------------------------------------------------------------------

_CN_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_PHONE_CHARS = re.compile(r"\+?[\d\s\-().]{5,24}", re.ASCII)
# A CN local number without its area code: 7-8 digits not starting with 0 or 1
# (the 0 is the trunk prefix, 1 starts mobile and service numbers).
_CN_LOCAL = re.compile(r"[2-9]\d{6,7}", re.ASCII)
_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def is_cn_mobile(digits: str) -> bool:
    """An 11-digit Chinese mobile number (13x-19x) that phonenumbers knows as mobile."""
    if not _CN_MOBILE.fullmatch(digits):
        return False
    number = _parse(digits, "CN")
    return number is not None and phonenumbers.number_type(number) in _MOBILE_TYPES


def is_international_phone(text: str) -> bool:
    """A number written with its country code ("+44 20 7946 0958")."""
    digits = re.sub(r"\D", "", text)
    return text.startswith("+") and 8 <= len(digits) <= 15 and _parse(text, None) is not None


def is_phone_in_phone_field(value: str) -> bool:
    """A value of a field whose name says phone: also CN fixed lines (with or without
    the area code), and numbers written with their country code but no "+"
    ("8613912345678", "0044 20 7946 0958", "447911123456"). Eleven digits starting
    with 1 are read as a CN mobile number only: 12345678901 is not +1 234 567 8901."""
    digits = re.sub(r"\D", "", value)
    if not _PHONE_CHARS.fullmatch(value) or not _not_repetitive(digits):
        return False
    if value.startswith("+"):
        return is_international_phone(value)
    if _CN_LOCAL.fullmatch(digits) or _parse(value, "CN") is not None:
        return True
    if len(digits) == 11 and digits.startswith("1"):
        return False
    return len(digits) >= 10 and not digits.startswith("0") and _parse("+" + digits, None) is not None


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    """The parsed number when it is a valid one, else None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


# --- identity documents ------------------------------------------------------------

_ID_CARD = re.compile(r"\d{17}[\dXx]", re.ASCII)
_CN_PASSPORT = re.compile(r"[EG]\d{8}|E[A-HJ-NP-Z]\d{7}|[DSP]E?\d{7}", re.ASCII)
_ANY_PASSPORT = re.compile(r"(?=(?:[A-Z]*\d){5})[A-Z0-9]{6,9}", re.ASCII)


def is_id_card(text: str) -> bool:
    """A PRC resident identity number: 18 characters, region code, a real birth date
    not in the future, and the ISO 7064 check character (python-stdnum's cn.ric)."""
    if not _ID_CARD.fullmatch(text) or not ric.is_valid(text):
        return False
    born = ric.get_birth_date(text)
    return 1900 <= born.year and born <= datetime.date.today()


def is_passport(text: str) -> bool:
    """A passport number's shape: the PRC formats (E/G + 8 digits, E + letter + 7
    digits, D/S/P diplomatic and service passports) or, for other countries, 6-9
    letters and digits with at least five digits. Only meaningful with context."""
    upper = text.upper()
    return (bool(_CN_PASSPORT.fullmatch(upper) or _ANY_PASSPORT.fullmatch(upper))
            and _not_repetitive(re.sub(r"\D", "", upper)))


# --- payment cards -----------------------------------------------------------------

# Issuer identification ranges (first digits, inclusive) and the card lengths each
# network issues; source: the networks' published IIN ranges as collected in the
# Wikipedia article "Payment card number" (ISO/IEC 7812 issuer identification).
_CARD_RANGES = (
    ("4", "4", (13, 16, 19)),  # Visa
    ("51", "55", (16,)), ("2221", "2720", (16,)),  # Mastercard
    ("34", "34", (15,)), ("37", "37", (15,)),  # American Express
    ("62", "62", (16, 17, 18, 19)),  # UnionPay
    ("3528", "3589", (16, 17, 18, 19)),  # JCB
    ("6011", "6011", (16, 17, 18, 19)), ("644", "649", (16, 17, 18, 19)), ("65", "65", (16, 17, 18, 19)),  # Discover
    ("300", "305", (14, 15, 16, 17, 18, 19)), ("3095", "3095", (14, 15, 16, 17, 18, 19)),
    ("36", "36", (14, 15, 16, 17, 18, 19)), ("38", "39", (16, 17, 18, 19)),  # Diners Club
    ("2200", "2204", (16, 17, 18, 19)),  # Mir
    ("5018", "5018", (13, 15, 16, 17, 18, 19)), ("5020", "5020", (13, 15, 16, 17, 18, 19)),
    ("5038", "5038", (13, 15, 16, 17, 18, 19)), ("5893", "5893", (13, 15, 16, 17, 18, 19)),
    ("6304", "6304", (13, 15, 16, 17, 18, 19)), ("6759", "6759", (13, 15, 16, 17, 18, 19)),
    ("6761", "6763", (13, 15, 16, 17, 18, 19)),  # Maestro
)


def is_bank_card(digits: str) -> bool:
    """13-19 digits in a known issuer range for their length, passing Luhn."""
    if not (13 <= len(digits) <= 19 and _ascii_digits(digits)) or not _not_repetitive(digits):
        return False
    if not any(low <= digits[:len(low)] <= high and len(digits) in lengths for low, high, lengths in _CARD_RANGES):
        return False
    return luhn.is_valid(digits)


# --- device and subscriber identifiers ---------------------------------------------

_HEX = re.compile(r"[0-9A-Fa-f]+")
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_SEPARATED_MAC = re.compile(r"[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}")
_BARE_MAC = re.compile(r"[0-9A-Fa-f]{12}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}")
# Not device addresses: all zeros, broadcast, and the constant Android (6.0+) returns
# to apps in place of the real Wi-Fi MAC.
_PLACEHOLDER_MACS = frozenset({"000000000000", "ffffffffffff", "020000000000"})


def is_imei(text: str) -> bool:
    """15 digits with a valid Luhn check digit (python-stdnum's imei)."""
    return len(text) == 15 and _ascii_digits(text) and _not_repetitive(text) and stdnum_imei.is_valid(text)


def is_meid(text: str) -> bool:
    """An MEID in hex: 14 characters (as Android reports it) or 15 with the check
    digit, with a regional code A0-FF (3GPP2 S.R0048); decimal-only strings are IMEIs."""
    upper = text.upper()
    if len(upper) not in (14, 15) or not _HEX.fullmatch(upper) or _ascii_digits(upper) or upper[:2] < "A0":
        return False
    return _not_repetitive(upper) and stdnum_meid.is_valid(upper)


def is_imsi(text: str) -> bool:
    """15 digits starting with a mobile country code of a real zone (ITU-T E.212:
    2xx-7xx); only meaningful with key context."""
    return len(text) == 15 and _ascii_digits(text) and "2" <= text[0] <= "7" and _not_repetitive(text[3:])


def is_iccid(digits: str) -> bool:
    """A SIM serial number: 19-20 digits, telecom prefix 89 (ITU-T E.118), Luhn."""
    return 19 <= len(digits) <= 20 and _ascii_digits(digits) and digits.startswith("89") and luhn.is_valid(digits)


def is_mac_address(text: str, *, bare: bool = False) -> bool:
    """A MAC address in colon or dash form (and, with ``bare``, as 12 hex digits or
    Cisco dotted form), not a placeholder."""
    if not (_SEPARATED_MAC.fullmatch(text) or (bare and _BARE_MAC.fullmatch(text))):
        return False
    return re.sub(r"[:\-.]", "", text).lower() not in _PLACEHOLDER_MACS


def is_android_id(text: str) -> bool:
    """16 hex digits with at least one letter: a 64-bit random value printed in hex
    almost always has one, a 16-digit decimal number (an order or user id) has none."""
    return (len(text) == 16 and bool(_HEX.fullmatch(text)) and not _ascii_digits(text)
            and _not_repetitive(text))


def is_advertising_uuid(text: str) -> bool:
    """An IDFA / GAID: a UUID that is not the all-zero "limit ad tracking" value."""
    return bool(_UUID.fullmatch(text)) and _not_repetitive(text.replace("-", ""))


def is_oaid(text: str) -> bool:
    """An OAID in the formats the vendors use: a UUID, or 16 or 64 hex digits."""
    if is_advertising_uuid(text):
        return True
    return len(text) in (16, 64) and bool(_HEX.fullmatch(text)) and _not_repetitive(text)


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _not_repetitive(text: str) -> bool:
    """False for filler such as 000000000000000 or 00000000-0000-…"""
    return len(set(text.lower())) > 1


# --- e-mail ------------------------------------------------------------------------

# The bundled public-suffix snapshot only: never a network fetch.
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def has_public_suffix(domain: str) -> bool:
    """Whether a domain ends in a real public suffix with a name before it
    ("example.com" yes, "2x.png" no: "logo@2x.png" is an image, not an address)."""
    return _has_public_suffix(domain.lower())


@lru_cache(maxsize=4096)  # a capture names the same few mail domains over and over
def _has_public_suffix(domain: str) -> bool:
    parts = _SUFFIXES(domain)
    return bool(parts.suffix and parts.domain)


# --- location ----------------------------------------------------------------------

_COORDINATE = re.compile(r"-?\d{1,3}\.\d{3,}", re.ASCII)


def _coordinate(text: str, limit: float) -> float | None:
    """A decimal degree with at least three decimals (about 100 m) within ±limit."""
    match = _COORDINATE.fullmatch(text.strip())
    if not match:
        return None
    value = float(match.group(0))
    return value if abs(value) <= limit else None


def is_location_pair(latitude: str, longitude: str) -> bool:
    """A device position: both coordinates precise and in range, and not 0,0 (no fix)."""
    lat, lng = _coordinate(latitude, 90), _coordinate(longitude, 180)
    return lat is not None and lng is not None and not (lat == 0 and lng == 0)

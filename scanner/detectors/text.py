"""Finding data inside free text: regex candidates first, then validation.

Candidates are cut at letter/digit boundaries (a phone number inside a longer digit
run, a hex hash or an identifier is not a phone number) and a number never starts or
ends at a decimal point (13800.00 is a price, 1.3.6.1.4.1 a version). Digit groups
written with spaces or dashes ("138 1234 5678", "6222 0212 3456 7890 128") are read
whole when the grouping is plausible, else group by group. Types that no structure
can confirm (passport numbers, device identifiers) are only taken after a label that
names them ("护照号：E12345678", "imei=86...").
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from appaudit.scanner import datatypes
from appaudit.scanner.detectors import keys, values

# What context-free text search reports: numbers and addresses whose structure is
# enough to trust them (each data type says whether it can appear on a page). ICCID
# and MAC addresses are reported in traffic only.
PAGE_TYPES = frozenset(data_type.name for data_type in datatypes.registered() if data_type.on_page)
TRAFFIC_TYPES = PAGE_TYPES | {"iccid", "mac_address"}

# Each pattern opens with a lookahead for the characters its matches can start with:
# the regular expression engine then rejects every other position with one test
# instead of trying each alternative's lookbehind there (several times faster on text).
_CANDIDATES = re.compile(r"""
    (?=[A-Za-z0-9+])(?:
    (?P<email>(?<![A-Za-z0-9._%+\-*＊•●])[A-Za-z0-9][A-Za-z0-9._%+\-]{0,63}
        @(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})
        (?![A-Za-z0-9\-]|\.[A-Za-z0-9]))
  | (?P<mac>(?<![0-9A-Za-z:\-])[0-9A-Fa-f]{2}(?P<sep>[:\-])(?:[0-9A-Fa-f]{2}(?P=sep)){4}[0-9A-Fa-f]{2}
        (?![0-9A-Za-z]|[:\-][0-9A-Fa-f]))
  | (?P<intl>(?<![0-9A-Za-z+])\+\d+(?:[ \-]?\(\d{1,4}\)[ \-]?\d+|[ \-]\d+)*(?![0-9A-Za-z]))
  | (?P<digits>(?<![0-9A-Za-z])(?<!\d\.)\d+(?:[ \-]\d+)*(?:(?<=\d)[Xx])?(?![0-9A-Za-z])(?!\.\d)))
""", re.VERBOSE | re.ASCII)
# "scheme://user@" and "scheme://user:secret@" name an account on a host (a Sentry DSN,
# an FTP login), not an e-mail address.
_URL_USER_INFO = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/@]*\Z")
_GROUP = re.compile(r"\d+[Xx]?", re.ASCII)
_INTL_TAIL = re.compile(r"[ \-]\d+$", re.ASCII)
_SHORTEST_NUMBER = 11  # a CN mobile number; ID and card numbers are longer

# "label: value", "label=value", "label value", JSON-ish "label": "value"; a label of
# up to three English words ("Passport No") or a Chinese name, which may run straight
# into the value ("护照E12345678"). The label is read like a key.
_SEPARATOR = r"(?:[ \t]{0,3}[:=：][ \t]{0,3}|[ \t]{1,3})"
_LABELLED = re.compile(rf"""
    (?=[A-Za-z\u3400-\u9fff])
    (?:(?<![A-Za-z0-9_.\-])(?P<label>[A-Za-z][A-Za-z0-9_.\-]{{0,39}}(?:[ ][A-Za-z][A-Za-z0-9_.\-]{{0,19}}){{0,2}})
         ["']?{_SEPARATOR}
      |(?P<cjk>[\u3400-\u9fff]{{1,12}})["']?{_SEPARATOR}?)
    ["']?(?P<value>[0-9A-Za-z][0-9A-Za-z:\-]{{4,99}})(?![0-9A-Za-z:\-])
""", re.VERBOSE)
# Labels that make a value's shape enough: what no checksum confirms on its own.
LABEL_KINDS = frozenset({keys.PASSPORT, keys.ID_DOCUMENT, keys.IMEI, keys.DEVICE, keys.IMSI, keys.MAC,
                         keys.ANDROID_ID, keys.ADVERTISING_ID, keys.OAID})


@dataclass(frozen=True, kw_only=True)
class TextHit:
    """A data value inside a text: ``text[start:end] == value``."""

    data_type: str
    value: str
    start: int
    end: int


def find_in_text(text: str, *, types: frozenset[str] = TRAFFIC_TYPES) -> Iterator[TextHit]:
    """Context-free data in ``text``, in order of position."""
    for match in _CANDIDATES.finditer(text):
        kind = match.lastgroup
        if kind == "email":
            if "email" in types and values.has_public_suffix(match.group("domain")) \
                    and not _URL_USER_INFO.search(text, max(0, match.start() - 256), match.start()):
                yield _hit("email", match)
        elif kind == "mac":
            if "mac_address" in types and values.is_mac_address(match.group(0)):
                yield _hit("mac_address", match)
        elif kind == "intl":
            if "phone" in types:
                yield from _international(match)
        else:
            yield from _digit_run(match, types)


def find_labelled(text: str, kinds: frozenset[str] = LABEL_KINDS) -> Iterator[TextHit]:
    """Values that a preceding label names, for the label kinds in ``kinds``."""
    position = 0
    while match := _LABELLED.search(text, position):
        kind = keys.key_kind(match.group("label") or match.group("cjk"))
        data_type = datatypes.typed_by_context(kind, match.group("value")) if kind in kinds else None
        if data_type:
            yield TextHit(data_type=data_type, value=match.group("value"),
                          start=match.start("value"), end=match.end("value"))
            position = match.end()
        else:  # the would-be value may be the label of what follows ("No: E1234...")
            position = match.start("value")


def _hit(data_type: str, match: re.Match) -> TextHit:
    return TextHit(data_type=data_type, value=match.group(0), start=match.start(), end=match.end())


def _international(match: re.Match) -> Iterator[TextHit]:
    """A "+" number; trailing groups that make it invalid are let go one by one
    ("+44 20 7946 0958 2023" is a number followed by a year)."""
    candidate = match.group(0)
    while True:
        if values.is_international_phone(candidate):
            start = match.start()
            yield TextHit(data_type="phone", value=candidate, start=start, end=start + len(candidate))
            return
        shorter = _INTL_TAIL.sub("", candidate)
        if shorter == candidate:
            return
        candidate = shorter


def _digit_run(match: re.Match, types: frozenset[str]) -> Iterator[TextHit]:
    run, offset = match.group(0), match.start()
    if len(run) < _SHORTEST_NUMBER or _inside_identifier(match):
        return
    groups = list(_GROUP.finditer(run))
    if len(groups) > 1 and _plausible_grouping([len(g.group(0)) for g in groups]):
        data_type = _number_type("".join(g.group(0) for g in groups), types)
        if data_type:
            yield TextHit(data_type=data_type, value=run, start=offset, end=offset + len(run))
            return
    for group in groups:
        data_type = _number_type(group.group(0), types)
        if data_type:
            yield TextHit(data_type=data_type, value=group.group(0),
                          start=offset + group.start(), end=offset + group.end())


def _inside_identifier(match: re.Match) -> bool:
    """Digits joined to letters by "-" or "_" are the tail (or head) of an identifier
    (ca-pub-5405132603504384, order_13912345678), not a number written on its own."""
    text, start, end = match.string, match.start(), match.end()
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return (len(before) == 2 and before[1] in "-_" and before[0].isascii() and before[0].isalpha()) or \
        (len(after) == 2 and after[0] in "-_" and after[1].isascii() and after[1].isalpha())


def _plausible_grouping(lengths: list[int]) -> bool:
    """Blocks of three or more digits, as numbers are written for reading
    (3-4-4, 4-4-4-4, 6-8-4); not dates (2023-11-22) or lists of small numbers, and not
    a long run hung on a short one (the size-timestamp of an ETag, 414-1541038722000)."""
    return all(n >= 3 for n in lengths[:-1]) and max(lengths) <= 8


def _number_type(number: str, types: frozenset[str]) -> str | None:
    """What a bare number is, most specific structure first: an 18-character ID card
    number (region, birth date, check character) wins over the Luhn of a bank card."""
    if number[-1] in "Xx":
        return "id_card" if "id_card" in types and values.is_id_card(number) else None
    length = len(number)
    if length == 11 and "phone" in types and values.is_cn_mobile(number):
        return "phone"
    if length == 18 and "id_card" in types and values.is_id_card(number):
        return "id_card"
    if length >= 19 and "iccid" in types and values.is_iccid(number):
        return "iccid"
    if 13 <= length <= 19 and "bank_card" in types and values.is_bank_card(number):
        return "bank_card"
    return None

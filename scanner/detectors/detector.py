"""The detector: personal data in a flow's fields and in a page's text.

Each field is read three ways: by what its key names (a value in ``imei`` of the
right shape is an IMEI; a non-empty ``password`` is a password), by context-free
search of its text for values whose structure validates (phone, ID card, bank card,
e-mail, ICCID, MAC), and by the canary matcher. Latitude and longitude are read as a
pair of sibling fields, and only on the client's side: coordinates in a response are
usually shops on a map, not the device's position.
"""
from __future__ import annotations

import base64
import binascii
import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from appaudit.scanner import datatypes
from appaudit.scanner.decoding import FieldValue
from appaudit.scanner.detectors import keys, values
from appaudit.scanner.detectors.canaries import CACHE_SIZE, MAX_CACHED_LENGTH, CanaryMatcher
from appaudit.scanner.detectors.text import (LABEL_KINDS, PAGE_TYPES, TRAFFIC_TYPES, TextHit, find_in_text,
                                             find_labelled)

# Text beyond this in one field is not searched: every flow goes through here, and
# personal data sits in API payloads, not deep inside megabyte bundles.
MAX_SCANNED_CHARS = 1_000_000
# Nothing context-free is this short; only a password field is read below it.
MIN_VALUE_LENGTH = 5
MIN_SECRET_LENGTH = 8

# Kinds whose values have no shape to check: only a real key vouches for them.
_LOOSE_KINDS = frozenset({keys.PASSWORD, keys.CREDENTIAL, keys.AUTHORIZATION, keys.COOKIE})
_BARE_NUMBER = re.compile(r"[\d \-]+", re.ASCII)
_COORDINATE_PAIR = re.compile(r"\s*(-?\d{1,3}\.\d+)\s*[,;| ]\s*(-?\d{1,3}\.\d+)\s*", re.ASCII)
# Every context-free candidate has a digit, an @ or a MAC's separators.
_SEARCHABLE = re.compile(r"[\d@]|[0-9A-Fa-f]{2}[:\-]", re.ASCII)
_LABEL_SEPARATORS = (":", "=", "：", " ")
_LABELLED_VALUE = re.compile(r"[0-9A-Za-z]{5}")  # the shortest value a label can name
_ADDRESS_TYPES = frozenset({"email", "mac_address"})
_ID_NUMBER_TYPES = frozenset({"id_card"})
# A readable name ("homepage_top", "ad-slot-300x250", "leaderboard"): words, small
# numbers and sizes. Ad slots and placements are named so; session ids are random.
_READABLE_NAME = re.compile(r"[A-Za-z]+|\d{1,4}|\d{1,4}[xX]\d{1,4}")
# A static resource's file name (/photos/Team_(18549406403).jpg): a name someone gave a
# file, not data about the visitor, so it is not searched for numbers.
_STATIC_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|css|js|mjs|map|woff2?|ttf|otf|eot|"
                          r"mp[34]|webm|ogg|wav|m4a|pdf|swf)$", re.IGNORECASE)


@dataclass(frozen=True, kw_only=True)
class DataHit:
    """One piece of personal data in one field. ``value`` is raw (masked only when a
    report is written); ``related`` holds other raw values that reveal it too (the
    longitude of a location, the decoded user:password of Basic auth)."""

    data_type: str
    value: str
    part: str
    path: str
    encoding: tuple[str, ...] = ()
    canary: str | None = None
    related: tuple[str, ...] = ()


class Detector:
    """Built once per scan (the canaries are compiled here), used for every flow."""

    def __init__(self, canaries: dict[str, str] | None = None):
        self._canaries = CanaryMatcher(canaries) if canaries else None

    def scan_fields(self, fields: Iterable[FieldValue], *, sender: str) -> list[DataHit]:
        """Personal data in ``fields``, in field order, each (data type, part, path,
        value) once. ``sender`` is "client" for a request, "server" for a response."""
        fields = list(fields)
        locations = _location_pairs(fields) if sender == "client" else {}
        hits: list[DataHit] = []
        seen: set[tuple[str, str, str, str]] = set()
        for index, field in enumerate(fields):
            if not isinstance(field.value, str):
                continue  # a value the parser could not read (a Set-Cookie without "="): skip this field only
            found = self._field_hits(field, client=sender == "client")
            if index in locations:
                found = [locations[index], *found]
            for hit in found:
                identity = (hit.data_type, hit.part, hit.path, hit.value)
                if identity not in seen:
                    seen.add(identity)
                    hits.append(hit)
        return _finest_locations(hits)

    def scan_text(self, text: str) -> list[TextHit]:
        """Personal data in visible page text: phone, ID card and bank card numbers,
        e-mail addresses, and passport numbers after a label that names them."""
        text = text[:MAX_SCANNED_CHARS]
        hits = [*find_in_text(text, types=PAGE_TYPES),
                *find_labelled(text, frozenset({keys.PASSPORT, keys.ID_DOCUMENT}))]
        unique = {(h.data_type, h.start): h for h in hits}
        return sorted(unique.values(), key=lambda h: h.start)

    def _field_hits(self, field: FieldValue, *, client: bool) -> list[DataHit]:
        text = field.value[:MAX_SCANNED_CHARS]
        found = [DataHit(data_type=data_type, value=value, part=field.part, path=field.path,
                         encoding=field.encoding, related=related)
                 for data_type, value, related in _typed_values(text, _key_kind(field), client)]
        if self._canaries is not None:
            for match in self._canaries.find(text):
                encoding = field.encoding + ((match.encoding,) if match.encoding else ())
                found.append(DataHit(data_type="canary", value=match.value, part=field.part, path=field.path,
                                     encoding=encoding, canary=match.name))
        return found


def _key_kind(field: FieldValue) -> str | None:
    """What the field's key names. A URL path segment's "key" is the segment before
    it, which names a resource rather than a secret ("/password/reset",
    "/session/validate"): there only kinds whose value shape confirms them count."""
    kind = keys.key_kind(field.key)
    if field.part == "request.url" and _PATH_SEGMENT.fullmatch(field.path):
        if _STATIC_FILE.search(field.value):
            return keys.NOT_PERSONAL
        if kind in _LOOSE_KINDS:
            return None
    return kind


# A segment itself; its ";name=value" parameters (path[1];jsessionid) have real keys.
_PATH_SEGMENT = re.compile(r"path\[\d+\]")


def _typed_values(text: str, kind: str | None, client: bool) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(data type, value, related values) of what ``text`` holds, read with its key."""
    if len(text) <= MAX_CACHED_LENGTH:
        return _read_short_value(text, kind, client)
    return _read_value(text, kind, client)


def _read_value(text: str, kind: str | None, client: bool) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    whole = text.strip()
    if len(whole) < MIN_VALUE_LENGTH and kind != keys.PASSWORD:
        return ()
    found = list(_context_hits(kind, whole, client=client))
    if any(value == whole for _, value, _ in found):
        return tuple(found)  # the key explained the whole value
    if kind == keys.NOT_PERSONAL and _BARE_NUMBER.fullmatch(whole):
        return tuple(found)  # an order number, timestamp or price is not a phone or card number
    if _SEARCHABLE.search(text):
        # Digits in a field named for something else (an ETag, a trace id, a cache-buster)
        # are that thing, however they validate; an e-mail address is unmistakable.
        types = _ADDRESS_TYPES if kind == keys.NOT_PERSONAL else TRAFFIC_TYPES
        if kind == keys.IDENTIFIER and _BARE_NUMBER.fullmatch(whole):
            types = _ID_NUMBER_TYPES  # a number in an id field is a record's id; an ID card still validates
        found.extend((hit.data_type, hit.value, ()) for hit in find_in_text(text, types=types))
    if any(separator in text for separator in _LABEL_SEPARATORS) and _LABELLED_VALUE.search(text):
        found.extend((hit.data_type, hit.value, ()) for hit in find_labelled(text, LABEL_KINDS))
    return tuple(found)


# Short values repeat across flows (the same ids in every analytics batch).
_read_short_value = lru_cache(maxsize=CACHE_SIZE)(_read_value)
datatypes.when_changed(_read_short_value.cache_clear)


def _context_hits(kind: str | None, whole: str, *, client: bool) -> Iterator[tuple]:
    """(data type, value, related values) for what the key says the whole value is."""
    if kind in (None, keys.NOT_PERSONAL, keys.IDENTIFIER):
        return
    if kind == keys.PASSWORD:
        if whole.lower() not in values.PLACEHOLDERS and not values.is_masked(whole):
            yield "password", whole, ()
    elif kind == keys.CREDENTIAL:
        if _is_secret(whole):
            yield "credential", whole, ()
    elif kind == keys.AUTHORIZATION:
        yield from _authorization(whole)
    elif kind == keys.COOKIE:
        yield from _session_cookies(whole)
    elif kind == keys.COORDINATES:
        if client:
            yield from _coordinates(whole)
    elif not values.is_masked(whole):
        data_type = datatypes.typed_by_context(kind, whole)
        if data_type:
            yield data_type, whole, ()


def _is_secret(value: str) -> bool:
    """A token or session id worth protecting: long enough, no spaces (not a message),
    not a placeholder, a small number or a masked value."""
    return (len(value) >= MIN_SECRET_LENGTH and not any(c.isspace() for c in value)
            and value.lower() not in values.PLACEHOLDERS and len(set(value)) >= 4
            and not (value.isdigit() and len(value) < 16) and not values.is_masked(value)
            and not _is_readable_name(value))


def _is_readable_name(value: str) -> bool:
    """Words, small numbers and sizes joined by separators: a name a person chose (an
    ad slot, a placement, a page), not a random token."""
    return len(value) < 40 and all(_READABLE_NAME.fullmatch(piece) and _wordish(piece)
                                   for piece in re.split(r"[-_.:/|]", value))


def _wordish(piece: str) -> bool:
    """Letters that read as words: enough vowels and no long consonant runs, unlike
    random letters (XkTqPzLmNbVw)."""
    letters = piece.lower()
    if not letters.isalpha() or len(letters) < 5:
        return True
    vowels = sum(c in "aeiouy" for c in letters)
    return vowels * 4 >= len(letters) and not re.search(r"[^aeiouy]{5}", letters)


def _authorization(value: str) -> Iterator[tuple]:
    """``Basic`` (base64 of user:password), ``Bearer`` and other schemes."""
    scheme, _, token = value.partition(" ")
    token = token.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            decoded = ""
        if ":" in decoded and decoded.strip(":"):
            yield "credential", value, (decoded,)
        elif _is_secret(token):
            yield "credential", value, ()
    elif scheme.lower() == "bearer" or not token:
        if _is_secret(token or value):
            yield "credential", value, ()
    elif _is_secret(re.sub(r"\s", "", token)):  # Digest, AWS4-HMAC-SHA256 and the like
        yield "credential", value, ()


def _session_cookies(header: str) -> Iterator[tuple]:
    """Session cookies inside a whole Cookie header value."""
    for pair in header.split(";"):
        name, _, value = pair.strip().partition("=")
        if keys.key_kind(name) == keys.CREDENTIAL and _is_secret(value.strip()):
            yield "credential", value.strip(), ()


def _coordinates(value: str) -> Iterator[tuple]:
    """A "lat,lng" value, or "lng,lat" (as AMap and GeoJSON write it) when only the
    first number can be a longitude."""
    match = _COORDINATE_PAIR.fullmatch(value)
    if match:
        first, second = match.groups()
        lat, lng = (second, first) if abs(float(first)) > 90 >= abs(float(second)) else (first, second)
        if values.is_location_pair(lat, lng):
            yield "location", lat, (lng,)


def _location_pairs(fields: list[FieldValue]) -> dict[int, DataHit]:
    """Latitude/longitude siblings (same part, same parent object), as one location
    hit placed at the first of the two fields."""
    latitudes: dict[tuple[str, str], int] = {}
    longitudes: dict[tuple[str, str], int] = {}
    for index, field in enumerate(fields):
        kind = keys.key_kind(field.key) if isinstance(field.value, str) else None
        if kind == keys.LATITUDE:
            latitudes.setdefault((field.part, field.parent), index)
        elif kind == keys.LONGITUDE:
            longitudes.setdefault((field.part, field.parent), index)
    pairs = {}
    for sibling_group, lat_index in latitudes.items():
        lng_index = longitudes.get(sibling_group)
        if lng_index is None:
            continue
        lat, lng = fields[lat_index], fields[lng_index]
        if values.is_location_pair(lat.value, lng.value):
            pairs[min(lat_index, lng_index)] = DataHit(
                data_type="location", value=lat.value.strip(), part=lat.part, path=lat.path,
                encoding=lat.encoding, related=(lng.value.strip(),))
    return pairs


def _finest_locations(hits: list[DataHit]) -> list[DataHit]:
    """Drop a hit on a wrapper field (a string holding JSON, base64, a form) when the
    same data was found in a field inside it: the inner field is the precise location."""
    def subject(hit: DataHit) -> tuple:
        return hit.part, hit.data_type, hit.canary if hit.data_type == "canary" else hit.value

    paths: dict[tuple, list[str]] = {}
    for hit in hits:
        paths.setdefault(subject(hit), []).append(hit.path)
    for found in paths.values():
        found.sort()
    return [hit for hit in hits if not _has_descendant(paths[subject(hit)], hit.path)]


def _has_descendant(sorted_paths: list[str], container: str) -> bool:
    """Whether a path inside ``container`` ("a.b", "a[0]" inside "a"; anything inside
    the whole body "") is among ``sorted_paths``."""
    if not container:
        return sorted_paths[-1] != ""
    for separator in (".", "["):
        prefix = container + separator
        index = bisect.bisect_left(sorted_paths, prefix)
        if index < len(sorted_paths) and sorted_paths[index].startswith(prefix):
            return True
    return False

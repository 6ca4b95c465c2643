"""The sensitive-data detection library: fixture-driven positives and hard negatives
for every data type and canary encoding, plus key tokenisation, masking, sender-
dependent location and a realistic analytics payload."""
from __future__ import annotations

import base64
import dataclasses
import gzip
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

import pytest
import yaml

from appaudit.scanner.decoding import FieldValue, body_fields
from appaudit.scanner.detectors import DATA_TYPES, MAX_SCANNED_CHARS, DataHit, Detector, is_masked, key_kind, key_tokens

FIXTURES = Path(__file__).parent / "fixtures" / "detectors"
FIELD_FILES = ("phone", "id_card", "bank_card", "device", "email", "passport", "location", "secrets")


def load(name: str) -> dict:
    return yaml.safe_load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))


def field_cases():
    for name in FIELD_FILES:
        for case in load(name)["cases"]:
            yield pytest.param(case, id=f"{name}: {case['note']}")


def fields_of(case: dict) -> list[FieldValue]:
    part = case.get("part", "request.body" if case.get("sender", "client") == "client" else "response.body")
    specs = case.get("fields") or [{k: case[k] for k in ("key", "value", "path") if k in case}]
    return [FieldValue(part, spec.get("path", spec["key"] or ""), spec["key"], spec["value"],
                       tuple(spec.get("encoding", ()))) for spec in specs]


def expected_hits(case: dict) -> list[dict]:
    return [{"type": e[0], "value": e[1]} if isinstance(e, list) else e for e in case["expect"]]


@pytest.mark.parametrize("case", list(field_cases()))
def test_field_fixture(case):
    fields = fields_of(case)
    hits = Detector().scan_fields(fields, sender=case.get("sender", "client"))
    expected = expected_hits(case)
    assert [(h.data_type, h.value) for h in hits] == [(e["type"], e["value"]) for e in expected]
    for hit, want in zip(hits, expected):
        assert hit.related == tuple(want.get("related", ()))
        if "path" in want:
            assert hit.path == want["path"]
        assert hit.part == fields[0].part


def test_fixture_data_types_are_the_contracts():
    types = {e["type"] for name in FIELD_FILES for case in load(name)["cases"] for e in expected_hits(case)}
    types |= {e[0] for case in load("text")["cases"] for e in case["expect"]}
    assert types <= set(DATA_TYPES)
    assert types | {"canary"} == set(DATA_TYPES), "every data type has a positive fixture"


# --- page text ---------------------------------------------------------------------

@pytest.mark.parametrize("case", [pytest.param(c, id=c["note"]) for c in load("text")["cases"]])
def test_text_fixture(case):
    hits = Detector().scan_text(case["text"])
    assert [(h.data_type, h.value) for h in hits] == [tuple(e) for e in case["expect"]]
    for hit in hits:
        assert case["text"][hit.start:hit.end] == hit.value


# --- key tokenisation --------------------------------------------------------------

@pytest.mark.parametrize("key,tokens", load("keys")["tokens"])
def test_key_tokens(key, tokens):
    assert key_tokens(key) == tuple(tokens)


@pytest.mark.parametrize("key,kind", load("keys")["kinds"])
def test_key_kind(key, kind):
    assert key_kind(key) == kind


# --- masking -----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["138****5678", "110101********1234", "6222 **** **** 1234", "z***@x.com",
                                   "138xxxx5678", "E●●●●5678"])
def test_masked_values(value):
    assert is_masked(value)


@pytest.mark.parametrize("value", ["13812345678", "11010519491231002X", "6222021234567890128", "li@x.com",
                                   "1920x1080", "a*b", "Hunter2!x"])
def test_unmasked_values(value):
    assert not is_masked(value)


# --- canaries ----------------------------------------------------------------------

CANARY_FIXTURE = load("canaries")
CANARIES = CANARY_FIXTURE["canaries"]


def encode(value: str, how: str) -> list[str]:
    """The field values carrying ``value`` encoded as ``how`` (built with the standard
    library, independently of the detector)."""
    raw = value.encode("utf-8")
    b64, urlsafe = base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()
    encoders = {
        "plain": lambda: [value],
        "url_percent": lambda: [quote(value, safe="")],
        "url_plus": lambda: [quote_plus(value)],
        "url_lowercase": lambda: [re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(value, safe=""))],
        "base64": lambda: [b64],
        "base64_unpadded": lambda: [b64.rstrip("=")],
        "base64_urlsafe": lambda: [urlsafe],
        "base64_urlsafe_unpadded": lambda: [urlsafe.rstrip("=")],
        "base64_inside_blob": lambda: [base64.b64encode(b"uid=7;" [:offset] + b"name=" + raw + b";ts=1").decode()
                                       for offset in (0, 1, 2)],
        "hex": lambda: [raw.hex()],
        "hex_upper": lambda: [raw.hex().upper()],
        "md5": lambda: [hashlib.md5(raw).hexdigest()],
        "md5_upper": lambda: [hashlib.md5(raw).hexdigest().upper()],
        "sha1": lambda: [hashlib.sha1(raw).hexdigest()],
        "sha256": lambda: [hashlib.sha256(raw).hexdigest()],
        "sha256_upper": lambda: [hashlib.sha256(raw).hexdigest().upper()],
    }
    return encoders[how]()


def canary_hits(value: str, *, key: str | None = "v", canaries=CANARIES) -> list[DataHit]:
    hits = Detector(canaries).scan_fields([FieldValue("request.body", "v", key, value)], sender="client")
    return [h for h in hits if h.data_type == "canary"]


@pytest.mark.parametrize("name", CANARIES)
@pytest.mark.parametrize("how,label", CANARY_FIXTURE["encodings"].items())
def test_canary_in_every_encoding(name, how, label):
    for value in encode(CANARIES[name], how):
        if value == CANARIES[name] and how != "plain":
            continue  # an encoding that leaves this value unchanged is the plain case
        hits = canary_hits(value)
        assert [(h.canary, h.encoding) for h in hits] == [(name, (label,) if label else ())], value


@pytest.mark.parametrize("case", [pytest.param(c, id=c["note"]) for c in CANARY_FIXTURE["literal"]])
def test_canary_literal_vectors(case):
    [hit] = canary_hits(case["value"])
    want = case["expect"]
    assert (hit.canary, hit.encoding) == (want["canary"], (want["encoding"],) if want["encoding"] else ())


@pytest.mark.parametrize("case", [pytest.param(c, id=c["note"]) for c in CANARY_FIXTURE["negatives"]])
def test_canary_near_misses_stay_silent(case):
    assert canary_hits(case["value"]) == []


def test_canary_phone_is_also_a_phone():
    hits = Detector(CANARIES).scan_fields([FieldValue("request.body", "user.tel", "tel", "13912345678")],
                                          sender="client")
    assert [(h.data_type, h.canary) for h in hits] == [("phone", None), ("canary", "phone")]


def test_canary_encoding_follows_the_fields_own():
    field = FieldValue("request.body", "data.n", "n", hashlib.sha256("张三".encode()).hexdigest(), ("base64", "json"))
    [hit] = Detector(CANARIES).scan_fields([field], sender="server")
    assert hit.encoding == ("base64", "json", "sha256") and hit.part == "request.body"


def test_short_canary_is_found_only_as_a_digest():
    canaries = {"age": "30"}
    assert canary_hits("room 30, floor 3", canaries=canaries) == []
    [hit] = canary_hits(hashlib.md5(b"30").hexdigest(), canaries=canaries)
    assert hit.canary == "age" and hit.encoding == ("md5",)


def test_no_canaries_means_no_canary_hits():
    assert Detector().scan_fields([FieldValue("request.body", "n", "n", "张三")], sender="client") == []
    assert Detector({}).scan_fields([FieldValue("request.body", "n", "n", "张三")], sender="client") == []


# --- scan_fields contract ----------------------------------------------------------

def test_each_value_once_per_field_and_hits_in_field_order():
    fields = [
        FieldValue("request.body", "note", "note", "13912345678 or 13912345678"),
        FieldValue("request.body", "email", "email", "li.lei@example.com"),
        FieldValue("request.body", "again", "again", "13912345678"),
    ]
    hits = Detector().scan_fields(fields, sender="client")
    assert [(h.path, h.data_type) for h in hits] == [("note", "phone"), ("email", "email"), ("again", "phone")]


def test_a_wrapper_string_yields_to_the_field_inside_it():
    body = json.dumps({"payload": json.dumps({"phone": "13912345678"})}).encode()
    fields = list(body_fields("request.body", body, "application/json"))
    assert [f.path for f in fields] == ["payload", "payload.phone"]
    hits = Detector().scan_fields(fields, sender="client")
    assert [(h.path, h.data_type, h.encoding) for h in hits] == [("payload.phone", "phone", ("json",))]


def test_text_beyond_the_scan_limit_is_not_searched():
    padding = "x " * (MAX_SCANNED_CHARS // 2)
    fields = [FieldValue("response.body", "", None, "13912345678 " + padding + " 15012345678")]
    assert [h.value for h in Detector().scan_fields(fields, sender="server")] == ["13912345678"]


def test_location_depends_on_the_sender():
    fields = [FieldValue("request.body", "lat", "lat", "39.904211"),
              FieldValue("request.body", "lng", "lng", "116.407395")]
    assert [h.data_type for h in Detector().scan_fields(fields, sender="client")] == ["location"]
    assert Detector().scan_fields(fields, sender="server") == []


def test_data_hit_is_frozen_and_keyword_only():
    hit = DataHit(data_type="phone", value="13912345678", part="request.body", path="p")
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.value = "x"
    with pytest.raises(TypeError):
        DataHit("phone", "13912345678", "request.body", "p")  # type: ignore[misc]


# --- a realistic analytics payload -------------------------------------------------

def test_analytics_payload_base64_gzip_json_in_a_form_field():
    """An SDK batch: JSON, gzip-compressed, base64-encoded, sent as the form field
    ``data`` (the shape Umeng/TalkingData-style collectors use)."""
    event = {
        "header": {"imei": "860123456789014", "oaid": "3f2a9c1e-5b7d-4e8f-a0b1-c2d3e4f50617",
                   "android_id": "9f3b2c1d4e5a6b7c", "mac": "a4:5e:60:e2:1b:7c", "os": "Android 10",
                   "app_version": "10.2.13", "ts": 1700000000123},
        "location": {"lat": 39.904211, "lng": 116.407395},
        "events": [{"id": "5f0c7a3e-2b1d-4c9e-8f6a-0d1e2f3a4b5c", "name": "page_view"}],
    }
    blob = base64.b64encode(gzip.compress(json.dumps(event).encode())).decode()
    body = urlencode({"data": blob, "appkey": "5f1a2b3c4d5e6f7a8b9c0d1e"}).encode()
    fields = list(body_fields("request.body", body, "application/x-www-form-urlencoded"))

    hits = Detector().scan_fields(fields, sender="client")

    found = {(h.data_type, h.path, h.value) for h in hits}
    assert found == {
        ("imei", "data.header.imei", "860123456789014"),
        ("advertising_id", "data.header.oaid", "3f2a9c1e-5b7d-4e8f-a0b1-c2d3e4f50617"),
        ("android_id", "data.header.android_id", "9f3b2c1d4e5a6b7c"),
        ("mac_address", "data.header.mac", "a4:5e:60:e2:1b:7c"),
        ("location", "data.location.lat", "39.904211"),
    }
    assert all(h.encoding == ("base64", "json") and h.part == "request.body" for h in hits)
    [location] = [h for h in hits if h.data_type == "location"]
    assert location.related == ("116.407395",)
    # The same batch coming back in a response carries no device location.
    response_types = {h.data_type for h in Detector().scan_fields(
        list(body_fields("response.body", body, "application/x-www-form-urlencoded")), sender="server")}
    assert "location" not in response_types and "imei" in response_types

"""Body decoding: decompression with a cap, parsing, field paths, nested payloads."""
import base64
import gzip
import json
import zlib
from urllib.parse import quote, urlencode

import brotli
import pytest
from mitmproxy.net import encoding

from appaudit.scanner.decoding import BodyError, body_fields, decompress, unwrap
from appaudit.scanner.flowview import FlowView
from tests.helpers import make_flow


def fields_by_path(part, data, content_type):
    return {f.path: f for f in body_fields(part, data, content_type)}


@pytest.mark.parametrize("encoding,compress", [
    ("gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda d: zlib.compress(d)[2:-4]),  # raw deflate, as some servers send it
    ("br", brotli.compress),
    ("zstd", lambda d: encoding.encode(d, "zstd")),
])
def test_decompress_each_content_encoding(encoding, compress):
    data = b'{"user": {"phone": "13912345678"}}' * 10
    assert decompress(compress(data), encoding) == (data, False)


def test_decompress_stacked_encodings_are_undone_in_reverse_order():
    data = b"hello world" * 100
    assert decompress(brotli.compress(gzip.compress(data)), "gzip, br")[0] == data


@pytest.mark.parametrize("encoding,compress", [
    ("gzip", gzip.compress), ("br", brotli.compress),
    ("zstd", lambda d: encoding.encode(d, "zstd")),
])
def test_compression_bomb_is_cut_at_the_limit(encoding, compress):
    bomb = compress(b"\0" * (20 * 1024 * 1024))
    out, truncated = decompress(bomb, encoding, limit=1024 * 1024)
    assert truncated and len(out) == 1024 * 1024


def test_broken_compressed_body_raises_body_error():
    with pytest.raises(BodyError, match="gzip"):
        decompress(b"not gzip at all", "gzip")


def test_json_paths_address_nested_objects_and_arrays():
    body = json.dumps({"user": {"phone": "13912345678"}, "items": [{"id": 1}, {"id": 2}, {"id": 3}]}).encode()
    fields = fields_by_path("request.body", body, "application/json")
    assert fields["user.phone"].value == "13912345678"
    assert fields["user.phone"].key == "phone"
    assert fields["items[2].id"].value == "3"
    assert fields["items[2].id"].key == "id"
    assert fields["items[2].id"].parent == "items[2]"


def test_json_is_sniffed_without_content_type():
    fields = fields_by_path("response.body", b'  {"a": "b"}', None)
    assert fields["a"].value == "b"


def test_form_body():
    fields = fields_by_path("request.body", b"phone=13912345678&name=%E5%BC%A0", "application/x-www-form-urlencoded")
    assert fields["phone"].value == "13912345678"
    assert fields["name"].value == "张"


def test_multipart_body():
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"mobile\"\r\n\r\n13912345678\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{boundary}--\r\n").encode()
    fields = fields_by_path("request.body", body, f"multipart/form-data; boundary={boundary}")
    assert fields["mobile"].value == "13912345678"
    assert fields["note"].value == "hello"


def test_xml_body_elements_and_attributes():
    body = b'<?xml version="1.0"?><req><user id="7"><tel>13912345678</tel></user></req>'
    fields = fields_by_path("request.body", body, "application/xml")
    assert fields["req.user.tel"].value == "13912345678"
    assert fields["req.user@id"].value == "7"


def test_xml_entities_are_not_expanded():
    body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    values = [f.value for f in body_fields("request.body", body, "application/xml")]
    assert not any("root:" in v for v in values)


def test_json_inside_a_string_field_is_unwrapped():
    body = json.dumps({"payload": json.dumps({"imei": "490154203237518"})}).encode()
    fields = fields_by_path("request.body", body, "application/json")
    assert fields["payload.imei"].value == "490154203237518"
    assert fields["payload.imei"].encoding == ("json",)


def test_base64_of_gzip_json_in_a_form_field_is_unwrapped():
    inner = json.dumps({"device": {"oaid": "abc", "mac": "02:00:00:00:00:00"}}).encode()
    blob = base64.b64encode(gzip.compress(inner)).decode()
    fields = fields_by_path("request.body", urlencode({"data": blob, "v": "2"}).encode(),
                            "application/x-www-form-urlencoded")
    assert fields["data.device.mac"].value == "02:00:00:00:00:00"
    assert fields["data.device.mac"].encoding == ("base64", "json")


def test_url_encoded_json_and_urlsafe_base64_form_are_unwrapped():
    assert unwrap(quote('{"a": 1}')) == (("url", "json"), {"a": 1})
    blob = base64.urlsafe_b64encode(b"uid=1&imei=490154203237518&x=>>>").decode().rstrip("=")
    kind, payload = unwrap(blob)
    assert kind == ("base64", "form") and "imei=490154203237518" in payload


def test_ordinary_strings_are_not_unwrapped():
    for text in ("hello world", "2023-11-22T10:00:00Z", "ZGVhZGJlZWY", "abcdefghijklmnopqrstuvwx", "1.2.3"):
        assert unwrap(text) is None, text


def test_nesting_depth_is_bounded():
    value = "13912345678"
    for _ in range(10):
        value = json.dumps({"x": value})
    fields = list(body_fields("request.body", json.dumps({"x": value}).encode(), "application/json"))
    assert max(len(f.encoding) for f in fields) <= 3


def test_flow_view_covers_url_headers_cookies_and_body():
    flow = make_flow("POST", "https://api.example.com/v1/user/13912345678/info?token=abc&ts=1",
                     headers={"Cookie": "sid=s3cr3t; theme=dark", "X-Device": "pixel"},
                     json={"user": {"email": "a@example.com"}})
    view = FlowView(flow, index=0, input="t")
    by_part = {(f.part, f.path): f for f in view.request_fields}
    assert by_part[("request.url", "path[2]")].value == "13912345678"
    assert by_part[("request.url", "path[2]")].key == "user"
    assert by_part[("request.url", "token")].value == "abc"
    assert by_part[("request.headers", "x-device")].value == "pixel"
    assert by_part[("request.cookies", "sid")].value == "s3cr3t"
    assert by_part[("request.body", "user.email")].value == "a@example.com"


def test_flow_view_decodes_a_gzip_request_body_once():
    flow = make_flow("POST", "http://log.example.com/", headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
                     body=gzip.compress(b'{"imei": "490154203237518"}'))
    view = FlowView(flow, index=0, input="t")
    assert view.request.body == b'{"imei": "490154203237518"}'
    assert any(f.path == "imei" for f in view.request_fields)


def test_flow_view_reports_an_undecodable_body_and_keeps_going():
    flow = make_flow("POST", "http://log.example.com/?a=1", headers={"Content-Encoding": "gzip"}, body=b"garbage")
    view = FlowView(flow, index=0, input="t")
    assert view.request.body_error and "gzip" in view.request.body_error
    assert any(f.path == "a" for f in view.request_fields)

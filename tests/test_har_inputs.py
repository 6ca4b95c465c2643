"""HAR files as browsers and proxies write them, and broken inputs beside good ones,
through the command line: what is read, what is reported as an error, and that the
rest is still scanned."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from tests.helpers import ID_CARD, IMEI, PHONE, T0, UA, findings_of, good_har, har, har_entry, make_flow, scan_json, write_flows

# Captured requests and responses are written inline as data, one line as captured.
# ruff: noqa: E501


def test_chrome_style_har(tmp_path):
    entry = har_entry("http://api.demoshop.cn/v1/login", "POST",
                      req_headers=[("Content-Type", "application/json;charset=UTF-8"), ("User-Agent", UA)],
                      post={"mimeType": "application/json;charset=UTF-8", "text": json.dumps({"mobile": PHONE, "smsCode": "123456"})},
                      _initiator={"type": "script"}, _priority="High", _resourceType="xhr",
                      serverIPAddress="122.14.229.1", connection="443")
    path = tmp_path / "chrome.har"
    path.write_text(json.dumps(har([har_entry("https://www.demoshop.com/"), entry])), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert "Traceback" not in output
    found = findings_of(report, "DH001", "phone")
    assert found and found[0]["location"]["flow"] == 1 and found[0]["location"]["field"] == "mobile"
    assert report["inputs"][0]["records"] == 2
    assert PHONE not in json.dumps(report, ensure_ascii=False)  # masked by default


def test_firefox_har_with_bom(tmp_path):
    entry = har_entry(f"http://api.demoshop.cn/v1/user?idCard={ID_CARD}", req_headers=[("Host", "api.demoshop.cn")])
    path = tmp_path / "firefox.har"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(har([entry], creator="Firefox", version="132.0")).encode())
    rc, report, output = scan_json(tmp_path, [path])
    assert not report["errors"]
    assert findings_of(report, "DH002", "id_card")


def test_charles_style_minimal_entries(tmp_path):
    entry = {"startedDateTime": "2024-11-25T10:12:33.123+08:00", "time": 10,
             "request": {"method": "GET", "url": f"http://api.demoshop.cn/v1/device?imei={IMEI}",
                         "httpVersion": "HTTP/1.1", "headers": [], "queryString": [{"name": "imei", "value": IMEI}],
                         "cookies": []},
             "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [],
                          "cookies": [], "content": {"size": 0}}}
    path = tmp_path / "charles.har"
    path.write_text(json.dumps(har([entry], creator="Charles Proxy", version="4.6.7")), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert not report["errors"], report["errors"]
    assert findings_of(report, "DH001", "imei")


def test_postdata_params_only(tmp_path):
    entry = har_entry("http://api.demoshop.cn/v1/sms/send", "POST",
                      req_headers=[("Content-Type", "application/x-www-form-urlencoded")],
                      post={"mimeType": "application/x-www-form-urlencoded",
                            "params": [{"name": "mobile", "value": PHONE}, {"name": "scene", "value": "login"}]})
    path = tmp_path / "params.har"
    path.write_text(json.dumps(har([entry])), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert findings_of(report, "DH001", "phone")


def test_base64_response_content(tmp_path):
    body = json.dumps({"data": {"realName": "张三", "idCard": ID_CARD}}, ensure_ascii=False).encode()
    entry = har_entry("https://api.demoshop.com/v1/user/realname",
                      resp_headers=[("Content-Type", "application/json")],
                      content={"size": len(body), "mimeType": "application/json", "encoding": "base64",
                               "text": base64.b64encode(body).decode()})
    path = tmp_path / "b64.har"
    path.write_text(json.dumps(har([entry])), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert findings_of(report, "DH006", "id_card")


def test_har_recognised_by_content_not_extension(tmp_path):
    entry = har_entry(f"http://api.demoshop.cn/v1/user?mobile={PHONE}")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(har([entry])), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert report["inputs"] and report["inputs"][0]["kind"] != "html"
    assert findings_of(report, "DH002", "phone")


@pytest.mark.parametrize("name,content", [
    ("truncated.har", json.dumps(har([har_entry("https://a.demoshop.com/")]))[:120].encode()),
    ("notahar.har", b'{"log": {"version": "1.2", "entries": "oops"}}'),
    ("empty.har", b""),
    ("garbage.mitm", bytes(range(256)) * 4),
    ("weird.json", b'{"foo": [1, 2, 3]}'),
])
def test_one_error_line_and_others_still_scanned(tmp_path, name, content):
    bad = tmp_path / name
    bad.write_bytes(content)
    rc, report, output = scan_json(tmp_path, [bad, good_har(tmp_path / "good.har")])
    assert "Traceback" not in output and "Traceback" not in output
    errors = report["errors"]
    assert len(errors) == 1 and name in errors[0]["input"], errors
    assert errors[0]["message"] and "\n" not in errors[0]["message"]
    assert findings_of(report, "DH001", "phone")
    assert rc == 3


def test_all_broken_exits_2(tmp_path):
    (tmp_path / "a.har").write_text("{not json", "utf-8")
    (tmp_path / "b.mitm").write_bytes(b"\x00\x01\x02garbage")
    rc, report, output = scan_json(tmp_path, [tmp_path / "a.har", tmp_path / "b.mitm"])
    assert rc == 2
    assert "Traceback" not in output


def test_truncated_flow_file_keeps_flows_before_damage(tmp_path):
    path = tmp_path / "session.mitm"
    write_flows(path, [make_flow("GET", f"http://api.demoshop.cn/v1/item/{i}?mobile={PHONE}", timestamp=T0 + i)
                       for i in range(3)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    rc, report, output = scan_json(tmp_path, [path])
    assert "Traceback" not in output
    assert len(report["errors"]) == 1 and "session.mitm" in report["errors"][0]["input"]
    # The three requests send the phone in the same query field of one host: one
    # finding, whose occurrences name the flows read before the damage.
    flows = {flow for f in findings_of(report, "DH002", "phone") for flow in f["occurrences"]["flows"]}
    assert {0, 1} <= flows


def test_folder_of_mixed_inputs(tmp_path):
    folder = tmp_path / "capture"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "s.har").write_text(json.dumps(har([har_entry(f"http://api.demoshop.cn/u?mobile={PHONE}")])), "utf-8")
    (folder / "broken.har").write_text('{"log": ', "utf-8")
    rc, report, output = scan_json(tmp_path, [folder])
    assert len(report["errors"]) == 1 and "broken.har" in report["errors"][0]["input"]
    assert any("s.har" in i["path"] for i in report["inputs"])
    assert rc == 3


def test_chrome_http2_pseudo_headers_and_failed_entry(tmp_path):
    h2 = har_entry(f"https://api.demoshop.com/v1/user?mobile={PHONE}",
                   req_headers=[(":authority", "api.demoshop.com"), (":method", "GET"),
                                (":path", f"/v1/user?mobile={PHONE}"), (":scheme", "https"),
                                ("accept", "application/json, text/plain, */*"), ("user-agent", UA)],
                   resp_headers=[("content-type", "application/json")],
                   content={"size": 2, "mimeType": "application/json", "text": "{}"})
    h2["request"]["httpVersion"] = "http/2.0"
    h2["response"]["httpVersion"] = "http/2.0"
    blocked = har_entry("http://ad.example-union.cn/show.js", _error="net::ERR_BLOCKED_BY_CLIENT")
    blocked["response"].update({"status": 0, "statusText": "", "httpVersion": ""})
    path = tmp_path / "h2.har"
    path.write_text(json.dumps(har([h2, blocked])), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert "Traceback" not in output
    assert not report["errors"], report["errors"]
    assert findings_of(report, "DH002", "phone")
    assert report["inputs"][0]["records"] == 2


def test_fiddler_har_with_pages_and_utc_times(tmp_path):
    entry = har_entry("http://api.demoshop.cn/v1/login", "POST", started="2024-11-25T02:12:33.1234567Z",
                      req_headers=[("Content-Type", "application/json")],
                      post={"mimeType": "application/json", "text": json.dumps({"email": "li.si@example.com.cn", "password": "Zs@123456"})},
                      pageref="page_1", comment="")
    doc = har([entry], creator="Fiddler", version="5.0.20204.45441")
    doc["log"]["pages"] = [{"startedDateTime": "2024-11-25T02:12:30.000Z", "id": "page_1", "title": "登录", "pageTimings": {}}]
    path = tmp_path / "fiddler.har"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert not report["errors"], report["errors"]
    assert findings_of(report, "DH004", "password") and findings_of(report, "DH001", "email")


def test_unencoded_chinese_in_url(tmp_path):
    entry = har_entry(f"http://api.demoshop.cn/v1/search?q=手机&mobile={PHONE}")
    path = tmp_path / "cn.har"
    path.write_text(json.dumps(har([entry]), ensure_ascii=False), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert not report["errors"], report["errors"]
    assert findings_of(report, "DH002", "phone")


def test_har_entry_without_request_keeps_the_rest(tmp_path):
    good = har_entry(f"http://api.demoshop.cn/v1/user?mobile={PHONE}")
    bad = {"startedDateTime": "2024-11-25T10:12:33.123+08:00", "time": 1, "response": good["response"]}
    path = tmp_path / "partial.har"
    path.write_text(json.dumps(har([good, bad])), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert "Traceback" not in output
    assert findings_of(report, "DH002", "phone")
    assert len(report["errors"]) <= 1 and all("partial.har" in e["input"] for e in report["errors"])


def test_html_file_named_har_is_scanned_as_html(tmp_path):
    path = tmp_path / "page.har"
    path.write_text('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>首页</title></head>'
                    '<body><p>欢迎</p></body></html>', "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert not report["errors"], report["errors"]
    assert report["inputs"][0]["kind"] == "html"


def test_missing_path_exits_2_without_traceback(tmp_path):
    rc, report, output = scan_json(tmp_path, [tmp_path / "nope.har"])
    assert rc == 2
    assert "Traceback" not in output
    assert "nope.har" in output + json.dumps(report or {})


def test_chrome_har_with_content_encoding_and_decoded_text(tmp_path):
    # Chrome keeps the content-encoding header but stores the decoded text
    body = json.dumps({"data": {"realName": "张三", "idCard": ID_CARD}}, ensure_ascii=False)
    entry = har_entry("https://api.demoshop.com/v1/user/realname",
                      resp_headers=[("content-type", "application/json;charset=UTF-8"), ("content-encoding", "br")],
                      content={"size": len(body.encode()), "mimeType": "application/json", "text": body, "compression": 312})
    path = tmp_path / "br.har"
    path.write_text(json.dumps(har([entry]), ensure_ascii=False), "utf-8")
    rc, report, output = scan_json(tmp_path, [path])
    assert findings_of(report, "DH006", "id_card")


def test_damaged_captures_in_folder_are_reported(tmp_path):
    folder = tmp_path / "capture"
    folder.mkdir()
    (folder / "good.har").write_text(json.dumps(har([har_entry(f"http://api.demoshop.cn/u?mobile={PHONE}")])), "utf-8")
    (folder / "phone-2.mitm").write_bytes(bytes(range(7, 256)) * 2)
    (folder / "empty.har").write_bytes(b"")
    (folder / "notes.txt").write_text("测试机：小米13，Android 13\n", "utf-8")
    rc, report, output = scan_json(tmp_path, [folder])
    names = sorted(Path(e["input"]).name for e in report["errors"])
    assert names == ["empty.har", "phone-2.mitm"]

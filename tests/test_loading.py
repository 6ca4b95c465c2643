"""Loading inputs: recognition by content, folders, broken and damaged files, and the
real-world corpus of captures written by browsers, Charles, Insomnia and mitmproxy."""
import csv
import gzip
import json
import zlib
from pathlib import Path

import pytest
from appaudit.scanner.engine import ScanSettings, scan, scan_file
from appaudit.scanner.loading import expand, read_har, read_text, sniff
from appaudit.scanner.profile_loader import Profile

from tests.helpers import flow_findings, har_of, make_flow, write_flows

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real-captures"

HTML = "<!DOCTYPE html><html><head><title>t</title></head><body><p>hi</p></body></html>"
UIAUTOMATOR = ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"
               "<node index=\"0\" text=\"\" class=\"android.widget.FrameLayout\" bounds=\"[0,0][1080,2340]\" /></hierarchy>")


def settings():
    return ScanSettings(profile=Profile.default())



@pytest.fixture
def captures(tmp_path):
    write_flows(tmp_path / "session.bin", [make_flow(url="https://a.example.com/1"), make_flow(url="https://a.example.com/2")])
    (tmp_path / "browser.json").write_text(json.dumps(har_of("https://b.example.com/")))
    (tmp_path / "bom.har").write_bytes(b"\xef\xbb\xbf" + json.dumps(har_of("https://c.example.com/")).encode())
    (tmp_path / "saved.zhar").write_bytes(zlib.compress(json.dumps(har_of("https://d.example.com/", "https://d.example.com/2")).encode()))
    (tmp_path / "page.txt").write_text(HTML)
    (tmp_path / "window_dump.xml").write_text(UIAUTOMATOR)
    (tmp_path / "README.md").write_text("# notes, not a capture")
    (tmp_path / "app.yaml").write_text("name: x\n")
    return tmp_path


def test_inputs_are_recognised_by_content_not_extension(captures):
    assert sniff(str(captures / "session.bin")) == "flows"
    assert sniff(str(captures / "browser.json")) == "har"
    assert sniff(str(captures / "bom.har")) == "har"
    assert sniff(str(captures / "saved.zhar")) == "har"
    assert sniff(str(captures / "page.txt")) == "html"
    assert sniff(str(captures / "window_dump.xml")) == "uiautomator"
    assert sniff(str(captures / "README.md")) is None


def test_a_folder_is_scanned_recursively_and_passes_over_non_captures(captures):
    (captures / "sub").mkdir()
    (captures / "sub" / "more.har").write_text(json.dumps(har_of("https://e.example.com/")))
    result = scan([str(captures)], settings())
    records = {Path(i.path).name: (i.kind, i.records) for i in result.inputs}
    assert records == {
        "session.bin": ("flows", 2), "browser.json": ("har", 1), "bom.har": ("har", 1),
        "saved.zhar": ("har", 2), "page.txt": ("html", 1), "window_dump.xml": ("uiautomator", 1),
        "more.har": ("har", 1),
    }
    assert result.errors == []
    assert all(len(i.sha256) == 64 for i in result.inputs)


def test_a_named_file_that_is_not_a_capture_is_an_error_naming_it(captures):
    result = scan([str(captures / "README.md"), str(captures / "nope.har"), str(captures / "bom.har")], settings())
    messages = dict(result.errors)
    assert "not a capture" in messages[str(captures / "README.md")]
    assert "no such file" in messages[str(captures / "nope.har")]
    assert [Path(i.path).name for i in result.inputs] == ["bom.har"]


def test_truncated_flow_file_keeps_the_flows_before_the_damage(tmp_path):
    path = tmp_path / "s.mitm"
    write_flows(path, [make_flow(url=f"https://a.example.com/{i}") for i in range(5)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])
    result = scan_file(str(path), "flows", settings())
    assert result.input.records == 4
    assert any("damaged after flow 4" in p for p in result.input.problems)


def test_garbage_after_tnetstring_header_is_an_error(tmp_path):
    path = tmp_path / "x.mitm"
    path.write_bytes(b"12:not really a flow file at all")
    result = scan([str(path)], settings())
    assert not result.inputs
    assert "cannot read flow file" in result.errors[0][1]


def test_har_with_a_bad_entry_keeps_the_others(tmp_path):
    document = har_of("https://a.example.com/1", "https://a.example.com/2", "https://a.example.com/3")
    del document["log"]["entries"][1]["request"]["url"]
    document["log"]["entries"][2]["request"].pop("httpVersion")  # commonly omitted: filled in
    (tmp_path / "x.har").write_text(json.dumps(document))
    result = scan_file(str(tmp_path / "x.har"), "har", settings())
    # The bad entry is still a record: flow numbers stay the entries' indexes.
    assert result.input.records == 3
    assert result.input.problems == ["HAR entry 1 skipped: request has no url"]


def test_data_url_entries_are_counted_records_and_a_note_not_an_error(tmp_path):
    # Chrome records inline images as data: entries; the flow after one keeps its index.
    document = har_of("https://a.example.com/1", "data:image/png;base64,iVBORw0KGgo=",
                      "http://a.example.com/login?password=Zs%40123456")
    (tmp_path / "x.har").write_text(json.dumps(document))
    result = scan_file(str(tmp_path / "x.har"), "har", settings())
    assert result.input.records == 3 and result.input.problems == []
    assert result.input.notes == ["HAR entry 1 is not a network request (data: URL); counted, not checked"]
    assert {f.location.flow for f in result.findings if f.check == "DH004"} == {2}


def test_harp_is_a_har_wrapped_in_jsonp_but_a_script_is_not_a_capture(tmp_path):
    (tmp_path / "x.harp").write_text("onInputData(" + json.dumps(har_of("http://a.example.com/login?password=Zs%40123456"),
                                                                  indent=1) + ");\n")
    (tmp_path / "app.js").write_text('define({"name": "app"});')
    assert sniff(str(tmp_path / "x.harp")) == "har" and sniff(str(tmp_path / "app.js")) is None
    result = scan_file(str(tmp_path / "x.harp"), "har", settings())
    assert result.input.records == 1 and [f.check for f in result.findings if f.check == "DH004"] == ["DH004"]


def test_a_har_without_response_headers_takes_the_content_type_from_mime_type(tmp_path):
    document = har_of("http://a.example.com/profile")
    content = document["log"]["entries"][0]["response"]["content"]
    content.update(mimeType="application/json", text='{"mobile": "13912345678"}')
    (tmp_path / "x.har").write_text(json.dumps(document))
    [flow] = read_har(str(tmp_path / "x.har"), [])
    assert flow.response.headers["content-type"] == "application/json"
    document["log"]["entries"][0]["response"]["headers"] = [{"name": "Content-Type", "value": "text/plain"}]
    (tmp_path / "y.har").write_text(json.dumps(document))
    [flow] = read_har(str(tmp_path / "y.har"), [])
    assert flow.response.headers.get_all("content-type") == ["text/plain"]


def test_set_cookie_headers_joined_by_newlines_are_separate_cookies(tmp_path):
    document = har_of("https://www.example.com/")
    document["log"]["entries"][0]["response"]["headers"] = [
        {"name": "set-cookie", "value": "geo=se; path=/\nsid=k8s7d6f5g4h3j2k1l0z9x8c7; path=/; secure"}]
    (tmp_path / "x.har").write_text(json.dumps(document))
    [flow] = read_har(str(tmp_path / "x.har"), [])
    assert [name for name, _ in flow.response.cookies.items(multi=True)] == ["geo", "sid"]


def test_entries_without_start_time_or_method_are_read(tmp_path):
    # Hand-written HARs omit startedDateTime; WebPageTest writes HTTP/2 requests with
    # "method": null. Neither stops the entry from being checked.
    document = har_of("http://a.example.com/1?password=Zs%40123456", "http://a.example.com/2?password=Zs%40123456")
    del document["log"]["entries"][0]["startedDateTime"]
    document["log"]["entries"][1]["request"]["method"] = None
    (tmp_path / "x.har").write_text(json.dumps(document))
    flows = list(read_har(str(tmp_path / "x.har"), problems := []))
    assert problems == [] and flows[0].request.timestamp_start is None and flows[1].request.method == "GET"
    result = scan_file(str(tmp_path / "x.har"), "har", settings())
    [finding] = [f for f in result.findings if f.check == "DH004"]  # one behaviour, two occurrences
    assert finding.location.flow == 0 and finding.occurrences.flows == [0, 1]


@pytest.mark.parametrize("content,message", [
    ('{"log": [1, 2', "invalid HAR: JSON syntax error at line 1"),
    ('{"something": "else"}', "not a HAR file: no log.entries list"),
])
def test_broken_har_is_one_clear_error(tmp_path, content, message):
    (tmp_path / "b.har").write_text(content)
    result = scan([str(tmp_path / "b.har")], settings())
    assert result.errors and result.errors[0][0].endswith("b.har")
    assert message in result.errors[0][1]
    assert "\n" not in result.errors[0][1]


def test_a_gzip_compressed_page_is_read_as_the_page_it_holds(tmp_path):
    (tmp_path / "x.html.gz").write_bytes(gzip.compress(HTML.encode()))
    (tmp_path / "notes.txt.gz").write_bytes(gzip.compress(b"just some text"))
    files, problems = expand([str(tmp_path)])
    assert files == [(str(tmp_path / "x.html.gz"), "html")] and problems == []
    assert read_text(str(tmp_path / "x.html.gz")) == HTML


def test_a_damaged_gzip_page_is_one_clear_problem(tmp_path):
    (tmp_path / "x.html.gz").write_bytes(gzip.compress(HTML.encode())[:40])
    result = scan([str(tmp_path / "x.html.gz")], settings())
    assert result.errors and "compressed page is damaged" in result.errors[0][1]


def corpus_expectations():
    if not CORPUS.is_dir():
        return []
    with open(CORPUS / "EXPECTED.tsv", newline="") as f:
        return [(row["file"], row["expected"]) for row in csv.DictReader(f, delimiter="\t")]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus of real captures is absent")
@pytest.mark.parametrize("name,expected", corpus_expectations())
def test_real_capture_loads_or_fails_clearly(name, expected):
    result = scan([str(CORPUS / name)], settings())
    if expected == "error":
        assert not result.inputs, f"{name} should not load"
        assert result.errors, f"{name} should produce an error"
        for path, message in result.errors:
            assert path.endswith(name) and message and "\n" not in message and "Traceback" not in message
    else:
        assert [i.records for i in result.inputs] == [int(expected)]
        # Every flow was read and checked: no check crashed on a real capture.
        assert not [m for _, m in result.errors if m.startswith("check ")], result.errors


def test_har_websocket_messages_are_read(tmp_path):
    document = har_of("http://push.example.com/socket")
    document["log"]["entries"][0]["_webSocketMessages"] = [
        {"type": "send", "time": 1764000000.5, "opcode": 1, "data": '{"phone": "13912345678"}'},
        {"type": "receive", "time": 1764000001.0, "opcode": 2, "data": "AAEC"},
    ]
    (tmp_path / "ws.har").write_text(json.dumps(document))
    flows = list(read_har(str(tmp_path / "ws.har"), []))
    messages = flows[0].websocket.messages
    assert [(m.from_client, m.content) for m in messages] == [(True, b'{"phone": "13912345678"}'), (False, b"\x00\x01\x02")]
    findings = flow_findings("DH001", flows)
    assert [(f.evidence.data_type, f.location.field) for f in findings] == [("phone", "ws[0].phone")]
    # Chrome names the same connection ws:// or wss://: wss is encrypted, so no DH001.
    document["log"]["entries"][0]["request"]["url"] = "wss://push.example.com/socket"
    (tmp_path / "wss.har").write_text(json.dumps(document))
    flows = list(read_har(str(tmp_path / "wss.har"), []))
    assert flows[0].request.pretty_url == "https://push.example.com/socket"
    assert flow_findings("DH001", flows) == []


def test_a_body_that_cannot_be_decoded_is_reported_and_the_flow_still_checked(tmp_path):
    broken = make_flow("POST", "http://api.example.com/v1/a?mobile=13912345678",
                       headers={"Content-Encoding": "gzip"}, body=b"not gzip")
    path = tmp_path / "s.mitm"
    write_flows(path, [broken])
    result = scan_file(str(path), "flows", settings())
    assert result.input.problems == ["flow 0: request body not checked: gzip body could not be decoded: "
                                     "Error -3 while decompressing data: incorrect header check"]
    assert [f.location.part for f in result.findings if f.check == "DH001"] == ["request.url"]
